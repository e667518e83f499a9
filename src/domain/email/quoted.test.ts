import { describe, expect, test } from "bun:test";
import { splitQuoted } from "./quoted";

describe("quoted history", () => {
  test("folds what follows the usual reply headers", () => {
    const cases = [
      "Thanks, that worked.\n\nOn Mon, 2 Mar 2026 at 10:00, Help <support@acme.test> wrote:\n> Try restarting it.",
      "Thanks, that worked.\n\nOn Mon, 2 Mar 2026 at 10:00, Help <support@acme.test>\nwrote:\n> Try restarting it.",
      "Thanks, that worked.\n\n-----Original Message-----\nFrom: Help\nTry restarting it.",
      "Thanks, that worked.\n\nFrom: Help <support@acme.test>\nSent: Monday, 2 March 2026 10:00\nTry restarting it.",
      "Thanks, that worked.\n\n> Try restarting it.\n> \n> Help",
    ];
    for (const body of cases) {
      const { visible, quoted } = splitQuoted(body);
      expect(visible).toBe("Thanks, that worked.");
      expect(quoted).toContain("Try restarting it.");
    }
  });

  test("leaves alone mail with nothing quoted, quotes in the middle, and mail that is only a quote", () => {
    const plain = "From: the third floor\nthe printer is broken";
    expect(splitQuoted(plain)).toEqual({ visible: plain, quoted: "" });
    const middle = "You said:\n> it is broken\nBut it works now.";
    expect(splitQuoted(middle)).toEqual({ visible: middle, quoted: "" });
    const onlyQuote = "> just a quote";
    expect(splitQuoted(onlyQuote)).toEqual({ visible: onlyQuote, quoted: "" });
  });
});
