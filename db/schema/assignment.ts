import { foreignKey, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { organizations } from "./orgs";
import { teams } from "./teams";

export const ASSIGNMENT_STRATEGIES = ["manual", "round_robin", "load_balanced"] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

/** How a team's new tickets find their agent; the row is locked while one is assigned. */
export const teamAssignment = pgTable(
  "team_assignment",
  {
    orgId: uuid("org_id").notNull(),
    teamId: uuid("team_id").notNull(),
    strategy: text("strategy", { enum: ASSIGNMENT_STRATEGIES }).notNull().default("manual"),
    /** Open tickets an agent may hold before automatic assignment passes them by. */
    maxOpenPerAgent: integer("max_open_per_agent"),
    /** Round robin: who was given the last ticket. */
    lastAssignedUserId: uuid("last_assigned_user_id"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.teamId] }),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }).onDelete("cascade"),
  ],
);

export const AGENT_STATUSES = ["available", "away", "offline"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** An agent's own availability for new tickets; no row means available. */
export const agentStatus = pgTable(
  "agent_status",
  {
    orgId: uuid("org_id").notNull(),
    userId: uuid("user_id").notNull(),
    status: text("status", { enum: AGENT_STATUSES }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
  ],
);

/**
 * Each agent's open tickets and their priority weight (low 1 … urgent 4), kept current by a
 * trigger on tickets (hand-written in the migration), so choosing among 200 agents reads 200 rows
 * instead of counting their tickets.
 */
export const agentLoad = pgTable(
  "agent_load",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull(),
    open: integer("open").notNull(),
    weighted: integer("weighted").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] })],
);
