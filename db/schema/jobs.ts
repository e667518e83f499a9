import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { jsonb } from "./jsonb";
import { organizations } from "./orgs";

export const JOB_STATUSES = ["queued", "running", "done", "dead"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * The durable job queue (DESIGN.md rule 4). A worker claims a row with FOR UPDATE SKIP LOCKED and
 * holds it for a lease; a row whose lease ran out (its worker died) goes back to the queue.
 * `org_id` is empty only for maintenance that spans organizations (cleaning old jobs).
 */
export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    queue: text("queue").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status").$type<JobStatus>().notNull().default("queued"),
    /** Higher runs first among jobs that are due. */
    priority: integer("priority").notNull().default(0),
    runAt: timestamp("run_at", { withTimezone: true }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(8),
    /** Unique per queue: enqueueing the same key again is a no-op. */
    idempotencyKey: text("idempotency_key"),
    lockedBy: text("locked_by"),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    // What a worker looks for: due jobs of its queues, best first.
    index("jobs_due").on(t.queue, t.priority.desc(), t.runAt).where(sql`status = 'queued'`),
    // Leases to recover; few rows at any time.
    index("jobs_leases").on(t.lockedUntil).where(sql`status = 'running'`),
    uniqueIndex("jobs_idempotency").on(t.queue, t.idempotencyKey).where(sql`idempotency_key is not null`),
    index("jobs_org_status").on(t.orgId, t.status, t.updatedAt),
  ],
);

/** Recurring jobs: each due occurrence is enqueued once, keyed by its scheduled time. */
export const jobSchedules = pgTable("job_schedules", {
  name: text("name").primaryKey(),
  queue: text("queue").notNull(),
  payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
  everySeconds: integer("every_seconds").notNull(),
  nextRunAt: timestamp("next_run_at", { withTimezone: true }).notNull(),
});
