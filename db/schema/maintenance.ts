// Preventive maintenance: plans that repeat a service for an asset or a service location, and the
// occurrences a daily job turned into work orders. An occurrence row is claimed before its work
// order is made, and (plan_id, occurs_on) is unique, so each occurrence becomes one work order
// however often or however concurrently the job runs.
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
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
import { companies, contacts } from "./crm";
import {
  assets,
  pricedLineCatalogKeys,
  pricedLineColumns,
  serviceLocations,
  skills,
  WORK_ORDER_PRIORITIES,
  workOrders,
} from "./fsm";
import { organizations } from "./orgs";

/** every N days/weeks/months; a list of dates; or an RFC 5545 RRULE. */
export const RECURRENCE_KINDS = ["interval", "dates", "rrule"] as const;
export type RecurrenceKind = (typeof RECURRENCE_KINDS)[number];
export const INTERVAL_UNITS = ["day", "week", "month"] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

export const maintenancePlans = pgTable(
  "maintenance_plans",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    /** What is maintained: an asset (its location follows) or a whole service location. */
    assetId: uuid("asset_id"),
    locationId: uuid("location_id"),
    contactId: uuid("contact_id"),
    companyId: uuid("company_id"),
    priority: text("priority", { enum: WORK_ORDER_PRIORITIES }).notNull().default("normal"),
    durationMinutes: integer("duration_minutes").notNull().default(60),
    recurrenceKind: text("recurrence_kind", { enum: RECURRENCE_KINDS }).notNull(),
    intervalCount: integer("interval_count"),
    intervalUnit: text("interval_unit", { enum: INTERVAL_UNITS }),
    /** For "dates": the days, sorted. */
    dates: date("dates").array(),
    rrule: text("rrule"),
    startsOn: date("starts_on").notNull(),
    endsOn: date("ends_on"),
    active: boolean("active").notNull().default(true),
    /** Work orders are made this many days before each occurrence. */
    leadDays: integer("lead_days").notNull().default(14),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("maintenance_plans_org_id").on(t.orgId, t.id),
    foreignKey({ columns: [t.orgId, t.assetId], foreignColumns: [assets.orgId, assets.id] }),
    foreignKey({
      columns: [t.orgId, t.locationId],
      foreignColumns: [serviceLocations.orgId, serviceLocations.id],
    }),
    foreignKey({ columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    foreignKey({ columns: [t.orgId, t.companyId], foreignColumns: [companies.orgId, companies.id] }),
    check("maintenance_plans_target", sql`${t.assetId} is not null or ${t.locationId} is not null`),
    check("maintenance_plans_lead", sql`${t.leadDays} between 0 and 365`),
    check("maintenance_plans_duration", sql`${t.durationMinutes} between 1 and 1440`),
    check("maintenance_plans_end", sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
    index("maintenance_plans_org_active").on(t.orgId, t.active),
    index("maintenance_plans_asset").on(t.orgId, t.assetId),
    // What the daily job reads: active plans of every organization.
    index("maintenance_plans_active").on(t.active).where(sql`${t.active}`),
  ],
);

export const maintenancePlanLines = pgTable(
  "maintenance_plan_lines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    planId: uuid("plan_id").notNull(),
    ...pricedLineColumns(),
    /** The line's place in the list, from 1. */
    position: integer("position").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.planId],
      foreignColumns: [maintenancePlans.orgId, maintenancePlans.id],
    }).onDelete("cascade"),
    ...pricedLineCatalogKeys(t),
    check("maintenance_plan_lines_quantity", sql`${t.quantity} > 0`),
    index("maintenance_plan_lines_plan").on(t.orgId, t.planId),
  ],
);

export const maintenancePlanSkills = pgTable(
  "maintenance_plan_skills",
  {
    orgId: uuid("org_id").notNull(),
    planId: uuid("plan_id").notNull(),
    skillId: uuid("skill_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.skillId] }),
    foreignKey({
      columns: [t.orgId, t.planId],
      foreignColumns: [maintenancePlans.orgId, maintenancePlans.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.skillId], foreignColumns: [skills.orgId, skills.id] }).onDelete(
      "cascade",
    ),
  ],
);

/** One row per occurrence turned into a work order; the unique key is the claim. */
export const maintenanceOccurrences = pgTable(
  "maintenance_occurrences",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    planId: uuid("plan_id").notNull(),
    occursOn: date("occurs_on").notNull(),
    workOrderId: uuid("work_order_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("maintenance_occurrences_plan_day").on(t.orgId, t.planId, t.occursOn),
    unique("maintenance_occurrences_work_order").on(t.orgId, t.workOrderId),
    foreignKey({
      columns: [t.orgId, t.planId],
      foreignColumns: [maintenancePlans.orgId, maintenancePlans.id],
    }).onDelete("cascade"),
    foreignKey({
      columns: [t.orgId, t.workOrderId],
      foreignColumns: [workOrders.orgId, workOrders.id],
    }),
  ],
);
