// The server's side of the job thread (src/workers/jobs.ts).
import type { JobThreadCommand, JobThreadReport } from "./jobs";

export interface JobThread {
  /** Finishes or hands back the running jobs (as JobRunner.stop does), then ends the thread. */
  stop(): Promise<void>;
}

/** How long a stopping thread may take: the runner's own grace period plus closing its connections. */
const STOP_TIMEOUT_MS = 15_000;

/**
 * Starts the job thread and resolves once its runner has started. A thread that fails (an error
 * nothing caught) is reported and started again after `restartMs`, so jobs do not stop silently.
 */
export function startJobThread(options: { log?: (message: string) => void; restartMs?: number } = {}) {
  const log = options.log ?? ((message: string) => console.error(message));
  let worker: Worker;
  let stopping = false;

  const start = () =>
    new Promise<void>((resolve) => {
      worker = new Worker(new URL("./jobs.ts", import.meta.url).href);
      worker.onmessage = (event: MessageEvent<JobThreadReport>) => {
        if (event.data.kind === "started") resolve();
      };
      worker.onerror = (event) => {
        log(`Job thread failed: ${event.message}`);
        worker.terminate();
        resolve();
        if (!stopping) setTimeout(() => void start(), options.restartMs ?? 5_000);
      };
    });

  const stop = async () => {
    stopping = true;
    const stopped = new Promise<void>((resolve) => {
      worker.onmessage = (event: MessageEvent<JobThreadReport>) => {
        if (event.data.kind === "stopped") resolve();
      };
    });
    try {
      worker.postMessage({ kind: "stop" } satisfies JobThreadCommand);
      await Promise.race([stopped, Bun.sleep(STOP_TIMEOUT_MS)]);
    } catch {
      // A thread that had failed and not yet been started again has nothing to hand back.
    }
    worker.terminate();
  };

  return start().then((): JobThread => ({ stop }));
}
