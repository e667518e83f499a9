// Asset meters: readings typed in the office or on a visit, each meter counting only up (a lower
// reading must say the meter was replaced or reset), and the usage per day that the readings show.
import { and, asc, desc, eq, gt, lte } from "drizzle-orm";
import { assetMeterReadings, assets, users } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { conflict, type FieldErrors, invalid, notFound } from "../errors";
import type { DbOrTx } from "../events/log";
import { appendEvent } from "../events/log";
import { isUuid } from "../tickets/rules";
import { requireOpenVisit } from "./field";
import { findAppointment, findWorkOrder } from "./workOrders";

export const METER_NAME_MAX = 60;
const VALUE_MAX = 1e12;
/** Readings may be typed a little ahead of the server's clock, not more. */
const FUTURE_SLACK_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export interface MeterReadingInput {
  meter?: string;
  value?: string;
  /** Defaults to now. */
  readAt?: Date;
  reset?: boolean;
  note?: string;
}

export type MeterReadingRow = typeof assetMeterReadings.$inferSelect;

/** Office side: a manager records a reading on an asset. */
export async function recordMeterReading(ctx: Ctx, assetId: string, input: MeterReadingInput) {
  requirePermission(ctx.actor, "fsm.manage");
  if (!isUuid(assetId)) throw notFound("That asset");
  return ctx.db.transaction((tx) => insertReading(tx, ctx, assetId, input, null));
}

/** On a visit: the technician records a reading of the work order's asset, read now. */
export async function recordVisitMeterReading(ctx: Ctx, appointmentId: string, input: MeterReadingInput) {
  requirePermission(ctx.actor, "fsm.field");
  return ctx.db.transaction(async (tx) => {
    const appointment = await findAppointment(tx, ctx, appointmentId);
    requireOpenVisit(appointment);
    const wo = await findWorkOrder(tx, ctx, appointment.workOrderId);
    if (!wo.assetId) throw conflict("This work order has no asset to read a meter on.");
    return insertReading(tx, ctx, wo.assetId, { ...input, readAt: ctx.now }, appointment.id);
  });
}

async function insertReading(
  tx: DbOrTx,
  ctx: Ctx,
  assetId: string,
  input: MeterReadingInput,
  appointmentId: string | null,
): Promise<MeterReadingRow> {
  const orgId = ctx.actor.orgId;
  // The asset row is the lock: two readings of one asset are checked against each other in turn.
  const [asset] = await tx
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.orgId, orgId), eq(assets.id, assetId)))
    .for("update");
  if (!asset) throw notFound("That asset");
  const fields: FieldErrors = {};
  let meter = (input.meter ?? "").trim().replace(/\s+/g, " ");
  if (!meter) fields.meter = "Name the meter, e.g. Running hours.";
  else if (meter.length > METER_NAME_MAX) fields.meter = `Keep the name under ${METER_NAME_MAX} characters.`;
  const text = (input.value ?? "").trim().replace(/,/g, "");
  const value = Number(text);
  if (!text || !Number.isFinite(value) || value < 0 || value > VALUE_MAX)
    fields.value = "Give the number the meter shows, 0 or more.";
  const readAt = input.readAt ?? ctx.now;
  if (Number.isNaN(readAt.getTime())) fields.readAt = "Give the date and time it was read.";
  else if (readAt.getTime() > ctx.now.getTime() + FUTURE_SLACK_MS)
    fields.readAt = "A reading cannot be in the future.";
  const note = (input.note ?? "").trim();
  if (note.length > 500) fields.note = "Keep the note under 500 characters.";
  if (Object.keys(fields).length) throw invalid(fields);

  // "running hours" joins the meter already called "Running hours".
  const known = await meterNames(tx, orgId, assetId);
  meter = known.find((name) => name.toLowerCase() === meter.toLowerCase()) ?? meter;
  const reset = Boolean(input.reset);
  const sameMeter = and(
    eq(assetMeterReadings.orgId, orgId),
    eq(assetMeterReadings.assetId, assetId),
    eq(assetMeterReadings.meter, meter),
  );
  const [before] = await tx
    .select()
    .from(assetMeterReadings)
    .where(and(sameMeter, lte(assetMeterReadings.readAt, readAt)))
    .orderBy(desc(assetMeterReadings.readAt))
    .limit(1);
  const [after] = await tx
    .select()
    .from(assetMeterReadings)
    .where(and(sameMeter, gt(assetMeterReadings.readAt, readAt)))
    .orderBy(asc(assetMeterReadings.readAt))
    .limit(1);
  if (before && value < before.value && !reset)
    throw invalid({
      value: `Lower than the reading before it (${formatMeterValue(before.value)}); tick "meter replaced or reset" if it was.`,
    });
  if (after && !after.reset && value > after.value)
    throw invalid({
      value: `Higher than the later reading (${formatMeterValue(after.value)}); check the date and the number.`,
    });

  const [row] = await tx
    .insert(assetMeterReadings)
    .values({
      orgId,
      assetId,
      meter,
      value,
      reset,
      readAt,
      recordedBy: ctx.actor.userId ?? null,
      appointmentId,
      note,
    })
    .returning();
  await appendEvent(tx, ctx, {
    type: "asset.meter_read",
    data: { assetId, readingId: row.id, meter, value, reset, appointmentId },
  });
  return row;
}

export function formatMeterValue(value: number): string {
  return value.toLocaleString("en", { maximumFractionDigits: 2 });
}

export interface MeterSummary {
  meter: string;
  latest: { value: number; readAt: Date };
  /** Average use per day since the meter was last reset, when the readings span at least a day. */
  perDay: number | null;
  readings: number;
}

/**
 * Each meter's latest reading and its use per day, from readings in time order: the count restarts
 * at a reset, so a replaced meter's low first reading is not read as negative use.
 */
export function summarizeMeters(readings: Pick<MeterReadingRow, "meter" | "value" | "reset" | "readAt">[]) {
  const byMeter = new Map<string, typeof readings>();
  for (const r of [...readings].sort((a, b) => a.readAt.getTime() - b.readAt.getTime()))
    byMeter.set(r.meter, [...(byMeter.get(r.meter) ?? []), r]);
  const summaries: MeterSummary[] = [];
  for (const [meter, list] of byMeter) {
    let start = 0;
    list.forEach((r, i) => {
      if (r.reset) start = i;
    });
    const first = list[start];
    const last = list[list.length - 1];
    const days = (last.readAt.getTime() - first.readAt.getTime()) / DAY_MS;
    summaries.push({
      meter,
      latest: { value: last.value, readAt: last.readAt },
      perDay: days >= 1 ? (last.value - first.value) / days : null,
      readings: list.length,
    });
  }
  return summaries.sort((a, b) => a.meter.localeCompare(b.meter));
}

/** An asset's meters with their latest readings and use, and its recent readings newest first. */
export async function metersOf(ctx: Ctx, assetId: string) {
  requirePermission(ctx.actor, "fsm.read");
  const rows = await ctx.db
    .select({
      id: assetMeterReadings.id,
      meter: assetMeterReadings.meter,
      value: assetMeterReadings.value,
      reset: assetMeterReadings.reset,
      readAt: assetMeterReadings.readAt,
      note: assetMeterReadings.note,
      appointmentId: assetMeterReadings.appointmentId,
      recordedBy: users.name,
    })
    .from(assetMeterReadings)
    .leftJoin(users, eq(users.id, assetMeterReadings.recordedBy))
    .where(and(eq(assetMeterReadings.orgId, ctx.actor.orgId), eq(assetMeterReadings.assetId, assetId)))
    .orderBy(desc(assetMeterReadings.readAt))
    .limit(500);
  return { meters: summarizeMeters(rows), recent: rows.slice(0, 50) };
}

/** The meter names an asset already has, for the technician's form to offer. */
export async function meterNames(db: DbOrTx, orgId: string, assetId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ meter: assetMeterReadings.meter })
    .from(assetMeterReadings)
    .where(and(eq(assetMeterReadings.orgId, orgId), eq(assetMeterReadings.assetId, assetId)))
    .orderBy(asc(assetMeterReadings.meter));
  return rows.map((r) => r.meter);
}
