// A document's own history in the event log: the events of one estimate or one invoice, found by
// the id their data carries, through the partial expression index each kind has (events_org_estimate,
// events_org_invoice). The kind's prefix and field are written into the SQL as constants so the
// planner can match those indexes' predicates.
import { and, asc, eq, sql } from "drizzle-orm";
import { eventDataField, events, users } from "../../../db/schema";
import type { DbOrTx } from "./log";

const ID_FIELDS = { estimate: "estimateId", invoice: "invoiceId" } as const;

/** The document's events, oldest first (at most 200), with the name of whoever did each. */
export function documentHistory(db: DbOrTx, orgId: string, kind: keyof typeof ID_FIELDS, id: string) {
  return db
    .select({
      type: events.type,
      data: events.data,
      createdAt: events.createdAt,
      actorKind: events.actorKind,
      actorName: users.name,
    })
    .from(events)
    .leftJoin(users, and(eq(users.orgId, events.orgId), eq(users.id, events.actorUserId)))
    .where(
      and(
        eq(events.orgId, orgId),
        sql`${events.type} like ${sql.raw(`'${kind}.%'`)}`,
        sql`${eventDataField(events.data, ID_FIELDS[kind])} = ${id}`,
      ),
    )
    .orderBy(asc(events.seq))
    .limit(200)
    .then((rows) =>
      rows.map((r) => ({
        ...r,
        data: (typeof r.data === "string" ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
      })),
    );
}
