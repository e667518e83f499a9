// "Optimize this day" through HTTP, as a browser without JavaScript uses it: start from the board,
// the run's page while it searches (refreshing itself) and its progress stream, the proposal with
// Apply and Discard, the stale refusal, and who may see a run (others get 403, other orgs 404).
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { appointments, serviceLocations, technicians, zones } from "../../db/schema";
import { type Client, createOrg, type Fixture, parse, signedIn } from "../../test/helpers";
import { runOptimizerJob } from "../domain/dispatch/optimizerRuns";
import { formatWorkOrderNumber } from "../domain/fsm/rules";
import { createWorkOrder, scheduleAppointment } from "../domain/fsm/workOrders";
import { TravelMatrixCache } from "../domain/routing";

// A Monday far ahead, so it is never in the past and the Monday-to-Friday shift applies.
const DAY = "2030-01-07";

let org: Fixture;
let other: Fixture;
let dispatcher: Client;
let techUserId: string;
let locationId: string;

beforeAll(async () => {
  org = await createOrg("OptimizeRoutes");
  other = await createOrg("OptimizeOther");
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

async function waiting(subject: string) {
  return createWorkOrder(org.ctx("dispatcher"), { subject, locationId });
}

async function start(fields: Record<string, string | string[]> = {}) {
  const response = await dispatcher.post("/fsm/dispatch/runs", {
    day: DAY,
    scope: "all",
    timeLimit: "5",
    flex: "120",
    back: `/fsm/dispatch?day=${DAY}`,
    ...fields,
  });
  expect(response.status).toBe(303);
  const location = response.headers.get("location") ?? "";
  expect(location).toMatch(/^\/fsm\/dispatch\/runs\/[\w-]+\?notice=started$/);
  return location.split("/").pop()!.split("?")[0];
}

async function finish(runId: string) {
  await runOptimizerJob(
    { orgId: org.orgId, payload: { runId } },
    { db: org.ctx("admin").db, now: new Date(), signal: new AbortController().signal },
    { travel: new TravelMatrixCache({}), maxIterations: 200, lastAttempt: true },
  );
}

async function firstChunk(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  const { value } = await reader.read();
  await reader.cancel();
  return new TextDecoder().decode(value);
}

describe("optimize this day", () => {
  test("the board offers the form with a checkbox per technician; ticking none for 'ticked' is an error", async () => {
    const board = parse(await (await dispatcher.get(`/fsm/dispatch?day=${DAY}`)).text());
    expect(board.querySelector("#optimize-form")?.getAttribute("action")).toBe("/fsm/dispatch/runs");
    const box = board.querySelector(
      `[data-technician="${techUserId}"] input[type=checkbox][form="optimize-form"]`,
    );
    expect(box?.getAttribute("value")).toBe(techUserId);

    const response = await dispatcher.post("/fsm/dispatch/runs", {
      day: DAY,
      scope: "selected",
      timeLimit: "30",
      flex: "240",
      back: `/fsm/dispatch?day=${DAY}`,
    });
    expect(response.status).toBe(422);
    const page = parse(await response.text());
    expect(page.querySelector("#technicianIds-error")?.textContent).toContain("Tick the technicians");
    // What was chosen is kept.
    expect(page.querySelector("#timeLimit option[selected]")?.getAttribute("value")).toBe("30");
    expect(page.querySelector("#flex option[selected]")?.getAttribute("value")).toBe("240");

    const past = await dispatcher.post("/fsm/dispatch/runs", {
      day: "2020-01-06",
      scope: "selected",
      technicianId: techUserId,
      back: "/fsm/dispatch?day=2020-01-06",
    });
    expect(past.status).toBe(422);
    const pastPage = parse(await past.text());
    expect(pastPage.querySelector("#day-error")?.textContent).toContain("That day is over");
    expect(
      pastPage.querySelector(`input[form="optimize-form"][value="${techUserId}"]`)?.hasAttribute("checked"),
    ).toBe(true);
  });

  test("start, progress, proposal, apply: the board then shows the visit", async () => {
    const wo = await waiting("Aircon service");
    const number = formatWorkOrderNumber(wo.number);
    const runId = await start({ scope: "selected", technicianId: techUserId });

    const running = await dispatcher.page(`/fsm/dispatch/runs/${runId}?notice=started`);
    expect(running.status).toBe(200);
    expect(running.document.querySelector("#run-status")?.textContent).toBe("running");
    const progress = running.document.querySelector("#run-progress");
    expect(progress?.getAttribute("data-progress-url")).toBe(`/fsm/dispatch/runs/${runId}/progress`);
    expect(running.document.querySelector("#run-progress noscript")?.innerHTML).toContain(
      'http-equiv="refresh"',
    );
    expect(
      running.document.querySelector(`form[action="/fsm/dispatch/runs/${runId}/discard"]`),
    ).not.toBeNull();

    const stream = await dispatcher.get(`/fsm/dispatch/runs/${runId}/progress`);
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    const opening = await firstChunk(stream);
    expect(opening).toContain("event: progress");
    expect(opening).not.toContain("event: done");

    await finish(runId);
    const done = await dispatcher.page(`/fsm/dispatch/runs/${runId}`);
    expect(done.document.querySelector("#run-status")?.textContent).toBe("done");
    expect(done.document.querySelector("#run-progress")).toBeNull();
    const assigned = done.document.querySelector('[data-metric="Jobs assigned"]');
    expect([...assigned!.querySelectorAll("td")].map((td) => td.textContent)).toEqual(["0", "1"]);
    const stop = done.document.querySelector(
      `.run-route[data-technician="${techUserId}"] li[data-number="${number}"]`,
    );
    expect(stop?.textContent).toContain("New visit");
    expect(await firstChunk(await dispatcher.get(`/fsm/dispatch/runs/${runId}/progress`))).toContain(
      "event: done",
    );

    const applied = await dispatcher.post(`/fsm/dispatch/runs/${runId}/apply`);
    expect(applied.status).toBe(303);
    expect(applied.headers.get("location")).toBe(`/fsm/dispatch?day=${DAY}&notice=optimized`);
    const board = parse(await (await dispatcher.get(`/fsm/dispatch?day=${DAY}&notice=optimized`)).text());
    expect(board.querySelector(".alert.ok")?.textContent).toContain("applied");
    expect(
      board.querySelector(`[data-technician="${techUserId}"] .board-visit[data-number="${number}"]`),
    ).not.toBeNull();
    expect(board.querySelector(`.run-list a[href="/fsm/dispatch/runs/${runId}"]`)).not.toBeNull();

    const again = await dispatcher.post(`/fsm/dispatch/runs/${runId}/apply`);
    expect(again.status).toBe(409);
    expect(parse(await again.text()).querySelector(".alert.error")?.textContent).toContain(
      "already been applied",
    );
  });

  test("a stale proposal is refused with what changed and an offer to run again; discard drops it", async () => {
    const wo = await waiting("Fridge check");
    const booked = await waiting("Booked visit");
    const visit = await scheduleAppointment(org.ctx("dispatcher"), booked.number, {
      override: true,
      startsAt: new Date(`${DAY}T10:00:00+08:00`),
      endsAt: new Date(`${DAY}T11:00:00+08:00`),
      technicianIds: [techUserId],
    });
    const runId = await start();
    await finish(runId);
    await org
      .ctx("admin")
      .db.update(appointments)
      .set({
        startsAt: new Date(`${DAY}T12:00:00+08:00`),
        endsAt: new Date(`${DAY}T13:00:00+08:00`),
        updatedAt: new Date(),
      })
      .where(eq(appointments.id, visit.id));

    const refused = await dispatcher.post(`/fsm/dispatch/runs/${runId}/apply`);
    expect(refused.status).toBe(409);
    const page = parse(await refused.text());
    expect(page.querySelector(".stale li")?.textContent).toContain(formatWorkOrderNumber(booked.number));
    const rerun = page.querySelector('.stale form[action="/fsm/dispatch/runs"]');
    expect(rerun?.querySelector('input[name="technicianId"]')?.getAttribute("value")).toBe(techUserId);
    const board = parse(await (await dispatcher.get(`/fsm/dispatch?day=${DAY}`)).text());
    expect(board.querySelector(`#queue [data-number="${formatWorkOrderNumber(wo.number)}"]`)).not.toBeNull();

    const discarded = await dispatcher.post(`/fsm/dispatch/runs/${runId}/discard`);
    expect(discarded.status).toBe(303);
    expect(discarded.headers.get("location")).toBe(`/fsm/dispatch?day=${DAY}&notice=discarded`);
    const after = await dispatcher.page(`/fsm/dispatch/runs/${runId}`);
    expect(after.document.querySelector("#run-status")?.textContent).toBe("discarded");
    expect(after.document.querySelector(`form[action="/fsm/dispatch/runs/${runId}/apply"]`)).toBeNull();
  });

  test("agents and technicians are refused; another organization's run is not found", async () => {
    await waiting("Permission check");
    const runId = await start();
    for (const role of ["agent", "technician"] as const) {
      const client = await signedIn(org, role);
      expect((await client.get(`/fsm/dispatch/runs/${runId}`)).status).toBe(403);
      expect((await client.post(`/fsm/dispatch/runs/${runId}/apply`)).status).toBe(403);
      expect((await client.post("/fsm/dispatch/runs", { day: DAY, scope: "all" })).status).toBe(403);
    }
    const outsider = await signedIn(other, "dispatcher");
    expect((await outsider.get(`/fsm/dispatch/runs/${runId}`)).status).toBe(404);
    expect((await outsider.get(`/fsm/dispatch/runs/${runId}/progress`)).status).toBe(404);
    expect((await outsider.post(`/fsm/dispatch/runs/${runId}/apply`)).status).toBe(404);
    expect((await outsider.post(`/fsm/dispatch/runs/${runId}/discard`)).status).toBe(404);
    expect((await dispatcher.get(`/fsm/dispatch/runs/${runId}`)).status).toBe(200);
    expect((await dispatcher.get("/fsm/dispatch/runs/not-a-uuid")).status).toBe(404);
  });
});
