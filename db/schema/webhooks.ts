import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { organizations } from "./orgs";

/**
 * An admin's subscription of a URL to event types. Every event the organization appends that
 * matches (`*` matches all) becomes a signed POST, delivered as a "webhook.deliver" job.
 */
export const webhookSubscriptions = pgTable(
  "webhook_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    url: text("url").notNull(),
    /** Event types such as "ticket.created", or "*" for every event. */
    eventTypes: text("event_types").array().notNull(),
    /** Signs every payload (HMAC-SHA256); shown to admins so receivers can verify. */
    secret: text("secret").notNull(),
    active: boolean("active").notNull().default(true),
    /** Deliveries in a row that failed on their last attempt; a success resets it. */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    /** When the current run of failed attempts began; empty while deliveries succeed. */
    failingSince: timestamp("failing_since", { withTimezone: true }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledReason: text("disabled_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("webhook_subscriptions_org_id").on(t.orgId, t.id),
    // What every appended event looks up: few rows per organization, only the active ones.
    index("webhook_subscriptions_active").on(t.orgId).where(sql`active`),
  ],
);

/** Per organization: whether its webhooks may target private and loopback addresses. */
export const webhookSettings = pgTable("webhook_settings", {
  orgId: uuid("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  allowPrivateTargets: boolean("allow_private_targets").notNull().default(false),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});

export const WEBHOOK_ATTEMPT_STATUSES = ["succeeded", "failed", "refused"] as const;
export type WebhookAttemptStatus = (typeof WEBHOOK_ATTEMPT_STATUSES)[number];

/** Every attempt to deliver, with what the receiver answered (or why nothing was sent). */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    subscriptionId: uuid("subscription_id").notNull(),
    /** The X-Fieldesk-Delivery header: the same for every attempt of one delivery (its job). */
    deliveryId: uuid("delivery_id").notNull(),
    /** The event delivered; empty for test events. */
    eventSeq: bigint("event_seq", { mode: "number" }),
    eventType: text("event_type").notNull(),
    attempt: integer("attempt").notNull(),
    status: text("status", { enum: WEBHOOK_ATTEMPT_STATUSES }).notNull(),
    responseCode: integer("response_code"),
    responseTimeMs: integer("response_time_ms"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("webhook_deliveries_org_subscription").on(t.orgId, t.subscriptionId, t.createdAt),
    foreignKey({
      columns: [t.orgId, t.subscriptionId],
      foreignColumns: [webhookSubscriptions.orgId, webhookSubscriptions.id],
    }).onDelete("cascade"),
  ],
);
