// One journey's surroundings: its own organization, a server on its own data directory, and a
// browser. Whatever was started is stopped again by close(), also when start-up failed half-way.
import { rmSync } from "node:fs";
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { launchBrowser } from "./browser";
import { createWorld, type World, type WorldOptions } from "./fixtures";
import { newDataDir, type RunningServer, startServer } from "./server";

export interface Journey {
  world: World;
  /** The server's address, e.g. http://127.0.0.1:41234 */
  base: string;
  server: RunningServer;
  browser: Browser;
  /** A new browser context (a separate person: own cookies and cache), closed with the journey. */
  person(options?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startJourney(options: WorldOptions): Promise<Journey> {
  const dataDir = newDataDir();
  const contexts: BrowserContext[] = [];
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  // The browser starts while the fixtures are written and the server comes up. Both are awaited
  // to the end even when one fails, so that whatever did start is stopped again.
  const [started, launched] = await Promise.allSettled([
    createWorld(dataDir, process.env.DATABASE_URL, options).then(async (world) => {
      server = await startServer(dataDir);
      return world;
    }),
    launchBrowser().then((b) => {
      browser = b;
    }),
  ]);
  if (started.status === "rejected" || launched.status === "rejected") {
    await close();
    throw started.status === "rejected" ? started.reason : (launched as PromiseRejectedResult).reason;
  }
  const world = started.value;
  return {
    world,
    base: server!.url,
    server: server!,
    browser: browser!,
    async person(contextOptions) {
      const context = await browser!.newContext(contextOptions);
      contexts.push(context);
      return context;
    },
    close,
  };
}
