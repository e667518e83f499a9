// What the dispatch board shows for one day: a page of technicians with their visits placed by
// minute, the travel before each visit, and the queue of work orders still waiting for a visit.
import { sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { WORK_ORDER_PRIORITIES, type WorkOrderPriority } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { localToInstant, startOfDay } from "../fsm/field";
import { lastPositions } from "../fsm/positions";
import { organizationTimeZone } from "../orgs/resolve";
import { isOneOf, isUuid } from "../tickets/rules";
import { LOCKED_APPOINTMENT_STATUSES, travelMinutes } from "./assign";

export const BOARD_PAGE_SIZE = 25;

/** The queue's SLA filter: work orders whose ticket's next SLA target has passed, or falls within hours. */
export const SLA_DUE_FILTERS = {
  breached: { label: "SLA breached", hours: 0 },
  "2h": { label: "SLA due within 2 hours", hours: 2 },
  "8h": { label: "SLA due within 8 hours", hours: 8 },
  "24h": { label: "SLA due within 24 hours", hours: 24 },
} as const;
export type SlaDueFilter = keyof typeof SLA_DUE_FILTERS;
const isSlaDueFilter = (v: string | undefined): v is SlaDueFilter =>
  v !== undefined && Object.hasOwn(SLA_DUE_FILTERS, v);

export interface BoardFilters {
  day: string;
  /** One day, or the Monday-to-Sunday week holding `day`. */
  view: "day" | "week";
  zoneId?: string;
  teamId?: string;
  skillId?: string;
  priority?: WorkOrderPriority;
  /** Queue only: how soon the SLA of the ticket the work order came from falls due. */
  slaDue?: SlaDueFilter;
  page: number;
}

/** Reads the board's query string; unknown or malformed values fall back to "all". */
export function parseBoardFilters(query: Record<string, string | undefined>, today: string): BoardFilters {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(query.day ?? "") ? query.day! : today;
  const page = Math.max(1, Math.min(1000, Number.parseInt(query.page ?? "1", 10) || 1));
  const uuidOrUndefined = (v: string | undefined) => (v && isUuid(v) ? v : undefined);
  return {
    day,
    view: query.view === "week" ? "week" : "day",
    zoneId: uuidOrUndefined(query.zone),
    teamId: uuidOrUndefined(query.team),
    skillId: uuidOrUndefined(query.skill),
    priority: isOneOf(WORK_ORDER_PRIORITIES, query.priority ?? "")
      ? (query.priority as WorkOrderPriority)
      : undefined,
    slaDue: isSlaDueFilter(query.sla) ? query.sla : undefined,
    page,
  };
}

export interface BoardVisit {
  appointmentId: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  /** Minutes from midnight of the board's first day (a week view goes past 1,440). */
  startMinute: number;
  endMinute: number;
  /** Minutes of driving from the previous visit (or home) — drawn before the bar. */
  travelBefore: number;
  locked: boolean;
  lat: number | null;
  lng: number | null;
}

export interface BoardTechnician {
  userId: string;
  name: string;
  zone: string | null;
  workStartMinute: number;
  workEndMinute: number;
  worksToday: boolean;
  /** ISO weekdays (1 = Monday) the technician works. */
  workDays: number[];
  /** Where the technician starts the day; where they are now is in the board's positions. */
  home: { lat: number; lng: number } | null;
  visits: BoardVisit[];
}

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

async function technicianPage(ctx: Ctx, filters: BoardFilters, weekday: number) {
  const orgId = ctx.actor.orgId;
  const rows = rowsOf<{
    user_id: string;
    name: string;
    zone: string | null;
    work_start_minute: number;
    work_end_minute: number;
    works_today: boolean;
    work_days: string;
    home_lat: number | null;
    home_lng: number | null;
    total: number | string;
  }>(
    await ctx.db.execute(sql`
      select t.user_id, u.name, z.name as zone, t.work_start_minute, t.work_end_minute,
        ${weekday}::int = any(t.work_days) as works_today, array_to_string(t.work_days, ',') as work_days, t.home_lat, t.home_lng, count(*) over () as total
      from technicians t
      join users u on u.org_id = t.org_id and u.id = t.user_id and u.active
      left join zones z on z.org_id = t.org_id and z.id = t.zone_id
      where t.org_id = ${orgId}
        and (${filters.zoneId ?? null}::uuid is null or t.zone_id = ${filters.zoneId ?? ZERO_UUID})
        and (${filters.teamId ?? null}::uuid is null or exists (select 1 from team_members m
          where m.org_id = t.org_id and m.user_id = t.user_id and m.team_id = ${filters.teamId ?? ZERO_UUID}))
      order by z.name nulls last, u.name
      limit ${BOARD_PAGE_SIZE} offset ${(filters.page - 1) * BOARD_PAGE_SIZE}`),
  );
  return { rows, total: Number(rows[0]?.total ?? 0) };
}

async function visitsOf(ctx: Ctx, userIds: string[], from: Date, to: Date) {
  if (userIds.length === 0) return [];
  return rowsOf<{
    user_id: string;
    appointment_id: string;
    number: number;
    subject: string;
    status: string;
    priority: string;
    starts_at: string | Date;
    ends_at: string | Date;
    lat: number | null;
    lng: number | null;
  }>(
    await ctx.db.execute(sql`
      select at.user_id, a.id as appointment_id, w.number, w.subject, a.status, w.priority,
        a.starts_at, a.ends_at, l.lat, l.lng
      from appointment_technicians at
      join appointments a on a.org_id = at.org_id and a.id = at.appointment_id
      join work_orders w on w.org_id = a.org_id and w.id = a.work_order_id
      left join service_locations l on l.org_id = w.org_id and l.id = w.location_id
      where at.org_id = ${ctx.actor.orgId}
        and at.user_id in (${sql.join(
          userIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
        and a.starts_at < ${to.toISOString()} and a.ends_at > ${from.toISOString()}
      order by a.starts_at`),
  );
}

/** Work orders waiting for a visit, most urgent and oldest first, filtered like the board. */
async function unassignedQueue(ctx: Ctx, filters: BoardFilters) {
  const orgId = ctx.actor.orgId;
  // A work order made from a ticket carries the ticket's SLA: its next due time.
  const slaUntil = filters.slaDue
    ? new Date(ctx.now.getTime() + SLA_DUE_FILTERS[filters.slaDue].hours * 3600_000).toISOString()
    : null;
  const rows = rowsOf<{
    number: number;
    subject: string;
    priority: string;
    zone: string | null;
    skills: string | null;
    created_at: string | Date;
    lat: number | null;
    lng: number | null;
    sla_due_at: string | Date | null;
    sla_breached: boolean | null;
  }>(
    await ctx.db.execute(sql`
      select w.number, w.subject, w.priority, z.name as zone, w.created_at, l.lat, l.lng,
        t.sla_next_due_at as sla_due_at, t.sla_breached,
        (select string_agg(s.name, ', ' order by s.name) from work_order_skills r
          join skills s on s.org_id = r.org_id and s.id = r.skill_id
          where r.org_id = w.org_id and r.work_order_id = w.id) as skills
      from work_orders w
      left join service_locations l on l.org_id = w.org_id and l.id = w.location_id
      left join zones z on z.org_id = l.org_id and z.id = l.zone_id
      left join tickets t on t.org_id = w.org_id and t.id = w.ticket_id
      where w.org_id = ${orgId} and w.status in ('new', 'cannot_complete')
        and not exists (select 1 from appointments a where a.org_id = w.org_id and a.work_order_id = w.id
          and a.status not in ('completed', 'cannot_complete'))
        and (${filters.zoneId ?? null}::uuid is null or l.zone_id = ${filters.zoneId ?? ZERO_UUID})
        and (${filters.priority ?? null}::text is null or w.priority = ${filters.priority ?? ""})
        and (${filters.skillId ?? null}::uuid is null or exists (select 1 from work_order_skills r
          where r.org_id = w.org_id and r.work_order_id = w.id and r.skill_id = ${filters.skillId ?? ZERO_UUID}))
        and (${slaUntil}::timestamptz is null or t.sla_next_due_at <= ${slaUntil}::timestamptz)
      order by array_position(array['urgent','high','normal','low'], w.priority), t.sla_next_due_at nulls last, w.created_at
      limit 50`),
  );
  return rows.map((r) => ({
    number: r.number,
    subject: r.subject,
    priority: r.priority,
    zone: r.zone,
    skills: r.skills ?? "",
    createdAt: new Date(r.created_at),
    lat: r.lat,
    lng: r.lng,
    slaDueAt: r.sla_due_at ? new Date(r.sla_due_at) : null,
    slaBreached: Boolean(r.sla_breached) || (r.sla_due_at !== null && new Date(r.sla_due_at) <= ctx.now),
  }));
}

async function choices(ctx: Ctx) {
  const orgId = ctx.actor.orgId;
  const [zones, teams, skills] = await Promise.all([
    ctx.db.execute(sql`select id, name from zones where org_id = ${orgId} order by name`),
    ctx.db.execute(sql`select id, name from teams where org_id = ${orgId} order by name`),
    ctx.db.execute(sql`select id, name from skills where org_id = ${orgId} order by name`),
  ]);
  type Choice = { id: string; name: string };
  return { zones: rowsOf<Choice>(zones), teams: rowsOf<Choice>(teams), skills: rowsOf<Choice>(skills) };
}

/** "1,2,3" (the query joins the array, so both drivers answer the same text) → [1, 2, 3]. */
function parseIntArray(value: string): number[] {
  return value.split(",").filter(Boolean).map(Number);
}

/** The Monday-to-Sunday dates ("2026-11-23") of the week holding `day`. */
function weekOf(day: string, weekday: number): string[] {
  const monday = Date.parse(`${day}T00:00:00Z`) - (weekday - 1) * 86_400_000;
  return Array.from({ length: 7 }, (_, i) => new Date(monday + i * 86_400_000).toISOString().slice(0, 10));
}

export async function dispatchBoard(ctx: Ctx, filters: BoardFilters) {
  requirePermission(ctx.actor, "fsm.manage");
  const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
  const weekday = ((new Date(`${filters.day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  const days = filters.view === "week" ? weekOf(filters.day, weekday) : [filters.day];
  const dayStart = startOfDay(localToInstant(`${days[0]}T12:00`, timeZone)!, timeZone);
  const dayEnd = startOfDay(localToInstant(`${days.at(-1)}T12:00`, timeZone)!, timeZone);
  dayEnd.setTime(startOfDay(new Date(dayEnd.getTime() + 36 * 3600_000), timeZone).getTime());
  const [page, queue, lists, positions] = await Promise.all([
    technicianPage(ctx, filters, weekday),
    unassignedQueue(ctx, filters),
    choices(ctx),
    lastPositions(ctx),
  ]);
  const visits = await visitsOf(
    ctx,
    page.rows.map((r) => r.user_id),
    dayStart,
    dayEnd,
  );
  const minuteOf = (at: string | Date) => Math.round((new Date(at).getTime() - dayStart.getTime()) / 60_000);
  const rows: BoardTechnician[] = page.rows.map((t) => {
    let previous = t.home_lat !== null && t.home_lng !== null ? { lat: t.home_lat, lng: t.home_lng } : null;
    const own = visits.filter((v) => v.user_id === t.user_id);
    return {
      userId: t.user_id,
      name: t.name,
      zone: t.zone,
      workStartMinute: t.work_start_minute,
      workEndMinute: t.work_end_minute,
      worksToday: t.works_today,
      workDays: parseIntArray(t.work_days),
      home: t.home_lat !== null && t.home_lng !== null ? { lat: t.home_lat, lng: t.home_lng } : null,
      visits: own.map((v) => {
        const here = v.lat !== null && v.lng !== null ? { lat: v.lat, lng: v.lng } : null;
        const travelBefore = previous && here ? travelMinutes(previous, here) : 0;
        if (here) previous = here;
        return {
          appointmentId: v.appointment_id,
          number: v.number,
          subject: v.subject,
          status: v.status,
          priority: v.priority,
          startMinute: Math.max(0, minuteOf(v.starts_at)),
          endMinute: Math.min(days.length * 24 * 60, minuteOf(v.ends_at)),
          travelBefore,
          locked: (LOCKED_APPOINTMENT_STATUSES as readonly string[]).includes(v.status),
          lat: v.lat,
          lng: v.lng,
        };
      }),
    };
  });
  return {
    filters,
    days,
    timeZone,
    technicians: rows,
    total: page.total,
    queue,
    positions,
    now: ctx.now,
    ...lists,
  };
}

export type DispatchBoard = Awaited<ReturnType<typeof dispatchBoard>>;
