// Bun Worker entry: runs one route optimization per message, posting progress and then the result.
import { DEFAULT_TIME_LIMIT_MS, optimize } from "../domain/routing/optimize";
import type { OptimizerMessage, OptimizerRequest } from "../domain/routing/worker-client";

declare const self: Worker;

function send(message: OptimizerMessage): void {
  self.postMessage(message);
}

self.onmessage = (event: MessageEvent<OptimizerRequest>) => {
  const { input, options, cancelFlag, sentAt } = event.data;
  const cancelled = new Int32Array(cancelFlag);
  const isCancelled = () => Atomics.load(cancelled, 0) === 1;
  // The caller's limit runs from the request: starting the worker and copying a large day take time.
  const waited = Math.max(0, Date.now() - sentAt);
  try {
    const solution = optimize(input, {
      ...options,
      timeLimitMs: Math.max(0, (options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS) - waited),
      shouldStop: isCancelled,
      onProgress: (progress) => send({ type: "progress", progress }),
    });
    send({ type: "result", solution, cancelled: isCancelled() });
  } catch (error) {
    send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
};
