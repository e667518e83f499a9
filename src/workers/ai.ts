// Bun Worker entry: trains and applies the local AI models off the request thread. Training an
// organization's classifier takes seconds of CPU; in a worker the server keeps answering meanwhile.
// Messages carry plain data (examples, serialized models), so the worker holds no database handle.
import {
  type AiProvider,
  type AiSettings,
  type AiTask,
  type BreachExample,
  backTestBreachRisk,
  createAiProvider,
  deserializeClassifier,
  predict,
  serializeClassifier,
  type TextClassifier,
  type TrainingExample,
  type TrainingParams,
  trainBreachRisk,
  trainClassifier,
} from "../domain/ai";
import { BoundedMap } from "../domain/bounded";
import { MISSING_MODEL } from "./ai-client";

export type AiWorkerRequest =
  | { id: number; kind: "train"; examples: TrainingExample[]; params?: Partial<TrainingParams> }
  | { id: number; kind: "predict"; model: string; texts: string[] }
  | { id: number; kind: "trainBreachRisk"; examples: BreachExample[] }
  | { id: number; kind: "backTestBreachRisk"; examples: BreachExample[] }
  | { id: number; kind: "loadModel"; model: string }
  | {
      id: number;
      kind: "call";
      task: AiTask;
      request: unknown;
      settings: AiSettings;
      /** Classifier version per label field; each must have been loaded (loadModel) before. */
      classifiers: Record<string, string>;
    };

export type AiWorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

declare const self: Worker;

/** Deserialized models by version: predicting with the same model again skips parsing its JSON. */
const MAX_CACHED_MODELS = 64;
const models = new BoundedMap<string, TextClassifier>(MAX_CACHED_MODELS);

function modelFrom(json: string): TextClassifier {
  const version = json.match(/"version":"([0-9a-f]+)"/)?.[1];
  const cached = version ? models.get(version) : undefined;
  if (cached) return cached;
  const model = deserializeClassifier(json);
  models.set(model.version, model);
  return model;
}

/**
 * Providers by configuration and model versions. Kept for the worker's life so that each remote
 * task's circuit breaker remembers its failures across jobs.
 */
const providers = new BoundedMap<string, AiProvider>(MAX_CACHED_MODELS);

function providerFor(settings: AiSettings, classifiers: Record<string, string>): AiProvider {
  const key = JSON.stringify([settings, classifiers]);
  const cached = providers.get(key);
  if (cached) return cached;
  const loaded = Object.fromEntries(
    Object.entries(classifiers).map(([field, version]) => {
      const model = models.get(version);
      if (!model) throw new Error(`${MISSING_MODEL}${version}`);
      return [field, model];
    }),
  );
  const provider = createAiProvider(settings, { classifiers: loaded });
  providers.set(key, provider);
  return provider;
}

async function call(provider: AiProvider, task: AiTask, request: unknown): Promise<unknown> {
  // The request's shape belongs to the task; the server built it with the same types.
  const r = request as never;
  switch (task) {
    case "categorize":
      return provider.categorize(r);
    case "sentiment":
      return provider.sentiment(r);
    case "summarize":
      return provider.summarize(r);
    case "suggestReply":
      return provider.suggestReply(r);
    case "similarTickets":
      return provider.similarTickets(r);
    case "rankDocuments":
      return provider.rankDocuments(r);
  }
}

async function handle(request: AiWorkerRequest): Promise<unknown> {
  switch (request.kind) {
    case "train": {
      const model = trainClassifier(request.examples, request.params);
      return { model: serializeClassifier(model), version: model.version, validation: model.validation };
    }
    case "predict": {
      const model = modelFrom(request.model);
      return request.texts.map((text) => predict(model, text));
    }
    case "trainBreachRisk":
      return trainBreachRisk(request.examples);
    case "backTestBreachRisk":
      return backTestBreachRisk(request.examples);
    case "loadModel":
      return modelFrom(request.model).version;
    case "call":
      return call(providerFor(request.settings, request.classifiers), request.task, request.request);
  }
}

/** Requests arrive as JSON text (see ai-client.ts); answers go back as plain objects. */
self.onmessage = async (event: MessageEvent<string>) => {
  const request = JSON.parse(event.data) as AiWorkerRequest;
  const { id } = request;
  try {
    self.postMessage({ id, ok: true, result: await handle(request) } satisfies AiWorkerResponse);
  } catch (error) {
    self.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
