// Assigning a visit from the dispatch board: the server checks the technician can take it and
// answers with the conflicts instead of silently accepting; the dispatcher may override them.
import { and, eq, ne, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { appointments, appointmentTechnicians, technicians, users } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { conflict, type FieldErrors, invalid } from "../errors";
import { appendEvent } from "../events/log";
import { instantToLocal, startOfDay } from "../fsm/field";
import { queueConfirmation } from "../fsm/notices";
import { TECHNICIAN_DEFAULTS } from "../fsm/technicians";
import { notifyVisitChange } from "../fsm/visitNotices";
import { certificationValid, findAppointment, findWorkOrder, setWorkOrderStatus } from "../fsm/workOrders";
import { organizationTimeZone } from "../orgs/resolve";
import { DEFAULT_ROAD_FACTOR, DEFAULT_SPEED_KMH, haversineKm } from "../routing/travel";
import { isUuid } from "../tickets/rules";

export type ConflictKind = "skill" | "certification" | "shift" | "overlap" | "travel" | "max_jobs";
export interface Conflict {
  kind: ConflictKind;
  message: string;
}

/** Visits a technician has started or finished stay where they are. */
export const LOCKED_APPOINTMENT_STATUSES = ["travelling", "on_site", "completed"] as const;

export interface AssignInput {
  workOrderNumber: number;
  technicianUserId: string;
  startsAt: Date | undefined;
  minutes: number;
  /** Moving an existing visit rather than adding one. */
  appointmentId?: string;
  /** Accept despite the conflicts; they are recorded in the event. */
  override?: boolean;
}

export type AssignResult = { ok: true; appointmentId: string } | { ok: false; conflicts: Conflict[] };

export type Tx = Parameters<Parameters<Ctx["db"]["transaction"]>[0]>[0];

/** Minutes of driving between two points at the straight-line speed the optimizer uses by default. */
export function travelMinutes(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  return Math.ceil(
    ((haversineKm({ lat: a.lat, lon: a.lng }, { lat: b.lat, lon: b.lng }) * DEFAULT_ROAD_FACTOR) /
      DEFAULT_SPEED_KMH) *
      60,
  );
}

function validate(input: AssignInput): void {
  const fields: FieldErrors = {};
  if (!input.startsAt || Number.isNaN(input.startsAt.getTime()))
    fields.startsAt = "Enter when the visit starts.";
  if (!Number.isInteger(input.minutes) || input.minutes <= 0 || input.minutes > 24 * 60)
    fields.minutes = "Enter the visit's length in minutes (1 to 1440).";
  if (!isUuid(input.technicianUserId)) fields.technicianId = "Choose a technician from the list.";
  if (Object.keys(fields).length) throw invalid(fields);
}

type Technician = Omit<Awaited<ReturnType<typeof lockTechnician>>, "id"> & { id: string | null };

async function lockTechnician(tx: Tx, ctx: Ctx, userId: string) {
  // Locking the technician's row serializes assignments to one technician, so two dispatchers
  // cannot both fill the same free hour.
  const [tech] = await tx
    .select({
      id: technicians.id,
      name: users.name,
      workStartMinute: technicians.workStartMinute,
      workEndMinute: technicians.workEndMinute,
      workDays: technicians.workDays,
      maxJobsPerDay: technicians.maxJobsPerDay,
      homeLat: technicians.homeLat,
      homeLng: technicians.homeLng,
    })
    .from(technicians)
    .innerJoin(users, and(eq(users.orgId, technicians.orgId), eq(users.id, technicians.userId)))
    .where(
      and(eq(technicians.orgId, ctx.actor.orgId), eq(technicians.userId, userId), eq(users.active, true)),
    )
    .for("update", { of: technicians });
  if (!tech) throw invalid({ technicianId: "Choose a technician from the list." });
  return tech;
}

async function skillConflicts(tx: Tx, ctx: Ctx, workOrderId: string, technicianId: string, today: string) {
  const rows = rowsOf<{ name: string; min_level: number; level: number | null; expires_on: string | null }>(
    await tx.execute(sql`
      select s.name, r.min_level, ts.level,
        (select max(c.expires_on)::text from certifications c
          where c.org_id = r.org_id and c.technician_id = ${technicianId} and lower(c.name) = lower(s.name)) as expires_on
      from work_order_skills r
      join skills s on s.org_id = r.org_id and s.id = r.skill_id
      left join technician_skills ts on ts.org_id = r.org_id and ts.technician_id = ${technicianId}
        and ts.skill_id = r.skill_id
      where r.org_id = ${ctx.actor.orgId} and r.work_order_id = ${workOrderId}
      order by s.name`),
  );
  const found: Conflict[] = [];
  for (const r of rows) {
    if (r.level === null || r.level < r.min_level)
      found.push({ kind: "skill", message: `Missing skill ${r.name} (level ${r.min_level} needed).` });
    else if (r.expires_on !== null && !certificationValid(r.expires_on, today))
      found.push({ kind: "certification", message: `Certification ${r.name} expired on ${r.expires_on}.` });
  }
  return found;
}

interface DayVisit {
  id: string;
  number: number;
  startsAt: Date;
  endsAt: Date;
  lat: number | null;
  lng: number | null;
}

async function dayVisits(tx: Tx, ctx: Ctx, userId: string, from: Date, to: Date, except?: string) {
  const rows = rowsOf<{
    id: string;
    number: number;
    starts_at: string | Date;
    ends_at: string | Date;
    lat: number | null;
    lng: number | null;
  }>(
    await tx.execute(sql`
      select a.id, w.number, a.starts_at, a.ends_at, l.lat, l.lng
      from appointment_technicians at
      join appointments a on a.org_id = at.org_id and a.id = at.appointment_id
      join work_orders w on w.org_id = a.org_id and w.id = a.work_order_id
      left join service_locations l on l.org_id = w.org_id and l.id = w.location_id
      where at.org_id = ${ctx.actor.orgId} and at.user_id = ${userId}
        and a.status <> 'cannot_complete' and a.starts_at < ${to.toISOString()} and a.ends_at > ${from.toISOString()}
        and a.id <> ${except ?? "00000000-0000-0000-0000-000000000000"}
      order by a.starts_at`),
  );
  return rows.map<DayVisit>((r) => ({
    id: r.id,
    number: r.number,
    startsAt: new Date(r.starts_at),
    endsAt: new Date(r.ends_at),
    lat: r.lat,
    lng: r.lng,
  }));
}

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

function timeConflicts(
  tech: Technician,
  visits: DayVisit[],
  slot: {
    startsAt: Date;
    endsAt: Date;
    dayStart: Date;
    weekday: number;
    here: { lat: number; lng: number } | null;
  },
): Conflict[] {
  const found: Conflict[] = [];
  const startMinute = Math.round((slot.startsAt.getTime() - slot.dayStart.getTime()) / 60_000);
  const endMinute = Math.round((slot.endsAt.getTime() - slot.dayStart.getTime()) / 60_000);
  if (!tech.workDays.includes(slot.weekday))
    found.push({ kind: "shift", message: `${tech.name} does not work on this weekday.` });
  else if (startMinute < tech.workStartMinute || endMinute > tech.workEndMinute)
    found.push({
      kind: "shift",
      message: `Outside ${tech.name}'s shift (${hhmm(tech.workStartMinute)}–${hhmm(tech.workEndMinute)}).`,
    });
  for (const v of visits) {
    if (v.startsAt < slot.endsAt && v.endsAt > slot.startsAt)
      found.push({ kind: "overlap", message: `Overlaps WO-${String(v.number).padStart(6, "0")}.` });
  }
  const before = visits.filter((v) => v.endsAt <= slot.startsAt).at(-1);
  const after = visits.find((v) => v.startsAt >= slot.endsAt);
  for (const [from, to, other] of [
    [before?.endsAt, slot.startsAt, before],
    [slot.endsAt, after?.startsAt, after],
  ] as const) {
    if (!other || !from || !to || !slot.here || other.lat === null || other.lng === null) continue;
    const needed = travelMinutes(slot.here, { lat: other.lat, lng: other.lng });
    const gap = Math.floor((to.getTime() - from.getTime()) / 60_000);
    if (needed > gap)
      found.push({
        kind: "travel",
        message: `Needs ${needed} min to travel ${other === before ? "from" : "to"} WO-${String(other.number).padStart(6, "0")}; the gap is ${gap} min.`,
      });
  }
  if (visits.length + 1 > tech.maxJobsPerDay)
    found.push({
      kind: "max_jobs",
      message: `${tech.name} already has ${visits.length} visits (at most ${tech.maxJobsPerDay}).`,
    });
  return found;
}

/**
 * What stands against a technician taking a visit from startsAt to endsAt: the skills and
 * certifications the work order needs, their working day and shift, overlapping visits, travel
 * from and to the neighbouring ones, and their most jobs a day. Locks the technician's profile.
 * The board refuses a technician without a profile; the work order page (`withoutProfile:
 * "defaults"`) checks one against the default profile instead.
 */
export async function visitConflicts(
  tx: Tx,
  ctx: Ctx,
  slot: {
    workOrder: { id: string; locationId: string | null };
    technicianUserId: string;
    startsAt: Date;
    endsAt: Date;
    timeZone: string;
    /** A visit being moved: not in its own way. */
    except?: string;
    withoutProfile?: "refuse" | "defaults";
  },
): Promise<Conflict[]> {
  const { startsAt, endsAt, timeZone, workOrder } = slot;
  const tech =
    slot.withoutProfile === "defaults"
      ? await technicianOrDefaults(tx, ctx, slot.technicianUserId)
      : await lockTechnician(tx, ctx, slot.technicianUserId);
  const dayStart = startOfDay(startsAt, timeZone);
  const dayEnd = startOfDay(new Date(dayStart.getTime() + 36 * 3600_000), timeZone);
  const today = instantToLocal(dayStart, timeZone).slice(0, 10);
  const weekday = ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  const [location] = rowsOf<{ lat: number | null; lng: number | null }>(
    await tx.execute(sql`select lat, lng from service_locations
      where org_id = ${ctx.actor.orgId} and id = ${workOrder.locationId ?? "00000000-0000-0000-0000-000000000000"}`),
  );
  const here =
    location?.lat != null && location.lng != null ? { lat: location.lat, lng: location.lng } : null;
  const visits = await dayVisits(tx, ctx, slot.technicianUserId, dayStart, dayEnd, slot.except);
  return [
    ...(tech.id ? await skillConflicts(tx, ctx, workOrder.id, tech.id, today) : []),
    ...timeConflicts(tech, visits, { startsAt, endsAt, dayStart, weekday, here }),
  ];
}

/** The technician's profile, locked, or the default one for a technician who has none yet. */
async function technicianOrDefaults(tx: Tx, ctx: Ctx, userId: string): Promise<Technician> {
  const [profile] = await tx
    .select({ id: technicians.id })
    .from(technicians)
    .where(and(eq(technicians.orgId, ctx.actor.orgId), eq(technicians.userId, userId)));
  if (profile) return lockTechnician(tx, ctx, userId);
  const [user] = await tx
    .select({ name: users.name })
    .from(users)
    .where(and(eq(users.orgId, ctx.actor.orgId), eq(users.id, userId)));
  return {
    id: null,
    name: user?.name ?? "The technician",
    ...TECHNICIAN_DEFAULTS,
    homeLat: null,
    homeLng: null,
  };
}

/**
 * Adds a visit for one technician, or moves an existing one to another technician or time.
 * Returns the conflicts (skills, certifications, shift, overlaps, travel, jobs per day) without
 * changing anything unless the dispatcher overrides them; an override is recorded in the event.
 */
export async function assignVisit(ctx: Ctx, input: AssignInput): Promise<AssignResult> {
  requirePermission(ctx.actor, "fsm.manage");
  validate(input);
  const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
  const startsAt = input.startsAt!;
  const endsAt = new Date(startsAt.getTime() + input.minutes * 60_000);
  return ctx.db.transaction(async (tx) => {
    const wo = await findWorkOrder(tx, ctx, input.workOrderNumber, { forUpdate: true });
    if (wo.status === "closed" || wo.status === "cancelled" || wo.status === "completed")
      throw conflict("This work order is finished; it takes no new visits.");
    const moving = input.appointmentId
      ? await findAppointment(tx, ctx, input.appointmentId, { forUpdate: true })
      : undefined;
    if (moving && moving.workOrderId !== wo.id) throw conflict("That visit belongs to another work order.");
    if (moving && (LOCKED_APPOINTMENT_STATUSES as readonly string[]).includes(moving.status))
      throw conflict("This visit has started; it stays where it is.");
    const conflicts = await visitConflicts(tx, ctx, {
      workOrder: wo,
      technicianUserId: input.technicianUserId,
      startsAt,
      endsAt,
      timeZone,
      except: moving?.id,
    });
    if (conflicts.length && !input.override) return { ok: false, conflicts };
    const appointmentId = moving
      ? await moveAppointment(tx, ctx, moving.id, input.technicianUserId, startsAt, endsAt)
      : await insertAppointment(tx, ctx, wo.id, input.technicianUserId, startsAt, endsAt);
    const seq = await appendEvent(tx, ctx, {
      type: moving ? "appointment.moved" : "work_order.scheduled",
      ticketId: wo.ticketId,
      data: {
        workOrderId: wo.id,
        number: wo.number,
        appointmentId,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        technicianIds: [input.technicianUserId],
        ...(moving
          ? { from: { startsAt: moving.startsAt.toISOString(), endsAt: moving.endsAt.toISOString() } }
          : {}),
        ...(conflicts.length ? { overriddenConflicts: conflicts } : {}),
      },
    });
    await queueConfirmation(tx, ctx, appointmentId, seq);
    if (wo.status === "new" || wo.status === "cannot_complete")
      await setWorkOrderStatus(tx, ctx, wo, "scheduled");
    return { ok: true, appointmentId };
  });
}

export async function insertAppointment(
  tx: Tx,
  ctx: Ctx,
  workOrderId: string,
  userId: string,
  startsAt: Date,
  endsAt: Date,
) {
  const [row] = await tx
    .insert(appointments)
    .values({ orgId: ctx.actor.orgId, workOrderId, startsAt, endsAt, createdAt: ctx.now, updatedAt: ctx.now })
    .returning({ id: appointments.id });
  await tx.insert(appointmentTechnicians).values({ orgId: ctx.actor.orgId, appointmentId: row.id, userId });
  await notifyVisitChange(tx, ctx, row.id, { assigned: [userId] });
  return row.id;
}

/** Sets a visit's time and makes it one technician's (the board moves visits between rows). */
export async function moveAppointment(
  tx: Tx,
  ctx: Ctx,
  id: string,
  userId: string,
  startsAt: Date,
  endsAt: Date,
) {
  const orgId = ctx.actor.orgId;
  const [before] = await tx
    .select({ startsAt: appointments.startsAt, endsAt: appointments.endsAt })
    .from(appointments)
    .where(and(eq(appointments.orgId, orgId), eq(appointments.id, id)));
  await tx
    .update(appointments)
    .set({ startsAt, endsAt, updatedAt: ctx.now })
    .where(and(eq(appointments.orgId, orgId), eq(appointments.id, id)));
  // The board moves a visit between rows: it then belongs to that one technician.
  const removed = await tx
    .delete(appointmentTechnicians)
    .where(
      and(
        eq(appointmentTechnicians.orgId, orgId),
        eq(appointmentTechnicians.appointmentId, id),
        ne(appointmentTechnicians.userId, userId),
      ),
    )
    .returning({ userId: appointmentTechnicians.userId });
  const added = await tx
    .insert(appointmentTechnicians)
    .values({ orgId, appointmentId: id, userId })
    .onConflictDoNothing()
    .returning({ userId: appointmentTechnicians.userId });
  const retimed =
    before?.startsAt.getTime() !== startsAt.getTime() || before?.endsAt.getTime() !== endsAt.getTime();
  await notifyVisitChange(tx, ctx, id, {
    assigned: added.length ? [userId] : [],
    moved: !added.length && retimed ? [userId] : [],
    removed: removed.map((r) => r.userId),
  });
  return id;
}
