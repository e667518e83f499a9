// Scheduled publishing: a supervisor sets when a draft or reviewed article goes live; a job that
// runs every minute publishes the due ones, each exactly once (the row's status moves and the
// schedule clears in one update of a locked row, so a second run finds nothing to do).
import { and, eq, inArray, isNotNull, lte } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { kbArticles } from "../../../db/schema";
import { type Ctx, requirePermission, systemActor } from "../context";
import { conflict, invalid, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { localToInstant } from "../fsm/field";
import { organizationTimeZone } from "../orgs/resolve";
import { isUuid } from "../tickets/rules";

export const PUBLISH_QUEUE = "kb.publish_due";
const SCHEDULABLE = ["draft", "in_review"] as const;

async function articleFor(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, "kb.publish");
  if (!isUuid(id)) throw notFound("That article");
  const [article] = await ctx.db
    .select()
    .from(kbArticles)
    .where(and(eq(kbArticles.orgId, ctx.actor.orgId), eq(kbArticles.id, id)));
  if (!article) throw notFound("That article");
  return article;
}

/** Sets when the article is published; `when` is "2026-12-01T09:00" on the organization's clock. */
export async function scheduleArticle(ctx: Ctx, id: string, when: string): Promise<Date> {
  const article = await articleFor(ctx, id);
  if (!(SCHEDULABLE as readonly string[]).includes(article.status))
    throw conflict("Only a draft or an article in review can be scheduled.");
  const zone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
  const at = localToInstant(when, zone);
  if (!at) throw invalid({ publishAt: "Choose a date and time." });
  if (at <= ctx.now) throw invalid({ publishAt: "Choose a time in the future." });
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(kbArticles)
      .set({ publishAt: at, updatedAt: ctx.now })
      .where(and(eq(kbArticles.orgId, ctx.actor.orgId), eq(kbArticles.id, article.id)));
    await appendEvent(tx, ctx, {
      type: "kb.article_scheduled",
      data: { articleId: article.id, publishAt: at.toISOString() },
    });
  });
  return at;
}

export async function cancelSchedule(ctx: Ctx, id: string): Promise<void> {
  const article = await articleFor(ctx, id);
  if (!article.publishAt) return;
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(kbArticles)
      .set({ publishAt: null, updatedAt: ctx.now })
      .where(and(eq(kbArticles.orgId, ctx.actor.orgId), eq(kbArticles.id, article.id)));
    await appendEvent(tx, ctx, { type: "kb.article_schedule_cancelled", data: { articleId: article.id } });
  });
}

/** The job: publishes every article whose time has come; returns how many. */
export async function publishDueArticles(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        id: kbArticles.id,
        orgId: kbArticles.orgId,
        status: kbArticles.status,
        publishAt: kbArticles.publishAt,
      })
      .from(kbArticles)
      .where(
        and(
          isNotNull(kbArticles.publishAt),
          lte(kbArticles.publishAt, now),
          inArray(kbArticles.status, [...SCHEDULABLE]),
        ),
      )
      .limit(500)
      .for("update", { skipLocked: true });
    for (const article of due) {
      await tx
        .update(kbArticles)
        .set({ status: "published", publishedAt: article.publishAt, publishAt: null, updatedAt: now })
        .where(eq(kbArticles.id, article.id));
      await appendEvent(
        tx,
        { db: tx as unknown as Db, actor: systemActor(article.orgId), now },
        {
          type: "kb.article_status_changed",
          data: { articleId: article.id, from: article.status, to: "published", scheduled: true },
        },
      );
    }
    return due.length;
  });
}
