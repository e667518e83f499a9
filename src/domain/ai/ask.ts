// "Ask the data" without a language model: a supervisor's question is matched to one of a fixed set
// of intents (each answered by a safe, parameterized query elsewhere) and its slots — priority,
// status, period, zone, team, grouping — are read from the words. Never SQL from text: the caller
// runs the intent's own query, scoped to the asker's organization and permissions.

import { words } from "./text";
import { cosine, fitTfIdf, type TfIdfSpace, vectorize } from "./tfidf";

export interface IntentDefinition {
  name: string;
  /** A few ways people ask it; slot values are written as they would be ("urgent", "Selangor"). */
  examples: string[];
}

export const DEFAULT_INTENTS: IntentDefinition[] = [
  {
    name: "count_tickets",
    examples: [
      "how many urgent tickets are open in Selangor",
      "number of open tickets",
      "how many tickets did we get this week",
      "count pending tickets for the network team",
      "how many tickets were solved yesterday",
    ],
  },
  {
    name: "sla_breaches_by_group",
    examples: [
      "which team breached most this week",
      "who missed the most SLA targets last month",
      "breaches by team",
      "which agent has the most overdue tickets",
      "where do we breach SLAs most",
    ],
  },
  {
    name: "first_response_time",
    examples: [
      "what is the average first response time this week",
      "how fast do we answer customers",
      "average response time of the billing team last month",
      "how long until the first reply",
    ],
  },
  {
    name: "top_categories",
    examples: [
      "what are the most common ticket categories this month",
      "top issues last week",
      "what do customers write about most",
      "most frequent categories in Johor",
    ],
  },
  {
    name: "open_work_orders",
    examples: [
      "how many work orders are scheduled today",
      "open work orders in Penang",
      "which technicians have visits tomorrow",
      "unassigned work orders this week",
    ],
  },
];

export type Period =
  | { kind: "today" | "yesterday" | "this_week" | "last_week" | "this_month" | "last_month" }
  | { kind: "last_days"; days: number };

export interface IntentSlots {
  priority?: "low" | "normal" | "high" | "urgent";
  status?: "open" | "pending" | "solved" | "closed";
  period?: Period;
  zone?: string;
  team?: string;
  groupBy?: "team" | "agent" | "zone";
}

export interface IntentMatch {
  intent: string | null;
  confidence: number;
  slots: IntentSlots;
  /** Other intents with their scores, best first: offered as "did you mean …". */
  alternatives: { intent: string; score: number }[];
}

export interface Vocabulary {
  /** The organization's zones, teams: matched case-insensitively as whole words. */
  zones?: string[];
  teams?: string[];
}

/** Words every question shares: left out so that "what is … in Paris" does not look like a question of ours. */
const STOP_WORDS = new Set(
  `a an the is are was were be been do does did what what's whats which who whom how when where why of in on at
   to for from by with about as it its this that these those there their our we us you your i me my and or not
   like than then so can could would should will`.split(/\s+/),
);

function content(text: string): string {
  return words(text)
    .filter((word) => !STOP_WORDS.has(word))
    .join(" ");
}

/** Below this similarity no intent is claimed; the page offers the list of questions instead. */
const MIN_INTENT_SCORE = 0.2;

export interface IntentMatcher {
  match(question: string, vocabulary?: Vocabulary): IntentMatch;
}

export function createIntentMatcher(intents: IntentDefinition[] = DEFAULT_INTENTS): IntentMatcher {
  const space: TfIdfSpace = fitTfIdf(
    intents.flatMap((intent) => intent.examples.map(content)),
    { minDocumentFrequency: 1 },
  );
  const examples = intents.map((intent) =>
    intent.examples.map((example) => vectorize(space, content(example))),
  );
  return {
    match(question, vocabulary = {}) {
      const query = vectorize(space, content(question));
      const scored = intents
        .map((intent, i) => ({
          intent: intent.name,
          score: Math.max(...examples[i].map((e) => cosine(query, e))),
        }))
        .sort((a, b) => b.score - a.score);
      const best = scored[0];
      const found = best && best.score >= MIN_INTENT_SCORE;
      return {
        intent: found ? best.intent : null,
        confidence: best?.score ?? 0,
        slots: readSlots(question, vocabulary),
        alternatives: scored.slice(found ? 1 : 0, 4),
      };
    },
  };
}

const PRIORITIES = {
  low: "low",
  normal: "normal",
  medium: "normal",
  high: "high",
  urgent: "urgent",
  critical: "urgent",
} as const;
const STATUSES = {
  open: "open",
  pending: "pending",
  waiting: "pending",
  solved: "solved",
  resolved: "solved",
  closed: "closed",
} as const;
const GROUPINGS = {
  team: "team",
  teams: "team",
  agent: "agent",
  agents: "agent",
  who: "agent",
  zone: "zone",
  zones: "zone",
  state: "zone",
  region: "zone",
} as const;

export function readSlots(question: string, vocabulary: Vocabulary = {}): IntentSlots {
  const tokens = words(question);
  const slots: IntentSlots = {};
  const first = <T extends Record<string, string>>(table: T) =>
    tokens.map((t) => table[t as keyof T]).find((v) => v !== undefined) as T[keyof T] | undefined;
  slots.priority = first(PRIORITIES);
  slots.status = first(STATUSES);
  slots.period = readPeriod(tokens.join(" "));
  slots.zone = findName(question, vocabulary.zones);
  slots.team = findName(question, vocabulary.teams);
  if (/\b(which|by|per|most)\b/i.test(question)) slots.groupBy = first(GROUPINGS);
  return Object.fromEntries(Object.entries(slots).filter(([, v]) => v !== undefined)) as IntentSlots;
}

function readPeriod(text: string): Period | undefined {
  const days = text.match(/\b(?:last|past)\s+(\d+)\s+days?\b/);
  if (days) return { kind: "last_days", days: Number(days[1]) };
  if (/\btoday\b/.test(text)) return { kind: "today" };
  if (/\byesterday\b/.test(text)) return { kind: "yesterday" };
  if (/\bthis week\b/.test(text)) return { kind: "this_week" };
  if (/\blast week\b/.test(text)) return { kind: "last_week" };
  if (/\bthis month\b/.test(text)) return { kind: "this_month" };
  if (/\blast month\b/.test(text)) return { kind: "last_month" };
  return undefined;
}

/** The longest listed name that occurs as whole words ("Kuala Lumpur" before "Kuala"). */
function findName(question: string, names: string[] = []): string | undefined {
  const text = ` ${words(question).join(" ")} `;
  return [...names]
    .sort((a, b) => b.length - a.length)
    .find((name) => text.includes(` ${words(name).join(" ")} `));
}
