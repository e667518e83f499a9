// What the ticket page's AI panel shows: triage suggestions with the agent's verdicts, the
// sentiment trend, similar tickets, the latest summary and reply draft, and the breach risk.
import { and, eq, inArray } from "drizzle-orm";
import { aiFeedback } from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import { findVisibleTicket, type TicketRef } from "../tickets/access";
import { latestPredictions } from "./requests";
import { sentimentHistory } from "./sentiment";
import { triageChoices } from "./triage";

export async function assistPanel(ctx: Ctx, ref: TicketRef) {
  requirePermission(ctx.actor, "tickets.read_all");
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  const [predictions, sentiment, choices] = await Promise.all([
    latestPredictions(ctx.db, ctx.actor.orgId, ticket.id),
    sentimentHistory(ctx.db, ctx.actor.orgId, ticket.id),
    triageChoices(ctx.db, ctx.actor.orgId),
  ]);
  const ids = [...predictions.values()].map((p) => p.id);
  const verdicts = ids.length
    ? await ctx.db
        .select({ predictionId: aiFeedback.predictionId, verdict: aiFeedback.verdict })
        .from(aiFeedback)
        .where(and(eq(aiFeedback.orgId, ctx.actor.orgId), inArray(aiFeedback.predictionId, ids)))
    : [];
  return {
    ticket,
    predictions,
    verdicts: new Map(verdicts.map((v) => [v.predictionId, v.verdict])),
    sentiment,
    choices,
    canWork: can(ctx.actor, "tickets.work"),
  };
}

export type AssistPanelData = Awaited<ReturnType<typeof assistPanel>>;
