// A separate app-server process for the job queue tests and bench: runs one queue on the Postgres
// in DATABASE_URL. "noop" jobs do nothing; "record" jobs write their run to job_runs; "hang" jobs
// record and never finish (the test kills the process). Exits when its queue has nothing left.
import { sql } from "drizzle-orm";
import { openPostgres, rowsOf } from "../db/client";
import { JobRunner } from "../src/domain/jobs/runner";

const [queue, mode, leaseMs] = process.argv.slice(2);
const database = await openPostgres(process.env.DATABASE_URL as string, { max: 8 });
const runner = new JobRunner({
  database,
  leaseMs: Number(leaseMs ?? 60_000),
  pollMs: 50,
  queues: [
    {
      queue,
      concurrency: 8,
      async handler(job, ctx) {
        if (mode === "noop") return;
        await ctx.db.execute(
          sql`insert into job_runs (job_id, worker) values (${job.id}, ${runner.workerId})`,
        );
        if (mode === "hang") await new Promise(() => {});
      },
    },
  ],
});
await runner.start();
for (;;) {
  await Bun.sleep(100);
  const [{ left }] = rowsOf<{ left: number }>(
    await database.db.execute(
      sql`select count(*)::int as left from jobs where queue = ${queue} and status in ('queued', 'running')`,
    ),
  );
  if (left === 0) break;
}
await runner.stop();
await database.close();
process.exit(0);
