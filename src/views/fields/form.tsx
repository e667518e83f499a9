// The category picker and custom fields of a ticket form (agent desk, ticket page, portal). Without
// JavaScript: one select of categories and subcategories, a "Continue" button that re-renders the
// form with the chosen category's fields, and every conditional field shown with a note on when it
// applies. With htmx the block re-renders itself on a change of the category or of a field others
// depend on, hiding the fields whose condition does not hold.

import type { FieldErrors } from "../../domain/errors";
import {
  type Audience,
  type Catalog,
  categoryById,
  categoryTree,
  errorKey,
  type FieldDef,
  fieldsOf,
  inputName,
  isOffered,
  parseValue,
  splitCategory,
  visibleKeys,
} from "../../domain/fields/values";

/** What the form shows: the chosen category id and each field's raw value (form strings or stored values). */
export interface ClassificationValues {
  category: string;
  fields: Record<string, unknown>;
}

/** A stored ticket's classification as form values. */
export function storedValues(ticket: {
  categoryId: string | null;
  subcategoryId: string | null;
  customFields: Record<string, unknown>;
}): ClassificationValues {
  return { category: ticket.subcategoryId ?? ticket.categoryId ?? "", fields: ticket.customFields };
}

export function CategorySelect({
  catalog,
  audience,
  value,
  invalid,
  refresh,
}: {
  catalog: Catalog;
  audience: Audience;
  value: string;
  invalid?: boolean;
  refresh?: boolean;
}) {
  const offered = (id: string) => {
    const c = categoryById(catalog, id);
    return !!c && (c.id === value || isOffered(catalog, c, audience));
  };
  return (
    <select
      id="category"
      name="category"
      aria-invalid={invalid ? "true" : undefined}
      data-refresh={refresh ? "1" : undefined}
    >
      <option value="">No category</option>
      {categoryTree(catalog)
        .filter(
          ({ category }) => offered(category.id) || category.id === categoryById(catalog, value)?.parentId,
        )
        .map(({ category, children }) => {
          const subs = children.filter((c) => offered(c.id));
          if (subs.length === 0)
            return (
              <option value={category.id} selected={category.id === value} safe>
                {category.name}
              </option>
            );
          return (
            <optgroup label={category.name}>
              <option value={category.id} selected={category.id === value} safe>
                {`${category.name} (general)`}
              </option>
              {subs.map((c) => (
                <option value={c.id} selected={c.id === value} safe>
                  {c.name}
                </option>
              ))}
            </optgroup>
          );
        })}
    </select>
  );
}

const isTicked = (raw: unknown) => {
  const parsed = parseValue({ type: "checkbox" } as FieldDef, raw);
  return "value" in parsed && parsed.value === true;
};
const asList = (raw: unknown) => (Array.isArray(raw) ? raw.map(String) : raw ? [String(raw)] : []);
const asText = (raw: unknown) => (raw === undefined || raw === null || Array.isArray(raw) ? "" : String(raw));

function conditionHint(def: FieldDef, defs: FieldDef[]): string {
  const controller = defs.find((d) => d.key === def.visibleWhenKey);
  if (!controller) return "";
  return controller.type === "checkbox"
    ? `Only needed when “${controller.label}” is ticked.`
    : `Only needed when “${controller.label}” is “${def.visibleWhenValue}”.`;
}

function FieldInput({
  def,
  raw,
  error,
  refresh,
}: {
  def: FieldDef;
  raw: unknown;
  error?: string;
  refresh: boolean;
}) {
  const name = inputName(def.key);
  const describedBy = error ? `${name}-error` : undefined;
  const controls = refresh ? "1" : undefined;
  switch (def.type) {
    case "checkbox":
      return (
        <label>
          <input
            type="checkbox"
            id={name}
            name={name}
            value="1"
            checked={isTicked(raw)}
            data-refresh={controls}
            aria-describedby={describedBy}
          />{" "}
          <span safe>{def.label}</span>
        </label>
      );
    case "select":
      return (
        <select id={name} name={name} data-refresh={controls} aria-invalid={error ? "true" : undefined}>
          <option value="">—</option>
          {[...def.options, ...asList(raw).filter((v) => !def.options.includes(v))].map((o) => (
            <option value={o} selected={asList(raw).includes(o)} safe>
              {o}
            </option>
          ))}
        </select>
      );
    case "multiselect":
      return (
        <span class="choices" id={name}>
          {def.options.map((o) => (
            <label>
              <input
                type="checkbox"
                name={name}
                value={o}
                checked={asList(raw).includes(o)}
                data-refresh={controls}
              />{" "}
              <span safe>{o}</span>
            </label>
          ))}
        </span>
      );
    default:
      return (
        <input
          id={name}
          name={name}
          type={def.type === "number" ? "text" : def.type === "date" ? "date" : "text"}
          inputmode={def.type === "number" ? "decimal" : undefined}
          placeholder={def.type === "date" ? "YYYY-MM-DD" : undefined}
          maxlength={def.type === "text" ? "1000" : undefined}
          value={asText(raw)}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={describedBy}
        />
      );
  }
}

function CustomField({
  def,
  defs,
  raw,
  error,
  hidden,
  refresh,
}: {
  def: FieldDef;
  defs: FieldDef[];
  raw: unknown;
  error?: string;
  hidden: boolean;
  refresh: boolean;
}) {
  const name = inputName(def.key);
  const hints = [def.hint ?? "", def.visibleWhenKey ? conditionHint(def, defs) : ""].filter(Boolean);
  const label = `${def.label}${def.required ? " *" : ""}${def.agentsOnly ? " (agents only)" : ""}`;
  return (
    <div
      class={error ? "field custom invalid" : "field custom"}
      data-field={def.key}
      data-conditional={def.visibleWhenKey ? "1" : undefined}
      hidden={hidden}
    >
      {def.type === "checkbox" ? (
        <span class="label" safe>
          {label}
        </span>
      ) : (
        <label for={name} safe>
          {label}
        </label>
      )}
      <FieldInput def={def} raw={raw} error={error} refresh={refresh} />
      {hints.length ? (
        <small class="hint" safe>
          {hints.join(" ")}
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
}

/**
 * The category picker with its fields. `refreshUrl` (staff pages, with htmx) re-renders the block
 * on a change; `enhanced` is set when htmx asked for it, and hides fields whose condition fails.
 */
export function ClassificationFields({
  catalog,
  audience,
  values,
  errors = {},
  refreshUrl,
  enhanced = false,
}: {
  catalog: Catalog;
  audience: Audience;
  values: ClassificationValues;
  errors?: FieldErrors;
  refreshUrl?: string;
  enhanced?: boolean;
}) {
  const split = splitCategory(catalog, values.category) ?? { categoryId: null, subcategoryId: null };
  const defs = fieldsOf(catalog, split.categoryId, split.subcategoryId).filter(
    (d) => !d.archived && !(d.agentsOnly && audience === "customer"),
  );
  const controllers = new Set(defs.map((d) => d.visibleWhenKey).filter(Boolean));
  // Visibility needs typed values: what was sent is read as the field's type would read it.
  const typed: Record<string, unknown> = {};
  for (const d of defs) {
    const parsed = parseValue(d, values.fields[d.key]);
    if ("value" in parsed && parsed.value !== null) typed[d.key] = parsed.value;
  }
  const shown = visibleKeys(defs, typed);
  const hasCategories = catalog.categories.some((c) => isOffered(catalog, c, audience));
  if (!hasCategories && defs.length === 0) return <div id="classification" />;
  return (
    <fieldset
      id="classification"
      class="classification"
      hx-post={refreshUrl}
      // On load the page's block asks for itself again to hide what does not apply (the answer does
      // not ask again), unless it shows problems: those stay, with every field, until a change.
      hx-trigger={
        refreshUrl
          ? `${enhanced || Object.keys(errors).length ? "" : "load, "}change[target.hasAttribute('data-refresh')]`
          : undefined
      }
      hx-swap={refreshUrl ? "outerHTML" : undefined}
      // A change made while the on-load refresh is still under way replaces that request: otherwise
      // its answer, made from the form as it was before the change, would undo what was just chosen.
      hx-sync={refreshUrl ? "this:replace" : undefined}
    >
      <legend>Category</legend>
      <div class={errors.category ? "field invalid" : "field"}>
        <label for="category">Category</label>
        <span class="row">
          <CategorySelect
            catalog={catalog}
            audience={audience}
            value={values.category}
            invalid={Boolean(errors.category)}
            refresh={Boolean(refreshUrl)}
          />{" "}
          <button type="submit" name="continue" value="1" class="secondary" formnovalidate>
            Continue
          </button>
        </span>
        <small class="hint">After choosing a category, press Continue to see its fields.</small>
        {errors.category ? (
          <small class="field-error" id="category-error" safe>
            {errors.category}
          </small>
        ) : (
          ""
        )}
      </div>
      {defs.map((def) => (
        <CustomField
          def={def}
          defs={defs}
          raw={values.fields[def.key]}
          error={errors[errorKey(def.key)]}
          hidden={enhanced && !shown.has(def.key)}
          refresh={Boolean(refreshUrl) && controllers.has(def.key)}
        />
      ))}
    </fieldset>
  );
}

/** The values typed into the form's custom fields (cf_<key>), by key; lists stay lists. */
export function fieldValuesFromBody(body: unknown): Record<string, unknown> {
  const record = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (!name.startsWith("cf_")) continue;
    const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
    values[name.slice(3)] = list.length > 1 ? list : (list[0] ?? "");
  }
  return values;
}

/** The custom field values among a form's text values (a multi-select's first choice only). */
export function fieldValuesFromValues(values: Record<string, string>): Record<string, unknown> {
  return fieldValuesFromBody(values);
}
