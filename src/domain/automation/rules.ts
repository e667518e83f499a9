// Admins' side of automation: rules edited in a form, kept in order, and tried against a real
// ticket without changing it ("dry run": which conditions hold, and what would change).
import { and, asc, eq, sql } from "drizzle-orm";
import {
  automationRules,
  RULE_TRIGGERS,
  type RuleAction,
  type RuleCondition,
  type RuleTrigger,
  tickets,
} from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { customConditionProblem, customFieldKey } from "../fields/conditions";
import { parseTicketNumber } from "../orgs/counters";
import { actionValues, isUuid, TICKET_FIELD_VALUES } from "../tickets/rules";
import {
  ACTION_TYPES,
  type Evaluation,
  evaluate,
  factsOf,
  fieldSpec,
  OPERATORS,
  ruleChoices,
} from "./engine";
import { explainTiming, isTimeTrigger } from "./timeRules";

export interface RuleInput {
  name?: string;
  trigger?: string;
  match?: string;
  active?: boolean;
  stopProcessing?: boolean;
  /** Time-based triggers: the hours, as typed. */
  hours?: string;
  conditions?: Partial<RuleCondition>[];
  actions?: Partial<RuleAction>[];
}

export type RuleRow = typeof automationRules.$inferSelect;

export async function listRules(ctx: Ctx): Promise<RuleRow[]> {
  requirePermission(ctx.actor, "org.admin");
  return ctx.db
    .select()
    .from(automationRules)
    .where(eq(automationRules.orgId, ctx.actor.orgId))
    .orderBy(asc(automationRules.position), asc(automationRules.createdAt));
}

export async function getRule(ctx: Ctx, id: string): Promise<RuleRow> {
  requirePermission(ctx.actor, "org.admin");
  if (!isUuid(id)) throw notFound("That rule");
  const [rule] = await ctx.db
    .select()
    .from(automationRules)
    .where(and(eq(automationRules.orgId, ctx.actor.orgId), eq(automationRules.id, id)));
  if (!rule) throw notFound("That rule");
  return rule;
}

/** A category by id, or by its name or path ("Air conditioning › Leaking", "/" also separates). */
function findCategory(categories: { id: string; name: string }[], value: string) {
  const normal = (s: string) =>
    s
      .toLowerCase()
      .replace(/\s*[›/>]\s*/g, " › ")
      .trim();
  return (
    categories.find((c) => c.id === value) ??
    categories.find((c) => normal(c.name) === normal(value)) ??
    // A subcategory's own name, when no other category has it.
    (() => {
      const matches = categories.filter((c) => normal(c.name).endsWith(` › ${normal(value)}`));
      return matches.length === 1 ? matches[0] : undefined;
    })()
  );
}

/** Checks a submitted rule; blank rows are dropped; errors name the row ("conditions.2"). */
async function checkRule(ctx: Ctx, input: RuleInput) {
  const fields: FieldErrors = {};
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Name the rule, e.g. “Urgent mail to the on-call team”.";
  else if (name.length > 120) fields.name = "Keep the name under 120 characters.";
  const trigger = input.trigger as RuleTrigger;
  if (!RULE_TRIGGERS.includes(trigger)) fields.trigger = "Choose when the rule runs.";
  const match = input.match === "any" ? "any" : "all";
  let hours: number | null = null;
  if (isTimeTrigger(trigger)) {
    hours = Number(input.hours);
    if (!/^\d{1,4}$/.test(String(input.hours ?? "").trim()) || hours < 1 || hours > 8760)
      fields.hours = "Give a whole number of hours from 1 to 8,760 (a year).";
  }
  const {
    people,
    teams,
    categories,
    fields: customFields,
    macros,
    webhooks,
  } = await ruleChoices(ctx.db, ctx.actor.orgId);
  const conditions: RuleCondition[] = [];
  (input.conditions ?? []).forEach((c, i) => {
    if (!c.field) return;
    const spec = fieldSpec(c.field);
    const op = c.op ?? "";
    let value = (c.value ?? "").trim();
    const customKey = customFieldKey(c.field);
    if (customKey) {
      const problem = customConditionProblem(
        customFields.find((f) => f.key === customKey),
        op,
        value,
        OPERATORS.text,
      );
      if (problem) fields[`conditions.${i}`] = problem;
      conditions.push({ field: c.field, op, value });
      return;
    }
    if (spec?.kind === "category" && value) {
      // Typed as a name ("Air conditioning › Leaking") or chosen as an id; stored as the id.
      const category = findCategory(categories, value);
      if (!category) fields[`conditions.${i}`] = "Choose one of this organization's categories.";
      else value = category.id;
    }
    if (!spec || !(op in OPERATORS[spec.kind])) {
      fields[`conditions.${i}`] = "Choose a field and how it compares.";
      return;
    }
    const needsValue = !["changed", "is_empty"].includes(op);
    if (needsValue && !value && spec.kind !== "person")
      fields[`conditions.${i}`] = "Give the value to compare with.";
    const allowed = TICKET_FIELD_VALUES[c.field];
    if (allowed && needsValue && !allowed.includes(value)) {
      fields[`conditions.${i}`] = `Choose one of: ${allowed.join(", ")}.`;
    }
    conditions.push({ field: c.field, op, value });
  });
  const actions: RuleAction[] = [];
  (input.actions ?? []).forEach((a, i) => {
    if (!a.type) return;
    const value = (a.value ?? "").trim();
    if (!(a.type in ACTION_TYPES)) {
      fields[`actions.${i}`] = "Choose an action.";
      return;
    }
    const allowed = actionValues(a.type);
    if (allowed && !allowed.includes(value)) fields[`actions.${i}`] = `Choose one of: ${allowed.join(", ")}.`;
    if (a.type === "assign_user" && value && !people.some((p) => p.id === value)) {
      fields[`actions.${i}`] = "Choose a person of this organization.";
    }
    if (a.type === "assign_team" && value && !teams.some((t) => t.id === value)) {
      fields[`actions.${i}`] = "Choose a team of this organization.";
    }
    if (a.type === "set_category" && value && !categories.some((c) => c.id === value)) {
      fields[`actions.${i}`] = "Choose a category of this organization.";
    }
    if (a.type === "apply_macro" && !macros.some((m) => m.id === value)) {
      fields[`actions.${i}`] = "Choose one of the organization's shared macros.";
    }
    if (a.type === "call_webhook" && !webhooks.some((w) => w.id === value)) {
      fields[`actions.${i}`] = "Choose one of the organization's webhooks.";
    }
    if (["add_tags", "remove_tags", "add_note", "email_requester"].includes(a.type) && !value) {
      fields[`actions.${i}`] = "Give the tags or the text.";
    }
    actions.push({ type: a.type, value, ...(a.subject?.trim() ? { subject: a.subject.trim() } : {}) });
  });
  if (actions.length === 0 && !Object.keys(fields).some((k) => k.startsWith("actions"))) {
    fields["actions.0"] = "Give the rule at least one action.";
  }
  if (Object.keys(fields).length) throw invalid(fields);
  return {
    name,
    trigger,
    match: match as "all" | "any",
    hours,
    conditions,
    actions,
    active: input.active ?? true,
    stopProcessing: input.stopProcessing ?? false,
  };
}

/** Creates a rule (last in order) or changes one; returns its id. */
export async function saveRule(ctx: Ctx, id: string | null, input: RuleInput): Promise<string> {
  requirePermission(ctx.actor, "org.admin");
  const existing = id ? await getRule(ctx, id) : undefined;
  const values = await checkRule(ctx, input);
  return ctx.db.transaction(async (tx) => {
    let ruleId = existing?.id;
    if (existing) {
      await tx
        .update(automationRules)
        .set({ ...values, updatedAt: ctx.now })
        .where(and(eq(automationRules.orgId, ctx.actor.orgId), eq(automationRules.id, existing.id)));
    } else {
      const [{ last }] = await tx
        .select({ last: sql<number>`coalesce(max(${automationRules.position}), 0)::int` })
        .from(automationRules)
        .where(eq(automationRules.orgId, ctx.actor.orgId));
      const [row] = await tx
        .insert(automationRules)
        .values({
          orgId: ctx.actor.orgId,
          ...values,
          position: Number(last) + 1,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning({ id: automationRules.id });
      ruleId = row.id;
    }
    await appendEvent(tx, ctx, {
      type: existing ? "automation.rule_updated" : "automation.rule_created",
      data: { ruleId, name: values.name },
    });
    return ruleId as string;
  });
}

export async function deleteRule(ctx: Ctx, id: string): Promise<void> {
  const rule = await getRule(ctx, id);
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(automationRules)
      .where(and(eq(automationRules.orgId, ctx.actor.orgId), eq(automationRules.id, rule.id)));
    await appendEvent(tx, ctx, {
      type: "automation.rule_deleted",
      data: { ruleId: rule.id, name: rule.name },
    });
  });
}

/** Swaps the rule with its neighbour above or below. */
export async function moveRule(ctx: Ctx, id: string, direction: "up" | "down"): Promise<void> {
  const rule = await getRule(ctx, id);
  await ctx.db.transaction(async (tx) => {
    const rules = await tx
      .select()
      .from(automationRules)
      .where(eq(automationRules.orgId, ctx.actor.orgId))
      .orderBy(asc(automationRules.position), asc(automationRules.createdAt))
      .for("update");
    const index = rules.findIndex((r) => r.id === rule.id);
    const other = rules[direction === "up" ? index - 1 : index + 1];
    if (!other) return;
    // Positions are renumbered 1…n so ties from concurrent creation cannot stick.
    const order = rules.map((r) => r.id);
    [order[index], order[rules.indexOf(other)]] = [order[rules.indexOf(other)], order[index]];
    for (const [i, ruleId] of order.entries()) {
      await tx
        .update(automationRules)
        .set({ position: i + 1 })
        .where(eq(automationRules.id, ruleId));
    }
  });
}

export interface DryRun {
  ticketNumber: number;
  evaluation: Evaluation;
  /** What the actions would do, in words. */
  wouldDo: string[];
  /** Time-based rules: whether the ticket's time has come, in words. */
  timing?: { due: boolean; text: string };
}

/** Tries the rule against one ticket as it stands; changes nothing. */
export async function dryRun(ctx: Ctx, id: string, ticketRef: string): Promise<DryRun> {
  const rule = await getRule(ctx, id);
  const number = parseTicketNumber(ticketRef.trim().toUpperCase()) ?? Number(ticketRef.trim());
  if (!Number.isInteger(number) || number <= 0)
    throw invalid({ ticket: "Give a ticket number, e.g. TKT-000123." });
  const [row] = await ctx.db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.orgId, ctx.actor.orgId), eq(tickets.number, number)));
  const current = row && (await factsOf(ctx.db, ctx.actor.orgId, row.id));
  if (!current) throw invalid({ ticket: "No ticket of this organization has that number." });
  const evaluation = evaluate(rule, current.facts);
  const timing = isTimeTrigger(rule.trigger)
    ? await explainTiming(ctx.db, rule, current.ticket, ctx.now)
    : undefined;
  const { people, teams, categories, macros, webhooks } = await ruleChoices(ctx.db, ctx.actor.orgId);
  const nameOf = (list: { id: string; name: string }[], v: string) =>
    list.find((x) => x.id === v)?.name ?? "nobody";
  const wouldDo = rule.actions.map((a) => {
    if (a.type === "assign_user") return `Assign to ${nameOf(people, a.value)}`;
    if (a.type === "assign_team") return `Move to team ${nameOf(teams, a.value)}`;
    if (a.type === "set_category") return `Set category ${nameOf(categories, a.value)}`;
    if (a.type === "apply_macro") return `Apply the macro ${nameOf(macros, a.value)}`;
    if (a.type === "call_webhook") return `Call the webhook ${nameOf(webhooks, a.value)}`;
    return `${ACTION_TYPES[a.type] ?? a.type}: ${a.value}`;
  });
  return { ticketNumber: current.ticket.number, evaluation, wouldDo, timing };
}
