// Appends to the one event log and announces the event to every app server (LISTEN/NOTIFY).
import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../../db/client";
import { events, tickets } from "../../../db/schema";
import type { Ctx } from "../context";
import { webhookFanOut } from "../webhooks/fanout";

export const EVENTS_CHANNEL = "product_events";

export interface LiveEvent {
  orgId: string;
  seq: number;
  type: string;
  ticketId: string | null;
  /** For events announced together (appendEvents): every ticket they concern. */
  ticketIds?: string[];
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
  event: {
    type: string;
    ticketId?: string | null;
    data?: Record<string, unknown>;
    /** `data.number` read from the ticket row as the statement runs (a creation sends both at once). */
    withTicketNumber?: boolean;
  },
): Promise<number> {
  const orgId = ctx.actor.orgId;
  const ticketId = event.ticketId ?? null;
  const number = event.withTicketNumber
    ? sql` || jsonb_build_object('number', (select number from ${tickets} where org_id = ${orgId} and id = ${ticketId}::uuid))`
    : sql``;
  const actorUserId = ctx.actor.userId ?? null;
  const actorKind = ctx.actor.role === "customer" ? "customer" : ctx.actor.kind;
  // One statement: the row, its webhook deliveries, and its announcement to every app server.
  // NOTIFY is delivered only when the transaction commits, so listeners never see a rolled-back change.
  const webhooks = webhookFanOut(orgId, event.type, ctx.now);
  const result = await tx.execute(sql`
    with appended as (
      insert into ${events} (org_id, type, ticket_id, actor_user_id, actor_kind, data, created_at)
      values (${orgId}, ${event.type}, ${ticketId}::uuid, ${actorUserId}::uuid, ${actorKind},
              ${JSON.stringify(event.data ?? {})}::text::jsonb${number}, ${ctx.now.toISOString()}::timestamptz)
      returning seq
    )${webhooks.ctes}
    select seq, ${webhooks.wake}, pg_notify(${EVENTS_CHANNEL}, json_build_object(
      'orgId', ${orgId}::text, 'seq', seq, 'type', ${event.type}::text,
      'ticketId', ${ticketId}::text, 'actorUserId', ${actorUserId}::text,
      'chatId', ${typeof event.data?.chatId === "string" ? event.data.chatId : null}::text)::text)
    from appended`);
  return Number(rowsOf<{ seq: string | number }>(result)[0].seq);
}

/** Events announced in one notification at most: a payload must stay under 8,000 bytes. */
const ANNOUNCED_TOGETHER = 100;

/**
 * Appends several events of one actor in one statement (the SLA sweep records thousands at once).
 * They are announced by type in groups of up to 100, each naming its tickets (`ticketIds`, and
 * `ticketId` when there is one): a notification costs the server more than the row it announces,
 * and live pages refresh per ticket, not per event. Returns their sequence numbers in order.
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
    ), groups as (
      select type, max(seq) as seq,
             coalesce(array_agg(distinct ticket_id) filter (where ticket_id is not null), '{}') as ids
      from (
        select seq, type, ticket_id,
               (row_number() over (partition by type order by seq) - 1) / ${ANNOUNCED_TOGETHER} as part
        from appended
      ) numbered
      group by type, part
    ), announced as (
      select pg_notify(${EVENTS_CHANNEL}, json_build_object(
        'orgId', ${orgId}::text, 'seq', seq, 'type', type,
        'ticketId', case when cardinality(ids) = 1 then ids[1]::text end, 'ticketIds', to_json(ids),
        'actorUserId', ${actorUserId}::text)::text)
      from groups
    )
    select (select json_agg(seq order by seq) from appended)::text as seqs,
           (select count(*) from announced) as announced`);
  const [{ seqs }] = rowsOf<{ seqs: string }>(result);
  return (JSON.parse(seqs) as (string | number)[]).map(Number);
}
