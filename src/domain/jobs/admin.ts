// What admins see of their organization's jobs at /admin/jobs, and the retry of a dead one.
import { and, count, desc, eq, lt } from "drizzle-orm";
import { JOB_STATUSES, type JobStatus, jobs } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { conflict, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { isUuid } from "../tickets/rules";

export interface JobRow {
  id: string;
  queue: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export function isJobStatus(value: unknown): value is JobStatus {
  return (JOB_STATUSES as readonly unknown[]).includes(value);
}

export async function jobCounts(ctx: Ctx): Promise<Record<JobStatus, number>> {
  requirePermission(ctx.actor, "org.admin");
  const rows = await ctx.db
    .select({ status: jobs.status, n: count() })
    .from(jobs)
    .where(eq(jobs.orgId, ctx.actor.orgId))
    .groupBy(jobs.status);
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** The organization's jobs in one status, most recently changed first; `before` pages back. */
export async function listJobs(
  ctx: Ctx,
  options: { status: JobStatus; before?: Date; limit?: number },
): Promise<JobRow[]> {
  requirePermission(ctx.actor, "org.admin");
  return ctx.db
    .select({
      id: jobs.id,
      queue: jobs.queue,
      status: jobs.status,
      attempts: jobs.attempts,
      maxAttempts: jobs.maxAttempts,
      runAt: jobs.runAt,
      lastError: jobs.lastError,
      createdAt: jobs.createdAt,
      updatedAt: jobs.updatedAt,
      finishedAt: jobs.finishedAt,
    })
    .from(jobs)
    .where(
      and(
        eq(jobs.orgId, ctx.actor.orgId),
        eq(jobs.status, options.status),
        options.before ? lt(jobs.updatedAt, options.before) : undefined,
      ),
    )
    .orderBy(desc(jobs.updatedAt))
    .limit(options.limit ?? 50);
}

/** Puts a dead (or waiting) job back at the front of its queue with a fresh set of attempts. */
export async function retryJob(ctx: Ctx, jobId: string): Promise<void> {
  requirePermission(ctx.actor, "org.admin");
  if (!isUuid(jobId)) throw notFound("The job");
  await ctx.db.transaction(async (tx) => {
    const [job] = await tx
      .select({ status: jobs.status, queue: jobs.queue })
      .from(jobs)
      .where(and(eq(jobs.orgId, ctx.actor.orgId), eq(jobs.id, jobId)))
      .for("update");
    if (!job) throw notFound("The job");
    if (job.status === "running" || job.status === "done") {
      throw conflict(`This job is ${job.status}; only dead or waiting jobs can be retried.`);
    }
    await tx
      .update(jobs)
      .set({
        status: "queued",
        attempts: 0,
        runAt: ctx.now,
        lastError: null,
        finishedAt: null,
        updatedAt: ctx.now,
      })
      .where(and(eq(jobs.orgId, ctx.actor.orgId), eq(jobs.id, jobId)));
    await appendEvent(tx, ctx, { type: "job.retried", data: { jobId, queue: job.queue } });
  });
}
