// "Optimize this day": the problem read from the day's rows (locked visits, skills with levels and
// certifications, shifts, crews), a run through the worker, the stale check, and apply in one
// transaction that keeps started visits where they are.
import { describe, expect, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import {
  appointments,
  appointmentTechnicians,
  certifications,
  events,
  jobs,
  optimizerRuns,
  serviceLocations,
  skills,
  technicianSkills,
  technicians,
  users,
  workOrders,
} from "../../../db/schema";
import { createOrg, type Fixture } from "../../../test/helpers";
import { createWorkOrder, scheduleAppointment } from "../fsm/workOrders";
import { TravelMatrixCache } from "../routing";
import { type DayJob, loadDayProblem } from "./dayProblem";
import { bookedMetrics, dayPoints, routingInput } from "./dayRouting";
import {
  applyOptimizerRun,
  discardOptimizerRun,
  getOptimizerRun,
  runOptimizerJob,
  startOptimizerRun,
} from "./optimizerRuns";

// Sunday 22 November 2026, 10:00 in Kuala Lumpur: the day optimized is Monday the 23rd.
const NOW = new Date("2026-11-22T02:00:00Z");
const DAY = "2026-11-23";
const at = (hhmm: string, day = DAY) => new Date(`${day}T${hhmm}:00+08:00`);
const seconds = (hhmm: string) => Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3, 5)) * 60;
const travel = new TravelMatrixCache({});

interface Day {
  f: Fixture;
  zoneId: string;
  /** Technicians' user ids: Ann (HVAC level 2, 08:00–17:00) and Ben (no skills, 09:00–18:00). */
  ann: string;
  ben: string;
  hvac: string;
  kl: string;
  dispatcher: (now?: Date) => ReturnType<Fixture["ctx"]>;
}

async function addTechnician(
  f: Fixture,
  name: string,
  values: Partial<typeof technicians.$inferInsert> & { zoneId: string },
) {
  const db = f.ctx("admin").db;
  const [user] = await db
    .insert(users)
    .values({
      orgId: f.orgId,
      email: `${name.toLowerCase()}-${f.orgId}@example.test`,
      name,
      role: "technician",
    })
    .returning();
  const [tech] = await db
    .insert(technicians)
    .values({ orgId: f.orgId, userId: user.id, homeLat: 3.14, homeLng: 101.69, ...values })
    .returning();
  return { userId: user.id, technicianId: tech.id };
}

async function newDay(label: string): Promise<Day> {
  const f = await createOrg(label);
  const db = f.ctx("admin").db;
  const [zone] = rowsOf<{ id: string }>(
    await db.execute(sql`insert into zones (org_id, code, name, lat, lng)
      values (${f.orgId}, 'KUL', 'Kuala Lumpur', 3.14, 101.69) returning id`),
  );
  const ann = await addTechnician(f, "Ann", { zoneId: zone.id, workStartMinute: 480, workEndMinute: 1020 });
  const ben = await addTechnician(f, "Ben", { zoneId: zone.id, workStartMinute: 540, workEndMinute: 1080 });
  const [skill] = await db.insert(skills).values({ orgId: f.orgId, name: "HVAC" }).returning();
  await db
    .insert(technicianSkills)
    .values({ orgId: f.orgId, technicianId: ann.technicianId, skillId: skill.id, level: 2 });
  const [kl] = await db
    .insert(serviceLocations)
    .values({
      orgId: f.orgId,
      name: "KLCC",
      address: "Kuala Lumpur",
      lat: 3.158,
      lng: 101.712,
      zoneId: zone.id,
    })
    .returning();
  return {
    f,
    zoneId: zone.id,
    ann: ann.userId,
    ben: ben.userId,
    hvac: skill.id,
    kl: kl.id,
    dispatcher: (now = NOW) => f.ctx("dispatcher", now),
  };
}

async function booked(d: Day, subject: string, userIds: string[], from: string, to: string, extra = {}) {
  const wo = await createWorkOrder(d.dispatcher(), { subject, locationId: d.kl, ...extra });
  const visit = await scheduleAppointment(d.dispatcher(), wo.number, {
    override: true,
    startsAt: at(from),
    endsAt: at(to),
    technicianIds: userIds,
  });
  return { wo, visit };
}

async function setStatus(d: Day, appointmentId: string, status: "on_site" | "completed" | "cannot_complete") {
  await d.f
    .ctx("admin")
    .db.update(appointments)
    .set({ status })
    .where(and(eq(appointments.orgId, d.f.orgId), eq(appointments.id, appointmentId)));
}

async function runToEnd(d: Day, runId: string) {
  await runOptimizerJob(
    { orgId: d.f.orgId, payload: { runId } },
    { db: d.f.ctx("admin").db, now: NOW, signal: new AbortController().signal },
    { travel, maxIterations: 300, lastAttempt: true },
  );
  return getOptimizerRun(d.dispatcher(), runId);
}

const keyOf = (job: { appointmentId: string | null; workOrderId: string }) =>
  job.appointmentId ?? job.workOrderId;
const stopsOf = (run: Awaited<ReturnType<typeof getOptimizerRun>>, userId: string) =>
  run.proposal?.routes.find((r) => r.userId === userId)?.stops ?? [];
const jobFor = (run: Awaited<ReturnType<typeof getOptimizerRun>>, key: string): DayJob =>
  run.problem.jobs.find((j) => j.key === key)!;

async function visitsOf(d: Day, workOrderId: string) {
  const db = d.f.ctx("admin").db;
  return db
    .select({ id: appointments.id, startsAt: appointments.startsAt, userId: appointmentTechnicians.userId })
    .from(appointments)
    .innerJoin(
      appointmentTechnicians,
      and(
        eq(appointmentTechnicians.orgId, appointments.orgId),
        eq(appointmentTechnicians.appointmentId, appointments.id),
      ),
    )
    .where(and(eq(appointments.orgId, d.f.orgId), eq(appointments.workOrderId, workOrderId)));
}

describe("loadDayProblem", () => {
  test("started and finished visits are locked, booked ones may move within the flex, cancelled ones are out", async () => {
    const d = await newDay("OptLoad");
    const onSite = await booked(d, "On site", [d.ann], "09:00", "10:00");
    await setStatus(d, onSite.visit.id, "on_site");
    const done = await booked(d, "Finished", [d.ann], "08:00", "08:45");
    await setStatus(d, done.visit.id, "completed");
    const later = await booked(d, "Later", [d.ann], "14:00", "15:30");
    const failed = await booked(d, "Could not", [d.ben], "11:00", "12:00");
    await setStatus(d, failed.visit.id, "cannot_complete");
    const crew = await booked(d, "Two-person lift", [d.ann, d.ben], "16:00", "17:00");

    const { problem, basis } = await loadDayProblem(
      d.dispatcher(),
      { day: DAY, userIds: [], flexMinutes: 60 },
      "Asia/Kuala_Lumpur",
    );
    const byVisit = (id: string) => problem.jobs.filter((j) => j.appointmentId === id);
    expect(byVisit(onSite.visit.id)).toEqual([
      expect.objectContaining({ kind: "locked", lock: { userId: d.ann, start: seconds("09:00") } }),
    ]);
    expect(byVisit(done.visit.id)[0].lock).toEqual({ userId: d.ann, start: seconds("08:00") });
    expect(byVisit(later.visit.id)).toEqual([
      expect.objectContaining({
        kind: "booked",
        lock: null,
        duration: 90 * 60,
        windows: [{ start: seconds("13:00"), end: seconds("15:00") }],
        current: { userIds: [d.ann], start: seconds("14:00"), end: seconds("15:30") },
      }),
    ]);
    expect(byVisit(failed.visit.id)).toEqual([]);
    // A crew's visit holds its time in each member's day.
    expect(
      byVisit(crew.visit.id)
        .map((j) => j.lock?.userId)
        .sort(),
    ).toEqual([d.ann, d.ben].sort());
    expect(Object.keys(basis.appointments).sort()).toEqual(
      [onSite.visit.id, done.visit.id, later.visit.id, crew.visit.id].sort(),
    );
  });

  test("skills carry levels, an expired certification drops its skill, shifts and days off come from the profile", async () => {
    const d = await newDay("OptSkills");
    const db = d.f.ctx("admin").db;
    const [gas] = await db.insert(skills).values({ orgId: d.f.orgId, name: "Gas" }).returning();
    const [annTech] = await db.select().from(technicians).where(eq(technicians.userId, d.ann));
    await db
      .insert(technicianSkills)
      .values({ orgId: d.f.orgId, technicianId: annTech.id, skillId: gas.id, level: 3 });
    await db
      .insert(certifications)
      .values({ orgId: d.f.orgId, technicianId: annTech.id, name: "Gas", expiresOn: "2026-11-01" });
    const weekendOnly = await addTechnician(d.f, "Wes", { zoneId: d.zoneId, workDays: [6, 7] });
    const chiller = await createWorkOrder(d.dispatcher(), {
      subject: "Chiller",
      locationId: d.kl,
      skillIds: [d.hvac],
      minLevel: 2,
    });

    const { problem } = await loadDayProblem(
      d.dispatcher(),
      { day: DAY, userIds: [], flexMinutes: 120 },
      "Asia/Kuala_Lumpur",
    );
    const ann = problem.technicians.find((t) => t.userId === d.ann)!;
    expect(ann.skills.sort()).toEqual([`${d.hvac}@1`, `${d.hvac}@2`]);
    expect(ann).toMatchObject({ shiftStart: seconds("08:00"), shiftEnd: seconds("17:00"), maxJobs: 6 });
    expect(problem.technicians.find((t) => t.userId === d.ben)?.shiftStart).toBe(seconds("09:00"));
    expect(problem.technicians.map((t) => t.userId)).not.toContain(weekendOnly.userId);
    expect(problem.absent).toEqual([
      { userId: weekendOnly.userId, name: "Wes", reason: "Does not work on this weekday." },
    ]);
    const job = problem.jobs.find((j) => j.workOrderId === chiller.id)!;
    expect(job).toMatchObject({
      kind: "waiting",
      skills: [`${d.hvac}@2`],
      windows: null,
      duration: 120 * 60,
    });

    // On the day itself nothing new is planned before now (07:30 here).
    const today = await loadDayProblem(
      d.dispatcher(new Date("2026-11-22T23:30:00Z")),
      { day: DAY, userIds: [d.ann], flexMinutes: 120 },
      "Asia/Kuala_Lumpur",
    );
    expect(today.problem.technicians.map((t) => t.userId)).toEqual([d.ann]);
    expect(today.problem.jobs.find((j) => j.workOrderId === chiller.id)?.windows?.[0].start).toBe(
      seconds("07:30"),
    );
  });

  test("a locked visit before the shift stretches it, and the day as booked is measured with travel", async () => {
    const d = await newDay("OptShift");
    const early = await booked(d, "Early start", [d.ann], "07:00", "07:30");
    await setStatus(d, early.visit.id, "on_site");
    await booked(d, "Booked", [d.ann], "10:00", "11:00");
    const { problem } = await loadDayProblem(
      d.dispatcher(),
      { day: DAY, userIds: [d.ann], flexMinutes: 60 },
      "Asia/Kuala_Lumpur",
    );
    const matrix = await travel.matrixFor(dayPoints(problem));
    const input = routingInput(problem, matrix);
    expect(input.technicians[0].shift.start).toBeLessThan(seconds("07:00"));
    expect(input.technicians[0].shift.end).toBe(seconds("17:00"));
    expect(input.jobs.find((j) => j.lock)?.lock).toEqual({
      technicianId: d.ann,
      startTime: seconds("07:00"),
    });
    const before = bookedMetrics(problem, matrix);
    expect(before).toMatchObject({ assigned: 2, leftOut: 0, lateness: 0, technicians: 1 });
    expect(before.travel).toBeGreaterThan(0);
  });
});

describe("an optimizer run", () => {
  test("starts at once with a queued job, then proposes a plan that keeps locked visits and respects skills", async () => {
    const d = await newDay("OptRun");
    const onSite = await booked(d, "On site", [d.ann], "09:00", "10:00");
    await setStatus(d, onSite.visit.id, "on_site");
    const chiller = await createWorkOrder(d.dispatcher(), {
      subject: "Chiller",
      locationId: d.kl,
      skillIds: [d.hvac],
      minLevel: 2,
      priority: "urgent",
    });
    const filter = await createWorkOrder(d.dispatcher(), { subject: "Filter", locationId: d.kl });

    const { id } = await startOptimizerRun(d.dispatcher(), {
      day: DAY,
      userIds: [],
      timeLimit: "5",
      flex: "120",
    });
    const started = await getOptimizerRun(d.dispatcher(), id);
    expect(started.status).toBe("running");
    expect(started.proposal).toBeNull();
    const [queued] = await d.f
      .ctx("admin")
      .db.select()
      .from(jobs)
      .where(and(eq(jobs.queue, "dispatch.optimize"), sql`${jobs.payload}->>'runId' = ${id}`));
    expect(queued.orgId).toBe(d.f.orgId);

    const run = await runToEnd(d, id);
    expect(run.status).toBe("done");
    const locked = stopsOf(run, d.ann).find((s) => s.key === `a:${onSite.visit.id}`);
    expect(locked?.start).toBe(seconds("09:00"));
    // Only Ann holds HVAC at level 2.
    expect(stopsOf(run, d.ann).map((s) => s.key)).toContain(`w:${chiller.id}`);
    expect([...stopsOf(run, d.ann), ...stopsOf(run, d.ben)].map((s) => s.key)).toContain(`w:${filter.id}`);
    expect(run.proposal?.leftOut).toEqual([]);
    expect(run.before).toMatchObject({ assigned: 1, leftOut: 2 });
    expect(run.after).toMatchObject({ assigned: 3, leftOut: 0 });
    expect(run.progress?.assigned).toBe(3);
  });

  test("a job nobody is skilled for is left out with the optimizer's reason", async () => {
    const d = await newDay("OptReason");
    const db = d.f.ctx("admin").db;
    const [rare] = await db.insert(skills).values({ orgId: d.f.orgId, name: "Lift" }).returning();
    const lift = await createWorkOrder(d.dispatcher(), {
      subject: "Lift",
      locationId: d.kl,
      skillIds: [rare.id],
    });
    const { id } = await startOptimizerRun(d.dispatcher(), {
      day: DAY,
      userIds: [],
      timeLimit: "5",
      flex: "120",
    });
    const run = await runToEnd(d, id);
    expect(run.proposal?.leftOut).toEqual([{ key: `w:${lift.id}`, reason: "no_skilled_technician" }]);
  });

  test("a day in the past or technicians of another organization are refused", async () => {
    const d = await newDay("OptInvalid");
    const other = await newDay("OptOther");
    await createWorkOrder(other.dispatcher(), { subject: "Theirs", locationId: other.kl });
    await expect(
      startOptimizerRun(d.dispatcher(), { day: "2026-11-20", userIds: [], timeLimit: "5", flex: "120" }),
    ).rejects.toMatchObject({ status: 422, fields: { day: expect.any(String) } });
    await expect(
      startOptimizerRun(d.dispatcher(), { day: DAY, userIds: [other.ann], timeLimit: "5", flex: "120" }),
    ).rejects.toMatchObject({ status: 422, fields: { technicianIds: expect.any(String) } });
    await expect(
      startOptimizerRun(d.dispatcher(), { day: DAY, userIds: [], timeLimit: "7", flex: "120" }),
    ).rejects.toMatchObject({ status: 422, fields: { timeLimit: expect.any(String) } });
    await expect(
      startOptimizerRun(d.f.ctx("agent", NOW), { day: DAY, userIds: [], timeLimit: "5", flex: "120" }),
    ).rejects.toMatchObject({ status: 403 });
  });

  test("discarding a run before it runs means the job does nothing", async () => {
    const d = await newDay("OptDiscard");
    await createWorkOrder(d.dispatcher(), { subject: "Filter", locationId: d.kl });
    const { id } = await startOptimizerRun(d.dispatcher(), {
      day: DAY,
      userIds: [],
      timeLimit: "5",
      flex: "120",
    });
    await discardOptimizerRun(d.dispatcher(), id);
    const run = await runToEnd(d, id);
    expect(run.status).toBe("discarded");
    expect(run.proposal).toBeNull();
    await expect(applyOptimizerRun(d.dispatcher(), id)).rejects.toMatchObject({ status: 409 });
  });
});

describe("applying a proposal", () => {
  test("writes every visit in one go with events, and the board's data follows", async () => {
    const d = await newDay("OptApply");
    const late = await booked(d, "Booked late", [d.ben], "16:00", "17:00");
    const waiting = await createWorkOrder(d.dispatcher(), { subject: "Waiting", locationId: d.kl });
    const { id } = await startOptimizerRun(d.dispatcher(), {
      day: DAY,
      userIds: [d.ann, d.ben],
      timeLimit: "5",
      flex: "any",
    });
    const run = await runToEnd(d, id);
    expect(run.status).toBe("done");

    const result = await applyOptimizerRun(d.dispatcher(), id);
    expect(result).toMatchObject({ ok: true, scheduled: 1 });
    const [visit] = await visitsOf(d, waiting.id);
    const planned = [...stopsOf(run, d.ann), ...stopsOf(run, d.ben)].find(
      (s) => s.key === `w:${waiting.id}`,
    )!;
    expect(visit.startsAt.getTime()).toBe(at("00:00").getTime() + planned.start * 1000);
    const [wo] = await d.f.ctx("admin").db.select().from(workOrders).where(eq(workOrders.id, waiting.id));
    expect(wo.status).toBe("scheduled");
    const lateStop = [...stopsOf(run, d.ann), ...stopsOf(run, d.ben)].find(
      (s) => s.key === `a:${late.visit.id}`,
    )!;
    const [moved] = await visitsOf(d, late.wo.id);
    expect(moved.startsAt.getTime()).toBe(at("00:00").getTime() + lateStop.start * 1000);

    // Filtered here, not in SQL: on real Postgres the driver stores event data as a JSON string.
    const recorded = (
      await d.f.ctx("admin").db.select().from(events).where(eq(events.orgId, d.f.orgId))
    ).filter((e) => e.data.optimizerRunId === id);
    expect(recorded.map((e) => e.type)).toContain("work_order.scheduled");
    expect((await getOptimizerRun(d.dispatcher(), id)).status).toBe("applied");
    await expect(applyOptimizerRun(d.dispatcher(), id)).rejects.toMatchObject({ status: 409 });
    await expect(discardOptimizerRun(d.dispatcher(), id)).rejects.toMatchObject({ status: 409 });
  });

  test("is refused with what changed when a visit involved moved after the run started; nothing is written", async () => {
    const d = await newDay("OptStale");
    const visit = await booked(d, "Booked", [d.ann], "10:00", "11:00");
    const waiting = await createWorkOrder(d.dispatcher(), { subject: "Waiting", locationId: d.kl });
    const { id } = await startOptimizerRun(d.dispatcher(), {
      day: DAY,
      userIds: [],
      timeLimit: "5",
      flex: "120",
    });
    await runToEnd(d, id);
    // Someone moves the booked visit on the board meanwhile.
    await d.f
      .ctx("admin")
      .db.update(appointments)
      .set({ startsAt: at("12:00"), endsAt: at("13:00"), updatedAt: new Date(NOW.getTime() + 60_000) })
      .where(eq(appointments.id, visit.visit.id));

    const result = await applyOptimizerRun(d.dispatcher(), id);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.changes).toEqual([expect.stringContaining(`${visit.wo.number}`)]);
    expect(await visitsOf(d, waiting.id)).toEqual([]);
    expect((await getOptimizerRun(d.dispatcher(), id)).status).toBe("done");
  });

  test("a visit newly booked on a chosen technician makes the proposal stale too", async () => {
    const d = await newDay("OptStaleNew");
    await createWorkOrder(d.dispatcher(), { subject: "Waiting", locationId: d.kl });
    const { id } = await startOptimizerRun(d.dispatcher(), {
      day: DAY,
      userIds: [d.ann],
      timeLimit: "5",
      flex: "120",
    });
    await runToEnd(d, id);
    await booked(d, "Squeezed in", [d.ann], "13:00", "14:00");
    const result = await applyOptimizerRun(d.dispatcher(), id);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.changes[0]).toContain("was booked on one of these technicians");
  });

  test("a failure half-way rolls back every change made before it", async () => {
    const d = await newDay("OptAtomic");
    const first = await createWorkOrder(d.dispatcher(), { subject: "First", locationId: d.kl });
    const second = await createWorkOrder(d.dispatcher(), { subject: "Second", locationId: d.kl });
    const { id } = await startOptimizerRun(d.dispatcher(), {
      day: DAY,
      userIds: [d.ann],
      timeLimit: "5",
      flex: "120",
    });
    const run = await runToEnd(d, id);
    expect(stopsOf(run, d.ann)).toHaveLength(2);
    // The second stop now names a technician that does not exist: its insert fails after the first one's.
    const proposal = structuredClone(run.proposal!);
    const route = proposal.routes[0];
    proposal.routes.push({ ...route, userId: crypto.randomUUID(), stops: [route.stops[1]] });
    route.stops = [route.stops[0]];
    await d.f
      .ctx("admin")
      .db.update(optimizerRuns)
      .set({ proposal: proposal as unknown as Record<string, unknown> })
      .where(eq(optimizerRuns.id, id));

    await expect(applyOptimizerRun(d.dispatcher(), id)).rejects.toThrow();
    expect(await visitsOf(d, first.id)).toEqual([]);
    expect(await visitsOf(d, second.id)).toEqual([]);
    expect((await getOptimizerRun(d.dispatcher(), id)).status).toBe("done");
  });

  test("re-optimizing after a cancellation and an urgent job keeps the started visit where it is", async () => {
    const d = await newDay("OptReplan");
    const started = await booked(d, "Started", [d.ann], "09:00", "10:30");
    await setStatus(d, started.visit.id, "on_site");
    const cancelled = await booked(d, "Cancelled", [d.ann], "11:00", "12:00");
    await booked(d, "Afternoon", [d.ann], "14:00", "15:00");
    const first = await startOptimizerRun(d.dispatcher(), {
      day: DAY,
      userIds: [d.ann],
      timeLimit: "5",
      flex: "120",
    });
    expect((await applyOptimizerRun(d.dispatcher(), (await runToEnd(d, first.id)).id)).ok).toBe(true);

    // The customer cancels one visit and an urgent job comes in that only Ann can do.
    await setStatus(d, cancelled.visit.id, "cannot_complete");
    const urgent = await createWorkOrder(d.dispatcher(), {
      subject: "Urgent leak",
      locationId: d.kl,
      priority: "urgent",
      skillIds: [d.hvac],
    });
    const before = await d.f
      .ctx("admin")
      .db.select()
      .from(appointments)
      .where(eq(appointments.id, started.visit.id));
    const second = await startOptimizerRun(d.dispatcher(), {
      day: DAY,
      userIds: [],
      timeLimit: "5",
      flex: "120",
    });
    const run = await runToEnd(d, second.id);
    expect(jobFor(run, `a:${started.visit.id}`).kind).toBe("locked");
    expect(stopsOf(run, d.ann).find((s) => s.key === `a:${started.visit.id}`)?.start).toBe(seconds("09:00"));
    expect(stopsOf(run, d.ann).map((s) => s.key)).toContain(`w:${urgent.id}`);
    expect(run.problem.jobs.some((j) => keyOf(j) === cancelled.visit.id)).toBe(false);

    expect((await applyOptimizerRun(d.dispatcher(), second.id)).ok).toBe(true);
    const after = await d.f
      .ctx("admin")
      .db.select()
      .from(appointments)
      .where(eq(appointments.id, started.visit.id));
    expect(after).toEqual(before);
    const [urgentVisit] = await visitsOf(d, urgent.id);
    expect(urgentVisit.userId).toBe(d.ann);
  });
});
