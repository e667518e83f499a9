// npm run bench:dayscale [-- --sizes 150x1500:30,20x200:5 --seed 1 --runs 1 --in-process
//                           --mandatory-only --iterations N]
//
// The route optimizer on real-sized days built from the demo geography: the 16 Malaysian states
// and federal territories of the demo seed (db/seed/zones.ts), technicians spread over them with
// home bases, 08:00–17:00 shifts with a lunch break, skills with levels ("skill@level" tokens, as
// the dispatch board builds them); jobs at random points around the zone centres, 30–120 minutes,
// some locked (started or promised visits), some booked with time windows, most waiting work that
// fills what room is left. Seeded, so every run plans the same days.
//
// Each day is solved the way the product does it (through the Bun Worker of optimizeInWorker; with
// --in-process, by optimize() on this thread) and the plan is validated by the independent checker.
// Prints jobs assigned / left out with reasons, left-out jobs that would still fit somewhere in the
// plan (judged by the optimizer's own day simulation, breaks included), travel, time to the first plan, time to the best plan, total time, iterations, and the
// process's peak RSS (sampled every 20 ms; a Bun Worker is a thread of this process, so its memory
// is in the same figure). Figures only; nothing is asserted, but an invalid plan exits non-zero.
import { ZONES } from "../db/seed/zones";
import { checkSolution } from "../src/domain/routing/checker";
import type { Job, RoutingInput, RoutingSolution, Technician } from "../src/domain/routing/model";
import { optimize } from "../src/domain/routing/optimize";
import { compileProblem } from "../src/domain/routing/problem";
import { seededRandom } from "../src/domain/routing/rng";
import { simulateDay } from "../src/domain/routing/schedule";
import { straightLineMatrix } from "../src/domain/routing/travel";
import { optimizeInWorker } from "../src/domain/routing/worker-client";

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

/** The demo seed's skills (db/seed/fsm.ts). */
const SKILLS = ["Air conditioning", "Refrigeration", "Electrical", "Plumbing", "Water heaters", "Generators"];
/** The dispatch board's weights (PRIORITY_WEIGHT): low, normal, high, urgent. */
const PRIORITIES = [1, 2, 4, 8];
const HOUR = 3600;
/** The Klang Valley and its neighbours: a regional dispatcher's territory for the smaller day. */
const CENTRAL = ["SGR", "KUL", "PJY", "NSN", "MLK"];

interface DaySpec {
  technicians: number;
  jobs: number;
  zones: readonly string[];
  seed: number;
}

interface DayShape {
  input: RoutingInput;
  locked: number;
  booked: number;
  waiting: number;
}

/** A seeded day of `technicians` and `jobs` in the given zones. */
function buildDay(spec: DaySpec): DayShape {
  const random = seededRandom(spec.seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const zones = ZONES.filter((zone) => spec.zones.includes(zone.code));
  const points: { lat: number; lon: number }[] = [];

  // Technicians: round-robin over the zones as the demo seed does, homes within about 11 km.
  const techZone: number[] = [];
  const techSkills: Map<string, number>[] = [];
  const technicians: Technician[] = [];
  for (let v = 0; v < spec.technicians; v++) {
    const z = v % zones.length;
    techZone.push(z);
    points.push({
      lat: zones[z].lat + (random() - 0.5) * 0.2,
      lon: zones[z].lng + (random() - 0.5) * 0.2,
    });
    const held = new Map<string, number>();
    const count = int(1, 3);
    const first = int(0, SKILLS.length - 1);
    for (let k = 0; k < count; k++) held.set(SKILLS[(first + k) % SKILLS.length], int(1, 5));
    techSkills.push(held);
    technicians.push({
      id: `tech-${String(v + 1).padStart(3, "0")}-${zones[z].code}`,
      startLocation: v,
      endLocation: v,
      shift: { start: 8 * HOUR, end: 17 * HOUR },
      break: { earliestStart: 12 * HOUR, latestStart: 13.5 * HOUR, duration: HOUR },
      skills: [...held].flatMap(([skill, level]) =>
        Array.from({ length: level }, (_, i) => `${skill}@${i + 1}`),
      ),
      maxJobs: int(4, 8),
    });
  }
  // What each zone's technicians can do: waiting work asks for skills someone there holds.
  const zoneSkills = zones.map((_, z) => {
    const best = new Map<string, number>();
    techSkills.forEach((held, v) => {
      if (techZone[v] !== z) return;
      for (const [skill, level] of held) best.set(skill, Math.max(level, best.get(skill) ?? 0));
    });
    return [...best];
  });
  const skillsFor = (z: number): string[] => {
    if (random() < 0.3 || zoneSkills[z].length === 0) return [];
    const [skill, top] = pick(zoneSkills[z]);
    return [`${skill}@${int(1, Math.min(3, top))}`];
  };

  const jobs: Job[] = [];
  const addJob = (job: Omit<Job, "id" | "location">, lat: number, lon: number) => {
    points.push({ lat, lon });
    jobs.push({ id: `job-${String(jobs.length + 1).padStart(4, "0")}`, location: -1, ...job });
  };
  // Locked visits (about 8%): started or promised, with their technician and time. One in the
  // morning and one in the afternoon at most, near home, so each technician's locks fit the day.
  let locked = 0;
  const lockTarget = Math.round(spec.jobs * 0.08);
  for (let v = 0; locked < lockTarget; v = (v + 1) % spec.technicians) {
    const slots = [9 * HOUR, 14 * HOUR];
    const slot = slots[Math.floor(locked / spec.technicians) % 2];
    const home = points[v];
    addJob(
      {
        duration: int(2, 4) * 15 * 60,
        priority: pick(PRIORITIES),
        lock: { technicianId: technicians[v].id, startTime: slot + int(0, 4) * 15 * 60 },
      },
      home.lat + (random() - 0.5) * 0.12,
      home.lon + (random() - 0.5) * 0.12,
    );
    locked++;
  }
  // The rest: a quarter booked (mandatory, in a customer's window), the others waiting work.
  let booked = 0;
  let waiting = 0;
  const rest = spec.jobs - locked;
  for (let i = 0; i < rest; i++) {
    const z = int(0, zones.length - 1);
    const duration = int(2, 8) * 15 * 60;
    const isBooked = random() < 0.25;
    const windows = isBooked
      ? [
          pick([
            { start: 8 * HOUR, end: 12 * HOUR },
            { start: 13 * HOUR, end: 17 * HOUR - duration },
            twoHours(),
          ]),
        ]
      : random() < 0.2
        ? [{ start: 8 * HOUR, end: 17 * HOUR - duration }]
        : undefined;
    addJob(
      {
        duration,
        ...(windows ? { timeWindows: windows } : {}),
        skills: skillsFor(z),
        priority: pick(PRIORITIES),
        optional: !isBooked,
      },
      zones[z].lat + (random() - 0.5) * 0.3,
      zones[z].lng + (random() - 0.5) * 0.3,
    );
    if (isBooked) booked++;
    else waiting++;
  }
  function twoHours() {
    const start = int(8, 14) * HOUR;
    return { start, end: start + 2 * HOUR };
  }
  jobs.forEach((job, j) => {
    (job as { location: number }).location = spec.technicians + j;
  });
  return { input: { technicians, jobs, matrix: straightLineMatrix(points) }, locked, booked, waiting };
}

/**
 * Left-out jobs that the final plan could still take as it is (one insertion, break included), and
 * left-out mandatory jobs that a technician could serve by dropping their optional work: either
 * means the plan is worse than it could be (a mandatory job outweighs any number of optional ones).
 */
function stillFits(
  input: RoutingInput,
  solution: RoutingSolution,
): { mandatory: number; optional: number; displacing: number } {
  const problem = compileProblem(input);
  const jobIndex = new Map(input.jobs.map((job, j) => [job.id, j]));
  const techIndex = new Map(input.technicians.map((tech, v) => [tech.id, v]));
  const routes = input.technicians.map(() => [] as number[]);
  for (const route of solution.routes)
    routes[techIndex.get(route.technicianId)!] = route.stops.map((stop) => jobIndex.get(stop.jobId)!);
  const sequence = new Int32Array(problem.routeStride + 1);
  const fitsIn = (routeOf: (v: number) => number[], j: number) =>
    input.technicians.some((_, v) => {
      const route = routeOf(v);
      if (problem.canServe[v * problem.jobCount + j] !== 1 || route.length >= problem.maxJobs[v])
        return false;
      for (let p = 0; p <= route.length; p++) {
        sequence.set(route.slice(0, p), 0);
        sequence[p] = j;
        sequence.set(route.slice(p), p + 1);
        if (simulateDay(problem, v, sequence, route.length + 1, null)) return true;
      }
      return false;
    });
  let mandatory = 0;
  let optional = 0;
  let displacing = 0;
  for (const left of solution.unassigned) {
    const j = jobIndex.get(left.jobId)!;
    const fits = fitsIn((v) => routes[v], j);
    if (fits && input.jobs[j].optional) optional++;
    else if (fits) mandatory++;
    else if (!input.jobs[j].optional && fitsIn((v) => routes[v].filter((k) => !input.jobs[k].optional), j))
      displacing++;
  }
  return { mandatory, optional, displacing };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const minutes = (seconds: number) => `${Math.round(seconds / 60).toLocaleString("en")} min`;

async function run(spec: DaySpec, limitSeconds: number, inProcess: boolean): Promise<boolean> {
  Bun.gc(true);
  const rssBefore = process.memoryUsage().rss;
  const builtAt = performance.now();
  const day = buildDay(spec);
  const buildMs = performance.now() - builtAt;
  // --mandatory-only drops the waiting work: how many mandatory jobs can be served at all.
  const input = mandatoryOnly
    ? { ...day.input, jobs: day.input.jobs.filter((job) => !job.optional) }
    : day.input;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  let firstProgressMs = Number.NaN;
  const began = performance.now();
  const options = {
    timeLimitMs: limitSeconds * 1000,
    ...(maxIterations ? { maxIterations } : {}),
    seed: 1,
    onProgress: () => {
      if (Number.isNaN(firstProgressMs)) firstProgressMs = performance.now() - began;
      peak = Math.max(peak, process.memoryUsage().rss);
    },
  };
  const solution = inProcess ? optimize(input, options) : await optimizeInWorker(input, options);
  const totalMs = performance.now() - began;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const check = checkSolution(input, solution);
  const fits = stillFits(input, solution);

  const mandatoryIds = new Set(input.jobs.filter((job) => !job.optional).map((job) => job.id));
  const reasons = new Map<string, { mandatory: number; optional: number }>();
  for (const left of solution.unassigned) {
    const entry = reasons.get(left.reason) ?? { mandatory: 0, optional: 0 };
    if (mandatoryIds.has(left.jobId)) entry.mandatory++;
    else entry.optional++;
    reasons.set(left.reason, entry);
  }
  const servedMandatory = mandatoryIds.size - [...reasons.values()].reduce((s, r) => s + r.mandatory, 0);
  const served = input.jobs.length - solution.unassigned.length;
  const routes = solution.routes.filter((route) => route.stops.length > 0);
  console.log(
    `\n== ${spec.technicians} technicians × ${spec.jobs} jobs, ${spec.zones.length} zones, limit ${limitSeconds} s, ` +
      `${inProcess ? "in process" : "in the worker"}, seed ${spec.seed}`,
  );
  console.log(
    `jobs: ${day.locked} locked, ${day.booked} booked in a window (mandatory), ${day.waiting} waiting (optional); ` +
      `matrix ${input.matrix.size}×${input.matrix.size}, built in ${buildMs.toFixed(0)} ms`,
  );
  console.log(
    `assigned ${served} of ${input.jobs.length} (mandatory ${servedMandatory}/${mandatoryIds.size}, ` +
      `optional ${served - servedMandatory}/${input.jobs.length - mandatoryIds.size}) on ${routes.length} technicians; ` +
      `left out ${solution.unassigned.length} (weight ${solution.cost.unassignedPriority.toLocaleString("en")}: ` +
      `an optional job weighs its priority, a mandatory one 1,000 × that, a locked one 1,000,000 ×)`,
  );
  for (const [reason, count] of [...reasons].sort(
    (a, b) => b[1].mandatory + b[1].optional - a[1].mandatory - a[1].optional,
  ))
    console.log(`  left out, ${reason}: ${count.mandatory} mandatory, ${count.optional} optional`);
  console.log(
    `  left out but would still fit the plan as it is: ${fits.mandatory} mandatory, ${fits.optional} optional; ` +
      `mandatory that would fit in place of a technician's optional work: ${fits.displacing}`,
  );
  console.log(
    `travel ${minutes(solution.cost.travelTime)} (${(solution.cost.travelTime / Math.max(1, served) / 60).toFixed(1)} min a job), ` +
      `lateness ${minutes(solution.cost.lateness)}, jobs per route ${(served / Math.max(1, routes.length)).toFixed(1)}`,
  );
  console.log(
    `time: first plan ${solution.stats.firstPlanMs.toFixed(0)} ms (first progress at ${firstProgressMs.toFixed(0)} ms), ` +
      `best at ${solution.stats.bestAtMs.toFixed(0)} ms, search ${solution.stats.elapsedMs.toFixed(0)} ms, ` +
      `total ${totalMs.toFixed(0)} ms (${(totalMs - solution.stats.elapsedMs).toFixed(0)} ms outside the search: ` +
      `${inProcess ? "describing the plan" : "starting the worker, copying the day, describing the plan"}); ` +
      `${solution.stats.iterations.toLocaleString("en")} iterations ` +
      `(${Math.round(solution.stats.iterations / (solution.stats.elapsedMs / 1000)).toLocaleString("en")}/s)`,
  );
  console.log(`memory: peak RSS ${mb(peak)} (before building the day ${mb(rssBefore)})`);
  console.log(
    `checker: ${check.valid ? "valid" : `INVALID ${JSON.stringify(check.violations.slice(0, 5))}`}; ` +
      `its travel ${minutes(check.cost.travelTime)}`,
  );
  console.log(
    `dayscale: technicians=${spec.technicians} jobs=${spec.jobs} limit_s=${limitSeconds} assigned=${served} ` +
      `left_out=${solution.unassigned.length} left_weight=${solution.cost.unassignedPriority} fits_left=${fits.mandatory + fits.optional} displacing=${fits.displacing} travel_min=${Math.round(solution.cost.travelTime / 60)} ` +
      `first_ms=${solution.stats.firstPlanMs.toFixed(0)} best_ms=${solution.stats.bestAtMs.toFixed(0)} total_ms=${totalMs.toFixed(0)} ` +
      `iterations=${solution.stats.iterations} peak_rss_mb=${Math.round(peak / 1024 / 1024)} valid=${check.valid}`,
  );
  return check.valid;
}

const sizes = (option("sizes") ?? "150x1500:30,20x200:5").split(",").map((text) => {
  const [shape, limit] = text.split(":");
  const [technicians, jobs] = shape.split("x").map(Number);
  return { technicians, jobs, limit: Number(limit ?? 30) };
});
const seed = Number(option("seed") ?? 1);
const runs = Number(option("runs") ?? 1);
const inProcess = process.argv.includes("--in-process");
const mandatoryOnly = process.argv.includes("--mandatory-only");
/** --iterations N: stop after N iterations (the time limit still applies) to compare changes repeatably. */
const maxIterations = Number(option("iterations") ?? 0);
let valid = true;
for (const size of sizes) {
  for (let r = 0; r < runs; r++) {
    const zones = size.technicians >= 100 ? ZONES.map((zone) => zone.code) : CENTRAL;
    const spec = { technicians: size.technicians, jobs: size.jobs, zones, seed: seed + r };
    valid = (await run(spec, size.limit, inProcess)) && valid;
  }
}
if (!valid) process.exit(1);
