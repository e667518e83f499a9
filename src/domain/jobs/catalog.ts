// Every queue the product runs and every recurring job, in one place.
import { sql } from "drizzle-orm";
import type { Config } from "../../config";
import { deliverOutboxMessage } from "../email/delivery";
import { SEND_QUEUE } from "../email/outbox";
import { webhookQueue } from "../webhooks/delivery";
import type { Schedule } from "./queue";
import { deleteFinishedJobs } from "./queue";
import type { QueueDefinition } from "./runner";

const DAY_MS = 86_400_000;
/** Finished jobs stay this long for admins to look at; dead ones stay until retried. */
export const FINISHED_JOB_RETENTION_DAYS = 7;

export function productQueues(config: Pick<Config, "smtpUrl" | "webhooksAllowPrivate">): QueueDefinition[] {
  return [
    {
      queue: SEND_QUEUE,
      concurrency: 4,
      timeoutMs: 2 * 60_000,
      async handler(job, ctx) {
        await deliverOutboxMessage(ctx.db, String(job.payload.outboxId), {
          smtpUrl: config.smtpUrl,
          now: ctx.now,
          lastAttempt: job.attempts >= job.maxAttempts,
          automatic: job.payload.automatic === true,
        });
      },
    },
    webhookQueue({ allowPrivate: config.webhooksAllowPrivate }),
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
  ];
}

export const SCHEDULES: Schedule[] = [
  { name: "clean finished jobs", queue: "maintenance.clean_jobs", everySeconds: 3_600 },
  { name: "refresh planner statistics", queue: "maintenance.analyze", everySeconds: 6 * 3_600 },
];
