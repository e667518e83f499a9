// Bun Worker entry: runs one route optimization per message, posting progress and then the result.
import { optimize } from "../domain/routing/optimize";
import type { OptimizerMessage, OptimizerRequest } from "../domain/routing/worker-client";

declare const self: Worker;

function send(message: OptimizerMessage): void {
  self.postMessage(message);
}

self.onmessage = (event: MessageEvent<OptimizerRequest>) => {
  const { input, options, cancelFlag } = event.data;
  const cancelled = new Int32Array(cancelFlag);
  const isCancelled = () => Atomics.load(cancelled, 0) === 1;
  try {
    const solution = optimize(input, {
      ...options,
      shouldStop: isCancelled,
      onProgress: (progress) => send({ type: "progress", progress }),
    });
    send({ type: "result", solution, cancelled: isCancelled() });
  } catch (error) {
    send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
};
