// "Optimize this day", step two: the day's problem in the optimizer's terms, its answer as a
// proposal in the day's terms, and the figures that compare the day as booked with the proposal.
// Pure functions: no database.
import type {
  GeoPoint,
  Job,
  RoutingInput,
  RoutingSolution,
  Technician,
  TravelMatrix,
  UnassignedReason,
} from "../routing";
import { type DayJob, type DayProblem, PRIORITY_WEIGHT } from "./dayProblem";

/** Locations: the technicians' homes first, then one per job, in the problem's order. */
export function dayPoints(problem: DayProblem): GeoPoint[] {
  return [
    ...problem.technicians.map((t) => ({ lat: t.home.lat, lon: t.home.lng })),
    ...problem.jobs.map((j) => ({ lat: j.point.lat, lon: j.point.lng })),
  ];
}

const leg = (matrix: TravelMatrix, from: number, to: number) =>
  Number(matrix.durations[from * matrix.size + to]);

/**
 * The optimizer's input. A technician's shift stretches to cover their locked visits (a job started
 * before the shift or running past it is still theirs), travel from home included.
 */
export function routingInput(problem: DayProblem, matrix: TravelMatrix): RoutingInput {
  const techCount = problem.technicians.length;
  const jobLocation = (index: number) => techCount + index;
  const technicians: Technician[] = problem.technicians.map((t, v) => {
    let start = t.shiftStart;
    let end = t.shiftEnd;
    problem.jobs.forEach((job, index) => {
      if (job.lock?.userId !== t.userId) return;
      start = Math.min(start, job.lock.start - leg(matrix, v, jobLocation(index)));
      end = Math.max(end, job.lock.start + job.duration + leg(matrix, jobLocation(index), v));
    });
    return {
      id: t.userId,
      startLocation: v,
      endLocation: v,
      shift: { start, end },
      skills: t.skills,
      maxJobs: t.maxJobs,
    };
  });
  const jobs: Job[] = problem.jobs.map((job, index) => ({
    id: job.key,
    location: jobLocation(index),
    duration: job.duration,
    ...(job.windows ? { timeWindows: job.windows } : {}),
    skills: job.skills,
    priority: PRIORITY_WEIGHT[job.priority],
    // Booked and started visits come first; waiting work fills what room is left.
    optional: job.kind === "waiting" || job.kind === "unassigned",
    ...(job.lock ? { lock: { technicianId: job.lock.userId, startTime: job.lock.start } } : {}),
  }));
  return { technicians, jobs, matrix };
}

export interface ProposalStop {
  key: string;
  start: number;
  end: number;
  travelBefore: number;
  waiting: number;
  lateness: number;
}

export interface ProposalRoute {
  userId: string;
  departure: number;
  returnTime: number;
  travel: number;
  stops: ProposalStop[];
}

export interface Proposal {
  routes: ProposalRoute[];
  leftOut: { key: string; reason: UnassignedReason }[];
  iterations: number;
  elapsedMs: number;
}

export interface PlanMetrics {
  /** Visits with a technician (a crew's visit counts once). */
  assigned: number;
  /** Visits and work orders without one. */
  leftOut: number;
  /** Seconds of driving, home to home. */
  travel: number;
  /** Seconds of arriving after a visit's time. */
  lateness: number;
  /** Seconds of idle time between arriving and starting. */
  waiting: number;
  technicians: number;
}

const visitOf = (job: DayJob) => job.appointmentId ?? job.workOrderId;

export function proposalOf(solution: RoutingSolution): Proposal {
  return {
    routes: solution.routes.map((r) => ({
      userId: r.technicianId,
      departure: Math.round(r.departure),
      returnTime: Math.round(r.returnTime),
      travel: Math.round(r.travelTime),
      stops: r.stops.map((s) => ({
        key: s.jobId,
        start: Math.round(s.start),
        end: Math.round(s.end),
        travelBefore: Math.round(s.travelFromPrevious),
        waiting: Math.round(s.waiting),
        lateness: Math.round(s.lateness),
      })),
    })),
    leftOut: solution.unassigned.map((u) => ({ key: u.jobId, reason: u.reason })),
    iterations: solution.stats.iterations,
    elapsedMs: Math.round(solution.stats.elapsedMs),
  };
}

export function proposalMetrics(problem: DayProblem, proposal: Proposal): PlanMetrics {
  const byKey = new Map(problem.jobs.map((j) => [j.key, j]));
  const served = new Set<string>();
  let travel = 0;
  let lateness = 0;
  let waiting = 0;
  for (const route of proposal.routes) {
    travel += route.travel;
    for (const stop of route.stops) {
      const job = byKey.get(stop.key);
      if (job) served.add(visitOf(job));
      lateness += stop.lateness;
      waiting += stop.waiting;
    }
  }
  const unserved = new Set(
    proposal.leftOut.flatMap((u) => {
      const job = byKey.get(u.key);
      return job && !served.has(visitOf(job)) ? [visitOf(job)] : [];
    }),
  );
  return {
    assigned: served.size,
    leftOut: unserved.size,
    travel,
    lateness,
    waiting,
    technicians: proposal.routes.filter((r) => r.stops.length > 0).length,
  };
}

/**
 * The day as booked, measured like a proposal: each chosen technician drives home → visits in
 * time order → home; arriving after a visit's time is lateness, arriving before it is waiting.
 */
export function bookedMetrics(problem: DayProblem, matrix: TravelMatrix): PlanMetrics {
  const techCount = problem.technicians.length;
  const served = new Set<string>();
  let travel = 0;
  let lateness = 0;
  let waiting = 0;
  let technicians = 0;
  problem.technicians.forEach((tech, v) => {
    const visits = problem.jobs
      .map((job, index) => ({ job, location: techCount + index }))
      // A crew's visit is in the problem once per chosen member, each copy locked to its member.
      .filter(({ job }) =>
        job.lock ? job.lock.userId === tech.userId : job.current?.userIds.includes(tech.userId),
      )
      .sort((a, b) => a.job.current!.start - b.job.current!.start);
    if (visits.length === 0) return;
    technicians++;
    let location = v;
    let free = Number.NEGATIVE_INFINITY;
    for (const { job, location: here } of visits) {
      served.add(visitOf(job));
      const drive = leg(matrix, location, here);
      travel += drive;
      const start = job.current!.start;
      const arrival = free + drive;
      if (Number.isFinite(arrival)) {
        lateness += Math.max(0, arrival - start);
        waiting += Math.max(0, start - arrival);
      }
      free = Math.max(start, arrival) + job.duration;
      location = here;
    }
    travel += leg(matrix, location, v);
  });
  const waitingWork = new Set(problem.jobs.filter((j) => !j.current).map(visitOf));
  return {
    assigned: served.size,
    leftOut: waitingWork.size,
    travel: Math.round(travel),
    lateness: Math.round(lateness),
    waiting: Math.round(waiting),
    technicians,
  };
}
