// Incoming email: routes a message to its organization by recipient, decides which ticket it
// belongs to and records why, and never loses one — every message received is kept as its
// original .eml and logged in inbound_emails, whatever became of it.
import { and, eq, inArray, sql } from "drizzle-orm";
import { convert as htmlToText } from "html-to-text";
import { type AddressObject, type ParsedMail, simpleParser } from "mailparser";
import { type Db, rowsOf } from "../../../db/client";
import {
  contacts,
  type InboundOutcome,
  inboundEmails,
  mailboxes,
  outboxMessages,
  ticketFollowers,
  ticketReplyTokens,
  tickets,
} from "../../../db/schema";
import { type Ctx, customerActor, requirePermission } from "../context";
import type { DbOrTx } from "../events/log";
import type { FileStore } from "../files/store";
import { enqueue } from "../jobs/queue";
import type { QueueDefinition } from "../jobs/runner";
import { formatTicketNumber, parseTicketNumber } from "../orgs/counters";
import { followMerges } from "../relations/merge";
import { addMessage, createTicket } from "../tickets/commands";
import { contactWritingIn, findOrCreateContact } from "../tickets/people";
import { BODY_MAX, isUuid } from "../tickets/rules";
import { messageIdList, normalizeMessageId, splitReplyAddress } from "./addresses";
import { classifyAutomatic, failedRecipients } from "./automatic";
import { orgForMail, queueMail } from "./outbox";

export interface Envelope {
  /** RCPT TO addresses (the SMTP listener). */
  recipients?: string[];
  /** The mailbox a message was fetched from (IMAP): it is this mailbox's, whatever its headers say. */
  mailboxAddress?: string;
}

export interface InboundResult {
  outcome: InboundOutcome;
  reason: string;
  orgId?: string;
  ticketId?: string | null;
  ticketNumber?: number;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

interface Routed {
  mailbox: { id: string; orgId: string; address: string };
  token: string | null;
}

/** The mailbox an address reaches (support+token@ reaches support@), or none. */
export async function mailboxForAddress(db: DbOrTx, address: string) {
  const { base } = splitReplyAddress(address);
  const [mailbox] = await db
    .select({ id: mailboxes.id, orgId: mailboxes.orgId, address: mailboxes.address })
    .from(mailboxes)
    .where(eq(mailboxes.address, base));
  return mailbox;
}

/**
 * The mailbox of the first recipient that has one (its reply token too), and whether the sender is
 * itself one of our mailboxes — in one query.
 */
async function route(db: Db, recipients: string[], from: string) {
  const bases = recipients.map((r) => splitReplyAddress(r).base);
  const known = await db
    .select({ id: mailboxes.id, orgId: mailboxes.orgId, address: mailboxes.address })
    .from(mailboxes)
    .where(inArray(mailboxes.address, [...new Set([...bases, from])]));
  const ours = new Set(known.map((m) => m.address));
  const index = bases.findIndex((base) => ours.has(base));
  const routed: Routed | undefined =
    index === -1
      ? undefined
      : {
          mailbox: known.find((m) => m.address === bases[index]) as Routed["mailbox"],
          token: splitReplyAddress(recipients[index]).token,
        };
  return { routed, fromOwnMailbox: ours.has(from) };
}

/** The addresses that decide the mailbox, surest first; a fetched message's headers may add its reply token. */
function recipientsOf(envelope: Envelope, headerAddresses: { address: string }[]): string[] {
  if (envelope.recipients?.length) return envelope.recipients.map((r) => r.toLowerCase());
  const all = headerAddresses.map((a) => a.address);
  if (!envelope.mailboxAddress) return all;
  const own = envelope.mailboxAddress.toLowerCase();
  return [...all.filter((a) => splitReplyAddress(a).base === own), own];
}

function addressesOf(
  field: AddressObject | AddressObject[] | undefined,
): { address: string; name: string }[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list
    .flatMap((a) => a.value)
    .filter((v) => v.address)
    .map((v) => ({ address: (v.address as string).toLowerCase(), name: v.name ?? "" }));
}

/** Receives one raw message. Safe to call twice with the same message: the second is a duplicate. */
export async function receiveEmail(
  deps: { db: Db; files: FileStore },
  raw: Uint8Array,
  envelope: Envelope,
  now: Date,
): Promise<InboundResult> {
  const parsed = await simpleParser(Buffer.from(raw));
  const to = addressesOf(parsed.to);
  const cc = addressesOf(parsed.cc);
  const recipients = recipientsOf(envelope, [...to, ...cc]);
  const from = addressesOf(parsed.from)[0] ?? { address: "unknown@invalid", name: "" };
  const { routed, fromOwnMailbox } = await route(deps.db, recipients, from.address);
  if (!routed)
    return { outcome: "rejected", reason: `No mailbox here receives mail for ${recipients.join(", ")}.` };
  const orgId = routed.mailbox.orgId;
  const stored = await deps.files.save(
    new File([new Uint8Array(raw)], "original.eml", { type: "message/rfc822" }),
  );
  const messageId = normalizeMessageId(parsed.messageId) ?? `${stored.sha256}@no-message-id.invalid`;

  return deps.db.transaction(async (tx) => {
    // The same message reaching two mailboxes (or delivered twice) is received once.
    const [seen] = await tx
      .select()
      .from(inboundEmails)
      .where(and(eq(inboundEmails.orgId, orgId), eq(inboundEmails.messageId, messageId)))
      .for("update");
    if (seen) {
      return {
        outcome: "duplicate" as const,
        reason: `Already received as ${seen.outcome}: ${seen.reason}`,
        orgId,
        ticketId: seen.ticketId,
      };
    }
    const decision = await decide(tx, deps.files, {
      parsed,
      routed,
      from,
      fromOwnMailbox,
      cc,
      messageId,
      now,
    });
    await tx.insert(inboundEmails).values({
      orgId,
      mailboxId: routed.mailbox.id,
      messageId,
      inReplyTo: normalizeMessageId(parsed.inReplyTo),
      references: referencesOf(parsed),
      threadIndex: conversationOf(parsed),
      fromAddress: from.address,
      subject: (parsed.subject ?? "").slice(0, 1000),
      outcome: decision.outcome,
      reason: decision.reason,
      ticketId: decision.ticketId ?? null,
      ticketMessageId: decision.ticketMessageId ?? null,
      rawSha256: stored.sha256,
      receivedAt: now,
    });
    return { ...decision, orgId };
  });
}

interface Incoming {
  parsed: ParsedMail;
  routed: Routed;
  from: { address: string; name: string };
  fromOwnMailbox: boolean;
  cc: { address: string; name: string }[];
  messageId: string;
  now: Date;
}

interface Decision {
  outcome: InboundOutcome;
  reason: string;
  ticketId?: string | null;
  ticketNumber?: number;
  ticketMessageId?: string | null;
}

async function decide(tx: Tx, files: FileStore, mail: Incoming): Promise<Decision> {
  const orgId = mail.routed.mailbox.orgId;
  const automatic = classifyAutomatic(mail.parsed, mail.from.address);
  if (automatic === "bounce") {
    const failed = failedRecipients(mail.parsed);
    await markFailing(tx, orgId, failed, mail.now, mail.parsed.subject ?? "delivery failed");
    return {
      outcome: "bounce",
      reason: failed.length
        ? `A delivery failure report for ${failed.join(", ")}; the address is marked as failing.`
        : "A delivery failure report naming no address we know.",
    };
  }
  if (automatic)
    return { outcome: "auto_reply", reason: `An automatic message (${automatic}); no ticket, no answer.` };
  if (mail.fromOwnMailbox) {
    return {
      outcome: "auto_reply",
      reason: "Sent from one of our own mailboxes; ignored so mail cannot loop.",
    };
  }

  const thread = await findThread(tx, mail);
  const ctx = await customerCtx(tx, files, orgId, mail);
  const body = bodyOf(mail.parsed);
  const attachmentFiles = filesOf(mail.parsed, files.maxBytes);
  if (thread && thread.ticket.status !== "closed") {
    await follow(tx, orgId, thread.ticket.id, ctx.actor.contactId as string, mail.now);
    const added = await addMessage(ctx, thread.ticket.id, {
      kind: "reply",
      body,
      channel: "email",
      files: attachmentFiles,
    });
    return {
      outcome: "threaded",
      reason: `Threaded because ${thread.because}.`,
      ticketId: thread.ticket.id,
      ticketNumber: thread.ticket.number,
      ticketMessageId: added.messageId,
    };
  }
  const ticket = await createTicket(ctx, {
    subject: subjectOf(mail.parsed),
    body,
    channel: "email",
    files: attachmentFiles,
  });
  for (const copied of mail.cc) {
    if (copied.address === mail.from.address || (await isOwnMailbox(tx, copied.address))) continue;
    const contact = await findOrCreateContact(
      tx,
      orgId,
      { email: copied.address, name: copied.name },
      mail.now,
    );
    await follow(tx, orgId, ticket.id, contact.id, mail.now);
  }
  await enqueue(tx, mail.now, {
    queue: ACK_QUEUE,
    orgId,
    payload: { ticketId: ticket.id, to: mail.from.address, name: mail.from.name },
    idempotencyKey: ticket.id,
  });
  const why = thread
    ? `${formatTicketNumber(thread.ticket.number)} (${thread.because}) is closed, so this opened a new ticket`
    : (await notThreadedBecause(tx, mail)) || "nothing in it names an existing ticket";
  return {
    outcome: "new_ticket",
    reason: `New ticket: ${why}.`,
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    ticketMessageId: ticket.firstMessageId,
  };
}

/** A customer actor for the sender, who becomes a contact if the organization has not heard from them. */
async function customerCtx(tx: Tx, files: FileStore, orgId: string, mail: Incoming): Promise<Ctx> {
  const contact = await contactWritingIn(
    tx,
    orgId,
    { email: mail.from.address, name: mail.from.name },
    mail.now,
  );
  // The transaction stands in for the database: the ticket, its message and this record commit together.
  return { db: tx as unknown as Db, actor: customerActor(orgId, contact), now: mail.now, files };
}

interface Thread {
  ticket: { id: string; number: number; status: string; contactId: string; mergedIntoId?: string | null };
  because: string;
}

async function ticketById(tx: Tx, orgId: string, ticketId: string) {
  const [ticket] = await tx
    .select({
      id: tickets.id,
      number: tickets.number,
      status: tickets.status,
      contactId: tickets.contactId,
      mergedIntoId: tickets.mergedIntoId,
    })
    .from(tickets)
    .where(and(eq(tickets.orgId, orgId), eq(tickets.id, ticketId)));
  return ticket;
}

/** The thread a message belongs to; a merged ticket's mail lands on the ticket it was merged into. */
async function findThread(tx: Tx, mail: Incoming): Promise<Thread | undefined> {
  const thread = await findThreadAsAddressed(tx, mail);
  if (!thread?.ticket.mergedIntoId) return thread;
  const orgId = mail.routed.mailbox.orgId;
  const survivorId = await followMerges(tx, orgId, thread.ticket.id);
  if (survivorId === thread.ticket.id) return thread;
  const survivor = await ticketById(tx, orgId, survivorId);
  return {
    ticket: survivor,
    because: `${thread.because}, which was merged into ${formatTicketNumber(survivor.number)}`,
  };
}

/** The threading rules, surest first. */
async function findThreadAsAddressed(tx: Tx, mail: Incoming): Promise<Thread | undefined> {
  const orgId = mail.routed.mailbox.orgId;
  if (mail.routed.token) {
    const [row] = await tx
      .select({ ticketId: ticketReplyTokens.ticketId })
      .from(ticketReplyTokens)
      .where(and(eq(ticketReplyTokens.orgId, orgId), eq(ticketReplyTokens.token, mail.routed.token)));
    const ticket = row && (await ticketById(tx, orgId, row.ticketId));
    if (ticket) {
      return {
        ticket,
        because: `the reply address carries ${formatTicketNumber(ticket.number)}'s reply token`,
      };
    }
  }
  const named = [normalizeMessageId(mail.parsed.inReplyTo), ...referencesOf(mail.parsed).reverse()].filter(
    (id): id is string => !!id,
  );
  if (named.length) {
    const ticketId = await ticketOfMessageIds(tx, orgId, named);
    const ticket = ticketId && (await ticketById(tx, orgId, ticketId));
    if (ticket) {
      return {
        ticket,
        because: `its In-Reply-To/References name a message of ${formatTicketNumber(ticket.number)}`,
      };
    }
  }
  const conversation = conversationOf(mail.parsed);
  if (conversation) {
    const [row] = await tx
      .select({ ticketId: inboundEmails.ticketId })
      .from(inboundEmails)
      .where(and(eq(inboundEmails.orgId, orgId), eq(inboundEmails.threadIndex, conversation)))
      .limit(1);
    const ticket = row?.ticketId && (await ticketById(tx, orgId, row.ticketId));
    if (ticket) {
      return {
        ticket,
        because: `its Outlook conversation (Thread-Index) is ${formatTicketNumber(ticket.number)}'s`,
      };
    }
  }
  const byNumber = await ticketNamedInSubject(tx, mail);
  if (byNumber && (await mayUseSubjectNumber(tx, orgId, byNumber, mail.from.address))) {
    return {
      ticket: byNumber,
      because: `its subject names ${formatTicketNumber(byNumber.number)} and the sender is on that ticket`,
    };
  }
  return undefined;
}

/** Why a subject that names a ticket did not thread, in words; empty when it names none. */
async function notThreadedBecause(tx: Tx, mail: Incoming): Promise<string> {
  const byNumber = await ticketNamedInSubject(tx, mail);
  if (!byNumber) return "";
  return `the subject names ${formatTicketNumber(byNumber.number)}, but ${mail.from.address} is neither its requester nor a follower`;
}

async function ticketNamedInSubject(tx: Tx, mail: Incoming) {
  const match = /\b(TKT-\d{1,9})\b/i.exec(mail.parsed.subject ?? "");
  const number = match ? parseTicketNumber(match[1].toUpperCase()) : undefined;
  if (number === undefined) return undefined;
  const [ticket] = await tx
    .select({ id: tickets.id, number: tickets.number, status: tickets.status, contactId: tickets.contactId })
    .from(tickets)
    .where(and(eq(tickets.orgId, mail.routed.mailbox.orgId), eq(tickets.number, number)));
  return ticket;
}

/** A ticket number in a subject is easy to quote or guess: it threads only the ticket's own people. */
async function mayUseSubjectNumber(
  tx: Tx,
  orgId: string,
  ticket: { id: string; contactId: string },
  sender: string,
): Promise<boolean> {
  const [contact] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), eq(contacts.email, sender)));
  if (!contact) return false;
  if (contact.id === ticket.contactId) return true;
  const [follower] = await tx
    .select({ id: ticketFollowers.contactId })
    .from(ticketFollowers)
    .where(
      and(
        eq(ticketFollowers.orgId, orgId),
        eq(ticketFollowers.ticketId, ticket.id),
        eq(ticketFollowers.contactId, contact.id),
      ),
    );
  return !!follower;
}

/** The ticket of the latest of these Message-IDs that we sent or received (one query for both). */
async function ticketOfMessageIds(tx: Tx, orgId: string, ids: string[]): Promise<string | undefined> {
  const list = `{${ids.map(arrayItem).join(",")}}`;
  // Received after sent: a Message-ID in both counts as the received one's, as the Map keeps the last.
  const rows = rowsOf<{ message_id: string; ticket_id: string | null }>(
    await tx.execute(sql`
      select message_id, ticket_id, 0 as received from ${outboxMessages}
      where org_id = ${orgId} and message_id = any(${list}::text[])
      union all
      select message_id, ticket_id, 1 from ${inboundEmails}
      where org_id = ${orgId} and message_id = any(${list}::text[])
      order by received`),
  );
  const known = new Map(rows.filter((r) => r.ticket_id).map((r) => [r.message_id, r.ticket_id]));
  for (const id of ids) if (known.get(id)) return known.get(id) as string;
  return undefined;
}

/** One element of a Postgres array literal, quoted: Message-IDs hold commas, quotes and braces. */
const arrayItem = (value: string) => `"${value.replace(/["\\]/g, "\\$&")}"`;

async function follow(tx: Tx, orgId: string, ticketId: string, contactId: string, now: Date) {
  const [ticket] = await tx
    .select({ contactId: tickets.contactId })
    .from(tickets)
    .where(eq(tickets.id, ticketId));
  if (ticket?.contactId === contactId) return;
  await tx
    .insert(ticketFollowers)
    .values({ orgId, ticketId, contactId, createdAt: now })
    .onConflictDoNothing();
}

async function isOwnMailbox(tx: Tx, address: string): Promise<boolean> {
  return !!(await mailboxForAddress(tx, address));
}

async function markFailing(tx: Tx, orgId: string, addresses: string[], now: Date, why: string) {
  if (addresses.length === 0) return;
  await tx
    .update(contacts)
    .set({ emailFailingAt: now, emailFailure: why.slice(0, 500) })
    .where(and(eq(contacts.orgId, orgId), inArray(contacts.email, addresses)));
}

export const ACK_QUEUE = "email.acknowledge";

export const acknowledgeQueue: QueueDefinition = {
  queue: ACK_QUEUE,
  concurrency: 4,
  handler: (job, ctx) =>
    acknowledgeNewTicket(ctx.db, job.payload as { ticketId: string; to: string; name?: string }, ctx.now),
};

/**
 * Tells the sender their mail became a ticket; marked automatic so their auto-responder stays
 * quiet. A job of its own, after the receipt commits: the receipt holds the organization's
 * ticket-number lock, and should not hold it while the mail is written.
 */
export async function acknowledgeNewTicket(
  db: Db,
  payload: { ticketId: string; to: string; name?: string },
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [ticket] = await tx
      .select({ id: tickets.id, orgId: tickets.orgId, number: tickets.number, subject: tickets.subject })
      .from(tickets)
      .where(eq(tickets.id, payload.ticketId));
    if (!ticket) return;
    const org = await orgForMail(tx, ticket.orgId);
    const number = formatTicketNumber(ticket.number);
    await queueMail(
      tx,
      {
        orgId: ticket.orgId,
        to: payload.to,
        kind: "ticket_received",
        automatic: true,
        ticket: { id: ticket.id },
        values: {
          "ticket.number": number,
          "ticket.subject": ticket.subject,
          "contact.name": payload.name || payload.to,
          "org.name": org.name,
          "portal.url": `${org.baseUrl}/portal/tickets/${number}`,
        },
      },
      now,
    );
  });
}

function referencesOf(parsed: ParsedMail): string[] {
  return messageIdList(parsed.references as string | string[] | undefined).slice(-50);
}

/** Outlook's Thread-Index: its first 22 bytes name the conversation, the rest the reply. */
function conversationOf(parsed: ParsedMail): string | null {
  const value = parsed.headers.get("thread-index");
  if (typeof value !== "string") return null;
  const bytes = Buffer.from(value.trim(), "base64");
  return bytes.length >= 22 ? bytes.subarray(0, 22).toString("base64") : null;
}

function subjectOf(parsed: ParsedMail): string {
  const subject = (parsed.subject ?? "").replace(/\s+/g, " ").trim();
  return (subject || "(no subject)").slice(0, 200);
}

const NO_TEXT = "(This message has no text; see its attachments or the original.)";

function bodyOf(parsed: ParsedMail): string {
  // HTML is never shown as HTML: an HTML-only message is turned into text, so no markup survives.
  const fromHtml = () => (parsed.html ? htmlToText(parsed.html, { wordwrap: false }) : "");
  const text = (parsed.text?.trim() || fromHtml()).replace(/\r\n/g, "\n").trim();
  if (!text) return NO_TEXT;
  if (text.length <= BODY_MAX) return text;
  return `${text.slice(0, BODY_MAX - 200)}\n\n[… the rest is in the original message]`;
}

const MAX_ATTACHMENTS = 10;

/** Attachments and inline images the file store takes; any others stay in the original .eml. */
function filesOf(parsed: ParsedMail, maxBytes: number): File[] {
  return parsed.attachments
    .filter((a) => a.content.length > 0 && a.content.length <= maxBytes)
    .slice(0, MAX_ATTACHMENTS)
    .map(
      (a, i) =>
        new File([new Uint8Array(a.content)], a.filename || `attachment-${i + 1}`, { type: a.contentType }),
    );
}

/** A received message's original (.eml), for staff of its organization. */
export async function inboundOriginal(ctx: Ctx, inboundId: string) {
  requirePermission(ctx.actor, "tickets.read_all");
  if (!isUuid(inboundId)) return undefined;
  const [row] = await ctx.db
    .select({ sha256: inboundEmails.rawSha256, receivedAt: inboundEmails.receivedAt })
    .from(inboundEmails)
    .where(and(eq(inboundEmails.orgId, ctx.actor.orgId), eq(inboundEmails.id, inboundId)));
  if (!row) return undefined;
  return {
    sha256: row.sha256,
    filename: `message-${inboundId.slice(0, 8)}.eml`,
    contentType: "message/rfc822",
  };
}
