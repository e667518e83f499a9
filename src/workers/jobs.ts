// Bun Worker entry: the job runner of an app server on Postgres, on a thread of its own at a lower
// CPU priority. A new ticket's triage, mail, SLA sweeps and webhooks then never hold up a request
// waiting for the server's thread, and when requests and jobs both want the CPU, requests come
// first; jobs catch up when the load eases. The thread opens its own connections, as another app
// server would: the queue already makes sure each job is done once.
import { setPriority } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../db/client";
import { loadConfig } from "../config";
import { stopAiWorker } from "../domain/assist/engine";
import { closeTransports } from "../domain/email/delivery";
import { FileStore } from "../domain/files/store";
import { productJobRunner } from "../domain/jobs/catalog";

/** What the thread tells the server. */
export type JobThreadReport = { kind: "started" } | { kind: "stopped" };
/** What the server tells the thread. */
export type JobThreadCommand = { kind: "stop" };

/** The thread's nice value: on Linux a thread's own, inherited by the AI and optimizer threads it starts. */
const JOB_THREAD_NICE = 10;

declare const self: Worker;

try {
  setPriority(0, JOB_THREAD_NICE);
} catch {
  // Not allowed here (some containers): the jobs still run off the request thread.
}

const config = loadConfig();
const database = await openDatabase(config);
const files = new FileStore(join(config.dataDir, "files"), config.maxUploadBytes);
const runner = productJobRunner(database, config, files);

self.onmessage = async (event: MessageEvent<JobThreadCommand>) => {
  if (event.data.kind !== "stop") return;
  await runner.stop();
  closeTransports();
  stopAiWorker();
  await database.close();
  self.postMessage({ kind: "stopped" } satisfies JobThreadReport);
};

await runner.start();
self.postMessage({ kind: "started" } satisfies JobThreadReport);
