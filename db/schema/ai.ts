import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  real,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { jsonb } from "./jsonb";
import { organizations } from "./orgs";
import { tickets } from "./tickets";

/** The label fields triage predicts; each has its own model per organization. */
export const TRIAGE_FIELDS = ["category", "priority", "team"] as const;
export type TriageField = (typeof TRIAGE_FIELDS)[number];

/** What an organization's admins chose for AI: the auto-apply threshold and the remote models. */
export const aiSettings = pgTable("ai_settings", {
  orgId: uuid("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  /** Triage applies a prediction at or above this confidence; below, the agent is offered it. */
  autoApplyThreshold: real("auto_apply_threshold").notNull().default(0.85),
  /** The fields triage fills when confident; the others are only suggested. */
  autoApplyFields: text("auto_apply_fields")
    .array()
    .notNull()
    .default(sql`'{category,priority,team}'::text[]`),
  /** Similar tickets are looked for among this many days of history. */
  similarDays: integer("similar_days").notNull().default(30),
  /** Hugging Face model (or endpoint URL) per slot: categorize, sentiment, summarize, chat, embeddings. */
  models: jsonb("models").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});

/**
 * A trained local model: the text classifier of a triage field, or the breach-risk regression.
 * Kept per version so a prediction's model version can be looked up; the newest is the one used.
 */
export const aiModels = pgTable(
  "ai_models",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** A triage field, or "breach_risk". */
    kind: text("kind").notNull(),
    version: text("version").notNull(),
    /** The serialized model (JSON). */
    model: text("model").notNull(),
    examples: integer("examples").notNull(),
    /** Held-out figures from training: accuracy and macro-F1, or AUC and Brier for breach risk. */
    metrics: jsonb("metrics").$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    trainedAt: timestamp("trained_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("ai_models_latest").on(t.orgId, t.kind, t.trainedAt)],
);

export const PREDICTION_TASKS = [
  "category",
  "priority",
  "team",
  "sentiment",
  "summary",
  "reply",
  "similar",
] as const;
export type PredictionTask = (typeof PREDICTION_TASKS)[number];

/**
 * Every answer the AI gave about a ticket, with the provider and model version that gave it. On-demand
 * answers (summaries, reply drafts) start as "pending" rows that the job fills in.
 */
export const aiPredictions = pgTable(
  "ai_predictions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    /** The message a sentiment belongs to. */
    messageId: uuid("message_id"),
    task: text("task", { enum: PREDICTION_TASKS }).notNull(),
    status: text("status", { enum: ["pending", "done", "failed"] })
      .notNull()
      .default("done"),
    provider: text("provider"),
    modelVersion: text("model_version"),
    /** The predicted label (a category id, a priority …), or the summary / draft text. */
    value: text("value"),
    confidence: real("confidence"),
    /** The whole answer: label ranking, draft sources, similar tickets. */
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** True when triage set the field itself (confidence at or above the threshold). */
    applied: boolean("applied").notNull().default(false),
    /** Why the preferred provider did not answer ("timeout", "circuit open"). */
    fallbackReason: text("fallback_reason"),
    requestedBy: uuid("requested_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("ai_predictions_ticket").on(t.orgId, t.ticketId, t.task, t.createdAt),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
  ],
);

/**
 * An agent's verdict on a triage prediction: accepted as it was, or corrected to another value.
 * Corrections are training examples with extra weight at the next retraining.
 */
export const aiFeedback = pgTable(
  "ai_feedback",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    predictionId: uuid("prediction_id")
      .notNull()
      .references(() => aiPredictions.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id").notNull(),
    task: text("task", { enum: PREDICTION_TASKS }).notNull(),
    verdict: text("verdict", { enum: ["accepted", "corrected", "rejected"] }).notNull(),
    /** The value the agent chose instead, for corrections. */
    correctValue: text("correct_value"),
    userId: uuid("user_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("ai_feedback_once").on(t.predictionId),
    index("ai_feedback_org").on(t.orgId, t.task, t.createdAt),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }),
  ],
);
