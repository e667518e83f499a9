// The AI's queues: triage and sentiment of arriving tickets and messages, agents' on-demand requests,
// retraining each organization's models (daily and when an admin asks), and breach-risk scores.
import { sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import type { DbOrTx } from "../events/log";
import { enqueue, type Schedule } from "../jobs/queue";
import type { QueueDefinition } from "../jobs/runner";
import { retrainBreachRisk, scoreOpenTickets } from "./breachRisk";
import type { RemoteAi } from "./engine";
import { SENTIMENT_QUEUE, TRIAGE_QUEUE } from "./queue";
import { ASSIST_QUEUE, findSimilarOnArrival, runAssist } from "./requests";
import { analyzeMessage } from "./sentiment";
import { pruneModels, retrainTriage, type TrainingOutcome } from "./training";
import { triageTicket } from "./triage";

export const RETRAIN_QUEUE = "ai.retrain";
const RETRAIN_ALL_QUEUE = "ai.retrain_all";
const SCORE_QUEUE = "ai.breach_risk";

/** Everything an organization's models learn, in one run; the outcomes are kept on the job. */
export async function retrainOrg(db: DbOrTx, orgId: string, now: Date): Promise<TrainingOutcome[]> {
  const outcomes = await retrainTriage(db, orgId, now);
  outcomes.push(await retrainBreachRisk(db, orgId, now));
  await pruneModels(db, orgId);
  await scoreOpenTickets(db, orgId, now);
  return outcomes;
}

/** Asks for an organization's retraining; one waits in the queue at a time. */
export async function queueRetrain(db: DbOrTx, orgId: string, now: Date): Promise<boolean> {
  const added = await enqueue(db, now, {
    queue: RETRAIN_QUEUE,
    orgId,
    maxAttempts: 2,
    idempotencyKey: `retrain:${orgId}:${now.toISOString().slice(0, 16)}`,
  });
  return added > 0;
}

async function organizations(db: DbOrTx): Promise<string[]> {
  const result = await db.execute(sql`select id from organizations`);
  return rowsOf<{ id: string }>(result).map((r) => r.id);
}

export function assistQueues(remote: RemoteAi): QueueDefinition[] {
  const orgOf = (job: { orgId: string | null }) => job.orgId ?? "";
  return [
    {
      queue: TRIAGE_QUEUE,
      concurrency: 2,
      timeoutMs: 2 * 60_000,
      async handler(job, ctx) {
        const ticketId = String(job.payload.ticketId);
        await triageTicket(ctx.db, orgOf(job), ticketId, ctx.now, remote);
        await findSimilarOnArrival(ctx.db, orgOf(job), ticketId, ctx.now, remote);
      },
    },
    {
      queue: SENTIMENT_QUEUE,
      concurrency: 2,
      timeoutMs: 60_000,
      async handler(job, ctx) {
        await analyzeMessage(ctx.db, orgOf(job), String(job.payload.messageId), ctx.now, remote);
      },
    },
    {
      queue: ASSIST_QUEUE,
      concurrency: 2,
      timeoutMs: 2 * 60_000,
      async handler(job, ctx) {
        const last = job.attempts >= job.maxAttempts;
        await runAssist(ctx.db, orgOf(job), String(job.payload.predictionId), ctx.now, remote, last);
      },
    },
    {
      queue: RETRAIN_QUEUE,
      concurrency: 1,
      timeoutMs: 30 * 60_000,
      async handler(job, ctx) {
        await retrainOrg(ctx.db, orgOf(job), ctx.now);
      },
    },
    {
      queue: RETRAIN_ALL_QUEUE,
      concurrency: 1,
      async handler(_job, ctx) {
        for (const orgId of await organizations(ctx.db)) await queueRetrain(ctx.db, orgId, ctx.now);
      },
    },
    {
      queue: SCORE_QUEUE,
      concurrency: 1,
      timeoutMs: 10 * 60_000,
      async handler(_job, ctx) {
        for (const orgId of await organizations(ctx.db)) await scoreOpenTickets(ctx.db, orgId, ctx.now);
      },
    },
  ];
}

export const ASSIST_SCHEDULES: Schedule[] = [
  { name: "retrain AI models", queue: RETRAIN_ALL_QUEUE, everySeconds: 86_400 },
  { name: "score SLA breach risk", queue: SCORE_QUEUE, everySeconds: 600 },
];
