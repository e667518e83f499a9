// Ticket relations against a real database: merges (what moves, what is refused, where mail
// lands afterwards), splits, parent/child and related links, followers and @mentions.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import {
  attachments,
  events,
  mailboxes,
  messageMentions,
  notifications,
  outboxMessages,
  ticketAgentFollowers,
  ticketFollowers,
  ticketMessages,
  tickets,
} from "../../../db/schema";
import { createOrg, type Fixture, testDatabase, testFiles } from "../../../test/helpers";
import { receiveEmail } from "../email/inbound";
import { formatTicketNumber } from "../orgs/counters";
import { addMessage, createTicket, updateTicket } from "../tickets/commands";
import { follow } from "./followers";
import { addLink, linksOf, removeLink } from "./links";
import { findMentions } from "./mentions";
import { mergeTickets } from "./merge";
import { splitMessage } from "./split";

let org: Fixture;
let other: Fixture;
let support: string;

beforeAll(async () => {
  org = await createOrg("Relations");
  other = await createOrg("Elsewhere");
  const { db } = await testDatabase();
  support = `support@${org.orgId.slice(0, 8)}.relations.test`;
  await db
    .insert(mailboxes)
    .values({ orgId: org.orgId, name: "Support", address: support, isDefault: true, createdAt: new Date() });
});

async function ticket(subject: string, requesterEmail = "dana@client.test", fixture = org) {
  return createTicket(fixture.ctx("agent"), { subject, body: `${subject}: details`, requesterEmail });
}

async function eventsOf(ticketId: string) {
  const { db } = await testDatabase();
  return db.select().from(events).where(eq(events.ticketId, ticketId)).orderBy(events.seq);
}

describe("merge", () => {
  test("moves messages, files, followers and tags; closes the duplicate pointing at the survivor; tells the customer", async () => {
    const { db } = await testDatabase();
    const survivor = await ticket("Printer jams", "dana@client.test");
    const duplicate = await createTicket(org.ctx("agent"), {
      subject: "Printer still jamming",
      body: "Same again",
      requesterEmail: "eli@client.test",
      tags: "printer",
      files: [new File(["photo"], "jam.jpg", { type: "image/jpeg" })],
    });
    await addMessage(org.ctx("agent"), duplicate.id, {
      kind: "note",
      body: "Probably the same as the other one",
    });
    await follow(org.ctx("agent"), duplicate.id, { email: "boss@client.test" });
    await follow(org.ctx("supervisor"), duplicate.id);

    const result = await mergeTickets(org.ctx("agent"), duplicate.number, {
      target: formatTicketNumber(survivor.number),
    });
    expect(result.moved).toBe(2);

    const [closed] = await db.select().from(tickets).where(eq(tickets.id, duplicate.id));
    expect(closed.status).toBe("closed");
    expect(closed.mergedIntoId).toBe(survivor.id);
    const [kept] = await db.select().from(tickets).where(eq(tickets.id, survivor.id));
    expect(kept.tags).toEqual(["printer"]);
    const bodies = (
      await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, survivor.id))
    ).map((m) => m.body);
    expect(bodies).toContain("Same again");
    expect(bodies).toContain("Probably the same as the other one");
    expect(
      bodies.some((b) => b.includes(`has been merged into ${formatTicketNumber(survivor.number)}`)),
    ).toBe(true);
    expect(
      await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, duplicate.id)),
    ).toHaveLength(0);
    const files = await db.select().from(attachments).where(eq(attachments.ticketId, survivor.id));
    expect(files.map((f) => f.filename)).toEqual(["jam.jpg"]);

    // The duplicate's requester and copied contact follow the survivor now, and so does the colleague.
    const contactFollowers = await db
      .select()
      .from(ticketFollowers)
      .where(eq(ticketFollowers.ticketId, survivor.id));
    expect(contactFollowers).toHaveLength(2);
    expect(contactFollowers.map((f) => f.contactId)).toContain(duplicate.contactId);
    const colleagues = await db
      .select()
      .from(ticketAgentFollowers)
      .where(eq(ticketAgentFollowers.ticketId, survivor.id));
    expect(colleagues.map((c) => c.userId)).toEqual([org.users.supervisor.id]);

    const [mail] = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.ticketId, survivor.id), eq(outboxMessages.kind, "ticket_merged")));
    expect(mail.toAddress).toBe("eli@client.test");
    expect(mail.ccAddresses).toEqual(["boss@client.test"]);
    expect(mail.textBody).toContain(`continue there`);
    expect(mail.subject).toContain(formatTicketNumber(survivor.number));

    expect((await eventsOf(duplicate.id)).map((e) => e.type)).toContain("ticket.merged");
    const received = (await eventsOf(survivor.id)).find((e) => e.type === "ticket.merge_received");
    expect(received?.data).toMatchObject({ fromNumber: duplicate.number, messages: 2 });
  });

  test("refuses itself, a merged ticket, a loop back, and another organization's ticket", async () => {
    const a = await ticket("A");
    const b = await ticket("B");
    const c = await ticket("C");
    const agent = org.ctx("agent");
    await expect(
      mergeTickets(agent, a.number, { target: formatTicketNumber(a.number) }),
    ).rejects.toMatchObject({
      status: 422,
      fields: { target: "A ticket cannot be merged into itself." },
    });
    await mergeTickets(agent, a.number, { target: String(b.number) });
    // Into the merged one: refused, so no chain can form.
    await expect(mergeTickets(agent, c.number, { target: String(a.number) })).rejects.toMatchObject({
      status: 422,
      fields: { target: expect.stringContaining("was itself merged") },
    });
    // And back the other way: the survivor into the ticket merged into it would make a loop.
    await expect(mergeTickets(agent, b.number, { target: String(a.number) })).rejects.toMatchObject({
      status: 422,
    });
    // Again from the merged one: it is closed and already merged.
    await expect(mergeTickets(agent, a.number, { target: String(c.number) })).rejects.toMatchObject({
      status: 409,
    });
    // Another organization's ticket is unknown here, whatever its number.
    const away = await ticket("Away ticket", "x@away.test", other);
    await expect(
      mergeTickets(agent, c.number, { target: String(away.number + 100_000) }),
    ).rejects.toMatchObject({ status: 422, fields: { target: "There is no ticket with that number." } });
    await expect(
      mergeTickets(other.ctx("agent"), away.number, { target: String(c.number) }),
    ).rejects.toMatchObject({
      status: 422,
    });
    const { db } = await testDatabase();
    const [still] = await db.select().from(tickets).where(eq(tickets.id, away.id));
    expect(still.mergedIntoId).toBeNull();
    await expect(
      mergeTickets(org.ctx("dispatcher"), c.number, { target: String(b.number) }),
    ).rejects.toMatchObject({
      status: 403,
    });
  });

  test("a reply to the merged ticket's mail lands on the survivor, saying why", async () => {
    const survivor = await ticket("Wifi down");
    const duplicate = await ticket("Wifi still down", "fay@client.test");
    // An agent's reply gives the duplicate a reply address with its token.
    await addMessage(org.ctx("agent"), duplicate.id, { kind: "reply", body: "Looking into it" });
    const { db } = await testDatabase();
    const [sent] = await db.select().from(outboxMessages).where(eq(outboxMessages.ticketId, duplicate.id));
    await mergeTickets(org.ctx("agent"), duplicate.number, { target: formatTicketNumber(survivor.number) });

    const raw = new TextEncoder().encode(
      [
        "From: Fay <fay@client.test>",
        `To: ${sent.replyTo}`,
        `Subject: Re: [${formatTicketNumber(duplicate.number)}] Wifi still down`,
        `Message-ID: <merge-reply.${Date.now()}@client.test>`,
        "Content-Type: text/plain; charset=utf-8",
        "",
        "It is back on, thanks.",
        "",
      ].join("\r\n"),
    );
    const result = await receiveEmail(
      { db, files: testFiles() },
      raw,
      { recipients: [sent.replyTo as string] },
      new Date(),
    );
    expect(result.outcome).toBe("threaded");
    expect(result.ticketId).toBe(survivor.id);
    expect(result.reason).toContain(`merged into ${formatTicketNumber(survivor.number)}`);
    const [message] = await db
      .select()
      .from(ticketMessages)
      .where(
        and(eq(ticketMessages.ticketId, survivor.id), eq(ticketMessages.body, "It is back on, thanks.")),
      );
    expect(message).toBeTruthy();
  });
});

describe("split", () => {
  test("moves one message to a new ticket of the same contact, linked back, with events on both", async () => {
    const original = await ticket("Two problems");
    const customer = org.ctx("customer");
    const { db } = await testDatabase();
    await db
      .update(tickets)
      .set({ contactId: org.users.customer.contactId! })
      .where(eq(tickets.id, original.id));
    const { messageId } = await addMessage(customer, original.id, {
      kind: "reply",
      body: "Also, the door lock is broken\nIt will not close.",
    });
    await expect(
      splitMessage(org.ctx("agent"), original.number, { messageId: original.firstMessageId }),
    ).rejects.toMatchObject({
      status: 422,
    });
    const created = await splitMessage(org.ctx("agent"), original.number, { messageId });
    expect(created.subject).toBe("Also, the door lock is broken");
    expect(created.contactId).toBe(org.users.customer.contactId!);
    const [moved] = await db.select().from(ticketMessages).where(eq(ticketMessages.id, messageId));
    expect(moved.ticketId).toBe(created.id);
    const links = await linksOf(db, org.orgId, original.id);
    expect(links.related.map((t) => t.number)).toEqual([created.number]);
    expect((await eventsOf(original.id)).at(-1)?.type).toBe("ticket.split");
    expect((await eventsOf(created.id))[0].data).toMatchObject({ splitFromNumber: original.number });
    await expect(
      splitMessage(other.ctx("agent"), original.id, { messageId: original.firstMessageId }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("links", () => {
  test("a parent cannot be solved while a child is open, and no ticket becomes its own ancestor", async () => {
    const parent = await ticket("Outage");
    const child = await ticket("Shop 12 offline");
    const grandchild = await ticket("Till 3 offline");
    const agent = org.ctx("agent");
    await addLink(agent, parent.number, { other: String(child.number), role: "child" });
    await addLink(agent, grandchild.number, { other: formatTicketNumber(child.number), role: "parent" });
    await expect(
      addLink(agent, child.number, { other: String(grandchild.number), role: "parent" }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      addLink(agent, grandchild.number, { other: String(parent.number), role: "child" }),
    ).rejects.toMatchObject({
      fields: { other: "That link would make a ticket its own ancestor." },
    });
    await expect(
      addLink(agent, parent.number, { other: String(parent.number), role: "related" }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(updateTicket(agent, parent.number, { status: "solved" })).rejects.toMatchObject({
      fields: { status: expect.stringContaining(formatTicketNumber(child.number)) },
    });
    await expect(
      addMessage(agent, parent.number, { kind: "reply", body: "All fixed", status: "solved" }),
    ).rejects.toMatchObject({ status: 422 });
    await updateTicket(agent, grandchild.number, { status: "solved" });
    await updateTicket(agent, child.number, { status: "solved" });
    await updateTicket(agent, parent.number, { status: "solved" });

    const { db } = await testDatabase();
    const childLinks = await linksOf(db, org.orgId, child.id);
    expect(childLinks.parent?.number).toBe(parent.number);
    expect(childLinks.children.map((t) => t.number)).toEqual([grandchild.number]);
    await removeLink(agent, child.number, childLinks.parent!.linkId);
    expect((await linksOf(db, org.orgId, parent.id)).children).toEqual([]);
    await expect(
      removeLink(other.ctx("agent"), child.id, childLinks.children[0].linkId),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  test("related links show on both tickets, once", async () => {
    const a = await ticket("Invoice wrong");
    const b = await ticket("Invoice total odd");
    await addLink(org.ctx("agent"), a.number, { other: String(b.number), role: "related" });
    await expect(
      addLink(org.ctx("agent"), b.number, { other: String(a.number), role: "related" }),
    ).rejects.toMatchObject({
      status: 422,
    });
    const { db } = await testDatabase();
    expect((await linksOf(db, org.orgId, b.id)).related.map((t) => t.number)).toEqual([a.number]);
    expect((await linksOf(db, org.orgId, a.id)).related.map((t) => t.number)).toEqual([b.number]);
  });
});

describe("merge keeps links and time", () => {
  test("the duplicate's links and time entries move to the survivor; a link between the two goes", async () => {
    const survivor = await ticket("Printer jams");
    const duplicate = await ticket("Printer jams again");
    const related = await ticket("Toner order");
    const child = await ticket("Printer on floor 3");
    const agent = org.ctx("agent");
    await addLink(agent, duplicate.number, { other: String(related.number), role: "related" });
    await addLink(agent, duplicate.number, { other: String(child.number), role: "child" });
    await addLink(agent, duplicate.number, { other: String(survivor.number), role: "related" });
    const { addTimeEntry, ticketTime } = await import("../time/ticketTime");
    await addTimeEntry(agent, duplicate.number, { duration: "45m", note: "Cleared a jam" });
    await mergeTickets(agent, duplicate.number, { target: String(survivor.number) });
    const { db } = await testDatabase();
    const links = await linksOf(db, org.orgId, survivor.id);
    expect(links.related.map((t) => t.number)).toEqual([related.number]);
    expect(links.children.map((t) => t.number)).toEqual([child.number]);
    expect((await linksOf(db, org.orgId, duplicate.id)).related).toEqual([]);
    const time = await ticketTime(agent, survivor.id);
    expect(time.entries.map((e) => e.note)).toContain("Cleared a jam");
  });
});

describe("followers and mentions", () => {
  test("finds mentions by address name or full name, never inside an email address", () => {
    const people = [
      { id: "1", name: "Maria Lopez", email: "maria@x.test" },
      { id: "2", name: "Maria Tan", email: "mtan@x.test" },
      { id: "3", name: "Ahmad Zaki", email: "az@x.test" },
    ];
    expect(findMentions("@Maria Lopez and @mtan, see carol@az.test", people)).toEqual([
      { userId: "1", handle: "Maria Lopez" },
      { userId: "2", handle: "mtan" },
    ]);
    expect(findMentions("ask @ahmad", people)).toEqual([{ userId: "3", handle: "ahmad" }]);
    expect(findMentions("@maria", people)).toEqual([{ userId: "1", handle: "maria" }]);
    expect(findMentions("@Mariana", people)).toEqual([]);
  });

  test("a mentioned colleague is told, follows the ticket, and then hears of its replies", async () => {
    const t = await ticket("Strange noise");
    const local = org.users.supervisor.email.split("@")[0];
    const { messageId } = await addMessage(org.ctx("agent"), t.id, {
      kind: "note",
      body: `@${local} can you listen to the recording?`,
    });
    const { db } = await testDatabase();
    const stored = await db.select().from(messageMentions).where(eq(messageMentions.messageId, messageId));
    expect(stored.map((m) => m.userId)).toEqual([org.users.supervisor.id]);
    const told = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, org.users.supervisor.id), eq(notifications.ticketId, t.id)));
    expect(told.map((n) => n.kind)).toEqual(["ticket.mentioned"]);
    expect(told[0].title).toBe(`Agent Relations mentioned you on ${formatTicketNumber(t.number)}`);
    const following = await db
      .select()
      .from(ticketAgentFollowers)
      .where(eq(ticketAgentFollowers.ticketId, t.id));
    expect(following.map((f) => f.userId)).toEqual([org.users.supervisor.id]);
    await addMessage(org.ctx("admin"), t.id, { kind: "reply", body: "We will send someone." });
    const after = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, org.users.supervisor.id), eq(notifications.ticketId, t.id)));
    expect(after.map((n) => n.kind).sort()).toEqual(["ticket.followed_message", "ticket.mentioned"]);
    // A reply is not a note: mentions in it are not recorded.
    const { messageId: replyId } = await addMessage(org.ctx("agent"), t.id, {
      kind: "reply",
      body: `@${local} hi`,
    });
    expect(await db.select().from(messageMentions).where(eq(messageMentions.messageId, replyId))).toEqual([]);
  });
});
