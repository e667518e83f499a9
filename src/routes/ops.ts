// For operators and browsers: liveness, readiness, metrics, and the static files under public/.
import { join, normalize } from "node:path";
import { sql } from "drizzle-orm";
import { Elysia } from "elysia";
import type { Deps } from "./deps";
import { acceptsGzip } from "./htmlResponse";

const PUBLIC_DIR = join(import.meta.dir, "../../public");

const COMPRESSIBLE = /\.(js|css|svg|json|txt)$/;
const gzipCache = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/** Static text files are gzipped once and kept in memory; they only change with a deploy. */
function gzipped(path: string, file: ReturnType<typeof Bun.file>): Promise<Uint8Array<ArrayBuffer>> {
  let cached = gzipCache.get(path);
  if (!cached) {
    cached = file.arrayBuffer().then((bytes) => Bun.gzipSync(new Uint8Array(bytes), { level: 9 }));
    gzipCache.set(path, cached);
  }
  return cached;
}

export const metrics = { requests: 0, errors: 0, started: Date.now() };

export function opsRoutes(deps: Deps) {
  return new Elysia()
    .get("/health", () => ({ status: "ok" }))
    .get("/ready", async ({ set }) => {
      try {
        await deps.database.db.execute(sql`select 1`);
        return { status: "ready", database: deps.database.kind };
      } catch {
        set.status = 503;
        return { status: "unavailable", database: deps.database.kind };
      }
    })
    .get("/metrics", () => {
      const memory = process.memoryUsage();
      const lines = [
        "# HELP http_requests_total HTTP requests served.",
        "# TYPE http_requests_total counter",
        `http_requests_total ${metrics.requests}`,
        "# HELP http_errors_total HTTP requests answered with a 5xx status.",
        "# TYPE http_errors_total counter",
        `http_errors_total ${metrics.errors}`,
        "# HELP process_uptime_seconds Seconds since the server started.",
        "# TYPE process_uptime_seconds gauge",
        `process_uptime_seconds ${((Date.now() - metrics.started) / 1000).toFixed(0)}`,
        "# HELP process_resident_memory_bytes Resident memory.",
        "# TYPE process_resident_memory_bytes gauge",
        `process_resident_memory_bytes ${memory.rss}`,
      ];
      return new Response(`${lines.join("\n")}\n`, {
        headers: { "content-type": "text/plain; version=0.0.4" },
      });
    })
    .get("/public/*", async ({ params, set, request }) => {
      const path = normalize(join(PUBLIC_DIR, params["*"]));
      if (!path.startsWith(`${PUBLIC_DIR}/`)) {
        set.status = 404;
        return "Not found";
      }
      const file = Bun.file(path);
      if (!(await file.exists())) {
        set.status = 404;
        return "Not found";
      }
      const headers: Record<string, string> = {
        "cache-control": "public, max-age=3600",
        "x-content-type-options": "nosniff",
        "content-type": file.type,
        vary: "accept-encoding",
      };
      if (COMPRESSIBLE.test(path) && acceptsGzip(request)) {
        return new Response(await gzipped(path, file), {
          headers: { ...headers, "content-encoding": "gzip" },
        });
      }
      return new Response(file, { headers });
    });
}
