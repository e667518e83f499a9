// "Ask the data" for supervisors: a question is matched to one of a fixed set of intents with its
// slots (src/domain/ai/ask.ts) and answered by that intent's own parameterized query, always within
// the asker's organization. No text from the question ever becomes SQL: slot values are matched
// against the organization's own zones, teams and enumerations, then bound as parameters.
import { type SQL, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { createIntentMatcher, type IntentMatch, type IntentSlots, type Period } from "../ai";
import { type Ctx, requirePermission } from "../context";
import type { DbOrTx } from "../events/log";
import { organizationTimeZone } from "../orgs/resolve";
import { DAY_MS, dayOfWall, isoWeekday, utcToWall, wallToUtc } from "../sla/zone";

const matcher = createIntentMatcher();

export const EXAMPLE_QUESTIONS = [
  "How many urgent tickets are open in Selangor?",
  "Which team breached most this week?",
  "What is the average first response time this month?",
  "What are the most common ticket categories last month?",
  "How many work orders are scheduled today?",
];

export interface Answer {
  question: string;
  match: IntentMatch;
  /** What was understood, in words: "urgent tickets, open, in Selangor". */
  understood: string;
  headline: string;
  columns: string[];
  rows: (string | number)[][];
}

interface Range {
  from: Date;
  to: Date;
  label: string;
}

/** The period's start and end in the organization's time zone (weeks start on Monday). */
export function periodRange(period: Period, now: Date, timeZone: string): Range {
  const wall = utcToWall(timeZone, now.getTime());
  const today = dayOfWall(wall) * DAY_MS;
  const utc = (wallMs: number) => new Date(wallToUtc(timeZone, wallMs));
  const monthStart = (offset: number) => {
    const d = new Date(today);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
  };
  const weekStart = today - (isoWeekday(dayOfWall(wall)) - 1) * DAY_MS;
  switch (period.kind) {
    case "today":
      return { from: utc(today), to: utc(today + DAY_MS), label: "today" };
    case "yesterday":
      return { from: utc(today - DAY_MS), to: utc(today), label: "yesterday" };
    case "this_week":
      return { from: utc(weekStart), to: utc(weekStart + 7 * DAY_MS), label: "this week" };
    case "last_week":
      return { from: utc(weekStart - 7 * DAY_MS), to: utc(weekStart), label: "last week" };
    case "this_month":
      return { from: utc(monthStart(0)), to: utc(monthStart(1)), label: "this month" };
    case "last_month":
      return { from: utc(monthStart(-1)), to: utc(monthStart(0)), label: "last month" };
    case "last_days": {
      const days = Math.min(Math.max(period.days, 1), 366);
      return { from: new Date(now.getTime() - days * DAY_MS), to: now, label: `the last ${days} days` };
    }
  }
}

async function vocabulary(db: DbOrTx, orgId: string) {
  const [zones, teams] = await Promise.all([
    db.execute(sql`select name from zones where org_id = ${orgId}`),
    db.execute(sql`select name from teams where org_id = ${orgId}`),
  ]);
  return {
    zones: rowsOf<{ name: string }>(zones).map((z) => z.name),
    teams: rowsOf<{ name: string }>(teams).map((t) => t.name),
  };
}

const OPEN = sql.raw(`('new','open','pending','on_hold')`);

/** Tickets whose customer (company, or the contact) has a service location in the zone. */
function inZone(zone: string | undefined): SQL {
  if (!zone) return sql`true`;
  return sql`exists (
    select 1 from service_locations l join zones z on z.org_id = l.org_id and z.id = l.zone_id
    where l.org_id = t.org_id and lower(z.name) = lower(${zone})
      and (l.company_id = t.company_id or l.contact_id = t.contact_id))`;
}

function inTeam(team: string | undefined): SQL {
  if (!team) return sql`true`;
  return sql`t.team_id in (select id from teams where org_id = t.org_id and lower(name) = lower(${team}))`;
}

/** How grouped rows are labelled: the team's or agent's name, or the zone. */
function groupKey(groupBy: IntentSlots["groupBy"]): { label: string; expr: SQL; joins: SQL } {
  if (groupBy === "agent")
    return {
      label: "Agent",
      expr: sql`coalesce(u.name, 'Unassigned')`,
      joins: sql`left join users u on u.org_id = t.org_id and u.id = t.assignee_id`,
    };
  if (groupBy === "zone")
    return {
      label: "Zone",
      expr: sql`coalesce((select z.name from service_locations l join zones z on z.org_id = l.org_id and z.id = l.zone_id
        where l.org_id = t.org_id and (l.company_id = t.company_id or l.contact_id = t.contact_id) limit 1), 'No zone')`,
      joins: sql``,
    };
  return {
    label: "Team",
    expr: sql`coalesce(tm.name, 'No team')`,
    joins: sql`left join teams tm on tm.org_id = t.org_id and tm.id = t.team_id`,
  };
}

type Handler = (
  db: DbOrTx,
  orgId: string,
  slots: IntentSlots,
  range: Range | undefined,
) => Promise<Omit<Answer, "question" | "match" | "understood">>;

const countTickets: Handler = async (db, orgId, slots, range) => {
  const status =
    slots.status === "open"
      ? sql`t.status in ${OPEN}`
      : slots.status === "solved"
        ? sql`t.status in ('solved','closed')`
        : slots.status
          ? sql`t.status = ${slots.status}`
          : range
            ? sql`true`
            : sql`t.status in ${OPEN}`;
  // "Solved yesterday" counts by when they were solved; everything else by when they arrived.
  const timeColumn = slots.status === "solved" ? sql`t.solved_at` : sql`t.created_at`;
  const when = range
    ? sql`${timeColumn} >= ${range.from.toISOString()}::timestamptz and ${timeColumn} < ${range.to.toISOString()}::timestamptz`
    : sql`true`;
  const where = sql`t.org_id = ${orgId} and t.merged_into_id is null and ${status} and ${when}
    and ${slots.priority ? sql`t.priority = ${slots.priority}` : sql`true`} and ${inZone(slots.zone)} and ${inTeam(slots.team)}`;
  if (slots.groupBy) {
    const group = groupKey(slots.groupBy);
    const rows = rowsOf<{ key: string; n: number }>(
      await db.execute(sql`select ${group.expr} as key, count(*)::int as n from tickets t ${group.joins}
        where ${where} group by 1 order by 2 desc, 1 limit 20`),
    );
    const total = rows.reduce((s, r) => s + Number(r.n), 0);
    return {
      headline: `${total} ticket${total === 1 ? "" : "s"}`,
      columns: [group.label, "Tickets"],
      rows: rows.map((r) => [r.key, Number(r.n)]),
    };
  }
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from tickets t where ${where}`),
  );
  const n = Number(row?.n ?? 0);
  return { headline: `${n} ticket${n === 1 ? "" : "s"}`, columns: [], rows: [] };
};

/** Event data as an object: one driver stores it as a JSON string inside the jsonb column. */
const eventData = sql`(case jsonb_typeof(e.data) when 'string' then (e.data #>> '{}')::jsonb else e.data end)`;

const breachesByGroup: Handler = async (db, orgId, slots, range) => {
  const group = groupKey(slots.groupBy ?? "team");
  const when = range
    ? sql`e.created_at >= ${range.from.toISOString()}::timestamptz and e.created_at < ${range.to.toISOString()}::timestamptz`
    : sql`true`;
  const rows = rowsOf<{ key: string; n: number }>(
    await db.execute(sql`
      select ${group.expr} as key, count(distinct t.id)::int as n
      from events e join tickets t on t.org_id = e.org_id and t.id = e.ticket_id ${group.joins}
      where e.org_id = ${orgId} and e.type = 'ticket.sla_escalated' and ${eventData}->>'step' = 'overdue_supervisor'
        and ${when} and ${slots.priority ? sql`t.priority = ${slots.priority}` : sql`true`}
        and ${inZone(slots.zone)} and ${inTeam(slots.team)}
      group by 1 order by 2 desc, 1 limit 20`),
  );
  if (rows.length === 0) return { headline: "No SLA target was breached.", columns: [], rows: [] };
  return {
    headline: `${rows[0].key} breached most: ${rows[0].n} ticket${Number(rows[0].n) === 1 ? "" : "s"}`,
    columns: [group.label, "Tickets that breached"],
    rows: rows.map((r) => [r.key, Number(r.n)]),
  };
};

function minutesText(minutes: number): string {
  if (minutes < 60) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

const firstResponseTime: Handler = async (db, orgId, slots, range) => {
  const group = groupKey(slots.groupBy ?? "team");
  const grouped = Boolean(slots.groupBy);
  const when = range
    ? sql`t.created_at >= ${range.from.toISOString()}::timestamptz and t.created_at < ${range.to.toISOString()}::timestamptz`
    : sql`t.created_at >= now() - interval '30 days'`;
  const rows = rowsOf<{ key: string; minutes: number; n: number }>(
    await db.execute(sql`
      select ${grouped ? group.expr : sql`'All'`} as key,
             avg(extract(epoch from t.first_replied_at - t.created_at) / 60)::float8 as minutes, count(*)::int as n
      from tickets t
      ${grouped ? group.joins : sql``}
      where t.org_id = ${orgId} and ${when} and t.first_replied_at is not null and ${slots.priority ? sql`t.priority = ${slots.priority}` : sql`true`}
        and ${inZone(slots.zone)} and ${inTeam(slots.team)}
      group by 1 order by 2 limit 20`),
  );
  if (rows.length === 0) return { headline: "No ticket got a reply in that period.", columns: [], rows: [] };
  if (!grouped)
    return {
      headline: `${minutesText(Number(rows[0].minutes))} on average, over ${rows[0].n} tickets`,
      columns: [],
      rows: [],
    };
  return {
    headline: `Fastest: ${rows[0].key}, ${minutesText(Number(rows[0].minutes))}`,
    columns: [group.label, "Average first response", "Tickets"],
    rows: rows.map((r) => [r.key, minutesText(Number(r.minutes)), Number(r.n)]),
  };
};

const topCategories: Handler = async (db, orgId, slots, range) => {
  const when = range
    ? sql`t.created_at >= ${range.from.toISOString()}::timestamptz and t.created_at < ${range.to.toISOString()}::timestamptz`
    : sql`t.created_at >= now() - interval '30 days'`;
  const rows = rowsOf<{ key: string; n: number }>(
    await db.execute(sql`
      select coalesce(p.name || ' › ' || c.name, c.name, 'No category') as key, count(*)::int as n
      from tickets t
      left join ticket_categories c on c.org_id = t.org_id and c.id = coalesce(t.subcategory_id, t.category_id)
      left join ticket_categories p on p.org_id = c.org_id and p.id = c.parent_id
      where t.org_id = ${orgId} and t.merged_into_id is null and ${when}
        and ${slots.priority ? sql`t.priority = ${slots.priority}` : sql`true`}
        and ${inZone(slots.zone)} and ${inTeam(slots.team)}
      group by 1 order by 2 desc, 1 limit 10`),
  );
  if (rows.length === 0) return { headline: "No tickets in that period.", columns: [], rows: [] };
  return {
    headline: `Most common: ${rows[0].key} (${rows[0].n})`,
    columns: ["Category", "Tickets"],
    rows: rows.map((r) => [r.key, Number(r.n)]),
  };
};

const openWorkOrders: Handler = async (db, orgId, slots, range) => {
  const zone = slots.zone
    ? sql`exists (select 1 from service_locations l join zones z on z.org_id = l.org_id and z.id = l.zone_id
        where l.org_id = w.org_id and l.id = w.location_id and lower(z.name) = lower(${slots.zone}))`
    : sql`true`;
  const when = range
    ? sql`exists (select 1 from appointments a where a.org_id = w.org_id and a.work_order_id = w.id
        and a.starts_at < ${range.to.toISOString()}::timestamptz and a.ends_at > ${range.from.toISOString()}::timestamptz)`
    : sql`true`;
  const where = sql`w.org_id = ${orgId} and w.status not in ('completed','closed','cancelled') and ${zone} and ${when}`;
  if (slots.groupBy === "agent") {
    const rows = rowsOf<{ key: string; n: number }>(
      await db.execute(sql`
        select u.name as key, count(distinct w.id)::int as n
        from work_orders w
        join appointments a on a.org_id = w.org_id and a.work_order_id = w.id
        join appointment_technicians at on at.org_id = a.org_id and at.appointment_id = a.id
        join users u on u.org_id = at.org_id and u.id = at.user_id
        where ${where}
        group by 1 order by 2 desc, 1 limit 20`),
    );
    return {
      headline: `${rows.length} technician${rows.length === 1 ? "" : "s"} with visits`,
      columns: ["Technician", "Work orders"],
      rows: rows.map((r) => [r.key, Number(r.n)]),
    };
  }
  const rows = rowsOf<{ status: string; n: number }>(
    await db.execute(
      sql`select w.status, count(*)::int as n from work_orders w where ${where} group by 1 order by 2 desc`,
    ),
  );
  const total = rows.reduce((s, r) => s + Number(r.n), 0);
  return {
    headline: `${total} open work order${total === 1 ? "" : "s"}`,
    columns: ["Status", "Work orders"],
    rows: rows.map((r) => [r.status.replace(/_/g, " "), Number(r.n)]),
  };
};

const HANDLERS: Record<string, Handler> = {
  count_tickets: countTickets,
  sla_breaches_by_group: breachesByGroup,
  first_response_time: firstResponseTime,
  top_categories: topCategories,
  open_work_orders: openWorkOrders,
};

export const INTENT_LABELS: Record<string, string> = {
  count_tickets: "Count tickets",
  sla_breaches_by_group: "SLA breaches by team or agent",
  first_response_time: "Average first response time",
  top_categories: "Most common categories",
  open_work_orders: "Open work orders",
};

function describe(match: IntentMatch, range: Range | undefined): string {
  const s = match.slots;
  return [
    INTENT_LABELS[match.intent ?? ""] ?? "",
    s.priority ? `priority ${s.priority}` : "",
    s.status ? `status ${s.status}` : "",
    s.team ? `team ${s.team}` : "",
    s.zone ? `in ${s.zone}` : "",
    range ? range.label : "",
    s.groupBy ? `by ${s.groupBy}` : "",
  ]
    .filter(Boolean)
    .join(", ");
}

export const MAX_QUESTION = 300;

/** Answers a supervisor's question, or says it was not understood (with the closest intents). */
export async function askTheData(ctx: Ctx, question: string): Promise<Answer> {
  requirePermission(ctx.actor, "reports.ask");
  const text = question.trim().slice(0, MAX_QUESTION);
  const [words, timeZone] = await Promise.all([
    vocabulary(ctx.db, ctx.actor.orgId),
    organizationTimeZone(ctx.db, ctx.actor.orgId),
  ]);
  const match = matcher.match(text, words);
  const range = match.slots.period ? periodRange(match.slots.period, ctx.now, timeZone) : undefined;
  const handler = match.intent ? HANDLERS[match.intent] : undefined;
  if (!handler)
    return {
      question: text,
      match,
      understood: "",
      headline: "That question is not one this page can answer yet.",
      columns: [],
      rows: [],
    };
  const result = await handler(ctx.db, ctx.actor.orgId, match.slots, range);
  return { question: text, match, understood: describe(match, range), ...result };
}
