// The AI panel of the agent's ticket page: loaded after the page (htmx) or as its own page without
// JavaScript. Every answer says which provider and model produced it and how sure it is; nothing
// here changes the ticket or writes to the customer until the agent presses a button.
import { type PredictionTask, TRIAGE_FIELDS, type TriageField } from "../../../db/schema";
import type { AssistPanelData } from "../../domain/assist/panel";
import { SENTIMENT_LABELS } from "../../domain/assist/sentiment";
import { formatTicketNumber } from "../../domain/orgs/counters";
import { Page, type Viewer } from "../layout";
import { riskBand } from "./ticketList";

const FIELD_LABELS: Record<TriageField, string> = {
  category: "Category",
  priority: "Priority",
  team: "Team",
};

type Prediction = NonNullable<ReturnType<AssistPanelData["predictions"]["get"]>>;

const percent = (x: number | null) => `${Math.round((x ?? 0) * 100)}%`;

function Source({ p }: { p: Prediction }) {
  const who =
    p.provider === "huggingface" ? `Hugging Face (${p.modelVersion})` : `local model ${p.modelVersion}`;
  return (
    <small class="muted ai-source" safe>
      {`${who}${p.fallbackReason ? ` — Hugging Face did not answer (${p.fallbackReason}), the local model did` : ""}`}
    </small>
  );
}

export function AssistSlot({ number }: { number: string }) {
  return (
    <section
      class="card ai-panel"
      id="ai-panel"
      hx-get={`/desk/tickets/${number}/assist`}
      hx-trigger="load"
      hx-swap="innerHTML"
    >
      <h2>AI assist</h2>
      <p>
        <a href={`/desk/tickets/${number}/assist`}>
          Show suggestions, similar tickets, summary and reply draft
        </a>
      </p>
    </section>
  );
}

function currentValue(data: AssistPanelData, field: TriageField): string | null {
  const t = data.ticket;
  if (field === "category") return t.subcategoryId ?? t.categoryId;
  if (field === "priority") return t.priority;
  return t.teamId;
}

function TriageRow({ data, field, csrf }: { data: AssistPanelData; field: TriageField; csrf: string }) {
  const p = data.predictions.get(field);
  if (!p?.value) return "";
  const number = formatTicketNumber(data.ticket.number);
  const choices = data.choices[field];
  const name = choices.find((c) => c.value === p.value)?.name ?? p.value;
  const verdict = data.verdicts.get(p.id);
  const current = currentValue(data, field);
  const state = p.applied
    ? "applied automatically"
    : verdict
      ? verdict
      : current === p.value
        ? "already set"
        : "suggested";
  const open = !p.applied && !verdict && current !== p.value && data.canWork;
  return (
    <li class="ai-triage" data-field={field} data-state={state}>
      <strong safe>{FIELD_LABELS[field]}</strong>: <span safe>{name}</span>{" "}
      <span class="badge" safe>
        {`${percent(p.confidence)} · ${state}`}
      </span>
      <br />
      <Source p={p} />
      {open ? (
        <div class="ai-actions">
          <form method="post" action={`/desk/tickets/${number}/assist/verdict`} class="inline">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="predictionId" value={p.id} />
            <button type="submit" name="verdict" value="accept">
              Accept
            </button>{" "}
            <button type="submit" name="verdict" value="reject" class="secondary">
              Dismiss
            </button>
          </form>{" "}
          <form method="post" action={`/desk/tickets/${number}/assist/verdict`} class="inline">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="predictionId" value={p.id} />
            <input type="hidden" name="verdict" value="correct" />
            <select name="correctValue" aria-label={`Correct ${FIELD_LABELS[field].toLowerCase()}`}>
              {choices
                .filter((c) => c.value !== p.value)
                .map((c) => (
                  <option value={c.value} selected={c.value === current} safe>
                    {c.name}
                  </option>
                ))}
            </select>{" "}
            <button type="submit" class="secondary">
              Correct
            </button>
          </form>
        </div>
      ) : (
        ""
      )}
    </li>
  );
}

function SentimentTrend({ data }: { data: AssistPanelData }) {
  if (data.sentiment.length === 0)
    return <p class="muted">No customer message has been read for sentiment yet.</p>;
  const levels = data.sentiment.map((s) => s.level as keyof typeof SENTIMENT_LABELS);
  const latest = levels[levels.length - 1];
  return (
    <p class="ai-sentiment">
      Customer sentiment:{" "}
      <strong class={`sentiment-${latest}`} safe>
        {SENTIMENT_LABELS[latest] ?? latest}
      </strong>{" "}
      {levels.length > 1 ? (
        <span class="muted">
          (trend:{" "}
          {levels.map((l, i) => (
            <>
              {i ? " → " : ""}
              <span class={`sentiment-${l}`} safe>
                {SENTIMENT_LABELS[l] ?? l}
              </span>
            </>
          ))}
          )
        </span>
      ) : (
        ""
      )}
    </p>
  );
}

interface SimilarItem {
  id: string;
  number: number;
  subject: string;
  status: string;
  score: number;
  overlap: number;
  sameContact: boolean;
  likelyDuplicate: boolean;
}

function Similar({ data }: { data: AssistPanelData }) {
  const p = data.predictions.get("similar");
  if (!p || p.status === "pending") return <p class="muted">Looking for similar tickets…</p>;
  const items = (p.detail.items as SimilarItem[] | undefined) ?? [];
  if (items.length === 0) return <p class="muted">No similar open ticket.</p>;
  const number = formatTicketNumber(data.ticket.number);
  return (
    <ul class="ai-similar">
      {items.map((s) => {
        const other = formatTicketNumber(s.number);
        return (
          <li>
            <a href={`/desk/tickets/${other}`} safe>{`${other} ${s.subject}`}</a>{" "}
            <span class="muted" safe>
              {`${percent(s.score)} alike${s.sameContact ? " · same requester" : ""}`}
            </span>{" "}
            {s.likelyDuplicate ? <span class="badge">Likely duplicate</span> : ""}
            {data.canWork && s.likelyDuplicate ? (
              <>
                {" "}
                <a href={`/desk/tickets/${number}/merges/new?target=${other}`} safe>
                  {`Merge into ${other}`}
                </a>
              </>
            ) : (
              ""
            )}
          </li>
        );
      })}
    </ul>
  );
}

function Ask({
  number,
  task,
  label,
  csrf,
  pending,
}: {
  number: string;
  task: string;
  label: string;
  csrf: string;
  pending: boolean;
}) {
  return (
    <form
      method="post"
      action={`/desk/tickets/${number}/assist/${task}`}
      class="inline"
      hx-post={`/desk/tickets/${number}/assist/${task}`}
      hx-target="#ai-panel"
      hx-swap="innerHTML"
    >
      <input type="hidden" name="_csrf" value={csrf} />
      <button type="submit" class="secondary" disabled={pending} safe>
        {pending ? "Working…" : label}
      </button>
    </form>
  );
}

function Summary({ data }: { data: AssistPanelData }) {
  const p = data.predictions.get("summary");
  if (!p) return "";
  if (p.status === "pending") return <p class="muted">Summarizing the thread…</p>;
  if (p.status === "failed")
    return (
      <p class="error" safe>
        {`The summary failed: ${p.fallbackReason ?? "unknown error"}`}
      </p>
    );
  return (
    <div class="ai-summary">
      <h3>Summary</h3>
      <pre safe>{p.value ?? ""}</pre>
      <Source p={p} />
    </div>
  );
}

interface DraftSource {
  kind: string;
  title: string;
  score: number;
}

function Draft({ data, csrf }: { data: AssistPanelData; csrf: string }) {
  const p = data.predictions.get("reply");
  if (!p) return "";
  if (p.status === "pending") return <p class="muted">Drafting a reply…</p>;
  if (p.status === "failed")
    return (
      <p class="error" safe>
        {`The draft failed: ${p.fallbackReason ?? "unknown error"}`}
      </p>
    );
  const sources = (p.detail.sources as DraftSource[] | undefined) ?? [];
  const missing = (p.detail.missing as string[] | undefined) ?? [];
  const number = formatTicketNumber(data.ticket.number);
  return (
    <div class="ai-draft">
      <h3>Reply draft</h3>
      <pre safe>{p.value ?? ""}</pre>
      <Source p={p} />
      {sources.length ? (
        <p class="muted">
          Based on:{" "}
          {sources.map((s, i) => (
            <>
              {i ? "; " : ""}
              <span safe>{`${s.title} (${s.kind.replace("_", " ")}, ${percent(s.score)})`}</span>
            </>
          ))}
        </p>
      ) : (
        ""
      )}
      {missing.length ? <p class="muted" safe>{`Fill in before sending: ${missing.join(", ")}`}</p> : ""}
      {data.canWork ? (
        <form method="post" action={`/desk/tickets/${number}/assist/use-draft`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="predictionId" value={p.id} />
          <button type="submit">Put the draft in the reply box</button>
        </form>
      ) : (
        ""
      )}
    </div>
  );
}

export function AssistPanel({ data, csrf }: { data: AssistPanelData; csrf: string }) {
  const number = formatTicketNumber(data.ticket.number);
  const pending = (task: PredictionTask) => data.predictions.get(task)?.status === "pending";
  const anyPending = pending("summary") || pending("reply");
  const risk = data.ticket.breachRisk;
  return (
    <>
      <h2>AI assist</h2>
      {anyPending ? (
        // The job answers within seconds: look again shortly, without a page reload.
        <div
          hx-get={`/desk/tickets/${number}/assist`}
          hx-trigger="load delay:1500ms"
          hx-target="#ai-panel"
          hx-swap="innerHTML"
        />
      ) : (
        ""
      )}
      {risk !== null && !["solved", "closed"].includes(data.ticket.status) ? (
        <p>
          Risk of missing the next SLA target:{" "}
          <span class={`badge risk-${riskBand(risk)}`} safe>
            {percent(risk)}
          </span>
        </p>
      ) : (
        ""
      )}
      <SentimentTrend data={data} />
      <h3>Triage</h3>
      {TRIAGE_FIELDS.some((f) => data.predictions.get(f)) ? (
        <ul class="ai-triage-list">
          <TriageRow data={data} field="category" csrf={csrf} />
          <TriageRow data={data} field="priority" csrf={csrf} />
          <TriageRow data={data} field="team" csrf={csrf} />
        </ul>
      ) : (
        <p class="muted">
          No triage suggestion: the models learn once enough tickets have a category, priority and team.
        </p>
      )}
      <h3>Similar tickets</h3>
      <Similar data={data} />
      {data.canWork ? (
        <p class="ai-asks">
          <Ask
            number={number}
            task="summary"
            label="Summarize the thread"
            csrf={csrf}
            pending={pending("summary")}
          />{" "}
          <Ask number={number} task="reply" label="Draft a reply" csrf={csrf} pending={pending("reply")} />{" "}
          <Ask
            number={number}
            task="similar"
            label="Look for similar tickets again"
            csrf={csrf}
            pending={pending("similar")}
          />
        </p>
      ) : (
        ""
      )}
      <Summary data={data} />
      <Draft data={data} csrf={csrf} />
    </>
  );
}

export function AssistPage({ data, csrf, viewer }: { data: AssistPanelData; csrf: string; viewer: Viewer }) {
  const number = formatTicketNumber(data.ticket.number);
  return (
    <Page title={`AI assist for ${number}`} csrf={csrf} viewer={viewer}>
      <p>
        <a href={`/desk/tickets/${number}`} safe>{`← ${number}`}</a>
      </p>
      <section class="card ai-panel" id="ai-panel">
        <AssistPanel data={data} csrf={csrf} />
      </section>
    </Page>
  );
}
