// Macros: the agent's list (shared and personal) and the macro form.

import type { FieldErrors } from "../../domain/errors";
import type { MacroRow } from "../../domain/macros/macros";
import { MACRO_ACTIONS, MACRO_PLACEHOLDERS } from "../../domain/macros/macros";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { Page, type Viewer } from "../layout";

export const MACRO_ROWS = 3;

export function MacrosPage({
  csrf,
  viewer,
  macros,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  macros: MacroRow[];
  notice?: string;
}) {
  return (
    <Page title="Macros" csrf={csrf} viewer={viewer}>
      <h1>Macros</h1>
      <Notice message={notice} />
      <p>
        <a href="/desk/macros/new">New macro</a>
      </p>
      {macros.length === 0 ? <p class="empty">No macros yet.</p> : ""}
      <ul>
        {macros.map((m) => (
          <li>
            <a href={`/desk/macros/${m.id}`} safe>
              {m.name}
            </a>{" "}
            <span class="muted" safe>
              {`${m.ownerUserId ? "yours" : "shared"}${m.shortcut ? ` · /${m.shortcut}` : ""}`}
            </span>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function macroFormValues(m: MacroRow): Record<string, string> {
  const values: Record<string, string> = {
    name: m.name,
    shortcut: m.shortcut ?? "",
    body: m.body,
    shared: m.ownerUserId ? "" : "1",
  };
  m.actions.forEach((a, i) => {
    values[`a${i}_type`] = a.type;
    values[`a${i}_value`] = a.value;
  });
  return values;
}

export function MacroFormPage({
  csrf,
  viewer,
  action,
  macroId,
  values,
  fields = {},
  message,
  mayShare,
}: {
  csrf: string;
  viewer: Viewer;
  action: string;
  macroId?: string;
  values: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
  mayShare: boolean;
}) {
  return (
    <Page title={values.name || "New macro"} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/desk/macros">← Macros</a>
      </p>
      <h1 safe>{values.name || "New macro"}</h1>
      <ErrorSummary message={message} />
      <form method="post" action={action}>
        <CsrfField token={csrf} />
        <Field label="Name" name="name" error={fields.name}>
          <input id="name" name="name" required maxlength="100" value={values.name ?? ""} />
        </Field>
        <Field label="Shortcut (optional)" name="shortcut" error={fields.shortcut} hint="e.g. refund">
          <input id="shortcut" name="shortcut" maxlength="30" value={values.shortcut ?? ""} />
        </Field>
        <Field
          label="Reply text"
          name="body"
          error={fields.body}
          hint={`Placeholders: ${MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join(" ")}`}
        >
          <textarea id="body" name="body" rows="8" safe>
            {values.body ?? ""}
          </textarea>
        </Field>
        <fieldset>
          <legend>Also change (optional)</legend>
          {Array.from({ length: MACRO_ROWS }, (_, i) => (
            <div class={fields[`actions.${i}`] ? "row invalid" : "row"}>
              <Select
                name={`a${i}_type`}
                value={values[`a${i}_type`]}
                blank="—"
                options={Object.entries(MACRO_ACTIONS).map(([value, label]) => ({ value, label }))}
              />
              <input name={`a${i}_value`} aria-label="Value" value={values[`a${i}_value`] ?? ""} />
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
        {mayShare ? (
          <div class="field">
            <label>
              <input type="checkbox" name="shared" value="1" checked={values.shared === "1"} /> Shared with
              everyone
            </label>
          </div>
        ) : (
          ""
        )}
        <button type="submit">Save macro</button>
      </form>
      {macroId ? (
        <form method="post" action={`/desk/macros/${macroId}/delete`}>
          <CsrfField token={csrf} />
          <button type="submit" class="danger">
            Delete macro
          </button>
        </form>
      ) : (
        ""
      )}
    </Page>
  );
}
