// Choosing the agent for a ticket: pure, so it is fast and testable, and it says why.
import type { AgentStatus, AssignmentStrategy } from "../../../db/schema";

export interface Candidate {
  id: string;
  name: string;
  status: AgentStatus;
  /** Open tickets assigned to the agent now. */
  open: number;
  /** The same, weighted by priority (low 1, normal 2, high 3, urgent 4). */
  weighted: number;
}

export interface Choice {
  userId?: string;
  name?: string;
  /** In words, for the ticket's history. */
  reason: string;
}

export const PRIORITY_WEIGHTS = { low: 1, normal: 2, high: 3, urgent: 4 } as const;

export function chooseAgent(
  strategy: AssignmentStrategy,
  candidates: Candidate[],
  options: { cap?: number | null; lastAssignedId?: string | null },
): Choice {
  if (strategy === "manual") return { reason: "the team assigns by hand" };
  const cap = options.cap ?? null;
  const available = candidates.filter((c) => c.status === "available");
  const eligible = available.filter((c) => cap === null || c.open < cap);
  if (candidates.length === 0) return { reason: "the team has no agents" };
  if (available.length === 0) return { reason: "no agent of the team is available" };
  if (eligible.length === 0)
    return { reason: `every available agent already has ${cap} open tickets (the cap)` };
  const capText = cap === null ? "" : `, under the cap of ${cap}`;
  if (strategy === "round_robin") {
    // Everyone in a fixed order; the next one after whoever had the last ticket.
    const order = [...candidates].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const last = order.findIndex((c) => c.id === options.lastAssignedId);
    const rotated = [...order.slice(last + 1), ...order.slice(0, last + 1)];
    const next = rotated.find((c) => eligible.includes(c)) as Candidate;
    return {
      userId: next.id,
      name: next.name,
      reason: `round robin: next in turn among ${eligible.length} available agent${eligible.length === 1 ? "" : "s"}${capText}`,
    };
  }
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
    reason: `load balance: ${best.open} open ticket${best.open === 1 ? "" : "s"} weighted ${best.weighted}, the least${others ? ` (others: ${others})` : ""}${capText}`,
  };
}
