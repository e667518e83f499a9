// What an estimate may become, and when. Pure: the commands in estimates.ts ask these.
import type { EstimateStatus } from "../../../db/schema";
import { humanNumbers } from "../orgs/humanNumbers";

/**
 * draft → sent → accepted → converted (acceptance converts at once), or sent → declined / expired.
 * A sent estimate may be sent again (a reminder); everything after a customer's decision is final.
 */
const TRANSITIONS: Record<EstimateStatus, readonly EstimateStatus[]> = {
  draft: ["sent"],
  sent: ["sent", "accepted", "declined", "expired"],
  accepted: ["converted"],
  declined: [],
  expired: [],
  converted: [],
};

export function canTransitionEstimate(from: EstimateStatus, to: EstimateStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export const ESTIMATE_STATUS_LABELS: Record<EstimateStatus, string> = {
  draft: "Draft",
  sent: "Sent",
  accepted: "Accepted",
  declined: "Declined",
  expired: "Expired",
  converted: "Converted",
};

/**
 * The status people see on `today` ("2026-11-23" in the organization's calendar): a sent estimate
 * past its last valid day is expired even before anything has written that down.
 */
export function effectiveEstimateStatus(
  estimate: { status: EstimateStatus; validUntil: string },
  today: string,
): EstimateStatus {
  return estimate.status === "sent" && estimate.validUntil < today ? "expired" : estimate.status;
}

/** Only drafts change; once sent, the customer decides on exactly what they were sent. */
export const isEditable = (status: EstimateStatus) => status === "draft";

export const estimateNumbers = humanNumbers("EST", "That estimate");
export const formatEstimateNumber = estimateNumbers.format;
export const parseEstimateNumber = estimateNumbers.parse;

/** "2026-11-23" plus n days, in calendar days (no time zone involved). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export const isDay = (text: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) &&
  !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) &&
  new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

export const ESTIMATE_SUBJECT_MAX = 250;
export const ESTIMATE_NOTES_MAX = 10_000;
export const SIGNATURE_NAME_MAX = 200;
export const DECLINE_REASON_MAX = 2_000;
/** Estimates are valid this long unless the form says otherwise. */
export const DEFAULT_VALID_DAYS = 30;
