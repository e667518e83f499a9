// What admins edit about SLAs: business calendars (weekly hours, holidays typed or imported from
// an .ics file), policies (conditions, targets, pausing statuses, calendar), and the
// organization's escalation contact. Every change appends an event and asks for the open tickets'
// due times to be recomputed by a job (DESIGN.md rules 1, 3 and 4).

import { and, asc, count, eq, inArray, ne } from "drizzle-orm";
import {
  businessCalendars,
  CHANNELS,
  calendarHolidays,
  companies,
  type StoredPolicyConditions,
  type StoredPolicyTargets,
  slaPolicies,
  slaSettings,
  TICKET_PRIORITIES,
  TICKET_TYPES,
  type TicketStatus,
  teams,
  users,
} from "../../../db/schema";
import { type Ctx, requirePermission, STAFF_ROLES } from "../context";
import { conflict, type FieldErrors, invalid, isUniqueViolation, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { loadCatalog } from "../fields/catalog";
import { categoryPath } from "../fields/values";
import { enqueue } from "../jobs/queue";
import { isEmail } from "../tickets/people";
import { isUuid } from "../tickets/rules";
import { dateTimeFormat } from "../time/formats";
import { type CalendarDefinition, calendarProblems, type Holiday, type WeeklyInterval } from "./calendar";
import { IcsError, parseIcsHolidays } from "./ics";
import { DEFAULT_PAUSE_STATUSES, SLA_TARGETS, type SlaTargetKind } from "./policy";
import { isValidTimeZone, parseClock, parseDate } from "./zone";

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
export const COMPANY_TIERS = companies.tier.enumValues;
/** Statuses a policy may pause on: solved and closed end the clocks instead. */
export const PAUSABLE_STATUSES: readonly TicketStatus[] = ["new", "open", "pending", "on_hold"];
const NAME_MAX = 100;
const ICS_MAX_BYTES = 1024 * 1024;

async function recordChange(
  tx: DbOrTx,
  ctx: Ctx,
  type: string,
  data: Record<string, unknown>,
): Promise<void> {
  const seq = await appendEvent(tx, ctx, { type, data });
  // Due times derive from these rules: the organization's open tickets get theirs recomputed.
  await enqueue(tx, ctx.now, {
    queue: "sla.recompute",
    orgId: ctx.actor.orgId,
    payload: { orgId: ctx.actor.orgId },
    idempotencyKey: `sla.recompute:${ctx.actor.orgId}:${seq}`,
  });
}

// ---------------------------------------------------------------- overview

/** Everything the /admin/sla page lists. */
export async function slaOverview(ctx: Ctx) {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  const [policies, calendars, holidayCounts, settings, staff] = await Promise.all([
    ctx.db
      .select()
      .from(slaPolicies)
      .where(eq(slaPolicies.orgId, orgId))
      .orderBy(asc(slaPolicies.position), asc(slaPolicies.name)),
    ctx.db
      .select()
      .from(businessCalendars)
      .where(eq(businessCalendars.orgId, orgId))
      .orderBy(asc(businessCalendars.name)),
    ctx.db
      .select({ calendarId: calendarHolidays.calendarId, n: count() })
      .from(calendarHolidays)
      .where(eq(calendarHolidays.orgId, orgId))
      .groupBy(calendarHolidays.calendarId),
    ctx.db.select().from(slaSettings).where(eq(slaSettings.orgId, orgId)),
    staffChoices(ctx.db, orgId),
  ]);
  const holidays = new Map(holidayCounts.map((h) => [h.calendarId, Number(h.n)]));
  return {
    policies,
    calendars: calendars.map((c) => ({ ...c, holidayCount: holidays.get(c.id) ?? 0 })),
    settings: {
      escalationUserId: settings[0]?.escalationUserId ?? null,
      escalationEmail: settings[0]?.escalationEmail ?? null,
    },
    staff,
  };
}

function staffChoices(db: DbOrTx, orgId: string) {
  return db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.active, true), inArray(users.role, [...STAFF_ROLES])))
    .orderBy(asc(users.name));
}

function teamChoices(db: DbOrTx, orgId: string) {
  return db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(eq(teams.orgId, orgId))
    .orderBy(asc(teams.name));
}

// ---------------------------------------------------------------- escalation contact

export interface SlaSettingsInput {
  escalationUserId?: string | null;
  escalationEmail?: string | null;
}

export async function saveSlaSettings(ctx: Ctx, input: SlaSettingsInput) {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  const fields: FieldErrors = {};
  const userId = input.escalationUserId || null;
  const email = input.escalationEmail?.trim().toLowerCase() || null;
  if (userId) {
    const staff = await staffChoices(ctx.db, orgId);
    if (!isUuid(userId) || !staff.some((s) => s.id === userId))
      fields.escalationUserId = "Choose someone on the staff of this organization.";
  }
  if (email && !isEmail(email)) fields.escalationEmail = "Enter an email address, or leave it empty.";
  if (Object.keys(fields).length) throw invalid(fields);
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(slaSettings)
      .values({ orgId, escalationUserId: userId, escalationEmail: email, updatedAt: ctx.now })
      .onConflictDoUpdate({
        target: slaSettings.orgId,
        set: { escalationUserId: userId, escalationEmail: email, updatedAt: ctx.now },
      });
    await appendEvent(tx, ctx, {
      type: "sla.settings_updated",
      data: { escalationUserId: userId, escalationEmail: email },
    });
  });
}

// ---------------------------------------------------------------- calendars

export type CalendarRow = typeof businessCalendars.$inferSelect;
export type HolidayRow = typeof calendarHolidays.$inferSelect;

/** What the calendar form sends: hours per weekday as text, holidays one per line. */
export interface CalendarInput {
  name: string;
  timeZone: string;
  teamId?: string | null;
  isDefault?: boolean;
  /** Index 1..7 (Monday..Sunday): "09:00-12:00, 13:00-18:00"; empty = closed; "22:00-06:00" overnight. */
  hours: Record<number, string>;
  /** One per line: "2026-12-25 Christmas Day" or "2026-12-24 13:00-24:00 Christmas Eve". */
  holidays: string;
  /** An uploaded iCalendar file whose holidays are added to the typed ones. */
  ics?: { name: string; text: string; size: number };
}

const RANGE = /^(\d{1,2}:\d{2})\s*(?:-|–|—|to)\s*(\d{1,2}:\d{2})$/i;

/** "09:00-12:00, 13:00-18:00" → intervals of one weekday; a message when it cannot be read. */
export function parseDayHours(day: number, text: string): WeeklyInterval[] | string {
  const intervals: WeeklyInterval[] = [];
  for (const piece of text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = RANGE.exec(piece);
    const start = match ? parseClock(match[1]) : undefined;
    const end = match ? parseClock(match[2]) : undefined;
    if (!match || start === undefined || end === undefined || start >= 1440)
      return `Write hours as 09:00-18:00, several separated by commas ("${piece.slice(0, 40)}" is not).`;
    if (start === end) return `"${piece}" starts and ends at the same time.`;
    const pad = (m: number) =>
      `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
    intervals.push({ day, start: pad(start), end: pad(end) });
  }
  return intervals;
}

export function formatDayHours(weekly: WeeklyInterval[], day: number): string {
  return weekly
    .filter((w) => w.day === day)
    .map((w) => `${w.start}-${w.end}`)
    .join(", ");
}

const HOLIDAY_LINE =
  /^(\d{4}-\d{2}-\d{2})(?:\s+(\d{1,2}:\d{2})\s*(?:-|–|—|to)\s*(\d{1,2}:\d{2}))?(?:\s+(.*))?$/i;

/** Holiday lines → holidays; the first problem, naming its line, when one cannot be read. */
export function parseHolidayLines(text: string): Holiday[] | string {
  const holidays: Holiday[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const match = HOLIDAY_LINE.exec(line);
    if (!match || parseDate(match[1]) === undefined)
      return `Line ${i + 1}: start with a date as 2026-12-25 ("${line.slice(0, 40)}").`;
    const [, date, start, end, name] = match;
    if (start !== undefined) {
      const a = parseClock(start);
      const b = parseClock(end);
      if (a === undefined || b === undefined || a >= b)
        return `Line ${i + 1}: closed hours must be a start time before an end time, as 13:00-24:00.`;
    }
    const holiday: Holiday = { date, name: (name ?? "").trim().slice(0, NAME_MAX) || "Holiday" };
    if (start !== undefined) {
      holiday.start = start.padStart(5, "0");
      holiday.end = end.padStart(5, "0");
    }
    holidays.push(holiday);
  }
  return holidays;
}

export function formatHolidayLines(holidays: { date: string; name: string; start?: string; end?: string }[]) {
  return [...holidays]
    .sort((a, b) => a.date.localeCompare(b.date) || (a.start ?? "").localeCompare(b.start ?? ""))
    .map((h) => [h.date, h.start && h.end ? `${h.start}-${h.end}` : "", h.name].filter(Boolean).join(" "))
    .join("\n");
}

/** Checks a calendar form; returns the definition and what the .ics import added or skipped. */
function readCalendarInput(ctx: Ctx, input: CalendarInput) {
  const fields: FieldErrors = {};
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Give the calendar a name.";
  else if (name.length > NAME_MAX) fields.name = `Keep the name under ${NAME_MAX} characters.`;
  const timeZone = (input.timeZone ?? "").trim();
  if (!isValidTimeZone(timeZone))
    fields.timeZone = `Enter a time zone such as Asia/Kuala_Lumpur ("${timeZone.slice(0, 40)}" is not one).`;
  const weekly: WeeklyInterval[] = [];
  for (let day = 1; day <= 7; day++) {
    const parsed = parseDayHours(day, input.hours[day] ?? "");
    if (typeof parsed === "string") fields[`hours_${day}`] = parsed;
    else weekly.push(...parsed);
  }
  if (weekly.length === 0 && !Object.keys(fields).some((k) => k.startsWith("hours_")))
    fields.hours_1 = "Add business hours to at least one day.";
  const typed = parseHolidayLines(input.holidays ?? "");
  let holidays: Holiday[] = [];
  if (typeof typed === "string") fields.holidays = typed;
  else holidays = typed;
  let imported = 0;
  let skipped: { line: number; summary: string; reason: string }[] = [];
  if (input.ics && !fields.timeZone) {
    if (input.ics.size > ICS_MAX_BYTES) fields.ics = "The calendar file is larger than 1 MB.";
    else {
      try {
        const year = Number(dateTimeFormat("en", { timeZone, year: "numeric" }).format(ctx.now).slice(0, 4));
        const result = parseIcsHolidays(input.ics.text, { timeZone, fromYear: year - 1, toYear: year + 2 });
        const seen = new Set(holidays.map((h) => `${h.date}|${h.start ?? ""}`));
        for (const h of result.holidays) {
          const key = `${h.date}|${h.start ?? ""}`;
          if (seen.has(key)) continue;
          seen.add(key);
          holidays.push({ ...h, name: h.name.slice(0, NAME_MAX) });
          imported++;
        }
        skipped = result.skipped;
        if (result.holidays.length === 0 && !fields.ics)
          fields.ics = "The file has no holidays in the years around this one.";
      } catch (error) {
        if (!(error instanceof IcsError)) throw error;
        fields.ics = `This is not a calendar file we can read: ${error.message}`;
      }
    }
  }
  const definition: CalendarDefinition = { name, timeZone, weekly, holidays };
  if (Object.keys(fields).length === 0) {
    // The engine's own check, for anything the fields above let through.
    const problems = calendarProblems(definition);
    if (problems.length) fields.holidays = problems.join(" ");
  }
  return { fields, definition, imported, skipped };
}

async function checkTeamOf(db: DbOrTx, orgId: string, teamId: string | null, fields: FieldErrors) {
  if (!teamId) return;
  const [team] = isUuid(teamId)
    ? await db
        .select({ id: teams.id })
        .from(teams)
        .where(and(eq(teams.orgId, orgId), eq(teams.id, teamId)))
    : [];
  if (!team) fields.teamId = "Choose one of this organization's teams.";
}

async function findCalendar(db: DbOrTx, orgId: string, id: string, forUpdate = false) {
  if (!isUuid(id)) throw notFound("That calendar");
  let query = db
    .select()
    .from(businessCalendars)
    .where(and(eq(businessCalendars.orgId, orgId), eq(businessCalendars.id, id)))
    .$dynamic();
  if (forUpdate) query = query.for("update");
  const [row] = await query;
  if (!row) throw notFound("That calendar");
  return row;
}

/** The calendar form's choices (teams); for new calendars, the organization's zone. */
export async function calendarFormData(ctx: Ctx) {
  requirePermission(ctx.actor, "org.admin");
  return { teams: await teamChoices(ctx.db, ctx.actor.orgId) };
}

export async function listCalendars(ctx: Ctx) {
  return (await slaOverview(ctx)).calendars;
}

export async function getCalendar(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, "org.admin");
  const calendar = await findCalendar(ctx.db, ctx.actor.orgId, id);
  const holidays = await ctx.db
    .select()
    .from(calendarHolidays)
    .where(and(eq(calendarHolidays.orgId, ctx.actor.orgId), eq(calendarHolidays.calendarId, id)))
    .orderBy(asc(calendarHolidays.date), asc(calendarHolidays.startTime));
  return { calendar, holidays };
}

/** Creates (id null) or replaces a calendar with its hours and holidays. */
export async function saveCalendar(ctx: Ctx, id: string | null, input: CalendarInput) {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  const { fields, definition, imported, skipped } = readCalendarInput(ctx, input);
  const teamId = input.teamId || null;
  await checkTeamOf(ctx.db, orgId, teamId, fields);
  if (id) await findCalendar(ctx.db, orgId, id);
  if (teamId && !fields.teamId) {
    const [taken] = await ctx.db
      .select({ name: businessCalendars.name })
      .from(businessCalendars)
      .where(
        and(
          eq(businessCalendars.orgId, orgId),
          eq(businessCalendars.teamId, teamId),
          id ? ne(businessCalendars.id, id) : undefined,
        ),
      );
    if (taken) fields.teamId = `The calendar “${taken.name}” is already this team's.`;
  }
  if (Object.keys(fields).length) throw invalid(fields);
  try {
    const saved = await ctx.db.transaction(async (tx) => {
      if (input.isDefault) {
        await tx
          .update(businessCalendars)
          .set({ isDefault: false, updatedAt: ctx.now })
          .where(
            and(
              eq(businessCalendars.orgId, orgId),
              eq(businessCalendars.isDefault, true),
              id ? ne(businessCalendars.id, id) : undefined,
            ),
          );
      }
      const values = {
        name: definition.name,
        timeZone: definition.timeZone,
        weekly: definition.weekly,
        teamId,
        isDefault: Boolean(input.isDefault),
        updatedAt: ctx.now,
      };
      let calendarId = id;
      if (calendarId) {
        await findCalendar(tx, orgId, calendarId, true);
        await tx
          .update(businessCalendars)
          .set(values)
          .where(and(eq(businessCalendars.orgId, orgId), eq(businessCalendars.id, calendarId)));
        await tx
          .delete(calendarHolidays)
          .where(and(eq(calendarHolidays.orgId, orgId), eq(calendarHolidays.calendarId, calendarId)));
      } else {
        const [row] = await tx
          .insert(businessCalendars)
          .values({ ...values, orgId, createdAt: ctx.now })
          .returning({ id: businessCalendars.id });
        calendarId = row.id;
      }
      if (definition.holidays.length) {
        await tx.insert(calendarHolidays).values(
          definition.holidays.map((h) => ({
            orgId,
            calendarId: calendarId!,
            date: h.date,
            name: h.name,
            startTime: h.start ?? null,
            endTime: h.end ?? null,
          })),
        );
      }
      await recordChange(tx, ctx, id ? "sla.calendar_updated" : "sla.calendar_created", {
        calendarId,
        name: definition.name,
        timeZone: definition.timeZone,
        intervals: definition.weekly.length,
        holidays: definition.holidays.length,
        imported,
      });
      return calendarId!;
    });
    return { id: saved, imported, skipped };
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict("Another calendar has that name.", { name: "Another calendar has that name." });
    throw error;
  }
}

export async function deleteCalendar(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  await ctx.db.transaction(async (tx) => {
    const calendar = await findCalendar(tx, orgId, id, true);
    const users = await tx
      .select({ name: slaPolicies.name })
      .from(slaPolicies)
      .where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.calendarId, id)));
    if (users.length)
      throw conflict(
        `The calendar is used by ${users.map((u) => `“${u.name}”`).join(", ")}. Choose another calendar there first.`,
      );
    await tx
      .delete(businessCalendars)
      .where(and(eq(businessCalendars.orgId, orgId), eq(businessCalendars.id, id)));
    await recordChange(tx, ctx, "sla.calendar_deleted", { calendarId: id, name: calendar.name });
  });
}

// ---------------------------------------------------------------- policies

export type PolicyRow = typeof slaPolicies.$inferSelect;

/** What the policy form sends. Lists of checked values; targets as typed text per cell. */
export interface PolicyInput {
  name: string;
  position?: string | number;
  active?: boolean;
  calendarId?: string | null;
  priorities?: string[];
  channels?: string[];
  companyTiers?: string[];
  /** Ticket types. */
  categories?: string[];
  teams?: string[];
  /** Ticket category or subcategory ids. */
  ticketCategories?: string[];
  pauseStatuses?: string[];
  /** Keyed "<priority>_<target>", e.g. "high_first_response": "4h", "90m", "240" (minutes). */
  targets: Record<string, string>;
  /** Priorities whose targets count every hour of the day instead of business hours. */
  calendarTime?: string[];
}

export const targetField = (priority: string, kind: SlaTargetKind) => `target_${priority}_${kind}`;

/** "8h", "1h 30m", "90m", "480" (minutes) → minutes; undefined when it cannot be read. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  const match = /^(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?$/.exec(t);
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

/** 480 → "8h", 90 → "1h 30m", 45 → "45m". */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h}h` : "", m ? `${m}m` : ""].filter(Boolean).join(" ") || "0m";
}

function subset<T extends string>(
  values: string[] | undefined,
  allowed: readonly T[],
  field: string,
  fields: FieldErrors,
): T[] {
  const list = [...new Set(values ?? [])];
  if (list.some((v) => !(allowed as readonly string[]).includes(v))) fields[field] = "Choose from the list.";
  return list.filter((v): v is T => (allowed as readonly string[]).includes(v));
}

async function readPolicyInput(ctx: Ctx, input: PolicyInput) {
  const orgId = ctx.actor.orgId;
  const fields: FieldErrors = {};
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Give the policy a name.";
  else if (name.length > NAME_MAX) fields.name = `Keep the name under ${NAME_MAX} characters.`;
  const positionText = String(input.position ?? "").trim();
  const position = positionText === "" ? 0 : Number(positionText);
  if (!Number.isInteger(position) || position < 0 || position > 10_000)
    fields.position = "Enter a whole number from 0 (tried first) upwards.";
  const calendarId = input.calendarId || null;
  if (calendarId) {
    const [calendar] = isUuid(calendarId)
      ? await ctx.db
          .select({ id: businessCalendars.id })
          .from(businessCalendars)
          .where(and(eq(businessCalendars.orgId, orgId), eq(businessCalendars.id, calendarId)))
      : [];
    if (!calendar) fields.calendarId = "Choose one of this organization's calendars.";
  }
  const conditions: StoredPolicyConditions = {
    priorities: subset(input.priorities, TICKET_PRIORITIES, "priorities", fields),
    channels: subset(input.channels, CHANNELS, "channels", fields),
    companyTiers: subset(input.companyTiers, COMPANY_TIERS, "companyTiers", fields),
    categories: subset(input.categories, TICKET_TYPES, "categories", fields),
    teams: [...new Set(input.teams ?? [])],
    ticketCategories: [...new Set(input.ticketCategories ?? [])],
  };
  if (conditions.ticketCategories?.length) {
    const { categories } = await loadCatalog(ctx.db, orgId);
    if (conditions.ticketCategories.some((id) => !categories.some((c) => c.id === id)))
      fields.ticketCategories = "Choose among this organization's categories.";
  }
  if (conditions.teams?.length) {
    const known = await teamChoices(ctx.db, orgId);
    if (conditions.teams.some((t) => !known.some((k) => k.id === t)))
      fields.teams = "Choose among this organization's teams.";
  }
  const pauseStatuses = subset(
    input.pauseStatuses ?? [...DEFAULT_PAUSE_STATUSES],
    PAUSABLE_STATUSES,
    "pauseStatuses",
    fields,
  );
  const calendarTime = new Set(input.calendarTime ?? []);
  const targets: StoredPolicyTargets = {};
  let any = false;
  for (const priority of TICKET_PRIORITIES) {
    for (const kind of SLA_TARGETS) {
      const key = targetField(priority, kind);
      const text = (input.targets[`${priority}_${kind}`] ?? "").trim();
      if (!text) continue;
      const minutes = parseDuration(text);
      if (minutes === undefined || minutes <= 0 || minutes > 60 * 24 * 365) {
        fields[key] = `Write a time such as 8h, 1h 30m or 45m ("${text.slice(0, 20)}" is not).`;
        continue;
      }
      targets[priority] ??= {};
      targets[priority][kind] = { minutes, businessHours: !calendarTime.has(priority) };
      any = true;
    }
  }
  if (!any && !Object.keys(fields).some((k) => k.startsWith("target_")))
    fields[targetField("normal", "first_response")] = "Set at least one target.";
  return {
    fields,
    values: {
      name,
      position,
      calendarId,
      conditions,
      pauseStatuses,
      targets,
      active: input.active !== false,
    },
  };
}

async function findPolicy(db: DbOrTx, orgId: string, id: string, forUpdate = false) {
  if (!isUuid(id)) throw notFound("That policy");
  let query = db
    .select()
    .from(slaPolicies)
    .where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.id, id)))
    .$dynamic();
  if (forUpdate) query = query.for("update");
  const [row] = await query;
  if (!row) throw notFound("That policy");
  return row;
}

/** The policy form's choices. */
export async function policyFormData(ctx: Ctx) {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  const [calendars, teamRows, [{ n }]] = await Promise.all([
    ctx.db
      .select({
        id: businessCalendars.id,
        name: businessCalendars.name,
        isDefault: businessCalendars.isDefault,
      })
      .from(businessCalendars)
      .where(eq(businessCalendars.orgId, orgId))
      .orderBy(asc(businessCalendars.name)),
    teamChoices(ctx.db, orgId),
    ctx.db.select({ n: count() }).from(slaPolicies).where(eq(slaPolicies.orgId, orgId)),
  ]);
  const catalog = await loadCatalog(ctx.db, orgId);
  const categories = catalog.categories.map((c) => ({ id: c.id, name: categoryPath(catalog, c.id) }));
  return { calendars, teams: teamRows, categories, nextPosition: Number(n) * 10 };
}

export async function getPolicy(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, "org.admin");
  return findPolicy(ctx.db, ctx.actor.orgId, id);
}

/** Creates (id null) or replaces a policy. */
export async function savePolicy(ctx: Ctx, id: string | null, input: PolicyInput): Promise<string> {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  if (id) await findPolicy(ctx.db, orgId, id);
  const { fields, values } = await readPolicyInput(ctx, input);
  if (Object.keys(fields).length) throw invalid(fields);
  try {
    return await ctx.db.transaction(async (tx) => {
      let policyId = id;
      if (policyId) {
        await findPolicy(tx, orgId, policyId, true);
        await tx
          .update(slaPolicies)
          .set({ ...values, updatedAt: ctx.now })
          .where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.id, policyId)));
      } else {
        const [row] = await tx
          .insert(slaPolicies)
          .values({ ...values, orgId, createdAt: ctx.now, updatedAt: ctx.now })
          .returning({ id: slaPolicies.id });
        policyId = row.id;
      }
      await recordChange(tx, ctx, id ? "sla.policy_updated" : "sla.policy_created", {
        policyId,
        name: values.name,
        position: values.position,
        active: values.active,
      });
      return policyId;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict("Another policy has that name.", { name: "Another policy has that name." });
    throw error;
  }
}

export async function deletePolicy(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  await ctx.db.transaction(async (tx) => {
    const policy = await findPolicy(tx, orgId, id, true);
    await tx.delete(slaPolicies).where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.id, id)));
    await recordChange(tx, ctx, "sla.policy_deleted", { policyId: id, name: policy.name });
  });
}
