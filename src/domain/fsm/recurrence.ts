// When a maintenance plan comes due: every N days, weeks or months; on listed dates; or by an
// RFC 5545 RRULE (FREQ DAILY/WEEKLY/MONTHLY/YEARLY with INTERVAL, BYDAY, BYMONTHDAY, BYMONTH,
// COUNT, UNTIL). Occurrences are calendar days ("2026-12-01"), so no time zone is involved here;
// the caller decides which day "today" is. Pure functions, no dependencies.
//
// Choices worth knowing:
// - "Every N months" from the 31st falls on the last day of shorter months (31 Jan → 28/29 Feb →
//   31 Mar), which is what people mean by "monthly". An RRULE follows RFC 5545 instead: a month
//   without the day is skipped (FREQ=MONTHLY;BYMONTHDAY=31 → Jan, Mar, May…), and BYMONTHDAY=-1
//   says "last day".
// - The plan's start date is the RRULE's DTSTART; only matching days count, so COUNT counts
//   the days the rule produces from the start (as python-dateutil and rrule.js do).
// - Weeks start on Monday (WKST=MO).

export type Freq = "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";

export interface WeekdayRule {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 1 = first, -1 = last … within the month (MONTHLY, or YEARLY with BYMONTH). */
  nth?: number;
}

export interface RRule {
  freq: Freq;
  interval: number;
  byDay: WeekdayRule[];
  byMonthDay: number[];
  byMonth: number[];
  count?: number;
  /** Last possible day, inclusive. */
  until?: string;
}

export type Recurrence =
  | { kind: "interval"; every: number; unit: "day" | "week" | "month" }
  | { kind: "dates"; dates: string[] }
  | { kind: "rrule"; rule: RRule };

export interface Bounds {
  /** The plan's first possible day (DTSTART). */
  start: string;
  /** Its last possible day, inclusive, if it ends. */
  end?: string | null;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
/** Periods looked at per expansion at most: a daily rule over 100 years. */
const MAX_PERIODS = 36_600;

// Days are handled as whole days since 1970-01-01 (UTC), which makes arithmetic exact.
const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const dayText = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const ymd = (n: number) => {
  const d = new Date(n * DAY_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
};
const fromYmd = (y: number, m: number, d: number) => Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
/** ISO weekday of a day number: 1970-01-01 was a Thursday (4). */
const isoWeekday = (n: number) => ((((n + 3) % 7) + 7) % 7) + 1;
export const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** "2026-02-30" is not a day; "2026-02-28" is. */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const n = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(n) && new Date(n).toISOString().slice(0, 10) === text;
}

export class RRuleError extends Error {}

const SUPPORTED = "FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT and UNTIL";

function wholeNumber(name: string, value: string, min: number, max: number): number {
  if (!/^[+-]?\d+$/.test(value)) throw new RRuleError(`${name} must be a whole number, not “${value}”.`);
  const n = Number(value);
  if (n < min || n > max) throw new RRuleError(`${name} must be between ${min} and ${max}.`);
  return n;
}

function parseByDay(value: string, freq: Freq, hasByMonth: boolean): WeekdayRule[] {
  return value.split(",").map((item) => {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item.trim().toUpperCase());
    if (!match) throw new RRuleError(`BYDAY takes days such as MO,WE or 1MO, -1FR; “${item}” is not one.`);
    const weekday = WEEKDAYS.indexOf(match[2]) + 1;
    if (match[1] === undefined) return { weekday };
    const nth = Number(match[1]);
    if (freq !== "MONTHLY" && !(freq === "YEARLY" && hasByMonth))
      throw new RRuleError(
        `A numbered day such as ${item.trim()} needs FREQ=MONTHLY (or FREQ=YEARLY with BYMONTH).`,
      );
    if (nth === 0 || Math.abs(nth) > 5)
      throw new RRuleError(`In ${item.trim()}, the number must be 1 to 5 or -1 to -5 (a week of the month).`);
    return { weekday, nth };
  });
}

/** "20271231", "20271231T235959Z" or "2027-12-31" → "2027-12-31". */
function parseUntil(value: string): string {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})(?:T\d{6}Z?)?$/.exec(value);
  const day = match ? `${match[1]}-${match[2]}-${match[3]}` : "";
  if (!isCalendarDay(day)) throw new RRuleError(`UNTIL must be a date such as 20271231, not “${value}”.`);
  return day;
}

/**
 * Reads "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1;COUNT=8" (an "RRULE:" prefix is allowed). Throws
 * RRuleError with a sentence to show next to the field.
 */
export function parseRRule(text: string): RRule {
  const body = text
    .trim()
    .replace(/^RRULE:/i, "")
    .replace(/;+$/, "");
  if (!body) throw new RRuleError("Enter a rule such as FREQ=MONTHLY;BYMONTHDAY=1.");
  const parts = new Map<string, string>();
  for (const part of body.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 1) throw new RRuleError(`“${part}” is not NAME=VALUE.`);
    const name = part.slice(0, eq).trim().toUpperCase();
    const value = part.slice(eq + 1).trim();
    if (!value) throw new RRuleError(`${name} has no value.`);
    if (parts.has(name)) throw new RRuleError(`${name} is given twice.`);
    parts.set(name, value);
  }
  for (const name of parts.keys()) {
    if (!["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "COUNT", "UNTIL", "WKST"].includes(name))
      throw new RRuleError(
        name === "DTSTART"
          ? "Leave DTSTART out: the plan's start date is where the rule starts."
          : `${name} is not supported; use ${SUPPORTED}.`,
      );
  }
  const freq = parts.get("FREQ")?.toUpperCase();
  if (!freq) throw new RRuleError("The rule needs a FREQ, such as FREQ=WEEKLY.");
  if (!["DAILY", "WEEKLY", "MONTHLY", "YEARLY"].includes(freq))
    throw new RRuleError(`FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY, not “${freq}”.`);
  if (parts.has("WKST") && parts.get("WKST")?.toUpperCase() !== "MO")
    throw new RRuleError("Only WKST=MO (weeks starting on Monday) is supported.");
  if (parts.has("COUNT") && parts.has("UNTIL"))
    throw new RRuleError("Use COUNT or UNTIL, not both (RFC 5545 forbids it).");
  const rule: RRule = {
    freq: freq as Freq,
    interval: parts.has("INTERVAL") ? wholeNumber("INTERVAL", parts.get("INTERVAL")!, 1, 1000) : 1,
    byMonth: parts.has("BYMONTH")
      ? parts
          .get("BYMONTH")!
          .split(",")
          .map((v) => wholeNumber("BYMONTH", v.trim(), 1, 12))
      : [],
    byMonthDay: [],
    byDay: [],
  };
  if (parts.has("BYMONTHDAY")) {
    rule.byMonthDay = parts
      .get("BYMONTHDAY")!
      .split(",")
      .map((v) => {
        const n = wholeNumber("BYMONTHDAY", v.trim(), -31, 31);
        if (n === 0) throw new RRuleError("BYMONTHDAY takes 1 to 31, or -1 (the last day) to -31.");
        return n;
      });
  }
  if (rule.freq === "WEEKLY" && rule.byMonthDay.length)
    throw new RRuleError("BYMONTHDAY cannot be used with FREQ=WEEKLY (RFC 5545); use BYDAY.");
  if (parts.has("BYDAY")) rule.byDay = parseByDay(parts.get("BYDAY")!, rule.freq, rule.byMonth.length > 0);
  if (parts.has("COUNT")) rule.count = wholeNumber("COUNT", parts.get("COUNT")!, 1, 10_000);
  if (parts.has("UNTIL")) rule.until = parseUntil(parts.get("UNTIL")!);
  return rule;
}

/** Days of one month that a MONTHLY (or YEARLY-by-month) rule picks, in order. */
function daysOfMonth(y: number, m: number, rule: RRule, startDayOfMonth: number): number[] {
  const length = daysInMonth(y, m);
  const first = fromYmd(y, m, 1);
  const byMonthDay = rule.byMonthDay
    .map((d) => (d > 0 ? d : length + d + 1))
    .filter((d) => d >= 1 && d <= length);
  let byDay: number[] | undefined;
  if (rule.byDay.length) {
    byDay = [];
    for (const { weekday, nth } of rule.byDay) {
      const matching: number[] = [];
      for (let d = 1; d <= length; d++) if (isoWeekday(first + d - 1) === weekday) matching.push(d);
      if (nth === undefined) byDay.push(...matching);
      else {
        const pick = nth > 0 ? matching[nth - 1] : matching[matching.length + nth];
        if (pick !== undefined) byDay.push(pick);
      }
    }
  }
  let days: number[];
  if (rule.byMonthDay.length && byDay) days = byMonthDay.filter((d) => byDay.includes(d));
  else if (rule.byMonthDay.length) days = byMonthDay;
  else if (byDay) days = byDay;
  else days = startDayOfMonth <= length ? [startDayOfMonth] : [];
  return [...new Set(days)].sort((a, b) => a - b).map((d) => first + d - 1);
}

/**
 * Period k of the rule (the k-th day, week, month or year it steps through): the day the period
 * begins, and its candidate days in order.
 */
function period(rule: RRule, start: number, k: number): { begins: number; days: number[] } {
  const s = ymd(start);
  const step = k * rule.interval;
  switch (rule.freq) {
    case "DAILY":
      return { begins: start + step, days: [start + step] };
    case "WEEKLY": {
      const monday = start - (isoWeekday(start) - 1) + 7 * step;
      const weekdays = rule.byDay.length ? rule.byDay.map((d) => d.weekday) : [isoWeekday(start)];
      return {
        begins: monday,
        days: [...new Set(weekdays)].sort((a, b) => a - b).map((w) => monday + w - 1),
      };
    }
    case "MONTHLY": {
      const index = s.y * 12 + (s.m - 1) + step;
      const y = Math.floor(index / 12);
      const m = (index % 12) + 1;
      return { begins: fromYmd(y, m, 1), days: daysOfMonth(y, m, rule, s.d) };
    }
    case "YEARLY": {
      const y = s.y + step;
      const anyDayRule = rule.byDay.length > 0 || rule.byMonthDay.length > 0;
      const months = rule.byMonth.length
        ? [...new Set(rule.byMonth)].sort((a, b) => a - b)
        : anyDayRule
          ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
          : [s.m];
      return { begins: fromYmd(y, 1, 1), days: months.flatMap((m) => daysOfMonth(y, m, rule, s.d)) };
    }
  }
}

/** Whether a candidate day passes the limiting parts (BYMONTH etc. for the finer frequencies). */
function passesFilters(rule: RRule, day: number): boolean {
  const { m, d, y } = ymd(day);
  if (rule.byMonth.length && !rule.byMonth.includes(m)) return false;
  if (rule.freq === "DAILY" || rule.freq === "WEEKLY") {
    if (rule.byMonthDay.length) {
      const length = daysInMonth(y, m);
      if (!rule.byMonthDay.some((x) => (x > 0 ? x : length + x + 1) === d)) return false;
    }
    if (rule.freq === "DAILY" && rule.byDay.length && !rule.byDay.some((w) => w.weekday === isoWeekday(day)))
      return false;
  }
  return true;
}

/** Every day the rule produces from `start`, in order, until `last` (inclusive) or COUNT. */
function* expandRule(rule: RRule, start: number, last: number): Generator<number> {
  const until = rule.until ? Math.min(last, dayNumber(rule.until)) : last;
  let produced = 0;
  for (let k = 0; k < MAX_PERIODS; k++) {
    const { begins, days } = period(rule, start, k);
    // Periods only move forward: once one begins past the end, nothing later can match.
    if (begins > until) return;
    for (const day of days) {
      if (day < start || !passesFilters(rule, day)) continue;
      if (day > until) return;
      produced++;
      yield day;
      if (rule.count !== undefined && produced >= rule.count) return;
    }
  }
}

function* expandInterval(every: number, unit: "day" | "week" | "month", start: number, last: number) {
  const s = ymd(start);
  for (let k = 0; k < MAX_PERIODS; k++) {
    let day: number;
    if (unit === "month") {
      const index = s.y * 12 + (s.m - 1) + k * every;
      const y = Math.floor(index / 12);
      const m = (index % 12) + 1;
      day = fromYmd(y, m, Math.min(s.d, daysInMonth(y, m)));
    } else day = start + k * every * (unit === "week" ? 7 : 1);
    if (day > last) return;
    yield day;
  }
}

/**
 * The occurrences falling within [from, to] (inclusive days), at most `limit` of them, in order.
 * COUNT and the interval's rhythm are always reckoned from the plan's start.
 */
export function occurrencesBetween(
  recurrence: Recurrence,
  bounds: Bounds,
  window: { from: string; to: string },
  limit = 1000,
): string[] {
  const start = dayNumber(bounds.start);
  const last = Math.min(dayNumber(window.to), bounds.end ? dayNumber(bounds.end) : Number.POSITIVE_INFINITY);
  const from = dayNumber(window.from);
  const days =
    recurrence.kind === "rrule"
      ? expandRule(recurrence.rule, start, last)
      : recurrence.kind === "interval"
        ? expandInterval(recurrence.every, recurrence.unit, start, last)
        : recurrence.dates
            .map(dayNumber)
            .filter((d) => d >= start && d <= last)
            .sort((a, b) => a - b)
            [Symbol.iterator]();
  const out: string[] = [];
  for (const day of days) {
    if (day < from) continue;
    out.push(dayText(day));
    if (out.length >= limit) break;
  }
  return [...new Set(out)];
}

/** "2026-12-01" plus n days. */
export const plusDays = (day: string, n: number) => dayText(dayNumber(day) + n);

/** A list of dates as typed (one per line, or separated by commas or spaces): sorted, unique. */
export function parseDateList(text: string): { dates: string[]; bad: string[] } {
  const items = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((s) => !isCalendarDay(s));
  const dates = [...new Set(items.filter(isCalendarDay))].sort();
  return { dates, bad };
}
