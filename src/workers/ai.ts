// Bun Worker entry: trains and applies the local AI models off the request thread. Training an
// organization's classifier takes seconds of CPU; in a worker the server keeps answering meanwhile.
// Messages carry plain data (examples, serialized models), so the worker holds no database handle.
import {
  type BreachExample,
  backTestBreachRisk,
  deserializeClassifier,
  predict,
  serializeClassifier,
  type TextClassifier,
  type TrainingExample,
  type TrainingParams,
  trainBreachRisk,
  trainClassifier,
} from "../domain/ai";

export type AiWorkerRequest =
  | { id: number; kind: "train"; examples: TrainingExample[]; params?: Partial<TrainingParams> }
  | { id: number; kind: "predict"; model: string; texts: string[] }
  | { id: number; kind: "trainBreachRisk"; examples: BreachExample[] }
  | { id: number; kind: "backTestBreachRisk"; examples: BreachExample[] };

export type AiWorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

declare const self: Worker;

/** Deserialized models by version: predicting with the same model again skips parsing its JSON. */
const models = new Map<string, TextClassifier>();
const MAX_CACHED_MODELS = 20;

function modelFrom(json: string): TextClassifier {
  const version = json.match(/"version":"([0-9a-f]+)"/)?.[1];
  const cached = version ? models.get(version) : undefined;
  if (cached) return cached;
  const model = deserializeClassifier(json);
  if (models.size >= MAX_CACHED_MODELS) models.delete(models.keys().next().value!);
  models.set(model.version, model);
  return model;
}

function handle(request: AiWorkerRequest): unknown {
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
  }
}

self.onmessage = (event: MessageEvent<AiWorkerRequest>) => {
  const { id } = event.data;
  try {
    self.postMessage({ id, ok: true, result: handle(event.data) } satisfies AiWorkerResponse);
  } catch (error) {
    self.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
