// The provider that is always there: the organization's own trained classifiers, the sentiment
// lexicon, extractive summaries, TF-IDF retrieval and similarity. No network, no downloaded weights.
import { DEFAULT_AUTO_APPLY_THRESHOLD, predict, type TextClassifier, triageAction } from "./classifier";
import {
  type AiProvider,
  type AiResult,
  type Categorization,
  type CategorizeRequest,
  restrictToChoices,
} from "./provider";
import { draftReplyOffline } from "./reply";
import { scoreSentiment } from "./sentiment";
import { findSimilarTickets } from "./similar";
import { summarizeThread } from "./summary";
import { cosine, fitTfIdf, vectorize } from "./tfidf";

/** Versions of the rule-based parts: bump when their behaviour changes, so stored results say which ran. */
export const LOCAL_VERSIONS = {
  sentiment: "lexicon-1",
  summarize: "extractive-1",
  suggestReply: "retrieval-1",
  similarTickets: "tfidf-minhash-1",
  rankDocuments: "tfidf-1",
} as const;

export interface LocalProviderOptions {
  /** The organization's trained classifier per label field (category, priority, team …). */
  classifiers: Record<string, TextClassifier | undefined>;
}

export function createLocalProvider(options: LocalProviderOptions): AiProvider {
  const local = <T>(value: T, modelVersion: string, confidence: number): AiResult<T> => ({
    value,
    provider: "local",
    modelVersion,
    confidence,
  });

  return {
    name: "local",

    async categorize(request: CategorizeRequest): Promise<AiResult<Categorization>> {
      const model = options.classifiers[request.field];
      if (!model) return local({ label: null, ranking: [], action: "suggest" }, "untrained", 0);
      const prediction = predict(model, request.text);
      const ranking = restrictToChoices(prediction.ranking, request.choices);
      const top = ranking[0];
      // The calibrated confidence holds while the model's favourite is allowed; otherwise the
      // renormalised probability among the allowed labels is the best estimate there is.
      const confidence = top?.label === prediction.label ? prediction.confidence : (top?.probability ?? 0);
      const action = top
        ? triageAction({ confidence }, request.threshold ?? DEFAULT_AUTO_APPLY_THRESHOLD)
        : "suggest";
      return local({ label: top?.label ?? null, ranking, action }, model.version, confidence);
    },

    async sentiment(request) {
      const { level, score, confidence } = scoreSentiment(request.text);
      return local({ level, score }, LOCAL_VERSIONS.sentiment, confidence);
    },

    async summarize(request) {
      const summary = summarizeThread(request.messages, request.maxSentences);
      const confidence = summary.sentences.length ? 0.6 : 0;
      return local(
        { text: summary.text, sentences: summary.sentences },
        LOCAL_VERSIONS.summarize,
        confidence,
      );
    },

    async suggestReply(request) {
      const draft = draftReplyOffline(request.query, request.sources, request.placeholders);
      return local(
        { draft: draft.text, sources: draft.sources, missing: draft.missing },
        LOCAL_VERSIONS.suggestReply,
        draft.confidence,
      );
    },

    async rankDocuments(request) {
      const ranked = rankByTfIdf(request.query, request.documents).slice(
        0,
        request.limit ?? request.documents.length,
      );
      return local(ranked, LOCAL_VERSIONS.rankDocuments, ranked[0]?.score ?? 0);
    },

    async similarTickets(request) {
      const matches = findSimilarTickets(request.ticket, request.candidates, { limit: request.limit });
      return local(matches, LOCAL_VERSIONS.similarTickets, matches[0]?.score ?? 0);
    },
  };
}

function rankByTfIdf(query: string, documents: { id: string; text: string }[]) {
  if (documents.length === 0) return [];
  const space = fitTfIdf([query, ...documents.map((d) => d.text)], { minDocumentFrequency: 1 });
  const queryVector = vectorize(space, query);
  return documents
    .map((document) => ({ id: document.id, score: cosine(queryVector, vectorize(space, document.text)) }))
    .sort((a, b) => b.score - a.score);
}
