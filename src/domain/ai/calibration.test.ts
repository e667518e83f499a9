import { describe, expect, test } from "bun:test";
import { applyIsotonic, fitIsotonic } from "./calibration";

describe("isotonic calibration", () => {
  test("pools violators into a non-decreasing curve", () => {
    const curve = fitIsotonic([0.1, 0.2, 0.3, 0.4, 0.9, 0.95], [false, true, false, true, true, true]);
    // 0.2 (right) and 0.3 (wrong) pool to 0.5; the three right ones at the top pool to 1.
    expect(curve).toEqual({ x: [0.1, 0.25, 0.75], y: [0, 0.5, 1] });
  });

  test("an overconfident model is pulled down to its measured accuracy", () => {
    // Says 0.9 but is right 6 times in 10.
    const confidences = Array.from({ length: 20 }, (_, i) => (i < 10 ? 0.5 : 0.9));
    const correct = confidences.map((c, i) => (c === 0.5 ? i % 2 === 0 : i % 10 < 6));
    const curve = fitIsotonic(confidences, correct);
    expect(applyIsotonic(curve, 0.9)).toBeCloseTo(0.6, 6);
    expect(applyIsotonic(curve, 0.5)).toBeCloseTo(0.5, 6);
    expect(applyIsotonic(curve, 0.7)).toBeCloseTo(0.55, 6);
    expect(applyIsotonic(curve, 0.99)).toBeCloseTo(0.6, 6);
  });
});
