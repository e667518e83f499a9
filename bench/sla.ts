// SLA engine: clocks and due escalations for 100,000 open tickets, computed in memory from their
// event logs (no database: this measures the pure engine the sweep job calls per ticket).
// Usage: npx bun bench/sla.ts [--tickets 100000] [--seed 7]
import type { TicketPriority } from "../db/schema/tickets";
import {
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
} from "../src/domain/sla/calendar";
import { computeClocks, type TicketEvent } from "../src/domain/sla/clock";
import { dueEscalations, recordedEscalations, SLA_ESCALATED_EVENT } from "../src/domain/sla/escalation";
import { eventsOf, goldPolicy, klOffice, nyOffice, nyShifts, type Step } from "../src/domain/sla/fixtures";
import { type SlaPolicy, selectPolicy } from "../src/domain/sla/policy";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const TICKETS = option("tickets", 100_000);
let seed = option("seed", 7);

/** mulberry32: the same tickets on every run. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

const NOW = Date.parse("2026-11-20T15:00:00Z");
const PRIORITIES: TicketPriority[] = ["low", "normal", "normal", "normal", "high", "urgent"];

const calendars: Record<string, BusinessCalendar> = { kl: klOffice(), ny: nyOffice(), shifts: nyShifts() };
const policies: (SlaPolicy & { calendarKey: string })[] = [
  {
    ...goldPolicy(),
    id: "vip",
    name: "VIP phone",
    conditions: { channels: ["phone"] },
    calendarKey: "shifts",
  },
  { ...goldPolicy(), id: "us", name: "US email", conditions: { channels: ["email"] }, calendarKey: "ny" },
  { ...goldPolicy(), id: "default", name: "Standard", conditions: {}, calendarKey: "kl" },
];

interface Ticket {
  channel: "email" | "web" | "phone";
  events: TicketEvent[];
}

/** An open ticket created in the last 30 days with a typical conversation so far. */
function syntheticTicket(): Ticket {
  const start = NOW - Math.floor(random() * 30 * 24 * 60) * 60_000;
  const steps: Step[] = [];
  const budget = Math.floor((NOW - start) / 60_000);
  let used = 0;
  const count = Math.floor(random() * 8);
  for (let i = 0; i < count; i++) {
    const gap = 1 + Math.floor(random() * Math.max(1, (budget - used) / 2));
    if (used + gap > budget) break;
    used += gap;
    const roll = random();
    if (roll < 0.35) steps.push({ gap, kind: "agent_reply" });
    else if (roll < 0.6) steps.push({ gap, kind: "customer_reply" });
    else if (roll < 0.7) steps.push({ gap, kind: "note" });
    else if (roll < 0.9)
      steps.push({ gap, kind: "status", to: pick(["open", "pending", "on_hold"] as const) });
    else steps.push({ gap, kind: "priority", to: pick(PRIORITIES) });
  }
  const { events } = eventsOf({ start, priority: pick(PRIORITIES), steps });
  // A third of the tickets already had their first reminder recorded by an earlier sweep.
  if (random() < 0.33)
    events.push({
      type: SLA_ESCALATED_EVENT,
      createdAt: new Date(start),
      data: { key: "resolution#1:remind_assignee" },
    });
  return { channel: pick(["email", "web", "phone"] as const), events };
}

function sweep(tickets: Ticket[]) {
  let due = 0;
  let breached = 0;
  for (const ticket of tickets) {
    const priority = (ticket.events[0].data?.priority ?? "normal") as TicketPriority;
    const policy = selectPolicy(policies, { priority, channel: ticket.channel }) as (typeof policies)[number];
    const result = computeClocks({
      events: ticket.events,
      policy,
      calendar: calendars[policy.calendarKey],
      now: NOW,
    });
    due += dueEscalations(result.clocks, recordedEscalations(ticket.events), NOW).length;
    breached += result.clocks.filter((c) => c.status === "breached").length;
  }
  return { due, breached };
}

function time<T>(run: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = run();
  return { ms: performance.now() - started, value };
}

const built = time(() => Array.from({ length: TICKETS }, syntheticTicket));
const events = built.value.reduce((n, t) => n + t.events.length, 0);
console.log(
  `built ${TICKETS.toLocaleString("en")} open tickets, ${events.toLocaleString("en")} events, in ${built.ms.toFixed(0)} ms`,
);

const cold = time(() => sweep(built.value));
const warm = [time(() => sweep(built.value)), time(() => sweep(built.value)), time(() => sweep(built.value))];
const best = Math.min(...warm.map((w) => w.ms));
console.log(
  `sweep (clocks + due escalations): first run ${cold.ms.toFixed(0)} ms (calendar caches empty), ` +
    `then ${warm.map((w) => w.ms.toFixed(0)).join(" / ")} ms; best ${((best * 1000) / TICKETS).toFixed(2)} µs per ticket`,
);
console.log(
  `  ${cold.value.due.toLocaleString("en")} escalation steps due, ${cold.value.breached.toLocaleString("en")} breached clocks`,
);

// The ticket page reads the words of each clock's explanation: cost per clock on first read.
const sample = built.value.slice(0, 20_000);
const words = time(() => {
  let clocks = 0;
  for (const ticket of sample) {
    const priority = (ticket.events[0].data?.priority ?? "normal") as TicketPriority;
    const policy = selectPolicy(policies, { priority, channel: ticket.channel }) as (typeof policies)[number];
    const result = computeClocks({
      events: ticket.events,
      policy,
      calendar: calendars[policy.calendarKey],
      now: NOW,
    });
    for (const clock of result.clocks) clocks += clock.explanation.text.length > 0 ? 1 : 0;
  }
  return clocks;
});
console.log(
  `clocks with their explanation in words: ${((words.ms * 1000) / sample.length).toFixed(2)} µs per ticket ` +
    `(${words.value.toLocaleString("en")} clocks for ${sample.length.toLocaleString("en")} tickets)`,
);

// Calendar primitives on their own: 8 business hours from random instants of a year, and the business
// minutes of random 30-day windows, in New York (with daylight saving) — after and before caching.
const ny = nyOffice();
const year = Date.parse("2026-01-01T00:00:00Z");
const instants = Array.from({ length: 200_000 }, () => year + Math.floor(random() * 365 * 24 * 60) * 60_000);
for (const label of ["day cache empty", "warm"]) {
  const adds = time(() => {
    let sum = 0;
    for (const t of instants) sum += addBusinessMinutes(ny, t, 480);
    return sum;
  });
  const spans = time(() => {
    let sum = 0;
    for (const t of instants) sum += businessMinutesBetween(ny, t, t + 30 * 86_400_000);
    return sum;
  });
  console.log(
    `calendar (${label}): add 8 business hours ${((adds.ms * 1000) / instants.length).toFixed(3)} µs/call, ` +
      `business minutes in 30 days ${((spans.ms * 1000) / instants.length).toFixed(3)} µs/call`,
  );
}
