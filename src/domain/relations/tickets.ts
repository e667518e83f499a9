// Looking up the other ticket of a relation by the number an agent typed, within the organization.
import { and, eq, inArray } from "drizzle-orm";
import { type TicketStatus, tickets } from "../../../db/schema";
import type { FieldErrors } from "../errors";
import { invalid } from "../errors";
import type { DbOrTx } from "../events/log";
import { parseTicketNumber } from "../orgs/counters";

export interface TicketSummary {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  contactId: string;
  mergedIntoId: string | null;
}

const SUMMARY = {
  id: tickets.id,
  number: tickets.number,
  subject: tickets.subject,
  status: tickets.status,
  contactId: tickets.contactId,
  mergedIntoId: tickets.mergedIntoId,
};

export async function ticketSummaries(db: DbOrTx, orgId: string, ids: string[]): Promise<TicketSummary[]> {
  if (ids.length === 0) return [];
  return db
    .select(SUMMARY)
    .from(tickets)
    .where(and(eq(tickets.orgId, orgId), inArray(tickets.id, [...new Set(ids)])));
}

/**
 * The ticket an agent named ("TKT-000123" or "123") in a field of a form; another organization's
 * ticket is as unknown as one that does not exist.
 */
export async function namedTicket(
  db: DbOrTx,
  orgId: string,
  typed: string,
  field: string,
  options: { forUpdate?: boolean } = {},
): Promise<TicketSummary> {
  const number = parseTicketNumber(typed ?? "");
  const fields: FieldErrors = {};
  if (number === undefined) {
    fields[field] = "Enter a ticket number, such as TKT-000123.";
    throw invalid(fields);
  }
  let query = db
    .select(SUMMARY)
    .from(tickets)
    .where(and(eq(tickets.orgId, orgId), eq(tickets.number, number)))
    .$dynamic();
  if (options.forUpdate) query = query.for("update");
  const [row] = await query;
  if (!row) {
    fields[field] = "There is no ticket with that number.";
    throw invalid(fields);
  }
  return row;
}
