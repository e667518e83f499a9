// Calls to the integrators' API through app.handle(), and the error shape every failure shares.
import { expect } from "bun:test";
import { testApp } from "./helpers";

export interface ApiCallOptions {
  method?: string;
  token?: string | null;
  json?: unknown;
  body?: string;
  headers?: HeadersInit;
}

export async function apiCall(path: string, options: ApiCallOptions = {}) {
  const app = await testApp();
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers.set("content-type", "application/json");
  }
  const response = await app.handle(
    new Request(`http://localhost${path}`, { method: options.method ?? "GET", headers, body }),
  );
  const text = await response.text();
  const type = response.headers.get("content-type") ?? "";
  return {
    status: response.status,
    headers: response.headers,
    text,
    // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
    json: (type.includes("json") ? JSON.parse(text) : undefined) as any,
  };
}

export type ApiResponse = Awaited<ReturnType<typeof apiCall>>;

/** Every error under /api has this shape. */
export function expectApiError(res: ApiResponse, status: number, path: string, fields?: string[]) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  expect(res.json.statusCode).toBe(status);
  expect(typeof res.json.error).toBe("string");
  expect(res.json.error.length).toBeGreaterThan(0);
  expect(typeof res.json.message).toBe("string");
  expect(res.json.path).toBe(path);
  expect(Number.isNaN(Date.parse(res.json.timestamp))).toBe(false);
  if (fields) {
    expect(Object.keys(res.json.fields).sort()).toEqual([...fields].sort());
    for (const problem of Object.values(res.json.fields)) expect(typeof problem).toBe("string");
  } else {
    expect(res.json.fields).toBeUndefined();
  }
}
