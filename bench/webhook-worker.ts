// One app server's webhook deliveries for bench/webhooks.ts: runs the "webhook.deliver" queue on
// the Postgres in DATABASE_URL and exits when the organization given has no delivery left to run.
import { sql } from "drizzle-orm";
import { openPostgres, rowsOf } from "../db/client";
import { JobRunner } from "../src/domain/jobs/runner";
import { webhookQueue } from "../src/domain/webhooks/delivery";

const [orgId, concurrency] = process.argv.slice(2);
const database = await openPostgres(process.env.DATABASE_URL as string, { max: 16 });
const runner = new JobRunner({
  database,
  pollMs: 50,
  // The bench's receiver listens on 127.0.0.1.
  queues: [webhookQueue({ allowPrivate: true, concurrency: Number(concurrency) })],
});
await runner.start();
for (;;) {
  await Bun.sleep(100);
  const [{ left }] = rowsOf<{ left: number }>(
    await database.db.execute(
      sql`select count(*)::int as left from jobs where org_id = ${orgId} and queue = 'webhook.deliver' and status in ('queued', 'running')`,
    ),
  );
  if (left === 0) break;
}
await runner.stop();
await database.close();
process.exit(0);
