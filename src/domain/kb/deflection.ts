// Deflection: before a customer's ticket is created, articles that may answer it are offered;
// "this solved it" is recorded for reports.
import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { kbArticles, kbDeflections, ticketMessages } from "../../../db/schema";
import { hitRateLimit } from "../auth/rateLimit";
import { type Ctx, requirePermission, systemActor } from "../context";
import { notFound } from "../errors";
import { appendEvent } from "../events/log";
import { type ArticleHit, suggestArticles } from "../search/search";
import { findVisibleTicket, type TicketRef } from "../tickets/access";
import { isUuid } from "../tickets/rules";
import { webFormOrganization } from "../tickets/webForm";
import { readableBy, readerFor } from "./help";

/** Articles the customer may read that match what they typed for a new ticket. */
export async function deflectionSuggestions(ctx: Ctx, text: string): Promise<ArticleHit[]> {
  requirePermission(ctx.actor, "tickets.read_own");
  return suggestArticles(ctx.db, readerFor(ctx.actor.orgId, ctx.actor), text, 3);
}

export async function recordDeflection(ctx: Ctx, input: { articleId: string; query: string }): Promise<void> {
  requirePermission(ctx.actor, "tickets.read_own");
  if (!isUuid(input.articleId)) throw notFound("That article");
  const reader = readerFor(ctx.actor.orgId, ctx.actor);
  await ctx.db.transaction(async (tx) => {
    const [article] = await tx
      .select({ id: kbArticles.id })
      .from(kbArticles)
      .where(and(readableBy(reader), eq(kbArticles.id, input.articleId)));
    if (!article) throw notFound("That article");
    await tx.insert(kbDeflections).values({
      orgId: ctx.actor.orgId,
      articleId: article.id,
      contactId: ctx.actor.contactId ?? null,
      query: input.query.trim().slice(0, 250),
      createdAt: ctx.now,
    });
    await appendEvent(tx, ctx, { type: "kb.deflected", data: { articleId: article.id } });
  });
}

/** Public articles of the form's organization matching what a visitor typed on the web form. */
export async function webFormSuggestions(db: Db, slug: string, text: string): Promise<ArticleHit[]> {
  const org = await webFormOrganization(db, slug);
  return suggestArticles(db, readerFor(org.id, null), text.slice(0, 500), 3);
}

export const FORM_DEFLECTION_LIMIT = { limit: 20, windowMs: 10 * 60_000 };

/**
 * "This answered my question" from the public web form: recorded without a contact. Past the
 * per-address limit nothing more is counted, so a script cannot inflate the figures.
 */
export async function recordWebFormDeflection(
  db: Db,
  slug: string,
  input: { articleId: string; query: string },
  request: { ip?: string },
  now: Date,
): Promise<void> {
  const org = await webFormOrganization(db, slug);
  if (!isUuid(input.articleId)) throw notFound("That article");
  const allowed = request.ip
    ? await hitRateLimit(db, `deflect:${org.slug}:ip:${request.ip}`, FORM_DEFLECTION_LIMIT, now)
    : true;
  await db.transaction(async (tx) => {
    const [article] = await tx
      .select({ id: kbArticles.id })
      .from(kbArticles)
      .where(and(readableBy(readerFor(org.id, null)), eq(kbArticles.id, input.articleId)));
    if (!article) throw notFound("That article");
    if (!allowed) return;
    await tx.insert(kbDeflections).values({
      orgId: org.id,
      articleId: article.id,
      contactId: null,
      query: input.query.trim().slice(0, 250),
      createdAt: now,
    });
    await appendEvent(
      tx,
      { db, actor: systemActor(org.id), now },
      { type: "kb.deflected", data: { articleId: article.id, channel: "web" } },
    );
  });
}

/**
 * Articles a customer may read that match a ticket (its subject and the customer's latest
 * message), for the agent to link in a reply; internal articles are left out, since the customer
 * could not open them.
 */
export async function ticketArticleSuggestions(ctx: Ctx, ref: TicketRef): Promise<ArticleHit[]> {
  requirePermission(ctx.actor, "tickets.read_all");
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  const [latest] = await ctx.db
    .select({ body: ticketMessages.body })
    .from(ticketMessages)
    .where(
      and(
        eq(ticketMessages.orgId, ctx.actor.orgId),
        eq(ticketMessages.ticketId, ticket.id),
        isNotNull(ticketMessages.authorContactId),
      ),
    )
    .orderBy(desc(ticketMessages.createdAt))
    .limit(1);
  const text = `${ticket.subject} ${(latest?.body ?? "").slice(0, 400)}`;
  return suggestArticles(ctx.db, { orgId: ctx.actor.orgId, audience: "customers" }, text, 3);
}
