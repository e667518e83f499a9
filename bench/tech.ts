// npm run bench:tech
//
// The technician's phone pages on the demo data (seeded into an in-memory PGlite, or DATABASE_URL):
// signs in as the demo technician and times today's list (/tech) and a visit's page through
// app.handle, 100 requests each after a warm-up, and measures each page's size as sent (gzip, as a
// phone on a slow connection receives it). Figures only; nothing is asserted.
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { rowsOf } from "../db/client";
import { seedDemo } from "../db/seed/demo";
import { Client, testDatabase } from "../test/helpers";

const database = await testDatabase();
await seedDemo(database.db, { password: "demo12345", scale: 1 });
await database.db.execute(sql`analyze`);
const [visit] = rowsOf<{ id: string }>(
  await database.db.execute(sql`select a.id from appointments a
    join appointment_technicians t on t.appointment_id = a.id
    join users u on u.id = t.user_id and u.email = 'tech@demo.test'
    order by a.starts_at desc limit 1`),
);
const client = await new Client().signIn("tech@demo.test", "demo12345");
const css = await (await client.get("/public/app.css")).text();

async function time(label: string, path: string) {
  for (let i = 0; i < 10; i++) await (await client.get(path)).text();
  const samples: number[] = [];
  let body = "";
  for (let i = 0; i < 100; i++) {
    const started = performance.now();
    const response = await client.get(path);
    body = await response.text();
    samples.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  }
  samples.sort((a, b) => a - b);
  const p = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(1);
  const html = gzipSync(body).length / 1024;
  const withCss = html + gzipSync(css).length / 1024;
  console.log(
    `${label.padEnd(22)} median ${p(0.5)} ms  p95 ${p(0.95)} ms  HTML ${html.toFixed(1)} KiB gzip, with the stylesheet ${withCss.toFixed(1)} KiB`,
  );
}

await time("today's visits", "/tech");
if (visit) await time("a visit's page", `/tech/appointments/${visit.id}`);
process.exit(0);
