// Every mail the product sends is first a row in the outbox, written in the transaction of the
// change that caused it, with a delivery job beside it: a rolled-back change sends nothing, and a
// committed one is delivered even if the server stops right after. Admins read it at /admin/outbox.
import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import {
  contacts,
  inboundEmails,
  mailboxes,
  type OutboxAttachment,
  organizations,
  outboxMessages,
  ticketFollowers,
  ticketReplyTokens,
} from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import type { DbOrTx } from "../events/log";
import { enqueue } from "../jobs/queue";
import { newMessageId, newReplyToken, replyAddress } from "./addresses";
import { render, templateFor } from "./templates";

export const SEND_QUEUE = "email.send";

export interface OutgoingMail {
  orgId: string;
  to: string;
  cc?: string[];
  kind: string;
  /** Placeholder values for the kind's template. */
  values: Record<string, string>;
  ticket?: { id: string; messageId?: string };
  /** Marks mail the product sends by itself (acknowledgements), so other systems do not answer it. */
  automatic?: boolean;
  /** Files already in the file store, sent with the mail. */
  attachments?: OutboxAttachment[];
}

interface Sender {
  mailboxId: string | null;
  address: string;
}

/** The organization's default mailbox, else its support address, else a placeholder that cannot bounce back. */
export async function senderFor(tx: DbOrTx, orgId: string): Promise<Sender> {
  const [mailbox] = await tx
    .select({ id: mailboxes.id, address: mailboxes.address })
    .from(mailboxes)
    .where(eq(mailboxes.orgId, orgId))
    .orderBy(desc(mailboxes.isDefault), asc(mailboxes.createdAt))
    .limit(1);
  if (mailbox) return { mailboxId: mailbox.id, address: mailbox.address };
  const [org] = await tx
    .select({ supportEmail: organizations.supportEmail, slug: organizations.slug })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return { mailboxId: null, address: org?.supportEmail ?? `no-reply@${org?.slug ?? "org"}.invalid` };
}

/** The ticket's reply token, made on its first outgoing mail. */
export async function replyTokenFor(tx: DbOrTx, orgId: string, ticketId: string, now: Date): Promise<string> {
  await tx
    .insert(ticketReplyTokens)
    .values({ token: newReplyToken(), orgId, ticketId, createdAt: now })
    .onConflictDoNothing({ target: [ticketReplyTokens.orgId, ticketReplyTokens.ticketId] });
  const [row] = await tx
    .select({ token: ticketReplyTokens.token })
    .from(ticketReplyTokens)
    .where(and(eq(ticketReplyTokens.orgId, orgId), eq(ticketReplyTokens.ticketId, ticketId)));
  return row.token;
}

/** Message-IDs of a ticket's mail so far, oldest first: the References of its next mail. */
async function threadMessageIds(tx: DbOrTx, orgId: string, ticketId: string): Promise<string[]> {
  const result = await tx.execute(sql`
    select message_id from (
      select message_id, received_at as at from ${inboundEmails}
      where org_id = ${orgId} and ticket_id = ${ticketId} and outcome in ('threaded', 'new_ticket')
      union all
      select message_id, created_at as at from ${outboxMessages}
      where org_id = ${orgId} and ticket_id = ${ticketId} and message_id is not null
    ) thread order by at`);
  return rowsOf<{ message_id: string }>(result).map((r) => r.message_id);
}

/** Writes the mail to the outbox and queues its delivery, inside the caller's transaction. */
export async function queueMail(tx: DbOrTx, mail: OutgoingMail, now: Date): Promise<string> {
  const sender = await senderFor(tx, mail.orgId);
  const content = render(await templateFor(tx, mail.orgId, mail.kind), mail.values);
  let replyTo: string | null = null;
  let references: string[] = [];
  if (mail.ticket) {
    replyTo = replyAddress(sender.address, await replyTokenFor(tx, mail.orgId, mail.ticket.id, now));
    // Long threads keep the first message and the latest ones, as RFC 5322 suggests.
    const thread = await threadMessageIds(tx, mail.orgId, mail.ticket.id);
    references = thread.length > 20 ? [thread[0], ...thread.slice(-19)] : thread;
  }
  const [row] = await tx
    .insert(outboxMessages)
    .values({
      orgId: mail.orgId,
      toAddress: mail.to,
      ccAddresses: mail.cc ?? [],
      fromAddress: sender.address,
      replyTo,
      subject: content.subject,
      textBody: content.text,
      htmlBody: content.html,
      kind: mail.kind,
      messageId: newMessageId(sender.address),
      inReplyTo: references.at(-1) ?? null,
      references,
      mailboxId: sender.mailboxId,
      ticketId: mail.ticket?.id ?? null,
      ticketMessageId: mail.ticket?.messageId ?? null,
      attachments: mail.attachments ?? [],
      status: "queued",
      createdAt: now,
    })
    .returning({ id: outboxMessages.id });
  await enqueue(tx, now, {
    queue: SEND_QUEUE,
    orgId: mail.orgId,
    payload: { outboxId: row.id, automatic: mail.automatic ?? false },
    idempotencyKey: row.id,
  });
  return row.id;
}

/** The organization's name and the address its links start with (its own host when it has one). */
export async function orgForMail(tx: DbOrTx, orgId: string): Promise<{ name: string; baseUrl: string }> {
  const [org] = await tx
    .select({ name: organizations.name, host: organizations.host })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return { name: org?.name ?? "", baseUrl: org?.host ? `https://${org.host}` : "" };
}

export async function listOutbox(ctx: Ctx, options: { before?: Date; limit?: number } = {}) {
  requirePermission(ctx.actor, "org.admin");
  return ctx.db
    .select()
    .from(outboxMessages)
    .where(
      and(
        eq(outboxMessages.orgId, ctx.actor.orgId),
        options.before ? lt(outboxMessages.createdAt, options.before) : undefined,
      ),
    )
    .orderBy(desc(outboxMessages.createdAt))
    .limit(options.limit ?? 50);
}

/** Addresses of the contacts following a ticket, for the copy line of its replies. */
export async function followerAddresses(tx: DbOrTx, orgId: string, ticketId: string): Promise<string[]> {
  const rows = await tx
    .select({ email: contacts.email })
    .from(ticketFollowers)
    .innerJoin(
      contacts,
      and(eq(contacts.orgId, ticketFollowers.orgId), eq(contacts.id, ticketFollowers.contactId)),
    )
    .where(and(eq(ticketFollowers.orgId, orgId), eq(ticketFollowers.ticketId, ticketId)));
  return rows.flatMap((r) => (r.email ? [r.email] : []));
}
