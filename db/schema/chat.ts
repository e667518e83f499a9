import { foreignKey, index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { contacts } from "./crm";
import { organizations } from "./orgs";

export const CHAT_STATUSES = ["waiting", "active", "ended"] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];

/** A live conversation between a customer and an agent; when it ends it becomes a ticket. */
export const chats = pgTable(
  "chats",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").notNull(),
    status: text("status", { enum: CHAT_STATUSES }).notNull().default("waiting"),
    agentUserId: uuid("agent_user_id"),
    /** The ticket holding the transcript, once the chat has ended. */
    ticketId: uuid("ticket_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    unique("chats_org_id").on(t.orgId, t.id),
    index("chats_org_status").on(t.orgId, t.status, t.createdAt),
    index("chats_org_contact").on(t.orgId, t.contactId, t.createdAt),
    foreignKey({ columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.agentUserId], foreignColumns: [users.orgId, users.id] }),
  ],
);

export const chatMessages = pgTable(
  "chat_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    chatId: uuid("chat_id").notNull(),
    author: text("author", { enum: ["customer", "agent", "system"] }).notNull(),
    authorUserId: uuid("author_user_id"),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("chat_messages_chat").on(t.orgId, t.chatId, t.createdAt),
    foreignKey({ columns: [t.orgId, t.chatId], foreignColumns: [chats.orgId, chats.id] }).onDelete("cascade"),
  ],
);

/** When each agent last had the chat inbox open: agents seen in the last minute are online. */
export const agentPresence = pgTable("agent_presence", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  orgId: uuid("org_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" }),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
});
