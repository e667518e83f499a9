// Shared builders for the SLA tests and the benchmark: policies, calendars and event logs.
import type { TicketPriority, TicketStatus } from "../../../db/schema/tickets";
import { compileCalendar, type WeeklyInterval } from "./calendar";
import type { TicketEvent } from "./clock";
import { DEFAULT_PAUSE_STATUSES, type SlaPolicy, type SlaTarget, type SlaTargetKind } from "./policy";

const business = (minutes: number): SlaTarget => ({ minutes, businessHours: true });
const calendarTime = (minutes: number): SlaTarget => ({ minutes, businessHours: false });

export function goldPolicy(): SlaPolicy {
  const targets: Record<TicketPriority, Partial<Record<SlaTargetKind, SlaTarget>>> = {
    low: { first_response: business(960), next_response: business(480), resolution: business(2880) },
    normal: { first_response: business(480), next_response: business(240), resolution: business(960) },
    high: { first_response: business(240), next_response: business(120), resolution: business(480) },
    urgent: { first_response: calendarTime(30), next_response: business(60), resolution: business(120) },
  };
  return {
    id: "gold",
    name: "Gold",
    conditions: {},
    targets,
    pauseStatuses: DEFAULT_PAUSE_STATUSES,
    calendarId: null,
  };
}

const weekdays = (start: string, end: string): WeeklyInterval[] =>
  [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));

export const klOffice = () =>
  compileCalendar({
    name: "KL office",
    timeZone: "Asia/Kuala_Lumpur",
    weekly: [...weekdays("09:00", "18:00"), { day: 6, start: "09:00", end: "13:00" }],
    holidays: [{ date: "2026-08-31", name: "Merdeka Day" }],
  });

export const nyOffice = () =>
  compileCalendar({
    name: "NY office",
    timeZone: "America/New_York",
    weekly: weekdays("09:00", "17:00"),
    holidays: [
      { date: "2026-12-24", name: "Christmas Eve", start: "13:00", end: "24:00" },
      { date: "2026-12-25", name: "Christmas Day" },
    ],
  });

/** New York with a Friday night shift and holidays on the daylight-saving weekends. */
export const nyShifts = () =>
  compileCalendar({
    name: "NY shifts",
    timeZone: "America/New_York",
    weekly: [
      ...weekdays("08:00", "12:00"),
      ...weekdays("13:00", "18:00"),
      { day: 5, start: "22:00", end: "06:00" },
    ],
    holidays: [
      { date: "2026-03-09", name: "Spring day" },
      { date: "2026-11-02", name: "Autumn day", start: "12:00", end: "24:00" },
    ],
  });

export type Step =
  | { gap: number; kind: "agent_reply" | "customer_reply" | "note" }
  | { gap: number; kind: "status"; to: TicketStatus }
  | { gap: number; kind: "priority"; to: TicketPriority };

export interface Script {
  start: number;
  priority: TicketPriority;
  steps: Step[];
}

/** Plays a script into an event log the way the ticket commands would write it. */
export function eventsOf(script: Script): { events: TicketEvent[]; end: number } {
  let t = script.start;
  let status = "new" as TicketStatus;
  let priority = script.priority;
  const events: TicketEvent[] = [
    { type: "ticket.created", createdAt: new Date(t), data: { status, priority, channel: "email" } },
  ];
  const setStatus = (to: TicketStatus) => {
    if (to === status) return;
    events.push({ type: "ticket.status_changed", createdAt: new Date(t), data: { from: status, to } });
    status = to;
  };
  for (const step of script.steps) {
    t += step.gap * 60_000;
    if (step.kind === "status") setStatus(step.to);
    else if (step.kind === "priority") {
      if (step.to === priority) continue;
      events.push({
        type: "ticket.priority_changed",
        createdAt: new Date(t),
        data: { from: priority, to: step.to },
      });
      priority = step.to;
    } else if (step.kind === "customer_reply") {
      events.push({ type: "message.customer_replied", createdAt: new Date(t), data: { kind: "reply" } });
      // A customer's reply reopens a solved or pending ticket.
      if (status !== "open" && status !== "new" && status !== "on_hold") setStatus("open");
    } else if (step.kind === "agent_reply") {
      events.push({ type: "message.agent_replied", createdAt: new Date(t), data: { kind: "reply" } });
      if (status === "new") setStatus("open");
    } else {
      events.push({ type: "message.note_added", createdAt: new Date(t), data: { kind: "note" } });
    }
  }
  return { events, end: t };
}
