import { sql } from "drizzle-orm";
import { check, foreignKey, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { ticketCategories } from "./fields";
import { skills, zones } from "./fsm";
import { jsonb } from "./jsonb";
import { organizations } from "./orgs";
import { teams } from "./teams";

export const ASSIGNMENT_STRATEGIES = [
  "manual",
  "round_robin",
  "load_balanced",
  "skills",
  "weighted",
] as const;

/** Shares of the weighted score, in percent; the field-team formula by default. */
export interface ScoreWeights {
  zone: number;
  availability: number;
  workload: number;
  rating: number;
}
export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = { zone: 40, availability: 30, workload: 20, rating: 10 };

/** A working-hours interval, as business calendars write them (ISO weekday, local "HH:MM"). */
export interface WorkingInterval {
  day: number;
  start: string;
  end: string;
}
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
    /** Weighted score: the shares of each part; null means DEFAULT_SCORE_WEIGHTS. */
    weights: jsonb("weights").$type<ScoreWeights>(),
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
    /** When the agent works, in the organization's zone; null means any time. */
    workingHours: jsonb("working_hours").$type<WorkingInterval[]>(),
    /** The territory the agent serves best (weighted score's zone match); null means none. */
    zoneId: uuid("zone_id"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
    // Deferrable (hand-written in the migration): an organization's deletion removes both sides.
    foreignKey({ columns: [t.orgId, t.zoneId], foreignColumns: [zones.orgId, zones.id] }),
  ],
);

/** What a desk agent is good at, 1 (basic) to 5 (expert); skills-based assignment reads it. */
export const agentSkills = pgTable(
  "agent_skills",
  {
    orgId: uuid("org_id").notNull(),
    userId: uuid("user_id").notNull(),
    skillId: uuid("skill_id").notNull(),
    level: integer("level").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId, t.skillId] }),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.skillId], foreignColumns: [skills.orgId, skills.id] }).onDelete(
      "cascade",
    ),
    check("agent_skills_level", sql`${t.level} between 1 and 5`),
  ],
);

/** Skills a ticket of this category (or subcategory) needs, with the lowest level that will do. */
export const categorySkills = pgTable(
  "category_skills",
  {
    orgId: uuid("org_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    skillId: uuid("skill_id").notNull(),
    minLevel: integer("min_level").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.categoryId, t.skillId] }),
    foreignKey({
      columns: [t.orgId, t.categoryId],
      foreignColumns: [ticketCategories.orgId, ticketCategories.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.skillId], foreignColumns: [skills.orgId, skills.id] }).onDelete(
      "cascade",
    ),
    check("category_skills_level", sql`${t.minLevel} between 1 and 5`),
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
