// Choosing the agent for a ticket: pure, so it is fast and testable, and it says why.
import {
  type AgentStatus,
  type AssignmentStrategy,
  DEFAULT_SCORE_WEIGHTS,
  type ScoreWeights,
} from "../../../db/schema";

export interface Candidate {
  id: string;
  name: string;
  status: AgentStatus;
  /** Open tickets assigned to the agent now. */
  open: number;
  /** The same, weighted by priority (low 1, normal 2, high 3, urgent 4). */
  weighted: number;
  /** Inside their working hours now (true when they set none). */
  working?: boolean;
  /** Share of today's working hours still ahead, 0–1 (1 when they set none). */
  shiftLeft?: number;
  /** Skill id → level 1–5. */
  skills?: Record<string, number>;
  zoneId?: string | null;
  /** Average satisfaction rating of the last 90 days as 0–1; null without ratings. */
  rating?: number | null;
}

export interface RequiredSkill {
  skillId: string;
  name: string;
  minLevel: number;
}

export interface Choice {
  userId?: string;
  name?: string;
  /** In words, for the ticket's history. */
  reason: string;
}

export interface ChoiceOptions {
  cap?: number | null;
  lastAssignedId?: string | null;
  /** Skills the ticket's category asks for (skills strategy). */
  required?: RequiredSkill[];
  /** Zones of the ticket's customer (weighted score). */
  ticketZones?: string[];
  weights?: ScoreWeights | null;
}

export const PRIORITY_WEIGHTS = { low: 1, normal: 2, high: 3, urgent: 4 } as const;

/** A rating nobody has given yet counts as the middle of the scale. */
const NEUTRAL_RATING = 0.5;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function chooseAgent(
  strategy: AssignmentStrategy,
  candidates: Candidate[],
  options: ChoiceOptions,
): Choice {
  if (strategy === "manual") return { reason: "the team assigns by hand" };
  const cap = options.cap ?? null;
  const available = candidates.filter((c) => c.status === "available");
  const working = available.filter((c) => c.working !== false);
  const eligible = working.filter((c) => cap === null || c.open < cap);
  if (candidates.length === 0) return { reason: "the team has no agents" };
  if (available.length === 0) return { reason: "no agent of the team is available" };
  if (working.length === 0) return { reason: "no available agent of the team is within their working hours" };
  if (eligible.length === 0)
    return { reason: `every available agent already has ${cap} open tickets (the cap)` };
  const capText = cap === null ? "" : `, under the cap of ${cap}`;
  if (strategy === "round_robin") return roundRobin(candidates, eligible, options.lastAssignedId, capText);
  if (strategy === "skills") return bySkills(eligible, options.required ?? [], capText);
  if (strategy === "weighted") return byScore(eligible, options, capText);
  return leastLoaded(eligible, "load balance", capText);
}

function roundRobin(
  candidates: Candidate[],
  eligible: Candidate[],
  lastAssignedId: string | null | undefined,
  capText: string,
): Choice {
  // Everyone in a fixed order; the next one after whoever had the last ticket.
  const order = [...candidates].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const last = order.findIndex((c) => c.id === lastAssignedId);
  const rotated = [...order.slice(last + 1), ...order.slice(0, last + 1)];
  const next = rotated.find((c) => eligible.includes(c)) as Candidate;
  return {
    userId: next.id,
    name: next.name,
    reason: `round robin: next in turn among ${plural(eligible.length, "available agent")}${capText}`,
  };
}

function leastLoaded(eligible: Candidate[], label: string, capText: string): Choice {
  const best = [...eligible].sort(
    (a, b) => a.weighted - b.weighted || a.open - b.open || a.name.localeCompare(b.name),
  )[0];
  const others = eligible
    .filter((c) => c !== best)
    .slice(0, 3)
    .map((c) => `${c.name} ${c.open} (${c.weighted})`)
    .join(", ");
  return {
    userId: best.id,
    name: best.name,
    reason: `${label}: ${plural(best.open, "open ticket")} weighted ${best.weighted}, the least${others ? ` (others: ${others})` : ""}${capText}`,
  };
}

/** Agents with every required skill at its level; among them the least loaded, then the most skilled. */
function bySkills(eligible: Candidate[], required: RequiredSkill[], capText: string): Choice {
  if (required.length === 0)
    return leastLoaded(eligible, "skills (the category asks for none), load balance", capText);
  const needs = required.map((r) => `${r.name} ≥ ${r.minLevel}`).join(", ");
  const qualified = eligible.filter((c) => required.every((r) => (c.skills?.[r.skillId] ?? 0) >= r.minLevel));
  if (qualified.length === 0) return { reason: `no available agent has the skills needed (${needs})` };
  const margin = (c: Candidate) => required.reduce((sum, r) => sum + (c.skills?.[r.skillId] ?? 0), 0);
  const best = [...qualified].sort(
    (a, b) => a.weighted - b.weighted || margin(b) - margin(a) || a.name.localeCompare(b.name),
  )[0];
  const levels = required.map((r) => `${r.name} ${best.skills?.[r.skillId] ?? 0}`).join(", ");
  return {
    userId: best.id,
    name: best.name,
    reason: `skills: has ${levels} (needs ${needs}); the least loaded of ${plural(qualified.length, "qualified agent")}, ${plural(best.open, "open ticket")} weighted ${best.weighted}${capText}`,
  };
}

interface Score {
  candidate: Candidate;
  total: number;
  parts: { zone: number; availability: number; workload: number; rating: number };
}

/** The field-team formula: zone match, time left in the shift, spare capacity and rating, weighted. */
function byScore(eligible: Candidate[], options: ChoiceOptions, capText: string): Choice {
  const weights = options.weights ?? DEFAULT_SCORE_WEIGHTS;
  const sum = weights.zone + weights.availability + weights.workload + weights.rating || 1;
  const zones = new Set(options.ticketZones ?? []);
  const heaviest = Math.max(1, ...eligible.map((c) => c.weighted));
  const scores: Score[] = eligible.map((c) => {
    const parts = {
      // Unknown on either side is neither a match nor a miss.
      zone: zones.size === 0 || !c.zoneId ? 0.5 : zones.has(c.zoneId) ? 1 : 0,
      availability: c.shiftLeft ?? 1,
      workload: 1 - c.weighted / heaviest,
      rating: c.rating ?? NEUTRAL_RATING,
    };
    const total =
      (parts.zone * weights.zone +
        parts.availability * weights.availability +
        parts.workload * weights.workload +
        parts.rating * weights.rating) /
      sum;
    return { candidate: c, total, parts };
  });
  scores.sort((a, b) => b.total - a.total || a.candidate.name.localeCompare(b.candidate.name));
  const [best, next] = scores;
  const f = (x: number) => x.toFixed(2);
  const pct = (w: number) => `${Math.round((w / sum) * 100)}%`;
  const parts = `zone ${f(best.parts.zone)}×${pct(weights.zone)}, availability ${f(best.parts.availability)}×${pct(weights.availability)}, workload ${f(best.parts.workload)}×${pct(weights.workload)}, rating ${f(best.parts.rating)}×${pct(weights.rating)}`;
  return {
    userId: best.candidate.id,
    name: best.candidate.name,
    reason: `weighted score ${f(best.total)} (${parts})${next ? `; next ${next.candidate.name} ${f(next.total)}` : ""}${capText}`,
  };
}
