// SLA breach risk: the probability that an open ticket misses its next target. The model learns
// from the organization's history replayed through the SLA engine: for each finished target, a
// snapshot part-way through (as it looked then: share of business time used, assignee's load,
// hour, channel, the customer's earlier breaches) labelled with whether the target was missed.
// Only snapshots taken before a breach count, so the model is asked what agents are asked.

import { and, desc, eq, gte, inArray, isNotNull, sql } from "drizzle-orm";
import { aiModels, tickets } from "../../../db/schema";
import {
  type BackTest,
  type BreachExample,
  type BreachFeatures,
  type BreachRiskModel,
  breachProbability,
} from "../ai";
import type { DbOrTx } from "../events/log";
import { deriveClocks, loadOrgSla, type OrgSla, ticketFacts, ticketLogs } from "../sla/tickets";
import { dateTimeFormat } from "../time/formats";
import { aiWorker } from "./engine";
import type { TrainingOutcome } from "./training";

const DAY_MS = 86_400_000;
/** History the model learns from. */
const HISTORY_DAYS = 180;
const MAX_TICKETS = 4_000;
/** Where along a finished target's life the snapshots are taken. */
const SNAPSHOT_SHARES = [0.2, 0.5, 0.8];
const MIN_BREACH_EXAMPLES = 30;

interface HistoryTicket {
  id: string;
  createdAt: Date;
  solvedAt: Date | null;
  priority: string;
  channel: string;
  assigneeId: string | null;
  customerKey: string;
}

function localHour(at: number, timeZone: string): number {
  const hour = dateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone }).format(at);
  return Number(hour) % 24;
}

/** Open tickets of each assignee at a moment, from the tickets' own open intervals. */
function loadAt(byAssignee: Map<string, HistoryTicket[]>, assigneeId: string | null, at: number): number {
  if (!assigneeId) return 0;
  let n = 0;
  for (const t of byAssignee.get(assigneeId) ?? [])
    if (t.createdAt.getTime() <= at && (!t.solvedAt || t.solvedAt.getTime() > at)) n++;
  return n;
}

/** The share of the customer's earlier tickets that breached, pulled towards the overall rate. */
function pastRate(earlier: { createdAt: number; breached: boolean }[], at: number, overall: number): number {
  let n = 0;
  let breached = 0;
  for (const e of earlier) {
    if (e.createdAt >= at) continue;
    n++;
    if (e.breached) breached++;
  }
  return (breached + 2 * overall) / (n + 2);
}

async function historyTickets(db: DbOrTx, orgId: string, now: Date): Promise<HistoryTicket[]> {
  const rows = await db
    .select({
      id: tickets.id,
      createdAt: tickets.createdAt,
      solvedAt: tickets.solvedAt,
      priority: tickets.priority,
      channel: tickets.channel,
      assigneeId: tickets.assigneeId,
      companyId: tickets.companyId,
      contactId: tickets.contactId,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.orgId, orgId),
        isNotNull(tickets.slaPolicyId),
        gte(tickets.createdAt, new Date(now.getTime() - HISTORY_DAYS * DAY_MS)),
      ),
    )
    .orderBy(desc(tickets.createdAt))
    .limit(MAX_TICKETS);
  return rows.map((r) => ({ ...r, customerKey: r.companyId ?? r.contactId }));
}

/** What scoring needs besides the regression: each customer's breach rate as training saw it. */
interface StoredBreachModel {
  model: BreachRiskModel;
  customerRates: Record<string, number>;
  overallRate: number;
}

/** Replays history into labelled snapshots, with each customer's breach rate up to now. */
export async function breachExamples(
  db: DbOrTx,
  orgId: string,
  now: Date,
): Promise<{ examples: BreachExample[]; customerRates: Record<string, number>; overallRate: number }> {
  const org = await loadOrgSla(db, orgId);
  const history = await historyTickets(db, orgId, now);
  const ids = history.map((t) => t.id);
  const [logs, facts] = await Promise.all([ticketLogs(db, orgId, ids), ticketFacts(db, orgId, ids)]);
  const byAssignee = new Map<string, HistoryTicket[]>();
  for (const t of history)
    if (t.assigneeId) byAssignee.set(t.assigneeId, [...(byAssignee.get(t.assigneeId) ?? []), t]);

  const finals = new Map<string, ReturnType<typeof deriveClocks>>();
  for (const t of history) finals.set(t.id, deriveClocks(org, facts.get(t.id)!, logs.get(t.id) ?? [], now));
  const breachedTicket = (id: string) => finals.get(id)?.clocks.clocks.some((c) => c.breachedAt) ?? false;
  const overall = history.length ? history.filter((t) => breachedTicket(t.id)).length / history.length : 0;
  const byCustomer = new Map<string, { createdAt: number; breached: boolean }[]>();
  for (const t of history)
    byCustomer.set(t.customerKey, [
      ...(byCustomer.get(t.customerKey) ?? []),
      { createdAt: t.createdAt.getTime(), breached: breachedTicket(t.id) },
    ]);

  const examples: BreachExample[] = [];
  for (const t of history) {
    const final = finals.get(t.id);
    const log = logs.get(t.id) ?? [];
    if (!final) continue;
    for (const clock of [...final.clocks.history, ...final.clocks.clocks]) {
      if (clock.open && !clock.breachedAt) continue; // still running: its outcome is not known yet
      const end = Math.min(
        clock.breachedAt?.getTime() ?? Infinity,
        clock.completedAt?.getTime() ?? now.getTime(),
      );
      for (const share of SNAPSHOT_SHARES) {
        const at = clock.startedAt.getTime() + share * (end - clock.startedAt.getTime());
        const then = snapshotClock(org, facts.get(t.id)!, log, at, clock.target, clock.cycle);
        if (!then || then.percentUsed >= 100 || then.paused) continue;
        examples.push({
          ...snapshotFeatures(t, then.percentUsed, at, org, byAssignee, byCustomer, overall),
          breached: clock.breachedAt !== null,
          at,
        });
      }
    }
  }
  const customerRates = Object.fromEntries(
    [...byCustomer].map(([customer, list]) => [customer, pastRate(list, now.getTime() + 1, overall)]),
  );
  return { examples, customerRates, overallRate: overall };
}

function snapshotClock(
  org: OrgSla,
  facts: Parameters<typeof deriveClocks>[1],
  log: Parameters<typeof deriveClocks>[2],
  at: number,
  target: string,
  cycle: number,
) {
  const past = log.filter((e) => new Date(e.createdAt).getTime() <= at);
  const derived = deriveClocks(org, facts, past, new Date(at));
  return derived?.clocks.clocks.find((c) => c.target === target && c.cycle === cycle);
}

function snapshotFeatures(
  t: HistoryTicket,
  percentUsed: number,
  at: number,
  org: OrgSla,
  byAssignee: Map<string, HistoryTicket[]>,
  byCustomer: Map<string, { createdAt: number; breached: boolean }[]>,
  overall: number,
): BreachFeatures {
  return {
    fractionOfTargetUsed: percentUsed / 100,
    priority: t.priority,
    assigneeOpenLoad: loadAt(byAssignee, t.assigneeId, at),
    hourOfDay: localHour(at, org.timeZone),
    channel: t.channel,
    pastBreachRate: pastRate(byCustomer.get(t.customerKey) ?? [], at, overall),
  };
}

/** Trains and back-tests the organization's breach-risk model; stored with its AUC. */
export async function retrainBreachRisk(db: DbOrTx, orgId: string, now: Date): Promise<TrainingOutcome> {
  const { examples, customerRates, overallRate } = await breachExamples(db, orgId, now);
  const breaches = examples.filter((e) => e.breached).length;
  if (breaches < MIN_BREACH_EXAMPLES || examples.length - breaches < MIN_BREACH_EXAMPLES)
    return {
      kind: "breach_risk",
      status: "skipped",
      examples: examples.length,
      reason: `needs at least ${MIN_BREACH_EXAMPLES} met and ${MIN_BREACH_EXAMPLES} breached targets in the last ${HISTORY_DAYS} days (has ${examples.length - breaches} and ${breaches})`,
    };
  const worker = aiWorker();
  const [model, backTest] = await Promise.all([
    worker.trainBreachRisk(examples),
    worker.backTestBreachRisk(examples),
  ]);
  const metrics = backTestMetrics(backTest);
  await db.insert(aiModels).values({
    orgId,
    kind: "breach_risk",
    version: model.version,
    model: JSON.stringify({ model, customerRates, overallRate } satisfies StoredBreachModel),
    examples: examples.length,
    metrics,
    trainedAt: now,
  });
  return {
    kind: "breach_risk",
    status: "trained",
    version: model.version,
    examples: examples.length,
    metrics,
  };
}

function backTestMetrics(b: BackTest): Record<string, number> {
  return {
    auc: b.auc,
    brier: b.brier,
    baselineBrier: b.baselineBrier,
    breachRate: b.breachRate,
    tested: b.tested,
  };
}

async function latestBreachModel(db: DbOrTx, orgId: string): Promise<StoredBreachModel | undefined> {
  const [row] = await db
    .select({ model: aiModels.model })
    .from(aiModels)
    .where(and(eq(aiModels.orgId, orgId), eq(aiModels.kind, "breach_risk")))
    .orderBy(desc(aiModels.trainedAt))
    .limit(1);
  return row ? (JSON.parse(row.model) as StoredBreachModel) : undefined;
}

/**
 * Scores the organization's open tickets that have a running SLA target; the others lose their
 * score. A few microseconds per ticket: the features come from the SLA engine, the model is a
 * dot product.
 */
export async function scoreOpenTickets(db: DbOrTx, orgId: string, now: Date): Promise<number> {
  const stored = await latestBreachModel(db, orgId);
  if (!stored) return 0;
  const org = await loadOrgSla(db, orgId);
  const open = await db
    .select({
      id: tickets.id,
      createdAt: tickets.createdAt,
      solvedAt: tickets.solvedAt,
      priority: tickets.priority,
      channel: tickets.channel,
      assigneeId: tickets.assigneeId,
      companyId: tickets.companyId,
      contactId: tickets.contactId,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.orgId, orgId),
        inArray(tickets.status, ["new", "open", "pending", "on_hold"]),
        isNotNull(tickets.slaNextDueAt),
      ),
    );
  const ids = open.map((t) => t.id);
  const [logs, facts, loads] = await Promise.all([
    ticketLogs(db, orgId, ids),
    ticketFacts(db, orgId, ids),
    assigneeLoads(db, orgId),
  ]);
  const scores: { id: string; risk: number | null }[] = [];
  for (const t of open) {
    const derived = deriveClocks(org, facts.get(t.id)!, logs.get(t.id) ?? [], now);
    const running = derived?.clocks.clocks
      .filter((c) => c.open && c.dueAt)
      .sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime())[0];
    if (!running) {
      scores.push({ id: t.id, risk: null });
      continue;
    }
    const customer = t.companyId ?? t.contactId;
    const risk = running.breachedAt
      ? 1
      : breachProbability(stored.model, {
          fractionOfTargetUsed: running.percentUsed / 100,
          priority: t.priority,
          assigneeOpenLoad: t.assigneeId ? (loads.get(t.assigneeId) ?? 0) : 0,
          hourOfDay: localHour(now.getTime(), org.timeZone),
          channel: t.channel,
          pastBreachRate: stored.customerRates[customer] ?? stored.overallRate,
        });
    scores.push({ id: t.id, risk });
  }
  await writeScores(db, orgId, scores);
  return scores.length;
}

async function writeScores(db: DbOrTx, orgId: string, scores: { id: string; risk: number | null }[]) {
  if (scores.length === 0) return;
  await db.execute(sql`
    update ${tickets} t set breach_risk = s.risk
    from jsonb_to_recordset(${JSON.stringify(scores)}::text::jsonb) as s(id uuid, risk real)
    where t.org_id = ${orgId} and t.id = s.id and t.breach_risk is distinct from s.risk`);
}

async function assigneeLoads(db: DbOrTx, orgId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ assigneeId: tickets.assigneeId, n: sql<number>`count(*)::int` })
    .from(tickets)
    .where(
      and(
        eq(tickets.orgId, orgId),
        inArray(tickets.status, ["new", "open", "pending", "on_hold"]),
        isNotNull(tickets.assigneeId),
      ),
    )
    .groupBy(tickets.assigneeId);
  return new Map(rows.map((r) => [r.assigneeId!, Number(r.n)]));
}
