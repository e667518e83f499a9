// The organization's search language: which Postgres text-search configuration (a row of
// pg_ts_config: english, french, indonesian, simple, …) stems the words of its tickets, messages
// and articles, and of the queries on them. Triggers index with it (db/migrations/0038); the
// queries of search.ts read it here. Changing it re-indexes the organization in a background job.
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { jobs, organizations } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { invalid } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { enqueue } from "../jobs/queue";

/** The name of a text-search configuration, as stored in organizations.search_config. */
export type TextSearchConfig = string;

export const DEFAULT_SEARCH_CONFIG: TextSearchConfig = "english";

/** Names written into queries as constants (see regconfig): lower-case identifiers only. */
const CONFIG_NAME = /^[a-z_][a-z0-9_]*$/;

/** The queue of the job that re-indexes an organization after its search language changed. */
export const SEARCH_REINDEX_QUEUE = "search.reindex";

/**
 * The configuration as a constant of the query text (`'english'::regconfig`). A constant, not a
 * parameter: Postgres then computes `to_tsquery('english', $1)` once, while planning, and estimates
 * how many rows match from its statistics; a `$1::regconfig` cast is evaluated for every row.
 */
export function regconfig(config: TextSearchConfig): SQL {
  if (!CONFIG_NAME.test(config)) throw new Error(`not a text-search configuration name: ${config}`);
  return sql.raw(`'${config}'::regconfig`);
}

/**
 * Configurations read lately, by organization: every search needs one before its queries can be
 * written, and it changes about never. Another app server sees a change within CACHE_MS.
 */
const recent = new Map<string, { config: TextSearchConfig; at: number }>();
const CACHE_MS = 10_000;

/** The organization's text-search configuration. */
export async function searchConfigOf(db: DbOrTx, orgId: string): Promise<TextSearchConfig> {
  const now = Date.now();
  const cached = recent.get(orgId);
  if (cached && now - cached.at < CACHE_MS) return cached.config;
  const [row] = await db
    .select({ config: organizations.searchConfig })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  const config = row?.config ?? DEFAULT_SEARCH_CONFIG;
  if (recent.size > 10_000) recent.clear();
  recent.set(orgId, { config, at: now });
  return config;
}

/** The configurations this database has (the built-in ones, plus any an operator added). */
export async function textSearchConfigs(db: DbOrTx): Promise<TextSearchConfig[]> {
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`select cfgname as name from pg_catalog.pg_ts_config order by cfgname`),
  );
  return rows.map((r) => r.name).filter((name) => CONFIG_NAME.test(name));
}

export interface SearchSettings {
  config: TextSearchConfig;
  choices: TextSearchConfig[];
  /** A re-indexing job is queued or running: until it ends, some words may not be found. */
  reindexing: boolean;
}

export async function getSearchSettings(ctx: Ctx): Promise<SearchSettings> {
  requirePermission(ctx.actor, "org.admin");
  const [config, choices, pending] = await Promise.all([
    searchConfigOf(ctx.db, ctx.actor.orgId),
    textSearchConfigs(ctx.db),
    ctx.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
          eq(jobs.orgId, ctx.actor.orgId),
          inArray(jobs.status, ["queued", "running"]),
          eq(jobs.queue, SEARCH_REINDEX_QUEUE),
        ),
      )
      .limit(1),
  ]);
  return { config, choices, reindexing: pending.length > 0 };
}

/**
 * Sets the organization's search language. New and changed text is indexed with it at once; what
 * is already indexed is re-indexed by a job, queued in the same transaction.
 */
export async function saveSearchSettings(ctx: Ctx, input: { config: string }): Promise<{ changed: boolean }> {
  requirePermission(ctx.actor, "org.admin");
  const config = input.config.trim();
  const choices = await textSearchConfigs(ctx.db);
  if (!choices.includes(config)) throw invalid({ config: "Choose one of the languages listed." });
  const saved = await ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ config: organizations.searchConfig })
      .from(organizations)
      .where(eq(organizations.id, ctx.actor.orgId))
      .for("update");
    if (before?.config === config) return { changed: false };
    await tx.update(organizations).set({ searchConfig: config }).where(eq(organizations.id, ctx.actor.orgId));
    await enqueue(tx, ctx.now, {
      queue: SEARCH_REINDEX_QUEUE,
      orgId: ctx.actor.orgId,
      payload: { config },
      maxAttempts: 3,
    });
    await appendEvent(tx, ctx, {
      type: "organization.search_config_changed",
      data: { from: before?.config ?? null, to: config },
    });
    return { changed: true };
  });
  // After the commit: a search in between would otherwise keep the old one.
  recent.delete(ctx.actor.orgId);
  return saved;
}

/** Tickets re-indexed per transaction: short transactions, so agents' writes never wait long. */
const REINDEX_BATCH = 200;

/**
 * Re-indexes an organization's tickets, messages and articles with its current configuration, a
 * batch of tickets per transaction. Rewriting a column the triggers watch makes them recompute the
 * vectors (and rebuild the tickets' documents); rows already in the configuration are left as they
 * were. Safe to run again after an interruption. Returns how many tickets and articles it went through.
 */
export async function reindexOrgSearch(
  db: DbOrTx,
  orgId: string,
  options: { signal?: AbortSignal; batch?: number } = {},
): Promise<{ tickets: number; articles: number }> {
  const size = options.batch ?? REINDEX_BATCH;
  let after = "00000000-0000-0000-0000-000000000000";
  let ticketCount = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const ids = await db.transaction(async (tx) => {
      const batch = rowsOf<{ id: string }>(
        await tx.execute(sql`
          select id from tickets where org_id = ${orgId} and id > ${after}::uuid order by id limit ${size}`),
      ).map((r) => r.id);
      if (batch.length === 0) return batch;
      const list = sql.join(
        batch.map((id) => sql`${id}::uuid`),
        sql`, `,
      );
      await tx.execute(
        sql`update ticket_messages set body = body where org_id = ${orgId} and ticket_id in (${list})`,
      );
      await tx.execute(sql`update tickets set subject = subject where org_id = ${orgId} and id in (${list})`);
      return batch;
    });
    if (ids.length === 0) break;
    ticketCount += ids.length;
    after = ids[ids.length - 1];
  }
  let articleAfter = "00000000-0000-0000-0000-000000000000";
  let articleCount = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const rows = rowsOf<{ id: string }>(
      await db.execute(sql`
        update kb_article_translations set title = title
        where id in (select id from kb_article_translations where org_id = ${orgId} and id > ${articleAfter}::uuid
                     order by id limit ${size})
        returning id`),
    );
    if (rows.length === 0) break;
    articleCount += rows.length;
    articleAfter = rows
      .map((r) => r.id)
      .sort()
      .at(-1)!;
  }
  return { tickets: ticketCount, articles: articleCount };
}
