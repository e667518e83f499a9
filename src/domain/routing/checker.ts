// An independent judge of any solution: re-reads the raw input, shares no code with the solver,
// and favours plain loops over speed. Tests and the benchmark trust it, not the solver.
import type { RoutingInput, RoutingSolution, SolutionCost } from "./model";

export type ViolationKind =
  | "unknown_technician"
  | "technician_used_twice"
  | "unknown_job"
  | "job_repeated"
  | "job_missing"
  | "skills"
  | "lock_technician"
  | "lock_time"
  | "time_window"
  | "travel_time"
  | "shift"
  | "break"
  | "capacity"
  | "max_jobs"
  | "times_inconsistent";

export interface Violation {
  kind: ViolationKind;
  message: string;
}

export interface CheckResult {
  valid: boolean;
  violations: Violation[];
  cost: SolutionCost;
}

const TOLERANCE = 1e-6;

export function checkSolution(input: RoutingInput, solution: RoutingSolution): CheckResult {
  const violations: Violation[] = [];
  const flag = (kind: ViolationKind, message: string) => violations.push({ kind, message });
  const size = input.matrix.size;
  const travel = (from: number, to: number) => Number(input.matrix.durations[from * size + to]);
  const jobsById = new Map(input.jobs.map((job) => [job.id, job]));
  const techniciansById = new Map(input.technicians.map((tech) => [tech.id, tech]));
  const seenJobs = new Set<string>();
  const seenTechnicians = new Set<string>();
  const cost: SolutionCost = {
    unassignedJobs: 0,
    unassignedPriority: 0,
    technicians: 0,
    travelTime: 0,
    lateness: 0,
    waiting: 0,
  };

  const noteJob = (jobId: string) => {
    if (!jobsById.has(jobId)) flag("unknown_job", `job ${jobId} is not in the input`);
    else if (seenJobs.has(jobId)) flag("job_repeated", `job ${jobId} appears more than once`);
    seenJobs.add(jobId);
  };

  for (const route of solution.routes) {
    const tech = techniciansById.get(route.technicianId);
    if (!tech) {
      flag("unknown_technician", `technician ${route.technicianId} is not in the input`);
      continue;
    }
    if (seenTechnicians.has(tech.id)) flag("technician_used_twice", `technician ${tech.id} has two routes`);
    seenTechnicians.add(tech.id);
    if (route.stops.length === 0) continue;
    cost.technicians++;
    const who = `technician ${tech.id}`;
    if (route.departure < tech.shift.start - TOLERANCE)
      flag("shift", `${who} leaves before the shift starts`);
    if (tech.maxJobs !== undefined && route.stops.length > tech.maxJobs) {
      flag("max_jobs", `${who} has ${route.stops.length} jobs, more than ${tech.maxJobs}`);
    }
    let load = 0;
    let place = tech.startLocation;
    // When the technician sets off for the next place: the break may fall on the way, or on site
    // while waiting, so the time from setting off to arriving must hold the drive and the part of
    // the break taken before arriving.
    let leaveAt = route.departure;
    const breakIn = (gap: number) =>
      route.break && route.break.afterStop === gap - 1 ? route.break : undefined;
    for (let index = 0; index < route.stops.length; index++) {
      const stop = route.stops[index];
      noteJob(stop.jobId);
      const job = jobsById.get(stop.jobId);
      if (!job) continue;
      const what = `job ${job.id} on ${who}`;
      for (const skill of job.skills ?? []) {
        if (!(tech.skills ?? []).includes(skill)) flag("skills", `${what} needs skill ${skill}`);
      }
      if (job.lock?.technicianId !== undefined && job.lock.technicianId !== tech.id) {
        flag("lock_technician", `${what} is locked to technician ${job.lock.technicianId}`);
      }
      load += job.demand ?? 0;
      const pause = breakIn(index);
      const leg = travel(place, job.location);
      cost.travelTime += leg;
      const onTheWay = pause ? overlap(pause, leaveAt, stop.arrival) : 0;
      if (stop.arrival < leaveAt + leg + onTheWay - TOLERANCE)
        flag("travel_time", `${what} is reached too soon`);
      if (stop.start < stop.arrival - TOLERANCE) flag("times_inconsistent", `${what} starts before arrival`);
      if (Math.abs(stop.end - (stop.start + job.duration)) > TOLERANCE) {
        flag("times_inconsistent", `${what} does not last its duration`);
      }
      if (job.lock?.startTime !== undefined) {
        if (Math.abs(stop.start - job.lock.startTime) > TOLERANCE)
          flag("lock_time", `${what} moved from its time`);
      } else {
        const lateness = latenessOf(job.timeWindows, job.maxLateness ?? 0, stop.start);
        if (lateness === undefined) flag("time_window", `${what} starts outside its time windows`);
        else cost.lateness += lateness;
      }
      // A break taken on site while waiting is not waiting.
      if (index > 0)
        cost.waiting += stop.start - stop.arrival - (pause ? overlap(pause, stop.arrival, stop.start) : 0);
      leaveAt = stop.end;
      place = job.location;
    }
    const home = travel(place, tech.endLocation);
    cost.travelTime += home;
    const lastPause = breakIn(route.stops.length);
    const onTheWayHome = lastPause ? overlap(lastPause, leaveAt, route.returnTime) : 0;
    if (route.returnTime < leaveAt + home + onTheWayHome - TOLERANCE)
      flag("travel_time", `${who} gets back too soon`);
    if (route.returnTime > tech.shift.end + TOLERANCE) flag("shift", `${who} gets back after the shift ends`);
    if (tech.capacity !== undefined && load > tech.capacity + TOLERANCE) {
      flag("capacity", `${who} carries ${load}, more than ${tech.capacity}`);
    }
    checkBreak(tech, route, who, flag);
  }

  for (const left of solution.unassigned) {
    noteJob(left.jobId);
    const job = jobsById.get(left.jobId);
    if (!job) continue;
    cost.unassignedJobs++;
    const factor = job.optional ? 1 : job.lock?.startTime !== undefined ? 1_000_000 : 1000;
    cost.unassignedPriority += (job.priority ?? 1) * factor;
  }
  for (const job of input.jobs) {
    if (!seenJobs.has(job.id)) flag("job_missing", `job ${job.id} is neither routed nor unassigned`);
  }
  return { valid: violations.length === 0, violations, cost };
}

/** Lateness of a start inside some window (allowance included), or undefined when outside all. */
function latenessOf(
  windows: readonly { start: number; end: number }[] | undefined,
  allowance: number,
  start: number,
): number | undefined {
  if (!windows || windows.length === 0) return 0;
  let best: number | undefined;
  for (const window of windows) {
    if (start < window.start - TOLERANCE || start > window.end + allowance + TOLERANCE) continue;
    const late = Math.max(0, start - window.end);
    if (best === undefined || late < best) best = late;
  }
  return best;
}

/** Length of the part of a break that falls inside [from, to]. */
function overlap(pause: { start: number; end: number }, from: number, to: number): number {
  return Math.max(0, Math.min(pause.end, to) - Math.max(pause.start, from));
}

/**
 * The break lies in the gap it names: after the stop it follows ends (or from the shift's start at
 * home) and before the next stop starts (or the technician is back).
 */
function checkBreak(
  tech: RoutingInput["technicians"][number],
  route: RoutingSolution["routes"][number],
  who: string,
  flag: (kind: ViolationKind, message: string) => void,
): void {
  const rule = tech.break;
  if (!rule) {
    if (route.break) flag("break", `${who} takes a break it does not have`);
    return;
  }
  const stillWorking = route.returnTime > rule.earliestStart + TOLERANCE;
  if (!route.break) {
    if (stillWorking) flag("break", `${who} works through the break window without a break`);
    return;
  }
  const taken = route.break;
  if (taken.start < rule.earliestStart - TOLERANCE || taken.start > rule.latestStart + TOLERANCE) {
    flag("break", `${who} starts the break outside its window`);
  }
  if (Math.abs(taken.end - taken.start - rule.duration) > TOLERANCE)
    flag("break", `${who} shortens the break`);
  if (taken.afterStop >= route.stops.length || taken.afterStop < -1) {
    flag("break", `${who} places the break after a stop that does not exist`);
    return;
  }
  const before = taken.afterStop >= 0 ? route.stops[taken.afterStop] : undefined;
  const after = route.stops[taken.afterStop + 1];
  if (before && taken.start < before.end - TOLERANCE) {
    flag("break", `${who} starts the break before finishing job ${before.jobId}`);
  } else if (!before && taken.start < tech.shift.start - TOLERANCE) {
    flag("break", `${who} starts the break before the shift`);
  }
  if (after && taken.end > after.start + TOLERANCE) {
    flag("break", `${who} is still on the break when job ${after.jobId} should start`);
  } else if (!after && taken.end > route.returnTime + TOLERANCE) {
    flag("break", `${who} is still on the break when back`);
  }
}
