// Small text helpers shared by the views. Pure functions, no HTML.

import type { Channel, TicketPriority, TicketStatus } from "../../db/schema";
import { STATUS_LABELS } from "../domain/tickets/rules";
import { dateTimeFormat } from "../domain/time/formats";

export { formatTicketNumber } from "../domain/orgs/counters";

export const statusLabel = (s: TicketStatus) => STATUS_LABELS[s];
export const priorityLabel = (p: TicketPriority) => p[0].toUpperCase() + p.slice(1);
const CHANNEL_LABELS: Record<Channel, string> = {
  email: "Email",
  web: "Web",
  portal: "Portal",
  chat: "Chat",
  api: "API",
  phone: "Phone",
  sms: "SMS",
  whatsapp: "WhatsApp",
};
export const channelLabel = (c: Channel) => CHANNEL_LABELS[c];

/** "Name <address>", or "Name (+60…)" for someone known only by phone. */
export function contactLabel(c: { name: string; email: string | null; phone?: string | null }): string {
  if (c.email) return `${c.name} <${c.email}>`;
  return c.phone ? `${c.name} (${c.phone})` : c.name;
}

export const humanize = (s: string) => (s[0]?.toUpperCase() ?? "") + s.slice(1).replaceAll("_", " ");

export function formatDateTime(date: Date, timeZone = "UTC"): string {
  return dateTimeFormat("en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  }).format(date);
}

export function timeAgo(date: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < 60) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1048576) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}
