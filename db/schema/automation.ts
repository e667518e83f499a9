import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./orgs";

export const RULE_TRIGGERS = [
  "ticket.created",
  "ticket.updated",
  "customer.replied",
  "agent.replied",
] as const;
export type RuleTrigger = (typeof RULE_TRIGGERS)[number];

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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("automation_rules_org").on(t.orgId, t.trigger, t.position)],
);
