// Search over Postgres full text: weighted vectors (title A, body B), websearch_to_tsquery syntax
// (quotes, OR, -), prefix matching of the last word for type-ahead, trigram similarity when
// nothing matches (typos), and highlighted snippets. Every query carries the same permission
// conditions as the pages that show the results.
import { and, eq, inArray, ne, or, type SQL, sql } from "drizzle-orm";
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
  const select = (match: SQL, rank: SQL, snippet: SQL) =>
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
      .limit(limit);
  const found = await select(
    sql`${kbArticleTranslations.search} @@ ${query}`,
    sql`ts_rank(${kbArticleTranslations.search}, ${query})`,
    sql`ts_headline('english', ${kbArticleTranslations.bodyText}, ${query}, ${HEADLINE_OPTIONS})`,
  );
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
  ticketFacets: { status: Record<string, number>; priority: Record<string, number> };
  contacts: ContactHit[];
  companies: CompanyHit[];
  articles: ArticleHit[];
}

/** Tickets whose subject, or any message or internal note, matches — visible to staff only. */
function ticketMatch(orgId: string, query: SQL) {
  return or(
    sql`${tickets.search} @@ ${query}`,
    sql`exists (select 1 from ${ticketMessages} m where m.org_id = ${orgId} and m.ticket_id = ${tickets.id} and m.search @@ ${query})`,
  );
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
    ticketFacets: { status: {}, priority: {} },
    contacts: [],
    companies: [],
    articles: [],
  };
  if (!q) return empty;
  const query = textQuery(q);
  const number = /^(?:TKT-)?0*(\d{1,9})$/i.exec(q);
  const matched = and(
    eq(tickets.orgId, orgId),
    number ? or(eq(tickets.number, Number(number[1])), ticketMatch(orgId, query)) : ticketMatch(orgId, query),
  );
  const filters: SQL[] = [];
  if (input.status) filters.push(eq(tickets.status, input.status as TicketStatus));
  if (input.priority) filters.push(eq(tickets.priority, input.priority as TicketPriority));
  const ticketRows = await ctx.db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
    })
    .from(tickets)
    .where(and(matched, ...filters))
    .orderBy(sql`ts_rank(${tickets.search}, ${query}) desc`, sql`${tickets.updatedAt} desc`)
    .limit(limit);
  // Snippets from the best-matching message of each ticket found, or its subject.
  const snippets = new Map<string, string>();
  if (ticketRows.length) {
    const result = await ctx.db.execute(sql`
      select distinct on (m.ticket_id) m.ticket_id as "ticketId",
             ts_headline('english', m.body, ${query}, ${HEADLINE_OPTIONS}) as snippet
      from ${ticketMessages} m
      where m.org_id = ${orgId} and m.ticket_id in (${sql.join(
        ticketRows.map((t) => sql`${t.id}::uuid`),
        sql`, `,
      )}) and m.search @@ ${query}
      order by m.ticket_id, ts_rank(m.search, ${query}) desc`);
    for (const row of rowsOf<{ ticketId: string; snippet: string }>(result))
      snippets.set(row.ticketId, row.snippet);
  }
  const facetRows = rowsOf<{ kind: string; value: string; n: string | number }>(
    await ctx.db.execute(sql`
      select 'status' as kind, status as value, count(*) as n from ${tickets} where ${matched} group by status
      union all
      select 'priority', priority, count(*) from ${tickets} where ${matched} group by priority`),
  );
  const facets: SearchResults["ticketFacets"] = { status: {}, priority: {} };
  for (const f of facetRows) facets[f.kind as "status" | "priority"][f.value] = Number(f.n);

  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const contactRows = await ctx.db
    .select({ id: contacts.id, name: contacts.name, email: contacts.email })
    .from(contacts)
    .where(
      and(
        eq(contacts.orgId, orgId),
        or(
          sql`${contacts.name} ilike ${like}`,
          sql`${contacts.email} ilike ${like}`,
          sql`word_similarity(${q}, ${contacts.name}) > 0.5`,
        ),
      ),
    )
    .orderBy(sql`word_similarity(${q}, ${contacts.name}) desc`, contacts.name)
    .limit(10);
  const companyRows = await ctx.db
    .select({ id: companies.id, name: companies.name, domain: companies.domain })
    .from(companies)
    .where(
      and(
        eq(companies.orgId, orgId),
        or(
          sql`${companies.name} ilike ${like}`,
          sql`${companies.domain} ilike ${like}`,
          sql`word_similarity(${q}, ${companies.name}) > 0.5`,
        ),
      ),
    )
    .orderBy(sql`word_similarity(${q}, ${companies.name}) desc`, companies.name)
    .limit(10);
  // Staff who write articles find drafts too; other staff read what is published (internal included).
  const articleWhere = can(ctx.actor, "kb.write")
    ? and(eq(kbArticles.orgId, orgId), ne(kbArticles.status, "archived"))
    : and(eq(kbArticles.orgId, orgId), inArray(kbArticles.status, ["published"]));
  const articles = await articleSearch(ctx.db, articleWhere, q, 10);
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
