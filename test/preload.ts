// Runs once before the test files: on a real Postgres (DATABASE_URL set), start from an empty
// schema so every run sees the same database; the embedded database starts empty anyway.
import { sql } from "drizzle-orm";
import { testDatabase } from "./helpers";

if (process.env.DATABASE_URL) {
  const postgres = (await import("postgres")).default;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(
    "drop schema if exists public cascade; drop schema if exists drizzle cascade; create schema public;",
  );
  await admin.end();
}
const database = await testDatabase();
await database.db.execute(sql`select 1`);
