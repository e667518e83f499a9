import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { jsonb } from "./jsonb";

export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  /** Host name that serves this organization's portal and help center (e.g. support.acme.test). */
  host: text("host").unique(),
  timeZone: text("time_zone").notNull().default("UTC"),
  locale: text("locale").notNull().default("en"),
  currency: text("currency").notNull().default("USD"),
  supportEmail: text("support_email"),
  /**
   * The Postgres text-search configuration (a row of pg_ts_config: english, french, indonesian,
   * simple, …) that stems the words of tickets, messages and articles and of the queries on them.
   */
  searchConfig: text("search_config").notNull().default("english"),
  /**
   * Changes to a new random value whenever a definition that ticket writes read changes (SLA
   * policies, business calendars and holidays, automation rules, the time zone), by triggers
   * (migration 0041). Every app server caches those definitions under it and checks it with one
   * small read per write; a rolled-back change's value is never seen, so it is never reused.
   */
  configStamp: uuid("config_stamp").notNull().defaultRandom(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Per-organization sequences for human numbers (TKT-000123). Incremented inside the writing transaction, so gapless. */
export const counters = pgTable(
  "counters",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    value: bigint("value", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.name] })],
);

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  sha256: string;
}

export const OUTBOX_STATUSES = ["queued", "sent", "kept", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Every mail the product sends. A delivery job sends it through SMTP ("sent"); with no SMTP
 * server configured it stays here for admins to read at /admin/outbox ("kept").
 */
export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    toAddress: text("to_address").notNull(),
    /** The ticket's followers, copied on its replies. */
    ccAddresses: text("cc_addresses").array().notNull().default(sql`'{}'::text[]`),
    fromAddress: text("from_address"),
    replyTo: text("reply_to"),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    kind: text("kind").notNull(),
    /** Message-ID without angle brackets; replies from customers name it in In-Reply-To. */
    messageId: text("message_id"),
    inReplyTo: text("in_reply_to"),
    references: text("references").array().notNull().default(sql`'{}'::text[]`),
    mailboxId: uuid("mailbox_id"),
    ticketId: uuid("ticket_id"),
    ticketMessageId: uuid("ticket_message_id"),
    /** Files from the file store sent with the mail (a service report's PDF). */
    attachments: jsonb("attachments").$type<OutboxAttachment[]>().notNull().default(sql`'[]'::jsonb`),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("kept"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    index("outbox_org_created").on(t.orgId, t.createdAt),
    index("outbox_org_message_id").on(t.orgId, t.messageId),
    index("outbox_org_ticket").on(t.orgId, t.ticketId),
  ],
);
