// The local ticket classifier: TF-IDF features and a linear model per label field (category, priority,
// team...), trained from one organization's history plus its agents' corrections. Three learners share
// one prediction path (a weight per term and label): multinomial logistic regression trained by
// Adagrad SGD, complement naive Bayes, a one-vs-rest linear SVM, and blends of them (the sum of their
// temperature-scaled scores, still one linear model). Training is k-fold: out-of-fold scores pick the
// learner by macro-F1 ("auto"), fit a softmax temperature and an isotonic curve so confidences match
// how often the model is right; the fold models' average is the model kept.
import { createHash } from "node:crypto";
import { applyIsotonic, fitIsotonic, type IsotonicCurve } from "./calibration";
import { macroF1, accuracy as measuredAccuracy, seededRandom, shuffle, stratifiedFolds } from "./metrics";
import { DEFAULT_TERM_OPTIONS, type TermOptions } from "./text";
import { fitTfIdf, type SparseVector, type TfIdfSpace, vectorize } from "./tfidf";

/** Above this confidence a prediction is applied to the ticket; below it is offered as a suggestion. */
export const DEFAULT_AUTO_APPLY_THRESHOLD = 0.85;

export interface TrainingExample {
  text: string;
  label: string;
  /** Agents' corrections count more than labels that were merely never changed. */
  weight?: number;
}

type BaseLearner = "logistic" | "complement-nb" | "svm";
/** A base learner, or a blend: the sum of its parts' temperature-scaled scores. */
export type Learner = BaseLearner | "blend" | "blend-svm" | "blend-all";

const LEARNER_PARTS: Record<Learner, BaseLearner[]> = {
  logistic: ["logistic"],
  "complement-nb": ["complement-nb"],
  svm: ["svm"],
  blend: ["logistic", "complement-nb"],
  "blend-svm": ["svm", "complement-nb"],
  "blend-all": ["logistic", "svm", "complement-nb"],
};

/** What "auto" compares out of fold. */
const AUTO_LEARNERS: Learner[] = ["logistic", "complement-nb", "svm", "blend", "blend-svm", "blend-all"];

export interface TrainingParams {
  learner: Learner | "auto";
  epochs: number;
  learningRate: number;
  l2: number;
  /** Weight of a class's examples ∝ (1/frequency)^power: 0 = none, 1 = fully balanced. */
  classBalancePower: number;
  /** Cost of a margin violation in the linear SVM (higher = less regularized). */
  svmC: number;
  svmPasses: number;
  /** Class weights of the SVM's positive examples, as `classBalancePower`. */
  svmBalancePower: number;
  /** Additive smoothing of complement naive Bayes. */
  smoothing: number;
  termOptions: TermOptions;
  minDocumentFrequency?: number;
  /** Folds of the training examples used to choose the learner and calibrate confidences. */
  validationFolds: number;
  seed: number;
}

export const DEFAULT_TRAINING_PARAMS: TrainingParams = {
  learner: "auto",
  epochs: 8,
  learningRate: 0.5,
  l2: 3e-3,
  classBalancePower: 0.5,
  svmC: 0.5,
  svmPasses: 30,
  svmBalancePower: 1,
  smoothing: 0.1,
  termOptions: DEFAULT_TERM_OPTIONS,
  validationFolds: 5,
  seed: 1,
};

export interface TextClassifier {
  format: 1;
  /** Hash of the training examples and parameters: the same data and settings give the same version. */
  version: string;
  learner: Learner;
  labels: string[];
  space: TfIdfSpace;
  /** Feature-major: weights[feature * labels.length + label]. */
  weights: Float32Array;
  bias: Float32Array;
  temperature: number;
  /** Maps the top probability to the measured chance of being right (absent for tiny training sets). */
  calibration?: IsotonicCurve;
  examples: number;
  params: TrainingParams;
  /** Out-of-fold figures measured while choosing the learner (absent for tiny training sets). */
  validation?: { macroF1: number; accuracy: number; scores: Partial<Record<Learner, number>> };
}

export interface LabelProbability {
  label: string;
  probability: number;
}

export interface ClassPrediction {
  label: string;
  /** The calibrated chance that `label` is right: what the auto-apply threshold is compared with. */
  confidence: number;
  /** Every label with the model's (temperature-scaled) probability, most likely first. */
  ranking: LabelProbability[];
}

export class TrainingError extends Error {}

export function trainClassifier(
  examples: TrainingExample[],
  overrides: Partial<TrainingParams> = {},
): TextClassifier {
  const params = { ...DEFAULT_TRAINING_PARAMS, ...overrides };
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) throw new TrainingError("Training needs examples of at least two labels");
  // Term weights need no labels, so one space fitted on every example serves all fold models.
  const space = fitTfIdf(
    examples.map((e) => e.text),
    { termOptions: params.termOptions, minDocumentFrequency: params.minDocumentFrequency },
  );
  const data: Encoded = {
    labels,
    vectors: examples.map((e) => vectorize(space, e.text)),
    targets: examples.map((e) => labels.indexOf(e.label)),
    sampleWeights: examples.map((e) => e.weight ?? 1),
    features: space.vocabulary.length,
  };
  const trained =
    examples.length < MIN_EXAMPLES_TO_VALIDATE
      ? fitWithoutValidation(data, params)
      : crossValidate(data, params);
  return {
    format: 1,
    version: trainingVersion(examples, params),
    learner: trained.learner,
    labels,
    space,
    weights: trained.linear.weights,
    bias: trained.linear.bias,
    temperature: trained.temperature,
    calibration: trained.calibration,
    examples: examples.length,
    params,
    validation: trained.validation,
  };
}

/** Folds history and agents' corrections into one set: the latest correction of a ticket wins. */
export function trainingExamples(
  history: { ticketId: string; text: string; label: string }[],
  corrections: { ticketId: string; text: string; label: string }[],
  correctionWeight = 2,
): TrainingExample[] {
  const byTicket = new Map<string, TrainingExample>();
  for (const row of history) byTicket.set(row.ticketId, { text: row.text, label: row.label });
  for (const row of corrections)
    byTicket.set(row.ticketId, { text: row.text, label: row.label, weight: correctionWeight });
  return [...byTicket.values()];
}

function trainingVersion(examples: TrainingExample[], params: TrainingParams): string {
  const hash = createHash("sha256").update(JSON.stringify(params));
  for (const e of examples) hash.update(`${e.label}\u0000${e.text}\u0000${e.weight ?? 1}\u0001`);
  return hash.digest("hex").slice(0, 16);
}

interface Encoded {
  labels: string[];
  vectors: SparseVector[];
  targets: number[];
  sampleWeights: number[];
  features: number;
}

interface Trained {
  learner: Learner;
  linear: LinearWeights;
  temperature: number;
  calibration?: IsotonicCurve;
  validation?: TextClassifier["validation"];
}

const MIN_EXAMPLES_TO_VALIDATE = 40;

/** Too few examples to hold any out: one model on all of them, confidences uncalibrated. */
function fitWithoutValidation(data: Encoded, params: TrainingParams): Trained {
  const learner: Learner = params.learner === "auto" ? "logistic" : params.learner;
  const parts = fitBases(
    data,
    data.targets.map((_, i) => i),
    params,
    LEARNER_PARTS[learner],
  );
  const linear = blendWeights(
    LEARNER_PARTS[learner].map((base) => ({ part: parts[base]!, scale: 1 })),
    data.labels.length,
    data.features,
  );
  return { learner, linear, temperature: 1 };
}

/**
 * k stratified folds: each fold's models score the examples they did not see. Those out-of-fold
 * scores choose the learner (best macro-F1; steadier than one split, where a rare class's two or
 * three examples decide it) and fit the temperatures. The product is the average of the k fold
 * models — a cross-validation ensemble, so no final retraining, and its confidences were measured
 * on unseen examples (averaging only makes it slightly more modest).
 */
function crossValidate(data: Encoded, params: TrainingParams): Trained {
  const { labels } = data;
  const classes = labels.length;
  const folds = stratifiedFolds(
    data.targets.map((t) => labels[t]),
    params.validationFolds,
    params.seed,
  );
  const allowed: Learner[] = params.learner === "auto" ? AUTO_LEARNERS : [params.learner];
  const bases = [...new Set(allowed.flatMap((learner) => LEARNER_PARTS[learner]))];
  const truth: string[] = [];
  const baseScores = new Map<BaseLearner, number[][]>(bases.map((base) => [base, []]));
  const baseSums = new Map<BaseLearner, LinearWeights>(
    bases.map((base) => [base, emptyLinear(classes, data.features)]),
  );
  for (const fold of folds) {
    const held = new Set(fold);
    const parts = fitBases(
      data,
      data.targets.map((_, i) => i).filter((i) => !held.has(i)),
      params,
      bases,
    );
    for (const base of bases) addInto(baseSums.get(base)!, parts[base]!, 1 / folds.length);
    for (const i of fold) {
      truth.push(labels[data.targets[i]]);
      for (const base of bases)
        baseScores.get(base)!.push(rawScores({ ...parts[base]!, labels }, data.vectors[i]));
    }
  }
  // Each learner's scores divided by its own temperature are comparable log-odds, so they can be summed.
  const mix = new Map(bases.map((base) => [base, 1 / fitTemperature(baseScores.get(base)!, truth, labels)]));
  const blendedScores = (learner: Learner) => {
    const parts = LEARNER_PARTS[learner];
    if (parts.length === 1) return baseScores.get(parts[0])!;
    return truth.map((_, i) =>
      labels.map((_, c) =>
        parts.reduce((sum, base) => sum + baseScores.get(base)![i][c] * mix.get(base)!, 0),
      ),
    );
  };
  const candidates = new Map(allowed.map((learner) => [learner, blendedScores(learner)]));
  const scores: Partial<Record<Learner, number>> = {};
  let best: { learner: Learner; f1: number; accuracy: number } | undefined;
  for (const learner of allowed) {
    const predicted = candidates.get(learner)!.map((row) => labels[argmax(row)]);
    const f1 = macroF1(truth, predicted);
    const accuracy = measuredAccuracy(truth, predicted);
    scores[learner] = f1;
    if (!best || f1 > best.f1 || (f1 === best.f1 && accuracy > best.accuracy))
      best = { learner, f1, accuracy };
  }
  const chosen = best!;
  const chosenParts = LEARNER_PARTS[chosen.learner];
  const linear = blendWeights(
    chosenParts.map((base) => ({
      part: baseSums.get(base)!,
      scale: chosenParts.length === 1 ? 1 : mix.get(base)!,
    })),
    classes,
    data.features,
  );
  const chosenScores = candidates.get(chosen.learner)!;
  const temperature = fitTemperature(chosenScores, truth, labels);
  const topProbabilities = chosenScores.map((row) => {
    const probabilities = row.map((s) => s / temperature);
    softmaxInPlace(probabilities);
    return Math.max(...probabilities);
  });
  const right = chosenScores.map((row, i) => labels[argmax(row)] === truth[i]);
  return {
    learner: chosen.learner,
    linear,
    temperature,
    calibration: fitIsotonic(topProbabilities, right),
    validation: { macroF1: chosen.f1, accuracy: chosen.accuracy, scores },
  };
}

function fitBases(data: Encoded, rows: number[], params: TrainingParams, bases: BaseLearner[]) {
  const vectors = rows.map((i) => data.vectors[i]);
  const targets = rows.map((i) => data.targets[i]);
  const weights = rows.map((i) => data.sampleWeights[i]);
  const classes = data.labels.length;
  const parts: Partial<Record<BaseLearner, LinearWeights>> = {};
  for (const base of bases)
    parts[base] = BASE_FITTERS[base](vectors, targets, weights, classes, data.features, params);
  return parts;
}

function emptyLinear(classes: number, features: number): LinearWeights {
  return { weights: new Float32Array(classes * features), bias: new Float32Array(classes) };
}

function addInto(sum: LinearWeights, part: LinearWeights, scale: number): void {
  for (let i = 0; i < sum.weights.length; i++) sum.weights[i] += part.weights[i] * scale;
  for (let c = 0; c < sum.bias.length; c++) sum.bias[c] += part.bias[c] * scale;
}

/** Sum of the models' calibrated log-odds: still one linear model, so prediction costs the same. */
function blendWeights(
  parts: { part: LinearWeights; scale: number }[],
  classes: number,
  features: number,
): LinearWeights {
  const sum = emptyLinear(classes, features);
  for (const { part, scale } of parts) addInto(sum, part, scale);
  return sum;
}

interface LinearWeights {
  weights: Float32Array;
  bias: Float32Array;
}

type Fitter = (
  vectors: SparseVector[],
  targets: number[],
  sampleWeights: number[],
  classes: number,
  features: number,
  params: TrainingParams,
) => LinearWeights;

const BASE_FITTERS: Record<BaseLearner, Fitter> = {
  logistic: (...args) => fitLogistic(...args),
  "complement-nb": (...args) => fitComplementNaiveBayes(...args),
  svm: (...args) => fitLinearSvm(...args),
};

function fitLogistic(
  vectors: SparseVector[],
  targets: number[],
  sampleWeights: number[],
  classes: number,
  features: number,
  params: TrainingParams,
): LinearWeights {
  const weights = new Float32Array(classes * features);
  const bias = new Float32Array(classes);
  // Adagrad: each weight's step shrinks with its own gradient history, so rare terms still learn.
  const squaredWeights = new Float32Array(classes * features).fill(1e-8);
  const squaredBias = new Float32Array(classes).fill(1e-8);
  const classWeight = balancedClassWeights(targets, classes, params.classBalancePower);
  const random = seededRandom(params.seed);
  const order = targets.map((_, i) => i);
  const scores = new Float64Array(classes);
  const gradient = new Float64Array(classes);
  for (let epoch = 0; epoch < params.epochs; epoch++) {
    for (const d of shuffle(order, random)) {
      const { indices, values } = vectors[d];
      linearScores(weights, bias, indices, values, classes, scores);
      softmaxInPlace(scores);
      const scale = classWeight[targets[d]] * sampleWeights[d];
      for (let c = 0; c < classes; c++) gradient[c] = (scores[c] - (c === targets[d] ? 1 : 0)) * scale;
      for (let c = 0; c < classes; c++) {
        squaredBias[c] += gradient[c] * gradient[c];
        bias[c] -= (params.learningRate * gradient[c]) / Math.sqrt(squaredBias[c]);
      }
      for (let k = 0; k < indices.length; k++) {
        const base = indices[k] * classes;
        const x = values[k];
        for (let c = 0; c < classes; c++) {
          const g = gradient[c] * x + params.l2 * weights[base + c];
          squaredWeights[base + c] += g * g;
          weights[base + c] -= (params.learningRate * g) / Math.sqrt(squaredWeights[base + c]);
        }
      }
    }
  }
  return { weights, bias };
}

/**
 * One-vs-rest linear SVM with the squared hinge loss: a margin per label, strong on sparse text.
 * Positive examples weigh by `svmBalancePower` (fully balanced by default), which is what lets the
 * rare labels win any tickets at all.
 */
function fitLinearSvm(
  vectors: SparseVector[],
  targets: number[],
  sampleWeights: number[],
  classes: number,
  features: number,
  params: TrainingParams,
): LinearWeights {
  const weights = new Float32Array(classes * features);
  const bias = new Float32Array(classes);
  const classWeight = balancedClassWeights(targets, classes, params.svmBalancePower);
  const random = seededRandom(params.seed);
  for (let c = 0; c < classes; c++) {
    const signs = targets.map((t) => (t === c ? 1 : -1));
    const costs = targets.map((t, i) => params.svmC * sampleWeights[i] * (t === c ? classWeight[t] : 1));
    const margin = fitBinarySvm(vectors, signs, costs, features, params.svmPasses, random);
    for (let f = 0; f < features; f++) weights[f * classes + c] = margin.weights[f];
    bias[c] = margin.bias;
  }
  return { weights, bias };
}

/**
 * L2-regularised squared-hinge SVM solved in the dual by coordinate descent (Hsieh et al. 2008, as
 * LIBLINEAR): one example's dual variable at a time, in closed form, until no step is worth taking.
 * The bias is an extra constant feature of value 1.
 */
function fitBinarySvm(
  vectors: SparseVector[],
  signs: number[],
  costs: number[],
  features: number,
  passes: number,
  random: () => number,
): { weights: Float64Array; bias: number } {
  const weights = new Float64Array(features);
  let bias = 0;
  const alpha = new Float64Array(vectors.length);
  const diagonal = costs.map((cost) => 1 / (2 * cost));
  const squaredNorms = vectors.map(({ values }) => values.reduce((sum, v) => sum + v * v, 1));
  const order = vectors.map((_, i) => i);
  for (let pass = 0; pass < passes; pass++) {
    let largest = 0;
    for (const i of shuffle(order, random)) {
      const { indices, values } = vectors[i];
      let margin = bias;
      for (let k = 0; k < indices.length; k++) margin += weights[indices[k]] * values[k];
      const gradient = signs[i] * margin - 1 + diagonal[i] * alpha[i];
      const projected = alpha[i] === 0 ? Math.min(gradient, 0) : gradient;
      if (projected === 0) continue;
      largest = Math.max(largest, Math.abs(projected));
      const next = Math.max(alpha[i] - gradient / (squaredNorms[i] + diagonal[i]), 0);
      const change = (next - alpha[i]) * signs[i];
      alpha[i] = next;
      for (let k = 0; k < indices.length; k++) weights[indices[k]] += change * values[k];
      bias += change;
    }
    if (largest < SVM_TOLERANCE) break;
  }
  return { weights, bias };
}

const SVM_TOLERANCE = 1e-3;

function balancedClassWeights(targets: number[], classes: number, power: number): Float64Array {
  const counts = new Float64Array(classes);
  for (const t of targets) counts[t]++;
  const weights = new Float64Array(classes);
  for (let c = 0; c < classes; c++)
    weights[c] = counts[c] ? (targets.length / (classes * counts[c])) ** power : 0;
  // Normalised to an average example weight of 1 so the learning rate means the same for any power.
  let mean = 0;
  for (const t of targets) mean += weights[t];
  mean /= targets.length;
  for (let c = 0; c < classes; c++) weights[c] /= mean;
  return weights;
}

/**
 * Complement naive Bayes (Rennie et al. 2003): a class is scored by how unlike the *other* classes'
 * term distribution a text is, which copes with skewed classes far better than plain multinomial NB.
 */
function fitComplementNaiveBayes(
  vectors: SparseVector[],
  targets: number[],
  sampleWeights: number[],
  classes: number,
  features: number,
  params: TrainingParams,
): LinearWeights {
  const perClass = new Float64Array(classes * features);
  const total = new Float64Array(features);
  vectors.forEach(({ indices, values }, d) => {
    for (let k = 0; k < indices.length; k++) {
      const amount = values[k] * sampleWeights[d];
      perClass[indices[k] * classes + targets[d]] += amount;
      total[indices[k]] += amount;
    }
  });
  const weights = new Float32Array(classes * features);
  for (let c = 0; c < classes; c++) {
    let complementSum = 0;
    for (let f = 0; f < features; f++) complementSum += total[f] - perClass[f * classes + c];
    const denominator = complementSum + params.smoothing * features;
    for (let f = 0; f < features; f++) {
      const complement = total[f] - perClass[f * classes + c] + params.smoothing;
      weights[f * classes + c] = -Math.log(complement / denominator);
    }
  }
  return { weights, bias: new Float32Array(classes) };
}

function linearScores(
  weights: Float32Array,
  bias: Float32Array,
  indices: Int32Array,
  values: Float32Array,
  classes: number,
  out: Float64Array,
): void {
  for (let c = 0; c < classes; c++) out[c] = bias[c];
  for (let k = 0; k < indices.length; k++) {
    const base = indices[k] * classes;
    const x = values[k];
    for (let c = 0; c < classes; c++) out[c] += weights[base + c] * x;
  }
}

function rawScores(model: LinearWeights & { labels: string[] }, vector: SparseVector): number[] {
  const out = new Float64Array(model.labels.length);
  linearScores(model.weights, model.bias, vector.indices, vector.values, model.labels.length, out);
  return [...out];
}

function softmaxInPlace(scores: Float64Array | number[]): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    scores[c] = Math.exp(scores[c] - max);
    sum += scores[c];
  }
  for (let c = 0; c < scores.length; c++) scores[c] /= sum;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** The temperature minimising held-out log-loss, searched on a log scale (naive Bayes needs T ≪ 1). */
function fitTemperature(scores: number[][], truth: string[], labels: string[]): number {
  const targets = truth.map((label) => labels.indexOf(label));
  const logLoss = (temperature: number) => {
    let loss = 0;
    scores.forEach((row, i) => {
      const probabilities = row.map((s) => s / temperature);
      softmaxInPlace(probabilities);
      loss -= Math.log(Math.max(probabilities[targets[i]] ?? 0, 1e-12));
    });
    return loss;
  };
  let best = 1;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (let step = -40; step <= 20; step++) {
    const temperature = 10 ** (step / 10);
    const loss = logLoss(temperature);
    if (loss < bestLoss) [best, bestLoss] = [temperature, loss];
  }
  return best;
}

export function predict(model: TextClassifier, text: string): ClassPrediction {
  const probabilities = rawScores(model, vectorize(model.space, text)).map((s) => s / model.temperature);
  softmaxInPlace(probabilities);
  const ranking = model.labels
    .map((label, i) => ({ label, probability: probabilities[i] }))
    .sort((a, b) => b.probability - a.probability);
  const top = ranking[0];
  const confidence = model.calibration ? applyIsotonic(model.calibration, top.probability) : top.probability;
  return { label: top.label, confidence, ranking };
}

export type TriageAction = "apply" | "suggest";

/** Confident predictions are applied to the ticket; the rest wait for an agent's click. */
export function triageAction(
  prediction: { confidence: number },
  threshold = DEFAULT_AUTO_APPLY_THRESHOLD,
): TriageAction {
  return prediction.confidence >= threshold ? "apply" : "suggest";
}

interface SerializedClassifier extends Omit<TextClassifier, "space" | "weights" | "bias"> {
  space: { options: TermOptions; vocabulary: string[]; idf: string };
  weights: string;
  bias: string;
}

/** JSON for a jsonb column: arrays of floats as base64 of their float32 bytes, exact and compact. */
export function serializeClassifier(model: TextClassifier): string {
  const serialized: SerializedClassifier = {
    ...model,
    space: {
      options: model.space.options,
      vocabulary: model.space.vocabulary,
      idf: toBase64(model.space.idf),
    },
    weights: toBase64(model.weights),
    bias: toBase64(model.bias),
  };
  return JSON.stringify(serialized);
}

export function deserializeClassifier(json: string): TextClassifier {
  const parsed = JSON.parse(json) as SerializedClassifier;
  if (parsed.format !== 1) throw new TrainingError(`Unknown classifier format ${parsed.format}`);
  return {
    ...parsed,
    space: {
      options: parsed.space.options,
      vocabulary: parsed.space.vocabulary,
      idf: fromBase64(parsed.space.idf),
    },
    weights: fromBase64(parsed.weights),
    bias: fromBase64(parsed.bias),
  };
}

function toBase64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("base64");
}

function fromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
