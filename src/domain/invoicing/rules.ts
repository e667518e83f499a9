// What an invoice may become, and when, and how its numbers and days read. Pure: the commands
// in invoices.ts ask these.
import type { InvoiceStatus, PaymentMethod, WorkOrderStatus } from "../../../db/schema";
import { humanNumbers } from "../orgs/humanNumbers";

/**
 * draft → sent → paid; a draft or a sent invoice may be voided (with a reason). A sent invoice
 * may be sent again (a reminder). Paid and void are final.
 */
const TRANSITIONS: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  draft: ["sent", "void"],
  sent: ["sent", "paid", "void"],
  paid: [],
  void: [],
};

export function canTransitionInvoice(from: InvoiceStatus, to: InvoiceStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** What people see: the stored status, or "overdue" for a sent invoice past its due date. */
export type ShownInvoiceStatus = InvoiceStatus | "overdue";
export const SHOWN_INVOICE_STATUSES: readonly ShownInvoiceStatus[] = [
  "draft",
  "sent",
  "overdue",
  "paid",
  "void",
];

export const INVOICE_STATUS_LABELS: Record<ShownInvoiceStatus, string> = {
  draft: "Draft",
  sent: "Sent",
  overdue: "Overdue",
  paid: "Paid",
  void: "Void",
};

/** On `today` ("2026-11-23" in the organization's calendar), a sent invoice due before it is overdue. */
export function shownInvoiceStatus(
  invoice: { status: InvoiceStatus; dueDate: string },
  today: string,
): ShownInvoiceStatus {
  return invoice.status === "sent" && invoice.dueDate < today ? "overdue" : invoice.status;
}

/** Only drafts change; once sent, the customer owes exactly what they were sent. */
export const isEditable = (status: InvoiceStatus) => status === "draft";

/** Payments are taken while money is owed: on a sent invoice. */
export const takesPayments = (status: InvoiceStatus) => status === "sent";

/** Work is invoiced once it is done. */
export const INVOICEABLE_WORK_ORDER_STATUSES: readonly WorkOrderStatus[] = ["completed", "closed"];

export const invoiceNumbers = humanNumbers("INV", "That invoice");
export const formatInvoiceNumber = invoiceNumbers.format;
export const parseInvoiceNumber = invoiceNumbers.parse;

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  bank_transfer: "Bank transfer",
  card: "Card",
  cash: "Cash",
  cheque: "Cheque",
  other: "Other",
};

/** "30" → 30; whole days from 0 (due on receipt) to 365. */
export function parseTermsDays(text: string | number): number | undefined {
  const value = typeof text === "number" ? text : Number(String(text).trim());
  return Number.isInteger(value) && value >= 0 && value <= 365 ? value : undefined;
}

export const INVOICE_SUBJECT_MAX = 250;
export const INVOICE_NOTES_MAX = 10_000;
export const VOID_REASON_MAX = 2_000;
export const PAYMENT_REFERENCE_MAX = 200;
/** Invoices are due this many days after they are issued unless the form says otherwise. */
export const DEFAULT_TERMS_DAYS = 30;
