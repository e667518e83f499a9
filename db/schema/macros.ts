import { foreignKey, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import type { RuleAction } from "./automation";
import { jsonb } from "./jsonb";
import { organizations } from "./orgs";

/** A canned response: reply text with placeholders, and field changes applied with it. */
export const macros = pgTable(
  "macros",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** The agent's own macro; null for one shared with everyone. */
    ownerUserId: uuid("owner_user_id"),
    name: text("name").notNull(),
    /** Typed in the reply box's picker to find it, e.g. "refund". */
    shortcut: text("shortcut"),
    body: text("body").notNull(),
    actions: jsonb("actions").$type<RuleAction[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("macros_org").on(t.orgId, t.name),
    foreignKey({ columns: [t.orgId, t.ownerUserId], foreignColumns: [users.orgId, users.id] }).onDelete(
      "cascade",
    ),
  ],
);
