// Agents' verdicts on triage: accepting a suggestion applies it; choosing another value corrects it;
// dismissing it says it was wrong without saying what is right. Each is stored once per prediction,
// and corrections become weighted training examples (src/domain/assist/training.ts). A field an
// agent changes by hand after triage counts as a verdict too (./verdicts.ts).
import { and, eq, inArray } from "drizzle-orm";
import { aiFeedback, aiPredictions, TRIAGE_FIELDS, type TriageField } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { conflict, invalid, notFound } from "../errors";
import { findVisibleTicket, type TicketRef } from "../tickets/access";
import { type TicketPatch, updateTicket } from "../tickets/commands";

export type Verdict = "accept" | "correct" | "reject";

function patchFor(field: TriageField, value: string): TicketPatch {
  if (field === "category") return { category: value };
  if (field === "priority") return { priority: value };
  return { teamId: value };
}

function isUuidLike(value: string) {
  return /^[0-9a-f-]{36}$/i.test(value);
}

/** Applies the agent's verdict on one triage prediction of a ticket. */
export async function judgePrediction(
  ctx: Ctx,
  ref: TicketRef,
  predictionId: string,
  verdict: Verdict,
  correctValue?: string,
): Promise<void> {
  requirePermission(ctx.actor, "tickets.work");
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  if (!isUuidLike(predictionId)) throw notFound("That suggestion");
  const [prediction] = await ctx.db
    .select()
    .from(aiPredictions)
    .where(
      and(
        eq(aiPredictions.orgId, ctx.actor.orgId),
        eq(aiPredictions.ticketId, ticket.id),
        eq(aiPredictions.id, predictionId),
        inArray(aiPredictions.task, [...TRIAGE_FIELDS]),
      ),
    );
  if (!prediction) throw notFound("That suggestion");
  const field = prediction.task as TriageField;
  if (verdict === "correct" && !correctValue?.trim())
    throw invalid({ correctValue: "Choose the right value." });
  const value =
    verdict === "accept" ? prediction.value! : verdict === "correct" ? correctValue!.trim() : null;
  // The change goes through the ticket's own rules (validation, events, SLA); then the verdict.
  if (value !== null) await updateTicket(ctx, ticket.id, patchFor(field, value));
  const stored = await ctx.db
    .insert(aiFeedback)
    .values({
      orgId: ctx.actor.orgId,
      predictionId,
      ticketId: ticket.id,
      task: field,
      verdict: value === null ? "rejected" : value === prediction.value ? "accepted" : "corrected",
      correctValue: value,
      userId: ctx.actor.userId ?? null,
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: aiFeedback.id });
  if (stored.length === 0 && verdict === "reject") throw conflict("This suggestion was already answered.");
}
