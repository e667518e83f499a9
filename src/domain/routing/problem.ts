// Compiles the public input into flat typed arrays the search reads in its hot loop.
import { objectiveWeightOf, type RoutingInput } from "./model";

export interface Problem {
  input: RoutingInput;
  jobCount: number;
  vehicleCount: number;
  matrixSize: number;
  travel: Float64Array;
  /**
   * The matrix transposed: travelTo[b * size + a] = travel from a to b. Trying a job in many places
   * then reads two rows (to it and from it) that stay in the cache, where the matrix alone would
   * fetch a cache line per place from a 20 MB table on a 1,650-location day. The same array as
   * `travel` when the matrix is symmetric (straight-line travel), so it costs nothing then.
   */
  travelTo: Float64Array;
  jobLocation: Int32Array;
  jobDuration: Float64Array;
  jobDemand: Float64Array;
  jobWeight: Float64Array;
  /** Windows of job j are windowOpen/Close[windowOffset[j] .. windowOffset[j+1]), sorted; close includes allowed lateness. */
  windowOffset: Int32Array;
  windowOpen: Float64Array;
  windowClose: Float64Array;
  /** Latest possible start of each job over all its windows. */
  jobLastClose: Float64Array;
  /** Close before allowed lateness: starts after it count as late. */
  windowDue: Float64Array;
  vehicleStart: Int32Array;
  vehicleEnd: Int32Array;
  shiftStart: Float64Array;
  shiftEnd: Float64Array;
  capacity: Float64Array;
  maxJobs: Int32Array;
  hasBreak: Uint8Array;
  breakEarliest: Float64Array;
  breakLatest: Float64Array;
  breakDuration: Float64Array;
  /** canServe[v * jobCount + j]: skills and locks allow technician v to do job j. */
  canServe: Uint8Array;
  /**
   * Technicians who could do job j on a day with nothing else in it (skills, locks, capacity, job
   * limit, and reaching a window from home and getting back within the shift, breaks aside):
   * candidateVehicles[candidateOffset[j] .. candidateOffset[j + 1]), in technician order. With
   * travel times that keep the triangle inequality no other technician can ever take the job, so
   * insertion looks at these routes only; on a country-wide day that is a few dozen of 150.
   */
  candidateOffset: Int32Array;
  candidateVehicles: Int32Array;
  /** First technician identical to each one: an empty route of either is the same option. */
  vehicleTwin: Int32Array;
  /** For each job, the other jobs by increasing distance (first `neighbourCount`). */
  neighbours: Int32Array;
  neighbourCount: number;
  /** Longest job string a route can hold (array stride of the solution). */
  routeStride: number;
}

const NEIGHBOUR_LIMIT = 100;

/**
 * How far past a time limit (a window's close, a locked start, the shift's end, the break's latest
 * start) the forward schedule may land by rounding: times computed forwards and limits computed
 * backwards (latest arrivals) differ in their last bits, and a locked visit chained to the next with
 * no slack at all must not be lost to that. Starts are clamped to the close, so a plan is never
 * more than this off; the checker allows 1e-6.
 */
export const TIME_TOLERANCE = 1e-7;
/** The backward checks' rounding allowance: well inside TIME_TOLERANCE, so what they admit the forward schedule keeps. */
export const LATEST_TOLERANCE = 1e-9;

export function compileProblem(input: RoutingInput): Problem {
  const { jobs, technicians, matrix } = input;
  const n = jobs.length;
  const m = technicians.length;
  const size = matrix.size;
  // The matrix is only read: a Float64Array (what the built-in matrices are) is used as it is.
  const travel =
    matrix.durations instanceof Float64Array ? matrix.durations : Float64Array.from(matrix.durations);
  if (travel.length !== size * size) throw new Error(`Travel matrix must hold ${size}×${size} entries`);

  const jobLocation = new Int32Array(n);
  const jobDuration = new Float64Array(n);
  const jobDemand = new Float64Array(n);
  const jobWeight = new Float64Array(n);
  const windowOffset = new Int32Array(n + 1);
  const opens: number[] = [];
  const closes: number[] = [];
  const dues: number[] = [];
  jobs.forEach((job, j) => {
    checkLocation(job.location, size, `job ${job.id}`);
    jobLocation[j] = job.location;
    jobDuration[j] = job.duration;
    jobDemand[j] = job.demand ?? 0;
    jobWeight[j] = objectiveWeightOf(job);
    windowOffset[j] = opens.length;
    const lateness = job.maxLateness ?? 0;
    const locked = job.lock?.startTime;
    const windows =
      locked !== undefined
        ? [{ start: locked, end: locked }]
        : [...(job.timeWindows ?? [{ start: -Infinity, end: Infinity }])].sort((a, b) => a.start - b.start);
    for (const window of windows) {
      opens.push(window.start);
      closes.push(locked !== undefined ? window.end : window.end + lateness);
      dues.push(window.end);
    }
  });
  windowOffset[n] = opens.length;

  const vehicleStart = new Int32Array(m);
  const vehicleEnd = new Int32Array(m);
  const shiftStart = new Float64Array(m);
  const shiftEnd = new Float64Array(m);
  const capacity = new Float64Array(m);
  const maxJobs = new Int32Array(m);
  const hasBreak = new Uint8Array(m);
  const breakEarliest = new Float64Array(m);
  const breakLatest = new Float64Array(m);
  const breakDuration = new Float64Array(m);
  const canServe = new Uint8Array(m * n);
  technicians.forEach((tech, v) => {
    checkLocation(tech.startLocation, size, `technician ${tech.id}`);
    checkLocation(tech.endLocation, size, `technician ${tech.id}`);
    vehicleStart[v] = tech.startLocation;
    vehicleEnd[v] = tech.endLocation;
    shiftStart[v] = tech.shift.start;
    shiftEnd[v] = tech.shift.end;
    capacity[v] = tech.capacity ?? Infinity;
    maxJobs[v] = Math.min(tech.maxJobs ?? n, n);
    if (tech.break) {
      hasBreak[v] = 1;
      breakEarliest[v] = tech.break.earliestStart;
      breakLatest[v] = tech.break.latestStart;
      breakDuration[v] = tech.break.duration;
    }
    const skills = new Set(tech.skills ?? []);
    jobs.forEach((job, j) => {
      const skilled = (job.skills ?? []).every((skill) => skills.has(skill));
      const lockedElsewhere = job.lock?.technicianId !== undefined && job.lock.technicianId !== tech.id;
      canServe[v * n + j] = skilled && !lockedElsewhere ? 1 : 0;
    });
  });

  const windowClose = Float64Array.from(closes);
  const jobLastClose = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  for (let j = 0; j < n; j++) {
    for (let w = windowOffset[j]; w < windowOffset[j + 1]; w++) {
      jobLastClose[j] = Math.max(jobLastClose[j], windowClose[w]);
    }
  }
  const neighbourCount = Math.min(NEIGHBOUR_LIMIT, Math.max(0, n - 1));
  const candidateOffset = new Int32Array(n + 1);
  const candidates: number[] = [];
  for (let j = 0; j < n; j++) {
    candidateOffset[j] = candidates.length;
    for (let v = 0; v < m; v++) {
      if (canServe[v * n + j] === 0 || maxJobs[v] === 0 || jobDemand[j] > capacity[v]) continue;
      const there = jobLocation[j];
      const arrival = shiftStart[v] + travel[vehicleStart[v] * size + there];
      const begin = firstStart(windowOffset, opens, closes, j, arrival);
      const back = begin + jobDuration[j] + travel[there * size + vehicleEnd[v]];
      if (back <= shiftEnd[v] + TIME_TOLERANCE) candidates.push(v);
    }
  }
  candidateOffset[n] = candidates.length;
  return {
    input,
    jobCount: n,
    vehicleCount: m,
    matrixSize: size,
    travel,
    travelTo: transposed(travel, size),
    jobLocation,
    jobDuration,
    jobDemand,
    jobWeight,
    windowOffset,
    windowOpen: Float64Array.from(opens),
    windowClose,
    jobLastClose,
    windowDue: Float64Array.from(dues),
    vehicleStart,
    vehicleEnd,
    shiftStart,
    shiftEnd,
    capacity,
    maxJobs,
    hasBreak,
    breakEarliest,
    breakLatest,
    breakDuration,
    canServe,
    candidateOffset,
    candidateVehicles: Int32Array.from(candidates),
    vehicleTwin: twinsOf(input, canServe),
    neighbours: nearestNeighbours(jobLocation, travel, size, neighbourCount),
    neighbourCount,
    routeStride: Math.max(1, ...Array.from(maxJobs)),
  };
}

function transposed(travel: Float64Array, size: number): Float64Array {
  let symmetric = true;
  for (let a = 0; a < size && symmetric; a++) {
    for (let b = a + 1; b < size; b++) {
      if (travel[a * size + b] !== travel[b * size + a]) {
        symmetric = false;
        break;
      }
    }
  }
  if (symmetric) return travel;
  const result = new Float64Array(size * size);
  for (let a = 0; a < size; a++) for (let b = 0; b < size; b++) result[b * size + a] = travel[a * size + b];
  return result;
}

function twinsOf(input: RoutingInput, canServe: Uint8Array): Int32Array {
  const n = input.jobs.length;
  const firstWith = new Map<string, number>();
  return Int32Array.from(input.technicians, (tech, v) => {
    const { id: _, ...rest } = tech;
    const key = JSON.stringify(rest) + canServe.subarray(v * n, (v + 1) * n).join("");
    const first = firstWith.get(key) ?? v;
    firstWith.set(key, first);
    return first;
  });
}

function checkLocation(location: number, size: number, owner: string): void {
  if (!Number.isInteger(location) || location < 0 || location >= size) {
    throw new Error(`Location ${location} of ${owner} is outside the ${size}-location travel matrix`);
  }
}

/** Symmetrised travel decides closeness, so string removal sees the same area either way round. */
function nearestNeighbours(location: Int32Array, travel: Float64Array, size: number, k: number): Int32Array {
  const n = location.length;
  const result = new Int32Array(n * k);
  if (k === 0) return result;
  const closeness = new Float64Array(n);
  const sorted = new Float64Array(n - 1);
  const chosen: number[] = [];
  for (let a = 0; a < n; a++) {
    let count = 0;
    for (let b = 0; b < n; b++) {
      if (b === a) continue;
      closeness[b] = travel[location[a] * size + location[b]] + travel[location[b] * size + location[a]];
      sorted[count++] = closeness[b];
    }
    // The k-th smallest closeness by a native numeric sort, then only the jobs up to it are
    // ordered by (closeness, index): the same list as sorting them all, at a fraction of the cost.
    sorted.sort();
    const threshold = sorted[k - 1];
    chosen.length = 0;
    for (let b = 0; b < n; b++) if (b !== a && closeness[b] <= threshold) chosen.push(b);
    chosen.sort((x, y) => closeness[x] - closeness[y] || x - y);
    for (let i = 0; i < k; i++) result[a * k + i] = chosen[i];
  }
  return result;
}

function firstStart(
  windowOffset: Int32Array,
  opens: readonly number[],
  closes: readonly number[],
  job: number,
  arrival: number,
): number {
  for (let w = windowOffset[job], end = windowOffset[job + 1]; w < end; w++) {
    if (arrival <= closes[w] + TIME_TOLERANCE)
      return arrival > opens[w] ? Math.min(arrival, closes[w]) : opens[w];
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Earliest service start for an arrival at `arrival`, or Infinity when every window has closed. An
 * arrival a rounding error after a close (TIME_TOLERANCE) starts at the close.
 */
export function earliestStart(problem: Problem, job: number, arrival: number): number {
  const { windowOffset, windowOpen, windowClose } = problem;
  for (let w = windowOffset[job], end = windowOffset[job + 1]; w < end; w++) {
    const close = windowClose[w];
    if (arrival <= close) return arrival > windowOpen[w] ? arrival : windowOpen[w];
    if (arrival <= close + TIME_TOLERANCE) return close;
  }
  return Number.POSITIVE_INFINITY;
}

/** Latest arrival that still lets service start no later than `latestStart`; -Infinity if none. */
export function latestArrival(problem: Problem, job: number, latestStart: number): number {
  const { windowOffset, windowOpen, windowClose } = problem;
  let latest = Number.NEGATIVE_INFINITY;
  for (let w = windowOffset[job], end = windowOffset[job + 1]; w < end; w++) {
    if (windowOpen[w] > latestStart + LATEST_TOLERANCE) break;
    const bound = windowClose[w] < latestStart ? windowClose[w] : latestStart;
    if (bound > latest) latest = bound;
  }
  return latest;
}

/** Lateness of a start: how far past the window's own close (before allowance) it lies. */
export function latenessAt(problem: Problem, job: number, start: number): number {
  const { windowOffset, windowOpen, windowDue } = problem;
  for (let w = windowOffset[job + 1] - 1, first = windowOffset[job]; w >= first; w--) {
    if (windowOpen[w] <= start) return start > windowDue[w] ? start - windowDue[w] : 0;
  }
  return 0;
}
