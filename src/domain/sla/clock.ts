// SLA clocks derived from a ticket's event log: recomputable at any time, and able to say why.
//
// Rules (the same ones the ticket page explains):
// - First response: starts when the ticket is created, stops at the first public agent reply
//   (internal notes do not count).
// - Next response: a cycle starts at a customer reply that follows an agent reply (later customer
//   replies in the same cycle do not restart it) and stops at the next public agent reply.
// - Resolution: starts when the ticket is created, stops when it is solved or closed. Reopening
//   resumes it; the time it spent solved is not counted.
// - Solving a ticket also answers any response still awaited: first/next response clocks stop
//   at the solve (met or breached by the same measure).
// - Paused statuses (pending and on_hold by default) stop every clock while the ticket is in them.
// - A priority change re-targets every clock that is still open: its target becomes the new
//   priority's, measured from the clock's own start (the ticket's creation for first response and
//   resolution), excluding pauses — so raising the priority can make a ticket overdue at once.
//   A clock already met or breached keeps the priority it finished under.
import type { TicketPriority } from "../../../db/schema/tickets";
import {
  addBusinessMs,
  alwaysOpenCalendar,
  type BusinessCalendar,
  businessMsBetween,
  holidaysBetween,
} from "./calendar";
import {
  describeTarget,
  pausesOn,
  type SlaPolicy,
  type SlaTarget,
  type SlaTargetKind,
  type TicketFacts,
  targetFor,
} from "./policy";
import { formatDuration, formatHolidayDate, formatInstant } from "./text";
import { MINUTE_MS } from "./zone";

/** One row of the event log, as stored (`data` holds what the command recorded). */
export interface TicketEvent {
  type: string;
  createdAt: Date | string | number;
  data?: Record<string, unknown> | null;
}

export type ClockStatus = "running" | "paused" | "met" | "breached";

export type ExplanationPart =
  | { kind: "policy"; id: string; name: string }
  | { kind: "target"; priority: TicketPriority; minutes: number; businessHours: boolean }
  | { kind: "calendar"; name: string; timeZone: string }
  | { kind: "cycle"; number: number; since: Date }
  | { kind: "paused"; status: string; ms: number }
  | { kind: "holiday"; date: string; name: string; partial: boolean }
  | { kind: "priority_changed"; from: string; to: string; at: Date }
  | { kind: "completed"; at: Date; met: boolean }
  | { kind: "overdue"; since: Date };

export interface TargetClock {
  target: SlaTargetKind;
  /** 1 for first response and resolution; the cycle number for next response. */
  cycle: number;
  status: ClockStatus;
  /** Still waiting for its stop event (running, paused, or breached and still open). */
  open: boolean;
  paused: boolean;
  priority: TicketPriority;
  targetMinutes: number;
  businessHours: boolean;
  startedAt: Date;
  /** When the target is (or was) reached; null while paused before reaching it. */
  dueAt: Date | null;
  completedAt: Date | null;
  /** The instant the target was exceeded; null when it has not been. */
  breachedAt: Date | null;
  elapsedMinutes: number;
  remainingMinutes: number;
  overdueMinutes: number;
  percentUsed: number;
  explanation: { parts: ExplanationPart[]; text: string };
}

export interface SlaClocks {
  policy: { id: string; name: string };
  priority: TicketPriority;
  status: string;
  /** The current clock of each target the policy sets for this priority. */
  clocks: TargetClock[];
  /** Earlier, completed next-response cycles, oldest first. */
  history: TargetClock[];
}

export interface ClockInput {
  events: readonly TicketEvent[];
  policy: SlaPolicy;
  /** The policy's business calendar; calendar-time targets use a 24/7 calendar in its zone. */
  calendar: BusinessCalendar;
  now: Date | number;
}

export const CLOSED_STATUSES: readonly string[] = ["solved", "closed"];

interface Change<T> {
  at: number;
  value: T;
}

/** The facts of a ticket's history that the clocks depend on. */
interface Timeline {
  createdAt: number;
  statuses: Change<string>[];
  priorities: Change<TicketPriority>[];
  firstAgentReply: number | null;
  /** Next-response cycles: [start, stop or null]. */
  cycles: [number, number | null][];
}

function toMs(value: Date | string | number): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`Event time "${String(value)}" is not a date.`);
  return ms;
}

function text(data: TicketEvent["data"], key: string): string | undefined {
  const value = data?.[key];
  return typeof value === "string" ? value : undefined;
}

/** Reads the log once into a timeline. Events must be in log order. */
export function readTimeline(events: readonly TicketEvent[]): Timeline {
  const created = events.find((e) => e.type === "ticket.created");
  if (!created) throw new Error("The ticket's event log has no ticket.created event.");
  const createdAt = toMs(created.createdAt);
  const timeline: Timeline = {
    createdAt,
    statuses: [{ at: createdAt, value: text(created.data, "status") ?? "new" }],
    priorities: [{ at: createdAt, value: (text(created.data, "priority") ?? "normal") as TicketPriority }],
    firstAgentReply: null,
    cycles: [],
  };
  let agentReplied = false;
  let status = timeline.statuses[0].value;
  for (const event of events) {
    if (event === created) continue;
    const at = Math.max(toMs(event.createdAt), createdAt);
    const open = timeline.cycles[timeline.cycles.length - 1];
    switch (event.type) {
      case "ticket.status_changed": {
        status = text(event.data, "to") ?? status;
        timeline.statuses.push({ at, value: status });
        if (CLOSED_STATUSES.includes(status) && open && open[1] === null) open[1] = at;
        break;
      }
      case "ticket.priority_changed": {
        const to = text(event.data, "to");
        if (to) timeline.priorities.push({ at, value: to as TicketPriority });
        break;
      }
      case "message.agent_replied": {
        if (timeline.firstAgentReply === null) timeline.firstAgentReply = at;
        agentReplied = true;
        if (open && open[1] === null) open[1] = at;
        break;
      }
      case "message.customer_replied": {
        if (agentReplied && !(open && open[1] === null)) timeline.cycles.push([at, null]);
        break;
      }
    }
  }
  return timeline;
}

function valueAt<T>(changes: Change<T>[], at: number): T {
  let value = changes[0].value;
  for (const change of changes) {
    if (change.at > at) break;
    value = change.value;
  }
  return value;
}

function firstAtOrAfter(changes: Change<string>[], from: number, match: (s: string) => boolean) {
  return changes.find((c) => c.at >= from && match(c.value))?.at ?? null;
}

/** Active (counting) intervals of [from, to) and the wall time paused per status. */
function activeIntervals(
  statuses: Change<string>[],
  from: number,
  to: number,
  isPaused: (status: string) => boolean,
) {
  const intervals: [number, number][] = [];
  const pauses = new Map<string, number>();
  for (let i = 0; i < statuses.length; i++) {
    const a = Math.max(statuses[i].at, from);
    const b = Math.min(i + 1 < statuses.length ? statuses[i + 1].at : to, to);
    if (a >= b) continue;
    const status = statuses[i].value;
    if (isPaused(status)) pauses.set(status, (pauses.get(status) ?? 0) + (b - a));
    else if (intervals.length && intervals[intervals.length - 1][1] === a)
      intervals[intervals.length - 1][1] = b;
    else intervals.push([a, b]);
  }
  return { intervals, pauses };
}

const calendarTime = new Map<string, BusinessCalendar>();

function countingCalendar(calendar: BusinessCalendar, target: SlaTarget): BusinessCalendar {
  if (target.businessHours) return calendar;
  let cal = calendarTime.get(calendar.timeZone);
  if (!cal) {
    cal = alwaysOpenCalendar(calendar.timeZone);
    calendarTime.set(calendar.timeZone, cal);
  }
  return cal;
}

interface ClockSpan {
  target: SlaTargetKind;
  cycle: number;
  start: number;
  /** The stop event's time, or null while still awaited. */
  stop: number | null;
}

function spansOf(timeline: Timeline): ClockSpan[] {
  const solvedAt = (from: number) =>
    firstAtOrAfter(timeline.statuses, from, (s) => CLOSED_STATUSES.includes(s));
  const start = timeline.createdAt;
  const firstStop = [timeline.firstAgentReply, solvedAt(start)].filter((t): t is number => t !== null);
  const current = timeline.statuses[timeline.statuses.length - 1];
  // Resolution stops at the solve that is still in force: the last change into solved or closed.
  let resolvedAt: number | null = null;
  if (CLOSED_STATUSES.includes(current.value)) {
    resolvedAt = current.at;
    for (let i = timeline.statuses.length - 1; i >= 0; i--) {
      if (!CLOSED_STATUSES.includes(timeline.statuses[i].value)) break;
      resolvedAt = timeline.statuses[i].at;
    }
  }
  return [
    { target: "first_response", cycle: 1, start, stop: firstStop.length ? Math.min(...firstStop) : null },
    ...timeline.cycles.map(
      ([from, stop], i): ClockSpan => ({ target: "next_response", cycle: i + 1, start: from, stop }),
    ),
    { target: "resolution", cycle: 1, start, stop: resolvedAt },
  ];
}

/**
 * What policy conditions look at, as the ticket stands now: priority and channel from the log, the
 * rest (company tier, category, team) from the caller. The policy chosen with today's facts applies
 * from the ticket's start, as a priority change does.
 */
export function currentFacts(
  events: readonly TicketEvent[],
  rest: Omit<TicketFacts, "priority" | "channel"> = {},
): TicketFacts {
  const timeline = readTimeline(events);
  const created = events.find((e) => e.type === "ticket.created");
  return {
    ...rest,
    priority: timeline.priorities[timeline.priorities.length - 1].value,
    channel: (text(created?.data, "channel") ?? "web") as TicketFacts["channel"],
  };
}

/** Computes every clock of a ticket from its events. */
export function computeClocks(input: ClockInput): SlaClocks {
  const now = toMs(input.now);
  const timeline = readTimeline(input.events);
  const clocks: TargetClock[] = [];
  const history: TargetClock[] = [];
  const spans = spansOf(timeline);
  const lastCycle = spans.filter((s) => s.target === "next_response").length;
  for (const span of spans) {
    const clock = computeClock(input, timeline, span, now);
    if (!clock) continue;
    if (span.target === "next_response" && span.cycle < lastCycle) history.push(clock);
    else clocks.push(clock);
  }
  return {
    policy: { id: input.policy.id, name: input.policy.name },
    priority: valueAt(timeline.priorities, now),
    status: valueAt(timeline.statuses, now),
    clocks,
    history,
  };
}

function computeClock(
  input: ClockInput,
  timeline: Timeline,
  span: ClockSpan,
  now: number,
): TargetClock | null {
  const { policy } = input;
  if (span.start > now) return null;
  const stop = span.stop !== null && span.stop <= now ? span.stop : null;
  const end = stop ?? now;
  const priority = valueAt(timeline.priorities, end);
  const target = targetFor(policy, priority, span.target);
  if (!target) return null;
  const cal = countingCalendar(input.calendar, target);
  const isPaused = (status: string) =>
    pausesOn(policy, status) || (span.target === "resolution" && CLOSED_STATUSES.includes(status));
  const { intervals, pauses } = activeIntervals(timeline.statuses, span.start, end, isPaused);
  const targetMs = target.minutes * MINUTE_MS;

  let elapsed = 0;
  let breachedAt: number | null = null;
  for (const [a, b] of intervals) {
    const ms = businessMsBetween(cal, a, b);
    if (breachedAt === null && elapsed + ms >= targetMs)
      breachedAt = addBusinessMs(cal, a, targetMs - elapsed);
    elapsed += ms;
  }
  const open = stop === null;
  const paused = open && isPaused(valueAt(timeline.statuses, now));
  let dueAt = breachedAt;
  if (dueAt === null && !paused) dueAt = addBusinessMs(cal, end, targetMs - elapsed);
  const over = open ? elapsed >= targetMs : elapsed > targetMs;
  if (!over) breachedAt = null;
  const status: ClockStatus = !open
    ? over
      ? "breached"
      : "met"
    : over
      ? "breached"
      : paused
        ? "paused"
        : "running";

  const clock: TargetClock = {
    target: span.target,
    cycle: span.cycle,
    status,
    open,
    paused,
    priority,
    targetMinutes: target.minutes,
    businessHours: target.businessHours,
    startedAt: new Date(span.start),
    dueAt: dueAt === null ? null : new Date(dueAt),
    completedAt: stop === null ? null : new Date(stop),
    breachedAt: breachedAt === null ? null : new Date(breachedAt),
    elapsedMinutes: elapsed / MINUTE_MS,
    remainingMinutes: Math.max(0, targetMs - elapsed) / MINUTE_MS,
    overdueMinutes: Math.max(0, elapsed - targetMs) / MINUTE_MS,
    percentUsed: (elapsed / targetMs) * 100,
    explanation: { parts: [], text: "" },
  };
  clock.explanation = explain(input, timeline, span, clock, pauses, end);
  return clock;
}

function explain(
  input: ClockInput,
  timeline: Timeline,
  span: ClockSpan,
  clock: TargetClock,
  pauses: Map<string, number>,
  end: number,
): TargetClock["explanation"] {
  const parts: ExplanationPart[] = [{ kind: "policy", id: input.policy.id, name: input.policy.name }];
  if (span.target === "next_response")
    parts.push({ kind: "cycle", number: span.cycle, since: clock.startedAt });
  parts.push({
    kind: "target",
    priority: clock.priority,
    minutes: clock.targetMinutes,
    businessHours: clock.businessHours,
  });
  if (clock.businessHours)
    parts.push({ kind: "calendar", name: input.calendar.name, timeZone: input.calendar.timeZone });
  for (const change of timeline.priorities.slice(1)) {
    if (change.at > end) break;
    const from = valueAt(timeline.priorities, change.at - 1);
    if (from !== change.value)
      parts.push({ kind: "priority_changed", from, to: change.value, at: new Date(change.at) });
  }
  for (const [status, ms] of pauses) parts.push({ kind: "paused", status, ms });
  if (clock.businessHours) {
    const until = Math.max(end, clock.dueAt?.getTime() ?? end);
    for (const h of holidaysBetween(input.calendar, span.start, until))
      parts.push({ kind: "holiday", date: h.date, name: h.name, partial: h.start !== undefined });
  }
  if (clock.completedAt)
    parts.push({ kind: "completed", at: clock.completedAt, met: clock.status === "met" });
  else if (clock.breachedAt) parts.push({ kind: "overdue", since: clock.breachedAt });
  const zone = input.calendar.timeZone;
  // Words are made on first read: a sweep over every open ticket rarely needs them.
  let text: string | undefined;
  return {
    parts,
    get text() {
      text ??= parts.map((part) => describePart(part, zone)).join(", ");
      return text;
    },
  };
}

/** One part of an explanation as words, e.g. "paused 2 h 10 m while pending"; times shown in `timeZone`. */
export function describePart(part: ExplanationPart, timeZone: string): string {
  switch (part.kind) {
    case "policy":
      return `policy ${part.name}`;
    case "cycle":
      return `reply ${part.number} to the customer's message of ${formatInstant(part.since, timeZone)}`;
    case "target":
      return `${describeTarget(part)} for ${part.priority} priority`;
    case "calendar":
      return `business hours of ${part.name} (${part.timeZone})`;
    case "priority_changed":
      return `priority changed from ${part.from} to ${part.to} on ${formatInstant(part.at, timeZone)} (target counted from the start)`;
    case "paused":
      return `paused ${formatDuration(part.ms)} while ${part.status.replace("_", " ")}`;
    case "holiday":
      return `${formatHolidayDate(part.date)} is a ${part.partial ? "partial " : ""}holiday (${part.name})`;
    case "completed":
      return `${part.met ? "met" : "missed"} on ${formatInstant(part.at, timeZone)}`;
    case "overdue":
      return `overdue since ${formatInstant(part.since, timeZone)}`;
  }
}
