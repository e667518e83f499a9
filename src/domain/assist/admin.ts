// Admins' side of the AI: the auto-apply threshold and fields, how far back similar tickets are
// looked for, the Hugging Face model per slot, retraining on demand, and how the models are doing —
// their held-out figures and how agents judged their suggestions.
import { and, desc, eq, gte, sql } from "drizzle-orm";
import { aiFeedback, aiModels, aiPredictions, aiSettings, jobs, TRIAGE_FIELDS } from "../../../db/schema";
import { HF_MODEL_SLOTS, type HfModelSlot } from "../ai";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid } from "../errors";
import { loadSettings, type OrgAiSettings } from "./engine";
import { queueRetrain, RETRAIN_QUEUE } from "./jobs";

export interface AiSettingsInput {
  autoApplyThreshold?: string;
  autoApplyFields?: string[];
  similarDays?: string;
  models?: Partial<Record<HfModelSlot, string>>;
}

const MODEL_ID = /^[\w.-]+(\/[\w.-]+)?$/;

function checkModel(value: string): string | undefined {
  if (!value) return undefined;
  if (/^https?:\/\//i.test(value)) {
    try {
      new URL(value);
      return undefined;
    } catch {
      return "Give a model id (owner/name) or the full URL of an endpoint.";
    }
  }
  return MODEL_ID.test(value) ? undefined : "Give a model id (owner/name) or the full URL of an endpoint.";
}

/** Checks the form; every problem is named by its field, nothing is saved when one is found. */
export async function saveAiSettings(ctx: Ctx, input: AiSettingsInput): Promise<OrgAiSettings> {
  requirePermission(ctx.actor, "org.admin");
  const fields: FieldErrors = {};
  const thresholdText = (input.autoApplyThreshold ?? "").trim();
  const threshold = Number(thresholdText);
  if (!thresholdText || !Number.isFinite(threshold) || threshold < 0.5 || threshold > 0.99)
    fields.autoApplyThreshold = "Give a confidence from 0.50 to 0.99 (0.85 is a good start).";
  const daysText = (input.similarDays ?? "").trim();
  const days = Number(daysText);
  if (!/^\d{1,3}$/.test(daysText) || days < 1 || days > 365)
    fields.similarDays = "Give a whole number of days from 1 to 365.";
  const autoApplyFields = (input.autoApplyFields ?? []).filter((f) =>
    (TRIAGE_FIELDS as readonly string[]).includes(f),
  );
  const models: Record<string, string> = {};
  for (const slot of HF_MODEL_SLOTS) {
    const value = (input.models?.[slot] ?? "").trim();
    const problem = checkModel(value);
    if (problem) fields[`model_${slot}`] = problem;
    else if (value) models[slot] = value;
  }
  if (Object.keys(fields).length) throw invalid(fields);
  const row = {
    autoApplyThreshold: Math.round(threshold * 100) / 100,
    autoApplyFields,
    similarDays: days,
    models,
    updatedAt: ctx.now,
  };
  await ctx.db
    .insert(aiSettings)
    .values({ orgId: ctx.actor.orgId, ...row })
    .onConflictDoUpdate({ target: aiSettings.orgId, set: row });
  return loadSettings(ctx.db, ctx.actor.orgId);
}

export async function requestRetrain(ctx: Ctx): Promise<void> {
  requirePermission(ctx.actor, "org.admin");
  await queueRetrain(ctx.db, ctx.actor.orgId, ctx.now);
}

const FEEDBACK_DAYS = 30;

export async function aiOverview(ctx: Ctx) {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  const since = new Date(ctx.now.getTime() - FEEDBACK_DAYS * 86_400_000);
  const [settings, models, predictions, verdicts, lastRun] = await Promise.all([
    loadSettings(ctx.db, orgId),
    ctx.db
      .select({
        kind: aiModels.kind,
        version: aiModels.version,
        examples: aiModels.examples,
        metrics: aiModels.metrics,
        trainedAt: aiModels.trainedAt,
      })
      .from(aiModels)
      .where(eq(aiModels.orgId, orgId))
      .orderBy(aiModels.kind, desc(aiModels.trainedAt)),
    ctx.db
      .select({
        task: aiPredictions.task,
        total: sql<number>`count(*)::int`,
        applied: sql<number>`count(*) filter (where ${aiPredictions.applied})::int`,
        fallbacks: sql<number>`count(*) filter (where ${aiPredictions.fallbackReason} is not null)::int`,
      })
      .from(aiPredictions)
      .where(and(eq(aiPredictions.orgId, orgId), gte(aiPredictions.createdAt, since)))
      .groupBy(aiPredictions.task),
    ctx.db
      .select({ task: aiFeedback.task, verdict: aiFeedback.verdict, n: sql<number>`count(*)::int` })
      .from(aiFeedback)
      .where(and(eq(aiFeedback.orgId, orgId), gte(aiFeedback.createdAt, since)))
      .groupBy(aiFeedback.task, aiFeedback.verdict),
    ctx.db
      .select({
        status: jobs.status,
        finishedAt: jobs.finishedAt,
        lastError: jobs.lastError,
        runAt: jobs.runAt,
      })
      .from(jobs)
      .where(and(eq(jobs.orgId, orgId), eq(jobs.queue, RETRAIN_QUEUE)))
      .orderBy(desc(jobs.createdAt))
      .limit(1),
  ]);
  const parse = (m: unknown) => (typeof m === "string" ? JSON.parse(m) : m) as Record<string, number>;
  const count = (task: string, verdict: string) =>
    Number(verdicts.find((v) => v.task === task && v.verdict === verdict)?.n ?? 0);
  return {
    settings,
    models: models.map((m) => ({ ...m, metrics: parse(m.metrics) })),
    usage: [...TRIAGE_FIELDS, "sentiment", "summary", "reply", "similar"].map((task) => {
      const p = predictions.find((row) => row.task === task);
      return {
        task,
        total: Number(p?.total ?? 0),
        applied: Number(p?.applied ?? 0),
        fallbacks: Number(p?.fallbacks ?? 0),
        accepted: count(task, "accepted"),
        corrected: count(task, "corrected"),
        rejected: count(task, "rejected"),
      };
    }),
    lastRetrain: lastRun[0] ?? null,
    feedbackDays: FEEDBACK_DAYS,
  };
}

export type AiOverview = Awaited<ReturnType<typeof aiOverview>>;
