// Invoices: staff make one from a completed work order (its lines copied at their prices and tax)
// or directly for a customer, edit the draft's lines, send it (a mail with a link to the portal),
// record payments until nothing is owed, or void it with a reason. Every state change runs under
// a lock on the invoice's row, so a double submit does one thing; each appends its events.
import { and, asc, desc, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import {
  contacts,
  type InvoiceStatus,
  invoiceLines,
  invoicePayments,
  invoices,
  lineItems,
  PAYMENT_METHODS,
  type PaymentMethod,
  serviceLocations,
  workOrders,
} from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import { orgForMail, queueMail } from "../email/outbox";
import { conflict, type FieldErrors, invalid, isDomainError, isUniqueViolation, notFound } from "../errors";
import { documentHistory } from "../events/documentHistory";
import { appendEvent, type DbOrTx } from "../events/log";
import { addDays, isDay } from "../fsm/estimateRules";
import { orgToday } from "../fsm/estimates";
import { copyLine, type LineInput, priceLine } from "../fsm/lines";
import { formatMoney, parseMoney, totals } from "../fsm/money";
import { customerCompanyId, isCustomersOwn } from "../fsm/ownership";
import { formatWorkOrderNumber } from "../fsm/rules";
import { findWorkOrder, orgCurrency, type WorkOrderRef } from "../fsm/workOrders";
import { nextNumber } from "../orgs/counters";
import { isOneOf, isUuid } from "../tickets/rules";
import {
  canTransitionInvoice,
  DEFAULT_TERMS_DAYS,
  formatInvoiceNumber,
  INVOICE_NOTES_MAX,
  INVOICE_SUBJECT_MAX,
  INVOICEABLE_WORK_ORDER_STATUSES,
  isEditable,
  PAYMENT_REFERENCE_MAX,
  parseTermsDays,
  type ShownInvoiceStatus,
  shownInvoiceStatus,
  takesPayments,
  VOID_REASON_MAX,
} from "./rules";

export type InvoiceRow = typeof invoices.$inferSelect;
/** An invoice is named by its number (12) or its uuid. */
export type InvoiceRef = number | string;

function byRef(ref: InvoiceRef): SQL | undefined {
  if (typeof ref === "number") return eq(invoices.number, ref);
  return isUuid(ref) ? eq(invoices.id, ref) : undefined;
}

function fail(fields: FieldErrors) {
  if (Object.keys(fields).length) throw invalid(fields);
}

/**
 * The invoice if the actor may see it: staff who read invoices see their organization's; a
 * customer sees those made out to them or to their company, once sent (drafts are not theirs yet).
 * Anything else is "not found", so its existence is not revealed.
 */
export async function findInvoice(
  db: DbOrTx,
  ctx: Ctx,
  ref: InvoiceRef,
  options: { forUpdate?: boolean } = {},
): Promise<InvoiceRow> {
  const where = byRef(ref);
  if (!where) throw notFound("That invoice");
  let query = db
    .select()
    .from(invoices)
    .where(and(eq(invoices.orgId, ctx.actor.orgId), where))
    .limit(1)
    .$dynamic();
  if (options.forUpdate) query = query.for("update");
  const [row] = await query;
  if (!row) throw notFound("That invoice");
  if (can(ctx.actor, "invoices.read")) return row;
  if (can(ctx.actor, "invoices.view_own") && row.status !== "draft" && (await isCustomersOwn(db, ctx, row)))
    return row;
  throw notFound("That invoice");
}

/** Turns a "not found" into a field error of the form; anything else still fails. */
const notFoundAs = (fields: FieldErrors, name: string, message: string) => (error: unknown) => {
  if (!isDomainError(error) || error.status !== 404) throw error;
  fields[name] = message;
  return null;
};

export interface InvoiceHeaderInput {
  subject?: string;
  notes?: string;
  /** Whole days from issue to due date; empty → 30. */
  paymentTermsDays?: string | number;
}

function checkHeader(input: InvoiceHeaderInput, fields: FieldErrors) {
  const subject = (input.subject ?? "").trim();
  if (!subject) fields.subject = "Say what the invoice is for.";
  else if (subject.length > INVOICE_SUBJECT_MAX)
    fields.subject = `Keep the subject under ${INVOICE_SUBJECT_MAX} characters.`;
  const notes = (input.notes ?? "").trim();
  if (notes.length > INVOICE_NOTES_MAX)
    fields.notes = `Keep the notes under ${INVOICE_NOTES_MAX.toLocaleString("en")} characters.`;
  const typed = String(input.paymentTermsDays ?? "").trim();
  const paymentTermsDays = typed ? parseTermsDays(typed) : DEFAULT_TERMS_DAYS;
  if (paymentTermsDays === undefined) fields.paymentTermsDays = "Enter whole days from 0 to 365.";
  return { subject, notes, paymentTermsDays: paymentTermsDays ?? DEFAULT_TERMS_DAYS };
}

export interface CreateInvoiceInput extends InvoiceHeaderInput {
  /** Bills a completed work order: its customer, location and lines. */
  workOrder?: WorkOrderRef | null;
  /** The customer; from a work order, its customer unless given. */
  contactId?: string | null;
}

export async function createInvoice(ctx: Ctx, input: CreateInvoiceInput): Promise<InvoiceRow> {
  requirePermission(ctx.actor, "invoices.manage");
  const orgId = ctx.actor.orgId;
  const fields: FieldErrors = {};
  const source = input.workOrder
    ? await findWorkOrder(ctx.db, ctx, input.workOrder).catch(
        notFoundAs(fields, "workOrder", "No work order has that number."),
      )
    : null;
  if (source && !INVOICEABLE_WORK_ORDER_STATUSES.includes(source.status))
    fields.workOrder = `${formatWorkOrderNumber(source.number)} is not completed yet; invoice it once the work is done.`;
  const header = checkHeader({ ...input, subject: input.subject || source?.subject || "" }, fields);
  const contactId = input.contactId || source?.contactId || null;
  const [contact] = isUuid(contactId)
    ? await ctx.db
        .select({ id: contacts.id, companyId: contacts.companyId })
        .from(contacts)
        .where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)))
    : [];
  if (!contact) fields.contactId = "Choose the customer the invoice is for.";
  if (source && !fields.workOrder) {
    const live = await liveInvoiceOf(ctx.db, orgId, source.id);
    if (live) fields.workOrder = alreadyInvoiced(source.number, live.number);
  }
  fail(fields);
  const today = await orgToday(ctx);
  try {
    return await ctx.db.transaction(async (tx) => {
      const number = await nextNumber(tx, orgId, "invoice");
      const [row] = await tx
        .insert(invoices)
        .values({
          orgId,
          number,
          ...header,
          contactId: contact.id,
          // Billed to the work order's company when it has one, else to the customer's.
          companyId: source?.companyId ?? contact.companyId,
          locationId: source?.locationId ?? null,
          workOrderId: source?.id ?? null,
          currency: source?.currency ?? (await orgCurrency(tx, orgId)),
          issueDate: today,
          dueDate: addDays(today, header.paymentTermsDays),
          createdByUserId: ctx.actor.userId ?? null,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning();
      if (source) await copyWorkOrderLines(tx, ctx, source.id, row.id);
      await appendEvent(tx, ctx, {
        type: "invoice.created",
        data: {
          invoiceId: row.id,
          number,
          subject: row.subject,
          ...(source ? { workOrderId: source.id, fromWorkOrder: source.number } : {}),
        },
      });
      return row;
    });
  } catch (error) {
    // Two people invoicing the same work order at once: the database keeps one.
    if (source && isUniqueViolation(error)) {
      const live = await liveInvoiceOf(ctx.db, orgId, source.id);
      throw invalid({ workOrder: alreadyInvoiced(source.number, live?.number) });
    }
    throw error;
  }
}

const alreadyInvoiced = (workOrderNumber: number, invoiceNumber?: number) =>
  `${formatWorkOrderNumber(workOrderNumber)} is already invoiced${invoiceNumber ? ` as ${formatInvoiceNumber(invoiceNumber)}` : ""}; void that invoice first to make a new one.`;

async function liveInvoiceOf(db: DbOrTx, orgId: string, workOrderId: string) {
  const [row] = await db
    .select({ number: invoices.number, status: invoices.status })
    .from(invoices)
    .where(
      and(
        eq(invoices.orgId, orgId),
        eq(invoices.workOrderId, workOrderId),
        sql`${invoices.status} <> 'void'`,
      ),
    );
  return row;
}

async function copyWorkOrderLines(tx: DbOrTx, ctx: Ctx, workOrderId: string, invoiceId: string) {
  const orgId = ctx.actor.orgId;
  const lines = await tx
    .select()
    .from(lineItems)
    .where(and(eq(lineItems.orgId, orgId), eq(lineItems.workOrderId, workOrderId)))
    .orderBy(asc(lineItems.createdAt), asc(lineItems.id));
  if (lines.length)
    await tx
      .insert(invoiceLines)
      .values(
        lines.map((l, i) => ({ orgId, invoiceId, ...copyLine(l), position: i + 1, createdAt: ctx.now })),
      );
}

/** Locks a draft for a change; anything else is refused. */
async function lockDraft(tx: DbOrTx, ctx: Ctx, ref: InvoiceRef): Promise<InvoiceRow> {
  requirePermission(ctx.actor, "invoices.manage");
  const row = await findInvoice(tx, ctx, ref, { forUpdate: true });
  if (!isEditable(row.status))
    throw conflict(`${formatInvoiceNumber(row.number)} is ${row.status}; only drafts can be changed.`);
  return row;
}

export async function updateInvoice(ctx: Ctx, ref: InvoiceRef, input: InvoiceHeaderInput) {
  requirePermission(ctx.actor, "invoices.manage");
  const fields: FieldErrors = {};
  const header = checkHeader(input, fields);
  fail(fields);
  const today = await orgToday(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await lockDraft(tx, ctx, ref);
    const changed = (Object.keys(header) as (keyof typeof header)[]).filter((k) => header[k] !== row[k]);
    const [updated] = await tx
      .update(invoices)
      .set({
        ...header,
        issueDate: today,
        dueDate: addDays(today, header.paymentTermsDays),
        updatedAt: ctx.now,
      })
      .where(and(eq(invoices.orgId, ctx.actor.orgId), eq(invoices.id, row.id)))
      .returning();
    if (changed.length)
      await appendEvent(tx, ctx, {
        type: "invoice.updated",
        data: { invoiceId: row.id, number: row.number, changed },
      });
    return updated;
  });
}

async function checkedLine(ctx: Ctx, currency: string, input: LineInput) {
  const fields: FieldErrors = {};
  const line = await priceLine(ctx.db, ctx.actor.orgId, currency, input, fields, { typedPrices: true });
  fail(fields);
  if (!line) throw invalid(fields);
  return line;
}

export async function addInvoiceLine(ctx: Ctx, ref: InvoiceRef, input: LineInput) {
  requirePermission(ctx.actor, "invoices.manage");
  const invoice = await findInvoice(ctx.db, ctx, ref);
  const line = await checkedLine(ctx, invoice.currency, input);
  return ctx.db.transaction(async (tx) => {
    const row = await lockDraft(tx, ctx, invoice.id);
    const [{ last }] = await tx
      .select({ last: sql<number>`coalesce(max(${invoiceLines.position}), 0)::int` })
      .from(invoiceLines)
      .where(and(eq(invoiceLines.orgId, ctx.actor.orgId), eq(invoiceLines.invoiceId, row.id)));
    const [added] = await tx
      .insert(invoiceLines)
      .values({ orgId: ctx.actor.orgId, invoiceId: row.id, ...line, position: last + 1, createdAt: ctx.now })
      .returning();
    await touch(tx, ctx, row.id);
    await appendEvent(tx, ctx, {
      type: "invoice.line_added",
      data: { invoiceId: row.id, number: row.number, lineId: added.id, description: line.description },
    });
    return added;
  });
}

/**
 * Changes a draft's line: its quantity, description, price or tax (the kind and catalog item
 * stay; remove the line and add another to change those).
 */
export async function updateInvoiceLine(
  ctx: Ctx,
  ref: InvoiceRef,
  lineId: string,
  input: Omit<LineInput, "kind" | "serviceId" | "partId">,
) {
  requirePermission(ctx.actor, "invoices.manage");
  const invoice = await findInvoice(ctx.db, ctx, ref);
  const current = await lineOf(ctx.db, ctx.actor.orgId, invoice.id, lineId);
  const line = await checkedLine(ctx, invoice.currency, {
    ...input,
    kind: current.kind,
    serviceId: current.serviceId ?? undefined,
    partId: current.partId ?? undefined,
  });
  return ctx.db.transaction(async (tx) => {
    const row = await lockDraft(tx, ctx, invoice.id);
    const [changed] = await tx
      .update(invoiceLines)
      .set(line)
      .where(
        and(
          eq(invoiceLines.orgId, ctx.actor.orgId),
          eq(invoiceLines.invoiceId, row.id),
          eq(invoiceLines.id, current.id),
        ),
      )
      .returning();
    if (!changed) throw notFound("That line");
    await touch(tx, ctx, row.id);
    await appendEvent(tx, ctx, {
      type: "invoice.line_changed",
      data: { invoiceId: row.id, number: row.number, lineId: current.id, description: line.description },
    });
    return changed;
  });
}

async function lineOf(db: DbOrTx, orgId: string, invoiceId: string, lineId: string) {
  const [line] = isUuid(lineId)
    ? await db
        .select()
        .from(invoiceLines)
        .where(
          and(
            eq(invoiceLines.orgId, orgId),
            eq(invoiceLines.invoiceId, invoiceId),
            eq(invoiceLines.id, lineId),
          ),
        )
    : [];
  if (!line) throw notFound("That line");
  return line;
}

export async function removeInvoiceLine(ctx: Ctx, ref: InvoiceRef, lineId: string) {
  requirePermission(ctx.actor, "invoices.manage");
  if (!isUuid(lineId)) throw notFound("That line");
  return ctx.db.transaction(async (tx) => {
    const row = await lockDraft(tx, ctx, ref);
    const removed = await tx
      .delete(invoiceLines)
      .where(
        and(
          eq(invoiceLines.orgId, ctx.actor.orgId),
          eq(invoiceLines.invoiceId, row.id),
          eq(invoiceLines.id, lineId),
        ),
      )
      .returning({ description: invoiceLines.description });
    if (removed.length === 0) throw notFound("That line");
    await touch(tx, ctx, row.id);
    await appendEvent(tx, ctx, {
      type: "invoice.line_removed",
      data: { invoiceId: row.id, number: row.number, lineId, description: removed[0].description },
    });
  });
}

async function touch(tx: DbOrTx, ctx: Ctx, id: string) {
  await tx
    .update(invoices)
    .set({ updatedAt: ctx.now })
    .where(and(eq(invoices.orgId, ctx.actor.orgId), eq(invoices.id, id)));
}

function linesOf(db: DbOrTx, orgId: string, invoiceId: string) {
  return db
    .select()
    .from(invoiceLines)
    .where(and(eq(invoiceLines.orgId, orgId), eq(invoiceLines.invoiceId, invoiceId)))
    .orderBy(asc(invoiceLines.position), asc(invoiceLines.id));
}

function paymentsOf(db: DbOrTx, orgId: string, invoiceId: string) {
  return db
    .select()
    .from(invoicePayments)
    .where(and(eq(invoicePayments.orgId, orgId), eq(invoicePayments.invoiceId, invoiceId)))
    .orderBy(asc(invoicePayments.receivedOn), asc(invoicePayments.createdAt));
}

/** The invoice's total and what is still owed on it, from its lines and payments. */
async function balanceOf(db: DbOrTx, orgId: string, invoiceId: string) {
  const [lines, payments] = await Promise.all([
    linesOf(db, orgId, invoiceId),
    paymentsOf(db, orgId, invoiceId),
  ]);
  const totalMinor = totals(lines).totalMinor;
  const paidMinor = payments.reduce((sum, p) => sum + p.amountMinor, 0);
  return { lines, payments, totalMinor, paidMinor, balanceMinor: totalMinor - paidMinor };
}

export interface SendOptions {
  /** Where staff reached the product: the link's start when the organization has no host of its own. */
  origin: string;
  /** Send a sent invoice again. Without it, sending a sent invoice is a double submit: nothing happens. */
  reminder?: boolean;
}

/**
 * Sends a draft (issued today, due after its payment terms) or reminds about a sent one: the
 * customer gets a mail with a link to the invoice in the portal.
 */
export async function sendInvoice(ctx: Ctx, ref: InvoiceRef, options: SendOptions) {
  requirePermission(ctx.actor, "invoices.manage");
  const today = await orgToday(ctx);
  const orgId = ctx.actor.orgId;
  return ctx.db.transaction(async (tx) => {
    const row = await findInvoice(tx, ctx, ref, { forUpdate: true });
    const number = formatInvoiceNumber(row.number);
    if (row.status === "sent" && !options.reminder) return row;
    if (!canTransitionInvoice(row.status, "sent"))
      throw conflict(`${number} is ${row.status}; it can no longer be sent.`);
    const { lines, balanceMinor } = await balanceOf(tx, orgId, row.id);
    if (lines.length === 0) throw conflict("Add at least one line before sending the invoice.");
    const [contact] = await tx
      .select({ name: contacts.name, email: contacts.email })
      .from(contacts)
      .where(and(eq(contacts.orgId, orgId), eq(contacts.id, row.contactId)));
    if (!contact?.email) throw conflict("The customer has no email address to send the invoice to.");
    const issue =
      row.status === "draft" ? { issueDate: today, dueDate: addDays(today, row.paymentTermsDays) } : {};
    const dueDate = issue.dueDate ?? row.dueDate;
    const org = await orgForMail(tx, orgId);
    await queueMail(
      tx,
      {
        orgId,
        to: contact.email,
        kind: "invoice_sent",
        values: {
          "contact.name": contact.name,
          "invoice.number": number,
          "invoice.subject": row.subject,
          "invoice.balance": formatMoney(balanceMinor, row.currency),
          "invoice.due_date": dueDate,
          "portal.url": `${org.baseUrl || options.origin}/portal/invoices/${number}`,
          "org.name": org.name,
        },
      },
      ctx.now,
    );
    const [updated] = await tx
      .update(invoices)
      .set({ status: "sent", sentAt: ctx.now, updatedAt: ctx.now, ...issue })
      .where(and(eq(invoices.orgId, orgId), eq(invoices.id, row.id)))
      .returning();
    await appendEvent(tx, ctx, {
      type: row.status === "sent" ? "invoice.resent" : "invoice.sent",
      data: {
        invoiceId: row.id,
        number: row.number,
        to: contact.email,
        dueDate,
        from: row.status,
        status: "sent",
      },
    });
    return updated;
  });
}

export interface PaymentInput {
  /** As typed: "120.50". */
  amount: string;
  /** "2026-11-23"; empty → today in the organization's calendar. */
  receivedOn?: string;
  method: string;
  reference?: string;
}

export interface RecordedPayment {
  invoice: InvoiceRow;
  /** True when the same payment (same reference) had been recorded already: nothing new was written. */
  already: boolean;
}

/**
 * Records money received on a sent invoice. When nothing is owed any more the invoice is paid. A
 * payment may not exceed the balance; one with the reference of an earlier payment of the same
 * amount is taken as a second submit of that payment.
 */
export async function recordPayment(
  ctx: Ctx,
  ref: InvoiceRef,
  input: PaymentInput,
): Promise<RecordedPayment> {
  requirePermission(ctx.actor, "invoices.manage");
  const orgId = ctx.actor.orgId;
  const invoice = await findInvoice(ctx.db, ctx, ref);
  const today = await orgToday(ctx);
  const fields: FieldErrors = {};
  const amountMinor = parseMoney(input.amount ?? "", invoice.currency);
  if (amountMinor === undefined || amountMinor <= 0)
    fields.amount = "Enter the amount received, such as 120.50.";
  const receivedOn = (input.receivedOn ?? "").trim() || today;
  if (!isDay(receivedOn)) fields.receivedOn = "Enter a date such as 2026-11-23.";
  else if (receivedOn > today) fields.receivedOn = "Choose today or an earlier day.";
  if (!isOneOf(PAYMENT_METHODS, input.method)) fields.method = "Choose how it was paid.";
  const reference = (input.reference ?? "").trim();
  if (reference.length > PAYMENT_REFERENCE_MAX)
    fields.reference = `Keep the reference under ${PAYMENT_REFERENCE_MAX} characters.`;
  return ctx.db.transaction(async (tx) => {
    const row = await findInvoice(tx, ctx, invoice.id, { forUpdate: true });
    const number = formatInvoiceNumber(row.number);
    const { payments, balanceMinor, totalMinor } = await balanceOf(tx, orgId, row.id);
    const repeat =
      reference && payments.find((p) => p.reference === reference && p.amountMinor === amountMinor);
    if (repeat) return { invoice: row, already: true };
    if (!takesPayments(row.status)) throw conflict(`${number} is ${row.status}; it takes no payments.`);
    if (amountMinor !== undefined && amountMinor > balanceMinor)
      fields.amount = `That is more than the ${formatMoney(balanceMinor, row.currency)} still owed.`;
    fail(fields);
    const [payment] = await tx
      .insert(invoicePayments)
      .values({
        orgId,
        invoiceId: row.id,
        amountMinor: amountMinor as number,
        receivedOn,
        method: input.method as PaymentMethod,
        reference,
        recordedByUserId: ctx.actor.userId ?? null,
        createdAt: ctx.now,
      })
      .returning();
    const left = balanceMinor - payment.amountMinor;
    await appendEvent(tx, ctx, {
      type: "invoice.payment_recorded",
      data: {
        invoiceId: row.id,
        number: row.number,
        paymentId: payment.id,
        amountMinor: payment.amountMinor,
        method: payment.method,
        balanceMinor: left,
      },
    });
    if (left > 0) {
      await touch(tx, ctx, row.id);
      return { invoice: row, already: false };
    }
    const [paid] = await tx
      .update(invoices)
      .set({ status: "paid", paidAt: ctx.now, updatedAt: ctx.now })
      .where(and(eq(invoices.orgId, orgId), eq(invoices.id, row.id)))
      .returning();
    await appendEvent(tx, ctx, {
      type: "invoice.paid",
      data: { invoiceId: row.id, number: row.number, totalMinor, from: "sent", status: "paid" },
    });
    return { invoice: paid, already: false };
  });
}

/** Voids a draft or a sent invoice that has no payments; a second submit changes nothing. */
export async function voidInvoice(ctx: Ctx, ref: InvoiceRef, input: { reason: string }) {
  requirePermission(ctx.actor, "invoices.manage");
  const reason = (input.reason ?? "").trim();
  const fields: FieldErrors = {};
  if (!reason) fields.reason = "Say why the invoice is void.";
  else if (reason.length > VOID_REASON_MAX)
    fields.reason = `Keep the reason under ${VOID_REASON_MAX.toLocaleString("en")} characters.`;
  return ctx.db.transaction(async (tx) => {
    const row = await findInvoice(tx, ctx, ref, { forUpdate: true });
    const number = formatInvoiceNumber(row.number);
    if (row.status === "void") return row;
    if (!canTransitionInvoice(row.status, "void"))
      throw conflict(`${number} is ${row.status}; it can no longer be voided.`);
    const { payments } = await balanceOf(tx, ctx.actor.orgId, row.id);
    if (payments.length) throw conflict(`${number} has payments recorded; it can no longer be voided.`);
    fail(fields);
    const [voided] = await tx
      .update(invoices)
      .set({ status: "void", voidedAt: ctx.now, voidReason: reason, updatedAt: ctx.now })
      .where(and(eq(invoices.orgId, ctx.actor.orgId), eq(invoices.id, row.id)))
      .returning();
    await appendEvent(tx, ctx, {
      type: "invoice.voided",
      data: { invoiceId: row.id, number: row.number, reason, from: row.status, status: "void" },
    });
    return voided;
  });
}

export interface InvoiceFilters {
  status?: ShownInvoiceStatus;
  q?: string;
}

const FILTER_STATUSES = ["draft", "sent", "overdue", "paid", "void"] as const;

export function parseInvoiceFilters(query: Record<string, string | undefined>): InvoiceFilters {
  const filters: InvoiceFilters = {};
  if (isOneOf(FILTER_STATUSES, query.status)) filters.status = query.status;
  if (query.q?.trim()) filters.q = query.q.trim().slice(0, 200);
  return filters;
}

/** The status as shown, in SQL: a sent invoice past its due date reads as overdue. */
const shownStatus = (today: string) =>
  sql<ShownInvoiceStatus>`case when ${invoices.status} = 'sent' and ${invoices.dueDate} < ${today}::date
    then 'overdue' else ${invoices.status} end`;

/** Each row's total and balance due, from the lines and payments of the rows shown. */
async function withAmounts<T extends { id: string }>(db: DbOrTx, orgId: string, rows: T[]) {
  const ids = rows.map((r) => r.id);
  const [lines, payments] = ids.length
    ? await Promise.all([
        db
          .select()
          .from(invoiceLines)
          .where(and(eq(invoiceLines.orgId, orgId), inArray(invoiceLines.invoiceId, ids))),
        db
          .select({ invoiceId: invoicePayments.invoiceId, amountMinor: invoicePayments.amountMinor })
          .from(invoicePayments)
          .where(and(eq(invoicePayments.orgId, orgId), inArray(invoicePayments.invoiceId, ids))),
      ])
    : [[], []];
  return rows.map((r) => {
    const totalMinor = totals(lines.filter((l) => l.invoiceId === r.id)).totalMinor;
    const paidMinor = payments.filter((p) => p.invoiceId === r.id).reduce((s, p) => s + p.amountMinor, 0);
    return { ...r, totalMinor, balanceMinor: totalMinor - paidMinor };
  });
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listInvoices(ctx: Ctx, filters: InvoiceFilters, limit = 100) {
  requirePermission(ctx.actor, "invoices.read");
  const orgId = ctx.actor.orgId;
  const today = await orgToday(ctx);
  const where: SQL[] = [eq(invoices.orgId, orgId)];
  if (filters.status) where.push(sql`${shownStatus(today)} = ${filters.status}`);
  if (filters.q) {
    const number = /^(?:INV-)?0*(\d{1,9})$/i.exec(filters.q)?.[1];
    const pattern = `%${escapeLike(filters.q)}%`;
    const text = or(ilike(contacts.name, pattern), ilike(invoices.subject, pattern)) as SQL;
    where.push(number ? (or(text, eq(invoices.number, Number(number))) as SQL) : text);
  }
  const rows = await ctx.db
    .select({ ...listColumns(today), updatedAt: invoices.updatedAt, contactName: contacts.name })
    .from(invoices)
    .leftJoin(contacts, and(eq(contacts.orgId, invoices.orgId), eq(contacts.id, invoices.contactId)))
    .where(and(...where))
    .orderBy(desc(invoices.number))
    .limit(limit);
  return withAmounts(ctx.db, orgId, rows);
}

/** What both invoice lists show of an invoice (the staff list adds its customer and last change). */
function listColumns(today: string) {
  return {
    id: invoices.id,
    number: invoices.number,
    subject: invoices.subject,
    status: shownStatus(today),
    currency: invoices.currency,
    issueDate: invoices.issueDate,
    dueDate: invoices.dueDate,
  };
}

export type InvoiceListRow = Awaited<ReturnType<typeof listInvoices>>[number];

/** The customer's invoices in the portal: theirs and their company's, once sent. */
export async function listOwnInvoices(ctx: Ctx) {
  requirePermission(ctx.actor, "invoices.view_own");
  if (!ctx.actor.contactId) return [];
  const orgId = ctx.actor.orgId;
  const companyId = await customerCompanyId(ctx.db, ctx);
  const today = await orgToday(ctx);
  const mine = companyId
    ? or(eq(invoices.contactId, ctx.actor.contactId), eq(invoices.companyId, companyId))
    : eq(invoices.contactId, ctx.actor.contactId);
  const rows = await ctx.db
    .select(listColumns(today))
    .from(invoices)
    .where(and(eq(invoices.orgId, orgId), sql`${invoices.status} <> 'draft'`, mine))
    .orderBy(desc(invoices.number))
    .limit(200);
  return withAmounts(ctx.db, orgId, rows);
}

export type OwnInvoiceRow = Awaited<ReturnType<typeof listOwnInvoices>>[number];

/** Everything the invoice's page (and its PDF) shows, to staff or to its customer. */
export async function getInvoice(ctx: Ctx, ref: InvoiceRef) {
  const invoice = await findInvoice(ctx.db, ctx, ref);
  const orgId = ctx.actor.orgId;
  const db = ctx.db;
  const staff = can(ctx.actor, "invoices.read");
  const [today, amounts, contactRows, locationRows, workOrderRows, history] = await Promise.all([
    orgToday(ctx),
    balanceOf(db, orgId, invoice.id),
    db
      .select({ id: contacts.id, name: contacts.name, email: contacts.email })
      .from(contacts)
      .where(and(eq(contacts.orgId, orgId), eq(contacts.id, invoice.contactId))),
    invoice.locationId
      ? db
          .select({ name: serviceLocations.name, address: serviceLocations.address })
          .from(serviceLocations)
          .where(and(eq(serviceLocations.orgId, orgId), eq(serviceLocations.id, invoice.locationId)))
      : [],
    invoice.workOrderId
      ? db
          .select({ number: workOrders.number, subject: workOrders.subject })
          .from(workOrders)
          .where(and(eq(workOrders.orgId, orgId), eq(workOrders.id, invoice.workOrderId)))
      : [],
    staff ? documentHistory(db, orgId, "invoice", invoice.id) : [],
  ]);
  return {
    invoice,
    status: shownInvoiceStatus(invoice, today),
    today,
    lines: amounts.lines,
    totals: totals(amounts.lines),
    payments: amounts.payments,
    paidMinor: amounts.paidMinor,
    balanceMinor: amounts.balanceMinor,
    contact: contactRows[0] ?? null,
    location: locationRows[0] ?? null,
    workOrder: workOrderRows[0] ?? null,
    history,
  };
}

export type InvoiceDetail = Awaited<ReturnType<typeof getInvoice>>;

/**
 * For the work order's page: its live invoice (to link to), or whether one may be made now
 * (the work is done and the viewer manages invoices).
 */
export async function invoiceOfWorkOrder(
  ctx: Ctx,
  workOrder: { id: string; status: string },
): Promise<{ invoice: { number: number; status: InvoiceStatus } | null; canCreate: boolean }> {
  if (!can(ctx.actor, "invoices.read")) return { invoice: null, canCreate: false };
  const invoice = (await liveInvoiceOf(ctx.db, ctx.actor.orgId, workOrder.id)) ?? null;
  const canCreate =
    !invoice &&
    can(ctx.actor, "invoices.manage") &&
    (INVOICEABLE_WORK_ORDER_STATUSES as readonly string[]).includes(workOrder.status);
  return { invoice, canCreate };
}

export interface BillingFigures {
  currency: string;
  /** Invoices sent in the period (not voided since), and their total. */
  invoiced: number;
  invoicedMinor: number;
  /** Payments recorded in the period. */
  collectedMinor: number;
  /** What sent invoices still wait for now, and the part of it past its due date. */
  outstandingMinor: number;
  overdueMinor: number;
}

/** Money in and money owed, per currency, for the report of a period ending now. */
export async function billingFigures(ctx: Ctx, from: Date, to: Date): Promise<BillingFigures[]> {
  requirePermission(ctx.actor, "invoices.read");
  const orgId = ctx.actor.orgId;
  const inPeriod = (at: Date | null) => at !== null && at >= from && at < to;
  const [today, rows, payments] = await Promise.all([
    orgToday(ctx),
    ctx.db
      .select({
        id: invoices.id,
        currency: invoices.currency,
        status: invoices.status,
        sentAt: invoices.sentAt,
        dueDate: invoices.dueDate,
      })
      .from(invoices)
      .where(
        and(
          eq(invoices.orgId, orgId),
          or(
            eq(invoices.status, "sent"),
            and(eq(invoices.status, "paid"), sql`${invoices.sentAt} >= ${from.toISOString()}::timestamptz`),
          ),
        ),
      ),
    ctx.db
      .select({ currency: invoices.currency, amountMinor: invoicePayments.amountMinor })
      .from(invoicePayments)
      .innerJoin(
        invoices,
        and(eq(invoices.orgId, invoicePayments.orgId), eq(invoices.id, invoicePayments.invoiceId)),
      )
      .where(
        and(
          eq(invoicePayments.orgId, orgId),
          sql`${invoicePayments.createdAt} >= ${from.toISOString()}::timestamptz`,
          sql`${invoicePayments.createdAt} < ${to.toISOString()}::timestamptz`,
        ),
      ),
  ]);
  const byCurrency = new Map<string, BillingFigures>();
  const figuresOf = (currency: string) => {
    let figures = byCurrency.get(currency);
    if (!figures) {
      figures = {
        currency,
        invoiced: 0,
        invoicedMinor: 0,
        collectedMinor: 0,
        outstandingMinor: 0,
        overdueMinor: 0,
      };
      byCurrency.set(currency, figures);
    }
    return figures;
  };
  for (const row of await withAmounts(ctx.db, orgId, rows)) {
    const figures = figuresOf(row.currency);
    if (inPeriod(row.sentAt)) {
      figures.invoiced++;
      figures.invoicedMinor += row.totalMinor;
    }
    if (row.status === "sent") {
      figures.outstandingMinor += row.balanceMinor;
      if (row.dueDate < today) figures.overdueMinor += row.balanceMinor;
    }
  }
  for (const payment of payments) figuresOf(payment.currency).collectedMinor += payment.amountMinor;
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
