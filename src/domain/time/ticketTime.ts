// Time spent on tickets: a timer that runs on the server (so it survives reloads and other
// devices see it) and entries typed in afterwards, each billable or not. One timer runs per
// person: starting one stops the other. Kept apart from field service's time_entries, which
// clock a technician's visit and become labour lines on a work order.
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { tickets, ticketTimeEntries, users } from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import { conflict, type FieldErrors, forbidden, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { formatTicketNumber } from "../orgs/counters";
import { prepared } from "../prepared";
import { wallToUtc } from "../sla/zone";
import { findVisibleTicket, type TicketRef } from "../tickets/access";
import { isUuid } from "../tickets/rules";

/** A day's work at most in one entry: longer is a typing mistake, not a shift. */
export const MAX_ENTRY_MINUTES = 24 * 60;
export const NOTE_MAX = 500;

export type TimeEntryRow = typeof ticketTimeEntries.$inferSelect;

/**
 * "90", "1:30", "1h 30m", "1.5h", "45m", "2h" → minutes; undefined when it is none of those.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  if (!value) return undefined;
  if (/^\d{1,4}$/.test(value)) return Number(value);
  const clock = /^(\d{1,2}):([0-5]\d)$/.exec(value);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]);
  const units = /^(?:(\d+(?:[.,]\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?$/.exec(value);
  if (units && (units[1] || units[2])) {
    return Math.round(Number((units[1] ?? "0").replace(",", ".")) * 60) + Number(units[2] ?? 0);
  }
  return undefined;
}

export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? (m ? `${h} h ${m} min` : `${h} h`) : `${m} min`;
}

/** Whole minutes between two instants, at least one: a timer stopped at once still counts. */
function elapsedMinutes(from: Date, to: Date): number {
  return Math.max(1, Math.round((to.getTime() - from.getTime()) / 60_000));
}

export interface TicketTime {
  entries: (TimeEntryRow & { userName: string; mine: boolean; editable: boolean })[];
  /** The signed-in person's timer on this ticket, if it runs. */
  running: TimeEntryRow | null;
  /** Their timer on another ticket, which starting this one would stop. */
  runningElsewhere: { number: number } | null;
  billableMinutes: number;
  nonBillableMinutes: number;
}

export async function ticketTime(ctx: Ctx, ticketId: string): Promise<TicketTime> {
  requirePermission(ctx.actor, "tickets.read_all");
  const rows = await prepared(ctx.db, "ticketTimeEntries", () =>
    ctx.db
      .select({ entry: ticketTimeEntries, userName: users.name })
      .from(ticketTimeEntries)
      .innerJoin(users, and(eq(users.orgId, ticketTimeEntries.orgId), eq(users.id, ticketTimeEntries.userId)))
      .where(
        and(
          eq(ticketTimeEntries.orgId, sql.placeholder("orgId")),
          eq(ticketTimeEntries.ticketId, sql.placeholder("ticketId")),
        ),
      )
      .orderBy(asc(ticketTimeEntries.startedAt), asc(ticketTimeEntries.id))
      .prepare("ticket_time_entries"),
  ).execute({ orgId: ctx.actor.orgId, ticketId });
  const me = ctx.actor.userId;
  const manageAll = can(ctx.actor, "time.manage_all");
  const entries = rows.map((r) => ({
    ...r.entry,
    userName: r.userName,
    mine: r.entry.userId === me,
    editable: can(ctx.actor, "tickets.work") && (r.entry.userId === me || manageAll),
  }));
  const finished = entries.filter((e) => e.minutes !== null);
  const sum = (billable: boolean) =>
    finished.filter((e) => e.billable === billable).reduce((total, e) => total + (e.minutes ?? 0), 0);
  const running = entries.find((e) => e.mine && e.endedAt === null) ?? null;
  let runningElsewhere: TicketTime["runningElsewhere"] = null;
  if (!running && me) {
    const [other] = await prepared(ctx.db, "runningTimerElsewhere", () =>
      ctx.db
        .select({ number: tickets.number })
        .from(ticketTimeEntries)
        .innerJoin(
          tickets,
          and(eq(tickets.orgId, ticketTimeEntries.orgId), eq(tickets.id, ticketTimeEntries.ticketId)),
        )
        .where(
          and(
            eq(ticketTimeEntries.orgId, sql.placeholder("orgId")),
            eq(ticketTimeEntries.userId, sql.placeholder("userId")),
            isNull(ticketTimeEntries.endedAt),
          ),
        )
        .prepare("running_timer_elsewhere"),
    ).execute({ orgId: ctx.actor.orgId, userId: me });
    runningElsewhere = other ?? null;
  }
  return { entries, running, runningElsewhere, billableMinutes: sum(true), nonBillableMinutes: sum(false) };
}

function actorUser(ctx: Ctx): string {
  requirePermission(ctx.actor, "tickets.work");
  if (!ctx.actor.userId) throw forbidden("Time is booked by a signed-in person.");
  return ctx.actor.userId;
}

/** Stops the person's running timer, wherever it runs; returns the finished entry. */
async function stopRunning(tx: DbOrTx, ctx: Ctx, userId: string, onTicketId?: string) {
  const [running] = await tx
    .select()
    .from(ticketTimeEntries)
    .where(
      and(
        eq(ticketTimeEntries.orgId, ctx.actor.orgId),
        eq(ticketTimeEntries.userId, userId),
        isNull(ticketTimeEntries.endedAt),
        onTicketId ? eq(ticketTimeEntries.ticketId, onTicketId) : undefined,
      ),
    )
    .for("update");
  if (!running) return undefined;
  const minutes = Math.min(MAX_ENTRY_MINUTES, elapsedMinutes(running.startedAt, ctx.now));
  const [stopped] = await tx
    .update(ticketTimeEntries)
    .set({ endedAt: ctx.now, minutes, updatedAt: ctx.now })
    .where(and(eq(ticketTimeEntries.orgId, ctx.actor.orgId), eq(ticketTimeEntries.id, running.id)))
    .returning();
  await appendEvent(tx, ctx, {
    type: "time.timer_stopped",
    ticketId: running.ticketId,
    data: { entryId: running.id, minutes, billable: running.billable },
  });
  return stopped;
}

/** Starts the person's timer on this ticket; a timer running elsewhere is stopped and kept. */
export async function startTimer(
  ctx: Ctx,
  ref: TicketRef,
  input: { billable?: boolean; note?: string } = {},
) {
  const userId = actorUser(ctx);
  const note = (input.note ?? "").trim();
  if (note.length > NOTE_MAX) throw invalid({ note: `Keep the note under ${NOTE_MAX} characters.` });
  return ctx.db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, ctx.actor, ref);
    // Serializes one person's timer changes: two tabs starting at once cannot both win.
    await tx.execute(
      sql`select id from ${users} where org_id = ${ctx.actor.orgId} and id = ${userId} for update`,
    );
    const [already] = await tx
      .select({ id: ticketTimeEntries.id })
      .from(ticketTimeEntries)
      .where(
        and(
          eq(ticketTimeEntries.orgId, ctx.actor.orgId),
          eq(ticketTimeEntries.userId, userId),
          eq(ticketTimeEntries.ticketId, ticket.id),
          isNull(ticketTimeEntries.endedAt),
        ),
      );
    if (already) throw conflict("Your timer is already running on this ticket.");
    const stopped = await stopRunning(tx, ctx, userId);
    const [entry] = await tx
      .insert(ticketTimeEntries)
      .values({
        orgId: ctx.actor.orgId,
        ticketId: ticket.id,
        userId,
        startedAt: ctx.now,
        note,
        billable: input.billable ?? true,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await appendEvent(tx, ctx, {
      type: "time.timer_started",
      ticketId: ticket.id,
      data: { entryId: entry.id },
    });
    return { entry, stopped };
  });
}

export async function stopTimer(ctx: Ctx, ref: TicketRef) {
  const userId = actorUser(ctx);
  return ctx.db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, ctx.actor, ref);
    const stopped = await stopRunning(tx, ctx, userId, ticket.id);
    if (!stopped) throw conflict("Your timer is not running on this ticket.");
    return stopped;
  });
}

export interface TimeEntryInput {
  /** "1h 30m", "90", "1:30". */
  duration: string;
  /** When the work began, as a local "YYYY-MM-DDTHH:MM" in the organization's zone; empty = it just ended. */
  startedAt?: string;
  note?: string;
  billable?: boolean;
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** Checks a typed entry; returns its start, end and minutes. */
function checkEntry(input: TimeEntryInput, now: Date, timeZone: string) {
  const fields: FieldErrors = {};
  const minutes = parseDuration(input.duration ?? "");
  if (minutes === undefined) fields.duration = "Enter the time spent, such as 45m, 1h 30m or 1:30.";
  else if (minutes < 1) fields.duration = "Enter at least one minute.";
  else if (minutes > MAX_ENTRY_MINUTES) fields.duration = "One entry holds at most 24 hours.";
  const note = (input.note ?? "").trim();
  if (note.length > NOTE_MAX) fields.note = `Keep the note under ${NOTE_MAX} characters.`;
  let startedAt: Date | undefined;
  const typed = (input.startedAt ?? "").trim();
  if (typed) {
    const m = LOCAL_TIME.exec(typed);
    if (!m) fields.startedAt = "Enter the date and time the work began.";
    else {
      const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
      startedAt = new Date(wallToUtc(timeZone, wall));
    }
  }
  if (Object.keys(fields).length) throw invalid(fields);
  const duration = (minutes as number) * 60_000;
  const start = startedAt ?? new Date(now.getTime() - duration);
  const end = new Date(start.getTime() + duration);
  if (end.getTime() > now.getTime() + 60_000)
    throw invalid({ startedAt: "Time cannot be booked in the future." });
  return { startedAt: start, endedAt: end, minutes: minutes as number, note };
}

async function zoneOf(db: DbOrTx, orgId: string): Promise<string> {
  const result = await db.execute(sql`select time_zone from organizations where id = ${orgId}`);
  return rowsOf<{ time_zone: string }>(result)[0]?.time_zone ?? "UTC";
}

export async function addTimeEntry(ctx: Ctx, ref: TicketRef, input: TimeEntryInput) {
  const userId = actorUser(ctx);
  return ctx.db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, ctx.actor, ref);
    const entry = checkEntry(input, ctx.now, await zoneOf(tx, ctx.actor.orgId));
    const [row] = await tx
      .insert(ticketTimeEntries)
      .values({
        orgId: ctx.actor.orgId,
        ticketId: ticket.id,
        userId,
        ...entry,
        billable: input.billable ?? true,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await appendEvent(tx, ctx, {
      type: "time.entry_added",
      ticketId: ticket.id,
      data: { entryId: row.id, minutes: row.minutes, billable: row.billable },
    });
    return row;
  });
}

/** An entry of this ticket the actor may change: their own, or anyone's for supervisors. */
async function editableEntry(tx: DbOrTx, ctx: Ctx, ticketId: string, entryId: string) {
  if (!isUuid(entryId)) throw notFound("That time entry");
  const [entry] = await tx
    .select()
    .from(ticketTimeEntries)
    .where(
      and(
        eq(ticketTimeEntries.orgId, ctx.actor.orgId),
        eq(ticketTimeEntries.ticketId, ticketId),
        eq(ticketTimeEntries.id, entryId),
      ),
    )
    .for("update");
  if (!entry) throw notFound("That time entry");
  if (entry.userId !== ctx.actor.userId && !can(ctx.actor, "time.manage_all")) {
    throw forbidden("Only its author or a supervisor can change a time entry.");
  }
  return entry;
}

export async function timeEntryOf(ctx: Ctx, ref: TicketRef, entryId: string) {
  requirePermission(ctx.actor, "tickets.work");
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  return { ticket, entry: await editableEntry(ctx.db, ctx, ticket.id, entryId) };
}

export async function updateTimeEntry(ctx: Ctx, ref: TicketRef, entryId: string, input: TimeEntryInput) {
  requirePermission(ctx.actor, "tickets.work");
  return ctx.db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, ctx.actor, ref);
    const current = await editableEntry(tx, ctx, ticket.id, entryId);
    if (current.endedAt === null) throw conflict("Stop the timer before changing its entry.");
    const entry = checkEntry(input, ctx.now, await zoneOf(tx, ctx.actor.orgId));
    const [row] = await tx
      .update(ticketTimeEntries)
      .set({ ...entry, billable: input.billable ?? current.billable, updatedAt: ctx.now })
      .where(and(eq(ticketTimeEntries.orgId, ctx.actor.orgId), eq(ticketTimeEntries.id, current.id)))
      .returning();
    await appendEvent(tx, ctx, {
      type: "time.entry_changed",
      ticketId: ticket.id,
      data: { entryId: row.id, from: current.minutes, to: row.minutes, billable: row.billable },
    });
    return row;
  });
}

export async function deleteTimeEntry(ctx: Ctx, ref: TicketRef, entryId: string) {
  requirePermission(ctx.actor, "tickets.work");
  return ctx.db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, ctx.actor, ref);
    const entry = await editableEntry(tx, ctx, ticket.id, entryId);
    await tx
      .delete(ticketTimeEntries)
      .where(and(eq(ticketTimeEntries.orgId, ctx.actor.orgId), eq(ticketTimeEntries.id, entry.id)));
    await appendEvent(tx, ctx, {
      type: "time.entry_deleted",
      ticketId: ticket.id,
      data: { entryId: entry.id, minutes: entry.minutes, number: formatTicketNumber(ticket.number) },
    });
  });
}
