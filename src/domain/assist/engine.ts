// The desk's way into the AI engine (src/domain/ai): one Bun Worker per app server runs every
// provider call and every training, fed with the organization's settings and trained models read
// here. Jobs call this, never requests (DESIGN.md, "AI").
import { and, desc, eq } from "drizzle-orm";
import { aiModels, aiSettings } from "../../../db/schema";
import { type AiWorker, startAiWorker } from "../../workers/ai-client";
import type { AiResult, AiSettings, AiTask } from "../ai";
import type { DbOrTx } from "../events/log";

/** HF_TOKEN and HF_ENDPOINT_URL: the remote provider is used only when one of them is set. */
export interface RemoteAi {
  hfToken?: string;
  hfEndpointUrl?: string;
  /** Per remote call; the breaker opens after repeated failures. */
  timeoutMs?: number;
}

export const DEFAULT_SETTINGS = {
  autoApplyThreshold: 0.85,
  autoApplyFields: ["category", "priority", "team"],
  similarDays: 30,
  models: {} as Record<string, string>,
};

export type OrgAiSettings = typeof DEFAULT_SETTINGS;

export async function loadSettings(db: DbOrTx, orgId: string): Promise<OrgAiSettings> {
  const [row] = await db.select().from(aiSettings).where(eq(aiSettings.orgId, orgId));
  if (!row) return { ...DEFAULT_SETTINGS, models: {} };
  return {
    autoApplyThreshold: row.autoApplyThreshold,
    autoApplyFields: row.autoApplyFields,
    similarDays: row.similarDays,
    models: typeof row.models === "string" ? JSON.parse(row.models) : row.models,
  };
}

let shared: AiWorker | undefined;

/** The app server's AI worker, started on first use; it does not keep the process alive. */
export function aiWorker(): AiWorker {
  shared ??= startAiWorker({ unref: true });
  return shared;
}

export function stopAiWorker(): void {
  shared?.terminate();
  shared = undefined;
}

/** The newest model version of each kind (triage field or "breach_risk") of an organization. */
export async function latestModels(
  db: DbOrTx,
  orgId: string,
): Promise<Record<string, { version: string; trainedAt: Date; metrics: Record<string, number> }>> {
  const rows = await db
    .selectDistinctOn([aiModels.kind], {
      kind: aiModels.kind,
      version: aiModels.version,
      trainedAt: aiModels.trainedAt,
      metrics: aiModels.metrics,
    })
    .from(aiModels)
    .where(eq(aiModels.orgId, orgId))
    .orderBy(aiModels.kind, desc(aiModels.trainedAt));
  return Object.fromEntries(
    rows.map((r) => [
      r.kind,
      {
        version: r.version,
        trainedAt: r.trainedAt,
        metrics: typeof r.metrics === "string" ? JSON.parse(r.metrics) : r.metrics,
      },
    ]),
  );
}

export async function modelText(db: DbOrTx, orgId: string, version: string): Promise<string> {
  const [row] = await db
    .select({ model: aiModels.model })
    .from(aiModels)
    .where(and(eq(aiModels.orgId, orgId), eq(aiModels.version, version)))
    .limit(1);
  if (!row) throw new Error(`No stored model ${version}.`);
  return row.model;
}

/**
 * The engine's settings: remote only when configured, with what the admins chose per slot — a
 * model id ("facebook/bart-large-mnli") or the URL of a dedicated endpoint (TGI, TEI).
 */
export function engineSettings(remote: RemoteAi, settings: OrgAiSettings): AiSettings {
  if (!remote.hfToken && !remote.hfEndpointUrl) return {};
  const chosen = Object.entries(settings.models).filter(([, value]) => value.trim());
  const isUrl = (value: string) => /^https?:\/\//i.test(value);
  return {
    hfToken: remote.hfToken,
    hfEndpointUrl: remote.hfEndpointUrl,
    models: Object.fromEntries(chosen.filter(([, v]) => !isUrl(v))),
    endpoints: Object.fromEntries(chosen.filter(([, v]) => isUrl(v))),
    timeoutMs: remote.timeoutMs,
  };
}

/** Whether answers may come from Hugging Face for this organization. */
export function remoteConfigured(remote: RemoteAi): boolean {
  return Boolean(remote.hfToken || remote.hfEndpointUrl);
}

export interface OrgEngine {
  settings: OrgAiSettings;
  models: Awaited<ReturnType<typeof latestModels>>;
  run<T>(task: AiTask, request: unknown): Promise<AiResult<T>>;
}

/** Everything a job needs to ask the AI about one organization's tickets. */
export async function orgEngine(db: DbOrTx, orgId: string, remote: RemoteAi): Promise<OrgEngine> {
  const [settings, models] = await Promise.all([loadSettings(db, orgId), latestModels(db, orgId)]);
  const classifiers = Object.fromEntries(
    Object.entries(models)
      .filter(([kind]) => kind !== "breach_risk")
      .map(([kind, m]) => [kind, m.version]),
  );
  const engine = engineSettings(remote, settings);
  return {
    settings,
    models,
    run: <T>(task: AiTask, request: unknown) =>
      aiWorker().run<T>(task, request, engine, classifiers, (version) => modelText(db, orgId, version)),
  };
}
