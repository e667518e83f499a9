// Fixed-window rate limits kept in Postgres, so every app server counts the same hits.
import { lt, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { rateLimits } from "../../../db/schema";
import type { DbOrTx } from "../events/log";

/** Counts a hit on `key`; true while the window's hits stay within `limit`. */
export async function hitRateLimit(
  db: DbOrTx,
  key: string,
  options: { limit: number; windowMs: number },
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  const windowOpened = new Date(now.getTime() - options.windowMs).toISOString();
  const result = await db.execute(sql`
    insert into ${rateLimits} (key, window_start, hits) values (${key}, ${at}::timestamptz, 1)
    on conflict (key) do update set
      hits = case when ${rateLimits.windowStart} <= ${windowOpened}::timestamptz then 1 else ${rateLimits.hits} + 1 end,
      window_start = case when ${rateLimits.windowStart} <= ${windowOpened}::timestamptz then ${at}::timestamptz
                          else ${rateLimits.windowStart} end
    returning hits`);
  const [row] = rowsOf<{ hits: number }>(result);
  return Number(row.hits) <= options.limit;
}

/** Forgets windows that closed long ago (part of the hourly clean-up). */
export async function deleteOldRateLimits(db: DbOrTx, before: Date): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, before));
}
