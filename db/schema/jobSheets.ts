// Job sheets: checklist templates an organization keeps (before the job, steps, after the job,
// observations), copied onto a work order when attached so that editing a template never changes a
// sheet already in a technician's hands, and the answers given on a visit.
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  doublePrecision,
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
import { users } from "./auth";
import { appointmentPhotos } from "./fieldwork";
import { appointments, services, workOrders } from "./fsm";
import { organizations } from "./orgs";

export const JOB_SHEET_SECTIONS = ["before", "steps", "after", "observations"] as const;
export type JobSheetSection = (typeof JOB_SHEET_SECTIONS)[number];
export const JOB_SHEET_ITEM_KINDS = ["yes_no", "text", "number", "choice", "photo", "confirm"] as const;
export type JobSheetItemKind = (typeof JOB_SHEET_ITEM_KINDS)[number];
export const JOB_SHEET_SOURCES = ["service", "manual"] as const;

const orgRef = () =>
  uuid("org_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });

/** The columns an item has both on a template and on a work order's copy. */
const itemColumns = () => ({
  position: integer("position").notNull(),
  section: text("section", { enum: JOB_SHEET_SECTIONS }).notNull(),
  kind: text("kind", { enum: JOB_SHEET_ITEM_KINDS }).notNull(),
  label: text("label").notNull(),
  help: text("help").notNull().default(""),
  required: boolean("required").notNull().default(false),
  /** The choices of a "choice" item, in order. */
  options: text("options").array().notNull().default(sql`'{}'::text[]`),
  /** The accepted range of a "number" item; either end may be open. */
  minValue: doublePrecision("min_value"),
  maxValue: doublePrecision("max_value"),
});

export const jobSheetTemplates = pgTable(
  "job_sheet_templates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Archived templates are no longer attached, automatically or by hand. */
    active: boolean("active").notNull().default(true),
    /** Counts the edits of the items; a sheet records the version it was copied from. */
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("job_sheet_templates_org_id").on(t.orgId, t.id),
    unique("job_sheet_templates_org_name").on(t.orgId, t.name),
  ],
);

export const jobSheetTemplateItems = pgTable(
  "job_sheet_template_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    templateId: uuid("template_id").notNull(),
    ...itemColumns(),
  },
  (t) => [
    foreignKey({
      name: "job_sheet_template_items_template_fk",
      columns: [t.orgId, t.templateId],
      foreignColumns: [jobSheetTemplates.orgId, jobSheetTemplates.id],
    }).onDelete("cascade"),
    index("job_sheet_template_items_template").on(t.orgId, t.templateId, t.position),
  ],
);

/** The catalog services whose work orders get the template attached automatically. */
export const jobSheetTemplateServices = pgTable(
  "job_sheet_template_services",
  {
    orgId: uuid("org_id").notNull(),
    templateId: uuid("template_id").notNull(),
    serviceId: uuid("service_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.templateId, t.serviceId] }),
    foreignKey({
      name: "job_sheet_template_services_template_fk",
      columns: [t.orgId, t.templateId],
      foreignColumns: [jobSheetTemplates.orgId, jobSheetTemplates.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "job_sheet_template_services_service_fk",
      columns: [t.orgId, t.serviceId],
      foreignColumns: [services.orgId, services.id],
    }).onDelete("cascade"),
    index("job_sheet_template_services_service").on(t.orgId, t.serviceId),
  ],
);

/** A template attached to a work order: its name and items as they were when attached. */
export const workOrderJobSheets = pgTable(
  "work_order_job_sheets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    workOrderId: uuid("work_order_id").notNull(),
    templateId: uuid("template_id").notNull(),
    templateVersion: integer("template_version").notNull(),
    name: text("name").notNull(),
    source: text("source", { enum: JOB_SHEET_SOURCES }).notNull(),
    attachedBy: uuid("attached_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("work_order_job_sheets_org_id").on(t.orgId, t.id),
    unique("work_order_job_sheets_once").on(t.orgId, t.workOrderId, t.templateId),
    foreignKey({
      name: "work_order_job_sheets_work_order_fk",
      columns: [t.orgId, t.workOrderId],
      foreignColumns: [workOrders.orgId, workOrders.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "work_order_job_sheets_template_fk",
      columns: [t.orgId, t.templateId],
      foreignColumns: [jobSheetTemplates.orgId, jobSheetTemplates.id],
    }),
    foreignKey({
      name: "work_order_job_sheets_attached_by_fk",
      columns: [t.orgId, t.attachedBy],
      foreignColumns: [users.orgId, users.id],
    }),
  ],
);

export const workOrderJobSheetItems = pgTable(
  "work_order_job_sheet_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    sheetId: uuid("sheet_id").notNull(),
    ...itemColumns(),
  },
  (t) => [
    unique("work_order_job_sheet_items_org_id").on(t.orgId, t.id),
    foreignKey({
      name: "work_order_job_sheet_items_sheet_fk",
      columns: [t.orgId, t.sheetId],
      foreignColumns: [workOrderJobSheets.orgId, workOrderJobSheets.id],
    }).onDelete("cascade"),
    index("work_order_job_sheet_items_sheet").on(t.orgId, t.sheetId, t.position),
  ],
);

/**
 * The current answer to an item (one row per item; clearing an answer deletes it). Every change
 * is also a `job_sheet.answered` event with the value before and after, who and when.
 */
export const jobSheetAnswers = pgTable(
  "job_sheet_answers",
  {
    itemId: uuid("item_id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    /** Yes/no and confirm: "yes" or "no"; number: its decimal text; choice: the option; text. */
    value: text("value"),
    /** A photo item's photo, one of the visit's photos. */
    photoId: uuid("photo_id"),
    /** The visit it was given on. */
    appointmentId: uuid("appointment_id").notNull(),
    answeredBy: uuid("answered_by"),
    answeredAt: timestamp("answered_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      name: "job_sheet_answers_item_fk",
      columns: [t.orgId, t.itemId],
      foreignColumns: [workOrderJobSheetItems.orgId, workOrderJobSheetItems.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "job_sheet_answers_appointment_fk",
      columns: [t.orgId, t.appointmentId],
      foreignColumns: [appointments.orgId, appointments.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "job_sheet_answers_photo_fk",
      columns: [t.orgId, t.photoId],
      foreignColumns: [appointmentPhotos.orgId, appointmentPhotos.id],
    }),
    foreignKey({
      name: "job_sheet_answers_answered_by_fk",
      columns: [t.orgId, t.answeredBy],
      foreignColumns: [users.orgId, users.id],
    }),
    check("job_sheet_answers_given", sql`${t.value} is not null or ${t.photoId} is not null`),
  ],
);
