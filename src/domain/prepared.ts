// Prepared queries for the hot read paths. Building a Drizzle query costs more than running it
// (0.1–0.3 ms of JavaScript per call for the desk's joins, measured); a prepared query is built
// once per database and then only executed with new placeholder values. Inside a transaction the
// query is prepared for that transaction (it runs on the transaction's connection) and dropped with it.
import type { DbOrTx } from "./events/log";

const registry = new WeakMap<DbOrTx, Map<string, unknown>>();

export function prepared<T>(db: DbOrTx, name: string, build: () => T): T {
  let byName = registry.get(db);
  if (!byName) {
    byName = new Map();
    registry.set(db, byName);
  }
  let query = byName.get(name) as T | undefined;
  if (!query) {
    query = build();
    byName.set(name, query);
  }
  return query;
}
