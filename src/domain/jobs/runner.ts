// Runs jobs in this app server: claims due jobs of the queues it knows, up to each queue's
// concurrency, keeps their leases alive while they run, retries failures, and on shutdown
// finishes or hands back what it holds. Any number of servers may run one each.
import { hostname } from "node:os";
import type { Database, Db } from "../../../db/client";
import {
  type ClaimedJob,
  claimJobs,
  completeJobs,
  defineSchedules,
  enqueueDueSchedules,
  failJob,
  JOBS_CHANNEL,
  recoverExpiredLeases,
  releaseJobs,
  renewLeases,
  type Schedule,
} from "./queue";

export interface JobContext {
  db: Db;
  now: Date;
  /** Aborted when the job runs past its time limit or the server shuts down. */
  signal: AbortSignal;
}

export type JobHandler = (job: ClaimedJob, ctx: JobContext) => Promise<void>;

export interface QueueDefinition {
  queue: string;
  handler: JobHandler;
  /** Jobs of this queue running at once in this server. */
  concurrency?: number;
  /** How long a job may run before it is aborted and counted as failed. */
  timeoutMs?: number;
}

export interface RunnerOptions {
  database: Database;
  queues: QueueDefinition[];
  schedules?: Schedule[];
  clock?: () => Date;
  /** A claimed job belongs to this worker for this long, renewed while it runs. */
  leaseMs?: number;
  /** How often to look for due jobs when no NOTIFY has woken the runner. */
  pollMs?: number;
  log?: (message: string) => void;
}

interface Running {
  job: ClaimedJob;
  abort: AbortController;
  done: Promise<void>;
}

export class JobRunner {
  readonly workerId = `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  private readonly queues: Map<string, Required<QueueDefinition>>;
  private readonly running = new Map<string, Running>();
  private readonly clock: () => Date;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly log: (message: string) => void;
  private stopping = false;
  private passes: Promise<void> = Promise.resolve();
  private passPending = false;
  /** Queues the pending pass claims from; undefined: all. */
  private wanted: Set<string> | undefined = new Set();
  private schedulesCheckedAt: Date | undefined;
  private timers: ReturnType<typeof setInterval>[] = [];
  private unlisten?: () => Promise<void>;
  private finished: { id: string; settle: (error?: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  constructor(private readonly options: RunnerOptions) {
    this.queues = new Map(
      options.queues.map((q) => [
        q.queue,
        { concurrency: 4, timeoutMs: 5 * 60_000, ...q } as Required<QueueDefinition>,
      ]),
    );
    this.clock = options.clock ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.log = options.log ?? ((message) => console.error(message));
  }

  private get db(): Db {
    return this.options.database.db;
  }

  /** Starts working: registers schedules, listens for new jobs, polls, renews leases. */
  async start(): Promise<void> {
    await defineSchedules(this.db, this.options.schedules ?? [], this.clock());
    this.unlisten = await this.options.database.listen(JOBS_CHANNEL, (queue) => {
      if (this.queues.has(queue)) this.wake(queue);
    });
    this.timers.push(setInterval(() => this.wake(), this.pollMs));
    this.timers.push(setInterval(() => void this.renewLeases(), Math.max(250, this.leaseMs / 3)));
    this.timers.push(setInterval(() => void this.recover(), Math.max(1_000, this.leaseMs / 2)));
    this.wake();
  }

  /**
   * Asks for a pass soon, over one queue (a job of it was queued or finished) or all of them (the
   * poll); requests made while one is waiting to start share it. Claiming from the one queue that
   * changed, not from all twenty-odd, keeps a busy worker from asking hundreds of times a second.
   */
  wake(queue?: string): void {
    if (this.stopping) return;
    if (queue === undefined) this.wanted = undefined;
    else this.wanted?.add(queue);
    if (this.passPending) return;
    this.passPending = true;
    void this.serialized(() => {
      this.passPending = false;
      const queues = this.wanted;
      this.wanted = new Set();
      return this.pass(queues);
    }).catch((error) => this.log(`jobs: pass failed: ${error instanceof Error ? error.message : error}`));
  }

  /** One pass, after any pass already under way: passes never overlap, so slots are never over-counted. */
  tick(): Promise<number> {
    return this.serialized(() => this.pass());
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.passes.then(work);
    this.passes = result.then(
      () => {},
      () => {},
    );
    return result;
  }

  /** Enqueues due schedules, then claims and starts jobs for each queue asked for (all by default) with a free slot. */
  private async pass(only?: Set<string>): Promise<number> {
    if (this.stopping) return 0;
    await this.enqueueSchedulesEverySecond();
    let started = 0;
    for (const definition of this.queues.values()) {
      if (only && !only.has(definition.queue)) continue;
      const free = definition.concurrency - this.countRunning(definition.queue);
      if (free <= 0) continue;
      const claimed = await claimJobs(this.db, {
        queue: definition.queue,
        workerId: this.workerId,
        limit: free,
        leaseMs: this.leaseMs,
        now: this.clock(),
      });
      for (const job of claimed) this.begin(job, definition);
      started += claimed.length;
    }
    return started;
  }

  /** Runs passes until nothing is due and nothing runs (tests, and one-off scripts). */
  async drain(): Promise<void> {
    for (;;) {
      const started = await this.tick();
      if (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
      else if (started === 0) return;
    }
  }

  /** Puts jobs whose worker died back in the queue; also runs on a timer. */
  async recover(): Promise<number> {
    try {
      const recovered = await recoverExpiredLeases(this.db, this.clock());
      if (recovered > 0)
        this.log(`jobs: ${recovered} job(s) returned to the queue after their lease expired`);
      return recovered;
    } catch (error) {
      this.log(`jobs: lease recovery failed: ${error instanceof Error ? error.message : error}`);
      return 0;
    }
  }

  /**
   * Stops claiming, lets running jobs finish for up to `graceMs`, then aborts them and hands
   * back the ones still held so another server can take them at once.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.unlisten?.();
    await this.passes;
    const finished = Promise.all([...this.running.values()].map((r) => r.done));
    await Promise.race([finished, Bun.sleep(graceMs)]);
    const unfinished = [...this.running.values()];
    for (const r of unfinished) r.abort.abort(new Error("The server is shutting down"));
    await releaseJobs(
      this.db,
      unfinished.map((r) => r.job.id),
      this.workerId,
      this.clock(),
    );
  }

  /** Schedules have a resolution of seconds; checking them on every pass would double the queries per job. */
  private async enqueueSchedulesEverySecond(): Promise<void> {
    const now = this.clock();
    if (this.schedulesCheckedAt && now.getTime() - this.schedulesCheckedAt.getTime() < 1_000) return;
    this.schedulesCheckedAt = now;
    await enqueueDueSchedules(this.db, now);
  }

  private countRunning(queue: string): number {
    let n = 0;
    for (const r of this.running.values()) if (r.job.queue === queue) n++;
    return n;
  }

  private begin(job: ClaimedJob, definition: Required<QueueDefinition>): void {
    const abort = new AbortController();
    const done = this.execute(job, definition, abort).finally(() => {
      this.running.delete(job.id);
      this.wake(job.queue);
    });
    this.running.set(job.id, { job, abort, done });
  }

  private async execute(job: ClaimedJob, definition: Required<QueueDefinition>, abort: AbortController) {
    const timer = setTimeout(
      () => abort.abort(new Error(`Timed out after ${definition.timeoutMs} ms`)),
      definition.timeoutMs,
    );
    try {
      await Promise.race([
        definition.handler(job, { db: this.db, now: this.clock(), signal: abort.signal }),
        new Promise((_, reject) => abort.signal.addEventListener("abort", () => reject(abort.signal.reason))),
      ]);
      if (this.stopping && abort.signal.aborted) return; // handed back by stop()
      // A handler that gives up quietly when aborted still ran out of time.
      if (abort.signal.aborted) throw abort.signal.reason;
      await this.markDone(job.id);
    } catch (error) {
      if (this.stopping && abort.signal.aborted) return;
      const outcome = await failJob(this.db, job, this.workerId, error, this.clock());
      this.log(
        `jobs: ${job.queue} ${job.id} attempt ${job.attempts}/${job.maxAttempts} failed (${outcome}): ${error instanceof Error ? error.message : error}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Marks a job done together with the others that finish while a write is under way: one
   * commit for many jobs is what lets a worker keep up with thousands of short jobs a second.
   */
  private markDone(id: string): Promise<void> {
    const marked = new Promise<void>((resolve, reject) => {
      this.finished.push({ id, settle: (error) => (error ? reject(error) : resolve()) });
    });
    this.flushing ??= this.flushFinished().finally(() => {
      this.flushing = undefined;
    });
    return marked;
  }

  private async flushFinished(): Promise<void> {
    while (this.finished.length > 0) {
      const batch = this.finished.splice(0);
      try {
        await completeJobs(
          this.db,
          batch.map((f) => f.id),
          this.workerId,
          this.clock(),
        );
        for (const f of batch) f.settle();
      } catch (error) {
        for (const f of batch) f.settle(error);
      }
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.running.size === 0) return;
    try {
      await renewLeases(this.db, [...this.running.keys()], this.workerId, this.clock(), this.leaseMs);
    } catch (error) {
      this.log(`jobs: lease renewal failed: ${error instanceof Error ? error.message : error}`);
    }
  }
}
