import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  addBusinessMinutes,
  addBusinessMs,
  alwaysOpenCalendar,
  type BusinessCalendar,
  businessMinutesBetween,
  businessMsBetween,
  type CalendarDefinition,
  CalendarError,
  compileCalendar,
  holidaysBetween,
  isBusinessTime,
  nextBusinessStart,
  type WeeklyInterval,
} from "./calendar";
import { utcToWall, wallToUtc } from "./zone";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const weekdays = (start: string, end: string, days = [1, 2, 3, 4, 5]): WeeklyInterval[] =>
  days.map((day) => ({ day, start, end }));

const klOffice = compileCalendar({
  name: "KL office",
  timeZone: "Asia/Kuala_Lumpur",
  weekly: [...weekdays("09:00", "18:00"), { day: 6, start: "09:00", end: "13:00" }],
  holidays: [{ date: "2026-08-31", name: "Merdeka Day" }],
});

const nyOffice = compileCalendar({
  name: "NY office",
  timeZone: "America/New_York",
  weekly: weekdays("09:00", "17:00"),
  holidays: [
    { date: "2026-12-24", name: "Christmas Eve", start: "13:00", end: "24:00" },
    { date: "2026-12-25", name: "Christmas Day" },
  ],
});

const nyCalendar = (weekly: WeeklyInterval[], holidays: CalendarDefinition["holidays"] = []) =>
  compileCalendar({ name: "NY", timeZone: "America/New_York", weekly, holidays });

describe("worked examples, Asia/Kuala_Lumpur (UTC+8, no daylight saving)", () => {
  test("8 business hours from Friday 16:00 skip Sunday and the Merdeka holiday", () => {
    // Fri 16:00–18:00 = 2 h, Sat 09:00–13:00 = 4 h, Sun closed, Mon 31 Aug holiday, Tue 09:00 + 2 h.
    const friday = at("2026-08-28T08:00:00Z"); // 16:00 MYT
    expect(iso(addBusinessMinutes(klOffice, friday, 480))).toBe("2026-09-01T03:00:00.000Z");
    expect(businessMinutesBetween(klOffice, friday, at("2026-09-01T03:00:00Z"))).toBe(480);
  });

  test("time that runs out at closing time is due at closing time, not the next opening", () => {
    const friday = at("2026-08-28T08:00:00Z");
    expect(iso(addBusinessMinutes(klOffice, friday, 120))).toBe("2026-08-28T10:00:00.000Z"); // 18:00 MYT
  });

  test("inside and outside business time", () => {
    expect(isBusinessTime(klOffice, at("2026-08-28T01:00:00Z"))).toBe(true); // Fri 09:00
    expect(isBusinessTime(klOffice, at("2026-08-28T00:59:59Z"))).toBe(false); // Fri 08:59:59
    expect(isBusinessTime(klOffice, at("2026-08-29T05:00:00Z"))).toBe(false); // Sat 13:00
    expect(isBusinessTime(klOffice, at("2026-08-31T03:00:00Z"))).toBe(false); // holiday 11:00
  });

  test("next business start from Saturday afternoon is Tuesday 09:00 after the holiday", () => {
    expect(iso(nextBusinessStart(klOffice, at("2026-08-29T06:00:00Z")))).toBe("2026-09-01T01:00:00.000Z");
    const inside = at("2026-08-28T03:17:00Z");
    expect(nextBusinessStart(klOffice, inside)).toBe(inside);
  });

  test("holidays between two instants are listed by local date", () => {
    const names = holidaysBetween(klOffice, at("2026-08-28T08:00:00Z"), at("2026-09-01T03:00:00Z"));
    expect(names.map((h) => h.name)).toEqual(["Merdeka Day"]);
    expect(holidaysBetween(klOffice, at("2026-09-01T00:00:00Z"), at("2026-09-02T00:00:00Z"))).toEqual([]);
  });
});

describe("worked examples, America/New_York", () => {
  test("8 business hours across the spring-forward weekend", () => {
    // Fri 6 Mar 15:00 EST (20:00Z): 2 h on Friday, then Mon 9 Mar 09:00 EDT + 6 h = 15:00 EDT = 19:00Z.
    expect(iso(addBusinessMinutes(nyOffice, at("2026-03-06T20:00:00Z"), 480))).toBe(
      "2026-03-09T19:00:00.000Z",
    );
  });

  test("Christmas Eve closes at 13:00 and Christmas Day is closed", () => {
    // Thu 24 Dec 09:00–13:00 = 4 h; Fri 25 holiday; Mon 28 09:00 EST + 4 h = 13:00 EST = 18:00Z.
    expect(iso(addBusinessMinutes(nyOffice, at("2026-12-24T14:00:00Z"), 480))).toBe(
      "2026-12-28T18:00:00.000Z",
    );
    expect(businessMinutesBetween(nyOffice, at("2026-12-24T00:00:00Z"), at("2026-12-27T00:00:00Z"))).toBe(
      240,
    );
  });

  test("a night shift on the spring-forward night loses the skipped hour", () => {
    // Sun 8 Mar 01:00–04:00: 01:00–02:00 EST then 03:00–04:00 EDT.
    const night = nyCalendar([{ day: 7, start: "01:00", end: "04:00" }]);
    expect(businessMinutesBetween(night, at("2026-03-07T00:00:00Z"), at("2026-03-09T00:00:00Z"))).toBe(120);
  });

  test("a night shift on the fall-back night counts the repeated hour", () => {
    // Sun 1 Nov 01:00 EDT (05:00Z) to 04:00 EST (09:00Z): four real hours.
    const night = nyCalendar([{ day: 7, start: "01:00", end: "04:00" }]);
    expect(businessMinutesBetween(night, at("2026-10-31T00:00:00Z"), at("2026-11-02T00:00:00Z"))).toBe(240);
    expect(isBusinessTime(night, at("2026-11-01T05:30:00Z"))).toBe(true); // 01:30 EDT
    expect(isBusinessTime(night, at("2026-11-01T06:30:00Z"))).toBe(true); // 01:30 EST
    expect(isBusinessTime(night, at("2026-11-01T09:00:00Z"))).toBe(false); // 04:00 EST
  });

  test("a shift that starts in the skipped hour starts when the clocks jump", () => {
    // Sun 8 Mar 02:30–10:00: no instant reads 02:30, the first one reading later is 03:00 EDT (07:00Z).
    const shift = nyCalendar([{ day: 7, start: "02:30", end: "10:00" }]);
    expect(iso(nextBusinessStart(shift, at("2026-03-08T00:00:00Z")))).toBe("2026-03-08T07:00:00.000Z");
    expect(businessMinutesBetween(shift, at("2026-03-08T00:00:00Z"), at("2026-03-09T00:00:00Z"))).toBe(420);
  });

  test("a full Sunday lasts 25 hours on fall-back and 23 on spring-forward", () => {
    const sunday = nyCalendar([{ day: 7, start: "00:00", end: "24:00" }]);
    expect(businessMinutesBetween(sunday, at("2026-11-01T00:00:00Z"), at("2026-11-03T00:00:00Z"))).toBe(1500);
    expect(businessMinutesBetween(sunday, at("2026-03-08T00:00:00Z"), at("2026-03-10T00:00:00Z"))).toBe(1380);
  });

  test("an overnight shift across the fall-back night lasts nine hours", () => {
    // Sat 31 Oct 22:00 EDT (02:00Z) to Sun 06:00 EST (11:00Z).
    const overnight = nyCalendar([{ day: 6, start: "22:00", end: "06:00" }]);
    expect(iso(addBusinessMinutes(overnight, at("2026-10-31T12:00:00Z"), 540))).toBe(
      "2026-11-01T11:00:00.000Z",
    );
  });

  test("a holiday on Saturday closes only the Saturday part of a Friday night shift", () => {
    const overnight = nyCalendar(
      [{ day: 5, start: "22:00", end: "06:00" }],
      [{ date: "2026-07-04", name: "Independence Day" }],
    );
    // Fri 3 Jul 22:00 EDT to 24:00 counts; Sat 4 Jul 00:00–06:00 does not.
    expect(businessMinutesBetween(overnight, at("2026-07-03T12:00:00Z"), at("2026-07-05T12:00:00Z"))).toBe(
      120,
    );
  });

  test("a Sunday night shift wraps into Monday of the next week", () => {
    const overnight = nyCalendar([{ day: 7, start: "22:00", end: "06:00" }]);
    // Sun 12 Jul 22:00 EDT (02:00Z Mon) to Mon 06:00 EDT (10:00Z).
    expect(iso(nextBusinessStart(overnight, at("2026-07-13T00:00:00Z")))).toBe("2026-07-13T02:00:00.000Z");
    expect(businessMinutesBetween(overnight, at("2026-07-12T00:00:00Z"), at("2026-07-14T00:00:00Z"))).toBe(
      480,
    );
  });
});

describe("24/7 calendars", () => {
  test("every minute counts, daylight saving or not", () => {
    const always = alwaysOpenCalendar("America/New_York");
    const t = at("2026-03-08T05:00:00Z");
    expect(addBusinessMinutes(always, t, 600)).toBe(t + 600 * 60_000);
    expect(businessMinutesBetween(always, t, t + 90 * 60_000)).toBe(90);
    expect(isBusinessTime(always, t)).toBe(true);
  });

  test("a 24/7 calendar with a holiday closes that local day", () => {
    const def: CalendarDefinition = {
      name: "support",
      timeZone: "America/New_York",
      alwaysOpen: true,
      weekly: [],
      holidays: [{ date: "2026-12-25", name: "Christmas Day" }],
    };
    const cal = compileCalendar(def);
    expect(businessMinutesBetween(cal, at("2026-12-24T00:00:00Z"), at("2026-12-27T00:00:00Z"))).toBe(48 * 60);
  });
});

describe("validation", () => {
  test("lists every problem in one error", () => {
    const bad: CalendarDefinition = {
      name: "",
      timeZone: "Mars/Olympus",
      weekly: [
        { day: 8, start: "09:00", end: "17:00" },
        { day: 1, start: "9am", end: "17:00" },
        { day: 2, start: "10:00", end: "10:00" },
      ],
      holidays: [
        { date: "2026-02-30", name: "nope" },
        { date: "2026-01-01", name: "half", start: "12:00" },
      ],
    };
    try {
      compileCalendar(bad);
      throw new Error("expected a CalendarError");
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarError);
      const problems = (error as CalendarError).problems.join("\n");
      for (const fragment of [
        "name",
        "Mars/Olympus",
        "weekday",
        "9am",
        "same time",
        "2026-02-30",
        "both a start",
      ])
        expect(problems).toContain(fragment);
    }
  });

  test("a calendar with no business time at all fails instead of looping", () => {
    const cal = compileCalendar({
      name: "closed",
      timeZone: "UTC",
      alwaysOpen: true,
      weekly: [],
      holidays: Array.from({ length: 1200 }, (_, i) => ({
        date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
        name: "closed",
      })),
    });
    expect(() => addBusinessMinutes(cal, at("2026-01-01T00:00:00Z"), 1)).toThrow(CalendarError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties. The oracle below decides business time minute by minute from Intl's wall clock,
// independently of the interval arithmetic in calendar.ts.

const ZONES = ["America/New_York", "Asia/Kuala_Lumpur", "Europe/London", "Australia/Lord_Howe", "UTC"];
const FROM = at("2026-01-01T00:00:00Z");
const TO = at("2027-12-31T00:00:00Z");
const MINUTE = 60_000;

const clockText = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

const intervalArb = fc
  .record({
    day: fc.integer({ min: 1, max: 7 }),
    start: fc.integer({ min: 0, max: 95 }).map((q) => q * 15),
    length: fc.integer({ min: 1, max: 64 }).map((q) => q * 15),
  })
  .map(({ day, start, length }) => ({
    day,
    start: clockText(start),
    end: clockText((start + length) % 1440),
  }));

// Holidays cluster on the daylight-saving weekends so that the two kinds of trouble meet.
const holidayDates = [
  "2026-03-08",
  "2026-03-09",
  "2026-11-01",
  "2026-10-31",
  "2026-12-25",
  "2027-03-14",
  "2027-11-07",
];
const holidayArb = fc.record(
  {
    date: fc.constantFrom(...holidayDates),
    name: fc.constant("holiday"),
    partial: fc.option(fc.integer({ min: 0, max: 23 }), { nil: undefined }),
  },
  { requiredKeys: ["date", "name"] },
);

const calendarArb = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    weekly: fc.array(intervalArb, { minLength: 1, maxLength: 6 }),
    holidays: fc.array(holidayArb, { maxLength: 3 }),
  })
  .map(
    ({ timeZone, weekly, holidays }): CalendarDefinition => ({
      name: "generated",
      timeZone,
      weekly,
      holidays: holidays.map(({ date, name, partial }) =>
        partial === undefined ? { date, name } : { date, name, start: clockText(partial * 60), end: "24:00" },
      ),
    }),
  );

// Instants near daylight-saving changes half of the time, anywhere in two years otherwise.
const transitions = [
  "2026-03-08T07:00:00Z",
  "2026-11-01T06:00:00Z",
  "2027-03-14T07:00:00Z",
  "2026-10-25T01:00:00Z",
];
const instantArb = fc.oneof(
  fc.integer({ min: FROM, max: TO }),
  fc
    .tuple(fc.constantFrom(...transitions), fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }))
    .map(([t, d]) => at(t) + d),
);
const minuteArb = instantArb.map((t) => Math.floor(t / MINUTE) * MINUTE);

const wallFormats = new Map<string, Intl.DateTimeFormat>();
function wallParts(timeZone: string, t: number) {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    wallFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(t).map((p) => [p.type, p.value]));
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday) + 1;
  return {
    weekday,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const toMinutes = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3));

function oracleIsBusiness(def: CalendarDefinition, t: number): boolean {
  const wall = wallParts(def.timeZone, t);
  const closed = def.holidays.some(
    (h) =>
      h.date === wall.date &&
      (h.start === undefined || (toMinutes(h.start) <= wall.minute && wall.minute < toMinutes(h.end!))),
  );
  if (closed) return false;
  return def.weekly.some((w) => {
    const start = toMinutes(w.start);
    const end = toMinutes(w.end);
    const nextDay = w.day === 7 ? 1 : w.day + 1;
    if (end > start) return wall.weekday === w.day && start <= wall.minute && wall.minute < end;
    return (
      (wall.weekday === w.day && wall.minute >= start) || (wall.weekday === nextDay && wall.minute < end)
    );
  });
}

function oracleMinutesBetween(def: CalendarDefinition, from: number, to: number): number {
  let count = 0;
  for (let t = from; t < to; t += MINUTE) if (oracleIsBusiness(def, t)) count++;
  return count;
}

const PROPERTY_RUNS = { numRuns: 150 };

describe("properties", () => {
  test("isBusinessTime agrees with the wall-clock oracle", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (def, t) => {
        expect(isBusinessTime(compileCalendar(def), t)).toBe(oracleIsBusiness(def, t));
      }),
      { numRuns: 500 },
    );
  });

  test("business minutes between two instants agree with counting minute by minute", () => {
    fc.assert(
      fc.property(calendarArb, minuteArb, fc.integer({ min: 0, max: 3 * 1440 }), (def, from, span) => {
        const to = from + span * MINUTE;
        expect(businessMinutesBetween(compileCalendar(def), from, to)).toBe(
          oracleMinutesBetween(def, from, to),
        );
      }),
      { numRuns: 80 },
    );
  });

  test("adding n business minutes spans exactly n business minutes", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: 20_000 }), (def, t, n) => {
        const cal = compileCalendar(def);
        const due = addBusinessMinutes(cal, t, n);
        expect(due).toBeGreaterThanOrEqual(t);
        expect(businessMinutesBetween(cal, t, due)).toBe(n);
      }),
      PROPERTY_RUNS,
    );
  });

  test("add(x, between(x, y)) lands on y, or on the end of the business time before y", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, (def, a, b) => {
        const cal = compileCalendar(def);
        const [x, y] = a <= b ? [a, b] : [b, a];
        const u = addBusinessMs(cal, x, businessMsBetween(cal, x, y));
        expect(u).toBeLessThanOrEqual(y);
        expect(businessMsBetween(cal, u, y)).toBe(0);
        // Business time running right up to y is reached exactly; y at the very start of an
        // interval has none just before it, so u is the end of the business time before.
        if (isBusinessTime(cal, y - 1)) expect(u).toBe(y);
        // Earliest such instant: business time runs right up to it (or it is the starting point).
        if (u > x) expect(isBusinessTime(cal, u - 1)).toBe(true);
      }),
      PROPERTY_RUNS,
    );
  });

  test("y at the very start of a business interval: the sum lands at the end of the one before", () => {
    // Found by the property above (seed -204266082): Sunday 15:00 in Kuala Lumpur opens an interval.
    const cal = compileCalendar({
      name: "generated",
      timeZone: "Asia/Kuala_Lumpur",
      weekly: [
        { day: 7, start: "15:00", end: "15:15" },
        { day: 1, start: "00:00", end: "00:15" },
      ],
      holidays: [],
    });
    const x = Date.parse("2026-03-08T07:00:00Z");
    const y = Date.parse("2027-03-14T07:00:00Z");
    expect(isBusinessTime(cal, y)).toBe(true);
    const u = addBusinessMs(cal, x, businessMsBetween(cal, x, y));
    expect(new Date(u).toISOString()).toBe("2027-03-07T16:15:00.000Z");
    expect(businessMsBetween(cal, u, y)).toBe(0);
  });

  test("additivity: add(add(t, a), b) equals add(t, a + b), and between adds up", () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        (def, t, a, b) => {
          const cal = compileCalendar(def);
          expect(addBusinessMinutes(cal, addBusinessMinutes(cal, t, a), b)).toBe(
            addBusinessMinutes(cal, t, a + b),
          );
          const m1 = addBusinessMinutes(cal, t, a);
          const m2 = addBusinessMinutes(cal, m1, b);
          expect(businessMsBetween(cal, t, m2)).toBe(
            businessMsBetween(cal, t, m1) + businessMsBetween(cal, m1, m2),
          );
        },
      ),
      PROPERTY_RUNS,
    );
  });

  test("monotonicity in the start and in the amount", () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.integer({ min: 0, max: 7 * 86_400_000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        (def, t, shift, n, extra) => {
          const cal = compileCalendar(def);
          expect(addBusinessMinutes(cal, t + shift, n)).toBeGreaterThanOrEqual(addBusinessMinutes(cal, t, n));
          expect(addBusinessMinutes(cal, t, n + extra)).toBeGreaterThanOrEqual(addBusinessMinutes(cal, t, n));
        },
      ),
      PROPERTY_RUNS,
    );
  });

  test("next business start is business time with none before it", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (def, t) => {
        const cal: BusinessCalendar = compileCalendar(def);
        const start = nextBusinessStart(cal, t);
        expect(isBusinessTime(cal, start)).toBe(true);
        expect(businessMsBetween(cal, t, start)).toBe(0);
      }),
      PROPERTY_RUNS,
    );
  });

  test("wall times map to instants that read at least that wall time", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), minuteArb, (zone, t) => {
        const wall = wallParts(zone, t);
        const [y, m, d] = wall.date.split("-").map(Number);
        const back = wallToUtc(zone, Date.UTC(y, m - 1, d) + wall.minute * MINUTE);
        // The earliest instant reading this wall time: never later than t, and reads the same.
        expect(back).toBeLessThanOrEqual(t);
        expect(wallParts(zone, back)).toEqual(wall);
      }),
      { numRuns: 300 },
    );
  });
});

// Wall times within 90 minutes of a zone's local clock change: skipped, repeated, or plain.
const localTransitionArb = fc
  .tuple(
    fc.constantFrom(
      ["America/New_York", "2026-03-08T02:00"],
      ["America/New_York", "2026-11-01T01:00"],
      ["Europe/London", "2026-03-29T01:00"],
      ["Europe/London", "2026-10-25T01:00"],
      ["Australia/Lord_Howe", "2026-10-04T02:00"],
      ["Australia/Lord_Howe", "2026-04-05T01:30"],
      ["Asia/Kuala_Lumpur", "2026-08-31T09:00"],
    ),
    fc.integer({ min: -90, max: 90 }),
  )
  .map(([[zone, local], minutes]) => [zone, Date.parse(`${local}:00Z`) + minutes * MINUTE] as const);

describe("wall time to UTC", () => {
  const wall = (text: string) => Date.parse(`${text}Z`);
  test("property: the answer is the first instant whose wall clock reads the time asked or later", () => {
    fc.assert(
      fc.property(localTransitionArb, ([zone, w]) => {
        const u = wallToUtc(zone, w);
        expect(utcToWall(zone, u)).toBeGreaterThanOrEqual(w);
        expect(utcToWall(zone, u - MINUTE)).toBeLessThan(w);
      }),
      { numRuns: 400 },
    );
  });

  test("a skipped wall time gives the moment the clocks jump; a repeated one gives the earlier instant", () => {
    expect(iso(wallToUtc("America/New_York", wall("2026-03-08T02:30:00")))).toBe("2026-03-08T07:00:00.000Z");
    expect(iso(wallToUtc("America/New_York", wall("2026-11-01T01:30:00")))).toBe("2026-11-01T05:30:00.000Z");
    expect(iso(wallToUtc("Australia/Lord_Howe", wall("2026-10-04T02:15:00")))).toBe(
      "2026-10-03T15:30:00.000Z",
    );
    expect(iso(wallToUtc("Asia/Kuala_Lumpur", wall("2026-08-31T09:00:00")))).toBe("2026-08-31T01:00:00.000Z");
  });
});
