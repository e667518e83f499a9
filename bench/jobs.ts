// npm run bench:jobs [-- --jobs 20000 --workers 2]
//
// Job queue throughput on a real Postgres (BENCH_DATABASE_URL, default
// postgres://root@127.0.0.1:5432/bench): enqueues N no-op jobs, then starts W worker processes
// (each an app server's job runner, 8 jobs at a time) and reports jobs per second, both over the
// whole run including process start-up and between the first and the last job finished.
// Figures only; nothing is asserted.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres, rowsOf } from "../db/client";
import { enqueue } from "../src/domain/jobs/queue";

const { values: args } = parseArgs({
  options: {
    jobs: { type: "string", default: "20000" },
    workers: { type: "string", default: "2" },
  },
});
const total = Number(args.jobs);
const workers = Number(args.workers);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/bench";

const name = new URL(databaseUrl).pathname.slice(1);
const admin = postgres(databaseUrl.replace(/\/[^/]*$/, "/postgres"), { max: 1, onnotice: () => {} });
const [exists] = await admin`select 1 as ok from pg_database where datname = ${name}`;
if (!exists) await admin.unsafe(`create database "${name}"`);
await admin.end();

const database = await openPostgres(databaseUrl);
await database.migrate();
const queue = `bench.noop.${Date.now()}`;
const enqueueStarted = performance.now();
for (let i = 0; i < total; i += 5_000) {
  const batch = Array.from({ length: Math.min(5_000, total - i) }, () => ({ queue, orgId: null }));
  await enqueue(database.db, new Date(), ...batch);
}
const enqueueMs = performance.now() - enqueueStarted;

const worker = join(import.meta.dir, "../test/job-worker.ts");
const started = performance.now();
const processes = Array.from({ length: workers }, () =>
  Bun.spawn([process.execPath, worker, queue, "noop", "60000"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdout: "inherit",
    stderr: "inherit",
  }),
);
await Promise.all(processes.map((p) => p.exited));
const wallMs = performance.now() - started;

const [stats] = rowsOf<{ done: number; span_ms: number }>(
  await database.db.execute(sql`
    select count(*)::int as done,
           extract(epoch from max(finished_at) - min(finished_at)) * 1000 as span_ms
    from jobs where queue = ${queue} and status = 'done'`),
);
await database.db.execute(sql`delete from jobs where queue = ${queue}`);
await database.close();

const perSecond = (ms: number) => Math.round(stats.done / (ms / 1000)).toLocaleString("en");
console.log(`enqueued ${total.toLocaleString("en")} jobs in ${Math.round(enqueueMs)} ms`);
console.log(
  `${workers} workers: ${stats.done.toLocaleString("en")} done in ${(wallMs / 1000).toFixed(2)} s with start-up` +
    ` (${perSecond(wallMs)} jobs/s); first to last finished ${(Number(stats.span_ms) / 1000).toFixed(2)} s` +
    ` (${perSecond(Number(stats.span_ms))} jobs/s)`,
);
