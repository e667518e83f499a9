import { sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import type { DbOrTx } from "../events/log";

/**
 * Next human number for an organization ("ticket" → 123 → TKT-000123). The row lock taken by the
 * upsert is held until the caller's transaction ends, so numbers are gapless under concurrency.
 */
export async function nextNumber(tx: DbOrTx, orgId: string, name: string): Promise<number> {
  const result = await tx.execute<{ value: string | number }>(sql`
    insert into counters (org_id, name, value) values (${orgId}, ${name}, 1)
    on conflict (org_id, name) do update set value = counters.value + 1
    returning value`);
  return Number(rowsOf<{ value: string | number }>(result)[0].value);
}

export const formatTicketNumber = (n: number) => `TKT-${String(n).padStart(6, "0")}`;

/** "TKT-000123" or "123" → 123; anything else → undefined. */
export function parseTicketNumber(text: string): number | undefined {
  const match = /^(?:TKT-)?0*(\d{1,9})$/i.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}
