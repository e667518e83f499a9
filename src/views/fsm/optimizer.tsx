// "Optimize this day": the form on the dispatch board, and a run's page — progress while the
// optimizer searches (live with JavaScript, refreshed without), then the day before and after,
// each technician's new sequence and the work left out, with Apply and Discard.
import type { DispatchBoard } from "../../domain/dispatch/board";
import type { DayJob, DayProblem } from "../../domain/dispatch/dayProblem";
import type { PlanMetrics, Proposal } from "../../domain/dispatch/dayRouting";
import {
  DEFAULT_FLEX,
  DEFAULT_TIME_LIMIT,
  FLEX_CHOICES,
  type OptimizerRunView,
  TIME_LIMITS,
} from "../../domain/dispatch/optimizerRuns";
import type { FieldErrors } from "../../domain/errors";
import { formatWorkOrderNumber } from "../../domain/fsm/rules";
import type { UnassignedReason } from "../../domain/routing";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { formatDateTime } from "../format";
import { Page, type Viewer } from "../layout";

export interface OptimizeFormState {
  values: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}

export type RecentRun = {
  id: string;
  status: string;
  technicians: number;
  startedByName: string;
  createdAt: Date;
};

const FLEX_LABELS: Record<(typeof FLEX_CHOICES)[number], string> = {
  "60": "within 1 hour of their time",
  "120": "within 2 hours of their time",
  "240": "within 4 hours of their time",
  any: "anywhere in the day",
};

export const REASON_LABELS: Record<UnassignedReason, string> = {
  no_skilled_technician: "No chosen technician has the skills (at the level) it needs.",
  locked_technician_unavailable: "Its technician cannot keep it in this plan.",
  no_reachable_time_window: "No chosen technician can reach it within its time and their shift.",
  capacity: "Every suitable technician is full.",
  max_jobs: "Every suitable technician has reached their most jobs per day.",
  no_time_left: "No suitable technician has time left that day.",
};

/** Seconds after midnight → "14:05" (a visit running past midnight shows the next day's clock). */
export function clockOf(seconds: number): string {
  const minute = Math.round(seconds / 60);
  const m = ((minute % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

export function durationOf(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** The board's "Optimize this day" form; the technicians' checkboxes on the board belong to it. */
export function OptimizeForm({
  csrf,
  board,
  back,
  recent,
  state,
}: {
  csrf: string;
  board: DispatchBoard;
  back: string;
  recent: RecentRun[];
  state?: OptimizeFormState;
}) {
  const v = state?.values ?? {};
  const fields = state?.fields ?? {};
  const f = board.filters;
  return (
    <section class="board-optimize" aria-labelledby="optimize-title">
      <form method="post" action="/fsm/dispatch/runs" id="optimize-form">
        <h2 id="optimize-title">Optimize this day</h2>
        <CsrfField token={csrf} />
        <ErrorSummary message={state?.message} fields={state?.fields} />
        <input type="hidden" name="day" value={f.day} />
        <input type="hidden" name="zone" value={f.zoneId ?? ""} />
        <input type="hidden" name="team" value={f.teamId ?? ""} />
        <input type="hidden" name="back" value={back} />
        <p class="hint">
          Plans the day's booked visits and the work waiting in the technicians' zones. Started and finished
          visits stay as they are. Nothing changes until you apply the proposal.
        </p>
        {fields.technicianIds ? (
          <p class="field-error" id="technicianIds-error" safe>
            {fields.technicianIds}
          </p>
        ) : (
          ""
        )}
        {fields.day ? (
          <p class="field-error" id="day-error" safe>
            {fields.day}
          </p>
        ) : (
          ""
        )}
        <Field label="Booked visits may move" name="flex" error={fields.flex}>
          <Select
            name="flex"
            value={v.flex ?? DEFAULT_FLEX}
            options={FLEX_CHOICES.map((c) => ({ value: c, label: FLEX_LABELS[c] }))}
            invalid={Boolean(fields.flex)}
          />
        </Field>
        <Field label="Search for at most" name="timeLimit" error={fields.timeLimit}>
          <Select
            name="timeLimit"
            value={v.timeLimit ?? String(DEFAULT_TIME_LIMIT)}
            options={TIME_LIMITS.map((s) => ({ value: String(s), label: `${s} seconds` }))}
            invalid={Boolean(fields.timeLimit)}
          />
        </Field>
        <div class="actions">
          <button type="submit" name="scope" value="all">
            Optimize all technicians
          </button>{" "}
          <button type="submit" name="scope" value="selected" class="secondary">
            Optimize ticked technicians
          </button>
        </div>
        <p class="hint">
          "All" means every technician matching the zone and team filters ({board.total}), on every page.
        </p>
      </form>
      {recent.length ? (
        <ul class="run-list" aria-label="Optimizations of this day">
          {recent.map((r) => (
            <li>
              <a href={`/fsm/dispatch/runs/${r.id}`} safe>
                {formatDateTime(r.createdAt, board.timeZone)}
              </a>{" "}
              <span class={`run-status run-${r.status}`} safe>
                {r.status}
              </span>{" "}
              <small>
                {r.technicians} technicians · <span safe>{r.startedByName}</span>
              </small>
            </li>
          ))}
        </ul>
      ) : (
        ""
      )}
    </section>
  );
}

/** The checkbox on a technician's row of the board, submitted with the optimize form. */
export function OptimizeCheckbox({
  userId,
  name,
  checked,
}: {
  userId: string;
  name: string;
  checked: boolean;
}) {
  return (
    <input
      type="checkbox"
      checked={checked}
      form="optimize-form"
      name="technicianId"
      value={userId}
      class="optimize-pick"
      aria-label={`Optimize ${name}`}
    />
  );
}

function Metrics({ before, after }: { before: PlanMetrics; after: PlanMetrics }) {
  const rows: [string, (m: PlanMetrics) => string, (m: PlanMetrics) => number][] = [
    ["Jobs assigned", (m) => String(m.assigned), (m) => m.assigned],
    ["Jobs left out", (m) => String(m.leftOut), (m) => -m.leftOut],
    ["Total travel", (m) => durationOf(m.travel), (m) => -m.travel],
    ["Total lateness", (m) => durationOf(m.lateness), (m) => -m.lateness],
    ["Total waiting", (m) => durationOf(m.waiting), (m) => -m.waiting],
    ["Technicians with work", (m) => String(m.technicians), () => 0],
  ];
  return (
    <table class="run-metrics">
      <thead>
        <tr>
          <th scope="col">Measure</th>
          <th scope="col">As booked</th>
          <th scope="col">Proposed</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, show, score]) => (
          <tr data-metric={label}>
            <th scope="row" safe>
              {label}
            </th>
            <td safe>{show(before)}</td>
            <td
              class={score(after) > score(before) ? "better" : score(after) < score(before) ? "worse" : ""}
              safe
            >
              {show(after)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function changeOf(job: DayJob, userId: string, start: number, names: Map<string, string>): string {
  if (job.kind === "locked") return "Locked (started or crew)";
  if (job.kind === "waiting") return "New visit";
  if (!job.current) return "Assigned";
  const others = job.current.userIds.filter((id) => id !== userId);
  if (others.length) return `From ${others.map((id) => names.get(id) ?? "another technician").join(", ")}`;
  if (Math.round(job.current.start / 60) !== Math.round(start / 60))
    return `Moved from ${clockOf(job.current.start)}`;
  return "Unchanged";
}

function Sequences({ problem, proposal }: { problem: DayProblem; proposal: Proposal }) {
  const byKey = new Map(problem.jobs.map((j) => [j.key, j]));
  const names = new Map(problem.technicians.map((t) => [t.userId, t.name]));
  const routes = new Map(proposal.routes.map((r) => [r.userId, r]));
  return (
    <section aria-labelledby="sequences-title">
      <h2 id="sequences-title">Each technician's day</h2>
      {problem.technicians.map((t) => {
        const route = routes.get(t.userId);
        return (
          <div class="run-route" data-technician={t.userId}>
            <h3>
              <span safe>{t.name}</span>{" "}
              <small>
                {route?.stops.length
                  ? `leaves ${clockOf(route.departure)}, back ${clockOf(route.returnTime)}, ${durationOf(route.travel)} travel`
                  : "no visits"}
              </small>
            </h3>
            {route?.stops.length ? (
              <ol>
                {route.stops.map((s) => {
                  const job = byKey.get(s.key);
                  if (!job) return "";
                  return (
                    <li data-number={formatWorkOrderNumber(job.number)}>
                      <span class="run-time" safe>
                        {`${clockOf(s.start)}–${clockOf(s.end)}`}
                      </span>{" "}
                      <a href={`/fsm/work-orders/${formatWorkOrderNumber(job.number)}`} safe>
                        {formatWorkOrderNumber(job.number)}
                      </a>{" "}
                      <span safe>{job.subject}</span>{" "}
                      <small class="run-change" safe>
                        {changeOf(job, t.userId, s.start, names)}
                      </small>{" "}
                      <small safe>{`${durationOf(s.travelBefore)} travel before`}</small>
                      {s.lateness > 0 ? (
                        <small class="worse" safe>{` · ${durationOf(s.lateness)} late`}</small>
                      ) : (
                        ""
                      )}
                    </li>
                  );
                })}
              </ol>
            ) : (
              ""
            )}
          </div>
        );
      })}
    </section>
  );
}

function LeftOut({ problem, proposal }: { problem: DayProblem; proposal: Proposal }) {
  const byKey = new Map(problem.jobs.map((j) => [j.key, j]));
  const items = proposal.leftOut.flatMap((u) => {
    const job = byKey.get(u.key);
    if (!job) return [];
    const stays = job.kind === "booked" || job.kind === "locked" ? " It stays as booked." : "";
    return [{ job, text: `${REASON_LABELS[u.reason]}${stays}` }];
  });
  if (items.length === 0 && problem.skipped.length === 0 && problem.absent.length === 0) return "";
  return (
    <section aria-labelledby="left-out-title">
      <h2 id="left-out-title">Left out</h2>
      <ul class="run-left-out">
        {items.map(({ job, text }) => (
          <li data-number={formatWorkOrderNumber(job.number)}>
            <a href={`/fsm/work-orders/${formatWorkOrderNumber(job.number)}`} safe>
              {formatWorkOrderNumber(job.number)}
            </a>{" "}
            <span safe>{job.subject}</span> — <span safe>{text}</span>
          </li>
        ))}
        {problem.skipped.map((s) => (
          <li data-number={formatWorkOrderNumber(s.number)}>
            <span safe>{formatWorkOrderNumber(s.number)}</span> <span safe>{s.subject}</span> —{" "}
            <span safe>{s.reason}</span>
          </li>
        ))}
        {problem.absent.map((a) => (
          <li>
            <span safe>{a.name}</span> — <span safe>{a.reason}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Starts a new run with the same technicians and options on the data as it is now. */
function RerunForm({ csrf, run, label }: { csrf: string; run: OptimizerRunView; label: string }) {
  return (
    <form method="post" action="/fsm/dispatch/runs" class="inline">
      <CsrfField token={csrf} />
      <input type="hidden" name="day" value={run.day} />
      <input type="hidden" name="scope" value="selected" />
      {run.problem.technicians.map((t) => (
        <input type="hidden" name="technicianId" value={t.userId} />
      ))}
      <input type="hidden" name="timeLimit" value={String(run.options.timeLimitSeconds)} />
      <input
        type="hidden"
        name="flex"
        value={run.options.flexMinutes === null ? "any" : String(run.options.flexMinutes)}
      />
      <button type="submit" safe>
        {label}
      </button>
    </form>
  );
}

function ActionForm({
  csrf,
  run,
  action,
  label,
  secondary,
}: {
  csrf: string;
  run: OptimizerRunView;
  action: string;
  label: string;
  secondary?: boolean;
}) {
  return (
    <form method="post" action={`/fsm/dispatch/runs/${run.id}/${action}`} class="inline">
      <CsrfField token={csrf} />
      <button type="submit" class={secondary ? "secondary" : undefined} safe>
        {label}
      </button>
    </form>
  );
}

function Progress({ csrf, run }: { csrf: string; run: OptimizerRunView }) {
  const p = run.progress;
  return (
    <section id="run-progress" data-progress-url={`/fsm/dispatch/runs/${run.id}/progress`} aria-live="polite">
      {/* Without JavaScript the page reloads itself until the run has finished. */}
      <noscript>
        <meta http-equiv="refresh" content="2" />
      </noscript>
      <p>
        Searching for the best plan…{" "}
        <span data-field="elapsed">{p ? (p.elapsedMs / 1000).toFixed(1) : "0.0"}</span> s of at most{" "}
        {run.options.timeLimitSeconds} s.
      </p>
      <p>
        Best so far: <span data-field="assigned">{p ? String(p.assigned) : "–"}</span> jobs planned,{" "}
        <span data-field="leftOut">{p ? String(p.leftOut) : "–"}</span> left out,{" "}
        <span data-field="travel">{p ? durationOf(p.travel) : "–"}</span> of travel.
      </p>
      <p>
        <a href={`/fsm/dispatch/runs/${run.id}`}>Refresh</a>
      </p>
      <ActionForm csrf={csrf} run={run} action="discard" label="Stop and discard" secondary />
      <script src="/public/optimize-run.js" />
    </section>
  );
}

export function OptimizerRunPage({
  csrf,
  viewer,
  run,
  notice,
  changes,
  message,
}: {
  csrf: string;
  viewer: Viewer;
  run: OptimizerRunView;
  notice?: string;
  changes?: string[];
  message?: string;
}) {
  const board = `/fsm/dispatch?day=${run.day}`;
  return (
    <Page title={`Optimize ${run.day}`} csrf={csrf} viewer={viewer} scripts>
      <p>
        <a href={board} safe>
          {`← Dispatch board for ${run.day}`}
        </a>
      </p>
      <h1 safe>{`Optimize ${run.day}`}</h1>
      <p class="hint">
        Started by <span safe>{run.startedByName}</span> at{" "}
        <span safe>{formatDateTime(run.createdAt, run.problem.timeZone)}</span> for{" "}
        {run.problem.technicians.length} technicians and {run.problem.jobs.length} jobs.{" "}
        <span class={`run-status run-${run.status}`} id="run-status">
          {run.status}
        </span>
      </p>
      <Notice message={notice} />
      <ErrorSummary message={message} />
      {changes?.length ? (
        <div class="alert error stale" role="alert">
          <p>The proposal was not applied: the day changed since the optimization started.</p>
          <ul>
            {changes.map((c) => (
              <li safe>{c}</li>
            ))}
          </ul>
          <RerunForm csrf={csrf} run={run} label="Optimize again with the day as it is now" />
        </div>
      ) : (
        ""
      )}
      {run.status === "running" ? <Progress csrf={csrf} run={run} /> : ""}
      {run.status === "failed" ? (
        <div class="alert error" role="alert">
          <p>
            The optimization failed: <span safe>{run.error ?? "unknown error"}</span>
          </p>
          <RerunForm csrf={csrf} run={run} label="Try again" />
        </div>
      ) : (
        ""
      )}
      {run.status === "discarded" ? (
        <div class="alert" role="status">
          <p>This proposal was discarded.</p>
          <RerunForm csrf={csrf} run={run} label="Optimize again" />
        </div>
      ) : (
        ""
      )}
      {run.proposal && run.before && run.after ? (
        <>
          <h2>Before and after</h2>
          <Metrics before={run.before} after={run.after} />
          <p class="hint">
            <span safe>
              {`Searched ${(run.proposal.elapsedMs / 1000).toFixed(1)} s (${run.proposal.iterations.toLocaleString("en")} iterations).`}
            </span>
          </p>
          {run.status === "done" ? (
            <div class="actions run-actions">
              <ActionForm csrf={csrf} run={run} action="apply" label="Apply" />{" "}
              <ActionForm csrf={csrf} run={run} action="discard" label="Discard" secondary />
            </div>
          ) : (
            ""
          )}
          <LeftOut problem={run.problem} proposal={run.proposal} />
          <Sequences problem={run.problem} proposal={run.proposal} />
        </>
      ) : (
        ""
      )}
    </Page>
  );
}
