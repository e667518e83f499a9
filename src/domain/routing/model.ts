// The optimizer's public vocabulary. All times share one unit with the travel matrix (seconds for
// the built-in matrices, the instance's own unit for Solomon files); locations are matrix indices.

export interface TimeWindow {
  start: number;
  end: number;
}

/** A break that must start inside [earliestStart, latestStart] once the technician is still working then. */
export interface BreakRule {
  earliestStart: number;
  latestStart: number;
  duration: number;
}

export interface Technician {
  id: string;
  startLocation: number;
  endLocation: number;
  shift: TimeWindow;
  break?: BreakRule;
  skills?: readonly string[];
  maxJobs?: number;
  /** Load limit in the same unit as the jobs' demand (Solomon's vehicle capacity). */
  capacity?: number;
}

export interface JobLock {
  technicianId?: string;
  /** The visit must start exactly then (already started, or promised to the customer). */
  startTime?: number;
}

export interface Job {
  id: string;
  location: number;
  duration: number;
  /** Service must start inside one of these; none means any time in the shift. */
  timeWindows?: readonly TimeWindow[];
  /** A start may be this much after a window closes, counted as lateness. */
  maxLateness?: number;
  skills?: readonly string[];
  /** Weight of serving the job; 1 by default. */
  priority?: number;
  /** Optional jobs are served only after every mandatory one that can be. */
  optional?: boolean;
  demand?: number;
  lock?: JobLock;
}

/** Row-major square matrix of travel times between locations. */
export interface TravelMatrix {
  size: number;
  durations: Float64Array | readonly number[];
}

export interface RoutingInput {
  technicians: readonly Technician[];
  jobs: readonly Job[];
  matrix: TravelMatrix;
}

/**
 * "travel": serve most (by priority), then least travel, then least lateness and waiting.
 * "hierarchical": serve most, then fewest technicians used, then least travel (Solomon's convention).
 */
export type Objective = "travel" | "hierarchical";

export interface SolveOptions {
  objective?: Objective;
  timeLimitMs?: number;
  /** Stop early after this many ruin-and-recreate iterations (useful for repeatable tests). */
  maxIterations?: number;
  seed?: number;
  onProgress?: (progress: SolveProgress) => void;
  /** Polled between iterations; returning true stops the search with the best solution so far. */
  shouldStop?: () => boolean;
}

export interface SolveProgress {
  elapsedMs: number;
  iterations: number;
  bestCost: SolutionCost;
}

export interface PlannedStop {
  jobId: string;
  arrival: number;
  start: number;
  end: number;
  waiting: number;
  lateness: number;
  travelFromPrevious: number;
}

/**
 * The break falls between the stop it follows and the next one (or home): at the last customer's,
 * on the way (the drive is split around it), or at the next customer's while waiting for the
 * appointment; before the first stop it is taken at home when the technician can leave after it.
 */
export interface PlannedBreak {
  start: number;
  end: number;
  /** Index of the stop the break follows; -1 when taken before the first stop. */
  afterStop: number;
}

export interface PlannedRoute {
  technicianId: string;
  departure: number;
  stops: PlannedStop[];
  break?: PlannedBreak;
  /** Arrival at the end location. */
  returnTime: number;
  travelTime: number;
  load: number;
}

export type UnassignedReason =
  | "no_skilled_technician"
  | "locked_technician_unavailable"
  | "no_reachable_time_window"
  | "capacity"
  | "max_jobs"
  | "no_time_left";

export interface UnassignedJob {
  jobId: string;
  reason: UnassignedReason;
}

export interface SolutionCost {
  unassignedJobs: number;
  /** Weight of the jobs left out: their priorities, mandatory and locked ones scaled up (see objectiveWeightOf). */
  unassignedPriority: number;
  technicians: number;
  travelTime: number;
  lateness: number;
  waiting: number;
}

export interface RoutingSolution {
  routes: PlannedRoute[];
  unassigned: UnassignedJob[];
  cost: SolutionCost;
  stats: {
    iterations: number;
    elapsedMs: number;
    seed: number;
    /** When the first complete plan (construction) was ready. */
    firstPlanMs: number;
    /** When the plan returned was found. */
    bestAtMs: number;
  };
}

/** Mandatory jobs outrank any number of optional ones of the same priority in a 100-job day. */
export const MANDATORY_FACTOR = 1000;
/**
 * Mandatory visits locked to a start time (started, or promised to the customer) outrank any number
 * of other mandatory jobs of the same priority: a plan that leaves one out would give the
 * technician's time at that visit to other work, while the visit happens anyway.
 */
export const LOCKED_FACTOR = MANDATORY_FACTOR * MANDATORY_FACTOR;

export function objectiveWeightOf(job: Job): number {
  if (job.optional) return job.priority ?? 1;
  return (job.priority ?? 1) * (job.lock?.startTime !== undefined ? LOCKED_FACTOR : MANDATORY_FACTOR);
}
