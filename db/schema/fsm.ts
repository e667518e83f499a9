// Field service: territories, technicians, customers' service locations, assets, the service
// catalog, work orders with their appointments and line items, and what technicians record on site.
// Every row carries org_id and every reference is a composite (org_id, id) key, so a row can never
// point into another organization.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
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
import { companies, contacts } from "./crm";
import { organizations } from "./orgs";
import { tickets } from "./tickets";

const orgRef = () =>
  uuid("org_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** Service territories (the demo: Malaysia's states and federal territories). */
export const zones = pgTable(
  "zones",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
  },
  (t) => [unique("zones_org_code").on(t.orgId, t.code), unique("zones_org_id").on(t.orgId, t.id)],
);

export const skills = pgTable(
  "skills",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    name: text("name").notNull(),
  },
  (t) => [unique("skills_org_name").on(t.orgId, t.name), unique("skills_org_id").on(t.orgId, t.id)],
);

/** A technician's field profile; the person signs in as their user (role technician). */
export const technicians = pgTable(
  "technicians",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    userId: uuid("user_id").notNull(),
    zoneId: uuid("zone_id"),
    homeLat: doublePrecision("home_lat"),
    homeLng: doublePrecision("home_lng"),
    /** Minutes after local midnight, in the organization's time zone. */
    workStartMinute: integer("work_start_minute").notNull().default(480),
    workEndMinute: integer("work_end_minute").notNull().default(1020),
    /** ISO weekdays, 1 = Monday … 7 = Sunday. */
    workDays: integer("work_days").array().notNull().default(sql`'{1,2,3,4,5}'::integer[]`),
    maxJobsPerDay: integer("max_jobs_per_day").notNull().default(6),
    createdAt: createdAt(),
  },
  (t) => [
    unique("technicians_org_user").on(t.orgId, t.userId),
    unique("technicians_org_id").on(t.orgId, t.id),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.zoneId], foreignColumns: [zones.orgId, zones.id] }),
    check("technicians_hours", sql`${t.workStartMinute} >= 0 and ${t.workEndMinute} <= 1440`),
  ],
);

export const technicianSkills = pgTable(
  "technician_skills",
  {
    orgId: uuid("org_id").notNull(),
    technicianId: uuid("technician_id").notNull(),
    skillId: uuid("skill_id").notNull(),
    level: integer("level").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.technicianId, t.skillId] }),
    foreignKey({
      columns: [t.orgId, t.technicianId],
      foreignColumns: [technicians.orgId, technicians.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.skillId], foreignColumns: [skills.orgId, skills.id] }).onDelete(
      "cascade",
    ),
    check("technician_skills_level", sql`${t.level} between 1 and 5`),
  ],
);

/** A certification counts until the end of its expiry date; after that it no longer qualifies. */
export const certifications = pgTable(
  "certifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    technicianId: uuid("technician_id").notNull(),
    name: text("name").notNull(),
    expiresOn: date("expires_on"),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.technicianId],
      foreignColumns: [technicians.orgId, technicians.id],
    }).onDelete("cascade"),
    index("certifications_technician").on(t.orgId, t.technicianId),
  ],
);

export const serviceLocations = pgTable(
  "service_locations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    name: text("name").notNull(),
    address: text("address").notNull(),
    lat: doublePrecision("lat"),
    lng: doublePrecision("lng"),
    contactId: uuid("contact_id"),
    companyId: uuid("company_id"),
    zoneId: uuid("zone_id"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("service_locations_org_id").on(t.orgId, t.id),
    foreignKey({ columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    foreignKey({ columns: [t.orgId, t.companyId], foreignColumns: [companies.orgId, companies.id] }),
    foreignKey({ columns: [t.orgId, t.zoneId], foreignColumns: [zones.orgId, zones.id] }),
    index("service_locations_contact").on(t.orgId, t.contactId),
  ],
);

export const ASSET_STATUSES = ["active", "needs_service", "out_of_service", "retired"] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

export const assets = pgTable(
  "assets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    locationId: uuid("location_id"),
    type: text("type").notNull(),
    make: text("make"),
    model: text("model"),
    serial: text("serial"),
    installedOn: date("installed_on"),
    warrantyEndsOn: date("warranty_ends_on"),
    status: text("status", { enum: ASSET_STATUSES }).notNull().default("active"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("assets_org_id").on(t.orgId, t.id),
    foreignKey({
      columns: [t.orgId, t.locationId],
      foreignColumns: [serviceLocations.orgId, serviceLocations.id],
    }),
    index("assets_location").on(t.orgId, t.locationId),
  ],
);

/** Catalog prices are minor units (sen, cents) in the item's currency; tax in basis points. */
export const services = pgTable(
  "services",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    name: text("name").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    priceMinor: bigint("price_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    taxBasisPoints: integer("tax_basis_points").notNull().default(0),
  },
  (t) => [unique("services_org_id").on(t.orgId, t.id), unique("services_org_name").on(t.orgId, t.name)],
);

export const parts = pgTable(
  "parts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    costMinor: bigint("cost_minor", { mode: "number" }).notNull(),
    priceMinor: bigint("price_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    taxBasisPoints: integer("tax_basis_points").notNull().default(0),
  },
  (t) => [unique("parts_org_id").on(t.orgId, t.id), unique("parts_org_sku").on(t.orgId, t.sku)],
);

export const WORK_ORDER_STATUSES = [
  "new",
  "scheduled",
  "dispatched",
  "in_progress",
  "completed",
  "cannot_complete",
  "closed",
  "cancelled",
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];
export const WORK_ORDER_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type WorkOrderPriority = (typeof WORK_ORDER_PRIORITIES)[number];

export const workOrders = pgTable(
  "work_orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    number: integer("number").notNull(),
    subject: text("subject").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: WORK_ORDER_STATUSES }).notNull().default("new"),
    priority: text("priority", { enum: WORK_ORDER_PRIORITIES }).notNull().default("normal"),
    /** The ticket it was made from; the ticket page lists its work orders. */
    ticketId: uuid("ticket_id"),
    contactId: uuid("contact_id"),
    companyId: uuid("company_id"),
    locationId: uuid("location_id"),
    assetId: uuid("asset_id"),
    currency: text("currency").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("work_orders_org_number").on(t.orgId, t.number),
    unique("work_orders_org_id").on(t.orgId, t.id),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }),
    foreignKey({ columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    foreignKey({ columns: [t.orgId, t.companyId], foreignColumns: [companies.orgId, companies.id] }),
    foreignKey({
      columns: [t.orgId, t.locationId],
      foreignColumns: [serviceLocations.orgId, serviceLocations.id],
    }),
    foreignKey({ columns: [t.orgId, t.assetId], foreignColumns: [assets.orgId, assets.id] }),
    index("work_orders_org_status").on(t.orgId, t.status, t.updatedAt),
    index("work_orders_org_ticket").on(t.orgId, t.ticketId),
  ],
);

export const workOrderSkills = pgTable(
  "work_order_skills",
  {
    orgId: uuid("org_id").notNull(),
    workOrderId: uuid("work_order_id").notNull(),
    skillId: uuid("skill_id").notNull(),
    minLevel: integer("min_level").notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.workOrderId, t.skillId] }),
    foreignKey({
      columns: [t.orgId, t.workOrderId],
      foreignColumns: [workOrders.orgId, workOrders.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.skillId], foreignColumns: [skills.orgId, skills.id] }).onDelete(
      "cascade",
    ),
    check("work_order_skills_level", sql`${t.minLevel} between 1 and 5`),
  ],
);

export const APPOINTMENT_STATUSES = [
  "scheduled",
  "dispatched",
  "travelling",
  "on_site",
  "completed",
  "cannot_complete",
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const appointments = pgTable(
  "appointments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    workOrderId: uuid("work_order_id").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    status: text("status", { enum: APPOINTMENT_STATUSES }).notNull().default("scheduled"),
    cannotCompleteReason: text("cannot_complete_reason"),
    signedName: text("signed_name"),
    signatureSha256: text("signature_sha256"),
    signedAt: timestamp("signed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("appointments_org_id").on(t.orgId, t.id),
    foreignKey({
      columns: [t.orgId, t.workOrderId],
      foreignColumns: [workOrders.orgId, workOrders.id],
    }).onDelete("cascade"),
    check("appointments_window", sql`${t.endsAt} > ${t.startsAt}`),
    index("appointments_work_order").on(t.orgId, t.workOrderId),
    index("appointments_org_starts").on(t.orgId, t.startsAt),
  ],
);

/** Who does an appointment: technicians' users. */
export const appointmentTechnicians = pgTable(
  "appointment_technicians",
  {
    orgId: uuid("org_id").notNull(),
    appointmentId: uuid("appointment_id").notNull(),
    userId: uuid("user_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.appointmentId, t.userId] }),
    foreignKey({
      columns: [t.orgId, t.appointmentId],
      foreignColumns: [appointments.orgId, appointments.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }),
    index("appointment_technicians_user").on(t.orgId, t.userId),
  ],
);

export const LINE_ITEM_KINDS = ["service", "part", "labour"] as const;
export type LineItemKind = (typeof LINE_ITEM_KINDS)[number];

/** Quantities are whole units (labour: minutes); money in minor units of the work order's currency. */
/**
 * The columns of a priced line, shared by work orders', estimates', maintenance plans' and invoices'
 * lines (one shape, so each copies the other's lines one for one). A function: a table needs its own
 * column builders.
 */
export const pricedLineColumns = () => ({
  kind: text("kind", { enum: LINE_ITEM_KINDS }).notNull(),
  serviceId: uuid("service_id"),
  partId: uuid("part_id"),
  description: text("description").notNull(),
  quantity: integer("quantity").notNull(),
  unitPriceMinor: bigint("unit_price_minor", { mode: "number" }).notNull(),
  taxBasisPoints: integer("tax_basis_points").notNull().default(0),
});

/** A priced line's service and part belong to the line's organization. */
export const pricedLineCatalogKeys = (t: {
  orgId: AnyPgColumn;
  serviceId: AnyPgColumn;
  partId: AnyPgColumn;
}) => [
  foreignKey({ columns: [t.orgId, t.serviceId], foreignColumns: [services.orgId, services.id] }),
  foreignKey({ columns: [t.orgId, t.partId], foreignColumns: [parts.orgId, parts.id] }),
];

export const lineItems = pgTable(
  "work_order_line_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    workOrderId: uuid("work_order_id").notNull(),
    appointmentId: uuid("appointment_id"),
    ...pricedLineColumns(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.workOrderId],
      foreignColumns: [workOrders.orgId, workOrders.id],
    }).onDelete("cascade"),
    foreignKey({
      columns: [t.orgId, t.appointmentId],
      foreignColumns: [appointments.orgId, appointments.id],
    }).onDelete("cascade"),
    ...pricedLineCatalogKeys(t),
    check("line_items_quantity", sql`${t.quantity} > 0`),
    index("line_items_work_order").on(t.orgId, t.workOrderId),
  ],
);

/** Time booked on an appointment: started, and stopped (null while running). */
export const timeEntries = pgTable(
  "time_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    appointmentId: uuid("appointment_id").notNull(),
    userId: uuid("user_id").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.appointmentId],
      foreignColumns: [appointments.orgId, appointments.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }),
    index("time_entries_appointment").on(t.orgId, t.appointmentId),
  ],
);

export const appointmentNotes = pgTable(
  "appointment_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    appointmentId: uuid("appointment_id").notNull(),
    userId: uuid("user_id"),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.appointmentId],
      foreignColumns: [appointments.orgId, appointments.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }),
    index("appointment_notes_appointment").on(t.orgId, t.appointmentId, t.createdAt),
  ],
);

/** A named group of technicians sent together: scheduling a crew books every member on the visit. */
export const crews = pgTable(
  "crews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique("crews_org_name").on(t.orgId, t.name), unique("crews_org_id").on(t.orgId, t.id)],
);

export const crewMembers = pgTable(
  "crew_members",
  {
    orgId: uuid("org_id").notNull(),
    crewId: uuid("crew_id").notNull(),
    userId: uuid("user_id").notNull(),
  },
  (t) => [
    unique("crew_members_once").on(t.orgId, t.crewId, t.userId),
    foreignKey({ columns: [t.orgId, t.crewId], foreignColumns: [crews.orgId, crews.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
  ],
);

/**
 * Readings of an asset's meters (running hours, cycles, kWh, …), typed in the office or on a visit.
 * A meter only counts up; a lower reading is accepted only when marked as a reset (meter replaced).
 */
export const assetMeterReadings = pgTable(
  "asset_meter_readings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    assetId: uuid("asset_id").notNull(),
    meter: text("meter").notNull(),
    value: doublePrecision("value").notNull(),
    /** A new or reset meter starts here: usage is not counted across it. */
    reset: boolean("reset").notNull().default(false),
    readAt: timestamp("read_at", { withTimezone: true }).notNull(),
    recordedBy: uuid("recorded_by"),
    /** The visit it was read on, when a technician recorded it there. */
    appointmentId: uuid("appointment_id"),
    note: text("note").notNull().default(""),
  },
  (t) => [
    foreignKey({ columns: [t.orgId, t.assetId], foreignColumns: [assets.orgId, assets.id] }).onDelete(
      "cascade",
    ),
    foreignKey({
      columns: [t.orgId, t.appointmentId],
      foreignColumns: [appointments.orgId, appointments.id],
    }),
    foreignKey({ columns: [t.recordedBy], foreignColumns: [users.id] }),
    index("asset_meter_readings_asset").on(t.orgId, t.assetId, t.meter, t.readAt),
  ],
);
