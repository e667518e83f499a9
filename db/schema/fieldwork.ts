import { sql } from "drizzle-orm";
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { appointments } from "./fsm";
import { jsonb } from "./jsonb";
import { organizations } from "./orgs";

/**
 * A photo a technician took on a visit: the upload re-encoded (turned upright, at most 1600 px,
 * EXIF and location data dropped) and a thumbnail, both in the file store.
 */
export const appointmentPhotos = pgTable(
  "appointment_photos",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    appointmentId: uuid("appointment_id").notNull(),
    sha256: text("sha256").notNull(),
    thumbSha256: text("thumb_sha256").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    caption: text("caption"),
    userId: uuid("user_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("appointment_photos_org_id").on(t.orgId, t.id),
    foreignKey({
      columns: [t.orgId, t.appointmentId],
      foreignColumns: [appointments.orgId, appointments.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }),
    index("appointment_photos_appointment").on(t.orgId, t.appointmentId, t.createdAt),
  ],
);

/** The service report of a completed visit: the PDF in the file store, made once. */
export const serviceReports = pgTable(
  "service_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    appointmentId: uuid("appointment_id").notNull(),
    sha256: text("sha256").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    /** The customer's address it was mailed to; empty when the customer has none. */
    emailedTo: text("emailed_to"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("service_reports_appointment").on(t.orgId, t.appointmentId),
    foreignKey({
      columns: [t.orgId, t.appointmentId],
      foreignColumns: [appointments.orgId, appointments.id],
    }).onDelete("cascade"),
  ],
);

export const TIMESHEET_ENTRY_KINDS = ["work", "travel", "break", "training", "other"] as const;
export type TimesheetEntryKind = (typeof TIMESHEET_ENTRY_KINDS)[number];

/** Time a technician adds by hand to a day (training, a drive to the warehouse, a forgotten clock). */
export const timesheetEntries = pgTable(
  "timesheet_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull(),
    /** The day it counts for, on the organization's calendar. */
    day: date("day").notNull(),
    kind: text("kind", { enum: TIMESHEET_ENTRY_KINDS }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }).notNull(),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
    index("timesheet_entries_user_day").on(t.orgId, t.userId, t.day),
    check("timesheet_entries_order", sql`${t.endedAt} > ${t.startedAt}`),
  ],
);

export const TIMESHEET_STATUSES = ["open", "submitted", "approved", "rejected"] as const;
export type TimesheetStatus = (typeof TIMESHEET_STATUSES)[number];

/** A technician's day as submitted for approval, and the supervisor's decision. */
export const timesheets = pgTable(
  "timesheets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull(),
    day: date("day").notNull(),
    status: text("status", { enum: TIMESHEET_STATUSES }).notNull().default("open"),
    /** Minutes by kind when submitted, so the approved figures never change afterwards. */
    totals: jsonb("totals").$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    decidedBy: uuid("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionNote: text("decision_note"),
  },
  (t) => [
    unique("timesheets_user_day").on(t.orgId, t.userId, t.day),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
    index("timesheets_status").on(t.orgId, t.status, t.day),
  ],
);
