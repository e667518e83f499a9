// @mentions in internal notes: "@maria" (the part of her address before the @) or "@Maria Lopez"
// (her name) names a colleague, who is told and starts following the ticket.
import { and, eq, inArray } from "drizzle-orm";
import { messageMentions, users } from "../../../db/schema";
import { type Ctx, requirePermission, STAFF_ROLES } from "../context";
import type { DbOrTx } from "../events/log";

export interface Colleague {
  id: string;
  name: string;
  email: string;
}

interface Handle {
  text: string;
  userId: string;
}

/** The ways a note may name each colleague; a first name only when no one else shares it. */
export function handlesOf(colleagues: Colleague[]): Handle[] {
  const firstNames = new Map<string, number>();
  for (const c of colleagues) {
    const first = c.name.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
    firstNames.set(first, (firstNames.get(first) ?? 0) + 1);
  }
  const handles: Handle[] = [];
  for (const c of colleagues) {
    const first = c.name.trim().split(/\s+/)[0] ?? "";
    handles.push({ text: c.email.split("@")[0], userId: c.id }, { text: c.name.trim(), userId: c.id });
    if (first && firstNames.get(first.toLowerCase()) === 1) handles.push({ text: first, userId: c.id });
  }
  // Longest first: "@Maria Lopez" is Maria Lopez even when "@Maria" alone would be someone else.
  return handles.filter((h) => h.text).sort((a, b) => b.text.length - a.text.length);
}

const WORD = /[\p{L}\p{N}_]/u;

/** The colleagues a text names with @, each once, with the handle as written. */
export function findMentions(body: string, colleagues: Colleague[]): { userId: string; handle: string }[] {
  const handles = handlesOf(colleagues);
  const lower = body.toLowerCase();
  const found = new Map<string, string>();
  for (let at = lower.indexOf("@"); at !== -1; at = lower.indexOf("@", at + 1)) {
    // "carol@example.com" is an address, not a mention.
    if (at > 0 && (WORD.test(body[at - 1]) || body[at - 1] === ".")) continue;
    const rest = lower.slice(at + 1);
    const match = handles.find(
      (h) => rest.startsWith(h.text.toLowerCase()) && !WORD.test(rest[h.text.length] ?? ""),
    );
    if (match && !found.has(match.userId))
      found.set(match.userId, body.slice(at + 1, at + 1 + match.text.length));
  }
  return [...found].map(([userId, handle]) => ({ userId, handle }));
}

export async function colleaguesOf(db: DbOrTx, orgId: string): Promise<Colleague[]> {
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.active, true), inArray(users.role, [...STAFF_ROLES])));
}

/** Stores a note's mentions; returns the colleagues to tell (never the note's own author). */
export async function recordMentions(
  tx: DbOrTx,
  ctx: Ctx,
  message: { id: string; body: string },
): Promise<string[]> {
  if (!message.body.includes("@")) return [];
  const mentions = findMentions(message.body, await colleaguesOf(tx, ctx.actor.orgId));
  if (mentions.length === 0) return [];
  await tx
    .insert(messageMentions)
    .values(
      mentions.map((m) => ({ orgId: ctx.actor.orgId, messageId: message.id, ...m, createdAt: ctx.now })),
    )
    .onConflictDoNothing();
  return mentions.map((m) => m.userId).filter((id) => id !== ctx.actor.userId);
}

/** Colleagues whose name or address starts with what was typed after the @, for the suggestion list. */
export async function suggestColleagues(
  ctx: Ctx,
  typed: string,
): Promise<(Colleague & { handle: string })[]> {
  requirePermission(ctx.actor, "tickets.work");
  const q = typed.trim().replace(/^@/, "").toLowerCase();
  const all = await colleaguesOf(ctx.db, ctx.actor.orgId);
  return all
    .filter(
      (c) =>
        !q ||
        c.name
          .toLowerCase()
          .split(/\s+/)
          .some((w) => w.startsWith(q)) ||
        c.email.startsWith(q),
    )
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, 8)
    .map((c) => ({ ...c, handle: c.email.split("@")[0] }));
}
