// Retraining an organization's triage models from its own history: every ticket with a category,
// priority or team is an example (subject and first message), and agents' corrections of earlier
// predictions count double. Training runs in the AI worker; the result is stored as a new version
// only when the examples changed (the version is a hash of them).
import { and, desc, eq, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { aiFeedback, aiModels, TRIAGE_FIELDS, type TriageField } from "../../../db/schema";
import { type TrainingExample, ticketText, trainingExamples } from "../ai";
import type { DbOrTx } from "../events/log";
import { aiWorker, latestModels } from "./engine";

/** Fewer labelled tickets than this teach a model nothing worth showing to agents. */
export const MIN_EXAMPLES = 20;
/** The newest tickets only: old history describes a desk that has changed. */
const MAX_HISTORY = 20_000;

export interface TrainingOutcome {
  kind: string;
  status: "trained" | "unchanged" | "skipped" | "failed";
  version?: string;
  examples: number;
  metrics?: Record<string, number>;
  reason?: string;
}

interface HistoryRow {
  id: string;
  subject: string;
  body: string | null;
  category: string | null;
  priority: string;
  team: string | null;
}

/** The label each triage field learns from a ticket row. */
function labelOf(row: HistoryRow, field: TriageField): string | null {
  if (field === "category") return row.category;
  if (field === "priority") return row.priority;
  return row.team;
}

async function history(db: DbOrTx, orgId: string): Promise<HistoryRow[]> {
  const result = await db.execute(sql`
    select t.id, t.subject, m.body, coalesce(t.subcategory_id, t.category_id)::text as category,
           t.priority, t.team_id::text as team
    from tickets t
    left join lateral (
      select body from ticket_messages
      where org_id = t.org_id and ticket_id = t.id and kind = 'reply'
      order by created_at, id limit 1
    ) m on true
    where t.org_id = ${orgId} and t.merged_into_id is null
    order by t.created_at desc
    limit ${MAX_HISTORY}`);
  return rowsOf<HistoryRow>(result);
}

/** Agents' corrections of a field's predictions, latest per ticket. */
async function corrections(db: DbOrTx, orgId: string, field: TriageField) {
  return db
    .selectDistinctOn([aiFeedback.ticketId], {
      ticketId: aiFeedback.ticketId,
      label: aiFeedback.correctValue,
    })
    .from(aiFeedback)
    .where(and(eq(aiFeedback.orgId, orgId), eq(aiFeedback.task, field), eq(aiFeedback.verdict, "corrected")))
    .orderBy(aiFeedback.ticketId, desc(aiFeedback.createdAt));
}

/** The examples a field's model learns from. */
export async function examplesFor(
  db: DbOrTx,
  orgId: string,
  field: TriageField,
  rows?: HistoryRow[],
): Promise<TrainingExample[]> {
  const tickets = rows ?? (await history(db, orgId));
  const textOf = new Map(tickets.map((t) => [t.id, ticketText(t.subject, t.body ?? "")]));
  const labelled = tickets
    .map((t) => ({ ticketId: t.id, text: textOf.get(t.id)!, label: labelOf(t, field) }))
    .filter((t): t is { ticketId: string; text: string; label: string } => Boolean(t.label));
  const corrected = (await corrections(db, orgId, field))
    .filter((c) => c.label && textOf.has(c.ticketId))
    .map((c) => ({ ticketId: c.ticketId, text: textOf.get(c.ticketId)!, label: c.label! }));
  return trainingExamples(labelled, corrected);
}

function skipReason(examples: TrainingExample[]): string | undefined {
  if (examples.length < MIN_EXAMPLES)
    return `needs at least ${MIN_EXAMPLES} tickets with this field set (has ${examples.length})`;
  if (new Set(examples.map((e) => e.label)).size < 2)
    return "needs tickets with at least two different values";
  return undefined;
}

/** Trains every triage field of an organization; each field's failure is reported, not thrown. */
export async function retrainTriage(db: DbOrTx, orgId: string, now: Date): Promise<TrainingOutcome[]> {
  const [rows, current] = await Promise.all([history(db, orgId), latestModels(db, orgId)]);
  const outcomes: TrainingOutcome[] = [];
  for (const field of TRIAGE_FIELDS) {
    const examples = await examplesFor(db, orgId, field, rows);
    const reason = skipReason(examples);
    if (reason) {
      outcomes.push({ kind: field, status: "skipped", examples: examples.length, reason });
      continue;
    }
    try {
      const trained = await aiWorker().train(examples);
      const metrics: Record<string, number> = trained.validation
        ? { accuracy: trained.validation.accuracy, macroF1: trained.validation.macroF1 }
        : {};
      if (current[field]?.version === trained.version) {
        outcomes.push({
          kind: field,
          status: "unchanged",
          version: trained.version,
          examples: examples.length,
        });
        continue;
      }
      await db.insert(aiModels).values({
        orgId,
        kind: field,
        version: trained.version,
        model: trained.model,
        examples: examples.length,
        metrics,
        trainedAt: now,
      });
      outcomes.push({
        kind: field,
        status: "trained",
        version: trained.version,
        examples: examples.length,
        metrics,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcomes.push({ kind: field, status: "failed", examples: examples.length, reason: message });
    }
  }
  return outcomes;
}

/** Older versions beyond the newest few are dropped; predictions keep their version string. */
export async function pruneModels(db: DbOrTx, orgId: string, keep = 3): Promise<void> {
  await db.execute(sql`
    delete from ${aiModels} m using (
      select id, row_number() over (partition by kind order by trained_at desc) as n
      from ${aiModels} where org_id = ${orgId}
    ) ranked
    where m.id = ranked.id and ranked.n > ${keep}`);
}
