import { describe, expect, test } from "bun:test";
import { acceptedLanguages, negotiateLocale } from "./locales";

describe("language negotiation", () => {
  test("orders by quality, then by position; ignores wildcards and q=0", () => {
    expect(acceptedLanguages("fr;q=0.4, ms-MY, en;q=0.8, *;q=0.1, de;q=0")).toEqual(["ms-my", "en", "fr"]);
    expect(acceptedLanguages("")).toEqual([]);
  });

  test("picks the first available language, by exact tag or its primary part", () => {
    expect(negotiateLocale("ms-MY,ms;q=0.9,en;q=0.5", ["en", "ms"])).toBe("ms");
    expect(negotiateLocale("zh-TW, ja;q=0.5", ["en", "ja"])).toBe("ja");
    expect(negotiateLocale("de", ["en", "ms"])).toBeUndefined();
    expect(negotiateLocale(null, ["en"])).toBeUndefined();
  });
});
