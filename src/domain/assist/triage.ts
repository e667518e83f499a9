// Triage of a new ticket: its category, priority and team predicted from the subject and first
// message. Each prediction is stored with its provider, model version and confidence. At or above
// the organization's threshold a prediction is applied — only to a field nobody has chosen yet;
// below it, the agent sees it as a suggestion and accepts or corrects it with one click.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import {
  aiPredictions,
  events,
  TICKET_PRIORITIES,
  type TriageField,
  teams,
  ticketMessages,
  tickets,
} from "../../../db/schema";
import { type Categorization, type LabelChoice, ticketText } from "../ai";
import type { Actor, Ctx } from "../context";
import { appendEvent, type DbOrTx } from "../events/log";
import { loadCatalog } from "../fields/catalog";
import { categoryPath } from "../fields/values";
import { prepared } from "../prepared";
import { type TicketPatch, updateTicket } from "../tickets/commands";
import { type OrgEngine, orgEngine, type RemoteAi } from "./engine";

/** Who the history names for changes triage applies. */
export function triageActor(orgId: string): Actor {
  return { kind: "system", orgId, role: "admin", name: "AI triage" };
}

const PRIORITY_NAMES: Record<string, string> = {
  low: "Low",
  normal: "Normal",
  high: "High",
  urgent: "Urgent",
};

/** The values each field may take now, with the names people (and zero-shot models) read. */
export async function triageChoices(db: DbOrTx, orgId: string): Promise<Record<TriageField, LabelChoice[]>> {
  const [catalog, teamRows] = await Promise.all([
    loadCatalog(db, orgId),
    prepared(db, "triageTeams", () =>
      db
        .select({ id: teams.id, name: teams.name })
        .from(teams)
        .where(eq(teams.orgId, sql.placeholder("orgId")))
        .prepare("triage_teams"),
    ).execute({ orgId }),
  ]);
  return {
    category: catalog.categories
      .filter((c) => !c.archived)
      .map((c) => ({ value: c.id, name: categoryPath(catalog, c.id) })),
    priority: TICKET_PRIORITIES.map((p) => ({ value: p, name: PRIORITY_NAMES[p] })),
    team: teamRows.map((t) => ({ value: t.id, name: t.name })),
  };
}

type TicketRow = typeof tickets.$inferSelect;

/** Fields a person already decided are left alone: triage fills gaps, it does not overrule. */
async function openFields(db: DbOrTx, ticket: TicketRow): Promise<Set<TriageField>> {
  const open = new Set<TriageField>();
  if (!ticket.categoryId) open.add("category");
  if (!ticket.teamId) open.add("team");
  // The priority is the customer's default unless staff set it when creating or changing the ticket.
  const decided = await prepared(db, "triageDecided", () =>
    db
      .select({ type: events.type, actorKind: events.actorKind })
      .from(events)
      .where(
        and(
          eq(events.orgId, sql.placeholder("orgId")),
          eq(events.ticketId, sql.placeholder("ticketId")),
          inArray(events.type, ["ticket.created", "ticket.priority_changed"]),
        ),
      )
      .prepare("triage_decided"),
  ).execute({ orgId: ticket.orgId, ticketId: ticket.id });
  const createdByCustomer = decided.some((e) => e.type === "ticket.created" && e.actorKind === "customer");
  if (createdByCustomer && !decided.some((e) => e.type === "ticket.priority_changed")) open.add("priority");
  return open;
}

function patchFor(field: TriageField, value: string): TicketPatch {
  if (field === "category") return { category: value };
  if (field === "priority") return { priority: value };
  return { teamId: value };
}

export interface TriageResult {
  predictions: { field: TriageField; value: string; name: string; confidence: number; applied: boolean }[];
}

async function firstMessage(db: DbOrTx, ticket: TicketRow): Promise<string> {
  const [first] = await prepared(db, "triageFirstMessage", () =>
    db
      .select({ body: ticketMessages.body })
      .from(ticketMessages)
      .where(
        and(
          eq(ticketMessages.orgId, sql.placeholder("orgId")),
          eq(ticketMessages.ticketId, sql.placeholder("ticketId")),
          eq(ticketMessages.kind, "reply"),
        ),
      )
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
      .limit(1)
      .prepare("triage_first_message"),
  ).execute({ orgId: ticket.orgId, ticketId: ticket.id });
  return first?.body ?? "";
}

async function predictField(engine: OrgEngine, field: TriageField, text: string, choices: LabelChoice[]) {
  if (choices.length < 2) return undefined;
  const result = await engine.run<Categorization>("categorize", {
    field,
    text,
    choices,
    threshold: engine.settings.autoApplyThreshold,
  });
  return result.value.label ? result : undefined;
}

/** Predicts, stores and (when confident) applies; a ticket already triaged is left as it is. */
export async function triageTicket(
  db: DbOrTx,
  orgId: string,
  ticketId: string,
  now: Date,
  remote: RemoteAi,
): Promise<TriageResult | undefined> {
  // Prepared, as are the other reads of this file: triage runs for every new ticket.
  const ids = { orgId, ticketId };
  const [ticket] = await prepared(db, "triageTicket", () =>
    db
      .select()
      .from(tickets)
      .where(and(eq(tickets.orgId, sql.placeholder("orgId")), eq(tickets.id, sql.placeholder("ticketId"))))
      .prepare("triage_ticket"),
  ).execute(ids);
  if (!ticket || ticket.mergedIntoId || ["solved", "closed"].includes(ticket.status)) return undefined;
  const done = await prepared(db, "triageDone", () =>
    db
      .select({ id: aiPredictions.id })
      .from(aiPredictions)
      .where(
        and(
          eq(aiPredictions.orgId, sql.placeholder("orgId")),
          eq(aiPredictions.ticketId, sql.placeholder("ticketId")),
          inArray(aiPredictions.task, ["category", "priority", "team"]),
        ),
      )
      .limit(1)
      .prepare("triage_done"),
  ).execute(ids);
  if (done.length) return undefined;

  const [engine, choices, body, open] = await Promise.all([
    orgEngine(db, orgId, remote),
    triageChoices(db, orgId),
    firstMessage(db, ticket),
    openFields(db, ticket),
  ]);
  const text = ticketText(ticket.subject, body);
  const fields = ["category", "priority", "team"] as const;
  // The three questions go to the AI worker at once; it answers them in turn.
  const answers = await Promise.all(fields.map((field) => predictField(engine, field, text, choices[field])));
  const made = fields.flatMap((field, i) => {
    const prediction = answers[i];
    if (!prediction) return [];
    const value = prediction.value.label!;
    const apply =
      prediction.value.action === "apply" &&
      engine.settings.autoApplyFields.includes(field) &&
      open.has(field) &&
      value !== currentValue(ticket, field);
    return [{ field, value, prediction, apply }];
  });
  const result: TriageResult = {
    predictions: made.map(({ field, value, prediction, apply }) => ({
      field,
      value,
      name: choices[field].find((c) => c.value === value)?.name ?? value,
      confidence: prediction.confidence,
      applied: apply,
    })),
  };
  if (made.length === 0) return result;
  await applyPredictions(db, orgId, ticketId, now, result);
  // Stored after the change is applied, with whether it was, in one statement.
  await db.insert(aiPredictions).values(
    made.map(({ field, value, prediction }, i) => ({
      orgId,
      ticketId,
      task: field,
      provider: prediction.provider,
      modelVersion: prediction.modelVersion,
      value,
      confidence: prediction.confidence,
      detail: { ranking: prediction.value.ranking.slice(0, 5), action: prediction.value.action },
      fallbackReason: prediction.fallback?.reason ?? null,
      applied: result.predictions[i].applied,
      createdAt: now,
    })),
  );
  return result;
}

function currentValue(ticket: TicketRow, field: TriageField): string | null {
  if (field === "category") return ticket.subcategoryId ?? ticket.categoryId;
  if (field === "priority") return ticket.priority;
  return ticket.teamId;
}

/** Applies the confident predictions as one change (rules then see it) and records what triage did. */
async function applyPredictions(
  db: DbOrTx,
  orgId: string,
  ticketId: string,
  now: Date,
  result: TriageResult,
) {
  const ctx: Ctx = { db: db as Ctx["db"], actor: triageActor(orgId), now };
  const toApply = result.predictions.filter((p) => p.applied);
  if (toApply.length) {
    const patch = Object.assign({}, ...toApply.map((p) => patchFor(p.field, p.value))) as TicketPatch;
    try {
      await updateTicket(ctx, ticketId, patch);
    } catch {
      // The ticket changed meanwhile (closed, a category archived): the predictions stay suggestions.
      for (const p of result.predictions) p.applied = false;
    }
  }
  await appendEvent(db, ctx, {
    type: "ticket.ai_triaged",
    ticketId,
    data: { predictions: result.predictions },
  });
}
