// Appends to the one event log and announces the event to every app server (LISTEN/NOTIFY).
import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../../db/client";
import { events } from "../../../db/schema";
import type { Ctx } from "../context";
import { webhookFanOut } from "../webhooks/fanout";

export const EVENTS_CHANNEL = "product_events";

export interface LiveEvent {
  orgId: string;
  seq: number;
  type: string;
  ticketId: string | null;
  actorUserId: string | null;
  /** For chat events: the chat, so only its open pages refresh. */
  chatId?: string | null;
  /** For new notifications: whose bells to ring. */
  userIds?: string[];
  /** For optimizer runs: which run moved on, its status and best figures so far. */
  runId?: string;
  status?: string;
  progress?: Record<string, unknown>;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export async function appendEvent(
  tx: DbOrTx,
  ctx: Ctx,
  event: { type: string; ticketId?: string | null; data?: Record<string, unknown> },
): Promise<number> {
  const orgId = ctx.actor.orgId;
  const ticketId = event.ticketId ?? null;
  const actorUserId = ctx.actor.userId ?? null;
  const actorKind = ctx.actor.role === "customer" ? "customer" : ctx.actor.kind;
  // One statement: the row, its webhook deliveries, and its announcement to every app server.
  // NOTIFY is delivered only when the transaction commits, so listeners never see a rolled-back change.
  const webhooks = webhookFanOut(orgId, event.type, ctx.now);
  const result = await tx.execute(sql`
    with appended as (
      insert into ${events} (org_id, type, ticket_id, actor_user_id, actor_kind, data, created_at)
      values (${orgId}, ${event.type}, ${ticketId}::uuid, ${actorUserId}::uuid, ${actorKind},
              ${JSON.stringify(event.data ?? {})}::text::jsonb, ${ctx.now.toISOString()}::timestamptz)
      returning seq
    )${webhooks.ctes}
    select seq, ${webhooks.wake}, pg_notify(${EVENTS_CHANNEL}, json_build_object(
      'orgId', ${orgId}::text, 'seq', seq, 'type', ${event.type}::text,
      'ticketId', ${ticketId}::text, 'actorUserId', ${actorUserId}::text,
      'chatId', ${typeof event.data?.chatId === "string" ? event.data.chatId : null}::text)::text)
    from appended`);
  return Number(rowsOf<{ seq: string | number }>(result)[0].seq);
}

/**
 * Appends several events of one actor in one statement (the SLA sweep records thousands at once);
 * each is announced like appendEvent's. Returns their sequence numbers in order.
 */
export async function appendEvents(
  tx: DbOrTx,
  ctx: Ctx,
  list: { type: string; ticketId?: string | null; data?: Record<string, unknown> }[],
): Promise<number[]> {
  if (list.length === 0) return [];
  const orgId = ctx.actor.orgId;
  const actorUserId = ctx.actor.userId ?? null;
  const actorKind = ctx.actor.role === "customer" ? "customer" : ctx.actor.kind;
  const rows = list.map((e, i) => ({ i, type: e.type, ticket_id: e.ticketId ?? null, data: e.data ?? {} }));
  const result = await tx.execute(sql`
    with appended as (
      insert into ${events} (org_id, type, ticket_id, actor_user_id, actor_kind, data, created_at)
      select ${orgId}, x.type, x.ticket_id, ${actorUserId}::uuid, ${actorKind}, x.data,
             ${ctx.now.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as x(i int, type text, ticket_id uuid, data jsonb)
      order by x.i
      returning seq, type, ticket_id
    )
    select seq, pg_notify(${EVENTS_CHANNEL}, json_build_object(
      'orgId', ${orgId}::text, 'seq', seq, 'type', type,
      'ticketId', ticket_id::text, 'actorUserId', ${actorUserId}::text)::text)
    from appended order by seq`);
  return rowsOf<{ seq: string | number }>(result).map((r) => Number(r.seq));
}
