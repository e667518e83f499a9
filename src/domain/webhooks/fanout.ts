// The part of appending an event that hands it to webhooks: in the same statement as the event
// row, one "webhook.deliver" job per active subscription of the organization whose event types
// match. No extra round trip per event, and a rolled-back change delivers nothing.
import { type SQL, sql } from "drizzle-orm";
import { jobs, webhookSubscriptions } from "../../../db/schema";
import { JOBS_CHANNEL } from "../jobs/queue";

export const DELIVER_QUEUE = "webhook.deliver";
/** Attempts per delivery: with the queue's back-off (4 s doubling, ±25 %) about 35 minutes of retries. */
export const WEBHOOK_MAX_ATTEMPTS = 10;

/**
 * Common table expressions to follow `appended` (a CTE returning the new event's `seq`) and the
 * scalar that wakes the job runners when a delivery was queued.
 */
export function webhookFanOut(orgId: string, type: string, now: Date): { ctes: SQL; wake: SQL } {
  const at = now.toISOString();
  return {
    ctes: sql`,
    webhook_jobs as (
      insert into ${jobs} (org_id, queue, payload, run_at, max_attempts, created_at, updated_at)
      select s.org_id, ${DELIVER_QUEUE}, jsonb_build_object('subscriptionId', s.id, 'seq', a.seq),
             ${at}::timestamptz, ${WEBHOOK_MAX_ATTEMPTS}, ${at}::timestamptz, ${at}::timestamptz
      from appended a
      join ${webhookSubscriptions} s
        on s.org_id = ${orgId}::uuid and s.active and s.event_types && array[${type}::text, '*']
      returning 1
    )`,
    wake: sql`(select pg_notify(${JOBS_CHANNEL}, ${DELIVER_QUEUE}) from webhook_jobs limit 1) as webhooks_woke`,
  };
}
