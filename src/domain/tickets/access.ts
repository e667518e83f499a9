// Finding a ticket the actor may see. Another organization's ticket, or another customer's,
// is "not found": its existence is not revealed.
import { and, eq, sql } from "drizzle-orm";
import { ticketFollowers, tickets } from "../../../db/schema";
import { type Actor, can } from "../context";
import { notFound } from "../errors";
import type { DbOrTx } from "../events/log";
import { prepared } from "../prepared";
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
  if (typeof ref !== "number" && !isUuid(ref)) throw notFound("That ticket");
  const [ticket] = options.forUpdate
    ? await lockTicket(db, actor.orgId, ref)
    : await readTicket(db, actor.orgId, ref);
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

/** The ticket by number or id, prepared once: every ticket page and command starts here. */
function readTicket(db: DbOrTx, orgId: string, ref: number | string): Promise<TicketRow[]> {
  const byNumber = typeof ref === "number";
  return prepared(db, byNumber ? "ticketByNumber" : "ticketById", () =>
    db
      .select()
      .from(tickets)
      .where(
        and(
          eq(tickets.orgId, sql.placeholder("orgId")),
          byNumber ? eq(tickets.number, sql.placeholder("ref")) : eq(tickets.id, sql.placeholder("ref")),
        ),
      )
      .limit(1)
      .prepare(byNumber ? "ticket_by_number" : "ticket_by_id"),
  ).execute({ orgId, ref });
}

function lockTicket(db: DbOrTx, orgId: string, ref: number | string): Promise<TicketRow[]> {
  return db
    .select()
    .from(tickets)
    .where(
      and(eq(tickets.orgId, orgId), typeof ref === "number" ? eq(tickets.number, ref) : eq(tickets.id, ref)),
    )
    .limit(1)
    .for("update");
}
