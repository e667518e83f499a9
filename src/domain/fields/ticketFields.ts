// A ticket's category and custom field values as tickets are created and changed: the chosen
// category checked against the catalog, the values checked by resolveValues, and the changes
// described for the event log (names kept in the event, so history reads right after renames).
import { type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import type { FieldErrors } from "../errors";
import type { DbOrTx } from "../events/log";
import { loadCatalog } from "./catalog";
import {
  type Audience,
  type Catalog,
  categoryById,
  categoryPath,
  fieldsOf,
  formatValue,
  isOffered,
  resolveValues,
  splitCategory,
} from "./values";

export interface ClassificationInput {
  /** A category or subcategory id; null or "" clears it; undefined leaves it. */
  category?: string | null;
  /** Values by field key; undefined leaves them (except those the new category has not). */
  fields?: Record<string, unknown>;
  /** The whole form was sent (HTML forms): fields left out are empty. The API sends only what changes. */
  wholeForm?: boolean;
}

export interface Classification {
  categoryId: string | null;
  subcategoryId: string | null;
  customFields: Record<string, unknown>;
}

export interface ClassificationChange {
  type: string;
  data: Record<string, unknown>;
}

/**
 * Custom field values as the column stores them. Written as text cast to jsonb: through the Bun
 * SQL driver a jsonb parameter would be stored as one JSON string, which reads back the same in
 * JavaScript but defeats the list's containment filter and the key checks in SQL.
 */
export function customFieldsValue(values: Record<string, unknown>): SQL {
  return sql`${JSON.stringify(values)}::text::jsonb`;
}

export const audienceOf = (ctx: Ctx): Audience => (ctx.actor.role === "customer" ? "customer" : "staff");

/**
 * The ticket's classification after the input, with its events; problems go into `errors`
 * (`category`, `fields.<key>`). `current` is null for a new ticket.
 */
export async function planClassification(
  db: DbOrTx,
  ctx: Ctx,
  current: Classification | null,
  input: ClassificationInput,
  errors: FieldErrors,
): Promise<{ next: Classification; changes: ClassificationChange[]; catalog: Catalog } | undefined> {
  if (input.category === undefined && input.fields === undefined) return undefined;
  const catalog = await loadCatalog(db, ctx.actor.orgId);
  const audience = audienceOf(ctx);
  const before: Classification = current ?? { categoryId: null, subcategoryId: null, customFields: {} };
  let chosen = { categoryId: before.categoryId, subcategoryId: before.subcategoryId };
  if (input.category !== undefined) {
    const split = splitCategory(catalog, input.category || null);
    const category = categoryById(catalog, input.category || null);
    const unchanged =
      category &&
      (category.id === before.subcategoryId || (category.id === before.categoryId && !before.subcategoryId));
    if (!split || (category && !unchanged && !isOffered(catalog, category, audience))) {
      errors.category = "Choose one of the categories offered.";
      return undefined;
    }
    chosen = split;
  }
  const defs = fieldsOf(catalog, chosen.categoryId, chosen.subcategoryId);
  const { values, errors: problems } = resolveValues({
    defs,
    audience,
    input: input.fields ?? {},
    existing: before.customFields,
    partial: !input.wholeForm,
    enforceRequired: !ctx.automation,
  });
  Object.assign(errors, problems);
  const next: Classification = { ...chosen, customFields: values };
  return { next, changes: describeChanges(catalog, before, next), catalog };
}

/** The events a change of classification appends; none when nothing changed. */
export function describeChanges(catalog: Catalog, before: Classification, after: Classification) {
  const changes: ClassificationChange[] = [];
  const specific = (c: Classification) => c.subcategoryId ?? c.categoryId;
  if (specific(before) !== specific(after)) {
    changes.push({
      type: "ticket.category_changed",
      data: {
        from: specific(before),
        to: specific(after),
        fromName: categoryPath(catalog, specific(before)) || null,
        toName: categoryPath(catalog, specific(after)) || null,
        categoryId: after.categoryId,
        subcategoryId: after.subcategoryId,
      },
    });
  }
  const keys = [...new Set([...Object.keys(before.customFields), ...Object.keys(after.customFields)])];
  const fieldChanges = keys
    .filter(
      (k) => JSON.stringify(before.customFields[k] ?? null) !== JSON.stringify(after.customFields[k] ?? null),
    )
    .map((k) => ({
      key: k,
      label: catalog.fields.find((f) => f.key === k)?.label ?? k,
      from: before.customFields[k] ?? null,
      to: after.customFields[k] ?? null,
    }));
  if (fieldChanges.length) changes.push({ type: "ticket.fields_changed", data: { changes: fieldChanges } });
  return changes;
}

/** "Unit model: FTKF25 → FTKF35; Warranty: Yes" for the history. */
export function describeFieldChanges(data: Record<string, unknown>): string {
  const list = (data.changes as { label: string; from: unknown; to: unknown }[] | undefined) ?? [];
  return list
    .map((c) =>
      c.from === null
        ? `${c.label}: ${formatValue(c.to)}`
        : c.to === null
          ? `${c.label}: cleared (was ${formatValue(c.from)})`
          : `${c.label}: ${formatValue(c.from)} → ${formatValue(c.to)}`,
    )
    .join("; ");
}
