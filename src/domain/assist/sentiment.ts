// Sentiment of each customer message on five levels, stored with the message's prediction; the
// ticket keeps the latest level, which automation conditions and lists read. A change of level is an
// event and runs the "ticket updated" rules, so "sentiment changed to very negative" can escalate.
import { and, asc, desc, eq, isNotNull } from "drizzle-orm";
import { aiPredictions, ticketMessages, tickets } from "../../../db/schema";
import { SENTIMENT_LEVELS, type SentimentLevel, type SentimentValue } from "../ai";
import { runRules } from "../automation/engine";
import type { Ctx } from "../context";
import { appendEvent, type DbOrTx } from "../events/log";
import { orgEngine, type RemoteAi } from "./engine";
import { triageActor } from "./triage";

export const SENTIMENT_LABELS: Record<SentimentLevel, string> = {
  very_negative: "Very negative",
  negative: "Negative",
  neutral: "Neutral",
  positive: "Positive",
  very_positive: "Very positive",
};

export function isSentimentLevel(value: unknown): value is SentimentLevel {
  return SENTIMENT_LEVELS.includes(value as SentimentLevel);
}

export async function analyzeMessage(
  db: DbOrTx,
  orgId: string,
  messageId: string,
  now: Date,
  remote: RemoteAi,
): Promise<SentimentLevel | undefined> {
  const [message] = await db
    .select()
    .from(ticketMessages)
    .where(and(eq(ticketMessages.orgId, orgId), eq(ticketMessages.id, messageId)));
  if (message?.kind !== "reply" || !message.authorContactId) return undefined;
  const already = await db
    .select({ value: aiPredictions.value })
    .from(aiPredictions)
    .where(
      and(
        eq(aiPredictions.orgId, orgId),
        eq(aiPredictions.messageId, messageId),
        eq(aiPredictions.task, "sentiment"),
      ),
    );
  if (already.length) return already[0].value as SentimentLevel;
  const engine = await orgEngine(db, orgId, remote);
  const result = await engine.run<SentimentValue>("sentiment", { text: message.body });
  const level = result.value.level;
  await db.insert(aiPredictions).values({
    orgId,
    ticketId: message.ticketId,
    messageId,
    task: "sentiment",
    provider: result.provider,
    modelVersion: result.modelVersion,
    value: level,
    confidence: result.confidence,
    detail: { score: result.value.score },
    fallbackReason: result.fallback?.reason ?? null,
    createdAt: now,
  });
  await updateTicketSentiment(db, orgId, message.ticketId, now);
  return level;
}

/** The ticket shows the sentiment of its latest analysed customer message. */
async function updateTicketSentiment(db: DbOrTx, orgId: string, ticketId: string, now: Date) {
  await db.transaction(async (tx) => {
    const [ticket] = await tx
      .select({ sentiment: tickets.sentiment, status: tickets.status })
      .from(tickets)
      .where(and(eq(tickets.orgId, orgId), eq(tickets.id, ticketId)))
      .for("update");
    const [latest] = await tx
      .select({ value: aiPredictions.value })
      .from(aiPredictions)
      .innerJoin(
        ticketMessages,
        and(eq(ticketMessages.orgId, aiPredictions.orgId), eq(ticketMessages.id, aiPredictions.messageId)),
      )
      .where(
        and(
          eq(aiPredictions.orgId, orgId),
          eq(aiPredictions.ticketId, ticketId),
          eq(aiPredictions.task, "sentiment"),
          isNotNull(aiPredictions.messageId),
        ),
      )
      .orderBy(desc(ticketMessages.createdAt), desc(ticketMessages.id))
      .limit(1);
    if (!ticket || !latest || latest.value === ticket.sentiment) return;
    await tx
      .update(tickets)
      .set({ sentiment: latest.value })
      .where(and(eq(tickets.orgId, orgId), eq(tickets.id, ticketId)));
    const ctx: Ctx = { db: tx as Ctx["db"], actor: triageActor(orgId), now };
    await appendEvent(tx, ctx, {
      type: "ticket.sentiment_changed",
      ticketId,
      data: { from: ticket.sentiment ?? "", to: latest.value },
    });
    if (ticket.status !== "closed")
      await runRules(tx, ctx, ticketId, "ticket.updated", {
        sentiment: [ticket.sentiment ?? "", latest.value ?? ""],
      });
  });
}

/** Levels of the ticket's customer messages, oldest first, for the trend on the ticket page. */
export async function sentimentHistory(db: DbOrTx, orgId: string, ticketId: string) {
  return db
    .select({
      level: aiPredictions.value,
      score: aiPredictions.detail,
      provider: aiPredictions.provider,
      at: ticketMessages.createdAt,
    })
    .from(aiPredictions)
    .innerJoin(
      ticketMessages,
      and(eq(ticketMessages.orgId, aiPredictions.orgId), eq(ticketMessages.id, aiPredictions.messageId)),
    )
    .where(
      and(
        eq(aiPredictions.orgId, orgId),
        eq(aiPredictions.ticketId, ticketId),
        eq(aiPredictions.task, "sentiment"),
      ),
    )
    .orderBy(asc(ticketMessages.createdAt));
}
