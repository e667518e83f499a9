// Runs the real server (`bun src/server.ts`) as a child process on a free port, with its own data
// directory and no demo data; uses DATABASE_URL when it is set, like the rest of the suite.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");

export interface RunningServer {
  url: string;
  dataDir: string;
  /** What the server printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** A fresh data directory; create the fixtures in it before starting the server. */
export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), "fieldesk-e2e-"));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function collect(stream: ReadableStream<Uint8Array>, into: string[]) {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) return;
    into.push(decoder.decode(value, { stream: true }));
  }
}

export async function startServer(dataDir: string): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, { PORT: String(port), DATA_DIR: dataDir, DEMO: "0", LOG_LEVEL: "warn" });
  const child = Bun.spawn([process.execPath, "src/server.ts"], {
    cwd: ROOT,
    env,
    stdout: "pipe",
    stderr: "pipe",
  });
  const lines: string[] = [];
  const drained = Promise.all([collect(child.stdout, lines), collect(child.stderr, lines)]);
  const output = () => lines.join("");

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(5000).then(() => false)]);
      if (!exited) {
        child.kill("SIGKILL");
        await child.exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  while (true) {
    if (child.exitCode !== null) {
      await Promise.race([drained, Bun.sleep(1000)]);
      await stop();
      throw new Error(`The server exited with ${child.exitCode} before it was ready:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The server was not ready within 30 s:\n${output()}`);
    }
    await Bun.sleep(100);
  }
  return { url, dataDir, output, stop };
}
