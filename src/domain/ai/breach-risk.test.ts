import { describe, expect, test } from "bun:test";
import { type BreachExample, backTestBreachRisk, breachProbability, trainBreachRisk } from "./breach-risk";
import { areaUnderRoc, brierScore, seededRandom } from "./metrics";

const PRIORITIES = ["low", "normal", "high", "urgent"];
const CHANNELS = ["email", "portal", "phone"];

/** History where breaching depends on time used, priority, load and past breaches; hour and channel are noise. */
function syntheticHistory(count: number, seed = 9): BreachExample[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const example = {
      fractionOfTargetUsed: random() * 1.2,
      priority: PRIORITIES[Math.floor(random() * 4)],
      assigneeOpenLoad: Math.floor(random() * 40),
      hourOfDay: Math.floor(random() * 24),
      channel: CHANNELS[Math.floor(random() * 3)],
      pastBreachRate: random() * 0.5,
      at: i,
    };
    const logit =
      -4 +
      4 * example.fractionOfTargetUsed +
      (example.priority === "urgent" ? 1.2 : 0) +
      0.04 * example.assigneeOpenLoad +
      3 * example.pastBreachRate;
    return { ...example, breached: random() < 1 / (1 + Math.exp(-logit)) };
  });
}

describe("SLA breach risk", () => {
  test("the back-test ranks breaches above the rest and beats the base rate", () => {
    const result = backTestBreachRisk(syntheticHistory(3000));
    expect(result.split).toBe("chronological");
    expect(result.tested).toBe(900);
    expect(result.auc).toBeGreaterThan(0.75);
    expect(result.brier).toBeLessThan(result.baselineBrier);
  });

  test("risk rises with time used, load and urgency, as in the history", () => {
    const model = trainBreachRisk(syntheticHistory(2000));
    const ticket = {
      fractionOfTargetUsed: 0.3,
      priority: "normal",
      assigneeOpenLoad: 5,
      hourOfDay: 10,
      channel: "email",
      pastBreachRate: 0.1,
    };
    const base = breachProbability(model, ticket);
    expect(breachProbability(model, { ...ticket, fractionOfTargetUsed: 0.9 })).toBeGreaterThan(base + 0.1);
    expect(breachProbability(model, { ...ticket, assigneeOpenLoad: 35 })).toBeGreaterThan(base);
    expect(breachProbability(model, { ...ticket, priority: "urgent" })).toBeGreaterThan(base);
    expect(model.featureNames).toContain("priority=urgent");
  });

  test("pure noise is not mistaken for signal", () => {
    const random = seededRandom(4);
    const noise = syntheticHistory(2000).map((e) => ({ ...e, breached: random() < 0.3 }));
    expect(Math.abs(backTestBreachRisk(noise).auc - 0.5)).toBeLessThan(0.06);
  });

  test("AUC and Brier on known values", () => {
    expect(areaUnderRoc([false, false, true, true], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(areaUnderRoc([false, true], [0.5, 0.5])).toBe(0.5);
    expect(brierScore([true, false], [1, 0.5])).toBe(0.125);
  });
});
