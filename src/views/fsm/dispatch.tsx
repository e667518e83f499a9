// The dispatch board: technicians × hours for one day, visits as bars placed by minute with the
// travel before them, the queue of work orders waiting for a visit, and the assign form that works
// without JavaScript (the same form the bars' "move" links fill in).

import type { AppointmentStatus } from "../../../db/schema";
import type { Conflict } from "../../domain/dispatch/assign";
import {
  BOARD_PAGE_SIZE,
  type BoardFilters,
  type DispatchBoard,
  SLA_DUE_FILTERS,
} from "../../domain/dispatch/board";
import type { FieldErrors } from "../../domain/errors";
import { APPOINTMENT_STATUS_LABELS, formatWorkOrderNumber } from "../../domain/fsm/rules";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { formatDateTime, humanize, timeAgo } from "../format";
import { JsonData, Page, type Viewer } from "../layout";
import { OptimizeCheckbox, OptimizeForm, type OptimizeFormState, type RecentRun } from "./optimizer";

/** The hours the grid spans: wide enough for the usual shifts, so bars line up between rows. */
const GRID_FROM = 6 * 60;
const GRID_TO = 21 * 60;
const span = GRID_TO - GRID_FROM;
/** Where a minute (from midnight of the board's first day) falls across `days` day columns, 0–1. */
function position(minute: number, days: number): number {
  const day = Math.min(days - 1, Math.max(0, Math.floor(minute / 1440)));
  const within = Math.min(Math.max(minute - day * 1440, GRID_FROM), GRID_TO) - GRID_FROM;
  return (day * span + within) / (days * span);
}
const percent = (minute: number, days = 1) => `${(position(minute, days) * 100).toFixed(3)}%`;
const width = (from: number, to: number, days = 1) =>
  `${(Math.max(0, position(to, days) - position(from, days)) * 100).toFixed(3)}%`;
const clock = (minute: number) =>
  `${String(Math.floor((minute % 1440) / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

export interface AssignFormState {
  values: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
  conflicts?: Conflict[];
}

function boardQuery(filters: BoardFilters, change: Partial<Record<string, string | number>>): string {
  const params = new URLSearchParams();
  const base: Record<string, string | number | undefined> = {
    day: filters.day,
    view: filters.view === "week" ? "week" : undefined,
    zone: filters.zoneId,
    team: filters.teamId,
    skill: filters.skillId,
    priority: filters.priority,
    sla: filters.slaDue,
    page: filters.page,
    ...change,
  };
  for (const [k, v] of Object.entries(base))
    if (v !== undefined && v !== "" && !(k === "page" && v === 1)) params.set(k, String(v));
  return `/fsm/dispatch?${params}`;
}

function Filters({ board }: { board: DispatchBoard }) {
  const f = board.filters;
  const opts = (list: { id: string; name: string }[]) => list.map((c) => ({ value: c.id, label: c.name }));
  return (
    <form method="get" action="/fsm/dispatch" class="filters board-filters">
      <Field label="Day" name="day">
        <input type="date" id="day" name="day" value={f.day} />
      </Field>
      <Field label="View" name="view">
        <Select
          name="view"
          value={f.view}
          options={[
            { value: "day", label: "Day" },
            { value: "week", label: "Week" },
          ]}
        />
      </Field>
      <Field label="Zone" name="zone">
        <Select name="zone" value={f.zoneId} options={opts(board.zones)} blank="All zones" />
      </Field>
      <Field label="Team" name="team">
        <Select name="team" value={f.teamId} options={opts(board.teams)} blank="All teams" />
      </Field>
      <Field label="Skill (queue)" name="skill">
        <Select name="skill" value={f.skillId} options={opts(board.skills)} blank="Any skill" />
      </Field>
      <Field label="Priority (queue)" name="priority">
        <Select
          name="priority"
          value={f.priority}
          options={["urgent", "high", "normal", "low"].map((p) => ({ value: p, label: humanize(p) }))}
          blank="Any priority"
        />
      </Field>
      <Field label="SLA due (queue)" name="sla">
        <Select
          name="sla"
          value={f.slaDue}
          options={Object.entries(SLA_DUE_FILTERS).map(([value, { label }]) => ({ value, label }))}
          blank="Any time"
        />
      </Field>
      <button type="submit">Show</button>
    </form>
  );
}

function HourScale({ days }: { days: string[] }) {
  if (days.length > 1)
    return (
      <div class="board-row board-scale" aria-hidden="true">
        <div class="board-name" />
        <div class="board-line">
          {days.map((d, i) => (
            <span class="board-hour" style={`left:${percent(i * 1440 + GRID_FROM, days.length)}`} safe>
              {new Date(`${d}T00:00:00Z`).toUTCString().slice(0, 11)}
            </span>
          ))}
        </div>
      </div>
    );
  const hours: number[] = [];
  for (let m = GRID_FROM; m < GRID_TO; m += 60) hours.push(m);
  return (
    <div class="board-row board-scale" aria-hidden="true">
      <div class="board-name" />
      <div class="board-line">
        {hours.map((m) => (
          <span class="board-hour" style={`left:${percent(m)}`} safe>
            {clock(m)}
          </span>
        ))}
      </div>
    </div>
  );
}

function ShiftShading({ tech, days }: { tech: DispatchBoard["technicians"][number]; days: string[] }) {
  const n = days.length;
  const worked = days
    .map((d, i) => ({ i, weekday: ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1 }))
    .filter((d) => tech.workDays.includes(d.weekday));
  if (worked.length === 0) return <span class="board-off">Day off</span>;
  return (
    <>
      {worked.map(({ i }) => (
        <span
          class="board-shift"
          title={`Shift ${clock(tech.workStartMinute)}–${clock(tech.workEndMinute)}`}
          style={`left:${percent(i * 1440 + tech.workStartMinute, n)};width:${width(i * 1440 + tech.workStartMinute, i * 1440 + tech.workEndMinute, n)}`}
        />
      ))}
    </>
  );
}

function TechnicianRow({
  tech,
  days,
  picked,
}: {
  tech: DispatchBoard["technicians"][number];
  days: string[];
  picked: boolean;
}) {
  const n = days.length;
  return (
    <div class="board-row" data-technician={tech.userId}>
      <div class="board-name">
        {n === 1 ? <OptimizeCheckbox userId={tech.userId} name={tech.name} checked={picked} /> : ""}
        <strong safe>{tech.name}</strong>
        <small safe>{tech.zone ?? ""}</small>
      </div>
      <div
        class="board-line"
        data-drop-technician={tech.userId}
        data-day={days[0]}
        data-days={String(n)}
        data-grid-from={String(GRID_FROM)}
        data-grid-to={String(GRID_TO)}
      >
        <ShiftShading tech={tech} days={days} />
        {tech.visits.map((v) => (
          <>
            {v.travelBefore > 0 ? (
              <span
                class="board-travel"
                title={`${v.travelBefore} min travel`}
                style={`left:${percent(v.startMinute - v.travelBefore, n)};width:${width(v.startMinute - v.travelBefore, v.startMinute, n)}`}
              />
            ) : (
              ""
            )}
            <a
              class={`board-visit status-${v.status} priority-${v.priority}`}
              href={`/fsm/work-orders/${formatWorkOrderNumber(v.number)}`}
              draggable={v.locked ? undefined : "true"}
              data-appointment={v.appointmentId}
              data-number={formatWorkOrderNumber(v.number)}
              data-minutes={String(v.endMinute - v.startMinute)}
              style={`left:${percent(v.startMinute, n)};width:${width(v.startMinute, v.endMinute, n)}`}
              title={`${formatWorkOrderNumber(v.number)} ${v.subject} · ${clock(v.startMinute)}–${clock(v.endMinute)} · ${APPOINTMENT_STATUS_LABELS[v.status as AppointmentStatus] ?? v.status}`}
            >
              <span safe>{formatWorkOrderNumber(v.number)}</span> <span safe>{v.subject}</span>
            </a>
          </>
        ))}
      </div>
    </div>
  );
}

/** What live updates ask for: the same board, only one region of it. */
function fragmentUrl(filters: BoardFilters, fragment: "grid" | "queue"): string {
  return `${boardQuery(filters, {})}&fragment=${fragment}`;
}

/**
 * The queue refreshes when another dispatcher or a technician changes a visit (not while a work
 * order is being dragged from it).
 */
export function Queue({ board }: { board: DispatchBoard }) {
  return (
    <section
      class="board-queue"
      id="queue-region"
      aria-labelledby="queue-title"
      hx-get={fragmentUrl(board.filters, "queue")}
      hx-trigger="board-changed[!document.querySelector('.dragging')] from:#live delay:500ms"
      hx-swap="outerHTML"
    >
      <h2 id="queue-title">Waiting for a visit ({board.queue.length})</h2>
      {board.queue.length === 0 ? (
        <p class="empty">No work order is waiting.</p>
      ) : (
        <ul id="queue">
          {board.queue.map((w) => (
            <li
              class={`queue-item priority-${w.priority}`}
              draggable="true"
              data-number={formatWorkOrderNumber(w.number)}
              data-minutes="120"
            >
              <a href={`/fsm/work-orders/${formatWorkOrderNumber(w.number)}`} safe>
                {formatWorkOrderNumber(w.number)}
              </a>{" "}
              <span safe>{w.subject}</span>
              <small>
                <span safe>{humanize(w.priority)}</span>
                {w.zone ? (
                  <>
                    {" · "}
                    <span safe>{w.zone}</span>
                  </>
                ) : (
                  ""
                )}
                {w.skills ? (
                  <>
                    {" · "}
                    <span safe>{w.skills}</span>
                  </>
                ) : (
                  ""
                )}
                {w.slaDueAt ? (
                  <>
                    {" · "}
                    <span class={w.slaBreached ? "sla sla-breached" : "sla"} safe>
                      {w.slaBreached
                        ? `SLA breached ${formatDateTime(w.slaDueAt, board.timeZone)}`
                        : `SLA due ${formatDateTime(w.slaDueAt, board.timeZone)}`}
                    </span>
                  </>
                ) : (
                  ""
                )}
              </small>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function AssignForm({
  csrf,
  board,
  state,
}: {
  csrf: string;
  board: DispatchBoard;
  state?: AssignFormState;
}) {
  const v = state?.values ?? {};
  const fields = state?.fields ?? {};
  const conflicts = state?.conflicts ?? [];
  return (
    <form method="post" action="/fsm/dispatch/assign" id="assign-form" class="board-assign">
      <h2>Assign a visit</h2>
      <CsrfField token={csrf} />
      <ErrorSummary message={state?.message} fields={state?.fields} />
      {conflicts.length ? (
        <div class="alert error conflicts" role="alert">
          <p>The visit was not saved:</p>
          <ul>
            {conflicts.map((c) => (
              <li class={`conflict conflict-${c.kind}`} safe>
                {c.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        ""
      )}
      <input type="hidden" name="appointmentId" value={v.appointmentId ?? ""} />
      <input type="hidden" name="back" value={boardQuery(board.filters, {})} />
      <Field label="Work order" name="workOrder" error={fields.workOrder}>
        <input id="workOrder" name="workOrder" placeholder="WO-000123" value={v.workOrder ?? ""} required />
      </Field>
      <Field label="Technician" name="technicianId" error={fields.technicianId}>
        <Select
          name="technicianId"
          value={v.technicianId}
          options={board.technicians.map((t) => ({ value: t.userId, label: t.name }))}
          blank="Choose…"
          invalid={Boolean(fields.technicianId)}
        />
      </Field>
      <Field label="Starts" name="startsAt" error={fields.startsAt}>
        <input
          type="datetime-local"
          id="startsAt"
          name="startsAt"
          value={v.startsAt ?? `${board.filters.day}T09:00`}
          required
        />
      </Field>
      <Field label="Minutes" name="minutes" error={fields.minutes}>
        <input type="number" id="minutes" name="minutes" min="1" max="1440" value={v.minutes ?? "120"} />
      </Field>
      {conflicts.length ? (
        <label class="check">
          <input type="checkbox" name="override" value="1" /> Assign anyway (the conflicts are recorded)
        </label>
      ) : (
        ""
      )}
      <button type="submit">Assign</button>
    </form>
  );
}

/** Technicians' last reported positions with their age, for the map and its live refresh. */
export function positionData(positions: DispatchBoard["positions"], now: Date) {
  return positions.map((p) => ({
    userId: p.userId,
    name: p.name,
    lat: p.lat,
    lng: p.lng,
    accuracyM: p.accuracyM,
    age: timeAgo(p.recordedAt, now),
  }));
}

/** What the map draws: technicians' start points, their routes through the day's visits, waiting jobs. */
export function mapData(board: DispatchBoard) {
  return {
    technicians: board.technicians.map((t) => ({
      name: t.name,
      home: t.home,
      route: t.visits
        .filter((v) => v.lat !== null && v.lng !== null)
        .map((v) => ({
          lat: v.lat,
          lng: v.lng,
          label: `${formatWorkOrderNumber(v.number)} ${clock(v.startMinute)}`,
          status: v.status,
        })),
    })),
    positions: positionData(board.positions, board.now),
    queue: board.queue
      .filter((w) => w.lat !== null && w.lng !== null)
      .map((w) => ({
        lat: w.lat,
        lng: w.lng,
        label: `${formatWorkOrderNumber(w.number)} ${w.subject}`,
        priority: w.priority,
      })),
  };
}

/** Where the technicians who share their location were last seen, as text (and without JavaScript). */
function LastPositions({ board }: { board: DispatchBoard }) {
  if (board.positions.length === 0)
    return <p class="hint positions-none">No technician is sharing their location.</p>;
  return (
    <details class="positions">
      <summary safe>{`Last positions (${board.positions.length})`}</summary>
      <ul id="positions">
        {positionData(board.positions, board.now).map((p) => (
          <li data-position={p.userId}>
            <strong safe>{p.name}</strong>{" "}
            <span class="muted" safe>{`${p.lat.toFixed(4)}, ${p.lng.toFixed(4)} · ${p.age}`}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}

function DispatchMap({ board, tilesUrl }: { board: DispatchBoard; tilesUrl: string }) {
  return (
    <section class="board-map-section" aria-label="Map">
      <div
        id="dispatch-map"
        class="board-map"
        data-tiles={tilesUrl}
        data-map="dispatch-map-data"
        data-positions={`/fsm/dispatch/positions?day=${board.filters.day}`}
      >
        <p class="hint">The map needs JavaScript; the board works without it.</p>
      </div>
      <JsonData id="dispatch-map-data" value={mapData(board)} />
      <LastPositions board={board} />
    </section>
  );
}

/**
 * The technicians' rows: refreshed live when another dispatcher or a technician changes a visit,
 * except while the dispatcher has ticked technicians to optimize or is dragging a visit.
 */
export function BoardGrid({ board, picked = [] }: { board: DispatchBoard; picked?: string[] }) {
  const f = board.filters;
  const pages = Math.max(1, Math.ceil(board.total / BOARD_PAGE_SIZE));
  const firstShown = board.total === 0 ? 0 : (f.page - 1) * BOARD_PAGE_SIZE + 1;
  const lastShown = Math.min(board.total, f.page * BOARD_PAGE_SIZE);
  return (
    <div
      id="board-region"
      hx-get={fragmentUrl(f, "grid")}
      hx-trigger="board-changed[!document.querySelector('#board-region input:checked, .dragging')] from:#live delay:500ms"
      hx-swap="outerHTML"
    >
      <p class="board-count">
        Technicians {firstShown}–{lastShown} of {board.total}
        {f.page > 1 ? (
          <>
            {" · "}
            <a href={boardQuery(f, { page: f.page - 1 })} rel="prev">
              Previous
            </a>
          </>
        ) : (
          ""
        )}
        {f.page < pages ? (
          <>
            {" · "}
            <a href={boardQuery(f, { page: f.page + 1 })} rel="next">
              Next
            </a>
          </>
        ) : (
          ""
        )}
      </p>
      <HourScale days={board.days} />
      {board.technicians.map((t) => (
        <TechnicianRow tech={t} days={board.days} picked={picked.includes(t.userId)} />
      ))}
      <p class="board-legend">
        {(["scheduled", "dispatched", "travelling", "on_site", "completed", "cannot_complete"] as const).map(
          (s) => (
            <span class={`board-visit legend status-${s}`} safe>
              {APPOINTMENT_STATUS_LABELS[s]}
            </span>
          ),
        )}
        <span class="board-travel legend">Travel</span>
      </p>
    </div>
  );
}

export function DispatchBoardPage({
  csrf,
  viewer,
  board,
  tilesUrl,
  notice,
  assign,
  optimize,
  recentRuns = [],
}: {
  csrf: string;
  viewer: Viewer;
  board: DispatchBoard;
  tilesUrl: string;
  notice?: string;
  assign?: AssignFormState;
  optimize?: OptimizeFormState & { picked?: string[] };
  recentRuns?: RecentRun[];
}) {
  const f = board.filters;
  return (
    <Page title={`Dispatch ${f.day}`} csrf={csrf} viewer={viewer} scripts>
      <div id="live" hx-sse:connect="/fsm/dispatch/live" />
      <h1>Dispatch board</h1>
      <Notice message={notice} />
      <Filters board={board} />
      <div class="board-layout">
        <section class="board" aria-label="Technicians and their visits">
          <BoardGrid board={board} picked={optimize?.picked} />
          {f.view === "day" ? (
            <OptimizeForm
              csrf={csrf}
              board={board}
              back={boardQuery(f, {})}
              recent={recentRuns}
              state={optimize}
            />
          ) : (
            ""
          )}
        </section>
        <aside>
          <DispatchMap board={board} tilesUrl={tilesUrl} />
          <AssignForm csrf={csrf} board={board} state={assign} />
          <Queue board={board} />
        </aside>
      </div>
      <link rel="stylesheet" href="/public/vendor/leaflet.css" />
      <script src="/public/vendor/leaflet.js" />
      <script src="/public/dispatch.js" />
      <script src="/public/dispatch-map.js" />
    </Page>
  );
}
