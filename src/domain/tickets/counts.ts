// Ticket counts by (status, assignee) for the desk's views: ticket_counts plus the deltas the
// trigger on tickets appended since the last fold (migration 0041), never a scan over tickets.
import { sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { type TicketStatus, ticketCountDeltas, ticketCounts } from "../../../db/schema";
import type { DbOrTx } from "../events/log";

/** Past this many deltas a read folds them first, so reads stay a sum over a handful of rows. */
export const FOLD_AFTER = 200;

export interface CountRow {
  status: TicketStatus;
  assigneeKey: string;
  count: number;
}

/**
 * The organization's counts. One statement over both tables: a fold moving deltas into
 * ticket_counts meanwhile is seen wholly or not at all, so the sums are exact either way.
 */
export async function ticketCountRows(db: DbOrTx, orgId: string): Promise<CountRow[]> {
  const rows = rowsOf<{
    status: string;
    assignee_key: string;
    count: string | number;
    deltas: string | number;
  }>(
    await db.execute(sql`
      select status, assignee_key, sum(n) as count, sum(d) as deltas from (
        select status, assignee_key, count as n, 0 as d from ${ticketCounts} where org_id = ${orgId}
        union all
        select status, assignee_key, delta, 1 from ${ticketCountDeltas} where org_id = ${orgId}
      ) x group by status, assignee_key`),
  );
  const deltas = rows.reduce((sum, r) => sum + Number(r.deltas), 0);
  if (deltas > FOLD_AFTER) await foldTicketCounts(db, orgId);
  return rows.map((r) => ({
    status: r.status as TicketStatus,
    assigneeKey: r.assignee_key,
    count: Number(r.count),
  }));
}

/** Moves the organization's deltas (or every organization's) into ticket_counts; returns how many. */
export async function foldTicketCounts(db: DbOrTx, orgId?: string): Promise<number> {
  const result = orgId
    ? await db.execute(sql`select ticket_counts_fold(${orgId}::uuid) as moved`)
    : await db.execute(sql`
        select ticket_counts_fold(org_id) as moved
        from (select distinct org_id from ${ticketCountDeltas}) o`);
  return rowsOf<{ moved: string | number }>(result).reduce((sum, r) => sum + Number(r.moved), 0);
}
