// Appends to the one event log and announces the event to every app server (LISTEN/NOTIFY).
import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { events } from "../../../db/schema";
import type { Ctx } from "../context";

export const EVENTS_CHANNEL = "product_events";

export interface LiveEvent {
  orgId: string;
  seq: number;
  type: string;
  ticketId: string | null;
  actorUserId: string | null;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export async function appendEvent(
  tx: DbOrTx,
  ctx: Ctx,
  event: { type: string; ticketId?: string | null; data?: Record<string, unknown> },
): Promise<number> {
  const [row] = await tx
    .insert(events)
    .values({
      orgId: ctx.actor.orgId,
      type: event.type,
      ticketId: event.ticketId ?? null,
      actorUserId: ctx.actor.userId ?? null,
      actorKind: ctx.actor.role === "customer" ? "customer" : ctx.actor.kind,
      data: event.data ?? {},
      createdAt: ctx.now,
    })
    .returning({ seq: events.seq });
  const live: LiveEvent = {
    orgId: ctx.actor.orgId,
    seq: row.seq,
    type: event.type,
    ticketId: event.ticketId ?? null,
    actorUserId: ctx.actor.userId ?? null,
  };
  // Delivered only when the transaction commits, so listeners never see a rolled-back change.
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(live)})`);
  return row.seq;
}
