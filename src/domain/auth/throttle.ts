// Sign-in throttle per address and per account: after a few free failures each further failure
// doubles the wait (2 s, 4 s, … up to 15 min). Kept in Postgres so all app servers share it.
import { inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { loginThrottle } from "../../../db/schema";
import { tooMany } from "../errors";

const FREE_FAILURES = 5;
const MAX_LOCK_SECONDS = 15 * 60;

export const throttleKeys = (ip: string | undefined, email: string) => [
  `email:${email.toLowerCase()}`,
  ...(ip ? [`ip:${ip}`] : []),
];

export function lockSeconds(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_LOCK_SECONDS, 2 ** (failures - FREE_FAILURES + 1));
}

export async function assertNotThrottled(db: Db, keys: string[], now: Date): Promise<void> {
  const rows = await db.select().from(loginThrottle).where(inArray(loginThrottle.key, keys));
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
  if (until > now.getTime()) {
    const seconds = Math.ceil((until - now.getTime()) / 1000);
    throw tooMany(`Too many failed sign-ins. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`);
  }
}

export async function recordFailure(db: Db, keys: string[], now: Date): Promise<void> {
  for (const key of keys) {
    const [row] = await db
      .insert(loginThrottle)
      .values({ key, failures: 1, lastFailedAt: now })
      .onConflictDoUpdate({
        target: loginThrottle.key,
        // A quiet hour forgives earlier failures, so a shared address is not locked out for good.
        set: {
          failures: sql`case when ${loginThrottle.lastFailedAt} < ${new Date(now.getTime() - 3600_000).toISOString()}::timestamptz then 1 else ${loginThrottle.failures} + 1 end`,
          lastFailedAt: now,
        },
      })
      .returning({ failures: loginThrottle.failures });
    const seconds = lockSeconds(row.failures);
    if (seconds > 0) {
      await db
        .update(loginThrottle)
        .set({ lockedUntil: new Date(now.getTime() + seconds * 1000) })
        .where(sql`${loginThrottle.key} = ${key}`);
    }
  }
}

export async function clearFailures(db: Db, keys: string[]): Promise<void> {
  await db.delete(loginThrottle).where(inArray(loginThrottle.key, keys));
}
