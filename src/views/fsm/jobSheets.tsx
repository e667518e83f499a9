// Job sheets: the template list and form (/fsm/job-sheets), the sheets on a work order's page, and
// the checklist a technician fills in on the visit page — plain forms that work without JavaScript.
import { JOB_SHEET_SECTIONS, type JobSheetSection } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import { LINE_SYNTAX_HINT, rangeText, SECTION_LABELS } from "../../domain/fsm/jobSheetRules";
import {
  answerField,
  type JobSheetItemView,
  type JobSheetView,
  readableAnswer,
  type TemplateListRow,
} from "../../domain/fsm/jobSheets";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { formatDateTime } from "../format";
import { Page, type Viewer } from "../layout";

const SECTION_EXAMPLES: Record<JobSheetSection, string> = {
  before: "* Isolate the power supply -- At the isolator, not the remote",
  steps: "* Refrigerant pressure (psi) [number 50..300]\n* Filter condition [choice: Clean, Dirty, Replaced]",
  after: "* Photo of the unit running [photo]\n* Unit cooling? [yes/no]",
  observations: "Anything the customer should know [text]",
};

export function TemplateListPage({
  csrf,
  viewer,
  rows,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  rows: TemplateListRow[];
  notice?: string;
}) {
  return (
    <Page title="Job sheets" csrf={csrf} viewer={viewer}>
      <h1>Job sheets</h1>
      <Notice message={notice} />
      <p>
        Checklists technicians fill in on a visit. A job sheet linked to a service is attached to every work
        order that gets the service; any job sheet can be attached on a work order's page.
      </p>
      <p>
        <a class="button" href="/fsm/job-sheets/new">
          New job sheet
        </a>
      </p>
      {rows.length === 0 ? (
        <p class="empty">No job sheets yet.</p>
      ) : (
        <table class="job-sheets">
          <thead>
            <tr>
              <th>Job sheet</th>
              <th>Attached with</th>
              <th class="num">Items</th>
              <th class="num">Version</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/fsm/job-sheets/${r.id}`} safe>
                    {r.name}
                  </a>
                </td>
                <td safe>{r.services ?? "—"}</td>
                <td class="num" safe>
                  {String(r.items)}
                </td>
                <td class="num" safe>
                  {String(r.version)}
                </td>
                <td>
                  <span class={`badge ${r.active ? "plan-active" : "plan-paused"}`}>
                    {r.active ? "Active" : "Archived"}
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

export function TemplateFormPage({
  csrf,
  viewer,
  heading,
  action,
  services,
  values = {},
  serviceIds = [],
  fields = {},
  message,
  notice,
  template,
}: {
  csrf: string;
  viewer: Viewer;
  heading: string;
  action: string;
  services: { id: string; name: string }[];
  values?: Record<string, string>;
  serviceIds?: string[];
  fields?: FieldErrors;
  message?: string;
  notice?: string;
  /** When editing: the template's id, state and version. */
  template?: { id: string; active: boolean; version: number };
}) {
  return (
    <Page title={heading} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/fsm/job-sheets">← Job sheets</a>
      </p>
      <Notice message={notice} />
      <section class="card wide">
        <h1 safe>{heading}</h1>
        {template ? (
          <p class="muted" safe>
            {`Version ${template.version}${template.active ? "" : " · archived"}. Work orders keep the items they were given; changes apply to sheets attached from now on.`}
          </p>
        ) : (
          ""
        )}
        <ErrorSummary message={message} />
        <form method="post" action={action} class="job-sheet-form">
          <CsrfField token={csrf} />
          <Field label="Name" name="name" error={fields.name}>
            <input
              id="name"
              name="name"
              maxlength="120"
              required
              value={values.name ?? ""}
              aria-invalid={fields.name ? "true" : undefined}
            />
          </Field>
          <Field label="Description (optional)" name="description" error={fields.description}>
            <textarea id="description" name="description" rows="2" safe>
              {values.description ?? ""}
            </textarea>
          </Field>
          <fieldset class={fields.serviceIds ? "field invalid" : "field"}>
            <legend>Attach automatically to work orders with these services</legend>
            {services.length === 0 ? <p class="muted">The service catalog is empty.</p> : ""}
            {services.map((s) => (
              <label class="check">
                <input type="checkbox" name="serviceIds" value={s.id} checked={serviceIds.includes(s.id)} />{" "}
                <span safe>{s.name}</span>
              </label>
            ))}
            {fields.serviceIds ? (
              <small class="field-error" id="serviceIds-error" safe>
                {fields.serviceIds}
              </small>
            ) : (
              ""
            )}
          </fieldset>
          <p class="hint" id="syntax-hint" safe>
            {LINE_SYNTAX_HINT}
          </p>
          {JOB_SHEET_SECTIONS.map((section) => (
            <Field label={SECTION_LABELS[section]} name={section} error={fields[section]}>
              <textarea
                id={section}
                name={section}
                rows="5"
                class="mono"
                placeholder={SECTION_EXAMPLES[section]}
                aria-describedby="syntax-hint"
                aria-invalid={fields[section] ? "true" : undefined}
                safe
              >
                {values[section] ?? ""}
              </textarea>
            </Field>
          ))}
          <button type="submit">Save job sheet</button>
        </form>
        {template ? (
          <form method="post" action={`/fsm/job-sheets/${template.id}/active`}>
            <CsrfField token={csrf} />
            <input type="hidden" name="active" value={template.active ? "0" : "1"} />
            <button type="submit" class="secondary">
              {template.active ? "Archive" : "Restore"}
            </button>
          </form>
        ) : (
          ""
        )}
      </section>
    </Page>
  );
}

/** A sheet's items by section with their answers, read-only (work order page, finished visits). */
export function SheetAnswers({
  view,
  timeZone,
  photoUrl,
}: {
  view: JobSheetView;
  timeZone: string;
  /** Where an answered photo item's thumbnail is served. */
  photoUrl: (item: JobSheetItemView) => string | undefined;
}) {
  return (
    <>
      {JOB_SHEET_SECTIONS.map((section) => {
        const items = view.items.filter((i) => i.section === section);
        if (items.length === 0) return "";
        return (
          <>
            <h4 safe>{SECTION_LABELS[section]}</h4>
            <dl class="sheet-answers">
              {items.map((item) => {
                const url = photoUrl(item);
                return (
                  <>
                    <dt safe>{`${item.label}${item.required ? " *" : ""}`}</dt>
                    <dd class={item.answer ? "answered" : item.required ? "missing" : ""}>
                      <span safe>{readableAnswer(item)}</span>
                      {url ? (
                        <a href={url}>
                          <img src={`${url}?size=thumb`} alt={item.label} width="120" loading="lazy" />
                        </a>
                      ) : (
                        ""
                      )}
                      {item.answer ? (
                        <small class="muted" safe>
                          {` ${item.answer.answeredByName ?? ""} · ${formatDateTime(item.answer.answeredAt, timeZone)}`}
                        </small>
                      ) : (
                        ""
                      )}
                    </dd>
                  </>
                );
              })}
            </dl>
          </>
        );
      })}
    </>
  );
}

const photoOf = (item: JobSheetItemView) =>
  item.answer?.photoId
    ? `/tech/appointments/${item.answer.appointmentId}/photos/${item.answer.photoId}`
    : undefined;

/** The work order page's job sheets: progress, answers, attach and detach. */
export function WorkOrderJobSheets({
  csrf,
  base,
  sheets,
  templates,
  canManage,
  changeable,
  timeZone,
  failed,
}: {
  csrf: string;
  base: string;
  sheets: JobSheetView[];
  templates: { id: string; name: string }[];
  canManage: boolean;
  changeable: boolean;
  timeZone: string;
  failed?: { fields: FieldErrors; values: Record<string, string> };
}) {
  const attached = new Set(sheets.map((s) => s.sheet.templateId));
  const choices = templates.filter((t) => !attached.has(t.id));
  return (
    <section id="job-sheets">
      <h2>Job sheets</h2>
      {sheets.length === 0 ? <p class="empty">No job sheets.</p> : ""}
      {sheets.map((view) => (
        <details class="card job-sheet" id={`sheet-${view.sheet.id}`}>
          <summary>
            <strong safe>{view.sheet.name}</strong>{" "}
            <span class="muted" safe>
              {`${view.answered}/${view.items.length} answered${
                view.missing.length ? ` · ${view.missing.length} required still open` : ""
              } · ${view.sheet.source === "service" ? "from a service" : "attached by hand"}, version ${view.sheet.templateVersion}`}
            </span>
          </summary>
          <SheetAnswers view={view} timeZone={timeZone} photoUrl={photoOf} />
          {canManage && changeable && view.answered === 0 ? (
            <form method="post" action={`${base}/job-sheets/${view.sheet.id}/detach`}>
              <CsrfField token={csrf} />
              <button type="submit" class="secondary">
                Detach
              </button>
            </form>
          ) : (
            ""
          )}
        </details>
      ))}
      {canManage && changeable && choices.length ? (
        <form method="post" action={`${base}/job-sheets`} class="card">
          <CsrfField token={csrf} />
          <Field label="Attach a job sheet" name="templateId" error={failed?.fields.templateId}>
            <Select
              name="templateId"
              value={failed?.values.templateId}
              blank="Choose…"
              options={choices.map((t) => ({ value: t.id, label: t.name }))}
              invalid={Boolean(failed?.fields.templateId)}
            />
          </Field>
          <button type="submit">Attach</button>
        </form>
      ) : (
        ""
      )}
    </section>
  );
}

/** Opens the back camera on phones; the typings of the JSX runtime lack the attribute. */
const CAMERA: Record<string, string> = { capture: "environment" };

/** One item's input, by its kind; what was typed comes back after a refused save. */
function ItemInput({ item, value, error }: { item: JobSheetItemView; value: string; error?: string }) {
  const name = answerField(item.id);
  const invalid = error ? "true" : undefined;
  const described = error ? `${name}-error` : item.help ? `${name}-help` : undefined;
  switch (item.kind) {
    case "confirm":
      return (
        <label class="check">
          <input
            type="checkbox"
            id={name}
            name={name}
            value="yes"
            checked={value === "yes"}
            aria-invalid={invalid}
            aria-describedby={described}
          />{" "}
          <span safe>{item.label}</span>
        </label>
      );
    case "yes_no":
    case "choice": {
      const options = item.kind === "yes_no" ? ["yes", "no"] : item.options;
      return (
        <div class="choices" role="radiogroup" aria-describedby={described}>
          {options.map((option, i) => (
            <label class="check">
              <input
                type="radio"
                id={i === 0 ? name : `${name}-${i}`}
                name={name}
                value={option}
                checked={value === option}
                aria-invalid={invalid}
              />{" "}
              <span safe>{item.kind === "yes_no" ? (option === "yes" ? "Yes" : "No") : option}</span>
            </label>
          ))}
        </div>
      );
    }
    case "number":
      return (
        <input
          id={name}
          name={name}
          inputmode="decimal"
          size="10"
          value={value}
          aria-invalid={invalid}
          aria-describedby={described}
        />
      );
    case "text":
      return (
        <textarea id={name} name={name} rows="2" aria-invalid={invalid} aria-describedby={described} safe>
          {value}
        </textarea>
      );
    case "photo":
      return (
        <input
          id={name}
          name={name}
          type="file"
          accept="image/*"
          aria-invalid={invalid}
          aria-describedby={described}
          {...CAMERA}
        />
      );
  }
}

/** The stored answer as the form's value. */
const storedValue = (item: JobSheetItemView) => item.answer?.value ?? "";

export const sheetFormName = (sheetId: string, section: JobSheetSection) => `sheet:${sheetId}:${section}`;

/**
 * The visit page's checklist: each sheet by section, one form per section (multipart, so photo
 * items upload with the rest). Items still required are marked; a refused save comes back with
 * the fields marked and what was typed kept.
 */
export function TechChecklist({
  csrf,
  appointmentId,
  sheets,
  open,
  timeZone,
  failed,
}: {
  csrf: string;
  appointmentId: string;
  sheets: JobSheetView[];
  open: boolean;
  timeZone: string;
  failed?: { form: string; fields: FieldErrors; values: Record<string, string> };
}) {
  if (sheets.length === 0) return "";
  const base = `/tech/appointments/${appointmentId}`;
  return (
    <section class="checklist" id="checklist">
      <h2>Checklist</h2>
      {sheets.map((view) => (
        <section class="card job-sheet" id={`sheet-${view.sheet.id}`}>
          <h3 safe>{view.sheet.name}</h3>
          <p class="muted" safe>
            {`${view.answered} of ${view.items.length} answered${
              view.missing.length ? ` · ${view.missing.length} required still open` : ""
            }`}
          </p>
          {open ? (
            JOB_SHEET_SECTIONS.map((section) => {
              const items = view.items.filter((i) => i.section === section);
              if (items.length === 0) return "";
              const mine = failed?.form === sheetFormName(view.sheet.id, section);
              return (
                <form
                  method="post"
                  action={`${base}/job-sheets/${view.sheet.id}`}
                  enctype="multipart/form-data"
                  class="sheet-section"
                  id={`sheet-${view.sheet.id}-${section}`}
                >
                  <CsrfField token={csrf} />
                  <input type="hidden" name="section" value={section} />
                  <fieldset>
                    <legend safe>{SECTION_LABELS[section]}</legend>
                    {items.map((item) => {
                      const name = answerField(item.id);
                      const error = failed?.fields[name];
                      const value = mine ? (failed?.values[name] ?? "") : storedValue(item);
                      return (
                        <div class={error ? "field invalid" : "field"}>
                          <input type="hidden" name="items" value={item.id} />
                          {item.kind === "confirm" ? (
                            ""
                          ) : (
                            <label for={name} safe>
                              {item.label}
                            </label>
                          )}
                          {item.required ? <small class="required">Required</small> : ""}
                          <ItemInput item={item} value={value} error={error} />
                          {item.kind === "number" && rangeText(item) ? (
                            <small class="hint" safe>{`A number ${rangeText(item)}.`}</small>
                          ) : (
                            ""
                          )}
                          {item.kind === "photo" && item.answer?.photoId ? (
                            <small class="hint">
                              <a href={photoOf(item)}>
                                <img
                                  src={`${photoOf(item)}?size=thumb`}
                                  alt={item.label}
                                  width="96"
                                  loading="lazy"
                                />
                              </a>{" "}
                              Photo saved; choose another to replace it.
                            </small>
                          ) : (
                            ""
                          )}
                          {item.help ? (
                            <small class="hint" id={`${name}-help`} safe>
                              {item.help}
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
                        </div>
                      );
                    })}
                  </fieldset>
                  <button type="submit" safe>{`Save ${SECTION_LABELS[section].toLowerCase()}`}</button>
                </form>
              );
            })
          ) : (
            <SheetAnswers view={view} timeZone={timeZone} photoUrl={photoOf} />
          )}
        </section>
      ))}
    </section>
  );
}
