// Business-hours calendars: when the clock of an SLA counts.
//
// Rule: an instant is business time when its LOCAL WALL-CLOCK time (in the calendar's zone) falls
// inside one of that weekday's intervals and no holiday of that local date closes it. Everything
// else follows from that one rule, including daylight saving:
// - a shift 01:00–03:00 on the night clocks go back lasts three real hours (01:xx happens twice);
// - a shift starting at 02:30 on the night clocks go forward starts at 03:00 (no instant reads 02:xx);
// - an overnight shift Fri 22:00–Sat 06:00 belongs to Friday and Saturday by its wall dates, so a
//   holiday on Saturday closes its 00:00–06:00 part only.
// Instants are UTC epoch milliseconds throughout. Business time is cached per UTC day as sorted
// intervals, so adding eight business hours touches a couple of cached days, never single minutes.
import {
  DAY_MS,
  dayOfWall,
  findTransition,
  formatDate,
  HOUR_MS,
  isoWeekday,
  isValidTimeZone,
  MINUTE_MS,
  offsetAt,
  parseClock,
  parseDate,
  utcToWall,
} from "./zone";

export interface WeeklyInterval {
  /** ISO weekday the interval starts on: 1 = Monday … 7 = Sunday. */
  day: number;
  /** "HH:MM" local time. */
  start: string;
  /** "HH:MM" local time; at or before start means the interval ends the next day (overnight shift). */
  end: string;
}

export interface Holiday {
  /** Local date "YYYY-MM-DD". */
  date: string;
  name: string;
  /** Partial day: closed only from start to end ("HH:MM", end may be "24:00"). Both or neither. */
  start?: string;
  end?: string;
}

export interface CalendarDefinition {
  name: string;
  /** IANA zone, e.g. "America/New_York". */
  timeZone: string;
  /** Open around the clock (holidays, if any, still close it). */
  alwaysOpen?: boolean;
  weekly: WeeklyInterval[];
  holidays: Holiday[];
}

export class CalendarError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid business calendar: ${problems.join(" ")}`);
    this.name = "CalendarError";
  }
}

/** Business time of one UTC day: sorted, disjoint [start, end) instants and their total length. */
interface DayBusiness {
  starts: number[];
  ends: number[];
  total: number;
}

type Range = [number, number];

const WEEK_MINUTES = 7 * 1440;
// A calendar with no business time for this many days in a row has none left (e.g. every day a holiday).
const HORIZON_DAYS = 3 * 366;
const CACHE_LIMIT = 50_000;

export interface BusinessCalendar {
  readonly name: string;
  readonly timeZone: string;
  readonly alwaysOpen: boolean;
  readonly holidays: readonly Holiday[];
  /** Local-minute intervals per ISO weekday (index 1..7), already split at midnight. */
  readonly weekdays: readonly (readonly Range[])[];
  /** Closed local-minute intervals per holiday date (day number). */
  readonly closures: ReadonlyMap<number, readonly Range[]>;
  readonly cache: Map<number, DayBusiness>;
}

/** Problems a person can fix in the calendar form; empty when the definition is usable. */
export function calendarProblems(def: CalendarDefinition): string[] {
  const problems: string[] = [];
  if (!def.name?.trim()) problems.push("Give the calendar a name.");
  if (!isValidTimeZone(def.timeZone)) problems.push(`"${def.timeZone}" is not a known time zone.`);
  def.weekly.forEach((interval, i) => {
    const where = `Interval ${i + 1}`;
    if (!Number.isInteger(interval.day) || interval.day < 1 || interval.day > 7)
      problems.push(`${where}: choose a weekday.`);
    const start = parseClock(interval.start);
    const end = parseClock(interval.end);
    if (start === undefined || start >= 1440)
      problems.push(`${where}: start "${interval.start}" is not a time.`);
    if (end === undefined) problems.push(`${where}: end "${interval.end}" is not a time.`);
    if (start !== undefined && start === end) problems.push(`${where}: start and end are the same time.`);
  });
  if (!def.alwaysOpen && def.weekly.length === 0) problems.push("Add at least one business-hours interval.");
  def.holidays.forEach((holiday, i) => {
    const where = `Holiday ${i + 1} (${holiday.name || "no name"})`;
    if (parseDate(holiday.date) === undefined) problems.push(`${where}: "${holiday.date}" is not a date.`);
    if ((holiday.start === undefined) !== (holiday.end === undefined))
      problems.push(`${where}: a partial day needs both a start and an end.`);
    if (holiday.start !== undefined && holiday.end !== undefined) {
      const start = parseClock(holiday.start);
      const end = parseClock(holiday.end);
      if (start === undefined || end === undefined || start >= end)
        problems.push(`${where}: closed hours must be a start time before an end time.`);
    }
  });
  return problems;
}

/** Checks and prepares a calendar for fast queries; throws CalendarError listing every problem. */
export function compileCalendar(def: CalendarDefinition): BusinessCalendar {
  const problems = calendarProblems(def);
  if (problems.length) throw new CalendarError(problems);
  const weekly: WeeklyInterval[] = def.alwaysOpen
    ? [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: "00:00", end: "24:00" }))
    : def.weekly;
  return {
    name: def.name,
    timeZone: def.timeZone,
    alwaysOpen: Boolean(def.alwaysOpen) && def.holidays.length === 0,
    holidays: [...def.holidays].sort((a, b) => a.date.localeCompare(b.date)),
    weekdays: weekdayRanges(weekly),
    closures: holidayClosures(def.holidays),
    cache: new Map(),
  };
}

/** A calendar that always counts (for targets measured in calendar time). */
export function alwaysOpenCalendar(timeZone = "UTC", name = "24/7"): BusinessCalendar {
  return compileCalendar({ name, timeZone, alwaysOpen: true, weekly: [], holidays: [] });
}

function weekdayRanges(weekly: WeeklyInterval[]): Range[][] {
  // Lay every interval on one week of minutes (Monday 00:00 = 0), wrapping Sunday night into Monday.
  const week: Range[] = [];
  for (const interval of weekly) {
    const base = (interval.day - 1) * 1440;
    const start = base + parseClock(interval.start)!;
    let end = base + parseClock(interval.end)!;
    if (end <= start) end += 1440;
    if (end > WEEK_MINUTES) week.push([start, WEEK_MINUTES], [0, end - WEEK_MINUTES]);
    else week.push([start, end]);
  }
  const merged = mergeRanges(week);
  const days: Range[][] = [[]];
  for (let day = 1; day <= 7; day++) {
    const from = (day - 1) * 1440;
    days.push(clipRanges(merged, from, from + 1440).map(([s, e]) => [s - from, e - from]));
  }
  return days;
}

function holidayClosures(holidays: Holiday[]): Map<number, Range[]> {
  const closures = new Map<number, Range[]>();
  for (const holiday of holidays) {
    const day = parseDate(holiday.date)!;
    const range: Range =
      holiday.start === undefined ? [0, 1440] : [parseClock(holiday.start)!, parseClock(holiday.end!)!];
    closures.set(day, mergeRanges([...(closures.get(day) ?? []), range]));
  }
  return closures;
}

function mergeRanges(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function clipRanges(ranges: readonly Range[], from: number, to: number): Range[] {
  const out: Range[] = [];
  for (const [s, e] of ranges) {
    const a = Math.max(s, from);
    const b = Math.min(e, to);
    if (a < b) out.push([a, b]);
  }
  return out;
}

function subtractRanges(ranges: readonly Range[], holes: readonly Range[]): Range[] {
  let out: Range[] = [...ranges];
  for (const [hs, he] of holes) {
    const next: Range[] = [];
    for (const [s, e] of out) {
      if (he <= s || hs >= e) next.push([s, e]);
      else {
        if (s < hs) next.push([s, hs]);
        if (he < e) next.push([he, e]);
      }
    }
    out = next;
  }
  return out;
}

/** Business minutes-of-day of one local date, holidays applied. */
function localDayRanges(cal: BusinessCalendar, day: number): readonly Range[] {
  const ranges = cal.weekdays[isoWeekday(day)];
  const closed = cal.closures.get(day);
  return closed ? subtractRanges(ranges, closed) : ranges;
}

/** Business time of UTC day `utcDay`, mapped through the zone's offsets (cached). */
function businessOfUtcDay(cal: BusinessCalendar, utcDay: number): DayBusiness {
  const cached = cal.cache.get(utcDay);
  if (cached) return cached;
  const from = utcDay * DAY_MS;
  const to = from + DAY_MS;
  const starts: number[] = [];
  const ends: number[] = [];
  let total = 0;
  for (const [segFrom, segTo, offset] of offsetSegments(cal.timeZone, from, to)) {
    // Inside a segment the offset is constant, so wall time maps to UTC by one subtraction.
    const wallFrom = segFrom + offset;
    const wallTo = segTo + offset;
    for (let day = dayOfWall(wallFrom); day <= dayOfWall(wallTo - 1); day++) {
      const base = day * DAY_MS - offset;
      for (const [s, e] of localDayRanges(cal, day)) {
        const a = Math.max(base + s * MINUTE_MS, segFrom);
        const b = Math.min(base + e * MINUTE_MS, segTo);
        if (a >= b) continue;
        if (ends.length && ends[ends.length - 1] === a) ends[ends.length - 1] = b;
        else {
          starts.push(a);
          ends.push(b);
        }
        total += b - a;
      }
    }
  }
  const business = { starts, ends, total };
  if (cal.cache.size >= CACHE_LIMIT) cal.cache.clear();
  cal.cache.set(utcDay, business);
  return business;
}

/** [from, to, offset] pieces of a UTC range with a constant zone offset. */
function offsetSegments(timeZone: string, from: number, to: number): [number, number, number][] {
  // Transitions are months apart, so one per half day at most: probe the ends and the middle.
  const mid = from + 12 * HOUR_MS;
  const atFrom = offsetAt(timeZone, from);
  const atMid = offsetAt(timeZone, mid);
  const atEnd = offsetAt(timeZone, to - 1);
  const cuts: number[] = [from];
  if (atFrom !== atMid) cuts.push(findTransition(timeZone, from, mid));
  if (atMid !== atEnd) cuts.push(findTransition(timeZone, mid, to - 1));
  cuts.push(to);
  const segments: [number, number, number][] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    if (cuts[i] < cuts[i + 1]) segments.push([cuts[i], cuts[i + 1], offsetAt(timeZone, cuts[i])]);
  }
  return segments;
}

function noBusinessTime(cal: BusinessCalendar): never {
  throw new CalendarError([`"${cal.name}" has no business time within ${HORIZON_DAYS} days.`]);
}

/** Is this UTC instant inside business time? */
export function isBusinessTime(cal: BusinessCalendar, at: number): boolean {
  if (cal.alwaysOpen) return true;
  const { starts, ends } = businessOfUtcDay(cal, Math.floor(at / DAY_MS));
  for (let i = 0; i < starts.length; i++) if (starts[i] <= at && at < ends[i]) return true;
  return false;
}

/** The first business instant at or after `at` (`at` itself when it is business time). */
export function nextBusinessStart(cal: BusinessCalendar, at: number): number {
  if (cal.alwaysOpen) return at;
  const first = Math.floor(at / DAY_MS);
  for (let day = first, empty = 0; empty <= HORIZON_DAYS; day++) {
    const { starts, ends } = businessOfUtcDay(cal, day);
    for (let i = 0; i < starts.length; i++) if (ends[i] > at) return Math.max(starts[i], at);
    empty = starts.length ? 0 : empty + 1;
  }
  return noBusinessTime(cal);
}

/**
 * The earliest instant by which `ms` business milliseconds have passed since `from`. When the
 * amount runs out exactly at closing time the answer is the closing time, not the next opening.
 */
export function addBusinessMs(cal: BusinessCalendar, from: number, ms: number): number {
  if (ms < 0) throw new RangeError("Cannot add a negative business duration.");
  if (ms === 0) return from;
  if (cal.alwaysOpen) return from + ms;
  let remaining = ms;
  const first = Math.floor(from / DAY_MS);
  for (let day = first, empty = 0; empty <= HORIZON_DAYS; day++) {
    const business = businessOfUtcDay(cal, day);
    empty = business.total ? 0 : empty + 1;
    if (day > first && remaining > business.total) {
      remaining -= business.total;
      continue;
    }
    const { starts, ends } = business;
    for (let i = 0; i < starts.length; i++) {
      if (ends[i] <= from) continue;
      const start = Math.max(starts[i], from);
      const length = ends[i] - start;
      if (remaining <= length) return start + remaining;
      remaining -= length;
    }
  }
  return noBusinessTime(cal);
}

/** Business milliseconds in [from, to); zero when `to` is not after `from`. */
export function businessMsBetween(cal: BusinessCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  if (cal.alwaysOpen) return to - from;
  const first = Math.floor(from / DAY_MS);
  const last = Math.floor((to - 1) / DAY_MS);
  let sum = 0;
  for (let day = first; day <= last; day++) {
    const business = businessOfUtcDay(cal, day);
    if (day > first && day < last) {
      sum += business.total;
      continue;
    }
    const { starts, ends } = business;
    for (let i = 0; i < starts.length; i++) {
      const a = Math.max(starts[i], from);
      const b = Math.min(ends[i], to);
      if (a < b) sum += b - a;
    }
  }
  return sum;
}

/** Adds business minutes (fractions allowed, rounded to the millisecond). */
export function addBusinessMinutes(cal: BusinessCalendar, from: number, minutes: number): number {
  return addBusinessMs(cal, from, Math.round(minutes * MINUTE_MS));
}

/** Business minutes in [from, to), possibly fractional. */
export function businessMinutesBetween(cal: BusinessCalendar, from: number, to: number): number {
  return businessMsBetween(cal, from, to) / MINUTE_MS;
}

/** Holidays whose local date lies between the local dates of two instants (inclusive). */
export function holidaysBetween(cal: BusinessCalendar, from: number, to: number): Holiday[] {
  if (!cal.holidays.length || to < from) return [];
  // Local dates are within a day of UTC dates (offsets stay under ±14 h): most windows have no
  // holiday near them, and this answers them without asking Intl for the zone's offsets.
  const low = Math.floor(from / DAY_MS) - 1;
  const high = Math.floor(to / DAY_MS) + 1;
  let near = false;
  for (const day of cal.closures.keys()) if (day >= low && day <= high) near = true;
  if (!near) return [];
  const first = formatDate(dayOfWall(utcToWall(cal.timeZone, from)));
  const last = formatDate(dayOfWall(utcToWall(cal.timeZone, to)));
  return cal.holidays.filter((h) => h.date >= first && h.date <= last);
}
