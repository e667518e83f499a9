// npm run bench:reports
//
// The supervisors' report (/desk/reports) over a large organization: times `deskReport` for the last
// 7, 30 and 90 days, 5 runs each after a warm-up, on a database seeded by another bench
// (BENCH_DATABASE_URL, default postgres://root@127.0.0.1:5432/bench, the 100,000 tickets of
// `npm run bench:desk`); the period ends at the organization's newest ticket. Figures only.
import { sql } from "drizzle-orm";
import { openPostgres, rowsOf } from "../db/client";
import type { Ctx } from "../src/domain/context";
import { deskReport, REPORT_PERIODS } from "../src/domain/reports/overview";

const url = process.env.BENCH_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/bench";
const database = await openPostgres(url);
await database.migrate();
const [org] = rowsOf<{ id: string; newest: string; tickets: string }>(
  await database.db.execute(sql`select org_id as id, max(created_at)::text as newest, count(*) as tickets
    from tickets group by org_id order by count(*) desc limit 1`),
);
if (!org) throw new Error(`no tickets in ${url}: seed it first (npm run bench:desk)`);
const ctx = {
  db: database.db,
  now: new Date(org.newest),
  actor: { kind: "user", orgId: org.id, role: "supervisor", name: "bench" },
} as Ctx;
console.log(`organization with ${org.tickets} tickets, periods ending ${org.newest}`);
for (const days of REPORT_PERIODS) {
  await deskReport(ctx, days);
  const samples: number[] = [];
  let created = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    created = (await deskReport(ctx, days)).tickets.created;
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `last ${String(days).padStart(2)} days  ${String(created).padStart(6)} tickets  median ${samples[2].toFixed(0)} ms  max ${samples[4].toFixed(0)} ms`,
  );
}
await database.close();
