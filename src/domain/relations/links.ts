// Links between tickets: a parent with its children (a problem and the incidents it causes, a
// project and its tasks) and "related" tickets, shown on both sides and added or removed by agents.
import { and, eq, inArray, or, sql } from "drizzle-orm";
import { type TicketLinkKind, ticketLinks, tickets } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { formatTicketNumber } from "../orgs/counters";
import { prepared } from "../prepared";
import { findVisibleTicket, type TicketRef } from "../tickets/access";
import { isUuid, OPEN_STATUSES } from "../tickets/rules";
import { namedTicket, type TicketSummary, ticketSummaries } from "./tickets";

/** How the other ticket stands to this one, as chosen in the form. */
export const LINK_ROLES = ["child", "parent", "related"] as const;
export type LinkRole = (typeof LINK_ROLES)[number];
export const LINK_ROLE_LABELS: Record<LinkRole, string> = {
  child: "is a child of this ticket",
  parent: "is the parent of this ticket",
  related: "is related to this ticket",
};

export interface LinkedTicket extends TicketSummary {
  linkId: string;
}

export interface TicketLinks {
  parent: LinkedTicket | null;
  children: LinkedTicket[];
  related: LinkedTicket[];
}

export async function linksOf(db: DbOrTx, orgId: string, ticketId: string): Promise<TicketLinks> {
  const rows = await prepared(db, "linksOf", () =>
    db
      .select()
      .from(ticketLinks)
      .where(
        and(
          eq(ticketLinks.orgId, sql.placeholder("orgId")),
          or(
            eq(ticketLinks.fromTicketId, sql.placeholder("ticketId")),
            eq(ticketLinks.toTicketId, sql.placeholder("ticketId")),
          ),
        ),
      )
      .prepare("links_of"),
  ).execute({ orgId, ticketId });
  const others = rows.map((r) => (r.fromTicketId === ticketId ? r.toTicketId : r.fromTicketId));
  const byId = new Map((await ticketSummaries(db, orgId, others)).map((t) => [t.id, t]));
  const result: TicketLinks = { parent: null, children: [], related: [] };
  for (const row of rows) {
    const otherId = row.fromTicketId === ticketId ? row.toTicketId : row.fromTicketId;
    const other = byId.get(otherId);
    if (!other) continue;
    const linked = { ...other, linkId: row.id };
    if (row.kind === "related") result.related.push(linked);
    else if (row.toTicketId === ticketId) result.parent = linked;
    else result.children.push(linked);
  }
  for (const list of [result.children, result.related]) list.sort((a, b) => a.number - b.number);
  return result;
}

/** Links this ticket to the one numbered `otherNumber`, which plays `role` to it. */
export async function addLink(ctx: Ctx, ref: TicketRef, input: { other: string; role: string }) {
  requirePermission(ctx.actor, "tickets.work");
  const role = input.role as LinkRole;
  if (!LINK_ROLES.includes(role)) throw invalid({ role: "Choose how the tickets are linked." });
  return ctx.db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, ctx.actor, ref, { forUpdate: true });
    const other = await namedTicket(tx, ctx.actor.orgId, input.other, "other");
    if (other.id === ticket.id) throw invalid({ other: "A ticket cannot be linked to itself." });
    if (other.mergedIntoId) {
      throw invalid({
        other: `${formatTicketNumber(other.number)} was merged; link the ticket it was merged into.`,
      });
    }
    const link = planLink(ticket.id, other.id, role);
    if (link.kind === "parent")
      await checkParentLink(tx, ctx.actor.orgId, link.fromTicketId, link.toTicketId);
    const [row] = await tx
      .insert(ticketLinks)
      .values({
        orgId: ctx.actor.orgId,
        ...link,
        createdByUserId: ctx.actor.userId ?? null,
        createdAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning({ id: ticketLinks.id });
    if (!row) throw invalid({ other: `${formatTicketNumber(other.number)} is already linked this way.` });
    const data = { linkId: row.id, kind: link.kind, role };
    await appendEvent(tx, ctx, {
      type: "ticket.linked",
      ticketId: ticket.id,
      data: { ...data, otherId: other.id, otherNumber: other.number },
    });
    await appendEvent(tx, ctx, {
      type: "ticket.linked",
      ticketId: other.id,
      data: { ...data, role: mirrorRole(role), otherId: ticket.id, otherNumber: ticket.number },
    });
    return { linkId: row.id, other };
  });
}

function planLink(ticketId: string, otherId: string, role: LinkRole) {
  if (role === "child")
    return { kind: "parent" as TicketLinkKind, fromTicketId: ticketId, toTicketId: otherId };
  if (role === "parent")
    return { kind: "parent" as TicketLinkKind, fromTicketId: otherId, toTicketId: ticketId };
  // Related links are symmetric: stored once, smaller id first, so a pair cannot be linked twice.
  const [a, b] = [ticketId, otherId].sort();
  return { kind: "related" as TicketLinkKind, fromTicketId: a, toTicketId: b };
}

function mirrorRole(role: LinkRole): LinkRole {
  return role === "child" ? "parent" : role === "parent" ? "child" : "related";
}

/** A child has one parent, and no ticket may end up its own ancestor. */
async function checkParentLink(tx: DbOrTx, orgId: string, parentId: string, childId: string) {
  const [existing] = await tx
    .select({ fromTicketId: ticketLinks.fromTicketId })
    .from(ticketLinks)
    .where(
      and(eq(ticketLinks.orgId, orgId), eq(ticketLinks.kind, "parent"), eq(ticketLinks.toTicketId, childId)),
    );
  if (existing) {
    const [parent] = await ticketSummaries(tx, orgId, [existing.fromTicketId]);
    throw invalid({
      other: `The child already has a parent (${formatTicketNumber(parent.number)}); remove that link first.`,
    });
  }
  // Walk up from the new parent: meeting the child would make a circle.
  let cursor: string | undefined = parentId;
  for (let depth = 0; cursor && depth < 100; depth++) {
    if (cursor === childId) throw invalid({ other: "That link would make a ticket its own ancestor." });
    const [up] = await tx
      .select({ fromTicketId: ticketLinks.fromTicketId })
      .from(ticketLinks)
      .where(
        and(eq(ticketLinks.orgId, orgId), eq(ticketLinks.kind, "parent"), eq(ticketLinks.toTicketId, cursor)),
      );
    cursor = up?.fromTicketId;
  }
}

export async function removeLink(ctx: Ctx, ref: TicketRef, linkId: string) {
  requirePermission(ctx.actor, "tickets.work");
  if (!isUuid(linkId)) throw notFound("That link");
  return ctx.db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, ctx.actor, ref, { forUpdate: true });
    const [row] = await tx
      .delete(ticketLinks)
      .where(
        and(
          eq(ticketLinks.orgId, ctx.actor.orgId),
          eq(ticketLinks.id, linkId),
          or(eq(ticketLinks.fromTicketId, ticket.id), eq(ticketLinks.toTicketId, ticket.id)),
        ),
      )
      .returning();
    if (!row) throw notFound("That link");
    const otherId = row.fromTicketId === ticket.id ? row.toTicketId : row.fromTicketId;
    const [other] = await ticketSummaries(tx, ctx.actor.orgId, [otherId]);
    await appendEvent(tx, ctx, {
      type: "ticket.unlinked",
      ticketId: ticket.id,
      data: { kind: row.kind, otherId, otherNumber: other?.number },
    });
    await appendEvent(tx, ctx, {
      type: "ticket.unlinked",
      ticketId: otherId,
      data: { kind: row.kind, otherId: ticket.id, otherNumber: ticket.number },
    });
  });
}

/**
 * Why a parent cannot be solved yet: its children still open, in words; undefined when none is.
 * Solving the parent first would tell its customers the matter is settled while parts are not.
 */
export async function openChildrenProblem(
  db: DbOrTx,
  orgId: string,
  ticketId: string,
): Promise<string | undefined> {
  const open = await db
    .select({ number: tickets.number })
    .from(ticketLinks)
    .innerJoin(tickets, and(eq(tickets.orgId, ticketLinks.orgId), eq(tickets.id, ticketLinks.toTicketId)))
    .where(
      and(
        eq(ticketLinks.orgId, orgId),
        eq(ticketLinks.kind, "parent"),
        eq(ticketLinks.fromTicketId, ticketId),
        inArray(tickets.status, [...OPEN_STATUSES]),
      ),
    )
    .orderBy(tickets.number)
    .limit(6);
  if (open.length === 0) return undefined;
  const names = open.slice(0, 5).map((t) => formatTicketNumber(t.number));
  return `Solve its child ticket${open.length === 1 ? "" : "s"} first: ${names.join(", ")}${open.length > 5 ? " and more" : ""} ${open.length === 1 ? "is" : "are"} still open.`;
}
