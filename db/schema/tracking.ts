// Keeping the customer informed about a visit, and knowing where technicians are: the messages
// sent to the customer (confirmation, on the way, running late), each recorded once by its key,
// and the positions technicians' phones report while they share their location.
import { sql } from "drizzle-orm";
import {
  bigserial,
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
import { appointments, workOrders } from "./fsm";
import { organizations } from "./orgs";

export const CUSTOMER_NOTICE_KINDS = ["confirmation", "on_the_way", "delay"] as const;
export type CustomerNoticeKind = (typeof CUSTOMER_NOTICE_KINDS)[number];
/** "none": nothing could be sent (no phone nor address); the row records why. */
export const CUSTOMER_NOTICE_CHANNELS = ["sms", "email", "none"] as const;
export type CustomerNoticeChannel = (typeof CUSTOMER_NOTICE_CHANNELS)[number];

/**
 * One message to the customer about a visit. The dedupe key is unique, so a job that runs twice,
 * or two servers running it at once, record (and send) it once.
 */
export const customerNotices = pgTable(
  "customer_notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    appointmentId: uuid("appointment_id").notNull(),
    workOrderId: uuid("work_order_id").notNull(),
    kind: text("kind", { enum: CUSTOMER_NOTICE_KINDS }).notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    channel: text("channel", { enum: CUSTOMER_NOTICE_CHANNELS }).notNull(),
    /** The phone number or address it went to. */
    recipient: text("recipient"),
    outboxMessageId: uuid("outbox_message_id"),
    textMessageId: uuid("text_message_id"),
    /** The visit's window as the message stated it. */
    windowStartsAt: timestamp("window_starts_at", { withTimezone: true }).notNull(),
    windowEndsAt: timestamp("window_ends_at", { withTimezone: true }).notNull(),
    /** The arrival time the message promised (on the way, delay); later delays are measured from it. */
    etaAt: timestamp("eta_at", { withTimezone: true }),
    /** The technicians named, sorted: a confirmation is sent again when they change. */
    technicianIds: uuid("technician_ids").array().notNull(),
    /** Why nothing was sent, when channel is "none". */
    reason: text("reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("customer_notices_org_key").on(t.orgId, t.dedupeKey),
    foreignKey({
      columns: [t.orgId, t.appointmentId],
      foreignColumns: [appointments.orgId, appointments.id],
    }).onDelete("cascade"),
    foreignKey({
      columns: [t.orgId, t.workOrderId],
      foreignColumns: [workOrders.orgId, workOrders.id],
    }).onDelete("cascade"),
    index("customer_notices_appointment").on(t.orgId, t.appointmentId, t.createdAt),
    index("customer_notices_work_order").on(t.orgId, t.workOrderId, t.createdAt),
  ],
);

/**
 * A technician's consent to share their location, and their last reported position. The row
 * exists from the first tick of "share my location"; unticking clears the position.
 */
export const technicianLocations = pgTable(
  "technician_locations",
  {
    orgId: uuid("org_id").notNull(),
    userId: uuid("user_id").notNull(),
    sharing: boolean("sharing").notNull(),
    sharingChangedAt: timestamp("sharing_changed_at", { withTimezone: true }).notNull(),
    lat: doublePrecision("lat"),
    lng: doublePrecision("lng"),
    accuracyM: integer("accuracy_m"),
    recordedAt: timestamp("recorded_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
    check("technician_locations_lat", sql`${t.lat} is null or ${t.lat} between -90 and 90`),
    check("technician_locations_lng", sql`${t.lng} is null or ${t.lng} between -180 and 180`),
  ],
);

/** Every position kept (the day's trail); old ones are deleted by the hourly clean-up. */
export const technicianTrail = pgTable(
  "technician_trail",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").notNull(),
    userId: uuid("user_id").notNull(),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    accuracyM: integer("accuracy_m"),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
    index("technician_trail_user").on(t.orgId, t.userId, t.recordedAt),
    index("technician_trail_recorded").on(t.recordedAt),
  ],
);
