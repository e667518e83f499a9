// The durable job queue (DESIGN.md rule 4): rows in Postgres, claimed with FOR UPDATE SKIP LOCKED
// under a lease, retried with exponential back-off and jitter, dead after their last attempt.
// Works the same on PGlite and on Postgres, and with several app servers claiming at once.
import { sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { jobSchedules, jobs } from "../../../db/schema";
import type { DbOrTx } from "../events/log";

/** NOTIFY channel that wakes idle workers when a job is enqueued. */
export const JOBS_CHANNEL = "product_jobs";

export interface NewJob {
  queue: string;
  payload?: Record<string, unknown>;
  /** Null for maintenance that spans organizations. */
  orgId: string | null;
  runAt?: Date;
  priority?: number;
  maxAttempts?: number;
  /** Unique per queue: a second job with the same key is not created. */
  idempotencyKey?: string;
}

export interface ClaimedJob {
  id: string;
  orgId: string | null;
  queue: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

/**
 * Adds jobs inside the caller's transaction, so a job exists exactly when the change that asked
 * for it commits. Returns how many were created (duplicates by idempotency key are skipped).
 */
export async function enqueue(tx: DbOrTx, now: Date, ...batch: NewJob[]): Promise<number> {
  if (batch.length === 0) return 0;
  const rows = batch.map((job) => ({
    org_id: job.orgId,
    queue: job.queue,
    payload: job.payload ?? {},
    priority: job.priority ?? 0,
    run_at: (job.runAt ?? now).toISOString(),
    max_attempts: job.maxAttempts ?? 8,
    idempotency_key: job.idempotencyKey ?? null,
  }));
  // One statement for the rows and one wake-up per queue; NOTIFY is delivered at commit.
  const result = await tx.execute(sql`
    with added as (
      insert into ${jobs} (org_id, queue, payload, priority, run_at, max_attempts, idempotency_key,
                           created_at, updated_at)
      select x.org_id, x.queue, x.payload, x.priority, x.run_at, x.max_attempts, x.idempotency_key,
             ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as x(
        org_id uuid, queue text, payload jsonb, priority int, run_at timestamptz, max_attempts int,
        idempotency_key text)
      on conflict (queue, idempotency_key) where idempotency_key is not null do nothing
      returning queue
    )
    select count(*)::int as n, (select count(pg_notify(${JOBS_CHANNEL}, q)) from (select distinct queue as q from added) d) as woke
    from added`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}

/** Claims up to `limit` due jobs of one queue for `workerId`, each for `leaseMs`. */
export async function claimJobs(
  db: DbOrTx,
  options: { queue: string; workerId: string; limit: number; leaseMs: number; now: Date },
): Promise<ClaimedJob[]> {
  const now = options.now.toISOString();
  const until = new Date(options.now.getTime() + options.leaseMs).toISOString();
  const result = await db.execute(sql`
    with picked as (
      select id from ${jobs}
      where status = 'queued' and queue = ${options.queue} and run_at <= ${now}::timestamptz
      order by priority desc nulls last, run_at -- the order of the jobs_due index, so no sort
      limit ${options.limit}
      for update skip locked
    )
    update ${jobs} j
    set status = 'running', attempts = j.attempts + 1, locked_by = ${options.workerId},
        locked_until = ${until}::timestamptz, updated_at = ${now}::timestamptz
    from picked where j.id = picked.id
    returning j.id, j.org_id as "orgId", j.queue, j.payload, j.attempts, j.max_attempts as "maxAttempts"`);
  return rowsOf<ClaimedJob>(result).map((job) => ({
    ...job,
    payload: typeof job.payload === "string" ? JSON.parse(job.payload) : job.payload,
  }));
}

/**
 * Marks jobs done in one statement (a worker's jobs that finish together share one commit);
 * jobs the worker no longer holds (its lease ran out and another took them) are left alone.
 * Returns the ids that were marked.
 */
export async function completeJobs(
  db: DbOrTx,
  ids: string[],
  workerId: string,
  now: Date,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const result = await db.execute(sql`
    update ${jobs} set status = 'done', locked_by = null, locked_until = null, last_error = null,
      finished_at = ${now.toISOString()}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
    where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::text::jsonb)::uuid)
      and status = 'running' and locked_by = ${workerId}
    returning id`);
  return rowsOf<{ id: string }>(result).map((row) => row.id);
}

/** Delay before attempt n+1: 2^n seconds from 4 s, capped at an hour, ±25 % jitter so retries spread out. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(3_600_000, 2_000 * 2 ** attempts);
  return Math.round(base * (0.75 + random() * 0.5));
}

/** Records a failure: back to the queue after a back-off, or dead after the last attempt. */
export async function failJob(
  db: DbOrTx,
  job: ClaimedJob,
  workerId: string,
  error: unknown,
  now: Date,
): Promise<"retry" | "dead" | "lost"> {
  const dead = job.attempts >= job.maxAttempts;
  const runAt = new Date(now.getTime() + retryDelayMs(job.attempts));
  const result = await db.execute(sql`
    update ${jobs} set status = ${dead ? "dead" : "queued"}, locked_by = null, locked_until = null,
      run_at = ${runAt.toISOString()}::timestamptz, last_error = ${describeError(error)},
      finished_at = ${dead ? now.toISOString() : null}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
    where id = ${job.id} and status = 'running' and locked_by = ${workerId}
    returning id`);
  if (rowsOf(result).length === 0) return "lost";
  return dead ? "dead" : "retry";
}

/** Hands claimed jobs back untouched (graceful shutdown): they keep their place and this attempt is not counted. */
export async function releaseJobs(db: DbOrTx, ids: string[], workerId: string, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    update ${jobs} set status = 'queued', attempts = greatest(attempts - 1, 0), locked_by = null,
      locked_until = null, updated_at = ${now.toISOString()}::timestamptz
    where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::text::jsonb)::uuid)
      and status = 'running' and locked_by = ${workerId}`);
}

/** Extends the leases of the jobs this worker is still running. */
export async function renewLeases(db: DbOrTx, ids: string[], workerId: string, now: Date, leaseMs: number) {
  const until = new Date(now.getTime() + leaseMs).toISOString();
  await db.execute(sql`
    update ${jobs} set locked_until = ${until}::timestamptz
    where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::text::jsonb)::uuid)
      and status = 'running' and locked_by = ${workerId}`);
}

/**
 * Jobs whose worker stopped holding them (killed, frozen, cut off) go back to the queue, or die
 * when that was their last attempt. Any worker may run this; SKIP LOCKED keeps two from colliding.
 */
export async function recoverExpiredLeases(db: DbOrTx, now: Date): Promise<number> {
  const at = now.toISOString();
  const result = await db.execute(sql`
    with expired as (
      select id from ${jobs} where status = 'running' and locked_until < ${at}::timestamptz
      for update skip locked
    )
    update ${jobs} j
    set status = case when j.attempts >= j.max_attempts then 'dead' else 'queued' end,
        last_error = 'The worker stopped before finishing (lease expired at ' || j.locked_until || ')',
        finished_at = case when j.attempts >= j.max_attempts then ${at}::timestamptz end,
        run_at = ${at}::timestamptz, locked_by = null, locked_until = null, updated_at = ${at}::timestamptz
    from expired where j.id = expired.id
    returning j.id`);
  return rowsOf(result).length;
}

export interface Schedule {
  name: string;
  queue: string;
  everySeconds: number;
  payload?: Record<string, unknown>;
}

/** Registers recurring jobs; a changed interval applies from the next occurrence. */
export async function defineSchedules(db: DbOrTx, schedules: Schedule[], now: Date): Promise<void> {
  for (const s of schedules) {
    await db
      .insert(jobSchedules)
      .values({
        name: s.name,
        queue: s.queue,
        payload: s.payload ?? {},
        everySeconds: s.everySeconds,
        nextRunAt: now,
      })
      .onConflictDoUpdate({
        target: jobSchedules.name,
        set: { queue: s.queue, payload: s.payload ?? {}, everySeconds: s.everySeconds },
      });
  }
}

/**
 * Enqueues each due occurrence of each schedule once, however many servers tick at the same time:
 * the occurrence's time is the job's idempotency key, and the schedule row is locked while it moves
 * on. Occurrences missed while no server ran collapse into one.
 */
export async function enqueueDueSchedules(db: DbOrTx, now: Date): Promise<number> {
  const at = now.toISOString();
  const result = await db.execute(sql`
    with due as (
      select name, queue, payload, every_seconds, next_run_at from ${jobSchedules}
      where next_run_at <= ${at}::timestamptz
      for update skip locked
    ),
    moved as (
      update ${jobSchedules} s
      set next_run_at = due.next_run_at + make_interval(secs => due.every_seconds *
        (floor(extract(epoch from (${at}::timestamptz - due.next_run_at)) / due.every_seconds) + 1))
      from due where s.name = due.name
      returning s.name
    ),
    added as (
      insert into ${jobs} (org_id, queue, payload, run_at, idempotency_key, created_at, updated_at)
      select null, due.queue, due.payload, ${at}::timestamptz,
             'schedule:' || due.name || ':' || to_char(due.next_run_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
             ${at}::timestamptz, ${at}::timestamptz
      from due join moved on moved.name = due.name
      on conflict (queue, idempotency_key) where idempotency_key is not null do nothing
      returning queue
    )
    select count(*)::int as n from added`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}

/** Deletes finished jobs older than the retention; dead ones stay until an admin acts on them. */
export async function deleteFinishedJobs(db: DbOrTx, olderThan: Date): Promise<number> {
  const result = await db.execute(sql`
    delete from ${jobs} where status = 'done' and finished_at < ${olderThan.toISOString()}::timestamptz
    returning id`);
  return rowsOf(result).length;
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 2000);
}
