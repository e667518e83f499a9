// npm run bench:search [-- --messages 1000000 --articles 10000 --queries 200]
//
// Seeds one organization into a real Postgres (BENCH_DATABASE_URL, default
// postgres://root@127.0.0.1:5432/bench_search_corpus) with `messages` ticket messages (10 per
// ticket) and `articles` published articles, once; then times the domain functions the pages call:
// the agent's search across everything, a type-ahead prefix search of the help center, and a
// help-center article page, then the write that search makes dearer: a message added to a ticket
// (its ticket's search document is rewritten by a trigger; each run adds `queries` + 5 messages).
// Prints p50/p95/max per kind. Figures only; nothing is asserted.
//
// The text is real help-desk language: subjects, messages and articles are drawn from the 5,431
// tickets of ../shared/data/tickets/endava_it_tickets.csv (a message is one to three of their bodies,
// an article ten), so words are as frequent as they are in real tickets. Queries are words of that
// corpus picked across the frequency range: common ("please", in most messages), middling and rare.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres, rowsOf } from "../db/client";
import { contacts, organizations, users } from "../db/schema";
import { parseCsvRecords } from "../src/domain/ai/csv";
import type { Ctx } from "../src/domain/context";
import { helpArticle, readerFor } from "../src/domain/kb/help";
import { searchEverything, searchHelp } from "../src/domain/search/search";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "1000000" },
    articles: { type: "string", default: "10000" },
    queries: { type: "string", default: "200" },
    corpus: { type: "string", default: "../shared/data/tickets/endava_it_tickets.csv" },
  },
});
const messageCount = Number(args.messages);
const articleCount = Number(args.articles);
const queryCount = Number(args.queries);
const url = process.env.BENCH_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/bench_search_corpus";

const corpus = parseCsvRecords(readFileSync(args.corpus, "utf8")).filter((r) => r.body?.trim());
const titles = corpus.map((r) => r.title?.trim() || r.body.split(" ").slice(0, 6).join(" "));
const bodies = corpus.map((r) => r.body.trim());

/** Query words across the frequency range of the corpus: every 40th of the 2,000 most frequent. */
function queryWords(): string[] {
  const counts = new Map<string, number>();
  for (const body of bodies)
    for (const word of new Set(body.split(/\s+/))) {
      if (/^[a-z]{4,}$/.test(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  return ranked.slice(0, 2000).filter((_, i) => i % 40 === 0);
}
const WORDS = queryWords();

async function ensureDatabase() {
  const name = new URL(url).pathname.slice(1);
  const admin = postgres(url.replace(/\/[^/]*$/, "/postgres"), { max: 1, onnotice: () => {} });
  const [row] = await admin`select 1 as ok from pg_database where datname = ${name}`;
  if (!row) await admin.unsafe(`create database "${name}"`);
  await admin.end();
}

/** Inserts the corpus texts into a temporary table `corpus(i, title, body)`, numbered from 1. */
async function loadCorpus(db: typeof database.db) {
  await db.execute(sql`create temporary table corpus (i int primary key, title text, body text)`);
  for (let start = 0; start < bodies.length; start += 1000) {
    const rows = bodies
      .slice(start, start + 1000)
      .map((body, k) => ({ i: start + k + 1, title: titles[start + k], body }));
    await db.execute(sql`
      insert into corpus select x.i, x.title, x.body
      from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as x(i int, title text, body text)`);
  }
}
/** A random corpus row number, drawn once per row of the select list it is in. */
const randomRow = sql.raw(`1 + floor(random() * ${bodies.length})::int`);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function time(label: string, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await run(i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < queryCount; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const f = (n: number) => `${n.toFixed(1)} ms`;
  console.log(
    `${label.padEnd(34)} p50 ${f(percentile(samples, 0.5))}  p95 ${f(percentile(samples, 0.95))}  max ${f(samples.at(-1)!)}`,
  );
}

await ensureDatabase();
const database = await openPostgres(url);
await database.migrate();
const db = database.db;
let [org] = await db.select().from(organizations).where(eq(organizations.slug, "bench-search"));
if (!org) {
  const started = performance.now();
  [org] = await db.insert(organizations).values({ name: "Bench Search", slug: "bench-search" }).returning();
  const [contact] = await db
    .insert(contacts)
    .values({ orgId: org.id, name: "Bench Customer", email: "bench@example.test" })
    .returning();
  await db.insert(users).values({
    orgId: org.id,
    email: "agent@bench.test",
    name: "Bench Agent",
    role: "agent",
    passwordHash: "x",
  });
  const ticketCount = Math.ceil(messageCount / 10);
  await loadCorpus(db);
  await db.execute(sql`
    insert into tickets (org_id, number, subject, channel, contact_id, created_at, updated_at)
    select ${org.id}, g.i, c.title, 'email', ${contact.id}, now() - (g.i || ' minutes')::interval,
           now() - (g.i || ' minutes')::interval
    from (select i, ${randomRow} as r from generate_series(1, ${ticketCount}) i) g join corpus c on c.i = g.r`);
  // Each message: one to three bodies of real tickets.
  await db.execute(sql`
    insert into ticket_messages (org_id, ticket_id, kind, channel, body, created_at)
    select g.org_id, g.id, case when g.i % 4 = 0 then 'note' else 'reply' end, 'email',
           concat_ws(' ', a.body, case when g.i % 2 = 0 then b.body end, case when g.i % 3 = 0 then c.body end),
           g.created_at + (g.i || ' minutes')::interval
    from (
      select t.org_id, t.id, t.created_at, s.i, ${randomRow} as ra, ${randomRow} as rb, ${randomRow} as rc
      from tickets t cross join generate_series(1, 10) s(i) where t.org_id = ${org.id}
    ) g
    join corpus a on a.i = g.ra join corpus b on b.i = g.rb join corpus c on c.i = g.rc`);
  await db.execute(sql`
    insert into kb_articles (id, org_id, status, visibility, created_at, updated_at)
    select gen_random_uuid(), ${org.id}, 'published', 'public', now(), now() from generate_series(1, ${articleCount}) g(i)`);
  await db.execute(sql`
    insert into kb_article_translations (org_id, article_id, locale, title, slug, body, body_text, updated_at)
    select a.org_id, a.id, 'en', t.title, 'article-' || row_number() over (), '<p>' || t.body || '</p>', t.body, now()
    from (select a.*, ${randomRow} as r from kb_articles a where a.org_id = ${org.id}) a
    join corpus c on c.i = a.r,
    lateral (
      select c.title,
             (select string_agg(x.body, ' ') from (
               select ${randomRow} as r from generate_series(1, 10) g(i) where a.id is not null) pick
              join corpus x on x.i = pick.r) as body
    ) t`);
  await db.execute(sql`analyze`);
  console.log(
    `seeded ${ticketCount} tickets, ${messageCount} messages, ${articleCount} articles in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
const [agent] = await db.select().from(users).where(eq(users.orgId, org.id));
const ctx: Ctx = {
  db,
  now: new Date(),
  actor: { kind: "user", orgId: org.id, role: "agent", userId: agent.id, name: agent.name },
};
const reader = readerFor(org.id, null);
const pick = (i: number) => WORDS[(i * 7) % WORDS.length];
await time("agent search (all kinds, 1 word)", (i) => searchEverything(ctx, { q: pick(i) }));
await time("agent search (2 words)", (i) => searchEverything(ctx, { q: `${pick(i)} ${pick(i + 3)}` }));
await time("type-ahead, help center (prefix)", (i) => searchHelp(db, reader, pick(i).slice(0, 4), 8));
await time("help-center article page", (i) =>
  helpArticle(db, reader, `article-${1 + ((i * 37) % articleCount)}`),
);
const ticketIds = rowsOf<{ id: string }>(
  await db.execute(
    sql`select id from tickets where org_id = ${org.id} order by random() limit ${queryCount + 5}`,
  ),
).map((r) => r.id);
await time("add a message to a ticket", (i) =>
  db.execute(sql`
    insert into ticket_messages (org_id, ticket_id, kind, channel, body, created_at)
    values (${org.id}, ${ticketIds[i % ticketIds.length]}, 'reply', 'email', ${bodies[(i * 13) % bodies.length]}, now())`),
);
await database.close();
