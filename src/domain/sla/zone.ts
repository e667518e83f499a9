// Time-zone arithmetic on plain numbers (UTC epoch milliseconds), built on Intl.DateTimeFormat only:
// Bun ships the full IANA database through ICU, so no date library is needed.
//
// "Wall" milliseconds are a local date and time written as if it were UTC: Date.UTC(y, m-1, d, h, mi).
// They make local calendars simple integer arithmetic; converting between UTC and wall needs the
// zone's offset at that instant.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows this IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

const SLOT_MS = 15 * 60_000;
const slotOffsets = new Map<string, Map<number, number>>();

/** The zone's offset from UTC at this instant, in milliseconds (New York in winter: -5 h). */
export function offsetAt(timeZone: string, utcMs: number): number {
  // Offsets are cached per 15 minutes of UTC, but only for slots with the same offset at both ends:
  // a slot holding a transition is always asked of Intl, so the cache can never blur one.
  let slots = slotOffsets.get(timeZone);
  if (!slots) {
    slots = new Map();
    slotOffsets.set(timeZone, slots);
  }
  const slot = Math.floor(utcMs / SLOT_MS);
  const cached = slots.get(slot);
  if (cached !== undefined) return cached;
  const offset = intlOffset(timeZone, utcMs);
  const first = intlOffset(timeZone, slot * SLOT_MS);
  if (first === offset && intlOffset(timeZone, (slot + 1) * SLOT_MS - 1000) === offset) {
    if (slots.size >= 200_000) slots.clear();
    slots.set(slot, offset);
  }
  return offset;
}

function intlOffset(timeZone: string, utcMs: number): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of formatterFor(timeZone).formatToParts(whole)) {
    switch (part.type) {
      case "year":
        year = Number(part.value);
        break;
      case "month":
        month = Number(part.value);
        break;
      case "day":
        day = Number(part.value);
        break;
      case "hour":
        hour = Number(part.value);
        break;
      case "minute":
        minute = Number(part.value);
        break;
      case "second":
        second = Number(part.value);
        break;
      case "era":
        bc = part.value === "BC" || part.value === "B";
        break;
    }
  }
  const wall = Date.UTC(bc ? 1 - year : year, month - 1, day, hour, minute, second);
  return wall - whole;
}

/** Local wall milliseconds of a UTC instant. */
export function utcToWall(timeZone: string, utcMs: number): number {
  return utcMs + offsetAt(timeZone, utcMs);
}

/**
 * The UTC instant of a local wall time. A wall time that occurs twice (the repeated hour when
 * clocks go back) gives the earlier instant; one that never occurs (the skipped hour when clocks
 * go forward) gives the first instant after the gap, i.e. the moment the clocks jump — so
 * "02:30" on a spring-forward morning in New York is 03:00 EDT, the first instant whose wall
 * clock reads 02:30 or later.
 */
export function wallToUtc(timeZone: string, wallMs: number): number {
  // Offsets never exceed ±14 h: the offsets around the guess cover every candidate.
  const before = offsetAt(timeZone, wallMs - DAY_MS);
  const after = offsetAt(timeZone, wallMs + DAY_MS);
  const candidates = before === after ? [before] : [before, after];
  let earliest = Number.POSITIVE_INFINITY;
  for (const offset of candidates) {
    const utc = wallMs - offset;
    if (offsetAt(timeZone, utc) === offset && utc < earliest) earliest = utc;
  }
  if (earliest !== Number.POSITIVE_INFINITY) return earliest;
  // Skipped wall time: the transition lies between wall - before and wall - after.
  const a = wallMs - before;
  const b = wallMs - after;
  return findTransition(timeZone, Math.min(a, b), Math.max(a, b));
}

/** The first instant in (lo, hi] whose offset differs from the offset at lo (minute precision). */
export function findTransition(timeZone: string, lo: number, hi: number): number {
  const start = offsetAt(timeZone, lo);
  let low = Math.floor(lo / MINUTE_MS);
  let high = Math.ceil(hi / MINUTE_MS);
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (offsetAt(timeZone, mid * MINUTE_MS) === start) low = mid;
    else high = mid;
  }
  return high * MINUTE_MS;
}

/** Day number (days since 1970-01-01) of a wall time. */
export function dayOfWall(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** "2026-12-25" → day number; undefined when not a real date. */
export function parseDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day)
    return undefined;
  return ms / DAY_MS;
}

/** Day number → "2026-12-25". */
export function formatDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** "09:30" → 570; "24:00" is allowed as an end of day. undefined when malformed. */
export function parseClock(text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return undefined;
  return hours * 60 + minutes;
}

/** 570 → "09:30". */
export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
