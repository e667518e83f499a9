// Automation conditions on custom fields ("field.<key>"): the operators each type offers, whether
// one holds for a stored value, and the check of a condition an admin writes.
import type { FieldType, RuleCondition } from "../../../db/schema";
import { type FieldDef, isDate } from "./values";

export type CustomFieldKind = "number" | "date" | "select" | "multiselect" | "checkbox";

/** Text fields use the ticket's text operators (is, contains, …); the others their own. */
export const CUSTOM_FIELD_OPERATORS: Record<CustomFieldKind, Record<string, string>> = {
  number: { eq: "=", gt: ">", lt: "<", is_empty: "is empty" },
  date: { is: "is", before: "is before", after: "is after", is_empty: "is empty" },
  select: { is: "is", is_not: "is not", is_empty: "is empty" },
  multiselect: { includes: "includes", excludes: "does not include" },
  checkbox: { checked: "is checked", unchecked: "is not checked" },
};

export const CUSTOM_PREFIX = "field.";

/** "field.unit_model" → "unit_model"; undefined for the ticket's own fields. */
export function customFieldKey(field: string): string | undefined {
  return field.startsWith(CUSTOM_PREFIX) ? field.slice(CUSTOM_PREFIX.length) : undefined;
}

export function kindOf(type: FieldType): CustomFieldKind | "text" {
  return type === "text" ? "text" : type;
}

/** Whether the condition holds for the stored value (absent when the ticket has none). */
export function customConditionHolds(condition: RuleCondition, value: unknown): boolean {
  const wanted = condition.value.trim();
  const text = typeof value === "string" ? value.toLowerCase() : "";
  switch (condition.op) {
    case "checked":
      return value === true;
    case "unchecked":
      return value !== true;
    case "includes":
      return Array.isArray(value) && value.includes(wanted);
    case "excludes":
      return !(Array.isArray(value) && value.includes(wanted));
    case "eq":
    case "gt":
    case "lt": {
      const n = Number(wanted);
      if (typeof value !== "number" || !Number.isFinite(n)) return false;
      return condition.op === "eq" ? value === n : condition.op === "gt" ? value > n : value < n;
    }
    case "before":
      return typeof value === "string" && value < wanted;
    case "after":
      return typeof value === "string" && value > wanted;
    case "is_empty":
      return value === undefined || value === null || value === "";
    case "is":
      return text === wanted.toLowerCase();
    case "is_not":
      return text !== wanted.toLowerCase();
    case "contains":
      return wanted !== "" && text.includes(wanted.toLowerCase());
    case "not_contains":
      return !text.includes(wanted.toLowerCase());
    case "ends_with":
      return wanted !== "" && text.endsWith(wanted.toLowerCase());
    default:
      return false;
  }
}

/** A problem with a custom-field condition, for the rule form; undefined when it is usable. */
export function customConditionProblem(
  def: FieldDef | undefined,
  op: string,
  value: string,
  textOperators: Record<string, string>,
): string | undefined {
  if (!def) return "Choose a field that exists.";
  const kind = kindOf(def.type);
  const operators = kind === "text" ? textOperators : CUSTOM_FIELD_OPERATORS[kind];
  if (!(op in operators)) return `For “${def.label}” choose one of: ${Object.values(operators).join(", ")}.`;
  if (["is_empty", "checked", "unchecked"].includes(op)) return undefined;
  if (!value) return "Give the value to compare with.";
  if (kind === "number" && !Number.isFinite(Number(value))) return "Give a number to compare with.";
  if (kind === "date" && !isDate(value)) return "Give a date as YYYY-MM-DD.";
  if ((kind === "select" || kind === "multiselect") && !def.options.includes(value))
    return `Choose one of: ${def.options.join(", ")}.`;
  return undefined;
}
