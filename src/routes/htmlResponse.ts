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
  // The string goes to Bun as it is: copying a 60 KB page into a Buffer first, only to learn its
  // size, was a sixth of the desk list's CPU. Its length in UTF-16 units is no more than its UTF-8
  // bytes, so it errs on the side of not compressing a page just under the threshold.
  if (value.length >= MIN_GZIP_BYTES && acceptsGzip(request)) {
    headers.set("content-encoding", "gzip");
    return new Response(Bun.gzipSync(value, { level: 6 }), { status, headers });
  }
  return new Response(value, { status, headers });
}
