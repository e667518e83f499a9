// Exact timing of one technician's day, break included. The insertion check ignores breaks (a
// break only delays, so ignoring it never rejects a feasible insertion); routes of technicians
// with a break are confirmed here.
import { earliestStart, type Problem } from "./problem";

export interface Timeline {
  arrival: Float64Array;
  start: Float64Array;
  departure: number;
  returnTime: number;
  breakStart: number;
  /** Index of the job the break follows; -1 before the first; NaN-free: -2 when no break taken. */
  breakAfter: number;
}

export function newTimeline(capacity: number): Timeline {
  return {
    arrival: new Float64Array(capacity),
    start: new Float64Array(capacity),
    departure: 0,
    returnTime: 0,
    breakStart: 0,
    breakAfter: -2,
  };
}

/**
 * Simulates technician v doing `jobs[0..count)` in order, leaving as late as the first job allows.
 * The break is taken at the first moment it costs nothing or can no longer wait: taking it as
 * soon as its window opens would push back appointments promised right after.
 */
export function simulateDay(
  problem: Problem,
  v: number,
  jobs: Int32Array,
  count: number,
  out: Timeline | null,
): boolean {
  const { travel, matrixSize: size, jobLocation, jobDuration } = problem;
  let breakPending = problem.hasBreak[v] === 1 && count > 0;
  const breakEarliest = problem.breakEarliest[v];
  const breakLatest = problem.breakLatest[v];
  const breakDuration = problem.breakDuration[v];
  let time = problem.shiftStart[v];
  let loc = problem.vehicleStart[v];
  if (out) out.breakAfter = -2;
  for (let k = 0; k < count; k++) {
    const job = jobs[k];
    const leg = travel[loc * size + jobLocation[job]];
    if (k === 0) {
      // Leave the start location only as early as the first job needs.
      const firstStart = earliestStart(problem, job, time + leg);
      // Leave early enough to fit the break before the first job if need be.
      let leaveAt = firstStart - leg - (breakPending ? breakDuration : 0);
      // But no later than the break's latest start: a break due before a late first job (a locked
      // afternoon visit) is then taken at the start location, and the technician leaves after it.
      if (breakPending && leaveAt > breakLatest) leaveAt = breakLatest;
      if (firstStart !== Number.POSITIVE_INFINITY && leaveAt > time) time = leaveAt;
      if (out) out.departure = time;
    }
    if (breakPending) {
      const startWithout = earliestStart(problem, job, time + leg);
      const breakAt = time > breakEarliest ? time : breakEarliest;
      const free = breakAt + breakDuration + leg <= startWithout;
      const mustNow = startWithout + jobDuration[job] > breakLatest;
      if (free || mustNow) {
        if (breakAt > breakLatest) return false;
        time = breakAt + breakDuration;
        // After a break at the start location, leave only as early as the first job needs.
        if (k === 0 && Number.isFinite(startWithout) && startWithout - leg > time) time = startWithout - leg;
        if (out) {
          out.breakStart = breakAt;
          out.breakAfter = k - 1;
          if (k === 0) out.departure = time;
        }
        breakPending = false;
      }
    }
    const arrival = time + leg;
    const begin = earliestStart(problem, job, arrival);
    if (begin === Number.POSITIVE_INFINITY) return false;
    if (out) {
      out.arrival[k] = arrival;
      out.start[k] = begin;
    }
    time = begin + jobDuration[job];
    loc = jobLocation[job];
  }
  if (count === 0) {
    if (out) out.departure = out.returnTime = problem.shiftStart[v];
    return true;
  }
  const leg = travel[loc * size + problem.vehicleEnd[v]];
  if (breakPending && time + leg > breakEarliest) {
    const breakAt = time > breakEarliest ? time : breakEarliest;
    if (breakAt > breakLatest) return false;
    if (out) {
      out.breakStart = breakAt;
      out.breakAfter = count - 1;
    }
    time = breakAt + breakDuration;
  }
  if (out) out.returnTime = time + leg;
  return time + leg <= problem.shiftEnd[v];
}
