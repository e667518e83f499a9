// Delivers one event to one subscription: the "webhook.deliver" job. The body is signed with the
// subscription's secret; the host is checked again right before sending and the request goes to
// the checked address, without following redirects. Every attempt is logged with the answer; a
// failure is retried by the job queue, and a subscription that keeps failing is disabled.
import { createHmac } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../../db/client";
import { events, webhookDeliveries, webhookSettings, webhookSubscriptions } from "../../../db/schema";
import { systemActor } from "../context";
import { appendEvent } from "../events/log";
import type { ClaimedJob } from "../jobs/queue";
import type { QueueDefinition } from "../jobs/runner";
import { Coalescer } from "./coalescer";
import { DELIVER_QUEUE } from "./fanout";
import { checkTarget, pinnedRequest, type Resolver, TargetRefused } from "./targets";

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Deliveries in a row that failed on their last attempt before the subscription is disabled. */
export const DISABLE_AFTER_FAILED_DELIVERIES = 15;
/** …or this long with every attempt failing, however few deliveries that was. */
export const DISABLE_AFTER_FAILING_MS = 24 * 3_600_000;
/** What is kept of a receiver's answer to a failed delivery. */
const ERROR_BODY_CHARS = 300;
const READ_LIMIT_BYTES = 64 * 1024;

export interface WebhookPayload {
  id: string;
  type: string;
  occurredAt: string;
  organizationId: string;
  ticketId: string | null;
  data: Record<string, unknown>;
}

/** `sha256=<hex>` of HMAC-SHA256(secret, timestamp + "." + body): what X-Fieldesk-Signature carries. */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export interface DeliverOptions {
  now: Date;
  /** WEBHOOKS_ALLOW_PRIVATE. */
  allowPrivate: boolean;
  signal?: AbortSignal;
  resolve?: Resolver;
  timeoutMs?: number;
}

export type DeliverOutcome = "succeeded" | "skipped" | "disabled";

export class DeliveryFailed extends Error {}

export function webhookQueue(options: {
  allowPrivate: boolean;
  concurrency?: number;
  resolve?: Resolver;
}): QueueDefinition {
  return {
    queue: DELIVER_QUEUE,
    concurrency: options.concurrency ?? 16,
    timeoutMs: 3 * WEBHOOK_TIMEOUT_MS,
    async handler(job, ctx) {
      await deliverWebhook(ctx.db, job, {
        now: ctx.now,
        allowPrivate: options.allowPrivate,
        signal: ctx.signal,
        resolve: options.resolve,
      });
    },
  };
}

/**
 * One attempt. Returns when there is nothing more to do (delivered, subscription gone or paused,
 * or disabled by this failure); throws DeliveryFailed for the queue to retry.
 */
export async function deliverWebhook(
  db: Db,
  job: ClaimedJob,
  options: DeliverOptions,
): Promise<DeliverOutcome> {
  const orgId = job.orgId;
  const subscriptionId = String(job.payload.subscriptionId ?? "");
  const test = job.payload.test === true;
  const seq = Number(job.payload.seq);
  if (!orgId || !subscriptionId) return "skipped";
  const row = await batchersFor(db).load.add({
    orgId,
    subscriptionId,
    seq: test || !Number.isFinite(seq) ? -1 : seq,
  });
  // A paused subscription's queued deliveries are dropped; a test is sent to one all the same.
  if (!row || (!row.active && !test)) return "skipped";
  let payload: WebhookPayload;
  if (test) {
    payload = {
      id: `test-${job.id}`,
      type: "webhook.test",
      occurredAt: options.now.toISOString(),
      organizationId: orgId,
      ticketId: null,
      data: {
        message: "A test event sent from the webhook's admin page.",
        requestedBy: job.payload.requestedBy ?? null,
      },
    };
  } else {
    if (row.seq === null || row.type === null || row.createdAt === null) return "skipped";
    payload = {
      id: String(row.seq),
      type: row.type,
      occurredAt: row.createdAt.toISOString(),
      organizationId: orgId,
      ticketId: row.ticketId,
      data: row.data ?? {},
    };
  }
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(options.now.getTime() / 1000));
  const attempt = {
    orgId,
    subscriptionId,
    deliveryId: job.id,
    eventSeq: test ? null : Number(payload.id),
    eventType: payload.type,
    attempt: job.attempts,
    createdAt: options.now,
  };
  const started = performance.now();
  let failure: string;
  let responseCode: number | null = null;
  let refused = false;
  try {
    const target = await checkTarget(row.url, {
      allowPrivate: options.allowPrivate || row.allowPrivate === true,
      resolve: options.resolve,
    });
    const pinned = pinnedRequest(target);
    const timeout = AbortSignal.timeout(options.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
    const response = await fetch(pinned.url, {
      method: "POST",
      body,
      redirect: "manual",
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      headers: {
        host: pinned.host,
        "content-type": "application/json",
        "user-agent": "Fieldesk-Webhooks/1",
        "x-fieldesk-event": payload.type,
        "x-fieldesk-delivery": job.id,
        "x-fieldesk-timestamp": timestamp,
        "x-fieldesk-signature": signPayload(row.secret, timestamp, body),
      },
      ...(pinned.tls ? { tls: pinned.tls } : {}),
    } as RequestInit);
    responseCode = response.status;
    const answer = await readSome(response);
    if (response.status >= 200 && response.status < 300) {
      await batchersFor(db).succeeded.add({ ...attempt, responseCode, responseTimeMs: elapsed(started) });
      return "succeeded";
    }
    failure =
      response.status >= 300 && response.status < 400
        ? `Answered ${response.status} (redirects are not followed)${response.headers.get("location") ? ` to ${response.headers.get("location")}` : ""}`
        : `Answered ${response.status}${answer ? `: ${answer.slice(0, ERROR_BODY_CHARS)}` : ""}`;
  } catch (error) {
    refused = error instanceof TargetRefused;
    failure = refused
      ? `Not sent: ${(error as Error).message}`
      : error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")
        ? `No answer within ${Math.round((options.timeoutMs ?? WEBHOOK_TIMEOUT_MS) / 1000)} s`
        : `Could not connect: ${error instanceof Error ? error.message : String(error)}`;
  }
  const final = job.attempts >= job.maxAttempts;
  const disabled = await recordFailure(
    db,
    {
      ...attempt,
      status: refused ? "refused" : "failed",
      responseCode,
      responseTimeMs: refused ? null : elapsed(started),
      error: failure.slice(0, 1000),
    },
    { final, test, now: options.now },
  );
  if (disabled || test) return disabled ? "disabled" : "skipped";
  throw new DeliveryFailed(failure);
}

const elapsed = (started: number) => Math.round(performance.now() - started);

/** The start of the receiver's answer, read up to a limit (keeps the connection reusable). */
async function readSome(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= READ_LIMIT_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, ERROR_BODY_CHARS * 4)).trim();
}

type AttemptRow = typeof webhookDeliveries.$inferInsert;

interface LoadRequest {
  orgId: string;
  subscriptionId: string;
  /** -1 for none (a test event). */
  seq: number;
}

interface Loaded {
  url: string;
  secret: string;
  active: boolean;
  allowPrivate: boolean | null;
  seq: number | null;
  type: string | null;
  ticketId: string | null;
  data: Record<string, unknown> | null;
  createdAt: Date | null;
}

/**
 * Deliveries running at once in this server share their queries: what each needs is read in one
 * statement, and their successes are logged in one, while the previous statement is under way.
 * A handler still returns only once its own row is read or written.
 */
const batchers = new WeakMap<
  Db,
  {
    load: Coalescer<LoadRequest, Loaded | undefined>;
    succeeded: Coalescer<Omit<AttemptRow, "status">, undefined>;
  }
>();

function batchersFor(db: Db) {
  let found = batchers.get(db);
  if (!found) {
    found = {
      load: new Coalescer((batch) => loadDeliveries(db, batch)),
      succeeded: new Coalescer((batch) => recordSuccesses(db, batch)),
    };
    batchers.set(db, found);
  }
  return found;
}

/** The subscription, the organization's setting and the event of each delivery, in one query. */
async function loadDeliveries(db: Db, batch: LoadRequest[]): Promise<(Loaded | undefined)[]> {
  const wanted = batch.map((r, i) => ({ i, org_id: r.orgId, subscription_id: r.subscriptionId, seq: r.seq }));
  const result = await db.execute(sql`
    select x.i, s.url, s.secret, s.active, ws.allow_private_targets as "allowPrivate", e.seq, e.type,
           e.ticket_id as "ticketId", e.data, e.created_at as "createdAt"
    from jsonb_to_recordset(${JSON.stringify(wanted)}::text::jsonb) as x(i int, org_id uuid, subscription_id uuid, seq bigint)
    join ${webhookSubscriptions} s on s.org_id = x.org_id and s.id = x.subscription_id
    left join ${webhookSettings} ws on ws.org_id = s.org_id
    left join ${events} e on e.org_id = x.org_id and e.seq = x.seq`);
  const found = new Map<number, Loaded>();
  for (const row of rowsOf<Loaded & { i: number }>(result)) {
    found.set(Number(row.i), {
      ...row,
      seq: row.seq === null ? null : Number(row.seq),
      data: typeof row.data === "string" ? JSON.parse(row.data) : row.data,
      createdAt: row.createdAt === null ? null : new Date(row.createdAt),
    });
  }
  return batch.map((_, i) => found.get(i));
}

/** Log rows of successful attempts, and a fresh start for subscriptions that were failing: one statement. */
async function recordSuccesses(db: Db, batch: Omit<AttemptRow, "status">[]): Promise<undefined[]> {
  const rows = batch.map((a) => ({
    org_id: a.orgId,
    subscription_id: a.subscriptionId,
    delivery_id: a.deliveryId,
    event_seq: a.eventSeq ?? null,
    event_type: a.eventType,
    attempt: a.attempt,
    response_code: a.responseCode ?? null,
    response_time_ms: a.responseTimeMs ?? null,
    created_at: (a.createdAt as Date).toISOString(),
  }));
  await db.execute(sql`
    with logged as (
      insert into ${webhookDeliveries} (org_id, subscription_id, delivery_id, event_seq, event_type, attempt,
                                        status, response_code, response_time_ms, created_at)
      select x.org_id, x.subscription_id, x.delivery_id, x.event_seq, x.event_type, x.attempt, 'succeeded',
             x.response_code, x.response_time_ms, x.created_at
      from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as x(
        org_id uuid, subscription_id uuid, delivery_id uuid, event_seq bigint, event_type text, attempt int,
        response_code int, response_time_ms int, created_at timestamptz)
      returning org_id, subscription_id
    )
    update ${webhookSubscriptions} s set consecutive_failures = 0, failing_since = null
    from (select distinct org_id, subscription_id from logged) l
    where s.org_id = l.org_id and s.id = l.subscription_id
      and (s.consecutive_failures > 0 or s.failing_since is not null)`);
  return batch.map(() => undefined);
}

/**
 * Logs the failed attempt and counts it against the subscription; disables the subscription when
 * it has failed too often or too long. Returns whether it was disabled now.
 */
async function recordFailure(
  db: Db,
  attempt: AttemptRow,
  options: { final: boolean; test: boolean; now: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.insert(webhookDeliveries).values(attempt);
    // A test of a receiver says nothing about the subscription's health.
    if (options.test) return false;
    const [counted] = await tx
      .update(webhookSubscriptions)
      .set({
        failingSince: sql`coalesce(${webhookSubscriptions.failingSince}, ${options.now.toISOString()}::timestamptz)`,
        consecutiveFailures: sql`${webhookSubscriptions.consecutiveFailures} + ${options.final ? 1 : 0}`,
      })
      .where(
        and(
          eq(webhookSubscriptions.orgId, attempt.orgId),
          eq(webhookSubscriptions.id, attempt.subscriptionId),
          eq(webhookSubscriptions.active, true),
        ),
      )
      .returning({
        name: webhookSubscriptions.name,
        failures: webhookSubscriptions.consecutiveFailures,
        failingSince: webhookSubscriptions.failingSince,
      });
    if (!counted) return false;
    const failingFor = options.now.getTime() - (counted.failingSince?.getTime() ?? options.now.getTime());
    let reason: string | undefined;
    if (counted.failures >= DISABLE_AFTER_FAILED_DELIVERIES)
      reason = `${counted.failures} deliveries in a row failed; the last: ${attempt.error}`;
    else if (failingFor >= DISABLE_AFTER_FAILING_MS)
      reason = `Every attempt failed for ${Math.floor(failingFor / 3_600_000)} hours; the last: ${attempt.error}`;
    if (!reason) return false;
    reason = reason.slice(0, 1000);
    await tx
      .update(webhookSubscriptions)
      .set({ active: false, disabledAt: options.now, disabledReason: reason, updatedAt: options.now })
      .where(
        and(
          eq(webhookSubscriptions.orgId, attempt.orgId),
          eq(webhookSubscriptions.id, attempt.subscriptionId),
        ),
      );
    await appendEvent(
      tx,
      { db, actor: systemActor(attempt.orgId), now: options.now },
      {
        type: "webhook.disabled",
        data: { subscriptionId: attempt.subscriptionId, name: counted.name, reason },
      },
    );
    return true;
  });
}
