// Text messages arriving from a provider: checked against the provider's signature, received once
// (providers retry), and filed on the sender's ticket. A conversation by text has no subject or
// headers to thread on, so the rule is the one people expect from a chat: a message joins the
// sender's latest ticket on the same channel while that ticket is not closed (a solved one reopens),
// and otherwise starts a new ticket. The reason is recorded on the message, as for email.
import { and, desc, eq, ne } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { attachments, contacts, messagingChannels, textMessages, tickets } from "../../../db/schema";
import { customerActor } from "../context";
import { orgForMail } from "../email/outbox";
import { DomainError, forbidden, notFound } from "../errors";
import type { DbOrTx } from "../events/log";
import { type FileStore, MAX_FILES_PER_MESSAGE, type StoredFile } from "../files/store";
import { enqueue } from "../jobs/queue";
import { formatTicketNumber } from "../orgs/counters";
import { addMessage, createTicket } from "../tickets/commands";
import { isUuid, SUBJECT_MAX } from "../tickets/rules";
import { allowsPrivateTargets } from "../webhooks/subscriptions";
import { checkTarget } from "../webhooks/targets";
import type { IncomingText } from "./provider";
import { PROVIDERS } from "./twilio";

export const MEDIA_QUEUE = "messaging.media";

export interface SignedRequest {
  /** The address the request reached. */
  url: string;
  params: Record<string, string>;
  signature: string;
}

export interface TextReceipt {
  outcome: "new_ticket" | "threaded" | "duplicate";
  reason: string;
  ticketId: string;
  ticketNumber: number;
}

type Channel = typeof messagingChannels.$inferSelect;

/** A stored text with the channel it went through (jobs get only the text's id). */
export async function textWithChannel(db: DbOrTx, textMessageId: string) {
  const [row] = await db
    .select({ text: textMessages, channel: messagingChannels })
    .from(textMessages)
    .innerJoin(
      messagingChannels,
      and(eq(messagingChannels.orgId, textMessages.orgId), eq(messagingChannels.id, textMessages.channelId)),
    )
    .where(eq(textMessages.id, textMessageId));
  return row;
}

/** The enabled channel a provider's request is for, after checking the request's signature. */
export async function verifiedChannel(db: DbOrTx, channelId: string, request: SignedRequest) {
  if (!isUuid(channelId)) throw notFound("That channel");
  const [channel] = await db.select().from(messagingChannels).where(eq(messagingChannels.id, channelId));
  if (!channel?.enabled) throw notFound("That channel");
  const provider = PROVIDERS[channel.provider];
  // The provider signs the address it was given: the organization's public one. Behind a proxy
  // that address differs from the one the request reached, so both are tried.
  const reached = new URL(request.url);
  const { baseUrl } = await orgForMail(db, channel.orgId);
  const urls = [request.url, ...(baseUrl ? [`${baseUrl}${reached.pathname}${reached.search}`] : [])];
  const signed = urls.some((url) => provider.verify(channel, url, request.params, request.signature));
  if (!request.signature || !signed) throw forbidden("The request's signature does not match.");
  return { channel, provider };
}

export async function receiveText(
  db: Db,
  channelId: string,
  request: SignedRequest,
  now: Date,
): Promise<TextReceipt> {
  const { channel, provider } = await verifiedChannel(db, channelId, request);
  const text = provider.parseInbound(channel, request.params);
  if (!text) throw new DomainError(400, "Bad Request", "The message has no sender, recipient or id.");
  return db.transaction(async (tx) => {
    const [seen] = await tx
      .select({ ticketId: textMessages.ticketId, number: tickets.number })
      .from(textMessages)
      .innerJoin(tickets, and(eq(tickets.orgId, textMessages.orgId), eq(tickets.id, textMessages.ticketId)))
      .where(
        and(
          eq(textMessages.orgId, channel.orgId),
          eq(textMessages.channelId, channel.id),
          eq(textMessages.providerMessageId, text.providerMessageId),
        ),
      );
    if (seen?.ticketId) {
      return {
        outcome: "duplicate" as const,
        reason: "Already received.",
        ticketId: seen.ticketId,
        ticketNumber: seen.number,
      };
    }
    const receipt = await fileText(tx as unknown as Db, channel, text, now);
    const [stored] = await tx
      .insert(textMessages)
      .values({
        orgId: channel.orgId,
        channelId: channel.id,
        direction: "inbound",
        providerMessageId: text.providerMessageId,
        fromNumber: text.from,
        toNumber: text.to,
        body: text.body,
        status: "received",
        reason: receipt.reason,
        ticketId: receipt.ticketId,
        ticketMessageId: receipt.messageId,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: textMessages.id });
    if (text.media.length) {
      await enqueue(tx, now, {
        queue: MEDIA_QUEUE,
        orgId: channel.orgId,
        payload: { textMessageId: stored.id, media: text.media },
        idempotencyKey: stored.id,
      });
    }
    return {
      outcome: receipt.outcome,
      reason: receipt.reason,
      ticketId: receipt.ticketId,
      ticketNumber: receipt.ticketNumber,
    };
  });
}

/** The sender as a contact: matched on the E.164 number, created with only that when new. */
async function contactForNumber(tx: DbOrTx, orgId: string, text: IncomingText, now: Date) {
  const [known] = await tx
    .select({ id: contacts.id, name: contacts.name })
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), eq(contacts.phoneE164, text.from)))
    .orderBy(contacts.createdAt)
    .limit(1);
  if (known) return known;
  const [created] = await tx
    .insert(contacts)
    .values({
      orgId,
      name: (text.senderName ?? text.from).slice(0, 200),
      phone: text.from,
      phoneE164: text.from,
      createdAt: now,
    })
    .returning({ id: contacts.id, name: contacts.name });
  return created;
}

function bodyOf(text: IncomingText): string {
  if (text.body.trim()) return text.body;
  return text.media.length === 1 ? "(sent a file)" : `(sent ${text.media.length} files)`;
}

function subjectOf(kind: Channel["kind"], body: string, from: string): string {
  const firstLine =
    body
      .split("\n")
      .find((line) => line.trim())
      ?.trim() ?? "";
  const label = kind === "whatsapp" ? "WhatsApp" : "SMS";
  if (!firstLine || firstLine.startsWith("(sent ")) return `${label} from ${from}`;
  return firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine.slice(0, SUBJECT_MAX);
}

async function fileText(tx: Db, channel: Channel, text: IncomingText, now: Date) {
  const contact = await contactForNumber(tx, channel.orgId, text, now);
  const ctx = { db: tx, actor: customerActor(channel.orgId, contact), now };
  const body = bodyOf(text);
  const [latest] = await tx
    .select({ id: tickets.id, number: tickets.number, status: tickets.status })
    .from(tickets)
    .where(
      and(
        eq(tickets.orgId, channel.orgId),
        eq(tickets.contactId, contact.id),
        eq(tickets.channel, channel.kind),
        ne(tickets.status, "closed"),
      ),
    )
    .orderBy(desc(tickets.updatedAt))
    .limit(1);
  if (latest) {
    const added = await addMessage(ctx, latest.id, { kind: "reply", body, channel: channel.kind });
    return {
      outcome: "threaded" as const,
      reason: `Threaded because ${formatTicketNumber(latest.number)} is ${text.from}'s latest open conversation on this number.`,
      ticketId: latest.id,
      ticketNumber: latest.number,
      messageId: added.messageId,
    };
  }
  const ticket = await createTicket(ctx, {
    subject: subjectOf(channel.kind, body, text.from),
    body,
    channel: channel.kind,
  });
  return {
    outcome: "new_ticket" as const,
    reason: `New ticket: ${text.from} has no open conversation on this number.`,
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    messageId: ticket.firstMessageId,
  };
}

export interface MediaOptions {
  allowPrivate: boolean;
}

const EXTENSIONS: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
  "audio/ogg": "ogg",
  "audio/mpeg": "mp3",
  "video/mp4": "mp4",
  "application/pdf": "pdf",
};

/**
 * The "messaging.media" job: fetches the pictures and files sent with a text and attaches them to
 * its ticket message. The channel's credentials go only to the provider's own host.
 */
export async function fetchMedia(
  db: Db,
  files: FileStore,
  textMessageId: string,
  media: { url: string; contentType: string }[],
  options: MediaOptions,
): Promise<number> {
  const row = await textWithChannel(db, textMessageId);
  const ticketId = row?.text.ticketId;
  const messageId = row?.text.ticketMessageId;
  if (!row || !ticketId || !messageId) return 0;
  const { text, channel } = row;
  const already = await db
    .select({ id: attachments.id })
    .from(attachments)
    .where(and(eq(attachments.orgId, text.orgId), eq(attachments.messageId, messageId)));
  if (already.length) return 0;
  const allowPrivate = options.allowPrivate || (await allowsPrivateTargets(db, text.orgId));
  const stored: StoredFile[] = [];
  for (const [i, item] of media.slice(0, MAX_FILES_PER_MESSAGE).entries()) {
    const target = await checkTarget(item.url, { allowPrivate });
    const sameHost = target.url.host === new URL(channel.apiBaseUrl).host;
    const response = await fetch(item.url, {
      headers: sameHost
        ? {
            authorization: `Basic ${Buffer.from(`${channel.accountSid}:${channel.authToken}`).toString("base64")}`,
          }
        : {},
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new Error(`Fetching ${item.url} answered ${response.status}.`);
    const declared = Number(response.headers.get("content-length") ?? 0);
    if (declared > files.maxBytes) continue;
    const bytes = await response.arrayBuffer();
    if (bytes.byteLength === 0 || bytes.byteLength > files.maxBytes) continue;
    const type = item.contentType.split(";")[0].trim().toLowerCase();
    const name = `${channel.kind}-${i + 1}.${EXTENSIONS[type] ?? "bin"}`;
    stored.push(await files.save(new File([bytes], name, { type })));
  }
  if (stored.length === 0) return 0;
  await db.insert(attachments).values(
    stored.map((f) => ({
      orgId: text.orgId,
      ticketId,
      messageId,
      ...f,
      createdAt: text.createdAt,
    })),
  );
  return stored.length;
}
