// The public help center's reading side: what a visitor, a signed-in customer or staff may read,
// resolved per organization. Only published articles appear; internal ones never do.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  type ArticleVisibility,
  kbArticles,
  kbArticleTranslations,
  kbCategories,
  kbFeedback,
  kbSections,
} from "../../../db/schema";
import type { Actor, Ctx } from "../context";
import { invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { isUuid } from "../tickets/rules";

/** Who reads the help center: an anonymous visitor, or a signed-in person of this organization. */
export interface Reader {
  orgId: string;
  audience: "public" | "customers";
  contactId?: string;
  userId?: string;
  /** The visitor's language: articles written in it are shown in it, the others in their own. */
  locale?: string;
}

/** Signed-in people of the organization read customer-only articles too; others only public ones. */
export function readerFor(orgId: string, user: Actor | null): Reader {
  if (user && user.orgId === orgId)
    return { orgId, audience: "customers", contactId: user.contactId, userId: user.userId };
  return { orgId, audience: "public" };
}

export function visibilitiesFor(reader: Reader): ArticleVisibility[] {
  return reader.audience === "customers" ? ["public", "customers"] : ["public"];
}

/** The condition every help-center query on kb_articles carries. */
export function readableBy(reader: Reader) {
  return and(
    eq(kbArticles.orgId, reader.orgId),
    eq(kbArticles.status, "published"),
    inArray(kbArticles.visibility, visibilitiesFor(reader)),
  );
}

const joinTranslation = and(
  eq(kbArticleTranslations.orgId, kbArticles.orgId),
  eq(kbArticleTranslations.articleId, kbArticles.id),
  eq(kbArticleTranslations.locale, kbArticles.defaultLocale),
);

/** The article's text in the reader's language, when it has one. */
const preferred = alias(kbArticleTranslations, "preferred");
const joinPreferred = (reader: Reader) =>
  and(
    eq(preferred.orgId, kbArticles.orgId),
    eq(preferred.articleId, kbArticles.id),
    eq(preferred.locale, reader.locale ?? ""),
  );

export interface HelpArticleLink {
  id: string;
  title: string;
  slug: string;
  sectionId: string | null;
  summary: string;
}

async function readableArticles(
  db: DbOrTx,
  reader: Reader,
  sectionIds?: string[],
): Promise<HelpArticleLink[]> {
  const conditions = [readableBy(reader)];
  if (sectionIds) {
    if (sectionIds.length === 0) return [];
    conditions.push(inArray(kbArticles.sectionId, sectionIds));
  }
  const rows = await db
    .select({
      id: kbArticles.id,
      title: sql<string>`coalesce(${preferred.title}, ${kbArticleTranslations.title})`,
      slug: sql<string>`coalesce(${preferred.slug}, ${kbArticleTranslations.slug})`,
      sectionId: kbArticles.sectionId,
      summary: sql<string>`left(coalesce(${preferred.bodyText}, ${kbArticleTranslations.bodyText}), 160)`,
    })
    .from(kbArticles)
    .innerJoin(kbArticleTranslations, joinTranslation)
    .leftJoin(preferred, joinPreferred(reader))
    .where(and(...conditions))
    .limit(500);
  return rows.sort((a, b) => a.title.localeCompare(b.title));
}

export interface HelpSection {
  id: string;
  name: string;
  slug: string;
  articles: HelpArticleLink[];
}
export interface HelpCategory {
  id: string;
  name: string;
  slug: string;
  description: string;
  sections: HelpSection[];
}

async function categoriesWith(db: DbOrTx, reader: Reader, categoryId?: string): Promise<HelpCategory[]> {
  const cats = await db
    .select()
    .from(kbCategories)
    .where(
      categoryId
        ? and(eq(kbCategories.orgId, reader.orgId), eq(kbCategories.id, categoryId))
        : eq(kbCategories.orgId, reader.orgId),
    )
    .orderBy(asc(kbCategories.position), asc(kbCategories.name));
  const secs = cats.length
    ? await db
        .select()
        .from(kbSections)
        .where(
          and(
            eq(kbSections.orgId, reader.orgId),
            inArray(
              kbSections.categoryId,
              cats.map((c) => c.id),
            ),
          ),
        )
        .orderBy(asc(kbSections.position), asc(kbSections.name))
    : [];
  const articles = await readableArticles(
    db,
    reader,
    secs.map((s) => s.id),
  );
  return cats
    .map((c) => ({
      id: c.id,
      name: c.name,
      slug: c.slug,
      description: c.description,
      sections: secs
        .filter((s) => s.categoryId === c.id)
        .map((s) => ({
          id: s.id,
          name: s.name,
          slug: s.slug,
          articles: articles.filter((a) => a.sectionId === s.id),
        }))
        .filter((s) => s.articles.length > 0),
    }))
    .filter((c) => c.sections.length > 0 || categoryId);
}

/** The languages the organization's readable articles are written in, its own first. */
export async function helpLocales(db: DbOrTx, reader: Reader, orgLocale: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ locale: kbArticleTranslations.locale })
    .from(kbArticleTranslations)
    .innerJoin(
      kbArticles,
      and(
        eq(kbArticles.orgId, kbArticleTranslations.orgId),
        eq(kbArticles.id, kbArticleTranslations.articleId),
      ),
    )
    .where(readableBy(reader));
  return [
    orgLocale,
    ...rows
      .map((r) => r.locale)
      .filter((l) => l !== orgLocale)
      .sort(),
  ];
}

/** The help center's front page: categories with their sections and articles. */
export async function helpHome(db: DbOrTx, reader: Reader): Promise<HelpCategory[]> {
  return categoriesWith(db, reader);
}

export async function helpCategory(db: DbOrTx, reader: Reader, slug: string): Promise<HelpCategory> {
  const [cat] = await db
    .select({ id: kbCategories.id })
    .from(kbCategories)
    .where(and(eq(kbCategories.orgId, reader.orgId), eq(kbCategories.slug, slug)));
  if (!cat) throw notFound("That category");
  const [found] = await categoriesWith(db, reader, cat.id);
  if (!found) throw notFound("That category");
  return found;
}

export interface HelpArticle {
  id: string;
  /** The language of this text. */
  locale: string;
  /** Every language the article is written in, with its address (the chooser and hreflang links). */
  translations: { locale: string; slug: string; title: string }[];
  title: string;
  slug: string;
  body: string;
  description: string;
  tags: string[];
  updatedAt: Date;
  section?: { name: string; slug: string };
  category?: { name: string; slug: string };
  related: HelpArticleLink[];
}

/** One more reading of the article (in whatever language). */
export async function countArticleView(db: DbOrTx, reader: Reader, articleId: string): Promise<void> {
  await db
    .update(kbArticles)
    .set({ views: sql`${kbArticles.views} + 1` })
    .where(and(eq(kbArticles.orgId, reader.orgId), eq(kbArticles.id, articleId)));
}

export async function helpArticle(
  db: DbOrTx,
  reader: Reader,
  slug: string,
  options: { countView?: boolean } = {},
): Promise<HelpArticle> {
  // Addresses are unique per language; when two languages share one, the reader's wins, then the default.
  const [row] = await db
    .select({
      id: kbArticles.id,
      locale: kbArticleTranslations.locale,
      title: kbArticleTranslations.title,
      slug: kbArticleTranslations.slug,
      body: kbArticleTranslations.body,
      bodyText: kbArticleTranslations.bodyText,
      tags: kbArticles.tags,
      sectionId: kbArticles.sectionId,
      updatedAt: kbArticleTranslations.updatedAt,
    })
    .from(kbArticles)
    .innerJoin(
      kbArticleTranslations,
      and(
        eq(kbArticleTranslations.orgId, kbArticles.orgId),
        eq(kbArticleTranslations.articleId, kbArticles.id),
      ),
    )
    .where(and(readableBy(reader), eq(kbArticleTranslations.slug, slug)))
    .orderBy(
      desc(sql`${kbArticleTranslations.locale} = ${reader.locale ?? ""}`),
      desc(sql`${kbArticleTranslations.locale} = ${kbArticles.defaultLocale}`),
    )
    .limit(1);
  if (!row) throw notFound("That article");
  const translations = await db
    .select({
      locale: kbArticleTranslations.locale,
      slug: kbArticleTranslations.slug,
      title: kbArticleTranslations.title,
    })
    .from(kbArticleTranslations)
    .where(and(eq(kbArticleTranslations.orgId, reader.orgId), eq(kbArticleTranslations.articleId, row.id)))
    .orderBy(asc(kbArticleTranslations.locale));
  if (options.countView) await countArticleView(db, reader, row.id);
  let section: HelpArticle["section"];
  let category: HelpArticle["category"];
  let related: HelpArticleLink[] = [];
  if (row.sectionId) {
    const [place] = await db
      .select({ section: kbSections, category: kbCategories })
      .from(kbSections)
      .innerJoin(
        kbCategories,
        and(eq(kbCategories.orgId, kbSections.orgId), eq(kbCategories.id, kbSections.categoryId)),
      )
      .where(and(eq(kbSections.orgId, reader.orgId), eq(kbSections.id, row.sectionId)));
    if (place) {
      section = { name: place.section.name, slug: place.section.slug };
      category = { name: place.category.name, slug: place.category.slug };
    }
    related = (await readableArticles(db, reader, [row.sectionId]))
      .filter((a) => a.id !== row.id)
      .slice(0, 5);
  }
  const text = row.bodyText.replace(/\s+/g, " ").trim();
  return {
    id: row.id,
    locale: row.locale,
    translations,
    title: row.title,
    slug: row.slug,
    body: row.body,
    description: text.length > 155 ? `${text.slice(0, 154).replace(/\s+\S*$/, "")}…` : text,
    tags: row.tags,
    updatedAt: row.updatedAt,
    section,
    category,
    related,
  };
}

/** "Did this help?" from a reader who could read the article. */
export async function recordFeedback(
  db: DbOrTx,
  reader: Reader,
  now: Date,
  input: { articleId: string; helpful: boolean; comment?: string },
): Promise<void> {
  if (!isUuid(input.articleId)) throw notFound("That article");
  const comment = (input.comment ?? "").trim();
  if (comment.length > 2000) throw invalid({ comment: "Keep the comment under 2,000 characters." });
  await db.transaction(async (tx) => {
    const [article] = await tx
      .select({ id: kbArticles.id })
      .from(kbArticles)
      .where(and(readableBy(reader), eq(kbArticles.id, input.articleId)));
    if (!article) throw notFound("That article");
    await tx.insert(kbFeedback).values({
      orgId: reader.orgId,
      articleId: article.id,
      helpful: input.helpful,
      comment,
      contactId: reader.contactId ?? null,
      createdAt: now,
    });
    await tx
      .update(kbArticles)
      .set(
        input.helpful
          ? { helpfulYes: sql`${kbArticles.helpfulYes} + 1` }
          : { helpfulNo: sql`${kbArticles.helpfulNo} + 1` },
      )
      .where(and(eq(kbArticles.orgId, reader.orgId), eq(kbArticles.id, article.id)));
    const ctx: Ctx = {
      db: tx as never,
      now,
      actor: { kind: "user", orgId: reader.orgId, role: "customer", userId: reader.userId, name: "Reader" },
    };
    await appendEvent(tx, ctx, {
      type: "kb.feedback",
      data: { articleId: article.id, helpful: input.helpful },
    });
  });
}

export interface SitemapEntry {
  path: string;
  updatedAt?: Date;
}

/** Public addresses only: what search engines may index. */
export async function sitemapEntries(db: DbOrTx, orgId: string): Promise<SitemapEntry[]> {
  const reader: Reader = { orgId, audience: "public" };
  // Every language of every public article has its own address.
  const articles = await db
    .select({ slug: kbArticleTranslations.slug, updatedAt: kbArticleTranslations.updatedAt })
    .from(kbArticles)
    .innerJoin(
      kbArticleTranslations,
      and(
        eq(kbArticleTranslations.orgId, kbArticles.orgId),
        eq(kbArticleTranslations.articleId, kbArticles.id),
      ),
    )
    .where(readableBy(reader))
    .orderBy(desc(kbArticleTranslations.updatedAt))
    .limit(50_000);
  const categories = await helpHome(db, reader);
  return [
    { path: "/help" },
    ...categories.map((c) => ({ path: `/help/categories/${c.slug}` })),
    ...articles.map((a) => ({ path: `/help/articles/${a.slug}`, updatedAt: a.updatedAt })),
  ];
}
