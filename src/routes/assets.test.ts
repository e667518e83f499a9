// Assets over HTTP: a dispatcher adds one (bad dates come back marked and kept), the list finds it
// by serial, its page shows the warranty and the work orders done on it; agents read, technicians
// and customers get nothing, and other organizations' assets are not there.
import { beforeAll, describe, expect, test } from "bun:test";
import { serviceLocations, workOrders } from "../../db/schema";
import { createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";

let home: Fixture;
let away: Fixture;
let locationId: string;

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("Assets"), createOrg("AssetsAway")]);
  const { db } = await testDatabase();
  [{ id: locationId }] = await db
    .insert(serviceLocations)
    .values({
      orgId: home.orgId,
      name: "Main office",
      address: "1 Jalan Ampang",
      contactId: home.users.customer.contactId!,
    })
    .returning({ id: serviceLocations.id });
});

describe("assets", () => {
  test("a dispatcher adds an asset; its page shows warranty and service history", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const bad = await dispatcher.post("/fsm/assets", {
      type: "Split air conditioner",
      serial: "AC-77-123",
      installedOn: "2025-02-30",
      warrantyEndsOn: "2024-01-01",
      locationId,
      status: "active",
    });
    expect(bad.status).toBe(422);
    const form = parse(await bad.text());
    expect(form.querySelector(".field.invalid #installedOn")?.getAttribute("value")).toBe("2025-02-30");
    expect(form.querySelector("#serial")?.getAttribute("value")).toBe("AC-77-123");
    const saved = await dispatcher.post("/fsm/assets", {
      type: "Split air conditioner",
      make: "Daikin",
      model: "FTKF25",
      serial: "AC-77-123",
      installedOn: "2025-02-20",
      warrantyEndsOn: "2099-02-20",
      locationId,
      status: "active",
    });
    expect(saved.status).toBe(303);
    const assetUrl = saved.headers.get("location")!.replace(/\?.*$/, "");
    const assetId = assetUrl.split("/").pop()!;
    const { db } = await testDatabase();
    await db.insert(workOrders).values({
      orgId: home.orgId,
      number: 9001,
      subject: "Annual service",
      assetId,
      locationId,
      currency: "MYR",
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const page = await dispatcher.page(assetUrl);
    expect(page.document.querySelector("h1")?.textContent).toBe("Split air conditioner · Daikin FTKF25");
    expect(page.document.body.textContent).toContain("Under warranty until 2099-02-20");
    expect(page.document.querySelector(".asset-history li")?.textContent).toContain("Annual service");
    const list = await dispatcher.page("/fsm/assets?q=ac-77");
    expect(list.document.querySelectorAll("tr[data-asset]")).toHaveLength(1);
    const agent = await signedIn(home, "agent");
    expect((await agent.get(assetUrl)).status).toBe(200);
    expect((await agent.post(`/fsm/assets/${assetId}`, { type: "Fan" })).status).toBe(403);
    for (const role of ["technician", "customer"] as const)
      expect((await (await signedIn(home, role)).get("/fsm/assets")).status).toBe(403);
    const stranger = await signedIn(away, "dispatcher");
    expect((await stranger.get(assetUrl)).status).toBe(404);
    expect((await stranger.post(`/fsm/assets/${assetId}`, { type: "Fan", status: "active" })).status).toBe(
      404,
    );
    expect((await stranger.page("/fsm/assets")).document.querySelectorAll("tr[data-asset]")).toHaveLength(0);
  });
});
