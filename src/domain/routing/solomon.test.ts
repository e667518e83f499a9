import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { checkSolution } from "./checker";
import { optimize } from "./optimize";
import { formatSolomonRoutes, parseSolomon, solomonInput } from "./solomon";

// A copy of the standard instance C101 (Solomon, 1987) kept with the tests, so they run on any checkout.
const C101 = resolve(import.meta.dir, "../../../test/fixtures/solomon-C101.txt");

describe("Solomon instances", () => {
  test("C101 parses: 25 vehicles of 200, depot and 100 customers", () => {
    const instance = parseSolomon(readFileSync(C101, "utf8"));
    expect(instance.name).toBe("C101");
    expect(instance.vehicles).toBe(25);
    expect(instance.capacity).toBe(200);
    expect(instance.customers).toHaveLength(101);
    expect(instance.customers[0]).toEqual({
      id: 0,
      x: 40,
      y: 50,
      demand: 0,
      ready: 0,
      due: 1236,
      service: 0,
    });
  });

  test("C101 is solved with the best-known 10 vehicles and passes the checker", () => {
    const input = solomonInput(parseSolomon(readFileSync(C101, "utf8")));
    const solution = optimize(input, { objective: "hierarchical", timeLimitMs: 1500, seed: 3 });
    const check = checkSolution(input, solution);
    expect(check.violations).toEqual([]);
    expect(solution.unassigned).toEqual([]);
    expect(check.cost.technicians).toBe(10);
    expect(check.cost.travelTime).toBeCloseTo(solution.cost.travelTime, 6);
    const lines = formatSolomonRoutes(solution.routes).trim().split("\n");
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/^Route 1 : \d+( \d+)*$/);
  });

  test("a file without a customer section is refused", () => {
    expect(() => parseSolomon("X\nVEHICLE\n1 2\n")).toThrow(/CUSTOMER/);
  });
});
