// Five-level sentiment of a customer's message from the lexicon, with negation ("not happy"),
// intensifiers ("extremely slow"), "but" (what follows it is what the writer means), shouting and
// exclamation marks; and the trend over a ticket's messages, for lists and automation conditions.
import { INTENSIFIERS, LEXICON, NEGATIONS } from "./lexicon";
import { sentences, stem, words } from "./text";

export const SENTIMENT_LEVELS = [
  "very_negative",
  "negative",
  "neutral",
  "positive",
  "very_positive",
] as const;
export type SentimentLevel = (typeof SENTIMENT_LEVELS)[number];

export interface SentimentScore {
  level: SentimentLevel;
  /** -1 … 1: the summed valence squashed so a long rant does not grow without bound. */
  score: number;
  /** How sure the lexicon is: grows with the number of sentiment words and distance from a boundary. */
  confidence: number;
  /** The words that carried sentiment, for "why" tooltips. */
  evidence: string[];
}

const STEMMED_LEXICON = new Map([...LEXICON].map(([word, valence]) => [stem(word), valence]));
/** How many words after a negation it still applies to ("not at all happy"). */
const NEGATION_REACH = 3;
/** A negated word keeps part of its strength with the sign turned: "not bad" is mildly good. */
const NEGATION_FACTOR = -0.6;
const BUT_BEFORE = 0.5;
const BUT_AFTER = 1.5;
/** VADER's normalisation constant: about ±0.6 for one strong word, near ±1 for several. */
const SQUASH = 15;
/** An intensifier only reaches the next sentiment word within this many words ("so much better"). */
const INTENSIFIER_REACH = 2;

function valenceOf(word: string): number | undefined {
  return LEXICON.get(word) ?? STEMMED_LEXICON.get(stem(word));
}

/** Valence of one sentence, with what qualifies each word applied. */
function sentenceValence(sentence: string, evidence: string[]): number {
  const tokens = words(sentence);
  const butAt = tokens.lastIndexOf("but");
  let total = 0;
  let negatedUntil = -1;
  let intensity = 1;
  let intensifiedAt = -1;
  tokens.forEach((token, i) => {
    if (i - intensifiedAt > INTENSIFIER_REACH) intensity = 1;
    if (NEGATIONS.has(token) || token.endsWith("n't")) {
      negatedUntil = i + NEGATION_REACH;
      return;
    }
    const multiplier = INTENSIFIERS.get(token);
    if (multiplier !== undefined) {
      intensity *= multiplier;
      intensifiedAt = i;
      return;
    }
    const valence = valenceOf(token);
    if (valence === undefined) return;
    let value = valence * intensity;
    if (i <= negatedUntil) value *= NEGATION_FACTOR;
    if (butAt >= 0) value *= i < butAt ? BUT_BEFORE : BUT_AFTER;
    if (isShouted(sentence, token)) value *= 1.3;
    evidence.push(i <= negatedUntil ? `not ${token}` : token);
    total += value;
    intensity = 1;
  });
  const exclamations = Math.min((sentence.match(/!/g) ?? []).length, 3);
  return total * (1 + 0.1 * exclamations);
}

function isShouted(sentence: string, token: string): boolean {
  return token.length > 2 && new RegExp(`\\b${token.toUpperCase()}\\b`, "u").test(sentence);
}

export function scoreSentiment(text: string): SentimentScore {
  const evidence: string[] = [];
  const total = sentences(text).reduce((sum, sentence) => sum + sentenceValence(sentence, evidence), 0);
  const score = total / Math.sqrt(total * total + SQUASH);
  const level = levelOf(score);
  const margin = distanceToBoundary(score);
  const confidence = evidence.length === 0 ? 0.5 : Math.min(0.99, 0.55 + 0.1 * evidence.length + margin);
  return { level, score, confidence, evidence };
}

const BOUNDARIES = [-0.65, -0.2, 0.2, 0.65];

/** The level of a -1 … 1 score; remote models' scores use the same bands. */
export function levelOf(score: number): SentimentLevel {
  let level = 0;
  for (const boundary of BOUNDARIES) if (score >= boundary) level++;
  return SENTIMENT_LEVELS[level];
}

function distanceToBoundary(score: number): number {
  return Math.min(...BOUNDARIES.map((b) => Math.abs(score - b)));
}

export interface SentimentTrend {
  /** Each message's score, in the order given. */
  scores: SentimentScore[];
  latest: SentimentLevel | undefined;
  /** Least-squares slope of the score per message: above 0 the customer is getting happier. */
  slope: number;
  direction: "improving" | "worsening" | "steady";
}

const TREND_SLOPE = 0.1;

/** The trend over a ticket's customer messages, oldest first. */
export function sentimentTrend(messages: string[]): SentimentTrend {
  const scores = messages.map(scoreSentiment);
  const slope = leastSquaresSlope(scores.map((s) => s.score));
  return {
    scores,
    latest: scores.at(-1)?.level,
    slope,
    direction: slope > TREND_SLOPE ? "improving" : slope < -TREND_SLOPE ? "worsening" : "steady",
  };
}

function leastSquaresSlope(values: number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let numerator = 0;
  let denominator = 0;
  values.forEach((y, x) => {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) ** 2;
  });
  return numerator / denominator;
}
