// How good a model is, in the figures the product reports: accuracy, macro-F1 (every class counts the
// same, so rare categories are not hidden by the big ones), the majority-class baseline, AUC and Brier.

/** mulberry32: splits and shuffles repeat exactly for a given seed. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function indicesByLabel(labels: string[], random: () => number): number[][] {
  const groups = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const group = groups.get(label) ?? [];
    group.push(i);
    groups.set(label, group);
  });
  return [...groups.keys()].sort().map((label) => shuffle(groups.get(label)!, random));
}

/** Row indices for training and testing with each label in the same proportion in both parts. */
export function stratifiedSplit(labels: string[], testFraction: number, seed: number) {
  const random = seededRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const group of indicesByLabel(labels, random)) {
    // A class seen once stays in training: it cannot be both learned and tested.
    const testCount = group.length < 2 ? 0 : Math.round(group.length * testFraction);
    test.push(...group.slice(0, testCount));
    train.push(...group.slice(testCount));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** Stratified k folds: fold f's test rows; the rest train. */
export function stratifiedFolds(labels: string[], k: number, seed: number): number[][] {
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const group of indicesByLabel(labels, seededRandom(seed))) {
    for (const i of group) folds[next++ % k].push(i);
  }
  return folds.map((fold) => fold.sort((a, b) => a - b));
}

export function accuracy(truth: string[], predicted: string[]): number {
  if (truth.length === 0) return 0;
  let right = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) right++;
  return right / truth.length;
}

export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class precision/recall/F1 over every label that occurs in the truth or the predictions. */
export function classReport(truth: string[], predicted: string[]): ClassReport[] {
  const labels = [...new Set([...truth, ...predicted])].sort();
  return labels.map((label) => {
    let truePositive = 0;
    let predictedCount = 0;
    let support = 0;
    for (let i = 0; i < truth.length; i++) {
      if (truth[i] === label) support++;
      if (predicted[i] === label) predictedCount++;
      if (truth[i] === label && predicted[i] === label) truePositive++;
    }
    const precision = predictedCount ? truePositive / predictedCount : 0;
    const recall = support ? truePositive / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
}

export function macroF1(truth: string[], predicted: string[]): number {
  const report = classReport(truth, predicted);
  return report.length ? report.reduce((sum, row) => sum + row.f1, 0) / report.length : 0;
}

export function majorityLabel(labels: string[]): string {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  let best = "";
  let bestCount = -1;
  for (const [label, count] of counts) if (count > bestCount) [best, bestCount] = [label, count];
  return best;
}

/** Area under the ROC curve by ranks (Mann–Whitney), ties counted as half. */
export function areaUnderRoc(outcomes: boolean[], scores: number[]): number {
  const order = scores
    .map((score, i) => ({ score, positive: outcomes[i] }))
    .sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j < order.length && order[j].score === order[i].score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (order[k].positive) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared error of predicted probabilities: 0 is perfect, 0.25 is a coin flip. */
export function brierScore(outcomes: boolean[], probabilities: number[]): number {
  let sum = 0;
  for (let i = 0; i < outcomes.length; i++) sum += (probabilities[i] - (outcomes[i] ? 1 : 0)) ** 2;
  return outcomes.length ? sum / outcomes.length : 0;
}

export interface ConfidenceBand {
  from: number;
  to: number;
  count: number;
  accuracy: number;
}

/** Accuracy per confidence band: a calibrated model is right about as often as it is confident. */
export function calibrationBands(
  correct: boolean[],
  confidences: number[],
  edges = [0, 0.5, 0.7, 0.85, 0.95, 1.0001],
): ConfidenceBand[] {
  const bands: ConfidenceBand[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    let count = 0;
    let right = 0;
    for (let i = 0; i < correct.length; i++) {
      if (confidences[i] >= edges[b] && confidences[i] < edges[b + 1]) {
        count++;
        if (correct[i]) right++;
      }
    }
    bands.push({ from: edges[b], to: Math.min(edges[b + 1], 1), count, accuracy: count ? right / count : 0 });
  }
  return bands;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
