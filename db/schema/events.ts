import { type SQL, sql } from "drizzle-orm";
import { type AnyPgColumn, bigserial, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { jsonb } from "./jsonb";
import { organizations } from "./orgs";

/**
 * One field of an event's data, in SQL. Through some drivers the data arrives stored as a JSON
 * string holding the object rather than the object itself; this reads the field either way, and
 * is written the same in the index and in queries so the index serves them.
 */
export function eventDataField(data: AnyPgColumn | SQL, name: "estimateId" | "invoiceId" | "step"): SQL {
  return sql`((case when jsonb_typeof(${data}) = 'string' then (${data} #>> '{}')::jsonb else ${data} end) ->> ${sql.raw(`'${name}'`)})`;
}

/** The one append-only event log (DESIGN.md rule 3): history, audit, triggers and live updates read it. */
export const events = pgTable(
  "events",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    ticketId: uuid("ticket_id"),
    actorUserId: uuid("actor_user_id"),
    /** "user", "customer", "api" or "system". */
    actorKind: text("actor_kind").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("events_org_ticket").on(t.orgId, t.ticketId, t.seq),
    index("events_org_seq").on(t.orgId, t.seq),
    // An estimate's history on its page (see eventDataField for why the expression unwraps).
    index("events_org_estimate")
      .on(t.orgId, eventDataField(t.data, "estimateId"), t.seq)
      .where(sql`${t.type} like 'estimate.%'`),
    index("events_org_invoice")
      .on(t.orgId, eventDataField(t.data, "invoiceId"), t.seq)
      .where(sql`${t.type} like 'invoice.%'`),
  ],
);
