import { foreignKey, index, integer, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { appointments } from "./fsm";
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
