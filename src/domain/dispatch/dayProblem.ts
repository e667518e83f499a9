// "Optimize this day", step one: read the day's technicians and work from the database into a plain
// problem the optimizer can take. Started or finished visits are locked (technician and time kept);
// booked visits may move within a set distance of their time; waiting work orders of the technicians'
// zones fill the gaps. Times are seconds after local midnight of the day.
import { type SQL, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import type { AppointmentStatus, WorkOrderPriority } from "../../../db/schema";
import type { Ctx } from "../context";
import type { DbOrTx } from "../events/log";
import { localToInstant, startOfDay } from "../fsm/field";
import { certificationValid } from "../fsm/workOrders";
import { LOCKED_APPOINTMENT_STATUSES } from "./assign";

export interface DayTechnician {
  userId: string;
  technicianId: string;
  name: string;
  zoneId: string | null;
  /** Home base (or the zone's centre when no home is recorded): start and end of the day. */
  home: { lat: number; lng: number };
  shiftStart: number;
  shiftEnd: number;
  /** "skillId@level" for every level up to the one held, so a job needing level 2 matches 2 and above. */
  skills: string[];
  maxJobs: number;
}

export type DayJobKind = "locked" | "booked" | "unassigned" | "waiting";

export interface DayJob {
  /** The optimizer's id: "a:<appointment>", "a:<appointment>:<user>" for a crew member's copy, "w:<work order>". */
  key: string;
  kind: DayJobKind;
  appointmentId: string | null;
  workOrderId: string;
  ticketId: string | null;
  number: number;
  subject: string;
  priority: WorkOrderPriority;
  status: AppointmentStatus | null;
  point: { lat: number; lng: number };
  duration: number;
  /** Where the visit is now, if booked: its technicians and times. */
  current: { userIds: string[]; start: number; end: number } | null;
  windows: { start: number; end: number }[] | null;
  skills: string[];
  lock: { userId: string; start: number } | null;
}

/** Work that could not enter the problem, with why (shown with the proposal). */
export interface SkippedWork {
  number: number;
  subject: string;
  reason: string;
}

export interface DayProblem {
  day: string;
  timeZone: string;
  /** Local midnight of the day, as an instant (ISO). */
  dayStart: string;
  technicians: DayTechnician[];
  jobs: DayJob[];
  skipped: SkippedWork[];
  /** Chosen technicians left out of the run, e.g. not working that weekday. */
  absent: { userId: string; name: string; reason: string }[];
}

/**
 * The data version a run is based on: each appointment's and waiting work order's version
 * (updated_at in microseconds) and the chosen technicians' visits of the day. Apply compares it.
 */
export interface DataBasis {
  appointments: Record<string, string>;
  workOrders: Record<string, string>;
}

export interface DaySelection {
  day: string;
  /** Chosen technicians' users; empty = every technician matching the zone and team. */
  userIds: string[];
  zoneId?: string;
  teamId?: string;
  /** How far a booked visit may move from its time, in minutes; null = anywhere in the day. */
  flexMinutes: number | null;
}

/** Weights the optimizer gives each priority: an urgent job outweighs several low ones. */
export const PRIORITY_WEIGHT: Record<WorkOrderPriority, number> = { low: 1, normal: 2, high: 4, urgent: 8 };
/** A waiting work order with no service lines on it is planned at the board's default length. */
export const DEFAULT_VISIT_MINUTES = 120;
/** More waiting work than this in the chosen zones is left to a later run, most urgent first. */
const WAITING_LIMIT = 500;
const DAY_SECONDS = 86_400;

const uuidList = (ids: readonly string[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
const secondsBetween = (from: Date, at: unknown) =>
  Math.round((new Date(at as string).getTime() - from.getTime()) / 1000);

export function dayBounds(day: string, timeZone: string) {
  const start = startOfDay(localToInstant(`${day}T12:00`, timeZone)!, timeZone);
  const end = startOfDay(new Date(start.getTime() + 36 * 3600_000), timeZone);
  const weekday = ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  return { start, end, weekday };
}

async function chosenTechnicians(db: DbOrTx, orgId: string, selection: DaySelection, weekday: number) {
  const ids = selection.userIds;
  const filter =
    ids.length > 0
      ? sql`t.user_id in (${uuidList(ids)})`
      : sql`(${selection.zoneId ?? null}::uuid is null or t.zone_id = ${selection.zoneId ?? null}::uuid)
          and (${selection.teamId ?? null}::uuid is null or exists (select 1 from team_members m
            where m.org_id = t.org_id and m.user_id = t.user_id and m.team_id = ${selection.teamId ?? null}::uuid))`;
  return rowsOf<{
    id: string;
    user_id: string;
    name: string;
    zone_id: string | null;
    lat: number | null;
    lng: number | null;
    work_start_minute: number;
    work_end_minute: number;
    max_jobs_per_day: number;
    works: boolean;
  }>(
    await db.execute(sql`
      select t.id, t.user_id, u.name, t.zone_id, coalesce(t.home_lat, z.lat) as lat,
        coalesce(t.home_lng, z.lng) as lng, t.work_start_minute, t.work_end_minute, t.max_jobs_per_day,
        ${weekday}::int = any(t.work_days) as works
      from technicians t
      join users u on u.org_id = t.org_id and u.id = t.user_id and u.active
      left join zones z on z.org_id = t.org_id and z.id = t.zone_id
      where t.org_id = ${orgId} and ${filter}
      order by u.name, t.user_id`),
  );
}

/** Skill tokens per technician; a skill whose same-named certification expired before the day is dropped. */
async function skillTokens(db: DbOrTx, orgId: string, technicianIds: string[], day: string) {
  const tokens = new Map<string, string[]>();
  if (technicianIds.length === 0) return tokens;
  const rows = rowsOf<{ technician_id: string; skill_id: string; level: number; expires_on: string | null }>(
    await db.execute(sql`
      select ts.technician_id, ts.skill_id, ts.level,
        (select max(c.expires_on)::text from certifications c where c.org_id = ts.org_id
          and c.technician_id = ts.technician_id and lower(c.name) = lower(s.name)) as expires_on
      from technician_skills ts
      join skills s on s.org_id = ts.org_id and s.id = ts.skill_id
      where ts.org_id = ${orgId} and ts.technician_id in (${uuidList(technicianIds)})`),
  );
  for (const r of rows) {
    if (!certificationValid(r.expires_on, day)) continue;
    const list = tokens.get(r.technician_id) ?? [];
    for (let level = 1; level <= r.level; level++) list.push(`${r.skill_id}@${level}`);
    tokens.set(r.technician_id, list);
  }
  return tokens;
}

async function requiredSkills(db: DbOrTx, orgId: string, workOrderIds: string[]) {
  const required = new Map<string, string[]>();
  if (workOrderIds.length === 0) return required;
  const rows = rowsOf<{ work_order_id: string; skill_id: string; min_level: number }>(
    await db.execute(sql`select work_order_id, skill_id, min_level from work_order_skills
      where org_id = ${orgId} and work_order_id in (${uuidList([...new Set(workOrderIds)])})`),
  );
  for (const r of rows)
    required.set(r.work_order_id, [...(required.get(r.work_order_id) ?? []), `${r.skill_id}@${r.min_level}`]);
  return required;
}

interface VisitRow {
  id: string;
  work_order_id: string;
  ticket_id: string | null;
  number: number;
  subject: string;
  priority: WorkOrderPriority;
  status: AppointmentStatus;
  starts_at: string | Date;
  ends_at: string | Date;
  version: string;
  lat: number | null;
  lng: number | null;
  crew: string;
}

/**
 * The day's visits of the chosen technicians, and visits of the day nobody is assigned to in their
 * zones. `crew` is the comma-joined user ids (joined in SQL so both drivers answer alike).
 */
export async function dayVisits(
  db: DbOrTx,
  orgId: string,
  bounds: { start: Date; end: Date },
  userIds: string[],
  zoneIds: string[],
  options: { forUpdate?: boolean } = {},
) {
  if (userIds.length === 0) return [];
  const unassignedInZones =
    zoneIds.length > 0
      ? sql`or (l.zone_id in (${uuidList(zoneIds)}) and a.status in ('scheduled', 'dispatched')
          and w.status not in ('completed', 'closed', 'cancelled')
          and not exists (select 1 from appointment_technicians x where x.org_id = a.org_id and x.appointment_id = a.id))`
      : sql``;
  return rowsOf<VisitRow>(
    await db.execute(sql`
      select a.id, a.work_order_id, w.ticket_id, w.number, w.subject, w.priority, a.status, a.starts_at,
        a.ends_at, (extract(epoch from a.updated_at) * 1000000)::bigint::text as version, l.lat, l.lng,
        array_to_string(array(select x.user_id::text from appointment_technicians x
          where x.org_id = a.org_id and x.appointment_id = a.id order by x.user_id), ',') as crew
      from appointments a
      join work_orders w on w.org_id = a.org_id and w.id = a.work_order_id
      left join service_locations l on l.org_id = w.org_id and l.id = w.location_id
      where a.org_id = ${orgId} and a.status <> 'cannot_complete'
        and a.starts_at >= ${bounds.start.toISOString()}::timestamptz
        and a.starts_at < ${bounds.end.toISOString()}::timestamptz
        and (exists (select 1 from appointment_technicians x where x.org_id = a.org_id
          and x.appointment_id = a.id and x.user_id in (${uuidList(userIds)})) ${unassignedInZones})
      order by a.starts_at, a.id
      ${options.forUpdate ? sql`for update of a` : sql``}`),
  );
}

interface WaitingRow {
  id: string;
  ticket_id: string | null;
  number: number;
  subject: string;
  priority: WorkOrderPriority;
  version: string;
  lat: number | null;
  lng: number | null;
  service_minutes: number | string;
}

/** Work orders waiting for a visit (the board's queue) in the given zones, most urgent and oldest first. */
export async function waitingWorkOrders(
  db: DbOrTx,
  orgId: string,
  zoneIds: string[],
  options: { ids?: string[]; forUpdate?: boolean } = {},
) {
  if (zoneIds.length === 0 && !options.ids) return [];
  const which = options.ids
    ? options.ids.length > 0
      ? sql`w.id in (${uuidList(options.ids)})`
      : sql`false`
    : sql`l.zone_id in (${uuidList(zoneIds)}) and w.status in ('new', 'cannot_complete')
        and not exists (select 1 from appointments a where a.org_id = w.org_id and a.work_order_id = w.id
          and a.status not in ('completed', 'cannot_complete'))`;
  return rowsOf<WaitingRow>(
    await db.execute(sql`
      select w.id, w.ticket_id, w.number, w.subject, w.priority,
        (extract(epoch from w.updated_at) * 1000000)::bigint::text as version, l.lat, l.lng,
        coalesce((select sum(s.duration_minutes * li.quantity) from work_order_line_items li
          join services s on s.org_id = li.org_id and s.id = li.service_id
          where li.org_id = w.org_id and li.work_order_id = w.id and li.kind = 'service'), 0) as service_minutes
      from work_orders w
      left join service_locations l on l.org_id = w.org_id and l.id = w.location_id
      where w.org_id = ${orgId} and ${which}
      order by array_position(array['urgent','high','normal','low'], w.priority), w.created_at, w.id
      limit ${WAITING_LIMIT}
      ${options.forUpdate ? sql`for update of w` : sql``}`),
  );
}

/** Seconds after midnight before which nothing new may be planned: now, on the current day. */
function earliestPlannable(dayStart: Date, now: Date): number {
  const since = Math.ceil((now.getTime() - dayStart.getTime()) / 1000);
  return Math.max(0, since);
}

function bookedWindow(start: number, notBefore: number, flexMinutes: number | null) {
  if (flexMinutes === null) return [{ start: notBefore, end: 2 * DAY_SECONDS }];
  const flex = flexMinutes * 60;
  const anchor = Math.max(start, notBefore);
  return [{ start: Math.max(notBefore, start - flex), end: anchor + flex }];
}

function visitJobs(
  row: VisitRow,
  chosen: Set<string>,
  dayStart: Date,
  notBefore: number,
  flexMinutes: number | null,
  skills: string[],
): DayJob[] {
  const crew = row.crew ? row.crew.split(",") : [];
  const start = secondsBetween(dayStart, row.starts_at);
  const end = secondsBetween(dayStart, row.ends_at);
  const base = {
    appointmentId: row.id,
    workOrderId: row.work_order_id,
    ticketId: row.ticket_id,
    number: row.number,
    subject: row.subject,
    priority: row.priority,
    status: row.status,
    point: { lat: row.lat!, lng: row.lng! },
    duration: end - start,
    current: crew.length ? { userIds: crew, start, end } : null,
    skills,
  };
  const started = (LOCKED_APPOINTMENT_STATUSES as readonly string[]).includes(row.status);
  // Started or finished visits, and visits of a crew (the optimizer plans one technician per job),
  // keep their technicians and time: a copy per chosen crew member holds that time in their day.
  if (started || crew.length > 1)
    return crew
      .filter((userId) => chosen.has(userId))
      .map((userId) => ({
        ...base,
        key: crew.length > 1 ? `a:${row.id}:${userId}` : `a:${row.id}`,
        kind: "locked" as const,
        windows: null,
        lock: { userId, start },
      }));
  return [
    {
      ...base,
      key: `a:${row.id}`,
      kind: crew.length ? "booked" : "unassigned",
      windows: bookedWindow(start, notBefore, flexMinutes),
      lock: null,
    },
  ];
}

/**
 * Reads the problem for a day and the chosen technicians, and the data version it is based on.
 * Days before today cannot be optimized (the caller checks); on today nothing new is planned
 * before `ctx.now`.
 */
export async function loadDayProblem(
  ctx: Ctx,
  selection: DaySelection,
  timeZone: string,
  /** The caller's transaction, so every read sees one snapshot. */
  db: DbOrTx = ctx.db,
): Promise<{ problem: DayProblem; basis: DataBasis }> {
  const orgId = ctx.actor.orgId;
  const bounds = dayBounds(selection.day, timeZone);
  const notBefore = earliestPlannable(bounds.start, ctx.now);
  const techRows = await chosenTechnicians(db, orgId, selection, bounds.weekday);
  const absent: DayProblem["absent"] = [];
  const working = techRows.filter((t) => {
    if (!t.works) absent.push({ userId: t.user_id, name: t.name, reason: "Does not work on this weekday." });
    else if (t.lat === null || t.lng === null)
      absent.push({ userId: t.user_id, name: t.name, reason: "Has no home base or zone to start from." });
    return t.works && t.lat !== null && t.lng !== null;
  });
  const tokens = await skillTokens(
    db,
    orgId,
    working.map((t) => t.id),
    selection.day,
  );
  const technicians: DayTechnician[] = working.map((t) => ({
    userId: t.user_id,
    technicianId: t.id,
    name: t.name,
    zoneId: t.zone_id,
    home: { lat: t.lat!, lng: t.lng! },
    shiftStart: t.work_start_minute * 60,
    shiftEnd: t.work_end_minute * 60,
    skills: tokens.get(t.id) ?? [],
    maxJobs: t.max_jobs_per_day,
  }));
  const userIds = technicians.map((t) => t.userId);
  const zoneIds = [...new Set(technicians.flatMap((t) => (t.zoneId ? [t.zoneId] : [])))];
  const [visits, waiting] = await Promise.all([
    dayVisits(db, orgId, bounds, userIds, zoneIds),
    waitingWorkOrders(db, orgId, zoneIds),
  ]);
  const skills = await requiredSkills(db, orgId, [
    ...visits.map((v) => v.work_order_id),
    ...waiting.map((w) => w.id),
  ]);
  const chosen = new Set(userIds);
  const jobs: DayJob[] = [];
  const skipped: SkippedWork[] = [];
  const basis: DataBasis = { appointments: {}, workOrders: {} };
  for (const v of visits) {
    basis.appointments[v.id] = v.version;
    if (v.lat === null || v.lng === null) {
      skipped.push({
        number: v.number,
        subject: v.subject,
        reason: "Its service location has no coordinates.",
      });
      continue;
    }
    jobs.push(
      ...visitJobs(
        v,
        chosen,
        bounds.start,
        notBefore,
        selection.flexMinutes,
        skills.get(v.work_order_id) ?? [],
      ),
    );
  }
  for (const w of waiting) {
    basis.workOrders[w.id] = w.version;
    if (w.lat === null || w.lng === null) {
      skipped.push({
        number: w.number,
        subject: w.subject,
        reason: "Its service location has no coordinates.",
      });
      continue;
    }
    jobs.push({
      key: `w:${w.id}`,
      kind: "waiting",
      appointmentId: null,
      workOrderId: w.id,
      ticketId: w.ticket_id,
      number: w.number,
      subject: w.subject,
      priority: w.priority,
      status: null,
      point: { lat: w.lat, lng: w.lng },
      duration: (Number(w.service_minutes) || DEFAULT_VISIT_MINUTES) * 60,
      current: null,
      windows: notBefore > 0 ? [{ start: notBefore, end: 2 * DAY_SECONDS }] : null,
      skills: skills.get(w.id) ?? [],
      lock: null,
    });
  }
  return {
    problem: {
      day: selection.day,
      timeZone,
      dayStart: bounds.start.toISOString(),
      technicians,
      jobs,
      skipped,
      absent,
    },
    basis,
  };
}
