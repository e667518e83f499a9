// Runs the optimizer in a Bun Worker so a long search never blocks the server's event loop.
// Cancelling asks the worker to stop through shared memory (its loop is synchronous, so a message
// would wait until the end) and still returns the best plan found so far.
import type { RoutingInput, RoutingSolution, SolveOptions, SolveProgress } from "./model";

export interface OptimizerRequest {
  input: RoutingInput;
  options: Omit<SolveOptions, "onProgress" | "shouldStop">;
  /** Int32 flag set to 1 to stop. */
  cancelFlag: SharedArrayBuffer;
  /** Date.now() when the request was sent: starting the worker and copying the input count against the limit. */
  sentAt: number;
}

export type OptimizerMessage =
  | { type: "progress"; progress: SolveProgress }
  | { type: "result"; solution: RoutingSolution; cancelled: boolean }
  | { type: "error"; message: string };

export interface WorkerRunOptions extends Omit<SolveOptions, "shouldStop"> {
  signal?: AbortSignal;
}

export interface WorkerRunResult extends RoutingSolution {
  cancelled: boolean;
}

const WORKER_URL = new URL("../../workers/optimizer.ts", import.meta.url).href;

export function optimizeInWorker(
  input: RoutingInput,
  options: WorkerRunOptions = {},
): Promise<WorkerRunResult> {
  const { signal, onProgress, ...solveOptions } = options;
  const cancelFlag = new SharedArrayBuffer(4);
  const cancel = () => Atomics.store(new Int32Array(cancelFlag), 0, 1);
  if (signal?.aborted) cancel();
  signal?.addEventListener("abort", cancel, { once: true });
  const worker = new Worker(WORKER_URL);
  return new Promise<WorkerRunResult>((resolve, reject) => {
    const finish = () => {
      signal?.removeEventListener("abort", cancel);
      worker.terminate();
    };
    worker.onmessage = (event: MessageEvent<OptimizerMessage>) => {
      const message = event.data;
      if (message.type === "progress") onProgress?.(message.progress);
      else if (message.type === "result") {
        finish();
        resolve({ ...message.solution, cancelled: message.cancelled });
      } else {
        finish();
        reject(new Error(`Optimizer failed: ${message.message}`));
      }
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(`Optimizer worker crashed: ${event.message}`));
    };
    const request: OptimizerRequest = { input, options: solveOptions, cancelFlag, sentAt: Date.now() };
    worker.postMessage(request);
  });
}
