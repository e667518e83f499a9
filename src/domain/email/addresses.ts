// Addresses and identifiers of the mail the product sends and receives.
import { randomBytes, randomUUID } from "node:crypto";

/** A Message-ID for a new message, without angle brackets: unique, and naming the sending domain. */
export function newMessageId(fromAddress: string): string {
  return `${randomUUID()}@${domainOf(fromAddress) || "fieldesk.invalid"}`;
}

/** Ticket reply tokens: 16 lower-case letters and digits, unguessable and safe in any local part. */
export function newReplyToken(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join("");
}

/** support@acme.test + token → support+token@acme.test */
export function replyAddress(mailboxAddress: string, token: string): string {
  const at = mailboxAddress.lastIndexOf("@");
  return `${mailboxAddress.slice(0, at)}+${token}${mailboxAddress.slice(at)}`;
}

/** support+token@acme.test → { base: support@acme.test, token }; a plain address has no token. */
export function splitReplyAddress(address: string): { base: string; token: string | null } {
  const lower = address.trim().toLowerCase();
  const match = /^([^+@]+)\+([a-z0-9]{16})@(.+)$/.exec(lower);
  if (!match) return { base: lower, token: null };
  return { base: `${match[1]}@${match[3]}`, token: match[2] };
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}

/** "<abc@x>" → "abc@x"; empty or malformed → null. */
export function normalizeMessageId(value: string | undefined | null): string | null {
  const trimmed = (value ?? "").trim().replace(/^<+/, "").replace(/>+$/, "").trim();
  return trimmed && !/\s/.test(trimmed) ? trimmed : null;
}

/** All Message-IDs in a References / In-Reply-To value, in order. */
export function messageIdList(value: string | string[] | undefined | null): string[] {
  const text = Array.isArray(value) ? value.join(" ") : (value ?? "");
  return [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
}

export function angle(messageId: string): string {
  return `<${messageId}>`;
}
