// Local ticket classifier on labelled history: train on a seeded, stratified 80%, predict the other 20%
// through the local provider (the production path), and compare with the majority-class baseline.
// Usage: npm run bench:ai [-- --file ../shared/data/tickets/endava_it_tickets.csv]
//          [--label category,ticket_type] [--text title,body] [--seed 42] [--cv 5] [--learner auto]
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  accuracy,
  calibrationBands,
  classReport,
  createLocalProvider,
  DEFAULT_AUTO_APPLY_THRESHOLD,
  type Learner,
  macroF1,
  majorityLabel,
  parseCsvRecords,
  stratifiedFolds,
  stratifiedSplit,
  ticketText,
  trainClassifier,
} from "../src/domain/ai";
import { percentile } from "../src/domain/ai/metrics";

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
}

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const file = option("file", `${projectRoot}../shared/data/tickets/endava_it_tickets.csv`);
const labels = option("label", "category,ticket_type,urgency,sub_category1").split(",");
const textColumns = option("text", "title,body").split(",");
const seed = Number(option("seed", "42"));
const folds = Number(option("cv", "0"));
const learner = option("learner", "auto") as Learner | "auto";

const rows = parseCsvRecords(readFileSync(file, "utf8"));
const texts = rows.map((row) =>
  textColumns.length === 2
    ? ticketText(row[textColumns[0]], row[textColumns[1]])
    : textColumns.map((c) => row[c]).join("\n"),
);
console.log(
  `${rows.length} rows from ${file}; text: ${textColumns.join(" + ")}; seed ${seed}; learner ${learner}\n`,
);

const fmt = (x: number) => x.toFixed(3);

async function evaluate(label: string, train: number[], test: number[]) {
  const truthAll = rows.map((row) => row[label]);
  const started = performance.now();
  const model = trainClassifier(
    train.map((i) => ({ text: texts[i], label: truthAll[i] })),
    { learner },
  );
  const trainMs = performance.now() - started;
  const provider = createLocalProvider({ classifiers: { [label]: model } });
  const latencies: number[] = [];
  const predicted: string[] = [];
  const confidences: number[] = [];
  const predictStart = performance.now();
  for (const i of test) {
    const t0 = performance.now();
    const result = await provider.categorize({ field: label, text: texts[i], choices: [] });
    latencies.push(performance.now() - t0);
    predicted.push(result.value.label!);
    confidences.push(result.confidence);
  }
  const predictMs = performance.now() - predictStart;
  const truth = test.map((i) => truthAll[i]);
  const majority = majorityLabel(train.map((i) => truthAll[i]));
  const baseline = truth.map(() => majority);
  const auto = predicted.map((_, k) => confidences[k] >= DEFAULT_AUTO_APPLY_THRESHOLD);
  const autoRight = auto.filter((a, k) => a && predicted[k] === truth[k]).length;
  const autoCount = auto.filter(Boolean).length;
  return {
    model,
    truth,
    predicted,
    confidences,
    accuracy: accuracy(truth, predicted),
    macroF1: macroF1(truth, predicted),
    baselineAccuracy: accuracy(truth, baseline),
    baselineMacroF1: macroF1(truth, baseline),
    trainMs,
    perSecond: test.length / (predictMs / 1000),
    p95Ms: percentile(latencies, 95),
    coverage: autoCount / test.length,
    autoAccuracy: autoCount ? autoRight / autoCount : 0,
  };
}

const summaryLines: string[] = [];
for (const label of labels) {
  const truthAll = rows.map((row) => row[label]);
  const { train, test } = stratifiedSplit(truthAll, 0.2, seed);
  const r = await evaluate(label, train, test);
  console.log(`## ${label}: ${new Set(truthAll).size} classes, train ${train.length}, test ${test.length}`);
  console.log(
    `learner ${r.model.learner} (validation macro-F1 ${Object.entries(r.model.validation?.scores ?? {})
      .map(([k, v]) => `${k} ${fmt(v!)}`)
      .join(", ")}; temperature ${r.model.temperature.toFixed(2)}; ${r.model.space.vocabulary.length} terms)`,
  );
  console.log(
    `accuracy ${fmt(r.accuracy)} (baseline ${fmt(r.baselineAccuracy)})  macro-F1 ${fmt(r.macroF1)} (baseline ${fmt(r.baselineMacroF1)})`,
  );
  console.log(
    `train ${(r.trainMs / 1000).toFixed(2)} s  predictions ${Math.round(r.perSecond)}/s  p95 ${r.p95Ms.toFixed(2)} ms`,
  );
  console.log(
    `confidence ≥ ${DEFAULT_AUTO_APPLY_THRESHOLD}: ${fmt(r.coverage)} of tickets auto-applied, ${fmt(r.autoAccuracy)} of those right`,
  );
  const bands = calibrationBands(
    r.predicted.map((p, k) => p === r.truth[k]),
    r.confidences,
  );
  console.log(
    `calibration: ${bands.map((b) => `[${b.from.toFixed(2)},${b.to.toFixed(2)}) n=${b.count} acc=${fmt(b.accuracy)}`).join("  ")}`,
  );
  console.log("per class (label support precision recall f1):");
  for (const row of classReport(r.truth, r.predicted))
    console.log(
      `  ${row.label.padEnd(6)} ${String(row.support).padStart(5)}  ${fmt(row.precision)} ${fmt(row.recall)} ${fmt(row.f1)}`,
    );

  if (folds > 1) {
    const cv = { accuracy: [] as number[], macroF1: [] as number[] };
    const foldRows = stratifiedFolds(truthAll, folds, seed);
    for (const testFold of foldRows) {
      const held = new Set(testFold);
      const result = await evaluate(
        label,
        rows.map((_, i) => i).filter((i) => !held.has(i)),
        testFold,
      );
      cv.accuracy.push(result.accuracy);
      cv.macroF1.push(result.macroF1);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const spread = (xs: number[]) => `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`;
    console.log(
      `${folds}-fold CV: accuracy ${fmt(mean(cv.accuracy))} (${spread(cv.accuracy)})  macro-F1 ${fmt(mean(cv.macroF1))} (${spread(cv.macroF1)})`,
    );
  }
  console.log("");
  summaryLines.push(
    `ai-eval: label=${label} n=${test.length} accuracy=${fmt(r.accuracy)} macro_f1=${fmt(r.macroF1)} baseline=${fmt(r.baselineAccuracy)} p95_ms=${r.p95Ms.toFixed(2)}`,
  );
}
for (const line of summaryLines) console.log(line);
