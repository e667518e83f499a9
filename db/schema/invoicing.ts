// Invoices: what the customer owes for a completed work order (or for anything else, made out
// directly), sent with a link to the portal and settled by recorded payments. Like every
// field-service table, each reference is a composite (org_id, id) key so an invoice can never
// point into another organization.
import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  date,
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
import { users } from "./auth";
import { companies, contacts } from "./crm";
import { pricedLineCatalogKeys, pricedLineColumns, serviceLocations, workOrders } from "./fsm";
import { organizations } from "./orgs";

/** "overdue" is never stored: a sent invoice past its due date is shown as overdue. */
export const INVOICE_STATUSES = ["draft", "sent", "paid", "void"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const PAYMENT_METHODS = ["bank_transfer", "card", "cash", "cheque", "other"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const invoices = pgTable(
  "invoices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    status: text("status", { enum: INVOICE_STATUSES }).notNull().default("draft"),
    subject: text("subject").notNull(),
    /** What the customer reads under the lines: payment details, terms. */
    notes: text("notes").notNull().default(""),
    contactId: uuid("contact_id").notNull(),
    companyId: uuid("company_id"),
    locationId: uuid("location_id"),
    /** The completed work order it bills, when made from one. */
    workOrderId: uuid("work_order_id"),
    currency: text("currency").notNull(),
    /** Days between the issue date and the due date. */
    paymentTermsDays: integer("payment_terms_days").notNull().default(30),
    /** Days in the organization's calendar; both are set again when the invoice is sent. */
    issueDate: date("issue_date").notNull(),
    dueDate: date("due_date").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    voidedAt: timestamp("voided_at", { withTimezone: true }),
    voidReason: text("void_reason"),
    createdByUserId: uuid("created_by_user_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("invoices_org_number").on(t.orgId, t.number),
    unique("invoices_org_id").on(t.orgId, t.id),
    // One live invoice per work order; a voided one makes way for its replacement.
    uniqueIndex("invoices_org_work_order")
      .on(t.orgId, t.workOrderId)
      .where(sql`${t.workOrderId} is not null and ${t.status} <> 'void'`),
    foreignKey({ columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    foreignKey({ columns: [t.orgId, t.companyId], foreignColumns: [companies.orgId, companies.id] }),
    foreignKey({
      columns: [t.orgId, t.locationId],
      foreignColumns: [serviceLocations.orgId, serviceLocations.id],
    }),
    foreignKey({ columns: [t.orgId, t.workOrderId], foreignColumns: [workOrders.orgId, workOrders.id] }),
    foreignKey({ columns: [t.orgId, t.createdByUserId], foreignColumns: [users.orgId, users.id] }),
    check("invoices_status", sql`${t.status} in ('draft','sent','paid','void')`),
    check("invoices_terms", sql`${t.paymentTermsDays} between 0 and 365`),
    check("invoices_void_reason", sql`(${t.status} = 'void') = (${t.voidReason} is not null)`),
    index("invoices_org_status").on(t.orgId, t.status, t.updatedAt),
    index("invoices_org_contact").on(t.orgId, t.contactId),
    index("invoices_org_company").on(t.orgId, t.companyId),
  ],
);

/** Same shape as a work order's lines, so an invoice copies them one for one. */
export const invoiceLines = pgTable(
  "invoice_line_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    invoiceId: uuid("invoice_id").notNull(),
    ...pricedLineColumns(),
    /** The line's place in the list, from 1. */
    position: integer("position").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.invoiceId],
      foreignColumns: [invoices.orgId, invoices.id],
    }).onDelete("cascade"),
    ...pricedLineCatalogKeys(t),
    check("invoice_lines_quantity", sql`${t.quantity} > 0`),
    check("invoice_lines_tax", sql`${t.taxBasisPoints} between 0 and 10000`),
    index("invoice_lines_invoice").on(t.orgId, t.invoiceId),
  ],
);

/** Money received against an invoice; the balance due is its total less these. */
export const invoicePayments = pgTable(
  "invoice_payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    invoiceId: uuid("invoice_id").notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    /** The day it was received, in the organization's calendar. */
    receivedOn: date("received_on").notNull(),
    method: text("method", { enum: PAYMENT_METHODS }).notNull(),
    /** The bank's or card terminal's reference, a cheque number. */
    reference: text("reference").notNull().default(""),
    recordedByUserId: uuid("recorded_by_user_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.invoiceId],
      foreignColumns: [invoices.orgId, invoices.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.recordedByUserId], foreignColumns: [users.orgId, users.id] }),
    check("invoice_payments_amount", sql`${t.amountMinor} > 0`),
    check("invoice_payments_method", sql`${t.method} in ('bank_transfer','card','cash','cheque','other')`),
    index("invoice_payments_invoice").on(t.orgId, t.invoiceId),
  ],
);
