// The automation engine: after a ticket is created, changed or answered, the organization's active
// rules for that trigger are checked in order against the ticket as it now stands, and the actions
// of those that match run in the same transaction, each recorded as an event by "Automation".
// Changes a rule makes never fire rules again (no loops), and a rule runs at most once per change.

import { and, asc, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  automationRules,
  contacts,
  macros,
  type RuleAction,
  type RuleCondition,
  type RuleTrigger,
  teams,
  ticketMessages,
  tickets,
  users,
  webhookSubscriptions,
} from "../../../db/schema";
import { assignByTeamStrategy } from "../assignment/assign";
import type { Ctx } from "../context";
import { orgForMail, queueMail } from "../email/outbox";
import { fill } from "../email/templates";
import { isDomainError } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { loadCatalog } from "../fields/catalog";
import {
  CUSTOM_FIELD_OPERATORS,
  type CustomFieldKind,
  customConditionHolds,
  customFieldKey,
} from "../fields/conditions";
import { categoryPath } from "../fields/values";
import { enqueue } from "../jobs/queue";
import { type ConfigStamp, readConfigStamp, underStamp } from "../orgs/config";
import { formatTicketNumber } from "../orgs/counters";
import type { TicketRow } from "../tickets/access";
import {
  addAutomationNote,
  addAutomationReply,
  applyAutomationPatch,
  type TicketPatch,
} from "../tickets/commands";
import { isUuid } from "../tickets/rules";
import { DELIVER_QUEUE, WEBHOOK_MAX_ATTEMPTS } from "../webhooks/fanout";

/** What a rule's conditions look at. */
export interface TicketFacts {
  status: string;
  priority: string;
  type: string;
  channel: string;
  subject: string;
  body: string;
  tags: string[];
  assigneeId: string;
  teamId: string;
  requesterEmail: string;
  /** The latest customer message's sentiment level ("" before any is known). */
  sentiment: string;
  /** The ticket's category and subcategory ids ("" when none). */
  category: string;
  subcategory: string;
  /** Custom field values by key (see src/domain/fields). */
  fields: Record<string, unknown>;
  /** Field → [from, to] for the change that fired "ticket.updated". */
  changed: Record<string, [string, string]>;
}

export interface FieldSpec {
  field: keyof Omit<TicketFacts, "changed" | "fields" | "subcategory">;
  label: string;
  kind: "choice" | "text" | "tags" | "person" | "category";
}

/** Kinds of condition: the ticket's own fields, and each type of custom field. */
export type ConditionKind = FieldSpec["kind"] | CustomFieldKind;

export const CONDITION_FIELDS: FieldSpec[] = [
  { field: "status", label: "Status", kind: "choice" },
  { field: "priority", label: "Priority", kind: "choice" },
  { field: "type", label: "Type", kind: "choice" },
  { field: "channel", label: "Channel", kind: "choice" },
  { field: "subject", label: "Subject", kind: "text" },
  { field: "body", label: "Latest message", kind: "text" },
  { field: "tags", label: "Tags", kind: "tags" },
  { field: "assigneeId", label: "Assignee", kind: "person" },
  { field: "teamId", label: "Team", kind: "person" },
  { field: "requesterEmail", label: "Requester's email", kind: "text" },
  { field: "category", label: "Category or subcategory", kind: "category" },
  { field: "sentiment", label: "Customer sentiment", kind: "choice" },
];

/** Operators each kind of field offers, with their words. */
export const OPERATORS: Record<ConditionKind, Record<string, string>> = {
  ...CUSTOM_FIELD_OPERATORS,
  choice: {
    is: "is",
    is_not: "is not",
    changed: "changed",
    changed_to: "changed to",
    changed_from: "changed from",
  },
  text: { contains: "contains", not_contains: "does not contain", is: "is", ends_with: "ends with" },
  tags: { includes: "includes", excludes: "does not include" },
  person: { is: "is", is_not: "is not", is_empty: "is nobody", changed: "changed" },
  category: { is: "is", is_not: "is not", is_empty: "is none", changed: "changed" },
};

export const ACTION_TYPES: Record<string, string> = {
  set_status: "Set status",
  set_priority: "Set priority",
  set_type: "Set type",
  assign_user: "Assign to person",
  assign_team: "Move to team",
  add_tags: "Add tags",
  remove_tags: "Remove tags",
  set_category: "Set category",
  assign_by_strategy: "Assign by the team's strategy",
  add_note: "Add internal note",
  email_requester: "Email the requester",
  apply_macro: "Apply a shared macro (its changes, and its text as a reply)",
  call_webhook: "Call a webhook",
};

/** Actions whose value is chosen from a list (the form's select) rather than typed. */
export const CHOICE_ACTIONS: ReadonlySet<string> = new Set([
  "set_status",
  "set_priority",
  "set_type",
  "assign_user",
  "assign_team",
  "set_category",
  "apply_macro",
  "call_webhook",
]);

export function fieldSpec(field: string): FieldSpec | undefined {
  return CONDITION_FIELDS.find((f) => f.field === field);
}

/** Whether one condition holds for the ticket. */
export function conditionHolds(condition: RuleCondition, facts: TicketFacts): boolean {
  const customKey = customFieldKey(condition.field);
  if (customKey) return customConditionHolds(condition, facts.fields[customKey]);
  const spec = fieldSpec(condition.field);
  if (!spec) return false;
  const wanted = condition.value.trim().toLowerCase();
  const change = facts.changed[condition.field];
  if (spec.kind === "tags") {
    const has = facts.tags.includes(wanted);
    return condition.op === "excludes" ? !has : has;
  }
  if (spec.kind === "category" && ["is", "is_not"].includes(condition.op)) {
    // A category's condition holds for its subcategories too.
    const inIt = wanted !== "" && [facts.category, facts.subcategory].includes(wanted);
    return condition.op === "is" ? inIt : !inIt;
  }
  const actual = String(facts[spec.field] ?? "").toLowerCase();
  switch (condition.op) {
    case "is":
      return actual === wanted;
    case "is_not":
      return actual !== wanted;
    case "is_empty":
      return actual === "";
    case "contains":
      return wanted !== "" && actual.includes(wanted);
    case "not_contains":
      return !actual.includes(wanted);
    case "ends_with":
      return wanted !== "" && actual.endsWith(wanted);
    case "changed":
      return !!change;
    case "changed_to":
      return !!change && change[1].toLowerCase() === wanted;
    case "changed_from":
      return !!change && change[0].toLowerCase() === wanted;
    default:
      return false;
  }
}

export interface Evaluation {
  matched: boolean;
  conditions: { condition: RuleCondition; holds: boolean }[];
}

export function evaluate(
  rule: { match: "all" | "any"; conditions: RuleCondition[] },
  facts: TicketFacts,
): Evaluation {
  const conditions = rule.conditions.map((condition) => ({
    condition,
    holds: conditionHolds(condition, facts),
  }));
  const matched =
    conditions.length === 0 ||
    (rule.match === "all" ? conditions.every((c) => c.holds) : conditions.some((c) => c.holds));
  return { matched, conditions };
}

/** The ticket as rules see it, with its latest message and requester. */
export async function factsOf(
  db: DbOrTx,
  orgId: string,
  ticketId: string,
  changed: TicketFacts["changed"] = {},
): Promise<{ ticket: TicketRow; facts: TicketFacts } | undefined> {
  const [row] = await db
    .select({ ticket: tickets, email: contacts.email })
    .from(tickets)
    .innerJoin(contacts, and(eq(contacts.orgId, tickets.orgId), eq(contacts.id, tickets.contactId)))
    .where(and(eq(tickets.orgId, orgId), eq(tickets.id, ticketId)));
  if (!row) return undefined;
  const [latest] = await db
    .select({ body: ticketMessages.body })
    .from(ticketMessages)
    .where(and(eq(ticketMessages.orgId, orgId), eq(ticketMessages.ticketId, ticketId)))
    .orderBy(desc(ticketMessages.createdAt), desc(ticketMessages.id))
    .limit(1);
  const t = row.ticket;
  return {
    ticket: t,
    facts: {
      status: t.status,
      priority: t.priority,
      type: t.type,
      channel: t.channel,
      subject: t.subject,
      body: latest?.body ?? "",
      tags: t.tags,
      assigneeId: t.assigneeId ?? "",
      teamId: t.teamId ?? "",
      requesterEmail: row.email ?? "",
      sentiment: t.sentiment ?? "",
      category: t.categoryId ?? "",
      subcategory: t.subcategoryId ?? "",
      fields: t.customFields,
      changed,
    },
  };
}

/** Field → [from, to] out of a change's events, for "changed" conditions. */
export function changesFrom(
  events: { type: string; data: Record<string, unknown> }[],
): TicketFacts["changed"] {
  const fields: Record<string, string> = {
    "ticket.status_changed": "status",
    "ticket.priority_changed": "priority",
    "ticket.type_changed": "type",
    "ticket.assigned": "assigneeId",
    "ticket.team_changed": "teamId",
    "ticket.category_changed": "category",
    "ticket.sentiment_changed": "sentiment",
  };
  const changed: TicketFacts["changed"] = {};
  for (const e of events) {
    const field = fields[e.type];
    if (field) changed[field] = [String(e.data.from ?? ""), String(e.data.to ?? "")];
  }
  return changed;
}

type Rule = typeof automationRules.$inferSelect;

/**
 * Runs the organization's rules for a trigger on one ticket. Called at the end of the change's
 * own transaction; does nothing for changes that rules themselves made.
 */
/** The organization's active rules for a trigger, in order; read again only when its config stamp moved. */
export async function activeRules(
  tx: DbOrTx,
  orgId: string,
  trigger: RuleTrigger,
  stamp?: ConfigStamp,
): Promise<Rule[]> {
  const current = stamp ?? (await readConfigStamp(tx, orgId));
  return underStamp(`rules:${trigger}`, current, () =>
    tx
      .select()
      .from(automationRules)
      .where(
        and(
          eq(automationRules.orgId, orgId),
          eq(automationRules.trigger, trigger),
          eq(automationRules.active, true),
        ),
      )
      .orderBy(asc(automationRules.position), asc(automationRules.createdAt)),
  );
}

/** Runs the trigger's rules on the ticket; returns how many matched and were applied. */
export async function runRules(
  tx: DbOrTx,
  ctx: Ctx,
  ticketId: string,
  trigger: RuleTrigger,
  changed: TicketFacts["changed"] = {},
  stamp?: ConfigStamp,
): Promise<number> {
  if (ctx.automation) return 0;
  const rules = await activeRules(tx, ctx.actor.orgId, trigger, stamp);
  if (rules.length === 0) return 0;
  let applied = 0;
  let current = await factsOf(tx, ctx.actor.orgId, ticketId, changed);
  for (const rule of rules) {
    if (!current) return applied;
    if (!evaluate(rule, current.facts).matched) continue;
    await applyRule(tx, ctx, rule, current.ticket);
    applied++;
    if (rule.stopProcessing) break;
    // The next rule sees the ticket as this one left it.
    current = await factsOf(tx, ctx.actor.orgId, ticketId, changed);
  }
  return applied;
}

export async function applyRule(tx: DbOrTx, ctx: Ctx, rule: Rule, ticket: TicketRow) {
  const ruleCtx: Ctx = {
    ...ctx,
    db: tx as unknown as Db,
    actor: { kind: "system", orgId: ctx.actor.orgId, role: "admin", name: `Automation: ${rule.name}` },
    automation: true,
  };
  const applied: string[] = [];
  const problems: string[] = [];
  const patch = patchOf(rule.actions);
  if (Object.keys(patch).length) {
    try {
      await applyAutomationPatch(tx, ruleCtx, ticket.id, patch);
      applied.push(...rule.actions.filter((a) => a.type in PATCH_ACTIONS).map((a) => a.type));
    } catch (error) {
      // A rule that no longer fits the ticket (say, an agent who left) must not block the change.
      if (!isDomainError(error)) throw error;
      problems.push(Object.values(error.fields ?? {}).join(" ") || error.message);
    }
  }
  for (const action of rule.actions) {
    if (action.type === "add_note" && action.value.trim()) {
      await addAutomationNote(tx, ruleCtx, ticket.id, action.value.trim());
      applied.push(action.type);
    }
    if (action.type === "assign_by_strategy") {
      const choice = await assignByTeamStrategy(tx, ruleCtx, ticket.id, { force: true });
      if (choice?.userId) applied.push(action.type);
      else problems.push(`No automatic assignment: ${choice?.reason ?? "the ticket has no team"}.`);
    }
    if (action.type === "email_requester" && action.value.trim()) {
      await emailRequester(tx, ruleCtx, ticket, action);
      applied.push(action.type);
    }
    if (action.type === "apply_macro") {
      const problem = await applyMacroAction(tx, ruleCtx, ticket, action.value);
      if (problem) problems.push(problem);
      else applied.push(action.type);
    }
    if (action.type === "call_webhook") {
      const problem = await callWebhook(tx, ruleCtx, rule, ticket, action.value);
      if (problem) problems.push(problem);
      else applied.push(action.type);
    }
  }
  await appendEvent(tx, ruleCtx, {
    type: "automation.rule_applied",
    ticketId: ticket.id,
    data: { ruleId: rule.id, name: rule.name, actions: applied, problems },
  });
}

const PATCH_ACTIONS: Record<string, (value: string, patch: TicketPatch) => void> = {
  set_status: (v, p) => {
    p.status = v;
  },
  set_priority: (v, p) => {
    p.priority = v;
  },
  set_type: (v, p) => {
    p.type = v;
  },
  assign_user: (v, p) => {
    p.assigneeId = v || null;
  },
  assign_team: (v, p) => {
    p.teamId = v || null;
  },
  add_tags: (v, p) => {
    p.addTags = v;
  },
  remove_tags: (v, p) => {
    p.removeTags = v;
  },
  set_category: (v, p) => {
    p.category = v || null;
  },
};

/** The field changes among a rule's actions, as one patch. */
export function patchOf(actions: RuleAction[]): TicketPatch {
  const patch: TicketPatch = {};
  for (const action of actions) PATCH_ACTIONS[action.type]?.(action.value, patch);
  return patch;
}

async function emailRequester(tx: DbOrTx, ctx: Ctx, ticket: TicketRow, action: RuleAction) {
  const [contact] = await tx
    .select({ email: contacts.email, name: contacts.name })
    .from(contacts)
    .where(and(eq(contacts.orgId, ctx.actor.orgId), eq(contacts.id, ticket.contactId)));
  // A contact known only by phone has no address to write to.
  if (!contact?.email) return;
  const values = {
    "ticket.number": formatTicketNumber(ticket.number),
    "ticket.subject": ticket.subject,
    "contact.name": contact.name,
  };
  await queueMail(
    tx,
    {
      orgId: ctx.actor.orgId,
      to: contact.email,
      kind: "automation",
      automatic: true,
      ticket: { id: ticket.id },
      values: {
        "rule.subject": fill(action.subject || "[{{ticket.number}}] {{ticket.subject}}", values),
        "rule.text": fill(action.value, values),
      },
    },
    ctx.now,
  );
}

/** A shared macro's field changes, then its text as a public reply; returns a problem in words. */
async function applyMacroAction(tx: DbOrTx, ctx: Ctx, ticket: TicketRow, macroId: string) {
  const [macro] = isUuid(macroId)
    ? await tx
        .select()
        .from(macros)
        .where(and(eq(macros.orgId, ctx.actor.orgId), eq(macros.id, macroId), isNull(macros.ownerUserId)))
    : [];
  if (!macro) return "The macro no longer exists (or is no longer shared).";
  const patch = patchOf(macro.actions);
  try {
    if (Object.keys(patch).length) await applyAutomationPatch(tx, ctx, ticket.id, patch);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return `Macro “${macro.name}”: ${Object.values(error.fields ?? {}).join(" ") || error.message}`;
  }
  if (macro.body.trim()) {
    const [row] = await tx
      .select({ contact: contacts.name, assignee: users.name })
      .from(tickets)
      .innerJoin(contacts, and(eq(contacts.orgId, tickets.orgId), eq(contacts.id, tickets.contactId)))
      .leftJoin(users, and(eq(users.orgId, tickets.orgId), eq(users.id, tickets.assigneeId)))
      .where(and(eq(tickets.orgId, ctx.actor.orgId), eq(tickets.id, ticket.id)));
    const agent = row?.assignee ?? (await orgForMail(tx, ctx.actor.orgId)).name;
    const text = fill(macro.body, {
      "contact.name": row?.contact ?? "",
      "contact.first_name": (row?.contact ?? "").split(/\s+/)[0],
      "ticket.number": formatTicketNumber(ticket.number),
      "ticket.subject": ticket.subject,
      "agent.name": agent,
      "agent.first_name": agent.split(/\s+/)[0],
    });
    await addAutomationReply(tx, ctx, ticket.id, text);
  }
  return undefined;
}

/**
 * Sends the ticket to one webhook as an "automation.webhook" event, signed and retried like every
 * delivery; a subscription that already receives that event type gets it once, from the fan-out.
 */
async function callWebhook(tx: DbOrTx, ctx: Ctx, rule: Rule, ticket: TicketRow, subscriptionId: string) {
  const [subscription] = isUuid(subscriptionId)
    ? await tx
        .select()
        .from(webhookSubscriptions)
        .where(
          and(eq(webhookSubscriptions.orgId, ctx.actor.orgId), eq(webhookSubscriptions.id, subscriptionId)),
        )
    : [];
  if (!subscription) return "The webhook no longer exists.";
  if (!subscription.active) return `The webhook “${subscription.name}” is paused.`;
  const seq = await appendEvent(tx, ctx, {
    type: "automation.webhook",
    ticketId: ticket.id,
    data: {
      rule: rule.name,
      webhook: subscription.name,
      ticket: {
        id: ticket.id,
        number: formatTicketNumber(ticket.number),
        subject: ticket.subject,
        status: ticket.status,
        priority: ticket.priority,
        assigneeId: ticket.assigneeId,
        teamId: ticket.teamId,
        tags: ticket.tags,
      },
    },
  });
  const fannedOut = subscription.eventTypes.some((t) => t === "*" || t === "automation.webhook");
  if (!fannedOut)
    await enqueue(tx, ctx.now, {
      queue: DELIVER_QUEUE,
      orgId: ctx.actor.orgId,
      payload: { subscriptionId: subscription.id, seq },
      maxAttempts: WEBHOOK_MAX_ATTEMPTS,
    });
  return undefined;
}

/** People, teams, categories and fields named in rules, for the forms' pickers and the dry run's words. */
export async function ruleChoices(db: DbOrTx, orgId: string) {
  const [people, teamRows, catalog, sharedMacros, webhooks] = await Promise.all([
    db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.active, true)))
      .orderBy(users.name),
    db
      .select({ id: teams.id, name: teams.name })
      .from(teams)
      .where(eq(teams.orgId, orgId))
      .orderBy(teams.name),
    loadCatalog(db, orgId),
    db
      .select({ id: macros.id, name: macros.name })
      .from(macros)
      .where(and(eq(macros.orgId, orgId), isNull(macros.ownerUserId)))
      .orderBy(macros.name),
    db
      .select({ id: webhookSubscriptions.id, name: webhookSubscriptions.name })
      .from(webhookSubscriptions)
      .where(eq(webhookSubscriptions.orgId, orgId))
      .orderBy(webhookSubscriptions.name),
  ]);
  return {
    people,
    teams: teamRows,
    macros: sharedMacros,
    webhooks,
    categories: catalog.categories.map((c) => ({ id: c.id, name: categoryPath(catalog, c.id) })),
    fields: catalog.fields,
  };
}
