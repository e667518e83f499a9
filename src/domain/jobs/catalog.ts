// Every queue the product runs and every recurring job, in one place.
import { sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import type { Config } from "../../config";
import { ASSIST_SCHEDULES, assistQueues } from "../assist/jobs";
import { deleteOldRateLimits } from "../auth/rateLimit";
import { runTimeRules, TIME_RULES_QUEUE } from "../automation/timeRules";
import { OPTIMIZE_QUEUE, runOptimizerJob } from "../dispatch/optimizerRuns";
import { deliverOutboxMessage } from "../email/delivery";
import { POLL_ALL_QUEUE, POLL_QUEUE, pollMailbox, queueImapPolls } from "../email/imap";
import { acknowledgeQueue } from "../email/inbound";
import { orgForMail, SEND_QUEUE } from "../email/outbox";
import type { FileStore } from "../files/store";
import { EXPIRE_QUEUE, expireDueEstimates } from "../fsm/estimates";
import { MAINTENANCE_QUEUE, makeDueMaintenanceWorkOrders } from "../fsm/maintenance";
import { checkDelays, DELAY_QUEUE, NOTICE_QUEUE, runNoticeJob } from "../fsm/notices";
import { deleteOldTrail, TRAIL_RETENTION_DAYS } from "../fsm/positions";
import { makeServiceReport, REPORT_QUEUE } from "../fsm/report";
import { PUBLISH_QUEUE, publishDueArticles } from "../kb/schedule";
import { fetchMedia, MEDIA_QUEUE } from "../messaging/inbound";
import { deliverText, TEXT_SEND_QUEUE } from "../messaging/outbound";
import { sendDigests } from "../notifications/notify";
import { TravelMatrixCache } from "../routing";
import { reindexOrgSearch, SEARCH_REINDEX_QUEUE } from "../search/config";
import { sweepSla } from "../sla/sweep";
import { refreshOrgSla } from "../sla/tickets";
import { foldTicketCounts } from "../tickets/counts";
import { forgetClosedPages } from "../tickets/presence";
import { webhookQueue } from "../webhooks/delivery";
import type { Schedule } from "./queue";
import { deleteFinishedJobs } from "./queue";
import { JobRunner, type QueueDefinition } from "./runner";

const DIGEST_QUEUE = "notifications.digest";

const DAY_MS = 86_400_000;
/** Finished jobs stay this long for admins to look at; dead ones stay until retried. */
export const FINISHED_JOB_RETENTION_DAYS = 7;

export function productQueues(
  config: Pick<Config, "smtpUrl" | "webhooksAllowPrivate" | "hfToken" | "hfEndpointUrl" | "osrmUrl">,
  files: FileStore,
): QueueDefinition[] {
  // Dispatchers re-optimize the same day; its travel matrix is kept between runs.
  const travel = new TravelMatrixCache({ osrmUrl: config.osrmUrl });
  return [
    {
      // "Optimize this day" on the dispatch board: the search runs in a Bun Worker, one per server
      // at a time (it takes a whole core); the time limit is at most a minute.
      queue: OPTIMIZE_QUEUE,
      concurrency: 1,
      timeoutMs: 3 * 60_000,
      async handler(job, ctx) {
        await runOptimizerJob(job, ctx, { travel, lastAttempt: job.attempts >= job.maxAttempts });
      },
    },
    acknowledgeQueue,
    ...assistQueues({ hfToken: config.hfToken, hfEndpointUrl: config.hfEndpointUrl }),
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
          files,
        });
      },
    },
    webhookQueue({ allowPrivate: config.webhooksAllowPrivate }),
    {
      queue: TEXT_SEND_QUEUE,
      concurrency: 4,
      timeoutMs: 60_000,
      async handler(job, ctx) {
        const orgId = job.orgId ?? "";
        await deliverText(ctx.db, String(job.payload.textMessageId), {
          now: ctx.now,
          lastAttempt: job.attempts >= job.maxAttempts,
          allowPrivate: config.webhooksAllowPrivate,
          baseUrl: orgId ? (await orgForMail(ctx.db, orgId)).baseUrl : undefined,
        });
      },
    },
    {
      // Knowledge-base articles scheduled to go live (src/domain/kb/schedule.ts).
      queue: PUBLISH_QUEUE,
      concurrency: 1,
      async handler(_job, ctx) {
        await publishDueArticles(ctx.db, ctx.now);
      },
    },
    {
      // Time-based automation rules ("48 hours in pending"), each acting once per ticket and episode.
      queue: TIME_RULES_QUEUE,
      concurrency: 1,
      timeoutMs: 10 * 60_000,
      async handler(_job, ctx) {
        await runTimeRules(ctx.db, ctx.now, ctx.signal);
      },
    },
    {
      // A visit was completed: its PDF report is made once and mailed to the customer.
      queue: REPORT_QUEUE,
      concurrency: 1,
      timeoutMs: 2 * 60_000,
      async handler(job, ctx) {
        if (!job.orgId) return;
        await makeServiceReport(ctx.db, files, job.orgId, String(job.payload.appointmentId), ctx.now);
      },
    },
    {
      // A visit was booked or moved, or its technician set out: the customer is told once
      // (src/domain/fsm/notices.ts).
      queue: NOTICE_QUEUE,
      concurrency: 2,
      async handler(job, ctx) {
        await runNoticeJob(ctx.db, job, ctx.now);
      },
    },
    {
      // Visits running more than a quarter of an hour late: the customer hears it once per slip.
      queue: DELAY_QUEUE,
      concurrency: 1,
      timeoutMs: 5 * 60_000,
      async handler(_job, ctx) {
        await checkDelays(ctx.db, ctx.now, ctx.signal);
      },
    },
    {
      // Sent estimates past their valid-until day become expired, each once (src/domain/fsm/estimates.ts).
      queue: EXPIRE_QUEUE,
      concurrency: 1,
      async handler(_job, ctx) {
        await expireDueEstimates(ctx.db, ctx.now);
      },
    },
    {
      // Preventive maintenance: each plan's occurrences within its lead days become work orders,
      // each exactly once however often this runs (src/domain/fsm/maintenance.ts).
      queue: MAINTENANCE_QUEUE,
      concurrency: 1,
      timeoutMs: 10 * 60_000,
      async handler(_job, ctx) {
        await makeDueMaintenanceWorkOrders(ctx.db, ctx.now);
      },
    },
    {
      queue: MEDIA_QUEUE,
      concurrency: 2,
      timeoutMs: 5 * 60_000,
      async handler(job, ctx) {
        await fetchMedia(
          ctx.db,
          files,
          String(job.payload.textMessageId),
          job.payload.media as { url: string; contentType: string }[],
          { allowPrivate: config.webhooksAllowPrivate },
        );
      },
    },
    {
      queue: POLL_ALL_QUEUE,
      concurrency: 1,
      async handler(_job, ctx) {
        await queueImapPolls(ctx.db, ctx.now);
      },
    },
    {
      // A slow server holds one slot; the others keep polling.
      queue: POLL_QUEUE,
      concurrency: 4,
      timeoutMs: 5 * 60_000,
      async handler(job, ctx) {
        await pollMailbox({ db: ctx.db, files }, String(job.payload.mailboxId), ctx.now);
      },
    },
    {
      queue: DIGEST_QUEUE,
      concurrency: 1,
      timeoutMs: 30 * 60_000,
      async handler(_job, ctx) {
        await sendDigests(ctx.db, ctx.now);
      },
    },
    {
      queue: "maintenance.clean_jobs",
      concurrency: 1,
      async handler(_job, ctx) {
        await deleteFinishedJobs(ctx.db, new Date(ctx.now.getTime() - FINISHED_JOB_RETENTION_DAYS * DAY_MS));
        await deleteOldRateLimits(ctx.db, new Date(ctx.now.getTime() - DAY_MS));
        await forgetClosedPages(ctx.db, new Date(ctx.now.getTime() - DAY_MS));
        await deleteOldTrail(ctx.db, new Date(ctx.now.getTime() - TRAIL_RETENTION_DAYS * DAY_MS));
      },
    },
    {
      // Ticket count deltas folded into ticket_counts, for organizations whose views nobody read
      // lately (a read folds them itself past a few hundred; src/domain/tickets/counts.ts).
      queue: "maintenance.fold_counts",
      concurrency: 1,
      async handler(_job, ctx) {
        await foldTicketCounts(ctx.db);
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
      // The organization's search language changed: its tickets, messages and articles are indexed
      // again in it, a batch per transaction (src/domain/search/config.ts).
      queue: SEARCH_REINDEX_QUEUE,
      concurrency: 1,
      timeoutMs: 60 * 60_000,
      async handler(job, ctx) {
        if (job.orgId) await reindexOrgSearch(ctx.db, job.orgId, { signal: ctx.signal });
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
  { name: "poll IMAP mailboxes", queue: POLL_ALL_QUEUE, everySeconds: 60 },
  { name: "daily notification digests", queue: DIGEST_QUEUE, everySeconds: 86_400 },
  { name: "clean finished jobs", queue: "maintenance.clean_jobs", everySeconds: 3_600 },
  { name: "fold ticket counts", queue: "maintenance.fold_counts", everySeconds: 60 },
  { name: "refresh planner statistics", queue: "maintenance.analyze", everySeconds: 6 * 3_600 },
  { name: "sla sweep", queue: "sla.sweep", everySeconds: 60 },
  { name: "time-based automation rules", queue: TIME_RULES_QUEUE, everySeconds: 300 },
  { name: "scheduled article publishing", queue: PUBLISH_QUEUE, everySeconds: 60 },
  { name: "late visit notices", queue: DELAY_QUEUE, everySeconds: 120 },
  { name: "expire estimates", queue: EXPIRE_QUEUE, everySeconds: 3_600 },
  { name: "preventive maintenance work orders", queue: MAINTENANCE_QUEUE, everySeconds: 86_400 },
  ...ASSIST_SCHEDULES,
];

/** The runner of every product queue and schedule, as each app server (or its job thread) runs it. */
export function productJobRunner(
  database: Database,
  config: Parameters<typeof productQueues>[0],
  files: FileStore,
): JobRunner {
  return new JobRunner({ database, queues: productQueues(config, files), schedules: SCHEDULES });
}
