// Live chat: a signed-in customer starts a chat when an agent is online; an agent accepts it and
// they write to each other; when either ends it, the transcript becomes a ticket on the chat
// channel. Every step is an event carrying the chat's id, which is what refreshes open pages.
import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  agentPresence,
  type ChatStatus,
  chatMessages,
  chats,
  contacts,
  tickets as ticketsTable,
  users,
} from "../../../db/schema";
import { type Actor, type Ctx, can, customerActor, requirePermission, STAFF_ROLES } from "../context";
import { conflict, forbidden, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { createTicket } from "../tickets/commands";
import { isUuid } from "../tickets/rules";

/** An agent who had the chat inbox open this recently is online. */
export const PRESENCE_MS = 60_000;
const MESSAGE_MAX = 5_000;

/** Records that the agent has the chat inbox open. */
export async function touchPresence(ctx: Ctx): Promise<void> {
  requirePermission(ctx.actor, "tickets.work");
  if (!ctx.actor.userId) return;
  await ctx.db
    .insert(agentPresence)
    .values({ userId: ctx.actor.userId, orgId: ctx.actor.orgId, lastSeenAt: ctx.now })
    .onConflictDoUpdate({ target: agentPresence.userId, set: { lastSeenAt: ctx.now } });
}

/** How many agents of the organization are online now. */
export async function agentsOnline(db: DbOrTx, orgId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(agentPresence)
    .innerJoin(users, and(eq(users.id, agentPresence.userId), eq(users.active, true)))
    .where(
      and(
        eq(agentPresence.orgId, orgId),
        gt(agentPresence.lastSeenAt, new Date(now.getTime() - PRESENCE_MS)),
        inArray(users.role, [...STAFF_ROLES]),
      ),
    );
  return Number(row?.n ?? 0);
}

function checkBody(body: string | undefined): string {
  const text = (body ?? "").trim();
  if (!text) throw invalid({ body: "Write a message." });
  if (text.length > MESSAGE_MAX) throw invalid({ body: `Keep a message under ${MESSAGE_MAX} characters.` });
  return text;
}

function requireCustomer(actor: Actor): string {
  if (actor.role !== "customer" || !actor.contactId) throw forbidden("Only customers start chats.");
  return actor.contactId;
}

/** Starts a chat with its first message; refused when nobody is online to answer. */
export async function startChat(ctx: Ctx, input: { body?: string }): Promise<string> {
  const contactId = requireCustomer(ctx.actor);
  const body = checkBody(input.body);
  if ((await agentsOnline(ctx.db, ctx.actor.orgId, ctx.now)) === 0) {
    throw conflict(
      "Nobody is available to chat right now. Write to us instead, and we will answer by email.",
    );
  }
  return ctx.db.transaction(async (tx) => {
    const [chat] = await tx
      .insert(chats)
      .values({ orgId: ctx.actor.orgId, contactId, createdAt: ctx.now })
      .returning({ id: chats.id });
    await tx.insert(chatMessages).values({
      orgId: ctx.actor.orgId,
      chatId: chat.id,
      author: "customer",
      body,
      createdAt: ctx.now,
    });
    await appendEvent(tx, ctx, { type: "chat.started", data: { chatId: chat.id } });
    return chat.id;
  });
}

type ChatRow = typeof chats.$inferSelect;

/** The chat if the actor may see it: staff of its organization, or the customer it belongs to. */
async function visibleChat(db: DbOrTx, actor: Actor, chatId: string, forUpdate = false): Promise<ChatRow> {
  if (!isUuid(chatId)) throw notFound("That chat");
  let query = db
    .select()
    .from(chats)
    .where(and(eq(chats.orgId, actor.orgId), eq(chats.id, chatId)))
    .$dynamic();
  if (forUpdate) query = query.for("update");
  const [chat] = await query;
  if (!chat) throw notFound("That chat");
  if (can(actor, "tickets.work")) return chat;
  if (actor.role === "customer" && actor.contactId === chat.contactId) return chat;
  throw notFound("That chat");
}

export async function getChat(ctx: Ctx, chatId: string) {
  const chat = await visibleChat(ctx.db, ctx.actor, chatId);
  const messages = await ctx.db
    .select({
      id: chatMessages.id,
      author: chatMessages.author,
      body: chatMessages.body,
      createdAt: chatMessages.createdAt,
      agentName: users.name,
    })
    .from(chatMessages)
    .leftJoin(users, and(eq(users.orgId, chatMessages.orgId), eq(users.id, chatMessages.authorUserId)))
    .where(and(eq(chatMessages.orgId, ctx.actor.orgId), eq(chatMessages.chatId, chat.id)))
    .orderBy(asc(chatMessages.createdAt), asc(chatMessages.id));
  const [contact] = await ctx.db
    .select({ name: contacts.name, email: contacts.email })
    .from(contacts)
    .where(and(eq(contacts.orgId, ctx.actor.orgId), eq(contacts.id, chat.contactId)));
  return { chat, contact, messages };
}

export type ChatDetail = Awaited<ReturnType<typeof getChat>>;

/** A message from the customer or from an agent; an agent writing to a waiting chat takes it. */
export async function postChatMessage(ctx: Ctx, chatId: string, input: { body?: string }): Promise<void> {
  const body = checkBody(input.body);
  const isAgent = can(ctx.actor, "tickets.work");
  await ctx.db.transaction(async (tx) => {
    const chat = await visibleChat(tx, ctx.actor, chatId, true);
    if (chat.status === "ended") throw conflict("This chat has ended.");
    if (isAgent) await takeChat(tx, ctx, chat);
    await tx.insert(chatMessages).values({
      orgId: ctx.actor.orgId,
      chatId: chat.id,
      author: isAgent ? "agent" : "customer",
      authorUserId: isAgent ? (ctx.actor.userId ?? null) : null,
      body,
      createdAt: ctx.now,
    });
    await appendEvent(tx, ctx, { type: "chat.message", data: { chatId: chat.id } });
  });
}

/** Makes the acting agent the chat's agent; another agent's active chat is not taken over. */
async function takeChat(tx: DbOrTx, ctx: Ctx, chat: ChatRow) {
  if (chat.status === "active") {
    if (chat.agentUserId !== ctx.actor.userId) throw conflict("Another agent is already in this chat.");
    return;
  }
  await tx
    .update(chats)
    .set({ status: "active", agentUserId: ctx.actor.userId ?? null, acceptedAt: ctx.now })
    .where(and(eq(chats.orgId, ctx.actor.orgId), eq(chats.id, chat.id)));
  await appendEvent(tx, ctx, { type: "chat.accepted", data: { chatId: chat.id } });
}

export async function acceptChat(ctx: Ctx, chatId: string): Promise<void> {
  requirePermission(ctx.actor, "tickets.work");
  await ctx.db.transaction(async (tx) => {
    const chat = await visibleChat(tx, ctx.actor, chatId, true);
    if (chat.status === "ended") throw conflict("This chat has ended.");
    await takeChat(tx, ctx, chat);
  });
}

/** Ends the chat and files its transcript as a ticket (assigned to the chat's agent); returns its number. */
export async function endChat(ctx: Ctx, chatId: string): Promise<number> {
  const isAgent = can(ctx.actor, "tickets.work");
  if (!isAgent) requireCustomer(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const chat = await visibleChat(tx, ctx.actor, chatId, true);
    if (chat.status === "ended") throw conflict("This chat has already ended.");
    const detail = await getChat({ ...ctx, db: tx as unknown as Db }, chat.id);
    const first = detail.messages.find((m) => m.author === "customer")?.body ?? "Chat";
    const customer = customerActor(ctx.actor.orgId, {
      id: chat.contactId,
      name: detail.contact?.name ?? "Customer",
    });
    // Filed in the customer's name, like their other tickets; the agent who chatted takes it.
    const ticket = await createTicket(
      { db: tx as unknown as Db, actor: customer, now: ctx.now, files: ctx.files },
      {
        subject: `Chat: ${first.replace(/\s+/g, " ").slice(0, 80)}`,
        body: transcript(detail),
        channel: "chat",
      },
    );
    await tx
      .update(chats)
      .set({ status: "ended", endedAt: ctx.now, ticketId: ticket.id })
      .where(and(eq(chats.orgId, ctx.actor.orgId), eq(chats.id, chat.id)));
    if (chat.agentUserId) {
      await tx
        .update(ticketsTable)
        .set({ assigneeId: chat.agentUserId, status: "open" })
        .where(and(eq(ticketsTable.orgId, ctx.actor.orgId), eq(ticketsTable.id, ticket.id)));
      await appendEvent(tx, ctx, {
        type: "ticket.assigned",
        ticketId: ticket.id,
        data: { from: null, to: chat.agentUserId },
      });
    }
    await appendEvent(tx, ctx, { type: "chat.ended", data: { chatId: chat.id, ticketId: ticket.id } });
    return ticket.number;
  });
}

/** The conversation as plain text: one line per message, with the time and who wrote it. */
export function transcript(detail: ChatDetail): string {
  const customerName = detail.contact?.name ?? "Customer";
  const lines = detail.messages.map((m) => {
    const who =
      m.author === "customer" ? customerName : m.author === "agent" ? (m.agentName ?? "Agent") : "System";
    return `[${m.createdAt.toISOString().slice(11, 16)} UTC] ${who}: ${m.body}`;
  });
  return `Chat transcript\n\n${lines.join("\n")}`;
}

/** The agents' chat inbox: waiting chats first (oldest first), then active ones. */
export async function listChats(ctx: Ctx) {
  requirePermission(ctx.actor, "tickets.work");
  const rows = await ctx.db
    .select({
      id: chats.id,
      status: chats.status,
      createdAt: chats.createdAt,
      agentUserId: chats.agentUserId,
      agentName: users.name,
      contactName: contacts.name,
    })
    .from(chats)
    .innerJoin(contacts, and(eq(contacts.orgId, chats.orgId), eq(contacts.id, chats.contactId)))
    .leftJoin(users, and(eq(users.orgId, chats.orgId), eq(users.id, chats.agentUserId)))
    .where(
      and(eq(chats.orgId, ctx.actor.orgId), inArray(chats.status, ["waiting", "active"] as ChatStatus[])),
    )
    .orderBy(asc(chats.createdAt))
    .limit(200);
  return {
    waiting: rows.filter((r) => r.status === "waiting"),
    active: rows.filter((r) => r.status === "active"),
    online: await agentsOnline(ctx.db, ctx.actor.orgId, ctx.now),
  };
}

/** The customer's chat still open, if any: the portal takes them back to it. */
export async function openChatOf(ctx: Ctx): Promise<string | undefined> {
  const contactId = requireCustomer(ctx.actor);
  const [row] = await ctx.db
    .select({ id: chats.id })
    .from(chats)
    .where(
      and(
        eq(chats.orgId, ctx.actor.orgId),
        eq(chats.contactId, contactId),
        inArray(chats.status, ["waiting", "active"] as ChatStatus[]),
      ),
    )
    .orderBy(desc(chats.createdAt))
    .limit(1);
  return row?.id;
}
