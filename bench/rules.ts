// npx bun bench/rules.ts [-- --rules 50 --updates 400]
//
// What automation adds to a ticket update on a real Postgres (BENCH_DATABASE_URL, default
// postgres://root@127.0.0.1:5432/bench): two organizations, one with `rules` active rules on
// "ticket changed" (none of which match, the common case, plus one that does), one with none;
// the same priority flips on both, one at a time. Prints p50/p95 of an update with and without
// rules and the difference. Figures only; nothing is asserted.
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres } from "../db/client";
import { organizations, users } from "../db/schema";
import { saveRule } from "../src/domain/automation/rules";
import type { Ctx } from "../src/domain/context";
import { createTicket, updateTicket } from "../src/domain/tickets/commands";

const { values: args } = parseArgs({
  options: { rules: { type: "string", default: "50" }, updates: { type: "string", default: "400" } },
});
const ruleCount = Number(args.rules);
const updates = Number(args.updates);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/bench";
const name = new URL(databaseUrl).pathname.slice(1);
const admin = postgres(databaseUrl.replace(/\/[^/]*$/, "/postgres"), { max: 1, onnotice: () => {} });
const [exists] = await admin`select 1 as ok from pg_database where datname = ${name}`;
if (!exists) await admin.unsafe(`create database "${name}"`);
await admin.end();
const database = await openPostgres(databaseUrl, { max: 4 });
await database.migrate();
const db = database.db;

async function organization(label: string) {
  const tag = `${label}${Date.now().toString(36)}`;
  const [org] = await db.insert(organizations).values({ name: label, slug: tag }).returning();
  const [agent] = await db
    .insert(users)
    .values({ orgId: org.id, email: `agent@${tag}.bench`, name: "Agent", role: "agent", passwordHash: "x" })
    .returning();
  const ctx = (role: "agent" | "admin"): Ctx => ({
    db,
    now: new Date(),
    actor: { kind: "user", orgId: org.id, role, userId: agent.id, name: "Agent" },
  });
  return { org, ctx };
}

const plain = await organization("rules-none");
const ruled = await organization("rules-many");
for (let i = 0; i < ruleCount - 1; i++) {
  await saveRule(ruled.ctx("admin"), null, {
    name: `Rule ${i}`,
    trigger: "ticket.updated",
    match: "all",
    conditions: [
      { field: "subject", op: "contains", value: `keyword-${i}` },
      { field: "priority", op: "changed_to", value: "urgent" },
    ],
    actions: [{ type: "add_tags", value: `tag-${i}` }],
  });
}
await saveRule(ruled.ctx("admin"), null, {
  name: "Matching",
  trigger: "ticket.updated",
  conditions: [{ field: "priority", op: "changed_to", value: "high" }],
  actions: [{ type: "add_tags", value: "escalated" }],
});

async function timeUpdates(ctx: (role: "agent" | "admin") => Ctx): Promise<number[]> {
  const ticket = await createTicket(ctx("agent"), {
    subject: "Bench",
    body: "x",
    requesterEmail: "c@bench.test",
  });
  const took: number[] = [];
  for (let i = 0; i < updates; i++) {
    const started = performance.now();
    await updateTicket(ctx("agent"), ticket.number, { priority: i % 2 ? "normal" : "high" });
    took.push(performance.now() - started);
  }
  return took.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
await timeUpdates(plain.ctx); // warm-up
const without = await timeUpdates(plain.ctx);
const withRules = await timeUpdates(ruled.ctx);
const f = (n: number) => n.toFixed(2);
console.log(
  `${updates} priority changes per organization, ${ruleCount} active rules ("ticket changed", one matching every other change)`,
);
console.log(`no rules:   p50 ${f(pct(without, 50))} ms, p95 ${f(pct(without, 95))} ms`);
console.log(`${ruleCount} rules: p50 ${f(pct(withRules, 50))} ms, p95 ${f(pct(withRules, 95))} ms`);
console.log(
  `added by rules: p50 ${f(pct(withRules, 50) - pct(without, 50))} ms, p95 ${f(pct(withRules, 95) - pct(without, 95))} ms`,
);
await db.delete(organizations).where(eq(organizations.id, plain.org.id));
await db.delete(organizations).where(eq(organizations.id, ruled.org.id));
await database.close();
