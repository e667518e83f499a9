// Knowledge base: categories → sections → articles. An article's text lives in one translation per
// locale (the organization's default locale first), each with its own version history.
import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { contacts } from "./crm";
import { organizations } from "./orgs";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const ARTICLE_STATUSES = ["draft", "in_review", "published", "archived"] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];
/** public: anyone; customers: signed-in customers of the organization; internal: staff only. */
export const ARTICLE_VISIBILITIES = ["public", "customers", "internal"] as const;
export type ArticleVisibility = (typeof ARTICLE_VISIBILITIES)[number];

export const kbCategories = pgTable(
  "kb_categories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("kb_categories_org_slug").on(t.orgId, t.slug),
    unique("kb_categories_org_id").on(t.orgId, t.id),
  ],
);

export const kbSections = pgTable(
  "kb_sections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("kb_sections_org_slug").on(t.orgId, t.slug),
    unique("kb_sections_org_id").on(t.orgId, t.id),
    foreignKey({
      columns: [t.orgId, t.categoryId],
      foreignColumns: [kbCategories.orgId, kbCategories.id],
    }).onDelete("cascade"),
  ],
);

export const kbArticles = pgTable(
  "kb_articles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    sectionId: uuid("section_id"),
    status: text("status", { enum: ARTICLE_STATUSES }).notNull().default("draft"),
    visibility: text("visibility", { enum: ARTICLE_VISIBILITIES }).notNull().default("public"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    defaultLocale: text("default_locale").notNull().default("en"),
    views: integer("views").notNull().default(0),
    helpfulYes: integer("helpful_yes").notNull().default(0),
    helpfulNo: integer("helpful_no").notNull().default(0),
    authorUserId: uuid("author_user_id"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** A draft or reviewed article to be published at this time by the publishing job. */
    publishAt: timestamp("publish_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("kb_articles_org_id").on(t.orgId, t.id),
    foreignKey({ columns: [t.orgId, t.sectionId], foreignColumns: [kbSections.orgId, kbSections.id] }),
    foreignKey({ columns: [t.orgId, t.authorUserId], foreignColumns: [users.orgId, users.id] }),
    index("kb_articles_org_status").on(t.orgId, t.status, t.visibility),
    index("kb_articles_org_section").on(t.orgId, t.sectionId),
    index("kb_articles_publish_at").on(t.publishAt).where(sql`publish_at is not null`),
  ],
);

/** The article's text in one locale; the current version of it. */
export const kbArticleTranslations = pgTable(
  "kb_article_translations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    articleId: uuid("article_id").notNull(),
    locale: text("locale").notNull(),
    title: text("title").notNull(),
    slug: text("slug").notNull(),
    /** Sanitized HTML. */
    body: text("body").notNull(),
    /** The body without markup, for search, snippets and meta descriptions. */
    bodyText: text("body_text").notNull(),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    /** Title (weight A) and body (B) in the organization's search configuration (set by a trigger). */
    search: tsvector("search"),
    /** The title's words alone: type-ahead ranks title matches without reading whole articles. */
    titleSearch: tsvector("title_search"),
  },
  (t) => [
    unique("kb_translations_org_locale_slug").on(t.orgId, t.locale, t.slug),
    unique("kb_translations_article_locale").on(t.orgId, t.articleId, t.locale),
    foreignKey({
      columns: [t.orgId, t.articleId],
      foreignColumns: [kbArticles.orgId, kbArticles.id],
    }).onDelete("cascade"),
    index("kb_translations_search").using("gin", t.search),
    index("kb_translations_title_search").using("gin", t.titleSearch),
    // Search lists articles matching only in the body newest first (titles break ties): read in this
    // order, a common word's first matches are found without sorting all of them.
    index("kb_translations_org_updated").on(t.orgId, t.updatedAt.desc(), t.title),
    index("kb_translations_title_trgm").using("gin", sql`${t.title} gin_trgm_ops`),
  ],
);

/** Every save of a translation, numbered per article and locale. */
export const kbArticleVersions = pgTable(
  "kb_article_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    articleId: uuid("article_id").notNull(),
    locale: text("locale").notNull(),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    authorUserId: uuid("author_user_id"),
    authorName: text("author_name").notNull(),
    note: text("note").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("kb_versions_article_locale_version").on(t.orgId, t.articleId, t.locale, t.version),
    foreignKey({
      columns: [t.orgId, t.articleId],
      foreignColumns: [kbArticles.orgId, kbArticles.id],
    }).onDelete("cascade"),
  ],
);

export const kbFeedback = pgTable(
  "kb_feedback",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    articleId: uuid("article_id").notNull(),
    helpful: boolean("helpful").notNull(),
    comment: text("comment").notNull().default(""),
    contactId: uuid("contact_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.articleId],
      foreignColumns: [kbArticles.orgId, kbArticles.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    index("kb_feedback_article").on(t.orgId, t.articleId, t.createdAt),
  ],
);

/** A customer who found the answer in an article instead of submitting a ticket. */
export const kbDeflections = pgTable(
  "kb_deflections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    articleId: uuid("article_id").notNull(),
    contactId: uuid("contact_id"),
    /** What the customer had typed as the subject. */
    query: text("query").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.articleId],
      foreignColumns: [kbArticles.orgId, kbArticles.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    index("kb_deflections_org_created").on(t.orgId, t.createdAt),
  ],
);

export const ARTICLE_FILE_KINDS = ["image", "attachment"] as const;
export type ArticleFileKind = (typeof ARTICLE_FILE_KINDS)[number];

/**
 * Images shown in an article (resized and stripped of metadata when uploaded) and files offered
 * for download under it. Bytes in the file store by their SHA-256; readable by whoever may read the
 * article.
 */
export const kbArticleFiles = pgTable(
  "kb_article_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    articleId: uuid("article_id").notNull(),
    kind: text("kind", { enum: ARTICLE_FILE_KINDS }).notNull(),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    width: integer("width"),
    height: integer("height"),
    uploadedBy: uuid("uploaded_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.articleId],
      foreignColumns: [kbArticles.orgId, kbArticles.id],
    }).onDelete("cascade"),
    index("kb_article_files_article").on(t.orgId, t.articleId, t.createdAt),
  ],
);
