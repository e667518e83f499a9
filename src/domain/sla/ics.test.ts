import { describe, expect, test } from "bun:test";
import { compileCalendar } from "./calendar";
import { IcsError, parseIcsHolidays } from "./ics";

const ics = (...lines: string[]) =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", ...lines, "END:VCALENDAR"].join("\r\n");
const event = (...lines: string[]) => ["BEGIN:VEVENT", ...lines, "END:VEVENT"];
const ny = { timeZone: "America/New_York", fromYear: 2026, toYear: 2028 };

function errorOf(text: string): IcsError {
  try {
    parseIcsHolidays(text, ny);
  } catch (error) {
    if (error instanceof IcsError) return error;
    throw error;
  }
  throw new Error("expected an IcsError");
}

describe("holidays from iCalendar", () => {
  test("all-day events, one and several days, with folded and escaped summaries", () => {
    const text = ics(
      ...event("UID:1", "DTSTART;VALUE=DATE:20261225", "SUMMARY:Christmas Day"),
      ...event(
        "UID:2",
        "DTSTART;VALUE=DATE:20260216",
        "DTEND;VALUE=DATE:20260218",
        "SUMMARY:Chinese New",
        "  Year\\, two days",
      ),
    );
    expect(parseIcsHolidays(text, ny).holidays).toEqual([
      { date: "2026-02-16", name: "Chinese New Year, two days" },
      { date: "2026-02-17", name: "Chinese New Year, two days" },
      { date: "2026-12-25", name: "Christmas Day" },
    ]);
  });

  test("yearly rules expand over the years asked for, including the nth weekday of a month", () => {
    const text = ics(
      ...event("DTSTART;VALUE=DATE:20200704", "RRULE:FREQ=YEARLY", "SUMMARY:Independence Day"),
      ...event(
        "DTSTART;VALUE=DATE:20201126",
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
        "SUMMARY:Thanksgiving",
      ),
      ...event(
        "DTSTART;VALUE=DATE:20200525",
        "RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO",
        "SUMMARY:Memorial Day",
      ),
      ...event("DTSTART;VALUE=DATE:20240229", "RRULE:FREQ=YEARLY", "SUMMARY:Leap day"),
      ...event("DTSTART;VALUE=DATE:20250101", "RRULE:FREQ=YEARLY;COUNT=2", "SUMMARY:Two new years"),
      ...event(
        "DTSTART;VALUE=DATE:20200301",
        "RRULE:FREQ=YEARLY",
        "EXDATE;VALUE=DATE:20270301",
        "SUMMARY:Skipped 2027",
      ),
    );
    const { holidays } = parseIcsHolidays(text, ny);
    const dates = (name: string) => holidays.filter((h) => h.name === name).map((h) => h.date);
    expect(dates("Independence Day")).toEqual(["2026-07-04", "2027-07-04", "2028-07-04"]);
    // Thanksgiving 2026: 26 Nov; 2027: 25 Nov; 2028: 23 Nov. Memorial Day: 25 May, 31 May, 29 May.
    expect(dates("Thanksgiving")).toEqual(["2026-11-26", "2027-11-25", "2028-11-23"]);
    expect(dates("Memorial Day")).toEqual(["2026-05-25", "2027-05-31", "2028-05-29"]);
    expect(dates("Leap day")).toEqual(["2028-02-29"]);
    expect(dates("Two new years")).toEqual(["2026-01-01"]);
    expect(dates("Skipped 2027")).toEqual(["2026-03-01", "2028-03-01"]);
  });

  test("timed events become partial days in the calendar's zone", () => {
    const text = ics(
      // 13:00–24:00 in New York.
      ...event(
        "DTSTART;TZID=America/New_York:20261224T130000",
        "DTEND;TZID=America/New_York:20261225T000000",
        "SUMMARY:Eve",
      ),
      // 17:00Z–21:00Z on 31 Dec = 12:00–16:00 EST.
      ...event("DTSTART:20261231T170000Z", "DURATION:PT4H", "SUMMARY:Party"),
      // 20:00 KL time on 1 Jan = 07:00 EST, for 30 hours: the rest of 1 Jan and 2 Jan until 13:00.
      ...event("DTSTART;TZID=Asia/Kuala_Lumpur:20270101T200000", "DURATION:P1DT6H", "SUMMARY:Long"),
    );
    expect(parseIcsHolidays(text, ny).holidays).toEqual([
      { date: "2026-12-24", name: "Eve", start: "13:00", end: "24:00" },
      { date: "2026-12-31", name: "Party", start: "12:00", end: "16:00" },
      { date: "2027-01-01", name: "Long", start: "07:00", end: "24:00" },
      { date: "2027-01-02", name: "Long", start: "00:00", end: "13:00" },
    ]);
  });

  test("imported holidays compile into a calendar", () => {
    const text = ics(...event("DTSTART;VALUE=DATE:20261225", "SUMMARY:Christmas Day"));
    const { holidays } = parseIcsHolidays(text, ny);
    const cal = compileCalendar({
      name: "NY",
      timeZone: "America/New_York",
      weekly: [{ day: 5, start: "09:00", end: "17:00" }],
      holidays,
    });
    expect(cal.holidays.map((h) => h.date)).toEqual(["2026-12-25"]);
  });

  test("events a business calendar cannot use are skipped with a reason", () => {
    const text = ics(
      ...event("DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=WEEKLY", "SUMMARY:Stand-up"),
      ...event("DTSTART;VALUE=DATE:20260106", "STATUS:CANCELLED", "SUMMARY:Called off"),
    );
    const result = parseIcsHolidays(text, ny);
    expect(result.holidays).toEqual([]);
    expect(result.skipped).toEqual([
      { line: 3, summary: "Stand-up", reason: "repeats weekly; only yearly holidays are imported" },
      { line: 8, summary: "Called off", reason: "cancelled" },
    ]);
  });

  test("malformed input is refused with the line it is on", () => {
    const cases: [string, number, string][] = [
      ["", 1, "empty"],
      [ics(...event("DTSTART;VALUE=DATE:20261325", "SUMMARY:x")), 4, "not a real date"],
      [ics(...event("SUMMARY:No start")), 3, "no DTSTART"],
      [ics(...event("DTSTART;VALUE=DATE:2026-12-25")), 4, "not a date"],
      [ics(...event("DTSTART;TZID=Mars/Base:20261225T090000", "DURATION:PT1H")), 4, "Mars/Base"],
      [ics(...event("DTSTART;VALUE=DATE:20261225", "DTEND;VALUE=DATE:20261224")), 5, "ends before it starts"],
      [ics(...event("DTSTART;VALUE=DATE:20261225", "RRULE:YEARLY")), 5, "malformed RRULE"],
      ["BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT", 1, "BEGIN:VCALENDAR is never closed"],
      ["BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nEND:VEVENT", 3, "without a matching BEGIN"],
      [ics("BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261225", "END:VTODO"), 5, "closes BEGIN:VEVENT of line 3"],
      [ics(...event("DTSTART;VALUE=DATE:20261225", "this line has no colon")), 5, 'expected ":"'],
      [ics(...event("DTSTART:20261225T250000Z", "DURATION:PT1H")), 4, "impossible time"],
      [ics(...event("DTSTART:20261225T090000Z", "DURATION:1H")), 5, "not a duration"],
      ["BEGIN:VEVENT\r\nEND:VEVENT", 1, "expected BEGIN:VCALENDAR"],
    ];
    for (const [text, line, fragment] of cases) {
      const error = errorOf(text);
      expect([error.line, error.message]).toEqual([line, expect.stringContaining(fragment)]);
    }
  });
});
