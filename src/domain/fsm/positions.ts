// Where technicians are: a technician's phone reports its position while they share their location
// (a tick on /tech, recorded with when it changed) and they are on shift. The last position is kept
// per technician for the dispatch board's map and the customer's arrival estimate; each report also
// joins the day's trail. Unticking clears the last position.
import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  appointments,
  appointmentTechnicians,
  technicianLocations,
  technicians,
  technicianTrail,
  users,
} from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import { conflict, forbidden, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx, EVENTS_CHANNEL, type LiveEvent } from "../events/log";
import { organizationTimeZone } from "../orgs/resolve";
import { isUuid } from "../tickets/rules";
import { instantToLocal, localToInstant, startOfDay } from "./field";

/** A position older than this no longer says where the technician is (for arrival estimates). */
export const FRESH_POSITION_MS = 15 * 60_000;
/** Reports closer together than this update the last position but add nothing to the trail. */
const TRAIL_MIN_GAP_MS = 20_000;
/** Before and after the shift, a technician may be driving to the first job or home. */
const SHIFT_MARGIN_MINUTES = 60;
/** The trail is kept this long. */
export const TRAIL_RETENTION_DAYS = 7;

export interface Position {
  lat: number;
  lng: number;
  accuracyM: number | null;
  recordedAt: Date;
}

function requireTechnician(ctx: Ctx): string {
  if (!can(ctx.actor, "fsm.field") || !ctx.actor.userId) throw forbidden();
  return ctx.actor.userId;
}

/** Whether the signed-in technician shares their location, and their last report. */
export async function myLocationSharing(ctx: Ctx) {
  const userId = requireTechnician(ctx);
  const [row] = await ctx.db
    .select()
    .from(technicianLocations)
    .where(and(eq(technicianLocations.orgId, ctx.actor.orgId), eq(technicianLocations.userId, userId)));
  return { sharing: row?.sharing ?? false, recordedAt: row?.recordedAt ?? null };
}

/** The technician's consent: ticking starts sharing, unticking stops it and forgets the last position. */
export async function setLocationSharing(ctx: Ctx, sharing: boolean) {
  const userId = requireTechnician(ctx);
  const orgId = ctx.actor.orgId;
  await ctx.db.transaction(async (tx) => {
    const cleared = sharing ? {} : { lat: null, lng: null, accuracyM: null, recordedAt: null };
    await tx
      .insert(technicianLocations)
      .values({ orgId, userId, sharing, sharingChangedAt: ctx.now })
      .onConflictDoUpdate({
        target: [technicianLocations.orgId, technicianLocations.userId],
        set: { sharing, sharingChangedAt: ctx.now, ...cleared },
      });
    await appendEvent(tx, ctx, {
      type: sharing ? "technician.location_shared" : "technician.location_unshared",
      data: { userId },
    });
    await announcePosition(tx, orgId, userId);
  });
}

/** A position older than this is not shown to dispatchers, even within a long shift. */
export const SHOWN_POSITION_MS = 2 * 60 * 60_000;

type Shift = { start: number; end: number; days: ArrayLike<number> };

/**
 * When the shift window `now` falls in began (an hour before the shift, on a working day, in the
 * organization's time zone), or undefined when `now` is outside every window.
 */
function shiftWindowStart(shift: Shift, now: Date, timeZone: string): Date | undefined {
  const local = instantToLocal(now, timeZone);
  const minute = Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
  const weekday = ((new Date(`${local.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  const from = Math.max(0, shift.start - SHIFT_MARGIN_MINUTES);
  const workDay = Array.from(shift.days).includes(weekday);
  if (!workDay || minute < from || minute > shift.end + SHIFT_MARGIN_MINUTES) return undefined;
  const clock = `${String(Math.floor(from / 60)).padStart(2, "0")}:${String(from % 60).padStart(2, "0")}`;
  return localToInstant(`${local.slice(0, 10)}T${clock}`, timeZone);
}

/** Those of these technicians with a visit under way (they report outside their shift too). */
async function busyTechnicians(db: DbOrTx, orgId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ userId: appointmentTechnicians.userId })
    .from(appointmentTechnicians)
    .innerJoin(
      appointments,
      and(
        eq(appointments.orgId, appointmentTechnicians.orgId),
        eq(appointments.id, appointmentTechnicians.appointmentId),
      ),
    )
    .where(
      and(
        eq(appointmentTechnicians.orgId, orgId),
        inArray(appointmentTechnicians.userId, userIds),
        inArray(appointments.status, ["travelling", "on_site"]),
      ),
    );
  return new Set(rows.map((r) => r.userId));
}

/** On a working day, from an hour before the shift to an hour after it, or while a visit is under way. */
async function onShift(db: DbOrTx, orgId: string, userId: string, now: Date): Promise<boolean> {
  const [tech] = await db
    .select({
      start: technicians.workStartMinute,
      end: technicians.workEndMinute,
      days: technicians.workDays,
    })
    .from(technicians)
    .where(and(eq(technicians.orgId, orgId), eq(technicians.userId, userId)));
  if (!tech) return false;
  const timeZone = await organizationTimeZone(db as Db, orgId);
  if (shiftWindowStart(tech, now, timeZone)) return true;
  return (await busyTechnicians(db, orgId, [userId])).has(userId);
}

function validPosition(input: { lat: number; lng: number; accuracy?: number }) {
  const { lat, lng } = input;
  const fields: Record<string, string> = {};
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) fields.lat = "Latitude must be between -90 and 90.";
  if (!Number.isFinite(lng) || lng < -180 || lng > 180)
    fields.lng = "Longitude must be between -180 and 180.";
  if (Object.keys(fields).length) throw invalid(fields, "The position could not be read.");
  const accuracy = input.accuracy;
  return {
    lat,
    lng,
    accuracyM:
      accuracy !== undefined && Number.isFinite(accuracy) && accuracy >= 0
        ? Math.min(100_000, Math.round(accuracy))
        : null,
  };
}

export type PositionOutcome = "stored" | "off_shift";

/**
 * The phone's report of where the signed-in technician is. Refused without consent; ignored off
 * shift (the phone may stay on the page after hours). Always the technician's own position.
 */
export async function recordPosition(
  ctx: Ctx,
  input: { lat: number; lng: number; accuracy?: number },
): Promise<PositionOutcome> {
  const userId = requireTechnician(ctx);
  const orgId = ctx.actor.orgId;
  const position = validPosition(input);
  return ctx.db.transaction(async (tx) => {
    const [consent] = await tx
      .select()
      .from(technicianLocations)
      .where(and(eq(technicianLocations.orgId, orgId), eq(technicianLocations.userId, userId)))
      .for("update");
    if (!consent?.sharing) throw conflict("Tick “Share my location” first; nothing was stored.");
    if (!(await onShift(tx, orgId, userId, ctx.now))) return "off_shift";
    // A report delayed on a slow network must not replace a newer one.
    if (!consent.recordedAt || consent.recordedAt <= ctx.now) {
      await tx
        .update(technicianLocations)
        .set({ ...position, recordedAt: ctx.now })
        .where(and(eq(technicianLocations.orgId, orgId), eq(technicianLocations.userId, userId)));
    }
    const [recent] = await tx
      .select({ id: technicianTrail.id })
      .from(technicianTrail)
      .where(
        and(
          eq(technicianTrail.orgId, orgId),
          eq(technicianTrail.userId, userId),
          gte(technicianTrail.recordedAt, new Date(ctx.now.getTime() - TRAIL_MIN_GAP_MS)),
        ),
      )
      .limit(1);
    if (!recent) await tx.insert(technicianTrail).values({ orgId, userId, ...position, recordedAt: ctx.now });
    await announcePosition(tx, orgId, userId);
    return "stored";
  });
}

/**
 * Tells the dispatch boards that a position moved. Not an event in the log: a position every minute
 * per technician is not history anyone reads, so only the live announcement goes out.
 */
async function announcePosition(tx: DbOrTx, orgId: string, userId: string) {
  const live: LiveEvent = {
    orgId,
    seq: 0,
    type: "technician.position",
    ticketId: null,
    actorUserId: userId,
  };
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(live)})`);
}

/** The last known position of a technician who shares it, if it is fresh enough to navigate by. */
export async function freshPosition(
  db: DbOrTx,
  orgId: string,
  userId: string,
  now: Date,
): Promise<Position | null> {
  const [row] = await db
    .select()
    .from(technicianLocations)
    .where(
      and(
        eq(technicianLocations.orgId, orgId),
        eq(technicianLocations.userId, userId),
        eq(technicianLocations.sharing, true),
        gte(technicianLocations.recordedAt, new Date(now.getTime() - FRESH_POSITION_MS)),
      ),
    );
  if (!row || row.lat === null || row.lng === null || !row.recordedAt) return null;
  return { lat: row.lat, lng: row.lng, accuracyM: row.accuracyM, recordedAt: row.recordedAt };
}

export interface TechnicianPosition extends Position {
  userId: string;
  name: string;
}

/**
 * Every sharing technician's last position, for the dispatch board's map: only one reported in
 * the current shift window and in the last two hours, whichever is shorter, so yesterday's spot or
 * the morning's is never shown as where someone is. Off shift, only a technician on a visit.
 */
export async function lastPositions(ctx: Ctx): Promise<TechnicianPosition[]> {
  requirePermission(ctx.actor, "fsm.read");
  const orgId = ctx.actor.orgId;
  const rows = await ctx.db
    .select({
      userId: technicianLocations.userId,
      name: users.name,
      lat: technicianLocations.lat,
      lng: technicianLocations.lng,
      accuracyM: technicianLocations.accuracyM,
      recordedAt: technicianLocations.recordedAt,
      shift: {
        start: technicians.workStartMinute,
        end: technicians.workEndMinute,
        days: technicians.workDays,
      },
    })
    .from(technicianLocations)
    .innerJoin(
      users,
      and(eq(users.orgId, technicianLocations.orgId), eq(users.id, technicianLocations.userId)),
    )
    .innerJoin(
      technicians,
      and(
        eq(technicians.orgId, technicianLocations.orgId),
        eq(technicians.userId, technicianLocations.userId),
      ),
    )
    .where(
      and(
        eq(technicianLocations.orgId, orgId),
        eq(technicianLocations.sharing, true),
        eq(users.active, true),
        gte(technicianLocations.recordedAt, new Date(ctx.now.getTime() - SHOWN_POSITION_MS)),
      ),
    )
    .orderBy(asc(users.name));
  if (rows.length === 0) return [];
  const timeZone = await organizationTimeZone(ctx.db, orgId);
  const windowStarts = new Map(rows.map((r) => [r.userId, shiftWindowStart(r.shift, ctx.now, timeZone)]));
  const busy = await busyTechnicians(
    ctx.db,
    orgId,
    rows.filter((r) => !windowStarts.get(r.userId)).map((r) => r.userId),
  );
  return rows.flatMap(({ shift: _, ...r }) => {
    const windowStart = windowStarts.get(r.userId);
    const inWindow = r.recordedAt && (windowStart ? r.recordedAt >= windowStart : busy.has(r.userId));
    return inWindow && r.lat !== null && r.lng !== null && r.recordedAt
      ? [{ ...r, lat: r.lat, lng: r.lng, recordedAt: r.recordedAt }]
      : [];
  });
}

/** One technician's trail on a day ("2026-11-23", the organization's calendar), oldest first. */
export async function technicianTrailOn(ctx: Ctx, userId: string, day: string) {
  requirePermission(ctx.actor, "fsm.manage");
  if (!isUuid(userId) || !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw notFound("That technician");
  const [tech] = await ctx.db
    .select({ name: users.name })
    .from(technicians)
    .innerJoin(users, and(eq(users.orgId, technicians.orgId), eq(users.id, technicians.userId)))
    .where(and(eq(technicians.orgId, ctx.actor.orgId), eq(technicians.userId, userId)));
  if (!tech) throw notFound("That technician");
  const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
  const noon = localToInstant(`${day}T12:00`, timeZone);
  if (!noon || Number.isNaN(noon.getTime())) throw notFound("That technician");
  const from = startOfDay(noon, timeZone);
  const to = startOfDay(new Date(from.getTime() + 36 * 3600_000), timeZone);
  const points = await ctx.db
    .select({
      lat: technicianTrail.lat,
      lng: technicianTrail.lng,
      accuracyM: technicianTrail.accuracyM,
      recordedAt: technicianTrail.recordedAt,
    })
    .from(technicianTrail)
    .where(
      and(
        eq(technicianTrail.orgId, ctx.actor.orgId),
        eq(technicianTrail.userId, userId),
        gte(technicianTrail.recordedAt, from),
        lt(technicianTrail.recordedAt, to),
      ),
    )
    .orderBy(asc(technicianTrail.recordedAt))
    .limit(5000);
  return { name: tech.name, points };
}

/** The hourly clean-up: trails older than the retention go. */
export async function deleteOldTrail(db: DbOrTx, before: Date): Promise<void> {
  await db.delete(technicianTrail).where(lt(technicianTrail.recordedAt, before));
}
