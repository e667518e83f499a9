// The server's side of the AI worker: one promise per request, matched by id.
import type {
  AiResult,
  AiSettings,
  AiTask,
  BackTest,
  BreachExample,
  BreachRiskModel,
  ClassPrediction,
  TrainingExample,
  TrainingParams,
} from "../domain/ai";
import type { AiWorkerRequest, AiWorkerResponse } from "./ai";

/** The worker's error when a call names a classifier it has not been sent (or has evicted). */
export const MISSING_MODEL = "model not loaded:";

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
  /**
   * Runs one provider task in the worker with the organization's settings and classifiers
   * (version per label field). Classifiers the worker has not seen are read with `loadModel`
   * and sent once.
   */
  run<T>(
    task: AiTask,
    request: unknown,
    settings: AiSettings,
    classifiers: Record<string, string>,
    loadModel: (version: string) => Promise<string>,
  ): Promise<AiResult<T>>;
  terminate(): void;
}

export function startAiWorker(options: { unref?: boolean } = {}): AiWorker {
  // A server's shared worker must not keep a finished process (a test run, a CLI) alive.
  const worker = new Worker(new URL("./ai.ts", import.meta.url).href, { ref: !options.unref });
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
      // One string instead of an object graph: cloning hundreds of candidate tickets field by field
      // cost the server's thread ~4 ms per similar-tickets call, the string a fraction of that.
      worker.postMessage(JSON.stringify({ ...request, id }));
    });
  const sent = new Set<string>();
  const sendMissing = async (versions: string[], loadModel: (version: string) => Promise<string>) => {
    for (const version of versions) {
      if (sent.has(version)) continue;
      await send({ kind: "loadModel", model: await loadModel(version) });
      sent.add(version);
    }
  };
  const run = async <T>(
    task: AiTask,
    request: unknown,
    settings: AiSettings,
    classifiers: Record<string, string>,
    loadModel: (version: string) => Promise<string>,
  ): Promise<AiResult<T>> => {
    const call = () => send<AiResult<T>>({ kind: "call", task, request, settings, classifiers });
    await sendMissing(Object.values(classifiers), loadModel);
    try {
      return await call();
    } catch (error) {
      // The worker evicted a model (it keeps a bounded number): send them again, once.
      if (!(error instanceof Error) || !error.message.startsWith(MISSING_MODEL)) throw error;
      for (const version of Object.values(classifiers)) sent.delete(version);
      await sendMissing(Object.values(classifiers), loadModel);
      return call();
    }
  };
  return {
    run,
    train: (examples, params) => send({ kind: "train", examples, params }),
    predict: (model, texts) => send({ kind: "predict", model, texts }),
    trainBreachRisk: (examples) => send({ kind: "trainBreachRisk", examples }),
    backTestBreachRisk: (examples) => send({ kind: "backTestBreachRisk", examples }),
    terminate: () => worker.terminate(),
  };
}
