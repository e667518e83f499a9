// Automatic assignment by each team's strategy: round robin or the least loaded agent, among the
// team's available agents under the team's cap. The team's settings row is locked while a ticket
// is assigned, so two tickets arriving at once never both pass an agent's cap, and round robin's
// turn moves on exactly once per ticket.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { rowsOf } from "../../../db/client";
import {
  AGENT_STATUSES,
  type AgentStatus,
  ASSIGNMENT_STRATEGIES,
  type AssignmentStrategy,
  agentStatus,
  DEFAULT_SCORE_WEIGHTS,
  type ScoreWeights,
  teamAssignment,
  teams,
  tickets,
  type WorkingInterval,
} from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { organizationTimeZone } from "../orgs/resolve";
import { type BusinessCalendar, businessMsBetween, compileCalendar, isBusinessTime } from "../sla/calendar";
import { DAY_MS, dayOfWall, utcToWall, wallToUtc } from "../sla/zone";
import { findVisibleTicket, type TicketRef } from "../tickets/access";
import { applyAutomationPatch } from "../tickets/commands";
import { isOneOf, isUuid } from "../tickets/rules";
import { type Candidate, type Choice, chooseAgent, type RequiredSkill } from "./strategy";

const RATING_DAYS = 90;

interface CandidateRow {
  id: string;
  name: string;
  status: AgentStatus;
  open: number;
  weighted: number;
  hours: unknown;
  zoneId: string | null;
  skills: unknown;
  rating: number | null;
}

/**
 * The team's agents with their availability, working hours, skills, zone, rating and load
 * (agent_load, kept by a trigger on tickets), as of `now` in the organization's zone.
 */
export async function teamCandidates(
  tx: DbOrTx,
  orgId: string,
  teamId: string,
  now: Date = new Date(),
  timeZone = "UTC",
): Promise<Candidate[]> {
  const since = new Date(now.getTime() - RATING_DAYS * 86_400_000).toISOString();
  const result = await tx.execute(sql`
    select u.id, u.name, coalesce(s.status, 'available') as status,
           coalesce(l.open, 0) as open, coalesce(l.weighted, 0) as weighted,
           s.working_hours as hours, s.zone_id as "zoneId",
           (select coalesce(json_object_agg(k.skill_id, k.level), '{}'::json) from agent_skills k
            where k.org_id = u.org_id and k.user_id = u.id) as skills,
           (select avg(r.score)::float8 from satisfaction_ratings r
            where r.org_id = u.org_id and r.agent_user_id = u.id and r.score is not null
              and r.rated_at >= ${since}::timestamptz) as rating
    from team_members m
    join users u on u.org_id = m.org_id and u.id = m.user_id and u.active and u.role in ('admin', 'supervisor', 'agent')
    left join agent_status s on s.org_id = u.org_id and s.user_id = u.id
    left join agent_load l on l.org_id = u.org_id and l.user_id = u.id
    where m.org_id = ${orgId} and m.team_id = ${teamId}`);
  return rowsOf<CandidateRow>(result).map((c) => {
    const shift = shiftNow(parseJson<WorkingInterval[]>(c.hours), timeZone, now);
    return {
      id: c.id,
      name: c.name,
      status: c.status,
      open: Number(c.open),
      weighted: Number(c.weighted),
      working: shift.working,
      shiftLeft: shift.left,
      skills: parseJson<Record<string, number>>(c.skills) ?? {},
      zoneId: c.zoneId,
      rating: c.rating === null ? null : (Number(c.rating) - 1) / 4,
    };
  });
}

/** Raw SQL hands json back as text with one driver and parsed with the other. */
function parseJson<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

const calendars = new Map<string, BusinessCalendar>();

/** Whether the agent works now, and the share of today's hours still ahead; no hours set = always. */
export function shiftNow(
  hours: WorkingInterval[] | null,
  timeZone: string,
  now: Date,
): { working: boolean; left: number } {
  if (!hours?.length) return { working: true, left: 1 };
  const key = `${timeZone}|${JSON.stringify(hours)}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = compileCalendar({ name: "working hours", timeZone, weekly: hours, holidays: [] });
    if (calendars.size > 1_000) calendars.clear();
    calendars.set(key, calendar);
  }
  const at = now.getTime();
  const dayStart = wallToUtc(timeZone, dayOfWall(utcToWall(timeZone, at)) * DAY_MS);
  const dayEnd = wallToUtc(timeZone, (dayOfWall(utcToWall(timeZone, at)) + 1) * DAY_MS);
  const today = businessMsBetween(calendar, dayStart, dayEnd);
  return {
    working: isBusinessTime(calendar, at),
    left: today > 0 ? businessMsBetween(calendar, at, dayEnd) / today : 0,
  };
}

/** What the ticket asks of its agent: the skills of its category and subcategory, and its customer's zones. */
async function ticketNeeds(tx: DbOrTx, orgId: string, ticket: { id: string }) {
  const [skillRows, zoneRows] = await Promise.all([
    tx.execute(sql`
      select cs.skill_id as "skillId", k.name, max(cs.min_level)::int as "minLevel"
      from tickets t
      join category_skills cs on cs.org_id = t.org_id and cs.category_id in (t.category_id, t.subcategory_id)
      join skills k on k.org_id = cs.org_id and k.id = cs.skill_id
      where t.org_id = ${orgId} and t.id = ${ticket.id}
      group by cs.skill_id, k.name order by k.name`),
    tx.execute(sql`
      select distinct l.zone_id as "zoneId"
      from tickets t
      join service_locations l on l.org_id = t.org_id and l.zone_id is not null
        and (l.company_id = t.company_id or l.contact_id = t.contact_id)
      where t.org_id = ${orgId} and t.id = ${ticket.id}`),
  ]);
  return {
    required: rowsOf<RequiredSkill>(skillRows).map((r) => ({ ...r, minLevel: Number(r.minLevel) })),
    ticketZones: rowsOf<{ zoneId: string }>(zoneRows).map((z) => z.zoneId),
  };
}

/**
 * Assigns the ticket by its team's strategy when it has a team and no assignee (or, with `force`,
 * even when it has one). Records what was decided, and why, as an event; returns the choice.
 */
export async function assignByTeamStrategy(
  tx: DbOrTx,
  ctx: Ctx,
  ticketId: string,
  options: { force?: boolean } = {},
): Promise<Choice | undefined> {
  const [ticket] = await tx
    .select({
      id: tickets.id,
      teamId: tickets.teamId,
      assigneeId: tickets.assigneeId,
      status: tickets.status,
    })
    .from(tickets)
    .where(and(eq(tickets.orgId, ctx.actor.orgId), eq(tickets.id, ticketId)));
  if (!ticket?.teamId || ticket.status === "closed") return undefined;
  if (ticket.assigneeId && !options.force) return undefined;
  const [settings] = await tx
    .select()
    .from(teamAssignment)
    .where(and(eq(teamAssignment.orgId, ctx.actor.orgId), eq(teamAssignment.teamId, ticket.teamId)))
    .for("update");
  if (!settings || settings.strategy === "manual") {
    if (!options.force) return undefined;
    const choice = { reason: "the team assigns by hand" };
    await appendEvent(tx, ctx, { type: "ticket.auto_assign_skipped", ticketId, data: choice });
    return choice;
  }
  const timeZone = await organizationTimeZone(tx as Db, ctx.actor.orgId);
  const [candidates, needs] = await Promise.all([
    teamCandidates(tx, ctx.actor.orgId, ticket.teamId, ctx.now, timeZone),
    ["skills", "weighted"].includes(settings.strategy)
      ? ticketNeeds(tx, ctx.actor.orgId, ticket)
      : Promise.resolve({ required: [], ticketZones: [] }),
  ]);
  const pool = candidates.filter((c) => c.id !== ticket.assigneeId);
  const choice = chooseAgent(settings.strategy, pool, {
    cap: settings.maxOpenPerAgent,
    lastAssignedId: settings.lastAssignedUserId,
    weights: settings.weights,
    ...needs,
  });
  if (!choice.userId) {
    await appendEvent(tx, ctx, {
      type: "ticket.auto_assign_skipped",
      ticketId,
      data: { reason: choice.reason },
    });
    return choice;
  }
  const assigner: Ctx = {
    ...ctx,
    db: tx as unknown as Db,
    actor: { kind: "system", orgId: ctx.actor.orgId, role: "admin", name: "Automatic assignment" },
    automation: true,
  };
  await applyAutomationPatch(tx, assigner, ticketId, { assigneeId: choice.userId });
  await tx
    .update(teamAssignment)
    .set({ lastAssignedUserId: choice.userId })
    .where(and(eq(teamAssignment.orgId, ctx.actor.orgId), eq(teamAssignment.teamId, ticket.teamId)));
  await appendEvent(tx, assigner, {
    type: "ticket.auto_assigned",
    ticketId,
    data: { userId: choice.userId, name: choice.name, strategy: settings.strategy, reason: choice.reason },
  });
  return choice;
}

/** The agent's "Assign automatically" button. */
export async function assignNow(ctx: Ctx, ref: TicketRef): Promise<Choice | undefined> {
  requirePermission(ctx.actor, "tickets.work");
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  if (!ticket.teamId)
    throw invalid({ teamId: "Put the ticket in a team first; its strategy picks the agent." });
  return ctx.db.transaction((tx) => assignByTeamStrategy(tx, ctx, ticket.id, { force: true }));
}

export interface TeamAssignmentRow {
  teamId: string;
  teamName: string;
  strategy: AssignmentStrategy;
  maxOpenPerAgent: number | null;
  weights: ScoreWeights;
}

export async function listTeamAssignment(ctx: Ctx): Promise<TeamAssignmentRow[]> {
  requirePermission(ctx.actor, "org.admin");
  const rows = await ctx.db
    .select({
      teamId: teams.id,
      teamName: teams.name,
      strategy: teamAssignment.strategy,
      maxOpenPerAgent: teamAssignment.maxOpenPerAgent,
      weights: teamAssignment.weights,
    })
    .from(teams)
    .leftJoin(teamAssignment, and(eq(teamAssignment.orgId, teams.orgId), eq(teamAssignment.teamId, teams.id)))
    .where(eq(teams.orgId, ctx.actor.orgId))
    .orderBy(teams.name);
  return rows.map((r) => ({
    ...r,
    strategy: r.strategy ?? "manual",
    maxOpenPerAgent: r.maxOpenPerAgent ?? null,
    weights: r.weights ?? DEFAULT_SCORE_WEIGHTS,
  }));
}

export async function saveTeamAssignment(
  ctx: Ctx,
  teamId: string,
  input: { strategy: string; maxOpenPerAgent: string; weights?: Partial<Record<keyof ScoreWeights, string>> },
): Promise<void> {
  requirePermission(ctx.actor, "org.admin");
  if (!isUuid(teamId)) throw notFound("That team");
  const [team] = await ctx.db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(and(eq(teams.orgId, ctx.actor.orgId), eq(teams.id, teamId)));
  if (!team) throw notFound("That team");
  const fields: FieldErrors = {};
  if (!isOneOf(ASSIGNMENT_STRATEGIES, input.strategy)) fields.strategy = "Choose how tickets are assigned.";
  const capText = input.maxOpenPerAgent.trim();
  const cap = capText ? Number(capText) : null;
  if (capText && (!/^\d{1,4}$/.test(capText) || (cap as number) < 1))
    fields.maxOpenPerAgent = "Give a whole number of tickets from 1 to 9,999, or leave it empty for no cap.";
  const weights = input.weights ? parseWeights(input.weights, fields) : null;
  if (Object.keys(fields).length) throw invalid(fields);
  const strategy = input.strategy as AssignmentStrategy;
  await ctx.db.transaction(async (tx) => {
    const values = { strategy, maxOpenPerAgent: cap, ...(weights ? { weights } : {}), updatedAt: ctx.now };
    await tx
      .insert(teamAssignment)
      .values({ orgId: ctx.actor.orgId, teamId: team.id, ...values })
      .onConflictDoUpdate({ target: [teamAssignment.orgId, teamAssignment.teamId], set: values });
    await appendEvent(tx, ctx, {
      type: "team.assignment_changed",
      data: { teamId: team.id, name: team.name, strategy, maxOpenPerAgent: cap, weights },
    });
  });
}

const WEIGHT_PARTS = ["zone", "availability", "workload", "rating"] as const;

/** The weighted score's shares as typed: whole percents 0–100, not all zero; none typed keeps them. */
function parseWeights(
  input: Partial<Record<keyof ScoreWeights, string>>,
  fields: FieldErrors,
): ScoreWeights | null {
  if (WEIGHT_PARTS.every((part) => !(input[part] ?? "").trim())) return null;
  const weights = { ...DEFAULT_SCORE_WEIGHTS };
  for (const part of WEIGHT_PARTS) {
    const text = (input[part] ?? "").trim();
    if (!/^\d{1,3}$/.test(text) || Number(text) > 100) {
      fields[`weight_${part}`] = "Give a whole percent from 0 to 100.";
      continue;
    }
    weights[part] = Number(text);
  }
  if (WEIGHT_PARTS.every((p) => weights[p] === 0) && !WEIGHT_PARTS.some((p) => fields[`weight_${p}`]))
    fields.weight_zone = "At least one part of the score needs a weight above 0.";
  return weights;
}

export async function myAvailability(ctx: Ctx): Promise<AgentStatus> {
  if (!ctx.actor.userId) return "offline";
  const [row] = await ctx.db
    .select({ status: agentStatus.status })
    .from(agentStatus)
    .where(and(eq(agentStatus.orgId, ctx.actor.orgId), eq(agentStatus.userId, ctx.actor.userId)));
  return row?.status ?? "available";
}

/** The agent's own availability: away and offline agents get no automatically assigned tickets. */
export async function setMyAvailability(ctx: Ctx, status: string): Promise<void> {
  requirePermission(ctx.actor, "tickets.work");
  if (!isOneOf(AGENT_STATUSES, status)) throw invalid({ availability: "Choose available, away or offline." });
  const userId = ctx.actor.userId;
  if (!userId) throw invalid({ availability: "Only people have an availability." });
  await ctx.db
    .insert(agentStatus)
    .values({ orgId: ctx.actor.orgId, userId, status, updatedAt: ctx.now })
    .onConflictDoUpdate({
      target: [agentStatus.orgId, agentStatus.userId],
      set: { status, updatedAt: ctx.now },
    });
}
