// Preventive maintenance plans: the list, the plan form (new and edit), and the plan's page with
// its lines, next occurrences and the work orders it made.
import { INTERVAL_UNITS, WORK_ORDER_PRIORITIES } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import type { PlanDetail, PlanListRow, PlanRow } from "../../domain/fsm/maintenance";
import { formatWorkOrderNumber, WORK_ORDER_STATUS_LABELS } from "../../domain/fsm/rules";
import type { WorkOrderChoices } from "../../domain/fsm/workOrders";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { priorityLabel } from "../format";
import { Page, type Viewer } from "../layout";
import { AddLineForm, LinesTable } from "./lines";
import type { Failed } from "./workOrders";

const UNIT_LABELS = { day: "days", week: "weeks", month: "months" } as const;

/** "Every 3 months", "On 4 dates", "FREQ=…": how the plan repeats, in a few words. */
export function recurrenceText(plan: PlanRow): string {
  if (plan.recurrenceKind === "dates") return `On ${plan.dates?.length ?? 0} listed dates`;
  if (plan.recurrenceKind === "rrule") return `Rule ${plan.rrule ?? ""}`;
  const n = plan.intervalCount ?? 1;
  const unit = plan.intervalUnit ?? "month";
  return n === 1 ? `Every ${unit}` : `Every ${n} ${UNIT_LABELS[unit]}`;
}

function targetText(
  asset: { type: string; serial: string | null } | null,
  location: { name: string } | null,
) {
  const assetText = asset ? [asset.type, asset.serial].filter(Boolean).join(" ") : "";
  return [assetText, location?.name ?? ""].filter(Boolean).join(" at ") || "—";
}

export function PlanListPage({ csrf, viewer, rows }: { csrf: string; viewer: Viewer; rows: PlanListRow[] }) {
  return (
    <Page title="Maintenance plans" csrf={csrf} viewer={viewer}>
      <h1>Maintenance plans</h1>
      <p>
        <a class="button" href="/fsm/maintenance/new">
          New plan
        </a>
      </p>
      {rows.length === 0 ? (
        <p class="empty">No maintenance plans yet.</p>
      ) : (
        <table class="plans">
          <thead>
            <tr>
              <th>Plan</th>
              <th>For</th>
              <th>Repeats</th>
              <th>Next</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/fsm/maintenance/${r.plan.id}`} safe>
                    {r.plan.title}
                  </a>
                </td>
                <td safe>
                  {targetText(
                    r.assetType ? { type: r.assetType, serial: r.assetSerial } : null,
                    r.locationName ? { name: r.locationName } : null,
                  )}
                </td>
                <td safe>{recurrenceText(r.plan)}</td>
                <td safe>{r.next ?? "—"}</td>
                <td>
                  <span class={`badge ${r.plan.active ? "plan-active" : "plan-paused"}`}>
                    {r.plan.active ? "Active" : "Paused"}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

/** The form's values from a stored plan, as the form would have sent them. */
export function planFormValues(plan: PlanRow): Record<string, string> {
  return {
    title: plan.title,
    description: plan.description,
    assetId: plan.assetId ?? "",
    locationId: plan.assetId ? "" : (plan.locationId ?? ""),
    priority: plan.priority,
    durationMinutes: String(plan.durationMinutes),
    recurrenceKind: plan.recurrenceKind,
    intervalCount: plan.intervalCount ? String(plan.intervalCount) : "",
    intervalUnit: plan.intervalUnit ?? "month",
    dates: (plan.dates ?? []).join("\n"),
    rrule: plan.rrule ?? "",
    startsOn: plan.startsOn,
    endsOn: plan.endsOn ?? "",
    leadDays: String(plan.leadDays),
  };
}

export function PlanFormPage({
  csrf,
  viewer,
  choices,
  action,
  heading,
  values = {},
  skillIds = [],
  fields = {},
  message,
}: {
  csrf: string;
  viewer: Viewer;
  choices: Pick<WorkOrderChoices, "assets" | "locations" | "skills">;
  action: string;
  heading: string;
  values?: Record<string, string>;
  skillIds?: string[];
  fields?: FieldErrors;
  message?: string;
}) {
  const kind = values.recurrenceKind ?? "interval";
  return (
    <Page title={heading} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/fsm/maintenance">← Maintenance plans</a>
      </p>
      <section class="card wide">
        <h1 safe>{heading}</h1>
        <ErrorSummary message={message} />
        <form method="post" action={action} class="plan-form">
          <CsrfField token={csrf} />
          <Field label="Title" name="title" error={fields.title}>
            <input id="title" name="title" maxlength="200" value={values.title ?? ""} />
          </Field>
          <div class="row">
            <Field label="Asset" name="assetId" error={fields.assetId} hint="Its location follows.">
              <Select
                name="assetId"
                value={values.assetId}
                blank="None"
                options={choices.assets.map((a) => ({
                  value: a.id,
                  label: [a.type, a.make, a.model, a.serial].filter(Boolean).join(" · "),
                }))}
              />
            </Field>
            <Field label="Or a whole service location" name="locationId" error={fields.locationId}>
              <Select
                name="locationId"
                value={values.locationId}
                blank="None"
                options={choices.locations.map((l) => ({ value: l.id, label: l.name }))}
              />
            </Field>
          </div>
          <Field label="What to do" name="description" error={fields.description}>
            <textarea id="description" name="description" rows="3" safe>
              {values.description ?? ""}
            </textarea>
          </Field>
          <div class="row">
            <Field label="Priority" name="priority" error={fields.priority}>
              <Select
                name="priority"
                value={values.priority ?? "normal"}
                options={WORK_ORDER_PRIORITIES.map((p) => ({ value: p, label: priorityLabel(p) }))}
              />
            </Field>
            <Field label="Estimated duration (minutes)" name="durationMinutes" error={fields.durationMinutes}>
              <input
                id="durationMinutes"
                name="durationMinutes"
                inputmode="numeric"
                value={values.durationMinutes ?? "60"}
              />
            </Field>
          </div>
          <fieldset class={fields.skillIds ? "field invalid" : "field"}>
            <legend>Required skills</legend>
            {choices.skills.map((s) => (
              <label class="check">
                <input type="checkbox" name="skillIds" value={s.id} checked={skillIds.includes(s.id)} />{" "}
                <span safe>{s.name}</span>
              </label>
            ))}
            {fields.skillIds ? (
              <small class="field-error" id="skillIds-error" safe>
                {fields.skillIds}
              </small>
            ) : (
              ""
            )}
          </fieldset>
          <fieldset class={fields.recurrenceKind ? "field invalid" : "field"}>
            <legend>Repeats</legend>
            <label class="check">
              <input type="radio" name="recurrenceKind" value="interval" checked={kind === "interval"} />{" "}
              Every
            </label>
            <div class="row">
              <Field label="How many" name="intervalCount" error={fields.intervalCount}>
                <input
                  id="intervalCount"
                  name="intervalCount"
                  inputmode="numeric"
                  value={values.intervalCount ?? "3"}
                />
              </Field>
              <Field label="Days, weeks or months" name="intervalUnit" error={fields.intervalUnit}>
                <Select
                  name="intervalUnit"
                  value={values.intervalUnit ?? "month"}
                  options={INTERVAL_UNITS.map((u) => ({ value: u, label: UNIT_LABELS[u] }))}
                />
              </Field>
            </div>
            <label class="check">
              <input type="radio" name="recurrenceKind" value="dates" checked={kind === "dates"} /> On these
              dates
            </label>
            <Field label="Dates, one per line" name="dates" error={fields.dates}>
              <textarea id="dates" name="dates" rows="3" placeholder="2026-12-01" safe>
                {values.dates ?? ""}
              </textarea>
            </Field>
            <label class="check">
              <input type="radio" name="recurrenceKind" value="rrule" checked={kind === "rrule"} /> By a rule
              (RFC 5545 RRULE)
            </label>
            <Field
              label="RRULE"
              name="rrule"
              error={fields.rrule}
              hint="For example FREQ=MONTHLY;BYDAY=1MO (first Monday) or FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=15;COUNT=6."
            >
              <input id="rrule" name="rrule" maxlength="500" value={values.rrule ?? ""} />
            </Field>
          </fieldset>
          <div class="row">
            <Field label="Starts on" name="startsOn" error={fields.startsOn}>
              <input id="startsOn" name="startsOn" type="date" value={values.startsOn ?? ""} />
            </Field>
            <Field label="Ends on (optional)" name="endsOn" error={fields.endsOn}>
              <input id="endsOn" name="endsOn" type="date" value={values.endsOn ?? ""} />
            </Field>
            <Field label="Create work orders this many days ahead" name="leadDays" error={fields.leadDays}>
              <input id="leadDays" name="leadDays" inputmode="numeric" value={values.leadDays ?? "14"} />
            </Field>
          </div>
          <button type="submit">Save plan</button>
        </form>
      </section>
    </Page>
  );
}

export function PlanPage({
  csrf,
  viewer,
  detail,
  choices,
  notice,
  failed,
}: {
  csrf: string;
  viewer: Viewer;
  detail: PlanDetail;
  choices: Pick<WorkOrderChoices, "services" | "parts">;
  notice?: string;
  failed?: Failed;
}) {
  const plan = detail.plan;
  const base = `/fsm/maintenance/${plan.id}`;
  const lineForm = failed?.form === "line" ? failed : undefined;
  return (
    <Page title={plan.title} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/fsm/maintenance">← Maintenance plans</a>
      </p>
      <Notice message={notice} />
      {failed ? <ErrorSummary message={failed.message} /> : ""}
      <header>
        <h1 safe>{plan.title}</h1>
        <p>
          <span class={`badge ${plan.active ? "plan-active" : "plan-paused"}`}>
            {plan.active ? "Active" : "Paused"}
          </span>{" "}
          <a href={`${base}/edit`}>Edit</a>
        </p>
      </header>
      <div class="ticket-layout">
        <section>
          <dl class="facts">
            <dt>For</dt>
            <dd safe>{targetText(detail.asset, detail.location)}</dd>
            <dt>Repeats</dt>
            <dd safe>{recurrenceText(plan)}</dd>
            <dt>From</dt>
            <dd safe>{plan.endsOn ? `${plan.startsOn} to ${plan.endsOn}` : `${plan.startsOn}, no end`}</dd>
            <dt>Work orders made</dt>
            <dd safe>{`${plan.leadDays} days ahead (now up to ${detail.horizon})`}</dd>
            <dt>Duration</dt>
            <dd safe>{`${plan.durationMinutes} minutes`}</dd>
            <dt>Required skills</dt>
            <dd safe>{detail.skills.map((s) => s.name).join(", ") || "—"}</dd>
            <dt>Priority</dt>
            <dd safe>{priorityLabel(plan.priority)}</dd>
          </dl>
          {plan.description ? (
            <p class="body" safe>
              {plan.description}
            </p>
          ) : (
            ""
          )}
          <h2>Services and parts for each visit</h2>
          <LinesTable
            lines={detail.lines}
            totals={detail.totals}
            currency={detail.currency}
            csrf={csrf}
            removeAction={(l) => `${base}/lines/${l.id}/delete`}
          />
          <AddLineForm
            csrf={csrf}
            action={`${base}/lines`}
            choices={choices}
            values={lineForm?.values}
            fields={lineForm?.fields}
            typedPrices
          />
        </section>
        <aside>
          <form method="post" action={`${base}/active`} class="card">
            <CsrfField token={csrf} />
            <input type="hidden" name="active" value={plan.active ? "0" : "1"} />
            <button type="submit" class="secondary">
              {plan.active ? "Pause plan" : "Resume plan"}
            </button>
          </form>
          <section class="card next-occurrences">
            <h3>Next occurrences</h3>
            {detail.next.length === 0 ? (
              <p class="empty">None to come.</p>
            ) : (
              <ol>
                {detail.next.map((day) => (
                  <li safe>{day}</li>
                ))}
              </ol>
            )}
          </section>
          <section class="card plan-work-orders">
            <h3>Work orders made</h3>
            {detail.workOrders.length === 0 ? (
              <p class="empty">None yet.</p>
            ) : (
              <ul>
                {detail.workOrders.map((w) => (
                  <li>
                    <span safe>{w.occursOn}</span>{" "}
                    {w.number ? (
                      <>
                        <a href={`/fsm/work-orders/${formatWorkOrderNumber(w.number)}`} safe>
                          {formatWorkOrderNumber(w.number)}
                        </a>{" "}
                        {w.status ? (
                          <span class={`badge wo-${w.status}`} safe>
                            {WORK_ORDER_STATUS_LABELS[w.status]}
                          </span>
                        ) : (
                          ""
                        )}
                      </>
                    ) : (
                      ""
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>
    </Page>
  );
}
