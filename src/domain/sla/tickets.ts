// The SLA engine applied to stored tickets: loads an organization's policies and calendars, derives
// a ticket's clocks from its event log, and keeps the stored SLA state (the ticket row's next due
// time and overdue flag, and in ticket_sla_state when the sweep should next look) in step inside
// the writing transaction.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import {
  businessCalendars,
  calendarHolidays,
  companies,
  events,
  slaPolicies,
  ticketSlaState,
  tickets,
} from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import type { DbOrTx } from "../events/log";
import { type ConfigStamp, readConfigStamp, underStamp } from "../orgs/config";
import { prepared } from "../prepared";
import { walkInBatches } from "./batches";
import { alwaysOpenCalendar, type BusinessCalendar, CalendarError, compileCalendar } from "./calendar";
import { computeClocks, currentFacts, type TargetClock, type TicketEvent } from "./clock";
import { recordedEscalations } from "./escalation";
import { encodePlan, firstStepAt, planSteps } from "./plan";
import { type SlaPolicy, selectPolicy, TARGET_LABELS } from "./policy";
import { isValidTimeZone } from "./zone";

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
/**
 * The organization's SLA definitions, read again only when its config stamp moved (see
 * src/domain/orgs/config.ts); pass the stamp when the caller has read it already.
 */
export async function loadOrgSla(db: DbOrTx, orgId: string, stamp?: ConfigStamp): Promise<OrgSla> {
  const current = stamp ?? (await readConfigStamp(db, orgId));
  return underStamp("sla", current, () => readOrgSla(db, orgId, current.timeZone));
}

async function readOrgSla(db: DbOrTx, orgId: string, timeZone: string): Promise<OrgSla> {
  const [policyRows, calendarRows] = await Promise.all([
    db
      .select()
      .from(slaPolicies)
      .where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.active, true)))
      .orderBy(asc(slaPolicies.position), asc(slaPolicies.name)),
    db.select().from(businessCalendars).where(eq(businessCalendars.orgId, orgId)),
  ]);
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
  /** The coming escalation steps as stored (see plan.ts); null when none is ahead. */
  slaPlan: string | null;
  /** The plan's steps up to this moment are recorded (by the sweep); null for a plan just made. */
  slaPlanDoneUntil: Date | null;
}

export const NO_SLA: TicketSlaState = {
  slaPolicyId: null,
  slaNextDueAt: null,
  slaBreached: false,
  slaAttentionAt: null,
  slaPlan: null,
  slaPlanDoneUntil: null,
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
  const plan = planSteps(derived.clocks.clocks, recordedEscalations(log), derived.calendar, now);
  return {
    slaPolicyId: derived.policy.id,
    slaNextDueAt: dues.length ? new Date(Math.min(...dues)) : null,
    slaBreached: open.some((c) => c.status === "breached"),
    slaAttentionAt: firstStepAt(plan),
    slaPlan: encodePlan(plan),
    slaPlanDoneUntil: null,
  };
}

/** A list of ids as one array parameter: one bind value, so one prepared statement for any count. */
export function uuidArray(ids: readonly string[]) {
  return sql`${`{${ids.join(",")}}`}::uuid[]`;
}

/** A ticket's log as the engine reads it, oldest first. */
export async function ticketLog(db: DbOrTx, orgId: string, ticketId: string): Promise<TicketEvent[]> {
  return db
    .select({ type: events.type, createdAt: events.createdAt, data: events.data })
    .from(events)
    .where(and(eq(events.orgId, orgId), eq(events.ticketId, ticketId)))
    .orderBy(asc(events.seq));
}

/** A timestamp of a raw query's row: Bun.SQL hands over a Date, PGlite (through Drizzle) text. */
export function toDate(value: Date | string): Date;
export function toDate(value: Date | string | null): Date | null;
export function toDate(value: Date | string | null): Date | null {
  return value === null || value instanceof Date ? value : new Date(value);
}

/**
 * Logs of several tickets in one query. The hot paths (the sweep, recomputing every open ticket)
 * read thousands of rows a batch, so their queries are raw: mapping rows through the query
 * builder cost more than the engine's own work.
 */
export async function ticketLogs(
  db: DbOrTx,
  orgId: string,
  ticketIds: string[],
): Promise<Map<string, TicketEvent[]>> {
  const logs = new Map<string, TicketEvent[]>(ticketIds.map((id) => [id, []]));
  if (ticketIds.length === 0) return logs;
  const rows = rowsOf<{ ticket_id: string; type: string; created_at: Date | string; data: unknown }>(
    await db.execute(sql`
      select ticket_id, type, created_at, data from ${events}
      where org_id = ${orgId} and ticket_id = any(${uuidArray(ticketIds)})
      order by seq`),
  );
  for (const row of rows) {
    logs.get(row.ticket_id)?.push({
      type: row.type,
      createdAt: toDate(row.created_at),
      // Rows written before migration 0029 hold their data as JSON text (see db/schema/jsonb.ts).
      data: (typeof row.data === "string" ? JSON.parse(row.data) : row.data) as TicketEvent["data"],
    });
  }
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

function factsOf(row: {
  type: string;
  teamId: string | null;
  companyTier: string | null;
  categoryId: string | null;
  subcategoryId: string | null;
}): TicketSlaFacts {
  return {
    type: row.type,
    teamId: row.teamId,
    companyTier: row.companyTier,
    categoryId: row.categoryId,
    subcategoryId: row.subcategoryId,
  };
}

/** Facts of tickets the conditions look at, with their company's tier. */
export async function ticketFacts(
  db: DbOrTx,
  orgId: string,
  ticketIds: string[],
): Promise<Map<string, TicketSlaFacts>> {
  if (ticketIds.length === 0) return new Map();
  // Prepared: the ticket page reads one ticket's facts on every request.
  const rows = await prepared(db, "ticketFacts", () =>
    db
      .select(factsSelection)
      .from(tickets)
      .leftJoin(companies, and(eq(companies.orgId, tickets.orgId), eq(companies.id, tickets.companyId)))
      .where(
        and(
          eq(tickets.orgId, sql.placeholder("orgId")),
          sql`${tickets.id} = any(${sql.placeholder("ids")}::uuid[])`,
        ),
      )
      .prepare("ticket_facts"),
  ).execute({ orgId, ids: `{${ticketIds.join(",")}}` });
  return new Map(rows.map((r) => [r.id, factsOf(r)]));
}

/** A ticket as the engine reads it from a raw query: its facts and its stored SLA state. */
export interface SlaRow extends TicketSlaFacts, TicketSlaState {
  id: string;
  orgId: string;
}

/**
 * The columns of an SlaRow, for a raw query over tickets `t` left-joined to its company `c` and its
 * look-in time `s` (ticket_sla_state); `slaRowOf` reads a row.
 */
export const SLA_ROW_COLUMNS = sql.raw(`t.id, t.org_id, t.type, t.team_id, c.tier as company_tier,
  t.category_id, t.subcategory_id, t.sla_policy_id, t.sla_next_due_at, t.sla_breached, s.attention_at, s.plan, s.plan_done_until`);

export interface RawSlaRow {
  id: string;
  org_id: string;
  type: string;
  team_id: string | null;
  company_tier: string | null;
  category_id: string | null;
  subcategory_id: string | null;
  sla_policy_id: string | null;
  sla_next_due_at: Date | string | null;
  sla_breached: boolean;
  attention_at: Date | string | null;
  plan: string | null;
  plan_done_until: Date | string | null;
}

export function slaRowOf(raw: RawSlaRow): SlaRow {
  return {
    id: raw.id,
    orgId: raw.org_id,
    type: raw.type,
    teamId: raw.team_id,
    companyTier: raw.company_tier,
    categoryId: raw.category_id,
    subcategoryId: raw.subcategory_id,
    slaPolicyId: raw.sla_policy_id,
    slaNextDueAt: toDate(raw.sla_next_due_at),
    slaBreached: raw.sla_breached,
    slaAttentionAt: toDate(raw.attention_at),
    slaPlan: raw.plan,
    slaPlanDoneUntil: toDate(raw.plan_done_until),
  };
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** The ticket row's SLA columns are unchanged (the look-in time aside). */
function sameColumns(stored: TicketSlaState, next: TicketSlaState): boolean {
  return (
    stored.slaPolicyId === next.slaPolicyId &&
    stored.slaBreached === next.slaBreached &&
    sameTime(stored.slaNextDueAt, next.slaNextDueAt)
  );
}

/** The look-in row (time and plan) is unchanged. */
function sameLook(stored: TicketSlaState, next: TicketSlaState): boolean {
  return (
    sameTime(stored.slaAttentionAt, next.slaAttentionAt) &&
    stored.slaPlan === next.slaPlan &&
    sameTime(stored.slaPlanDoneUntil, next.slaPlanDoneUntil)
  );
}

export function sameState(stored: TicketSlaState, next: TicketSlaState): boolean {
  return sameColumns(stored, next) && sameLook(stored, next);
}

export interface SlaWrite {
  id: string;
  /** What is stored now, when the caller read it: unchanged parts are then not written. */
  stored?: TicketSlaState;
  state: TicketSlaState;
}

/**
 * Stores the SLA state of many tickets in at most four statements (one round trip each per
 * batch, not per ticket). Only what changed is written: an update of the ticket row rewrites
 * every index of the row, so a look-in time moved on alone touches only ticket_sla_state, and
 * there a plan unchanged is not sent again (the sweep moves only the time and how far it is done).
 */
export async function writeSlaStates(tx: DbOrTx, orgId: string, writes: SlaWrite[]): Promise<void> {
  const columns = writes.filter((w) => !w.stored || !sameColumns(w.stored, w.state));
  const looks = writes.filter((w) => !w.stored || !sameLook(w.stored, w.state));
  const looking = looks.filter((w) => w.state.slaAttentionAt);
  const planned = looking.filter((w) => !w.stored || w.stored.slaPlan !== w.state.slaPlan);
  const moved = looking.filter((w) => w.stored && w.stored.slaPlan === w.state.slaPlan);
  const done = looks.filter((w) => !w.state.slaAttentionAt);
  const statements: Promise<unknown>[] = [];
  if (columns.length) {
    const rows = columns.map(({ id, state }) => ({
      id,
      policy: state.slaPolicyId,
      due: state.slaNextDueAt?.toISOString() ?? null,
      breached: state.slaBreached,
    }));
    statements.push(
      tx.execute(sql`
        update ${tickets} t
        set sla_policy_id = x.policy, sla_next_due_at = x.due, sla_breached = x.breached
        from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb)
          as x(id uuid, policy uuid, due timestamptz, breached boolean)
        where t.org_id = ${orgId} and t.id = x.id`),
    );
  }
  if (planned.length) {
    const rows = planned.map(({ id, state }) => ({
      id,
      at: state.slaAttentionAt?.toISOString(),
      plan: state.slaPlan,
      done: state.slaPlanDoneUntil?.toISOString() ?? null,
    }));
    statements.push(
      tx.execute(sql`
        insert into ${ticketSlaState} (org_id, ticket_id, attention_at, plan, plan_done_until)
        select ${orgId}, x.id, x.at, x.plan, x.done
        from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb)
          as x(id uuid, at timestamptz, plan text, done timestamptz)
        on conflict (org_id, ticket_id) do update
        set attention_at = excluded.attention_at, plan = excluded.plan, plan_done_until = excluded.plan_done_until`),
    );
  }
  if (moved.length) {
    // Two arrays rather than a JSON document: the sweep moves a thousand rows at once.
    const at = moved.map((w) => w.state.slaAttentionAt?.toISOString());
    const until = moved.map((w) => w.state.slaPlanDoneUntil?.toISOString() ?? "NULL");
    statements.push(
      tx.execute(sql`
        update ${ticketSlaState} s
        set attention_at = x.at, plan_done_until = x.done
        from unnest(${uuidArray(moved.map((w) => w.id))}, ${`{${at.join(",")}}`}::timestamptz[],
                    ${`{${until.join(",")}}`}::timestamptz[]) as x(id, at, done)
        where s.org_id = ${orgId} and s.ticket_id = x.id`),
    );
  }
  if (done.length) {
    statements.push(
      tx.execute(sql`
        delete from ${ticketSlaState}
        where org_id = ${orgId} and ticket_id = any(${uuidArray(done.map((w) => w.id))})`),
    );
  }
  // Sent together: the connection carries them without waiting for each answer.
  await Promise.all(statements);
}

/**
 * Recomputes one ticket's SLA state from its log. Called by every command that changes a
 * ticket, in its transaction, after its events are appended.
 */
export async function refreshTicketSla(
  tx: DbOrTx,
  orgId: string,
  ticketId: string,
  now: Date,
  /** The organization's rules, when the caller has them (many tickets in one transaction). */
  rules?: OrgSla,
  /**
   * The ticket was inserted by this transaction and nothing has recorded its SLA state yet: with
   * no active policy it has none to record, and its log need not be read.
   */
  options: { justCreated?: boolean } = {},
) {
  if (options.justCreated && rules && rules.policies.length === 0) return;
  const [org, log, rows] = await Promise.all([
    rules ?? loadOrgSla(tx, orgId),
    ticketLog(tx, orgId, ticketId),
    tx.execute(sql`
      select ${SLA_ROW_COLUMNS}
      from ${tickets} t
      left join ${companies} c on c.org_id = t.org_id and c.id = t.company_id
      left join ${ticketSlaState} s on s.org_id = t.org_id and s.ticket_id = t.id
      where t.org_id = ${orgId} and t.id = ${ticketId}`),
  ]);
  const [raw] = rowsOf<RawSlaRow>(rows);
  if (!raw) return;
  const row = slaRowOf(raw);
  await writeSlaStates(tx, orgId, [{ id: ticketId, stored: row, state: slaState(org, row, log, now) }]);
}

/**
 * The SLA state of a ticket about to be inserted, from the row and the "ticket.created" event its
 * creation will write. It goes into the INSERT, so a new row is written once instead of inserted
 * and then updated (an update of these columns rewrites every index of the row). Only for a
 * creation in which nothing else changes the ticket before it commits (no rule, no assignment).
 */
export async function slaOfNewTicket(
  tx: DbOrTx,
  rules: OrgSla,
  ticket: Omit<TicketSlaFacts, "companyTier"> & { orgId: string; companyId: string | null },
  createdData: Record<string, unknown>,
  now: Date,
): Promise<TicketSlaState> {
  if (rules.policies.length === 0) return NO_SLA;
  const [company] = ticket.companyId
    ? await tx
        .select({ tier: companies.tier })
        .from(companies)
        .where(and(eq(companies.orgId, ticket.orgId), eq(companies.id, ticket.companyId)))
    : [];
  // As the log will read it back: JSON, without the keys whose value is undefined.
  const log = [{ type: "ticket.created", createdAt: now, data: JSON.parse(JSON.stringify(createdData)) }];
  return slaState(rules, { ...ticket, companyTier: company?.tier ?? null }, log, now);
}

/** Stores a new ticket's look-in time and plan, after its row went in with `slaOfNewTicket`'s state. */
export async function recordNewTicketLook(
  tx: DbOrTx,
  orgId: string,
  ticketId: string,
  state: TicketSlaState,
) {
  const inserted = { ...state, slaAttentionAt: null, slaPlan: null, slaPlanDoneUntil: null };
  await writeSlaStates(tx, orgId, [{ id: ticketId, stored: inserted, state }]);
}

const OPEN_SQL = sql.raw(`('new','open','pending','on_hold')`);
const BATCH = 1000;

/**
 * Recomputes the SLA state of every open ticket of an organization (after a policy or calendar
 * changed, and after seeding), in batches of short transactions that lock their rows, two at once.
 */
export async function refreshOrgSla(
  db: DbOrTx,
  orgId: string,
  now: Date,
  options: { concurrency?: number } = {},
): Promise<number> {
  const org = await loadOrgSla(db, orgId);
  let count = 0;
  await walkInBatches("00000000-0000-0000-0000-000000000000", options.concurrency ?? 2, (after, claimed) =>
    db.transaction(async (tx) => {
      const rows = rowsOf<RawSlaRow>(
        await tx.execute(sql`
          select ${SLA_ROW_COLUMNS}
          from ${tickets} t
          left join ${companies} c on c.org_id = t.org_id and c.id = t.company_id
          left join ${ticketSlaState} s on s.org_id = t.org_id and s.ticket_id = t.id
          where t.org_id = ${orgId} and t.status in ${OPEN_SQL} and t.id > ${after}
          order by t.id
          limit ${BATCH}
          for update of t`),
      ).map(slaRowOf);
      claimed(rows.length === BATCH ? rows[rows.length - 1].id : null);
      if (rows.length === 0) return;
      const logs = await ticketLogs(
        tx,
        orgId,
        rows.map((r) => r.id),
      );
      const writes: SlaWrite[] = [];
      for (const row of rows) {
        const state = slaState(org, row, logs.get(row.id) ?? [], now);
        if (!sameState(row, state)) writes.push({ id: row.id, stored: row, state });
      }
      await writeSlaStates(tx, orgId, writes);
      count += rows.length;
    }),
  );
  return count;
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
