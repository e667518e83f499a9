import {
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { jsonb } from "./jsonb";
import { organizations } from "./orgs";
import { tickets } from "./tickets";

export const EVENT_TRIGGERS = [
  "ticket.created",
  "ticket.updated",
  "customer.replied",
  "agent.replied",
] as const;
/** Time-based triggers: checked by a periodic job against the rule's number of hours. */
export const TIME_TRIGGERS = [
  "time.since_created",
  "time.since_updated",
  "time.in_pending",
  "time.since_solved",
  "time.sla_due_within",
] as const;
export const RULE_TRIGGERS = [...EVENT_TRIGGERS, ...TIME_TRIGGERS] as const;
export type RuleTrigger = (typeof RULE_TRIGGERS)[number];
export type TimeTrigger = (typeof TIME_TRIGGERS)[number];

export interface RuleCondition {
  field: string;
  op: string;
  value: string;
}

export interface RuleAction {
  type: string;
  value: string;
  /** For "send email": the subject; the value is the text. */
  subject?: string;
}

/** An admin's rule: when the trigger fires and the conditions hold, the actions run, in order. */
export const automationRules = pgTable(
  "automation_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    active: boolean("active").notNull().default(true),
    trigger: text("trigger", { enum: RULE_TRIGGERS }).notNull(),
    match: text("match", { enum: ["all", "any"] })
      .notNull()
      .default("all"),
    conditions: jsonb("conditions").$type<RuleCondition[]>().notNull(),
    actions: jsonb("actions").$type<RuleAction[]>().notNull(),
    /** Later rules are not looked at once this one has run. */
    stopProcessing: boolean("stop_processing").notNull().default(false),
    /** Time-based triggers: the hours ("48 hours in pending"). */
    hours: integer("hours"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("automation_rules_org").on(t.orgId, t.trigger, t.position)],
);

/**
 * A time-based rule looked at a ticket in one "episode" (since it was created, since its last
 * update, since it entered pending or was solved, before one due time): it runs at most once per
 * episode, and a ticket whose conditions did not hold is looked at again only after it changes.
 */
export const automationRuleFirings = pgTable(
  "automation_rule_firings",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => automationRules.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id").notNull(),
    episode: text("episode").notNull(),
    matched: boolean("matched").notNull(),
    checkedAt: timestamp("checked_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ruleId, t.ticketId, t.episode] }),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
    index("automation_rule_firings_ticket").on(t.orgId, t.ticketId),
  ],
);
