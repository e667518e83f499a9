// Admins' side of categories and custom fields: the catalog as one read, and its changes, each
// recorded in the event log. Keys and types never change once a field exists (tickets store
// values by key); fields and categories in use are archived rather than deleted, so old tickets
// keep what they had.
import { and, asc, eq, sql } from "drizzle-orm";
import { FIELD_TYPES, type FieldType, ticketCategories, ticketFields, tickets } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { conflict, type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { prepared } from "../prepared";
import { isUuid } from "../tickets/rules";
import {
  type Catalog,
  type CategoryDef,
  CHECKED,
  categoryById,
  type FieldDef,
  fieldsOf,
  keyFromLabel,
} from "./values";

const NAME_MAX = 80;
const LABEL_MAX = 100;
const OPTION_MAX = 100;
const OPTIONS_MAX = 200;
const KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** Every category and field of the organization, archived ones included. */
export async function loadCatalog(db: DbOrTx, orgId: string): Promise<Catalog> {
  const [categories, fields] = await Promise.all([
    prepared(db, "catalogCategories", () =>
      db
        .select({
          id: ticketCategories.id,
          parentId: ticketCategories.parentId,
          name: ticketCategories.name,
          position: ticketCategories.position,
          agentsOnly: ticketCategories.agentsOnly,
          archived: ticketCategories.archived,
        })
        .from(ticketCategories)
        .where(eq(ticketCategories.orgId, sql.placeholder("orgId")))
        .orderBy(asc(ticketCategories.position), asc(ticketCategories.name))
        .prepare("catalog_categories"),
    ).execute({ orgId }),
    prepared(db, "catalogFields", () =>
      db
        .select({
          id: ticketFields.id,
          categoryId: ticketFields.categoryId,
          key: ticketFields.key,
          label: ticketFields.label,
          type: ticketFields.type,
          options: ticketFields.options,
          required: ticketFields.required,
          agentsOnly: ticketFields.agentsOnly,
          archived: ticketFields.archived,
          position: ticketFields.position,
          hint: ticketFields.hint,
          minValue: ticketFields.minValue,
          maxValue: ticketFields.maxValue,
          visibleWhenKey: ticketFields.visibleWhenKey,
          visibleWhenValue: ticketFields.visibleWhenValue,
        })
        .from(ticketFields)
        .where(eq(ticketFields.orgId, sql.placeholder("orgId")))
        .orderBy(asc(ticketFields.position), asc(ticketFields.label))
        .prepare("catalog_fields"),
    ).execute({ orgId }),
  ]);
  return { categories, fields };
}

/** The catalog for staff forms and lists (anyone who reads tickets). */
export async function readCatalog(ctx: Ctx): Promise<Catalog> {
  return loadCatalog(ctx.db, ctx.actor.orgId);
}

export async function adminCatalog(ctx: Ctx): Promise<Catalog> {
  requirePermission(ctx.actor, "org.admin");
  return loadCatalog(ctx.db, ctx.actor.orgId);
}

// ---------------------------------------------------------------- categories

export interface CategoryInput {
  name?: string;
  parentId?: string | null;
  agentsOnly?: boolean;
  archived?: boolean;
}

export async function getCategory(ctx: Ctx, id: string): Promise<CategoryDef> {
  requirePermission(ctx.actor, "org.admin");
  const category = isUuid(id) ? categoryById(await loadCatalog(ctx.db, ctx.actor.orgId), id) : undefined;
  if (!category) throw notFound("That category");
  return category;
}

export async function saveCategory(ctx: Ctx, id: string | null, input: CategoryInput): Promise<string> {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  const catalog = await loadCatalog(ctx.db, orgId);
  const existing = id ? categoryById(catalog, isUuid(id) ? id : "") : undefined;
  if (id && !existing) throw notFound("That category");
  const fields: FieldErrors = {};
  const name = (input.name ?? "").trim().replace(/\s+/g, " ");
  if (!name) fields.name = "Name the category, e.g. “Air conditioning”.";
  else if (name.length > NAME_MAX) fields.name = `Keep the name under ${NAME_MAX} characters.`;
  const parentId = input.parentId || null;
  if (parentId) {
    const parent = categoryById(catalog, isUuid(parentId) ? parentId : "");
    if (!parent || parent.parentId) fields.parentId = "Choose a top-level category (two levels at most).";
    else if (parent.id === existing?.id) fields.parentId = "A category cannot sit under itself.";
    else if (existing && catalog.categories.some((c) => c.parentId === existing.id))
      fields.parentId = "This category has subcategories of its own, so it stays at the top level.";
  }
  const sibling = catalog.categories.find(
    (c) => c.id !== existing?.id && c.parentId === parentId && c.name.toLowerCase() === name.toLowerCase(),
  );
  if (name && sibling) fields.name = "There is already a category of that name here.";
  if (Object.keys(fields).length) throw invalid(fields);
  const values = {
    name,
    parentId,
    agentsOnly: !!input.agentsOnly,
    archived: !!input.archived,
    updatedAt: ctx.now,
  };
  return ctx.db.transaction(async (tx) => {
    let categoryId = existing?.id;
    if (existing) {
      const moved = existing.parentId !== parentId;
      await tx
        .update(ticketCategories)
        .set({ ...values, ...(moved ? { position: await nextCategoryPosition(tx, orgId, parentId) } : {}) })
        .where(and(eq(ticketCategories.orgId, orgId), eq(ticketCategories.id, existing.id)));
    } else {
      const [row] = await tx
        .insert(ticketCategories)
        .values({
          orgId,
          ...values,
          position: await nextCategoryPosition(tx, orgId, parentId),
          createdAt: ctx.now,
        })
        .returning({ id: ticketCategories.id });
      categoryId = row.id;
    }
    await appendEvent(tx, ctx, {
      type: existing ? "ticket_category.updated" : "ticket_category.created",
      data: { categoryId, name, parentId, archived: values.archived },
    });
    return categoryId as string;
  });
}

async function nextCategoryPosition(tx: DbOrTx, orgId: string, parentId: string | null): Promise<number> {
  const [{ last }] = await tx
    .select({ last: sql<number>`coalesce(max(${ticketCategories.position}), 0)::int` })
    .from(ticketCategories)
    .where(
      and(
        eq(ticketCategories.orgId, orgId),
        parentId ? eq(ticketCategories.parentId, parentId) : sql`${ticketCategories.parentId} is null`,
      ),
    );
  return Number(last) + 1;
}

/** Deletes a category no ticket ever had (with its subcategories and fields); others are archived. */
export async function deleteCategory(ctx: Ctx, id: string): Promise<void> {
  const category = await getCategory(ctx, id);
  const orgId = ctx.actor.orgId;
  await ctx.db.transaction(async (tx) => {
    const [{ used }] = await tx
      .select({ used: sql<number>`count(*)::int` })
      .from(tickets)
      .where(
        and(
          eq(tickets.orgId, orgId),
          sql`(${tickets.categoryId} = ${category.id} or ${tickets.subcategoryId} = ${category.id}
               or ${tickets.subcategoryId} in (select id from ${ticketCategories}
                 where ${ticketCategories.orgId} = ${orgId} and ${ticketCategories.parentId} = ${category.id}))`,
        ),
      );
    if (Number(used) > 0)
      throw conflict(
        `${Number(used).toLocaleString("en")} ticket(s) have this category: archive it instead, so they keep it.`,
      );
    await tx
      .delete(ticketCategories)
      .where(and(eq(ticketCategories.orgId, orgId), eq(ticketCategories.id, category.id)));
    await appendEvent(tx, ctx, {
      type: "ticket_category.deleted",
      data: { categoryId: category.id, name: category.name },
    });
  });
}

/** Swaps two neighbours in a list ordered by position, renumbering it 1…n. */
function swapped<T extends { id: string }>(list: T[], id: string, direction: "up" | "down"): string[] | null {
  const index = list.findIndex((x) => x.id === id);
  const other = direction === "up" ? index - 1 : index + 1;
  if (index < 0 || other < 0 || other >= list.length) return null;
  const order = list.map((x) => x.id);
  [order[index], order[other]] = [order[other], order[index]];
  return order;
}

export async function moveCategory(ctx: Ctx, id: string, direction: "up" | "down"): Promise<void> {
  const category = await getCategory(ctx, id);
  const orgId = ctx.actor.orgId;
  await ctx.db.transaction(async (tx) => {
    const siblings = await tx
      .select({ id: ticketCategories.id })
      .from(ticketCategories)
      .where(
        and(
          eq(ticketCategories.orgId, orgId),
          category.parentId
            ? eq(ticketCategories.parentId, category.parentId)
            : sql`${ticketCategories.parentId} is null`,
        ),
      )
      .orderBy(asc(ticketCategories.position), asc(ticketCategories.name))
      .for("update");
    const order = swapped(siblings, category.id, direction);
    if (!order) return;
    for (const [i, categoryId] of order.entries())
      await tx
        .update(ticketCategories)
        .set({ position: i + 1 })
        .where(and(eq(ticketCategories.orgId, orgId), eq(ticketCategories.id, categoryId)));
    await appendEvent(tx, ctx, {
      type: "ticket_category.moved",
      data: { categoryId: category.id, direction },
    });
  });
}

// ---------------------------------------------------------------- fields

export interface FieldInput {
  categoryId?: string;
  label?: string;
  key?: string;
  type?: string;
  /** One option per line. */
  options?: string;
  required?: boolean;
  agentsOnly?: boolean;
  archived?: boolean;
  hint?: string;
  minValue?: string;
  maxValue?: string;
  visibleWhenKey?: string;
  visibleWhenValue?: string;
}

export async function getField(ctx: Ctx, id: string): Promise<FieldDef> {
  requirePermission(ctx.actor, "org.admin");
  const catalog = await loadCatalog(ctx.db, ctx.actor.orgId);
  const field = isUuid(id) ? catalog.fields.find((f) => f.id === id) : undefined;
  if (!field) throw notFound("That field");
  return field;
}

function readBound(text: string | undefined, name: string, fields: FieldErrors): number | null {
  const t = (text ?? "").trim();
  if (!t) return null;
  const n = Number(t);
  if (!Number.isFinite(n)) fields[name] = "Give a number, or leave it empty.";
  return Number.isFinite(n) ? n : null;
}

/** The fields a "show when" may depend on: the other active choice fields on the same form. */
export function possibleControllers(catalog: Catalog, categoryId: string, selfKey?: string): FieldDef[] {
  const category = categoryById(catalog, categoryId);
  if (!category) return [];
  const related = category.parentId
    ? fieldsOf(catalog, category.parentId, category.id)
    : catalog.fields.filter(
        (f) =>
          f.categoryId === category.id ||
          catalog.categories.some((c) => c.parentId === category.id && c.id === f.categoryId),
      );
  return related.filter(
    (f) =>
      !f.archived &&
      f.key !== selfKey &&
      (f.type === "select" || f.type === "multiselect" || f.type === "checkbox") &&
      // A parent category's field may show on the subcategory's form, not the other way round.
      (f.categoryId === categoryId || f.categoryId === category.parentId),
  );
}

function checkField(catalog: Catalog, existing: FieldDef | undefined, input: FieldInput) {
  const fields: FieldErrors = {};
  const categoryId = existing?.categoryId ?? input.categoryId ?? "";
  const category = categoryById(catalog, isUuid(categoryId) ? categoryId : "");
  if (!category) fields.categoryId = "Choose the category the field belongs to.";
  const label = (input.label ?? "").trim().replace(/\s+/g, " ");
  if (!label) fields.label = "Give the field a label, e.g. “Unit model”.";
  else if (label.length > LABEL_MAX) fields.label = `Keep the label under ${LABEL_MAX} characters.`;
  const key = existing?.key ?? ((input.key ?? "").trim().toLowerCase() || keyFromLabel(label));
  if (!existing) {
    if (!KEY.test(key))
      fields.key = "Use up to 40 lowercase letters, digits or “_”, starting with a letter, e.g. unit_model.";
    else if (catalog.fields.some((f) => f.key === key))
      fields.key = "Another field already has this key; keys are unique in the organization.";
  }
  const type = (existing?.type ?? input.type) as FieldType;
  if (!FIELD_TYPES.includes(type)) fields.type = "Choose the kind of field.";
  const isChoice = type === "select" || type === "multiselect";
  const options = isChoice
    ? [
        ...new Set(
          (input.options ?? "")
            .split(/\r?\n/)
            .map((o) => o.trim())
            .filter(Boolean),
        ),
      ]
    : [];
  if (isChoice) {
    if (options.length === 0) fields.options = "Give the choices, one per line.";
    else if (options.length > OPTIONS_MAX) fields.options = `Give at most ${OPTIONS_MAX} choices.`;
    else if (options.some((o) => o.length > OPTION_MAX))
      fields.options = `Keep each choice under ${OPTION_MAX} characters.`;
  }
  const minValue = type === "number" ? readBound(input.minValue, "minValue", fields) : null;
  const maxValue = type === "number" ? readBound(input.maxValue, "maxValue", fields) : null;
  if (minValue !== null && maxValue !== null && minValue > maxValue)
    fields.maxValue = "The largest value must not be below the smallest.";
  const hint = (input.hint ?? "").trim();
  if (hint.length > 200) fields.hint = "Keep the hint under 200 characters.";
  const visibleWhenKey = (input.visibleWhenKey ?? "").trim() || null;
  const visibleWhenValue = visibleWhenKey ? (input.visibleWhenValue ?? "").trim() : null;
  if (visibleWhenKey && category) {
    const controller = possibleControllers(catalog, category.id, key).find((f) => f.key === visibleWhenKey);
    if (!controller) fields.visibleWhenKey = "Choose a select, multi-select or checkbox of the same form.";
    else if (
      controller.type === "checkbox"
        ? visibleWhenValue !== CHECKED
        : !controller.options.includes(visibleWhenValue ?? "")
    )
      fields.visibleWhenValue =
        controller.type === "checkbox"
          ? `For a checkbox, write “${CHECKED}”.`
          : `Choose one of its choices: ${controller.options.join(", ")}.`;
    else if (dependsOn(catalog, controller.key, key))
      fields.visibleWhenKey = "That field already depends on this one; the two would hide each other.";
  }
  if (Object.keys(fields).length) throw invalid(fields);
  return {
    categoryId: (category as CategoryDef).id,
    key,
    label,
    type,
    options,
    required: !!input.required,
    agentsOnly: !!input.agentsOnly,
    archived: !!input.archived,
    hint: hint || null,
    minValue,
    maxValue,
    visibleWhenKey,
    visibleWhenValue,
  };
}

/** Whether the field `from` is shown only through a chain of conditions that reaches `to`. */
function dependsOn(catalog: Catalog, from: string, to: string): boolean {
  const seen = new Set<string>();
  for (let key: string | null = from; key && !seen.has(key); ) {
    if (key === to) return true;
    seen.add(key);
    key = catalog.fields.find((f) => f.key === key)?.visibleWhenKey ?? null;
  }
  return false;
}

export async function saveField(ctx: Ctx, id: string | null, input: FieldInput): Promise<string> {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  const catalog = await loadCatalog(ctx.db, orgId);
  const existing = id ? catalog.fields.find((f) => f.id === id && isUuid(id)) : undefined;
  if (id && !existing) throw notFound("That field");
  const values = checkField(catalog, existing, input);
  return ctx.db.transaction(async (tx) => {
    let fieldId = existing?.id;
    if (existing) {
      await tx
        .update(ticketFields)
        .set({ ...values, updatedAt: ctx.now })
        .where(and(eq(ticketFields.orgId, orgId), eq(ticketFields.id, existing.id)));
    } else {
      const [{ last }] = await tx
        .select({ last: sql<number>`coalesce(max(${ticketFields.position}), 0)::int` })
        .from(ticketFields)
        .where(and(eq(ticketFields.orgId, orgId), eq(ticketFields.categoryId, values.categoryId)));
      const [row] = await tx
        .insert(ticketFields)
        .values({ orgId, ...values, position: Number(last) + 1, createdAt: ctx.now, updatedAt: ctx.now })
        .returning({ id: ticketFields.id });
      fieldId = row.id;
    }
    await appendEvent(tx, ctx, {
      type: existing ? "ticket_field.updated" : "ticket_field.created",
      data: { fieldId, key: values.key, label: values.label, type: values.type, archived: values.archived },
    });
    return fieldId as string;
  });
}

export async function moveField(ctx: Ctx, id: string, direction: "up" | "down"): Promise<void> {
  const field = await getField(ctx, id);
  const orgId = ctx.actor.orgId;
  await ctx.db.transaction(async (tx) => {
    const siblings = await tx
      .select({ id: ticketFields.id })
      .from(ticketFields)
      .where(and(eq(ticketFields.orgId, orgId), eq(ticketFields.categoryId, field.categoryId)))
      .orderBy(asc(ticketFields.position), asc(ticketFields.label))
      .for("update");
    const order = swapped(siblings, field.id, direction);
    if (!order) return;
    for (const [i, fieldId] of order.entries())
      await tx
        .update(ticketFields)
        .set({ position: i + 1 })
        .where(and(eq(ticketFields.orgId, orgId), eq(ticketFields.id, fieldId)));
    await appendEvent(tx, ctx, { type: "ticket_field.moved", data: { fieldId: field.id, direction } });
  });
}

/** Deletes a field no ticket has a value for and no other field depends on; others are archived. */
export async function deleteField(ctx: Ctx, id: string): Promise<void> {
  const field = await getField(ctx, id);
  const orgId = ctx.actor.orgId;
  const catalog = await loadCatalog(ctx.db, orgId);
  const dependent = catalog.fields.find((f) => f.visibleWhenKey === field.key);
  if (dependent) throw conflict(`“${dependent.label}” is shown depending on this field; change it first.`);
  await ctx.db.transaction(async (tx) => {
    const [{ used }] = await tx
      .select({ used: sql<number>`count(*)::int` })
      .from(tickets)
      .where(and(eq(tickets.orgId, orgId), sql`(${tickets.customFields} -> ${field.key}::text) is not null`));
    if (Number(used) > 0)
      throw conflict(
        `${Number(used).toLocaleString("en")} ticket(s) have a value in this field: archive it instead, so they keep it.`,
      );
    await tx.delete(ticketFields).where(and(eq(ticketFields.orgId, orgId), eq(ticketFields.id, field.id)));
    await appendEvent(tx, ctx, {
      type: "ticket_field.deleted",
      data: { fieldId: field.id, key: field.key, label: field.label },
    });
  });
}
