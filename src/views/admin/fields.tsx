// /admin/fields: categories (two levels) with their custom fields, in order; a form for each.
import { FIELD_TYPES } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import {
  type Catalog,
  type CategoryDef,
  CHECKED,
  categoryById,
  categoryPath,
  categoryTree,
  FIELD_TYPE_LABELS,
  type FieldDef,
} from "../../domain/fields/values";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { Page, type Viewer } from "../layout";

function MoveButtons({ csrf, action }: { csrf: string; action: string }) {
  return (
    <form method="post" action={action} class="inline">
      <CsrfField token={csrf} />
      <button type="submit" name="direction" value="up" class="link">
        Up
      </button>
      <button type="submit" name="direction" value="down" class="link">
        Down
      </button>
    </form>
  );
}

function describeField(f: FieldDef, fields: FieldDef[]): string {
  const parts = [FIELD_TYPE_LABELS[f.type], `key ${f.key}`];
  if (f.required) parts.push("required");
  if (f.agentsOnly) parts.push("agents only");
  if (f.visibleWhenKey) {
    const controller = fields.find((c) => c.key === f.visibleWhenKey);
    parts.push(
      `shown when ${controller?.label ?? f.visibleWhenKey} ${controller?.type === "multiselect" ? "has" : "is"} ${f.visibleWhenValue}`,
    );
  }
  if (f.options.length) parts.push(`${f.options.length} choices`);
  if (f.archived) parts.push("archived");
  return parts.join(" · ");
}

function FieldList({ csrf, catalog, category }: { csrf: string; catalog: Catalog; category: CategoryDef }) {
  const fields = catalog.fields
    .filter((f) => f.categoryId === category.id)
    .sort((a, b) => a.position - b.position);
  return (
    <>
      {fields.length === 0 ? <p class="muted">No fields.</p> : ""}
      <ol class="fields" data-category={category.id}>
        {fields.map((f) => (
          <li class={f.archived ? "muted" : ""} data-key={f.key}>
            <a href={`/admin/fields/${f.id}`} safe>
              {f.label}
            </a>{" "}
            <span class="muted" safe>
              {describeField(f, catalog.fields)}
            </span>
            <MoveButtons csrf={csrf} action={`/admin/fields/${f.id}/move`} />
          </li>
        ))}
      </ol>
      <p>
        <a href={`/admin/fields/new?category=${category.id}`}>Add a field</a>
      </p>
    </>
  );
}

function CategoryHeading({ csrf, category, level }: { csrf: string; category: CategoryDef; level: 2 | 3 }) {
  const flags = [category.agentsOnly ? "agents only" : "", category.archived ? "archived" : ""]
    .filter(Boolean)
    .join(" · ");
  const inner = (
    <>
      <span safe>{category.name}</span>{" "}
      {flags ? (
        <small class="muted" safe>
          {flags}
        </small>
      ) : (
        ""
      )}{" "}
      <a href={`/admin/fields/categories/${category.id}`} class="small">
        Edit
      </a>
    </>
  );
  return (
    <header class="category-head">
      {level === 2 ? <h2>{inner}</h2> : <h3>{inner}</h3>}
      <MoveButtons csrf={csrf} action={`/admin/fields/categories/${category.id}/move`} />
    </header>
  );
}

export function FieldsAdminPage({
  csrf,
  viewer,
  catalog,
  notice,
  values = {},
  fields = {},
  message,
}: {
  csrf: string;
  viewer: Viewer;
  catalog: Catalog;
  notice?: string;
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}) {
  const tree = categoryTree(catalog);
  return (
    <Page title="Categories and fields" csrf={csrf} viewer={viewer}>
      <h1>Categories and fields</h1>
      <Notice message={notice} />
      <p class="muted">
        Tickets get a category and, optionally, a subcategory. A category's fields are asked for in all of its
        subcategories; a subcategory adds its own. Archived categories and fields are no longer offered, and
        tickets keep their values.
      </p>
      <section class="card">
        <h2>New category</h2>
        <ErrorSummary message={message} />
        <form method="post" action="/admin/fields/categories">
          <CsrfField token={csrf} />
          <CategoryFormFields catalog={catalog} values={values} fields={fields} />
          <button type="submit">Add category</button>
        </form>
      </section>
      {tree.length === 0 ? <p class="empty">No categories yet.</p> : ""}
      {tree.map(({ category, children }) => (
        <section class="card category" data-category={category.id}>
          <CategoryHeading csrf={csrf} category={category} level={2} />
          <FieldList csrf={csrf} catalog={catalog} category={category} />
          {children.map((child) => (
            <div class="subcategory" data-category={child.id}>
              <CategoryHeading csrf={csrf} category={child} level={3} />
              <FieldList csrf={csrf} catalog={catalog} category={child} />
            </div>
          ))}
        </section>
      ))}
    </Page>
  );
}

function CategoryFormFields({
  catalog,
  values,
  fields,
  self,
}: {
  catalog: Catalog;
  values: Record<string, string>;
  fields: FieldErrors;
  self?: string;
}) {
  return (
    <>
      <Field label="Name" name="name" error={fields.name}>
        <input id="name" name="name" required maxlength="80" value={values.name ?? ""} />
      </Field>
      <Field label="Subcategory of" name="parentId" error={fields.parentId}>
        <Select
          name="parentId"
          value={values.parentId}
          blank="— (a top-level category)"
          options={catalog.categories
            .filter((c) => !c.parentId && c.id !== self)
            .map((c) => ({ value: c.id, label: c.name }))}
        />
      </Field>
      <div class="field">
        <label>
          <input type="checkbox" name="agentsOnly" value="1" checked={values.agentsOnly === "1"} /> Agents
          only (not offered on the customer portal)
        </label>
      </div>
    </>
  );
}

export function categoryFormValues(c: CategoryDef): Record<string, string> {
  return {
    name: c.name,
    parentId: c.parentId ?? "",
    agentsOnly: c.agentsOnly ? "1" : "",
    archived: c.archived ? "1" : "",
  };
}

export function CategoryFormPage({
  csrf,
  viewer,
  catalog,
  category,
  values,
  fields = {},
  message,
}: {
  csrf: string;
  viewer: Viewer;
  catalog: Catalog;
  category: CategoryDef;
  values: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}) {
  return (
    <Page title={category.name} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/admin/fields">← Categories and fields</a>
      </p>
      <h1 safe>{categoryPath(catalog, category.id)}</h1>
      <ErrorSummary message={message} />
      <form method="post" action={`/admin/fields/categories/${category.id}`}>
        <CsrfField token={csrf} />
        <CategoryFormFields catalog={catalog} values={values} fields={fields} self={category.id} />
        <div class="field">
          <label>
            <input type="checkbox" name="archived" value="1" checked={values.archived === "1"} /> Archived (no
            longer offered; tickets keep it)
          </label>
        </div>
        <button type="submit">Save category</button>
      </form>
      <form method="post" action={`/admin/fields/categories/${category.id}/delete`}>
        <CsrfField token={csrf} />
        <button type="submit" class="danger">
          Delete category
        </button>{" "}
        <small class="muted">Only a category no ticket has ever had can be deleted.</small>
      </form>
    </Page>
  );
}

export function fieldFormValues(f: FieldDef): Record<string, string> {
  return {
    categoryId: f.categoryId,
    label: f.label,
    key: f.key,
    type: f.type,
    options: f.options.join("\n"),
    required: f.required ? "1" : "",
    agentsOnly: f.agentsOnly ? "1" : "",
    archived: f.archived ? "1" : "",
    hint: f.hint ?? "",
    minValue: f.minValue === null ? "" : String(f.minValue),
    maxValue: f.maxValue === null ? "" : String(f.maxValue),
    visibleWhenKey: f.visibleWhenKey ?? "",
    visibleWhenValue: f.visibleWhenValue ?? "",
  };
}

export function FieldFormPage({
  csrf,
  viewer,
  catalog,
  field,
  controllers,
  values,
  fields = {},
  message,
}: {
  csrf: string;
  viewer: Viewer;
  catalog: Catalog;
  /** The field being edited; absent for a new one. */
  field?: FieldDef;
  /** The fields a "show when" may name. */
  controllers: FieldDef[];
  values: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}) {
  const category = categoryById(catalog, values.categoryId);
  const title = field ? field.label : "New field";
  return (
    <Page title={title} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/admin/fields">← Categories and fields</a>
      </p>
      <h1 safe>{title}</h1>
      <p class="muted" safe>{`Category: ${category ? categoryPath(catalog, category.id) : "—"}`}</p>
      <ErrorSummary message={message} />
      <form method="post" action={field ? `/admin/fields/${field.id}` : "/admin/fields"}>
        <CsrfField token={csrf} />
        <input type="hidden" name="categoryId" value={values.categoryId ?? ""} />
        {fields.categoryId ? (
          <p class="field-error" id="categoryId-error" safe>
            {fields.categoryId}
          </p>
        ) : (
          ""
        )}
        <Field label="Label" name="label" error={fields.label}>
          <input id="label" name="label" required maxlength="100" value={values.label ?? ""} />
        </Field>
        <Field
          label="Key"
          name="key"
          error={fields.key}
          hint={
            field
              ? "Keys never change: tickets, rules and the API use them."
              : "Made from the label when left empty, e.g. unit_model. It cannot change later."
          }
        >
          <input id="key" name="key" maxlength="40" value={values.key ?? ""} readonly={Boolean(field)} />
        </Field>
        <Field
          label="Kind"
          name="type"
          error={fields.type}
          hint={field ? "The kind cannot change once tickets may have values." : undefined}
        >
          {field ? (
            <input id="type" value={FIELD_TYPE_LABELS[field.type]} readonly />
          ) : (
            <Select
              name="type"
              value={values.type ?? "text"}
              options={FIELD_TYPES.map((t) => ({ value: t, label: FIELD_TYPE_LABELS[t] }))}
            />
          )}
        </Field>
        <Field
          label="Choices (select and multi-select)"
          name="options"
          error={fields.options}
          hint="One per line, in the order shown."
        >
          <textarea id="options" name="options" rows="6" safe>
            {values.options ?? ""}
          </textarea>
        </Field>
        <div class="row">
          <Field label="Smallest number (optional)" name="minValue" error={fields.minValue}>
            <input id="minValue" name="minValue" inputmode="decimal" value={values.minValue ?? ""} />
          </Field>
          <Field label="Largest number (optional)" name="maxValue" error={fields.maxValue}>
            <input id="maxValue" name="maxValue" inputmode="decimal" value={values.maxValue ?? ""} />
          </Field>
        </div>
        <Field label="Hint shown under the field (optional)" name="hint" error={fields.hint}>
          <input id="hint" name="hint" maxlength="200" value={values.hint ?? ""} />
        </Field>
        <div class="row">
          <Field label="Show only when" name="visibleWhenKey" error={fields.visibleWhenKey}>
            <Select
              name="visibleWhenKey"
              value={values.visibleWhenKey}
              blank="— (always shown)"
              options={controllers.map((c) => ({ value: c.key, label: c.label }))}
            />
          </Field>
          <Field
            label="is / has the value"
            name="visibleWhenValue"
            error={fields.visibleWhenValue}
            hint={`One of its choices; for a checkbox, “${CHECKED}”.`}
          >
            <input id="visibleWhenValue" name="visibleWhenValue" value={values.visibleWhenValue ?? ""} />
          </Field>
        </div>
        <div class="field">
          <label>
            <input type="checkbox" name="required" value="1" checked={values.required === "1"} /> Required
            (when shown)
          </label>
          <label>
            <input type="checkbox" name="agentsOnly" value="1" checked={values.agentsOnly === "1"} /> Agents
            only (customers neither see nor fill it)
          </label>
          {field ? (
            <label>
              <input type="checkbox" name="archived" value="1" checked={values.archived === "1"} /> Archived
              (no longer asked for; tickets keep their values)
            </label>
          ) : (
            ""
          )}
        </div>
        <button type="submit">Save field</button>
      </form>
      {field ? (
        <form method="post" action={`/admin/fields/${field.id}/delete`}>
          <CsrfField token={csrf} />
          <button type="submit" class="danger">
            Delete field
          </button>{" "}
          <small class="muted">Only a field no ticket has a value in can be deleted.</small>
        </form>
      ) : (
        ""
      )}
    </Page>
  );
}
