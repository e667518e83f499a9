// What a ticket may become: statuses, transitions, and the limits on what people type.
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES, type TicketStatus } from "../../../db/schema";
import { SENTIMENT_LEVELS } from "../ai/sentiment";
import type { FieldErrors } from "../errors";

export const OPEN_STATUSES: readonly TicketStatus[] = ["new", "open", "pending", "on_hold"];

/** Allowed status changes. "new" is only ever a starting point; "closed" is final. */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ["open", "pending", "on_hold", "solved"],
  open: ["pending", "on_hold", "solved"],
  pending: ["open", "on_hold", "solved"],
  on_hold: ["open", "pending", "solved"],
  solved: ["open", "closed"],
  closed: [],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

export function nextStatuses(from: TicketStatus): TicketStatus[] {
  return [from, ...TRANSITIONS[from]];
}

export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: "New",
  open: "Open",
  pending: "Pending",
  on_hold: "On hold",
  solved: "Solved",
  closed: "Closed",
};

export const SUBJECT_MAX = 250;
export const BODY_MAX = 100_000;
export const TAG_MAX = 50;
export const TAGS_PER_TICKET_MAX = 30;

export function subjectProblem(subject: string): string | undefined {
  if (!subject.trim()) return "Enter a subject.";
  if (subject.length > SUBJECT_MAX)
    return `Keep the subject under ${SUBJECT_MAX} characters (it has ${subject.length}).`;
  return undefined;
}

export function bodyProblem(body: string, label = "message"): string | undefined {
  if (!body.trim()) return `Write a ${label}.`;
  if (body.length > BODY_MAX) return `Keep the ${label} under ${BODY_MAX.toLocaleString("en")} characters.`;
  return undefined;
}

/** Normalizes a list of tags ("VIP, billing  issue" → ["vip", "billing-issue"]); problems go into fields.tags. */
export function normalizeTags(input: string[] | string | undefined, fields: FieldErrors): string[] {
  const raw = Array.isArray(input) ? input : (input ?? "").split(",");
  const tags = [...new Set(raw.map((t) => t.trim().toLowerCase().replace(/\s+/g, "-")).filter(Boolean))];
  const bad = tags.find((t) => t.length > TAG_MAX || !/^[\p{L}\p{N}_.:-]+$/u.test(t));
  if (bad)
    fields.tags = `Tags use letters, digits, "-", "_", "." or ":" and at most ${TAG_MAX} characters ("${bad.slice(0, 60)}").`;
  else if (tags.length > TAGS_PER_TICKET_MAX) fields.tags = `Use at most ${TAGS_PER_TICKET_MAX} tags.`;
  return tags;
}

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}

export const isStatus = (v: unknown) => isOneOf(TICKET_STATUSES, v);
export const isPriority = (v: unknown) => isOneOf(TICKET_PRIORITIES, v);
export const isType = (v: unknown) => isOneOf(TICKET_TYPES, v);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === "string" && UUID.test(v);

/** The values a ticket's status, priority and type may take, by field. */
export const TICKET_FIELD_VALUES: Record<string, readonly string[]> = {
  status: TICKET_STATUSES,
  priority: TICKET_PRIORITIES,
  type: TICKET_TYPES,
  sentiment: SENTIMENT_LEVELS,
};

/** The values a "set status/priority/type" action (automation rules, macros) may set; none for other actions. */
export function actionValues(actionType: string): readonly string[] | undefined {
  return actionType.startsWith("set_") ? TICKET_FIELD_VALUES[actionType.slice(4)] : undefined;
}
