// Text messaging against a real database and a local provider server speaking Twilio's API:
// signed inbound messages become tickets and thread by sender, retries are received once, replies
// go out as jobs, refusals and delivery reports show on the ticket, media is attached.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import {
  attachments,
  contacts,
  events,
  jobs,
  organizations,
  textMessages,
  ticketMessages,
  tickets,
} from "../../../db/schema";
import { createOrg, type Fixture, testDatabase, testFiles } from "../../../test/helpers";
import { type FakeProvider, INVALID_NUMBER, startFakeProvider } from "../../../test/twilio";
import { addMessage, updateTicket } from "../tickets/commands";
import { type ChannelSummary, createChannel } from "./channels";
import { fetchMedia, receiveText } from "./inbound";
import { deliverText, receiveReport, TEXT_MAX } from "./outbound";
import { toE164 } from "./phone";
import { twilioSignature } from "./twilio";

const NOW = new Date("2026-11-02T03:00:00Z");
const CUSTOMER = "+60123456789";
let provider: FakeProvider;

beforeAll(() => {
  provider = startFakeProvider();
});
afterAll(() => provider.stop());

async function orgWithChannel(kind: "sms" | "whatsapp" = "sms", host?: string) {
  const org = await createOrg("Texts");
  const { db } = await testDatabase();
  if (host) await db.update(organizations).set({ host }).where(eq(organizations.id, org.orgId));
  const channel = await createChannel(
    org.ctx("admin", NOW),
    {
      name: "Support",
      kind,
      provider: "twilio",
      phoneNumber: "+60 3-1234 5678",
      accountSid: provider.accountSid,
      authToken: provider.authToken,
      apiBaseUrl: provider.url,
      enabled: true,
    },
    { allowPrivate: true },
  );
  return { org, channel };
}

let sid = 0;
function inbound(channel: ChannelSummary, params: Record<string, string>, options: { token?: string } = {}) {
  const url = `http://localhost/hooks/messaging/${channel.id}`;
  const all: Record<string, string> = {
    MessageSid: `SM${++sid}`,
    To: channel.phoneNumber,
    From: CUSTOMER,
    NumMedia: "0",
    ...params,
  };
  return { url, params: all, signature: twilioSignature(options.token ?? provider.authToken, url, all) };
}

async function ticketRows(orgId: string) {
  const { db } = await testDatabase();
  return db.select().from(tickets).where(eq(tickets.orgId, orgId));
}

async function sendJobOf(orgId: string) {
  const { db } = await testDatabase();
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.orgId, orgId), eq(jobs.queue, "messaging.send")));
  return String(job.payload.textMessageId);
}

describe("phone numbers and signatures", () => {
  test("numbers become E.164 when they carry a country code", () => {
    expect(toE164("+60 12-345 6789")).toBe("+60123456789");
    expect(toE164("0060123456789")).toBe("+60123456789");
    expect(toE164("whatsapp:+60123456789")).toBe("+60123456789");
    expect(toE164("012-345 6789")).toBeUndefined();
    expect(toE164("+0123")).toBeUndefined();
  });

  test("the signature matches the provider's published example", () => {
    const params = {
      CallSid: "CA1234567890ABCDE",
      Caller: "+14158675309",
      Digits: "1234",
      From: "+14158675309",
      To: "+18005551212",
    };
    expect(twilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params)).toBe(
      "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
    );
  });
});

describe("inbound text messages", () => {
  test("a text opens a ticket for a new contact known by number; the next one joins it", async () => {
    const { db } = await testDatabase();
    const { org, channel } = await orgWithChannel();
    const first = await receiveText(
      db,
      channel.id,
      inbound(channel, { Body: "Aircond leaking again\nUnit 3" }),
      NOW,
    );
    expect(first.outcome).toBe("new_ticket");
    const [ticket] = await ticketRows(org.orgId);
    expect(ticket).toMatchObject({
      channel: "sms",
      subject: "Aircond leaking again",
      number: first.ticketNumber,
    });
    const [contact] = await db.select().from(contacts).where(eq(contacts.id, ticket.contactId));
    expect(contact).toMatchObject({ phoneE164: CUSTOMER, email: null });

    const second = await receiveText(db, channel.id, inbound(channel, { Body: "Any update?" }), NOW);
    expect(second).toMatchObject({ outcome: "threaded", ticketId: ticket.id });
    expect(second.reason).toContain("latest open conversation");
    const thread = await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id));
    expect(thread.map((m) => m.body).sort()).toEqual(["Aircond leaking again\nUnit 3", "Any update?"]);
    expect(thread.every((m) => m.channel === "sms" && m.authorContactId === contact.id)).toBe(true);
  });

  test("a retried delivery of the same message is received once", async () => {
    const { db } = await testDatabase();
    const { org, channel } = await orgWithChannel();
    const request = inbound(channel, { Body: "Hello" });
    await receiveText(db, channel.id, request, NOW);
    const again = await receiveText(db, channel.id, request, NOW);
    expect(again.outcome).toBe("duplicate");
    const [ticket] = await ticketRows(org.orgId);
    expect(await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id))).toHaveLength(
      1,
    );
  });

  test("a wrong signature, another channel's token or a disabled channel stores nothing", async () => {
    const { db } = await testDatabase();
    const { org, channel } = await orgWithChannel();
    await expect(
      receiveText(db, channel.id, inbound(channel, { Body: "x" }, { token: "not-the-token" }), NOW),
    ).rejects.toMatchObject({ status: 403 });
    const tampered = inbound(channel, { Body: "original" });
    tampered.params.Body = "changed";
    await expect(receiveText(db, channel.id, tampered, NOW)).rejects.toMatchObject({ status: 403 });
    await expect(receiveText(db, "not-a-uuid", inbound(channel, {}), NOW)).rejects.toMatchObject({
      status: 404,
    });
    expect(await ticketRows(org.orgId)).toHaveLength(0);
  });

  test("behind a proxy the organization's public address is what the provider signed", async () => {
    const { db } = await testDatabase();
    const host = `help-${Date.now().toString(36)}.example.test`;
    const { org, channel } = await orgWithChannel("sms", host);
    const params = { MessageSid: "SMproxy1", To: channel.phoneNumber, From: CUSTOMER, Body: "Hi" };
    const signature = twilioSignature(
      provider.authToken,
      `https://${host}/hooks/messaging/${channel.id}`,
      params,
    );
    const receipt = await receiveText(
      db,
      channel.id,
      { url: `http://10.0.0.5:3000/hooks/messaging/${channel.id}`, params, signature },
      NOW,
    );
    expect(receipt.outcome).toBe("new_ticket");
    expect(await ticketRows(org.orgId)).toHaveLength(1);
  });

  test("after the conversation's ticket is closed, a text opens a new one", async () => {
    const { db } = await testDatabase();
    const { org, channel } = await orgWithChannel();
    const first = await receiveText(db, channel.id, inbound(channel, { Body: "First problem" }), NOW);
    const agent = org.ctx("agent", NOW);
    await updateTicket(agent, first.ticketId, { status: "solved" });
    await updateTicket(agent, first.ticketId, { status: "closed" });
    const next = await receiveText(db, channel.id, inbound(channel, { Body: "Another problem" }), NOW);
    expect(next.outcome).toBe("new_ticket");
    expect(next.ticketId).not.toBe(first.ticketId);
  });

  test("WhatsApp senders keep their profile name; pictures are fetched and attached", async () => {
    const { db } = await testDatabase();
    const { org, channel } = await orgWithChannel("whatsapp");
    const picture = provider.addMedia(
      `pic-${Date.now()}`,
      new Uint8Array([137, 80, 78, 71, 1, 2, 3]),
      "image/png",
    );
    const receipt = await receiveText(
      db,
      channel.id,
      inbound(channel, {
        From: `whatsapp:${CUSTOMER}`,
        To: `whatsapp:${channel.phoneNumber}`,
        ProfileName: "Siti Aminah",
        Body: "",
        NumMedia: "1",
        MediaUrl0: picture,
        MediaContentType0: "image/png",
      }),
      NOW,
    );
    const [ticket] = await ticketRows(org.orgId);
    expect(ticket).toMatchObject({ channel: "whatsapp", subject: `WhatsApp from ${CUSTOMER}` });
    const [contact] = await db.select().from(contacts).where(eq(contacts.id, ticket.contactId));
    expect(contact.name).toBe("Siti Aminah");
    const [job] = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.orgId, org.orgId), eq(jobs.queue, "messaging.media")));
    const payload = job.payload as { textMessageId: string; media: { url: string; contentType: string }[] };
    expect(
      await fetchMedia(db, testFiles(), payload.textMessageId, payload.media, { allowPrivate: true }),
    ).toBe(1);
    // A second run of the job attaches nothing twice.
    expect(
      await fetchMedia(db, testFiles(), payload.textMessageId, payload.media, { allowPrivate: true }),
    ).toBe(0);
    const files = await db.select().from(attachments).where(eq(attachments.ticketId, receipt.ticketId));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ contentType: "image/png", filename: "whatsapp-1.png", sizeBytes: 7 });
  });
});

describe("replies by text", () => {
  async function conversation(kind: "sms" | "whatsapp" = "sms", from = CUSTOMER) {
    const { db } = await testDatabase();
    const setup = await orgWithChannel(kind);
    const prefix = kind === "whatsapp" ? "whatsapp:" : "";
    const receipt = await receiveText(
      db,
      setup.channel.id,
      inbound(setup.channel, { Body: "Help please", From: `${prefix}${from}` }),
      NOW,
    );
    return { ...setup, ticketId: receipt.ticketId };
  }

  const reply = (org: Fixture, ticketId: string, body: string) =>
    addMessage(org.ctx("agent", NOW), ticketId, { kind: "reply", body });

  test("an agent's reply is sent to the customer's number from the channel's number", async () => {
    const { db } = await testDatabase();
    const { org, channel, ticketId } = await conversation();
    const { messageId } = await reply(org, ticketId, "A technician comes tomorrow at 10.");
    const textId = await sendJobOf(org.orgId);
    const before = provider.sent.length;
    expect(await deliverText(db, textId, { now: NOW, lastAttempt: false, allowPrivate: true })).toBe("sent");
    expect(provider.sent.slice(before)).toEqual([
      {
        accountSid: provider.accountSid,
        to: CUSTOMER,
        from: channel.phoneNumber,
        body: "A technician comes tomorrow at 10.",
        statusCallback: undefined,
      },
    ]);
    const [text] = await db.select().from(textMessages).where(eq(textMessages.id, textId));
    expect(text).toMatchObject({ status: "sent", ticketMessageId: messageId, direction: "outbound" });
    expect(text.providerMessageId).toStartWith("SM");
    // The job running again sends nothing twice.
    expect(await deliverText(db, textId, { now: NOW, lastAttempt: false, allowPrivate: true })).toBe(
      "already",
    );
    expect(provider.sent.length).toBe(before + 1);
  });

  test("WhatsApp replies carry the channel prefix and a status address when the org has one", async () => {
    const { db } = await testDatabase();
    const { org, ticketId } = await conversation("whatsapp");
    await reply(org, ticketId, "Noted");
    const before = provider.sent.length;
    await deliverText(db, await sendJobOf(org.orgId), {
      now: NOW,
      lastAttempt: false,
      allowPrivate: true,
      baseUrl: "https://help.example.test",
    });
    const [sent] = provider.sent.slice(before);
    expect(sent.to).toBe(`whatsapp:${CUSTOMER}`);
    expect(sent.from).toStartWith("whatsapp:+60");
    expect(sent.statusCallback).toMatch(
      /^https:\/\/help\.example\.test\/hooks\/messaging\/[0-9a-f-]+\/status$/,
    );
  });

  test("a number the provider refuses fails at once and shows on the ticket", async () => {
    const { db } = await testDatabase();
    const { org, ticketId } = await conversation("sms", INVALID_NUMBER);
    await reply(org, ticketId, "Hello");
    const textId = await sendJobOf(org.orgId);
    expect(await deliverText(db, textId, { now: NOW, lastAttempt: false, allowPrivate: true })).toBe(
      "failed",
    );
    const [text] = await db.select().from(textMessages).where(eq(textMessages.id, textId));
    expect(text.status).toBe("failed");
    expect(text.error).toContain("not a valid phone number");
    const [failed] = await db
      .select()
      .from(events)
      .where(and(eq(events.ticketId, ticketId), eq(events.type, "text.failed")));
    expect(failed).toBeDefined();
  });

  test("a provider outage is retried, and the last attempt marks the reply failed", async () => {
    const { db } = await testDatabase();
    const { org, ticketId } = await conversation();
    await reply(org, ticketId, "Hello");
    const textId = await sendJobOf(org.orgId);
    provider.failNext(2);
    await expect(
      deliverText(db, textId, { now: NOW, lastAttempt: false, allowPrivate: true }),
    ).rejects.toThrow("Service unavailable");
    expect(await deliverText(db, textId, { now: NOW, lastAttempt: true, allowPrivate: true })).toBe("failed");
  });

  test("a reply too long for a text, or to a contact without a number, is refused and not saved", async () => {
    const { db } = await testDatabase();
    const { org, ticketId } = await conversation();
    await expect(reply(org, ticketId, "x".repeat(TEXT_MAX + 1))).rejects.toMatchObject({
      status: 422,
      fields: { body: expect.stringContaining("1,600") },
    });
    const [ticket] = await db.select().from(tickets).where(eq(tickets.id, ticketId));
    await db.update(contacts).set({ phoneE164: null }).where(eq(contacts.id, ticket.contactId));
    await expect(reply(org, ticketId, "Hi")).rejects.toMatchObject({
      status: 422,
      fields: { body: expect.stringContaining("no mobile number") },
    });
    const messages = await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticketId));
    expect(messages).toHaveLength(1);
  });

  test("delivery reports move the text forward and never back; a failure is recorded", async () => {
    const { db } = await testDatabase();
    const { org, channel, ticketId } = await conversation();
    await reply(org, ticketId, "First");
    const textId = await sendJobOf(org.orgId);
    await deliverText(db, textId, { now: NOW, lastAttempt: false, allowPrivate: true });
    const [text] = await db.select().from(textMessages).where(eq(textMessages.id, textId));
    const report = (status: string, extra: Record<string, string> = {}) => {
      const url = `http://localhost/hooks/messaging/${channel.id}/status`;
      const params = { MessageSid: text.providerMessageId as string, MessageStatus: status, ...extra };
      return { url, params, signature: twilioSignature(provider.authToken, url, params) };
    };
    await receiveReport(db, channel.id, report("delivered"), NOW);
    await receiveReport(db, channel.id, report("sent"), NOW);
    const [delivered] = await db.select().from(textMessages).where(eq(textMessages.id, textId));
    expect(delivered.status).toBe("delivered");
    await expect(
      receiveReport(db, channel.id, { ...report("failed"), signature: "forged" }, NOW),
    ).rejects.toMatchObject({ status: 403 });
  });

  test("an undelivered report marks the reply failed with the provider's reason", async () => {
    const { db } = await testDatabase();
    const { org, channel, ticketId } = await conversation();
    await reply(org, ticketId, "First");
    const textId = await sendJobOf(org.orgId);
    await deliverText(db, textId, { now: NOW, lastAttempt: false, allowPrivate: true });
    const [text] = await db.select().from(textMessages).where(eq(textMessages.id, textId));
    const url = `http://localhost/hooks/messaging/${channel.id}/status`;
    const params = {
      MessageSid: text.providerMessageId as string,
      MessageStatus: "undelivered",
      ErrorCode: "30003",
    };
    await receiveReport(
      db,
      channel.id,
      { url, params, signature: twilioSignature(provider.authToken, url, params) },
      NOW,
    );
    const [after] = await db.select().from(textMessages).where(eq(textMessages.id, textId));
    expect(after).toMatchObject({ status: "undelivered", error: "Provider error 30003" });
  });

  test("a provider API on a private address is refused unless private targets are allowed", async () => {
    const { db } = await testDatabase();
    const { org, ticketId } = await conversation();
    await reply(org, ticketId, "Hello");
    const textId = await sendJobOf(org.orgId);
    expect(await deliverText(db, textId, { now: NOW, lastAttempt: false, allowPrivate: false })).toBe(
      "failed",
    );
    const [text] = await db.select().from(textMessages).where(eq(textMessages.id, textId));
    expect(text.error).toContain("loopback address");
  });
});
