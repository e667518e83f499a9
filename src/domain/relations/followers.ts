// Followers of a ticket: colleagues (told in the product and by mail, as each prefers) and
// contacts (copied on its replies; the mail side's ticket_followers). Also what follows a new
// message: its @mentions, and the word to the ticket's followers.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { contacts, ticketAgentFollowers, ticketFollowers, users } from "../../../db/schema";
import { type Ctx, requirePermission, STAFF_ROLES } from "../context";
import { invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { notifyUsers } from "../notifications/notify";
import { formatTicketNumber } from "../orgs/counters";
import { prepared } from "../prepared";
import { findVisibleTicket, type TicketRef, type TicketRow } from "../tickets/access";
import { findOrCreateContact, isEmail } from "../tickets/people";
import { isUuid } from "../tickets/rules";
import { recordMentions } from "./mentions";

export interface Followers {
  agents: { userId: string; name: string }[];
  contacts: { contactId: string; name: string; email: string | null }[];
}

export async function followersOf(db: DbOrTx, orgId: string, ticketId: string): Promise<Followers> {
  const params = { orgId, ticketId };
  const [agents, people] = await Promise.all([
    prepared(db, "agentFollowers", () =>
      db
        .select({ userId: users.id, name: users.name })
        .from(ticketAgentFollowers)
        .innerJoin(
          users,
          and(eq(users.orgId, ticketAgentFollowers.orgId), eq(users.id, ticketAgentFollowers.userId)),
        )
        .where(
          and(
            eq(ticketAgentFollowers.orgId, sql.placeholder("orgId")),
            eq(ticketAgentFollowers.ticketId, sql.placeholder("ticketId")),
          ),
        )
        .orderBy(asc(users.name))
        .prepare("agent_followers"),
    ).execute(params),
    prepared(db, "contactFollowers", () =>
      db
        .select({ contactId: contacts.id, name: contacts.name, email: contacts.email })
        .from(ticketFollowers)
        .innerJoin(
          contacts,
          and(eq(contacts.orgId, ticketFollowers.orgId), eq(contacts.id, ticketFollowers.contactId)),
        )
        .where(
          and(
            eq(ticketFollowers.orgId, sql.placeholder("orgId")),
            eq(ticketFollowers.ticketId, sql.placeholder("ticketId")),
          ),
        )
        .orderBy(asc(contacts.email))
        .prepare("contact_followers"),
    ).execute(params),
  ]);
  return { agents, contacts: people };
}

/** The colleagues following a ticket (staff only: a follower whose role changed is left out). */
async function staffFollowers(tx: DbOrTx, orgId: string, ticketId: string): Promise<string[]> {
  const rows = await tx
    .select({ userId: ticketAgentFollowers.userId })
    .from(ticketAgentFollowers)
    .innerJoin(
      users,
      and(eq(users.orgId, ticketAgentFollowers.orgId), eq(users.id, ticketAgentFollowers.userId)),
    )
    .where(
      and(
        eq(ticketAgentFollowers.orgId, orgId),
        eq(ticketAgentFollowers.ticketId, ticketId),
        inArray(users.role, [...STAFF_ROLES]),
      ),
    );
  return rows.map((r) => r.userId);
}

/** Colleagues following a ticket hear when its status changes, except whoever changed it. */
export async function afterStatusChange(
  tx: DbOrTx,
  ctx: Ctx,
  ticket: TicketRow,
  change: { from: string; to: string },
) {
  const told = (await staffFollowers(tx, ctx.actor.orgId, ticket.id)).filter((id) => id !== ctx.actor.userId);
  if (told.length === 0) return;
  const number = formatTicketNumber(ticket.number);
  const words = (status: string) => status.replace("_", " ");
  await notifyUsers(
    tx,
    {
      orgId: ctx.actor.orgId,
      userIds: told,
      kind: "ticket.followed_status",
      ticketId: ticket.id,
      title: `${number} is now ${words(change.to)}`,
      body: `${ticket.subject}\n\n${ctx.actor.name} changed the status from ${words(change.from)} to ${words(change.to)}.`,
      url: `/desk/tickets/${number}`,
    },
    ctx.now,
  );
}

/** Adds colleagues as followers; those already following are left as they are. */
export async function addAgentFollowers(
  tx: DbOrTx,
  orgId: string,
  ticketId: string,
  userIds: string[],
  now: Date,
) {
  if (userIds.length === 0) return;
  await tx
    .insert(ticketAgentFollowers)
    .values(userIds.map((userId) => ({ orgId, ticketId, userId, createdAt: now })))
    .onConflictDoNothing();
}

/**
 * Follows a ticket: the signed-in colleague themself (no input), or a contact by email address,
 * who is then copied on the ticket's replies and may read and answer it in the portal.
 */
export async function follow(ctx: Ctx, ref: TicketRef, input: { email?: string } = {}) {
  requirePermission(ctx.actor, "tickets.work");
  const email = input.email?.trim().toLowerCase();
  if (email !== undefined && !isEmail(email)) throw invalid({ email: "Enter the follower's email address." });
  return ctx.db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, ctx.actor, ref, { forUpdate: true });
    if (email === undefined) {
      if (!ctx.actor.userId) throw invalid({ email: "Enter the follower's email address." });
      await addAgentFollowers(tx, ctx.actor.orgId, ticket.id, [ctx.actor.userId], ctx.now);
      await appendEvent(tx, ctx, {
        type: "ticket.follower_added",
        ticketId: ticket.id,
        data: { userId: ctx.actor.userId, name: ctx.actor.name },
      });
      return;
    }
    const contact = await findOrCreateContact(tx, ctx.actor.orgId, { email }, ctx.now);
    if (contact.id === ticket.contactId)
      throw invalid({ email: "That is the ticket's requester; they already receive every reply." });
    await tx
      .insert(ticketFollowers)
      .values({ orgId: ctx.actor.orgId, ticketId: ticket.id, contactId: contact.id, createdAt: ctx.now })
      .onConflictDoNothing();
    await appendEvent(tx, ctx, {
      type: "ticket.follower_added",
      ticketId: ticket.id,
      data: { contactId: contact.id, email },
    });
  });
}

/** Stops a follower: the signed-in colleague, another colleague (by id) or a contact (by id). */
export async function unfollow(
  ctx: Ctx,
  ref: TicketRef,
  input: { userId?: string; contactId?: string } = {},
) {
  requirePermission(ctx.actor, "tickets.work");
  const userId = input.contactId ? undefined : (input.userId ?? ctx.actor.userId);
  return ctx.db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, ctx.actor, ref, { forUpdate: true });
    if (input.contactId) {
      if (!isUuid(input.contactId)) throw notFound("That follower");
      const [row] = await tx
        .delete(ticketFollowers)
        .where(
          and(
            eq(ticketFollowers.orgId, ctx.actor.orgId),
            eq(ticketFollowers.ticketId, ticket.id),
            eq(ticketFollowers.contactId, input.contactId),
          ),
        )
        .returning();
      if (!row) throw notFound("That follower");
      await appendEvent(tx, ctx, {
        type: "ticket.follower_removed",
        ticketId: ticket.id,
        data: { contactId: input.contactId },
      });
      return;
    }
    if (!userId || !isUuid(userId)) throw notFound("That follower");
    const [row] = await tx
      .delete(ticketAgentFollowers)
      .where(
        and(
          eq(ticketAgentFollowers.orgId, ctx.actor.orgId),
          eq(ticketAgentFollowers.ticketId, ticket.id),
          eq(ticketAgentFollowers.userId, userId),
        ),
      )
      .returning();
    if (!row) throw notFound("That follower");
    await appendEvent(tx, ctx, { type: "ticket.follower_removed", ticketId: ticket.id, data: { userId } });
  });
}

/**
 * What a new message on a ticket sets off besides the ticket's own rules: the colleagues an
 * internal note @mentions are told and follow the ticket from then on; every other colleague
 * following it hears of the message, except its author and an assignee already told of it.
 */
export async function afterMessage(
  tx: DbOrTx,
  ctx: Ctx,
  ticket: TicketRow,
  message: { id: string; kind: "reply" | "note"; body: string; assigneeTold: boolean },
) {
  const number = formatTicketNumber(ticket.number);
  const url = `/desk/tickets/${number}#m-${message.id}`;
  const mentioned = message.kind === "note" ? await recordMentions(tx, ctx, message) : [];
  const skip = new Set([
    ctx.actor.userId,
    ...mentioned,
    message.assigneeTold ? ticket.assigneeId : undefined,
  ]);
  if (mentioned.length) {
    await notifyUsers(
      tx,
      {
        orgId: ctx.actor.orgId,
        userIds: mentioned,
        kind: "ticket.mentioned",
        ticketId: ticket.id,
        title: `${ctx.actor.name} mentioned you on ${number}`,
        body: `${ticket.subject}\n\n${message.body.slice(0, 500)}`,
        url,
      },
      ctx.now,
    );
    await addAgentFollowers(tx, ctx.actor.orgId, ticket.id, mentioned, ctx.now);
  }
  const told = (await staffFollowers(tx, ctx.actor.orgId, ticket.id)).filter((id) => !skip.has(id));
  if (told.length === 0) return;
  const what = message.kind === "note" ? "added an internal note" : "replied";
  await notifyUsers(
    tx,
    {
      orgId: ctx.actor.orgId,
      userIds: told,
      kind: "ticket.followed_message",
      ticketId: ticket.id,
      title: `${ctx.actor.name} ${what} on ${number}`,
      body: `${ticket.subject}\n\n${message.body.slice(0, 500)}`,
      url,
    },
    ctx.now,
  );
}
