// Finding a ticket the actor may see. Another organization's ticket, or another customer's,
// is "not found": its existence is not revealed.
import { and, eq } from "drizzle-orm";
import { ticketFollowers, tickets } from "../../../db/schema";
import { type Actor, can } from "../context";
import { notFound } from "../errors";
import type { DbOrTx } from "../events/log";
import { isUuid } from "./rules";

/** A ticket is named by its number (123) or its uuid. */
export type TicketRef = number | string;

export type TicketRow = typeof tickets.$inferSelect;

export async function findVisibleTicket(
  db: DbOrTx,
  actor: Actor,
  ref: TicketRef,
  options: { forUpdate?: boolean } = {},
): Promise<TicketRow> {
  const byRef =
    typeof ref === "number" ? eq(tickets.number, ref) : isUuid(ref) ? eq(tickets.id, ref) : undefined;
  if (!byRef) throw notFound("That ticket");
  let query = db
    .select()
    .from(tickets)
    .where(and(eq(tickets.orgId, actor.orgId), byRef))
    .limit(1)
    .$dynamic();
  if (options.forUpdate) query = query.for("update");
  const [ticket] = await query;
  if (!ticket) throw notFound("That ticket");
  if (can(actor, "tickets.read_all")) return ticket;
  if (can(actor, "tickets.read_own") && actor.contactId) {
    if (ticket.contactId === actor.contactId) return ticket;
    // People copied on the ticket's mail follow it: they read and answer it too.
    const [follower] = await db
      .select({ contactId: ticketFollowers.contactId })
      .from(ticketFollowers)
      .where(
        and(
          eq(ticketFollowers.orgId, actor.orgId),
          eq(ticketFollowers.ticketId, ticket.id),
          eq(ticketFollowers.contactId, actor.contactId),
        ),
      );
    if (follower) return ticket;
  }
  throw notFound("That ticket");
}
