// SLA policies: which tickets a policy covers, its targets per priority, what pauses its clocks.
import type { Channel, TicketPriority, TicketStatus } from "../../../db/schema/tickets";

export const SLA_TARGETS = ["first_response", "next_response", "resolution"] as const;
export type SlaTargetKind = (typeof SLA_TARGETS)[number];

export const TARGET_LABELS: Record<SlaTargetKind, string> = {
  first_response: "First response",
  next_response: "Next response",
  resolution: "Resolution",
};

/** Waiting on the customer or on a third party: the organization is not the one keeping them waiting. */
export const DEFAULT_PAUSE_STATUSES: readonly TicketStatus[] = ["pending", "on_hold"];

export interface SlaTarget {
  minutes: number;
  /** true: counted on the policy's business calendar; false: every minute of the day counts. */
  businessHours: boolean;
}

/** Each list narrows the policy; an empty or missing list means "any". All given lists must match. */
export interface PolicyConditions {
  priorities?: TicketPriority[];
  channels?: Channel[];
  companyTiers?: string[];
  categories?: string[];
  teams?: string[];
  /** Ticket categories or subcategories (ids); a category covers its subcategories. */
  ticketCategories?: string[];
}

export interface SlaPolicy {
  id: string;
  name: string;
  conditions: PolicyConditions;
  targets: Partial<Record<TicketPriority, Partial<Record<SlaTargetKind, SlaTarget>>>>;
  pauseStatuses: readonly TicketStatus[];
  /** The calendar whose business hours count; null = the organization's default calendar. */
  calendarId: string | null;
}

/** What a policy's conditions look at. */
export interface TicketFacts {
  priority: TicketPriority;
  channel: Channel;
  companyTier?: string | null;
  category?: string | null;
  team?: string | null;
  /** The ticket's category and subcategory ids. */
  ticketCategory?: string | null;
  ticketSubcategory?: string | null;
}

function allows<T>(list: readonly T[] | undefined, value: T | null | undefined): boolean {
  if (!list || list.length === 0) return true;
  return value !== null && value !== undefined && list.includes(value);
}

export function policyMatches(policy: SlaPolicy, ticket: TicketFacts): boolean {
  const c = policy.conditions;
  return (
    allows(c.priorities, ticket.priority) &&
    allows(c.channels, ticket.channel) &&
    allows(c.companyTiers, ticket.companyTier) &&
    allows(c.categories, ticket.category) &&
    allows(c.teams, ticket.team) &&
    (allows(c.ticketCategories, ticket.ticketCategory) ||
      allows(c.ticketCategories, ticket.ticketSubcategory))
  );
}

/** The first policy, in the admin's order, whose conditions all match; null when none does. */
export function selectPolicy(policies: readonly SlaPolicy[], ticket: TicketFacts): SlaPolicy | null {
  return policies.find((policy) => policyMatches(policy, ticket)) ?? null;
}

export function targetFor(
  policy: SlaPolicy,
  priority: TicketPriority,
  kind: SlaTargetKind,
): SlaTarget | undefined {
  return policy.targets[priority]?.[kind];
}

export function pausesOn(policy: SlaPolicy, status: string): boolean {
  return (policy.pauseStatuses as readonly string[]).includes(status);
}

/** Problems a person can fix in the policy form; empty when usable. */
export function policyProblems(policy: SlaPolicy): string[] {
  const problems: string[] = [];
  if (!policy.name?.trim()) problems.push("Give the policy a name.");
  for (const [priority, targets] of Object.entries(policy.targets)) {
    for (const [kind, target] of Object.entries(targets ?? {})) {
      if (!target) continue;
      if (!Number.isInteger(target.minutes) || target.minutes <= 0)
        problems.push(
          `${TARGET_LABELS[kind as SlaTargetKind] ?? kind} for ${priority}: enter a whole number of minutes above zero.`,
        );
    }
  }
  if (policy.pauseStatuses.some((s) => s === "solved" || s === "closed"))
    problems.push("Solved and closed end the clocks; they cannot also pause them.");
  return problems;
}

/** "8 business hours", "1 day 4 hours", "90 minutes". */
export function describeTarget(target: SlaTarget): string {
  const unit = target.businessHours ? "business " : "";
  const { minutes } = target;
  if (minutes % 60 !== 0) return `${minutes} ${unit}minute${minutes === 1 ? "" : "s"}`;
  const hours = minutes / 60;
  return `${hours} ${unit}hour${hours === 1 ? "" : "s"}`;
}
