import { sql } from "drizzle-orm";
import { bigint, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

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

/** Local outbox: every mail the product sends lands here until an SMTP channel delivers it. */
export const outboxMessages = pgTable("outbox_messages", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" }),
  toAddress: text("to_address").notNull(),
  subject: text("subject").notNull(),
  textBody: text("text_body").notNull(),
  kind: text("kind").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
});
