// What a work order and an appointment may become. Same shape as the tickets' rules.
import type { AppointmentStatus, WorkOrderStatus } from "../../../db/schema";
import { humanNumbers } from "../orgs/humanNumbers";

/** "closed" and "cancelled" are final. A work order that could not be completed may be rescheduled. */
const WORK_ORDER_TRANSITIONS: Record<WorkOrderStatus, readonly WorkOrderStatus[]> = {
  new: ["scheduled", "cancelled"],
  scheduled: ["new", "dispatched", "cancelled"],
  dispatched: ["scheduled", "in_progress", "cancelled"],
  in_progress: ["completed", "cannot_complete"],
  completed: ["closed", "in_progress"],
  cannot_complete: ["scheduled", "closed", "cancelled"],
  closed: [],
  cancelled: [],
};

export function canTransitionWorkOrder(from: WorkOrderStatus, to: WorkOrderStatus): boolean {
  return from === to || WORK_ORDER_TRANSITIONS[from].includes(to);
}

export function nextWorkOrderStatuses(from: WorkOrderStatus): WorkOrderStatus[] {
  return [...WORK_ORDER_TRANSITIONS[from]];
}

export const WORK_ORDER_STATUS_LABELS: Record<WorkOrderStatus, string> = {
  new: "New",
  scheduled: "Scheduled",
  dispatched: "Dispatched",
  in_progress: "In progress",
  completed: "Completed",
  cannot_complete: "Cannot complete",
  closed: "Closed",
  cancelled: "Cancelled",
};

/** The technician moves an appointment forward on the phone; the dispatcher dispatches it. */
/** Visits still to be done or under way: not finished either way. */
export const OPEN_APPOINTMENT_STATUSES: readonly AppointmentStatus[] = [
  "scheduled",
  "dispatched",
  "travelling",
  "on_site",
];

const APPOINTMENT_TRANSITIONS: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  scheduled: ["dispatched", "travelling"],
  dispatched: ["scheduled", "travelling"],
  travelling: ["on_site", "cannot_complete"],
  on_site: ["completed", "cannot_complete"],
  completed: [],
  cannot_complete: [],
};

export function canTransitionAppointment(from: AppointmentStatus, to: AppointmentStatus): boolean {
  return APPOINTMENT_TRANSITIONS[from].includes(to);
}

export function nextAppointmentStatuses(from: AppointmentStatus): AppointmentStatus[] {
  return [...APPOINTMENT_TRANSITIONS[from]];
}

export const APPOINTMENT_STATUS_LABELS: Record<AppointmentStatus, string> = {
  scheduled: "Scheduled",
  dispatched: "Dispatched",
  travelling: "Travelling",
  on_site: "On site",
  completed: "Completed",
  cannot_complete: "Cannot complete",
};

/** What a technician's button says for the next status. */
export const APPOINTMENT_ACTIONS: Partial<Record<AppointmentStatus, string>> = {
  travelling: "Start travel",
  on_site: "Arrived on site",
  completed: "Complete",
  cannot_complete: "Cannot complete",
};

/**
 * The work order's status that follows from an appointment's: travelling or on site means the work
 * is in progress; a completed or failed visit settles it unless another visit is still open.
 */
export function workOrderStatusAfterVisit(
  current: WorkOrderStatus,
  visit: AppointmentStatus,
  otherOpenVisits: number,
): WorkOrderStatus {
  if (current === "closed" || current === "cancelled") return current;
  if (visit === "travelling" || visit === "on_site") return "in_progress";
  if (visit === "completed" && otherOpenVisits === 0) return "completed";
  if (visit === "cannot_complete" && otherOpenVisits === 0) return "cannot_complete";
  return current;
}

export const workOrderNumbers = humanNumbers("WO", "That work order");
export const formatWorkOrderNumber = workOrderNumbers.format;
export const parseWorkOrderNumber = workOrderNumbers.parse;

export const SUBJECT_MAX = 250;
export const DESCRIPTION_MAX = 20_000;
export const NOTE_MAX = 5_000;
export const REASON_MAX = 1_000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day as YYYY-MM-DD: the round trip refuses 2027-02-31, which Date.parse rolls over. */
export function validDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
