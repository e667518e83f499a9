import { describe, expect, test } from "bun:test";
import { createIntentMatcher, readSlots } from "./ask";

const vocabulary = {
  zones: ["Selangor", "Kuala Lumpur", "Johor", "Pulau Pinang"],
  teams: ["Network", "Billing", "Field North"],
};
const matcher = createIntentMatcher();

describe("ask the data", () => {
  test("questions map to intents with their slots", () => {
    expect(matcher.match("How many urgent tickets are open in Selangor?", vocabulary)).toMatchObject({
      intent: "count_tickets",
      slots: { priority: "urgent", status: "open", zone: "Selangor" },
    });
    expect(matcher.match("Which team breached most this week?", vocabulary)).toMatchObject({
      intent: "sla_breaches_by_group",
      slots: { groupBy: "team", period: { kind: "this_week" } },
    });
    expect(
      matcher.match("average first response time for Billing in the last 14 days", vocabulary),
    ).toMatchObject({
      intent: "first_response_time",
      slots: { team: "Billing", period: { kind: "last_days", days: 14 } },
    });
    expect(matcher.match("open work orders in Kuala Lumpur tomorrow", vocabulary).intent).toBe(
      "open_work_orders",
    );
  });

  test("phrasings that are not among the examples", () => {
    expect(matcher.match("count the high priority tickets still open in Johor", vocabulary)).toMatchObject({
      intent: "count_tickets",
      slots: { priority: "high", status: "open", zone: "Johor" },
    });
    expect(matcher.match("which agents missed the most targets last week", vocabulary)).toMatchObject({
      intent: "sla_breaches_by_group",
      slots: { groupBy: "agent", period: { kind: "last_week" } },
    });
    expect(matcher.match("most common categories in Pulau Pinang last month", vocabulary).intent).toBe(
      "top_categories",
    );
  });

  test("an unrelated question claims no intent and offers alternatives", () => {
    const answer = matcher.match("what's the weather like in Paris", vocabulary);
    expect(answer.intent).toBeNull();
    expect(answer.alternatives.length).toBeGreaterThan(0);
  });

  test("slots are only what the question says", () => {
    expect(readSlots("tickets in Kuala Lumpur", vocabulary)).toEqual({ zone: "Kuala Lumpur" });
    expect(readSlots("critical resolved tickets yesterday")).toEqual({
      priority: "urgent",
      status: "solved",
      period: { kind: "yesterday" },
    });
  });
});
