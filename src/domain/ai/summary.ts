// Offline summary of a long thread: the sentences that best represent it, in thread order, each with
// who said it. A sentence scores by TF-IDF centrality (cosine to the thread's centroid: what the thread
// keeps talking about) plus a bonus for opening the thread (the problem) and for the latest message
// (where things stand). Greetings and sign-offs never make it in.

import { sentences, words } from "./text";
import { cosine, fitTfIdf, type SparseVector, vectorize } from "./tfidf";

export interface ThreadMessage {
  author: string;
  role?: "customer" | "agent" | "note";
  text: string;
}

export interface SummarySentence {
  author: string;
  messageIndex: number;
  text: string;
  score: number;
}

export interface ExtractiveSummary {
  sentences: SummarySentence[];
  /** "Author: sentence" lines, ready to show. */
  text: string;
}

const MIN_WORDS = 4;
const OPENING_BONUS = 0.25;
const LATEST_BONUS = 0.15;
const BOILERPLATE =
  /^(hi|hello|hey|dear|thanks|thank you|many thanks|regards|best regards|kind regards|cheers|sent from my)\b/i;

export function summarizeThread(messages: ThreadMessage[], maxSentences = 4): ExtractiveSummary {
  const pool = messages.flatMap((message, messageIndex) =>
    sentences(message.text)
      .filter((text) => words(text).length >= MIN_WORDS && !BOILERPLATE.test(text.trim()))
      .map((text, position) => ({ author: message.author, messageIndex, position, text })),
  );
  if (pool.length === 0) return { sentences: [], text: "" };
  const space = fitTfIdf(
    pool.map((s) => s.text),
    { minDocumentFrequency: 1 },
  );
  const vectors = pool.map((s) => vectorize(space, s.text));
  const centroid = unitCentroid(vectors, space.vocabulary.length);
  const lastMessage = messages.length - 1;
  const scored = pool.map((s, i) => {
    let score = cosine(vectors[i], centroid);
    if (s.messageIndex === 0 && s.position < 2) score += OPENING_BONUS;
    if (s.messageIndex === lastMessage && lastMessage > 0) score += LATEST_BONUS;
    return { author: s.author, messageIndex: s.messageIndex, text: s.text, score, order: i };
  });
  const chosen = scored
    .sort((a, b) => b.score - a.score)
    .slice(0, maxSentences)
    .sort((a, b) => a.order - b.order)
    .map(({ order: _order, ...sentence }) => sentence);
  return { sentences: chosen, text: chosen.map((s) => `${s.author}: ${s.text}`).join("\n") };
}

function unitCentroid(vectors: SparseVector[], dimensions: number): SparseVector {
  const sum = new Float64Array(dimensions);
  for (const { indices, values } of vectors)
    for (let k = 0; k < indices.length; k++) sum[indices[k]] += values[k];
  const norm = Math.sqrt(sum.reduce((total, v) => total + v * v, 0)) || 1;
  const indices = Int32Array.from(sum.keys()).filter((i) => sum[i] !== 0);
  return { indices, values: Float32Array.from(indices, (i) => sum[i] / norm) };
}
