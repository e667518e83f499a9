import { describe, expect, test } from "bun:test";
import { LEXICON } from "./lexicon";
import { SENTIMENT_LEVELS, scoreSentiment, sentimentTrend } from "./sentiment";

const rank = (text: string) => SENTIMENT_LEVELS.indexOf(scoreSentiment(text).level);

describe("sentiment", () => {
  test("the lexicon has a few hundred support words", () => {
    expect(LEXICON.size).toBeGreaterThan(300);
  });

  test("clearly positive and negative messages land at the ends", () => {
    expect(
      scoreSentiment("Thank you so much, the technician was excellent and fixed it quickly!").level,
    ).toBe("very_positive");
    expect(
      scoreSentiment("This is unacceptable. Third outage this week and nobody answers. Furious.").level,
    ).toBe("very_negative");
    expect(scoreSentiment("The invoice number is INV-000012 for the March visit.").level).toBe("neutral");
    expect(scoreSentiment("Please clear the cache and fix the hard drive mapping").level).toBe("neutral");
    expect(scoreSentiment("The printer is broken again").level).toBe("negative");
    expect(scoreSentiment("Thanks, the printer works now").level).toBe("positive");
  });

  test("messages are ordered from angry to delighted", () => {
    const ordered = [
      "Absolutely terrible service, the printer is still broken and I am furious",
      "The printer is broken again",
      "The printer was serviced on Tuesday",
      "Thanks, the printer works now",
      "Brilliant, thank you so much — perfect work, really appreciated!",
    ];
    const scores = ordered.map((text) => scoreSentiment(text).score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });

  test("negation turns the sentiment around", () => {
    expect(scoreSentiment("not bad").score).toBeGreaterThan(0);
    expect(scoreSentiment("I am not happy with this").score).toBeLessThan(0);
    expect(rank("I am not happy with this")).toBeLessThan(rank("I am happy with this"));
    expect(scoreSentiment("It isn't working").score).toBeLessThan(0);
    expect(scoreSentiment("not bad").evidence).toEqual(["not bad"]);
  });

  test("intensifiers, shouting and 'but' change the strength", () => {
    expect(scoreSentiment("extremely slow").score).toBeLessThan(scoreSentiment("slow").score);
    expect(scoreSentiment("this is BROKEN").score).toBeLessThan(scoreSentiment("this is broken").score);
    expect(scoreSentiment("The agent was nice but the problem is still not fixed").score).toBeLessThan(0);
  });

  test("the trend follows a ticket that goes from bad to good", () => {
    const trend = sentimentTrend([
      "My laptop crashed again, this is terrible",
      "Still waiting, very frustrating",
      "OK, the new driver seems to help",
      "Great, all fixed now, thanks a lot!",
    ]);
    expect(trend.direction).toBe("improving");
    expect(trend.latest).toBe("very_positive");
    expect(
      sentimentTrend(["great thanks", "still broken", "worst support ever, cancel my account"]).direction,
    ).toBe("worsening");
    expect(sentimentTrend(["hello"]).direction).toBe("steady");
  });
});
