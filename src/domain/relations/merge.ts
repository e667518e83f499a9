// Merging a duplicate into the ticket that carries on: its conversation (messages, files, mail,
// followers, tags) moves over in one transaction, the duplicate is closed pointing at the
// survivor, both histories say so, and the duplicate's customer is told where it continues.
import { and, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import {
  attachments,
  contacts,
  inboundEmails,
  outboxMessages,
  ticketAgentFollowers,
  ticketFollowers,
  ticketLinks,
  ticketMessages,
  tickets,
  ticketTimeEntries,
} from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { orgForMail, queueMail } from "../email/outbox";
import { conflict, invalid } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { formatTicketNumber, parseTicketNumber } from "../orgs/counters";
import { refreshTicketSla } from "../sla/tickets";
import { findVisibleTicket, type TicketRef, type TicketRow } from "../tickets/access";
import { insertMessage } from "../tickets/commands";
import { OPEN_STATUSES } from "../tickets/rules";
import { namedTicket } from "./tickets";

/** How far a chain of merges is followed; merging into a merged ticket is refused, so one step is usual. */
const MAX_CHAIN = 20;

/** The id of the ticket a merged one continues in (its own id when it was never merged). */
export async function followMerges(db: DbOrTx, orgId: string, ticketId: string): Promise<string> {
  let current = ticketId;
  for (let step = 0; step < MAX_CHAIN; step++) {
    const [row] = await db
      .select({ mergedIntoId: tickets.mergedIntoId })
      .from(tickets)
      .where(and(eq(tickets.orgId, orgId), eq(tickets.id, current)));
    if (!row?.mergedIntoId) break;
    current = row.mergedIntoId;
  }
  return current;
}

/**
 * The ticket a merged one continues in, when the actor may see it (a customer follows it once
 * their ticket is merged); undefined otherwise.
 */
export async function continuationFor(ctx: Ctx, ticket: TicketRow): Promise<TicketRow | undefined> {
  if (!ticket.mergedIntoId) return undefined;
  const survivorId = await followMerges(ctx.db, ctx.actor.orgId, ticket.id);
  return findVisibleTicket(ctx.db, ctx.actor, survivorId).catch(() => undefined);
}

/** Why this ticket cannot be merged into that one, in words; undefined when it can. */
function mergeProblem(source: TicketRow, target: TicketRow): { field: string; message: string } | undefined {
  const name = (t: TicketRow) => formatTicketNumber(t.number);
  if (source.mergedIntoId) return { field: "target", message: `${name(source)} has already been merged.` };
  if (source.status === "closed")
    return { field: "target", message: `${name(source)} is closed and can no longer change.` };
  if (target.id === source.id) return { field: "target", message: "A ticket cannot be merged into itself." };
  if (target.mergedIntoId)
    return {
      field: "target",
      message: `${name(target)} was itself merged into another ticket; merge into that one instead.`,
    };
  if (target.status === "closed")
    return { field: "target", message: `${name(target)} is closed; choose an open ticket to carry on in.` };
  return undefined;
}

export interface MergePreview {
  source: TicketRow;
  target: TicketRow;
  messages: number;
  attachments: number;
  requesterEmail: string;
  sameRequester: boolean;
}

/** What a merge would do, for the confirmation page; refuses what mergeTickets would refuse. */
export async function previewMerge(ctx: Ctx, ref: TicketRef, typedTarget: string): Promise<MergePreview> {
  requirePermission(ctx.actor, "tickets.work");
  const source = await findVisibleTicket(ctx.db, ctx.actor, ref);
  const named = await namedTicket(ctx.db, ctx.actor.orgId, typedTarget, "target");
  const target = await findVisibleTicket(ctx.db, ctx.actor, named.id);
  const problem = mergeProblem(source, target);
  if (problem) throw invalid({ [problem.field]: problem.message });
  const [counts] = await ctx.db
    .select({
      messages: sql<number>`(select count(*)::int from ${ticketMessages} where org_id = ${ctx.actor.orgId} and ticket_id = ${source.id})`,
      attachments: sql<number>`(select count(*)::int from ${attachments} where org_id = ${ctx.actor.orgId} and ticket_id = ${source.id})`,
      email: contacts.email,
    })
    .from(contacts)
    .where(and(eq(contacts.orgId, ctx.actor.orgId), eq(contacts.id, source.contactId)));
  return {
    source,
    target,
    messages: Number(counts?.messages ?? 0),
    attachments: Number(counts?.attachments ?? 0),
    requesterEmail: counts?.email ?? "",
    sameRequester: source.contactId === target.contactId,
  };
}

/** Open tickets an agent may merge this one into: by number, or by words of the subject; same requester first. */
export async function mergeCandidates(ctx: Ctx, ref: TicketRef, typed: string) {
  requirePermission(ctx.actor, "tickets.work");
  const source = await findVisibleTicket(ctx.db, ctx.actor, ref);
  const q = typed.trim().slice(0, 200);
  const number = parseTicketNumber(q);
  const bySubject =
    q.length >= 2 ? sql`${tickets.subject} ilike ${`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : undefined;
  const matches = number !== undefined ? or(eq(tickets.number, number), bySubject) : bySubject;
  return ctx.db
    .select({ number: tickets.number, subject: tickets.subject, status: tickets.status })
    .from(tickets)
    .where(
      and(
        eq(tickets.orgId, ctx.actor.orgId),
        ne(tickets.id, source.id),
        sql`${tickets.mergedIntoId} is null`,
        inArray(tickets.status, [...OPEN_STATUSES, "solved"]),
        matches ?? eq(tickets.contactId, source.contactId),
      ),
    )
    .orderBy(sql`(${tickets.contactId} = ${source.contactId}) desc`, sql`${tickets.updatedAt} desc`)
    .limit(10);
}

/** Locks both tickets in id order, so two merges of the same pair cannot deadlock. */
async function lockPair(tx: DbOrTx, orgId: string, a: string, b: string): Promise<Map<string, TicketRow>> {
  const rows = await tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.orgId, orgId), inArray(tickets.id, [a, b])))
    .orderBy(tickets.id)
    .for("update");
  return new Map(rows.map((r) => [r.id, r]));
}

export async function mergeTickets(ctx: Ctx, ref: TicketRef, input: { target: string }) {
  requirePermission(ctx.actor, "tickets.work");
  const orgId = ctx.actor.orgId;
  return ctx.db.transaction(async (tx) => {
    const { id: sourceId } = await findVisibleTicket(tx, ctx.actor, ref);
    const { id: targetId } = await namedTicket(tx, orgId, input.target, "target");
    const locked = await lockPair(tx, orgId, sourceId, targetId);
    const source = locked.get(sourceId) as TicketRow;
    const target = locked.get(targetId) as TicketRow;
    const problem = mergeProblem(source, target);
    if (problem) {
      if (problem.field === "target" && source.mergedIntoId) throw conflict(problem.message);
      throw invalid({ [problem.field]: problem.message });
    }
    const { moved, copied } = await moveConversation(tx, orgId, source, target, ctx.now);
    const tags = [...new Set([...target.tags, ...source.tags])];
    await tx
      .update(tickets)
      .set({ status: "closed", mergedIntoId: target.id, updatedAt: ctx.now })
      .where(and(eq(tickets.orgId, orgId), eq(tickets.id, source.id)));
    await tx
      .update(tickets)
      .set({ tags, updatedAt: ctx.now })
      .where(and(eq(tickets.orgId, orgId), eq(tickets.id, target.id)));
    await appendEvent(tx, ctx, {
      type: "ticket.status_changed",
      ticketId: source.id,
      data: { from: source.status, to: "closed" },
    });
    await appendEvent(tx, ctx, {
      type: "ticket.merged",
      ticketId: source.id,
      data: { intoId: target.id, intoNumber: target.number, messages: moved },
    });
    await appendEvent(tx, ctx, {
      type: "ticket.merge_received",
      ticketId: target.id,
      data: { fromId: source.id, fromNumber: source.number, messages: moved },
    });
    await tellCustomer(tx, ctx, source, target, copied);
    await refreshTicketSla(tx, orgId, source.id, ctx.now);
    await refreshTicketSla(tx, orgId, target.id, ctx.now);
    return { source: { ...source, status: "closed" as const, mergedIntoId: target.id }, target, moved };
  });
}

/** Moves the duplicate's messages, files, mail records and followers to the survivor. */
async function moveConversation(tx: DbOrTx, orgId: string, source: TicketRow, target: TicketRow, now: Date) {
  const onSource = (table: { orgId: AnyPgColumn; ticketId: AnyPgColumn }) =>
    and(eq(table.orgId, orgId), eq(table.ticketId, source.id));
  const moved = await tx
    .update(ticketMessages)
    .set({ ticketId: target.id })
    .where(onSource(ticketMessages))
    .returning({ id: ticketMessages.id });
  await tx.update(attachments).set({ ticketId: target.id }).where(onSource(attachments));
  // The mail records move too: a reply naming any message of the thread then threads to the survivor.
  await tx.update(inboundEmails).set({ ticketId: target.id }).where(onSource(inboundEmails));
  await tx.update(outboxMessages).set({ ticketId: target.id }).where(onSource(outboxMessages));
  // The duplicate's requester and copied contacts follow the survivor: they keep receiving replies.
  const people = await tx
    .select({ contactId: ticketFollowers.contactId })
    .from(ticketFollowers)
    .where(onSource(ticketFollowers));
  const contactIds = [source.contactId, ...people.map((p) => p.contactId)].filter(
    (id) => id !== target.contactId,
  );
  if (contactIds.length) {
    await tx
      .insert(ticketFollowers)
      .values(
        [...new Set(contactIds)].map((contactId) => ({
          orgId,
          ticketId: target.id,
          contactId,
          createdAt: now,
        })),
      )
      .onConflictDoNothing();
  }
  await tx.delete(ticketFollowers).where(onSource(ticketFollowers));
  const colleagues = await tx
    .select({ userId: ticketAgentFollowers.userId })
    .from(ticketAgentFollowers)
    .where(onSource(ticketAgentFollowers));
  if (colleagues.length) {
    await tx
      .insert(ticketAgentFollowers)
      .values(colleagues.map((c) => ({ orgId, ticketId: target.id, userId: c.userId, createdAt: now })))
      .onConflictDoNothing();
  }
  await tx.delete(ticketAgentFollowers).where(onSource(ticketAgentFollowers));
  // Time spent on the duplicate was spent on the matter: it counts on the survivor (a running timer too).
  await tx.update(ticketTimeEntries).set({ ticketId: target.id }).where(onSource(ticketTimeEntries));
  await moveLinks(tx, orgId, source.id, target.id, now);
  return { moved: moved.length, copied: people.map((p) => p.contactId) };
}

/**
 * The duplicate's links become the survivor's. A link between the two goes; one the survivor
 * already has, or a second parent, is dropped (the survivor's own wins).
 */
async function moveLinks(tx: DbOrTx, orgId: string, sourceId: string, targetId: string, now: Date) {
  const links = await tx
    .select()
    .from(ticketLinks)
    .where(
      and(
        eq(ticketLinks.orgId, orgId),
        or(eq(ticketLinks.fromTicketId, sourceId), eq(ticketLinks.toTicketId, sourceId)),
      ),
    );
  if (links.length === 0) return;
  const swap = (id: string) => (id === sourceId ? targetId : id);
  const moved = links
    .map((l) => ({ ...l, fromTicketId: swap(l.fromTicketId), toTicketId: swap(l.toTicketId) }))
    .filter((l) => l.fromTicketId !== l.toTicketId)
    .map((l) =>
      // Related links are stored once, the smaller id first.
      l.kind === "related" && l.fromTicketId > l.toTicketId
        ? { ...l, fromTicketId: l.toTicketId, toTicketId: l.fromTicketId }
        : l,
    );
  await tx.delete(ticketLinks).where(
    and(
      eq(ticketLinks.orgId, orgId),
      inArray(
        ticketLinks.id,
        links.map((l) => l.id),
      ),
    ),
  );
  for (const l of moved)
    await tx
      .insert(ticketLinks)
      .values({
        orgId,
        kind: l.kind,
        fromTicketId: l.fromTicketId,
        toTicketId: l.toTicketId,
        createdByUserId: l.createdByUserId,
        createdAt: l.createdAt ?? now,
      })
      .onConflictDoNothing();
}

/**
 * A public reply on the survivor, mailed to the duplicate's requester (and its copied contacts)
 * from the survivor's thread, so their next answer lands there.
 */
async function tellCustomer(tx: DbOrTx, ctx: Ctx, source: TicketRow, target: TicketRow, copiedIds: string[]) {
  const from = formatTicketNumber(source.number);
  const into = formatTicketNumber(target.number);
  const body = `Your request ${from} “${source.subject}” has been merged into ${into} “${target.subject}”, which covers the same matter. We will continue there; to add anything, reply to this message.`;
  const messageId = await insertMessage(tx, ctx, target, { kind: "reply", body, channel: "web" }, []);
  await appendEvent(tx, ctx, {
    type: "message.agent_replied",
    ticketId: target.id,
    data: { messageId, kind: "reply", attachments: 0 },
  });
  const [contact] = await tx
    .select({ email: contacts.email, name: contacts.name })
    .from(contacts)
    .where(and(eq(contacts.orgId, ctx.actor.orgId), eq(contacts.id, source.contactId)));
  // A contact known only by phone has no address to tell; the public reply on the survivor stays.
  if (!contact?.email) return;
  const org = await orgForMail(tx, ctx.actor.orgId);
  const copied = copiedIds.length
    ? await tx
        .select({ email: contacts.email })
        .from(contacts)
        .where(and(eq(contacts.orgId, ctx.actor.orgId), inArray(contacts.id, copiedIds)))
    : [];
  await queueMail(
    tx,
    {
      orgId: ctx.actor.orgId,
      to: contact.email,
      cc: copied.flatMap((c) => (c.email && c.email !== contact.email ? [c.email] : [])),
      kind: "ticket_merged",
      ticket: { id: target.id, messageId },
      values: {
        "ticket.number": into,
        "ticket.subject": target.subject,
        "merged.number": from,
        "merged.subject": source.subject,
        "contact.name": contact.name,
        "agent.name": ctx.actor.name,
        "org.name": org.name,
        "portal.url": `${org.baseUrl}/portal/tickets/${into}`,
      },
    },
    ctx.now,
  );
}
