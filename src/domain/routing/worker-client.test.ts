import { describe, expect, test } from "bun:test";
import { checkSolution } from "./checker";
import { clusteredDay } from "./fixtures";
import type { SolveProgress } from "./model";
import { optimize } from "./optimize";
import { optimizeInWorker } from "./worker-client";

describe("optimizeInWorker", () => {
  test("returns the same plan as the main thread for the same seed and iterations", async () => {
    const input = clusteredDay(30, 3);
    const progress: SolveProgress[] = [];
    const options = { seed: 5, maxIterations: 300, timeLimitMs: 30_000 };
    const solution = await optimizeInWorker(input, { ...options, onProgress: (p) => progress.push(p) });
    expect(solution.cancelled).toBe(false);
    expect(checkSolution(input, solution).violations).toEqual([]);
    expect(solution.routes).toEqual(optimize(input, options).routes);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.bestCost.travelTime).toBeCloseTo(solution.cost.travelTime, 6);
  });

  test("cancelling stops a long run and still returns a valid plan", async () => {
    const input = clusteredDay(60, 4);
    const controller = new AbortController();
    const began = performance.now();
    const running = optimizeInWorker(input, { timeLimitMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const solution = await running;
    expect(performance.now() - began).toBeLessThan(30_000);
    expect(solution.cancelled).toBe(true);
    expect(checkSolution(input, solution).violations).toEqual([]);
  });
});
