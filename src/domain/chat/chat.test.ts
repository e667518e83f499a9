// Live chat rules: only when an agent is online; one agent per chat; customers see only their own
// chats; ending files the transcript as a ticket on the chat channel, assigned to the agent.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { contacts, tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { getTicket } from "../tickets/queries";
import {
  acceptChat,
  agentsOnline,
  endChat,
  getChat,
  listChats,
  postChatMessage,
  startChat,
  touchPresence,
} from "./chat";

let org: Fixture;
const t0 = new Date("2026-05-04T02:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

beforeAll(async () => {
  org = await createOrg("Chat");
});

describe("live chat", () => {
  test("a customer cannot start a chat while no agent is online", async () => {
    const lonely = await createOrg("Lonely chat");
    await expect(startChat(lonely.ctx("customer", t0), { body: "Hello?" })).rejects.toMatchObject({
      status: 409,
    });
    await touchPresence(lonely.ctx("agent", t0));
    expect(await agentsOnline(lonely.ctx("agent").db, lonely.orgId, at(0.5))).toBe(1);
    expect(await agentsOnline(lonely.ctx("agent").db, lonely.orgId, at(2))).toBe(0);
  });

  test("a chat from start to ticket: accept, talk, end, transcript filed and assigned", async () => {
    await touchPresence(org.ctx("agent", t0));
    const chatId = await startChat(org.ctx("customer", at(0.1)), { body: "My fridge is beeping" });
    expect((await listChats(org.ctx("agent", at(0.2)))).waiting.map((c) => c.id)).toContain(chatId);
    await acceptChat(org.ctx("agent", at(0.3)), chatId);
    await expect(acceptChat(org.ctx("supervisor", at(0.35)), chatId)).rejects.toMatchObject({ status: 409 });
    await postChatMessage(org.ctx("agent", at(0.4)), chatId, { body: "Is the door fully closed?" });
    await postChatMessage(org.ctx("customer", at(0.5)), chatId, { body: "Yes, it still beeps" });
    const detail = await getChat(org.ctx("customer", at(0.6)), chatId);
    expect(detail.messages.map((m) => [m.author, m.body])).toEqual([
      ["customer", "My fridge is beeping"],
      ["agent", "Is the door fully closed?"],
      ["customer", "Yes, it still beeps"],
    ]);

    const number = await endChat(org.ctx("customer", at(1)), chatId);
    const ticket = await getTicket(org.ctx("agent"), number);
    expect(ticket.ticket).toMatchObject({ channel: "chat", assigneeId: org.users.agent.id, status: "open" });
    expect(ticket.ticket.subject).toBe("Chat: My fridge is beeping");
    expect(ticket.messages[0].body).toContain("Agent Chat: Is the door fully closed?");
    await expect(
      postChatMessage(org.ctx("customer", at(2)), chatId, { body: "one more" }),
    ).rejects.toMatchObject({
      status: 409,
    });
    await expect(endChat(org.ctx("agent", at(2)), chatId)).rejects.toMatchObject({ status: 409 });
  });

  test("another customer, or another organization, never sees the chat", async () => {
    await touchPresence(org.ctx("agent", t0));
    const chatId = await startChat(org.ctx("customer", at(0.2)), { body: "Private question" });
    const { db } = await testDatabase();
    const [other] = await db
      .insert(contacts)
      .values({ orgId: org.orgId, name: "Other Customer", email: `other-${Date.now()}@chat.test` })
      .returning();
    const otherCustomer = {
      ...org.ctx("customer"),
      actor: { ...org.ctx("customer").actor, contactId: other.id },
    };
    await expect(getChat(otherCustomer, chatId)).rejects.toMatchObject({ status: 404 });
    await expect(postChatMessage(otherCustomer, chatId, { body: "hi" })).rejects.toMatchObject({
      status: 404,
    });
    const stranger = await createOrg("Chat stranger");
    await expect(getChat(stranger.ctx("agent"), chatId)).rejects.toMatchObject({ status: 404 });
    await expect(acceptChat(stranger.ctx("agent"), chatId)).rejects.toMatchObject({ status: 404 });
    await expect(startChat(org.ctx("agent"), { body: "x" })).rejects.toMatchObject({ status: 403 });
    await expect(postChatMessage(org.ctx("customer"), chatId, { body: "   " })).rejects.toMatchObject({
      status: 422,
      fields: { body: "Write a message." },
    });
    const rows = await db
      .select()
      .from(tickets)
      .where(and(eq(tickets.orgId, org.orgId), eq(tickets.channel, "chat")));
    expect(rows.every((r) => r.subject !== "Chat: Private question")).toBe(true);
  });
});
