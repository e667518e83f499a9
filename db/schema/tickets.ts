import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { companies, contacts } from "./crm";
import { ticketCategories } from "./fields";
import { jsonb } from "./jsonb";
import { organizations } from "./orgs";
import { teams } from "./teams";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const TICKET_STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_TYPES = ["question", "incident", "problem", "task"] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export const CHANNELS = ["email", "web", "portal", "chat", "api", "phone", "sms", "whatsapp"] as const;
export type Channel = (typeof CHANNELS)[number];

export const tickets = pgTable(
  "tickets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    subject: text("subject").notNull(),
    status: text("status", { enum: TICKET_STATUSES }).notNull().default("new"),
    priority: text("priority", { enum: TICKET_PRIORITIES }).notNull().default("normal"),
    type: text("type", { enum: TICKET_TYPES }).notNull().default("question"),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    contactId: uuid("contact_id").notNull(),
    companyId: uuid("company_id"),
    assigneeId: uuid("assignee_id"),
    teamId: uuid("team_id"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    solvedAt: timestamp("solved_at", { withTimezone: true }),
    /**
     * When staff first replied to the customer (a public reply with a user as author); set once by a
     * trigger on ticket_messages, for reports of first-reply times.
     */
    firstRepliedAt: timestamp("first_replied_at", { withTimezone: true }),
    // SLA state derived from the event log, stored so lists sort and filter without computing
    // clocks; recomputed in the transaction of every change to the ticket. When the sweep should
    // next look at the ticket is kept beside it, in ticket_sla_state (db/schema/sla.ts).
    slaPolicyId: uuid("sla_policy_id"),
    /** The earliest due time of the ticket's open clocks (past when breached); null when none runs. */
    slaNextDueAt: timestamp("sla_next_due_at", { withTimezone: true }),
    /** An open clock has passed its target: the ticket is overdue. */
    slaBreached: boolean("sla_breached").notNull().default(false),
    /** The subject's words, in the organization's search configuration (set by a trigger). */
    search: tsvector("search"),
    /** Set when this ticket was merged: it is closed and its conversation continues there. */
    mergedIntoId: uuid("merged_into_id"),
    /** The ticket's category and subcategory (ticket_categories); see src/domain/fields. */
    categoryId: uuid("category_id"),
    subcategoryId: uuid("subcategory_id"),
    /**
     * Custom field values by field key. Kept on the ticket rather than in a values table: automation
     * reads the ticket row it already loads, the API returns the row as it is, the list filters with
     * a GIN-indexed containment (`@>`) without a join per field, and values of archived fields stay.
     */
    /** The latest customer message's sentiment (very_negative … very_positive), set by the AI job. */
    sentiment: text("sentiment"),
    /** Probability 0–1 that the next SLA target is breached, refreshed by the AI job; null without a target. */
    breachRisk: real("breach_risk"),
    customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [
    unique("tickets_org_number").on(t.orgId, t.number),
    unique("tickets_org_id").on(t.orgId, t.id),
    foreignKey({ columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    foreignKey({ columns: [t.orgId, t.companyId], foreignColumns: [companies.orgId, companies.id] }),
    foreignKey({ columns: [t.orgId, t.assigneeId], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }),
    foreignKey({ columns: [t.orgId, t.mergedIntoId], foreignColumns: [t.orgId, t.id] }),
    // The tickets merged into one, for its page (without it: a scan of every ticket, 25 ms at 100,000).
    index("tickets_org_merged_into").on(t.orgId, t.mergedIntoId).where(sql`merged_into_id is not null`),
    // The desk's lists are keyset-paginated on (updated_at, id) within a status.
    index("tickets_org_status_updated").on(t.orgId, t.status, t.updatedAt, t.id),
    index("tickets_org_assignee_status").on(t.orgId, t.assigneeId, t.status, t.updatedAt),
    index("tickets_org_updated").on(t.orgId, t.updatedAt, t.id),
    index("tickets_org_created").on(t.orgId, t.createdAt, t.id),
    index("tickets_org_contact").on(t.orgId, t.contactId, t.updatedAt),
    index("tickets_tags").using("gin", t.tags),
    index("tickets_search").using("gin", t.search).with({ fastupdate: false }),
    index("tickets_org_sla_due")
      .on(t.orgId, sql`coalesce(${t.slaNextDueAt}, '9999-12-31 00:00:00+00'::timestamptz)`, t.id)
      .where(sql`status in ('new','open','pending','on_hold')`),
    foreignKey({
      columns: [t.orgId, t.categoryId],
      foreignColumns: [ticketCategories.orgId, ticketCategories.id],
    }),
    foreignKey({
      columns: [t.orgId, t.subcategoryId],
      foreignColumns: [ticketCategories.orgId, ticketCategories.id],
    }),
    index("tickets_org_category").on(t.orgId, t.categoryId, t.updatedAt).where(sql`category_id is not null`),
    index("tickets_org_subcategory")
      .on(t.orgId, t.subcategoryId, t.updatedAt)
      .where(sql`subcategory_id is not null`),
    index("tickets_custom_fields").using("gin", t.customFields),
    index("tickets_org_breach_risk").on(t.orgId, t.breachRisk).where(sql`breach_risk is not null`),
  ],
);

export const ticketMessages = pgTable(
  "ticket_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    /** "reply" is seen by the customer; "note" only by staff. */
    kind: text("kind", { enum: ["reply", "note"] }).notNull(),
    authorUserId: uuid("author_user_id"),
    authorContactId: uuid("author_contact_id"),
    /** Who wrote it when neither a user nor a contact did, e.g. 'API token "Billing sync"'. */
    authorLabel: text("author_label"),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    /** The body's words, in the organization's search configuration (set by a trigger). */
    search: tsvector("search"),
  },
  (t) => [
    unique("ticket_messages_org_id").on(t.orgId, t.id),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.authorUserId], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ columns: [t.orgId, t.authorContactId], foreignColumns: [contacts.orgId, contacts.id] }),
    index("ticket_messages_ticket").on(t.orgId, t.ticketId, t.createdAt),
  ],
);

/**
 * One search document per ticket: the subject (weight A) and every message and note (weight B) in
 * one vector, with the columns the search facets count. Kept by triggers in the transaction that
 * writes the ticket or its messages (db/migrations/0038_ticket_search.sql), so a word is looked
 * up in one GIN index and its matching tickets counted and sorted from one narrow table (the
 * vectors themselves are stored out of line). A side table rather than a column of tickets: the
 * vector is rewritten with every message, and tickets rows are updated far more often than that.
 */
export const ticketSearch = pgTable(
  "ticket_search",
  {
    orgId: uuid("org_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    status: text("status", { enum: TICKET_STATUSES }).notNull(),
    priority: text("priority", { enum: TICKET_PRIORITIES }).notNull(),
    /** The ticket's updated_at: matches are put newest first without reading tickets. Not indexed, so copying it is a HOT update. */
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    document: tsvector("document").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.ticketId] }),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
    index("ticket_search_document").using("gin", t.document).with({ fastupdate: false }),
  ],
);

/** File metadata; the bytes live under DATA_DIR/files, named by their SHA-256. */
export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    messageId: uuid("message_id").notNull(),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
    foreignKey({
      columns: [t.orgId, t.messageId],
      foreignColumns: [ticketMessages.orgId, ticketMessages.id],
    }).onDelete("cascade"),
    index("attachments_message").on(t.orgId, t.messageId),
    index("attachments_ticket").on(t.orgId, t.ticketId),
  ],
);

/** The organization's tag vocabulary; tickets carry their tags in tickets.tags. */
export const tags = pgTable(
  "tags",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.name] })],
);

/**
 * Ticket counts by (status, assignee), kept current by a trigger on tickets, so the desk's
 * view counts are a sum over a handful of rows instead of a scan over every ticket.
 * assignee_key is the nil uuid for unassigned tickets (a primary key cannot hold NULL).
 */
export const ticketCounts = pgTable(
  "ticket_counts",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    status: text("status", { enum: TICKET_STATUSES }).notNull(),
    assigneeKey: uuid("assignee_key").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.status, t.assigneeKey] })],
);

/**
 * Changes to ticket_counts not yet folded into it. The trigger on tickets appends a row here
 * instead of updating the organization's count row, which would hold that row locked until the
 * writing transaction commits and so queue every ticket write of the organization behind the
 * others. A count is its ticket_counts row plus its deltas, read in one statement; folding
 * (ticket_counts_fold) moves deltas into ticket_counts in one statement, so a read sees either
 * side of it and the sum stays exact.
 */
export const ticketCountDeltas = pgTable(
  "ticket_count_deltas",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    status: text("status", { enum: TICKET_STATUSES }).notNull(),
    assigneeKey: uuid("assignee_key").notNull(),
    delta: integer("delta").notNull(),
  },
  (t) => [index("ticket_count_deltas_org").on(t.orgId)],
);
