// Ruin and recreate after SISR ("slack induction by string removals", Christiaens & Vanden Berghe
// 2020): remove a few strings of neighbouring jobs from nearby routes, reinsert greedily with
// blinks, accept by simulated annealing. The hierarchical objective first drops routes one by one,
// serving each removed route's jobs by guided ejection (Nagata & Bräysy 2009) between ruin and
// recreate moves that may not leave more jobs out.
import type { Objective, SolutionCost } from "./model";
import { type CostWeights, Plan, TOO_LATE } from "./plan";
import type { Problem } from "./problem";
import { seededRandom } from "./rng";
import { simulateDay } from "./schedule";

export interface SearchSettings {
  objective: Objective;
  timeLimitMs: number;
  maxIterations: number;
  seed: number;
  onProgress?: (elapsedMs: number, iterations: number, best: Plan) => void;
  shouldStop?: () => boolean;
  /** performance.now() when the run began (compiling the problem counts against the limit); now by default. */
  startedAt?: number;
}

export interface SearchResult {
  best: Plan;
  iterations: number;
  elapsedMs: number;
  firstPlanMs: number;
  bestAtMs: number;
}

/** The search's knobs, exported so experiments can vary them; the defaults were tuned on Solomon. */
export const SEARCH_TUNING = {
  /** Mean number of jobs removed per iteration (SISR's c̄) and the longest string (L_max). */
  meanRemoved: 15,
  maxString: 15,
  /** Chance of a split string, and of keeping one more job inside it. */
  splitRate: 0.5,
  splitDepth: 0.5,
  /** Chance of skipping a position while inserting: cheap diversification. */
  blinkRate: 0.01,
  /** Annealing temperatures as multiples of the initial solution's mean leg. */
  startTemperature: 2,
  finalTemperature: 0.01,
  /** Share of the budget the hierarchical objective may spend removing routes. */
  fleetShare: 0.7,
};
const PROGRESS_INTERVAL_MS = 100;

/** A way to let a job into a route: positions to take out first, where the job then goes. */
interface Ejection {
  route: number;
  ejected: number[];
  position: number;
  penalty: number;
}
/** Jobs left out by earlier iterations that one iteration tries again. */
const RETRIED_PER_ITERATION = 30;

export function costWeights(problem: Problem, objective: Objective): CostWeights {
  let longest = 0;
  for (const value of problem.travel) if (Number.isFinite(value) && value > longest) longest = value;
  const travelBound = (problem.jobCount + problem.vehicleCount + 1) * longest + 1;
  return {
    vehicle: objective === "hierarchical" ? 4 * travelBound : 0,
    lateness: 1e-3,
    waiting: 1e-7,
  };
}

/** Left-out weights this close (relatively) are equal: sums of the same weights in another order. */
const WEIGHT_EPSILON = 1e-12;

/**
 * Whether a plan leaving out `left` weight at `cost` beats one at `otherLeft` and `otherCost` by
 * more than `margin`: less weight left out wins outright, the cost decides between equals. Kept
 * apart because a locked visit's weight times any cost scale would swamp the travel in one number.
 */
function better(left: number, cost: number, otherLeft: number, otherCost: number, margin: number): boolean {
  const tolerance = WEIGHT_EPSILON * Math.max(1000, otherLeft);
  if (left < otherLeft - tolerance) return true;
  return left <= otherLeft + tolerance && cost < otherCost - margin;
}

export function planCost(plan: Plan): SolutionCost {
  let lateness = 0;
  let waiting = 0;
  for (let r = 0; r < plan.length.length; r++) {
    lateness += plan.lateness[r];
    waiting += plan.waiting[r];
  }
  return {
    unassignedJobs: plan.poolSize,
    unassignedPriority: plan.poolWeight(),
    technicians: plan.usedRoutes(),
    travelTime: plan.totalTravel(),
    lateness,
    waiting,
  };
}

export function runSearch(problem: Problem, settings: SearchSettings): SearchResult {
  return new Search(problem, settings).run();
}

class Search {
  private readonly random: () => number;
  private readonly weights: CostWeights;
  private readonly current: Plan;
  private readonly candidate: Plan;
  private readonly best: Plan;
  private readonly began: number;
  private iterations = 0;
  private lastProgress = 0;
  private firstPlanMs = 0;
  private bestAtMs = 0;
  private routeLimit: number;
  // Scratch space, allocated once.
  private readonly dirty: Int32Array;
  private readonly dirtyMark: Uint8Array;
  private dirtyCount = 0;
  private readonly ruinMark: Int32Array;
  private ruinStamp = 0;
  /** The job the last ruin started from: left-out jobs near it are retried first. */
  private ruinSeed = -1;
  private readonly poolMark: Int32Array;
  private poolStamp = 0;
  /**
   * Reinsertion rank: the job's weight, doubled for jobs only one technician can do (locked ones):
   * a heavier job that has other places to go should not take the only place a locked job has.
   */
  private readonly rank: Float64Array;
  private readonly ranked: boolean;
  private readonly order: Int32Array;
  private readonly emptyTried: Int32Array;
  private emptyStamp = 0;
  private readonly sortKey: Float64Array;
  private readonly sequence: Int32Array;
  private readonly depotTravel: Float64Array;
  private readonly windowWidth: Float64Array;

  constructor(
    private readonly problem: Problem,
    private readonly settings: SearchSettings,
  ) {
    const { vehicleCount: m, jobCount: n } = problem;
    this.began = settings.startedAt ?? performance.now();
    this.random = seededRandom(settings.seed);
    this.weights = costWeights(problem, settings.objective);
    this.current = new Plan(problem);
    this.candidate = new Plan(problem);
    this.best = new Plan(problem);
    this.routeLimit = m;
    this.dirty = new Int32Array(m);
    this.dirtyMark = new Uint8Array(m);
    this.ruinMark = new Int32Array(m);
    this.order = new Int32Array(n);
    this.poolMark = new Int32Array(n);
    this.rank = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const only = problem.candidateOffset[j + 1] - problem.candidateOffset[j] === 1;
      this.rank[j] = problem.jobWeight[j] * (only ? 2 : 1);
    }
    this.ranked = this.rank.some((rank) => rank !== this.rank[0]);
    this.emptyTried = new Int32Array(m);
    this.sortKey = new Float64Array(n);
    this.sequence = new Int32Array(problem.routeStride + 1);
    this.depotTravel = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    this.windowWidth = new Float64Array(n);
    const { travel, matrixSize: size, jobLocation, windowOffset, windowOpen, windowClose } = problem;
    for (let j = 0; j < n; j++) {
      for (let v = 0; v < m; v++) {
        const leg = travel[problem.vehicleStart[v] * size + jobLocation[j]];
        if (leg < this.depotTravel[j]) this.depotTravel[j] = leg;
      }
      const width = windowClose[windowOffset[j + 1] - 1] - windowOpen[windowOffset[j]];
      this.windowWidth[j] = Number.isFinite(width) ? width : Number.MAX_VALUE;
    }
  }

  run(): SearchResult {
    this.recreate(this.current, 0);
    // Blinks can leave a job out of the first plan; the fleet phase needs everyone served.
    for (let tries = 0; tries < 10 && this.current.poolSize > 0; tries++)
      this.recreate(this.current, this.current.poolSize);
    this.dirtyCount = 0;
    this.dirtyMark.fill(0);
    this.candidate.copyFrom(this.current);
    this.best.copyFrom(this.current);
    this.firstPlanMs = this.bestAtMs = performance.now() - this.began;
    this.report(true);
    let annealFrom = 0;
    if (this.settings.objective === "hierarchical" && this.current.poolSize === 0) {
      this.reduceFleet();
      annealFrom = this.progress();
      this.current.copyFrom(this.best);
      this.candidate.copyFrom(this.best);
      this.routeLimit = this.best.usedRoutes();
    }
    this.anneal(annealFrom);
    this.report(true);
    return {
      best: this.best,
      iterations: this.iterations,
      elapsedMs: performance.now() - this.began,
      firstPlanMs: this.firstPlanMs,
      bestAtMs: this.bestAtMs,
    };
  }

  /** Share of the budget used, by iterations when they are capped (repeatable), else by time. */
  private progress(): number {
    const { maxIterations, timeLimitMs } = this.settings;
    if (Number.isFinite(maxIterations)) return this.iterations / maxIterations;
    return (performance.now() - this.began) / timeLimitMs;
  }

  private stopped(): boolean {
    if (this.progress() >= 1) return true;
    if (
      Number.isFinite(this.settings.maxIterations) &&
      performance.now() - this.began >= this.settings.timeLimitMs
    ) {
      return true;
    }
    return (this.iterations & 63) === 0 && this.settings.shouldStop?.() === true;
  }

  private anneal(from: number): void {
    const current = this.current;
    const candidate = this.candidate;
    const assigned = this.problem.jobCount - current.poolSize;
    const meanLeg = current.totalTravel() / Math.max(1, assigned + current.usedRoutes()) || 1;
    const hot = SEARCH_TUNING.startTemperature * meanLeg;
    const cold = SEARCH_TUNING.finalTemperature * meanLeg;
    let currentLeft = current.poolWeight();
    let currentCost = current.cost(this.weights);
    let bestLeft = this.best.poolWeight();
    let bestCost = this.best.cost(this.weights);
    while (!this.stopped()) {
      this.iterations++;
      const share = Math.min(1, Math.max(0, (this.progress() - from) / (1 - from || 1)));
      const temperature = hot * (cold / hot) ** share;
      const leftOut = candidate.poolSize;
      this.ruin(candidate);
      this.recreate(candidate, leftOut);
      const left = candidate.poolWeight();
      const cost = candidate.cost(this.weights);
      if (better(left, cost, currentLeft, currentCost, temperature * Math.log(this.random()))) {
        this.commit(candidate, current);
        currentLeft = left;
        currentCost = cost;
        if (better(left, cost, bestLeft, bestCost, 1e-9)) {
          bestLeft = left;
          bestCost = cost;
          this.best.copyFrom(current);
          this.bestAtMs = performance.now() - this.began;
          this.report(false);
        }
      } else {
        this.commit(current, candidate);
      }
    }
  }

  /** Removes the smallest route and tries to serve its jobs elsewhere, until time or a bound stops it. */
  private reduceFleet(): void {
    const problem = this.problem;
    const current = this.current;
    const candidate = this.candidate;
    // How often each job failed to find a place: the jobs ejected to let others in are the cheap ones.
    const penalties = new Float64Array(problem.jobCount);
    const bound = this.fleetLowerBound();
    while (this.best.usedRoutes() > bound && this.progress() < SEARCH_TUNING.fleetShare && !this.stopped()) {
      current.copyFrom(this.best);
      let smallest = -1;
      for (let r = 0; r < problem.vehicleCount; r++) {
        const len = current.length[r];
        if (len > 0 && (smallest < 0 || len < current.length[smallest])) smallest = r;
      }
      current.removeRange(smallest, 0, current.length[smallest]);
      current.refresh(smallest);
      this.routeLimit = current.usedRoutes();
      candidate.copyFrom(current);
      while (current.poolSize > 0 && this.progress() < SEARCH_TUNING.fleetShare && !this.stopped()) {
        this.iterations++;
        // One job in, by force if need be: always kept, it is how the search leaves a plateau.
        this.insertOrEject(candidate, penalties);
        this.commit(candidate, current);
        if (current.poolSize === 0) break;
        // Then shake the routes: kept unless it leaves more jobs out.
        const leftOut = candidate.poolSize;
        this.ruin(candidate);
        this.recreate(candidate, leftOut);
        if (candidate.poolSize <= current.poolSize) this.commit(candidate, current);
        else this.commit(current, candidate);
      }
      if (current.poolSize > 0) return;
      this.best.copyFrom(current);
      this.bestAtMs = performance.now() - this.began;
      this.report(false);
    }
  }

  /**
   * Guided ejection (Nagata & Bräysy 2009): serve the last left-out job where it costs least, or
   * else by taking out of one route the one or two jobs with the smallest failure counts, so the
   * jobs that keep failing get in and the easy ones go back to the pool.
   */
  private insertOrEject(plan: Plan, penalties: Float64Array): void {
    const job = plan.pool[plan.poolSize - 1];
    if (this.insertCheapest(plan, job)) return;
    penalties[job]++;
    let best: Ejection | null = null;
    const { candidateOffset, candidateVehicles } = this.problem;
    for (let c = candidateOffset[job], end = candidateOffset[job + 1]; c < end; c++) {
      const r = candidateVehicles[c];
      if (plan.length[r] === 0) continue;
      // Pair ejections on long routes are costly: the time limit is checked route by route.
      if (this.stopped()) break;
      const bound = best ? best.penalty : Number.POSITIVE_INFINITY;
      const found = this.cheapestEjection(plan, r, job, penalties, bound);
      if (found) best = found;
    }
    if (!best) {
      // Nothing makes room for it yet: let another left-out job have the next turn.
      const other = Math.floor(this.random() * plan.poolSize);
      plan.pool[plan.poolSize - 1] = plan.pool[other];
      plan.pool[other] = job;
      return;
    }
    const { route, ejected, position } = best;
    // Remove the later position first so the earlier one does not move.
    for (let i = ejected.length - 1; i >= 0; i--) plan.removeRange(route, ejected[i], 1);
    plan.insert(route, position, job);
    this.refreshRoute(plan, route);
  }

  /** Puts `job` where it adds the least travel among the used routes; false when it fits nowhere. */
  private insertCheapest(plan: Plan, job: number): boolean {
    const problem = this.problem;
    let bestDelta = Number.POSITIVE_INFINITY;
    let bestRoute = -1;
    let bestPosition = -1;
    for (let c = problem.candidateOffset[job], end = problem.candidateOffset[job + 1]; c < end; c++) {
      const r = problem.candidateVehicles[c];
      if (plan.length[r] === 0 || !plan.routeAccepts(r, job)) continue;
      for (let p = 0; p <= plan.length[r]; p++) {
        const delta = plan.insertionDelta(r, p, job);
        if (delta === TOO_LATE) break;
        if (delta < bestDelta && (problem.hasBreak[r] === 0 || this.fitsWithBreak(plan, r, p, job))) {
          bestDelta = delta;
          bestRoute = r;
          bestPosition = p;
        }
      }
    }
    if (bestRoute < 0) return false;
    plan.insert(bestRoute, bestPosition, job);
    this.refreshRoute(plan, bestRoute);
    return true;
  }

  /** The lowest-penalty one or two positions of route r whose removal lets `job` in (checked exactly). */
  private cheapestEjection(
    plan: Plan,
    r: number,
    job: number,
    penalties: Float64Array,
    bound: number,
  ): Ejection | null {
    const problem = this.problem;
    if (problem.canServe[r * problem.jobCount + job] !== 1) return null;
    const base = r * problem.routeStride;
    const len = plan.length[r];
    let best: Ejection | null = null;
    let limit = bound;
    const tryOut = (ejected: number[]): void => {
      let penalty = 0;
      let demand = 0;
      for (const k of ejected) {
        penalty += penalties[plan.nodes[base + k]];
        demand += problem.jobDemand[plan.nodes[base + k]];
      }
      if (penalty >= limit) return;
      if (plan.load[r] - demand + problem.jobDemand[job] > problem.capacity[r]) return;
      if (len - ejected.length + 1 > problem.maxJobs[r]) return;
      const position = this.feasiblePosition(plan, r, job, ejected);
      if (position < 0) return;
      limit = penalty;
      best = { route: r, ejected: ejected.slice(), position, penalty };
    };
    for (let a = 0; a < len; a++) tryOut([a]);
    if (len >= 2) for (let a = 0; a < len; a++) for (let b = a + 1; b < len; b++) tryOut([a, b]);
    return best;
  }

  /** A position where `job` fits in route r once the `ejected` positions are out, or -1. */
  private feasiblePosition(plan: Plan, r: number, job: number, ejected: number[]): number {
    const base = r * this.problem.routeStride;
    const len = plan.length[r];
    const rest: number[] = [];
    for (let k = 0; k < len; k++) if (!ejected.includes(k)) rest.push(plan.nodes[base + k]);
    const sequence = this.sequence;
    for (let p = 0; p <= rest.length; p++) {
      for (let k = 0; k < p; k++) sequence[k] = rest[k];
      sequence[p] = job;
      for (let k = p; k < rest.length; k++) sequence[k + 1] = rest[k];
      if (simulateDay(this.problem, r, sequence, rest.length + 1, null)) return p;
    }
    return -1;
  }

  private fleetLowerBound(): number {
    const { jobDemand, capacity } = this.problem;
    let demand = 0;
    for (const value of jobDemand) demand += value;
    let largest = 0;
    for (const value of capacity) if (value > largest) largest = value;
    return Number.isFinite(largest) && largest > 0 ? Math.max(1, Math.ceil(demand / largest)) : 1;
  }

  /** Makes `to` equal to `from` again on the routes the last iteration touched. */
  private commit(from: Plan, to: Plan): void {
    for (let i = 0; i < this.dirtyCount; i++) {
      const r = this.dirty[i];
      to.copyRouteFrom(from, r);
      this.dirtyMark[r] = 0;
    }
    this.dirtyCount = 0;
    to.copyPoolFrom(from);
  }

  private touch(r: number): void {
    if (this.dirtyMark[r] === 0) {
      this.dirtyMark[r] = 1;
      this.dirty[this.dirtyCount++] = r;
    }
  }

  /** Refreshes a route's schedule, dropping jobs that no longer fit (non-metric travel times). */
  private refreshRoute(plan: Plan, r: number): void {
    for (let late = plan.refresh(r); late >= 0; late = plan.refresh(r)) plan.removeRange(r, late, 1);
    this.touch(r);
  }

  private ruin(plan: Plan): void {
    const problem = this.problem;
    const used = plan.usedRoutes();
    if (used === 0) return;
    const random = this.random;
    const meanLength = (problem.jobCount - plan.poolSize) / used;
    const stringLimit = Math.min(SEARCH_TUNING.maxString, meanLength);
    const stringsLimit = (4 * SEARCH_TUNING.meanRemoved) / (1 + stringLimit) - 1;
    const strings = Math.floor(random() * stringsLimit) + 1;
    const seed = Math.floor(random() * problem.jobCount);
    this.ruinSeed = seed;
    const k = problem.neighbourCount;
    const stamp = ++this.ruinStamp;
    let ruined = 0;
    for (let i = -1; i < k && ruined < strings; i++) {
      const job = i < 0 ? seed : problem.neighbours[seed * k + i];
      const r = plan.routeOf[job];
      if (r < 0 || this.ruinMark[r] === stamp) continue;
      this.ruinMark[r] = stamp;
      ruined++;
      const len = plan.length[r];
      const length = Math.floor(random() * Math.min(len, stringLimit)) + 1;
      if (length < len && random() < SEARCH_TUNING.splitRate)
        this.removeSplitString(plan, r, plan.positionOf[job], length);
      else this.removeString(plan, r, plan.positionOf[job], length);
      this.refreshRoute(plan, r);
    }
  }

  /** A random window of `length` consecutive jobs that contains `position`. */
  private windowAround(len: number, position: number, length: number): number {
    const first = Math.max(0, position - length + 1);
    const last = Math.min(position, len - length);
    return first + Math.floor(this.random() * (last - first + 1));
  }

  private removeString(plan: Plan, r: number, position: number, length: number): void {
    plan.removeRange(r, this.windowAround(plan.length[r], position, length), length);
  }

  /** Removes `length` jobs from a string of length + kept jobs, keeping a middle run in place. */
  private removeSplitString(plan: Plan, r: number, position: number, length: number): void {
    const len = plan.length[r];
    let kept = 1;
    while (length + kept < len && this.random() < SEARCH_TUNING.splitDepth) kept++;
    const from = this.windowAround(len, position, length + kept);
    const keptAt = from + Math.floor(this.random() * (length + 1));
    plan.removeRange(r, keptAt + kept, from + length + kept - (keptAt + kept));
    plan.removeRange(r, from, keptAt - from);
  }

  /**
   * Reinserts the jobs just removed and a sample of those left out before (`leftOut` first pool
   * entries): retrying hundreds of hopeless jobs every iteration would starve the search on big days.
   * The sample starts with the left-out jobs nearest the ruin's seed (the routes just opened up are
   * theirs), and is filled at random.
   */
  private recreate(plan: Plan, leftOut: number): void {
    const problem = this.problem;
    const random = this.random;
    this.order.set(plan.pool.subarray(0, plan.poolSize));
    const retried = Math.min(leftOut, RETRIED_PER_ITERATION);
    let near = 0;
    if (leftOut > retried && this.ruinSeed >= 0) near = this.retryNear(leftOut, retried >> 1);
    for (let i = near; i < retried; i++) {
      const j = i + Math.floor(random() * (leftOut - i));
      const swap = this.order[i];
      this.order[i] = this.order[j];
      this.order[j] = swap;
    }
    this.order.copyWithin(retried, leftOut, plan.poolSize);
    const count = retried + plan.poolSize - leftOut;
    this.sortPool(count);
    let used = plan.usedRoutes();
    for (let i = 0; i < count; i++) {
      const job = this.order[i];
      let bestDelta = Number.POSITIVE_INFINITY;
      let bestRoute = -1;
      let bestPosition = -1;
      const emptyStamp = ++this.emptyStamp;
      for (let c = problem.candidateOffset[job], end = problem.candidateOffset[job + 1]; c < end; c++) {
        const r = problem.candidateVehicles[c];
        const len = plan.length[r];
        if (len === 0) {
          if (used >= this.routeLimit) continue;
          // One empty route per kind of technician is enough to try.
          const twin = problem.vehicleTwin[r];
          if (this.emptyTried[twin] === emptyStamp) continue;
          this.emptyTried[twin] = emptyStamp;
        }
        if (!plan.routeAccepts(r, job)) continue;
        for (let p = 0; p <= len; p++) {
          if (random() < SEARCH_TUNING.blinkRate) continue;
          const delta = plan.insertionDelta(r, p, job);
          if (delta === TOO_LATE) break;
          if (delta < bestDelta && (problem.hasBreak[r] === 0 || this.fitsWithBreak(plan, r, p, job))) {
            bestDelta = delta;
            bestRoute = r;
            bestPosition = p;
          }
        }
      }
      if (bestRoute < 0) continue;
      if (plan.length[bestRoute] === 0) used++;
      plan.insert(bestRoute, bestPosition, job);
      this.refreshRoute(plan, bestRoute);
    }
  }

  /** Moves up to `limit` left-out jobs among the ruin seed and its neighbours to the front of `order`. */
  private retryNear(leftOut: number, limit: number): number {
    const { neighbours, neighbourCount: k } = this.problem;
    const order = this.order;
    const mark = this.poolMark;
    const stamp = ++this.poolStamp;
    // Where each earlier left-out job sits in `order`, by a stamp per job.
    for (let i = 0; i < leftOut; i++) mark[order[i]] = stamp;
    let count = 0;
    for (let i = -1; i < k && count < limit; i++) {
      const job = i < 0 ? this.ruinSeed : neighbours[this.ruinSeed * k + i];
      if (mark[job] !== stamp) continue;
      mark[job] = 0;
      let at = count;
      while (order[at] !== job) at++;
      order[at] = order[count];
      order[count++] = job;
    }
    return count;
  }

  private fitsWithBreak(plan: Plan, r: number, p: number, job: number): boolean {
    const base = r * this.problem.routeStride;
    const len = plan.length[r];
    for (let k = 0; k < p; k++) this.sequence[k] = plan.nodes[base + k];
    this.sequence[p] = job;
    for (let k = p; k < len; k++) this.sequence[k + 1] = plan.nodes[base + k];
    return simulateDay(this.problem, r, this.sequence, len + 1, null);
  }

  /**
   * SISR's insertion orders: random, largest demand, farthest, closest, tightest window first; then,
   * when jobs differ in weight, heavier first (see `rank`), keeping that order among equals. The
   * ranks are shaken by up to ±50% each time: mandatory jobs still go before optional ones, but two
   * jobs of similar weight swap now and then, or one of them would always take a place both need.
   */
  private sortPool(count: number): void {
    this.orderPool(count);
    if (!this.ranked) return;
    const order = this.order;
    const key = this.sortKey;
    for (let i = 0; i < count; i++) key[i] = this.rank[order[i]] * (0.5 + this.random());
    for (let i = 1; i < count; i++) {
      const job = order[i];
      const value = key[i];
      let k = i - 1;
      while (k >= 0 && key[k] < value) {
        order[k + 1] = order[k];
        key[k + 1] = key[k];
        k--;
      }
      order[k + 1] = job;
      key[k + 1] = value;
    }
  }

  private orderPool(count: number): void {
    const order = this.order;
    const key = this.sortKey;
    const pick = this.random() * 13;
    if (pick < 4) {
      for (let i = count - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        const swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
      return;
    }
    for (let i = 0; i < count; i++) {
      const job = order[i];
      if (pick < 8) key[i] = -this.problem.jobDemand[job];
      else if (pick < 10) key[i] = -this.depotTravel[job];
      else if (pick < 11) key[i] = this.depotTravel[job];
      else key[i] = this.windowWidth[job];
    }
    for (let i = 1; i < count; i++) {
      const job = order[i];
      const value = key[i];
      let k = i - 1;
      while (k >= 0 && key[k] > value) {
        order[k + 1] = order[k];
        key[k + 1] = key[k];
        k--;
      }
      order[k + 1] = job;
      key[k + 1] = value;
    }
  }

  private report(force: boolean): void {
    const onProgress = this.settings.onProgress;
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    this.lastProgress = now;
    onProgress(now - this.began, this.iterations, this.best);
  }
}
