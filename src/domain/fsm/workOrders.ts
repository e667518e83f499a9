// Work orders: made from a ticket or directly, scheduled as appointments with technicians, priced
// with line items. Each command checks the actor, writes in one transaction and appends events.

import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, ilike, inArray, type SQL, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import {
  APPOINTMENT_STATUSES,
  type AppointmentStatus,
  appointments,
  appointmentTechnicians,
  assets,
  contacts,
  crews,
  lineItems,
  organizations,
  parts,
  serviceLocations,
  services,
  skills,
  tickets,
  users,
  WORK_ORDER_PRIORITIES,
  WORK_ORDER_STATUSES,
  type WorkOrderPriority,
  type WorkOrderStatus,
  workOrderSkills,
  workOrders,
} from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import { type Conflict, visitConflicts } from "../dispatch/assign";
import { conflict, type FieldErrors, forbidden, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { nextNumber } from "../orgs/counters";
import { organizationTimeZone } from "../orgs/resolve";
import { prepared } from "../prepared";
import { findVisibleTicket, type TicketRef } from "../tickets/access";
import { isOneOf, isUuid } from "../tickets/rules";
import { crewTechnicians } from "./crews";
import { attachTemplatesForServices, missingItemsError, missingRequiredItems } from "./jobSheets";
import { type LineInput, priceLine } from "./lines";
import { totals } from "./money";
import { noticesOfWorkOrder, queueConfirmation, queueOnTheWay } from "./notices";
import { queueServiceReport } from "./report";
import {
  canTransitionAppointment,
  canTransitionWorkOrder,
  DESCRIPTION_MAX,
  OPEN_APPOINTMENT_STATUSES,
  SUBJECT_MAX,
  WORK_ORDER_STATUS_LABELS,
  workOrderStatusAfterVisit,
} from "./rules";
import { notifyVisitChange } from "./visitNotices";

export type WorkOrderRow = typeof workOrders.$inferSelect;
/** A work order is named by its number (45) or its uuid. */
export type WorkOrderRef = number | string;

function fail(fields: FieldErrors) {
  if (Object.keys(fields).length) throw invalid(fields);
}

export async function orgCurrency(db: DbOrTx, orgId: string): Promise<string> {
  const [org] = await db
    .select({ currency: organizations.currency })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return org?.currency ?? "USD";
}

export async function findWorkOrder(
  db: DbOrTx,
  ctx: Ctx,
  ref: WorkOrderRef,
  options: { forUpdate?: boolean } = {},
): Promise<WorkOrderRow> {
  const byRef =
    typeof ref === "number" ? eq(workOrders.number, ref) : isUuid(ref) ? eq(workOrders.id, ref) : undefined;
  if (!byRef) throw notFound("That work order");
  let query = db
    .select()
    .from(workOrders)
    .where(and(eq(workOrders.orgId, ctx.actor.orgId), byRef))
    .limit(1)
    .$dynamic();
  if (options.forUpdate) query = query.for("update");
  const [row] = await query;
  if (!row) throw notFound("That work order");
  return row;
}

export interface CreateWorkOrderInput {
  subject: string;
  description?: string;
  priority?: string;
  contactId?: string | null;
  locationId?: string | null;
  assetId?: string | null;
  /** Skill ids the technician must hold (level 1 or more unless minLevel says otherwise). */
  skillIds?: string[];
  minLevel?: number;
}

async function checkReferences(ctx: Ctx, input: CreateWorkOrderInput, fields: FieldErrors) {
  const orgId = ctx.actor.orgId;
  const db = ctx.db;
  let companyId: string | null = null;
  if (input.contactId) {
    const [row] = isUuid(input.contactId)
      ? await db
          .select({ id: contacts.id, companyId: contacts.companyId })
          .from(contacts)
          .where(and(eq(contacts.orgId, orgId), eq(contacts.id, input.contactId)))
      : [];
    if (!row) fields.contactId = "Choose a customer from the list.";
    else companyId = row.companyId;
  }
  let locationFromAsset: string | null = null;
  if (input.assetId) {
    const [row] = isUuid(input.assetId)
      ? await db
          .select({ id: assets.id, locationId: assets.locationId })
          .from(assets)
          .where(and(eq(assets.orgId, orgId), eq(assets.id, input.assetId)))
      : [];
    if (!row) fields.assetId = "Choose an asset from the list.";
    else locationFromAsset = row.locationId;
  }
  if (input.locationId) {
    const [row] = isUuid(input.locationId)
      ? await db
          .select({ id: serviceLocations.id })
          .from(serviceLocations)
          .where(and(eq(serviceLocations.orgId, orgId), eq(serviceLocations.id, input.locationId)))
      : [];
    if (!row) fields.locationId = "Choose a service location from the list.";
  }
  const skillIds = [...new Set(input.skillIds ?? [])];
  if (skillIds.length) {
    const found = skillIds.every(isUuid)
      ? await db
          .select({ id: skills.id })
          .from(skills)
          .where(and(eq(skills.orgId, orgId), inArray(skills.id, skillIds)))
      : [];
    if (found.length !== skillIds.length) fields.skillIds = "Choose skills from the list.";
  }
  return { companyId, locationId: input.locationId || locationFromAsset, skillIds };
}

function validateText(
  input: { subject: string; description?: string; priority?: string },
  fields: FieldErrors,
) {
  const subject = (input.subject ?? "").trim();
  if (!subject) fields.subject = "Enter what needs doing.";
  else if (subject.length > SUBJECT_MAX) fields.subject = `Keep the subject under ${SUBJECT_MAX} characters.`;
  if ((input.description ?? "").length > DESCRIPTION_MAX)
    fields.description = `Keep the description under ${DESCRIPTION_MAX.toLocaleString("en")} characters.`;
  const priority = (input.priority || "normal") as WorkOrderPriority;
  if (!isOneOf(WORK_ORDER_PRIORITIES, priority)) fields.priority = "Choose a priority.";
  return { subject, priority };
}

/** Inserts a work order with its next number and skills, inside the caller's transaction. */
export async function insertWorkOrder(
  tx: DbOrTx,
  ctx: Ctx,
  values: Omit<typeof workOrders.$inferInsert, "orgId" | "number" | "createdAt" | "updatedAt" | "currency">,
  skillIds: string[],
  minLevel: number,
) {
  const orgId = ctx.actor.orgId;
  const id = values.id ?? randomUUID();
  const currency = await orgCurrency(tx, orgId);
  const number = await nextNumber(tx, orgId, "work_order");
  const [row] = await tx
    .insert(workOrders)
    .values({ ...values, id, orgId, number, currency, createdAt: ctx.now, updatedAt: ctx.now })
    .returning();
  if (skillIds.length) {
    await tx
      .insert(workOrderSkills)
      .values(skillIds.map((skillId) => ({ orgId, workOrderId: id, skillId, minLevel })));
  }
  return row;
}

export async function createWorkOrder(ctx: Ctx, input: CreateWorkOrderInput): Promise<WorkOrderRow> {
  requirePermission(ctx.actor, "fsm.manage");
  const fields: FieldErrors = {};
  const { subject, priority } = validateText(input, fields);
  const minLevel = input.minLevel ?? 1;
  if (!Number.isInteger(minLevel) || minLevel < 1 || minLevel > 5)
    fields.minLevel = "Choose a level from 1 to 5.";
  const refs = await checkReferences(ctx, input, fields);
  fail(fields);
  return ctx.db.transaction(async (tx) => {
    const row = await insertWorkOrder(
      tx,
      ctx,
      {
        subject,
        description: input.description?.trim() ?? "",
        priority,
        contactId: input.contactId || null,
        companyId: refs.companyId,
        locationId: refs.locationId,
        assetId: input.assetId || null,
      },
      refs.skillIds,
      minLevel,
    );
    await appendEvent(tx, ctx, {
      type: "work_order.created",
      data: { workOrderId: row.id, number: row.number, subject, priority },
    });
    return row;
  });
}

/**
 * One click on the ticket page: the work order takes the ticket's subject, customer and priority,
 * and both records point at each other (the work order by its ticket_id; the ticket's history
 * records the work order's number).
 */
export async function createWorkOrderFromTicket(ctx: Ctx, ticketRef: TicketRef): Promise<WorkOrderRow> {
  requirePermission(ctx.actor, "fsm.from_ticket");
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ticketRef);
  if (ticket.status === "closed") throw conflict("This ticket is closed; open a new ticket for new work.");
  // The customer's service location, when they have exactly one.
  const locations = await ctx.db
    .select({ id: serviceLocations.id })
    .from(serviceLocations)
    .where(and(eq(serviceLocations.orgId, ctx.actor.orgId), eq(serviceLocations.contactId, ticket.contactId)))
    .limit(2);
  return ctx.db.transaction(async (tx) => {
    const row = await insertWorkOrder(
      tx,
      ctx,
      {
        subject: ticket.subject,
        description: "",
        priority: ticket.priority,
        ticketId: ticket.id,
        contactId: ticket.contactId,
        companyId: ticket.companyId,
        locationId: locations.length === 1 ? locations[0].id : null,
      },
      [],
      1,
    );
    await appendEvent(tx, ctx, {
      type: "work_order.created",
      data: {
        workOrderId: row.id,
        number: row.number,
        subject: row.subject,
        priority: row.priority,
        fromTicket: ticket.number,
      },
    });
    await appendEvent(tx, ctx, {
      type: "ticket.work_order_created",
      ticketId: ticket.id,
      data: { workOrderId: row.id, number: row.number },
    });
    return row;
  });
}

export async function changeWorkOrderStatus(ctx: Ctx, ref: WorkOrderRef, status: string) {
  requirePermission(ctx.actor, "fsm.manage");
  if (!isOneOf(WORK_ORDER_STATUSES, status)) throw invalid({ status: "Choose a status." });
  return ctx.db.transaction(async (tx) => {
    const wo = await findWorkOrder(tx, ctx, ref, { forUpdate: true });
    if (wo.status === status) return wo;
    if (!canTransitionWorkOrder(wo.status, status))
      throw conflict(
        `A work order that is ${WORK_ORDER_STATUS_LABELS[wo.status].toLowerCase()} cannot become ${WORK_ORDER_STATUS_LABELS[status].toLowerCase()}.`,
        { status: "That change is not allowed from the current status." },
      );
    const [row] = await tx
      .update(workOrders)
      .set({ status, updatedAt: ctx.now })
      .where(and(eq(workOrders.orgId, ctx.actor.orgId), eq(workOrders.id, wo.id)))
      .returning();
    await appendEvent(tx, ctx, {
      type: "work_order.status_changed",
      ticketId: wo.ticketId,
      data: { workOrderId: wo.id, number: wo.number, from: wo.status, to: status },
    });
    if (status === "cancelled") await tellCancelledVisits(tx, ctx, wo.id);
    return row;
  });
}

/** The technicians of a cancelled work order's visits still to come hear that they are off. */
async function tellCancelledVisits(tx: DbOrTx, ctx: Ctx, workOrderId: string) {
  const rows = await tx
    .select({ appointmentId: appointments.id, userId: appointmentTechnicians.userId })
    .from(appointments)
    .innerJoin(
      appointmentTechnicians,
      and(
        eq(appointmentTechnicians.orgId, appointments.orgId),
        eq(appointmentTechnicians.appointmentId, appointments.id),
      ),
    )
    .where(
      and(
        eq(appointments.orgId, ctx.actor.orgId),
        eq(appointments.workOrderId, workOrderId),
        inArray(appointments.status, [...OPEN_APPOINTMENT_STATUSES]),
      ),
    );
  const byVisit = Map.groupBy(rows, (r) => r.appointmentId);
  for (const [appointmentId, people] of byVisit)
    await notifyVisitChange(tx, ctx, appointmentId, { cancelled: people.map((p) => p.userId) });
}

export async function setWorkOrderStatus(tx: DbOrTx, ctx: Ctx, wo: WorkOrderRow, to: WorkOrderStatus) {
  if (to === wo.status) {
    await tx
      .update(workOrders)
      .set({ updatedAt: ctx.now })
      .where(and(eq(workOrders.orgId, ctx.actor.orgId), eq(workOrders.id, wo.id)));
    return;
  }
  await tx
    .update(workOrders)
    .set({ status: to, updatedAt: ctx.now })
    .where(and(eq(workOrders.orgId, ctx.actor.orgId), eq(workOrders.id, wo.id)));
  await appendEvent(tx, ctx, {
    type: "work_order.status_changed",
    ticketId: wo.ticketId,
    data: { workOrderId: wo.id, number: wo.number, from: wo.status, to },
  });
}

export interface ScheduleInput {
  startsAt: Date | undefined;
  endsAt: Date | undefined;
  technicianIds: string[];
  /** A crew whose technicians join the visit too. */
  crewId?: string;
  /** Schedule despite the board's conflicts (shift, overlap, skills…); they are recorded in the event. */
  override?: boolean;
}

/** The board's conflicts as field errors: the time's problems on startsAt, the people's on technicianIds. */
function conflictFields(conflicts: Conflict[]): FieldErrors {
  const fields: FieldErrors = {};
  const onTime = (c: Conflict) => c.kind === "shift" || c.kind === "overlap" || c.kind === "travel";
  const time = conflicts.filter(onTime).map((c) => c.message);
  const people = conflicts.filter((c) => !onTime(c)).map((c) => c.message);
  if (time.length) fields.startsAt = time.join(" ");
  if (people.length) fields.technicianIds = people.join(" ");
  return fields;
}

/** Adds a visit with its technicians and time window; a new work order becomes scheduled. */
export async function scheduleAppointment(ctx: Ctx, ref: WorkOrderRef, input: ScheduleInput) {
  requirePermission(ctx.actor, "fsm.manage");
  const fields: FieldErrors = {};
  const { startsAt, endsAt } = input;
  if (!startsAt || Number.isNaN(startsAt.getTime())) fields.startsAt = "Enter when the visit starts.";
  if (!endsAt || Number.isNaN(endsAt.getTime())) fields.endsAt = "Enter when the visit ends.";
  else if (startsAt && endsAt <= startsAt) fields.endsAt = "The visit must end after it starts.";
  const crew = input.crewId ? await crewTechnicians(ctx.db, ctx.actor.orgId, input.crewId) : [];
  if (!crew) fields.crewId = "Choose one of the crews.";
  const technicianIds = [...new Set([...input.technicianIds.filter(Boolean), ...(crew ?? [])])];
  if (technicianIds.length === 0 && !fields.crewId)
    fields.technicianIds = "Choose at least one technician or a crew.";
  else {
    const found = technicianIds.every(isUuid)
      ? await ctx.db
          .select({ id: users.id })
          .from(users)
          .where(
            and(
              eq(users.orgId, ctx.actor.orgId),
              inArray(users.id, technicianIds),
              eq(users.role, "technician"),
              eq(users.active, true),
            ),
          )
      : [];
    if (found.length !== technicianIds.length) fields.technicianIds = "Choose technicians from the list.";
  }
  fail(fields);
  const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
  return ctx.db.transaction(async (tx) => {
    const wo = await findWorkOrder(tx, ctx, ref, { forUpdate: true });
    if (wo.status === "closed" || wo.status === "cancelled" || wo.status === "completed")
      throw conflict(
        `This work order is ${WORK_ORDER_STATUS_LABELS[wo.status].toLowerCase()}; it takes no new visits.`,
      );
    // The dispatch board's checks, for each technician; each one's profile stays locked till commit.
    const conflicts: Conflict[] = [];
    for (const userId of [...technicianIds].sort()) {
      const slot = {
        workOrder: wo,
        technicianUserId: userId,
        startsAt: startsAt!,
        endsAt: endsAt!,
        timeZone,
      };
      conflicts.push(...(await visitConflicts(tx, ctx, { ...slot, withoutProfile: "defaults" })));
    }
    if (conflicts.length && !input.override)
      throw invalid(
        conflictFields(conflicts),
        "The visit clashes with the technicians' plans; schedule anyway?",
      );
    const [appointment] = await tx
      .insert(appointments)
      .values({
        orgId: ctx.actor.orgId,
        workOrderId: wo.id,
        startsAt: startsAt!,
        endsAt: endsAt!,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await tx
      .insert(appointmentTechnicians)
      .values(
        technicianIds.map((userId) => ({ orgId: ctx.actor.orgId, appointmentId: appointment.id, userId })),
      );
    await notifyVisitChange(tx, ctx, appointment.id, { assigned: technicianIds });
    const seq = await appendEvent(tx, ctx, {
      type: "work_order.scheduled",
      ticketId: wo.ticketId,
      data: {
        workOrderId: wo.id,
        number: wo.number,
        appointmentId: appointment.id,
        startsAt: startsAt!.toISOString(),
        endsAt: endsAt!.toISOString(),
        technicianIds,
        ...(conflicts.length ? { overriddenConflicts: conflicts } : {}),
      },
    });
    await queueConfirmation(tx, ctx, appointment.id, seq);
    if (wo.status === "new" || wo.status === "cannot_complete")
      await setWorkOrderStatus(tx, ctx, wo, "scheduled");
    return appointment;
  });
}

export type AppointmentRow = typeof appointments.$inferSelect;

/** The appointment, if the actor may act on it: managers always, technicians only on their own. */
export async function findAppointment(
  db: DbOrTx,
  ctx: Ctx,
  appointmentId: string,
  options: { forUpdate?: boolean } = {},
): Promise<AppointmentRow> {
  if (!isUuid(appointmentId)) throw notFound("That appointment");
  let query = db
    .select()
    .from(appointments)
    .where(and(eq(appointments.orgId, ctx.actor.orgId), eq(appointments.id, appointmentId)))
    .$dynamic();
  if (options.forUpdate) query = query.for("update");
  const [row] = await query;
  if (!row) throw notFound("That appointment");
  if (can(ctx.actor, "fsm.read")) return row;
  if (can(ctx.actor, "fsm.field") && ctx.actor.userId && (await isAssigned(db, ctx, row.id))) return row;
  throw notFound("That appointment");
}

async function isAssigned(db: DbOrTx, ctx: Ctx, appointmentId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: appointmentTechnicians.userId })
    .from(appointmentTechnicians)
    .where(
      and(
        eq(appointmentTechnicians.orgId, ctx.actor.orgId),
        eq(appointmentTechnicians.appointmentId, appointmentId),
        eq(appointmentTechnicians.userId, ctx.actor.userId ?? ""),
      ),
    );
  return Boolean(row);
}

/**
 * Moves a visit on: the dispatcher dispatches it, the assigned technician travels, arrives,
 * completes it or reports that it cannot be completed (with a reason). The work order follows.
 */
export async function changeAppointmentStatus(
  ctx: Ctx,
  appointmentId: string,
  input: { status: string; reason?: string },
) {
  const manager = can(ctx.actor, "fsm.manage");
  if (!manager && !can(ctx.actor, "fsm.field")) throw forbidden();
  if (!isOneOf(APPOINTMENT_STATUSES, input.status)) throw invalid({ status: "Choose a status." });
  const to: AppointmentStatus = input.status;
  const reason = (input.reason ?? "").trim();
  if (to === "cannot_complete" && !reason)
    throw invalid({ reason: "Say why the job cannot be completed." }, "Say why the job cannot be completed.");
  if (reason.length > 1000) throw invalid({ reason: "Keep the reason under 1,000 characters." });
  return ctx.db.transaction(async (tx) => {
    const appointment = await findAppointment(tx, ctx, appointmentId, { forUpdate: true });
    if (!manager && (to === "dispatched" || to === "scheduled"))
      throw forbidden("Only dispatchers dispatch visits.");
    if (!canTransitionAppointment(appointment.status, to))
      throw conflict(
        `This visit is ${appointment.status.replaceAll("_", " ")}; it cannot become ${to.replaceAll("_", " ")}.`,
      );
    const wo = await findWorkOrder(tx, ctx, appointment.workOrderId, { forUpdate: true });
    if (wo.status === "closed" || wo.status === "cancelled")
      throw conflict(`The work order is ${wo.status}; its visits can no longer change.`);
    if (to === "completed") {
      const missing = await missingRequiredItems(tx, ctx.actor.orgId, wo.id);
      if (missing.length) throw missingItemsError(missing);
    }
    const [row] = await tx
      .update(appointments)
      .set({
        status: to,
        updatedAt: ctx.now,
        cannotCompleteReason: to === "cannot_complete" ? reason : appointment.cannotCompleteReason,
      })
      .where(and(eq(appointments.orgId, ctx.actor.orgId), eq(appointments.id, appointment.id)))
      .returning();
    await appendEvent(tx, ctx, {
      type: "appointment.status_changed",
      ticketId: wo.ticketId,
      data: {
        workOrderId: wo.id,
        appointmentId: appointment.id,
        from: appointment.status,
        to,
        ...(to === "cannot_complete" ? { reason } : {}),
      },
    });
    if (to === "travelling") await queueOnTheWay(tx, ctx, appointment.id);
    // A running timer stops when the visit ends.
    if (to === "completed" || to === "cannot_complete") {
      await tx.execute(sql`update time_entries set ended_at = ${ctx.now.toISOString()}::timestamptz
        where org_id = ${ctx.actor.orgId} and appointment_id = ${appointment.id} and ended_at is null`);
    }
    if (to === "completed") await queueServiceReport(tx, ctx.actor.orgId, appointment.id, ctx.now);
    const [{ open }] = await tx
      .select({ open: sql<number>`count(*)::int` })
      .from(appointments)
      .where(
        and(
          eq(appointments.orgId, ctx.actor.orgId),
          eq(appointments.workOrderId, wo.id),
          sql`${appointments.id} <> ${appointment.id}`,
          inArray(appointments.status, [...OPEN_APPOINTMENT_STATUSES]),
        ),
      );
    let target = workOrderStatusAfterVisit(wo.status, to, open);
    if (to === "dispatched" && wo.status === "scheduled") target = "dispatched";
    // The visits drive the work order (a technician may start on a visit never formally dispatched).
    if (target !== wo.status) await setWorkOrderStatus(tx, ctx, wo, target);
    return row;
  });
}

export interface LineItemInput extends LineInput {
  appointmentId?: string | null;
}

/**
 * The office adds a service, part or labour line; catalog items bring their price and tax. Such a
 * line prices the work and moves no stock: parts used on a visit go through usePartOnVisit.
 */
export async function addLineItem(ctx: Ctx, ref: WorkOrderRef, input: LineItemInput) {
  requirePermission(ctx.actor, "fsm.manage");
  const orgId = ctx.actor.orgId;
  const wo = await findWorkOrder(ctx.db, ctx, ref);
  const fields: FieldErrors = {};
  const line = await priceLine(ctx.db, orgId, wo.currency, input, fields);
  fail(fields);
  if (!line) throw invalid(fields);
  const { kind, quantity } = line;
  return ctx.db.transaction(async (tx) => {
    const locked = await findWorkOrder(tx, ctx, wo.id, { forUpdate: true });
    if (locked.status === "closed" || locked.status === "cancelled")
      throw conflict(`This work order is ${locked.status}; its lines can no longer change.`);
    const [row] = await tx
      .insert(lineItems)
      .values({
        orgId,
        workOrderId: wo.id,
        appointmentId: input.appointmentId || null,
        ...line,
        createdAt: ctx.now,
      })
      .returning();
    await tx
      .update(workOrders)
      .set({ updatedAt: ctx.now })
      .where(and(eq(workOrders.orgId, orgId), eq(workOrders.id, wo.id)));
    await appendEvent(tx, ctx, {
      type: "work_order.line_added",
      ticketId: wo.ticketId,
      data: {
        workOrderId: wo.id,
        lineItemId: row.id,
        appointmentId: row.appointmentId,
        kind,
        quantity,
        unitPriceMinor: row.unitPriceMinor,
      },
    });
    // A service brings the job sheets its templates name.
    if (kind === "service") await attachTemplatesForServices(tx, ctx, locked, [row.serviceId]);
    return row;
  });
}

export interface WorkOrderFilters {
  status?: WorkOrderStatus;
  priority?: WorkOrderPriority;
  q?: string;
  technicianId?: string;
}

export function parseWorkOrderFilters(query: Record<string, string | undefined>): WorkOrderFilters {
  const filters: WorkOrderFilters = {};
  if (isOneOf(WORK_ORDER_STATUSES, query.status)) filters.status = query.status;
  if (isOneOf(WORK_ORDER_PRIORITIES, query.priority)) filters.priority = query.priority;
  if (query.q?.trim()) filters.q = query.q.trim().slice(0, 200);
  if (isUuid(query.technicianId)) filters.technicianId = query.technicianId;
  return filters;
}

function workOrderConditions(orgId: string, filters: WorkOrderFilters): SQL[] {
  const where: SQL[] = [eq(workOrders.orgId, orgId)];
  if (filters.status) where.push(eq(workOrders.status, filters.status));
  if (filters.priority) where.push(eq(workOrders.priority, filters.priority));
  if (filters.q) {
    const number = /^(?:WO-)?0*(\d{1,9})$/i.exec(filters.q)?.[1];
    const text = ilike(workOrders.subject, `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(number ? sql`(${text} or ${workOrders.number} = ${Number(number)})` : text);
  }
  if (filters.technicianId) {
    where.push(sql`exists (select 1 from ${appointments} a join ${appointmentTechnicians} t
      on t.org_id = a.org_id and t.appointment_id = a.id
      where a.org_id = ${orgId} and a.work_order_id = ${workOrders.id} and t.user_id = ${filters.technicianId})`);
  }
  return where;
}

/** How many work orders match the filters (the API's paging). */
export async function countWorkOrders(ctx: Ctx, filters: WorkOrderFilters): Promise<number> {
  requirePermission(ctx.actor, "fsm.read");
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(workOrders)
    .where(and(...workOrderConditions(ctx.actor.orgId, filters)));
  return Number(row?.n ?? 0);
}

export async function listWorkOrders(ctx: Ctx, filters: WorkOrderFilters, limit = 100, offset = 0) {
  requirePermission(ctx.actor, "fsm.read");
  const where = workOrderConditions(ctx.actor.orgId, filters);
  return ctx.db
    .select({
      id: workOrders.id,
      number: workOrders.number,
      subject: workOrders.subject,
      status: workOrders.status,
      priority: workOrders.priority,
      updatedAt: workOrders.updatedAt,
      contactId: workOrders.contactId,
      contactName: contacts.name,
      nextVisit: sql<Date | null>`(select min(a.starts_at) from ${appointments} a
        where a.org_id = ${workOrders.orgId} and a.work_order_id = ${workOrders.id}
          and a.status in ('scheduled','dispatched','travelling','on_site'))`.mapWith((v) =>
        v ? new Date(v) : null,
      ),
    })
    .from(workOrders)
    .leftJoin(contacts, and(eq(contacts.orgId, workOrders.orgId), eq(contacts.id, workOrders.contactId)))
    .where(and(...where))
    .orderBy(desc(workOrders.updatedAt), desc(workOrders.id))
    .limit(limit)
    .offset(offset);
}

export type WorkOrderListRow = Awaited<ReturnType<typeof listWorkOrders>>[number];

/** Everything the work order page shows. */
export async function getWorkOrder(ctx: Ctx, ref: WorkOrderRef) {
  requirePermission(ctx.actor, "fsm.read");
  const wo = await findWorkOrder(ctx.db, ctx, ref);
  const orgId = ctx.actor.orgId;
  const db = ctx.db;
  const [contactRows, locationRows, assetRows, ticketRows, visitRows, crewRows, lines, skillRows, notices] =
    await Promise.all([
      wo.contactId
        ? db
            .select()
            .from(contacts)
            .where(and(eq(contacts.orgId, orgId), eq(contacts.id, wo.contactId)))
        : [],
      wo.locationId
        ? db
            .select()
            .from(serviceLocations)
            .where(and(eq(serviceLocations.orgId, orgId), eq(serviceLocations.id, wo.locationId)))
        : [],
      wo.assetId
        ? db
            .select()
            .from(assets)
            .where(and(eq(assets.orgId, orgId), eq(assets.id, wo.assetId)))
        : [],
      wo.ticketId
        ? db
            .select({ number: tickets.number, subject: tickets.subject, status: tickets.status })
            .from(tickets)
            .where(and(eq(tickets.orgId, orgId), eq(tickets.id, wo.ticketId)))
        : [],
      db
        .select()
        .from(appointments)
        .where(and(eq(appointments.orgId, orgId), eq(appointments.workOrderId, wo.id)))
        .orderBy(asc(appointments.startsAt)),
      db
        .select({ appointmentId: appointmentTechnicians.appointmentId, userId: users.id, name: users.name })
        .from(appointmentTechnicians)
        .innerJoin(
          appointments,
          and(
            eq(appointments.orgId, appointmentTechnicians.orgId),
            eq(appointments.id, appointmentTechnicians.appointmentId),
          ),
        )
        .innerJoin(
          users,
          and(eq(users.orgId, appointmentTechnicians.orgId), eq(users.id, appointmentTechnicians.userId)),
        )
        .where(and(eq(appointmentTechnicians.orgId, orgId), eq(appointments.workOrderId, wo.id))),
      db
        .select()
        .from(lineItems)
        .where(and(eq(lineItems.orgId, orgId), eq(lineItems.workOrderId, wo.id)))
        .orderBy(asc(lineItems.createdAt), asc(lineItems.id)),
      db
        .select({ id: skills.id, name: skills.name, minLevel: workOrderSkills.minLevel })
        .from(workOrderSkills)
        .innerJoin(
          skills,
          and(eq(skills.orgId, workOrderSkills.orgId), eq(skills.id, workOrderSkills.skillId)),
        )
        .where(and(eq(workOrderSkills.orgId, orgId), eq(workOrderSkills.workOrderId, wo.id))),
      noticesOfWorkOrder(db, orgId, wo.id),
    ]);
  return {
    workOrder: wo,
    contact: contactRows[0] ?? null,
    location: locationRows[0] ?? null,
    asset: assetRows[0] ?? null,
    ticket: ticketRows[0] ?? null,
    appointments: visitRows.map((a) => ({
      ...a,
      technicians: crewRows
        .filter((c) => c.appointmentId === a.id)
        .map((c) => ({ id: c.userId, name: c.name })),
    })),
    lines,
    totals: totals(lines),
    skills: skillRows,
    /** What the customer was told about the visits, newest first. */
    notices,
  };
}

export type WorkOrderDetail = Awaited<ReturnType<typeof getWorkOrder>>;

/** The work orders made from a ticket, for the ticket page. */
export async function workOrdersForTicket(ctx: Ctx, ticketId: string) {
  if (!can(ctx.actor, "fsm.read")) return [];
  return prepared(ctx.db, "workOrdersForTicket", () =>
    ctx.db
      .select({ number: workOrders.number, status: workOrders.status, subject: workOrders.subject })
      .from(workOrders)
      .where(
        and(
          eq(workOrders.orgId, sql.placeholder("orgId")),
          eq(workOrders.ticketId, sql.placeholder("ticketId")),
        ),
      )
      .orderBy(asc(workOrders.number))
      .prepare("work_orders_for_ticket"),
  ).execute({ orgId: ctx.actor.orgId, ticketId });
}

/** Choices for the work order forms: customers' locations, assets, skills, technicians, catalog. */
export async function workOrderChoices(ctx: Ctx) {
  requirePermission(ctx.actor, "fsm.read");
  const orgId = ctx.actor.orgId;
  const [locationRows, assetRows, skillRows, technicianRows, serviceRows, partRows] = await Promise.all([
    ctx.db
      .select({ id: serviceLocations.id, name: serviceLocations.name, contactId: serviceLocations.contactId })
      .from(serviceLocations)
      .where(eq(serviceLocations.orgId, orgId))
      .orderBy(asc(serviceLocations.name))
      .limit(500),
    ctx.db
      .select({
        id: assets.id,
        type: assets.type,
        make: assets.make,
        model: assets.model,
        serial: assets.serial,
      })
      .from(assets)
      .where(eq(assets.orgId, orgId))
      .orderBy(asc(assets.type), asc(assets.serial))
      .limit(500),
    ctx.db
      .select({ id: skills.id, name: skills.name })
      .from(skills)
      .where(eq(skills.orgId, orgId))
      .orderBy(asc(skills.name)),
    ctx.db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.role, "technician"), eq(users.active, true)))
      .orderBy(asc(users.name))
      .limit(500),
    ctx.db.select().from(services).where(eq(services.orgId, orgId)).orderBy(asc(services.name)),
    ctx.db.select().from(parts).where(eq(parts.orgId, orgId)).orderBy(asc(parts.sku)),
  ]);
  return {
    locations: locationRows,
    assets: assetRows,
    skills: skillRows,
    technicians: technicianRows,
    crews: await ctx.db
      .select({ id: crews.id, name: crews.name })
      .from(crews)
      .where(eq(crews.orgId, orgId))
      .orderBy(asc(crews.name)),
    services: serviceRows,
    parts: partRows,
  };
}

export type WorkOrderChoices = Awaited<ReturnType<typeof workOrderChoices>>;

/** Customers to choose from by email, resolved to a contact of the organization. */
export async function contactByEmail(ctx: Ctx, email: string) {
  const [row] = await ctx.db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.orgId, ctx.actor.orgId), eq(contacts.email, email.trim().toLowerCase())));
  return row?.id;
}

/** A certification counts through its expiry date (in the organization's calendar), not after. */
export function certificationValid(expiresOn: string | null, today: string): boolean {
  return expiresOn === null || expiresOn >= today;
}

/**
 * Technicians who hold every skill the work order requires at its minimum level, with their
 * certifications still valid on `day` ("2026-11-23"). Expired certifications are left out.
 */
export async function qualifiedTechnicians(ctx: Ctx, ref: WorkOrderRef, day: string) {
  requirePermission(ctx.actor, "fsm.read");
  const wo = await findWorkOrder(ctx.db, ctx, ref);
  const orgId = ctx.actor.orgId;
  const rows = await ctx.db.execute(sql`
    select u.id, u.name,
      coalesce((select json_agg(c.name order by c.name) from certifications c
        where c.org_id = t.org_id and c.technician_id = t.id
          and (c.expires_on is null or c.expires_on >= ${day}::date)), '[]'::json) as certifications
    from technicians t
    join users u on u.org_id = t.org_id and u.id = t.user_id and u.active
    where t.org_id = ${orgId}
      and not exists (
        select 1 from work_order_skills r
        where r.org_id = ${orgId} and r.work_order_id = ${wo.id}
          and not exists (select 1 from technician_skills s
            where s.org_id = t.org_id and s.technician_id = t.id
              and s.skill_id = r.skill_id and s.level >= r.min_level))
    order by u.name`);
  return rowsOf<{ id: string; name: string; certifications: string[] | string }>(rows).map((r) => ({
    id: r.id,
    name: r.name,
    certifications:
      typeof r.certifications === "string" ? (JSON.parse(r.certifications) as string[]) : r.certifications,
  }));
}
