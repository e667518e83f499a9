// Delivers one outbox message: the "email.send" job. Through the mailbox's SMTP server or the
// server-wide SMTP_URL; with neither, the message stays in the outbox ("kept"). A refusal the
// server calls permanent (5xx) fails at once; anything else is retried by the job queue, and the
// last failed attempt marks the message failed on its ticket.
import { and, eq } from "drizzle-orm";
import type { Transporter } from "nodemailer";
import nodemailer from "nodemailer";
import type { Db } from "../../../db/client";
import { mailboxes, outboxMessages } from "../../../db/schema";
import { systemActor } from "../context";
import { appendEvent } from "../events/log";
import type { FileStore } from "../files/store";
import { angle } from "./addresses";

export interface DeliveryOptions {
  /** SMTP_URL: used when the mailbox has no server of its own. */
  smtpUrl?: string;
  now: Date;
  /** True on the job's last attempt: a failure now is final. */
  lastAttempt: boolean;
  automatic?: boolean;
  /** Where attached files are kept; needed only for mail with attachments. */
  files?: FileStore;
}

export type DeliveryOutcome = "sent" | "kept" | "failed" | "already";

const transports = new Map<string, Transporter>();

function transportFor(url: string): Transporter {
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  return transport;
}

/** Closes pooled SMTP connections (shutdown and tests). */
export function closeTransports(): void {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}

export async function deliverOutboxMessage(
  db: Db,
  outboxId: string,
  options: DeliveryOptions,
): Promise<DeliveryOutcome> {
  const [mail] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, outboxId));
  if (mail?.status !== "queued") return "already";
  const [mailbox] = mail.mailboxId
    ? await db
        .select({ smtpUrl: mailboxes.smtpUrl })
        .from(mailboxes)
        .where(and(eq(mailboxes.orgId, mail.orgId), eq(mailboxes.id, mail.mailboxId)))
    : [];
  const serverUrl = mailbox?.smtpUrl || options.smtpUrl;
  if (!serverUrl) {
    await db.update(outboxMessages).set({ status: "kept" }).where(eq(outboxMessages.id, mail.id));
    return "kept";
  }
  try {
    await transportFor(serverUrl).sendMail({
      from: mail.fromAddress ?? undefined,
      to: mail.toAddress,
      cc: mail.ccAddresses.length ? mail.ccAddresses : undefined,
      replyTo: mail.replyTo ?? undefined,
      subject: mail.subject,
      text: mail.textBody,
      html: mail.htmlBody ?? undefined,
      messageId: mail.messageId ? angle(mail.messageId) : undefined,
      inReplyTo: mail.inReplyTo ? angle(mail.inReplyTo) : undefined,
      references: mail.references.map(angle),
      attachments: mail.attachments.map((a) => {
        if (!options.files) throw new Error("file store missing for a mail with attachments");
        return { filename: a.filename, contentType: a.contentType, path: options.files.pathOf(a.sha256) };
      }),
      headers: options.automatic
        ? { "Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All" }
        : {},
    });
  } catch (error) {
    return recordFailure(db, mail, error, options);
  }
  await db.transaction(async (tx) => {
    await tx
      .update(outboxMessages)
      .set({ status: "sent", sentAt: options.now, attempts: mail.attempts + 1, lastError: null })
      .where(eq(outboxMessages.id, mail.id));
    if (mail.ticketId) {
      await appendEvent(
        tx,
        { db, actor: systemActor(mail.orgId), now: options.now },
        { type: "email.sent", ticketId: mail.ticketId, data: { outboxId: mail.id, to: mail.toAddress } },
      );
    }
  });
  return "sent";
}

async function recordFailure(
  db: Db,
  mail: typeof outboxMessages.$inferSelect,
  error: unknown,
  options: DeliveryOptions,
): Promise<DeliveryOutcome> {
  const code = (error as { responseCode?: number }).responseCode;
  const permanent = typeof code === "number" && code >= 500 && code < 600;
  const message = describeSmtpError(error);
  const final = permanent || options.lastAttempt;
  await db.transaction(async (tx) => {
    await tx
      .update(outboxMessages)
      .set({ status: final ? "failed" : "queued", attempts: mail.attempts + 1, lastError: message })
      .where(eq(outboxMessages.id, mail.id));
    if (final && mail.ticketId) {
      await appendEvent(
        tx,
        { db, actor: systemActor(mail.orgId), now: options.now },
        {
          type: "email.failed",
          ticketId: mail.ticketId,
          data: { outboxId: mail.id, to: mail.toAddress, error: message },
        },
      );
    }
  });
  if (final) return "failed";
  throw new Error(`Delivery to ${mail.toAddress} failed: ${message}`);
}

/** The server's answer without credentials that a connection error might echo. */
function describeSmtpError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\/\/[^@/\s]*@/g, "//").slice(0, 500);
}
