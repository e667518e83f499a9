// How tickets relate to each other and to the people around them: links (parent/child, related),
// colleagues following a ticket, @mentions in internal notes, and time spent on a ticket.
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { ticketMessages, tickets } from "./tickets";

export const TICKET_LINK_KINDS = ["parent", "related"] as const;
export type TicketLinkKind = (typeof TICKET_LINK_KINDS)[number];

/**
 * A link between two tickets of one organization. "parent": from_ticket is the parent of
 * to_ticket (a child has one parent). "related": stored once, with the smaller id first, and shown
 * on both tickets.
 */
export const ticketLinks = pgTable(
  "ticket_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    kind: text("kind", { enum: TICKET_LINK_KINDS }).notNull(),
    fromTicketId: uuid("from_ticket_id").notNull(),
    toTicketId: uuid("to_ticket_id").notNull(),
    createdByUserId: uuid("created_by_user_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("ticket_links_org_pair").on(t.orgId, t.kind, t.fromTicketId, t.toTicketId),
    uniqueIndex("ticket_links_one_parent").on(t.orgId, t.toTicketId).where(sql`kind = 'parent'`),
    index("ticket_links_to").on(t.orgId, t.toTicketId),
    check("ticket_links_not_self", sql`from_ticket_id <> to_ticket_id`),
    foreignKey({ columns: [t.orgId, t.fromTicketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.toTicketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.createdByUserId], foreignColumns: [users.orgId, users.id] }),
  ],
);

/**
 * Colleagues following a ticket: told of its replies and notes. Contacts copied on a ticket's
 * mail are its other followers (ticket_followers, kept by the mail side).
 */
export const ticketAgentFollowers = pgTable(
  "ticket_agent_followers",
  {
    orgId: uuid("org_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    userId: uuid("user_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.ticketId, t.userId] }),
    index("ticket_agent_followers_user").on(t.orgId, t.userId),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
  ],
);

/** A colleague named with @ in an internal note. */
export const messageMentions = pgTable(
  "message_mentions",
  {
    orgId: uuid("org_id").notNull(),
    messageId: uuid("message_id").notNull(),
    userId: uuid("user_id").notNull(),
    /** As written after the @, so the note can highlight it. */
    handle: text("handle").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.messageId, t.userId] }),
    index("message_mentions_user").on(t.orgId, t.userId, t.createdAt),
    foreignKey({
      columns: [t.orgId, t.messageId],
      foreignColumns: [ticketMessages.orgId, ticketMessages.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
  ],
);

/**
 * Time an agent spent on a ticket: a running timer (ended_at and minutes null) or a finished
 * entry. Kept apart from field service's time_entries, which clock a technician's visit and
 * become labour lines on its work order.
 */
export const ticketTimeEntries = pgTable(
  "ticket_time_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    userId: uuid("user_id").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    minutes: integer("minutes"),
    note: text("note").notNull().default(""),
    billable: boolean("billable").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("ticket_time_entries_org_id").on(t.orgId, t.id),
    index("ticket_time_entries_ticket").on(t.orgId, t.ticketId, t.startedAt),
    // One running timer per person: starting another stops the first.
    uniqueIndex("ticket_time_entries_one_running").on(t.orgId, t.userId).where(sql`ended_at is null`),
    check("ticket_time_entries_finished", sql`(ended_at is null) = (minutes is null)`),
    check("ticket_time_entries_minutes", sql`minutes is null or minutes > 0`),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }),
  ],
);

/**
 * Who has a ticket's page open, and who is typing on it: refreshed by the page every 20 s and
 * while its reply box is typed in; a row not refreshed for a minute no longer counts.
 */
export const ticketViewers = pgTable(
  "ticket_viewers",
  {
    orgId: uuid("org_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    userId: uuid("user_id").notNull(),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull(),
    typingAt: timestamp("typing_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.ticketId, t.userId] }),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
  ],
);
