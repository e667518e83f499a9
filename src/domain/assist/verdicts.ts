// A person changed a triaged field by hand: that is a verdict on the prediction, recorded in the
// change's own transaction (called from updateTicket).
import { and, desc, eq } from "drizzle-orm";
import { aiFeedback, aiPredictions, type TriageField } from "../../../db/schema";
import type { Ctx } from "../context";
import type { DbOrTx } from "../events/log";

const CHANGE_FIELDS: Record<string, TriageField> = {
  "ticket.category_changed": "category",
  "ticket.priority_changed": "priority",
  "ticket.team_changed": "team",
};

/** The newest prediction of each changed field is accepted when the new value is the predicted one, else corrected. */
export async function recordManualVerdicts(
  tx: DbOrTx,
  ctx: Ctx,
  ticketId: string,
  changes: { type: string; data: Record<string, unknown> }[],
): Promise<void> {
  if (ctx.actor.kind !== "user") return;
  for (const change of changes) {
    const field = CHANGE_FIELDS[change.type];
    if (!field) continue;
    const to = String(change.data.to ?? change.data.toId ?? "");
    if (!to) continue;
    const [prediction] = await tx
      .select({ id: aiPredictions.id, value: aiPredictions.value })
      .from(aiPredictions)
      .where(
        and(
          eq(aiPredictions.orgId, ctx.actor.orgId),
          eq(aiPredictions.ticketId, ticketId),
          eq(aiPredictions.task, field),
        ),
      )
      .orderBy(desc(aiPredictions.createdAt))
      .limit(1);
    if (!prediction) continue;
    await tx
      .insert(aiFeedback)
      .values({
        orgId: ctx.actor.orgId,
        predictionId: prediction.id,
        ticketId,
        task: field,
        verdict: prediction.value === to ? "accepted" : "corrected",
        correctValue: to,
        userId: ctx.actor.userId ?? null,
        createdAt: ctx.now,
      })
      .onConflictDoNothing();
  }
}
