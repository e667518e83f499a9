// Search over Postgres full text: weighted vectors (title A, body B), websearch_to_tsquery syntax
// (quotes, OR, -), prefix matching of the last word for type-ahead, trigram similarity when
// nothing matches (typos), and highlighted snippets. Words are stemmed with the organization's
// text-search configuration (organizations.search_config), the same one the triggers index with.
// Every query carries the same permission conditions as the pages that show the results.
import { and, desc, eq, inArray, ne, or, type SQL, sql } from "drizzle-orm";
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
  ticketSearch,
  tickets,
} from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import type { DbOrTx } from "../events/log";
import { type Reader, readableBy } from "../kb/help";
import { regconfig, searchConfigOf, type TextSearchConfig } from "./config";

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
 * The full-text query in configuration `config`: websearch syntax, or'ed with a prefix query when
 * the last word is still being typed (no operators in the query), so "passw" finds "password" and
 * "reset passw" finds "reset password". Only the last word is a prefix: a prefix of every word made
 * each of them match every longer word, and cost a scan of each one's lexemes. When the query is
 * nothing but words, the prefix query alone finds everything the websearch one does.
 */
export function textQuery(q: string, config: TextSearchConfig): SQL {
  const web = sql`websearch_to_tsquery(${regconfig(config)}, ${q})`;
  const plain = !/["-]|\bor\b/i.test(q);
  const words = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!plain || words.length === 0 || words.length > 8) return web;
  const prefix = sql`to_tsquery(${regconfig(config)}, ${words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(" & ")})`;
  if (/^[\p{L}\p{N}\s]+$/u.test(q)) return prefix;
  return sql`(${web} || ${prefix})`;
}

/**
 * The query as an InitPlan, `(select …)`: computed once per execution, and the same plan whatever
 * the words. Postgres otherwise plans by how common the words are, and for a common word in
 * ticket documents prefers reading the matching rows' vectors one by one (estimating them cheap,
 * though each is stored out of line) over asking the index; and a statement prepared for one word
 * may be planned once for all of them (a generic plan), evaluating the query for every row.
 */
function onePlan(query: SQL): SQL {
  return sql`(select ${query})`;
}

/**
 * Runs search statements with plans made for their own values. On Postgres every statement is
 * prepared, and after five runs of one Postgres may settle on a generic plan estimated for no
 * organization, status or limit in particular (seen: every article of an organization read one by
 * one, because `status <> $1` was estimated to match none). `set local` ends with the transaction.
 */
function customPlans<T>(db: DbOrTx, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local plan_cache_mode = force_custom_plan`);
    return work(tx);
  });
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

/** Runs in a transaction of its own (customPlans): it sets a threshold for the typo search. */
async function articleSearch(
  db: DbOrTx,
  config: TextSearchConfig,
  where: SQL | undefined,
  q: string,
  limit: number,
): Promise<ArticleHit[]> {
  const query = onePlan(textQuery(q, config));
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
  // Articles whose title matches come first, ranked by their titles (a title's vector is small
  // and indexed on its own; ranking by the whole article read every matching article's vector);
  // the rest follow most recently updated first.
  const headline = sql`ts_headline(${regconfig(config)}, ${kbArticleTranslations.bodyText}, ${query}, ${HEADLINE_OPTIONS})`;
  const inTitle = sql`${kbArticleTranslations.titleSearch} @@ ${query}`;
  const titled = await select(
    inTitle,
    sql`ts_rank(${kbArticleTranslations.titleSearch}, ${query})`,
    headline,
  );
  const found =
    titled.length < limit
      ? [
          ...titled,
          ...((await newestBodyMatches(db, config, where, query, limit - titled.length)) ??
            (await select(
              sql`${kbArticleTranslations.search} @@ ${query} and not (${inTitle})`,
              sql`${kbArticleTranslations.updatedAt}`,
              headline,
              limit - titled.length,
            ))),
        ]
      : titled;
  if (found.length > 0 || q.length < 3) return found;
  // Nothing matched: perhaps a typo. Titles close to the words typed ("pasword" → "password"),
  // found through the trigram index on titles (`<%` with the threshold below), not by comparing
  // the words with every title.
  await db.execute(sql`set local pg_trgm.word_similarity_threshold = 0.4`);
  const similar = await select(
    sql`${q} <% ${kbArticleTranslations.title} and word_similarity(${q}, ${kbArticleTranslations.title}) > 0.4`,
    sql`word_similarity(${q}, ${kbArticleTranslations.title})`,
    sql`left(${kbArticleTranslations.bodyText}, 200)`,
  );
  return similar.map((h) => ({ ...h, typo: true }));
}

/** Articles looked at, newest first, for matches in the body alone before sorting all of them. */
const ARTICLE_WINDOW = 200;

/**
 * The newest `take` articles matching in the body but not the title, among the ARTICLE_WINDOW most
 * recently updated (titles breaking ties, as the index on them is ordered): a common word's first
 * matches are there, found without sorting thousands. Undefined when fewer are there.
 */
async function newestBodyMatches(
  db: DbOrTx,
  config: TextSearchConfig,
  where: SQL | undefined,
  query: SQL,
  take: number,
): Promise<ArticleHit[] | undefined> {
  const recent = db
    .select({
      id: kbArticles.id,
      title: kbArticleTranslations.title,
      slug: kbArticleTranslations.slug,
      status: kbArticles.status,
      visibility: kbArticles.visibility,
      bodyText: kbArticleTranslations.bodyText,
      search: kbArticleTranslations.search,
      titleSearch: kbArticleTranslations.titleSearch,
      updatedAt: kbArticleTranslations.updatedAt,
    })
    .from(kbArticleTranslations)
    .innerJoin(
      kbArticles,
      and(
        eq(kbArticles.orgId, kbArticleTranslations.orgId),
        eq(kbArticles.id, kbArticleTranslations.articleId),
        eq(kbArticles.defaultLocale, kbArticleTranslations.locale),
      ),
    )
    .where(where)
    .orderBy(sql`${kbArticleTranslations.updatedAt} desc nulls last`, kbArticleTranslations.title)
    .limit(ARTICLE_WINDOW)
    .as("recent");
  const rows = await db
    .select({
      id: recent.id,
      title: recent.title,
      slug: recent.slug,
      status: recent.status,
      visibility: recent.visibility,
      snippet: sql<string>`ts_headline(${regconfig(config)}, ${recent.bodyText}, ${query}, ${HEADLINE_OPTIONS})`,
    })
    .from(recent)
    .where(sql`${recent.search} @@ ${query} and not (${recent.titleSearch} @@ ${query})`)
    .orderBy(sql`${recent.updatedAt} desc nulls last`, recent.title)
    .limit(take);
  return rows.length < take ? undefined : rows;
}

/** Help-center search: published articles the reader may read, nothing else. */
export async function searchHelp(db: DbOrTx, reader: Reader, q: string, limit = 20): Promise<ArticleHit[]> {
  const text = cleanQuery(q);
  if (!text) return [];
  const config = await searchConfigOf(db, reader.orgId);
  return customPlans(db, (tx) => articleSearch(tx, config, readableBy(reader), text, limit));
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

/** Facet counts stop at this many matching tickets: beyond it they say "at least". */
export const FACET_CAP = 2000;

/**
 * How the newest matching tickets are found. Up to `sortCap` matches are fetched and sorted in one
 * go; when more match (a word in a twentieth of 100,000 tickets), the newest `walkWindow` tickets
 * are walked newest first instead, which finds enough after a few hundred. Sorting costs about a
 * microsecond a match, walking some tens a ticket (its document is read): the two meet near here
 * for 100,000 tickets. Tests lower them.
 */
export const searchLimits = { sortCap: 5_000, walkWindow: 2_000 };

type TicketRow = {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
};

const ticketColumns = {
  id: tickets.id,
  number: tickets.number,
  subject: tickets.subject,
  status: tickets.status,
  priority: tickets.priority,
};

/**
 * Tickets whose subject matches, best ranked (few: subjects are short), and the ticket with the
 * number typed, first.
 */
function subjectHits(
  db: DbOrTx,
  orgId: string,
  query: SQL,
  number: number | undefined,
  filters: SQL[],
  limit: number,
): Promise<TicketRow[]> {
  return db
    .select(ticketColumns)
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
    .limit(limit);
}

/**
 * The matching tickets (subject, messages or notes) from the search documents: status and
 * priority counts of up to FACET_CAP of them, and, when no more than `sortCap` match, the newest
 * `limit` that pass the filters. One lookup in the document index and the narrow rows of
 * ticket_search; the vectors themselves are not read.
 */
async function documentMatches(
  db: DbOrTx,
  orgId: string,
  query: SQL,
  filter: { status?: string; priority?: string },
  limit: number,
): Promise<{ facets: SearchResults["ticketFacets"]; newest: TicketRow[] | undefined }> {
  const rows = rowsOf<{
    part: "facet" | "hit";
    status: TicketStatus | null;
    priority: TicketPriority | null;
    n: number | string | null;
    total: number | string;
    id: string | null;
    number: number | null;
    subject: string | null;
  }>(
    await db.execute(sql`
      with matched as materialized (
        select ticket_id, status, priority, updated_at from ${ticketSearch}
        where org_id = ${orgId} and document @@ ${query}
        limit ${searchLimits.sortCap + 1}
      ), total as (
        select count(*) as n from matched
      ), newest as (
        select ticket_id, updated_at from matched
        where (select n from total) <= ${searchLimits.sortCap}
          ${filter.status ? sql`and status = ${filter.status}` : sql``}
          ${filter.priority ? sql`and priority = ${filter.priority}` : sql``}
        order by updated_at desc limit ${limit}
      )
      select 'facet' as part, f.status, f.priority, count(*) as n, (select n from total) as total,
             null::uuid as id, null::int as number, null::text as subject, null::timestamptz as updated_at
      from (select status, priority from matched limit ${FACET_CAP}) f
      group by grouping sets ((f.status), (f.priority))
      union all
      select 'hit', t.status, t.priority, null, (select n from total), t.id, t.number, t.subject, h.updated_at
      from newest h join ${tickets} t on t.org_id = ${orgId} and t.id = h.ticket_id
      order by part, updated_at desc`),
  );
  const facets: SearchResults["ticketFacets"] = { status: {}, priority: {}, capped: false };
  const newest: TicketRow[] = [];
  let total = 0;
  for (const row of rows) {
    total = Number(row.total);
    if (row.part === "hit") {
      newest.push({
        id: row.id!,
        number: Number(row.number),
        subject: row.subject!,
        status: row.status!,
        priority: row.priority!,
      });
    } else if (row.status) facets.status[row.status] = Number(row.n);
    else if (row.priority) facets.priority[row.priority] = Number(row.n);
  }
  facets.capped = total > FACET_CAP;
  return { facets, newest: total > searchLimits.sortCap ? undefined : newest };
}

/**
 * The newest tickets whose document matches, walking tickets newest first: for a query so common
 * that sorting every match would cost more, this stops after `limit` matches. Undefined when the
 * newest `walkWindow` tickets (passing the filters) hold fewer than `limit`.
 */
async function newestByWalking(
  db: DbOrTx,
  orgId: string,
  query: SQL,
  filters: SQL[],
  limit: number,
): Promise<TicketRow[] | undefined> {
  const recent = db
    .select({ ...ticketColumns, updatedAt: tickets.updatedAt })
    .from(tickets)
    .where(and(eq(tickets.orgId, orgId), ...filters))
    .orderBy(desc(tickets.updatedAt))
    .limit(searchLimits.walkWindow)
    .as("recent");
  // A subquery per ticket (not a join, which the planner may turn into a scan of all matches).
  const rows = await db
    .select({
      id: recent.id,
      number: recent.number,
      subject: recent.subject,
      status: recent.status,
      priority: recent.priority,
    })
    .from(recent)
    .where(
      sql`(select s.document @@ ${query} from ${ticketSearch} s where s.org_id = ${orgId} and s.ticket_id = ${recent.id})`,
    )
    .orderBy(desc(recent.updatedAt))
    .limit(limit);
  return rows.length < limit ? undefined : rows;
}

/** The newest matching tickets by sorting every match: when walking found too few. */
async function newestBySorting(
  db: DbOrTx,
  orgId: string,
  query: SQL,
  filter: { status?: string; priority?: string },
  limit: number,
): Promise<TicketRow[]> {
  return rowsOf<TicketRow>(
    await db.execute(sql`
      select t.id, t.number, t.subject, t.status, t.priority
      from (
        select ticket_id, updated_at from ${ticketSearch}
        where org_id = ${orgId} and document @@ ${query}
          ${filter.status ? sql`and status = ${filter.status}` : sql``}
          ${filter.priority ? sql`and priority = ${filter.priority}` : sql``}
        order by updated_at desc limit ${limit}
      ) h join ${tickets} t on t.org_id = ${orgId} and t.id = h.ticket_id
      order by h.updated_at desc`),
  );
}

/** Snippets from the best-matching message of each ticket found; chosen first, so only those are highlighted. */
async function ticketSnippets(
  db: DbOrTx,
  orgId: string,
  config: TextSearchConfig,
  query: SQL,
  rows: TicketRow[],
) {
  const snippets = new Map<string, string>();
  if (rows.length === 0) return snippets;
  const result = await db.execute(sql`
    select best.ticket_id as "ticketId", ts_headline(${regconfig(config)}, best.body, ${query}, ${HEADLINE_OPTIONS}) as snippet
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
  const config = await searchConfigOf(ctx.db, orgId);
  const query = onePlan(textQuery(q, config));
  const number = /^(?:TKT-)?0*(\d{1,9})$/i.exec(q);
  const filters: SQL[] = [];
  if (input.status) filters.push(eq(tickets.status, input.status as TicketStatus));
  if (input.priority) filters.push(eq(tickets.priority, input.priority as TicketPriority));
  // Staff who write articles find drafts too; other staff read what is published (internal included).
  const articleWhere = can(ctx.actor, "kb.write")
    ? and(eq(kbArticles.orgId, orgId), ne(kbArticles.status, "archived"))
    : and(eq(kbArticles.orgId, orgId), inArray(kbArticles.status, ["published"]));
  // Tickets shown: those whose subject matches, best ranked, then those whose subject, messages or
  // notes match, most recently updated first. Independent queries run side by side on the pool.
  const filter = { status: input.status, priority: input.priority };
  // The subject hits usually fill the page, so their snippets are made as soon as they are known,
  // while the other queries still run; the rest are made at the end for the tickets shown.
  const [bySubject, matches, contactRows, companyRows, articles] = await Promise.all([
    customPlans(ctx.db, async (tx) => {
      const rows = await subjectHits(
        tx,
        orgId,
        query,
        number ? Number(number[1]) : undefined,
        filters,
        limit,
      );
      return { rows, snippets: await ticketSnippets(tx, orgId, config, query, rows) };
    }),
    customPlans(ctx.db, async (tx) => {
      const found = await documentMatches(tx, orgId, query, filter, limit);
      const newest =
        found.newest ??
        (await newestByWalking(tx, orgId, query, filters, limit)) ??
        (await newestBySorting(tx, orgId, query, filter, limit));
      return { facets: found.facets, newest };
    }),
    contactHits(ctx.db, orgId, q),
    companyHits(ctx.db, orgId, q),
    customPlans(ctx.db, (tx) => articleSearch(tx, config, articleWhere, q, 10)),
  ]);
  const seen = new Set(bySubject.rows.map((t) => t.id));
  const ticketRows = [...bySubject.rows, ...matches.newest.filter((t) => !seen.has(t.id))].slice(0, limit);
  const rest = ticketRows.filter((t) => !seen.has(t.id));
  const snippets = new Map([
    ...bySubject.snippets,
    ...(rest.length ? await customPlans(ctx.db, (tx) => ticketSnippets(tx, orgId, config, query, rest)) : []),
  ]);
  return {
    q,
    tickets: ticketRows.map((t) => ({
      number: t.number,
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      snippet: snippets.get(t.id) ?? "",
    })),
    ticketFacets: matches.facets,
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
  const config = await searchConfigOf(db, reader.orgId);
  const query = onePlan(sql`websearch_to_tsquery(${regconfig(config)}, ${words.join(" or ")})`);
  return customPlans(db, (tx) =>
    tx
      .select({
        id: kbArticles.id,
        title: kbArticleTranslations.title,
        slug: kbArticleTranslations.slug,
        status: kbArticles.status,
        visibility: kbArticles.visibility,
        snippet: sql<string>`ts_headline(${regconfig(config)}, ${kbArticleTranslations.bodyText}, ${query}, ${HEADLINE_OPTIONS})`,
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
      .limit(limit),
  );
}

/**
 * A customer's search of their own tickets in the portal: subjects and the replies they can read.
 * Internal notes never count, so a note's words cannot reveal anything through a match.
 */
export async function searchOwnTickets(ctx: Ctx, input: { q: string }) {
  requirePermission(ctx.actor, "tickets.read_own");
  const q = cleanQuery(input.q);
  if (!q || !ctx.actor.contactId) return [];
  const query = onePlan(textQuery(q, await searchConfigOf(ctx.db, ctx.actor.orgId)));
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
