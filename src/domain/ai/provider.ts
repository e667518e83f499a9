// What the product asks of AI, whoever answers: the local models or Hugging Face. Every answer says
// which provider and model version produced it and how confident it is, so it can be stored with the
// prediction and shown on the ticket ("suggested by the local model, 72%").
import type { LabelProbability, TriageAction } from "./classifier";
import type { KnowledgeSource, PlaceholderValues, RetrievedSource } from "./reply";
import type { SentimentLevel } from "./sentiment";
import type { CandidateTicket, SimilarTicket } from "./similar";
import type { SummarySentence, ThreadMessage } from "./summary";

export type ProviderName = "local" | "huggingface";

export const AI_TASKS = [
  "categorize",
  "sentiment",
  "summarize",
  "suggestReply",
  "similarTickets",
  "rankDocuments",
] as const;
export type AiTask = (typeof AI_TASKS)[number];

export interface AiResult<T> {
  value: T;
  provider: ProviderName;
  modelVersion: string;
  /** 0 … 1; for lists (similar tickets, sources) the best item's score. */
  confidence: number;
  /** Set when the preferred provider could not answer and another one did. */
  fallback?: { from: ProviderName; reason: string };
}

/** A label field the desk can triage: category, subcategory, priority, team, ticket type, or a custom one. */
export type LabelField = string;

export interface LabelChoice {
  value: string;
  /** What a person (or a zero-shot model) reads: "Billing", "Network outage". */
  name: string;
}

export interface CategorizeRequest {
  field: LabelField;
  text: string;
  /** The values allowed now; predictions outside them (a deleted category) are dropped. */
  choices: LabelChoice[];
  /** Auto-apply threshold set by the admin; 0.85 by default. */
  threshold?: number;
}

export interface Categorization {
  /** null when nothing has been learned for this field yet. */
  label: string | null;
  ranking: LabelProbability[];
  action: TriageAction;
}

export interface SentimentRequest {
  text: string;
}

export interface SentimentValue {
  level: SentimentLevel;
  /** -1 … 1. */
  score: number;
}

export interface SummarizeRequest {
  messages: ThreadMessage[];
  maxSentences?: number;
}

export interface SummaryValue {
  text: string;
  /** The quoted sentences when the summary is extractive; absent for generated summaries. */
  sentences?: SummarySentence[];
}

export interface SuggestReplyRequest {
  /** The customer's latest message (or the ticket's subject and description). */
  query: string;
  sources: KnowledgeSource[];
  placeholders: PlaceholderValues;
}

export interface ReplySuggestion {
  draft: string;
  sources: RetrievedSource[];
  /** Placeholders left unfilled in the draft. */
  missing: string[];
}

export interface SimilarTicketsRequest {
  ticket: { text: string; contactId?: string };
  candidates: CandidateTicket[];
  limit?: number;
}

/** Search results (articles, tickets) to put in order of meaning rather than shared words. */
export interface RankDocumentsRequest {
  query: string;
  documents: { id: string; text: string }[];
  limit?: number;
}

export interface RankedDocument {
  id: string;
  /** Cosine similarity to the query, -1 … 1 (TF-IDF locally, embeddings remotely). */
  score: number;
}

export interface AiProvider {
  readonly name: ProviderName;
  /** False when this provider has no model for the task (then the local provider answers). */
  supports?(task: AiTask): boolean;
  categorize(request: CategorizeRequest, signal?: AbortSignal): Promise<AiResult<Categorization>>;
  sentiment(request: SentimentRequest, signal?: AbortSignal): Promise<AiResult<SentimentValue>>;
  summarize(request: SummarizeRequest, signal?: AbortSignal): Promise<AiResult<SummaryValue>>;
  suggestReply(request: SuggestReplyRequest, signal?: AbortSignal): Promise<AiResult<ReplySuggestion>>;
  similarTickets(request: SimilarTicketsRequest, signal?: AbortSignal): Promise<AiResult<SimilarTicket[]>>;
  rankDocuments(request: RankDocumentsRequest, signal?: AbortSignal): Promise<AiResult<RankedDocument[]>>;
}

/** Keeps only the allowed labels and rescales their probabilities to sum to one. */
export function restrictToChoices(ranking: LabelProbability[], choices: LabelChoice[]): LabelProbability[] {
  if (choices.length === 0) return ranking;
  const allowed = new Set(choices.map((c) => c.value));
  const kept = ranking.filter((r) => allowed.has(r.label));
  const total = kept.reduce((sum, r) => sum + r.probability, 0);
  return total > 0 ? kept.map((r) => ({ ...r, probability: r.probability / total })) : kept;
}
