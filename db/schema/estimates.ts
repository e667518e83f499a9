// Estimates (quotes): priced proposals sent to a customer, accepted or declined in the portal, and
// turned into a work order once accepted. Like every field-service table, each reference is a
// composite (org_id, id) key so an estimate can never point into another organization.
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
import { companies, contacts } from "./crm";
import { pricedLineCatalogKeys, pricedLineColumns, serviceLocations, workOrders } from "./fsm";
import { organizations } from "./orgs";
import { tickets } from "./tickets";

/**
 * "expired" is stored when the expiry is noticed (an accept after the valid-until date, or the
 * sweep); until then a sent estimate past its date is shown as expired all the same.
 */
export const ESTIMATE_STATUSES = ["draft", "sent", "accepted", "declined", "expired", "converted"] as const;
export type EstimateStatus = (typeof ESTIMATE_STATUSES)[number];

export const estimates = pgTable(
  "estimates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    status: text("status", { enum: ESTIMATE_STATUSES }).notNull().default("draft"),
    subject: text("subject").notNull(),
    /** What the customer reads above the lines: scope, assumptions, terms. */
    notes: text("notes").notNull().default(""),
    contactId: uuid("contact_id").notNull(),
    companyId: uuid("company_id"),
    locationId: uuid("location_id"),
    /** Where it came from, when it was made from a ticket or a work order. */
    ticketId: uuid("ticket_id"),
    sourceWorkOrderId: uuid("source_work_order_id"),
    currency: text("currency").notNull(),
    /** The last day (in the organization's calendar) on which it may be accepted. */
    validUntil: date("valid_until").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    /** Acceptance: the typed name is the signature; when and from where it was given. */
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedName: text("accepted_name"),
    acceptedIp: text("accepted_ip"),
    acceptedByUserId: uuid("accepted_by_user_id"),
    declinedAt: timestamp("declined_at", { withTimezone: true }),
    declineReason: text("decline_reason"),
    /** The work order it became; set once, in the acceptance's transaction. */
    convertedWorkOrderId: uuid("converted_work_order_id"),
    createdByUserId: uuid("created_by_user_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("estimates_org_number").on(t.orgId, t.number),
    unique("estimates_org_id").on(t.orgId, t.id),
    unique("estimates_org_converted").on(t.orgId, t.convertedWorkOrderId),
    foreignKey({ columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    foreignKey({ columns: [t.orgId, t.companyId], foreignColumns: [companies.orgId, companies.id] }),
    foreignKey({
      columns: [t.orgId, t.locationId],
      foreignColumns: [serviceLocations.orgId, serviceLocations.id],
    }),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }),
    foreignKey({
      columns: [t.orgId, t.sourceWorkOrderId],
      foreignColumns: [workOrders.orgId, workOrders.id],
    }),
    foreignKey({
      columns: [t.orgId, t.convertedWorkOrderId],
      foreignColumns: [workOrders.orgId, workOrders.id],
    }),
    foreignKey({ columns: [t.orgId, t.acceptedByUserId], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ columns: [t.orgId, t.createdByUserId], foreignColumns: [users.orgId, users.id] }),
    check(
      "estimates_status",
      sql`${t.status} in ('draft','sent','accepted','declined','expired','converted')`,
    ),
    check("estimates_converted", sql`(${t.status} = 'converted') = (${t.convertedWorkOrderId} is not null)`),
    index("estimates_org_status").on(t.orgId, t.status, t.updatedAt),
    index("estimates_org_contact").on(t.orgId, t.contactId),
    index("estimates_org_company").on(t.orgId, t.companyId),
  ],
);

/** Same shape as a work order's lines, so acceptance copies them one for one. */
export const estimateLines = pgTable(
  "estimate_line_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    estimateId: uuid("estimate_id").notNull(),
    ...pricedLineColumns(),
    /** The line's place in the list, from 1. */
    position: integer("position").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.estimateId],
      foreignColumns: [estimates.orgId, estimates.id],
    }).onDelete("cascade"),
    ...pricedLineCatalogKeys(t),
    check("estimate_lines_quantity", sql`${t.quantity} > 0`),
    check("estimate_lines_tax", sql`${t.taxBasisPoints} between 0 and 10000`),
    index("estimate_lines_estimate").on(t.orgId, t.estimateId),
  ],
);
