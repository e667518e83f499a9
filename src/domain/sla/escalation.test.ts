import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { TicketPriority, TicketStatus } from "../../../db/schema/tickets";
import { computeClocks, type TargetClock, type TicketEvent } from "./clock";
import {
  type DueEscalation,
  dueEscalations,
  ESCALATION_STEPS,
  escalationKey,
  LADDER,
  recordedEscalations,
  SLA_ESCALATED_EVENT,
} from "./escalation";
import { eventsOf, goldPolicy, klOffice, nyShifts, type Script, type Step } from "./fixtures";

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Runs the sweep over a ticket as the clock moves, recording each step as an event. */
function simulate(script: Script, ticks: number[], calendar = nyShifts()) {
  const { events: history } = eventsOf(script);
  const log: TicketEvent[] = [];
  const fired: { now: number; due: DueEscalation; clock: TargetClock }[] = [];
  let next = 0;
  for (const now of ticks) {
    while (next < history.length && new Date(history[next].createdAt).getTime() <= now)
      log.push(history[next++]);
    const result = computeClocks({ events: log, policy: goldPolicy(), calendar, now });
    const clocks = [...result.clocks, ...result.history];
    const recorded = recordedEscalations(log);
    for (const due of dueEscalations(clocks, recorded, now)) {
      const clock = clocks.find((c) => c.target === due.target && c.cycle === due.cycle)!;
      fired.push({ now, due, clock });
      log.push({
        type: SLA_ESCALATED_EVENT,
        createdAt: new Date(now),
        data: { key: due.key, step: due.step },
      });
    }
    // After the sweep, every rung the open clocks have reached is on record.
    const after = recordedEscalations(log);
    for (const clock of clocks.filter((c) => c.open && !c.paused))
      for (const rung of LADDER) {
        const reached =
          rung.percent !== undefined
            ? clock.percentUsed >= rung.percent
            : clock.breachedAt !== null &&
              now >= clock.breachedAt.getTime() + (rung.hoursAfterBreach ?? 0) * HOUR;
        if (reached) expect(after.has(escalationKey(clock, rung.step))).toBe(true);
      }
  }
  return { log, fired };
}

function countKeys(log: TicketEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of log)
    if (e.type === SLA_ESCALATED_EVENT)
      counts.set(String(e.data?.key), (counts.get(String(e.data?.key)) ?? 0) + 1);
  return counts;
}

describe("escalation ladder", () => {
  test("an untouched high-priority ticket climbs every rung of both clocks once in 30 days", () => {
    const start = Date.parse("2026-09-07T01:00:00Z"); // Mon 09:00 in Kuala Lumpur
    const ticks = Array.from({ length: 30 * 24 * 4 }, (_, i) => start + i * 15 * MINUTE);
    const { log, fired } = simulate({ start, priority: "high", steps: [] }, ticks, klOffice());
    const counts = countKeys(log);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect([...counts.keys()].sort()).toEqual(
      ESCALATION_STEPS.flatMap((step) => [`first_response#1:${step}`, `resolution#1:${step}`]).sort(),
    );
    // First response: 4 business hours from Mon 09:00 → 50% at 11:00, 75% at 12:00, breach at 13:00 MYT.
    const whenFired = (key: string) => new Date(fired.find((f) => f.due.key === key)!.now).toISOString();
    expect(whenFired("first_response#1:remind_assignee")).toBe("2026-09-07T03:00:00.000Z");
    expect(whenFired("first_response#1:notify_team_lead")).toBe("2026-09-07T04:00:00.000Z");
    expect(whenFired("first_response#1:overdue_supervisor")).toBe("2026-09-07T05:00:00.000Z");
    expect(whenFired("first_response#1:escalate_organization")).toBe("2026-09-08T05:00:00.000Z");
    // Resolution: 8 business hours → breach Mon 17:00 MYT; level 2 a calendar day later.
    expect(whenFired("resolution#1:overdue_supervisor")).toBe("2026-09-07T09:00:00.000Z");
    expect(whenFired("resolution#1:escalate_organization")).toBe("2026-09-08T09:00:00.000Z");
  });

  test("met clocks do not escalate, and recorded steps are never returned again", () => {
    const start = Date.parse("2026-09-07T01:00:00Z");
    const steps: Step[] = [
      { gap: 150, kind: "agent_reply" }, // first response met at 62% of its target
      { gap: 10, kind: "status", to: "solved" },
    ];
    const { log } = simulate(
      { start, priority: "high", steps },
      [start + 130 * MINUTE, start + 30 * 24 * HOUR],
      klOffice(),
    );
    expect([...countKeys(log).keys()]).toEqual(["first_response#1:remind_assignee"]);
    const clocks = computeClocks({
      events: log,
      policy: goldPolicy(),
      calendar: klOffice(),
      now: start + 2 * HOUR,
    }).clocks;
    const open = clocks.map((c) => ({ ...c, open: true, percentUsed: 80 }));
    const recorded = recordedEscalations(log);
    expect(dueEscalations(open, recorded, start).map((d) => d.key)).toEqual([
      "first_response#1:notify_team_lead",
      "resolution#1:remind_assignee",
      "resolution#1:notify_team_lead",
    ]);
  });

  test("a paused clock waits: the level-2 step reached during a pause fires when the clock runs again", () => {
    const start = Date.parse("2026-09-07T01:00:00Z"); // Mon 09:00 MYT; first response breached at 13:00
    const steps: Step[] = [
      { gap: 5 * 60, kind: "status", to: "pending" }, // Mon 14:00, an hour after the breach
      { gap: 3 * 24 * 60, kind: "customer_reply" }, // Thu 14:00: reopened
    ];
    const ticks = Array.from({ length: 5 * 24 }, (_, i) => start + i * HOUR);
    const { fired } = simulate({ start, priority: "high", steps }, ticks, klOffice());
    const level2 = fired.find((f) => f.due.key === "first_response#1:escalate_organization")!;
    expect(new Date(level2.now).toISOString()).toBe("2026-09-10T06:00:00.000Z");
    // Resolution: 300 business minutes before the pause, 180 after it → breached Thu 17:00, level 2 Fri 17:00.
    expect(
      fired
        .filter((f) => f.due.step === "escalate_organization")
        .map((f) => [f.due.key, new Date(f.now).toISOString()]),
    ).toEqual([
      ["first_response#1:escalate_organization", "2026-09-10T06:00:00.000Z"],
      ["resolution#1:escalate_organization", "2026-09-11T09:00:00.000Z"],
    ]);
  });

  const PRIORITIES: TicketPriority[] = ["low", "normal", "high", "urgent"];
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      gap: fc.integer({ min: 1, max: 3000 }),
      kind: fc.constantFrom("agent_reply", "customer_reply", "note"),
    }),
    fc.record({
      gap: fc.integer({ min: 1, max: 3000 }),
      kind: fc.constant("status"),
      to: fc.constantFrom<TicketStatus>("open", "pending", "on_hold", "solved"),
    }),
    fc.record({
      gap: fc.integer({ min: 1, max: 3000 }),
      kind: fc.constant("priority"),
      to: fc.constantFrom(...PRIORITIES),
    }),
  ) as fc.Arbitrary<Step>;

  test("over a simulated 30 days with the clock moved in uneven steps, every step fires exactly once and only when due", () => {
    fc.assert(
      fc.property(
        fc.record({
          start: fc.integer({
            min: Date.parse("2026-02-20T00:00:00Z"),
            max: Date.parse("2026-10-25T00:00:00Z"),
          }),
          priority: fc.constantFrom(...PRIORITIES),
          steps: fc.array(stepArb, { maxLength: 20 }),
        }),
        fc.array(fc.integer({ min: 5, max: 600 }), { minLength: 60, maxLength: 60 }),
        (script, moves) => {
          const ticks: number[] = [];
          for (let t = script.start, i = 0; t < script.start + 30 * 24 * HOUR; i++) {
            t += moves[i % moves.length] * MINUTE;
            ticks.push(t);
          }
          const { log, fired } = simulate(script, ticks);
          for (const count of countKeys(log).values()) expect(count).toBe(1);
          for (const { now, due, clock } of fired) {
            const rung = LADDER.find((r) => r.step === due.step)!;
            expect([clock.open, clock.paused]).toEqual([true, false]);
            if (rung.percent !== undefined) expect(clock.percentUsed).toBeGreaterThanOrEqual(rung.percent);
            else
              expect(now).toBeGreaterThanOrEqual(
                clock.breachedAt!.getTime() + (rung.hoursAfterBreach ?? 0) * HOUR,
              );
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
