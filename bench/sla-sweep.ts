// SLA against the database: 100,000 open tickets in one organization, recomputed after a policy
// change (the sla.recompute job), then swept (the per-minute sla.sweep job) at three moments: when
// nothing is due (the usual minute), when every ticket has just used half its target (one
// escalation each), and again at once (nothing left to do). Both jobs walk the tickets in batches of
// 1,000, `--concurrency` of them at once (the jobs' default: 2).
// Each step prints its time and, beside it, the CPU time it took in this process and (when the
// server runs on this machine) in Postgres.
// `--notes N` adds N internal notes to each ticket's log (they move no clock): longer logs, as real
// tickets have, for what reads the logs.
// Usage: DATABASE_URL=postgres://… npx bun bench/sla-sweep.ts [--tickets 100000] [--concurrency 2] [--notes 0]
// The database's public schema is dropped and re-created.
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { openPglite, openPostgres, rowsOf } from "../db/client";
import { contacts, organizations } from "../db/schema";
import { saveCalendar, savePolicy } from "../src/domain/sla/admin";
import { sweepSla } from "../src/domain/sla/sweep";
import { refreshOrgSla } from "../src/domain/sla/tickets";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const TICKETS = option("tickets", 100_000);
const CONCURRENCY = option("concurrency", 2);
const NOTES = option("notes", 0);
const url = process.env.DATABASE_URL;
if (url) {
  const postgres = (await import("postgres")).default;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(
    "drop schema if exists public cascade; drop schema if exists drizzle cascade; create schema public;",
  );
  await admin.end();
}
const database = url ? await openPostgres(url) : await openPglite();
await database.migrate();
const { db } = database;

// Monday 2 November 2026, 09:00 in Kuala Lumpur: every ticket is created then.
const created = new Date("2026-11-02T01:00:00Z");
const [org] = await db
  .insert(organizations)
  .values({ name: "Bench", slug: `bench-${Date.now()}`, timeZone: "Asia/Kuala_Lumpur" })
  .returning();
const [contact] = await db
  .insert(contacts)
  .values({ orgId: org.id, name: "C", email: "c@bench.test" })
  .returning();
const admin = {
  db,
  now: created,
  actor: { kind: "system" as const, orgId: org.id, role: "admin" as const, name: "Bench" },
};
const calendar = await saveCalendar(admin, null, {
  name: "KL",
  timeZone: "Asia/Kuala_Lumpur",
  hours: { 1: "09:00-18:00", 2: "09:00-18:00", 3: "09:00-18:00", 4: "09:00-18:00", 5: "09:00-18:00" },
  holidays: "2026-11-08 Deepavali",
  isDefault: true,
});
await savePolicy(admin, null, {
  name: "Standard",
  calendarId: calendar.id,
  targets: { normal_first_response: "8h", normal_resolution: "40h" },
});

let started = performance.now();
await db.execute(sql`
  insert into tickets (id, org_id, number, subject, status, priority, type, channel, contact_id, created_at, updated_at)
  select gen_random_uuid(), ${org.id}, n, 'Bench ' || n, 'open', 'normal', 'question', 'email', ${contact.id},
         ${created.toISOString()}::timestamptz, ${created.toISOString()}::timestamptz
  from generate_series(1, ${TICKETS}) n`);
await db.execute(sql`
  insert into events (org_id, type, ticket_id, actor_kind, data, created_at)
  select org_id, 'ticket.created', id, 'customer',
         jsonb_build_object('number', number, 'status', 'new', 'priority', 'normal', 'channel', 'email'), created_at
  from tickets where org_id = ${org.id}
  union all
  select org_id, 'ticket.status_changed', id, 'user', '{"from":"new","to":"open"}'::jsonb, created_at + interval '5 minutes'
  from tickets where org_id = ${org.id}`);
if (NOTES > 0)
  await db.execute(sql`
    insert into events (org_id, type, ticket_id, actor_kind, data, created_at)
    select t.org_id, 'message.note_added', t.id, 'user', jsonb_build_object('body', 'Checked the logs, note ' || n),
           t.created_at + interval '10 minutes' + n * interval '1 minute'
    from tickets t, generate_series(1, ${NOTES}) n
    where t.org_id = ${org.id}
    order by t.id, n`);
await db.execute(sql`analyze`);
console.log(
  `${TICKETS.toLocaleString("en")} open tickets with their events (${NOTES} notes each) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

/**
 * CPU time of the database server's processes serving this database, by process id, when the
 * server runs on this machine (read from /proc; empty otherwise). With the cores shared with other
 * work, CPU time says what a step costs better than the time it takes.
 */
async function serverCpu(): Promise<Map<number, number>> {
  const ticks = new Map<number, number>();
  if (!url) return ticks;
  const backends = rowsOf<{ pid: number }>(
    await db.execute(
      sql`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`,
    ),
  );
  for (const { pid } of backends) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks.set(pid, Number(fields[11]) + Number(fields[12])); // utime + stime
    } catch {
      return new Map();
    }
  }
  return ticks;
}

const CLOCK_TICKS_PER_SECOND = 100;

const time = async (label: string, work: () => Promise<unknown>) => {
  const [before, own] = [await serverCpu(), process.cpuUsage()];
  const t = performance.now();
  const result = await work();
  const seconds = (performance.now() - t) / 1000;
  const ownCpu = process.cpuUsage(own);
  const after = await serverCpu();
  let serverTicks = 0;
  for (const [pid, ticks] of after) serverTicks += ticks - (before.get(pid) ?? 0);
  const cpu = `CPU ${((ownCpu.user + ownCpu.system) / 1e6).toFixed(1)} s in this process${
    after.size ? `, ${(serverTicks / CLOCK_TICKS_PER_SECOND).toFixed(1)} s in Postgres` : ""
  }`;
  console.log(`${label}: ${seconds.toFixed(2)} s (${cpu})`, result);
};

await time("recompute every open ticket (sla.recompute job)", () =>
  refreshOrgSla(db, org.id, new Date("2026-11-02T01:10:00Z"), { concurrency: CONCURRENCY }),
);
// Monday 10:00: 1 of 8 business hours used, nothing due.
const sweep = (at: string) => sweepSla(db, new Date(at), { concurrency: CONCURRENCY });
await time("sweep, nothing due", () => sweep("2026-11-02T02:00:00Z"));
// Monday 13:00: half of the first-response target used by every ticket.
await time("sweep, every ticket at 50 % of its first response", () => sweep("2026-11-02T05:00:00Z"));
await time("sweep again at the same moment", () => sweep("2026-11-02T05:00:00Z"));
started = performance.now();
await database.close();
