// npm run bench:dispatch
//
// Seeds the demo organization (150 technicians across Malaysia, 1,000+ work orders) into an
// in-memory PGlite (or DATABASE_URL), runs ANALYZE, signs in as the demo dispatcher and times the
// dispatch board's server time through app.handle: the first page of all technicians for today,
// a zone-filtered board, and the last page. Prints the median and 95th percentile of 50 requests
// each. Figures only; nothing is asserted.
import { sql } from "drizzle-orm";
import { rowsOf } from "../db/client";
import { seedDemo } from "../db/seed/demo";
import { Client, testDatabase } from "../test/helpers";

const database = await testDatabase();
await seedDemo(database.db, { password: "demo12345", scale: 1 });
await database.db.execute(sql`analyze`);
const [zone] = rowsOf<{ id: string }>(
  await database.db.execute(sql`select z.id from zones z join organizations o on o.id = z.org_id
    where o.slug = 'demo' order by z.name limit 1`),
);
const [counts] = rowsOf<{ technicians: number; today: number }>(
  await database.db.execute(sql`select (select count(*) from technicians)::int as technicians,
    (select count(*) from appointments where starts_at >= now() - interval '12 hours'
      and starts_at < now() + interval '12 hours')::int as today`),
);
const [busiest] = rowsOf<{ day: string; visits: number }>(
  await database.db.execute(sql`select (starts_at at time zone 'Asia/Kuala_Lumpur')::date::text as day,
    count(*)::int as visits from appointments group by 1 order by 2 desc limit 1`),
);
const client = await new Client().signIn("dispatcher@demo.test", "demo12345");

async function time(label: string, path: string) {
  for (let i = 0; i < 5; i++) await (await client.get(path)).text();
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    const response = await client.get(path);
    const body = await response.text();
    samples.push(performance.now() - started);
    bytes = body.length;
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  }
  samples.sort((a, b) => a - b);
  const p = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(1);
  console.log(`${label.padEnd(34)} median ${p(0.5)} ms  p95 ${p(0.95)} ms  ${(bytes / 1024).toFixed(0)} KiB`);
}

console.log(`${counts.technicians} technicians, ${counts.today} visits within 12 hours of now`);
await time("board, all technicians, page 1", "/fsm/dispatch");
await time("board, one zone", `/fsm/dispatch?zone=${zone.id}`);
await time("board, page 6 of 6", "/fsm/dispatch?page=6");
console.log(`busiest day ${busiest.day}: ${busiest.visits} visits`);
await time("board, busiest day, page 1", `/fsm/dispatch?day=${busiest.day}`);
process.exit(0);
