// Service locations: managers add, look up and change them (bad input marked and kept), the page
// lists the equipment and visits there, readers only read, other organizations see nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { assets, companies, contacts, serviceLocations } from "../../db/schema";
import { createOrg, type Fixture, parse, signedIn, testDatabase, testDeps } from "../../test/helpers";
import { parseCandidates } from "../domain/fsm/geocode";

let home: Fixture;
let away: Fixture;
/** A Nominatim-compatible service on a local port that knows one street. */
let geocoder: ReturnType<typeof Bun.serve>;
const asked: string[] = [];

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("Locations"), createOrg("LocationsAway")]);
  geocoder = Bun.serve({
    port: 0,
    fetch(request) {
      const q = new URL(request.url).searchParams.get("q") ?? "";
      asked.push(q);
      if (q.includes("Persiaran Kayangan"))
        return Response.json([
          { lat: "3.0733", lon: "101.5185", display_name: "Persiaran Kayangan, Shah Alam, Selangor" },
          { lat: "3.0801", lon: "101.5100", display_name: "Kayangan Heights, Shah Alam" },
          { lat: "not a number", lon: "1", display_name: "broken" },
        ]);
      if (q.includes("down")) return new Response("busy", { status: 503 });
      return Response.json([]);
    },
  });
});

afterAll(() => geocoder.stop(true));

describe("service locations", () => {
  test("a dispatcher adds a location; bad input is marked and kept; the page shows it", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const bad = await dispatcher.post("/fsm/locations", {
      name: "Shah Alam plant",
      address: "",
      lat: "95",
      lng: "101.5",
      contactEmail: "nobody@nowhere.test",
    });
    expect(bad.status).toBe(422);
    const form = parse(await bad.text());
    expect(form.querySelector(".field.invalid #lat")?.getAttribute("value")).toBe("95");
    expect(form.querySelector(".field.invalid #address")).not.toBeNull();
    expect(form.querySelector(".field.invalid #contactEmail")?.getAttribute("value")).toBe(
      "nobody@nowhere.test",
    );
    expect(form.querySelector("#name")?.getAttribute("value")).toBe("Shah Alam plant");
    const half = await dispatcher.post("/fsm/locations", { name: "X", address: "Somewhere", lat: "3.1" });
    expect(half.status).toBe(422);
    expect(parse(await half.text()).querySelector(".field.invalid #lng")).not.toBeNull();

    // The fixture's customer contact has the customer user's address.
    const contactEmail = home.users.customer.email;
    const ok = await dispatcher.post("/fsm/locations", {
      name: "Shah Alam plant",
      address: "1 Persiaran Kayangan, Shah Alam",
      lat: "3.0733",
      lng: "101.5185",
      contactEmail,
    });
    expect(ok.status).toBe(303);
    const id = ok.headers.get("location")!.split("/").pop()!.split("?")[0];
    const { db } = await testDatabase();
    await db.insert(assets).values({ orgId: home.orgId, locationId: id, type: "Chiller", serial: "CH-77" });

    const list = await dispatcher.page("/fsm/locations?q=kayangan");
    const row = list.document.querySelector(`tr[data-location="${id}"]`);
    expect(row?.textContent).toContain("Shah Alam plant");
    expect(row?.textContent).toContain("Carol Customer");
    expect(
      (await dispatcher.page("/fsm/locations?q=penang")).document.querySelector("tr[data-location]"),
    ).toBeNull();

    const page = await dispatcher.page(`/fsm/locations/${id}`);
    expect(page.document.querySelector("h1")?.textContent).toBe("Shah Alam plant");
    expect(page.document.querySelector(".card ul a")?.textContent).toContain("CH-77");

    const edit = await dispatcher.page(`/fsm/locations/${id}/edit`);
    expect(edit.document.querySelector("#lat")?.getAttribute("value")).toBe("3.0733");
    expect(edit.document.querySelector("#contactEmail")?.getAttribute("value")).toBe(contactEmail);
    const changed = await dispatcher.post(`/fsm/locations/${id}`, {
      name: "Shah Alam main plant",
      address: "1 Persiaran Kayangan, Shah Alam",
      lat: "",
      lng: "",
    });
    expect(changed.status).toBe(303);
    const after = await dispatcher.page(`/fsm/locations/${id}`);
    expect(after.document.querySelector("h1")?.textContent).toBe("Shah Alam main plant");
    expect(after.document.querySelector(".facts")?.textContent).toContain("Not recorded");
  });

  test("changing a company's location without naming a company contact keeps its company", async () => {
    const { db } = await testDatabase();
    const [company] = await db
      .insert(companies)
      .values({ orgId: home.orgId, name: "Kayangan Foods" })
      .returning({ id: companies.id });
    const [location] = await db
      .insert(serviceLocations)
      .values({ orgId: home.orgId, name: "Cold store", address: "2 Jalan Kilang", companyId: company.id })
      .returning({ id: serviceLocations.id });
    const dispatcher = await signedIn(home, "dispatcher");
    const companyOf = async () =>
      (await db.select().from(serviceLocations).where(eq(serviceLocations.id, location.id)))[0].companyId;
    const place = { name: "Cold store", address: "2 Jalan Kilang" };
    const moved = await dispatcher.post(`/fsm/locations/${location.id}`, {
      ...place,
      lat: "3.1",
      lng: "101.6",
    });
    expect(moved.status).toBe(303);
    expect(await companyOf()).toBe(company.id);
    // The fixture's customer contact belongs to no company: naming them keeps the company too.
    const contactEmail = home.users.customer.email;
    expect((await dispatcher.post(`/fsm/locations/${location.id}`, { ...place, contactEmail })).status).toBe(
      303,
    );
    expect(await companyOf()).toBe(company.id);
    const [buyer] = await db
      .insert(companies)
      .values({ orgId: home.orgId, name: "Kilang Buyers" })
      .returning({ id: companies.id });
    await db
      .insert(contacts)
      .values({ orgId: home.orgId, companyId: buyer.id, name: "Ben Buyer", email: "ben@kilang.test" });
    const handedOver = await dispatcher.post(`/fsm/locations/${location.id}`, {
      ...place,
      contactEmail: "ben@kilang.test",
    });
    expect(handedOver.status).toBe(303);
    expect(await companyOf()).toBe(buyer.id);
  });

  test("readers read; only managers change; another organization sees nothing", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const made = await dispatcher.post("/fsm/locations", { name: "Depot", address: "Lot 5, Klang" });
    expect(made.status).toBe(303);
    const id = made.headers.get("location")!.split("/").pop()!.split("?")[0];
    const agent = await signedIn(home, "agent");
    expect((await agent.get(`/fsm/locations/${id}`)).status).toBe(200);
    expect((await agent.get("/fsm/locations/new")).status).toBe(403);
    expect((await agent.post("/fsm/locations", { name: "X", address: "Y" })).status).toBe(403);
    const customer = await signedIn(home, "customer");
    expect((await customer.get("/fsm/locations")).status).not.toBe(200);
    const stranger = await signedIn(away, "dispatcher");
    expect(
      (await stranger.page("/fsm/locations")).document.querySelector(`tr[data-location="${id}"]`),
    ).toBeNull();
    expect((await stranger.get(`/fsm/locations/${id}`)).status).toBe(404);
    expect((await stranger.post(`/fsm/locations/${id}`, { name: "Mine", address: "Z" })).status).toBe(404);
    expect((await stranger.get("/fsm/locations/not-a-uuid")).status).toBe(404);
  });

  test("the address is looked up when a geocoder is configured, and nothing is saved by it", async () => {
    const deps = await testDeps();
    const dispatcher = await signedIn(home, "dispatcher");
    const without = await dispatcher.post("/fsm/locations", {
      intent: "geocode",
      name: "Lookup",
      address: "Persiaran Kayangan",
    });
    expect(without.status).toBe(422);
    expect(parse(await without.text()).querySelector(".alert.error")?.textContent).toContain("GEOCODER_URL");
    deps.config.geocoderUrl = `http://127.0.0.1:${geocoder.port}`;
    try {
      const form = await dispatcher.page("/fsm/locations/new");
      expect(form.document.querySelector('button[name="intent"][value="geocode"]')).not.toBeNull();
      const found = await dispatcher.post("/fsm/locations", {
        intent: "geocode",
        name: "Lookup",
        address: "12 Persiaran Kayangan",
      });
      expect(found.status).toBe(200);
      const page = parse(await found.text());
      expect(page.querySelector("#lat")?.getAttribute("value")).toBe("3.073300");
      expect(page.querySelector("#lng")?.getAttribute("value")).toBe("101.518500");
      expect(page.querySelector("#name")?.getAttribute("value")).toBe("Lookup");
      expect(page.querySelector(".geocode-candidates")?.textContent).toContain("Kayangan Heights");
      expect(asked).toContain("12 Persiaran Kayangan");
      const none = await dispatcher.post("/fsm/locations", {
        intent: "geocode",
        name: "L",
        address: "Nowhere",
      });
      expect(none.status).toBe(422);
      expect(parse(await none.text()).querySelector(".field.invalid #address")).not.toBeNull();
      const down = await dispatcher.post("/fsm/locations", { intent: "geocode", name: "L", address: "down" });
      expect(down.status).toBe(502);
      expect(
        parse(await down.text())
          .querySelector("#name")
          ?.getAttribute("value"),
      ).toBe("L");
      const list = await dispatcher.page("/fsm/locations?q=Lookup");
      expect(list.document.querySelector("tr[data-location]")).toBeNull();
    } finally {
      deps.config.geocoderUrl = undefined;
    }
  });

  test("geocoder answers are read defensively", () => {
    expect(parseCandidates({ error: "x" })).toEqual([]);
    expect(
      parseCandidates([
        { lat: "3.1", lon: "200" },
        { lat: "1.5", lon: "103.7" },
      ]),
    ).toEqual([{ label: "1.5, 103.7", lat: 1.5, lng: 103.7 }]);
  });
});
