import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { jobs } from "../../../db/schema";
import { createOrg, testDatabase } from "../../../test/helpers";
import { claimJobs, completeJobs, defineSchedules, enqueue, retryDelayMs } from "./queue";
import { type JobHandler, JobRunner } from "./runner";

/** A fresh queue name per test: tests share one database, and each only sees its own jobs. */
const newQueue = () => `test.${crypto.randomUUID()}`;

async function jobsOf(queue: string) {
  const { db } = await testDatabase();
  return db.select().from(jobs).where(eq(jobs.queue, queue)).orderBy(jobs.createdAt);
}

function clockAt(start: string) {
  const clock = {
    now: new Date(start),
    advance: (ms: number) => (clock.now = new Date(clock.now.getTime() + ms)),
  };
  return clock;
}

async function runnerFor(
  queue: string,
  handler: JobHandler,
  clock = clockAt("2026-03-01T00:00:00Z"),
  extra = {},
) {
  const database = await testDatabase();
  return new JobRunner({
    database,
    queues: [{ queue, handler, ...extra }],
    clock: () => clock.now,
    log: () => {},
  });
}

describe("job queue", () => {
  test("a job enqueued in a transaction runs once; the same idempotency key adds nothing", async () => {
    const { db } = await testDatabase();
    const { orgId } = await createOrg("Jobs");
    const queue = newQueue();
    const now = new Date("2026-03-01T00:00:00Z");
    expect(await enqueue(db, now, { queue, orgId, payload: { n: 1 }, idempotencyKey: "k1" })).toBe(1);
    expect(await enqueue(db, now, { queue, orgId, payload: { n: 2 }, idempotencyKey: "k1" })).toBe(0);
    // A rolled-back transaction leaves no job behind.
    await db
      .transaction(async (tx) => {
        await enqueue(tx, now, { queue, orgId, payload: { n: 3 } });
        throw new Error("rollback");
      })
      .catch(() => {});
    const seen: unknown[] = [];
    const runner = await runnerFor(queue, async (job) => {
      seen.push(job.payload);
    });
    await runner.drain();
    expect(seen).toEqual([{ n: 1 }]);
    const [row] = await jobsOf(queue);
    expect(row.status).toBe("done");
    expect(row.attempts).toBe(1);
  });

  test("a failing job is retried after a growing, jittered delay, then succeeds", async () => {
    const { db } = await testDatabase();
    const queue = newQueue();
    const clock = clockAt("2026-03-01T00:00:00Z");
    await enqueue(db, clock.now, { queue, orgId: null });
    let calls = 0;
    const runner = await runnerFor(
      queue,
      async () => {
        if (++calls < 3) throw new Error(`flaky ${calls}`);
      },
      clock,
    );
    await runner.drain();
    let [row] = await jobsOf(queue);
    expect(row.status).toBe("queued");
    expect(row.lastError).toBe("Error: flaky 1");
    const firstDelay = row.runAt.getTime() - clock.now.getTime();
    expect(firstDelay).toBeGreaterThanOrEqual(3_000);
    expect(firstDelay).toBeLessThanOrEqual(5_000);
    await runner.drain(); // not due yet
    expect(calls).toBe(1);
    clock.advance(firstDelay);
    await runner.drain();
    [row] = await jobsOf(queue);
    expect(row.runAt.getTime() - clock.now.getTime()).toBeGreaterThanOrEqual(6_000);
    clock.advance(60_000);
    await runner.drain();
    [row] = await jobsOf(queue);
    expect(calls).toBe(3);
    expect(row.status).toBe("done");
    expect(row.attempts).toBe(3);
    expect(row.lastError).toBeNull();
  });

  test("back-off doubles per attempt within ±25 % and stops growing at an hour", () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(4_000);
    expect(retryDelayMs(2, () => 0.5)).toBe(8_000);
    expect(retryDelayMs(2, () => 0)).toBe(6_000);
    expect(retryDelayMs(2, () => 1)).toBe(10_000);
    expect(retryDelayMs(20, () => 0.5)).toBe(3_600_000);
  });

  test("after its last attempt a job is dead, with the error kept", async () => {
    const { db } = await testDatabase();
    const queue = newQueue();
    const clock = clockAt("2026-03-01T00:00:00Z");
    await enqueue(db, clock.now, { queue, orgId: null, maxAttempts: 2 });
    const runner = await runnerFor(
      queue,
      async () => {
        throw new TypeError("no such mailbox");
      },
      clock,
    );
    await runner.drain();
    clock.advance(3_600_000);
    await runner.drain();
    const [row] = await jobsOf(queue);
    expect(row.status).toBe("dead");
    expect(row.attempts).toBe(2);
    expect(row.lastError).toBe("TypeError: no such mailbox");
    expect(row.finishedAt).not.toBeNull();
  });

  test("a job whose worker vanished runs again once its lease has expired; the late worker cannot finish it", async () => {
    const { db } = await testDatabase();
    const queue = newQueue();
    const clock = clockAt("2026-03-01T00:00:00Z");
    await enqueue(db, clock.now, { queue, orgId: null });
    const [lost] = await claimJobs(db, {
      queue,
      workerId: "gone",
      limit: 5,
      leaseMs: 30_000,
      now: clock.now,
    });
    expect(lost.attempts).toBe(1);
    let runs = 0;
    const runner = await runnerFor(
      queue,
      async () => {
        runs++;
      },
      clock,
    );
    expect(await runner.recover()).toBe(0); // still leased
    await runner.drain();
    expect(runs).toBe(0);
    clock.advance(30_001);
    expect(await runner.recover()).toBe(1);
    await runner.drain();
    expect(runs).toBe(1);
    const [row] = await jobsOf(queue);
    expect(row.status).toBe("done");
    expect(row.attempts).toBe(2);
    expect(await completeJobs(db, [lost.id], "gone", clock.now)).toEqual([]);
  });

  test("a queue never runs more jobs at once than its concurrency", async () => {
    const { db } = await testDatabase();
    const queue = newQueue();
    const now = new Date("2026-03-01T00:00:00Z");
    await enqueue(db, now, ...Array.from({ length: 7 }, (_, i) => ({ queue, orgId: null, payload: { i } })));
    let active = 0;
    let peak = 0;
    const runner = await runnerFor(
      queue,
      async () => {
        peak = Math.max(peak, ++active);
        await Bun.sleep(5);
        active--;
      },
      clockAt("2026-03-01T00:00:00Z"),
      { concurrency: 2 },
    );
    await runner.drain();
    expect(peak).toBe(2);
    expect((await jobsOf(queue)).every((j) => j.status === "done")).toBe(true);
  });

  test("higher priority runs first among due jobs", async () => {
    const { db } = await testDatabase();
    const queue = newQueue();
    const now = new Date("2026-03-01T00:00:00Z");
    await enqueue(
      db,
      now,
      { queue, orgId: null, payload: { name: "low" } },
      { queue, orgId: null, payload: { name: "high" }, priority: 10 },
    );
    const order: unknown[] = [];
    const runner = await runnerFor(
      queue,
      async (job) => void order.push(job.payload.name),
      clockAt(now.toISOString()),
      {
        concurrency: 1,
      },
    );
    await runner.drain();
    expect(order).toEqual(["high", "low"]);
  });

  test("a job over its time limit is aborted and counted as a failure", async () => {
    const { db } = await testDatabase();
    const queue = newQueue();
    await enqueue(db, new Date("2026-03-01T00:00:00Z"), { queue, orgId: null });
    let aborted = false;
    const runner = await runnerFor(
      queue,
      (_job, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            resolve();
          });
        }),
      clockAt("2026-03-01T00:00:00Z"),
      { timeoutMs: 30 },
    );
    await runner.drain();
    expect(aborted).toBe(true);
    const [row] = await jobsOf(queue);
    expect(row.status).toBe("queued");
    expect(row.lastError).toBe("Error: Timed out after 30 ms");
  });

  test("shutting down hands back unfinished jobs without counting the attempt", async () => {
    const { db } = await testDatabase();
    const queue = newQueue();
    await enqueue(db, new Date(), { queue, orgId: null });
    let release: () => void = () => {};
    let started: () => void = () => {};
    const begun = new Promise<void>((resolve) => (started = resolve));
    const database = await testDatabase();
    const runner = new JobRunner({
      database,
      log: () => {},
      queues: [
        {
          queue,
          handler: () =>
            new Promise<void>((resolve) => {
              release = resolve;
              started();
            }),
        },
      ],
    });
    await runner.start();
    await begun;
    await runner.stop(20);
    release();
    const [row] = await jobsOf(queue);
    expect(row.status).toBe("queued");
    expect(row.attempts).toBe(0);
    expect(row.lockedBy).toBeNull();
  });

  test("each occurrence of a schedule is enqueued once, however many servers tick", async () => {
    const { db } = await testDatabase();
    const queue = newQueue();
    const name = `every-minute-${queue}`;
    const clock = clockAt("2026-03-01T00:00:00Z");
    await defineSchedules(db, [{ name, queue, everySeconds: 60 }], clock.now);
    const runs: string[] = [];
    const a = await runnerFor(queue, async (job) => void runs.push(job.id), clock);
    const b = await runnerFor(queue, async (job) => void runs.push(job.id), clock);
    await Promise.all([a.drain(), b.drain()]);
    expect(runs.length).toBe(1);
    clock.advance(30_000);
    await Promise.all([a.drain(), b.drain()]);
    expect(runs.length).toBe(1);
    clock.advance(30_000);
    await Promise.all([a.drain(), b.drain()]);
    expect(runs.length).toBe(2);
    // Ten minutes with no server running: the missed occurrences collapse into one.
    clock.advance(600_000);
    await Promise.all([a.drain(), b.drain()]);
    expect(runs.length).toBe(3);
    const keys = (await jobsOf(queue)).map((j) => j.idempotencyKey);
    expect(keys).toEqual([
      `schedule:${name}:2026-03-01T00:00:00`,
      `schedule:${name}:2026-03-01T00:01:00`,
      `schedule:${name}:2026-03-01T00:02:00`,
    ]);
    await db.execute(sql`delete from job_schedules where name = ${name}`);
  });
});

// Several processes on one server: only a real Postgres can be shared between them.
describe.skipIf(!process.env.DATABASE_URL)("job queue across processes", () => {
  const worker = join(import.meta.dir, "../../../test/job-worker.ts");
  const spawnWorker = (queue: string, mode: string, leaseMs: number) =>
    Bun.spawn([process.execPath, worker, queue, mode, String(leaseMs)], {
      env: process.env,
      stdout: "inherit",
      stderr: "inherit",
    });

  async function runsOf(queue: string) {
    const { db } = await testDatabase();
    return rowsOf<{ job_id: string; worker: string }>(
      await db.execute(
        sql`select r.job_id, r.worker from job_runs r join jobs j on j.id = r.job_id where j.queue = ${queue}`,
      ),
    );
  }

  test("two app processes run 10,000 jobs, each exactly once", async () => {
    const { db } = await testDatabase();
    await db.execute(sql`create table if not exists job_runs (job_id uuid not null, worker text not null)`);
    const queue = newQueue();
    const batch = Array.from({ length: 10_000 }, (_, i) => ({ queue, orgId: null, payload: { i } }));
    for (let i = 0; i < batch.length; i += 2_000) await enqueue(db, new Date(), ...batch.slice(i, i + 2_000));
    const processes = [spawnWorker(queue, "record", 60_000), spawnWorker(queue, "record", 60_000)];
    expect(await Promise.all(processes.map((p) => p.exited))).toEqual([0, 0]);
    const runs = await runsOf(queue);
    expect(runs.length).toBe(10_000);
    expect(new Set(runs.map((r) => r.job_id)).size).toBe(10_000);
    expect(new Set(runs.map((r) => r.worker)).size).toBe(2); // both took part
    const rows = await jobsOf(queue);
    expect(rows.every((j) => j.status === "done" && j.attempts === 1)).toBe(true);
  }, 60_000);

  test("a worker killed with SIGKILL mid-job: the job runs again after its lease expires", async () => {
    const { db } = await testDatabase();
    await db.execute(sql`create table if not exists job_runs (job_id uuid not null, worker text not null)`);
    const queue = newQueue();
    await enqueue(db, new Date(), { queue, orgId: null });
    const doomed = spawnWorker(queue, "hang", 1_000);
    while ((await runsOf(queue)).length === 0) await Bun.sleep(20);
    doomed.kill("SIGKILL");
    await doomed.exited;
    const [held] = await jobsOf(queue);
    expect(held.status).toBe("running");
    const runner = new JobRunner({
      database: await testDatabase(),
      log: () => {},
      queues: [{ queue, handler: async () => {} }],
    });
    while ((await runner.recover()) === 0) await Bun.sleep(100);
    await runner.drain();
    const [row] = await jobsOf(queue);
    expect(row.status).toBe("done");
    expect(row.attempts).toBe(2);
  }, 30_000);
});
