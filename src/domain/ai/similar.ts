// Similar and duplicate tickets among candidates the caller chose (the same contact's open tickets,
// or tickets of the last N days): TF-IDF cosine ranks them by topic; MinHash over word triples
// estimates how much of the wording is shared, which is what marks a duplicate (a customer writing
// the same thing twice) apart from a ticket that is merely about the same subject.

import { BoundedMap } from "../bounded";
import { DEFAULT_TERM_OPTIONS, type TermOptions, termsOfWords, words } from "./text";
import { cosine, type TfIdfSpace, vectorizeTerms } from "./tfidf";

export interface CandidateTicket {
  id: string;
  text: string;
  contactId?: string;
}

export interface SimilarTicket {
  id: string;
  /** TF-IDF cosine, 0 … 1. */
  score: number;
  /** Estimated Jaccard similarity of the word triples, 0 … 1. */
  overlap: number;
  sameContact: boolean;
  likelyDuplicate: boolean;
}

export interface SimilarityOptions {
  limit?: number;
  /** Candidates below this cosine are not worth showing. */
  minScore?: number;
  /** At or above this cosine *or* wording overlap a candidate is offered for merging. */
  duplicateScore?: number;
  duplicateOverlap?: number;
  /** A space fitted on the organization's tickets; by default one is fitted on the candidates. */
  space?: TfIdfSpace;
}

export const DEFAULT_SIMILARITY: Required<Omit<SimilarityOptions, "space">> = {
  limit: 5,
  minScore: 0.1,
  duplicateScore: 0.85,
  duplicateOverlap: 0.6,
};

/** What a text contributes to a comparison, worked out once per text (see `featuresOf`). */
interface TextFeatures {
  /** Its terms, repeated as often as they occur. */
  terms: string[];
  /** Each term once: all a document contributes to the document frequencies. */
  distinct: string[];
  /** Each distinct term's term-frequency weight, 1 + log(count), in the order of `distinct`. */
  termWeights: Float64Array;
  signature: Uint32Array;
}

/**
 * The same open tickets are the candidates of every arrival for hours, so each text's terms and
 * MinHash signature are kept (by term options and text), not worked out again for each arrival:
 * that was most of a comparison's time (600 candidates, about 8 of 15 ms).
 */
const features = new BoundedMap<string, TextFeatures>(5_000);

function featuresOf(text: string, termOptions: TermOptions): TextFeatures {
  const key = `${termOptions.bigrams ? 1 : 0}${termOptions.charNgram}:${text}`;
  const known = features.get(key);
  if (known) return known;
  // Each text is split into words once: its terms (for TF-IDF) and its word triples (for MinHash).
  const tokens = words(text);
  const terms = termsOfWords(tokens, termOptions);
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const found = {
    terms,
    distinct: [...counts.keys()],
    termWeights: Float64Array.from(counts.values(), (count) => 1 + Math.log(count)),
    signature: minHashOfWords(tokens),
  };
  features.set(key, found);
  return found;
}

export function findSimilarTickets(
  ticket: { text: string; contactId?: string },
  candidates: CandidateTicket[],
  options: SimilarityOptions = {},
): SimilarTicket[] {
  const settings = { ...DEFAULT_SIMILARITY, ...options };
  // A fitted space brings its own term options.
  const termOptions = options.space?.options ?? DEFAULT_TERM_OPTIONS;
  const texts = [ticket.text, ...candidates.map((c) => c.text)].map((text) => featuresOf(text, termOptions));
  const scores = options.space ? cosinesIn(options.space, texts) : cosinesInOwnSpace(texts);
  return candidates
    .map((candidate, i) => {
      const score = scores[i];
      const overlap = estimatedJaccard(texts[0].signature, texts[i + 1].signature);
      return {
        id: candidate.id,
        score,
        overlap,
        sameContact: ticket.contactId !== undefined && candidate.contactId === ticket.contactId,
        likelyDuplicate: score >= settings.duplicateScore || overlap >= settings.duplicateOverlap,
      };
    })
    .filter((match) => match.score >= settings.minScore || match.likelyDuplicate)
    .sort((a, b) => Number(b.likelyDuplicate) - Number(a.likelyDuplicate) || b.score - a.score)
    .slice(0, settings.limit);
}

/** The query's (first text's) cosine with each other text, in a space fitted on the organization. */
function cosinesIn(space: TfIdfSpace, texts: TextFeatures[]): number[] {
  const query = vectorizeTerms(space, texts[0].terms);
  return texts.slice(1).map((text) => cosine(query, vectorizeTerms(space, text.terms)));
}

/**
 * The query's (first text's) cosine with each other text in a TF-IDF space fitted on these texts,
 * every term kept: the weights of `fitTfIdfTerms` and `vectorizeTerms` — (1 + log count) × idf, unit
 * length — summed over the texts' kept terms directly, instead of building a sorted vector per text
 * (which was most of a comparison with 600 candidates).
 */
function cosinesInOwnSpace(texts: TextFeatures[]): number[] {
  const documentFrequency = new Map<string, number>();
  for (const text of texts)
    for (const term of text.distinct) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [term, df] of documentFrequency) idf.set(term, Math.log((1 + texts.length) / (1 + df)) + 1);
  const [query, ...others] = texts;
  const queryWeights = new Map<string, number>();
  let queryNorm = 0;
  query.distinct.forEach((term, k) => {
    const weight = query.termWeights[k] * idf.get(term)!;
    queryWeights.set(term, weight);
    queryNorm += weight * weight;
  });
  return others.map((text) => {
    let dot = 0;
    let norm = 0;
    text.distinct.forEach((term, k) => {
      const weight = text.termWeights[k] * idf.get(term)!;
      norm += weight * weight;
      dot += weight * (queryWeights.get(term) ?? 0);
    });
    return dot === 0 ? 0 : dot / Math.sqrt(norm * queryNorm);
  });
}

const SIGNATURE_SIZE = 64;
const SHINGLE_WORDS = 3;
/** Odd multipliers and offsets of the universal hashes, fixed so stored signatures stay comparable. */
const HASH_SEEDS = Array.from({ length: SIGNATURE_SIZE }, (_, i) => ({
  a: (Math.imul(i + 1, 0x9e3779b1) | 1) >>> 0,
  b: Math.imul(i + 7, 0x85ebca6b) >>> 0,
}));

/** 64 minimum hashes of the text's word triples; short texts fall back to single words. */
export function minHashSignature(text: string): Uint32Array {
  return minHashOfWords(words(text));
}

function minHashOfWords(tokens: string[]): Uint32Array {
  const size = tokens.length >= SHINGLE_WORDS ? SHINGLE_WORDS : 1;
  const signature = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (let i = 0; i + size <= tokens.length; i++) {
    const shingle = fnv1a(tokens.slice(i, i + size).join(" "));
    for (let h = 0; h < SIGNATURE_SIZE; h++) {
      const value = (Math.imul(shingle, HASH_SEEDS[h].a) + HASH_SEEDS[h].b) >>> 0;
      if (value < signature[h]) signature[h] = value;
    }
  }
  return signature;
}

/** The share of equal minimum hashes estimates the Jaccard similarity of the shingle sets. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i] && a[i] !== 0xffffffff) same++;
  return same / a.length;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
