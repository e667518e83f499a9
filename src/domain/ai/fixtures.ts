// Shared test data: a small synthetic help desk with a known answer, and a sample of the real CSV.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseCsvRecords } from "./csv";
import { seededRandom } from "./metrics";

/** ../shared/data/tickets next to the project: the labelled Endava tickets (see its README). */
export const ENDAVA_CSV = fileURLToPath(
  new URL("../../../../shared/data/tickets/endava_it_tickets.csv", import.meta.url),
);

export function endavaRows(): Record<string, string>[] | undefined {
  return existsSync(ENDAVA_CSV) ? parseCsvRecords(readFileSync(ENDAVA_CSV, "utf8")) : undefined;
}

const TOPICS: Record<string, string[]> = {
  billing: ["invoice", "refund", "charged", "payment", "card", "billing", "price", "receipt"],
  network: ["wifi", "router", "vpn", "connection", "internet", "latency", "network", "dns"],
  hardware: ["printer", "laptop", "screen", "keyboard", "battery", "mouse", "toner", "monitor"],
};
const FILLER = ["please", "help", "hello", "thanks", "issue", "since", "today", "problem", "team", "need"];

/** Tickets whose label is given away by two or three topic words among filler; "billing" is rarer. */
export function syntheticTickets(count: number, seed = 3): { text: string; label: string }[] {
  const random = seededRandom(seed);
  const pick = (words: string[]) => words[Math.floor(random() * words.length)];
  return Array.from({ length: count }, () => {
    const roll = random();
    const label = roll < 0.5 ? "hardware" : roll < 0.8 ? "network" : "billing";
    const words = [pick(TOPICS[label]), pick(TOPICS[label]), pick(FILLER), pick(FILLER), pick(FILLER)];
    if (random() < 0.5) words.push(pick(TOPICS[label]));
    // Some noise: a word from another topic, as real tickets mention other things in passing.
    if (random() < 0.3) words.push(pick(TOPICS[pick(Object.keys(TOPICS))]));
    return { text: shuffleWords(words, random).join(" "), label };
  });
}

function shuffleWords(words: string[], random: () => number): string[] {
  return words
    .map((word) => ({ word, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map((entry) => entry.word);
}
