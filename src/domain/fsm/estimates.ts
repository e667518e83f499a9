// Estimates: staff write a draft with priced lines, send it (a mail with a link to the portal),
// and the customer accepts it with a typed signature or declines it there. Acceptance turns the
// estimate into a work order in the same transaction, under a lock on the estimate's row, so a
// double submit makes one work order. Each command checks the actor and appends its events.
import { and, asc, desc, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import {
  contacts,
  ESTIMATE_STATUSES,
  type EstimateStatus,
  estimateLines,
  estimates,
  lineItems,
  organizations,
  serviceLocations,
  tickets,
  workOrders,
} from "../../../db/schema";
import { type Ctx, can, requirePermission, systemActor } from "../context";
import { orgForMail, queueMail } from "../email/outbox";
import { conflict, type FieldErrors, forbidden, invalid, isDomainError, notFound } from "../errors";
import { documentHistory } from "../events/documentHistory";
import { appendEvent, type DbOrTx } from "../events/log";
import { nextNumber } from "../orgs/counters";
import { organizationTimeZone } from "../orgs/resolve";
import { findVisibleTicket, type TicketRef } from "../tickets/access";
import { isOneOf, isUuid } from "../tickets/rules";
import {
  addDays,
  canTransitionEstimate,
  DECLINE_REASON_MAX,
  DEFAULT_VALID_DAYS,
  ESTIMATE_NOTES_MAX,
  ESTIMATE_SUBJECT_MAX,
  effectiveEstimateStatus,
  formatEstimateNumber,
  isDay,
  isEditable,
  SIGNATURE_NAME_MAX,
} from "./estimateRules";
import { instantToLocal } from "./field";
import { attachTemplatesForServices } from "./jobSheets";
import { copyLine, type LineInput, priceLine } from "./lines";
import { formatMoney, totals } from "./money";
import { customerCompanyId, isCustomersOwn } from "./ownership";
import { findWorkOrder, insertWorkOrder, type WorkOrderRef } from "./workOrders";

export type EstimateRow = typeof estimates.$inferSelect;
/** An estimate is named by its number (12) or its uuid. */
export type EstimateRef = number | string;

/** Today's date in the organization's calendar: what valid-until dates are compared with. */
export async function orgToday(ctx: Ctx): Promise<string> {
  return instantToLocal(ctx.now, await organizationTimeZone(ctx.db, ctx.actor.orgId)).slice(0, 10);
}

function byRef(ref: EstimateRef): SQL | undefined {
  if (typeof ref === "number") return eq(estimates.number, ref);
  return isUuid(ref) ? eq(estimates.id, ref) : undefined;
}

/**
 * The estimate if the actor may see it: staff who manage estimates see their organization's; a
 * customer sees those made out to them or to their company, once sent (drafts are not theirs yet).
 * Anything else is "not found", so its existence is not revealed.
 */
export async function findEstimate(
  db: DbOrTx,
  ctx: Ctx,
  ref: EstimateRef,
  options: { forUpdate?: boolean } = {},
): Promise<EstimateRow> {
  const where = byRef(ref);
  if (!where) throw notFound("That estimate");
  let query = db
    .select()
    .from(estimates)
    .where(and(eq(estimates.orgId, ctx.actor.orgId), where))
    .limit(1)
    .$dynamic();
  if (options.forUpdate) query = query.for("update");
  const [row] = await query;
  if (!row) throw notFound("That estimate");
  if (can(ctx.actor, "estimates.manage")) return row;
  if (can(ctx.actor, "estimates.respond") && row.status !== "draft" && (await isCustomersOwn(db, ctx, row)))
    return row;
  throw notFound("That estimate");
}

function fail(fields: FieldErrors) {
  if (Object.keys(fields).length) throw invalid(fields);
}

export interface EstimateInput {
  subject: string;
  notes?: string;
  contactId?: string | null;
  locationId?: string | null;
  /** "2026-12-31"; empty → 30 days from today. */
  validUntil?: string;
}

interface CheckedHeader {
  subject: string;
  notes: string;
  contactId: string;
  companyId: string | null;
  locationId: string | null;
  validUntil: string;
}

/** Checks the header; `fields` may arrive holding other problems of the same form. */
async function checkHeader(
  ctx: Ctx,
  input: EstimateInput,
  today: string,
  fields: FieldErrors = {},
): Promise<CheckedHeader> {
  const orgId = ctx.actor.orgId;
  const subject = (input.subject ?? "").trim();
  if (!subject) fields.subject = "Say what the estimate is for.";
  else if (subject.length > ESTIMATE_SUBJECT_MAX)
    fields.subject = `Keep the subject under ${ESTIMATE_SUBJECT_MAX} characters.`;
  const notes = (input.notes ?? "").trim();
  if (notes.length > ESTIMATE_NOTES_MAX)
    fields.notes = `Keep the notes under ${ESTIMATE_NOTES_MAX.toLocaleString("en")} characters.`;
  const validUntil = (input.validUntil ?? "").trim() || addDays(today, DEFAULT_VALID_DAYS);
  if (!isDay(validUntil)) fields.validUntil = "Enter a date such as 2026-12-31.";
  else if (validUntil < today) fields.validUntil = "Choose today or a later day.";
  let companyId: string | null = null;
  const [contact] = isUuid(input.contactId)
    ? await ctx.db
        .select({ id: contacts.id, companyId: contacts.companyId })
        .from(contacts)
        .where(and(eq(contacts.orgId, orgId), eq(contacts.id, input.contactId)))
    : [];
  if (!contact) fields.contactId = "Choose the customer the estimate is for.";
  else companyId = contact.companyId;
  if (input.locationId) {
    const [row] = isUuid(input.locationId)
      ? await ctx.db
          .select({ id: serviceLocations.id })
          .from(serviceLocations)
          .where(and(eq(serviceLocations.orgId, orgId), eq(serviceLocations.id, input.locationId)))
      : [];
    if (!row) fields.locationId = "Choose a service location from the list.";
  }
  fail(fields);
  return {
    subject,
    notes,
    contactId: contact.id,
    companyId,
    locationId: input.locationId || null,
    validUntil,
  };
}

async function orgCurrency(db: DbOrTx, orgId: string): Promise<string> {
  const [org] = await db
    .select({ currency: organizations.currency })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return org?.currency ?? "USD";
}

export interface CreateEstimateInput extends EstimateInput {
  /** Made from a ticket: its customer and subject unless the form says otherwise. */
  ticket?: TicketRef | null;
  /** Made from a work order: its customer, location and lines. */
  workOrder?: WorkOrderRef | null;
}

/** Turns a "not found" into a field error of the form; anything else still fails. */
const notFoundAs = (fields: FieldErrors, name: string, message: string) => (error: unknown) => {
  if (!isDomainError(error) || error.status !== 404) throw error;
  fields[name] = message;
  return null;
};

export async function createEstimate(ctx: Ctx, input: CreateEstimateInput): Promise<EstimateRow> {
  requirePermission(ctx.actor, "estimates.manage");
  const orgId = ctx.actor.orgId;
  const fields: FieldErrors = {};
  const ticket = input.ticket
    ? await findVisibleTicket(ctx.db, ctx.actor, input.ticket).catch(
        notFoundAs(fields, "ticket", "No ticket has that number."),
      )
    : null;
  const source = input.workOrder
    ? await findWorkOrder(ctx.db, ctx, input.workOrder).catch(
        notFoundAs(fields, "workOrder", "No work order has that number."),
      )
    : null;
  const from = source ?? ticket;
  const header = await checkHeader(
    ctx,
    {
      ...input,
      subject: input.subject || from?.subject || "",
      contactId: input.contactId || from?.contactId || null,
      locationId: input.locationId || source?.locationId || null,
    },
    await orgToday(ctx),
    fields,
  );
  return ctx.db.transaction(async (tx) => {
    const number = await nextNumber(tx, orgId, "estimate");
    const [row] = await tx
      .insert(estimates)
      .values({
        orgId,
        number,
        ...header,
        ticketId: ticket?.id ?? source?.ticketId ?? null,
        sourceWorkOrderId: source?.id ?? null,
        currency: source?.currency ?? (await orgCurrency(tx, orgId)),
        createdByUserId: ctx.actor.userId ?? null,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    if (source) {
      const lines = await tx
        .select()
        .from(lineItems)
        .where(and(eq(lineItems.orgId, orgId), eq(lineItems.workOrderId, source.id)))
        .orderBy(asc(lineItems.createdAt), asc(lineItems.id));
      if (lines.length)
        await tx.insert(estimateLines).values(
          lines.map((l, i) => ({
            orgId,
            estimateId: row.id,
            ...copyLine(l),
            position: i + 1,
            createdAt: ctx.now,
          })),
        );
    }
    await appendEvent(tx, ctx, {
      type: "estimate.created",
      data: {
        estimateId: row.id,
        number,
        subject: row.subject,
        ...(ticket ? { fromTicket: ticket.number } : {}),
        ...(source ? { fromWorkOrder: source.number } : {}),
      },
    });
    return row;
  });
}

/** Copied lines keep their order: each a millisecond after the one before. */
const at = (now: Date, i: number) => new Date(now.getTime() + i);

/** Locks a draft for a change; anything else is refused. */
async function lockDraft(tx: DbOrTx, ctx: Ctx, ref: EstimateRef): Promise<EstimateRow> {
  requirePermission(ctx.actor, "estimates.manage");
  const row = await findEstimate(tx, ctx, ref, { forUpdate: true });
  if (!isEditable(row.status))
    throw conflict(`${formatEstimateNumber(row.number)} has been sent; only drafts can be changed.`);
  return row;
}

export async function updateEstimate(ctx: Ctx, ref: EstimateRef, input: EstimateInput) {
  requirePermission(ctx.actor, "estimates.manage");
  const header = await checkHeader(ctx, input, await orgToday(ctx));
  return ctx.db.transaction(async (tx) => {
    const row = await lockDraft(tx, ctx, ref);
    const [updated] = await tx
      .update(estimates)
      .set({ ...header, updatedAt: ctx.now })
      .where(and(eq(estimates.orgId, ctx.actor.orgId), eq(estimates.id, row.id)))
      .returning();
    const changed = (Object.keys(header) as (keyof CheckedHeader)[]).filter((k) => header[k] !== row[k]);
    if (changed.length)
      await appendEvent(tx, ctx, {
        type: "estimate.updated",
        data: { estimateId: row.id, number: row.number, changed },
      });
    return updated;
  });
}

export async function addEstimateLine(ctx: Ctx, ref: EstimateRef, input: LineInput) {
  requirePermission(ctx.actor, "estimates.manage");
  const estimate = await findEstimate(ctx.db, ctx, ref);
  const fields: FieldErrors = {};
  const line = await priceLine(ctx.db, ctx.actor.orgId, estimate.currency, input, fields, {
    typedPrices: true,
  });
  fail(fields);
  if (!line) throw invalid(fields);
  return ctx.db.transaction(async (tx) => {
    const row = await lockDraft(tx, ctx, estimate.id);
    const [{ last }] = await tx
      .select({ last: sql<number>`coalesce(max(${estimateLines.position}), 0)::int` })
      .from(estimateLines)
      .where(and(eq(estimateLines.orgId, ctx.actor.orgId), eq(estimateLines.estimateId, row.id)));
    const [added] = await tx
      .insert(estimateLines)
      .values({ orgId: ctx.actor.orgId, estimateId: row.id, ...line, position: last + 1, createdAt: ctx.now })
      .returning();
    await touch(tx, ctx, row.id);
    await appendEvent(tx, ctx, {
      type: "estimate.line_added",
      data: {
        estimateId: row.id,
        number: row.number,
        lineId: added.id,
        kind: line.kind,
        quantity: line.quantity,
        unitPriceMinor: line.unitPriceMinor,
      },
    });
    return added;
  });
}

export async function removeEstimateLine(ctx: Ctx, ref: EstimateRef, lineId: string) {
  requirePermission(ctx.actor, "estimates.manage");
  if (!isUuid(lineId)) throw notFound("That line");
  return ctx.db.transaction(async (tx) => {
    const row = await lockDraft(tx, ctx, ref);
    const removed = await tx
      .delete(estimateLines)
      .where(
        and(
          eq(estimateLines.orgId, ctx.actor.orgId),
          eq(estimateLines.estimateId, row.id),
          eq(estimateLines.id, lineId),
        ),
      )
      .returning({ id: estimateLines.id, description: estimateLines.description });
    if (removed.length === 0) throw notFound("That line");
    await touch(tx, ctx, row.id);
    await appendEvent(tx, ctx, {
      type: "estimate.line_removed",
      data: { estimateId: row.id, number: row.number, lineId, description: removed[0].description },
    });
  });
}

async function touch(tx: DbOrTx, ctx: Ctx, id: string) {
  await tx
    .update(estimates)
    .set({ updatedAt: ctx.now })
    .where(and(eq(estimates.orgId, ctx.actor.orgId), eq(estimates.id, id)));
}

async function linesOf(db: DbOrTx, orgId: string, estimateId: string) {
  return db
    .select()
    .from(estimateLines)
    .where(and(eq(estimateLines.orgId, orgId), eq(estimateLines.estimateId, estimateId)))
    .orderBy(asc(estimateLines.position), asc(estimateLines.id));
}

/**
 * Sends a draft (or reminds about a sent one): the customer gets a mail with a link to the
 * estimate in the portal, where they accept or decline it. The link starts with the
 * organization's own host when it has one, else with `origin` (where staff reached the product).
 */
export async function sendEstimate(ctx: Ctx, ref: EstimateRef, options: { origin: string }) {
  requirePermission(ctx.actor, "estimates.manage");
  const today = await orgToday(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await findEstimate(tx, ctx, ref, { forUpdate: true });
    const number = formatEstimateNumber(row.number);
    const status = effectiveEstimateStatus(row, today);
    if (!canTransitionEstimate(status, "sent"))
      throw conflict(`${number} is ${status}; it can no longer be sent.`);
    if (row.validUntil < today)
      throw conflict("The valid-until date has passed; change it before sending.", {
        validUntil: "Choose today or a later day.",
      });
    const lines = await linesOf(tx, ctx.actor.orgId, row.id);
    if (lines.length === 0) throw conflict("Add at least one line before sending the estimate.");
    const [contact] = await tx
      .select({ name: contacts.name, email: contacts.email })
      .from(contacts)
      .where(and(eq(contacts.orgId, ctx.actor.orgId), eq(contacts.id, row.contactId)));
    if (!contact?.email) throw conflict("The customer has no email address to send the estimate to.");
    const org = await orgForMail(tx, ctx.actor.orgId);
    await queueMail(
      tx,
      {
        orgId: ctx.actor.orgId,
        to: contact.email,
        kind: "estimate_sent",
        values: {
          "contact.name": contact.name,
          "estimate.number": number,
          "estimate.subject": row.subject,
          "estimate.total": formatMoney(totals(lines).totalMinor, row.currency),
          "estimate.valid_until": row.validUntil,
          "portal.url": `${org.baseUrl || options.origin}/portal/estimates/${number}`,
          "org.name": org.name,
        },
      },
      ctx.now,
    );
    const [updated] = await tx
      .update(estimates)
      .set({ status: "sent", sentAt: ctx.now, updatedAt: ctx.now })
      .where(and(eq(estimates.orgId, ctx.actor.orgId), eq(estimates.id, row.id)))
      .returning();
    await appendEvent(tx, ctx, {
      type: row.status === "sent" ? "estimate.resent" : "estimate.sent",
      data: { estimateId: row.id, number: row.number, to: contact.email, from: row.status, status: "sent" },
    });
    return updated;
  });
}

/** Records that a sent estimate ran out; the caller's transaction commits it. */
async function markExpired(tx: DbOrTx, ctx: Ctx, row: EstimateRow) {
  await tx
    .update(estimates)
    .set({ status: "expired", updatedAt: ctx.now })
    .where(and(eq(estimates.orgId, ctx.actor.orgId), eq(estimates.id, row.id)));
  await appendEvent(tx, ctx, {
    type: "estimate.expired",
    data: {
      estimateId: row.id,
      number: row.number,
      validUntil: row.validUntil,
      from: "sent",
      status: "expired",
    },
  });
}

function customerMayDecide(ctx: Ctx) {
  if (!can(ctx.actor, "estimates.respond"))
    throw forbidden("Only the customer accepts or declines an estimate.");
}

function refusal(row: EstimateRow, status: EstimateStatus) {
  const number = formatEstimateNumber(row.number);
  const why: Partial<Record<EstimateStatus, string>> = {
    declined: `${number} was declined; ask us for a new estimate if you changed your mind.`,
    expired: `${number} expired on ${row.validUntil} and can no longer be accepted; ask us for a new one.`,
    draft: `${number} is not ready yet.`,
  };
  return conflict(why[status] ?? `${number} can no longer be answered.`);
}

export interface AcceptInput {
  /** The full name typed as the signature. */
  name: string;
  /** The "I accept this estimate and its terms" box. */
  agreed: boolean;
  ip: string | null;
}

export interface Accepted {
  estimate: EstimateRow;
  workOrder: { id: string; number: number };
  /** True when it had been accepted already (a second submit): nothing new was made. */
  already: boolean;
}

/**
 * The customer accepts: the signature (typed name, time, address) is recorded and the estimate
 * becomes a work order with its lines, in one transaction under the estimate's row lock. A second
 * submit finds it converted and answers with the same work order.
 */
export async function acceptEstimate(ctx: Ctx, ref: EstimateRef, input: AcceptInput): Promise<Accepted> {
  customerMayDecide(ctx);
  const estimate = await findEstimate(ctx.db, ctx, ref);
  const name = input.name.trim().replace(/\s+/g, " ");
  const fields: FieldErrors = {};
  if (!name) fields.signatureName = "Type your full name to sign.";
  else if (name.length > SIGNATURE_NAME_MAX)
    fields.signatureName = `Keep the name under ${SIGNATURE_NAME_MAX} characters.`;
  if (!input.agreed) fields.agree = "Tick the box to accept the estimate.";
  const today = await orgToday(ctx);
  const outcome = await ctx.db.transaction(async (tx) => {
    const row = await findEstimate(tx, ctx, estimate.id, { forUpdate: true });
    if (row.status === "converted" && row.convertedWorkOrderId) {
      const wo = await findWorkOrder(tx, ctx, row.convertedWorkOrderId);
      return { accepted: { estimate: row, workOrder: { id: wo.id, number: wo.number }, already: true } };
    }
    const status = effectiveEstimateStatus(row, today);
    if (status === "expired" && row.status === "sent") {
      await markExpired(tx, ctx, row);
      return { refused: refusal(row, "expired") };
    }
    if (!canTransitionEstimate(status, "accepted")) return { refused: refusal(row, status) };
    fail(fields);
    return { accepted: await convert(tx, ctx, row, { name, ip: input.ip }) };
  });
  if (outcome.refused) throw outcome.refused;
  return outcome.accepted as Accepted;
}

async function convert(
  tx: DbOrTx,
  ctx: Ctx,
  row: EstimateRow,
  signature: { name: string; ip: string | null },
): Promise<Accepted> {
  const orgId = ctx.actor.orgId;
  const number = formatEstimateNumber(row.number);
  await tx
    .update(estimates)
    .set({
      status: "accepted",
      acceptedAt: ctx.now,
      acceptedName: signature.name,
      acceptedIp: signature.ip,
      acceptedByUserId: ctx.actor.userId ?? null,
      updatedAt: ctx.now,
    })
    .where(and(eq(estimates.orgId, orgId), eq(estimates.id, row.id)));
  await appendEvent(tx, ctx, {
    type: "estimate.accepted",
    data: {
      estimateId: row.id,
      number: row.number,
      name: signature.name,
      ip: signature.ip,
      from: "sent",
      status: "accepted",
    },
  });
  const wo = await insertWorkOrder(
    tx,
    ctx,
    {
      subject: row.subject,
      description: [row.notes, `Accepted estimate ${number}, signed by ${signature.name}.`]
        .filter(Boolean)
        .join("\n\n"),
      ticketId: row.ticketId,
      contactId: row.contactId,
      companyId: row.companyId,
      locationId: row.locationId,
    },
    [],
    1,
  );
  const lines = await linesOf(tx, orgId, row.id);
  if (lines.length)
    await tx
      .insert(lineItems)
      .values(
        lines.map((l, i) => ({ orgId, workOrderId: wo.id, ...copyLine(l), createdAt: at(ctx.now, i) })),
      );
  const [converted] = await tx
    .update(estimates)
    .set({ status: "converted", convertedWorkOrderId: wo.id, updatedAt: ctx.now })
    .where(and(eq(estimates.orgId, orgId), eq(estimates.id, row.id)))
    .returning();
  await appendEvent(tx, ctx, {
    type: "work_order.created",
    data: {
      workOrderId: wo.id,
      number: wo.number,
      subject: wo.subject,
      priority: wo.priority,
      fromEstimate: number,
    },
  });
  await attachTemplatesForServices(
    tx,
    ctx,
    wo,
    lines.map((l) => l.serviceId),
  );
  if (row.ticketId)
    await appendEvent(tx, ctx, {
      type: "ticket.work_order_created",
      ticketId: row.ticketId,
      data: { workOrderId: wo.id, number: wo.number },
    });
  await appendEvent(tx, ctx, {
    type: "estimate.converted",
    data: {
      estimateId: row.id,
      number: row.number,
      workOrderId: wo.id,
      workOrderNumber: wo.number,
      from: "accepted",
      status: "converted",
    },
  });
  return { estimate: converted, workOrder: { id: wo.id, number: wo.number }, already: false };
}

/** The customer declines, optionally saying why. */
export async function declineEstimate(ctx: Ctx, ref: EstimateRef, input: { reason?: string }) {
  customerMayDecide(ctx);
  const estimate = await findEstimate(ctx.db, ctx, ref);
  const reason = (input.reason ?? "").trim();
  const fields: FieldErrors = {};
  if (reason.length > DECLINE_REASON_MAX)
    fields.reason = `Keep the reason under ${DECLINE_REASON_MAX.toLocaleString("en")} characters.`;
  const today = await orgToday(ctx);
  const outcome = await ctx.db.transaction(async (tx) => {
    const row = await findEstimate(tx, ctx, estimate.id, { forUpdate: true });
    // A second submit of the same answer changes nothing.
    if (row.status === "declined") return { declined: row };
    const status = effectiveEstimateStatus(row, today);
    if (status === "expired" && row.status === "sent") {
      await markExpired(tx, ctx, row);
      return { refused: refusal(row, "expired") };
    }
    if (!canTransitionEstimate(status, "declined"))
      return {
        refused: conflict(
          `${formatEstimateNumber(row.number)} was already ${status}; it can no longer be declined.`,
        ),
      };
    fail(fields);
    const [declined] = await tx
      .update(estimates)
      .set({ status: "declined", declinedAt: ctx.now, declineReason: reason || null, updatedAt: ctx.now })
      .where(and(eq(estimates.orgId, ctx.actor.orgId), eq(estimates.id, row.id)))
      .returning();
    await appendEvent(tx, ctx, {
      type: "estimate.declined",
      data: {
        estimateId: row.id,
        number: row.number,
        reason: reason || null,
        from: "sent",
        status: "declined",
      },
    });
    return { declined };
  });
  if (outcome.refused) throw outcome.refused;
  return outcome.declined as EstimateRow;
}

export const EXPIRE_QUEUE = "fsm.expire_estimates";

/**
 * The job: every sent estimate whose last valid day has passed in its organization's calendar
 * becomes expired, with its event. Locked rows are skipped (someone is answering them right now).
 */
export async function expireDueEstimates(db: Ctx["db"], now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ row: estimates })
      .from(estimates)
      .innerJoin(organizations, eq(organizations.id, estimates.orgId))
      .where(
        and(
          eq(estimates.status, "sent"),
          sql`${estimates.validUntil} < (${now.toISOString()}::timestamptz at time zone ${organizations.timeZone})::date`,
        ),
      )
      .limit(500)
      .for("update", { of: estimates, skipLocked: true });
    for (const { row } of due) {
      await markExpired(tx, { db, actor: systemActor(row.orgId), now }, row);
    }
    return due.length;
  });
}

export interface EstimateFilters {
  status?: EstimateStatus;
  q?: string;
}

export function parseEstimateFilters(query: Record<string, string | undefined>): EstimateFilters {
  const filters: EstimateFilters = {};
  if (isOneOf(ESTIMATE_STATUSES, query.status)) filters.status = query.status;
  if (query.q?.trim()) filters.q = query.q.trim().slice(0, 200);
  return filters;
}

/** The status as shown, in SQL: a sent estimate past its date reads as expired. */
const shownStatus = (today: string) =>
  sql<EstimateStatus>`case when ${estimates.status} = 'sent' and ${estimates.validUntil} < ${today}::date
    then 'expired' else ${estimates.status} end`;

async function withTotals<T extends { id: string }>(db: DbOrTx, orgId: string, rows: T[]) {
  const lines = rows.length
    ? await db
        .select()
        .from(estimateLines)
        .where(
          and(
            eq(estimateLines.orgId, orgId),
            inArray(
              estimateLines.estimateId,
              rows.map((r) => r.id),
            ),
          ),
        )
    : [];
  return rows.map((r) => ({
    ...r,
    totalMinor: totals(lines.filter((l) => l.estimateId === r.id)).totalMinor,
  }));
}

export async function listEstimates(ctx: Ctx, filters: EstimateFilters, limit = 100) {
  requirePermission(ctx.actor, "estimates.manage");
  const orgId = ctx.actor.orgId;
  const today = await orgToday(ctx);
  const where: SQL[] = [eq(estimates.orgId, orgId)];
  if (filters.status) where.push(sql`${shownStatus(today)} = ${filters.status}`);
  if (filters.q) {
    const number = /^(?:EST-)?0*(\d{1,9})$/i.exec(filters.q)?.[1];
    const text = ilike(estimates.subject, `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(number ? (or(text, eq(estimates.number, Number(number))) as SQL) : text);
  }
  const rows = await ctx.db
    .select({
      id: estimates.id,
      number: estimates.number,
      subject: estimates.subject,
      status: shownStatus(today),
      currency: estimates.currency,
      validUntil: estimates.validUntil,
      updatedAt: estimates.updatedAt,
      contactName: contacts.name,
    })
    .from(estimates)
    .leftJoin(contacts, and(eq(contacts.orgId, estimates.orgId), eq(contacts.id, estimates.contactId)))
    .where(and(...where))
    .orderBy(desc(estimates.updatedAt), desc(estimates.id))
    .limit(limit);
  return withTotals(ctx.db, orgId, rows);
}

export type EstimateListRow = Awaited<ReturnType<typeof listEstimates>>[number];

/** The customer's estimates in the portal: theirs and their company's, once sent. */
export async function listOwnEstimates(ctx: Ctx) {
  requirePermission(ctx.actor, "estimates.respond");
  if (!ctx.actor.contactId) return [];
  const orgId = ctx.actor.orgId;
  const companyId = await customerCompanyId(ctx.db, ctx);
  const today = await orgToday(ctx);
  const mine = companyId
    ? or(eq(estimates.contactId, ctx.actor.contactId), eq(estimates.companyId, companyId))
    : eq(estimates.contactId, ctx.actor.contactId);
  const rows = await ctx.db
    .select({
      id: estimates.id,
      number: estimates.number,
      subject: estimates.subject,
      status: shownStatus(today),
      currency: estimates.currency,
      validUntil: estimates.validUntil,
      updatedAt: estimates.updatedAt,
    })
    .from(estimates)
    .where(and(eq(estimates.orgId, orgId), sql`${estimates.status} <> 'draft'`, mine))
    .orderBy(desc(estimates.updatedAt))
    .limit(200);
  return withTotals(ctx.db, orgId, rows);
}

/** Everything the estimate's page shows, to staff or to its customer. */
export async function getEstimate(ctx: Ctx, ref: EstimateRef) {
  const estimate = await findEstimate(ctx.db, ctx, ref);
  const orgId = ctx.actor.orgId;
  const db = ctx.db;
  const staff = can(ctx.actor, "estimates.manage");
  const [today, lines, contactRows, locationRows, ticketRows, sourceRows, convertedRows, history] =
    await Promise.all([
      orgToday(ctx),
      linesOf(db, orgId, estimate.id),
      db
        .select({ id: contacts.id, name: contacts.name, email: contacts.email })
        .from(contacts)
        .where(and(eq(contacts.orgId, orgId), eq(contacts.id, estimate.contactId))),
      estimate.locationId
        ? db
            .select({ name: serviceLocations.name, address: serviceLocations.address })
            .from(serviceLocations)
            .where(and(eq(serviceLocations.orgId, orgId), eq(serviceLocations.id, estimate.locationId)))
        : [],
      staff && estimate.ticketId
        ? db
            .select({ number: tickets.number, subject: tickets.subject })
            .from(tickets)
            .where(and(eq(tickets.orgId, orgId), eq(tickets.id, estimate.ticketId)))
        : [],
      staff && estimate.sourceWorkOrderId ? workOrderNumber(db, orgId, estimate.sourceWorkOrderId) : [],
      estimate.convertedWorkOrderId ? workOrderNumber(db, orgId, estimate.convertedWorkOrderId) : [],
      staff ? documentHistory(db, orgId, "estimate", estimate.id) : [],
    ]);
  return {
    estimate,
    status: effectiveEstimateStatus(estimate, today),
    today,
    lines,
    totals: totals(lines),
    contact: contactRows[0] ?? null,
    location: locationRows[0] ?? null,
    ticket: ticketRows[0] ?? null,
    sourceWorkOrder: sourceRows[0] ?? null,
    workOrder: convertedRows[0] ?? null,
    history,
  };
}

export type EstimateDetail = Awaited<ReturnType<typeof getEstimate>>;

function workOrderNumber(db: DbOrTx, orgId: string, id: string) {
  return db
    .select({ number: workOrders.number, status: workOrders.status })
    .from(workOrders)
    .where(and(eq(workOrders.orgId, orgId), eq(workOrders.id, id)));
}

/** The estimate a work order was made from, for a link on the work order's page. */
export async function estimateOfWorkOrder(ctx: Ctx, workOrderId: string) {
  if (!can(ctx.actor, "estimates.manage")) return null;
  const [row] = await ctx.db
    .select({ number: estimates.number })
    .from(estimates)
    .where(and(eq(estimates.orgId, ctx.actor.orgId), eq(estimates.convertedWorkOrderId, workOrderId)));
  return row ?? null;
}
