import { foreignKey, index, integer, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./orgs";
import { tickets } from "./tickets";

/**
 * The satisfaction survey of a solved ticket: asked once, answered (1–5 and a comment) through an
 * unguessable link that needs no sign-in; the link's token is stored only as its SHA-256.
 */
export const satisfactionRatings = pgTable(
  "satisfaction_ratings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** Who solved it: ratings count for the agent and the team. */
    agentUserId: uuid("agent_user_id"),
    teamId: uuid("team_id"),
    score: integer("score"),
    comment: text("comment"),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
    ratedAt: timestamp("rated_at", { withTimezone: true }),
  },
  (t) => [
    unique("satisfaction_ticket").on(t.orgId, t.ticketId),
    index("satisfaction_agent").on(t.orgId, t.agentUserId, t.ratedAt),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
  ],
);
