// npm run bench:assign [-- --agents 200 --tickets 20000 --decisions 400]
//
// Automatic assignment on a real Postgres (BENCH_DATABASE_URL, default
// postgres://root@127.0.0.1:5432/bench): one team of `agents` agents holding `tickets` open
// tickets between them, a few of the agents away; then `decisions` new tickets are assigned one
// at a time by each strategy (the team's row locked, the candidates and their loads read, the
// choice made and written, the reason recorded). Prints p50/p95 of the decision alone (candidates
// query and choice) and of the whole assignment. Figures only; nothing is asserted.
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres } from "../db/client";
import {
  agentStatus,
  contacts,
  organizations,
  teamAssignment,
  teamMembers,
  teams,
  users,
} from "../db/schema";
import { assignByTeamStrategy, teamCandidates } from "../src/domain/assignment/assign";
import { chooseAgent } from "../src/domain/assignment/strategy";
import type { Ctx } from "../src/domain/context";

const { values: args } = parseArgs({
  options: {
    agents: { type: "string", default: "200" },
    tickets: { type: "string", default: "20000" },
    decisions: { type: "string", default: "400" },
  },
});
const agentCount = Number(args.agents);
const ticketCount = Number(args.tickets);
const decisions = Number(args.decisions);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/bench";
const name = new URL(databaseUrl).pathname.slice(1);
const admin = postgres(databaseUrl.replace(/\/[^/]*$/, "/postgres"), { max: 1, onnotice: () => {} });
const [exists] = await admin`select 1 as ok from pg_database where datname = ${name}`;
if (!exists) await admin.unsafe(`create database "${name}"`);
await admin.end();
const database = await openPostgres(databaseUrl, { max: 4 });
await database.migrate();
const db = database.db;

const tag = `assign${Date.now().toString(36)}`;
const [org] = await db.insert(organizations).values({ name: "Assignment bench", slug: tag }).returning();
const [team] = await db.insert(teams).values({ orgId: org.id, name: "Support" }).returning();
const [contact] = await db
  .insert(contacts)
  .values({ orgId: org.id, name: "Customer", email: `c@${tag}.bench` })
  .returning();
const agents = await db
  .insert(users)
  .values(
    Array.from({ length: agentCount }, (_, i) => ({
      orgId: org.id,
      email: `agent${i}@${tag}.bench`,
      name: `Agent ${String(i).padStart(3, "0")}`,
      role: "agent" as const,
      passwordHash: "x",
    })),
  )
  .returning({ id: users.id });
await db.insert(teamMembers).values(agents.map((a) => ({ orgId: org.id, teamId: team.id, userId: a.id })));
await db
  .insert(agentStatus)
  .values(
    agents
      .filter((_, i) => i % 10 === 0)
      .map((a) => ({ orgId: org.id, userId: a.id, status: "away" as const, updatedAt: new Date() })),
  );
await db.execute(sql`
  insert into tickets (org_id, number, subject, channel, contact_id, team_id, assignee_id, status, priority, created_at, updated_at)
  select ${org.id}, g.i, 'Load ' || g.i, 'email', ${contact.id}, ${team.id},
         (array[${sql.join(
           agents.map((a) => sql`${a.id}::uuid`),
           sql`, `,
         )}])[1 + (g.i * 7919) % ${agentCount}],
         (array['new','open','pending','on_hold'])[1 + g.i % 4],
         (array['low','normal','high','urgent'])[1 + (g.i / 3) % 4], now(), now()
  from generate_series(1, ${ticketCount}) g(i)`);
await db.execute(sql`analyze`);
const ctx: Ctx = {
  db,
  now: new Date(),
  actor: { kind: "system", orgId: org.id, role: "admin", name: "Bench" },
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
let number = ticketCount;
for (const strategy of ["round_robin", "load_balanced", "skills", "weighted"] as const) {
  await db
    .insert(teamAssignment)
    .values({ orgId: org.id, teamId: team.id, strategy, maxOpenPerAgent: 200, updatedAt: new Date() })
    .onConflictDoUpdate({ target: [teamAssignment.orgId, teamAssignment.teamId], set: { strategy } });
  const whole: number[] = [];
  const decide: number[] = [];
  for (let i = 0; i < decisions + 10; i++) {
    const t0 = performance.now();
    chooseAgent(strategy, await teamCandidates(db, org.id, team.id), { cap: 200, lastAssignedId: null });
    if (i >= 10) decide.push(performance.now() - t0);
    number++;
    const [ticket] = (await db.execute(sql`
      insert into tickets (org_id, number, subject, channel, contact_id, team_id, created_at, updated_at)
      values (${org.id}, ${number}, 'New', 'email', ${contact.id}, ${team.id}, now(), now()) returning id`)) as unknown as {
      id: string;
    }[];
    const started = performance.now();
    await db.transaction((tx) => assignByTeamStrategy(tx, ctx, ticket.id));
    if (i >= 10) whole.push(performance.now() - started);
  }
  whole.sort((a, b) => a - b);
  decide.sort((a, b) => a - b);
  console.log(
    `${strategy.padEnd(14)} ${agentCount} agents, ${ticketCount} open tickets: decision p50 ${percentile(decide, 0.5).toFixed(2)} ms  p95 ${percentile(decide, 0.95).toFixed(2)} ms; whole assignment (lock, write, events) p50 ${percentile(whole, 0.5).toFixed(2)} ms  p95 ${percentile(whole, 0.95).toFixed(2)} ms`,
  );
}
await database.close();
