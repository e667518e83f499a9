// npm run bench:dispatch
//
// Seeds the demo organization (150 technicians across Malaysia, 1,000+ work orders) into an
// in-memory PGlite (or DATABASE_URL), runs ANALYZE, signs in as the demo dispatcher and times the
// dispatch board's server time through app.handle: the first page of all technicians for today,
// a zone-filtered board, and the last page. Prints the median and 95th percentile of 50 requests
// each. Then "Optimize this day" with all technicians: the demo day (today, planned from 06:00) and
// a busy Monday with 300 more work orders waiting; for each, the time to start a run (reading the
// day into a problem and storing it) and the run itself (travel matrix, search in the worker with
// the default 15 s limit, storing the proposal), with the figures before and after.
// Figures only; nothing is asserted.
import { sql } from "drizzle-orm";
import { rowsOf } from "../db/client";
import { optimizerRuns, serviceLocations, skills } from "../db/schema";
import { seedDemo } from "../db/seed/demo";
import type { Ctx } from "../src/domain/context";
import { getOptimizerRun, runOptimizerJob, startOptimizerRun } from "../src/domain/dispatch/optimizerRuns";
import { localToInstant } from "../src/domain/fsm/field";
import { createWorkOrder } from "../src/domain/fsm/workOrders";
import { TravelMatrixCache } from "../src/domain/routing";
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

const [me] = rowsOf<{ id: string; org_id: string; name: string }>(
  await database.db.execute(sql`select id, org_id, name from users where email = 'dispatcher@demo.test'`),
);
const timeZone = "Asia/Kuala_Lumpur";
const dispatcherAt = (now: Date): Ctx => ({
  db: database.db,
  now,
  actor: { kind: "user", orgId: me.org_id, role: "dispatcher", userId: me.id, name: me.name },
});
const travel = new TravelMatrixCache({});
const minutes = (s: number) => `${Math.round(s / 60)} min`;

async function optimizeDay(label: string, day: string) {
  const ctx = dispatcherAt(localToInstant(`${day}T06:00`, timeZone)!);
  const began = performance.now();
  const { id } = await startOptimizerRun(ctx, { day, userIds: [], timeLimit: "15", flex: "120" });
  const started = performance.now() - began;
  await runOptimizerJob(
    { orgId: me.org_id, payload: { runId: id } },
    { db: database.db, now: ctx.now, signal: new AbortController().signal },
    { travel, lastAttempt: true },
  );
  const total = performance.now() - began;
  const run = await getOptimizerRun(ctx, id);
  const { before, after, proposal, problem } = run;
  console.log(
    `${label} ${day}: ${problem.technicians.length} technicians working, ${problem.jobs.length} jobs (${problem.jobs.filter((j) => j.kind === "locked").length} locked)`,
  );
  console.log(
    `  start ${started.toFixed(0)} ms · run to proposal ${(total - started).toFixed(0)} ms (search ${proposal!.elapsedMs} ms, ${proposal!.iterations} iterations) · status ${run.status}`,
  );
  console.log(
    `  assigned ${before!.assigned} → ${after!.assigned} · left out ${before!.leftOut} → ${after!.leftOut} · travel ${minutes(before!.travel)} → ${minutes(after!.travel)} · lateness ${minutes(before!.lateness)} → ${minutes(after!.lateness)}`,
  );
  const reasons = new Map<string, number>();
  for (const u of proposal!.leftOut) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + 1);
  if (reasons.size)
    console.log(`  left out because: ${[...reasons].map(([r, n]) => `${r} ${n}`).join(", ")}`);
  await database.db.delete(optimizerRuns).where(sql`${optimizerRuns.id} = ${id}`);
}

const [{ today }] = rowsOf<{ today: string }>(
  await database.db.execute(sql`select (now() at time zone ${timeZone})::date::text as today`),
);
await optimizeDay("demo day", today);

// A busy day: 300 more work orders waiting across the demo's service locations.
const locations = await database.db
  .select({ id: serviceLocations.id })
  .from(serviceLocations)
  .where(sql`${serviceLocations.orgId} = ${me.org_id} and ${serviceLocations.lat} is not null`);
const skillRows = await database.db
  .select({ id: skills.id })
  .from(skills)
  .where(sql`${skills.orgId} = ${me.org_id}`);
const creator = dispatcherAt(new Date());
for (let i = 0; i < 300; i++) {
  await createWorkOrder(creator, {
    subject: `Bench job ${i + 1}`,
    locationId: locations[(i * 7) % locations.length].id,
    priority: (["low", "normal", "normal", "high", "urgent"] as const)[i % 5],
    skillIds: i % 3 === 0 ? [skillRows[i % skillRows.length].id] : [],
  });
}
const monday = new Date(Date.parse(`${today}T00:00:00Z`));
do monday.setUTCDate(monday.getUTCDate() + 1);
while (monday.getUTCDay() !== 1);
await optimizeDay("busy Monday", monday.toISOString().slice(0, 10));
process.exit(0);
