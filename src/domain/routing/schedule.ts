// Exact timing of one technician's day, break included. The insertion check ignores breaks (a
// break only delays, so ignoring it never rejects a feasible insertion); routes of technicians
// with a break are confirmed here.
//
// The break fits in any gap between two jobs (or between home and the first or last job): taken
// where the technician is when it is due — at the last customer's, on the way, or on arrival at
// the next customer's while waiting for the appointment. A technician who must set off before the
// break window opens to reach an early locked visit can thus still have lunch on site. Every gap
// is tried, so a day is rejected only when no gap holds the break.
import { earliestStart, LATEST_TOLERANCE, latestArrival, type Problem, TIME_TOLERANCE } from "./problem";

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

// Scratch space for one day: the time the technician is free before each gap, the gap's drive,
// each job's earliest start, and the latest arrival at each job that keeps the rest of the day.
let gapFree = new Float64Array(64);
let gapLeg = new Float64Array(64);
let begins = new Float64Array(64);
let latest = new Float64Array(64);

function reserve(count: number): void {
  if (gapFree.length > count) return;
  const size = Math.max(count + 1, gapFree.length * 2);
  gapFree = new Float64Array(size);
  gapLeg = new Float64Array(size);
  begins = new Float64Array(size);
  latest = new Float64Array(size);
}

/**
 * Simulates technician v doing `jobs[0..count)` in order, leaving as late as the first job allows.
 * Returns false when the day does not work. With `out`, the break goes in the gap that brings the
 * technician home earliest (the first such gap: a break that costs nothing is taken early).
 */
export function simulateDay(
  problem: Problem,
  v: number,
  jobs: Int32Array,
  count: number,
  out: Timeline | null,
): boolean {
  const { travel, matrixSize: size, jobLocation, jobDuration } = problem;
  const shiftStart = problem.shiftStart[v];
  if (out) out.breakAfter = -2;
  if (count === 0) {
    if (out) out.departure = out.returnTime = shiftStart;
    return true;
  }
  reserve(count);
  // The day without a break: a break only delays, so a day that fails here fails with one too.
  let time = shiftStart;
  let loc = problem.vehicleStart[v];
  for (let k = 0; k < count; k++) {
    const job = jobs[k];
    const leg = travel[loc * size + jobLocation[job]];
    const begin = earliestStart(problem, job, time + leg);
    if (begin === Number.POSITIVE_INFINITY) return false;
    gapFree[k] = time;
    gapLeg[k] = leg;
    begins[k] = begin;
    time = begin + jobDuration[job];
    loc = jobLocation[job];
  }
  const home = travel[loc * size + problem.vehicleEnd[v]];
  gapFree[count] = time;
  gapLeg[count] = home;
  const shiftEnd = problem.shiftEnd[v];
  if (time + home > shiftEnd + TIME_TOLERANCE) return false;
  const breakEarliest = problem.breakEarliest[v];
  // Home before the break window opens: no break.
  if (problem.hasBreak[v] === 0 || time + home <= breakEarliest) {
    if (out) describe(problem, v, jobs, count, -1, out);
    return true;
  }

  // Latest arrival at each job that keeps the rest of the day (no break after it).
  let latestNext = shiftEnd;
  let nextLoc = problem.vehicleEnd[v];
  latest[count] = shiftEnd;
  for (let k = count - 1; k >= 0; k--) {
    const job = jobs[k];
    const bound = latestNext - travel[jobLocation[job] * size + nextLoc] - jobDuration[job];
    latestNext = latestArrival(problem, job, bound);
    latest[k] = latestNext;
    nextLoc = jobLocation[job];
  }

  const breakLatest = problem.breakLatest[v];
  const breakDuration = problem.breakDuration[v];
  let chosen = -1;
  let chosenReturn = Number.POSITIVE_INFINITY;
  for (let g = 0; g <= count; g++) {
    const free = gapFree[g];
    const breakAt = free > breakEarliest ? free : breakEarliest;
    // Later gaps start later still.
    if (breakAt > breakLatest + TIME_TOLERANCE) break;
    const drivenBy = free + gapLeg[g];
    const ready = (drivenBy > breakAt ? drivenBy : breakAt) + breakDuration;
    if (ready > latest[g] + LATEST_TOLERANCE) continue;
    if (!out) return true;
    const back = g === count ? ready : returnAfterBreak(problem, v, jobs, count, g, ready);
    if (back < chosenReturn) {
      chosen = g;
      chosenReturn = back;
    }
  }
  if (chosen < 0) return false;
  if (out) describe(problem, v, jobs, count, chosen, out);
  return true;
}

/** Return time when the break ends the gap before job g with the technician ready at `ready`. */
function returnAfterBreak(
  problem: Problem,
  v: number,
  jobs: Int32Array,
  count: number,
  g: number,
  ready: number,
): number {
  const { travel, matrixSize: size, jobLocation, jobDuration } = problem;
  let time = earliestStart(problem, jobs[g], ready) + jobDuration[jobs[g]];
  let loc = jobLocation[jobs[g]];
  for (let k = g + 1; k < count; k++) {
    const job = jobs[k];
    time = earliestStart(problem, job, time + travel[loc * size + jobLocation[job]]) + jobDuration[job];
    loc = jobLocation[job];
  }
  return time + travel[loc * size + problem.vehicleEnd[v]];
}

/**
 * Writes the day with the break in gap `g` (-1: none). The break starts as soon as the technician
 * is free and its window is open; the drive around it is split as needed (before it, when the
 * technician is already free; after it, or not at all when they arrive first and wait on site).
 * Before the first job the technician stays home as long as possible instead, break included.
 */
function describe(
  problem: Problem,
  v: number,
  jobs: Int32Array,
  count: number,
  g: number,
  out: Timeline,
): void {
  const { travel, matrixSize: size, jobLocation, jobDuration } = problem;
  const shiftStart = problem.shiftStart[v];
  const breakEarliest = problem.breakEarliest[v];
  const breakLatest = problem.breakLatest[v];
  const breakDuration = problem.breakDuration[v];
  let time = shiftStart;
  let loc = problem.vehicleStart[v];
  for (let k = 0; k <= count; k++) {
    const job = k < count ? jobs[k] : -1;
    const leg = travel[loc * size + (k < count ? jobLocation[job] : problem.vehicleEnd[v])];
    let arrival = time + leg;
    let ready = arrival;
    if (k === g) {
      const breakAt = time > breakEarliest ? time : breakEarliest;
      ready = (arrival > breakAt ? arrival : breakAt) + breakDuration;
      out.breakAfter = k - 1;
      out.breakStart = breakAt;
      if (arrival > breakAt) arrival += breakDuration;
    }
    if (k === count) {
      // Home before the break would start (no drive home): the day ends after it.
      out.returnTime = k === g ? Math.max(arrival, ready) : arrival;
      break;
    }
    const begin = earliestStart(problem, job, ready);
    if (k === 0) {
      // Leave as late as the first job allows; a break due first is then taken at home if it fits.
      if (g === 0) {
        const atHome = Math.min(breakLatest, begin - leg - breakDuration);
        if (atHome >= out.breakStart) {
          out.breakStart = atHome;
          out.departure = Math.max(atHome + breakDuration, begin - leg);
          arrival = out.departure + leg;
        } else {
          // Set off before the break: taken on the way or on site, as computed above.
          out.departure = begin - breakDuration - leg;
          arrival = out.departure + leg <= out.breakStart ? out.departure + leg : begin;
        }
      } else {
        out.departure = Math.max(shiftStart, begin - leg);
        arrival = out.departure + leg;
      }
    }
    out.arrival[k] = arrival;
    out.start[k] = begin;
    time = begin + jobDuration[job];
    loc = jobLocation[job];
  }
}
