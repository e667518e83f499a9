// npm run bench:notices [-- --technicians 150]
//
// The periodic delay check and position reports on an in-memory PGlite (or DATABASE_URL): one
// organization with `technicians` technicians, each with a visit on site that overruns and the
// next visit waiting, half of them also travelling to a third visit. Times checkDelays when every
// customer must be told (first run) and when all have been (the run every two minutes that finds
// nothing new), then 300 position reports through recordPosition. Figures only; nothing is asserted.
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import {
  appointments,
  appointmentTechnicians,
  contacts,
  organizations,
  serviceLocations,
  technicians,
  users,
  workOrders,
} from "../db/schema";
import type { Ctx } from "../src/domain/context";
import { checkDelays } from "../src/domain/fsm/notices";
import { recordPosition, setLocationSharing } from "../src/domain/fsm/positions";
import { testDatabase } from "../test/helpers";

const { values: args } = parseArgs({ options: { technicians: { type: "string", default: "150" } } });
const count = Number(args.technicians);
const { db } = await testDatabase();
const now = new Date("2026-11-24T03:00:00Z"); // 11:00 in Kuala Lumpur
const hour = 3600_000;

const tag = `notices${Date.now().toString(36)}`;
const [org] = await db
  .insert(organizations)
  .values({ name: "Notices bench", slug: tag, timeZone: "Asia/Kuala_Lumpur" })
  .returning();
const [contact] = await db
  .insert(contacts)
  .values({ orgId: org.id, name: "Customer", email: `c@${tag}.bench` })
  .returning();
const techs = await db
  .insert(users)
  .values(
    Array.from({ length: count }, (_, i) => ({
      orgId: org.id,
      email: `tech${i}@${tag}.bench`,
      name: `Tech ${i}`,
      role: "technician" as const,
      passwordHash: "x",
    })),
  )
  .returning();
await db
  .insert(technicians)
  .values(techs.map((u) => ({ orgId: org.id, userId: u.id, homeLat: 3.1, homeLng: 101.6 })));
const [site] = await db
  .insert(serviceLocations)
  .values({
    orgId: org.id,
    name: "Site",
    address: "Kuala Lumpur",
    lat: 3.158,
    lng: 101.712,
    contactId: contact.id,
  })
  .returning();
let number = 0;
async function visit(
  userId: string,
  startsAt: Date,
  minutes: number,
  status: "on_site" | "scheduled" | "travelling",
) {
  const [wo] = await db
    .insert(workOrders)
    .values({
      orgId: org.id,
      number: ++number,
      subject: "Bench visit",
      status: status === "scheduled" ? "scheduled" : "in_progress",
      contactId: contact.id,
      locationId: site.id,
      currency: "MYR",
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const [a] = await db
    .insert(appointments)
    .values({
      orgId: org.id,
      workOrderId: wo.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + minutes * 60_000),
      status,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await db.insert(appointmentTechnicians).values({ orgId: org.id, appointmentId: a.id, userId });
}
for (const [i, u] of techs.entries()) {
  // On site since 09:00, planned to end at 10:00: overrunning at 11:00; the next visit at 10:30,
  // half an hour late. Every other technician is also travelling to a 10:00 visit, an hour late.
  await visit(u.id, new Date(now.getTime() - 2 * hour), 60, "on_site");
  await visit(u.id, new Date(now.getTime() - 0.5 * hour), 60, "scheduled");
  if (i % 2 === 0) await visit(u.id, new Date(now.getTime() - hour), 30, "travelling");
}
await db.execute(sql`analyze`);

async function timed<T>(label: string, run: () => Promise<T>) {
  const started = performance.now();
  const result = await run();
  console.log(`${label}: ${(performance.now() - started).toFixed(0)} ms → ${String(result)}`);
  return result;
}
await timed(`checkDelays, ${count + Math.ceil(count / 2)} late visits to announce`, () =>
  checkDelays(db, now),
);
await timed("checkDelays again, nothing new (notices sent)", () =>
  checkDelays(db, new Date(now.getTime() + 60_000)),
);

const ctx = (userId: string, at: Date): Ctx => ({
  db,
  now: at,
  actor: { kind: "user", orgId: org.id, role: "technician", userId, name: "Tech" },
});
for (const u of techs) await setLocationSharing(ctx(u.id, now), true);
const samples: number[] = [];
for (let i = 0; i < 300; i++) {
  const u = techs[i % techs.length];
  const started = performance.now();
  await recordPosition(ctx(u.id, new Date(now.getTime() + i * 30_000)), {
    lat: 3.1 + i / 10_000,
    lng: 101.6,
    accuracy: 10,
  });
  samples.push(performance.now() - started);
}
samples.sort((a, b) => a - b);
const p = (q: number) => samples[Math.floor(q * (samples.length - 1))].toFixed(2);
console.log(`recordPosition: p50 ${p(0.5)} ms, p95 ${p(0.95)} ms over ${samples.length} reports`);
process.exit(0);
