// Deflection: before a customer's ticket is created, articles that may answer it are offered;
// "this solved it" is recorded for reports.
import { and, eq } from "drizzle-orm";
import { kbArticles, kbDeflections } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { notFound } from "../errors";
import { appendEvent } from "../events/log";
import { type ArticleHit, suggestArticles } from "../search/search";
import { isUuid } from "../tickets/rules";
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
