// Everything the ticket page shows about a ticket's relations, read fresh on every request: a
// linked ticket's status changes without an event on this one.
import { and, eq, sql } from "drizzle-orm";
import { tickets } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { prepared } from "../prepared";
import type { TicketRow } from "../tickets/access";
import { type Followers, followersOf } from "./followers";
import { linksOf, type TicketLinks } from "./links";
import { type TicketSummary, ticketSummaries } from "./tickets";

export interface TicketRelations extends TicketLinks {
  mergedInto: TicketSummary | null;
  mergedFrom: { number: number; subject: string }[];
  followers: Followers;
  followedByMe: boolean;
}

export async function ticketRelations(ctx: Ctx, ticket: TicketRow): Promise<TicketRelations> {
  requirePermission(ctx.actor, "tickets.read_all");
  const orgId = ctx.actor.orgId;
  const [links, followers, mergedFrom, mergedInto] = await Promise.all([
    linksOf(ctx.db, orgId, ticket.id),
    followersOf(ctx.db, orgId, ticket.id),
    prepared(ctx.db, "mergedFrom", () =>
      ctx.db
        .select({ number: tickets.number, subject: tickets.subject })
        .from(tickets)
        .where(
          and(
            eq(tickets.orgId, sql.placeholder("orgId")),
            eq(tickets.mergedIntoId, sql.placeholder("ticketId")),
          ),
        )
        .orderBy(tickets.number)
        .prepare("merged_from"),
    ).execute({ orgId, ticketId: ticket.id }),
    ticket.mergedIntoId ? ticketSummaries(ctx.db, orgId, [ticket.mergedIntoId]) : Promise.resolve([]),
  ]);
  return {
    ...links,
    followers,
    mergedFrom,
    mergedInto: mergedInto[0] ?? null,
    followedByMe: followers.agents.some((a) => a.userId === ctx.actor.userId),
  };
}
