// Admin pages for SLAs: policies (/admin/sla) and business calendars (/admin/calendars).
import { CHANNELS, TICKET_PRIORITIES, TICKET_TYPES } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import {
  COMPANY_TIERS,
  formatDayHours,
  formatDuration,
  formatHolidayLines,
  PAUSABLE_STATUSES,
  type PolicyRow,
  targetField,
  WEEKDAYS,
} from "../../domain/sla/admin";
import { DEFAULT_PAUSE_STATUSES, SLA_TARGETS, TARGET_LABELS } from "../../domain/sla/policy";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { channelLabel, humanize, priorityLabel, statusLabel } from "../format";
import { Page, type Viewer } from "../layout";

interface Choice {
  id: string;
  name: string;
}

interface FormState {
  values?: Record<string, string | string[]>;
  fields?: FieldErrors;
  message?: string;
}

/** One value of a re-rendered form: what was typed, else the stored value. */
function typed(state: FormState, name: string, stored: string): string {
  const v = state.values?.[name];
  if (v === undefined) return stored;
  return Array.isArray(v) ? (v[0] ?? "") : v;
}

function checkedList(state: FormState, name: string, stored: readonly string[]): readonly string[] {
  if (!state.values) return stored;
  const v = state.values[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function CheckGroup({
  legend,
  name,
  options,
  checked,
  error,
  hint,
}: {
  legend: string;
  name: string;
  options: { value: string; label: string }[];
  checked: readonly string[];
  error?: string;
  hint?: string;
}) {
  return (
    <fieldset
      class={error ? "field checks invalid" : "field checks"}
      id={name}
      aria-invalid={error ? "true" : undefined}
    >
      <legend safe>{legend}</legend>
      {options.map((o) => (
        <label class="check">
          <input type="checkbox" name={name} value={o.value} checked={checked.includes(o.value)} />{" "}
          <span safe>{o.label}</span>
        </label>
      ))}
      {hint ? (
        <small class="hint" safe>
          {hint}
        </small>
      ) : (
        ""
      )}
      {error ? (
        <small class="field-error" id={`${name}-error`} safe>
          {error}
        </small>
      ) : (
        ""
      )}
    </fieldset>
  );
}

function conditionSummary(policy: PolicyRow, teams: Choice[]): string {
  const c = policy.conditions;
  const parts: string[] = [];
  if (c.priorities?.length) parts.push(`priority ${c.priorities.join(" or ")}`);
  if (c.channels?.length)
    parts.push(`channel ${c.channels.map((x) => channelLabel(x as never)).join(" or ")}`);
  if (c.companyTiers?.length) parts.push(`company tier ${c.companyTiers.join(" or ")}`);
  if (c.categories?.length) parts.push(`type ${c.categories.join(" or ")}`);
  if (c.ticketCategories?.length)
    parts.push(`${c.ticketCategories.length} categor${c.ticketCategories.length === 1 ? "y" : "ies"}`);
  if (c.teams?.length)
    parts.push(
      `team ${c.teams.map((id) => teams.find((t) => t.id === id)?.name ?? "(removed)").join(" or ")}`,
    );
  return parts.length ? parts.join("; ") : "every ticket";
}

export function SlaPage({
  csrf,
  viewer,
  policies,
  calendars,
  teams,
  staff,
  settings,
  notice,
  settingsForm = {},
}: {
  csrf: string;
  viewer: Viewer;
  policies: PolicyRow[];
  calendars: { id: string; name: string; isDefault: boolean }[];
  teams: Choice[];
  staff: { id: string; name: string; role: string }[];
  settings: { escalationUserId: string | null; escalationEmail: string | null };
  notice?: string;
  settingsForm?: FormState;
}) {
  const calendarName = (id: string | null) =>
    id
      ? (calendars.find((c) => c.id === id)?.name ?? "(removed)")
      : `Team's, else default (${calendars.find((c) => c.isDefault)?.name ?? "around the clock"})`;
  return (
    <Page title="SLA policies" csrf={csrf} viewer={viewer}>
      <h1>SLA policies</h1>
      <p class="muted">
        Each ticket gets the first active policy, in this order, whose conditions it meets. Due times count
        the business hours of the policy's calendar (see <a href="/admin/calendars">business calendars</a>).
      </p>
      <Notice message={notice} />
      {policies.length === 0 ? (
        <p class="empty">No policies yet: tickets have no SLA.</p>
      ) : (
        <table class="policies">
          <thead>
            <tr>
              <th>Order</th>
              <th>Policy</th>
              <th>Applies to</th>
              <th>Calendar</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {policies.map((p) => (
              <tr data-policy={p.id}>
                <td class="num">{String(p.position) as "safe"}</td>
                <td>
                  <a href={`/admin/sla/policies/${p.id}`} safe>
                    {p.name}
                  </a>
                </td>
                <td safe>{conditionSummary(p, teams)}</td>
                <td safe>{calendarName(p.calendarId)}</td>
                <td>{p.active ? "Active" : "Off"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a class="button" href="/admin/sla/policies/new">
          New policy
        </a>
      </p>
      <section class="card narrow">
        <h2>Escalation contact</h2>
        <p class="muted">
          Told when a ticket is still overdue 24 hours after its breach (level 2). Without one, the
          supervisors are.
        </p>
        <ErrorSummary message={settingsForm.message} />
        <form method="post" action="/admin/sla/settings">
          <CsrfField token={csrf} />
          <Field label="Person" name="escalationUserId" error={settingsForm.fields?.escalationUserId}>
            <Select
              name="escalationUserId"
              value={typed(settingsForm, "escalationUserId", settings.escalationUserId ?? "")}
              blank="Nobody (the supervisors)"
              options={staff.map((s) => ({ value: s.id, label: `${s.name} (${humanize(s.role)})` }))}
              invalid={Boolean(settingsForm.fields?.escalationUserId)}
            />
          </Field>
          <Field
            label="Also record this address"
            name="escalationEmail"
            error={settingsForm.fields?.escalationEmail}
            hint="For example a duty manager's mailbox."
          >
            <input
              id="escalationEmail"
              name="escalationEmail"
              type="email"
              value={typed(settingsForm, "escalationEmail", settings.escalationEmail ?? "")}
              aria-invalid={settingsForm.fields?.escalationEmail ? "true" : undefined}
            />
          </Field>
          <button type="submit">Save contact</button>
        </form>
      </section>
    </Page>
  );
}

export function PolicyFormPage({
  csrf,
  viewer,
  policy,
  calendars,
  teams,
  categories = [],
  nextPosition,
  state = {},
}: {
  csrf: string;
  viewer: Viewer;
  policy?: PolicyRow;
  calendars: { id: string; name: string; isDefault: boolean }[];
  teams: Choice[];
  /** Ticket categories and subcategories, by path. */
  categories?: Choice[];
  nextPosition: number;
  state?: FormState;
}) {
  const fields = state.fields ?? {};
  const c = policy?.conditions ?? {};
  const title = policy ? `Policy ${policy.name}` : "New SLA policy";
  const action = policy ? `/admin/sla/policies/${policy.id}` : "/admin/sla/policies";
  const calendarTime = TICKET_PRIORITIES.filter((p) =>
    Object.values(policy?.targets[p] ?? {}).some((t) => t && !t.businessHours),
  );
  const targetText = (priority: string, kind: (typeof SLA_TARGETS)[number]) => {
    const stored = policy?.targets[priority]?.[kind];
    return typed(state, targetField(priority, kind), stored ? formatDuration(stored.minutes) : "");
  };
  const active = state.values ? state.values.active !== undefined : (policy?.active ?? true);
  return (
    <Page title={title} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/admin/sla">← SLA policies</a>
      </p>
      <h1 safe>{title}</h1>
      <ErrorSummary message={state.message} />
      <form method="post" action={action} class="card wide">
        <CsrfField token={csrf} />
        <Field label="Name" name="name" error={fields.name}>
          <input
            id="name"
            name="name"
            required
            maxlength="100"
            value={typed(state, "name", policy?.name ?? "")}
            aria-invalid={fields.name ? "true" : undefined}
          />
        </Field>
        <Field label="Order" name="position" error={fields.position} hint="Lower numbers are tried first.">
          <input
            id="position"
            name="position"
            inputmode="numeric"
            value={typed(state, "position", String(policy?.position ?? nextPosition))}
            aria-invalid={fields.position ? "true" : undefined}
          />
        </Field>
        <div class="field">
          <label class="check">
            <input type="checkbox" name="active" value="1" checked={active} /> Active
          </label>
        </div>
        <Field label="Business calendar" name="calendarId" error={fields.calendarId}>
          <Select
            name="calendarId"
            value={typed(state, "calendarId", policy?.calendarId ?? "")}
            blank={`The ticket's team calendar, else the default (${calendars.find((x) => x.isDefault)?.name ?? "around the clock"})`}
            options={calendars.map((x) => ({ value: x.id, label: x.name }))}
            invalid={Boolean(fields.calendarId)}
          />
        </Field>
        <h2>Applies to</h2>
        <p class="muted">Tick nothing in a group to accept any value.</p>
        <CheckGroup
          legend="Priority"
          name="priorities"
          options={TICKET_PRIORITIES.map((p) => ({ value: p, label: priorityLabel(p) }))}
          checked={checkedList(state, "priorities", c.priorities ?? [])}
          error={fields.priorities}
        />
        <CheckGroup
          legend="Channel"
          name="channels"
          options={CHANNELS.map((x) => ({ value: x, label: channelLabel(x) }))}
          checked={checkedList(state, "channels", c.channels ?? [])}
          error={fields.channels}
        />
        <CheckGroup
          legend="Company tier"
          name="companyTiers"
          options={COMPANY_TIERS.map((x) => ({ value: x, label: humanize(x) }))}
          checked={checkedList(state, "companyTiers", c.companyTiers ?? [])}
          error={fields.companyTiers}
        />
        <CheckGroup
          legend="Type"
          name="categories"
          options={TICKET_TYPES.map((x) => ({ value: x, label: humanize(x) }))}
          checked={checkedList(state, "categories", c.categories ?? [])}
          error={fields.categories}
        />
        <CheckGroup
          legend="Team"
          name="teams"
          options={teams.map((t) => ({ value: t.id, label: t.name }))}
          checked={checkedList(state, "teams", c.teams ?? [])}
          error={fields.teams}
        />
        {categories.length ? (
          <CheckGroup
            legend="Category (a category covers its subcategories)"
            name="ticketCategories"
            options={categories.map((x) => ({ value: x.id, label: x.name }))}
            checked={checkedList(state, "ticketCategories", c.ticketCategories ?? [])}
            error={fields.ticketCategories}
          />
        ) : (
          ""
        )}
        <h2>Targets</h2>
        <p class="muted">
          Times such as 8h, 1h 30m or 45m, counted in business hours unless the row counts around the clock.
          Leave a cell empty for no target.
        </p>
        <table class="targets">
          <thead>
            <tr>
              <th>Priority</th>
              {SLA_TARGETS.map((kind) => (
                <th safe>{TARGET_LABELS[kind]}</th>
              ))}
              <th>Around the clock</th>
            </tr>
          </thead>
          <tbody>
            {TICKET_PRIORITIES.map((priority) => (
              <tr>
                <th scope="row" safe>
                  {priorityLabel(priority)}
                </th>
                {SLA_TARGETS.map((kind) => {
                  const name = targetField(priority, kind);
                  const error = fields[name];
                  return (
                    <td>
                      <div class={error ? "field invalid" : "field"}>
                        <input
                          id={name}
                          name={name}
                          size="8"
                          aria-label={`${TARGET_LABELS[kind]} for ${priority} priority`}
                          value={targetText(priority, kind)}
                          aria-invalid={error ? "true" : undefined}
                        />
                        {error ? (
                          <small class="field-error" id={`${name}-error`} safe>
                            {error}
                          </small>
                        ) : (
                          ""
                        )}
                      </div>
                    </td>
                  );
                })}
                <td>
                  <input
                    type="checkbox"
                    name="calendarTime"
                    value={priority}
                    aria-label={`${priorityLabel(priority)}: count around the clock`}
                    checked={checkedList(state, "calendarTime", calendarTime).includes(priority)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <CheckGroup
          legend="Pause the clocks while the ticket is"
          name="pauseStatuses"
          options={PAUSABLE_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
          checked={checkedList(state, "pauseStatuses", policy?.pauseStatuses ?? DEFAULT_PAUSE_STATUSES)}
          error={fields.pauseStatuses}
          hint="Waiting on the customer or a third party. Solving a ticket stops its clocks."
        />
        <button type="submit">{policy ? "Save policy" : "Create policy"}</button>
      </form>
      {policy ? (
        <form method="post" action={`/admin/sla/policies/${policy.id}/delete`} class="danger-zone">
          <CsrfField token={csrf} />
          <button type="submit" class="danger">
            Delete policy
          </button>
        </form>
      ) : (
        ""
      )}
    </Page>
  );
}

const teamName = (teams: Choice[], id: string | null): string =>
  id ? (teams.find((t) => t.id === id)?.name ?? "") : "—";

export function CalendarsPage({
  csrf,
  viewer,
  calendars,
  teams,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  calendars: {
    id: string;
    name: string;
    timeZone: string;
    isDefault: boolean;
    teamId: string | null;
    weekly: { day: number; start: string; end: string }[];
    holidayCount: number;
  }[];
  teams: Choice[];
  notice?: string;
}) {
  return (
    <Page title="Business calendars" csrf={csrf} viewer={viewer}>
      <p>
        <a href="/admin/sla">← SLA policies</a>
      </p>
      <h1>Business calendars</h1>
      <p class="muted">When SLA clocks count: weekly business hours in a time zone, minus holidays.</p>
      <Notice message={notice} />
      {calendars.length === 0 ? (
        <p class="empty">No calendars: SLA clocks count around the clock.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Calendar</th>
              <th>Time zone</th>
              <th>Hours</th>
              <th>Holidays</th>
              <th>Team</th>
            </tr>
          </thead>
          <tbody>
            {calendars.map((c) => (
              <tr data-calendar={c.id}>
                <td>
                  <a href={`/admin/calendars/${c.id}`} safe>
                    {c.name}
                  </a>
                  {c.isDefault ? <span class="badge">Default</span> : ""}
                </td>
                <td safe>{c.timeZone}</td>
                <td safe>
                  {WEEKDAYS.map((d, i) => {
                    const hours = formatDayHours(c.weekly, i + 1);
                    return hours ? `${d.slice(0, 3)} ${hours}` : "";
                  })
                    .filter(Boolean)
                    .join("; ")}
                </td>
                <td class="num">{String(c.holidayCount) as "safe"}</td>
                <td safe>{teamName(teams, c.teamId)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a class="button" href="/admin/calendars/new">
          New calendar
        </a>
      </p>
    </Page>
  );
}

export function CalendarFormPage({
  csrf,
  viewer,
  calendar,
  holidays = [],
  teams,
  defaultTimeZone,
  state = {},
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  calendar?: {
    id: string;
    name: string;
    timeZone: string;
    teamId: string | null;
    isDefault: boolean;
    weekly: { day: number; start: string; end: string }[];
  };
  holidays?: { date: string; name: string; startTime: string | null; endTime: string | null }[];
  teams: Choice[];
  defaultTimeZone: string;
  state?: FormState;
  notice?: string;
}) {
  const fields = state.fields ?? {};
  const title = calendar ? `Calendar ${calendar.name}` : "New business calendar";
  const action = calendar ? `/admin/calendars/${calendar.id}` : "/admin/calendars";
  const weekly = calendar?.weekly ?? [1, 2, 3, 4, 5].map((day) => ({ day, start: "09:00", end: "18:00" }));
  const isDefault = state.values ? state.values.isDefault !== undefined : (calendar?.isDefault ?? false);
  const holidayText = formatHolidayLines(
    holidays.map((h) => ({
      date: h.date,
      name: h.name,
      start: h.startTime ?? undefined,
      end: h.endTime ?? undefined,
    })),
  );
  return (
    <Page title={title} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/admin/calendars">← Business calendars</a>
      </p>
      <h1 safe>{title}</h1>
      <Notice message={notice} />
      <ErrorSummary message={state.message} />
      <form method="post" action={action} enctype="multipart/form-data" class="card wide">
        <CsrfField token={csrf} />
        <Field label="Name" name="name" error={fields.name}>
          <input
            id="name"
            name="name"
            required
            maxlength="100"
            value={typed(state, "name", calendar?.name ?? "")}
            aria-invalid={fields.name ? "true" : undefined}
          />
        </Field>
        <Field
          label="Time zone"
          name="timeZone"
          error={fields.timeZone}
          hint="An IANA name, e.g. Asia/Kuala_Lumpur."
        >
          <input
            id="timeZone"
            name="timeZone"
            required
            value={typed(state, "timeZone", calendar?.timeZone ?? defaultTimeZone)}
            aria-invalid={fields.timeZone ? "true" : undefined}
          />
        </Field>
        <Field
          label="Team"
          name="teamId"
          error={fields.teamId}
          hint="The team's tickets count this calendar under policies that do not choose one."
        >
          <Select
            name="teamId"
            value={typed(state, "teamId", calendar?.teamId ?? "")}
            blank="Not for one team"
            options={teams.map((t) => ({ value: t.id, label: t.name }))}
            invalid={Boolean(fields.teamId)}
          />
        </Field>
        <div class="field">
          <label class="check">
            <input type="checkbox" name="isDefault" value="1" checked={isDefault} /> Default calendar (for
            policies that do not choose one)
          </label>
        </div>
        <h2>Business hours</h2>
        <p class="muted">
          Per day, such as 09:00-12:00, 13:00-18:00. Empty means closed. An end before the start runs past
          midnight (22:00-06:00).
        </p>
        {WEEKDAYS.map((day, i) => {
          const name = `hours_${i + 1}`;
          return (
            <Field label={day} name={name} error={fields[name]}>
              <input
                id={name}
                name={name}
                value={typed(state, name, formatDayHours(weekly, i + 1))}
                aria-invalid={fields[name] ? "true" : undefined}
              />
            </Field>
          );
        })}
        <h2>Holidays</h2>
        <Field
          label="Holidays, one per line"
          name="holidays"
          error={fields.holidays}
          hint="2026-12-25 Christmas Day — or a partial day: 2026-12-24 13:00-24:00 Christmas Eve"
        >
          <textarea
            id="holidays"
            name="holidays"
            rows="10"
            aria-invalid={fields.holidays ? "true" : undefined}
            safe
          >
            {typed(state, "holidays", holidayText)}
          </textarea>
        </Field>
        <Field
          label="Import holidays from an iCalendar file (.ics)"
          name="ics"
          error={fields.ics}
          hint="Its holidays from last year to two years ahead are added to the list above."
        >
          <input id="ics" name="ics" type="file" accept=".ics,text/calendar" />
        </Field>
        <button type="submit">{calendar ? "Save calendar" : "Create calendar"}</button>
      </form>
      {calendar ? (
        <form method="post" action={`/admin/calendars/${calendar.id}/delete`} class="danger-zone">
          <CsrfField token={csrf} />
          <button type="submit" class="danger">
            Delete calendar
          </button>
        </form>
      ) : (
        ""
      )}
    </Page>
  );
}
