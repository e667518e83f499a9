// Route optimizer runs of the dispatch board: one row per "Optimize this day", kept in the database
// so a proposal survives a reload and any app server can show, apply or discard it.
import { sql } from "drizzle-orm";
import { check, date, foreignKey, index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { jsonb } from "./jsonb";
import { organizations } from "./orgs";

export const OPTIMIZER_RUN_STATUSES = ["running", "done", "failed", "applied", "discarded"] as const;
export type OptimizerRunStatus = (typeof OPTIMIZER_RUN_STATUSES)[number];

export const optimizerRuns = pgTable(
  "optimizer_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** The local day optimized, in the organization's time zone. */
    day: date("day").notNull(),
    technicianUserIds: uuid("technician_user_ids").array().notNull(),
    status: text("status", { enum: OPTIMIZER_RUN_STATUSES }).notNull().default("running"),
    /** Time limit and how far booked visits may move. */
    options: jsonb("options").$type<Record<string, unknown>>().notNull(),
    /** The routing problem as read from the day's data when the run started. */
    problem: jsonb("problem").$type<Record<string, unknown>>().notNull(),
    /** The data version the run is based on: updated_at of every appointment and work order involved. */
    basis: jsonb("basis").$type<Record<string, unknown>>().notNull(),
    /** Best cost so far and elapsed time while running. */
    progress: jsonb("progress").$type<Record<string, unknown>>(),
    proposal: jsonb("proposal").$type<Record<string, unknown>>(),
    beforeMetrics: jsonb("before_metrics").$type<Record<string, unknown>>(),
    afterMetrics: jsonb("after_metrics").$type<Record<string, unknown>>(),
    error: text("error"),
    startedBy: uuid("started_by").notNull(),
    finishedBy: uuid("finished_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("optimizer_runs_org_id").on(t.orgId, t.id),
    foreignKey({ columns: [t.orgId, t.startedBy], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ columns: [t.orgId, t.finishedBy], foreignColumns: [users.orgId, users.id] }),
    index("optimizer_runs_org_day").on(t.orgId, t.day, t.createdAt),
    check("optimizer_runs_status", sql`${t.status} in ('running', 'done', 'failed', 'applied', 'discarded')`),
  ],
);
