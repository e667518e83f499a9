// The SLA sweep: walks the open tickets whose next escalation step has come due, records each due
// step once as a "ticket.sla_escalated" event naming who is to be told, marks breached tickets
// overdue, and moves each ticket's next look-in time on. Safe with several servers sweeping at
// once: a ticket is locked (FOR UPDATE SKIP LOCKED) while its steps are recorded, and a step is
// recorded only past how far its plan is done (or, from the log, only when not in the log yet).
//
// The look-in times live in ticket_sla_state, apart from the ticket row: a step that moves no due
// time (the 50 % and 75 % reminders, the step 24 hours past a breach) writes only there, and the
// ticket row, with its nine indexes, is written only when its due time or overdue flag changes.
// Beside the look-in time is the plan of the coming steps (plan.ts), made whenever the due times
// are: the sweep records the steps from it — no event log read, no engine run — and the events of
// a batch, their announcements and their notifications are written a statement each.
import { and, eq, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { companies, slaSettings, teamMembers, ticketSlaState, tickets, users } from "../../../db/schema";
import { type Ctx, systemActor } from "../context";
import { orgForMail } from "../email/outbox";
import { appendEvents, type DbOrTx } from "../events/log";
import { mailNotice, type Notice, notifyAll } from "../notifications/notify";
import { formatTicketNumber } from "../orgs/counters";
import { walkInBatches } from "./batches";
import type { TicketEvent } from "./clock";
import { type DueEscalation, dueEscalations, recordedEscalations, SLA_ESCALATED_EVENT } from "./escalation";
import { decodePlan, firstStepAt, reasonOf } from "./plan";
import {
  deriveClocks,
  loadOrgSla,
  type OrgSla,
  type RawSlaRow,
  SLA_ROW_COLUMNS,
  type SlaRow,
  type SlaWrite,
  slaRowOf,
  stateOf,
  type TicketSlaState,
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

async function teamLeads(tx: DbOrTx, orgId: string, teamId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: teamMembers.userId })
    .from(teamMembers)
    .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.teamId, teamId), eq(teamMembers.isLead, true)));
  return rows.map((r) => r.id);
}

/** Who a step notifies (user ids), following the ladder of issue #3. */
async function recipientsOf(
  step: Pick<DueEscalation, "step">,
  ticket: { assigneeId: string | null; teamId: string | null },
  recipients: Promise<Recipients>,
  leadsOf: (teamId: string) => Promise<string[]>,
): Promise<{ notify: string[]; email: string | null }> {
  const leads = async () => (ticket.teamId ? [...(await leadsOf(ticket.teamId))] : []);
  const org = await recipients;
  switch (step.step) {
    case "remind_assignee":
      return { notify: ticket.assigneeId ? [ticket.assigneeId] : await leads(), email: null };
    case "notify_team_lead":
      return { notify: await leads(), email: null };
    case "overdue_supervisor":
      return { notify: [...org.supervisors], email: null };
    case "escalate_organization":
      return {
        notify: org.escalationUserId ? [org.escalationUserId] : [...org.supervisors],
        email: org.escalationEmail,
      };
  }
}

/** Where the walk over due tickets stands: the last (look-in time, ticket) taken. */
interface Cursor {
  at: string;
  id: string;
}

const START: Cursor = { at: "-infinity", id: "00000000-0000-0000-0000-000000000000" };

/** What a sweep shares between its batches. */
interface Sweep {
  now: Date;
  limit: number;
  /** Each organization's rules, loaded once per sweep. */
  rules: Map<string, Promise<OrgSla>>;
  /** Tickets already visited: each at most once per sweep. */
  seen: Set<string>;
  result: SweepResult;
}

/**
 * Sweeps one batch of due tickets in one transaction. `claimed` learns where the batch ends as
 * soon as its tickets are locked, so the next batch can start while this one works.
 */
async function sweepBatch(db: DbOrTx, sweep: Sweep, after: Cursor, claimed: (next: Cursor | null) => void) {
  const { now } = sweep;
  await db.transaction(async (tx) => {
    // The ticket row is locked as well as its look-in row: commands lock the ticket before they
    // append to its log and write a new plan, so the steps are recorded from a plan no command is
    // replacing.
    const due = rowsOf<RawSlaRow & DueColumns>(
      await tx.execute(sql`
        select ${SLA_ROW_COLUMNS}, t.number, t.subject, t.assignee_id, s.attention_at::text as cursor
        from ${ticketSlaState} s
        join ${tickets} t on t.org_id = s.org_id and t.id = s.ticket_id
        left join ${companies} c on c.org_id = t.org_id and c.id = t.company_id
        where s.attention_at <= ${now.toISOString()}::timestamptz
          and (s.attention_at, s.ticket_id) > (${after.at}::timestamptz, ${after.id}::uuid)
          and t.status in ${OPEN_SQL}
        order by s.attention_at, s.ticket_id
        limit ${sweep.limit}
        for update of t, s skip locked`),
    );
    const last = due[due.length - 1];
    claimed(last ? { at: last.cursor, id: last.id } : null);
    const byOrg = new Map<string, DueTicket[]>();
    for (const raw of due) {
      if (sweep.seen.has(raw.id)) continue;
      sweep.seen.add(raw.id);
      const row = { ...slaRowOf(raw), number: raw.number, subject: raw.subject, assigneeId: raw.assignee_id };
      const rows = byOrg.get(row.orgId);
      if (rows) rows.push(row);
      else byOrg.set(row.orgId, [row]);
    }
    for (const [orgId, rows] of byOrg) await sweepOrgTickets(tx, sweep, orgId, rows);
  });
}

/**
 * A due ticket's steps from its stored plan: those past how far the plan is done, up to now.
 * Null when the plan cannot say (none stored, or words that have changed since the step came due).
 */
function plannedSteps(row: DueTicket, now: Date) {
  if (!row.slaPlan) return null;
  const plan = decodePlan(row.slaPlan);
  const at = now.getTime();
  const from = row.slaPlanDoneUntil?.getTime() ?? Number.NEGATIVE_INFINITY;
  const due = plan.steps.filter((s) => s.at > from && s.at <= at);
  if (due.some((s) => s.until !== null && s.until <= at)) return null;
  const ahead = { ...plan, steps: plan.steps.filter((s) => s.at > at) };
  const state: TicketSlaState = {
    slaPolicyId: row.slaPolicyId,
    slaNextDueAt: row.slaNextDueAt,
    slaBreached: row.slaBreached || (plan.breachAt !== null && plan.breachAt <= at),
    slaAttentionAt: firstStepAt(ahead),
    // The plan stays as stored: the steps up to now are done.
    slaPlan: ahead.steps.length ? row.slaPlan : null,
    slaPlanDoneUntil: ahead.steps.length ? now : null,
  };
  return { due, state };
}

/**
 * Records the due steps of one organization's tickets: from their stored plans, and from the event
 * log through the engine for the few whose plan cannot say (rows stored before plans were, or a
 * sweep so late that a step's words have changed since it came due).
 */
async function sweepOrgTickets(tx: DbOrTx, sweep: Sweep, orgId: string, rows: DueTicket[]) {
  const { now, result } = sweep;
  const people = new People(tx, orgId);
  const recorded: Recorded[] = [];
  const writes: SlaWrite[] = [];
  const record = async (row: DueTicket, step: Omit<DueEscalation, "reason">, reason: string) => {
    const { notify, email } = await people.of(step, row);
    const { key, level, target, cycle } = step;
    const data = { key, step: step.step, level, target, cycle, reason, notify, email };
    recorded.push({ type: SLA_ESCALATED_EVENT, ticketId: row.id, data, ticket: row });
    result.escalations++;
    return data;
  };
  const unplanned: DueTicket[] = [];
  for (const row of rows) {
    const planned = plannedSteps(row, now);
    if (!planned) {
      unplanned.push(row);
      continue;
    }
    for (const step of planned.due) await record(row, step, reasonOf(step));
    writes.push({ id: row.id, stored: row, state: planned.state });
    result.tickets++;
  }
  if (unplanned.length) {
    let rules = sweep.rules.get(orgId);
    if (!rules) {
      rules = loadOrgSla(tx, orgId);
      sweep.rules.set(orgId, rules);
    }
    const [org, logs] = await Promise.all([
      rules,
      ticketLogs(
        tx,
        orgId,
        unplanned.map((r) => r.id),
      ),
    ]);
    for (const row of unplanned) {
      const log: TicketEvent[] = logs.get(row.id) ?? [];
      const derived = deriveClocks(org, row, log, now);
      const steps = derived ? dueEscalations(derived.clocks.clocks, recordedEscalations(log), now) : [];
      for (const step of steps) {
        const data = await record(row, step, step.reason);
        log.push({ type: SLA_ESCALATED_EVENT, createdAt: now, data });
      }
      writes.push({ id: row.id, stored: row, state: stateOf(derived, log, now) });
      result.tickets++;
    }
  }
  const ctx: Ctx = { db: tx as Ctx["db"], actor: systemActor(orgId), now };
  // Sent together: the connection carries them without waiting for each answer.
  await Promise.all([
    appendEvents(
      tx,
      ctx,
      recorded.map(({ type, ticketId, data }) => ({ type, ticketId, data })),
    ),
    writeSlaStates(tx, orgId, writes),
    tellPeople(tx, orgId, recorded, now),
  ]);
}

interface DueColumns {
  number: number;
  subject: string;
  assignee_id: string | null;
  cursor: string;
}

type DueTicket = SlaRow & { number: number; subject: string; assigneeId: string | null };

interface Recorded {
  type: string;
  ticketId: string;
  data: { reason: string; notify: string[]; email: string | null } & Record<string, unknown>;
  ticket: { id: string; number: number; subject: string };
}

/** Who escalations of one organization reach, looked up once per batch. */
class People {
  #org?: Promise<Recipients>;
  #leads = new Map<string, Promise<string[]>>();
  constructor(
    private tx: DbOrTx,
    private orgId: string,
  ) {}

  of(step: Pick<DueEscalation, "step">, ticket: { assigneeId: string | null; teamId: string | null }) {
    this.#org ??= orgRecipients(this.tx, this.orgId);
    return recipientsOf(step, ticket, this.#org, (teamId) => {
      let leads = this.#leads.get(teamId);
      if (!leads) {
        leads = teamLeads(this.tx, this.orgId, teamId);
        this.#leads.set(teamId, leads);
      }
      return leads;
    });
  }
}

/**
 * Each escalation reaches the people it names, as they chose to be notified: the notifications of
 * a batch are written together; an outside escalation contact is mailed each one.
 */
async function tellPeople(tx: DbOrTx, orgId: string, recorded: Recorded[], now: Date) {
  const notices: Notice[] = [];
  const mails: { notice: Notice; email: string }[] = [];
  for (const { ticket, data } of recorded) {
    if (data.notify.length === 0 && !data.email) continue;
    const number = formatTicketNumber(ticket.number);
    const reason = String(data.reason ?? "SLA escalation");
    const notice = {
      orgId,
      userIds: data.notify,
      kind: SLA_ESCALATED_EVENT,
      ticketId: ticket.id,
      title: `${number}: ${reason}`,
      body: `“${ticket.subject}” — ${reason}.`,
      url: `/desk/tickets/${number}`,
    };
    if (data.notify.length) notices.push(notice);
    if (data.email) mails.push({ notice, email: data.email });
  }
  await notifyAll(tx, orgId, notices, now);
  if (mails.length === 0) return;
  const org = await orgForMail(tx, orgId);
  for (const { notice, email } of mails)
    await mailNotice(tx, notice, { email, name: "escalation contact" }, org, now);
}

/**
 * One sweep over every organization. The walk goes through the due tickets in the order of their
 * look-in time and visits each at most once, so a step just short of its threshold is left for the
 * next sweep. Up to `concurrency` batches run at once, each in its own transaction: a batch locks
 * its tickets first, and the next one starts past them while it decides and records its steps.
 */
export async function sweepSla(
  db: DbOrTx,
  now: Date,
  options: { batch?: number; concurrency?: number; signal?: AbortSignal } = {},
): Promise<SweepResult> {
  const sweep: Sweep = {
    now,
    limit: options.batch ?? 1000,
    rules: new Map(),
    seen: new Set(),
    result: { tickets: 0, escalations: 0 },
  };
  await walkInBatches(
    START,
    options.concurrency ?? 2,
    (after, claimed) => sweepBatch(db, sweep, after, claimed),
    options.signal,
  );
  return sweep.result;
}
