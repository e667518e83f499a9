// The AI engine's public face: pure functions and providers, no database and no network of its own
// (the Hugging Face provider calls only the endpoints it is configured with).
import { type FallbackOptions, withFallback } from "./fallback";
import { createHuggingFaceProvider, type HfModelSlot } from "./huggingface";
import { createLocalProvider, type LocalProviderOptions } from "./local-provider";
import type { AiProvider } from "./provider";

export {
  createIntentMatcher,
  DEFAULT_INTENTS,
  type IntentDefinition,
  type IntentMatch,
  type IntentMatcher,
  type IntentSlots,
  type Period,
  readSlots,
  type Vocabulary,
} from "./ask";
export {
  type BackTest,
  type BreachExample,
  type BreachFeatures,
  type BreachRiskModel,
  backTestBreachRisk,
  breachProbability,
  trainBreachRisk,
} from "./breach-risk";
export { BreakerOpenError, type BreakerOptions, type BreakerState, CircuitBreaker } from "./breaker";
export { applyIsotonic, fitIsotonic, type IsotonicCurve } from "./calibration";
export {
  type ClassPrediction,
  DEFAULT_AUTO_APPLY_THRESHOLD,
  DEFAULT_TRAINING_PARAMS,
  deserializeClassifier,
  type LabelProbability,
  type Learner,
  predict,
  serializeClassifier,
  type TextClassifier,
  TrainingError,
  type TrainingExample,
  type TrainingParams,
  type TriageAction,
  trainClassifier,
  trainingExamples,
  triageAction,
} from "./classifier";
export { parseCsv, parseCsvRecords } from "./csv";
export { type FallbackOptions, type FallbackProvider, fallbackReason, withFallback } from "./fallback";
export {
  createHuggingFaceProvider,
  HF_MODEL_SLOTS,
  type HfModelSlot,
  type HuggingFaceOptions,
} from "./huggingface";
export { createLocalProvider, LOCAL_VERSIONS, type LocalProviderOptions } from "./local-provider";
export {
  accuracy,
  areaUnderRoc,
  brierScore,
  calibrationBands,
  classReport,
  macroF1,
  majorityLabel,
  stratifiedFolds,
  stratifiedSplit,
} from "./metrics";
export * from "./provider";
export {
  draftReplyOffline,
  fillPlaceholders,
  type KnowledgeSource,
  type PlaceholderValues,
  type ReplyDraft,
  type RetrievedSource,
  retrieveSources,
} from "./reply";
export {
  SENTIMENT_LEVELS,
  type SentimentLevel,
  type SentimentScore,
  type SentimentTrend,
  scoreSentiment,
  sentimentTrend,
} from "./sentiment";
export {
  type CandidateTicket,
  estimatedJaccard,
  findSimilarTickets,
  minHashSignature,
  type SimilarityOptions,
  type SimilarTicket,
} from "./similar";
export { type ExtractiveSummary, type SummarySentence, summarizeThread, type ThreadMessage } from "./summary";

/** The ticket text the classifiers see: the subject twice, as it says most in the fewest words. */
export function ticketText(subject: string, body: string): string {
  return `${subject}\n${subject}\n${body}`;
}

export interface AiSettings {
  /** HF_TOKEN and HF_ENDPOINT_URL from the configuration. */
  hfToken?: string;
  hfEndpointUrl?: string;
  /** Per-slot models (and endpoints) chosen by the organization's admins. */
  models?: Partial<Record<HfModelSlot, string>>;
  endpoints?: Partial<Record<HfModelSlot, string>>;
  timeoutMs?: number;
}

/** Local only unless Hugging Face is configured; then remote first with the local provider behind it. */
export function createAiProvider(
  settings: AiSettings,
  local: LocalProviderOptions,
  fallback: FallbackOptions = {},
): AiProvider {
  const localProvider = createLocalProvider(local);
  if (!settings.hfToken && !settings.hfEndpointUrl) return localProvider;
  const remote = createHuggingFaceProvider({
    token: settings.hfToken,
    endpointUrl: settings.hfEndpointUrl,
    models: settings.models,
    endpoints: settings.endpoints,
    timeoutMs: settings.timeoutMs,
  });
  return withFallback(remote, localProvider, fallback);
}
