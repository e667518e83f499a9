// Holidays from an iCalendar (.ics) file, e.g. a public-holiday feed exported from a calendar app.
//
// A small parser for the part of RFC 5545 that holiday lists use: VEVENTs with all-day or timed
// DTSTART/DTEND (or DURATION), SUMMARY, folded lines, escaped text, EXDATE, and yearly RRULEs
// (same date every year, or "the 4th Thursday of November"), expanded over a range of years.
// Malformed input raises IcsError with the line number; events the parser understands but a
// business calendar cannot use (weekly meetings, cancelled events) are listed as skipped instead.
import type { Holiday } from "./calendar";
import {
  DAY_MS,
  dayOfWall,
  formatClock,
  formatDate,
  isValidTimeZone,
  MINUTE_MS,
  utcToWall,
  wallToUtc,
} from "./zone";

export class IcsError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`Line ${line}: ${problem}`);
    this.name = "IcsError";
  }
}

export interface IcsImportOptions {
  /** The business calendar's zone: timed events are converted to its local dates and hours. */
  timeZone: string;
  /** Yearly events are expanded for these years (inclusive); one-off events outside them are dropped. */
  fromYear: number;
  toYear: number;
}

export interface IcsImport {
  holidays: Holiday[];
  /** Events left out, with the line they start on and why. */
  skipped: { line: number; summary: string; reason: string }[];
}

interface ContentLine {
  line: number;
  name: string;
  params: Record<string, string>;
  value: string;
}

/** Joins folded lines (a line starting with a space or tab continues the previous one). */
function unfold(text: string): { line: number; text: string }[] {
  const logical: { line: number; text: string }[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const last = logical[logical.length - 1];
    if ((raw.startsWith(" ") || raw.startsWith("\t")) && last) last.text += raw.slice(1);
    else logical.push({ line: index + 1, text: raw });
  });
  return logical.filter((l) => l.text.trim() !== "");
}

/** NAME;PARAM=value;PARAM="quoted:value":VALUE */
function parseContentLine(line: number, text: string): ContentLine {
  const nameMatch = /^[A-Za-z0-9-]+/.exec(text);
  if (!nameMatch) throw new IcsError(line, `expected a property name, found "${text.slice(0, 40)}".`);
  const params: Record<string, string> = {};
  let i = nameMatch[0].length;
  while (text[i] === ";") {
    const param = /^;([A-Za-z0-9-]+)=("[^"]*"|[^";:]*)/.exec(text.slice(i));
    if (!param) throw new IcsError(line, `malformed parameter in "${text.slice(0, 60)}".`);
    params[param[1].toUpperCase()] = param[2].replace(/^"|"$/g, "");
    i += param[0].length;
  }
  if (text[i] !== ":")
    throw new IcsError(line, `expected ":" after the property name in "${text.slice(0, 60)}".`);
  return { line, name: nameMatch[0].toUpperCase(), params, value: text.slice(i + 1) };
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? " " : c)).trim();
}

interface IcsTime {
  /** All-day: the day number. */
  date?: number;
  /** Timed: wall milliseconds in `zone`, or the UTC instant when zone is "UTC". */
  wall?: number;
  /** "UTC", an IANA zone, or null for floating time (read in the calendar's zone). */
  zone?: string | null;
}

function parseTime(prop: ContentLine): IcsTime {
  const value = prop.value.trim();
  const dateOnly = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (dateOnly || prop.params.VALUE === "DATE") {
    if (!dateOnly) throw new IcsError(prop.line, `${prop.name} "${value}" is not a date (YYYYMMDD).`);
    return { date: checkedDay(prop, Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])) };
  }
  const dateTime = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(value);
  if (!dateTime) throw new IcsError(prop.line, `${prop.name} "${value}" is not a date or date-time.`);
  const [, y, mo, d, h, mi, s, utc] = dateTime;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60)
    throw new IcsError(prop.line, `${prop.name} "${value}" has an impossible time.`);
  const day = checkedDay(prop, Number(y), Number(mo), Number(d));
  const wall = day * DAY_MS + (Number(h) * 60 + Number(mi)) * MINUTE_MS + Math.min(Number(s), 59) * 1000;
  if (utc) return { wall, zone: "UTC" };
  const tzid = prop.params.TZID ?? null;
  if (tzid !== null && !isValidTimeZone(tzid)) throw new IcsError(prop.line, `unknown time zone "${tzid}".`);
  return { wall, zone: tzid };
}

function checkedDay(prop: ContentLine, year: number, month: number, day: number): number {
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day)
    throw new IcsError(prop.line, `${prop.name} "${prop.value}" is not a real date.`);
  return ms / DAY_MS;
}

/** P1D, PT4H, P1W, PT30M, P1DT12H → milliseconds. */
function parseDuration(prop: ContentLine): number {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(prop.value.trim());
  if (!m || prop.value.trim() === "P" || prop.value.trim().endsWith("T"))
    throw new IcsError(prop.line, `DURATION "${prop.value}" is not a duration such as P1D or PT4H.`);
  const [w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  return ((((w * 7 + d) * 24 + h) * 60 + mi) * 60 + s) * 1000;
}

interface YearlyRule {
  interval: number;
  count?: number;
  untilYear?: number;
  /** "the nth weekday of a month": month 1–12, ISO weekday, n (negative counts from the end). */
  nthWeekday?: { month: number; weekday: number; n: number };
}

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** A yearly rule, or a reason it is not one this importer can use. */
function parseRule(prop: ContentLine, start: { month: number; day: number }): YearlyRule | string {
  const parts = new Map<string, string>();
  for (const piece of prop.value.split(";")) {
    const [key, value] = piece.split("=");
    if (!key || value === undefined) throw new IcsError(prop.line, `malformed RRULE part "${piece}".`);
    parts.set(key.toUpperCase(), value.toUpperCase());
  }
  const freq = parts.get("FREQ");
  if (!freq) throw new IcsError(prop.line, "RRULE has no FREQ.");
  if (freq !== "YEARLY") return `repeats ${freq.toLowerCase()}; only yearly holidays are imported`;
  const rule: YearlyRule = { interval: Number(parts.get("INTERVAL") ?? 1) };
  if (!Number.isInteger(rule.interval) || rule.interval < 1)
    throw new IcsError(prop.line, `RRULE INTERVAL "${parts.get("INTERVAL")}" is not a positive number.`);
  if (parts.has("COUNT")) rule.count = Number(parts.get("COUNT"));
  if (parts.has("UNTIL")) rule.untilYear = Number(parts.get("UNTIL")!.slice(0, 4));
  if ((rule.count !== undefined && !(rule.count > 0)) || Number.isNaN(rule.untilYear))
    throw new IcsError(prop.line, "RRULE COUNT or UNTIL is malformed.");
  const month = parts.has("BYMONTH") ? Number(parts.get("BYMONTH")) : start.month;
  const byDay = parts.get("BYDAY");
  if (byDay) {
    const m = /^([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)$/.exec(byDay);
    if (!m || !Number.isInteger(month)) return `RRULE BYDAY "${byDay}" is not "the nth weekday of a month"`;
    rule.nthWeekday = { month, weekday: WEEKDAYS.indexOf(m[2]) + 1, n: Number(m[1]) };
  } else if (month !== start.month || Number(parts.get("BYMONTHDAY") ?? start.day) !== start.day) {
    return "RRULE moves the date away from DTSTART in a way this importer does not expand";
  }
  for (const key of parts.keys())
    if (!["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYDAY", "WKST"].includes(key))
      return `RRULE uses ${key}, which this importer does not expand`;
  return rule;
}

/** Day number of the nth (or nth-from-last) ISO weekday of a month. */
function nthWeekdayOf(year: number, month: number, weekday: number, n: number): number | undefined {
  const first = Date.UTC(year, month - 1, 1) / DAY_MS;
  const last = Date.UTC(year, month, 0) / DAY_MS;
  const isoOf = (day: number) => ((((day + 3) % 7) + 7) % 7) + 1;
  if (n > 0) {
    const day = first + ((weekday - isoOf(first) + 7) % 7) + (n - 1) * 7;
    return day <= last ? day : undefined;
  }
  const day = last - ((isoOf(last) - weekday + 7) % 7) + (n + 1) * 7;
  return day >= first ? day : undefined;
}

interface VEvent {
  line: number;
  props: ContentLine[];
}

/** Parses the file into events, checking the BEGIN/END structure. */
function readEvents(text: string): VEvent[] {
  const lines = unfold(text.replace(/^\uFEFF/, ""));
  if (!lines.length) throw new IcsError(1, "the file is empty.");
  const stack: { name: string; line: number }[] = [];
  const events: VEvent[] = [];
  let current: VEvent | null = null;
  for (const { line, text: raw } of lines) {
    const prop = parseContentLine(line, raw);
    if (prop.name === "BEGIN") {
      const name = prop.value.trim().toUpperCase();
      if (!stack.length && name !== "VCALENDAR")
        throw new IcsError(line, `expected BEGIN:VCALENDAR, found BEGIN:${name}.`);
      stack.push({ name, line });
      if (name === "VEVENT" && stack.length === 2) {
        current = { line, props: [] };
        events.push(current);
      }
    } else if (prop.name === "END") {
      const name = prop.value.trim().toUpperCase();
      const open = stack.pop();
      if (!open) throw new IcsError(line, `END:${name} without a matching BEGIN.`);
      if (open.name !== name)
        throw new IcsError(line, `END:${name} closes BEGIN:${open.name} of line ${open.line}.`);
      if (name === "VEVENT" && stack.length === 1) current = null;
    } else if (!stack.length) {
      throw new IcsError(line, `${prop.name} outside BEGIN:VCALENDAR.`);
    } else if (current && stack.length === 2) {
      current.props.push(prop);
    }
  }
  const unclosed = stack.pop();
  if (unclosed)
    throw new IcsError(unclosed.line, `BEGIN:${unclosed.name} is never closed with END:${unclosed.name}.`);
  return events;
}

/** Holidays from .ics text, in the calendar's zone, expanded over the years asked for. */
export function parseIcsHolidays(text: string, options: IcsImportOptions): IcsImport {
  if (!isValidTimeZone(options.timeZone)) throw new Error(`"${options.timeZone}" is not a known time zone.`);
  const result: IcsImport = { holidays: [], skipped: [] };
  for (const event of readEvents(text)) {
    const one = (name: string) => event.props.find((p) => p.name === name);
    const summary = unescapeText(one("SUMMARY")?.value ?? "") || "Holiday";
    const skip = (reason: string) => result.skipped.push({ line: event.line, summary, reason });
    if (one("STATUS")?.value.trim().toUpperCase() === "CANCELLED") {
      skip("cancelled");
      continue;
    }
    const dtstart = one("DTSTART");
    if (!dtstart) throw new IcsError(event.line, `the event "${summary}" has no DTSTART.`);
    const start = parseTime(dtstart);
    const length = eventLength(event, start, one("DTEND"), one("DURATION"));
    if (length <= 0)
      throw new IcsError(one("DTEND")?.line ?? event.line, `the event "${summary}" ends before it starts.`);
    const rrule = one("RRULE");
    const starts = rrule ? expandYearly(rrule, start, options) : [start];
    if (typeof starts === "string") {
      skip(starts);
      continue;
    }
    const excluded = new Set(event.props.filter((p) => p.name === "EXDATE").flatMap((p) => exdates(p)));
    for (const occurrence of starts) {
      if (excluded.has(occurrence.date ?? occurrence.wall!)) continue;
      for (const holiday of holidaysOf(occurrence, length, summary, options.timeZone)) {
        const year = Number(holiday.date.slice(0, 4));
        if (year >= options.fromYear && year <= options.toYear) result.holidays.push(holiday);
      }
    }
  }
  result.holidays = dedupe(result.holidays);
  return result;
}

function eventLength(event: VEvent, start: IcsTime, dtend?: ContentLine, duration?: ContentLine): number {
  if (dtend) {
    const end = parseTime(dtend);
    if ((end.date === undefined) !== (start.date === undefined))
      throw new IcsError(
        dtend.line,
        "DTEND must be a date when DTSTART is a date, and a date-time otherwise.",
      );
    if (end.date !== undefined) return (end.date - start.date!) * DAY_MS;
    return instantOf(end, "UTC") - instantOf(start, "UTC");
  }
  if (duration) return parseDuration(duration);
  // RFC 5545: an all-day event without an end lasts one day; a timed one is an instant.
  if (start.date === undefined) throw new IcsError(event.line, "a timed event needs DTEND or DURATION.");
  return DAY_MS;
}

/** The UTC instant of a timed value; floating times are read in `fallbackZone`. */
function instantOf(time: IcsTime, fallbackZone: string): number {
  if (time.zone === "UTC") return time.wall!;
  return wallToUtc(time.zone ?? fallbackZone, time.wall!);
}

function exdates(prop: ContentLine): number[] {
  return prop.value.split(",").map((value) => {
    const t = parseTime({ ...prop, value });
    return t.date ?? t.wall!;
  });
}

function expandYearly(rrule: ContentLine, start: IcsTime, options: IcsImportOptions): IcsTime[] | string {
  const first = start.date !== undefined ? start.date * DAY_MS : start.wall!;
  const firstDate = new Date(first);
  const rule = parseRule(rrule, { month: firstDate.getUTCMonth() + 1, day: firstDate.getUTCDate() });
  if (typeof rule === "string") return rule;
  const timeOfDay = first - Math.floor(first / DAY_MS) * DAY_MS;
  const out: IcsTime[] = [];
  const firstYear = firstDate.getUTCFullYear();
  const lastYear = Math.min(options.toYear, rule.untilYear ?? options.toYear);
  for (let year = firstYear, n = 0; year <= lastYear; year += rule.interval) {
    const day = rule.nthWeekday
      ? nthWeekdayOf(year, rule.nthWeekday.month, rule.nthWeekday.weekday, rule.nthWeekday.n)
      : sameDate(year, firstDate);
    if (day === undefined || day * DAY_MS + timeOfDay < first) continue;
    n++;
    if (rule.count !== undefined && n > rule.count) break;
    if (year < options.fromYear) continue;
    out.push(start.date !== undefined ? { date: day } : { wall: day * DAY_MS + timeOfDay, zone: start.zone });
  }
  return out;
}

/** The same month and day in another year; 29 February exists only in leap years. */
function sameDate(year: number, date: Date): number | undefined {
  const ms = Date.UTC(year, date.getUTCMonth(), date.getUTCDate());
  return new Date(ms).getUTCDate() === date.getUTCDate() ? ms / DAY_MS : undefined;
}

/** One occurrence → holidays per local date of the calendar, partial where it does not cover a day. */
function holidaysOf(occurrence: IcsTime, length: number, name: string, timeZone: string): Holiday[] {
  if (occurrence.date !== undefined) {
    const days = Math.round(length / DAY_MS);
    return Array.from({ length: days }, (_, i) => ({ date: formatDate(occurrence.date! + i), name }));
  }
  const startUtc = instantOf(occurrence, timeZone);
  const from = utcToWall(timeZone, startUtc);
  const to = utcToWall(timeZone, startUtc + length);
  const out: Holiday[] = [];
  for (let day = dayOfWall(from); day <= dayOfWall(to - 1); day++) {
    const a = Math.max(from, day * DAY_MS) - day * DAY_MS;
    const b = Math.min(to, (day + 1) * DAY_MS) - day * DAY_MS;
    const startMinute = Math.floor(a / MINUTE_MS);
    const endMinute = Math.ceil(b / MINUTE_MS);
    if (endMinute <= startMinute) continue;
    if (startMinute === 0 && endMinute >= 1440) out.push({ date: formatDate(day), name });
    else
      out.push({ date: formatDate(day), name, start: formatClock(startMinute), end: formatClock(endMinute) });
  }
  return out;
}

function dedupe(holidays: Holiday[]): Holiday[] {
  const seen = new Set<string>();
  return holidays
    .sort((a, b) => a.date.localeCompare(b.date) || (a.start ?? "").localeCompare(b.start ?? ""))
    .filter((h) => {
      const key = `${h.date}|${h.name}|${h.start ?? ""}|${h.end ?? ""}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
