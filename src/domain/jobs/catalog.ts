// Every queue the product runs and every recurring job, in one place.
import { sql } from "drizzle-orm";
import type { Config } from "../../config";
import { sweepSla } from "../sla/sweep";
import { refreshOrgSla } from "../sla/tickets";
import type { Schedule } from "./queue";
import { deleteFinishedJobs } from "./queue";
import type { QueueDefinition } from "./runner";

const DAY_MS = 86_400_000;
/** Finished jobs stay this long for admins to look at; dead ones stay until retried. */
export const FINISHED_JOB_RETENTION_DAYS = 7;

export function productQueues(_config: Pick<Config, "smtpUrl">): QueueDefinition[] {
  return [
    {
      queue: "maintenance.clean_jobs",
      concurrency: 1,
      async handler(_job, ctx) {
        await deleteFinishedJobs(ctx.db, new Date(ctx.now.getTime() - FINISHED_JOB_RETENTION_DAYS * DAY_MS));
      },
    },
    {
      // The embedded database has no autovacuum daemon to keep planner statistics fresh.
      queue: "maintenance.analyze",
      concurrency: 1,
      timeoutMs: 30 * 60_000,
      async handler(_job, ctx) {
        await ctx.db.execute(sql`analyze`);
      },
    },
    {
      // Escalation steps that have come due, each recorded once (see src/domain/sla/sweep.ts).
      queue: "sla.sweep",
      concurrency: 1,
      timeoutMs: 10 * 60_000,
      async handler(_job, ctx) {
        await sweepSla(ctx.db, ctx.now, { signal: ctx.signal });
      },
    },
    {
      // A policy or calendar changed: the open tickets of its organization get new due times.
      queue: "sla.recompute",
      concurrency: 1,
      timeoutMs: 30 * 60_000,
      async handler(job, ctx) {
        const orgId = job.orgId ?? String(job.payload.orgId ?? "");
        if (orgId) await refreshOrgSla(ctx.db, orgId, ctx.now);
      },
    },
  ];
}

export const SCHEDULES: Schedule[] = [
  { name: "clean finished jobs", queue: "maintenance.clean_jobs", everySeconds: 3_600 },
  { name: "refresh planner statistics", queue: "maintenance.analyze", everySeconds: 6 * 3_600 },
  { name: "sla sweep", queue: "sla.sweep", everySeconds: 60 },
];
