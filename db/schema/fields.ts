import { sql } from "drizzle-orm";
import {
  boolean,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { jsonb } from "./jsonb";
import { organizations } from "./orgs";

/** Kinds of custom ticket fields; the value a ticket stores for each is described in src/domain/fields. */
export const FIELD_TYPES = ["text", "number", "date", "select", "multiselect", "checkbox"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * Ticket categories, two levels: a category (parent_id null) and its subcategories. Archived ones
 * stay on the tickets that have them but are no longer offered.
 */
export const ticketCategories = pgTable(
  "ticket_categories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** The category a subcategory belongs to; null for a top-level category. */
    parentId: uuid("parent_id"),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    /** Offered to agents only, never on the customer portal. */
    agentsOnly: boolean("agents_only").notNull().default(false),
    archived: boolean("archived").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("ticket_categories_org_id").on(t.orgId, t.id),
    foreignKey({ columns: [t.orgId, t.parentId], foreignColumns: [t.orgId, t.id] }).onDelete("cascade"),
    // One name per level: "Leaking" may exist under two categories, but not twice under one.
    uniqueIndex("ticket_categories_org_parent_name").on(
      t.orgId,
      sql`coalesce(${t.parentId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      sql`lower(${t.name})`,
    ),
    index("ticket_categories_org_position").on(t.orgId, t.parentId, t.position),
  ],
);

/**
 * A custom field of a category or subcategory: a category's fields show for all of its
 * subcategories too. The key names the value in tickets.custom_fields, in the API and in
 * automation rules; it never changes once made, so stored values and rules keep their meaning.
 */
export const ticketFields = pgTable(
  "ticket_fields",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    categoryId: uuid("category_id").notNull(),
    key: text("key").notNull(),
    label: text("label").notNull(),
    type: text("type", { enum: FIELD_TYPES }).notNull(),
    /** The choices of a select or multi-select, in order. */
    options: jsonb("options").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    required: boolean("required").notNull().default(false),
    /** Seen and filled by staff only; never shown to or accepted from customers. */
    agentsOnly: boolean("agents_only").notNull().default(false),
    /** Archived fields are no longer asked for; tickets keep the values they had. */
    archived: boolean("archived").notNull().default(false),
    position: integer("position").notNull(),
    hint: text("hint"),
    /** Number fields: the smallest and largest value accepted. */
    minValue: doublePrecision("min_value"),
    maxValue: doublePrecision("max_value"),
    /** Shown only when the field with this key is (select), has (multi-select) or is ticked as (checkbox) this value. */
    visibleWhenKey: text("visible_when_key"),
    visibleWhenValue: text("visible_when_value"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("ticket_fields_org_key").on(t.orgId, t.key),
    unique("ticket_fields_org_id").on(t.orgId, t.id),
    foreignKey({
      columns: [t.orgId, t.categoryId],
      foreignColumns: [ticketCategories.orgId, ticketCategories.id],
    }).onDelete("cascade"),
    index("ticket_fields_org_category").on(t.orgId, t.categoryId, t.position),
  ],
);
