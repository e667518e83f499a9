// The SLA engine applied to stored tickets: loads an organization's policies and calendars, derives
// a ticket's clocks from its event log, and keeps the ticket row's SLA columns (next due time,
// overdue flag, when the sweep should next look) in step inside the writing transaction.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import {
  businessCalendars,
  calendarHolidays,
  companies,
  events,
  organizations,
  slaPolicies,
  tickets,
} from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import type { DbOrTx } from "../events/log";
import {
  addBusinessMs,
  alwaysOpenCalendar,
  type BusinessCalendar,
  CalendarError,
  compileCalendar,
} from "./calendar";
import { computeClocks, currentFacts, type TargetClock, type TicketEvent } from "./clock";
import { escalationKey, LADDER, recordedEscalations } from "./escalation";
import { type SlaPolicy, selectPolicy, TARGET_LABELS } from "./policy";
import { HOUR_MS, isValidTimeZone, MINUTE_MS } from "./zone";

/** An organization's SLA rules, ready for the engine. */
export interface OrgSla {
  timeZone: string;
  /** Active policies in the admin's order. */
  policies: SlaPolicy[];
  calendars: Map<string, BusinessCalendar>;
  /** Calendars made for a team: they count for that team's tickets under policies without a calendar. */
  teamCalendars: Map<string, BusinessCalendar>;
  /** The default calendar, or around the clock in the organization's zone when it has none. */
  defaultCalendar: BusinessCalendar;
}

const compiled = new Map<string, BusinessCalendar>();
const aroundTheClock = new Map<string, BusinessCalendar>();

function alwaysOpen(timeZone: string): BusinessCalendar {
  let cal = aroundTheClock.get(timeZone);
  if (!cal) {
    cal = alwaysOpenCalendar(timeZone, "around the clock");
    aroundTheClock.set(timeZone, cal);
  }
  return cal;
}

/**
 * Loads the organization's SLA rules. Compiled calendars are kept per process, keyed by their
 * last change: every edit of a calendar or its holidays moves updated_at.
 */
export async function loadOrgSla(db: DbOrTx, orgId: string): Promise<OrgSla> {
  const [orgRows, policyRows, calendarRows] = await Promise.all([
    db.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, orgId)),
    db
      .select()
      .from(slaPolicies)
      .where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.active, true)))
      .orderBy(asc(slaPolicies.position), asc(slaPolicies.name)),
    db.select().from(businessCalendars).where(eq(businessCalendars.orgId, orgId)),
  ]);
  const timeZone = orgRows[0]?.timeZone ?? "UTC";
  const calendars = new Map<string, BusinessCalendar>();
  const stale = calendarRows.filter((c) => !compiled.has(`${c.id}|${c.updatedAt.getTime()}`));
  const holidayRows = stale.length
    ? await db
        .select()
        .from(calendarHolidays)
        .where(
          and(
            eq(calendarHolidays.orgId, orgId),
            inArray(
              calendarHolidays.calendarId,
              stale.map((c) => c.id),
            ),
          ),
        )
    : [];
  let defaultCalendar: BusinessCalendar | undefined;
  const teamCalendars = new Map<string, BusinessCalendar>();
  for (const row of calendarRows) {
    const key = `${row.id}|${row.updatedAt.getTime()}`;
    let cal = compiled.get(key);
    if (!cal) {
      const definition = {
        name: row.name,
        timeZone: row.timeZone,
        weekly: row.weekly,
        holidays: holidayRows
          .filter((h) => h.calendarId === row.id)
          .map((h) => ({
            date: h.date,
            name: h.name,
            ...(h.startTime && h.endTime ? { start: h.startTime, end: h.endTime } : {}),
          })),
      };
      try {
        cal = compileCalendar(definition);
      } catch (error) {
        // The form checks every calendar, so this is a row written some other way; it must not
        // stop tickets from being answered. Its clocks count around the clock until it is fixed.
        if (!(error instanceof CalendarError)) throw error;
        console.error(`SLA calendar ${row.id} of organization ${orgId} is unusable: ${error.message}`);
        cal = alwaysOpenCalendar(
          isValidTimeZone(row.timeZone) ? row.timeZone : timeZone,
          `${row.name} (unusable)`,
        );
      }
      compiled.set(key, cal);
    }
    calendars.set(row.id, cal);
    if (row.isDefault) defaultCalendar = cal;
    if (row.teamId && !teamCalendars.has(row.teamId)) teamCalendars.set(row.teamId, cal);
  }
  return {
    timeZone,
    policies: policyRows.map((p) => ({
      id: p.id,
      name: p.name,
      conditions: p.conditions as SlaPolicy["conditions"],
      targets: p.targets as SlaPolicy["targets"],
      pauseStatuses: p.pauseStatuses,
      calendarId: p.calendarId,
    })),
    calendars,
    teamCalendars,
    defaultCalendar: defaultCalendar ?? alwaysOpen(timeZone),
  };
}

/** The policy's own calendar; else the calendar of the ticket's team; else the organization's default. */
export function calendarOf(org: OrgSla, policy: SlaPolicy, teamId: string | null = null): BusinessCalendar {
  return (
    (policy.calendarId && org.calendars.get(policy.calendarId)) ||
    (teamId && org.teamCalendars.get(teamId)) ||
    org.defaultCalendar
  );
}

/** What conditions look at beyond the event log. */
export interface TicketSlaFacts {
  type: string;
  teamId: string | null;
  companyTier: string | null;
  categoryId?: string | null;
  subcategoryId?: string | null;
}

export interface TicketSlaState {
  slaPolicyId: string | null;
  slaNextDueAt: Date | null;
  slaBreached: boolean;
  slaAttentionAt: Date | null;
}

export const NO_SLA: TicketSlaState = {
  slaPolicyId: null,
  slaNextDueAt: null,
  slaBreached: false,
  slaAttentionAt: null,
};

/** The ticket's policy and clocks as of `now`; null when no active policy covers it. */
export function deriveClocks(org: OrgSla, facts: TicketSlaFacts, log: readonly TicketEvent[], now: Date) {
  if (!log.some((e) => e.type === "ticket.created")) return null;
  const policy = selectPolicy(
    org.policies,
    currentFacts(log, {
      companyTier: facts.companyTier,
      category: facts.type,
      team: facts.teamId,
      ticketCategory: facts.categoryId,
      ticketSubcategory: facts.subcategoryId,
    }),
  );
  if (!policy) return null;
  const calendar = calendarOf(org, policy, facts.teamId);
  return { policy, calendar, clocks: computeClocks({ events: log, policy, calendar, now }) };
}

/**
 * When the next escalation step of these clocks comes due: a share of the target used, the breach,
 * or hours after it. Paused and finished clocks wait (their steps come due when they run again,
 * and the change that restarts them recomputes this). Null when no step is left.
 */
export function nextAttention(
  clocks: readonly TargetClock[],
  recorded: ReadonlySet<string>,
  calendar: BusinessCalendar,
  now: Date,
): Date | null {
  const at = now.getTime();
  let next = Number.POSITIVE_INFINITY;
  for (const clock of clocks) {
    if (!clock.open || clock.paused) continue;
    const counting = clock.businessHours ? calendar : alwaysOpen(calendar.timeZone);
    const targetMs = clock.targetMinutes * MINUTE_MS;
    const elapsedMs = clock.elapsedMinutes * MINUTE_MS;
    for (const rung of LADDER) {
      if (recorded.has(escalationKey(clock, rung.step))) continue;
      let when: number;
      if (rung.percent !== undefined) {
        const left = (targetMs * rung.percent) / 100 - elapsedMs;
        when = left <= 0 ? at : addBusinessMs(counting, at, left);
      } else {
        const breach = clock.breachedAt?.getTime() ?? clock.dueAt?.getTime();
        if (breach === undefined) continue;
        when = breach + (rung.hoursAfterBreach ?? 0) * HOUR_MS;
      }
      if (when < next) next = when;
    }
  }
  // Rounded up to the second, so a step is never looked for a moment before it is reached.
  return Number.isFinite(next) ? new Date(Math.ceil(next / 1000) * 1000) : null;
}

/** The columns a ticket row stores about its SLA, derived from its log. */
export function slaState(
  org: OrgSla,
  facts: TicketSlaFacts,
  log: readonly TicketEvent[],
  now: Date,
): TicketSlaState {
  return stateOf(deriveClocks(org, facts, log, now), log, now);
}

/** The stored columns from clocks already derived (escalation events in `log` do not move clocks). */
export function stateOf(
  derived: ReturnType<typeof deriveClocks>,
  log: readonly TicketEvent[],
  now: Date,
): TicketSlaState {
  if (!derived) return NO_SLA;
  const open = derived.clocks.clocks.filter((c) => c.open);
  const dues = open.map((c) => c.dueAt?.getTime()).filter((t): t is number => t !== undefined);
  return {
    slaPolicyId: derived.policy.id,
    slaNextDueAt: dues.length ? new Date(Math.min(...dues)) : null,
    slaBreached: open.some((c) => c.status === "breached"),
    slaAttentionAt: nextAttention(derived.clocks.clocks, recordedEscalations(log), derived.calendar, now),
  };
}

/** A ticket's log as the engine reads it, oldest first. */
export async function ticketLog(db: DbOrTx, orgId: string, ticketId: string): Promise<TicketEvent[]> {
  return db
    .select({ type: events.type, createdAt: events.createdAt, data: events.data })
    .from(events)
    .where(and(eq(events.orgId, orgId), eq(events.ticketId, ticketId)))
    .orderBy(asc(events.seq));
}

/** Logs of several tickets in one query. */
export async function ticketLogs(
  db: DbOrTx,
  orgId: string,
  ticketIds: string[],
): Promise<Map<string, TicketEvent[]>> {
  const logs = new Map<string, TicketEvent[]>(ticketIds.map((id) => [id, []]));
  if (ticketIds.length === 0) return logs;
  const rows = await db
    .select({ ticketId: events.ticketId, type: events.type, createdAt: events.createdAt, data: events.data })
    .from(events)
    .where(and(eq(events.orgId, orgId), inArray(events.ticketId, ticketIds)))
    .orderBy(asc(events.seq));
  for (const row of rows) logs.get(row.ticketId!)?.push(row);
  return logs;
}

const factsSelection = {
  id: tickets.id,
  type: tickets.type,
  teamId: tickets.teamId,
  companyTier: companies.tier,
  categoryId: tickets.categoryId,
  subcategoryId: tickets.subcategoryId,
};

/** Facts of tickets the conditions look at, with their company's tier. */
export async function ticketFacts(
  db: DbOrTx,
  orgId: string,
  ticketIds: string[],
): Promise<Map<string, TicketSlaFacts>> {
  if (ticketIds.length === 0) return new Map();
  const rows = await db
    .select(factsSelection)
    .from(tickets)
    .leftJoin(companies, and(eq(companies.orgId, tickets.orgId), eq(companies.id, tickets.companyId)))
    .where(and(eq(tickets.orgId, orgId), inArray(tickets.id, ticketIds)));
  return new Map(
    rows.map((r) => [
      r.id,
      {
        type: r.type,
        teamId: r.teamId,
        companyTier: r.companyTier,
        categoryId: r.categoryId,
        subcategoryId: r.subcategoryId,
      },
    ]),
  );
}

export async function writeSlaState(tx: DbOrTx, orgId: string, ticketId: string, state: TicketSlaState) {
  await tx
    .update(tickets)
    .set(state)
    .where(and(eq(tickets.orgId, orgId), eq(tickets.id, ticketId)));
}

/** The SLA columns as stored, to leave unchanged rows alone (an update rewrites every index of the row). */
export const stateSelection = {
  id: tickets.id,
  slaPolicyId: tickets.slaPolicyId,
  slaNextDueAt: tickets.slaNextDueAt,
  slaBreached: tickets.slaBreached,
  slaAttentionAt: tickets.slaAttentionAt,
};

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

export function sameState(stored: TicketSlaState, next: TicketSlaState): boolean {
  return (
    stored.slaPolicyId === next.slaPolicyId &&
    stored.slaBreached === next.slaBreached &&
    sameTime(stored.slaNextDueAt, next.slaNextDueAt) &&
    sameTime(stored.slaAttentionAt, next.slaAttentionAt)
  );
}

/** The SLA columns of many tickets in one statement (one round trip per batch, not per ticket). */
export async function writeSlaStates(
  tx: DbOrTx,
  orgId: string,
  states: { id: string; state: TicketSlaState }[],
): Promise<void> {
  if (states.length === 0) return;
  const rows = states.map(({ id, state }) => ({
    id,
    policy: state.slaPolicyId,
    due: state.slaNextDueAt?.toISOString() ?? null,
    breached: state.slaBreached,
    attention: state.slaAttentionAt?.toISOString() ?? null,
  }));
  await tx.execute(sql`
    update ${tickets} t
    set sla_policy_id = x.policy, sla_next_due_at = x.due, sla_breached = x.breached, sla_attention_at = x.attention
    from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb)
      as x(id uuid, policy uuid, due timestamptz, breached boolean, attention timestamptz)
    where t.org_id = ${orgId} and t.id = x.id`);
}

/**
 * Recomputes one ticket's SLA columns from its log. Called by every command that changes a
 * ticket, in its transaction, after its events are appended.
 */
export async function refreshTicketSla(
  tx: DbOrTx,
  orgId: string,
  ticketId: string,
  now: Date,
  /** The organization's rules, when the caller refreshes many tickets in one transaction. */
  rules?: OrgSla,
) {
  const [org, log, facts] = await Promise.all([
    rules ?? loadOrgSla(tx, orgId),
    ticketLog(tx, orgId, ticketId),
    ticketFacts(tx, orgId, [ticketId]),
  ]);
  const fact = facts.get(ticketId);
  if (!fact) return;
  await writeSlaState(tx, orgId, ticketId, slaState(org, fact, log, now));
}

const OPEN_SQL = sql.raw(`('new','open','pending','on_hold')`);
const BATCH = 1000;

/**
 * Recomputes the SLA columns of every open ticket of an organization (after a policy or calendar
 * changed, and after seeding), in batches of short transactions that lock their rows.
 */
export async function refreshOrgSla(db: DbOrTx, orgId: string, now: Date): Promise<number> {
  const org = await loadOrgSla(db, orgId);
  let after = "00000000-0000-0000-0000-000000000000";
  let count = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const rows = await tx
        .select(stateSelection)
        .from(tickets)
        .where(
          and(eq(tickets.orgId, orgId), sql`${tickets.status} in ${OPEN_SQL}`, sql`${tickets.id} > ${after}`),
        )
        .orderBy(asc(tickets.id))
        .limit(BATCH)
        .for("update");
      if (rows.length === 0) return true;
      const ids = rows.map((r) => r.id);
      const [logs, facts] = await Promise.all([ticketLogs(tx, orgId, ids), ticketFacts(tx, orgId, ids)]);
      const states: { id: string; state: TicketSlaState }[] = [];
      for (const current of rows) {
        const fact = facts.get(current.id);
        if (!fact) continue;
        const state = slaState(org, fact, logs.get(current.id) ?? [], now);
        if (!sameState(current, state)) states.push({ id: current.id, state });
      }
      await writeSlaStates(tx, orgId, states);
      after = ids[ids.length - 1];
      count += ids.length;
      return rows.length < BATCH;
    });
    if (done) return count;
  }
}

export interface SlaClockView {
  target: TargetClock["target"];
  label: string;
  cycle: number;
  status: TargetClock["status"];
  dueAt: Date | null;
  completedAt: Date | null;
  explanation: string;
}

export interface TicketSlaView {
  policyName: string;
  calendarName: string;
  clocks: SlaClockView[];
}

/**
 * The ticket page's SLA panel: each target's due time, state and the engine's explanation.
 * `log` is the ticket's event log when the caller already has it. Null when no policy applies.
 */
export async function ticketSla(
  ctx: Ctx,
  ticket: { id: string; type: string; teamId: string | null; companyId: string | null },
  log?: readonly TicketEvent[],
): Promise<TicketSlaView | null> {
  requirePermission(ctx.actor, "tickets.read_all");
  const orgId = ctx.actor.orgId;
  const [org, events, facts] = await Promise.all([
    loadOrgSla(ctx.db, orgId),
    log ? Promise.resolve(log) : ticketLog(ctx.db, orgId, ticket.id),
    ticketFacts(ctx.db, orgId, [ticket.id]),
  ]);
  const fact = facts.get(ticket.id);
  if (!fact) return null;
  const derived = deriveClocks(org, fact, events, ctx.now);
  if (!derived) return null;
  return {
    policyName: derived.policy.name,
    calendarName: derived.calendar.name,
    clocks: derived.clocks.clocks.map((c) => ({
      target: c.target,
      label: TARGET_LABELS[c.target],
      cycle: c.cycle,
      status: c.status,
      dueAt: c.dueAt,
      completedAt: c.completedAt,
      explanation: c.explanation.text,
    })),
  };
}
