// Parts used on a visit come out of stock: a technician's from their own van, never below what
// the van holds; the office may record one from any location and, with a reason, past what the
// records say is there (an override, kept with who made it). Removing the line puts the parts
// back where they came from. The line and its movements are written in one transaction.
import { and, eq, sql } from "drizzle-orm";
import {
  appointmentTechnicians,
  lineItems,
  parts,
  stockMovements,
  users,
  workOrders,
} from "../../../db/schema";
import { type Ctx, can } from "../context";
import { conflict, type FieldErrors, forbidden, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { isUuid } from "../tickets/rules";
import { findLocation, STOCK_REASON_MAX, type StockLocationRow, vanOf } from "./inventory";
import { priceLine } from "./lines";
import { applyMovement, ShortOfStock } from "./stock";
import { type AppointmentRow, findAppointment, findWorkOrder } from "./workOrders";

export interface PartUsedInput {
  partId: string;
  quantity: string | number;
  /** Office only: where the parts came from; blank means the van of the visit's first technician. */
  locationId?: string;
  /** Office only: record it even though the location holds too few. */
  overrideReason?: string;
}

const visitFinished = (a: AppointmentRow) => a.status === "completed" || a.status === "cannot_complete";

/**
 * The visit's row lock, taken before the work order's as a status change takes them, and the
 * finished check again under it: the visit may have been completed since it was first read.
 */
async function lockOpenVisit(tx: DbOrTx, ctx: Ctx, who: "technician" | "office", appointmentId: string) {
  const visit = await findAppointment(tx, ctx, appointmentId, { forUpdate: true });
  if (who === "technician" && visitFinished(visit))
    throw conflict("This visit is finished; it can no longer change.");
}

/** Who records: the visit's own technician, or the office. */
function roleOf(ctx: Ctx): "technician" | "office" {
  if (can(ctx.actor, "inventory.manage")) return "office";
  if (can(ctx.actor, "fsm.field") && ctx.actor.userId) return "technician";
  throw forbidden();
}

/** Records a part used on a visit: a priced line on the work order, and its movement out of stock. */
export async function usePartOnVisit(ctx: Ctx, appointmentId: string, input: PartUsedInput) {
  const who = roleOf(ctx);
  const orgId = ctx.actor.orgId;
  const appointment = await findAppointment(ctx.db, ctx, appointmentId);
  if (who === "technician" && visitFinished(appointment))
    throw conflict("This visit is finished; it can no longer change.");
  const wo = await findWorkOrder(ctx.db, ctx, appointment.workOrderId);
  const fields: FieldErrors = {};
  // Only the part and quantity come from the caller: kind and price are the catalog's.
  const line = await priceLine(
    ctx.db,
    orgId,
    wo.currency,
    { kind: "part", partId: input.partId, quantity: input.quantity },
    fields,
  );
  const source = await sourceOf(ctx, who, appointment, input.locationId, fields);
  const reason = who === "office" ? (input.overrideReason ?? "").trim() : "";
  if (reason.length > STOCK_REASON_MAX)
    fields.overrideReason = `Keep the reason under ${STOCK_REASON_MAX} characters.`;
  if (Object.keys(fields).length || !line || !source) throw invalid(fields);
  const van = source.location;
  try {
    return await ctx.db.transaction(async (tx) => {
      await lockOpenVisit(tx, ctx, who, appointment.id);
      const locked = await findWorkOrder(tx, ctx, wo.id, { forUpdate: true });
      if (locked.status === "closed" || locked.status === "cancelled")
        throw conflict(`This work order is ${locked.status}; its lines can no longer change.`);
      const location = van ?? (await ensureVan(tx, ctx, source.technician!));
      const [row] = await tx
        .insert(lineItems)
        .values({ orgId, workOrderId: wo.id, appointmentId: appointment.id, ...line, createdAt: ctx.now })
        .returning();
      const movement = await takeOut(tx, ctx, {
        location,
        line: row,
        appointment,
        reason,
      });
      await tx
        .update(workOrders)
        .set({ updatedAt: ctx.now })
        .where(and(eq(workOrders.orgId, orgId), eq(workOrders.id, wo.id)));
      await appendEvent(tx, ctx, {
        type: "appointment.part_used",
        ticketId: wo.ticketId,
        data: {
          workOrderId: wo.id,
          appointmentId: appointment.id,
          lineItemId: row.id,
          kind: "part",
          partId: row.partId,
          quantity: row.quantity,
          unitPriceMinor: row.unitPriceMinor,
          locationId: location.id,
          movementId: movement.id,
          ...(movement.override ? { override: true, reason } : {}),
        },
      });
      return row;
    });
  } catch (error) {
    if (!(error instanceof ShortOfStock)) throw error;
    throw await shortageMessage(ctx, who, error, van?.name ?? `${source.technician?.name}'s van`);
  }
}

/** Where a part used on this visit comes from. */
async function sourceOf(
  ctx: Ctx,
  who: "technician" | "office",
  appointment: AppointmentRow,
  locationId: string | undefined,
  fields: FieldErrors,
): Promise<{ location?: StockLocationRow; technician?: { id: string; name: string } } | undefined> {
  const orgId = ctx.actor.orgId;
  if (who === "office" && locationId) {
    const location = await findLocation(ctx.db, orgId, locationId).catch(() => undefined);
    if (!location) fields.locationId = "Choose a location from the list.";
    return location ? { location } : undefined;
  }
  const technician =
    who === "technician"
      ? { id: ctx.actor.userId!, name: ctx.actor.name }
      : await firstTechnician(ctx.db, orgId, appointment.id);
  if (!technician) {
    fields.locationId = "This visit has no technician; choose where the parts came from.";
    return undefined;
  }
  const van = await vanOf(ctx.db, orgId, technician.id);
  return van ? { location: van } : { technician };
}

async function firstTechnician(db: DbOrTx, orgId: string, appointmentId: string) {
  const [row] = await db
    .select({ id: users.id, name: users.name })
    .from(appointmentTechnicians)
    .innerJoin(
      users,
      and(eq(users.orgId, appointmentTechnicians.orgId), eq(users.id, appointmentTechnicians.userId)),
    )
    .where(
      and(eq(appointmentTechnicians.orgId, orgId), eq(appointmentTechnicians.appointmentId, appointmentId)),
    )
    .orderBy(users.name)
    .limit(1);
  return row;
}

/**
 * Every technician has a van: one is made, empty, the first time their parts are recorded. When
 * the van then holds too few the whole transaction is refused, van and all.
 */
async function ensureVan(tx: DbOrTx, ctx: Ctx, technician: { id: string; name: string }) {
  const orgId = ctx.actor.orgId;
  for (const name of [
    `${technician.name}'s van`,
    `${technician.name}'s van (${technician.id.slice(0, 8)})`,
  ]) {
    await tx.execute(sql`insert into stock_locations (org_id, kind, name, technician_user_id, created_at)
      values (${orgId}, 'van', ${name}, ${technician.id}, ${ctx.now.toISOString()}::timestamptz)
      on conflict do nothing`);
    const van = await vanOf(tx, orgId, technician.id);
    if (van) return van;
  }
  throw new Error("could not make the technician's van");
}

async function takeOut(
  tx: DbOrTx,
  ctx: Ctx,
  input: {
    location: StockLocationRow;
    line: typeof lineItems.$inferSelect;
    appointment: AppointmentRow;
    reason: string;
  },
) {
  const common = {
    kind: "used" as const,
    locationId: input.location.id,
    partId: input.line.partId!,
    quantity: -input.line.quantity,
    workOrderId: input.line.workOrderId,
    appointmentId: input.appointment.id,
    lineItemId: input.line.id,
  };
  try {
    // A refused take changes nothing (its UPDATE matched no row), so the override may follow.
    return await applyMovement(tx, ctx, common);
  } catch (error) {
    if (!(error instanceof ShortOfStock) || !input.reason) throw error;
    return applyMovement(tx, ctx, { ...common, allowNegative: true, override: true, reason: input.reason });
  }
}

async function shortageMessage(
  ctx: Ctx,
  who: "technician" | "office",
  error: ShortOfStock,
  locationName: string,
) {
  const orgId = ctx.actor.orgId;
  const [part] = await ctx.db
    .select({ sku: parts.sku })
    .from(parts)
    .where(and(eq(parts.orgId, orgId), eq(parts.id, error.partId)));
  const sku = part?.sku ?? "that part";
  if (who === "technician") {
    const message = `Your van has ${error.available} of ${sku}; ask a supervisor to override.`;
    return conflict(message, { quantity: message });
  }
  const message = `${locationName} has ${error.available} of ${sku}. To record it anyway, give the reason for the override.`;
  return conflict(message, { overrideReason: message });
}

/**
 * Takes a part line off a visit and puts what it took back where it came from. The technician
 * may on their own open visit; the office on any visit of an open work order.
 */
export async function removePartUsed(
  ctx: Ctx,
  lineItemId: string,
  options: { appointmentId?: string; workOrderId?: string } = {},
) {
  const who = roleOf(ctx);
  const orgId = ctx.actor.orgId;
  if (!isUuid(lineItemId)) throw notFound("That part line");
  const [line] = await ctx.db
    .select()
    .from(lineItems)
    .where(and(eq(lineItems.orgId, orgId), eq(lineItems.id, lineItemId)));
  if (!line) throw notFound("That part line");
  const elsewhere =
    (options.appointmentId && line.appointmentId !== options.appointmentId) ||
    (options.workOrderId && line.workOrderId !== options.workOrderId);
  if (line.kind !== "part" || !line.appointmentId || elsewhere) throw notFound("That part line");
  const appointment = await findAppointment(ctx.db, ctx, line.appointmentId);
  if (who === "technician" && visitFinished(appointment))
    throw conflict("This visit is finished; it can no longer change.");
  return ctx.db.transaction(async (tx) => {
    await lockOpenVisit(tx, ctx, who, appointment.id);
    const wo = await findWorkOrder(tx, ctx, line.workOrderId, { forUpdate: true });
    if (wo.status === "closed" || wo.status === "cancelled")
      throw conflict(`This work order is ${wo.status}; its lines can no longer change.`);
    const deleted = await tx
      .delete(lineItems)
      .where(and(eq(lineItems.orgId, orgId), eq(lineItems.id, line.id)))
      .returning({ id: lineItems.id });
    if (deleted.length === 0) throw notFound("That part line");
    // What the line still has out of each location (a line removed twice at once finds it gone above).
    const taken = await tx
      .select({
        locationId: stockMovements.locationId,
        net: sql<number>`sum(${stockMovements.quantity})::int`,
      })
      .from(stockMovements)
      .where(and(eq(stockMovements.orgId, orgId), eq(stockMovements.lineItemId, line.id)))
      .groupBy(stockMovements.locationId)
      .orderBy(stockMovements.locationId);
    for (const { locationId, net } of taken) {
      if (Number(net) >= 0) continue;
      await applyMovement(tx, ctx, {
        kind: "returned",
        locationId,
        partId: line.partId!,
        quantity: -Number(net),
        workOrderId: line.workOrderId,
        appointmentId: appointment.id,
        lineItemId: line.id,
      });
    }
    await tx
      .update(workOrders)
      .set({ updatedAt: ctx.now })
      .where(and(eq(workOrders.orgId, orgId), eq(workOrders.id, wo.id)));
    await appendEvent(tx, ctx, {
      type: "appointment.part_removed",
      ticketId: wo.ticketId,
      data: {
        workOrderId: wo.id,
        appointmentId: appointment.id,
        lineItemId: line.id,
        partId: line.partId,
        quantity: line.quantity,
        returned: taken.filter((t) => Number(t.net) < 0).map((t) => t.locationId),
      },
    });
    return line;
  });
}
