// The service catalog: managers add and change services and parts (bad amounts marked, typing kept,
// SKUs unique), everyone who reads work orders sees it, other organizations' rows are not there.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { parts, services } from "../../db/schema";
import { createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";

let home: Fixture;
let away: Fixture;

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("Catalog"), createOrg("CatalogAway")]);
});

describe("service catalog", () => {
  test("a dispatcher adds and changes a service and a part; bad input is marked and kept", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const bad = await dispatcher.post("/fsm/catalog/services", {
      name: "Aircon general service",
      minutes: "90",
      price: "eighty",
      tax: "8",
    });
    expect(bad.status).toBe(422);
    const page = parse(await bad.text());
    expect(page.querySelector(".field.invalid #service-price")?.getAttribute("value")).toBe("eighty");
    expect(page.querySelector("#service-name")?.getAttribute("value")).toBe("Aircon general service");
    expect(
      (
        await dispatcher.post("/fsm/catalog/services", {
          name: "Aircon general service",
          minutes: "90",
          price: "180.00",
          tax: "8",
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await dispatcher.post("/fsm/catalog/parts", {
          sku: "cap-35uf",
          name: "Capacitor 35 µF",
          cost: "12.50",
          price: "35",
          tax: "8",
        })
      ).status,
    ).toBe(303);
    const duplicate = await dispatcher.post("/fsm/catalog/parts", {
      sku: "CAP-35UF",
      name: "Again",
      cost: "1",
      price: "2",
      tax: "",
    });
    expect(duplicate.status).toBe(422);
    const { db } = await testDatabase();
    const [service] = await db.select().from(services).where(eq(services.orgId, home.orgId));
    expect([service.durationMinutes, service.priceMinor, service.taxBasisPoints]).toEqual([90, 18000, 800]);
    const [part] = await db.select().from(parts).where(eq(parts.orgId, home.orgId));
    expect([part.sku, part.costMinor, part.priceMinor]).toEqual(["CAP-35UF", 1250, 3500]);
    const edit = await dispatcher.page(`/fsm/catalog?service=${service.id}`);
    expect(edit.document.querySelector("#service-price")?.getAttribute("value")).toBe("180.00");
    expect(
      (
        await dispatcher.post(`/fsm/catalog/services/${service.id}`, {
          name: "Aircon general service",
          minutes: "120",
          price: "200",
          tax: "8",
        })
      ).status,
    ).toBe(303);
    const [changed] = await db.select().from(services).where(eq(services.id, service.id));
    expect([changed.durationMinutes, changed.priceMinor]).toEqual([120, 20000]);

    const agent = await signedIn(home, "agent");
    expect(
      (await agent.page("/fsm/catalog")).document.querySelector(`tr[data-part="${part.id}"]`),
    ).not.toBeNull();
    expect(
      (await agent.post("/fsm/catalog/parts", { sku: "X", name: "X", cost: "1", price: "1" })).status,
    ).toBe(403);
    const stranger = await signedIn(away, "dispatcher");
    expect(
      (await stranger.page("/fsm/catalog")).document.querySelector(`tr[data-part="${part.id}"]`),
    ).toBeNull();
    expect(
      (await stranger.post(`/fsm/catalog/parts/${part.id}`, { sku: "Y", name: "Y", cost: "1", price: "1" }))
        .status,
    ).toBe(404);
  });
});
