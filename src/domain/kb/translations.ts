// Translations of an article: the same article in other languages, each with its own address,
// text and version history. The article's default language is edited on the article itself;
// publishing, visibility and place belong to the article and hold for every language.
import { and, asc, eq } from "drizzle-orm";
import { kbArticles, kbArticleTranslations, kbArticleVersions } from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import { type FieldErrors, forbidden, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { isUuid } from "../tickets/rules";
import { ARTICLE_BODY_MAX, pickSlug, SLUG_SHAPE, saveVersion, TITLE_MAX } from "./articles";
import { isLocale, localeName } from "./locales";
import { articleText, sanitizeArticleHtml } from "./sanitize";

export interface TranslationSummary {
  locale: string;
  title: string;
  slug: string;
  version: number;
  updatedAt: Date;
}

export interface TranslationInput {
  title: string;
  slug?: string;
  body: string;
  note?: string;
}

async function articleOf(db: DbOrTx, ctx: Ctx, articleId: string, lock = false) {
  if (!isUuid(articleId)) throw notFound("That article");
  const query = db
    .select()
    .from(kbArticles)
    .where(and(eq(kbArticles.orgId, ctx.actor.orgId), eq(kbArticles.id, articleId)));
  const [article] = lock ? await query.for("update") : await query;
  if (!article) throw notFound("That article");
  return article;
}

/** Every language the article is written in, the default first. */
export async function listTranslations(ctx: Ctx, articleId: string): Promise<TranslationSummary[]> {
  requirePermission(ctx.actor, "kb.write");
  const article = await articleOf(ctx.db, ctx, articleId);
  const rows = await ctx.db
    .select({
      locale: kbArticleTranslations.locale,
      title: kbArticleTranslations.title,
      slug: kbArticleTranslations.slug,
      version: kbArticleTranslations.version,
      updatedAt: kbArticleTranslations.updatedAt,
    })
    .from(kbArticleTranslations)
    .where(
      and(eq(kbArticleTranslations.orgId, ctx.actor.orgId), eq(kbArticleTranslations.articleId, article.id)),
    )
    .orderBy(asc(kbArticleTranslations.locale));
  return rows.sort(
    (a, b) => Number(b.locale === article.defaultLocale) - Number(a.locale === article.defaultLocale),
  );
}

/** One translation's text for its form; undefined when the language has none yet. */
export async function getTranslation(ctx: Ctx, articleId: string, locale: string) {
  requirePermission(ctx.actor, "kb.write");
  if (!isLocale(locale)) throw notFound("That language");
  const article = await articleOf(ctx.db, ctx, articleId);
  const [row] = await ctx.db
    .select()
    .from(kbArticleTranslations)
    .where(
      and(
        eq(kbArticleTranslations.orgId, ctx.actor.orgId),
        eq(kbArticleTranslations.articleId, article.id),
        eq(kbArticleTranslations.locale, locale),
      ),
    );
  return { article, translation: row };
}

function checkText(input: TranslationInput) {
  const fields: FieldErrors = {};
  const title = (input.title ?? "").trim();
  if (!title) fields.title = "Enter the title in this language.";
  else if (title.length > TITLE_MAX) fields.title = `Keep the title under ${TITLE_MAX} characters.`;
  const slugTyped = (input.slug ?? "").trim().toLowerCase();
  if (slugTyped && !SLUG_SHAPE.test(slugTyped))
    fields.slug = "Use lower-case letters, digits and single dashes, e.g. tukar-kata-laluan.";
  const body = sanitizeArticleHtml(input.body ?? "");
  if (!articleText(body) && !/<img\b/.test(body)) fields.body = "Write the article in this language.";
  else if (body.length > ARTICLE_BODY_MAX) fields.body = "The article is too long.";
  return { fields, title, slugTyped, body };
}

/** Adds or changes the article's text in another language; each save is a version of that language. */
export async function saveTranslation(
  ctx: Ctx,
  articleId: string,
  locale: string,
  input: TranslationInput,
): Promise<void> {
  requirePermission(ctx.actor, "kb.write");
  if (!isLocale(locale)) throw notFound("That language");
  await ctx.db.transaction(async (tx) => {
    const article = await articleOf(tx, ctx, articleId, true);
    if (locale === article.defaultLocale)
      throw invalid({ locale: "The article's own language is edited on the article." });
    if (article.status === "published" && !can(ctx.actor, "kb.publish"))
      throw forbidden("A published article is edited by a supervisor or an admin.");
    const checked = checkText(input);
    if (Object.keys(checked.fields).length) throw invalid(checked.fields);
    const orgId = ctx.actor.orgId;
    const [existing] = await tx
      .select()
      .from(kbArticleTranslations)
      .where(
        and(
          eq(kbArticleTranslations.orgId, orgId),
          eq(kbArticleTranslations.articleId, article.id),
          eq(kbArticleTranslations.locale, locale),
        ),
      );
    const slug = await pickSlug(
      tx,
      orgId,
      locale,
      checked.slugTyped || existing?.slug || "",
      checked.title,
      article.id,
    );
    const text = { title: checked.title, slug, body: checked.body, note: input.note ?? "" };
    if (!existing) {
      await tx.insert(kbArticleTranslations).values({
        orgId,
        articleId: article.id,
        locale,
        title: text.title,
        slug,
        body: text.body,
        bodyText: articleText(text.body),
        version: 1,
        updatedAt: ctx.now,
      });
      await tx.insert(kbArticleVersions).values({
        orgId,
        articleId: article.id,
        locale,
        version: 1,
        title: text.title,
        body: text.body,
        authorUserId: ctx.actor.userId ?? null,
        authorName: ctx.actor.name,
        note: text.note.slice(0, 200),
        createdAt: ctx.now,
      });
    } else if (existing.title !== text.title || existing.body !== text.body || existing.slug !== slug) {
      await saveVersion(tx, ctx, article.id, locale, existing.version + 1, text);
    } else return;
    await tx
      .update(kbArticles)
      .set({ updatedAt: ctx.now })
      .where(and(eq(kbArticles.orgId, orgId), eq(kbArticles.id, article.id)));
    await appendEvent(tx, ctx, {
      type: "kb.translation_saved",
      data: {
        articleId: article.id,
        locale,
        language: localeName(locale),
        version: (existing?.version ?? 0) + 1,
      },
    });
  });
}

/** Removes one language of the article (never its own); its versions go with it. */
export async function deleteTranslation(ctx: Ctx, articleId: string, locale: string): Promise<void> {
  requirePermission(ctx.actor, "kb.publish");
  if (!isLocale(locale)) throw notFound("That language");
  await ctx.db.transaction(async (tx) => {
    const article = await articleOf(tx, ctx, articleId, true);
    if (locale === article.defaultLocale)
      throw invalid({ locale: "The article's own language cannot be removed." });
    const where = (table: typeof kbArticleTranslations | typeof kbArticleVersions) =>
      and(eq(table.orgId, ctx.actor.orgId), eq(table.articleId, article.id), eq(table.locale, locale));
    const removed = await tx.delete(kbArticleTranslations).where(where(kbArticleTranslations)).returning();
    if (removed.length === 0) throw notFound("That translation");
    await tx.delete(kbArticleVersions).where(where(kbArticleVersions));
    await appendEvent(tx, ctx, { type: "kb.translation_deleted", data: { articleId: article.id, locale } });
  });
}
