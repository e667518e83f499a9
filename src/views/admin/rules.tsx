// Automation rules: the ordered list, the rule form (a fixed number of condition and action rows,
// so it works without JavaScript), and the dry run against a ticket.
import { RULE_TRIGGERS, TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from "../../../db/schema";
import { ACTION_TYPES, CHOICE_ACTIONS, CONDITION_FIELDS, OPERATORS } from "../../domain/automation/engine";
import type { DryRun, RuleRow } from "../../domain/automation/rules";
import type { FieldErrors } from "../../domain/errors";
import { CUSTOM_PREFIX } from "../../domain/fields/conditions";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { humanize } from "../format";
import { Page, type Viewer } from "../layout";

export const ROWS = 5;

const TRIGGER_LABELS: Record<string, string> = {
  "ticket.created": "A ticket is created",
  "ticket.updated": "A ticket is changed",
  "customer.replied": "The customer replies",
  "agent.replied": "An agent replies",
  "time.since_created": "Hours after a ticket was created",
  "time.since_updated": "Hours after a ticket was last updated",
  "time.in_pending": "Hours after a ticket became pending",
  "time.since_solved": "Hours after a ticket was solved",
  "time.sla_due_within": "Hours before an SLA target is due",
};

const ALL_OPERATORS: Record<string, string> = Object.assign({}, ...Object.values(OPERATORS));

export function RulesPage({
  csrf,
  viewer,
  rules,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  rules: RuleRow[];
  notice?: string;
}) {
  return (
    <Page title="Automation rules" csrf={csrf} viewer={viewer}>
      <h1>Automation rules</h1>
      <Notice message={notice} />
      <p class="muted">
        Rules run in this order when their trigger fires. Changes a rule makes do not fire rules again.
      </p>
      <p>
        <a href="/admin/rules/new">New rule</a>
      </p>
      {rules.length === 0 ? <p class="empty">No rules yet.</p> : ""}
      <ol class="rules">
        {rules.map((r) => (
          <li class={r.active ? "" : "muted"}>
            <a href={`/admin/rules/${r.id}`} safe>
              {r.name}
            </a>{" "}
            <span class="muted" safe>
              {`${TRIGGER_LABELS[r.trigger]}${r.hours ? ` (${r.hours} h)` : ""} · ${r.conditions.length} condition${r.conditions.length === 1 ? "" : "s"} · ${r.actions.length} action${r.actions.length === 1 ? "" : "s"}${r.active ? "" : " · off"}${r.stopProcessing ? " · stops later rules" : ""}`}
            </span>
            <form method="post" action={`/admin/rules/${r.id}/move`} class="inline">
              <CsrfField token={csrf} />
              <button type="submit" name="direction" value="up" class="link">
                Up
              </button>
              <button type="submit" name="direction" value="down" class="link">
                Down
              </button>
            </form>
          </li>
        ))}
      </ol>
    </Page>
  );
}

export interface Choices {
  people: { id: string; name: string }[];
  teams: { id: string; name: string }[];
  /** Categories by path ("Air conditioning › Leaking") and the custom fields conditions may name. */
  categories?: { id: string; name: string }[];
  fields?: { key: string; label: string }[];
  /** Shared macros and webhooks, for "apply a macro" and "call a webhook". */
  macros?: { id: string; name: string }[];
  webhooks?: { id: string; name: string }[];
}

/** The condition rows' field choices: the ticket's own fields, then each custom field. */
function conditionFieldOptions(choices: Choices) {
  return [
    ...CONDITION_FIELDS.map((f) => ({ value: f.field, label: f.label })),
    ...(choices.fields ?? []).map((f) => ({ value: `${CUSTOM_PREFIX}${f.key}`, label: `Field: ${f.label}` })),
  ];
}

/** A stored condition value as the form shows it: category ids by their names. */
function conditionValueText(field: string | undefined, value: string | undefined, choices: Choices) {
  if (field === "category") return choices.categories?.find((c) => c.id === value)?.name ?? value ?? "";
  return value ?? "";
}

/** The form's fields from a stored rule. */
export function ruleFormValues(rule: RuleRow): Record<string, string> {
  const values: Record<string, string> = {
    name: rule.name,
    trigger: rule.trigger,
    match: rule.match,
    hours: rule.hours ? String(rule.hours) : "",
    active: rule.active ? "1" : "",
    stopProcessing: rule.stopProcessing ? "1" : "",
  };
  rule.conditions.forEach((c, i) => {
    values[`c${i}_field`] = c.field;
    values[`c${i}_op`] = c.op;
    values[`c${i}_value`] = c.value;
  });
  rule.actions.forEach((a, i) => {
    values[`a${i}_type`] = a.type;
    const choice = CHOICE_ACTIONS.has(a.type);
    values[choice ? `a${i}_choice` : `a${i}_text`] = a.value;
    values[`a${i}_subject`] = a.subject ?? "";
  });
  return values;
}

function ChoiceSelect({ name, value, choices }: { name: string; value: string; choices: Choices }) {
  const group = (label: string, options: { value: string; label: string }[]) => (
    <optgroup label={label}>
      {options.map((o) => (
        <option value={o.value} selected={o.value === value} safe>
          {o.label}
        </option>
      ))}
    </optgroup>
  );
  const named = (list: readonly string[]) => list.map((v) => ({ value: v, label: humanize(v) }));
  return (
    <select id={name} name={name}>
      <option value="">—</option>
      {group("Status", named(TICKET_STATUSES))}
      {group("Priority", named(TICKET_PRIORITIES))}
      {group("Type", named(TICKET_TYPES))}
      {group(
        "People",
        choices.people.map((p) => ({ value: p.id, label: p.name })),
      )}
      {group(
        "Teams",
        choices.teams.map((t) => ({ value: t.id, label: t.name })),
      )}
      {group(
        "Categories",
        (choices.categories ?? []).map((c) => ({ value: c.id, label: c.name })),
      )}
      {group(
        "Macros",
        (choices.macros ?? []).map((m) => ({ value: m.id, label: m.name })),
      )}
      {group(
        "Webhooks",
        (choices.webhooks ?? []).map((w) => ({ value: w.id, label: w.name })),
      )}
    </select>
  );
}

export function RuleFormPage({
  csrf,
  viewer,
  action,
  ruleId,
  choices,
  values,
  fields = {},
  message,
  notice,
  dryRun,
}: {
  csrf: string;
  viewer: Viewer;
  action: string;
  ruleId?: string;
  choices: Choices;
  values: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
  notice?: string;
  dryRun?: DryRun;
}) {
  return (
    <Page title={values.name || "New rule"} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/admin/rules">← Automation rules</a>
      </p>
      <h1 safe>{values.name || "New rule"}</h1>
      <Notice message={notice} />
      <ErrorSummary message={message} />
      <form method="post" action={action}>
        <CsrfField token={csrf} />
        <Field label="Name" name="name" error={fields.name}>
          <input id="name" name="name" required maxlength="120" value={values.name ?? ""} />
        </Field>
        <Field label="When" name="trigger" error={fields.trigger}>
          <Select
            name="trigger"
            value={values.trigger ?? "ticket.created"}
            options={RULE_TRIGGERS.map((t) => ({ value: t, label: TRIGGER_LABELS[t] }))}
          />
        </Field>
        <Field
          label="Hours"
          name="hours"
          error={fields.hours}
          hint="For the time-based choices above: e.g. 48. Checked every five minutes; the rule acts once per ticket each time its time comes."
        >
          <input id="hours" name="hours" inputmode="numeric" maxlength="4" value={values.hours ?? ""} />
        </Field>
        <Field label="Run when" name="match">
          <Select
            name="match"
            value={values.match ?? "all"}
            options={[
              { value: "all", label: "all conditions hold" },
              { value: "any", label: "any condition holds" },
            ]}
          />
        </Field>
        <fieldset>
          <legend>Conditions (leave a row's field empty to skip it)</legend>
          {Array.from({ length: ROWS }, (_, i) => (
            <div class={fields[`conditions.${i}`] ? "row invalid" : "row"}>
              <Select
                name={`c${i}_field`}
                value={values[`c${i}_field`]}
                blank="—"
                options={conditionFieldOptions(choices)}
              />
              <Select
                name={`c${i}_op`}
                value={values[`c${i}_op`]}
                options={Object.entries(ALL_OPERATORS).map(([value, label]) => ({ value, label }))}
              />
              <input
                name={`c${i}_value`}
                aria-label="Value"
                value={conditionValueText(values[`c${i}_field`], values[`c${i}_value`], choices)}
              />
              {fields[`conditions.${i}`] ? (
                <small class="field-error" safe>
                  {fields[`conditions.${i}`]}
                </small>
              ) : (
                ""
              )}
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>Actions</legend>
          {Array.from({ length: ROWS }, (_, i) => (
            <div class={fields[`actions.${i}`] ? "row invalid" : "row"}>
              <Select
                name={`a${i}_type`}
                value={values[`a${i}_type`]}
                blank="—"
                options={Object.entries(ACTION_TYPES).map(([value, label]) => ({ value, label }))}
              />
              <ChoiceSelect name={`a${i}_choice`} value={values[`a${i}_choice`] ?? ""} choices={choices} />
              <input name={`a${i}_text`} aria-label="Tags or text" value={values[`a${i}_text`] ?? ""} />
              <input
                name={`a${i}_subject`}
                aria-label="Email subject"
                placeholder="Email subject"
                value={values[`a${i}_subject`] ?? ""}
              />
              {fields[`actions.${i}`] ? (
                <small class="field-error" safe>
                  {fields[`actions.${i}`]}
                </small>
              ) : (
                ""
              )}
            </div>
          ))}
        </fieldset>
        <div class="field">
          <label>
            <input type="checkbox" name="active" value="1" checked={values.active === "1"} /> Active
          </label>
          <label>
            <input type="checkbox" name="stopProcessing" value="1" checked={values.stopProcessing === "1"} />{" "}
            Stop processing later rules when this one runs
          </label>
        </div>
        <button type="submit">Save rule</button>
      </form>
      {ruleId ? (
        <>
          <section class="card">
            <h2>Test against a ticket</h2>
            <form method="post" action={`/admin/rules/${ruleId}/dry-run`}>
              <CsrfField token={csrf} />
              <Field label="Ticket" name="ticket" error={fields.ticket}>
                <input id="ticket" name="ticket" placeholder="TKT-000123" value={values.ticket ?? ""} />
              </Field>
              <button type="submit" class="secondary">
                Test (changes nothing)
              </button>
            </form>
            {dryRun ? <DryRunResult result={dryRun} /> : ""}
          </section>
          <form method="post" action={`/admin/rules/${ruleId}/delete`}>
            <CsrfField token={csrf} />
            <button type="submit" class="danger">
              Delete rule
            </button>
          </form>
        </>
      ) : (
        ""
      )}
    </Page>
  );
}

function DryRunResult({ result }: { result: DryRun }) {
  return (
    <div class="dry-run" role="status">
      <p>
        <strong>{result.evaluation.matched ? "The rule would run" : "The rule would not run"}</strong> on
        ticket <span safe>{String(result.ticketNumber)}</span>.
      </p>
      {result.timing ? (
        <p class={result.timing.due ? "timing due" : "timing"} safe>
          {`${result.timing.due ? "✓" : "✗"} ${result.timing.text}`}
        </p>
      ) : (
        ""
      )}
      <ul>
        {result.evaluation.conditions.map((c) => (
          <li
            safe
          >{`${c.holds ? "✓" : "✗"} ${c.condition.field} ${ALL_OPERATORS[c.condition.op] ?? c.condition.op} ${c.condition.value}`}</li>
        ))}
      </ul>
      {result.evaluation.matched ? (
        <>
          <p>It would:</p>
          <ul>
            {result.wouldDo.map((w) => (
              <li safe>{w}</li>
            ))}
          </ul>
        </>
      ) : (
        ""
      )}
    </div>
  );
}
