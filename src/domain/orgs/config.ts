// Definitions that every ticket write reads and admins rarely change (SLA policies and calendars,
// automation rules), cached per process under the organization's config_stamp. Triggers give the
// organization a new stamp whenever one of them changes, whatever the write path (migration 0041),
// so one small read per write tells every app server sharing the database whether its copy is
// current. The definitions are read after the stamp, so a copy is never older than its stamp; a
// stamp written by a transaction that rolls back is never seen by anyone else.
import { sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { organizations } from "../../../db/schema";
import type { DbOrTx } from "../events/log";

export interface ConfigStamp {
  orgId: string;
  stamp: string;
  timeZone: string;
}

/** The organization's current stamp, with its time zone (a change of zone changes the stamp too). */
export async function readConfigStamp(db: DbOrTx, orgId: string): Promise<ConfigStamp> {
  const [row] = rowsOf<{ config_stamp: string; time_zone: string }>(
    await db.execute(sql`select config_stamp, time_zone from ${organizations} where id = ${orgId}`),
  );
  // A missing organization gets a stamp of its own that no cached copy carries.
  return {
    orgId,
    stamp: row?.config_stamp ?? `missing:${crypto.randomUUID()}`,
    timeZone: row?.time_zone ?? "UTC",
  };
}

const MAX_ENTRIES = 20_000;
const entries = new Map<string, { stamp: string; value: unknown }>();

/** The cached value of `what` for the organization if it was loaded under this stamp, else `load()`'s. */
export async function underStamp<T>(what: string, stamp: ConfigStamp, load: () => Promise<T>): Promise<T> {
  const key = `${stamp.orgId}|${what}`;
  const hit = entries.get(key);
  if (hit && hit.stamp === stamp.stamp) return hit.value as T;
  const value = await load();
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(key, { stamp: stamp.stamp, value });
  return value;
}
