// Email + password sign-in, server-side sessions, sign-out (here or everywhere).
import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { organizations, sessions, users } from "../../../db/schema";
import type { Actor } from "../context";
import { invalid, unauthorized } from "../errors";
import { prepared } from "../prepared";
import { dummyPasswordHash, verifyPassword } from "./passwords";
import { newSecret, sha256 } from "./secrets";
import { assertNotThrottled, clearFailures, recordFailure, throttleKeys } from "./throttle";

export const SESSION_DAYS = 30;
/** last_seen_at is written at most this often, so reading a page is not a write. */
const TOUCH_EVERY_MS = 5 * 60_000;

export interface SignInInput {
  email: string;
  password: string;
  ip?: string;
  userAgent?: string;
  /** Restrict to one organization (the portal of that organization); otherwise any. */
  orgId?: string;
}

export interface SignedIn {
  token: string;
  user: { id: string; orgId: string; role: Actor["role"]; name: string };
}

export async function signIn(db: Db, input: SignInInput, now: Date): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase();
  if (!email || !input.password) {
    throw invalid({
      ...(email ? {} : { email: "Enter your email address." }),
      ...(input.password ? {} : { password: "Enter your password." }),
    });
  }
  const keys = throttleKeys(input.ip, email);
  await assertNotThrottled(db, keys, now);
  const candidates = await db
    .select()
    .from(users)
    .where(
      and(
        eq(users.email, email),
        eq(users.active, true),
        input.orgId ? eq(users.orgId, input.orgId) : undefined,
      ),
    )
    .limit(5);
  let user: (typeof candidates)[number] | undefined;
  for (const candidate of candidates) {
    if (await verifyPassword(candidate.passwordHash, input.password)) {
      user = candidate;
      break;
    }
  }
  if (candidates.length === 0) await verifyPassword(await dummyPasswordHash(), input.password);
  if (!user) {
    await recordFailure(db, keys, now);
    throw unauthorized("That email and password do not match an account.");
  }
  await clearFailures(db, [keys[0]]);
  const token = newSecret();
  await db.insert(sessions).values({
    id: sha256(token),
    orgId: user.orgId,
    userId: user.id,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_DAYS * 86400_000),
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
  return { token, user: { id: user.id, orgId: user.orgId, role: user.role, name: user.name } };
}

export interface SessionUser extends Actor {
  userId: string;
  email: string;
  sessionId: string;
  orgName: string;
}

export async function userForSession(
  db: Db,
  token: string | undefined,
  now: Date,
): Promise<SessionUser | null> {
  if (!token) return null;
  const id = sha256(token);
  const [row] = await prepared(db, "sessionUser", () =>
    db
      .select({ session: sessions, user: users, orgName: organizations.name })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .innerJoin(organizations, eq(organizations.id, sessions.orgId))
      .where(
        and(
          eq(sessions.id, sql.placeholder("id")),
          gt(sessions.expiresAt, sql`${sql.placeholder("now")}::timestamptz`),
          eq(users.active, true),
        ),
      )
      .limit(1)
      .prepare("session_user"),
  ).execute({ id, now: now.toISOString() });
  if (!row) return null;
  if (now.getTime() - row.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  }
  return {
    kind: "user",
    orgId: row.user.orgId,
    role: row.user.role,
    userId: row.user.id,
    contactId: row.user.contactId ?? undefined,
    name: row.user.name,
    email: row.user.email,
    sessionId: id,
    orgName: row.orgName,
  };
}

export async function signOut(db: Db, token: string | undefined): Promise<void> {
  if (token) await db.delete(sessions).where(eq(sessions.id, sha256(token)));
}

/** Ends every session of the user, on every device. */
export async function signOutEverywhere(db: Db, actor: { orgId: string; userId: string }): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.orgId, actor.orgId), eq(sessions.userId, actor.userId)));
}
