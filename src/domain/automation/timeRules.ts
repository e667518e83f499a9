// Time-based rules: "48 hours in pending", "24 hours since the last update", "3 hours before the
// SLA is due". A periodic job finds, per active rule, the tickets whose time has come with one
// indexed query, checks the rule's conditions against each, and runs its actions once per
// episode — since creation; since the last update; since the ticket entered pending; since it was
// solved; before one due time. A ticket whose conditions did not hold is looked at again only after
// it changes. The firing row is claimed first, so two servers running the job never act twice.
import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  automationRuleFirings,
  automationRules,
  events,
  TIME_TRIGGERS,
  type TimeTrigger,
  tickets,
} from "../../../db/schema";
import { systemActor } from "../context";
import { applyRule, evaluate, factsOf } from "./engine";

export const TIME_RULES_QUEUE = "automation.time_rules";
/** Tickets looked at per rule per run; the next run continues where this one stopped. */
const BATCH = 500;
const HOUR_MS = 3_600_000;

export const TIME_TRIGGER_LABELS: Record<TimeTrigger, string> = {
  "time.since_created": "hours after the ticket was created",
  "time.since_updated": "hours after the ticket was last updated",
  "time.in_pending": "hours after the ticket became pending",
  "time.since_solved": "hours after the ticket was solved",
  "time.sla_due_within": "hours before the ticket's next SLA target is due",
};

export const isTimeTrigger = (trigger: string): trigger is TimeTrigger =>
  (TIME_TRIGGERS as readonly string[]).includes(trigger);

type Rule = typeof automationRules.$inferSelect;

interface Candidate {
  id: string;
  updatedAt: Date;
  /** What identifies the episode: the rule runs once per ticket per episode. */
  episode: string;
}

/** Tickets whose time has come for the rule and that it has not looked at in this episode. */
async function candidates(db: Db, rule: Rule, now: Date): Promise<Candidate[]> {
  const hours = rule.hours ?? 0;
  const cutoff = new Date(now.getTime() - hours * HOUR_MS).toISOString();
  const open = sql`${tickets.status} in ('new','open','pending','on_hold')`;
  const notLookedAt = (episode: SQL) => sql`not exists (
    select 1 from ${automationRuleFirings} f
    where f.rule_id = ${rule.id} and f.ticket_id = ${tickets.id} and f.episode = ${episode}
      and (f.matched or f.checked_at >= ${tickets.updatedAt}))`;
  const select = (episode: SQL, when: SQL | undefined) =>
    db
      .select({ id: tickets.id, updatedAt: tickets.updatedAt, episode: sql<string>`${episode}` })
      .from(tickets)
      .where(and(eq(tickets.orgId, rule.orgId), when, notLookedAt(episode)))
      .orderBy(asc(tickets.updatedAt))
      .limit(BATCH);
  const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  switch (rule.trigger as TimeTrigger) {
    case "time.since_created":
      return select(sql`'created'`, and(open, sql`${tickets.createdAt} <= ${cutoff}::timestamptz`));
    case "time.since_updated":
      return select(
        iso(sql`${tickets.updatedAt}`),
        and(open, sql`${tickets.updatedAt} <= ${cutoff}::timestamptz`),
      );
    case "time.since_solved":
      return select(
        iso(sql`${tickets.solvedAt}`),
        sql`${tickets.status} = 'solved' and ${tickets.solvedAt} <= ${cutoff}::timestamptz`,
      );
    case "time.sla_due_within": {
      const horizon = new Date(now.getTime() + hours * HOUR_MS).toISOString();
      return select(
        iso(sql`${tickets.slaNextDueAt}`),
        and(
          open,
          sql`not ${tickets.slaBreached} and ${tickets.slaNextDueAt} > ${now.toISOString()}::timestamptz
              and ${tickets.slaNextDueAt} <= ${horizon}::timestamptz`,
        ),
      );
    }
    case "time.in_pending":
      return pendingCandidates(db, rule, new Date(cutoff));
  }
}

/**
 * Since when a ticket is pending is in the event log, not on the ticket row (which says only when
 * it last changed, and a note changes it): the latest change to "pending" of each pending ticket,
 * the least recently updated 2,000 per run (the likeliest to be due; the next run looks again).
 */
async function pendingCandidates(db: Db, rule: Rule, cutoff: Date): Promise<Candidate[]> {
  const pending = await db
    .select({ id: tickets.id, updatedAt: tickets.updatedAt })
    .from(tickets)
    .where(and(eq(tickets.orgId, rule.orgId), eq(tickets.status, "pending")))
    .orderBy(asc(tickets.updatedAt))
    .limit(BATCH * 4);
  if (pending.length === 0) return [];
  const changes = await db
    .select({ ticketId: events.ticketId, data: events.data, at: events.createdAt })
    .from(events)
    .where(
      and(
        eq(events.orgId, rule.orgId),
        eq(events.type, "ticket.status_changed"),
        inArray(
          events.ticketId,
          pending.map((t) => t.id),
        ),
      ),
    )
    .orderBy(asc(events.seq));
  const since = new Map<string, Date>();
  for (const change of changes) {
    const data = (typeof change.data === "string" ? JSON.parse(change.data) : change.data) as { to?: string };
    if (data.to === "pending" && change.ticketId) since.set(change.ticketId, change.at);
  }
  const due = pending
    .map((t) => ({ ...t, since: since.get(t.id) }))
    .filter((t): t is typeof t & { since: Date } => Boolean(t.since && t.since <= cutoff))
    .map((t) => ({ id: t.id, updatedAt: t.updatedAt, episode: t.since.toISOString() }));
  if (due.length === 0) return [];
  const seen = await db
    .select()
    .from(automationRuleFirings)
    .where(
      and(
        eq(automationRuleFirings.ruleId, rule.id),
        inArray(
          automationRuleFirings.ticketId,
          due.map((t) => t.id),
        ),
      ),
    );
  return due
    .filter(
      (t) =>
        !seen.some(
          (f) => f.ticketId === t.id && f.episode === t.episode && (f.matched || f.checkedAt >= t.updatedAt),
        ),
    )
    .slice(0, BATCH);
}

/** Claims the rule's look at one ticket in this episode; false when another run has it. */
async function claim(
  tx: Db,
  rule: Rule,
  candidate: Candidate,
  matched: boolean,
  now: Date,
): Promise<boolean> {
  const rows = await tx
    .insert(automationRuleFirings)
    .values({
      orgId: rule.orgId,
      ruleId: rule.id,
      ticketId: candidate.id,
      episode: candidate.episode,
      matched,
      checkedAt: now,
    })
    .onConflictDoUpdate({
      target: [automationRuleFirings.ruleId, automationRuleFirings.ticketId, automationRuleFirings.episode],
      set: { matched, checkedAt: now },
      // A look that already ran the actions is final; a look whose conditions failed may be redone.
      setWhere: sql`not ${automationRuleFirings.matched}`,
    })
    .returning({ ruleId: automationRuleFirings.ruleId });
  return rows.length > 0;
}

/** One rule over its due tickets; returns how many it acted on. */
async function runTimeRule(db: Db, rule: Rule, now: Date): Promise<number> {
  let fired = 0;
  for (const candidate of await candidates(db, rule, now)) {
    const acted = await db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      // The ticket row is locked so a change made meanwhile is seen, or waits for this.
      await db.execute(sql`select 1 from ${tickets} where id = ${candidate.id} for update`);
      const current = await factsOf(db, rule.orgId, candidate.id);
      if (!current) return false;
      const matched = evaluate(rule, current.facts).matched;
      if (!(await claim(db, rule, candidate, matched, now))) return false;
      if (!matched) return false;
      await applyRule(db, { db, actor: systemActor(rule.orgId), now }, rule, current.ticket);
      return true;
    });
    if (acted) fired++;
  }
  return fired;
}

/** The job: every active time-based rule of every organization, each over its due tickets. */
export async function runTimeRules(db: Db, now: Date, signal?: AbortSignal): Promise<number> {
  const rules = await db
    .select()
    .from(automationRules)
    .where(and(eq(automationRules.active, true), inArray(automationRules.trigger, [...TIME_TRIGGERS])))
    .orderBy(asc(automationRules.orgId), asc(automationRules.position));
  let fired = 0;
  for (const rule of rules) {
    if (signal?.aborted) break;
    if (!rule.hours) continue;
    fired += await runTimeRule(db, rule, now);
  }
  return fired;
}

/** When the rule's time comes for one ticket, in words, for the rule's dry run. */
export async function explainTiming(
  db: Db,
  rule: Rule,
  ticket: typeof tickets.$inferSelect,
  now: Date,
): Promise<{ due: boolean; text: string }> {
  const hours = rule.hours ?? 0;
  const ago = (at: Date) => `${Math.floor((now.getTime() - at.getTime()) / HOUR_MS)} h ago`;
  const after = (label: string, at: Date | null) => {
    if (!at) return { due: false, text: `The ticket was never ${label}, so the rule does not apply.` };
    const due = at.getTime() + hours * HOUR_MS <= now.getTime();
    return {
      due,
      text: `${label[0].toUpperCase()}${label.slice(1)} ${ago(at)}; the rule's time (${hours} h) ${due ? "has come" : `comes at ${new Date(at.getTime() + hours * HOUR_MS).toISOString().slice(0, 16).replace("T", " ")} UTC`}.`,
    };
  };
  switch (rule.trigger as TimeTrigger) {
    case "time.since_created":
      return after("created", ticket.createdAt);
    case "time.since_updated":
      return after("last updated", ticket.updatedAt);
    case "time.since_solved":
      return after("solved", ticket.status === "solved" ? ticket.solvedAt : null);
    case "time.sla_due_within": {
      const dueAt = ticket.slaBreached ? null : ticket.slaNextDueAt;
      if (!dueAt) return { due: false, text: "No SLA target is running on time for this ticket." };
      const within = dueAt.getTime() > now.getTime() && dueAt.getTime() - now.getTime() <= hours * HOUR_MS;
      return {
        due: within,
        text: `The next target is due ${dueAt.toISOString().slice(0, 16).replace("T", " ")} UTC; the rule acts within ${hours} h of it${within ? ", which is now" : ""}.`,
      };
    }
    case "time.in_pending": {
      if (ticket.status !== "pending") return { due: false, text: "The ticket is not pending." };
      const rows = await db
        .select({ data: events.data, at: events.createdAt })
        .from(events)
        .where(
          and(
            eq(events.orgId, ticket.orgId),
            eq(events.ticketId, ticket.id),
            eq(events.type, "ticket.status_changed"),
          ),
        )
        .orderBy(asc(events.seq));
      const since = rows
        .filter(
          (r) =>
            ((typeof r.data === "string" ? JSON.parse(r.data) : r.data) as { to?: string }).to === "pending",
        )
        .at(-1)?.at;
      return after("made pending", since ?? ticket.updatedAt);
    }
  }
}
