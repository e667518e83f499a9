// Opens the database: real Postgres (Bun.SQL) when DATABASE_URL is set, otherwise the
// embedded PGlite under DATA_DIR/pg (or in memory). Both are exposed as the same Drizzle type.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { SQL } from "bun";
import { drizzle as drizzleBunSql } from "drizzle-orm/bun-sql";
import { migrate as migrateBunSql } from "drizzle-orm/bun-sql/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export const MIGRATIONS_FOLDER = join(import.meta.dir, "migrations");

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Subscribes to a NOTIFY channel; returns the function that unsubscribes. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export async function openPglite(
  options: { dataDir?: string; loadDataDir?: Blob | File } = {},
): Promise<Database> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: { pg_trgm },
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    async listen(channel, onPayload) {
      const unsubscribe = await client.listen(channel, onPayload);
      return async () => unsubscribe();
    },
    migrate: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
    // Exposed for the test helper, which clones a migrated template instead of migrating again.
    ...({ pglite: client } as object),
  };
}

/**
 * Real Postgres: queries go through Bun's built-in client (Bun.SQL), which prepares every
 * statement and was 1.4× faster than postgres.js here on the same query; postgres.js 3.4.9 also
 * has a known race that can send BEGIN on an unreserved pooled connection under load
 * (porsager/postgres#823, #1189), seen once in 2,700 ticket creations. postgres.js keeps one
 * connection for LISTEN, which Bun.SQL does not offer; it never runs a transaction.
 */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  // JIT compilation pays off for long analytical queries; for the short ones a page makes, compiling
  // cost 10–40 ms each (seen on the search queries, whose estimates cross jit_above_cost).
  const client = new SQL(url, { max: options.max ?? 10, connection: { jit: "off" } });
  const db = drizzleBunSql({ client, schema }) as unknown as Db;
  let listener: postgres.Sql | undefined;
  return {
    db,
    kind: "postgres",
    async listen(channel, onPayload) {
      listener ??= postgres(url, { max: 1, onnotice: () => {} });
      const { unlisten } = await listener.listen(channel, onPayload);
      return unlisten;
    },
    migrate: () => migrateBunSql(drizzleBunSql({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER }),
    async close() {
      await listener?.end({ timeout: 5 });
      await client.close();
    },
  };
}

export function openDatabase(config: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  return openPglite({ dataDir: join(config.dataDir, "pg") });
}

/** Rows of a raw `db.execute(sql...)`: PGlite answers `{ rows }`, postgres.js an array. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
