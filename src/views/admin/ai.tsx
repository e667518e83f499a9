// /admin/ai: how triage behaves, which remote models answer, and how the models are doing.
import { HF_MODEL_SLOTS } from "../../domain/ai";
import type { AiOverview } from "../../domain/assist/admin";
import type { FieldErrors } from "../../domain/errors";
import { CsrfField, ErrorSummary, Field, Notice } from "../form";
import { formatDateTime } from "../format";
import { Page, type Viewer } from "../layout";

const SLOT_HINTS: Record<string, string> = {
  categorize: "Zero-shot classification, e.g. facebook/bart-large-mnli",
  sentiment: "Text classification, e.g. nlptown/bert-base-multilingual-uncased-sentiment",
  summarize: "Summarization, e.g. facebook/bart-large-cnn",
  chat: "Chat completion for reply drafts, e.g. a TGI endpoint URL",
  embeddings: "Feature extraction for similar tickets and search, e.g. a TEI endpoint URL",
};

const TASK_LABELS: Record<string, string> = {
  category: "Category",
  priority: "Priority",
  team: "Team",
  sentiment: "Sentiment",
  summary: "Summaries",
  reply: "Reply drafts",
  similar: "Similar tickets",
  breach_risk: "SLA breach risk",
};

function metricsText(kind: string, m: Record<string, number>): string {
  if (kind === "breach_risk")
    return m.auc !== undefined ? `back-test AUC ${m.auc.toFixed(3)}, Brier ${m.brier.toFixed(3)}` : "";
  return m.accuracy !== undefined
    ? `held-out accuracy ${m.accuracy.toFixed(3)}, macro-F1 ${m.macroF1.toFixed(3)}`
    : "";
}

function retrainStatus(last: AiOverview["lastRetrain"], timeZone: string): string {
  if (!last) return "The models retrain every day from the tickets and agents' corrections.";
  const finished = last.finishedAt ? `, finished ${formatDateTime(last.finishedAt, timeZone)}` : "";
  return `Last retraining: ${last.status}${finished}${last.lastError ? ` — ${last.lastError}` : ""}`;
}

export interface AiFormState {
  values: Record<string, string>;
  fields: FieldErrors;
  message: string;
  fieldList?: string[];
}

export function AiAdminPage({
  csrf,
  viewer,
  overview,
  remoteConfigured,
  timeZone,
  notice,
  failed,
}: {
  csrf: string;
  viewer: Viewer;
  overview: AiOverview;
  remoteConfigured: boolean;
  timeZone: string;
  notice?: string;
  failed?: AiFormState;
}) {
  const s = overview.settings;
  const value = (name: string, fallback: string) => failed?.values[name] ?? fallback;
  const applyFields = failed?.fieldList ?? s.autoApplyFields;
  return (
    <Page title="AI" csrf={csrf} viewer={viewer}>
      <h1>AI</h1>
      <Notice message={notice} />
      <p class="muted">
        {remoteConfigured
          ? "Hugging Face is configured: the models below answer first, and the local models answer whenever they cannot."
          : "Everything runs on local models trained on this organization's own tickets. Set HF_TOKEN or HF_ENDPOINT_URL to use Hugging Face models as well."}
      </p>
      <section class="card">
        <h2>Settings</h2>
        <ErrorSummary message={failed?.message} fields={failed?.fields} />
        <form method="post" action="/admin/ai">
          <CsrfField token={csrf} />
          <Field
            label="Apply triage automatically from this confidence"
            name="autoApplyThreshold"
            error={failed?.fields.autoApplyThreshold}
            hint="Below it, agents see the suggestion and accept or correct it."
          >
            <input
              id="autoApplyThreshold"
              name="autoApplyThreshold"
              inputmode="decimal"
              value={value("autoApplyThreshold", s.autoApplyThreshold.toFixed(2))}
            />
          </Field>
          <fieldset>
            <legend>Fields triage may fill in by itself (only when nobody has chosen them)</legend>
            {(["category", "priority", "team"] as const).map((f) => (
              <label class="check">
                <input type="checkbox" name="autoApplyFields" value={f} checked={applyFields.includes(f)} />{" "}
                <span safe>{TASK_LABELS[f]}</span>
              </label>
            ))}
          </fieldset>
          <Field
            label="Look for similar tickets among the last (days)"
            name="similarDays"
            error={failed?.fields.similarDays}
          >
            <input
              id="similarDays"
              name="similarDays"
              inputmode="numeric"
              value={value("similarDays", String(s.similarDays))}
            />
          </Field>
          <fieldset>
            <legend>Hugging Face model or endpoint per task</legend>
            {HF_MODEL_SLOTS.map((slot) => (
              <Field
                label={slot}
                name={`model_${slot}`}
                error={failed?.fields[`model_${slot}`]}
                hint={SLOT_HINTS[slot]}
              >
                <input
                  id={`model_${slot}`}
                  name={`model_${slot}`}
                  value={value(`model_${slot}`, s.models[slot] ?? "")}
                />
              </Field>
            ))}
          </fieldset>
          <button type="submit">Save</button>
        </form>
      </section>
      <section class="card">
        <h2>Models</h2>
        <form method="post" action="/admin/ai/retrain">
          <CsrfField token={csrf} />
          <button type="submit">Retrain now</button>{" "}
          <span class="muted" safe>
            {retrainStatus(overview.lastRetrain, timeZone)}
          </span>
        </form>
        {overview.models.length === 0 ? (
          <p class="empty">No model is trained yet: each needs at least 20 tickets with its field set.</p>
        ) : (
          <table class="ai-models">
            <thead>
              <tr>
                <th>Predicts</th>
                <th>Version</th>
                <th>Examples</th>
                <th>Quality</th>
                <th>Trained</th>
              </tr>
            </thead>
            <tbody>
              {overview.models.map((m) => (
                <tr>
                  <td safe>{TASK_LABELS[m.kind] ?? m.kind}</td>
                  <td>
                    <code safe>{m.version}</code>
                  </td>
                  <td class="num" safe>
                    {String(m.examples)}
                  </td>
                  <td safe>{metricsText(m.kind, m.metrics)}</td>
                  <td safe>{formatDateTime(m.trainedAt, timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card">
        <h2 safe>{`How agents judged the suggestions (last ${overview.feedbackDays} days)`}</h2>
        <table class="ai-usage">
          <thead>
            <tr>
              <th>Task</th>
              <th>Answers</th>
              <th>Applied automatically</th>
              <th>Accepted</th>
              <th>Corrected</th>
              <th>Dismissed</th>
              <th>Answered locally after a remote failure</th>
            </tr>
          </thead>
          <tbody>
            {overview.usage.map((u) => (
              <tr data-task={u.task}>
                <td safe>{TASK_LABELS[u.task] ?? u.task}</td>
                <td class="num" safe>
                  {String(u.total)}
                </td>
                <td class="num" safe>
                  {String(u.applied)}
                </td>
                <td class="num" safe>
                  {String(u.accepted)}
                </td>
                <td class="num" safe>
                  {String(u.corrected)}
                </td>
                <td class="num" safe>
                  {String(u.rejected)}
                </td>
                <td class="num" safe>
                  {String(u.fallbacks)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Page>
  );
}
