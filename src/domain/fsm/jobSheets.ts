// Job sheets: the checklists a technician fills in on a visit. Dispatchers keep templates (items in
// four sections, and the catalog services they come with); a work order gets a copy of a template
// when one of its services is added or a dispatcher attaches it, so a later edit of the template
// changes no sheet already attached. Answers are saved per item with who and when, every change is
// an event, and a visit cannot be completed while a required item is unanswered.
import { and, asc, eq, inArray, notInArray, sql } from "drizzle-orm";
import {
  JOB_SHEET_SECTIONS,
  type JobSheetSection,
  jobSheetAnswers,
  jobSheetTemplateItems,
  jobSheetTemplateServices,
  jobSheetTemplates,
  services,
  users,
  workOrderJobSheetItems,
  workOrderJobSheets,
} from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import { conflict, type FieldErrors, forbidden, invalid, isUniqueViolation, notFound } from "../errors";
import { appendEvent, appendEvents, type DbOrTx } from "../events/log";
import { isUuid } from "../tickets/rules";
import {
  answerText,
  ITEMS_MAX,
  type ItemSpec,
  normalizeAnswer,
  parseSection,
  SECTION_LABELS,
  sectionTexts,
} from "./jobSheetRules";
import { insertPhoto, isVisitFinished, type PreparedPhoto, preparePhoto } from "./photos";
import { findAppointment, findWorkOrder, type WorkOrderRef, type WorkOrderRow } from "./workOrders";

export const NAME_MAX = 120;
export const DESCRIPTION_MAX = 1000;

export type TemplateRow = typeof jobSheetTemplates.$inferSelect;
export type TemplateItemRow = typeof jobSheetTemplateItems.$inferSelect;

// ——— Templates ———————————————————————————————————————————————————————————————————————————————

export interface TemplateInput {
  name: string;
  description?: string;
  serviceIds?: string[];
  /** Each section's items, one per line (see LINE_SYNTAX_HINT). */
  sections: Partial<Record<JobSheetSection, string>>;
}

interface ValidTemplate {
  name: string;
  description: string;
  serviceIds: string[];
  items: ItemSpec[];
}

async function validateTemplate(ctx: Ctx, input: TemplateInput): Promise<ValidTemplate> {
  const fields: FieldErrors = {};
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Name the job sheet.";
  else if (name.length > NAME_MAX) fields.name = `Keep the name under ${NAME_MAX} characters.`;
  const description = (input.description ?? "").trim();
  if (description.length > DESCRIPTION_MAX)
    fields.description = `Keep the description under ${DESCRIPTION_MAX.toLocaleString("en")} characters.`;
  const items: ItemSpec[] = [];
  for (const section of JOB_SHEET_SECTIONS) {
    const parsed = parseSection(input.sections[section] ?? "", section);
    if (parsed.error) fields[section] = parsed.error;
    items.push(...parsed.items);
  }
  if (items.length === 0 && !JOB_SHEET_SECTIONS.some((s) => fields[s]))
    fields.steps = "Add at least one item, in any section.";
  if (items.length > ITEMS_MAX) fields.steps = `A job sheet holds at most ${ITEMS_MAX} items.`;
  const serviceIds = [...new Set((input.serviceIds ?? []).filter(Boolean))];
  if (serviceIds.length) {
    const found = serviceIds.every(isUuid)
      ? await ctx.db
          .select({ id: services.id })
          .from(services)
          .where(and(eq(services.orgId, ctx.actor.orgId), inArray(services.id, serviceIds)))
      : [];
    if (found.length !== serviceIds.length) fields.serviceIds = "Choose services from the catalog.";
  }
  if (Object.keys(fields).length) throw invalid(fields);
  return { name, description, serviceIds, items };
}

async function writeItemsAndServices(tx: DbOrTx, orgId: string, templateId: string, valid: ValidTemplate) {
  await tx
    .delete(jobSheetTemplateItems)
    .where(and(eq(jobSheetTemplateItems.orgId, orgId), eq(jobSheetTemplateItems.templateId, templateId)));
  await tx
    .insert(jobSheetTemplateItems)
    .values(valid.items.map((item, position) => ({ ...item, orgId, templateId, position })));
  await tx
    .delete(jobSheetTemplateServices)
    .where(
      and(eq(jobSheetTemplateServices.orgId, orgId), eq(jobSheetTemplateServices.templateId, templateId)),
    );
  if (valid.serviceIds.length)
    await tx
      .insert(jobSheetTemplateServices)
      .values(valid.serviceIds.map((serviceId) => ({ orgId, templateId, serviceId })));
}

/** A second template of the same name is refused on the name field. */
async function nameTaken<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) throw invalid({ name: "Another job sheet already has this name." });
    throw error;
  }
}

export async function createTemplate(ctx: Ctx, input: TemplateInput): Promise<TemplateRow> {
  requirePermission(ctx.actor, "fsm.manage");
  const valid = await validateTemplate(ctx, input);
  const orgId = ctx.actor.orgId;
  return nameTaken(() =>
    ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(jobSheetTemplates)
        .values({
          orgId,
          name: valid.name,
          description: valid.description,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning();
      await writeItemsAndServices(tx, orgId, row.id, valid);
      await appendEvent(tx, ctx, {
        type: "job_sheet_template.created",
        data: { templateId: row.id, name: row.name, items: valid.items.length },
      });
      return row;
    }),
  );
}

const sameItems = (a: ItemSpec[], b: ItemSpec[]) =>
  JSON.stringify(a.map(specOf)) === JSON.stringify(b.map(specOf));

function specOf(item: ItemSpec): ItemSpec {
  const { section, kind, label, help, required, options, minValue, maxValue } = item;
  return { section, kind, label, help, required, options, minValue, maxValue };
}

/**
 * Saves a template. Sheets already attached to work orders keep the items they were copied with;
 * the version goes up when the items change, so a sheet shows which version it came from.
 */
export async function updateTemplate(ctx: Ctx, id: string, input: TemplateInput): Promise<TemplateRow> {
  requirePermission(ctx.actor, "fsm.manage");
  const current = await getTemplate(ctx, id);
  const valid = await validateTemplate(ctx, input);
  const orgId = ctx.actor.orgId;
  const itemsChanged = !sameItems(current.items, valid.items);
  return nameTaken(() =>
    ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .update(jobSheetTemplates)
        .set({
          name: valid.name,
          description: valid.description,
          ...(itemsChanged ? { version: sql`${jobSheetTemplates.version} + 1` } : {}),
          updatedAt: ctx.now,
        })
        .where(and(eq(jobSheetTemplates.orgId, orgId), eq(jobSheetTemplates.id, current.template.id)))
        .returning();
      await writeItemsAndServices(tx, orgId, row.id, valid);
      await appendEvent(tx, ctx, {
        type: "job_sheet_template.updated",
        data: { templateId: row.id, name: row.name, version: row.version, itemsChanged },
      });
      return row;
    }),
  );
}

/** Archived templates stay on the sheets made from them but are attached no more. */
export async function setTemplateActive(ctx: Ctx, id: string, active: boolean): Promise<TemplateRow> {
  requirePermission(ctx.actor, "fsm.manage");
  const { template } = await getTemplate(ctx, id);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(jobSheetTemplates)
      .set({ active, updatedAt: ctx.now })
      .where(and(eq(jobSheetTemplates.orgId, ctx.actor.orgId), eq(jobSheetTemplates.id, template.id)))
      .returning();
    await appendEvent(tx, ctx, {
      type: active ? "job_sheet_template.restored" : "job_sheet_template.archived",
      data: { templateId: row.id, name: row.name },
    });
    return row;
  });
}

export async function getTemplate(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, "fsm.manage");
  const orgId = ctx.actor.orgId;
  if (!isUuid(id)) throw notFound("That job sheet");
  const [template] = await ctx.db
    .select()
    .from(jobSheetTemplates)
    .where(and(eq(jobSheetTemplates.orgId, orgId), eq(jobSheetTemplates.id, id)));
  if (!template) throw notFound("That job sheet");
  const [items, links] = await Promise.all([
    ctx.db
      .select()
      .from(jobSheetTemplateItems)
      .where(and(eq(jobSheetTemplateItems.orgId, orgId), eq(jobSheetTemplateItems.templateId, id)))
      .orderBy(asc(jobSheetTemplateItems.position)),
    ctx.db
      .select({ serviceId: jobSheetTemplateServices.serviceId })
      .from(jobSheetTemplateServices)
      .where(and(eq(jobSheetTemplateServices.orgId, orgId), eq(jobSheetTemplateServices.templateId, id))),
  ]);
  return { template, items, serviceIds: links.map((l) => l.serviceId) };
}

export type TemplateDetail = Awaited<ReturnType<typeof getTemplate>>;

export async function listTemplates(ctx: Ctx) {
  requirePermission(ctx.actor, "fsm.manage");
  const orgId = ctx.actor.orgId;
  return ctx.db
    .select({
      id: jobSheetTemplates.id,
      name: jobSheetTemplates.name,
      active: jobSheetTemplates.active,
      version: jobSheetTemplates.version,
      updatedAt: jobSheetTemplates.updatedAt,
      items: sql<number>`(select count(*)::int from ${jobSheetTemplateItems} i
        where i.org_id = job_sheet_templates.org_id and i.template_id = job_sheet_templates.id)`,
      services: sql<string | null>`(select string_agg(s.name, ', ' order by s.name)
        from ${jobSheetTemplateServices} l join ${services} s on s.org_id = l.org_id and s.id = l.service_id
        where l.org_id = job_sheet_templates.org_id and l.template_id = job_sheet_templates.id)`,
    })
    .from(jobSheetTemplates)
    .where(eq(jobSheetTemplates.orgId, orgId))
    .orderBy(sql`${jobSheetTemplates.active} desc`, asc(jobSheetTemplates.name));
}

export type TemplateListRow = Awaited<ReturnType<typeof listTemplates>>[number];

/** The active templates, for the work order page's "attach" choice. */
export async function activeTemplates(ctx: Ctx) {
  requirePermission(ctx.actor, "fsm.read");
  return ctx.db
    .select({ id: jobSheetTemplates.id, name: jobSheetTemplates.name })
    .from(jobSheetTemplates)
    .where(and(eq(jobSheetTemplates.orgId, ctx.actor.orgId), eq(jobSheetTemplates.active, true)))
    .orderBy(asc(jobSheetTemplates.name));
}

// ——— Attaching to work orders ————————————————————————————————————————————————————————————————

/** Copies a template (its current items) onto a work order, inside the caller's transaction. */
async function copyOntoWorkOrder(
  tx: DbOrTx,
  ctx: Ctx,
  wo: Pick<WorkOrderRow, "id" | "ticketId">,
  template: TemplateRow,
  source: "service" | "manual",
) {
  const orgId = ctx.actor.orgId;
  const [sheet] = await tx
    .insert(workOrderJobSheets)
    .values({
      orgId,
      workOrderId: wo.id,
      templateId: template.id,
      templateVersion: template.version,
      name: template.name,
      source,
      attachedBy: ctx.actor.userId ?? null,
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning();
  if (!sheet) return undefined;
  await tx.execute(sql`
    insert into ${workOrderJobSheetItems}
      (org_id, sheet_id, position, section, kind, label, help, required, options, min_value, max_value)
    select org_id, ${sheet.id}, position, section, kind, label, help, required, options, min_value, max_value
    from ${jobSheetTemplateItems}
    where org_id = ${orgId} and template_id = ${template.id}`);
  await appendEvent(tx, ctx, {
    type: "job_sheet.attached",
    ticketId: wo.ticketId,
    data: { workOrderId: wo.id, sheetId: sheet.id, templateId: template.id, name: sheet.name, source },
  });
  return sheet;
}

/**
 * Attaches the active templates of the given catalog services that the work order does not have
 * yet; called in the transaction that adds the services (a new line, a work order made from an
 * estimate or a maintenance plan). Permissions are the caller's.
 */
export async function attachTemplatesForServices(
  tx: DbOrTx,
  ctx: Ctx,
  wo: Pick<WorkOrderRow, "id" | "ticketId">,
  serviceIds: (string | null | undefined)[],
) {
  const ids = [...new Set(serviceIds.filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return [];
  const orgId = ctx.actor.orgId;
  const already = tx
    .select({ id: workOrderJobSheets.templateId })
    .from(workOrderJobSheets)
    .where(and(eq(workOrderJobSheets.orgId, orgId), eq(workOrderJobSheets.workOrderId, wo.id)));
  const templates = await tx
    .selectDistinct({ template: jobSheetTemplates })
    .from(jobSheetTemplates)
    .innerJoin(
      jobSheetTemplateServices,
      and(
        eq(jobSheetTemplateServices.orgId, jobSheetTemplates.orgId),
        eq(jobSheetTemplateServices.templateId, jobSheetTemplates.id),
      ),
    )
    .where(
      and(
        eq(jobSheetTemplates.orgId, orgId),
        eq(jobSheetTemplates.active, true),
        inArray(jobSheetTemplateServices.serviceId, ids),
        notInArray(jobSheetTemplates.id, already),
      ),
    );
  const attached = [];
  for (const { template } of templates.sort((a, b) => a.template.name.localeCompare(b.template.name))) {
    const sheet = await copyOntoWorkOrder(tx, ctx, wo, template, "service");
    if (sheet) attached.push(sheet);
  }
  return attached;
}

function requireSheetsChangeable(wo: WorkOrderRow) {
  if (wo.status === "completed" || wo.status === "closed" || wo.status === "cancelled")
    throw conflict(`This work order is ${wo.status}; its job sheets can no longer change.`);
}

export async function attachJobSheet(ctx: Ctx, ref: WorkOrderRef, templateId: string) {
  requirePermission(ctx.actor, "fsm.manage");
  const orgId = ctx.actor.orgId;
  const [template] = isUuid(templateId)
    ? await ctx.db
        .select()
        .from(jobSheetTemplates)
        .where(
          and(
            eq(jobSheetTemplates.orgId, orgId),
            eq(jobSheetTemplates.id, templateId),
            eq(jobSheetTemplates.active, true),
          ),
        )
    : [];
  if (!template) throw invalid({ templateId: "Choose a job sheet from the list." });
  return ctx.db.transaction(async (tx) => {
    const wo = await findWorkOrder(tx, ctx, ref, { forUpdate: true });
    requireSheetsChangeable(wo);
    const sheet = await copyOntoWorkOrder(tx, ctx, wo, template, "manual");
    if (!sheet)
      throw conflict("This job sheet is already on the work order.", {
        templateId: "Already attached.",
      });
    return sheet;
  });
}

/** Takes a sheet off a work order; one with answers stays, so nothing recorded on site is lost. */
export async function detachJobSheet(ctx: Ctx, ref: WorkOrderRef, sheetId: string) {
  requirePermission(ctx.actor, "fsm.manage");
  const orgId = ctx.actor.orgId;
  return ctx.db.transaction(async (tx) => {
    const wo = await findWorkOrder(tx, ctx, ref, { forUpdate: true });
    const sheet = await findSheet(tx, orgId, wo.id, sheetId);
    requireSheetsChangeable(wo);
    const [{ answered }] = await tx
      .select({ answered: sql<number>`count(*)::int` })
      .from(jobSheetAnswers)
      .innerJoin(
        workOrderJobSheetItems,
        and(
          eq(workOrderJobSheetItems.orgId, jobSheetAnswers.orgId),
          eq(workOrderJobSheetItems.id, jobSheetAnswers.itemId),
        ),
      )
      .where(and(eq(jobSheetAnswers.orgId, orgId), eq(workOrderJobSheetItems.sheetId, sheet.id)));
    if (answered > 0)
      throw conflict(`"${sheet.name}" already has answers from the visit; it stays on the work order.`);
    await tx
      .delete(workOrderJobSheets)
      .where(and(eq(workOrderJobSheets.orgId, orgId), eq(workOrderJobSheets.id, sheet.id)));
    await appendEvent(tx, ctx, {
      type: "job_sheet.detached",
      ticketId: wo.ticketId,
      data: { workOrderId: wo.id, sheetId: sheet.id, templateId: sheet.templateId, name: sheet.name },
    });
  });
}

async function findSheet(db: DbOrTx, orgId: string, workOrderId: string, sheetId: string) {
  if (!isUuid(sheetId)) throw notFound("That job sheet");
  const [sheet] = await db
    .select()
    .from(workOrderJobSheets)
    .where(
      and(
        eq(workOrderJobSheets.orgId, orgId),
        eq(workOrderJobSheets.workOrderId, workOrderId),
        eq(workOrderJobSheets.id, sheetId),
      ),
    );
  if (!sheet) throw notFound("That job sheet");
  return sheet;
}

// ——— Sheets with their answers ———————————————————————————————————————————————————————————————

/**
 * A work order's sheets, each with its items in order and their answers (who, when, the photo).
 * No permission check: callers have found the work order or visit through one.
 */
export async function jobSheetsOf(db: DbOrTx, orgId: string, workOrderId: string) {
  const [sheets, rows] = await Promise.all([
    db
      .select()
      .from(workOrderJobSheets)
      .where(and(eq(workOrderJobSheets.orgId, orgId), eq(workOrderJobSheets.workOrderId, workOrderId)))
      .orderBy(asc(workOrderJobSheets.createdAt), asc(workOrderJobSheets.name)),
    db
      .select({
        item: workOrderJobSheetItems,
        answer: jobSheetAnswers,
        answeredByName: users.name,
      })
      .from(workOrderJobSheetItems)
      .innerJoin(
        workOrderJobSheets,
        and(
          eq(workOrderJobSheets.orgId, workOrderJobSheetItems.orgId),
          eq(workOrderJobSheets.id, workOrderJobSheetItems.sheetId),
        ),
      )
      .leftJoin(
        jobSheetAnswers,
        and(
          eq(jobSheetAnswers.orgId, workOrderJobSheetItems.orgId),
          eq(jobSheetAnswers.itemId, workOrderJobSheetItems.id),
        ),
      )
      .leftJoin(users, and(eq(users.orgId, jobSheetAnswers.orgId), eq(users.id, jobSheetAnswers.answeredBy)))
      .where(and(eq(workOrderJobSheets.orgId, orgId), eq(workOrderJobSheets.workOrderId, workOrderId)))
      .orderBy(asc(workOrderJobSheetItems.position)),
  ]);
  return sheets.map((sheet) => {
    const items = rows
      .filter((r) => r.item.sheetId === sheet.id)
      .map((r) => ({
        ...r.item,
        answer: r.answer ? { ...r.answer, answeredByName: r.answeredByName } : null,
      }));
    return {
      sheet,
      items,
      answered: items.filter((i) => i.answer).length,
      missing: items.filter(isMissing),
    };
  });
}

export type JobSheetView = Awaited<ReturnType<typeof jobSheetsOf>>[number];
export type JobSheetItemView = JobSheetView["items"][number];

const isMissing = (item: { required: boolean; answer: unknown }) => item.required && !item.answer;

/** The answer as people read it: "Yes", "12.5", "Photo attached", "—". */
export function readableAnswer(item: JobSheetItemView): string {
  return answerText(item.kind, item.answer?.value ?? null, Boolean(item.answer?.photoId));
}

/**
 * The required items of a work order's sheets still unanswered, as "Sheet › Section: label";
 * a visit is completed only when there are none.
 */
export async function missingRequiredItems(db: DbOrTx, orgId: string, workOrderId: string) {
  const sheets = await jobSheetsOf(db, orgId, workOrderId);
  return sheets.flatMap(({ sheet, missing }) =>
    missing.map((item) => ({
      itemId: item.id,
      text: `${sheet.name} › ${SECTION_LABELS[item.section]}: ${item.label}`,
    })),
  );
}

/** The refusal of a completion with required items unanswered, listing them (and marking them). */
export function missingItemsError(missing: { itemId: string; text: string }[]) {
  const listed = missing.slice(0, 10).map((m) => m.text);
  const more = missing.length > 10 ? `; and ${missing.length - 10} more` : "";
  return conflict(
    `Answer the required checklist items before completing the visit: ${listed.join("; ")}${more}.`,
    Object.fromEntries(
      missing.map((m) => [answerField(m.itemId), "Required before the visit is completed."]),
    ),
  );
}

/** The form field of an item's answer (and the key of its error). */
export const answerField = (itemId: string) => `a-${itemId}`;

// ——— Answering ———————————————————————————————————————————————————————————————————————————————

export interface AnswerInput {
  /** The items the form held: a listed item sent empty is cleared (an unticked box sends nothing). */
  itemIds: string[];
  /** The text fields of the form by name (`a-<item id>`). */
  values: Record<string, string>;
  /** Photos for photo items, by the same names; an item without a new photo keeps its photo. */
  photos: Record<string, File | undefined>;
}

/**
 * The technician answers items of one of the work order's sheets on their visit (a dispatcher may
 * too). Everything is checked before anything is saved; each changed answer is one event.
 */
export async function answerJobSheet(ctx: Ctx, appointmentId: string, sheetId: string, input: AnswerInput) {
  if (!can(ctx.actor, "fsm.field") && !can(ctx.actor, "fsm.manage")) throw forbidden();
  const orgId = ctx.actor.orgId;
  const appointment = await findAppointment(ctx.db, ctx, appointmentId);
  const sheet = await findSheet(ctx.db, orgId, appointment.workOrderId, sheetId);
  if (isVisitFinished(appointment))
    throw conflict("This visit is finished; its checklist can no longer change.");
  const items = await ctx.db
    .select()
    .from(workOrderJobSheetItems)
    .where(and(eq(workOrderJobSheetItems.orgId, orgId), eq(workOrderJobSheetItems.sheetId, sheet.id)));
  const listed = new Set(input.itemIds);
  const fields: FieldErrors = {};
  const values = new Map<string, string | null>();
  const photoFiles: { itemId: string; file: File }[] = [];
  for (const item of items.filter((i) => listed.has(i.id))) {
    const name = answerField(item.id);
    if (item.kind === "photo") {
      const file = input.photos[name];
      if (file && file.size > 0) photoFiles.push({ itemId: item.id, file });
      continue;
    }
    const result = normalizeAnswer(item, input.values[name] ?? "");
    if ("error" in result) fields[name] = result.error;
    else values.set(item.id, result.value);
  }
  if (Object.keys(fields).length) throw invalid(fields);
  const photos = new Map<string, PreparedPhoto>();
  for (const { itemId, file } of photoFiles) {
    const item = items.find((i) => i.id === itemId)!;
    photos.set(
      itemId,
      await preparePhoto(ctx, { file, caption: item.label.slice(0, 500) }, answerField(itemId)),
    );
  }
  return ctx.db.transaction(async (tx) => {
    const visit = await findAppointment(tx, ctx, appointment.id, { forUpdate: true });
    if (isVisitFinished(visit)) throw conflict("This visit is finished; its checklist can no longer change.");
    const wo = await findWorkOrder(tx, ctx, visit.workOrderId);
    if (wo.status === "closed" || wo.status === "cancelled")
      throw conflict(`The work order is ${wo.status}; its checklist can no longer change.`);
    const touched = [...values.keys(), ...photos.keys()];
    const current = touched.length
      ? await tx
          .select()
          .from(jobSheetAnswers)
          .where(and(eq(jobSheetAnswers.orgId, orgId), inArray(jobSheetAnswers.itemId, touched)))
      : [];
    const before = new Map(current.map((a) => [a.itemId, a]));
    const changes: { itemId: string; from: string | null; to: string | null }[] = [];
    for (const [itemId, value] of values) {
      const from = before.get(itemId)?.value ?? null;
      if (from === value) continue;
      await saveAnswer(tx, ctx, visit.id, itemId, value === null ? null : { value, photoId: null });
      changes.push({ itemId, from, to: value });
    }
    for (const [itemId, prepared] of photos) {
      const photo = await insertPhoto(tx, ctx, visit, prepared);
      await saveAnswer(tx, ctx, visit.id, itemId, { value: null, photoId: photo.id });
      changes.push({ itemId, from: before.get(itemId)?.photoId ?? null, to: photo.id });
    }
    await appendEvents(
      tx,
      ctx,
      changes.map((change) => ({
        type: "job_sheet.answered",
        ticketId: wo.ticketId,
        data: {
          workOrderId: wo.id,
          appointmentId: visit.id,
          sheetId: sheet.id,
          itemId: change.itemId,
          label: items.find((i) => i.id === change.itemId)?.label,
          from: change.from,
          to: change.to,
        },
      })),
    );
    return changes.length;
  });
}

async function saveAnswer(
  tx: DbOrTx,
  ctx: Ctx,
  appointmentId: string,
  itemId: string,
  answer: { value: string | null; photoId: string | null } | null,
) {
  const orgId = ctx.actor.orgId;
  if (!answer) {
    await tx
      .delete(jobSheetAnswers)
      .where(and(eq(jobSheetAnswers.orgId, orgId), eq(jobSheetAnswers.itemId, itemId)));
    return;
  }
  const row = {
    ...answer,
    appointmentId,
    answeredBy: ctx.actor.userId ?? null,
    answeredAt: ctx.now,
  };
  await tx
    .insert(jobSheetAnswers)
    .values({ orgId, itemId, ...row })
    .onConflictDoUpdate({ target: jobSheetAnswers.itemId, set: row });
}

/** The service catalog, for the template form's "attach automatically" choice. */
export async function serviceChoices(ctx: Ctx) {
  requirePermission(ctx.actor, "fsm.manage");
  return ctx.db
    .select({ id: services.id, name: services.name })
    .from(services)
    .where(eq(services.orgId, ctx.actor.orgId))
    .orderBy(asc(services.name));
}

/** A template as the form shows it: its fields and each section's items, one per line. */
export function templateFormValues(detail: TemplateDetail): Record<string, string> {
  return {
    name: detail.template.name,
    description: detail.template.description,
    ...sectionTexts(detail.items),
  };
}
