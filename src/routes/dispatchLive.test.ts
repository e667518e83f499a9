// The dispatch board kept current: technicians' phones post their own positions (with consent),
// the board's stream announces changes made by others, its regions come back alone for live swaps,
// and the queue filters by SLA due time. Another organization sees and reaches none of it.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { serviceLocations, technicians, tickets } from "../../db/schema";
import { type Client, createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { confirmVisit } from "../domain/fsm/notices";
import { formatWorkOrderNumber } from "../domain/fsm/rules";
import { createWorkOrder, createWorkOrderFromTicket, scheduleAppointment } from "../domain/fsm/workOrders";
import { createTicket } from "../domain/tickets/commands";

let org: Fixture;
let other: Fixture;
let locationId: string;

beforeAll(async () => {
  [org, other] = await Promise.all([createOrg("LiveBoard"), createOrg("LiveBoardOther")]);
  for (const f of [org, other]) {
    // Always on shift, so the real clock of the app never makes a report "off shift".
    await f
      .ctx("admin")
      .db.insert(technicians)
      .values({
        orgId: f.orgId,
        userId: f.users.technician.id,
        homeLat: 3.14,
        homeLng: 101.69,
        workStartMinute: 0,
        workEndMinute: 1440,
        workDays: [1, 2, 3, 4, 5, 6, 7],
      });
  }
  const [location] = await org
    .ctx("admin")
    .db.insert(serviceLocations)
    .values({ orgId: org.orgId, name: "KLCC", address: "Kuala Lumpur", lat: 3.158, lng: 101.712 })
    .returning();
  locationId = location.id;
});

/** Reads a server-sent event stream until a chunk contains `text`, or reports quiet after a moment. */
async function nextEvents(reader: ReadableStreamDefaultReader<Uint8Array>, quietMs = 0) {
  const read = reader.read().then((r) => new TextDecoder().decode(r.value));
  if (!quietMs) return read;
  return Promise.race([read, new Promise<string>((resolve) => setTimeout(() => resolve("quiet"), quietMs))]);
}

async function openStream(client: Client) {
  const controller = new AbortController();
  const response = await client.request("/fsm/dispatch/live", { signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  await reader.read(); // the retry line
  return { reader, close: () => controller.abort() };
}

describe("technicians' positions", () => {
  test("a technician shares their location, posts their own position, and the board shows it", async () => {
    const tech = await signedIn(org, "technician");
    const before = await tech.page("/tech");
    expect(before.document.querySelector('script[src="/public/tech-location.js"]')).toBeNull();
    expect(before.document.querySelector(".location-sharing button")?.textContent).toContain(
      "Share my location",
    );

    // Without consent nothing is stored.
    const refused = await tech.post("/tech/location", { lat: "3.15", lng: "101.7" });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ stored: false });

    const consent = await tech.post("/tech/location/sharing", { sharing: "1" });
    expect(consent.status).toBe(303);
    expect(consent.headers.get("location")).toBe("/tech?notice=sharing_on");
    const after = await tech.page("/tech?notice=sharing_on");
    expect(after.document.querySelector('script[src="/public/tech-location.js"]')).toBeTruthy();
    expect(after.document.querySelector(".location-sharing button")?.textContent).toContain("Stop sharing");

    // A user id in the form changes nothing: the position is always the poster's own.
    const posted = await tech.post("/tech/location", {
      lat: "3.15",
      lng: "101.7",
      accuracy: "12",
      userId: other.users.technician.id,
    });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toEqual({ stored: true, outcome: "stored" });
    const bad = await tech.post("/tech/location", { lat: "north", lng: "101.7" });
    expect(bad.status).toBe(422);
    expect((await bad.json()).fields.lat).toBeTruthy();

    const dispatcher = await signedIn(org, "dispatcher");
    const positions = await (await dispatcher.get("/fsm/dispatch/positions")).json();
    expect(positions).toEqual([
      expect.objectContaining({ userId: org.users.technician.id, lat: 3.15, lng: 101.7, accuracyM: 12 }),
    ]);
    const board = await dispatcher.page("/fsm/dispatch");
    expect(
      board.document.querySelector(`#positions [data-position="${org.users.technician.id}"]`)?.textContent,
    ).toContain("3.1500, 101.7000");
    const mapId = board.document.querySelector("#dispatch-map")?.getAttribute("data-map") ?? "";
    const map = JSON.parse(board.document.getElementById(mapId)?.textContent ?? "");
    expect(map.positions[0]).toMatchObject({ name: org.users.technician.name, lat: 3.15, age: "just now" });
    const trail = await (await dispatcher.get(`/fsm/technicians/${org.users.technician.id}/trail`)).json();
    expect(trail.points).toHaveLength(1);

    // The other organization: no positions, no trail, and its technician has none either.
    const theirs = await signedIn(other, "dispatcher");
    expect(await (await theirs.get("/fsm/dispatch/positions")).json()).toEqual([]);
    expect((await theirs.get(`/fsm/technicians/${org.users.technician.id}/trail`)).status).toBe(404);
  });

  test("only technicians post positions, with the form's token; others may not read them", async () => {
    const dispatcher = await signedIn(org, "dispatcher");
    expect((await dispatcher.post("/tech/location", { lat: "3", lng: "101" })).status).toBe(403);
    expect((await dispatcher.post("/tech/location/sharing", { sharing: "1" })).status).toBe(403);
    const tech = await signedIn(org, "technician");
    expect(
      (await tech.post("/tech/location", { lat: "3", lng: "101" }, { csrf: "x".repeat(40) })).status,
    ).toBe(403);
    expect((await tech.get("/fsm/dispatch/positions")).status).toBe(403);
    expect((await tech.get(`/fsm/technicians/${org.users.technician.id}/trail`)).status).toBe(403);
    const agent = await signedIn(org, "agent");
    expect((await agent.get("/fsm/dispatch/live")).status).toBe(403);
  });
});

describe("live board", () => {
  test("another dispatcher's assignment reaches the board's stream; another organization's stays quiet", async () => {
    const watcher = await signedIn(org, "dispatcher");
    const stranger = await signedIn(other, "dispatcher");
    const mine = await openStream(watcher);
    const theirs = await openStream(stranger);

    const wo = await createWorkOrder(org.ctx("dispatcher"), { subject: "Live change", locationId });
    expect(await nextEvents(mine.reader)).toContain("event: board-changed\ndata: work_order.created");

    const colleague = await signedIn(org, "supervisor");
    const assigned = await colleague.post("/fsm/dispatch/assign", {
      workOrder: formatWorkOrderNumber(wo.number),
      technicianId: org.users.technician.id,
      startsAt: "2026-11-24T10:00",
      minutes: "60",
      back: "/fsm/dispatch?day=2026-11-24",
    });
    expect(assigned.status).toBe(303);
    let seen = "";
    while (!seen.includes("work_order.scheduled")) seen += await nextEvents(mine.reader);
    expect(seen).toContain("event: board-changed");

    // A technician's position moves the map, not the grid.
    const tech = await signedIn(org, "technician");
    await tech.post("/tech/location/sharing", { sharing: "1" });
    let positions = "";
    while (!positions.includes("positions-changed")) positions += await nextEvents(mine.reader);

    expect(await nextEvents(theirs.reader, 300)).toBe("quiet");
    mine.close();
    theirs.close();

    // What the live update then fetches: the grid region alone, with the new visit on the row.
    const fragment = await watcher.get("/fsm/dispatch?day=2026-11-24&fragment=grid");
    const html = await fragment.text();
    expect(html).not.toContain("<html");
    const region = parse(`<div>${html}</div>`).querySelector("#board-region");
    expect(region?.getAttribute("hx-trigger")).toContain("board-changed");
    expect(region?.getAttribute("hx-get")).toBe("/fsm/dispatch?day=2026-11-24&fragment=grid");
    expect(
      region?.querySelector(
        `[data-technician="${org.users.technician.id}"] [data-number="${formatWorkOrderNumber(wo.number)}"]`,
      ),
    ).toBeTruthy();
    const queue = parse(
      `<div>${await (await watcher.get("/fsm/dispatch?day=2026-11-24&fragment=queue")).text()}</div>`,
    );
    expect(queue.querySelector("#queue-region")).toBeTruthy();
    // The full page connects to the stream.
    const page = await watcher.page("/fsm/dispatch?day=2026-11-24");
    expect(page.document.querySelector("#live")?.getAttribute("hx-sse:connect")).toBe("/fsm/dispatch/live");
  });
});

describe("queue filter by SLA due time", () => {
  test("work orders from tickets carry the ticket's SLA; the filter keeps those due soon", async () => {
    const { db } = await testDatabase();
    const fromTicket = async (subject: string, dueInHours: number) => {
      const ticket = await createTicket(org.ctx("customer"), { subject, body: "Please come" });
      await db
        .update(tickets)
        .set({ slaNextDueAt: new Date(Date.now() + dueInHours * 3600_000) })
        .where(eq(tickets.id, ticket.id));
      return formatWorkOrderNumber((await createWorkOrderFromTicket(org.ctx("agent"), ticket.number)).number);
    };
    const breached = await fromTicket("Flooded server room", -1);
    const soon = await fromTicket("Chiller alarm", 1);
    const later = await fromTicket("Noisy fan", 10);
    const plain = formatWorkOrderNumber(
      (await createWorkOrder(org.ctx("dispatcher"), { subject: "No SLA" })).number,
    );
    const dispatcher = await signedIn(org, "dispatcher");
    const queued = async (sla: string) => {
      const page = await dispatcher.page(`/fsm/dispatch?sla=${sla}`);
      return [...page.document.querySelectorAll("#queue [data-number]")].map((li) =>
        li.getAttribute("data-number"),
      );
    };
    expect(await queued("breached")).toEqual(expect.arrayContaining([breached]));
    expect(await queued("breached")).not.toContain(soon);
    const within2h = await queued("2h");
    expect(within2h).toEqual(expect.arrayContaining([breached, soon]));
    expect(within2h).not.toContain(later);
    expect(within2h).not.toContain(plain);
    expect(await queued("24h")).toEqual(expect.arrayContaining([breached, soon, later]));
    expect(await queued("")).toEqual(expect.arrayContaining([breached, soon, later, plain]));

    const page = await dispatcher.page("/fsm/dispatch?sla=2h");
    expect(
      page.document.querySelector<HTMLSelectElement>("#sla option[selected]")?.getAttribute("value"),
    ).toBe("2h");
    expect(
      page.document.querySelector(`#queue [data-number="${breached}"] .sla-breached`)?.textContent,
    ).toContain("SLA breached");
    expect(page.document.querySelector(`#queue [data-number="${soon}"] .sla`)?.textContent).toContain(
      "SLA due",
    );
  });
});

describe("customer notices on the work order page", () => {
  test("the confirmation sent for a visit is listed with its channel and recipient", async () => {
    const { db } = await testDatabase();
    const dispatcherCtx = org.ctx("dispatcher");
    const wo = await createWorkOrder(dispatcherCtx, {
      subject: "Confirm me",
      locationId,
      contactId: org.users.customer.contactId,
    });
    const appointment = await scheduleAppointment(dispatcherCtx, wo.id, {
      override: true,
      startsAt: new Date(Date.now() + 86_400_000),
      endsAt: new Date(Date.now() + 90_000_000),
      technicianIds: [org.users.technician.id],
    });
    const dispatcher = await signedIn(org, "dispatcher");
    const number = formatWorkOrderNumber(wo.number);
    const empty = await dispatcher.page(`/fsm/work-orders/${number}`);
    expect(empty.document.querySelector(".customer-notices")).toBeNull();
    expect(await confirmVisit(db, org.orgId, appointment.id, new Date())).toBe("sent");
    const page = await dispatcher.page(`/fsm/work-orders/${number}`);
    const row = page.document.querySelector(
      `.customer-notices .notice-confirmation[data-appointment="${appointment.id}"]`,
    );
    expect(row?.textContent).toContain("Visit confirmed");
    expect(row?.textContent).toContain(`Email ${org.users.customer.email}`);
    const theirs = await signedIn(other, "dispatcher");
    expect((await theirs.get(`/fsm/work-orders/${number}`)).status).toBe(404);
  });
});
