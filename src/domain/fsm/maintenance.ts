// Preventive maintenance plans: "service the chiller every 3 months", for an asset or a whole
// service location. A daily job makes each occurrence's work order a set number of days ahead.
// Exactly once per occurrence: the job first claims (plan, day) in maintenance_occurrences, whose
// unique key lets only one claim through, and makes the work order in the claim's transaction.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  assets,
  INTERVAL_UNITS,
  type IntervalUnit,
  lineItems,
  maintenanceOccurrences,
  maintenancePlanLines,
  maintenancePlanSkills,
  maintenancePlans,
  organizations,
  RECURRENCE_KINDS,
  type RecurrenceKind,
  serviceLocations,
  skills,
  WORK_ORDER_PRIORITIES,
  type WorkOrderPriority,
  workOrders,
} from "../../../db/schema";
import { type Ctx, can, requirePermission, systemActor } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { enqueue } from "../jobs/queue";
import { organizationTimeZone } from "../orgs/resolve";
import { isOneOf, isUuid } from "../tickets/rules";
import { instantToLocal } from "./field";
import { attachTemplatesForServices } from "./jobSheets";
import { copyLine, type LineInput, priceLine } from "./lines";
import { totals } from "./money";
import {
  isCalendarDay,
  occurrencesBetween,
  parseDateList,
  parseRRule,
  plusDays,
  type Recurrence,
  RRuleError,
} from "./recurrence";
import { insertWorkOrder } from "./workOrders";

export const MAINTENANCE_QUEUE = "fsm.maintenance_due";
export const TITLE_MAX = 200;
export const DEFAULT_LEAD_DAYS = 14;

export type PlanRow = typeof maintenancePlans.$inferSelect;

/** The plan form as typed: every value a string, so a failed form comes back exactly as it was. */
export interface PlanInput {
  title: string;
  description?: string;
  assetId?: string;
  locationId?: string;
  priority?: string;
  durationMinutes?: string;
  skillIds?: string[];
  recurrenceKind: string;
  intervalCount?: string;
  intervalUnit?: string;
  /** For "dates": one per line (or separated by commas). */
  dates?: string;
  rrule?: string;
  startsOn: string;
  endsOn?: string;
  leadDays?: string;
  active?: boolean;
}

/** The recurrence a stored plan follows. */
export function recurrenceOf(plan: PlanRow): Recurrence {
  if (plan.recurrenceKind === "dates") return { kind: "dates", dates: plan.dates ?? [] };
  if (plan.recurrenceKind === "rrule") return { kind: "rrule", rule: parseRRule(plan.rrule ?? "") };
  return { kind: "interval", every: plan.intervalCount ?? 1, unit: plan.intervalUnit ?? "month" };
}

const whole = (text: string | undefined, fallback: number) => {
  const t = (text ?? "").trim();
  return t === "" ? fallback : /^\d+$/.test(t) ? Number(t) : Number.NaN;
};

type CheckedPlan = Omit<typeof maintenancePlans.$inferInsert, "orgId" | "createdAt" | "updatedAt"> & {
  skillIds: string[];
};

/** Checks everything typed; each problem is marked on its field. */
async function checkPlan(ctx: Ctx, input: PlanInput): Promise<CheckedPlan> {
  const fields: FieldErrors = {};
  const orgId = ctx.actor.orgId;
  const title = (input.title ?? "").trim();
  if (!title) fields.title = "Give the plan a title, such as “Quarterly chiller service”.";
  else if (title.length > TITLE_MAX) fields.title = `Keep the title under ${TITLE_MAX} characters.`;
  const description = (input.description ?? "").trim();
  if (description.length > 5000) fields.description = "Keep the description under 5,000 characters.";
  const priority = (input.priority || "normal") as WorkOrderPriority;
  if (!isOneOf(WORK_ORDER_PRIORITIES, priority)) fields.priority = "Choose a priority.";
  const durationMinutes = whole(input.durationMinutes, 60);
  if (!(durationMinutes >= 1 && durationMinutes <= 1440))
    fields.durationMinutes = "Enter the minutes the work takes, from 1 to 1440.";
  const leadDays = whole(input.leadDays, DEFAULT_LEAD_DAYS);
  if (!(leadDays >= 0 && leadDays <= 365)) fields.leadDays = "Enter a number of days from 0 to 365.";

  // What is maintained: an asset (its location and customer follow) or a service location.
  let locationId: string | null = input.locationId || null;
  let assetId: string | null = input.assetId || null;
  if (assetId) {
    const [asset] = isUuid(assetId)
      ? await ctx.db
          .select({ id: assets.id, locationId: assets.locationId })
          .from(assets)
          .where(and(eq(assets.orgId, orgId), eq(assets.id, assetId)))
      : [];
    if (!asset) fields.assetId = "Choose an asset from the list.";
    else locationId ||= asset.locationId;
    assetId = asset?.id ?? null;
  }
  let contactId: string | null = null;
  let companyId: string | null = null;
  if (locationId) {
    const [location] = isUuid(locationId)
      ? await ctx.db
          .select({
            id: serviceLocations.id,
            contactId: serviceLocations.contactId,
            companyId: serviceLocations.companyId,
          })
          .from(serviceLocations)
          .where(and(eq(serviceLocations.orgId, orgId), eq(serviceLocations.id, locationId)))
      : [];
    if (!location) fields.locationId = "Choose a service location from the list.";
    else ({ contactId, companyId } = location);
  }
  if (!assetId && !input.locationId && !fields.assetId)
    fields.assetId = "Choose the asset or the service location the plan is for.";

  const skillIds = [...new Set((input.skillIds ?? []).filter(Boolean))];
  if (skillIds.length) {
    const found = skillIds.every(isUuid)
      ? await ctx.db
          .select({ id: skills.id })
          .from(skills)
          .where(and(eq(skills.orgId, orgId), inArray(skills.id, skillIds)))
      : [];
    if (found.length !== skillIds.length) fields.skillIds = "Choose skills from the list.";
  }

  const startsOn = (input.startsOn ?? "").trim();
  if (!isCalendarDay(startsOn)) fields.startsOn = "Enter the first day, such as 2026-12-01.";
  const endsOn = (input.endsOn ?? "").trim() || null;
  if (endsOn && !isCalendarDay(endsOn)) fields.endsOn = "Enter a date such as 2027-12-31, or leave it empty.";
  else if (endsOn && isCalendarDay(startsOn) && endsOn < startsOn)
    fields.endsOn = "The plan cannot end before it starts.";

  const recurrence = checkRecurrence(input, fields);
  if (Object.keys(fields).length) throw invalid(fields);
  return {
    title,
    description,
    assetId,
    locationId,
    contactId,
    companyId,
    priority,
    durationMinutes,
    leadDays,
    startsOn,
    endsOn,
    active: input.active ?? true,
    skillIds,
    ...recurrence,
  };
}

function checkRecurrence(input: PlanInput, fields: FieldErrors) {
  const kind = input.recurrenceKind as RecurrenceKind;
  const none = { intervalCount: null, intervalUnit: null, dates: null, rrule: null };
  if (!isOneOf(RECURRENCE_KINDS, kind)) {
    fields.recurrenceKind = "Choose how the plan repeats.";
    return { recurrenceKind: "interval" as const, ...none };
  }
  if (kind === "interval") {
    const intervalCount = whole(input.intervalCount, Number.NaN);
    if (!(intervalCount >= 1 && intervalCount <= 1000))
      fields.intervalCount = "Enter how many days, weeks or months apart, from 1 to 1000.";
    const unit = input.intervalUnit as IntervalUnit;
    if (!isOneOf(INTERVAL_UNITS, unit)) fields.intervalUnit = "Choose days, weeks or months.";
    return { recurrenceKind: kind, ...none, intervalCount, intervalUnit: unit };
  }
  if (kind === "dates") {
    const { dates, bad } = parseDateList(input.dates ?? "");
    if (bad.length) fields.dates = `Not a date: ${bad.slice(0, 3).join(", ")}. Write dates as 2026-12-01.`;
    else if (dates.length === 0) fields.dates = "List at least one date, such as 2026-12-01.";
    else if (dates.length > 500) fields.dates = "List at most 500 dates.";
    return { recurrenceKind: kind, ...none, dates };
  }
  const rrule = (input.rrule ?? "").trim();
  try {
    parseRRule(rrule);
  } catch (error) {
    if (!(error instanceof RRuleError)) throw error;
    fields.rrule = error.message;
  }
  return { recurrenceKind: kind, ...none, rrule };
}

async function findPlan(db: DbOrTx, ctx: Ctx, id: string, options: { forUpdate?: boolean } = {}) {
  requirePermission(ctx.actor, "maintenance.manage");
  if (!isUuid(id)) throw notFound("That maintenance plan");
  let query = db
    .select()
    .from(maintenancePlans)
    .where(and(eq(maintenancePlans.orgId, ctx.actor.orgId), eq(maintenancePlans.id, id)))
    .$dynamic();
  if (options.forUpdate) query = query.for("update");
  const [plan] = await query;
  if (!plan) throw notFound("That maintenance plan");
  return plan;
}

async function saveSkills(tx: DbOrTx, orgId: string, planId: string, skillIds: string[]) {
  await tx
    .delete(maintenancePlanSkills)
    .where(and(eq(maintenancePlanSkills.orgId, orgId), eq(maintenancePlanSkills.planId, planId)));
  if (skillIds.length)
    await tx.insert(maintenancePlanSkills).values(skillIds.map((skillId) => ({ orgId, planId, skillId })));
}

export async function createPlan(ctx: Ctx, input: PlanInput): Promise<PlanRow> {
  requirePermission(ctx.actor, "maintenance.manage");
  const { skillIds, ...values } = await checkPlan(ctx, input);
  return ctx.db.transaction(async (tx) => {
    const [plan] = await tx
      .insert(maintenancePlans)
      .values({ ...values, orgId: ctx.actor.orgId, createdAt: ctx.now, updatedAt: ctx.now })
      .returning();
    await saveSkills(tx, ctx.actor.orgId, plan.id, skillIds);
    await appendEvent(tx, ctx, {
      type: "maintenance.plan_created",
      data: { planId: plan.id, title: plan.title },
    });
    await lookSoon(tx, plan, ctx.now);
    return plan;
  });
}

/** Saves the plan's form. Work orders already made stay as they are. */
export async function updatePlan(ctx: Ctx, id: string, input: PlanInput): Promise<PlanRow> {
  requirePermission(ctx.actor, "maintenance.manage");
  const { skillIds, ...values } = await checkPlan(ctx, input);
  return ctx.db.transaction(async (tx) => {
    const before = await findPlan(tx, ctx, id, { forUpdate: true });
    const [plan] = await tx
      .update(maintenancePlans)
      .set({ ...values, active: input.active ?? before.active, updatedAt: ctx.now })
      .where(and(eq(maintenancePlans.orgId, ctx.actor.orgId), eq(maintenancePlans.id, before.id)))
      .returning();
    await saveSkills(tx, ctx.actor.orgId, plan.id, skillIds);
    await appendEvent(tx, ctx, {
      type: "maintenance.plan_updated",
      data: { planId: plan.id, title: plan.title },
    });
    await lookSoon(tx, plan, ctx.now);
    return plan;
  });
}

/** Pauses (no more work orders are made) or resumes a plan. */
export async function setPlanActive(ctx: Ctx, id: string, active: boolean): Promise<PlanRow> {
  return ctx.db.transaction(async (tx) => {
    const plan = await findPlan(tx, ctx, id, { forUpdate: true });
    if (plan.active === active) return plan;
    const [row] = await tx
      .update(maintenancePlans)
      .set({ active, updatedAt: ctx.now })
      .where(and(eq(maintenancePlans.orgId, ctx.actor.orgId), eq(maintenancePlans.id, plan.id)))
      .returning();
    await appendEvent(tx, ctx, {
      type: active ? "maintenance.plan_resumed" : "maintenance.plan_paused",
      data: { planId: plan.id, title: plan.title },
    });
    if (active) await lookSoon(tx, row, ctx.now);
    return row;
  });
}

/**
 * A new or changed plan may already have an occurrence within its lead days: the job runs once
 * more right after the change commits instead of waiting for tomorrow's run.
 */
async function lookSoon(tx: DbOrTx, plan: PlanRow, now: Date) {
  await enqueue(tx, now, {
    queue: MAINTENANCE_QUEUE,
    orgId: plan.orgId,
    idempotencyKey: `plan:${plan.id}:${now.toISOString()}`,
  });
}

async function orgCurrency(db: DbOrTx, orgId: string) {
  const [org] = await db
    .select({ currency: organizations.currency })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return org?.currency ?? "USD";
}

export async function addPlanLine(ctx: Ctx, id: string, input: LineInput) {
  const plan = await findPlan(ctx.db, ctx, id);
  const fields: FieldErrors = {};
  const line = await priceLine(
    ctx.db,
    ctx.actor.orgId,
    await orgCurrency(ctx.db, ctx.actor.orgId),
    input,
    fields,
    {
      typedPrices: true,
    },
  );
  if (!line) throw invalid(fields);
  return ctx.db.transaction(async (tx) => {
    await findPlan(tx, ctx, plan.id, { forUpdate: true });
    const [{ last }] = await tx
      .select({ last: sql<number>`coalesce(max(${maintenancePlanLines.position}), 0)::int` })
      .from(maintenancePlanLines)
      .where(and(eq(maintenancePlanLines.orgId, ctx.actor.orgId), eq(maintenancePlanLines.planId, plan.id)));
    const [row] = await tx
      .insert(maintenancePlanLines)
      .values({ orgId: ctx.actor.orgId, planId: plan.id, ...line, position: last + 1, createdAt: ctx.now })
      .returning();
    await appendEvent(tx, ctx, {
      type: "maintenance.plan_line_added",
      data: { planId: plan.id, lineId: row.id, kind: row.kind, quantity: row.quantity },
    });
    return row;
  });
}

export async function removePlanLine(ctx: Ctx, id: string, lineId: string) {
  if (!isUuid(lineId)) throw notFound("That line");
  return ctx.db.transaction(async (tx) => {
    const plan = await findPlan(tx, ctx, id, { forUpdate: true });
    const removed = await tx
      .delete(maintenancePlanLines)
      .where(
        and(
          eq(maintenancePlanLines.orgId, ctx.actor.orgId),
          eq(maintenancePlanLines.planId, plan.id),
          eq(maintenancePlanLines.id, lineId),
        ),
      )
      .returning({ id: maintenancePlanLines.id });
    if (removed.length === 0) throw notFound("That line");
    await appendEvent(tx, ctx, { type: "maintenance.plan_line_removed", data: { planId: plan.id, lineId } });
  });
}

function planLines(db: DbOrTx, orgId: string, planId: string) {
  return db
    .select()
    .from(maintenancePlanLines)
    .where(and(eq(maintenancePlanLines.orgId, orgId), eq(maintenancePlanLines.planId, planId)))
    .orderBy(asc(maintenancePlanLines.position), asc(maintenancePlanLines.id));
}

/** Today in the organization's calendar. */
async function today(db: Db, orgId: string, now: Date) {
  return instantToLocal(now, await organizationTimeZone(db, orgId)).slice(0, 10);
}

/** The plan's next occurrences from `from` on (a stored rule that no longer parses has none). */
export function nextOccurrences(plan: PlanRow, from: string, limit: number): string[] {
  try {
    return occurrencesBetween(
      recurrenceOf(plan),
      { start: plan.startsOn, end: plan.endsOn },
      { from, to: plusDays(from, 366 * 20) },
      limit,
    );
  } catch {
    return [];
  }
}

export async function listPlans(ctx: Ctx) {
  requirePermission(ctx.actor, "maintenance.manage");
  const orgId = ctx.actor.orgId;
  const day = await today(ctx.db, orgId, ctx.now);
  const rows = await ctx.db
    .select({
      plan: maintenancePlans,
      assetType: assets.type,
      assetSerial: assets.serial,
      locationName: serviceLocations.name,
    })
    .from(maintenancePlans)
    .leftJoin(assets, and(eq(assets.orgId, maintenancePlans.orgId), eq(assets.id, maintenancePlans.assetId)))
    .leftJoin(
      serviceLocations,
      and(
        eq(serviceLocations.orgId, maintenancePlans.orgId),
        eq(serviceLocations.id, maintenancePlans.locationId),
      ),
    )
    .where(eq(maintenancePlans.orgId, orgId))
    .orderBy(desc(maintenancePlans.active), asc(maintenancePlans.title))
    .limit(500);
  return rows.map((r) => ({
    ...r,
    next: r.plan.active ? (nextOccurrences(r.plan, day, 1)[0] ?? null) : null,
  }));
}

export type PlanListRow = Awaited<ReturnType<typeof listPlans>>[number];

/** Everything the plan's page shows. */
export async function getPlan(ctx: Ctx, id: string) {
  const plan = await findPlan(ctx.db, ctx, id);
  const orgId = ctx.actor.orgId;
  const db = ctx.db;
  const [day, lines, skillRows, assetRows, locationRows, made] = await Promise.all([
    today(db, orgId, ctx.now),
    planLines(db, orgId, plan.id),
    db
      .select({ id: skills.id, name: skills.name })
      .from(maintenancePlanSkills)
      .innerJoin(
        skills,
        and(eq(skills.orgId, maintenancePlanSkills.orgId), eq(skills.id, maintenancePlanSkills.skillId)),
      )
      .where(and(eq(maintenancePlanSkills.orgId, orgId), eq(maintenancePlanSkills.planId, plan.id))),
    plan.assetId
      ? db
          .select()
          .from(assets)
          .where(and(eq(assets.orgId, orgId), eq(assets.id, plan.assetId)))
      : [],
    plan.locationId
      ? db
          .select()
          .from(serviceLocations)
          .where(and(eq(serviceLocations.orgId, orgId), eq(serviceLocations.id, plan.locationId)))
      : [],
    db
      .select({
        occursOn: maintenanceOccurrences.occursOn,
        number: workOrders.number,
        status: workOrders.status,
      })
      .from(maintenanceOccurrences)
      .leftJoin(
        workOrders,
        and(
          eq(workOrders.orgId, maintenanceOccurrences.orgId),
          eq(workOrders.id, maintenanceOccurrences.workOrderId),
        ),
      )
      .where(and(eq(maintenanceOccurrences.orgId, orgId), eq(maintenanceOccurrences.planId, plan.id)))
      .orderBy(desc(maintenanceOccurrences.occursOn))
      .limit(200),
  ]);
  const currency = await orgCurrency(db, orgId);
  return {
    plan,
    today: day,
    lines,
    totals: totals(lines),
    currency,
    skills: skillRows,
    asset: assetRows[0] ?? null,
    location: locationRows[0] ?? null,
    next: nextOccurrences(plan, day, 10),
    /** Work orders are made for occurrences up to this day. */
    horizon: plusDays(day, plan.leadDays),
    workOrders: made,
  };
}

export type PlanDetail = Awaited<ReturnType<typeof getPlan>>;

/** The plan a work order was made for, and the day it was due, for the work order's page. */
export async function planOfWorkOrder(ctx: Ctx, workOrderId: string) {
  if (!can(ctx.actor, "maintenance.manage")) return null;
  const [row] = await ctx.db
    .select({
      id: maintenancePlans.id,
      title: maintenancePlans.title,
      occursOn: maintenanceOccurrences.occursOn,
    })
    .from(maintenanceOccurrences)
    .innerJoin(
      maintenancePlans,
      and(
        eq(maintenancePlans.orgId, maintenanceOccurrences.orgId),
        eq(maintenancePlans.id, maintenanceOccurrences.planId),
      ),
    )
    .where(
      and(
        eq(maintenanceOccurrences.orgId, ctx.actor.orgId),
        eq(maintenanceOccurrences.workOrderId, workOrderId),
      ),
    );
  return row ?? null;
}

/**
 * Claims one occurrence and makes its work order, in one transaction: if another run claimed it
 * first (now or earlier), the insert does nothing and neither does this. Returns whether it made one.
 */
async function makeOccurrence(db: Db, plan: PlanRow, occursOn: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const ctx: Ctx = { db, actor: systemActor(plan.orgId), now };
    const claimed = await tx
      .insert(maintenanceOccurrences)
      .values({ orgId: plan.orgId, planId: plan.id, occursOn, createdAt: now })
      .onConflictDoNothing({
        target: [
          maintenanceOccurrences.orgId,
          maintenanceOccurrences.planId,
          maintenanceOccurrences.occursOn,
        ],
      })
      .returning({ id: maintenanceOccurrences.id });
    if (claimed.length === 0) return false;
    const skillRows = await tx
      .select({ skillId: maintenancePlanSkills.skillId })
      .from(maintenancePlanSkills)
      .where(and(eq(maintenancePlanSkills.orgId, plan.orgId), eq(maintenancePlanSkills.planId, plan.id)));
    const wo = await insertWorkOrder(
      tx,
      ctx,
      {
        subject: `${plan.title} (due ${occursOn})`,
        description: [
          plan.description,
          `Preventive maintenance due on ${occursOn}. Estimated duration: ${plan.durationMinutes} minutes.`,
        ]
          .filter(Boolean)
          .join("\n\n"),
        priority: plan.priority,
        contactId: plan.contactId,
        companyId: plan.companyId,
        locationId: plan.locationId,
        assetId: plan.assetId,
      },
      skillRows.map((s) => s.skillId),
      1,
    );
    const lines = await planLines(tx, plan.orgId, plan.id);
    if (lines.length)
      await tx.insert(lineItems).values(
        lines.map((l, i) => ({
          orgId: plan.orgId,
          workOrderId: wo.id,
          ...copyLine(l),
          // Copied lines keep their order: each a millisecond after the one before.
          createdAt: new Date(now.getTime() + i),
        })),
      );
    await tx
      .update(maintenanceOccurrences)
      .set({ workOrderId: wo.id })
      .where(eq(maintenanceOccurrences.id, claimed[0].id));
    await appendEvent(tx, ctx, {
      type: "work_order.created",
      data: {
        workOrderId: wo.id,
        number: wo.number,
        subject: wo.subject,
        priority: wo.priority,
        fromPlan: plan.id,
      },
    });
    await attachTemplatesForServices(
      tx,
      ctx,
      wo,
      lines.map((l) => l.serviceId),
    );
    await appendEvent(tx, ctx, {
      type: "maintenance.work_order_created",
      data: { planId: plan.id, occursOn, workOrderId: wo.id, number: wo.number },
    });
    return true;
  });
}

/**
 * The daily job: for every active plan of every organization, makes the work orders of the
 * occurrences from today to today + the plan's lead days (in the organization's calendar) that
 * have none yet. Safe to run twice, or on two servers at once. Returns how many it made.
 */
export async function makeDueMaintenanceWorkOrders(db: Db, now: Date): Promise<number> {
  const plans = await db.select().from(maintenancePlans).where(eq(maintenancePlans.active, true));
  let made = 0;
  for (const plan of plans) {
    const day = await today(db, plan.orgId, now);
    const due = (() => {
      try {
        return occurrencesBetween(
          recurrenceOf(plan),
          { start: plan.startsOn, end: plan.endsOn },
          { from: day, to: plusDays(day, plan.leadDays) },
        );
      } catch {
        return []; // a rule that no longer parses makes nothing; its page says so
      }
    })();
    if (due.length === 0) continue;
    const existing = new Set(
      (
        await db
          .select({ occursOn: maintenanceOccurrences.occursOn })
          .from(maintenanceOccurrences)
          .where(
            and(
              eq(maintenanceOccurrences.orgId, plan.orgId),
              eq(maintenanceOccurrences.planId, plan.id),
              inArray(maintenanceOccurrences.occursOn, due),
            ),
          )
      ).map((r) => r.occursOn),
    );
    for (const occursOn of due) {
      if (existing.has(occursOn)) continue;
      if (await makeOccurrence(db, plan, occursOn, now)) made++;
    }
  }
  return made;
}
