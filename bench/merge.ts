// npm run bench:merge [-- --messages 10,1000,10000]
//
// How long merging a ticket takes by the size of its conversation, on a real Postgres
// (BENCH_DATABASE_URL, default postgres://root@127.0.0.1:5432/bench): for each size, a duplicate
// with that many messages (one attachment per ten) is merged into another ticket, in one
// transaction with its events, the customer's reply and mail. Figures only; nothing is asserted.
import { parseArgs } from "node:util";
import { and, count, eq } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres } from "../db/client";
import { attachments, contacts, organizations, ticketMessages, users } from "../db/schema";
import type { Ctx } from "../src/domain/context";
import { mergeTickets } from "../src/domain/relations/merge";
import { createTicket } from "../src/domain/tickets/commands";

const { values: args } = parseArgs({ options: { messages: { type: "string", default: "10,1000,10000" } } });
const sizes = args.messages.split(",").map(Number);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/bench";

const name = new URL(databaseUrl).pathname.slice(1);
const admin = postgres(databaseUrl.replace(/\/[^/]*$/, "/postgres"), { max: 1, onnotice: () => {} });
const [exists] = await admin`select 1 as ok from pg_database where datname = ${name}`;
if (!exists) await admin.unsafe(`create database "${name}"`);
await admin.end();

const database = await openPostgres(databaseUrl, { max: 4 });
await database.migrate();
const db = database.db;
const tag = `merge${Date.now().toString(36)}`;
const [org] = await db.insert(organizations).values({ name: "Merge bench", slug: tag }).returning();
const [agent] = await db
  .insert(users)
  .values({
    orgId: org.id,
    email: `agent@${tag}.bench`,
    name: "Bench Agent",
    role: "agent",
    passwordHash: "x",
  })
  .returning();
const ctx = (): Ctx => ({
  db,
  actor: { kind: "user", orgId: org.id, role: "agent", userId: agent.id, name: agent.name },
  now: new Date(),
});

console.log("messages  attachments  merge ms");
for (const size of sizes) {
  const survivor = await createTicket(ctx(), {
    subject: "Survivor",
    body: "x",
    requesterEmail: `a@${tag}.bench`,
  });
  const duplicate = await createTicket(ctx(), {
    subject: "Duplicate",
    body: "x",
    requesterEmail: `b@${tag}.bench`,
  });
  const [contact] = await db.select().from(contacts).where(eq(contacts.id, duplicate.contactId));
  for (let start = 1; start < size; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, size - start) }, (_, i) => ({
      orgId: org.id,
      ticketId: duplicate.id,
      kind: "reply" as const,
      authorContactId: contact.id,
      channel: "email" as const,
      body: `Message ${start + i} of the duplicate, with a little text to make it realistic.`,
      createdAt: new Date(Date.now() - (size - start - i) * 60_000),
    }));
    const rows = await db.insert(ticketMessages).values(batch).returning({ id: ticketMessages.id });
    const files = rows
      .filter((_, i) => i % 10 === 0)
      .map((r) => ({
        orgId: org.id,
        ticketId: duplicate.id,
        messageId: r.id,
        filename: "photo.jpg",
        contentType: "image/jpeg",
        sizeBytes: 1000,
        sha256: "0".repeat(64),
        createdAt: new Date(),
      }));
    if (files.length) await db.insert(attachments).values(files);
  }
  const [{ files }] = await db
    .select({ files: count() })
    .from(attachments)
    .where(and(eq(attachments.orgId, org.id), eq(attachments.ticketId, duplicate.id)));
  const started = performance.now();
  const result = await mergeTickets(ctx(), duplicate.number, { target: String(survivor.number) });
  const ms = performance.now() - started;
  console.log(
    `${String(result.moved).padStart(8)}  ${String(files).padStart(11)}  ${ms.toFixed(1).padStart(8)}`,
  );
}
await database.close();
