// The probability that an open ticket breaches its next SLA target, from what is known now: how much
// of the target's business time is used, priority, how loaded the assignee is, hour of day, channel and
// how often similar tickets breached before. A logistic regression: few features, a few thousand
// examples, and weights an admin can read. Back-testing on held-out history reports AUC and Brier.
import { createHash } from "node:crypto";
import { areaUnderRoc, brierScore, seededRandom, shuffle, stratifiedSplit } from "./metrics";

export interface BreachFeatures {
  /** Business time elapsed ÷ the target's business time (0.5 = half used; above 1 = already late). */
  fractionOfTargetUsed: number;
  priority: string;
  /** Open tickets assigned to the same person (0 when unassigned). */
  assigneeOpenLoad: number;
  /** Local hour of the organization, 0–23. */
  hourOfDay: number;
  channel: string;
  /** Share of past tickets of the same customer or team that breached, 0–1. */
  pastBreachRate: number;
}

export interface BreachExample extends BreachFeatures {
  breached: boolean;
  /** When the snapshot was taken; with it, back-tests train on the past and test on the future. */
  at?: number;
}

export interface BreachRiskModel {
  format: 1;
  version: string;
  featureNames: string[];
  priorities: string[];
  channels: string[];
  means: number[];
  scales: number[];
  weights: number[];
  bias: number;
  examples: number;
}

export interface BreachTrainingOptions {
  iterations?: number;
  learningRate?: number;
  l2?: number;
}

const NUMERIC = ["fractionOfTargetUsed", "loadLog", "hourSin", "hourCos", "pastBreachRate"] as const;

function numericFeatures(example: BreachFeatures): number[] {
  const angle = (2 * Math.PI * example.hourOfDay) / 24;
  return [
    Math.min(example.fractionOfTargetUsed, 3),
    Math.log1p(Math.max(0, example.assigneeOpenLoad)),
    Math.sin(angle),
    Math.cos(angle),
    example.pastBreachRate,
  ];
}

/** Numeric features standardised, then one indicator per known priority and channel. */
function featureVector(
  model: Pick<BreachRiskModel, "priorities" | "channels" | "means" | "scales">,
  example: BreachFeatures,
) {
  const numeric = numericFeatures(example).map((v, i) => (v - model.means[i]) / model.scales[i]);
  const priority = model.priorities.map((p) => (p === example.priority ? 1 : 0));
  const channel = model.channels.map((c) => (c === example.channel ? 1 : 0));
  return [...numeric, ...priority, ...channel];
}

export function trainBreachRisk(
  examples: BreachExample[],
  options: BreachTrainingOptions = {},
): BreachRiskModel {
  const { iterations = 400, learningRate = 0.5, l2 = 1e-3 } = options;
  if (examples.length === 0) throw new Error("Breach risk needs history to learn from");
  const raw = examples.map(numericFeatures);
  const means = NUMERIC.map((_, i) => raw.reduce((s, r) => s + r[i], 0) / raw.length);
  const scales = NUMERIC.map(
    (_, i) => Math.sqrt(raw.reduce((s, r) => s + (r[i] - means[i]) ** 2, 0) / raw.length) || 1,
  );
  const priorities = [...new Set(examples.map((e) => e.priority))].sort();
  const channels = [...new Set(examples.map((e) => e.channel))].sort();
  const shape = { priorities, channels, means, scales };
  const rows = examples.map((e) => featureVector(shape, e));
  const outcomes = examples.map((e) => (e.breached ? 1 : 0));
  const { weights, bias } = gradientDescent(rows, outcomes, iterations, learningRate, l2);
  return {
    format: 1,
    version: breachVersion(examples, options),
    featureNames: [
      ...NUMERIC,
      ...priorities.map((p) => `priority=${p}`),
      ...channels.map((c) => `channel=${c}`),
    ],
    ...shape,
    weights,
    bias,
    examples: examples.length,
  };
}

/** Full-batch gradient descent on the mean log-loss: deterministic, and fast at this size. */
function gradientDescent(rows: number[][], outcomes: number[], iterations: number, rate: number, l2: number) {
  const dimensions = rows[0].length;
  const weights = new Array<number>(dimensions).fill(0);
  const mean = outcomes.reduce((a, b) => a + b, 0) / outcomes.length;
  let bias = Math.log((mean + 1e-3) / (1 - mean + 1e-3));
  const gradient = new Array<number>(dimensions);
  for (let step = 0; step < iterations; step++) {
    gradient.fill(0);
    let biasGradient = 0;
    rows.forEach((row, n) => {
      const error = sigmoid(dot(weights, row) + bias) - outcomes[n];
      for (let i = 0; i < dimensions; i++) gradient[i] += error * row[i];
      biasGradient += error;
    });
    for (let i = 0; i < dimensions; i++) weights[i] -= rate * (gradient[i] / rows.length + l2 * weights[i]);
    bias -= (rate * biasGradient) / rows.length;
  }
  return { weights, bias };
}

function breachVersion(examples: BreachExample[], options: BreachTrainingOptions): string {
  const hash = createHash("sha256").update(JSON.stringify(options));
  for (const e of examples) hash.update(JSON.stringify(e));
  return hash.digest("hex").slice(0, 16);
}

const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i], 0);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function breachProbability(model: BreachRiskModel, ticket: BreachFeatures): number {
  return sigmoid(dot(model.weights, featureVector(model, ticket)) + model.bias);
}

export interface BackTest {
  trained: number;
  tested: number;
  auc: number;
  brier: number;
  /** Brier score of always predicting the training breach rate: the bar a useful model clears. */
  baselineBrier: number;
  breachRate: number;
  split: "chronological" | "random";
}

/** Trains on one part of the history and scores the rest; chronological when every example has `at`. */
export function backTestBreachRisk(
  examples: BreachExample[],
  options: BreachTrainingOptions & { testFraction?: number; seed?: number } = {},
): BackTest {
  const { testFraction = 0.3, seed = 1, ...training } = options;
  const { train, test, split } = splitHistory(examples, testFraction, seed);
  const model = trainBreachRisk(train, training);
  const outcomes = test.map((e) => e.breached);
  const probabilities = test.map((e) => breachProbability(model, e));
  const breachRate = train.filter((e) => e.breached).length / train.length;
  return {
    trained: train.length,
    tested: test.length,
    auc: areaUnderRoc(outcomes, probabilities),
    brier: brierScore(outcomes, probabilities),
    baselineBrier: brierScore(
      outcomes,
      outcomes.map(() => breachRate),
    ),
    breachRate,
    split,
  };
}

function splitHistory(examples: BreachExample[], testFraction: number, seed: number) {
  if (examples.every((e) => e.at !== undefined)) {
    const ordered = [...examples].sort((a, b) => a.at! - b.at!);
    const cut = Math.round(ordered.length * (1 - testFraction));
    return { train: ordered.slice(0, cut), test: ordered.slice(cut), split: "chronological" as const };
  }
  const shuffled = shuffle(examples, seededRandom(seed));
  const { train, test } = stratifiedSplit(
    shuffled.map((e) => String(e.breached)),
    testFraction,
    seed,
  );
  return {
    train: train.map((i) => shuffled[i]),
    test: test.map((i) => shuffled[i]),
    split: "random" as const,
  };
}
