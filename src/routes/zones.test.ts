// Territories: managers add and change them (bad coordinates marked and kept, codes unique), work
// order readers see them, other organizations' are not there.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture, parse, signedIn } from "../../test/helpers";

let home: Fixture;
let away: Fixture;

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("Zones"), createOrg("ZonesAway")]);
});

describe("territories", () => {
  test("a dispatcher adds and changes a territory; bad input is marked and kept", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const bad = await dispatcher.post("/fsm/zones", {
      code: "sgr",
      name: "Selangor",
      lat: "95",
      lng: "101.5",
    });
    expect(bad.status).toBe(422);
    const page = parse(await bad.text());
    expect(page.querySelector(".field.invalid #lat")?.getAttribute("value")).toBe("95");
    expect(page.querySelector("#name")?.getAttribute("value")).toBe("Selangor");
    expect(
      (await dispatcher.post("/fsm/zones", { code: "sgr", name: "Selangor", lat: "3.07", lng: "101.52" }))
        .status,
    ).toBe(303);
    expect(
      (await dispatcher.post("/fsm/zones", { code: "SGR", name: "Again", lat: "1", lng: "1" })).status,
    ).toBe(422);
    const list = await dispatcher.page("/fsm/zones");
    const row = list.document.querySelector("tr[data-zone]")!;
    expect(row.textContent).toContain("SGR");
    const zoneId = row.getAttribute("data-zone")!;
    expect(
      (
        await dispatcher.post(`/fsm/zones/${zoneId}`, {
          code: "SGR",
          name: "Selangor state",
          lat: "3.07",
          lng: "101.52",
        })
      ).status,
    ).toBe(303);
    expect(
      (await dispatcher.page("/fsm/zones")).document.querySelector("tr[data-zone]")?.textContent,
    ).toContain("Selangor state");
    const agent = await signedIn(home, "agent");
    expect((await agent.get("/fsm/zones")).status).toBe(200);
    expect((await agent.post("/fsm/zones", { code: "X", name: "X", lat: "1", lng: "1" })).status).toBe(403);
    const stranger = await signedIn(away, "dispatcher");
    expect((await stranger.page("/fsm/zones")).document.querySelector("tr[data-zone]")).toBeNull();
    expect(
      (await stranger.post(`/fsm/zones/${zoneId}`, { code: "Y", name: "Y", lat: "1", lng: "1" })).status,
    ).toBe(404);
  });
});
