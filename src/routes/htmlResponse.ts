// Turns a rendered page (a string starting with "<") into an HTML response, gzipped when the
// browser accepts it and the page is big enough to gain from it. Set-up status and headers stay.

const MIN_GZIP_BYTES = 1024;

export function acceptsGzip(request: Request): boolean {
  return /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "");
}

export function htmlResponse(
  value: unknown,
  request: Request,
  set: { status?: number | string; headers: Record<string, string | number> },
): Response | undefined {
  if (typeof value !== "string" || !value.startsWith("<")) return undefined;
  const headers = new Headers();
  for (const [key, v] of Object.entries(set.headers)) headers.set(key, String(v));
  if (!headers.has("content-type")) headers.set("content-type", "text/html; charset=utf-8");
  headers.append("vary", "accept-encoding");
  const status = typeof set.status === "number" ? set.status : 200;
  const bytes = Buffer.from(value);
  if (bytes.length >= MIN_GZIP_BYTES && acceptsGzip(request)) {
    headers.set("content-encoding", "gzip");
    return new Response(Bun.gzipSync(bytes, { level: 6 }), { status, headers });
  }
  return new Response(bytes, { status, headers });
}
