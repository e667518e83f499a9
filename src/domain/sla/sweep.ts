// The SLA sweep: walks the open tickets whose next escalation step has come due, records each due
// step once as a "ticket.sla_escalated" event naming who is to be told, marks breached tickets
// overdue, and moves each ticket's next look-in time on. Safe with several servers sweeping at
// once: a ticket is locked (FOR UPDATE SKIP LOCKED) while its steps are decided and recorded, and
// a step already in the log is never returned by the engine again.
import { and, asc, eq, sql } from "drizzle-orm";
import { slaSettings, teamMembers, tickets, users } from "../../../db/schema";
import { type Ctx, systemActor } from "../context";
import { orgForMail } from "../email/outbox";
import { appendEvents, type DbOrTx } from "../events/log";
import { mailNotice, notifyUsers } from "../notifications/notify";
import { formatTicketNumber } from "../orgs/counters";
import type { TicketEvent } from "./clock";
import { type DueEscalation, dueEscalations, recordedEscalations, SLA_ESCALATED_EVENT } from "./escalation";
import {
  deriveClocks,
  loadOrgSla,
  type OrgSla,
  stateOf,
  type TicketSlaState,
  ticketFacts,
  ticketLogs,
  writeSlaStates,
} from "./tickets";

const OPEN_SQL = sql.raw(`('new','open','pending','on_hold')`);

export interface SweepResult {
  tickets: number;
  escalations: number;
}

interface Recipients {
  supervisors: string[];
  escalationUserId: string | null;
  escalationEmail: string | null;
}

async function orgRecipients(tx: DbOrTx, orgId: string): Promise<Recipients> {
  const [supervisors, settings] = await Promise.all([
    tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.role, "supervisor"), eq(users.active, true))),
    tx.select().from(slaSettings).where(eq(slaSettings.orgId, orgId)),
  ]);
  return {
    supervisors: supervisors.map((u) => u.id),
    escalationUserId: settings[0]?.escalationUserId ?? null,
    escalationEmail: settings[0]?.escalationEmail ?? null,
  };
}

async function teamLeads(tx: DbOrTx, orgId: string, teamId: string | null): Promise<string[]> {
  if (!teamId) return [];
  const rows = await tx
    .select({ id: teamMembers.userId })
    .from(teamMembers)
    .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.teamId, teamId), eq(teamMembers.isLead, true)));
  return rows.map((r) => r.id);
}

/** Who a step notifies (user ids), following the ladder of issue #3. */
async function recipientsOf(
  tx: DbOrTx,
  orgId: string,
  step: DueEscalation,
  ticket: { assigneeId: string | null; teamId: string | null },
  org: Recipients,
): Promise<{ notify: string[]; email: string | null }> {
  switch (step.step) {
    case "remind_assignee":
      return {
        notify: ticket.assigneeId ? [ticket.assigneeId] : await teamLeads(tx, orgId, ticket.teamId),
        email: null,
      };
    case "notify_team_lead":
      return { notify: await teamLeads(tx, orgId, ticket.teamId), email: null };
    case "overdue_supervisor":
      return { notify: org.supervisors, email: null };
    case "escalate_organization":
      return {
        notify: org.escalationUserId ? [org.escalationUserId] : org.supervisors,
        email: org.escalationEmail,
      };
  }
}

/** Sweeps one batch of due tickets in one transaction; returns the last ticket id seen. */
async function sweepBatch(
  db: DbOrTx,
  now: Date,
  after: string,
  limit: number,
  rulesCache: Map<string, OrgSla>,
  result: SweepResult,
): Promise<string | null> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        id: tickets.id,
        orgId: tickets.orgId,
        number: tickets.number,
        subject: tickets.subject,
        assigneeId: tickets.assigneeId,
        teamId: tickets.teamId,
      })
      .from(tickets)
      .where(
        and(
          sql`${tickets.slaAttentionAt} <= ${now.toISOString()}::timestamptz`,
          sql`${tickets.status} in ${OPEN_SQL}`,
          sql`${tickets.id} > ${after}`,
        ),
      )
      .orderBy(asc(tickets.id))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return null;
    const byOrg = new Map<string, typeof due>();
    for (const row of due) byOrg.set(row.orgId, [...(byOrg.get(row.orgId) ?? []), row]);
    for (const [orgId, rows] of byOrg) {
      let rules = rulesCache.get(orgId);
      if (!rules) {
        rules = await loadOrgSla(tx, orgId);
        rulesCache.set(orgId, rules);
      }
      const ids = rows.map((r) => r.id);
      const [logs, facts] = await Promise.all([ticketLogs(tx, orgId, ids), ticketFacts(tx, orgId, ids)]);
      const ctx: Ctx = { db: tx as Ctx["db"], actor: systemActor(orgId), now };
      let recipients: Recipients | undefined;
      const recorded: { type: string; ticketId: string; data: Record<string, unknown> }[] = [];
      const states: { id: string; state: TicketSlaState }[] = [];
      for (const row of rows) {
        const fact = facts.get(row.id);
        const log: TicketEvent[] = logs.get(row.id) ?? [];
        if (!fact) continue;
        const derived = deriveClocks(rules, fact, log, now);
        const steps = derived ? dueEscalations(derived.clocks.clocks, recordedEscalations(log), now) : [];
        for (const step of steps) {
          recipients ??= await orgRecipients(tx, orgId);
          const { notify, email } = await recipientsOf(tx, orgId, step, row, recipients);
          const data = {
            key: step.key,
            step: step.step,
            level: step.level,
            target: step.target,
            cycle: step.cycle,
            reason: step.reason,
            notify,
            email,
          };
          recorded.push({ type: SLA_ESCALATED_EVENT, ticketId: row.id, data });
          log.push({ type: SLA_ESCALATED_EVENT, createdAt: now, data });
          result.escalations++;
        }
        states.push({ id: row.id, state: stateOf(derived, log, now) });
        result.tickets++;
      }
      await appendEvents(tx, ctx, recorded);
      await tellPeople(tx, orgId, rows, recorded, now);
      await writeSlaStates(tx, orgId, states);
    }
    return due[due.length - 1].id;
  });
}

/** Each escalation reaches the people it names, as they chose to be notified. */
async function tellPeople(
  tx: DbOrTx,
  orgId: string,
  rows: { id: string; number: number; subject: string }[],
  recorded: { ticketId: string; data: Record<string, unknown> }[],
  now: Date,
) {
  for (const event of recorded) {
    const ticket = rows.find((r) => r.id === event.ticketId);
    if (!ticket) continue;
    const number = formatTicketNumber(ticket.number);
    const reason = String(event.data.reason ?? "SLA escalation");
    const notice = {
      orgId,
      userIds: (event.data.notify as string[]) ?? [],
      kind: SLA_ESCALATED_EVENT,
      ticketId: ticket.id,
      title: `${number}: ${reason}`,
      body: `“${ticket.subject}” — ${reason}.`,
      url: `/desk/tickets/${number}`,
    };
    await notifyUsers(tx, notice, now);
    const email = event.data.email;
    if (typeof email === "string" && email) {
      await mailNotice(tx, notice, { email, name: "escalation contact" }, await orgForMail(tx, orgId), now);
    }
  }
}

/**
 * One sweep over every organization. Each ticket is visited at most once per sweep (the walk goes
 * by id), so a step just short of its threshold is left for the next sweep.
 */
export async function sweepSla(
  db: DbOrTx,
  now: Date,
  options: { batch?: number; signal?: AbortSignal } = {},
): Promise<SweepResult> {
  const result: SweepResult = { tickets: 0, escalations: 0 };
  const rules = new Map<string, OrgSla>();
  let after: string | null = "00000000-0000-0000-0000-000000000000";
  while (after !== null && !options.signal?.aborted) {
    after = await sweepBatch(db, now, after, options.batch ?? 1000, rules, result);
  }
  return result;
}
