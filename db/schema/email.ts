import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { contacts } from "./crm";
import { organizations } from "./orgs";
import { tickets } from "./tickets";

/**
 * An address customers write to (support@, billing@). Incoming mail is routed to the organization
 * by its recipient, so an address belongs to one mailbox in the whole installation.
 */
export const mailboxes = pgTable(
  "mailboxes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Lower case; replies go out from it and reply tokens are added to its local part. */
    address: text("address").notNull(),
    /** Outgoing server for this mailbox (smtp://user:pass@host:587); empty = the server-wide SMTP_URL. */
    smtpUrl: text("smtp_url"),
    /** Mail is also fetched from this IMAP folder (imaps://user:pass@host:993), besides the SMTP listener. */
    imapUrl: text("imap_url"),
    imapFolder: text("imap_folder").notNull().default("INBOX"),
    /** Where polling got to: messages above this UID are new, while the folder's UIDVALIDITY holds. */
    imapUidValidity: text("imap_uid_validity"),
    imapLastUid: integer("imap_last_uid").notNull().default(0),
    imapCheckedAt: timestamp("imap_checked_at", { withTimezone: true }),
    imapError: text("imap_error"),
    /** The mailbox new mail and replies without a mailbox go out from. */
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("mailboxes_address").on(t.address),
    unique("mailboxes_org_id").on(t.orgId, t.id),
    index("mailboxes_org").on(t.orgId),
  ],
);

/** An organization's wording of one kind of mail; kinds without a row use the built-in text. */
export const emailTemplates = pgTable(
  "email_templates",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.kind] })],
);

/** The secret in a ticket's reply address (support+<token>@…): the surest way to thread a reply. */
export const ticketReplyTokens = pgTable(
  "ticket_reply_tokens",
  {
    token: text("token").primaryKey(),
    orgId: uuid("org_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("ticket_reply_tokens_ticket").on(t.orgId, t.ticketId),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
  ],
);

export const INBOUND_OUTCOMES = [
  "threaded",
  "new_ticket",
  "duplicate",
  "auto_reply",
  "bounce",
  "rejected",
] as const;
export type InboundOutcome = (typeof INBOUND_OUTCOMES)[number];

/** Every message received, whatever became of it, with the reason it went where it went. */
export const inboundEmails = pgTable(
  "inbound_emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** The mailbox it was addressed to (kept as a plain id: deleting a mailbox keeps the record). */
    mailboxId: uuid("mailbox_id"),
    /** Message-ID without angle brackets; the same message delivered twice is received once. */
    messageId: text("message_id").notNull(),
    inReplyTo: text("in_reply_to"),
    references: text("references").array().notNull().default(sql`'{}'::text[]`),
    /** Outlook's conversation: the first 22 bytes of Thread-Index, base64. */
    threadIndex: text("thread_index"),
    fromAddress: text("from_address").notNull(),
    subject: text("subject").notNull(),
    outcome: text("outcome", { enum: INBOUND_OUTCOMES }).notNull(),
    /** In words: "threaded because the reply address carries ticket TKT-000012's token". */
    reason: text("reason").notNull(),
    ticketId: uuid("ticket_id"),
    ticketMessageId: uuid("ticket_message_id"),
    /** The original message (.eml) in the file store. */
    rawSha256: text("raw_sha256").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("inbound_emails_org_message_id").on(t.orgId, t.messageId),
    index("inbound_emails_org_ticket").on(t.orgId, t.ticketId),
    index("inbound_emails_org_thread_index").on(t.orgId, t.threadIndex),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
  ],
);

/** Contacts copied on a ticket's mail besides its requester: they receive replies and may reply. */
export const ticketFollowers = pgTable(
  "ticket_followers",
  {
    orgId: uuid("org_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    contactId: uuid("contact_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.ticketId, t.contactId] }),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }).onDelete(
      "cascade",
    ),
  ],
);
