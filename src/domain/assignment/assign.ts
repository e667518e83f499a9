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
  teamAssignment,
  teams,
  tickets,
} from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { findVisibleTicket, type TicketRef } from "../tickets/access";
import { applyAutomationPatch } from "../tickets/commands";
import { isOneOf, isUuid } from "../tickets/rules";
import { type Candidate, type Choice, chooseAgent } from "./strategy";

/** The team's agents with their availability and load (agent_load, kept by a trigger on tickets). */
export async function teamCandidates(tx: DbOrTx, orgId: string, teamId: string): Promise<Candidate[]> {
  const result = await tx.execute(sql`
    select u.id, u.name, coalesce(s.status, 'available') as status,
           coalesce(l.open, 0) as open, coalesce(l.weighted, 0) as weighted
    from team_members m
    join users u on u.org_id = m.org_id and u.id = m.user_id and u.active and u.role in ('admin', 'supervisor', 'agent')
    left join agent_status s on s.org_id = u.org_id and s.user_id = u.id
    left join agent_load l on l.org_id = u.org_id and l.user_id = u.id
    where m.org_id = ${orgId} and m.team_id = ${teamId}`);
  return rowsOf<Candidate>(result).map((c) => ({ ...c, open: Number(c.open), weighted: Number(c.weighted) }));
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
  const pool = (await teamCandidates(tx, ctx.actor.orgId, ticket.teamId)).filter(
    (c) => c.id !== ticket.assigneeId,
  );
  const choice = chooseAgent(settings.strategy, pool, {
    cap: settings.maxOpenPerAgent,
    lastAssignedId: settings.lastAssignedUserId,
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
}

export async function listTeamAssignment(ctx: Ctx): Promise<TeamAssignmentRow[]> {
  requirePermission(ctx.actor, "org.admin");
  const rows = await ctx.db
    .select({
      teamId: teams.id,
      teamName: teams.name,
      strategy: teamAssignment.strategy,
      maxOpenPerAgent: teamAssignment.maxOpenPerAgent,
    })
    .from(teams)
    .leftJoin(teamAssignment, and(eq(teamAssignment.orgId, teams.orgId), eq(teamAssignment.teamId, teams.id)))
    .where(eq(teams.orgId, ctx.actor.orgId))
    .orderBy(teams.name);
  return rows.map((r) => ({
    ...r,
    strategy: r.strategy ?? "manual",
    maxOpenPerAgent: r.maxOpenPerAgent ?? null,
  }));
}

export async function saveTeamAssignment(
  ctx: Ctx,
  teamId: string,
  input: { strategy: string; maxOpenPerAgent: string },
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
  if (Object.keys(fields).length) throw invalid(fields);
  const strategy = input.strategy as AssignmentStrategy;
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(teamAssignment)
      .values({ orgId: ctx.actor.orgId, teamId: team.id, strategy, maxOpenPerAgent: cap, updatedAt: ctx.now })
      .onConflictDoUpdate({
        target: [teamAssignment.orgId, teamAssignment.teamId],
        set: { strategy, maxOpenPerAgent: cap, updatedAt: ctx.now },
      });
    await appendEvent(tx, ctx, {
      type: "team.assignment_changed",
      data: { teamId: team.id, name: team.name, strategy, maxOpenPerAgent: cap },
    });
  });
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
