import { describe, expect, test } from "bun:test";
import { BoundedMap } from "./bounded";

describe("a bounded map", () => {
  test("forgets the entry stored longest ago; storing a key again makes it the newest", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1).set("b", 2);
    map.set("a", 3);
    map.set("c", 4);
    expect([...map.entries()]).toEqual([
      ["a", 3],
      ["c", 4],
    ]);
    expect(map.has("b")).toBe(false);
  });
});
