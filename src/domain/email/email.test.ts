// Email out and in against a real database and a real SMTP server: headers that thread, delivery
// outcomes visible on the ticket, and the threading rules in their order, each saying why.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, desc, eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import {
  contacts,
  events,
  inboundEmails,
  mailboxes,
  outboxMessages,
  ticketMessages,
  tickets,
} from "../../../db/schema";
import { createOrg, type Fixture, testDatabase, testFiles } from "../../../test/helpers";
import { startTestImap } from "../../../test/imap";
import { startTestSmtp, type TestSmtp } from "../../../test/smtp";
import { JobRunner } from "../jobs/runner";
import { formatTicketNumber } from "../orgs/counters";
import { addMessage, createTicket } from "../tickets/commands";
import { getTicket } from "../tickets/queries";
import { closeTransports, deliverOutboxMessage } from "./delivery";
import { pollMailbox } from "./imap";
import { acknowledgeQueue, receiveEmail } from "./inbound";
import { startInboundSmtp } from "./listener";

let org: Fixture;
let smtp: TestSmtp;
let support: string;
const now = () => new Date();

beforeAll(async () => {
  org = await createOrg("Mail");
  smtp = await startTestSmtp();
  const { db } = await testDatabase();
  support = `support@${org.orgId.slice(0, 8)}.mail.test`;
  await db
    .insert(mailboxes)
    .values({ orgId: org.orgId, name: "Support", address: support, isDefault: true, createdAt: now() });
});

afterAll(async () => {
  closeTransports();
  await smtp.close();
});

async function outboxFor(ticketId: string) {
  const { db } = await testDatabase();
  return db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.orgId, org.orgId), eq(outboxMessages.ticketId, ticketId)))
    .orderBy(desc(outboxMessages.createdAt));
}

async function deliver(outboxId: string, options: { smtpUrl?: string; lastAttempt?: boolean } = {}) {
  const { db } = await testDatabase();
  return deliverOutboxMessage(db, outboxId, {
    smtpUrl: options.smtpUrl ?? smtp.url,
    now: now(),
    lastAttempt: options.lastAttempt ?? false,
  });
}

let counter = 0;
/** A raw RFC 5322 message; headers given as written. */
function rawMail(headers: Record<string, string>, body = "Hello, the printer is broken again.") {
  const all = {
    "Message-ID": `<m${++counter}.${Date.now()}@customer.test>`,
    Date: new Date().toUTCString(),
    "Content-Type": "text/plain; charset=utf-8",
    ...headers,
  };
  const head = Object.entries(all)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n");
  return new TextEncoder().encode(`${head}\r\n\r\n${body.replace(/\n/g, "\r\n")}\r\n`);
}

/** Receives a message, then runs the acknowledgements it queued, as the job runner would. */
async function receive(raw: Uint8Array, recipients?: string[]) {
  const database = await testDatabase();
  const result = await receiveEmail(
    { db: database.db, files: testFiles() },
    raw,
    { recipients: recipients ?? [support] },
    now(),
  );
  await runAcknowledgements();
  return result;
}

async function runAcknowledgements() {
  await new JobRunner({ database: await testDatabase(), queues: [acknowledgeQueue] }).drain();
}

describe("outgoing email", () => {
  test("an agent's reply goes out with a Message-ID, a tokenized reply address and the thread's references", async () => {
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Broken compressor",
      body: "It stopped.",
      requesterEmail: "pat@client.test",
    });
    await addMessage(org.ctx("agent"), ticket.number, {
      kind: "reply",
      body: "A technician comes tomorrow.",
    });
    await addMessage(org.ctx("agent"), ticket.number, { kind: "reply", body: "He is on his way." });
    const [second, first] = await outboxFor(ticket.id);
    expect(first.status).toBe("queued");
    expect(first.replyTo).toMatch(
      new RegExp(`^support\\+[a-z0-9]{16}@${support.split("@")[1].replace(/\./g, "\\.")}$`),
    );
    expect(second.references).toEqual([first.messageId as string]);
    expect(second.inReplyTo).toBe(first.messageId);

    expect(await deliver(first.id)).toBe("sent");
    expect(await deliver(second.id)).toBe("sent");
    expect(await deliver(second.id)).toBe("already");
    const got = smtp.received.filter((m) => m.envelope.to.includes("pat@client.test"));
    expect(got).toHaveLength(2);
    const mail = got[1].parsed;
    expect(mail.messageId).toBe(`<${second.messageId}>`);
    expect(mail.inReplyTo).toBe(`<${first.messageId}>`);
    expect(mail.references).toBe(`<${first.messageId}>`);
    expect(mail.replyTo?.text).toBe(first.replyTo as string);
    expect(mail.subject).toBe(`[${formatTicketNumber(ticket.number)}] Broken compressor`);
    expect(mail.text).toContain("He is on his way.");
    const [row] = await outboxFor(ticket.id);
    expect(row.status).toBe("sent");
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  test("with no SMTP server the mail stays in the outbox", async () => {
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Kept",
      body: "x",
      requesterEmail: "kim@client.test",
    });
    await addMessage(org.ctx("agent"), ticket.number, { kind: "reply", body: "Noted." });
    const [mail] = await outboxFor(ticket.id);
    const { db } = await testDatabase();
    expect(await deliverOutboxMessage(db, mail.id, { now: now(), lastAttempt: false })).toBe("kept");
    const [row] = await outboxFor(ticket.id);
    expect(row.status).toBe("kept");
  });

  test("a permanent refusal fails at once and shows on the ticket; a passing failure is retried", async () => {
    smtp.refuse.add("gone@client.test");
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Refused",
      body: "x",
      requesterEmail: "gone@client.test",
    });
    await addMessage(org.ctx("agent"), ticket.number, { kind: "reply", body: "Hello?" });
    const [mail] = await outboxFor(ticket.id);
    expect(await deliver(mail.id)).toBe("failed");
    const [row] = await outboxFor(ticket.id);
    expect(row.status).toBe("failed");
    expect(row.lastError).toContain("550");
    const detail = await getTicket(org.ctx("agent"), ticket.number);
    const reply = detail.messages.find((m) => m.body === "Hello?");
    expect(reply?.delivery).toMatchObject({ status: "failed", to: "gone@client.test" });
    expect(detail.history.some((h) => h.type === "email.failed")).toBe(true);

    // Nobody listens on port 1: the connection is refused, which is worth retrying.
    const other = await createTicket(org.ctx("agent"), {
      subject: "Down",
      body: "x",
      requesterEmail: "lee@client.test",
    });
    await addMessage(org.ctx("agent"), other.number, { kind: "reply", body: "Later" });
    const [pending] = await outboxFor(other.id);
    await expect(deliver(pending.id, { smtpUrl: "smtp://127.0.0.1:1" })).rejects.toThrow("lee@client.test");
    expect((await outboxFor(other.id))[0]).toMatchObject({ status: "queued", attempts: 1 });
    expect(await deliver(pending.id, { smtpUrl: "smtp://127.0.0.1:1", lastAttempt: true })).toBe("failed");
    expect((await outboxFor(other.id))[0]).toMatchObject({ status: "failed", attempts: 2 });
  });
});

describe("incoming email", () => {
  test("an unknown sender's mail opens a ticket, makes a contact, keeps the original and is acknowledged once", async () => {
    const raw = rawMail({ From: "Dana Lim <dana@newco.test>", To: support, Subject: "Aircon leaking" });
    const result = await receive(raw);
    expect(result.outcome).toBe("new_ticket");
    expect(result.reason).toContain("nothing in it names an existing ticket");
    const { db } = await testDatabase();
    const [ticket] = await db
      .select()
      .from(tickets)
      .where(eq(tickets.id, result.ticketId as string));
    expect(ticket).toMatchObject({ subject: "Aircon leaking", channel: "email" });
    const [contact] = await db.select().from(contacts).where(eq(contacts.id, ticket.contactId));
    expect(contact).toMatchObject({ email: "dana@newco.test", name: "Dana Lim" });
    const [log] = await db.select().from(inboundEmails).where(eq(inboundEmails.ticketId, ticket.id));
    expect(log.rawSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await Bun.file(testFiles().pathOf(log.rawSha256)).text()).toContain("Aircon leaking");
    const acks = (await outboxFor(ticket.id)).filter((m) => m.kind === "ticket_received");
    expect(acks).toHaveLength(1);

    // The same message again (a second mailbox, or a retried delivery): no second ticket.
    const again = await receive(raw);
    expect(again).toMatchObject({ outcome: "duplicate", ticketId: ticket.id });
    expect((await outboxFor(ticket.id)).filter((m) => m.kind === "ticket_received")).toHaveLength(1);
  });

  test("a reply to the tokenized address threads by token, and says so", async () => {
    const opened = await receive(rawMail({ From: "ron@client.test", To: support, Subject: "Fridge" }));
    const [ack] = await outboxFor(opened.ticketId as string);
    const reply = await receive(
      rawMail(
        { From: "ron@client.test", To: ack.replyTo as string, Subject: "Re: something else entirely" },
        "Still warm.",
      ),
      [ack.replyTo as string],
    );
    expect(reply.outcome).toBe("threaded");
    expect(reply.ticketId).toBe(opened.ticketId);
    expect(reply.reason).toContain("reply token");
  });

  test("In-Reply-To naming our reply threads it; a customer reply reopens a pending ticket", async () => {
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Lift",
      body: "x",
      requesterEmail: "amy@client.test",
    });
    await addMessage(org.ctx("agent"), ticket.number, {
      kind: "reply",
      body: "Can you send a photo?",
      status: "pending",
    });
    const [sent] = await outboxFor(ticket.id);
    const result = await receive(
      rawMail(
        { From: "amy@client.test", To: support, Subject: "Re: Lift", "In-Reply-To": `<${sent.messageId}>` },
        "Here it is.",
      ),
    );
    expect(result).toMatchObject({ outcome: "threaded", ticketId: ticket.id });
    expect(result.reason).toContain("In-Reply-To/References");
    const { db } = await testDatabase();
    const [row] = await db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row.status).toBe("open");
    const messages = await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id));
    expect(messages.some((m) => m.body === "Here it is." && m.channel === "email")).toBe(true);
  });

  test("Outlook's Thread-Index threads a reply that lost its references", async () => {
    const conversation = Buffer.alloc(22, 7).toString("base64");
    const first = await receive(
      rawMail({ From: "olu@client.test", To: support, Subject: "VPN", "Thread-Index": conversation }),
    );
    const replyIndex = Buffer.concat([Buffer.alloc(22, 7), Buffer.alloc(5, 1)]).toString("base64");
    const second = await receive(
      rawMail({ From: "olu@client.test", To: support, Subject: "RE: VPN", "Thread-Index": replyIndex }),
    );
    expect(second).toMatchObject({ outcome: "threaded", ticketId: first.ticketId });
    expect(second.reason).toContain("Thread-Index");
  });

  test("a ticket number in the subject threads only for the ticket's requester or a follower", async () => {
    const opened = await receive(
      rawMail({ From: "sam@client.test", To: support, Cc: "boss@client.test", Subject: "Boiler" }),
    );
    const number = formatTicketNumber(opened.ticketNumber as number);
    const own = await receive(
      rawMail({ From: "sam@client.test", To: support, Subject: `Re: [${number}] Boiler` }),
    );
    expect(own).toMatchObject({ outcome: "threaded", ticketId: opened.ticketId });
    expect(own.reason).toContain("subject names");
    const follower = await receive(
      rawMail({ From: "boss@client.test", To: support, Subject: `${number} any news?` }),
    );
    expect(follower).toMatchObject({ outcome: "threaded", ticketId: opened.ticketId });
    const stranger = await receive(
      rawMail({ From: "eve@elsewhere.test", To: support, Subject: `Re: [${number}] Boiler` }),
    );
    expect(stranger.outcome).toBe("new_ticket");
    expect(stranger.ticketId).not.toBe(opened.ticketId);
    expect(stranger.reason).toContain("neither its requester nor a follower");
  });

  test("auto-replies and bounces never open tickets or get an answer; a bounce marks the address failing", async () => {
    const { db } = await testDatabase();
    const before = (await db.select().from(outboxMessages).where(eq(outboxMessages.orgId, org.orgId))).length;
    const automaticHeaders: Record<string, string>[] = [
      { "Auto-Submitted": "auto-replied" },
      { "X-Autoreply": "yes" },
      { Precedence: "bulk" },
      { Precedence: "auto_reply" },
    ];
    for (const header of automaticHeaders) {
      const result = await receive(
        rawMail({ From: "away@client.test", To: support, Subject: "Out of office", ...header }),
      );
      expect(result.outcome).toBe("auto_reply");
      expect(result.ticketId ?? null).toBeNull();
    }
    await createTicket(org.ctx("agent"), {
      subject: "Bounce me",
      body: "x",
      requesterEmail: "nobody@client.test",
    });
    const dsn = [
      "From: Mail Delivery System <MAILER-DAEMON@mx.client.test>",
      `To: ${support}`,
      "Subject: Undelivered Mail Returned to Sender",
      `Message-ID: <dsn${Date.now()}@mx.client.test>`,
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain",
      "",
      "Your message could not be delivered.",
      "--b1",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.client.test",
      "",
      "Final-Recipient: rfc822; nobody@client.test",
      "Action: failed",
      "Status: 5.1.1",
      "--b1--",
      "",
    ].join("\r\n");
    const bounce = await receive(new TextEncoder().encode(dsn));
    expect(bounce.outcome).toBe("bounce");
    expect(bounce.reason).toContain("nobody@client.test");
    const [contact] = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.orgId, org.orgId), eq(contacts.email, "nobody@client.test")));
    expect(contact.emailFailingAt).toBeInstanceOf(Date);
    const after = (await db.select().from(outboxMessages).where(eq(outboxMessages.orgId, org.orgId))).length;
    expect(after).toBe(before);
  });

  test("mail to an address no mailbox has is refused; mail from our own mailbox is ignored", async () => {
    expect(
      (
        await receive(rawMail({ From: "x@client.test", To: "nobody@nowhere.test", Subject: "Hi" }), [
          "nobody@nowhere.test",
        ])
      ).outcome,
    ).toBe("rejected");
    const loop = await receive(rawMail({ From: support, To: support, Subject: "Loop" }));
    expect(loop.outcome).toBe("auto_reply");
  });

  test("encoded headers, charsets, HTML-only mail and attachments are decoded and kept", async () => {
    const boundary = "mixed42";
    const body = [
      `--${boundary}`,
      "Content-Type: text/html; charset=iso-8859-1",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "<p>Caf=E9 machine <b>broken</b></p><script>alert(1)</script>",
      `--${boundary}`,
      'Content-Type: image/png; name="photo.png"',
      'Content-Disposition: attachment; filename="photo.png"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("not really a png").toString("base64"),
      `--${boundary}--`,
    ].join("\n");
    const result = await receive(
      rawMail(
        {
          From: "=?utf-8?B?SsO8cmdlbg==?= <jurgen@client.test>",
          To: support,
          Subject: "=?utf-8?Q?Kaffee_f=C3=BCr_alle?=",
          "Content-Type": `multipart/mixed; boundary="${boundary}"`,
        },
        body,
      ),
    );
    expect(result.outcome).toBe("new_ticket");
    const detail = await getTicket(org.ctx("agent"), result.ticketId as string);
    expect(detail.ticket.subject).toBe("Kaffee für alle");
    expect(detail.contact?.name).toBe("Jürgen");
    expect(detail.messages[0].body).toContain("Café machine");
    expect(detail.messages[0].body).not.toContain("<script>");
    expect(detail.messages[0].attachments.map((a) => a.filename)).toEqual(["photo.png"]);
    expect(detail.messages[0].email?.original).toBeTruthy();
  });

  test("one organization's reply token or message ids never thread into another's ticket", async () => {
    const other = await createOrg("Other mail");
    const { db } = await testDatabase();
    const otherSupport = `help@${other.orgId.slice(0, 8)}.other.test`;
    await db
      .insert(mailboxes)
      .values({ orgId: other.orgId, name: "Help", address: otherSupport, isDefault: true, createdAt: now() });
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Secret",
      body: "x",
      requesterEmail: "vic@client.test",
    });
    await addMessage(org.ctx("agent"), ticket.number, { kind: "reply", body: "Private answer" });
    const [sent] = await outboxFor(ticket.id);
    const token = (sent.replyTo as string).split("+")[1].split("@")[0];
    const tokenAddress = otherSupport.replace("@", `+${token}@`);
    const result = await receive(
      rawMail({
        From: "vic@client.test",
        To: tokenAddress,
        Subject: "Re: Secret",
        "In-Reply-To": `<${sent.messageId}>`,
      }),
      [tokenAddress],
    );
    expect(result.outcome).toBe("new_ticket");
    expect(result.orgId).toBe(other.orgId);
    const rows = await db
      .select()
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.ticketId, ticket.id)));
    expect(rows.some((r) => r.type === "message.customer_replied")).toBe(false);
  });
});

describe("the SMTP listener", () => {
  test("takes mail for a mailbox over SMTP, refuses unknown recipients, and threads the reply", async () => {
    const { db } = await testDatabase();
    const listener = await startInboundSmtp({ port: 0, host: "127.0.0.1", db, files: testFiles() });
    const sender = nodemailer.createTransport({
      host: "127.0.0.1",
      port: listener.port,
      secure: false,
      ignoreTLS: true,
    });
    try {
      const info = await sender.sendMail({
        from: "Ida <ida@client.test>",
        to: support,
        subject: "Water heater",
        text: "No hot water since Monday.",
      });
      const [log] = await db
        .select()
        .from(inboundEmails)
        .where(
          and(eq(inboundEmails.orgId, org.orgId), eq(inboundEmails.messageId, info.messageId.slice(1, -1))),
        );
      expect(log.outcome).toBe("new_ticket");
      await runAcknowledgements();
      await expect(
        sender.sendMail({ from: "ida@client.test", to: "nobody@unknown.test", subject: "x", text: "x" }),
      ).rejects.toMatchObject({ responseCode: 550 });
      const [ack] = await outboxFor(log.ticketId as string);
      await sender.sendMail({
        from: "ida@client.test",
        to: ack.replyTo as string,
        subject: "Re: Water heater",
        text: "Still nothing.\n\nOn Mon, Help wrote:\n> We received your request.",
        inReplyTo: `<${ack.messageId}>`,
      });
      const detail = await getTicket(org.ctx("agent"), log.ticketId as string);
      expect(detail.messages.map((m) => m.channel)).toEqual(["email", "email"]);
      expect(detail.messages[1].email?.reason).toContain("reply token");
    } finally {
      sender.close();
      await listener.close();
    }
  });
});

describe("IMAP polling", () => {
  test("receives each new message once, marks it seen, and resumes after the last one taken", async () => {
    const imap = await startTestImap();
    const { db } = await testDatabase();
    const address = `helpdesk@${org.orgId.slice(0, 8)}.imap.test`;
    const [mailbox] = await db
      .insert(mailboxes)
      .values({ orgId: org.orgId, name: "IMAP", address, imapUrl: imap.url, createdAt: now() })
      .returning();
    try {
      const mail = (n: number) =>
        `From: Gil <gil@client.test>\r\nTo: someone-else@alias.test\r\nSubject: Leak ${n}\r\nMessage-ID: <imap${n}.${mailbox.id}@client.test>\r\n\r\nWater on the floor ${n}.\r\n`;
      await imap.deliver(mail(1));
      await imap.deliver(mail(2));
      const deps = { db, files: testFiles() };
      expect(await pollMailbox(deps, mailbox.id, now())).toEqual({ received: 2, lastUid: 2 });
      expect(await pollMailbox(deps, mailbox.id, now())).toEqual({ received: 0, lastUid: 2 });
      await imap.deliver(mail(3));
      expect(await pollMailbox(deps, mailbox.id, now())).toEqual({ received: 1, lastUid: 3 });
      const logs = await db
        .select()
        .from(inboundEmails)
        .where(and(eq(inboundEmails.orgId, org.orgId), eq(inboundEmails.mailboxId, mailbox.id)));
      expect(logs.map((l) => l.subject).sort()).toEqual(["Leak 1", "Leak 2", "Leak 3"]);
      expect(logs.every((l) => l.outcome === "new_ticket")).toBe(true);
      const [row] = await db.select().from(mailboxes).where(eq(mailboxes.id, mailbox.id));
      expect(row).toMatchObject({ imapLastUid: 3, imapError: null });
    } finally {
      await imap.close();
    }
  });

  test("a server that cannot be reached is reported on the mailbox and the poll fails for the queue to see", async () => {
    const { db } = await testDatabase();
    const [mailbox] = await db
      .insert(mailboxes)
      .values({
        orgId: org.orgId,
        name: "Down",
        address: `down@${org.orgId.slice(0, 8)}.imap.test`,
        imapUrl: "imap://u:p@127.0.0.1:1",
        createdAt: now(),
      })
      .returning();
    await expect(pollMailbox({ db, files: testFiles() }, mailbox.id, now())).rejects.toThrow("IMAP poll");
    const [row] = await db.select().from(mailboxes).where(eq(mailboxes.id, mailbox.id));
    expect(row.imapError).toBeTruthy();
    expect(row.imapError).not.toContain(":p@");
  });
});
