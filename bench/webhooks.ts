// npm run bench:webhooks [-- --events 2000 --subscriptions 5 --workers 2 --concurrency 64]
//
// Webhook fan-out on a real Postgres (BENCH_DATABASE_URL, default
// postgres://root@127.0.0.1:5432/bench): an organization with S subscriptions to every event
// ("*") on a local receiver; E events appended (each queues S deliveries in its own statement),
// then W worker processes (app servers' job runners, C deliveries at a time each) sign and POST
// them. Reports the cost of the fan-out per appended event and deliveries per second. Figures
// only; nothing is asserted.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres, rowsOf } from "../db/client";
import { organizations, webhookSettings, webhookSubscriptions } from "../db/schema";
import { type Ctx, systemActor } from "../src/domain/context";
import { appendEvent } from "../src/domain/events/log";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "2000" },
    subscriptions: { type: "string", default: "5" },
    workers: { type: "string", default: "2" },
    concurrency: { type: "string", default: "64" },
  },
});
const eventCount = Number(args.events);
const subscriptionCount = Number(args.subscriptions);
const workers = Number(args.workers);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/bench";

const name = new URL(databaseUrl).pathname.slice(1);
const admin = postgres(databaseUrl.replace(/\/[^/]*$/, "/postgres"), { max: 1, onnotice: () => {} });
const [exists] = await admin`select 1 as ok from pg_database where datname = ${name}`;
if (!exists) await admin.unsafe(`create database "${name}"`);
await admin.end();

const database = await openPostgres(databaseUrl);
await database.migrate();
const { db } = database;

// The receiver: answers 200 at once and notes when deliveries arrive.
let received = 0;
let firstAt = 0;
let lastAt = 0;
const receiver = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    await request.arrayBuffer();
    lastAt = performance.now();
    if (received++ === 0) firstAt = lastAt;
    return new Response("ok");
  },
});

const slug = `bench-webhooks-${Date.now()}`;
const [org] = await db.insert(organizations).values({ name: "Webhook bench", slug }).returning();
const ctx: Ctx = { db, actor: systemActor(org.id), now: new Date() };

/** Appends n events, 50 to a transaction, and returns the mean time per event in µs. */
async function appendEvents(n: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i += 50) {
    await db.transaction(async (tx) => {
      for (let j = i; j < Math.min(n, i + 50); j++)
        await appendEvent(tx, { ...ctx, now: new Date() }, { type: "ticket.created", data: { n: j } });
    });
  }
  return ((performance.now() - started) / n) * 1000;
}

// The fan-out's cost: appending with no subscriptions, then with S matching ones.
await db.execute(sql`analyze`);
const withoutUs = await appendEvents(1000);
await db.insert(webhookSettings).values({ orgId: org.id, allowPrivateTargets: true, updatedAt: new Date() });
await db.insert(webhookSubscriptions).values(
  Array.from({ length: subscriptionCount }, (_, i) => ({
    orgId: org.id,
    name: `Receiver ${i + 1}`,
    url: `http://127.0.0.1:${receiver.port}/hook/${i + 1}`,
    eventTypes: ["*"],
    secret: `whsec_bench_${i}`,
    createdAt: new Date(),
    updatedAt: new Date(),
  })),
);
const appendStarted = performance.now();
const withUs = await appendEvents(eventCount);
const appendMs = performance.now() - appendStarted;
const [{ queued }] = rowsOf<{ queued: number }>(
  await db.execute(
    sql`select count(*)::int as queued from jobs where org_id = ${org.id} and queue = 'webhook.deliver'`,
  ),
);

const worker = join(import.meta.dir, "webhook-worker.ts");
const started = performance.now();
const processes = Array.from({ length: workers }, () =>
  Bun.spawn([process.execPath, worker, org.id, args.concurrency as string], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdout: "inherit",
    stderr: "inherit",
  }),
);
await Promise.all(processes.map((p) => p.exited));
const wallMs = performance.now() - started;

const [stats] = rowsOf<{ succeeded: number; failed: number; p50: number; p99: number }>(
  await db.execute(sql`
    select count(*) filter (where status = 'succeeded')::int as succeeded,
           count(*) filter (where status <> 'succeeded')::int as failed,
           percentile_cont(0.5) within group (order by response_time_ms) as p50,
           percentile_cont(0.99) within group (order by response_time_ms) as p99
    from webhook_deliveries where org_id = ${org.id}`),
);
await db.delete(organizations).where(eq(organizations.id, org.id));
await database.close();
receiver.stop(true);

const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString("en");
console.log(
  `append: ${Math.round(withoutUs)} µs per event with no subscriptions, ${Math.round(withUs)} µs with ${subscriptionCount} matching` +
    ` (${eventCount.toLocaleString("en")} events → ${queued.toLocaleString("en")} deliveries queued in ${Math.round(appendMs)} ms)`,
);
console.log(
  `${workers} workers × ${args.concurrency}: ${stats.succeeded.toLocaleString("en")} delivered, ${stats.failed} failed,` +
    ` ${received.toLocaleString("en")} received; ${(wallMs / 1000).toFixed(2)} s with start-up (${perSecond(stats.succeeded, wallMs)} deliveries/s);` +
    ` first to last received ${((lastAt - firstAt) / 1000).toFixed(2)} s (${perSecond(received, lastAt - firstAt)} deliveries/s);` +
    ` response time p50 ${stats.p50} ms, p99 ${stats.p99} ms`,
);
