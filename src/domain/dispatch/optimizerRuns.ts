// "Optimize this day" on the dispatch board: a dispatcher starts a run (the day's problem is read
// and stored with the data version it is based on), a job runs the optimizer in a Bun Worker and
// records its progress and proposal, and the dispatcher applies it (after checking nothing involved
// changed meanwhile) or discards it. Runs live in optimizer_runs, so any app server can serve them.
import { and, desc, eq, sql } from "drizzle-orm";
import { type OptimizerRunStatus, optimizerRuns, users } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { conflict, type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx, EVENTS_CHANNEL } from "../events/log";
import { instantToLocal } from "../fsm/field";
import { queueConfirmation } from "../fsm/notices";
import { findWorkOrder, setWorkOrderStatus } from "../fsm/workOrders";
import { enqueue } from "../jobs/queue";
import type { JobContext } from "../jobs/runner";
import { organizationTimeZone } from "../orgs/resolve";
import { optimizeInWorker, type SolutionCost, type TravelMatrixCache } from "../routing";
import { isUuid } from "../tickets/rules";
import { insertAppointment, moveAppointment, type Tx } from "./assign";
import {
  type DataBasis,
  type DayJob,
  type DayProblem,
  dayBounds,
  dayVisits,
  loadDayProblem,
  waitingWorkOrders,
} from "./dayProblem";
import {
  bookedMetrics,
  dayPoints,
  type PlanMetrics,
  type Proposal,
  proposalMetrics,
  proposalOf,
  routingInput,
} from "./dayRouting";

export const OPTIMIZE_QUEUE = "dispatch.optimize";
/** Seconds a dispatcher may let the optimizer search. */
export const TIME_LIMITS = [5, 15, 30, 60] as const;
export const DEFAULT_TIME_LIMIT = 15;
/** Minutes a booked visit may move from its time; "any" = anywhere in the technician's day. */
export const FLEX_CHOICES = ["60", "120", "240", "any"] as const;
export const DEFAULT_FLEX = "120";
/** Progress is written (and announced) at most this often. */
const PROGRESS_EVERY_MS = 500;

export interface RunOptions {
  timeLimitSeconds: number;
  flexMinutes: number | null;
}

export interface RunProgress {
  elapsedMs: number;
  iterations: number;
  assigned: number;
  leftOut: number;
  travel: number;
}

export interface StartRunInput {
  day: string;
  userIds: string[];
  zoneId?: string;
  teamId?: string;
  timeLimit: string;
  flex: string;
}

function parseOptions(input: StartRunInput, today: string): RunOptions {
  const fields: FieldErrors = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.day) || Number.isNaN(Date.parse(`${input.day}T00:00:00Z`)))
    fields.day = "Choose a day.";
  else if (input.day < today) fields.day = "That day is over; choose today or a later day.";
  if (!input.userIds.every(isUuid)) fields.technicianIds = "Choose technicians from the board.";
  for (const id of [input.zoneId, input.teamId])
    if (id && !isUuid(id)) fields.technicianIds = "Choose a zone and team from the lists.";
  const timeLimit = Number(input.timeLimit || DEFAULT_TIME_LIMIT);
  if (!(TIME_LIMITS as readonly number[]).includes(timeLimit))
    fields.timeLimit = "Choose how long to search.";
  const flex = input.flex || DEFAULT_FLEX;
  if (!(FLEX_CHOICES as readonly string[]).includes(flex))
    fields.flex = "Choose how far booked visits may move.";
  if (Object.keys(fields).length) throw invalid(fields);
  return { timeLimitSeconds: timeLimit, flexMinutes: flex === "any" ? null : Number(flex) };
}

/**
 * Reads the day's problem for the chosen technicians (or all matching the board's zone and team),
 * stores the run with the data version it is based on and queues the optimizer. Returns at once.
 */
export async function startOptimizerRun(ctx: Ctx, input: StartRunInput): Promise<{ id: string }> {
  requirePermission(ctx.actor, "fsm.manage");
  const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
  const options = parseOptions(input, instantToLocal(ctx.now, timeZone).slice(0, 10));
  const userIds = [...new Set(input.userIds)];
  const { problem, basis } = await ctx.db.transaction(
    (tx) =>
      loadDayProblem(
        ctx,
        {
          day: input.day,
          userIds,
          zoneId: input.zoneId,
          teamId: input.teamId,
          flexMinutes: options.flexMinutes,
        },
        timeZone,
        tx,
      ),
    // One snapshot: the data version stored with the run is the data the problem was read from.
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  if (problem.technicians.length === 0)
    throw invalid(
      { technicianIds: "None of the chosen technicians works that day." },
      "None of the chosen technicians works that day.",
    );
  if (problem.jobs.length === 0)
    throw invalid(
      { technicianIds: "The chosen technicians have nothing booked and nothing is waiting in their zones." },
      "There is nothing to plan for the chosen technicians on that day.",
    );
  return ctx.db.transaction(async (tx) => {
    const [run] = await tx
      .insert(optimizerRuns)
      .values({
        orgId: ctx.actor.orgId,
        day: input.day,
        technicianUserIds: problem.technicians.map((t) => t.userId),
        options: { ...options },
        problem: problem as unknown as Record<string, unknown>,
        basis: basis as unknown as Record<string, unknown>,
        startedBy: ctx.actor.userId!,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning({ id: optimizerRuns.id });
    await enqueue(tx, ctx.now, {
      queue: OPTIMIZE_QUEUE,
      orgId: ctx.actor.orgId,
      payload: { runId: run.id },
      maxAttempts: 2,
      idempotencyKey: run.id,
    });
    await appendEvent(tx, ctx, {
      type: "optimizer_run.started",
      data: {
        runId: run.id,
        day: input.day,
        technicians: problem.technicians.length,
        jobs: problem.jobs.length,
      },
    });
    return run;
  });
}

/** Tells every app server's open progress streams that a run moved on (no event row: progress is not history). */
async function announce(
  db: DbOrTx,
  orgId: string,
  runId: string,
  status: OptimizerRunStatus,
  progress?: RunProgress,
) {
  const payload = {
    orgId,
    seq: 0,
    type: "optimizer_run.progress",
    ticketId: null,
    actorUserId: null,
    runId,
    status,
    progress,
  };
  await db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(payload)})`);
}

function progressOf(
  problem: DayProblem,
  elapsedMs: number,
  iterations: number,
  cost: SolutionCost,
): RunProgress {
  return {
    elapsedMs: Math.round(elapsedMs),
    iterations,
    assigned: problem.jobs.length - cost.unassignedJobs,
    leftOut: cost.unassignedJobs,
    travel: Math.round(cost.travelTime),
  };
}

export interface OptimizeJobOptions {
  travel: TravelMatrixCache;
  /** Stop after this many iterations (repeatable tests); otherwise the run's time limit decides. */
  maxIterations?: number;
  /** Stop early once the best plan has not improved for this long. */
  stallMs?: number;
  lastAttempt: boolean;
}

/**
 * The job: optimizes a running run in a worker thread, writing progress as it goes, and stores the
 * proposal with the before/after figures. A run discarded meanwhile stops the search.
 */
export async function runOptimizerJob(
  job: { orgId: string | null; payload: Record<string, unknown> },
  jobCtx: JobContext,
  options: OptimizeJobOptions,
): Promise<void> {
  const db = jobCtx.db;
  const runId = String(job.payload.runId ?? "");
  if (!job.orgId || !isUuid(runId)) return;
  const orgId = job.orgId;
  const [run] = await db
    .select()
    .from(optimizerRuns)
    .where(and(eq(optimizerRuns.orgId, orgId), eq(optimizerRuns.id, runId)));
  if (run?.status !== "running") return;
  const problem = run.problem as unknown as DayProblem;
  const runOptions = run.options as unknown as RunOptions;
  try {
    const matrix = await options.travel.matrixFor(dayPoints(problem));
    const before = bookedMetrics(problem, matrix);
    const stop = new AbortController();
    const stopOnAbort = () => stop.abort();
    jobCtx.signal.addEventListener("abort", stopOnAbort, { once: true });
    const reporter = progressReporter(
      db,
      orgId,
      runId,
      problem,
      stop,
      options.stallMs ?? stallFor(runOptions),
    );
    const solution = await optimizeInWorker(routingInput(problem, matrix), {
      timeLimitMs: runOptions.timeLimitSeconds * 1000,
      maxIterations: options.maxIterations,
      seed: 1,
      signal: stop.signal,
      onProgress: reporter.report,
    }).finally(async () => {
      jobCtx.signal.removeEventListener("abort", stopOnAbort);
      await reporter.settled();
    });
    const proposal = proposalOf(solution);
    const after = proposalMetrics(problem, proposal);
    const progress = progressOf(problem, solution.stats.elapsedMs, solution.stats.iterations, solution.cost);
    const now = new Date();
    const done = await db
      .update(optimizerRuns)
      .set({
        status: "done",
        proposal: proposal as unknown as Record<string, unknown>,
        beforeMetrics: before as unknown as Record<string, unknown>,
        afterMetrics: after as unknown as Record<string, unknown>,
        progress: progress as unknown as Record<string, unknown>,
        updatedAt: now,
      })
      .where(
        and(eq(optimizerRuns.orgId, orgId), eq(optimizerRuns.id, runId), eq(optimizerRuns.status, "running")),
      )
      .returning({ id: optimizerRuns.id });
    if (done.length) await announce(db, orgId, runId, "done", progress);
  } catch (error) {
    if (options.lastAttempt) {
      const message = error instanceof Error ? error.message : String(error);
      await db
        .update(optimizerRuns)
        .set({ status: "failed", error: message.slice(0, 1000), updatedAt: new Date() })
        .where(
          and(
            eq(optimizerRuns.orgId, orgId),
            eq(optimizerRuns.id, runId),
            eq(optimizerRuns.status, "running"),
          ),
        );
      await announce(db, orgId, runId, "failed");
    }
    throw error;
  }
}

/** A small day is solved long before the limit: stop once a tenth of it (at least 1.5 s) brings nothing better. */
function stallFor(options: RunOptions): number {
  return Math.max(1_500, (options.timeLimitSeconds * 1000) / 10);
}

/**
 * Writes the best plan's figures to the run about twice a second and announces them; stops the
 * search when the run was discarded or the plan has stopped improving. The optimizer reports only
 * improvements, so a timer here keeps the elapsed time moving and notices a stall.
 */
function progressReporter(
  db: DbOrTx,
  orgId: string,
  runId: string,
  problem: DayProblem,
  stop: AbortController,
  stallMs: number,
) {
  const began = performance.now();
  let best: { iterations: number; cost: SolutionCost } | undefined;
  let improvedAt = 0;
  let writing: Promise<void> | undefined;
  const write = async (progress: RunProgress) => {
    const still = await db
      .update(optimizerRuns)
      .set({ progress: progress as unknown as Record<string, unknown>, updatedAt: new Date() })
      .where(
        and(eq(optimizerRuns.orgId, orgId), eq(optimizerRuns.id, runId), eq(optimizerRuns.status, "running")),
      )
      .returning({ id: optimizerRuns.id });
    if (still.length === 0) stop.abort();
    else await announce(db, orgId, runId, "running", progress);
  };
  const timer = setInterval(() => {
    const elapsed = performance.now() - began;
    if (best && elapsed - improvedAt > stallMs) stop.abort();
    if (writing || !best) return;
    writing = write(progressOf(problem, elapsed, best.iterations, best.cost))
      .catch(() => {})
      .finally(() => {
        writing = undefined;
      });
  }, PROGRESS_EVERY_MS);
  return {
    report(progress: { iterations: number; bestCost: SolutionCost }) {
      best = { iterations: progress.iterations, cost: progress.bestCost };
      improvedAt = performance.now() - began;
    },
    async settled() {
      clearInterval(timer);
      await writing;
    },
  };
}

export interface OptimizerRunView {
  id: string;
  day: string;
  status: OptimizerRunStatus;
  options: RunOptions;
  problem: DayProblem;
  progress: RunProgress | null;
  proposal: Proposal | null;
  before: PlanMetrics | null;
  after: PlanMetrics | null;
  error: string | null;
  startedByName: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One run of the actor's organization; another organization's run is "not found". */
export async function getOptimizerRun(ctx: Ctx, runId: string): Promise<OptimizerRunView> {
  requirePermission(ctx.actor, "fsm.manage");
  if (!isUuid(runId)) throw notFound("That optimization");
  const [row] = await ctx.db
    .select({ run: optimizerRuns, startedByName: users.name })
    .from(optimizerRuns)
    .innerJoin(users, and(eq(users.orgId, optimizerRuns.orgId), eq(users.id, optimizerRuns.startedBy)))
    .where(and(eq(optimizerRuns.orgId, ctx.actor.orgId), eq(optimizerRuns.id, runId)));
  if (!row) throw notFound("That optimization");
  const run = row.run;
  return {
    id: run.id,
    day: run.day,
    status: run.status,
    options: run.options as unknown as RunOptions,
    problem: run.problem as unknown as DayProblem,
    progress: run.progress as unknown as RunProgress | null,
    proposal: run.proposal as unknown as Proposal | null,
    before: run.beforeMetrics as unknown as PlanMetrics | null,
    after: run.afterMetrics as unknown as PlanMetrics | null,
    error: run.error,
    startedByName: row.startedByName,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
  };
}

/** The day's latest runs, for the board. */
export async function recentOptimizerRuns(ctx: Ctx, day: string) {
  requirePermission(ctx.actor, "fsm.manage");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return [];
  return ctx.db
    .select({
      id: optimizerRuns.id,
      status: optimizerRuns.status,
      technicians: sql<number>`cardinality(${optimizerRuns.technicianUserIds})`,
      startedByName: users.name,
      createdAt: optimizerRuns.createdAt,
    })
    .from(optimizerRuns)
    .innerJoin(users, and(eq(users.orgId, optimizerRuns.orgId), eq(users.id, optimizerRuns.startedBy)))
    .where(and(eq(optimizerRuns.orgId, ctx.actor.orgId), eq(optimizerRuns.day, day)))
    .orderBy(desc(optimizerRuns.createdAt))
    .limit(5);
}

async function lockRun(tx: Tx, ctx: Ctx, runId: string) {
  if (!isUuid(runId)) throw notFound("That optimization");
  const [run] = await tx
    .select()
    .from(optimizerRuns)
    .where(and(eq(optimizerRuns.orgId, ctx.actor.orgId), eq(optimizerRuns.id, runId)))
    .for("update");
  if (!run) throw notFound("That optimization");
  return run;
}

async function finish(tx: Tx, ctx: Ctx, runId: string, status: "applied" | "discarded") {
  await tx
    .update(optimizerRuns)
    .set({ status, finishedBy: ctx.actor.userId ?? null, finishedAt: ctx.now, updatedAt: ctx.now })
    .where(and(eq(optimizerRuns.orgId, ctx.actor.orgId), eq(optimizerRuns.id, runId)));
  await announce(tx, ctx.actor.orgId, runId, status);
}

const formatNumber = (n: number) => `WO-${String(n).padStart(6, "0")}`;

/**
 * What changed since the run started among the work it planned: visits moved, started, cancelled
 * or newly booked on the chosen technicians that day, and waiting work orders taken or edited.
 * Reads with FOR UPDATE, so nothing changes between this check and the apply's writes.
 */
export async function changesSince(
  tx: Tx,
  ctx: Ctx,
  problem: DayProblem,
  basis: DataBasis,
): Promise<string[]> {
  const orgId = ctx.actor.orgId;
  const userIds = problem.technicians.map((t) => t.userId);
  const zoneIds = [...new Set(problem.technicians.flatMap((t) => (t.zoneId ? [t.zoneId] : [])))];
  const bounds = dayBounds(problem.day, problem.timeZone);
  // The technicians' rows first, as the board's assign does: an assignment or another apply for
  // them waits until this one commits, and then sees its visits.
  if (userIds.length)
    await tx.execute(sql`select id from technicians where org_id = ${orgId}
      and user_id in (${sql.join(
        userIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) order by id for update`);
  const [visits, waiting] = await Promise.all([
    dayVisits(tx, orgId, bounds, userIds, zoneIds, { forUpdate: true }),
    waitingWorkOrders(tx, orgId, [], { ids: Object.keys(basis.workOrders), forUpdate: true }),
  ]);
  const changes: string[] = [];
  const chosen = new Set(userIds);
  const seen = new Set<string>();
  for (const v of visits) {
    seen.add(v.id);
    const was = basis.appointments[v.id];
    if (was === undefined) {
      if (v.crew.split(",").some((id) => chosen.has(id)))
        changes.push(
          `${formatNumber(v.number)} was booked on one of these technicians since the run started.`,
        );
    } else if (was !== v.version)
      changes.push(`${formatNumber(v.number)}'s visit changed since the run started.`);
  }
  const numbers = new Map(problem.jobs.map((j) => [j.appointmentId ?? j.workOrderId, j.number]));
  for (const id of Object.keys(basis.appointments))
    if (!seen.has(id))
      changes.push(
        `${numbers.has(id) ? formatNumber(numbers.get(id)!) : "A"} visit was moved off this day or cancelled.`,
      );
  const current = new Map(waiting.map((w) => [w.id, w.version]));
  for (const [id, version] of Object.entries(basis.workOrders)) {
    if (current.get(id) !== version)
      changes.push(
        `${numbers.has(id) ? formatNumber(numbers.get(id)!) : "A work order"} changed since the run started.`,
      );
  }
  return changes;
}

export type ApplyResult = { ok: true; moved: number; scheduled: number } | { ok: false; changes: string[] };

/**
 * Applies a finished proposal in one transaction: booked visits move to their new technician and
 * time, waiting work orders get visits, locked visits stay. Refused, with what changed, if any of
 * the work involved changed since the run started; nothing is written then.
 */
export async function applyOptimizerRun(ctx: Ctx, runId: string): Promise<ApplyResult> {
  requirePermission(ctx.actor, "fsm.manage");
  return ctx.db.transaction(async (tx) => {
    const run = await lockRun(tx, ctx, runId);
    if (run.status === "applied") throw conflict("This proposal has already been applied.");
    if (run.status !== "done")
      throw conflict(`This optimization is ${run.status}; there is no proposal to apply.`);
    const problem = run.problem as unknown as DayProblem;
    const changes = await changesSince(tx, ctx, problem, run.basis as unknown as DataBasis);
    if (changes.length) return { ok: false as const, changes };
    const proposal = run.proposal as unknown as Proposal;
    const byKey = new Map(problem.jobs.map((j) => [j.key, j]));
    const dayStart = new Date(problem.dayStart).getTime();
    const at = (seconds: number) => new Date(dayStart + seconds * 1000);
    let moved = 0;
    let scheduled = 0;
    for (const route of proposal.routes) {
      for (const stop of route.stops) {
        const job = byKey.get(stop.key);
        if (!job || job.kind === "locked") continue;
        const startsAt = at(stop.start);
        const endsAt = at(stop.start + job.duration);
        if (job.kind === "waiting") {
          await scheduleWaiting(tx, ctx, job, route.userId, startsAt, endsAt, runId);
          scheduled++;
        } else if (await moveBooked(tx, ctx, job, route.userId, { startsAt, endsAt, dayStart }, runId))
          moved++;
      }
    }
    await finish(tx, ctx, runId, "applied");
    await appendEvent(tx, ctx, {
      type: "optimizer_run.applied",
      data: { runId, day: problem.day, moved, scheduled },
    });
    return { ok: true as const, moved, scheduled };
  });
}

async function scheduleWaiting(
  tx: Tx,
  ctx: Ctx,
  job: DayJob,
  userId: string,
  startsAt: Date,
  endsAt: Date,
  runId: string,
) {
  const wo = await findWorkOrder(tx, ctx, job.workOrderId, { forUpdate: true });
  const appointmentId = await insertAppointment(tx, ctx, wo.id, userId, startsAt, endsAt);
  const seq = await appendEvent(tx, ctx, {
    type: "work_order.scheduled",
    ticketId: wo.ticketId,
    data: {
      workOrderId: wo.id,
      number: wo.number,
      appointmentId,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      technicianIds: [userId],
      optimizerRunId: runId,
    },
  });
  await queueConfirmation(tx, ctx, appointmentId, seq);
  if (wo.status === "new" || wo.status === "cannot_complete")
    await setWorkOrderStatus(tx, ctx, wo, "scheduled");
}

/** Moves a booked (or unassigned) visit; false when the proposal keeps it as it is. */
async function moveBooked(
  tx: Tx,
  ctx: Ctx,
  job: DayJob,
  userId: string,
  when: { startsAt: Date; endsAt: Date; dayStart: number },
  runId: string,
): Promise<boolean> {
  const current = job.current;
  const sameTechnician = current?.userIds.length === 1 && current.userIds[0] === userId;
  const from = current
    ? {
        startsAt: new Date(when.dayStart + current.start * 1000),
        endsAt: new Date(when.dayStart + current.end * 1000),
      }
    : null;
  if (sameTechnician && from?.startsAt.getTime() === when.startsAt.getTime()) return false;
  await moveAppointment(tx, ctx, job.appointmentId!, userId, when.startsAt, when.endsAt);
  const seq = await appendEvent(tx, ctx, {
    type: "appointment.moved",
    ticketId: job.ticketId,
    data: {
      workOrderId: job.workOrderId,
      number: job.number,
      appointmentId: job.appointmentId,
      startsAt: when.startsAt.toISOString(),
      endsAt: when.endsAt.toISOString(),
      technicianIds: [userId],
      from: from
        ? {
            startsAt: from.startsAt.toISOString(),
            endsAt: from.endsAt.toISOString(),
            technicianIds: current?.userIds ?? [],
          }
        : { technicianIds: [] },
      optimizerRunId: runId,
    },
  });
  await queueConfirmation(tx, ctx, job.appointmentId!, seq);
  return true;
}

/** Drops a proposal (or stops a running search); an applied one stays applied. */
export async function discardOptimizerRun(ctx: Ctx, runId: string): Promise<void> {
  requirePermission(ctx.actor, "fsm.manage");
  await ctx.db.transaction(async (tx) => {
    const run = await lockRun(tx, ctx, runId);
    if (run.status === "discarded") return;
    if (run.status === "applied")
      throw conflict("This proposal has been applied; it can no longer be discarded.");
    await finish(tx, ctx, runId, "discarded");
  });
}

/** The technicians and options of a run, to start it again on fresh data. */
export function rerunInput(run: OptimizerRunView): StartRunInput {
  const flex = run.options.flexMinutes === null ? "any" : String(run.options.flexMinutes);
  return {
    day: run.day,
    userIds: run.problem.technicians.map((t) => t.userId),
    timeLimit: String(run.options.timeLimitSeconds),
    flex,
  };
}
