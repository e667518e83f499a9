// Custom field values: what each type accepts, which fields a ticket of a category has, which of
// them are visible given the others' values, and the checked values a ticket stores. Pure
// functions: the forms, the API and automation all go through them.
import type { FieldType } from "../../../db/schema";
import type { FieldErrors } from "../errors";

export interface FieldDef {
  id: string;
  categoryId: string;
  key: string;
  label: string;
  type: FieldType;
  options: string[];
  required: boolean;
  agentsOnly: boolean;
  archived: boolean;
  position: number;
  hint: string | null;
  minValue: number | null;
  maxValue: number | null;
  visibleWhenKey: string | null;
  visibleWhenValue: string | null;
}

export interface CategoryDef {
  id: string;
  parentId: string | null;
  name: string;
  position: number;
  agentsOnly: boolean;
  archived: boolean;
}

export interface Catalog {
  categories: CategoryDef[];
  fields: FieldDef[];
}

/** Who fills the form: customers never see agents-only categories and fields. */
export type Audience = "staff" | "customer";

/** A ticket stores, by field key: text, select and date as strings, numbers, string lists, true. */
export type FieldValue = string | number | boolean | string[];

export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  select: "Select (one choice)",
  multiselect: "Multi-select (several choices)",
  checkbox: "Checkbox",
};

/** The value a checkbox controller has when ticked, in "show when" conditions. */
export const CHECKED = "checked";
export const TEXT_MAX = 1000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1;
}

export function categoryById(catalog: Catalog, id: string | null | undefined): CategoryDef | undefined {
  return id ? catalog.categories.find((c) => c.id === id) : undefined;
}

/** "Air conditioning › Leaking", or the category's own name at the top level. */
export function categoryPath(catalog: Catalog, id: string | null | undefined): string {
  const category = categoryById(catalog, id);
  if (!category) return "";
  const parent = categoryById(catalog, category.parentId);
  return parent ? `${parent.name} › ${category.name}` : category.name;
}

/** Top-level categories in order, each with its subcategories in order. */
export function categoryTree(catalog: Catalog) {
  const byPosition = (a: CategoryDef, b: CategoryDef) =>
    a.position - b.position || a.name.localeCompare(b.name);
  return catalog.categories
    .filter((c) => !c.parentId)
    .sort(byPosition)
    .map((category) => ({
      category,
      children: catalog.categories.filter((c) => c.parentId === category.id).sort(byPosition),
    }));
}

/** Whether this person may choose the category (for a subcategory, its parent counts too). */
export function isOffered(catalog: Catalog, category: CategoryDef, audience: Audience): boolean {
  const parent = categoryById(catalog, category.parentId);
  for (const c of parent ? [parent, category] : [category]) {
    if (c.archived) return false;
    if (c.agentsOnly && audience === "customer") return false;
  }
  return true;
}

/** A chosen id (a category or a subcategory) as the ticket's two columns. */
export function splitCategory(
  catalog: Catalog,
  id: string | null | undefined,
): { categoryId: string | null; subcategoryId: string | null } | undefined {
  if (!id) return { categoryId: null, subcategoryId: null };
  const category = categoryById(catalog, id);
  if (!category) return undefined;
  return category.parentId
    ? { categoryId: category.parentId, subcategoryId: category.id }
    : { categoryId: category.id, subcategoryId: null };
}

/** The fields of a ticket of this category: the category's own, then the subcategory's, in order. */
export function fieldsOf(
  catalog: Catalog,
  categoryId: string | null,
  subcategoryId: string | null,
): FieldDef[] {
  const level = (id: string | null) =>
    id ? catalog.fields.filter((f) => f.categoryId === id).sort((a, b) => a.position - b.position) : [];
  return [...level(categoryId), ...level(subcategoryId)];
}

export function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === false ||
    (typeof value === "string" && value.trim() === "") ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** Whether a controller's value satisfies a "show when" value. */
export function conditionMet(controller: FieldDef, value: unknown, wanted: string): boolean {
  if (controller.type === "checkbox") return (value === true) === (wanted === CHECKED);
  if (Array.isArray(value)) return value.includes(wanted);
  return typeof value === "string" && value === wanted;
}

/**
 * The keys of the fields shown, given the values: a conditional field shows when its controller
 * is itself shown and has the value. Archived fields show nothing and control nothing.
 */
export function visibleKeys(defs: FieldDef[], values: Record<string, unknown>): Set<string> {
  const active = new Map(defs.filter((d) => !d.archived).map((d) => [d.key, d]));
  const memo = new Map<string, boolean>();
  const visible = (def: FieldDef, seen: Set<string>): boolean => {
    const known = memo.get(def.key);
    if (known !== undefined) return known;
    let result = true;
    if (def.visibleWhenKey) {
      const controller = active.get(def.visibleWhenKey);
      // A loop (refused by the admin form, but rows can be written otherwise) hides the fields in it.
      result =
        !!controller &&
        !seen.has(controller.key) &&
        visible(controller, new Set([...seen, def.key])) &&
        conditionMet(controller, values[controller.key], def.visibleWhenValue ?? "");
    }
    memo.set(def.key, result);
    return result;
  };
  return new Set([...active.values()].filter((d) => visible(d, new Set([d.key]))).map((d) => d.key));
}

/** One typed value out of what a form (strings) or the API (JSON) sent; null when empty. */
export function parseValue(def: FieldDef, raw: unknown): { value: FieldValue | null } | { problem: string } {
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === "" ? [] : [raw];
  switch (def.type) {
    case "checkbox": {
      if (typeof raw === "boolean") return { value: raw || null };
      const text = String(list[0] ?? "").toLowerCase();
      if (["", "0", "false", "no", "off"].includes(text)) return { value: null };
      if (["1", "true", "yes", "on"].includes(text)) return { value: true };
      return { problem: "Tick the box or leave it empty." };
    }
    case "multiselect": {
      const chosen = list.map((v) => String(v));
      const unknown = chosen.find((v) => !def.options.includes(v));
      if (unknown !== undefined) return { problem: `Choose among: ${def.options.join(", ")}.` };
      // Kept in the options' order, once each.
      const value = def.options.filter((o) => chosen.includes(o));
      return { value: value.length ? value : null };
    }
    default: {
      if (list.length > 1) return { problem: "Give one value." };
      const first = list[0];
      if (first === undefined) return { value: null };
      if (def.type === "number") return parseNumber(def, first);
      if (typeof first !== "string") return { problem: "Give the value as text." };
      const text = first.trim();
      if (!text) return { value: null };
      if (def.type === "date")
        return isDate(text) ? { value: text } : { problem: "Give a date as YYYY-MM-DD, e.g. 2026-03-31." };
      if (def.type === "select")
        return def.options.includes(text)
          ? { value: text }
          : { problem: `Choose one of: ${def.options.join(", ")}.` };
      if (text.length > TEXT_MAX) return { problem: `Keep it under ${TEXT_MAX} characters.` };
      return { value: text };
    }
  }
}

function parseNumber(def: FieldDef, raw: unknown): { value: number | null } | { problem: string } {
  const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim() : "";
  if (text === "") return typeof raw === "string" ? { value: null } : { problem: "Give a number." };
  const value = Number(text.replace(/,/g, ""));
  if (!Number.isFinite(value) || !/^-?[\d,]*\.?\d+(e-?\d+)?$/i.test(text))
    return { problem: "Give a number, e.g. 12 or 2.5." };
  if (def.minValue !== null && value < def.minValue)
    return { problem: `Give a number of at least ${def.minValue}.` };
  if (def.maxValue !== null && value > def.maxValue)
    return { problem: `Give a number of at most ${def.maxValue}.` };
  return { value };
}

/** The form-field name of a custom field's input. */
export const inputName = (key: string) => `cf_${key}`;
/** The key problems of a field are reported under (the API's `fields.<key>`). */
export const errorKey = (key: string) => `fields.${key}`;

export interface ResolveInput {
  /** Every field of the ticket's category and subcategory, archived ones included. */
  defs: FieldDef[];
  audience: Audience;
  /** What was sent, by key. */
  input: Record<string, unknown>;
  /** What the ticket has now. */
  existing: Record<string, unknown>;
  /** true (API): keys not sent keep their value, and keys the category has not are refused. */
  partial: boolean;
  /** Required fields must be filled (people filling a form); automation does not have to. */
  enforceRequired: boolean;
}

/**
 * The values a ticket stores after this input: sent values checked by type, values of hidden
 * fields dropped (whatever was sent for them), fields this person may not edit kept as they were,
 * required fields checked only where they are shown. Problems are keyed `fields.<key>`.
 */
export function resolveValues(r: ResolveInput): { values: Record<string, FieldValue>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const values: Record<string, unknown> = {};
  const editable = (d: FieldDef) => !d.archived && !(d.agentsOnly && r.audience === "customer");
  for (const def of r.defs) {
    const keep = !editable(def) || (r.partial && !(def.key in r.input));
    if (keep) {
      if (!isEmpty(r.existing[def.key])) values[def.key] = r.existing[def.key];
      continue;
    }
    const parsed = parseValue(def, r.input[def.key]);
    if ("problem" in parsed) errors[errorKey(def.key)] = parsed.problem;
    else if (parsed.value !== null) values[def.key] = parsed.value;
  }
  if (r.partial) {
    for (const key of Object.keys(r.input)) {
      const def = r.defs.find((d) => d.key === key);
      if (!def || !editable(def)) errors[errorKey(key)] = "The ticket's category has no such field.";
    }
  }
  const shown = visibleKeys(r.defs, values);
  for (const def of r.defs) {
    if (def.archived) continue;
    if (!shown.has(def.key)) {
      // Hidden by its condition: nothing sent for it counts, and nothing typed is kept.
      delete values[def.key];
      delete errors[errorKey(def.key)];
    } else if (r.enforceRequired && def.required && editable(def) && isEmpty(values[def.key])) {
      errors[errorKey(def.key)] ??=
        def.type === "checkbox" ? `Tick “${def.label}”.` : `Fill in “${def.label}”.`;
    }
  }
  return { values: values as Record<string, FieldValue>, errors };
}

/** A stored value for people: "Yes", "12.5", "2026-03-31", "R32, R410A". */
export function formatValue(value: unknown): string {
  if (value === true) return "Yes";
  if (Array.isArray(value)) return value.join(", ");
  if (value === undefined || value === null) return "";
  return String(value);
}

/** A key from a label: "Unit model" → "unit_model". */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40);
  return /^[a-z]/.test(key) ? key : `field_${key}`.slice(0, 40);
}
