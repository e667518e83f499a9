// npm run bench:desk [-- --scale 100 --duration 10 --connections 32 --rates 50,200 --only api]
//
// Seeds `scale` × 1,000 tickets into a real Postgres (BENCH_DATABASE_URL, default
// postgres://root@127.0.0.1:5432/bench), starts the server against it, and drives it with
// autocannon (run under Node, a separate process) at 32 connections: a hello-world route of the
// same server, the agent's ticket list with its view counts, a ticket page, and API ticket
// creation — at 32 connections as fast as it goes, and at steady arrival rates (`--rates`, requests/s)
// that a busy help desk might see, driven open-loop by bench/open-loop.mjs (each request due at its
// time whether or not earlier ones have answered, latency counted from then, p95 included), measured
// after a warm-up whose queued jobs (each new ticket's triage) are worked off first. `--only api` measures hello-world and the API rows
// alone and skips the embedded-database start-up. Prints requests/s and latency percentiles, the
// throughput ratio to hello-world, page weights, and the embedded database's start-to-ready time.
// Figures only; nothing is asserted.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { and, count, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres } from "../db/client";
import { organizations, tickets, users } from "../db/schema";
import { isEmpty, seedDemo } from "../db/seed/demo";
import { createApiToken } from "../src/domain/auth/tokens";

const ROOT = join(import.meta.dir, "..");
const { values: args } = parseArgs({
  options: {
    scale: { type: "string", default: "100" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    port: { type: "string", default: "3917" },
    rates: { type: "string", default: "50,200" },
    only: { type: "string" },
  },
});
const scale = Number(args.scale);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/bench";
const base = `http://127.0.0.1:${args.port}`;

async function ensureDatabase(url: string) {
  const name = new URL(url).pathname.slice(1);
  const admin = postgres(url.replace(/\/[^/]*$/, "/postgres"), { max: 1, onnotice: () => {} });
  const [row] = await admin`select 1 as ok from pg_database where datname = ${name}`;
  if (!row) await admin.unsafe(`create database "${name}"`);
  await admin.end();
}

async function prepareData() {
  await ensureDatabase(databaseUrl);
  const database = await openPostgres(databaseUrl);
  await database.migrate();
  const db = database.db;
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, "demo"));
  const [{ n }] = org
    ? await db.select({ n: count() }).from(tickets).where(eq(tickets.orgId, org.id))
    : [{ n: 0 }];
  if (n < scale * 1000) {
    if (!(await isEmpty(db))) await db.execute(sql`truncate ${organizations} cascade`);
    const started = performance.now();
    await seedDemo(db, { password: "demo12345", scale });
    console.log(`seeded ${scale * 1000} tickets in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // The seed updates most rows after writing them; a database in use is vacuumed (by autovacuum,
    // which some servers, this one included, run without).
    await db.execute(sql`vacuum (analyze)`);
  }
  const [demo] = await db.select().from(organizations).where(eq(organizations.slug, "demo"));
  const [admin] = await db
    .select()
    .from(users)
    .where(and(eq(users.orgId, demo.id), eq(users.email, "admin@demo.test")));
  const token = await createApiToken(
    {
      db,
      now: new Date(),
      actor: { kind: "user", orgId: demo.id, role: "admin", userId: admin.id, name: "bench" },
    },
    { name: `bench ${new Date().toISOString()}`, role: "agent" },
  );
  const [open] = await db
    .select({ number: tickets.number })
    .from(tickets)
    .where(and(eq(tickets.orgId, demo.id), eq(tickets.status, "open")))
    .limit(1);
  const [{ total }] = await db.select({ total: count() }).from(tickets).where(eq(tickets.orgId, demo.id));
  await database.close();
  return { token: token.secret, ticketNumber: open.number, total };
}

function startServer(env: Record<string, string>) {
  const child = spawn(join(ROOT, "node_modules/.bin/bun"), ["src/server.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return child;
}

async function waitReady(url: string, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    try {
      if ((await fetch(`${url}/ready`)).ok) return performance.now() - started;
    } catch {}
    await Bun.sleep(25);
  }
  throw new Error(`server at ${url} not ready after ${timeoutMs} ms`);
}

/** Signs in like a browser: fetch the form for the CSRF cookie, post it, keep the session cookie. */
async function signIn(email: string): Promise<string> {
  const form = await fetch(`${base}/login`);
  const csrf = /csrf=([^;]+)/.exec(form.headers.getSetCookie().join(";"))![1];
  const response = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: `csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf, email, password: "demo12345" }),
  });
  const sid = /sid=([^;]+)/.exec(response.headers.getSetCookie().join(";"));
  if (!sid) throw new Error(`sign-in of ${email} failed: ${response.status}`);
  return `csrf=${csrf}; sid=${sid[1]}`;
}

interface LoadResult {
  name: string;
  rps: number;
  p50: number;
  p90: number;
  /** Only the open-loop runs measure it; autocannon stops at p90 and p97.5. */
  p95?: number;
  p97_5: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Requests at a steady rate, open-loop (bench/open-loop.mjs under Node). */
function steady(
  name: string,
  path: string,
  options: {
    headers: Record<string, string>;
    method: string;
    body: string;
    rate: number;
    durationSeconds?: number;
  },
): LoadResult {
  const argv = [join(ROOT, "bench/open-loop.mjs"), "--url", `${base}${path}`, "--rate", String(options.rate)];
  argv.push("--duration", String(options.durationSeconds ?? args.duration), "--method", options.method);
  for (const [key, value] of Object.entries(options.headers)) argv.push("--header", `${key}=${value}`);
  argv.push("--body", options.body);
  const run = spawnSync("node", argv, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`open-loop load failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout);
  const seconds = Number(options.durationSeconds ?? args.duration);
  return { name, rps: result.ok / seconds, errors: result.errors, non2xx: result.non2xx, ...result.latency };
}

/** 32 connections (`--connections`), each sending its next request when the last one answers. */
function load(
  name: string,
  path: string,
  options: {
    headers?: Record<string, string>;
    method?: string;
    body?: string;
    durationSeconds?: number;
  } = {},
): LoadResult {
  const argv = [
    join(ROOT, "node_modules/autocannon/autocannon.js"),
    "-c",
    args.connections!,
    "-d",
    String(options.durationSeconds ?? args.duration),
    "-j",
    "-m",
    options.method ?? "GET",
  ];
  for (const [key, value] of Object.entries(options.headers ?? {})) argv.push("-H", `${key}=${value}`);
  if (options.body) argv.push("-b", options.body);
  argv.push(`${base}${path}`);
  const run = spawnSync("node", argv, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`autocannon failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout);
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

async function gzippedSize(path: string, cookie = ""): Promise<number> {
  const response = await fetch(`${base}${path}`, {
    headers: { cookie, "accept-encoding": "gzip" },
    decompress: false,
  } as RequestInit);
  return (await response.arrayBuffer()).byteLength;
}

async function pageWeight(path: string, cookie: string): Promise<{ total: number; parts: string }> {
  const response = await fetch(`${base}${path}`, { headers: { cookie } });
  const html = await response.text();
  const assets = [...html.matchAll(/(?:src|href)="(\/public\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const sizes = await Promise.all([gzippedSize(path, cookie), ...assets.map((a) => gzippedSize(a))]);
  const parts = [`html ${sizes[0]}`, ...assets.map((a, i) => `${a.split("/").pop()} ${sizes[i + 1]}`)].join(
    ", ",
  );
  return { total: sizes.reduce((a, b) => a + b, 0), parts };
}

async function embeddedStartup(): Promise<{ first: number; again: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), "bench-start-"));
  const port = String(Number(args.port) + 1);
  const env = { DATA_DIR: dataDir, PORT: port, DATABASE_URL: "", DEMO: "1" };
  const url = `http://127.0.0.1:${port}`;
  let child = startServer(env);
  const first = await waitReady(url, 300_000);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  child = startServer(env);
  const again = await waitReady(url);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  return { first, again };
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

/** Waits until the server has worked off the jobs due now (triage, mail), at most `timeoutMs`. */
async function drainJobs(timeoutMs = 120_000) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const until = Date.now() + timeoutMs;
  try {
    for (;;) {
      const [{ n }] =
        await sql`select count(*)::int as n from jobs where status in ('queued', 'running') and run_at <= now()`;
      if (n === 0 || Date.now() > until) return n;
      await Bun.sleep(500);
    }
  } finally {
    await sql.end();
  }
}

const apiOnly = args.only === "api";
const data = await prepareData();
const server = startServer({ DATABASE_URL: databaseUrl, PORT: args.port!, DEMO: "0" });
try {
  await waitReady(base);
  // A first start on freshly seeded data works off a backlog (the SLA sweep's reminders for the
  // seeded overdue tickets, thousands of mails); measured meanwhile, every route would share the CPU.
  await Bun.sleep(2000);
  const backlog = await drainJobs(600_000);
  if (backlog) console.log(`(${backlog} jobs still queued ten minutes after start)`);
  const agent = await signIn("agent@demo.test");
  const customer = await signIn("customer@demo.test");
  const ticket = `TKT-${String(data.ticketNumber).padStart(6, "0")}`;
  console.log(
    `\n${data.total.toLocaleString("en")} tickets on Postgres; ${args.connections} connections, ${args.duration} s per route\n`,
  );
  const create = {
    method: "POST",
    headers: { authorization: `Bearer ${data.token}`, "content-type": "application/json" },
    body: JSON.stringify({
      subject: "Bench ticket",
      body: "Created by the benchmark.",
      requester: { email: "bench@client.test" },
    }),
  };
  const results = [load("hello-world (/health)", "/health")];
  if (!apiOnly) {
    results.push(
      load("agent ticket list + view counts", "/desk/tickets?view=open", { headers: { cookie: agent } }),
      load("ticket page", `/desk/tickets/${ticket}`, { headers: { cookie: agent } }),
    );
  }
  // Each new ticket queues its triage job. A warm-up at a modest rate loads the organization's AI
  // models and warms the statements; the fixed rates are measured once those jobs are worked off,
  // and before the flat-out run, which leaves thousands queued for the server to work off.
  steady("warm-up", "/api/v1/tickets", { ...create, rate: 50, durationSeconds: 4 });
  const left = await drainJobs();
  if (left) console.log(`(${left} jobs still queued two minutes after the warm-up)`);
  for (const rate of args.rates!.split(",").filter(Boolean))
    results.push(
      steady(`API ticket create, steady ${rate} req/s`, "/api/v1/tickets", { ...create, rate: Number(rate) }),
    );
  results.push(load("API ticket create", "/api/v1/tickets", create));
  const hello = results[0].rps;
  console.log("| route | req/s | p50 | p90 | p95 | p97.5 | p99 | ratio to hello-world | errors/non-2xx |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of results) {
    console.log(
      `| ${r.name} | ${Math.round(r.rps).toLocaleString("en")} | ${ms(r.p50)} | ${ms(r.p90)} | ${r.p95 === undefined ? "–" : ms(r.p95)} | ${ms(r.p97_5)} | ${ms(r.p99)} | ${((100 * r.rps) / hello).toFixed(1)}% | ${r.errors}/${r.non2xx} |`,
    );
  }
  if (!apiOnly) {
    const deskWeight = await pageWeight("/desk/tickets?view=open", agent);
    const portalWeight = await pageWeight("/portal/tickets", customer);
    console.log(
      `\nagent list first load, gzipped: ${(deskWeight.total / 1024).toFixed(1)} KB (${deskWeight.parts})`,
    );
    console.log(
      `portal list first load, gzipped: ${(portalWeight.total / 1024).toFixed(1)} KB (${portalWeight.parts})`,
    );
  }
} finally {
  server.kill("SIGTERM");
}
if (!apiOnly) {
  const startup = await embeddedStartup();
  console.log(
    `embedded database: first start with demo seeding ${ms(startup.first)}; start to /ready with demo data present ${ms(startup.again)}`,
  );
}
