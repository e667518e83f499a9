// The optimizer's entry point: compile, search, then describe the best plan in the public terms.
import type {
  PlannedRoute,
  PlannedStop,
  RoutingInput,
  RoutingSolution,
  SolveOptions,
  UnassignedJob,
  UnassignedReason,
} from "./model";
import type { Plan } from "./plan";
import { compileProblem, earliestStart, latenessAt, type Problem } from "./problem";
import { newTimeline, simulateDay } from "./schedule";
import { planCost, runSearch } from "./search";

export const DEFAULT_TIME_LIMIT_MS = 5_000;
/**
 * Share of the time limit left for after the search: describing the plan (each left-out job's
 * reason) and handing it back from the worker, about 50 ms for 1,500 jobs.
 */
const FINISH_SHARE = 0.01;

export function optimize(input: RoutingInput, options: SolveOptions = {}): RoutingSolution {
  // The time limit covers the whole run: on a 1,650-location day compiling takes a few hundred ms.
  const startedAt = performance.now();
  const problem = compileProblem(input);
  const seed = options.seed ?? 1;
  const onProgress = options.onProgress;
  const result = runSearch(problem, {
    objective: options.objective ?? "travel",
    timeLimitMs: (options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS) * (1 - FINISH_SHARE),
    maxIterations: options.maxIterations ?? Number.POSITIVE_INFINITY,
    seed,
    startedAt,
    shouldStop: options.shouldStop,
    onProgress: onProgress
      ? (elapsedMs, iterations, best) => onProgress({ elapsedMs, iterations, bestCost: planCost(best) })
      : undefined,
  });
  return {
    routes: describeRoutes(problem, result.best),
    unassigned: explainUnassigned(problem, result.best),
    cost: planCost(result.best),
    stats: {
      iterations: result.iterations,
      elapsedMs: result.elapsedMs,
      seed,
      firstPlanMs: result.firstPlanMs,
      bestAtMs: result.bestAtMs,
    },
  };
}

function describeRoutes(problem: Problem, plan: Plan): PlannedRoute[] {
  const { input, travel, matrixSize: size, jobLocation, jobDuration, jobDemand, routeStride } = problem;
  const timeline = newTimeline(routeStride);
  const routes: PlannedRoute[] = [];
  for (let v = 0; v < problem.vehicleCount; v++) {
    const len = plan.length[v];
    if (len === 0) continue;
    const jobs = plan.nodes.subarray(v * routeStride, v * routeStride + len);
    if (!simulateDay(problem, v, jobs, len, timeline)) throw new Error("The search kept an infeasible route");
    const stops: PlannedStop[] = [];
    let loc = problem.vehicleStart[v];
    const breakStart = timeline.breakStart;
    const breakEnd = breakStart + problem.breakDuration[v];
    for (let k = 0; k < len; k++) {
      const job = jobs[k];
      const start = timeline.start[k];
      const arrival = timeline.arrival[k];
      // A break taken on site before the job is not waiting.
      const onSite =
        timeline.breakAfter === k - 1
          ? Math.max(0, Math.min(breakEnd, start) - Math.max(breakStart, arrival))
          : 0;
      stops.push({
        jobId: input.jobs[job].id,
        arrival,
        start,
        end: start + jobDuration[job],
        waiting: Math.max(0, start - arrival - onSite),
        lateness: latenessAt(problem, job, start),
        travelFromPrevious: travel[loc * size + jobLocation[job]],
      });
      loc = jobLocation[job];
    }
    const route: PlannedRoute = {
      technicianId: input.technicians[v].id,
      departure: timeline.departure,
      stops,
      returnTime: timeline.returnTime,
      travelTime: plan.travel[v],
      load: jobs.reduce((sum, job) => sum + jobDemand[job], 0),
    };
    if (timeline.breakAfter > -2) {
      const start = timeline.breakStart;
      route.break = { start, end: start + problem.breakDuration[v], afterStop: timeline.breakAfter };
    }
    routes.push(route);
  }
  return routes;
}

/** Why each left-out job is out: the first rule that excludes every technician decides. */
function explainUnassigned(problem: Problem, plan: Plan): UnassignedJob[] {
  const result: UnassignedJob[] = [];
  const jobs = Array.from(plan.pool.subarray(0, plan.poolSize)).sort((a, b) => a - b);
  for (const job of jobs)
    result.push({ jobId: problem.input.jobs[job].id, reason: reasonFor(problem, plan, job) });
  return result;
}

function reasonFor(problem: Problem, plan: Plan, job: number): UnassignedReason {
  const n = problem.jobCount;
  const lock = problem.input.jobs[job].lock?.technicianId;
  const skilled: number[] = [];
  for (let v = 0; v < problem.vehicleCount; v++) if (problem.canServe[v * n + job] === 1) skilled.push(v);
  if (skilled.length === 0)
    return lock !== undefined ? "locked_technician_unavailable" : "no_skilled_technician";
  const reachable = skilled.filter((v) => servableAlone(problem, v, job));
  if (reachable.length === 0) return "no_reachable_time_window";
  const roomy = reachable.filter((v) => problem.jobDemand[job] <= problem.capacity[v]);
  if (roomy.length === 0) return "capacity";
  if (roomy.every((v) => problem.maxJobs[v] === 0)) return "max_jobs";
  // Possible alone, so the day as planned is the obstacle: name the limit every route hits.
  if (roomy.every((v) => plan.load[v] + problem.jobDemand[job] > problem.capacity[v])) return "capacity";
  if (roomy.every((v) => plan.length[v] >= problem.maxJobs[v])) return "max_jobs";
  return "no_time_left";
}

function servableAlone(problem: Problem, v: number, job: number): boolean {
  const { travel, matrixSize: size, jobLocation } = problem;
  const arrival = problem.shiftStart[v] + travel[problem.vehicleStart[v] * size + jobLocation[job]];
  if (earliestStart(problem, job, arrival) === Number.POSITIVE_INFINITY) return false;
  return simulateDay(problem, v, Int32Array.of(job), 1, null);
}
