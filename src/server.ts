// Start-up: config → database → migrations → demo data (if empty) → listen → live events → jobs.
import { join } from "node:path";
import { openDatabase } from "../db/client";
import { isEmpty, seedDemo } from "../db/seed/demo";
import { buildApp } from "./app";
import { loadConfig } from "./config";
import { closeTransports } from "./domain/email/delivery";
import { startInboundSmtp } from "./domain/email/listener";
import { EventBus } from "./domain/events/bus";
import { FileStore } from "./domain/files/store";
import { productJobRunner } from "./domain/jobs/catalog";
import { startJobThread } from "./workers/jobs-client";

const started = performance.now();
const config = loadConfig();
const database = await openDatabase(config);
await database.migrate();

let seeded = false;
if (config.demo && (await isEmpty(database.db))) {
  console.log("Empty database: creating the demo organization…");
  await seedDemo(database.db, { password: config.demoPassword, log: (m) => console.log(`  ${m}`) });
  seeded = true;
}

const bus = new EventBus();
await bus.start(database);
const files = new FileStore(join(config.dataDir, "files"), config.maxUploadBytes);
const app = buildApp({ database, config, bus, files, clock: () => new Date() });
// Room for several attachments per message; each file is checked against the limit on its own.
app.listen({ port: config.port, maxRequestBodySize: config.maxUploadBytes * 4 + 1024 * 1024 });

// Jobs run in every app server; the queue makes sure each is done once. On Postgres they run on a
// thread of their own at a lower priority (src/workers/jobs.ts); the embedded database belongs to
// this thread, so with it they run here.
let jobs: { stop(): Promise<void> };
if (database.kind === "postgres") jobs = await startJobThread();
else {
  const runner = productJobRunner(database, config, files);
  await runner.start();
  jobs = runner;
}

// Incoming mail straight from an MX relay, when INBOUND_SMTP_PORT is set.
const inboundSmtp = config.inboundSmtpPort
  ? await startInboundSmtp({
      port: config.inboundSmtpPort,
      db: database.db,
      files,
      maxBytes: config.maxUploadBytes * 4,
    })
  : undefined;
if (inboundSmtp) console.log(`Receiving mail by SMTP on port ${inboundSmtp.port}.`);

const url = `http://localhost:${config.port}`;
console.log(
  `Ready at ${url} in ${Math.round(performance.now() - started)} ms (${database.kind === "postgres" ? "Postgres" : `embedded Postgres in ${config.dataDir}`}).`,
);
if (config.demo) {
  console.log(
    `${seeded ? "Demo data created. " : ""}Sign in at ${url}/login with password "${config.demoPassword === "demo12345" ? "demo12345" : "(DEMO_PASSWORD)"}" as:`,
  );
  for (const account of ["admin", "agent", "supervisor", "dispatcher", "tech", "customer"]) {
    console.log(`  ${account}@demo.test`);
  }
}

async function shutdown(signal: string) {
  console.log(`${signal}: shutting down…`);
  await app.stop();
  await inboundSmtp?.close();
  await jobs.stop();
  closeTransports();
  await bus.close();
  await database.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
