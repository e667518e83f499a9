// Timesheets: a technician's day from what the phone recorded — travel from "on my way" to
// "arrived", work from the visit clock — plus entries added by hand, submitted at the end of the
// day and approved (or sent back) by a supervisor. Submitting freezes the totals; a sheet sent back
// can be corrected and submitted again.
import { and, asc, desc, eq, gte, inArray, lt } from "drizzle-orm";
import {
  appointments,
  events,
  TIMESHEET_ENTRY_KINDS,
  type TimesheetEntryKind,
  type TimesheetStatus,
  timeEntries,
  timesheetEntries,
  timesheets,
  users,
  workOrders,
} from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import { conflict, type FieldErrors, forbidden, invalid, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { organizationTimeZone } from "../orgs/resolve";
import { isOneOf, isUuid } from "../tickets/rules";
import { instantToLocal, localToInstant, startOfDay } from "./field";
import { formatWorkOrderNumber } from "./rules";

export interface SheetLine {
  kind: TimesheetEntryKind;
  startedAt: Date;
  endedAt: Date | null;
  minutes: number;
  /** What it was: "WO-000045 Aircon not cooling", or the note of a manual entry. */
  label: string;
  /** Manual entries can be removed while the sheet is open. */
  manualId?: string;
}

export interface Timesheet {
  userId: string;
  userName: string;
  day: string;
  status: TimesheetStatus;
  lines: SheetLine[];
  totals: Record<string, number>;
  submittedAt: Date | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  /** The technician may still add, remove and submit. */
  editable: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const minutesBetween = (from: Date, to: Date) =>
  Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));

function checkDay(day: string): string {
  if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw invalid({ day: "Choose a day." });
  return day;
}

/** Whose sheet the actor may see: their own (technicians), anyone's (field-service managers). */
function readableUser(ctx: Ctx, userId: string | undefined): string {
  const own = ctx.actor.userId;
  if (!userId || userId === own) {
    if (!can(ctx.actor, "fsm.field") && !can(ctx.actor, "fsm.manage")) throw forbidden();
    if (!own) throw forbidden();
    return own;
  }
  if (!can(ctx.actor, "fsm.manage")) throw forbidden();
  if (!isUuid(userId)) throw notFound("That timesheet");
  return userId;
}

async function dayBounds(ctx: Ctx, day: string) {
  const zone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
  const from = startOfDay(new Date(`${day}T12:00:00Z`), zone);
  const to = startOfDay(new Date(from.getTime() + 36 * 3_600_000), zone);
  return { zone, from, to };
}

/** Travel: from each "travelling" to the next status change of the same visit by the same person. */
async function travelLines(ctx: Ctx, userId: string, from: Date, to: Date): Promise<SheetLine[]> {
  const rows = await ctx.db
    .select({ data: events.data, at: events.createdAt })
    .from(events)
    .where(
      and(
        eq(events.orgId, ctx.actor.orgId),
        eq(events.type, "appointment.status_changed"),
        eq(events.actorUserId, userId),
        gte(events.createdAt, from),
        lt(events.createdAt, to),
      ),
    )
    .orderBy(asc(events.seq));
  const started = new Map<string, Date>();
  const lines: SheetLine[] = [];
  for (const row of rows) {
    const data = row.data as { appointmentId?: string; to?: string };
    if (!data.appointmentId) continue;
    const begun = started.get(data.appointmentId);
    if (begun) {
      lines.push({
        kind: "travel",
        startedAt: begun,
        endedAt: row.at,
        minutes: minutesBetween(begun, row.at),
        label: data.appointmentId,
      });
      started.delete(data.appointmentId);
    }
    if (data.to === "travelling") started.set(data.appointmentId, row.at);
  }
  return lines;
}

async function workLines(ctx: Ctx, userId: string, from: Date, to: Date, now: Date): Promise<SheetLine[]> {
  const rows = await ctx.db
    .select({
      startedAt: timeEntries.startedAt,
      endedAt: timeEntries.endedAt,
      appointmentId: timeEntries.appointmentId,
      number: workOrders.number,
      subject: workOrders.subject,
    })
    .from(timeEntries)
    .innerJoin(
      appointments,
      and(eq(appointments.orgId, timeEntries.orgId), eq(appointments.id, timeEntries.appointmentId)),
    )
    .innerJoin(
      workOrders,
      and(eq(workOrders.orgId, appointments.orgId), eq(workOrders.id, appointments.workOrderId)),
    )
    .where(
      and(
        eq(timeEntries.orgId, ctx.actor.orgId),
        eq(timeEntries.userId, userId),
        gte(timeEntries.startedAt, from),
        lt(timeEntries.startedAt, to),
      ),
    )
    .orderBy(asc(timeEntries.startedAt));
  return rows.map((r) => ({
    kind: "work" as const,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    minutes: minutesBetween(r.startedAt, r.endedAt ?? now),
    label: `${formatWorkOrderNumber(r.number)} ${r.subject}`,
  }));
}

export async function getTimesheet(ctx: Ctx, input: { day: string; userId?: string }): Promise<Timesheet> {
  const day = checkDay(input.day);
  const userId = readableUser(ctx, input.userId);
  const [user] = await ctx.db
    .select({ name: users.name })
    .from(users)
    .where(and(eq(users.orgId, ctx.actor.orgId), eq(users.id, userId)));
  if (!user) throw notFound("That timesheet");
  const { from, to } = await dayBounds(ctx, day);
  const [sheetRows, manual, travel, work] = await Promise.all([
    ctx.db
      .select()
      .from(timesheets)
      .where(
        and(eq(timesheets.orgId, ctx.actor.orgId), eq(timesheets.userId, userId), eq(timesheets.day, day)),
      ),
    ctx.db
      .select()
      .from(timesheetEntries)
      .where(
        and(
          eq(timesheetEntries.orgId, ctx.actor.orgId),
          eq(timesheetEntries.userId, userId),
          eq(timesheetEntries.day, day),
        ),
      ),
    travelLines(ctx, userId, from, to),
    workLines(ctx, userId, from, to, ctx.now),
  ]);
  const travelLabels = await visitLabels(
    ctx,
    travel.map((t) => t.label),
  );
  const lines: SheetLine[] = [
    ...travel.map((t) => ({ ...t, label: `Travel to ${travelLabels.get(t.label) ?? "a visit"}` })),
    ...work,
    ...manual.map((m) => ({
      kind: m.kind,
      startedAt: m.startedAt,
      endedAt: m.endedAt,
      minutes: minutesBetween(m.startedAt, m.endedAt),
      label: m.note ?? "",
      manualId: m.id,
    })),
  ].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const sheet = sheetRows[0];
  const status = sheet?.status ?? "open";
  const totals = status === "submitted" || status === "approved" ? sheet.totals : totalsOf(lines);
  return {
    userId,
    userName: user.name,
    day,
    status,
    lines,
    totals,
    submittedAt: sheet?.submittedAt ?? null,
    decidedAt: sheet?.decidedAt ?? null,
    decisionNote: sheet?.decisionNote ?? null,
    editable: userId === ctx.actor.userId && (status === "open" || status === "rejected"),
  };
}

async function visitLabels(ctx: Ctx, appointmentIds: string[]) {
  const ids = [...new Set(appointmentIds)];
  if (ids.length === 0) return new Map<string, string>();
  const rows = await ctx.db
    .select({ id: appointments.id, number: workOrders.number, subject: workOrders.subject })
    .from(appointments)
    .innerJoin(
      workOrders,
      and(eq(workOrders.orgId, appointments.orgId), eq(workOrders.id, appointments.workOrderId)),
    )
    .where(and(eq(appointments.orgId, ctx.actor.orgId), inArray(appointments.id, ids)));
  return new Map(rows.map((r) => [r.id, `${formatWorkOrderNumber(r.number)} ${r.subject}`]));
}

function totalsOf(lines: SheetLine[]): Record<string, number> {
  const totals: Record<string, number> = { total: 0 };
  for (const line of lines) {
    totals[line.kind] = (totals[line.kind] ?? 0) + line.minutes;
    if (line.kind !== "break") totals.total += line.minutes;
  }
  return totals;
}

async function requireEditable(ctx: Ctx, day: string) {
  if (!can(ctx.actor, "fsm.field") || !ctx.actor.userId) throw forbidden();
  const [sheet] = await ctx.db
    .select({ status: timesheets.status })
    .from(timesheets)
    .where(
      and(
        eq(timesheets.orgId, ctx.actor.orgId),
        eq(timesheets.userId, ctx.actor.userId),
        eq(timesheets.day, day),
      ),
    );
  if (sheet && (sheet.status === "submitted" || sheet.status === "approved"))
    throw conflict(`This day's timesheet is ${sheet.status}; it can no longer change.`);
}

export interface ManualEntryInput {
  day: string;
  kind: string;
  /** "09:30" on the organization's clock. */
  from: string;
  to: string;
  note?: string;
}

export async function addTimesheetEntry(ctx: Ctx, input: ManualEntryInput) {
  const day = checkDay(input.day);
  await requireEditable(ctx, day);
  const zone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
  const fields: FieldErrors = {};
  if (!isOneOf(TIMESHEET_ENTRY_KINDS, input.kind)) fields.kind = "Choose what the time was for.";
  const startedAt = /^\d{2}:\d{2}$/.test(input.from)
    ? localToInstant(`${day}T${input.from}`, zone)
    : undefined;
  const endedAt = /^\d{2}:\d{2}$/.test(input.to) ? localToInstant(`${day}T${input.to}`, zone) : undefined;
  if (!startedAt) fields.from = "Enter a time such as 09:30.";
  if (!endedAt) fields.to = "Enter a time such as 11:00.";
  else if (startedAt && endedAt <= startedAt) fields.to = "The end must come after the start.";
  const note = (input.note ?? "").trim();
  if (note.length > 500) fields.note = "Keep the note under 500 characters.";
  if (Object.keys(fields).length || !startedAt || !endedAt) throw invalid(fields);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(timesheetEntries)
      .values({
        orgId: ctx.actor.orgId,
        userId: ctx.actor.userId as string,
        day,
        kind: input.kind as TimesheetEntryKind,
        startedAt,
        endedAt,
        note: note || null,
        createdAt: ctx.now,
      })
      .returning();
    await appendEvent(tx, ctx, {
      type: "timesheet.entry_added",
      data: { day, kind: row.kind, from: instantToLocal(startedAt, zone), to: instantToLocal(endedAt, zone) },
    });
    return row;
  });
}

export async function removeTimesheetEntry(ctx: Ctx, entryId: string) {
  if (!isUuid(entryId)) throw notFound("That entry");
  const [entry] = await ctx.db
    .select()
    .from(timesheetEntries)
    .where(and(eq(timesheetEntries.orgId, ctx.actor.orgId), eq(timesheetEntries.id, entryId)));
  if (!entry || entry.userId !== ctx.actor.userId) throw notFound("That entry");
  await requireEditable(ctx, entry.day);
  await ctx.db.transaction(async (tx) => {
    await tx.delete(timesheetEntries).where(eq(timesheetEntries.id, entry.id));
    await appendEvent(tx, ctx, {
      type: "timesheet.entry_removed",
      data: { day: entry.day, kind: entry.kind },
    });
  });
  return entry.day;
}

/** The technician hands in the day: its totals are frozen until a supervisor decides. */
export async function submitTimesheet(ctx: Ctx, dayInput: string) {
  const day = checkDay(dayInput);
  await requireEditable(ctx, day);
  const sheet = await getTimesheet(ctx, { day });
  if (sheet.lines.length === 0) throw conflict("There is no time on this day to submit.");
  if (sheet.lines.some((l) => l.endedAt === null))
    throw conflict("Stop the running clock before submitting the day.");
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(timesheets)
      .values({
        orgId: ctx.actor.orgId,
        userId: sheet.userId,
        day,
        status: "submitted",
        totals: sheet.totals,
        submittedAt: ctx.now,
      })
      .onConflictDoUpdate({
        target: [timesheets.orgId, timesheets.userId, timesheets.day],
        set: {
          status: "submitted",
          totals: sheet.totals,
          submittedAt: ctx.now,
          decidedBy: null,
          decidedAt: null,
        },
      });
    await appendEvent(tx, ctx, { type: "timesheet.submitted", data: { day, totals: sheet.totals } });
  });
}

/** A supervisor approves a submitted day, or sends it back with a reason. */
export async function decideTimesheet(
  ctx: Ctx,
  input: { userId: string; day: string; decision: string; note?: string },
) {
  requirePermission(ctx.actor, "timesheets.approve");
  const day = checkDay(input.day);
  if (!isUuid(input.userId)) throw notFound("That timesheet");
  const note = (input.note ?? "").trim();
  if (input.decision !== "approve" && input.decision !== "reject")
    throw invalid({ decision: "Approve or send back." });
  if (input.decision === "reject" && !note) throw invalid({ note: "Say what needs correcting." });
  if (note.length > 500) throw invalid({ note: "Keep the note under 500 characters." });
  await ctx.db.transaction(async (tx) => {
    const [sheet] = await tx
      .select()
      .from(timesheets)
      .where(
        and(
          eq(timesheets.orgId, ctx.actor.orgId),
          eq(timesheets.userId, input.userId),
          eq(timesheets.day, day),
        ),
      )
      .for("update");
    if (!sheet) throw notFound("That timesheet");
    if (sheet.status !== "submitted")
      throw conflict(`This timesheet is ${sheet.status}, not waiting for a decision.`);
    const status = input.decision === "approve" ? "approved" : "rejected";
    await tx
      .update(timesheets)
      .set({ status, decidedBy: ctx.actor.userId ?? null, decidedAt: ctx.now, decisionNote: note || null })
      .where(eq(timesheets.id, sheet.id));
    await appendEvent(tx, ctx, {
      type: `timesheet.${status}`,
      data: { userId: input.userId, day, note: note || undefined },
    });
  });
}

/** Submitted (or other) sheets for supervisors, oldest day first. */
export async function listTimesheets(ctx: Ctx, status: string = "submitted") {
  requirePermission(ctx.actor, "timesheets.approve");
  const wanted: TimesheetStatus = isOneOf(["submitted", "approved", "rejected"] as const, status)
    ? status
    : "submitted";
  return ctx.db
    .select({
      userId: timesheets.userId,
      userName: users.name,
      day: timesheets.day,
      status: timesheets.status,
      totals: timesheets.totals,
      submittedAt: timesheets.submittedAt,
    })
    .from(timesheets)
    .innerJoin(users, and(eq(users.orgId, timesheets.orgId), eq(users.id, timesheets.userId)))
    .where(and(eq(timesheets.orgId, ctx.actor.orgId), eq(timesheets.status, wanted)))
    .orderBy(wanted === "submitted" ? asc(timesheets.day) : desc(timesheets.day), asc(users.name))
    .limit(200);
}
