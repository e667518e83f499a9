// A local stand-in for a Twilio-style messaging API: accepts sends under HTTP Basic authentication,
// records them, refuses what Twilio refuses (a wrong number, bad credentials), can be told to fail
// with server errors, and serves media files. Tests point a channel's API address at it.
import { randomBytes } from "node:crypto";
import { twilioSignature } from "../src/domain/messaging/twilio";

export const INVALID_NUMBER = "+15005550001";

export interface SentText {
  accountSid: string;
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
}

export interface FakeProvider {
  url: string;
  accountSid: string;
  authToken: string;
  sent: SentText[];
  /** The next n sends answer 503. */
  failNext(n: number): void;
  /** A file served at `${url}/media/<name>`, behind the same authentication. */
  addMedia(name: string, bytes: Uint8Array, contentType: string): string;
  stop(): void;
}

export function startFakeProvider(): FakeProvider {
  const accountSid = `AC${randomBytes(16).toString("hex")}`;
  const authToken = randomBytes(16).toString("hex");
  const sent: SentText[] = [];
  const media = new Map<string, { bytes: Uint8Array; contentType: string }>();
  let failures = 0;
  const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      if (request.headers.get("authorization") !== expected)
        return json(401, { code: 20003, message: "Authenticate", status: 401 });
      const item = url.pathname.startsWith("/media/") ? media.get(url.pathname.slice(7)) : undefined;
      if (request.method === "GET" && item)
        return new Response(Buffer.from(item.bytes), { headers: { "content-type": item.contentType } });
      const match = url.pathname.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
      if (request.method !== "POST" || !match) return json(404, { code: 20404, message: "Not found" });
      if (failures > 0) {
        failures--;
        return json(503, { code: 20503, message: "Service unavailable" });
      }
      const form = new URLSearchParams(await request.text());
      const to = form.get("To") ?? "";
      if (to.replace(/^whatsapp:/, "") === INVALID_NUMBER)
        return json(400, {
          code: 21211,
          message: "The 'To' number is not a valid phone number.",
          status: 400,
        });
      sent.push({
        accountSid: decodeURIComponent(match[1]),
        to,
        from: form.get("From") ?? "",
        body: form.get("Body") ?? "",
        statusCallback: form.get("StatusCallback") ?? undefined,
      });
      return json(201, { sid: `SM${randomBytes(16).toString("hex")}`, status: "queued" });
    },
  });
  const base = `http://127.0.0.1:${server.port}`;
  return {
    url: base,
    accountSid,
    authToken,
    sent,
    failNext(n) {
      failures = n;
    },
    addMedia(name, bytes, contentType) {
      media.set(name, { bytes, contentType });
      return `${base}/media/${name}`;
    },
    stop() {
      server.stop(true);
    },
  };
}

/** The provider's webhook request to `url`, signed with the channel's token as the provider would. */
export function providerRequest(url: string, params: Record<string, string>, authToken: string): Request {
  return new Request(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilioSignature(authToken, url, params),
    },
    body: new URLSearchParams(params),
  });
}
