// The dispatch board through HTTP, as a browser without JavaScript uses it: the grid, the queue,
// the assign form with its conflicts and "assign anyway", and another organization kept out.
import { beforeAll, describe, expect, test } from "bun:test";
import { serviceLocations, technicians, zones } from "../../db/schema";
import { type Client, createOrg, type Fixture, parse, signedIn } from "../../test/helpers";
import { formatWorkOrderNumber } from "../domain/fsm/rules";
import { createWorkOrder } from "../domain/fsm/workOrders";

let org: Fixture;
let dispatcher: Client;
let techUserId: string;
let locationId: string;

beforeAll(async () => {
  org = await createOrg("DispatchRoutes");
  dispatcher = await signedIn(org, "dispatcher");
  const db = org.ctx("admin").db;
  techUserId = org.users.technician.id;
  const [zone] = await db
    .insert(zones)
    .values({ orgId: org.orgId, code: "PNG", name: "Penang", lat: 5.41, lng: 100.33 })
    .returning();
  await db
    .insert(technicians)
    .values({ orgId: org.orgId, userId: techUserId, zoneId: zone.id, homeLat: 5.41, homeLng: 100.33 });
  const [location] = await db
    .insert(serviceLocations)
    .values({
      orgId: org.orgId,
      name: "Komtar",
      address: "George Town",
      lat: 5.414,
      lng: 100.329,
      zoneId: zone.id,
    })
    .returning();
  locationId = location.id;
});

/** The map's data as the page's script reads it: the JSON script element named by data-map. */
function mapOf(page: ReturnType<typeof parse>) {
  const id = page.querySelector("#dispatch-map")?.getAttribute("data-map") ?? "";
  return JSON.parse(page.getElementById(id)?.textContent ?? "");
}

async function queued(subject: string) {
  const wo = await createWorkOrder(org.ctx("dispatcher"), { subject, priority: "high", locationId });
  return formatWorkOrderNumber(wo.number);
}

describe("dispatch board", () => {
  test("assigning through the form puts the visit on the technician's row and takes it off the queue", async () => {
    const number = await queued("Aircon not cooling");
    const before = parse(await (await dispatcher.get("/fsm/dispatch?day=2026-11-23")).text());
    expect(before.querySelector(`#queue [data-number="${number}"]`)?.textContent).toContain(
      "Aircon not cooling",
    );
    expect(before.querySelector(`[data-technician="${techUserId}"] .board-name`)?.textContent).toContain(
      org.users.technician.name,
    );

    const response = await dispatcher.post("/fsm/dispatch/assign", {
      workOrder: number,
      technicianId: techUserId,
      startsAt: "2026-11-23T10:00",
      minutes: "90",
      back: "/fsm/dispatch?day=2026-11-23",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/fsm/dispatch?day=2026-11-23&notice=assigned");

    const after = parse(await (await dispatcher.get("/fsm/dispatch?day=2026-11-23&notice=assigned")).text());
    expect(after.querySelector(".alert.ok")?.textContent).toContain("Visit assigned.");
    const bar = after.querySelector(
      `[data-technician="${techUserId}"] .board-visit[data-number="${number}"]`,
    );
    expect(bar?.getAttribute("class")).toContain("status-scheduled");
    expect(bar?.getAttribute("data-minutes")).toBe("90");
    // 10:00 on a grid from 06:00 to 21:00.
    expect(bar?.getAttribute("style")).toContain(`left:${((240 / 900) * 100).toFixed(3)}%`);
    expect(after.querySelector(`#queue [data-number="${number}"]`)).toBeNull();

    // The week view puts Monday's 10:00 in the first of seven day columns.
    const week = parse(await (await dispatcher.get("/fsm/dispatch?day=2026-11-25&view=week")).text());
    const weekBar = week.querySelector(
      `[data-technician="${techUserId}"] .board-visit[data-number="${number}"]`,
    );
    expect(weekBar?.getAttribute("style")).toContain(`left:${((240 / (7 * 900)) * 100).toFixed(3)}%`);
    expect(week.querySelector(`[data-drop-technician="${techUserId}"]`)?.getAttribute("data-days")).toBe("7");
    expect(week.querySelectorAll(`[data-technician="${techUserId}"] .board-shift`)).toHaveLength(5);

    // The map gets the tile address and the technician's route through the visit.
    const map = after.querySelector("#dispatch-map");
    expect(map?.getAttribute("data-tiles")).toBe("https://tile.openstreetmap.org/{z}/{x}/{y}.png");
    const drawn = mapOf(after);
    const route = drawn.technicians.find((t: { name: string }) => t.name === org.users.technician.name);
    expect(route.home).toEqual({ lat: 5.41, lng: 100.33 });
    expect(route.route).toContainEqual({
      lat: 5.414,
      lng: 100.329,
      label: `${number} 10:00`,
      status: "scheduled",
    });
  });

  test("the map's data holds user text exactly, whatever quotes, entities or tags it has", async () => {
    const subject = 'Leak &quot;}, "label": "forged", &amp; </script><script>alert(1)</script> <!-- done';
    const number = await queued(subject);
    const page = parse(await (await dispatcher.get("/fsm/dispatch?day=2026-11-23")).text());
    expect(
      [...page.querySelectorAll("script")].some(
        (s) => s.textContent?.includes("alert(1)") && !s.getAttribute("type"),
      ),
    ).toBe(false);
    const queue: { label: string }[] = mapOf(page).queue;
    expect(queue.find((job) => job.label.startsWith(number))?.label).toBe(`${number} ${subject}`);
  });

  test("conflicts come back next to the form with what was typed; assign anyway saves it", async () => {
    const number = await queued("Evening call-out");
    const form = {
      workOrder: number,
      technicianId: techUserId,
      startsAt: "2026-11-23T19:00",
      minutes: "60",
      back: "/fsm/dispatch?day=2026-11-23",
    };
    const refused = await dispatcher.post("/fsm/dispatch/assign", form);
    expect(refused.status).toBe(409);
    const page = parse(await refused.text());
    expect(page.querySelector(".conflicts .conflict-shift")?.textContent).toContain("Outside");
    expect(page.querySelector<HTMLInputElement>("#startsAt")?.getAttribute("value")).toBe("2026-11-23T19:00");
    expect(page.querySelector('input[name="override"]')).toBeTruthy();
    expect(page.querySelector(`#queue [data-number="${number}"]`)).toBeTruthy();

    const forced = await dispatcher.post("/fsm/dispatch/assign", { ...form, override: "1" });
    expect(forced.status).toBe(303);
    expect(forced.headers.get("location")).toContain("notice=overridden");
  });

  test("bad input marks the field and keeps the board", async () => {
    const response = await dispatcher.post("/fsm/dispatch/assign", {
      workOrder: "nonsense",
      technicianId: techUserId,
      startsAt: "2026-11-23T10:00",
    });
    expect(response.status).toBe(422);
    const page = parse(await response.text());
    expect(page.querySelector("#workOrder-error")?.textContent).toContain("WO-000123");
    expect(page.querySelector<HTMLInputElement>("#workOrder")?.getAttribute("value")).toBe("nonsense");

    const badTime = await dispatcher.post("/fsm/dispatch/assign", {
      workOrder: await queued("Timeless"),
      technicianId: techUserId,
      startsAt: "tomorrow",
    });
    expect(badTime.status).toBe(422);
    expect(parse(await badTime.text()).querySelector(".field.invalid #startsAt")).toBeTruthy();
  });

  test("another organization sees neither the technicians nor the work orders", async () => {
    const number = await queued("Only ours");
    const other = await createOrg("DispatchOther");
    const theirs = await signedIn(other, "dispatcher");
    const board = parse(await (await theirs.get("/fsm/dispatch?day=2026-11-23")).text());
    expect(board.querySelector(`[data-technician="${techUserId}"]`)).toBeNull();
    expect(board.querySelector(`#queue [data-number="${number}"]`)).toBeNull();
    const response = await theirs.post("/fsm/dispatch/assign", {
      workOrder: number,
      technicianId: techUserId,
      startsAt: "2026-11-23T10:00",
      minutes: "60",
    });
    expect(response.status).toBe(404);
    expect(parse(await response.text()).querySelector("#workOrder-error")?.textContent).toContain(
      "not found",
    );
  });

  test("agents and technicians are refused", async () => {
    for (const role of ["agent", "technician"] as const) {
      const client = await signedIn(org, role);
      expect((await client.get("/fsm/dispatch")).status).toBe(403);
      expect((await client.post("/fsm/dispatch/assign", { workOrder: "1" })).status).toBe(403);
    }
  });
});
