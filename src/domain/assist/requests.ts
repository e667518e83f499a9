// What an agent asks for on a ticket — a summary of the thread, a reply draft, similar tickets —
// is a prediction row that starts "pending" and a job that fills it in; the page shows it when it
// is done. Nothing is ever sent to the customer from here: a draft goes into the reply box.
import { and, desc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import {
  aiPredictions,
  contacts,
  kbArticles,
  kbArticleTranslations,
  macros,
  tickets,
} from "../../../db/schema";
import {
  type KnowledgeSource,
  type ReplySuggestion,
  type SimilarTicket,
  type SummaryValue,
  type ThreadMessage,
  ticketText,
} from "../ai";
import { BoundedMap } from "../bounded";
import { type Ctx, requirePermission } from "../context";
import { conflict, notFound } from "../errors";
import type { DbOrTx } from "../events/log";
import { enqueue } from "../jobs/queue";
import { formatTicketNumber } from "../orgs/counters";
import { uuidArray } from "../sla/tickets";
import { findVisibleTicket, type TicketRef } from "../tickets/access";
import { orgEngine, type RemoteAi } from "./engine";

export const ASSIST_QUEUE = "ai.assist";
export const ON_DEMAND_TASKS = ["summary", "reply", "similar"] as const;
export type OnDemandTask = (typeof ON_DEMAND_TASKS)[number];

/** Queues a summary, draft or similar-ticket search for a ticket the agent can work on. */
export async function requestAssist(ctx: Ctx, ref: TicketRef, task: OnDemandTask): Promise<string> {
  requirePermission(ctx.actor, "tickets.work");
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  return ctx.db.transaction(async (tx) => {
    const [pending] = await tx
      .select({ id: aiPredictions.id })
      .from(aiPredictions)
      .where(
        and(
          eq(aiPredictions.orgId, ctx.actor.orgId),
          eq(aiPredictions.ticketId, ticket.id),
          eq(aiPredictions.task, task),
          eq(aiPredictions.status, "pending"),
        ),
      )
      .limit(1);
    // Asking twice while the first answer is on its way waits for that answer.
    if (pending) return pending.id;
    const [row] = await tx
      .insert(aiPredictions)
      .values({
        orgId: ctx.actor.orgId,
        ticketId: ticket.id,
        task,
        status: "pending",
        requestedBy: ctx.actor.userId ?? null,
        createdAt: ctx.now,
      })
      .returning({ id: aiPredictions.id });
    await enqueue(tx, ctx.now, {
      queue: ASSIST_QUEUE,
      orgId: ctx.actor.orgId,
      payload: { predictionId: row.id },
      maxAttempts: 2,
    });
    return row.id;
  });
}

/** The job: answers one pending request; a failure is recorded on the row for the page to show. */
export async function runAssist(
  db: DbOrTx,
  orgId: string,
  predictionId: string,
  now: Date,
  remote: RemoteAi,
  lastAttempt: boolean,
): Promise<void> {
  const [row] = await db
    .select()
    .from(aiPredictions)
    .where(and(eq(aiPredictions.orgId, orgId), eq(aiPredictions.id, predictionId)));
  if (row?.status !== "pending") return;
  try {
    const answer = await answerRequest(
      db,
      orgId,
      row.ticketId,
      row.task as OnDemandTask,
      row.requestedBy,
      now,
      remote,
    );
    await db
      .update(aiPredictions)
      .set({ status: "done", ...answer })
      .where(and(eq(aiPredictions.orgId, orgId), eq(aiPredictions.id, predictionId)));
  } catch (error) {
    if (!lastAttempt) throw error;
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(aiPredictions)
      .set({ status: "failed", fallbackReason: message.slice(0, 300) })
      .where(and(eq(aiPredictions.orgId, orgId), eq(aiPredictions.id, predictionId)));
  }
}

type Answer = Pick<
  typeof aiPredictions.$inferInsert,
  "provider" | "modelVersion" | "value" | "confidence" | "detail" | "fallbackReason"
>;

async function answerRequest(
  db: DbOrTx,
  orgId: string,
  ticketId: string,
  task: OnDemandTask,
  requestedBy: string | null,
  now: Date,
  remote: RemoteAi,
): Promise<Answer> {
  const engine = await orgEngine(db, orgId, remote);
  const thread = await threadOf(db, orgId, ticketId);
  if (task === "summary") {
    const result = await engine.run<SummaryValue>("summarize", {
      messages: thread.messages,
      maxSentences: 5,
    });
    return {
      provider: result.provider,
      modelVersion: result.modelVersion,
      value: result.value.text,
      confidence: result.confidence,
      detail: { sentences: result.value.sentences ?? [] },
      fallbackReason: result.fallback?.reason ?? null,
    };
  }
  if (task === "reply") {
    const [sources, agent] = await Promise.all([
      knowledgeSources(db, orgId, ticketId, requestedBy),
      requestedBy ? agentName(db, orgId, requestedBy) : Promise.resolve(""),
    ]);
    const query = thread.latestCustomerText || thread.ticket.subject;
    const result = await engine.run<ReplySuggestion>("suggestReply", {
      query: `${thread.ticket.subject}\n${query}`,
      sources,
      placeholders: {
        contact: { name: thread.contactName, first_name: thread.contactName.split(/\s+/)[0] },
        ticket: { number: formatTicketNumber(thread.ticket.number), subject: thread.ticket.subject },
        agent: { name: agent, first_name: agent.split(/\s+/)[0] },
      },
    });
    return {
      provider: result.provider,
      modelVersion: result.modelVersion,
      value: result.value.draft,
      confidence: result.confidence,
      detail: {
        missing: result.value.missing,
        sources: result.value.sources.map((s) => ({
          kind: s.source.kind,
          id: s.source.id,
          title: s.source.title,
          score: s.score,
        })),
      },
      fallbackReason: result.fallback?.reason ?? null,
    };
  }
  return similarAnswer(db, orgId, thread.ticket, thread.firstText, now, engine);
}

async function agentName(db: DbOrTx, orgId: string, userId: string): Promise<string> {
  const result = await db.execute(sql`select name from users where org_id = ${orgId} and id = ${userId}`);
  return rowsOf<{ name: string }>(result)[0]?.name ?? "";
}

type TicketRow = typeof tickets.$inferSelect;

async function threadOf(db: DbOrTx, orgId: string, ticketId: string) {
  const [row] = await db
    .select({ ticket: tickets, contactName: contacts.name })
    .from(tickets)
    .innerJoin(contacts, and(eq(contacts.orgId, tickets.orgId), eq(contacts.id, tickets.contactId)))
    .where(and(eq(tickets.orgId, orgId), eq(tickets.id, ticketId)));
  if (!row) throw notFound("That ticket");
  const result = await db.execute(sql`
    select m.kind, m.body, m.author_contact_id is not null as "fromCustomer",
           coalesce(u.name, c.name, m.author_label, 'Someone') as author
    from ticket_messages m
    left join users u on u.org_id = m.org_id and u.id = m.author_user_id
    left join contacts c on c.org_id = m.org_id and c.id = m.author_contact_id
    where m.org_id = ${orgId} and m.ticket_id = ${ticketId}
    order by m.created_at, m.id`);
  const rows = rowsOf<{ kind: string; body: string; fromCustomer: boolean; author: string }>(result);
  const messages: ThreadMessage[] = rows.map((m) => ({
    author: m.author,
    role: m.kind === "note" ? "note" : m.fromCustomer ? "customer" : "agent",
    text: m.body,
  }));
  const customer = rows.filter((m) => m.fromCustomer && m.kind === "reply");
  return {
    ticket: row.ticket,
    contactName: row.contactName,
    messages,
    firstText: rows.find((m) => m.kind === "reply")?.body ?? "",
    latestCustomerText: customer[customer.length - 1]?.body ?? "",
  };
}

const MAX_SOURCES = 300;

/** Customer-readable articles, the agent's usable macros, and recent solved tickets' last replies. */
async function knowledgeSources(
  db: DbOrTx,
  orgId: string,
  ticketId: string,
  userId: string | null,
): Promise<KnowledgeSource[]> {
  const [articles, macroRows, solved] = await Promise.all([
    db
      .select({ id: kbArticles.id, title: kbArticleTranslations.title, body: kbArticleTranslations.bodyText })
      .from(kbArticles)
      .innerJoin(
        kbArticleTranslations,
        and(
          eq(kbArticleTranslations.orgId, kbArticles.orgId),
          eq(kbArticleTranslations.articleId, kbArticles.id),
          eq(kbArticleTranslations.locale, kbArticles.defaultLocale),
        ),
      )
      .where(
        and(
          eq(kbArticles.orgId, orgId),
          eq(kbArticles.status, "published"),
          ne(kbArticles.visibility, "internal"),
        ),
      )
      .orderBy(desc(kbArticles.views))
      .limit(MAX_SOURCES),
    db
      .select({ id: macros.id, title: macros.name, body: macros.body })
      .from(macros)
      .where(
        and(
          eq(macros.orgId, orgId),
          userId
            ? or(isNull(macros.ownerUserId), eq(macros.ownerUserId, userId))
            : isNull(macros.ownerUserId),
        ),
      ),
    db.execute(sql`
      select t.id, t.subject as title, m.body
      from tickets t
      join lateral (
        select body from ticket_messages
        where org_id = t.org_id and ticket_id = t.id and kind = 'reply' and author_user_id is not null
        order by created_at desc, id desc limit 1
      ) m on true
      where t.org_id = ${orgId} and t.status in ('solved', 'closed') and t.id <> ${ticketId}
        and t.merged_into_id is null
      order by t.solved_at desc nulls last
      limit ${MAX_SOURCES}`),
  ]);
  return [
    ...articles.map((a) => ({ id: a.id, kind: "article" as const, title: a.title, body: a.body })),
    ...macroRows.filter((m) => m.body.trim()).map((m) => ({ ...m, kind: "macro" as const })),
    ...rowsOf<{ id: string; title: string; body: string }>(solved).map((s) => ({
      ...s,
      kind: "solved_ticket" as const,
    })),
  ];
}

/**
 * The contact's own open tickets compared at most, most recently updated first (the order of the
 * index on a contact's tickets: a monitoring address with thousands of tickets costs no sort).
 */
const MAX_SAME_CONTACT = 200;
/** Others' open tickets of the last N days compared at most, newest first: a duplicate report of the
 * same outage comes within hours, and each candidate costs a read of its first message. */
const MAX_RECENT = 400;

/**
 * First messages of candidate tickets, by ticket, as of the ticket's `updated_at`. The same open
 * tickets are candidates for every arrival of the next hours; reading 600 first messages per arrival
 * was most of the database's work for a new ticket (14 ms), now it reads the few it has not seen.
 * A change to a ticket moves its `updated_at`, so an edited message is read again.
 */
const firstMessages = new BoundedMap<string, { updatedAt: string; body: string }>(5_000);

/** The first customer-visible message of each candidate, from memory where it is current. */
async function candidateBodies(
  db: DbOrTx,
  orgId: string,
  candidates: { id: string; updatedAt: string }[],
): Promise<Map<string, string>> {
  const bodies = new Map<string, string>();
  const unseen: string[] = [];
  for (const c of candidates) {
    const remembered = firstMessages.get(c.id);
    if (remembered?.updatedAt === c.updatedAt) bodies.set(c.id, remembered.body);
    else unseen.push(c.id);
  }
  if (unseen.length === 0) return bodies;
  const result = await db.execute(sql`
    select t.id, m.body from unnest(${uuidArray(unseen)}) as t(id)
    join lateral (
      select body from ticket_messages
      where org_id = ${orgId} and ticket_id = t.id and kind = 'reply'
      order by created_at, id limit 1
    ) m on true`);
  const read = new Map(rowsOf<{ id: string; body: string }>(result).map((r) => [r.id, r.body]));
  for (const c of candidates) {
    if (bodies.has(c.id)) continue;
    const body = read.get(c.id) ?? "";
    bodies.set(c.id, body);
    firstMessages.set(c.id, { updatedAt: c.updatedAt, body });
  }
  return bodies;
}

/** Open tickets of the same contact, and open tickets of the last N days, compared with this one. */
async function similarAnswer(
  db: DbOrTx,
  orgId: string,
  ticket: TicketRow,
  firstText: string,
  now: Date,
  engine: Awaited<ReturnType<typeof orgEngine>>,
): Promise<Answer> {
  const since = new Date(now.getTime() - engine.settings.similarDays * 86_400_000);
  const open = sql`t.org_id = ${orgId} and t.id <> ${ticket.id} and t.merged_into_id is null
      and t.status not in ('solved', 'closed')`;
  const result = await db.execute(sql`
    select t.id, t.number, t.subject, t.status, t.contact_id as "contactId", t.updated_at::text as "updatedAt"
    from (
      (select t.id, t.number, t.subject, t.status, t.contact_id, t.created_at, t.updated_at from ${tickets} t
       where ${open} and t.contact_id = ${ticket.contactId}
       order by t.updated_at desc limit ${MAX_SAME_CONTACT})
      union
      (select t.id, t.number, t.subject, t.status, t.contact_id, t.created_at, t.updated_at from ${tickets} t
       where ${open} and t.created_at >= ${since.toISOString()}::timestamptz
       order by t.created_at desc limit ${MAX_RECENT})
    ) t
    order by t.created_at desc`);
  const rows = rowsOf<{
    id: string;
    number: number;
    subject: string;
    status: string;
    contactId: string;
    updatedAt: string;
  }>(result);
  const bodies = await candidateBodies(db, orgId, rows);
  const candidates = rows.map((r) => ({ ...r, body: bodies.get(r.id) ?? "" }));
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const found = await engine.run<SimilarTicket[]>("similarTickets", {
    ticket: { text: ticketText(ticket.subject, firstText), contactId: ticket.contactId },
    candidates: candidates.map((c) => ({
      id: c.id,
      text: ticketText(c.subject, c.body),
      contactId: c.contactId,
    })),
    limit: 5,
  });
  const items = found.value.map((s) => ({
    ...s,
    number: byId.get(s.id)?.number ?? 0,
    subject: byId.get(s.id)?.subject ?? "",
    status: byId.get(s.id)?.status ?? "",
  }));
  return {
    provider: found.provider,
    modelVersion: found.modelVersion,
    value: items.some((i) => i.likelyDuplicate) ? "duplicate" : items.length ? "similar" : "none",
    confidence: found.confidence,
    detail: { items },
    fallbackReason: found.fallback?.reason ?? null,
  };
}

/** Similar tickets found when a ticket arrives (the triage job), stored like an agent's request. */
export async function findSimilarOnArrival(
  db: DbOrTx,
  orgId: string,
  ticketId: string,
  now: Date,
  remote: RemoteAi,
): Promise<void> {
  const engine = await orgEngine(db, orgId, remote);
  const thread = await threadOf(db, orgId, ticketId);
  const answer = await similarAnswer(db, orgId, thread.ticket, thread.firstText, now, engine);
  await db.insert(aiPredictions).values({ orgId, ticketId, task: "similar", createdAt: now, ...answer });
}

/** The newest answer of each kind for a ticket. */
export async function latestPredictions(db: DbOrTx, orgId: string, ticketId: string) {
  const rows = await db
    .selectDistinctOn([aiPredictions.task])
    .from(aiPredictions)
    .where(
      and(
        eq(aiPredictions.orgId, orgId),
        eq(aiPredictions.ticketId, ticketId),
        inArray(aiPredictions.task, ["category", "priority", "team", "summary", "reply", "similar"]),
      ),
    )
    .orderBy(aiPredictions.task, desc(aiPredictions.createdAt));
  return new Map(
    rows.map((r) => [
      r.task,
      {
        ...r,
        detail: (typeof r.detail === "string" ? JSON.parse(r.detail) : r.detail) as Record<string, unknown>,
      },
    ]),
  );
}

/** A finished reply draft of this ticket, for the reply box. */
export async function draftText(ctx: Ctx, ref: TicketRef, predictionId: string): Promise<string> {
  requirePermission(ctx.actor, "tickets.work");
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  const [row] = await ctx.db
    .select({ value: aiPredictions.value, status: aiPredictions.status })
    .from(aiPredictions)
    .where(
      and(
        eq(aiPredictions.orgId, ctx.actor.orgId),
        eq(aiPredictions.ticketId, ticket.id),
        eq(aiPredictions.task, "reply"),
        sql`${aiPredictions.id}::text = ${predictionId}`,
      ),
    );
  if (!row) throw notFound("That draft");
  if (row.status !== "done" || !row.value) throw conflict("The draft is not ready yet.");
  return row.value;
}
