// npm run bench:search [-- --messages 1000000 --articles 10000 --queries 200]
//
// Seeds one organization into a real Postgres (BENCH_DATABASE_URL, default
// postgres://root@127.0.0.1:5432/bench_search) with `messages` ticket messages (10 per ticket) and
// `articles` published articles of random words, once; then times the domain functions the pages
// call: the agent's search across everything, a type-ahead prefix search of the help center, and a
// help-center article page. Prints p50/p95/max per kind. Figures only; nothing is asserted.
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres } from "../db/client";
import { contacts, organizations, users } from "../db/schema";
import type { Ctx } from "../src/domain/context";
import { helpArticle, readerFor } from "../src/domain/kb/help";
import { searchEverything, searchHelp } from "../src/domain/search/search";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "1000000" },
    articles: { type: "string", default: "10000" },
    queries: { type: "string", default: "200" },
  },
});
const messageCount = Number(args.messages);
const articleCount = Number(args.articles);
const queryCount = Number(args.queries);
const url = process.env.BENCH_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/bench_search";

const WORDS =
  "air conditioner compressor leak water drip filter remote cooling warm noise rattle fan coil gas refill invoice payment warranty contract router password login portal technician visit schedule reset power outage fuse breaker thermostat sensor error code display blinking red green unit indoor outdoor drain pipe service".split(
    " ",
  );

async function ensureDatabase() {
  const name = new URL(url).pathname.slice(1);
  const admin = postgres(url.replace(/\/[^/]*$/, "/postgres"), { max: 1, onnotice: () => {} });
  const [row] = await admin`select 1 as ok from pg_database where datname = ${name}`;
  if (!row) await admin.unsafe(`create database "${name}"`);
  await admin.end();
}

const words = (n: string) =>
  sql.raw(
    `(select string_agg(w[1 + floor(random() * ${WORDS.length})::int], ' ') from generate_series(1, ${n}) g2, (select array[${WORDS.map((w) => `'${w}'`).join(",")}] as w) a where g2 > 0 * g.i)`,
  );

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
  await db.execute(sql`
    insert into tickets (org_id, number, subject, channel, contact_id, created_at, updated_at)
    select ${org.id}, g.i, ${words("6")}, 'email', ${contact.id}, now() - (g.i || ' minutes')::interval, now()
    from generate_series(1, ${ticketCount}) g(i)`);
  await db.execute(sql`
    insert into ticket_messages (org_id, ticket_id, kind, channel, body, created_at)
    select t.org_id, t.id, case when g.i % 4 = 0 then 'note' else 'reply' end, 'email', ${words("40")}, now()
    from tickets t, generate_series(1, 10) g(i) where t.org_id = ${org.id}`);
  await db.execute(sql`
    insert into kb_articles (id, org_id, status, visibility, created_at, updated_at)
    select gen_random_uuid(), ${org.id}, 'published', 'public', now(), now() from generate_series(1, ${articleCount}) g(i)`);
  await db.execute(sql`
    insert into kb_article_translations (org_id, article_id, locale, title, slug, body, body_text, updated_at)
    select a.org_id, a.id, 'en', t.title, 'article-' || row_number() over (), '<p>' || t.body || '</p>', t.body, now()
    from kb_articles a, lateral (select ${words("6")} as title, ${words("300")} as body from (select 1 as i) g where a.id is not null) t
    where a.org_id = ${org.id}`);
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
await database.close();
