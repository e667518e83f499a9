// The escalation ladder: which steps are due now for a ticket's clocks, each step exactly once.
//
// A step is identified by target, cycle and rung ("resolution#1:remind_assignee"). The sweep records
// each step it performs as an event carrying that key, and passes the recorded keys back in; a step
// whose key is recorded is never returned again, even if a priority change moves the clock back
// below its threshold and over it a second time.
import type { TargetClock, TicketEvent } from "./clock";
import { HOUR_MS } from "./zone";

export const SLA_ESCALATED_EVENT = "ticket.sla_escalated";

export const ESCALATION_STEPS = [
  "remind_assignee",
  "notify_team_lead",
  "overdue_supervisor",
  "escalate_organization",
] as const;
export type EscalationStep = (typeof ESCALATION_STEPS)[number];

export interface EscalationRung {
  step: EscalationStep;
  /** 0 = a reminder, 1 = supervisor, 2 = the organization's escalation contact. */
  level: 0 | 1 | 2;
  /** Share of the target used (percent) at which the rung is reached, for percentage rungs. */
  percent?: number;
  /** Calendar hours after the breach at which the rung is reached, for breach rungs. */
  hoursAfterBreach?: number;
  label: string;
}

export const LADDER: readonly EscalationRung[] = [
  { step: "remind_assignee", level: 0, percent: 50, label: "remind the assignee (50% of the target used)" },
  { step: "notify_team_lead", level: 0, percent: 75, label: "notify the team lead (75% of the target used)" },
  {
    step: "overdue_supervisor",
    level: 1,
    hoursAfterBreach: 0,
    label: "mark overdue and escalate to the supervisor (target breached)",
  },
  {
    step: "escalate_organization",
    level: 2,
    hoursAfterBreach: 24,
    label: "escalate to the organization's escalation contact (24 h past breach)",
  },
];

export interface DueEscalation {
  key: string;
  step: EscalationStep;
  level: 0 | 1 | 2;
  target: TargetClock["target"];
  cycle: number;
  reason: string;
}

export function escalationKey(clock: Pick<TargetClock, "target" | "cycle">, step: EscalationStep): string {
  return `${clock.target}#${clock.cycle}:${step}`;
}

function reached(rung: EscalationRung, clock: TargetClock, now: number): boolean {
  if (rung.percent !== undefined) return clock.percentUsed >= rung.percent;
  if (!clock.breachedAt) return false;
  return now >= clock.breachedAt.getTime() + (rung.hoursAfterBreach ?? 0) * HOUR_MS;
}

/**
 * Steps due now and not yet recorded, lowest rung first. Only clocks still open escalate: once a
 * target is met (or the late answer has been given) there is nobody left to chase. A paused clock
 * waits too (the ticket waits on the customer or a third party); its steps come due, each still
 * once, when it runs again — so "24 h past breach" reached during a pause fires on resuming.
 */
export function dueEscalations(
  clocks: readonly TargetClock[],
  recorded: ReadonlySet<string>,
  now: Date | number,
): DueEscalation[] {
  const at = now instanceof Date ? now.getTime() : now;
  const due: DueEscalation[] = [];
  for (const clock of clocks) {
    if (!clock.open || clock.paused) continue;
    for (const rung of LADDER) {
      const key = escalationKey(clock, rung.step);
      if (recorded.has(key) || !reached(rung, clock, at)) continue;
      due.push({
        key,
        step: rung.step,
        level: rung.level,
        target: clock.target,
        cycle: clock.cycle,
        // Words on first read, like the clock's own explanation.
        get reason() {
          return `${rung.label}: ${clock.explanation.text}`;
        },
      });
    }
  }
  return due;
}

/** Keys of the steps already recorded in a ticket's event log. */
export function recordedEscalations(events: readonly TicketEvent[]): Set<string> {
  const keys = new Set<string>();
  for (const event of events) {
    const key = event.type === SLA_ESCALATED_EVENT ? event.data?.key : undefined;
    if (typeof key === "string") keys.add(key);
  }
  return keys;
}
