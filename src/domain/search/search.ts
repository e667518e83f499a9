// Search over Postgres full text: weighted vectors (title A, body B), websearch_to_tsquery syntax
// (quotes, OR, -), prefix matching of the last word for type-ahead, trigram similarity when
// nothing matches (typos), and highlighted snippets. Every query carries the same permission
// conditions as the pages that show the results.
import { and, eq, inArray, ne, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { rowsOf } from "../../../db/client";
import {
  type ArticleStatus,
  companies,
  contacts,
  kbArticles,
  kbArticleTranslations,
  type TicketPriority,
  type TicketStatus,
  ticketMessages,
  tickets,
} from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import type { DbOrTx } from "../events/log";
import { type Reader, readableBy } from "../kb/help";

/** Highlight markers ts_headline puts around matches; control characters never typed by people. */
export const MARK_START = "\u0002";
export const MARK_END = "\u0003";
const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

export const QUERY_MAX = 200;

export function cleanQuery(q: string | undefined): string {
  // The markers are removed from what people type so a snippet holds only the ones Postgres adds.
  return (q ?? "")
    .replace(/\p{Cc}/gu, " ")
    .trim()
    .slice(0, QUERY_MAX);
}

/**
 * The full-text query: websearch syntax, or'ed with a prefix query of the typed words when the
 * last word is still being typed (no operators in the query), so "passw" finds "password".
 */
export function textQuery(q: string): SQL {
  const web = sql`websearch_to_tsquery('english', ${q})`;
  const plain = !/["-]|\bor\b/i.test(q);
  const words = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!plain || words.length === 0 || words.length > 8) return web;
  const prefix = words.map((w) => `${w}:*`).join(" & ");
  return sql`(${web} || to_tsquery('english', ${prefix}))`;
}

export interface ArticleHit {
  id: string;
  title: string;
  slug: string;
  status: ArticleStatus;
  visibility: string;
  /** Plain text with MARK_START/MARK_END around the matches; escape, then replace the markers. */
  snippet: string;
  typo?: boolean;
}

async function articleSearch(
  db: DbOrTx,
  where: SQL | undefined,
  q: string,
  limit: number,
): Promise<ArticleHit[]> {
  const query = textQuery(q);
  const select = (match: SQL, rank: SQL, snippet: SQL, take = limit) =>
    db
      .select({
        id: kbArticles.id,
        title: kbArticleTranslations.title,
        slug: kbArticleTranslations.slug,
        status: kbArticles.status,
        visibility: kbArticles.visibility,
        snippet: sql<string>`${snippet}`,
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
      .where(and(where, match))
      .orderBy(sql`${rank} desc`, kbArticleTranslations.title)
      .limit(take);
  // Ranking reads each matching article's whole vector, so only articles whose title matches are
  // ranked (few); the rest follow most recently updated first. A common word in 10,000 articles
  // otherwise costs a rank of each.
  const headline = sql`ts_headline('english', ${kbArticleTranslations.bodyText}, ${query}, ${HEADLINE_OPTIONS})`;
  const inTitle = sql`to_tsvector('english', ${kbArticleTranslations.title}) @@ ${query}`;
  const titled = await select(
    sql`${kbArticleTranslations.search} @@ ${query} and ${inTitle}`,
    sql`ts_rank(${kbArticleTranslations.search}, ${query})`,
    headline,
  );
  const found =
    titled.length < limit
      ? [
          ...titled,
          ...(await select(
            sql`${kbArticleTranslations.search} @@ ${query} and not (${inTitle})`,
            sql`${kbArticleTranslations.updatedAt}`,
            headline,
            limit - titled.length,
          )),
        ]
      : titled;
  if (found.length > 0 || q.length < 3) return found;
  // Nothing matched: perhaps a typo. Titles close to the words typed ("pasword" → "password").
  const similar = await select(
    sql`word_similarity(${q}, ${kbArticleTranslations.title}) > 0.4`,
    sql`word_similarity(${q}, ${kbArticleTranslations.title})`,
    sql`left(${kbArticleTranslations.bodyText}, 200)`,
  );
  return similar.map((h) => ({ ...h, typo: true }));
}

/** Help-center search: published articles the reader may read, nothing else. */
export async function searchHelp(db: DbOrTx, reader: Reader, q: string, limit = 20): Promise<ArticleHit[]> {
  const text = cleanQuery(q);
  if (!text) return [];
  return articleSearch(db, readableBy(reader), text, limit);
}

export interface TicketHit {
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  snippet: string;
}

export interface ContactHit {
  id: string;
  name: string;
  email: string | null;
}

export interface CompanyHit {
  id: string;
  name: string;
  domain: string | null;
}

export interface SearchResults {
  q: string;
  tickets: TicketHit[];
  /** Counts of the matching tickets; `capped` when there were more than FACET_CAP to count. */
  ticketFacets: { status: Record<string, number>; priority: Record<string, number>; capped: boolean };
  contacts: ContactHit[];
  companies: CompanyHit[];
  articles: ArticleHit[];
}

/** Facet counts stop at this many matching tickets (and messages): beyond it they say "at least". */
export const FACET_CAP = 2000;

type TicketRow = {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
};

/**
 * The tickets shown for a query, without ranking every match: tickets whose subject matches come
 * first, best ranked (few: subjects are short), then tickets with a matching message or note, most
 * recently updated first. The second list walks tickets newest first and stops at `limit`, so a word
 * in most messages costs as little as a rare one, which the message index finds directly.
 */
async function ticketHits(
  db: DbOrTx,
  orgId: string,
  query: SQL,
  number: number | undefined,
  filters: SQL[],
  limit: number,
): Promise<TicketRow[]> {
  const columns = {
    id: tickets.id,
    number: tickets.number,
    subject: tickets.subject,
    status: tickets.status,
    priority: tickets.priority,
  };
  const [bySubject, byMessage] = await Promise.all([
    db
      .select(columns)
      .from(tickets)
      .where(
        and(
          eq(tickets.orgId, orgId),
          number === undefined
            ? sql`${tickets.search} @@ ${query}`
            : or(eq(tickets.number, number), sql`${tickets.search} @@ ${query}`),
          ...filters,
        ),
      )
      .orderBy(
        ...(number === undefined ? [] : [sql`${tickets.number} = ${number} desc`]),
        sql`ts_rank(${tickets.search}, ${query}) desc`,
        sql`${tickets.updatedAt} desc`,
      )
      .limit(limit),
    db
      .select(columns)
      .from(tickets)
      .where(
        and(
          eq(tickets.orgId, orgId),
          sql`exists (select 1 from ${ticketMessages} m where m.org_id = ${orgId} and m.ticket_id = ${tickets.id} and m.search @@ ${query})`,
          ...filters,
        ),
      )
      .orderBy(sql`${tickets.updatedAt} desc`)
      .limit(limit),
  ]);
  const seen = new Set(bySubject.map((t) => t.id));
  return [...bySubject, ...byMessage.filter((t) => !seen.has(t.id))].slice(0, limit);
}

/** Status and priority counts of the matching tickets, counted up to FACET_CAP. */
async function ticketFacets(db: DbOrTx, orgId: string, query: SQL) {
  const rows = rowsOf<{
    status: string | null;
    priority: string | null;
    n: number | string;
    capped: boolean;
  }>(
    await db.execute(sql`
      with by_subject as (
        select id from ${tickets} where org_id = ${orgId} and search @@ ${query} limit ${FACET_CAP + 1}
      ), by_message as (
        select ticket_id as id from ${ticketMessages} where org_id = ${orgId} and search @@ ${query}
        limit ${FACET_CAP + 1}
      ), matched as (
        select id from by_subject union select id from by_message
      )
      select t.status, t.priority, count(*) as n,
             (select count(*) from by_subject) > ${FACET_CAP} or (select count(*) from by_message) > ${FACET_CAP} as capped
      from ${tickets} t join matched on matched.id = t.id
      where t.org_id = ${orgId}
      group by grouping sets ((t.status), (t.priority))`),
  );
  const facets: SearchResults["ticketFacets"] = { status: {}, priority: {}, capped: false };
  for (const row of rows) {
    if (row.status) facets.status[row.status] = Number(row.n);
    if (row.priority) facets.priority[row.priority] = Number(row.n);
    facets.capped ||= row.capped;
  }
  return facets;
}

/** Snippets from the best-matching message of each ticket found; chosen first, so only those are highlighted. */
async function ticketSnippets(db: DbOrTx, orgId: string, query: SQL, rows: TicketRow[]) {
  const snippets = new Map<string, string>();
  if (rows.length === 0) return snippets;
  const result = await db.execute(sql`
    select best.ticket_id as "ticketId", ts_headline('english', best.body, ${query}, ${HEADLINE_OPTIONS}) as snippet
    from (
      select distinct on (m.ticket_id) m.ticket_id, m.body
      from ${ticketMessages} m
      where m.org_id = ${orgId} and m.ticket_id in (${sql.join(
        rows.map((t) => sql`${t.id}::uuid`),
        sql`, `,
      )}) and m.search @@ ${query}
      order by m.ticket_id, ts_rank(m.search, ${query}) desc
    ) best`);
  for (const row of rowsOf<{ ticketId: string; snippet: string }>(result))
    snippets.set(row.ticketId, row.snippet);
  return snippets;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * People and companies found by name: the text anywhere in the name or in the second column (an
 * email address, a domain), or a name close to it (typos); closest names first.
 */
function byName(name: AnyPgColumn, other: AnyPgColumn, q: string) {
  const like = likePattern(q);
  const closeness = sql`word_similarity(${q}, ${name})`;
  return {
    where: or(sql`${name} ilike ${like}`, sql`${other} ilike ${like}`, sql`${closeness} > 0.5`),
    order: [sql`${closeness} desc`, name] as const,
  };
}

function contactHits(db: DbOrTx, orgId: string, q: string): Promise<ContactHit[]> {
  const match = byName(contacts.name, contacts.email, q);
  return db
    .select({ id: contacts.id, name: contacts.name, email: contacts.email })
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), match.where))
    .orderBy(...match.order)
    .limit(10);
}

function companyHits(db: DbOrTx, orgId: string, q: string): Promise<CompanyHit[]> {
  const match = byName(companies.name, companies.domain, q);
  return db
    .select({ id: companies.id, name: companies.name, domain: companies.domain })
    .from(companies)
    .where(and(eq(companies.orgId, orgId), match.where))
    .orderBy(...match.order)
    .limit(10);
}

/** The agent's one search box: tickets (with facets), contacts, companies and articles. */
export async function searchEverything(
  ctx: Ctx,
  input: { q: string; status?: string; priority?: string; limit?: number },
): Promise<SearchResults> {
  requirePermission(ctx.actor, "tickets.read_all");
  const orgId = ctx.actor.orgId;
  const q = cleanQuery(input.q);
  const limit = input.limit ?? 20;
  const empty: SearchResults = {
    q,
    tickets: [],
    ticketFacets: { status: {}, priority: {}, capped: false },
    contacts: [],
    companies: [],
    articles: [],
  };
  if (!q) return empty;
  const query = textQuery(q);
  const number = /^(?:TKT-)?0*(\d{1,9})$/i.exec(q);
  const filters: SQL[] = [];
  if (input.status) filters.push(eq(tickets.status, input.status as TicketStatus));
  if (input.priority) filters.push(eq(tickets.priority, input.priority as TicketPriority));
  // Staff who write articles find drafts too; other staff read what is published (internal included).
  const articleWhere = can(ctx.actor, "kb.write")
    ? and(eq(kbArticles.orgId, orgId), ne(kbArticles.status, "archived"))
    : and(eq(kbArticles.orgId, orgId), inArray(kbArticles.status, ["published"]));
  // Independent queries, run side by side on the pool's connections.
  const [found, facets, contactRows, companyRows, articles] = await Promise.all([
    ticketHits(ctx.db, orgId, query, number ? Number(number[1]) : undefined, filters, limit).then(
      async (rows) => ({ rows, snippets: await ticketSnippets(ctx.db, orgId, query, rows) }),
    ),
    ticketFacets(ctx.db, orgId, query),
    contactHits(ctx.db, orgId, q),
    companyHits(ctx.db, orgId, q),
    articleSearch(ctx.db, articleWhere, q, 10),
  ]);
  const { rows: ticketRows, snippets } = found;
  return {
    q,
    tickets: ticketRows.map((t) => ({
      number: t.number,
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      snippet: snippets.get(t.id) ?? "",
    })),
    ticketFacets: facets,
    contacts: contactRows,
    companies: companyRows,
    articles,
  };
}

/**
 * Articles that may answer what a customer is typing: any of the words may match (ranked by how
 * many and where), so a whole sentence still finds the article about one of its words.
 */
export async function suggestArticles(
  db: DbOrTx,
  reader: Reader,
  text: string,
  limit = 3,
): Promise<ArticleHit[]> {
  const words = [...new Set(cleanQuery(text).match(/[\p{L}\p{N}]{3,}/gu) ?? [])].slice(0, 16);
  if (words.length === 0) return [];
  const query = sql`websearch_to_tsquery('english', ${words.join(" or ")})`;
  return db
    .select({
      id: kbArticles.id,
      title: kbArticleTranslations.title,
      slug: kbArticleTranslations.slug,
      status: kbArticles.status,
      visibility: kbArticles.visibility,
      snippet: sql<string>`ts_headline('english', ${kbArticleTranslations.bodyText}, ${query}, ${HEADLINE_OPTIONS})`,
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
    .where(and(readableBy(reader), sql`${kbArticleTranslations.search} @@ ${query}`))
    .orderBy(sql`ts_rank(${kbArticleTranslations.search}, ${query}) desc`)
    .limit(limit);
}

/**
 * A customer's search of their own tickets in the portal: subjects and the replies they can read.
 * Internal notes never count, so a note's words cannot reveal anything through a match.
 */
export async function searchOwnTickets(ctx: Ctx, input: { q: string }) {
  requirePermission(ctx.actor, "tickets.read_own");
  const q = cleanQuery(input.q);
  if (!q || !ctx.actor.contactId) return [];
  const query = textQuery(q);
  return ctx.db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      createdAt: tickets.createdAt,
      updatedAt: tickets.updatedAt,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.orgId, ctx.actor.orgId),
        eq(tickets.contactId, ctx.actor.contactId),
        or(
          sql`${tickets.search} @@ ${query}`,
          sql`exists (select 1 from ${ticketMessages} m where m.org_id = ${ctx.actor.orgId} and m.ticket_id = ${tickets.id} and m.kind = 'reply' and m.search @@ ${query})`,
        ),
      ),
    )
    .orderBy(sql`${tickets.updatedAt} desc`)
    .limit(100);
}
