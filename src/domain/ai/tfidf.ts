// TF-IDF vectors: sublinear term counts weighted by how rare a term is across the documents, scaled to
// unit length so long and short tickets compare fairly. Vectors are sparse (sorted indices + values).
import { DEFAULT_TERM_OPTIONS, type TermOptions, terms } from "./text";

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface TfIdfSpace {
  options: TermOptions;
  vocabulary: string[];
  idf: Float32Array;
  /** Built from `vocabulary` on first use; not serialized. */
  index?: Map<string, number>;
}

export interface FitOptions {
  termOptions?: TermOptions;
  /** Terms seen in fewer documents are dropped: they cannot generalize and bloat the model. */
  minDocumentFrequency?: number;
}

export function fitTfIdf(documents: string[], options: FitOptions = {}): TfIdfSpace {
  const termOptions = options.termOptions ?? DEFAULT_TERM_OPTIONS;
  return fitTfIdfTerms(
    documents.map((document) => terms(document, termOptions)),
    options,
  );
}

/** `fitTfIdf` of documents already turned into terms with `options.termOptions`. */
export function fitTfIdfTerms(documents: string[][], options: FitOptions = {}): TfIdfSpace {
  const termOptions = options.termOptions ?? DEFAULT_TERM_OPTIONS;
  const minDf = options.minDocumentFrequency ?? (documents.length >= 200 ? 2 : 1);
  const documentFrequency = new Map<string, number>();
  for (const document of documents) {
    for (const term of new Set(document)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const vocabulary = [...documentFrequency.keys()].filter((t) => documentFrequency.get(t)! >= minDf).sort();
  const idf = new Float32Array(vocabulary.length);
  const n = documents.length;
  vocabulary.forEach((term, i) => {
    idf[i] = Math.log((1 + n) / (1 + documentFrequency.get(term)!)) + 1;
  });
  return { options: termOptions, vocabulary, idf };
}

function indexOf(space: TfIdfSpace): Map<string, number> {
  if (!space.index) space.index = new Map(space.vocabulary.map((term, i) => [term, i]));
  return space.index;
}

export function vectorize(space: TfIdfSpace, text: string): SparseVector {
  return vectorizeTerms(space, terms(text, space.options));
}

/** `vectorize` of a text already turned into terms with the space's options. */
export function vectorizeTerms(space: TfIdfSpace, documentTerms: string[]): SparseVector {
  const index = indexOf(space);
  const counts = new Map<number, number>();
  for (const term of documentTerms) {
    const i = index.get(term);
    if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const values = new Float32Array(indices.length);
  let norm = 0;
  indices.forEach((i, k) => {
    const weight = (1 + Math.log(counts.get(i)!)) * space.idf[i];
    values[k] = weight;
    norm += weight * weight;
  });
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let k = 0; k < values.length; k++) values[k] *= scale;
  }
  return { indices, values };
}

/** Cosine of two unit vectors: a merge of their sorted indices. */
export function cosine(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const ai = a.indices[i];
    const bj = b.indices[j];
    if (ai === bj) sum += a.values[i++] * b.values[j++];
    else if (ai < bj) i++;
    else j++;
  }
  return sum;
}
