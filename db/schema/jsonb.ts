// jsonb columns that hand their value to the driver as it is. Drizzle's own jsonb type passes
// JSON text, which Bun's Postgres client then encodes once more for the jsonb parameter: the row
// would hold a JSON *string* ("{\"a\":1}") instead of the object, and SQL such as data->>'a' would
// find nothing on real Postgres (PGlite parsed it either way). Both drivers encode objects and
// arrays for a jsonb parameter themselves. Reading accepts the text form too, for rows written
// before migration 0029 repaired them.
import { customType } from "drizzle-orm/pg-core";

export const jsonb = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => "jsonb",
  toDriver: (value) => value,
  fromDriver: (value) => (typeof value === "string" ? JSON.parse(value) : value),
});
