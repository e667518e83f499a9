import { sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import type { DbOrTx } from "../events/log";
import { humanNumbers } from "./humanNumbers";

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

/**
 * What a new ticket's number holds until numberTicket gives it its own: unique among the
 * transactions running at once (one per database connection), and never a number anyone sees.
 */
export const UNNUMBERED = sql<number>`-pg_backend_pid()`;

/** The number a ticket created in a transaction of its own took as it committed (migration 0046). */
export async function committedNumber(db: DbOrTx, orgId: string, ticketId: string): Promise<number> {
  const result = await db.execute<{ number: string | number }>(
    sql`select number from tickets where org_id = ${orgId} and id = ${ticketId}`,
  );
  return Number(rowsOf<{ number: string | number }>(result)[0].number);
}

/**
 * Gives a ticket inserted with UNNUMBERED its number, and its "ticket.created" event the number
 * too (`number_ticket`, migration 0048, which the commit trigger also calls): for a creation inside a
 * caller's transaction, which may show the number before it commits. The last statement of the
 * creation, so the organization's counter row is locked from here to that commit.
 */
export async function numberTicket(tx: DbOrTx, orgId: string, ticketId: string): Promise<number> {
  const result = await tx.execute<{ value: string | number }>(
    sql`select number_ticket(${orgId}, ${ticketId}) as value`,
  );
  return Number(rowsOf<{ value: string | number }>(result)[0].value);
}

export const ticketNumbers = humanNumbers("TKT", "That ticket");
export const formatTicketNumber = ticketNumbers.format;
export const parseTicketNumber = ticketNumbers.parse;
