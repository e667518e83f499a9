// The server's side of the AI worker: one promise per request, matched by id.
import type {
  BackTest,
  BreachExample,
  BreachRiskModel,
  ClassPrediction,
  TrainingExample,
  TrainingParams,
} from "../domain/ai";
import type { AiWorkerRequest, AiWorkerResponse } from "./ai";

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

export interface TrainedClassifier {
  /** Serialized model, to store in the organization's model row. */
  model: string;
  version: string;
  validation?: { macroF1: number; accuracy: number };
}

export interface AiWorker {
  train(examples: TrainingExample[], params?: Partial<TrainingParams>): Promise<TrainedClassifier>;
  predict(model: string, texts: string[]): Promise<ClassPrediction[]>;
  trainBreachRisk(examples: BreachExample[]): Promise<BreachRiskModel>;
  backTestBreachRisk(examples: BreachExample[]): Promise<BackTest>;
  terminate(): void;
}

export function startAiWorker(): AiWorker {
  const worker = new Worker(new URL("./ai.ts", import.meta.url).href);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  worker.onmessage = (event: MessageEvent<AiWorkerResponse>) => {
    const waiting = pending.get(event.data.id);
    if (!waiting) return;
    pending.delete(event.data.id);
    if (event.data.ok) waiting.resolve(event.data.result);
    else waiting.reject(new Error(event.data.error));
  };
  worker.onerror = (event) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`AI worker failed: ${event.message}`));
    pending.clear();
  };
  const send = <T>(request: WithoutId<AiWorkerRequest>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  return {
    train: (examples, params) => send({ kind: "train", examples, params }),
    predict: (model, texts) => send({ kind: "predict", model, texts }),
    trainBreachRisk: (examples) => send({ kind: "trainBreachRisk", examples }),
    backTestBreachRisk: (examples) => send({ kind: "backTestBreachRisk", examples }),
    terminate: () => worker.terminate(),
  };
}
