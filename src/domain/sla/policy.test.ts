import { describe, expect, test } from "bun:test";
import { currentFacts } from "./clock";
import { goldPolicy } from "./fixtures";
import {
  describeTarget,
  policyMatches,
  policyProblems,
  type SlaPolicy,
  selectPolicy,
  targetFor,
} from "./policy";

const policy = (id: string, conditions: SlaPolicy["conditions"]): SlaPolicy => ({
  ...goldPolicy(),
  id,
  name: id,
  conditions,
});

describe("SLA policies", () => {
  const policies = [
    policy("vip-phone", { companyTiers: ["gold"], channels: ["phone"] }),
    policy("urgent", { priorities: ["urgent", "high"] }),
    policy("billing-team", { teams: ["billing"], categories: ["invoices"] }),
    policy("default", {}),
  ];

  test("the first policy in order whose conditions all match is chosen", () => {
    const pick = (facts: Parameters<typeof selectPolicy>[1]) => selectPolicy(policies, facts)?.id;
    expect(pick({ priority: "urgent", channel: "phone", companyTier: "gold" })).toBe("vip-phone");
    expect(pick({ priority: "urgent", channel: "email", companyTier: "gold" })).toBe("urgent");
    expect(pick({ priority: "normal", channel: "phone", companyTier: "silver" })).toBe("default");
    expect(pick({ priority: "low", channel: "web", team: "billing", category: "invoices" })).toBe(
      "billing-team",
    );
    // Every listed condition must hold: the team alone is not enough.
    expect(pick({ priority: "low", channel: "web", team: "billing", category: null })).toBe("default");
  });

  test("a condition on a value the ticket lacks does not match; no policy gives null", () => {
    expect(policyMatches(policies[0], { priority: "low", channel: "phone" })).toBe(false);
    expect(selectPolicy(policies.slice(0, 3), { priority: "low", channel: "web" })).toBeNull();
  });

  test("targets per priority and their words", () => {
    const gold = goldPolicy();
    expect(targetFor(gold, "high", "resolution")).toEqual({ minutes: 480, businessHours: true });
    expect(describeTarget({ minutes: 480, businessHours: true })).toBe("8 business hours");
    expect(describeTarget({ minutes: 60, businessHours: false })).toBe("1 hour");
    expect(describeTarget({ minutes: 90, businessHours: true })).toBe("90 business minutes");
  });

  test("problems a person can fix", () => {
    const bad: SlaPolicy = {
      ...goldPolicy(),
      name: " ",
      targets: { high: { resolution: { minutes: 0, businessHours: true } } },
      pauseStatuses: ["pending", "solved"],
    };
    expect(policyProblems(bad)).toEqual([
      "Give the policy a name.",
      "Resolution for high: enter a whole number of minutes above zero.",
      "Solved and closed end the clocks; they cannot also pause them.",
    ]);
    expect(policyProblems(goldPolicy())).toEqual([]);
  });

  test("the policy is chosen with the ticket's current priority and its original channel", () => {
    const events = [
      {
        type: "ticket.created",
        createdAt: "2026-09-07T01:00:00Z",
        data: { priority: "low", channel: "phone", status: "new" },
      },
      {
        type: "ticket.priority_changed",
        createdAt: "2026-09-07T02:00:00Z",
        data: { from: "low", to: "high" },
      },
    ];
    const facts = currentFacts(events, { companyTier: "silver" });
    expect(facts).toEqual({ priority: "high", channel: "phone", companyTier: "silver" });
    expect(selectPolicy(policies, facts)?.id).toBe("urgent");
  });
});
