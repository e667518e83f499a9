// What a new ticket or customer message asks of the AI, queued in the change's own transaction so
// the jobs exist exactly when the message does (the jobs run in src/domain/assist).
import type { DbOrTx } from "../events/log";
import { enqueue } from "../jobs/queue";

export const TRIAGE_QUEUE = "ai.triage";
export const SENTIMENT_QUEUE = "ai.sentiment";

/** Below people's own work (mail, webhooks) when the queue is busy. */
const AI_PRIORITY = -1;

export async function queueAnalysis(
  tx: DbOrTx,
  now: Date,
  orgId: string,
  /** `messageId`: a customer's message, whose sentiment is wanted. */
  work: { ticketId: string; messageId?: string; triage: boolean },
): Promise<void> {
  await enqueue(
    tx,
    now,
    ...(work.triage
      ? [
          {
            queue: TRIAGE_QUEUE,
            orgId,
            payload: { ticketId: work.ticketId },
            priority: AI_PRIORITY,
            maxAttempts: 3,
            idempotencyKey: `triage:${work.ticketId}`,
          },
        ]
      : []),
    ...(work.messageId
      ? [
          {
            queue: SENTIMENT_QUEUE,
            orgId,
            payload: { messageId: work.messageId },
            priority: AI_PRIORITY,
            maxAttempts: 3,
            idempotencyKey: `sentiment:${work.messageId}`,
          },
        ]
      : []),
  );
}
