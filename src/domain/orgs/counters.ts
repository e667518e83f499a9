import { sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import type { DbOrTx } from "../events/log";
import { humanNumbers } from "./humanNumbers";

/**
 * Next human number for an organization ("ticket" → 123 → TKT-000123). The row lock taken by the
 * upsert is held until the caller's transaction ends, so numbers are gapless under concurrency.
 */
export async function nextNumber(tx: DbOrTx, orgId: string, name: string): Promise<number> {
  const result = await tx.execute<{ value: string | number }>(
    sql`select ${takeNumber(orgId, name)} as value`,
  );
  return Number(rowsOf<{ value: string | number }>(result)[0].value);
}

/**
 * The same, as an expression for the INSERT of the row that is numbered (migration 0049), so that
 * the counter is locked only from that statement on.
 */
export const takeNumber = (orgId: string, name: string) =>
  sql<number>`next_counter_value(${orgId}::uuid, ${name}::text)`;

export const ticketNumbers = humanNumbers("TKT", "That ticket");
export const formatTicketNumber = ticketNumbers.format;
export const parseTicketNumber = ticketNumbers.parse;
