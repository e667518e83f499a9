// Knowledge-base articles for staff: structure, drafting, the review/publish workflow, versions with
// diffs and restore, and feedback. Each command checks the actor, writes in one transaction and
// appends an event (DESIGN.md rules 1 and 3).
import { diffWordsWithSpace } from "diff";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import {
  ARTICLE_STATUSES,
  ARTICLE_VISIBILITIES,
  type ArticleStatus,
  type ArticleVisibility,
  kbArticles,
  kbArticleTranslations,
  kbArticleVersions,
  kbCategories,
  kbFeedback,
  kbSections,
} from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import { type FieldErrors, forbidden, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { isUuid, normalizeTags } from "../tickets/rules";
import { articleText, sanitizeArticleHtml } from "./sanitize";

export const STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: "Draft",
  in_review: "In review",
  published: "Published",
  archived: "Archived",
};
export const VISIBILITY_LABELS: Record<ArticleVisibility, string> = {
  public: "Everyone",
  customers: "Signed-in customers",
  internal: "Agents only",
};

export const TITLE_MAX = 200;
export const ARTICLE_BODY_MAX = 200_000;

/** A readable slug: lower-case ASCII words joined by dashes. */
export function slugify(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80)
      .replace(/-+$/, "") || "article"
  );
}

export const SLUG_SHAPE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// ---------------------------------------------------------------- structure

export interface Structure {
  categories: {
    id: string;
    name: string;
    slug: string;
    description: string;
    sections: { id: string; name: string; slug: string }[];
  }[];
}

export async function kbStructure(db: DbOrTx, orgId: string): Promise<Structure> {
  const cats = await db
    .select()
    .from(kbCategories)
    .where(eq(kbCategories.orgId, orgId))
    .orderBy(asc(kbCategories.position), asc(kbCategories.name));
  const secs = await db
    .select()
    .from(kbSections)
    .where(eq(kbSections.orgId, orgId))
    .orderBy(asc(kbSections.position), asc(kbSections.name));
  return {
    categories: cats.map((c) => ({
      id: c.id,
      name: c.name,
      slug: c.slug,
      description: c.description,
      sections: secs
        .filter((s) => s.categoryId === c.id)
        .map((s) => ({ id: s.id, name: s.name, slug: s.slug })),
    })),
  };
}

export async function listStructure(ctx: Ctx): Promise<Structure> {
  requirePermission(ctx.actor, "kb.write");
  return kbStructure(ctx.db, ctx.actor.orgId);
}

async function uniqueSlug(
  tx: DbOrTx,
  table: typeof kbCategories | typeof kbSections,
  orgId: string,
  base: string,
): Promise<string> {
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    const [taken] = await tx
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.orgId, orgId), eq(table.slug, slug)));
    if (!taken) return slug;
  }
}

export async function createCategory(ctx: Ctx, input: { name: string; description?: string }) {
  requirePermission(ctx.actor, "kb.publish");
  const name = input.name.trim();
  if (!name || name.length > 100) throw invalid({ name: "Enter a name of up to 100 characters." });
  return ctx.db.transaction(async (tx) => {
    const slug = await uniqueSlug(tx, kbCategories, ctx.actor.orgId, slugify(name));
    const [row] = await tx
      .insert(kbCategories)
      .values({
        orgId: ctx.actor.orgId,
        name,
        slug,
        description: (input.description ?? "").trim().slice(0, 500),
        createdAt: ctx.now,
      })
      .returning();
    await appendEvent(tx, ctx, { type: "kb.category_created", data: { categoryId: row.id, name } });
    return row;
  });
}

export async function createSection(ctx: Ctx, input: { categoryId: string; name: string }) {
  requirePermission(ctx.actor, "kb.publish");
  const name = input.name.trim();
  const fields: FieldErrors = {};
  if (!name || name.length > 100) fields.name = "Enter a name of up to 100 characters.";
  if (!isUuid(input.categoryId)) fields.categoryId = "Choose a category.";
  if (Object.keys(fields).length) throw invalid(fields);
  return ctx.db.transaction(async (tx) => {
    const [category] = await tx
      .select({ id: kbCategories.id })
      .from(kbCategories)
      .where(and(eq(kbCategories.orgId, ctx.actor.orgId), eq(kbCategories.id, input.categoryId)));
    if (!category) throw invalid({ categoryId: "Choose a category." });
    const slug = await uniqueSlug(tx, kbSections, ctx.actor.orgId, slugify(name));
    const [row] = await tx
      .insert(kbSections)
      .values({ orgId: ctx.actor.orgId, categoryId: category.id, name, slug, createdAt: ctx.now })
      .returning();
    await appendEvent(tx, ctx, { type: "kb.section_created", data: { sectionId: row.id, name } });
    return row;
  });
}

// ---------------------------------------------------------------- articles

export interface ArticleInput {
  title: string;
  slug?: string;
  body: string;
  tags?: string | string[];
  visibility?: string;
  sectionId?: string | null;
  /** "in_review" sends a draft for review on save. */
  submit?: boolean;
  note?: string;
}

export interface ArticleDetail {
  id: string;
  status: ArticleStatus;
  visibility: ArticleVisibility;
  sectionId: string | null;
  tags: string[];
  locale: string;
  title: string;
  slug: string;
  body: string;
  bodyText: string;
  version: number;
  views: number;
  helpfulYes: number;
  helpfulNo: number;
  publishedAt: Date | null;
  /** When the publishing job will publish it, if scheduled. */
  publishAt: Date | null;
  updatedAt: Date;
}

async function checkInput(tx: DbOrTx, ctx: Ctx, input: ArticleInput) {
  const fields: FieldErrors = {};
  const title = input.title.trim();
  if (!title) fields.title = "Enter a title.";
  else if (title.length > TITLE_MAX) fields.title = `Keep the title under ${TITLE_MAX} characters.`;
  const slugTyped = (input.slug ?? "").trim().toLowerCase();
  if (slugTyped && !SLUG_SHAPE.test(slugTyped))
    fields.slug = "Use lower-case letters, digits and single dashes, e.g. reset-your-password.";
  const body = sanitizeArticleHtml(input.body ?? "");
  if (!articleText(body) && !/<img\b/.test(body)) fields.body = "Write the article.";
  else if (body.length > ARTICLE_BODY_MAX) fields.body = "The article is too long.";
  const visibility = (input.visibility || "public") as ArticleVisibility;
  if (!ARTICLE_VISIBILITIES.includes(visibility)) fields.visibility = "Choose who may read it.";
  let sectionId: string | null = null;
  if (input.sectionId) {
    const [section] = isUuid(input.sectionId)
      ? await tx
          .select({ id: kbSections.id })
          .from(kbSections)
          .where(and(eq(kbSections.orgId, ctx.actor.orgId), eq(kbSections.id, input.sectionId)))
      : [];
    if (section) sectionId = section.id;
    else fields.sectionId = "Choose a section.";
  }
  const tags = normalizeTags(input.tags ?? [], fields);
  return { fields, title, slugTyped, body, visibility, sectionId, tags };
}

async function freeSlug(
  tx: DbOrTx,
  orgId: string,
  locale: string,
  base: string,
  articleId: string | null,
): Promise<string | null> {
  const [taken] = await tx
    .select({ articleId: kbArticleTranslations.articleId })
    .from(kbArticleTranslations)
    .where(
      and(
        eq(kbArticleTranslations.orgId, orgId),
        eq(kbArticleTranslations.locale, locale),
        eq(kbArticleTranslations.slug, base),
      ),
    );
  return !taken || taken.articleId === articleId ? base : null;
}

export async function pickSlug(
  tx: DbOrTx,
  orgId: string,
  locale: string,
  typed: string,
  title: string,
  articleId: string | null,
): Promise<string> {
  if (typed) {
    const free = await freeSlug(tx, orgId, locale, typed, articleId);
    if (!free) throw invalid({ slug: "Another article already uses this address." });
    return free;
  }
  const base = slugify(title);
  for (let n = 1; ; n++) {
    const free = await freeSlug(tx, orgId, locale, n === 1 ? base : `${base}-${n}`, articleId);
    if (free) return free;
  }
}

async function orgLocale(tx: DbOrTx, orgId: string): Promise<string> {
  const result = await tx.execute(sql`select locale from organizations where id = ${orgId}`);
  const rows = (Array.isArray(result) ? result : (result as { rows: { locale: string }[] }).rows) as {
    locale: string;
  }[];
  return rows[0]?.locale ?? "en";
}

export async function createArticle(ctx: Ctx, input: ArticleInput): Promise<ArticleDetail> {
  requirePermission(ctx.actor, "kb.write");
  const orgId = ctx.actor.orgId;
  const id = await ctx.db.transaction(async (tx) => {
    const checked = await checkInput(tx, ctx, input);
    if (Object.keys(checked.fields).length) throw invalid(checked.fields);
    const locale = await orgLocale(tx, orgId);
    const slug = await pickSlug(tx, orgId, locale, checked.slugTyped, checked.title, null);
    const [article] = await tx
      .insert(kbArticles)
      .values({
        orgId,
        sectionId: checked.sectionId,
        status: input.submit ? "in_review" : "draft",
        visibility: checked.visibility,
        tags: checked.tags,
        defaultLocale: locale,
        authorUserId: ctx.actor.userId ?? null,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await tx.insert(kbArticleTranslations).values({
      orgId,
      articleId: article.id,
      locale,
      title: checked.title,
      slug,
      body: checked.body,
      bodyText: articleText(checked.body),
      version: 1,
      updatedAt: ctx.now,
    });
    await tx.insert(kbArticleVersions).values({
      orgId,
      articleId: article.id,
      locale,
      version: 1,
      title: checked.title,
      body: checked.body,
      authorUserId: ctx.actor.userId ?? null,
      authorName: ctx.actor.name,
      note: (input.note ?? "").slice(0, 200),
      createdAt: ctx.now,
    });
    await appendEvent(tx, ctx, {
      type: "kb.article_created",
      data: { articleId: article.id, title: checked.title },
    });
    return article.id;
  });
  return getArticle(ctx, id);
}

async function lockArticle(tx: DbOrTx, ctx: Ctx, id: string) {
  if (!isUuid(id)) throw notFound("That article");
  const [article] = await tx
    .select()
    .from(kbArticles)
    .where(and(eq(kbArticles.orgId, ctx.actor.orgId), eq(kbArticles.id, id)))
    .for("update");
  if (!article) throw notFound("That article");
  const [translation] = await tx
    .select()
    .from(kbArticleTranslations)
    .where(
      and(
        eq(kbArticleTranslations.orgId, ctx.actor.orgId),
        eq(kbArticleTranslations.articleId, id),
        eq(kbArticleTranslations.locale, article.defaultLocale),
      ),
    );
  return { article, translation };
}

/** Writes a new version of the default-locale text (a save, or a restore). */
export async function saveVersion(
  tx: DbOrTx,
  ctx: Ctx,
  articleId: string,
  locale: string,
  version: number,
  text: { title: string; slug: string; body: string; note: string },
) {
  await tx
    .update(kbArticleTranslations)
    .set({
      title: text.title,
      slug: text.slug,
      body: text.body,
      bodyText: articleText(text.body),
      version,
      updatedAt: ctx.now,
    })
    .where(
      and(
        eq(kbArticleTranslations.orgId, ctx.actor.orgId),
        eq(kbArticleTranslations.articleId, articleId),
        eq(kbArticleTranslations.locale, locale),
      ),
    );
  await tx.insert(kbArticleVersions).values({
    orgId: ctx.actor.orgId,
    articleId,
    locale,
    version,
    title: text.title,
    body: text.body,
    authorUserId: ctx.actor.userId ?? null,
    authorName: ctx.actor.name,
    note: text.note.slice(0, 200),
    createdAt: ctx.now,
  });
}

export async function updateArticle(ctx: Ctx, id: string, input: ArticleInput): Promise<ArticleDetail> {
  requirePermission(ctx.actor, "kb.write");
  await ctx.db.transaction(async (tx) => {
    const { article, translation } = await lockArticle(tx, ctx, id);
    // A published article's text is what customers read: only publishers change it in place.
    if (article.status === "published" && !can(ctx.actor, "kb.publish"))
      throw forbidden("A published article is edited by a supervisor or an admin.");
    const checked = await checkInput(tx, ctx, input);
    if (Object.keys(checked.fields).length) throw invalid(checked.fields);
    const slug = await pickSlug(
      tx,
      ctx.actor.orgId,
      article.defaultLocale,
      checked.slugTyped || translation.slug,
      checked.title,
      article.id,
    );
    const changed =
      checked.title !== translation.title || checked.body !== translation.body || slug !== translation.slug;
    if (changed) {
      await saveVersion(tx, ctx, article.id, article.defaultLocale, translation.version + 1, {
        title: checked.title,
        slug,
        body: checked.body,
        note: input.note ?? "",
      });
    }
    const status = input.submit && article.status === "draft" ? "in_review" : article.status;
    await tx
      .update(kbArticles)
      .set({
        visibility: checked.visibility,
        sectionId: checked.sectionId,
        tags: checked.tags,
        status,
        updatedAt: ctx.now,
      })
      .where(and(eq(kbArticles.orgId, ctx.actor.orgId), eq(kbArticles.id, article.id)));
    await appendEvent(tx, ctx, {
      type: "kb.article_updated",
      data: { articleId: article.id, version: changed ? translation.version + 1 : translation.version },
    });
  });
  return getArticle(ctx, id);
}

/** Allowed workflow moves; publishing and archiving need kb.publish. */
const MOVES: Record<ArticleStatus, readonly ArticleStatus[]> = {
  draft: ["in_review", "published", "archived"],
  in_review: ["draft", "published", "archived"],
  published: ["draft", "archived"],
  archived: ["draft", "published"],
};

export function nextArticleStatuses(from: ArticleStatus): ArticleStatus[] {
  return [...MOVES[from]];
}

export async function setArticleStatus(ctx: Ctx, id: string, status: string): Promise<ArticleDetail> {
  requirePermission(ctx.actor, "kb.write");
  if (!ARTICLE_STATUSES.includes(status as ArticleStatus)) throw invalid({ status: "Choose a status." });
  const to = status as ArticleStatus;
  await ctx.db.transaction(async (tx) => {
    const { article } = await lockArticle(tx, ctx, id);
    const needsPublisher = to === "published" || to === "archived" || article.status === "published";
    if (needsPublisher && !can(ctx.actor, "kb.publish"))
      throw forbidden("Publishing and archiving are done by a supervisor or an admin.");
    if (article.status === to) return;
    if (!MOVES[article.status].includes(to)) throw invalid({ status: "The article cannot move there." });
    await tx
      .update(kbArticles)
      .set({
        status: to,
        updatedAt: ctx.now,
        publishedAt: to === "published" ? ctx.now : article.publishedAt,
      })
      .where(and(eq(kbArticles.orgId, ctx.actor.orgId), eq(kbArticles.id, article.id)));
    await appendEvent(tx, ctx, {
      type: "kb.article_status_changed",
      data: { articleId: article.id, from: article.status, to },
    });
  });
  return getArticle(ctx, id);
}

export async function getArticle(ctx: Ctx, id: string): Promise<ArticleDetail> {
  requirePermission(ctx.actor, "kb.write");
  if (!isUuid(id)) throw notFound("That article");
  const [row] = await ctx.db
    .select({ article: kbArticles, translation: kbArticleTranslations })
    .from(kbArticles)
    .innerJoin(
      kbArticleTranslations,
      and(
        eq(kbArticleTranslations.orgId, kbArticles.orgId),
        eq(kbArticleTranslations.articleId, kbArticles.id),
        eq(kbArticleTranslations.locale, kbArticles.defaultLocale),
      ),
    )
    .where(and(eq(kbArticles.orgId, ctx.actor.orgId), eq(kbArticles.id, id)));
  if (!row) throw notFound("That article");
  const { article: a, translation: t } = row;
  return {
    id: a.id,
    status: a.status,
    visibility: a.visibility,
    sectionId: a.sectionId,
    tags: a.tags,
    locale: t.locale,
    title: t.title,
    slug: t.slug,
    body: t.body,
    bodyText: t.bodyText,
    version: t.version,
    views: a.views,
    helpfulYes: a.helpfulYes,
    helpfulNo: a.helpfulNo,
    publishedAt: a.publishedAt,
    publishAt: a.publishAt,
    updatedAt: a.updatedAt,
  };
}

export interface ArticleListItem {
  id: string;
  title: string;
  slug: string;
  status: ArticleStatus;
  visibility: ArticleVisibility;
  version: number;
  views: number;
  helpfulYes: number;
  helpfulNo: number;
  updatedAt: Date;
}

export async function listArticles(
  ctx: Ctx,
  filters: { status?: string; order?: "updated" | "least_helpful" } = {},
): Promise<ArticleListItem[]> {
  requirePermission(ctx.actor, filters.order === "least_helpful" ? "kb.publish" : "kb.write");
  const conditions = [eq(kbArticles.orgId, ctx.actor.orgId)];
  if (ARTICLE_STATUSES.includes(filters.status as ArticleStatus))
    conditions.push(eq(kbArticles.status, filters.status as ArticleStatus));
  // Least helpful first: the share of "no" answers, then the number of them.
  const order =
    filters.order === "least_helpful"
      ? [
          desc(
            sql`(${kbArticles.helpfulNo} + 1.0) / (${kbArticles.helpfulYes} + ${kbArticles.helpfulNo} + 2.0)`,
          ),
          desc(kbArticles.helpfulNo),
        ]
      : [desc(kbArticles.updatedAt)];
  return ctx.db
    .select({
      id: kbArticles.id,
      title: kbArticleTranslations.title,
      slug: kbArticleTranslations.slug,
      status: kbArticles.status,
      visibility: kbArticles.visibility,
      version: kbArticleTranslations.version,
      views: kbArticles.views,
      helpfulYes: kbArticles.helpfulYes,
      helpfulNo: kbArticles.helpfulNo,
      updatedAt: kbArticles.updatedAt,
    })
    .from(kbArticles)
    .innerJoin(
      kbArticleTranslations,
      and(
        eq(kbArticleTranslations.orgId, kbArticles.orgId),
        eq(kbArticleTranslations.articleId, kbArticles.id),
        eq(kbArticleTranslations.locale, kbArticles.defaultLocale),
      ),
    )
    .where(and(...conditions))
    .orderBy(...order)
    .limit(200);
}

// ---------------------------------------------------------------- versions

export interface VersionItem {
  version: number;
  title: string;
  authorName: string;
  note: string;
  createdAt: Date;
}

export async function listVersions(ctx: Ctx, id: string): Promise<VersionItem[]> {
  const article = await getArticle(ctx, id);
  return ctx.db
    .select({
      version: kbArticleVersions.version,
      title: kbArticleVersions.title,
      authorName: kbArticleVersions.authorName,
      note: kbArticleVersions.note,
      createdAt: kbArticleVersions.createdAt,
    })
    .from(kbArticleVersions)
    .where(
      and(
        eq(kbArticleVersions.orgId, ctx.actor.orgId),
        eq(kbArticleVersions.articleId, article.id),
        eq(kbArticleVersions.locale, article.locale),
      ),
    )
    .orderBy(desc(kbArticleVersions.version));
}

async function versionRow(tx: DbOrTx, ctx: Ctx, articleId: string, locale: string, version: number) {
  if (!Number.isInteger(version) || version < 1) throw notFound("That version");
  const [row] = await tx
    .select()
    .from(kbArticleVersions)
    .where(
      and(
        eq(kbArticleVersions.orgId, ctx.actor.orgId),
        eq(kbArticleVersions.articleId, articleId),
        eq(kbArticleVersions.locale, locale),
        eq(kbArticleVersions.version, version),
      ),
    );
  if (!row) throw notFound("That version");
  return row;
}

export interface DiffPart {
  kind: "same" | "added" | "removed";
  text: string;
}

export interface VersionDiff {
  from: VersionItem;
  to: VersionItem;
  title: DiffPart[];
  body: DiffPart[];
}

function wordDiff(a: string, b: string): DiffPart[] {
  return diffWordsWithSpace(a, b).map((c) => ({
    kind: c.added ? "added" : c.removed ? "removed" : "same",
    text: c.value,
  }));
}

/** A word diff of two versions' titles and texts (the text without markup, readable by anyone). */
export async function diffVersions(ctx: Ctx, id: string, from: number, to: number): Promise<VersionDiff> {
  const article = await getArticle(ctx, id);
  const a = await versionRow(ctx.db, ctx, article.id, article.locale, from);
  const b = await versionRow(ctx.db, ctx, article.id, article.locale, to);
  const item = (v: typeof a): VersionItem => ({
    version: v.version,
    title: v.title,
    authorName: v.authorName,
    note: v.note,
    createdAt: v.createdAt,
  });
  return {
    from: item(a),
    to: item(b),
    title: wordDiff(a.title, b.title),
    body: wordDiff(articleText(a.body), articleText(b.body)),
  };
}

/** Restoring makes a new version with an old version's text; nothing is lost. */
export async function restoreVersion(ctx: Ctx, id: string, version: number): Promise<ArticleDetail> {
  requirePermission(ctx.actor, "kb.write");
  await ctx.db.transaction(async (tx) => {
    const { article, translation } = await lockArticle(tx, ctx, id);
    if (article.status === "published" && !can(ctx.actor, "kb.publish"))
      throw forbidden("A published article is edited by a supervisor or an admin.");
    const old = await versionRow(tx, ctx, article.id, article.defaultLocale, version);
    await saveVersion(tx, ctx, article.id, article.defaultLocale, translation.version + 1, {
      title: old.title,
      slug: translation.slug,
      body: old.body,
      note: `Restored version ${version}`,
    });
    await tx
      .update(kbArticles)
      .set({ updatedAt: ctx.now })
      .where(and(eq(kbArticles.orgId, ctx.actor.orgId), eq(kbArticles.id, article.id)));
    await appendEvent(tx, ctx, {
      type: "kb.article_restored",
      data: { articleId: article.id, restored: version, version: translation.version + 1 },
    });
  });
  return getArticle(ctx, id);
}

// ---------------------------------------------------------------- feedback

export interface FeedbackItem {
  helpful: boolean;
  comment: string;
  createdAt: Date;
}

export async function listFeedback(ctx: Ctx, id: string): Promise<FeedbackItem[]> {
  requirePermission(ctx.actor, "kb.publish");
  const article = await getArticle(ctx, id);
  return ctx.db
    .select({ helpful: kbFeedback.helpful, comment: kbFeedback.comment, createdAt: kbFeedback.createdAt })
    .from(kbFeedback)
    .where(and(eq(kbFeedback.orgId, ctx.actor.orgId), eq(kbFeedback.articleId, article.id)))
    .orderBy(desc(kbFeedback.createdAt))
    .limit(100);
}
