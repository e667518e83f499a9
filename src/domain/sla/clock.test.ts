import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { TicketPriority, TicketStatus } from "../../../db/schema/tickets";
import { addBusinessMs, type BusinessCalendar, isBusinessTime } from "./calendar";
import { type ClockInput, computeClocks, type TargetClock, type TicketEvent } from "./clock";
import { eventsOf, goldPolicy, klOffice, nyOffice, nyShifts, type Script, type Step } from "./fixtures";
import { targetFor } from "./policy";

const at = (iso: string) => Date.parse(iso);
const ev = (type: string, iso: string, data: Record<string, unknown> = {}): TicketEvent => ({
  type,
  createdAt: iso,
  data,
});
const created = (iso: string, priority: TicketPriority, status: TicketStatus = "new") =>
  ev("ticket.created", iso, { status, priority, channel: "email", number: 1 });
const status = (iso: string, from: TicketStatus, to: TicketStatus) =>
  ev("ticket.status_changed", iso, { from, to });

function clockOf(input: ClockInput, target: TargetClock["target"]): TargetClock {
  const clock = computeClocks(input).clocks.find((c) => c.target === target);
  if (!clock) throw new Error(`no ${target} clock`);
  return clock;
}

describe("worked examples", () => {
  test("Kuala Lumpur: paused while pending, Merdeka Day skipped", () => {
    const events = [
      created("2026-08-28T08:00:00Z", "high"), // Fri 16:00 MYT
      status("2026-08-29T01:30:00Z", "new", "pending"), // Sat 09:30
      ev("message.customer_replied", "2026-08-29T03:40:00Z"), // Sat 11:40
      status("2026-08-29T03:40:00Z", "pending", "open"),
    ];
    const input = { events, policy: goldPolicy(), calendar: klOffice(), now: at("2026-09-01T02:00:00Z") }; // Tue 10:00
    // Counted: Fri 16:00–18:00 (120) + Sat 09:00–09:30 (30) + 11:40–13:00 (80) + Tue 09:00–10:00 (60) = 290.
    const resolution = clockOf(input, "resolution");
    expect(resolution.status).toBe("running");
    expect(resolution.elapsedMinutes).toBe(290);
    expect(resolution.remainingMinutes).toBe(190);
    expect(resolution.percentUsed).toBeCloseTo((290 / 480) * 100, 10);
    expect(resolution.dueAt?.toISOString()).toBe("2026-09-01T05:10:00.000Z"); // Tue 13:10 MYT
    expect(resolution.explanation.text).toBe(
      "policy Gold, 8 business hours for high priority, business hours of KL office (Asia/Kuala_Lumpur), " +
        "paused 2 h 10 m while pending, 31 Aug is a holiday (Merdeka Day)",
    );
    // First response (4 business hours) ran out at 230 + 10: Tue 09:10 MYT.
    const first = clockOf(input, "first_response");
    expect(first.status).toBe("breached");
    expect(first.breachedAt?.toISOString()).toBe("2026-09-01T01:10:00.000Z");
    expect(first.overdueMinutes).toBe(50);
    expect(first.explanation.parts.at(-1)).toEqual({
      kind: "overdue",
      since: new Date("2026-09-01T01:10:00Z"),
    });
    expect(computeClocks(input).clocks.map((c) => c.target)).toEqual(["first_response", "resolution"]);
  });

  test("New York over Christmas: a half-day Christmas Eve and Christmas Day", () => {
    const events = [
      created("2026-12-24T16:00:00Z", "normal"), // Thu 11:00 EST
      ev("message.agent_replied", "2026-12-24T17:00:00Z"),
      status("2026-12-24T17:00:00Z", "new", "open"),
      ev("message.customer_replied", "2026-12-24T17:30:00Z"), // 12:30 EST
    ];
    const input = { events, policy: goldPolicy(), calendar: nyOffice(), now: at("2026-12-28T15:00:00Z") }; // Mon 10:00
    const first = clockOf(input, "first_response");
    expect(first.status).toBe("met");
    expect(first.elapsedMinutes).toBe(60);
    // Next response, 4 h: 12:30–13:00 Thursday, then Monday from 09:00: due 12:30 EST.
    const next = clockOf(input, "next_response");
    expect([next.status, next.cycle, next.elapsedMinutes]).toEqual(["running", 1, 90]);
    expect(next.dueAt?.toISOString()).toBe("2026-12-28T17:30:00.000Z");
    // Resolution, 16 h: 120 on Thursday + 60 Monday morning; 780 left = rest of Monday (420) + Tue 09:00–15:00.
    const resolution = clockOf(input, "resolution");
    expect(resolution.elapsedMinutes).toBe(180);
    expect(resolution.dueAt?.toISOString()).toBe("2026-12-29T20:00:00.000Z");
    expect(resolution.explanation.text).toContain("24 Dec is a partial holiday (Christmas Eve)");
    expect(resolution.explanation.text).toContain("25 Dec is a holiday (Christmas Day)");
  });

  test("raising the priority re-targets open clocks from the start; a met clock keeps its priority", () => {
    const events = [
      created("2026-09-07T01:00:00Z", "normal"), // Mon 09:00 MYT
      ev("message.agent_replied", "2026-09-07T02:00:00Z"), // first response met after 60 of 480
      status("2026-09-07T02:00:00Z", "new", "open"),
      ev("ticket.priority_changed", "2026-09-07T04:00:00Z", { from: "normal", to: "urgent" }), // 12:00
    ];
    const input = { events, policy: goldPolicy(), calendar: klOffice(), now: at("2026-09-07T04:30:00Z") };
    const resolution = clockOf(input, "resolution");
    // Urgent resolution is 2 business hours from 09:00: overdue since 11:00 MYT.
    expect(resolution.status).toBe("breached");
    expect(resolution.priority).toBe("urgent");
    expect(resolution.breachedAt?.toISOString()).toBe("2026-09-07T03:00:00.000Z");
    expect(resolution.explanation.text).toContain(
      "priority changed from normal to urgent on 7 Sept 2026 12:00 (target counted from the start)",
    );
    const first = clockOf(input, "first_response");
    expect([first.status, first.priority, first.targetMinutes]).toEqual(["met", "normal", 480]);
  });

  test("lowering the priority gives an overdue clock its new, longer target", () => {
    const events = [
      created("2026-09-07T01:00:00Z", "urgent"),
      ev("ticket.priority_changed", "2026-09-07T05:00:00Z", { from: "urgent", to: "low" }),
    ];
    const input = { events, policy: goldPolicy(), calendar: klOffice(), now: at("2026-09-07T05:00:00Z") };
    const resolution = clockOf(input, "resolution");
    expect([resolution.status, resolution.elapsedMinutes, resolution.targetMinutes]).toEqual([
      "running",
      240,
      2880,
    ]);
  });

  test("calendar-time targets count nights and weekends", () => {
    // Urgent first response: 30 calendar minutes, created Saturday night when the office is shut.
    const input = {
      events: [created("2026-09-05T14:00:00Z", "urgent")],
      policy: goldPolicy(),
      calendar: klOffice(),
      now: at("2026-09-05T14:20:00Z"),
    };
    const first = clockOf(input, "first_response");
    expect([first.status, first.elapsedMinutes, first.dueAt?.toISOString()]).toEqual([
      "running",
      20,
      "2026-09-05T14:30:00.000Z",
    ]);
    expect(first.explanation.text).toBe("policy Gold, 30 minutes for urgent priority");
  });

  test("next response: cycles start at a customer reply after an agent reply and stop at the next agent reply", () => {
    const events = [
      created("2026-09-07T01:00:00Z", "high"),
      ev("message.customer_replied", "2026-09-07T01:10:00Z"), // before any agent reply: no cycle
      ev("message.agent_replied", "2026-09-07T01:30:00Z"),
      ev("message.customer_replied", "2026-09-07T02:00:00Z"), // cycle 1 starts
      ev("message.customer_replied", "2026-09-07T02:30:00Z"), // same cycle
      ev("message.note_added", "2026-09-07T02:40:00Z"), // a note does not answer
      ev("message.agent_replied", "2026-09-07T03:00:00Z"), // cycle 1 met after 60
      ev("message.customer_replied", "2026-09-07T05:00:00Z"), // cycle 2 starts
    ];
    const result = computeClocks({
      events,
      policy: goldPolicy(),
      calendar: klOffice(),
      now: at("2026-09-07T07:00:00Z"),
    });
    expect(result.history.map((c) => [c.cycle, c.status, c.elapsedMinutes])).toEqual([[1, "met", 60]]);
    const next = result.clocks.find((c) => c.target === "next_response")!;
    expect([next.cycle, next.status, next.elapsedMinutes]).toEqual([2, "breached", 120]);
    expect(next.breachedAt?.toISOString()).toBe("2026-09-07T07:00:00.000Z");
    expect(next.explanation.text).toBe(
      "policy Gold, reply 2 to the customer's message of 7 Sept 2026 13:00, 2 business hours for high priority, " +
        "business hours of KL office (Asia/Kuala_Lumpur), overdue since 7 Sept 2026 15:00",
    );
  });

  test("solving answers an awaited response; reopening resumes resolution without counting the solved time", () => {
    const events = [
      created("2026-09-07T01:00:00Z", "high"),
      status("2026-09-07T02:00:00Z", "new", "solved"),
      ev("message.customer_replied", "2026-09-08T01:00:00Z"), // next day 09:00
      status("2026-09-08T01:00:00Z", "solved", "open"),
    ];
    const input = { events, policy: goldPolicy(), calendar: klOffice(), now: at("2026-09-08T02:00:00Z") };
    const first = clockOf(input, "first_response");
    expect([first.status, first.completedAt?.toISOString()]).toEqual(["met", "2026-09-07T02:00:00.000Z"]);
    const resolution = clockOf(input, "resolution");
    expect([resolution.status, resolution.elapsedMinutes]).toEqual(["running", 120]);
    expect(resolution.explanation.text).toContain("paused 23 h while solved");
  });

  test("a solved ticket's resolution is met or missed at the solve", () => {
    const events = [
      created("2026-09-07T01:00:00Z", "urgent"),
      status("2026-09-07T04:00:00Z", "new", "solved"),
    ];
    const input = { events, policy: goldPolicy(), calendar: klOffice(), now: at("2026-09-09T00:00:00Z") };
    const resolution = clockOf(input, "resolution");
    expect([resolution.status, resolution.open, resolution.elapsedMinutes]).toEqual(["breached", false, 180]);
    expect(resolution.explanation.text).toContain("missed on 7 Sept 2026 12:00");
  });

  test("a log without ticket.created is refused", () => {
    expect(() =>
      computeClocks({ events: [], policy: goldPolicy(), calendar: klOffice(), now: Date.now() }),
    ).toThrow("ticket.created");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over generated ticket histories.

const CALENDARS: Record<string, () => BusinessCalendar> = { klOffice, nyOffice, nyShifts };
const compiled = Object.fromEntries(Object.entries(CALENDARS).map(([k, make]) => [k, make()]));
const PRIORITIES: TicketPriority[] = ["low", "normal", "high", "urgent"];
const STARTS = [
  "2026-03-06T20:00:00Z",
  "2026-10-30T20:00:00Z",
  "2026-12-23T15:00:00Z",
  "2026-08-27T02:00:00Z",
];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    gap: fc.integer({ min: 1, max: 900 }),
    kind: fc.constantFrom("agent_reply", "customer_reply", "note"),
  }),
  fc.record({
    gap: fc.integer({ min: 1, max: 900 }),
    kind: fc.constant("status"),
    to: fc.constantFrom<TicketStatus>("open", "pending", "on_hold", "solved"),
  }),
  fc.record({
    gap: fc.integer({ min: 1, max: 900 }),
    kind: fc.constant("priority"),
    to: fc.constantFrom(...PRIORITIES),
  }),
) as fc.Arbitrary<Step>;

const scriptArb: fc.Arbitrary<Script> = fc.record({
  start: fc
    .tuple(fc.constantFrom(...STARTS), fc.integer({ min: 0, max: 3 * 1440 }))
    .map(([s, m]) => at(s) + m * 60_000),
  priority: fc.constantFrom(...PRIORITIES),
  steps: fc.array(stepArb, { maxLength: 14 }),
});
const calendarKeyArb = fc.constantFrom(...Object.keys(CALENDARS));

/** Resolution minutes counted minute by minute from a plain replay of the statuses. */
function oracleResolutionMinutes(
  events: TicketEvent[],
  calendar: BusinessCalendar,
  now: number,
  business: boolean,
) {
  const changes = events
    .filter((e) => e.type === "ticket.created" || e.type === "ticket.status_changed")
    .map((e) => ({ at: new Date(e.createdAt).getTime(), status: String(e.data?.status ?? e.data?.to) }));
  const last = changes[changes.length - 1].status;
  const end = last === "solved" ? changes[changes.length - 1].at : now;
  let count = 0;
  let index = 0;
  for (let t = changes[0].at; t < end; t += 60_000) {
    while (index + 1 < changes.length && changes[index + 1].at <= t) index++;
    const counting = !["pending", "on_hold", "solved"].includes(changes[index].status);
    if (counting && (!business || isBusinessTime(calendar, t))) count++;
  }
  return count;
}

describe("clock properties", () => {
  test("resolution counts exactly the business minutes outside pauses", () => {
    fc.assert(
      fc.property(scriptArb, calendarKeyArb, fc.integer({ min: 0, max: 2000 }), (script, key, wait) => {
        const { events, end } = eventsOf(script);
        const now = end + wait * 60_000;
        const input = { events, policy: goldPolicy(), calendar: compiled[key], now };
        const result = computeClocks(input);
        const resolution = result.clocks.find((c) => c.target === "resolution")!;
        const expected = oracleResolutionMinutes(events, compiled[key], now, resolution.businessHours);
        expect(resolution.elapsedMinutes).toBe(expected);
      }),
      { numRuns: 120 },
    );
  });

  test("a running clock is due after exactly its remaining business minutes", () => {
    fc.assert(
      fc.property(scriptArb, calendarKeyArb, fc.integer({ min: 0, max: 2000 }), (script, key, wait) => {
        const { events, end } = eventsOf(script);
        const now = end + wait * 60_000;
        const calendar = compiled[key];
        for (const clock of computeClocks({ events, policy: goldPolicy(), calendar, now }).clocks) {
          expect(clock.elapsedMinutes + clock.remainingMinutes - clock.overdueMinutes).toBe(
            clock.targetMinutes,
          );
          if (clock.status !== "running") continue;
          const cal = clock.businessHours ? calendar : undefined;
          const due = cal
            ? addBusinessMs(cal, now, clock.remainingMinutes * 60_000)
            : now + clock.remainingMinutes * 60_000;
          expect(clock.dueAt?.getTime()).toBe(due);
        }
      }),
      { numRuns: 120 },
    );
  });

  test("moving the clock forward never lowers the elapsed time, and a paused clock stands still", () => {
    fc.assert(
      fc.property(scriptArb, calendarKeyArb, fc.integer({ min: 1, max: 5000 }), (script, key, move) => {
        const { events, end } = eventsOf(script);
        const calendar = compiled[key];
        const before = computeClocks({ events, policy: goldPolicy(), calendar, now: end }).clocks;
        const after = computeClocks({
          events,
          policy: goldPolicy(),
          calendar,
          now: end + move * 60_000,
        }).clocks;
        for (const clock of before) {
          const later = after.find((c) => c.target === clock.target && c.cycle === clock.cycle)!;
          expect(later.elapsedMinutes).toBeGreaterThanOrEqual(clock.elapsedMinutes);
          if (clock.paused || !clock.open) expect(later.elapsedMinutes).toBe(clock.elapsedMinutes);
        }
      }),
      { numRuns: 120 },
    );
  });

  test("a priority change gives an open clock the same result as if the ticket had started with that priority", () => {
    fc.assert(
      fc.property(scriptArb, calendarKeyArb, fc.integer({ min: 0, max: 2000 }), (script, key, wait) => {
        const { events, end } = eventsOf(script);
        const now = end + wait * 60_000;
        const finalPriority = [...events].reverse().find((e) => e.type === "ticket.priority_changed")
          ?.data?.to;
        if (!finalPriority) return;
        const plain = events
          .filter((e) => e.type !== "ticket.priority_changed")
          .map((e) =>
            e.type === "ticket.created" ? { ...e, data: { ...e.data, priority: finalPriority } } : e,
          );
        const calendar = compiled[key];
        const changed = computeClocks({ events, policy: goldPolicy(), calendar, now }).clocks;
        const original = computeClocks({ events: plain, policy: goldPolicy(), calendar, now }).clocks;
        for (const clock of changed.filter((c) => c.open)) {
          const same = original.find((c) => c.target === clock.target && c.cycle === clock.cycle)!;
          expect([clock.status, clock.elapsedMinutes, clock.dueAt, clock.breachedAt]).toEqual([
            same.status,
            same.elapsedMinutes,
            same.dueAt,
            same.breachedAt,
          ]);
        }
      }),
      { numRuns: 120 },
    );
  });

  test("every clock's target is the policy's target for the priority it is measured under", () => {
    fc.assert(
      fc.property(scriptArb, calendarKeyArb, (script, key) => {
        const { events, end } = eventsOf(script);
        const policy = goldPolicy();
        for (const clock of computeClocks({ events, policy, calendar: compiled[key], now: end }).clocks) {
          expect(clock.targetMinutes).toBe(targetFor(policy, clock.priority, clock.target)!.minutes);
        }
      }),
      { numRuns: 60 },
    );
  });
});
