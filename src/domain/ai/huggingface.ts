// The Hugging Face provider, through @huggingface/inference: a self-hosted endpoint (TGI/TEI or an
// Inference Endpoint, HF_ENDPOINT_URL) or Inference Providers with HF_TOKEN, with a model per task
// chosen by admins. Every call has a timeout; failures surface as errors so the fallback wrapper can
// count them in its breaker and let the local provider answer. A task without a model is "not
// supported" and goes straight to the local provider.
import { InferenceClient } from "@huggingface/inference";
import type { LabelProbability } from "./classifier";
import { DEFAULT_AUTO_APPLY_THRESHOLD, triageAction } from "./classifier";
import type {
  AiProvider,
  AiResult,
  AiTask,
  Categorization,
  RankedDocument,
  ReplySuggestion,
  SentimentValue,
  SummaryValue,
} from "./provider";
import { fillPlaceholders, type KnowledgeSource, type RetrievedSource, retrieveSources } from "./reply";
import { levelOf } from "./sentiment";
import { DEFAULT_SIMILARITY, estimatedJaccard, minHashSignature, type SimilarTicket } from "./similar";

/** The model slots an admin fills: zero-shot classification, sentiment, summarization, chat, embeddings. */
export const HF_MODEL_SLOTS = ["categorize", "sentiment", "summarize", "chat", "embeddings"] as const;
export type HfModelSlot = (typeof HF_MODEL_SLOTS)[number];

export interface HuggingFaceOptions {
  token?: string;
  /** One endpoint for every slot without its own (HF_ENDPOINT_URL). */
  endpointUrl?: string;
  endpoints?: Partial<Record<HfModelSlot, string>>;
  models?: Partial<Record<HfModelSlot, string>>;
  timeoutMs?: number;
  /** For tests and proxies. */
  fetch?: typeof fetch;
}

/** Which slots each product task needs; suggestReply can do without embeddings (TF-IDF retrieval). */
const TASK_SLOTS: Record<AiTask, HfModelSlot> = {
  categorize: "categorize",
  sentiment: "sentiment",
  summarize: "summarize",
  suggestReply: "chat",
  similarTickets: "embeddings",
  rankDocuments: "embeddings",
};

const DEFAULT_TIMEOUT_MS = 15_000;
/** Classification models read ~512 tokens; longer text only costs upload time. */
const MAX_INPUT_CHARS = 2_000;
/** Embedding cosines run high; below this a candidate is not shown as similar. */
const EMBEDDING_MIN_SCORE = 0.5;
const EMBEDDING_DUPLICATE_SCORE = 0.95;

export function createHuggingFaceProvider(options: HuggingFaceOptions): AiProvider {
  const client = new InferenceClient(options.token ?? "", { fetch: options.fetch });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const configured = (slot: HfModelSlot) => Boolean(options.models?.[slot] || options.endpoints?.[slot]);
  const target = (slot: HfModelSlot) => {
    if (!configured(slot)) throw new Error(`No Hugging Face model configured for ${slot}`);
    const endpointUrl = options.endpoints?.[slot] ?? options.endpointUrl;
    return endpointUrl ? { endpointUrl, model: options.models?.[slot] } : { model: options.models?.[slot] };
  };
  const versionOf = (slot: HfModelSlot) => options.models?.[slot] ?? options.endpoints?.[slot] ?? "endpoint";
  // No automatic retry of 503s: the job queue retries with back-off; here we want to fail fast.
  const callOptions = (signal?: AbortSignal) => ({
    retry_on_error: false,
    signal: signal
      ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs),
  });
  const remote = <T>(value: T, slot: HfModelSlot, confidence: number): AiResult<T> => ({
    value,
    provider: "huggingface",
    modelVersion: versionOf(slot),
    confidence,
  });

  async function embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const output = await client.featureExtraction(
      { ...target("embeddings"), inputs: texts },
      callOptions(signal),
    );
    return toSentenceEmbeddings(output, texts.length);
  }

  async function rankSources(query: string, sources: KnowledgeSource[], signal?: AbortSignal) {
    if (!configured("embeddings") || sources.length === 0) return retrieveSources(query, sources);
    const [queryVector, ...sourceVectors] = await embed(
      [query, ...sources.map((s) => `${s.title}\n${s.body}`)],
      signal,
    );
    return sources
      .map((source, i) => ({ source, score: cosineDense(queryVector, sourceVectors[i]) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 3);
  }

  return {
    name: "huggingface",
    supports: (task) => configured(TASK_SLOTS[task]),

    async categorize(request, signal): Promise<AiResult<Categorization>> {
      const valueByName = new Map(request.choices.map((c) => [c.name, c.value]));
      const output = await client.zeroShotClassification(
        {
          ...target("categorize"),
          inputs: request.text.slice(0, MAX_INPUT_CHARS),
          parameters: { candidate_labels: request.choices.map((c) => c.name) },
        },
        callOptions(signal),
      );
      const ranking: LabelProbability[] = output
        .filter((item) => valueByName.has(item.label))
        .map((item) => ({ label: valueByName.get(item.label)!, probability: item.score }))
        .sort((a, b) => b.probability - a.probability);
      if (ranking.length === 0) throw new Error("zero-shot answer named none of the choices");
      const confidence = ranking[0].probability;
      const action = triageAction({ confidence }, request.threshold ?? DEFAULT_AUTO_APPLY_THRESHOLD);
      return remote({ label: ranking[0].label, ranking, action }, "categorize", confidence);
    },

    async sentiment(request, signal): Promise<AiResult<SentimentValue>> {
      const output = await client.textClassification(
        { ...target("sentiment"), inputs: request.text.slice(0, MAX_INPUT_CHARS) },
        callOptions(signal),
      );
      const score = output.reduce(
        (sum, item, _i, all) => sum + item.score * labelValence(item.label, all.length, all),
        0,
      );
      const confidence = Math.max(...output.map((item) => item.score));
      return remote({ level: levelOf(score), score }, "sentiment", confidence);
    },

    async summarize(request, signal): Promise<AiResult<SummaryValue>> {
      const thread = request.messages.map((m) => `${m.author}: ${m.text}`).join("\n\n");
      const output = await client.summarization(
        { ...target("summarize"), inputs: thread },
        callOptions(signal),
      );
      return remote({ text: output.summary_text.trim() }, "summarize", 0.7);
    },

    async suggestReply(request, signal): Promise<AiResult<ReplySuggestion>> {
      const sources = await rankSources(request.query, request.sources, signal);
      const output = await client.chatCompletion(
        {
          ...target("chat"),
          messages: [
            { role: "system", content: REPLY_INSTRUCTIONS },
            { role: "user", content: replyPrompt(request.query, sources) },
          ],
          max_tokens: 500,
          temperature: 0.2,
        },
        callOptions(signal),
      );
      const content = output.choices[0]?.message?.content?.trim();
      if (!content) throw new Error("chat completion returned no text");
      const { text, missing } = fillPlaceholders(content, request.placeholders);
      return remote({ draft: text, sources, missing }, "chat", sources[0]?.score ?? 0);
    },

    async rankDocuments(request, signal): Promise<AiResult<RankedDocument[]>> {
      if (request.documents.length === 0) return remote([], "embeddings", 0);
      const [query, ...others] = await embed(
        [request.query, ...request.documents.map((d) => d.text)],
        signal,
      );
      const ranked = request.documents
        .map((document, i) => ({ id: document.id, score: cosineDense(query, others[i]) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, request.limit ?? request.documents.length);
      return remote(ranked, "embeddings", ranked[0]?.score ?? 0);
    },

    async similarTickets(request, signal): Promise<AiResult<SimilarTicket[]>> {
      if (request.candidates.length === 0) return remote([], "embeddings", 0);
      const [query, ...others] = await embed(
        [request.ticket.text, ...request.candidates.map((c) => c.text)],
        signal,
      );
      const querySignature = minHashSignature(request.ticket.text);
      const matches = request.candidates
        .map((candidate, i) => {
          const score = cosineDense(query, others[i]);
          const overlap = estimatedJaccard(querySignature, minHashSignature(candidate.text));
          return {
            id: candidate.id,
            score,
            overlap,
            sameContact:
              request.ticket.contactId !== undefined && candidate.contactId === request.ticket.contactId,
            likelyDuplicate:
              score >= EMBEDDING_DUPLICATE_SCORE || overlap >= DEFAULT_SIMILARITY.duplicateOverlap,
          };
        })
        .filter((m) => m.score >= EMBEDDING_MIN_SCORE || m.likelyDuplicate)
        .sort((a, b) => Number(b.likelyDuplicate) - Number(a.likelyDuplicate) || b.score - a.score)
        .slice(0, request.limit ?? DEFAULT_SIMILARITY.limit);
      return remote(matches, "embeddings", matches[0]?.score ?? 0);
    },
  };
}

// Placeholders instead of names: the customer's and agent's names never leave the server, and the
// draft is filled locally exactly like a macro.
const REPLY_INSTRUCTIONS = `You draft replies for a help desk agent. Use only facts from the numbered sources; if they
do not answer the question, say that the team is checking and will follow up. Be brief and friendly.
Start with "Hi {{contact.first_name}}," mention ticket {{ticket.number}} once, and end with
"Best regards,\n{{agent.name}}". Keep those placeholders exactly as written.`;

function replyPrompt(query: string, sources: RetrievedSource[]): string {
  const listed = sources
    .map((s, i) => `[${i + 1}] ${s.source.title}\n${s.source.body.slice(0, MAX_INPUT_CHARS)}`)
    .join("\n\n");
  return `Customer message:\n${query}\n\nSources:\n${listed || "(none)"}`;
}

/**
 * Where a sentiment label sits on -1 … 1: "1 star" … "5 stars", "negative"/"neutral"/"positive"
 * (optionally "very …"), or LABEL_0 … LABEL_n ordered from negative to positive.
 */
export function labelValence(label: string, count: number, all: { label: string }[] = []): number {
  const text = label.toLowerCase();
  const stars = text.match(/^(\d)\s*stars?$/);
  if (stars) return (Number(stars[1]) - 3) / 2;
  const polarity = text.replace(/^(very|strongly)[\s_-]+/, "");
  const strength = polarity === text ? 0.6 : 1;
  if (polarity.startsWith("neg")) return -strength;
  if (polarity.startsWith("pos")) return strength;
  if (polarity.startsWith("neu")) return 0;
  const numbered = text.match(/^label_(\d+)$/);
  if (numbered && count > 1) {
    const highest = Math.max(...all.map((a) => Number(a.label.match(/(\d+)$/)?.[1] ?? 0)), count - 1);
    return -1 + (2 * Number(numbered[1])) / highest;
  }
  return 0;
}

/** Sentence vectors from any of the shapes feature extraction returns (mean-pooling token vectors). */
export function toSentenceEmbeddings(output: unknown, count: number): number[][] {
  if (!Array.isArray(output)) throw new Error("feature extraction returned no array");
  const rows = typeof output[0] === "number" ? [output as number[]] : (output as unknown[]);
  const vectors = rows.map((row) =>
    Array.isArray(row) && Array.isArray(row[0]) ? meanPool(row as number[][]) : (row as number[]),
  );
  if (vectors.length !== count) throw new Error(`expected ${count} embeddings, got ${vectors.length}`);
  return vectors;
}

function meanPool(tokens: number[][]): number[] {
  const sum = new Array<number>(tokens[0].length).fill(0);
  for (const token of tokens) for (let i = 0; i < sum.length; i++) sum[i] += token[i] / tokens.length;
  return sum;
}

function cosineDense(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
