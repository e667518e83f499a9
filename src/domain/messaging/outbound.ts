// Replies on a text-message ticket go back by text: a text_messages row and a "messaging.send" job
// made in the reply's transaction, sent by the job through the channel's provider. A refusal the
// provider calls permanent (a wrong number, bad credentials) fails at once; anything else is
// retried, and the last failed attempt marks the reply failed on its ticket, like email.
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  contacts,
  type MessagingKind,
  messagingChannels,
  type TextStatus,
  textMessages,
} from "../../../db/schema";
import { systemActor } from "../context";
import { invalid } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { enqueue } from "../jobs/queue";
import { allowsPrivateTargets } from "../webhooks/subscriptions";
import { checkTarget, TargetRefused } from "../webhooks/targets";
import { type SignedRequest, textWithChannel, verifiedChannel } from "./inbound";
import type { DeliveryReport } from "./provider";
import { ProviderError } from "./provider";
import { PROVIDERS } from "./twilio";

export const TEXT_SEND_QUEUE = "messaging.send";
/** Providers split longer texts into parts up to this many characters in all. */
export const TEXT_MAX = 1600;

export const isTextChannel = (channel: string): channel is MessagingKind =>
  channel === "sms" || channel === "whatsapp";

interface TicketForText {
  id: string;
  orgId: string;
  contactId: string;
  channel: MessagingKind;
}

/**
 * The channel that last carried a text of this ticket (when there is one), or else the
 * organization's first enabled channel of the kind.
 */
export async function textChannelFor(
  tx: DbOrTx,
  where: { orgId: string; ticketId: string | null; kind: MessagingKind },
) {
  if (where.ticketId) {
    const [lastUsed] = await tx
      .select({ channel: messagingChannels })
      .from(textMessages)
      .innerJoin(
        messagingChannels,
        and(
          eq(messagingChannels.orgId, textMessages.orgId),
          eq(messagingChannels.id, textMessages.channelId),
        ),
      )
      .where(
        and(
          eq(textMessages.orgId, where.orgId),
          eq(textMessages.ticketId, where.ticketId),
          eq(messagingChannels.kind, where.kind),
          eq(messagingChannels.enabled, true),
        ),
      )
      .orderBy(desc(textMessages.createdAt))
      .limit(1);
    if (lastUsed) return lastUsed.channel;
  }
  const [any] = await tx
    .select()
    .from(messagingChannels)
    .where(
      and(
        eq(messagingChannels.orgId, where.orgId),
        eq(messagingChannels.kind, where.kind),
        eq(messagingChannels.enabled, true),
      ),
    )
    .orderBy(messagingChannels.createdAt)
    .limit(1);
  return any;
}

async function channelFor(tx: DbOrTx, ticket: TicketForText) {
  return textChannelFor(tx, { orgId: ticket.orgId, ticketId: ticket.id, kind: ticket.channel });
}

/**
 * Queues a text the product writes by itself (a visit's confirmation, the technician on the way)
 * through a channel chosen by the caller; sent by the same job as replies. Longer text is cut.
 */
export async function queueAutomaticText(
  tx: DbOrTx,
  text: { orgId: string; channel: { id: string; phoneNumber: string }; to: string; body: string },
  now: Date,
): Promise<string> {
  const body = text.body.length > TEXT_MAX ? `${text.body.slice(0, TEXT_MAX - 1)}…` : text.body;
  const [row] = await tx
    .insert(textMessages)
    .values({
      orgId: text.orgId,
      channelId: text.channel.id,
      direction: "outbound",
      fromNumber: text.channel.phoneNumber,
      toNumber: text.to,
      body,
      status: "queued",
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: textMessages.id });
  await enqueue(tx, now, {
    queue: TEXT_SEND_QUEUE,
    orgId: text.orgId,
    payload: { textMessageId: row.id },
    idempotencyKey: row.id,
  });
  return row.id;
}

/**
 * Queues an agent's reply as a text to the ticket's contact. Throws a field error on `body` when it
 * cannot go (no number, no channel, too long), so the reply is not saved as if it had been sent.
 */
export async function queueText(
  tx: DbOrTx,
  ticket: TicketForText,
  message: { id: string; body: string },
  now: Date,
): Promise<void> {
  const label = ticket.channel === "whatsapp" ? "WhatsApp message" : "text message";
  if (message.body.length > TEXT_MAX)
    throw invalid({ body: `A ${label} holds at most ${TEXT_MAX.toLocaleString("en")} characters.` });
  const [contact] = await tx
    .select({ phone: contacts.phoneE164 })
    .from(contacts)
    .where(and(eq(contacts.orgId, ticket.orgId), eq(contacts.id, ticket.contactId)));
  if (!contact?.phone)
    throw invalid({ body: "The customer has no mobile number with a country code to send this to." });
  const channel = await channelFor(tx, ticket);
  if (!channel)
    throw invalid({ body: `No ${label} channel is enabled; an admin sets one up under Messaging.` });
  const [row] = await tx
    .insert(textMessages)
    .values({
      orgId: ticket.orgId,
      channelId: channel.id,
      direction: "outbound",
      fromNumber: channel.phoneNumber,
      toNumber: contact.phone,
      body: message.body,
      status: "queued",
      ticketId: ticket.id,
      ticketMessageId: message.id,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: textMessages.id });
  await enqueue(tx, now, {
    queue: TEXT_SEND_QUEUE,
    orgId: ticket.orgId,
    payload: { textMessageId: row.id },
    idempotencyKey: row.id,
  });
}

export interface SendOptions {
  now: Date;
  lastAttempt: boolean;
  /** WEBHOOKS_ALLOW_PRIVATE: the provider API may be on a private address. */
  allowPrivate: boolean;
  /** The public address of the organization, for delivery reports; none when unknown. */
  baseUrl?: string;
}

export type SendOutcome = "sent" | "failed" | "already";

export async function deliverText(db: Db, textMessageId: string, options: SendOptions): Promise<SendOutcome> {
  const row = await textWithChannel(db, textMessageId);
  if (!row) return "already";
  const { text, channel } = row;
  if (text.status !== "queued") return "already";
  let providerMessageId: string;
  try {
    // Checked again before each send: the name may resolve elsewhere since the channel was saved.
    await checkTarget(channel.apiBaseUrl, {
      allowPrivate: options.allowPrivate || (await allowsPrivateTargets(db, channel.orgId)),
    });
    ({ providerMessageId } = await PROVIDERS[channel.provider].send(channel, {
      to: text.toNumber,
      body: text.body,
      statusCallbackUrl: options.baseUrl
        ? `${options.baseUrl}/hooks/messaging/${channel.id}/status`
        : undefined,
    }));
  } catch (error) {
    const permanent = error instanceof TargetRefused || (error instanceof ProviderError && error.permanent);
    if (!permanent && !options.lastAttempt) throw error;
    await markFailed(db, text, (error as Error).message, options.now);
    return "failed";
  }
  await db.transaction(async (tx) => {
    await tx
      .update(textMessages)
      .set({ status: "sent", providerMessageId, updatedAt: options.now })
      .where(eq(textMessages.id, text.id));
    await appendEvent(
      tx,
      { db, actor: systemActor(text.orgId), now: options.now },
      {
        type: "text.sent",
        ticketId: text.ticketId ?? undefined,
        data: { textMessageId: text.id, messageId: text.ticketMessageId, to: text.toNumber },
      },
    );
  });
  return "sent";
}

async function markFailed(
  db: Db,
  text: typeof textMessages.$inferSelect,
  reason: string,
  now: Date,
  status: Extract<TextStatus, "failed" | "undelivered"> = "failed",
) {
  await db.transaction(async (tx) => {
    await tx
      .update(textMessages)
      .set({ status, error: reason.slice(0, 500), updatedAt: now })
      .where(eq(textMessages.id, text.id));
    await appendEvent(
      tx,
      { db, actor: systemActor(text.orgId), now },
      {
        type: "text.failed",
        ticketId: text.ticketId ?? undefined,
        data: { textMessageId: text.id, messageId: text.ticketMessageId, to: text.toNumber, error: reason },
      },
    );
  });
}

/** A delivery report from the provider: the text's state moves forward, a failure is recorded. */
export async function applyReport(
  db: Db,
  channel: { id: string; orgId: string },
  report: DeliveryReport,
  now: Date,
): Promise<void> {
  const [text] = await db
    .select()
    .from(textMessages)
    .where(
      and(
        eq(textMessages.orgId, channel.orgId),
        eq(textMessages.channelId, channel.id),
        eq(textMessages.providerMessageId, report.providerMessageId),
        eq(textMessages.direction, "outbound"),
      ),
    );
  // Reports can arrive out of order: "sent" after "delivered" changes nothing.
  if (!text || text.status === "delivered" || text.status === "failed" || text.status === "undelivered")
    return;
  if (report.status === "failed" || report.status === "undelivered") {
    await markFailed(
      db,
      text,
      report.error ?? `The provider reports the message ${report.status}.`,
      now,
      report.status,
    );
    return;
  }
  await db
    .update(textMessages)
    .set({ status: report.status, updatedAt: now })
    .where(eq(textMessages.id, text.id));
}

/** The provider's delivery report request: signature checked, then applied. */
export async function receiveReport(db: Db, channelId: string, request: SignedRequest, now: Date) {
  const { channel, provider } = await verifiedChannel(db, channelId, request);
  const report = provider.parseReport(request.params);
  if (report) await applyReport(db, channel, report, now);
}
