// The search's solution state: one fixed-size slot per technician in flat typed arrays, with the
// forward start times and backward latest arrivals that make each insertion check O(1).
import {
  earliestStart,
  LATEST_TOLERANCE,
  latenessAt,
  latestArrival,
  type Problem,
  TIME_TOLERANCE,
} from "./problem";
import { simulateDay } from "./schedule";

/**
 * Weights that turn the objective, after the weight of the jobs left out (compared first, on its
 * own: see Search.anneal), into one number for annealing.
 */
export interface CostWeights {
  vehicle: number;
  lateness: number;
  waiting: number;
}

/** insertionDelta's answer when the technician reaches the position after the job's last window. */
export const TOO_LATE = Number.MAX_VALUE;

export class Plan {
  readonly nodes: Int32Array;
  readonly length: Int32Array;
  /** Earliest service start of the job at each position, break ignored. */
  readonly start: Float64Array;
  /** Latest arrival at each position that keeps the rest of the route on time, break ignored. */
  readonly latest: Float64Array;
  /** Travel of each leg: edge[r * (stride + 1) + k] leads to position k (k = length: the way home); 0 on an empty route. */
  readonly edge: Float64Array;
  readonly load: Float64Array;
  readonly travel: Float64Array;
  readonly lateness: Float64Array;
  readonly waiting: Float64Array;
  readonly routeOf: Int32Array;
  readonly positionOf: Int32Array;
  readonly pool: Int32Array;
  poolSize = 0;

  constructor(readonly problem: Problem) {
    const { vehicleCount: m, jobCount: n, routeStride: stride } = problem;
    this.nodes = new Int32Array(m * stride);
    this.length = new Int32Array(m);
    this.start = new Float64Array(m * stride);
    this.latest = new Float64Array(m * stride);
    this.edge = new Float64Array(m * (stride + 1));
    this.load = new Float64Array(m);
    this.travel = new Float64Array(m);
    this.lateness = new Float64Array(m);
    this.waiting = new Float64Array(m);
    this.routeOf = new Int32Array(n).fill(-1);
    this.positionOf = new Int32Array(n).fill(-1);
    this.pool = new Int32Array(n);
    for (let j = 0; j < n; j++) this.pool[j] = j;
    this.poolSize = n;
  }

  usedRoutes(): number {
    let used = 0;
    for (let r = 0; r < this.length.length; r++) if (this.length[r] > 0) used++;
    return used;
  }

  totalTravel(): number {
    let sum = 0;
    for (let r = 0; r < this.travel.length; r++) sum += this.travel[r];
    return sum;
  }

  poolWeight(): number {
    let sum = 0;
    for (let i = 0; i < this.poolSize; i++) sum += this.problem.jobWeight[this.pool[i]];
    return sum;
  }

  /** Everything but the jobs left out: technicians used (hierarchical), travel, lateness, waiting. */
  cost(weights: CostWeights): number {
    let sum = this.usedRoutes() * weights.vehicle;
    for (let r = 0; r < this.travel.length; r++) {
      sum += this.travel[r] + weights.lateness * this.lateness[r] + weights.waiting * this.waiting[r];
    }
    return sum;
  }

  /**
   * Change in travel of putting job u before position p of route r, or Infinity when the time
   * windows forbid it (TOO_LATE when they forbid every later position too). Capacity, skills and job count are the caller's (route-level) checks.
   */
  insertionDelta(r: number, p: number, u: number): number {
    const problem = this.problem;
    const { travel: matrix, travelTo, matrixSize: size, jobLocation, jobDuration, routeStride } = problem;
    const base = r * routeStride;
    const len = this.length[r];
    const uLoc = jobLocation[u];
    let prevLoc: number;
    let departure: number;
    if (p === 0) {
      prevLoc = problem.vehicleStart[r];
      departure = problem.shiftStart[r];
    } else {
      const prev = this.nodes[base + p - 1];
      prevLoc = jobLocation[prev];
      departure = this.start[base + p - 1] + jobDuration[prev];
    }
    let nextLoc: number;
    let latestNext: number;
    if (p === len) {
      nextLoc = problem.vehicleEnd[r];
      latestNext = problem.shiftEnd[r];
    } else {
      nextLoc = jobLocation[this.nodes[base + p]];
      latestNext = this.latest[base + p];
    }
    // Departures only grow along a route, so no later position can serve the job either.
    if (departure > problem.jobLastClose[u] + TIME_TOLERANCE) return TOO_LATE;
    // Both reads are in job u's rows; the leg replaced is kept with the route.
    const toU = travelTo[uLoc * size + prevLoc];
    const fromU = matrix[uLoc * size + nextLoc];
    const begin = earliestStart(problem, u, departure + toU);
    if (begin + jobDuration[u] + fromU > latestNext + LATEST_TOLERANCE) return Number.POSITIVE_INFINITY;
    return toU + fromU - this.edge[r * (routeStride + 1) + p];
  }

  /** Route-level reasons job u cannot join route r at all. */
  routeAccepts(r: number, u: number): boolean {
    const problem = this.problem;
    return (
      problem.canServe[r * problem.jobCount + u] === 1 &&
      this.length[r] < problem.maxJobs[r] &&
      this.load[r] + problem.jobDemand[u] <= problem.capacity[r]
    );
  }

  insert(r: number, p: number, u: number): void {
    const base = r * this.problem.routeStride;
    const len = this.length[r];
    for (let k = len; k > p; k--) {
      const moved = this.nodes[base + k - 1];
      this.nodes[base + k] = moved;
      this.positionOf[moved] = k;
    }
    this.nodes[base + p] = u;
    this.routeOf[u] = r;
    this.positionOf[u] = p;
    this.length[r] = len + 1;
    this.removeFromPool(u);
  }

  /** Removes the jobs at positions [from, from + count) of route r into the pool (no schedule update). */
  removeRange(r: number, from: number, count: number): void {
    const base = r * this.problem.routeStride;
    const len = this.length[r];
    for (let k = from; k < from + count; k++) {
      const job = this.nodes[base + k];
      this.routeOf[job] = -1;
      this.positionOf[job] = -1;
      this.pool[this.poolSize++] = job;
    }
    for (let k = from + count; k < len; k++) {
      const moved = this.nodes[base + k];
      this.nodes[base + k - count] = moved;
      this.positionOf[moved] = k - count;
    }
    this.length[r] = len - count;
  }

  removeFromPool(u: number): void {
    for (let i = 0; i < this.poolSize; i++) {
      if (this.pool[i] === u) {
        this.pool[i] = this.pool[--this.poolSize];
        return;
      }
    }
  }

  /**
   * Recomputes route r's schedule. Returns the position of a job to drop because the route no
   * longer works (travel times that break the triangle inequality, or a displaced break), or -1.
   */
  refresh(r: number): number {
    const problem = this.problem;
    const { travel: matrix, matrixSize: size, jobLocation, jobDuration, jobDemand, routeStride } = problem;
    const base = r * routeStride;
    const len = this.length[r];
    let time = problem.shiftStart[r];
    let loc = problem.vehicleStart[r];
    let travel = 0;
    let load = 0;
    let waiting = 0;
    let lateness = 0;
    const edges = r * (routeStride + 1);
    for (let k = 0; k < len; k++) {
      const job = this.nodes[base + k];
      const leg = matrix[loc * size + jobLocation[job]];
      this.edge[edges + k] = leg;
      const arrival = time + leg;
      const begin = earliestStart(problem, job, arrival);
      if (begin === Number.POSITIVE_INFINITY) return k;
      // Waiting before the first job is not counted: the technician can simply leave later.
      if (k > 0) waiting += begin - arrival;
      lateness += latenessAt(problem, job, begin);
      this.start[base + k] = begin;
      travel += leg;
      load += jobDemand[job];
      time = begin + jobDuration[job];
      loc = jobLocation[job];
    }
    this.edge[edges + len] = 0;
    if (len > 0) {
      const leg = matrix[loc * size + problem.vehicleEnd[r]];
      this.edge[edges + len] = leg;
      travel += leg;
      if (time + leg > problem.shiftEnd[r] + TIME_TOLERANCE) return len - 1;
      // Fewer jobs can still move a break to where it no longer fits.
      if (
        problem.hasBreak[r] === 1 &&
        !simulateDay(problem, r, this.nodes.subarray(base, base + len), len, null)
      ) {
        return len - 1;
      }
    }
    let latestNext = problem.shiftEnd[r];
    let nextLoc = problem.vehicleEnd[r];
    for (let k = len - 1; k >= 0; k--) {
      const job = this.nodes[base + k];
      const bound = latestNext - matrix[jobLocation[job] * size + nextLoc] - jobDuration[job];
      latestNext = latestArrival(problem, job, bound);
      this.latest[base + k] = latestNext;
      nextLoc = jobLocation[job];
    }
    this.travel[r] = travel;
    this.load[r] = load;
    this.waiting[r] = waiting;
    this.lateness[r] = lateness;
    return -1;
  }

  copyRouteFrom(other: Plan, r: number): void {
    const stride = this.problem.routeStride;
    const base = r * stride;
    const len = other.length[r];
    this.nodes.set(other.nodes.subarray(base, base + len), base);
    this.start.set(other.start.subarray(base, base + len), base);
    this.latest.set(other.latest.subarray(base, base + len), base);
    const edges = r * (stride + 1);
    this.edge.set(other.edge.subarray(edges, edges + len + 1), edges);
    this.length[r] = len;
    this.load[r] = other.load[r];
    this.travel[r] = other.travel[r];
    this.lateness[r] = other.lateness[r];
    this.waiting[r] = other.waiting[r];
    for (let k = 0; k < len; k++) {
      const job = this.nodes[base + k];
      this.routeOf[job] = r;
      this.positionOf[job] = k;
    }
  }

  copyPoolFrom(other: Plan): void {
    this.poolSize = other.poolSize;
    for (let i = 0; i < other.poolSize; i++) {
      const job = other.pool[i];
      this.pool[i] = job;
      this.routeOf[job] = -1;
      this.positionOf[job] = -1;
    }
  }

  copyFrom(other: Plan): void {
    for (let r = 0; r < this.length.length; r++) this.copyRouteFrom(other, r);
    this.copyPoolFrom(other);
  }
}
