// The recurrence expander: each kind of rule, month ends, leap days, COUNT and UNTIL. Expected
// RRULE results were checked against python-dateutil's rrule with the same DTSTART.
import { describe, expect, test } from "bun:test";
import {
  isCalendarDay,
  occurrencesBetween,
  parseDateList,
  parseRRule,
  type Recurrence,
  RRuleError,
} from "./recurrence";

const FAR = "2100-12-31";
const rrule = (text: string): Recurrence => ({ kind: "rrule", rule: parseRRule(text) });
const all = (r: Recurrence, start: string, end?: string, limit = 10) =>
  occurrencesBetween(r, { start, end }, { from: start, to: FAR }, limit);

describe("every N days, weeks or months", () => {
  test("days and weeks step from the start", () => {
    expect(all({ kind: "interval", every: 10, unit: "day" }, "2026-12-25", undefined, 3)).toEqual([
      "2026-12-25",
      "2027-01-04",
      "2027-01-14",
    ]);
    expect(all({ kind: "interval", every: 2, unit: "week" }, "2026-02-20", undefined, 3)).toEqual([
      "2026-02-20",
      "2026-03-06",
      "2026-03-20",
    ]);
  });

  test("monthly from the 31st falls on the last day of shorter months and comes back to the 31st", () => {
    expect(all({ kind: "interval", every: 1, unit: "month" }, "2026-01-31", undefined, 5)).toEqual([
      "2026-01-31",
      "2026-02-28",
      "2026-03-31",
      "2026-04-30",
      "2026-05-31",
    ]);
    // In a leap year February has its 29th.
    expect(all({ kind: "interval", every: 1, unit: "month" }, "2028-01-30", undefined, 2)).toEqual([
      "2028-01-30",
      "2028-02-29",
    ]);
    // Every 3 months crosses the year.
    expect(all({ kind: "interval", every: 3, unit: "month" }, "2026-11-30", undefined, 3)).toEqual([
      "2026-11-30",
      "2027-02-28",
      "2027-05-30",
    ]);
  });

  test("stop at the plan's end", () => {
    expect(all({ kind: "interval", every: 1, unit: "week" }, "2026-01-01", "2026-01-22")).toEqual([
      "2026-01-01",
      "2026-01-08",
      "2026-01-15",
      "2026-01-22",
    ]);
  });
});

describe("a list of dates", () => {
  test("parses, sorts and de-duplicates; reports what is not a date", () => {
    expect(parseDateList("2026-06-01\n2026-03-01, 2026-06-01  2026-02-30 soon")).toEqual({
      dates: ["2026-03-01", "2026-06-01"],
      bad: ["2026-02-30", "soon"],
    });
  });

  test("only the dates within the plan's start and end", () => {
    const r: Recurrence = { kind: "dates", dates: ["2026-01-05", "2026-03-01", "2026-09-01", "2027-01-01"] };
    expect(all(r, "2026-02-01", "2026-12-31")).toEqual(["2026-03-01", "2026-09-01"]);
  });
});

describe("RRULE", () => {
  const cases: [string, string, string[]][] = [
    [
      "2026-01-30",
      "FREQ=DAILY;INTERVAL=3;COUNT=5",
      ["2026-01-30", "2026-02-02", "2026-02-05", "2026-02-08", "2026-02-11"],
    ],
    [
      "2026-01-01",
      "FREQ=DAILY;BYDAY=SA,SU;UNTIL=20260115",
      ["2026-01-03", "2026-01-04", "2026-01-10", "2026-01-11"],
    ],
    [
      "2026-02-01",
      "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20260220",
      ["2026-02-02", "2026-02-05", "2026-02-09", "2026-02-12", "2026-02-16", "2026-02-19"],
    ],
    ["2026-01-07", "FREQ=WEEKLY;INTERVAL=2;COUNT=3", ["2026-01-07", "2026-01-21", "2026-02-04"]],
    // RFC 5545: a month without the 31st is skipped.
    [
      "2026-01-31",
      "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=5",
      ["2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31", "2026-08-31"],
    ],
    ["2026-01-31", "FREQ=MONTHLY;COUNT=3", ["2026-01-31", "2026-03-31", "2026-05-31"]],
    // The last day of every month.
    [
      "2026-01-15",
      "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4",
      ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"],
    ],
    ["2026-01-01", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO;COUNT=3", ["2026-01-05", "2026-03-02", "2026-05-04"]],
    ["2026-01-01", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", ["2026-01-30", "2026-02-27", "2026-03-27"]],
    // BYDAY and BYMONTHDAY together: the first Monday and Tuesday of the month.
    [
      "2026-01-01",
      "FREQ=MONTHLY;BYDAY=MO,TU;BYMONTHDAY=1,2,3,4,5,6,7;COUNT=4",
      ["2026-01-05", "2026-01-06", "2026-02-02", "2026-02-03"],
    ],
    // A leap day comes back only in leap years.
    ["2024-02-29", "FREQ=YEARLY;COUNT=3", ["2024-02-29", "2028-02-29", "2032-02-29"]],
    [
      "2026-01-01",
      "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=15;COUNT=4",
      ["2026-03-15", "2026-09-15", "2027-03-15", "2027-09-15"],
    ],
    ["2026-01-01", "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=2", ["2026-11-26", "2027-11-25"]],
    ["2026-03-10", "FREQ=YEARLY;BYMONTHDAY=1;COUNT=3", ["2026-04-01", "2026-05-01", "2026-06-01"]],
  ];
  for (const [start, text, expected] of cases) {
    test(`${text} from ${start}`, () => {
      expect(all(rrule(text), start, undefined, 20)).toEqual(expected);
    });
  }

  test("COUNT is reckoned from the start, whatever window is asked for", () => {
    const r = rrule("FREQ=WEEKLY;COUNT=4");
    expect(occurrencesBetween(r, { start: "2026-01-01" }, { from: "2026-01-10", to: FAR })).toEqual([
      "2026-01-15",
      "2026-01-22",
    ]);
  });

  test("UNTIL is inclusive, also when given with a time; the plan's end cuts earlier", () => {
    expect(all(rrule("FREQ=DAILY;UNTIL=20260103T235959Z"), "2026-01-01")).toEqual([
      "2026-01-01",
      "2026-01-02",
      "2026-01-03",
    ]);
    expect(all(rrule("FREQ=DAILY;UNTIL=20260110"), "2026-01-01", "2026-01-02")).toEqual([
      "2026-01-01",
      "2026-01-02",
    ]);
  });

  test("a rule that can never match ends instead of running forever", () => {
    expect(all(rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"), "2026-01-01")).toEqual([]);
    expect(all(rrule("FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31"), "2026-01-01")).toEqual([]);
  });

  test("accepts an RRULE: prefix, lower case and a trailing semicolon", () => {
    expect(parseRRule("rrule:freq=weekly;byday=mo;")).toEqual({
      freq: "WEEKLY",
      interval: 1,
      byDay: [{ weekday: 1 }],
      byMonthDay: [],
      byMonth: [],
    });
  });

  const errors: [string, string][] = [
    ["", "Enter a rule"],
    ["INTERVAL=2", "needs a FREQ"],
    ["FREQ=HOURLY", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY"],
    ["FREQ=DAILY;BYHOUR=9", "BYHOUR is not supported"],
    ["FREQ=DAILY;DTSTART=20260101", "Leave DTSTART out"],
    ["FREQ=DAILY;INTERVAL=0", "INTERVAL must be between 1 and 1000"],
    ["FREQ=DAILY;INTERVAL=two", "INTERVAL must be a whole number"],
    ["FREQ=DAILY;COUNT=3;UNTIL=20270101", "not both"],
    ["FREQ=WEEKLY;BYDAY=XX", "BYDAY takes days"],
    ["FREQ=WEEKLY;BYDAY=1MO", "needs FREQ=MONTHLY"],
    ["FREQ=MONTHLY;BYDAY=6MO", "1 to 5"],
    ["FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY takes 1 to 31"],
    ["FREQ=MONTHLY;BYMONTHDAY=32", "between -31 and 31"],
    ["FREQ=WEEKLY;BYMONTHDAY=1", "cannot be used with FREQ=WEEKLY"],
    ["FREQ=DAILY;UNTIL=20260230", "UNTIL must be a date"],
    ["FREQ=DAILY;FREQ=WEEKLY", "given twice"],
    ["FREQ", "is not NAME=VALUE"],
  ];
  for (const [text, message] of errors) {
    test(`refuses “${text}” saying why`, () => {
      let caught: unknown;
      try {
        parseRRule(text);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(RRuleError);
      expect((caught as Error).message).toContain(message);
    });
  }
});

test("calendar days", () => {
  expect(isCalendarDay("2028-02-29")).toBe(true);
  expect(isCalendarDay("2026-02-29")).toBe(false);
  expect(isCalendarDay("2026-2-1")).toBe(false);
});
