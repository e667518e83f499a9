// npm run seed -- [--scale N] [--reset]
// Creates the demo organization with N × 1,000 tickets in the configured database
// (DATABASE_URL, else the embedded one in DATA_DIR).
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { loadConfig } from "../../src/config";
import { openDatabase } from "../client";
import { organizations } from "../schema";
import { isEmpty, seedDemo } from "./demo";

const { values } = parseArgs({
  options: { scale: { type: "string", default: "1" }, reset: { type: "boolean", default: false } },
});
const scale = Number(values.scale);
if (!Number.isFinite(scale) || scale <= 0) {
  console.error(`--scale must be a positive number, got "${values.scale}"`);
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabase(config);
await database.migrate();
if (!(await isEmpty(database.db))) {
  if (!values.reset) {
    console.error("The database already holds data. Run with --reset to delete every organization first.");
    await database.close();
    process.exit(1);
  }
  // TRUNCATE … CASCADE empties every table that hangs off organizations in one step, where a
  // DELETE would cascade row by row through a hundred thousand tickets.
  await database.db.execute(sql`truncate ${organizations} cascade`);
  console.log("Deleted the existing organizations.");
}
await seedDemo(database.db, { password: config.demoPassword, scale, log: (m) => console.log(m) });
await database.close();
