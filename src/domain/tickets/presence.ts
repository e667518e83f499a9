// Collision detection: which colleagues have a ticket open and who is typing a reply. The page
// reports itself every 20 s and while its reply box is typed in; each report is announced on the
// organization's live stream so the others' pages update at once, on every app server.
import { and, eq, gt, lt, ne, sql } from "drizzle-orm";
import { ticketViewers, users } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { type DbOrTx, EVENTS_CHANNEL, type LiveEvent } from "../events/log";
import { findVisibleTicket, type TicketRef } from "./access";

/** A page not heard from for this long is closed. */
const VIEWING_MS = 60_000;
/** Typing shows for this long after the last keystroke report. */
const TYPING_MS = 10_000;

export interface Viewer {
  name: string;
  typing: boolean;
}

/** Records that the actor has the ticket open (and is typing); returns the others' presence. */
export async function reportPresence(ctx: Ctx, ref: TicketRef, typing: boolean): Promise<Viewer[]> {
  requirePermission(ctx.actor, "tickets.read_all");
  const userId = ctx.actor.userId;
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  if (userId) {
    await ctx.db.transaction(async (tx) => {
      await tx
        .insert(ticketViewers)
        .values({
          orgId: ctx.actor.orgId,
          ticketId: ticket.id,
          userId,
          seenAt: ctx.now,
          typingAt: typing ? ctx.now : null,
        })
        .onConflictDoUpdate({
          target: [ticketViewers.orgId, ticketViewers.ticketId, ticketViewers.userId],
          set: typing ? { seenAt: ctx.now, typingAt: ctx.now } : { seenAt: ctx.now },
        });
      const announcement: LiveEvent = {
        orgId: ctx.actor.orgId,
        seq: 0,
        type: "presence.changed",
        ticketId: ticket.id,
        actorUserId: userId,
      };
      await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(announcement)})`);
    });
  }
  return viewersOf(ctx.db, ctx, ticket.id);
}

/** The colleagues other than the actor who have the ticket open now. */
export async function viewersOf(db: DbOrTx, ctx: Ctx, ticketId: string): Promise<Viewer[]> {
  const since = new Date(ctx.now.getTime() - VIEWING_MS);
  const rows = await db
    .select({ name: users.name, typingAt: ticketViewers.typingAt })
    .from(ticketViewers)
    .innerJoin(users, and(eq(users.orgId, ticketViewers.orgId), eq(users.id, ticketViewers.userId)))
    .where(
      and(
        eq(ticketViewers.orgId, ctx.actor.orgId),
        eq(ticketViewers.ticketId, ticketId),
        gt(ticketViewers.seenAt, since),
        ctx.actor.userId ? ne(ticketViewers.userId, ctx.actor.userId) : undefined,
      ),
    )
    .orderBy(users.name);
  return rows.map((r) => ({
    name: r.name,
    typing: Boolean(r.typingAt && r.typingAt.getTime() > ctx.now.getTime() - TYPING_MS),
  }));
}

/** The colleagues on a ticket page, for the fragment the page refreshes. */
export async function ticketViewersOf(ctx: Ctx, ref: TicketRef): Promise<Viewer[]> {
  requirePermission(ctx.actor, "tickets.read_all");
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  return viewersOf(ctx.db, ctx, ticket.id);
}

/** Drops the presence of pages closed long ago (the cleaning job). */
export async function forgetClosedPages(db: DbOrTx, before: Date): Promise<void> {
  await db.delete(ticketViewers).where(lt(ticketViewers.seenAt, before));
}
