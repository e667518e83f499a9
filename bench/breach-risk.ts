// SLA breach risk back-tested on the demo history: the demo organization is seeded in a fresh
// embedded database, its finished SLA targets are replayed into snapshots (src/domain/assist/
// breachRisk.ts), the model trains on the older 70% and is scored on the newer 30%.
// Usage: npm run bench:breach-risk [-- --scale 1]
import { openPglite } from "../db/client";
import { seedDemo } from "../db/seed/demo";
import { backTestBreachRisk } from "../src/domain/ai";
import { breachExamples } from "../src/domain/assist/breachRisk";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const scale = option("scale", 1);
const database = await openPglite();
await database.migrate();
const now = new Date();
const { orgId } = await seedDemo(database.db, { password: "bench-password", scale, now });
const started = performance.now();
const { examples } = await breachExamples(database.db, orgId, now);
const replayMs = performance.now() - started;
const result = backTestBreachRisk(examples);
const breaches = examples.filter((e) => e.breached).length;
console.log(
  `${examples.length} snapshots of finished targets (${breaches} breached), replayed in ${replayMs.toFixed(0)} ms; ` +
    `trained on ${result.trained}, tested on ${result.tested} (${result.split})`,
);
console.log(
  `breach-risk: examples=${examples.length} breach_rate=${result.breachRate.toFixed(3)} auc=${result.auc.toFixed(3)} brier=${result.brier.toFixed(3)} baseline_brier=${result.baselineBrier.toFixed(3)}`,
);
await database.close();
