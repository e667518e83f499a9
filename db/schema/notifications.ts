import { sql } from "drizzle-orm";
import { foreignKey, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { jsonb } from "./jsonb";
import { organizations } from "./orgs";

export const EMAIL_MODES = ["instant", "digest", "off"] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

/** The kinds of notification a person can set apart from their general choice, with their words. */
export const NOTIFICATION_KINDS = [
  { kind: "ticket.assigned", label: "A ticket is assigned to me" },
  { kind: "message.customer_replied", label: "The customer replies on my ticket" },
  { kind: "ticket.mentioned", label: "Someone mentions me in a note" },
  { kind: "ticket.followed_message", label: "A ticket I follow gets a reply or note" },
  { kind: "ticket.followed_status", label: "A ticket I follow changes status" },
  { kind: "ticket.sla_escalated", label: "SLA warnings and escalations" },
  { kind: "stock.below_reorder", label: "A part's stock falls to its reorder level" },
  { kind: "visit.assigned", label: "A visit is given to me, moved, or taken off my day" },
] as const;

/** Something a person should know about: listed in the product and mailed as they prefer. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull(),
    kind: text("kind").notNull(),
    ticketId: uuid("ticket_id"),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** Where it leads, a path within the product. */
    url: text("url").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    readAt: timestamp("read_at", { withTimezone: true }),
    /** Set when it went out by email, alone or in a digest. */
    emailedAt: timestamp("emailed_at", { withTimezone: true }),
  },
  (t) => [
    index("notifications_user").on(t.orgId, t.userId, t.createdAt),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
  ],
);

/** How a person wants notifications by email: each at once, one digest a day, or not at all. */
export const notificationSettings = pgTable("notification_settings", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  orgId: uuid("org_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" }),
  emailMode: text("email_mode", { enum: EMAIL_MODES }).notNull().default("instant"),
  /** Per kind of notification ("ticket.assigned" …), a choice that overrides `emailMode`. */
  kindModes: jsonb("kind_modes").$type<Record<string, EmailMode>>().notNull().default(sql`'{}'::jsonb`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});
