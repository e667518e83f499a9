import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random URL-safe secret (for session cookies, reset links, API tokens, CSRF). */
export const newSecret = (bytes = 32) => randomBytes(bytes).toString("base64url");

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
