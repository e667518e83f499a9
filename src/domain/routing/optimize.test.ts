import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { checkSolution } from "./checker";
import { clusteredDay, gridMatrix, randomDay } from "./fixtures";
import { LOCKED_FACTOR, MANDATORY_FACTOR, objectiveWeightOf, type RoutingInput } from "./model";
import { optimize } from "./optimize";

const QUICK = { maxIterations: 150, timeLimitMs: 10_000 };

describe("optimize on random days", () => {
  test("every solution passes the independent checker and its cost matches", () => {
    fc.assert(
      fc.property(randomDay, fc.integer(), (input, seed) => {
        const solution = optimize(input, { ...QUICK, seed });
        const check = checkSolution(input, solution);
        expect(check.violations).toEqual([]);
        expect(check.cost.travelTime).toBeCloseTo(solution.cost.travelTime, 6);
        expect(check.cost.unassignedJobs).toBe(solution.unassigned.length);
      }),
      { numRuns: 60 },
    );
  });

  test("hierarchical solutions pass the checker too", () => {
    fc.assert(
      fc.property(randomDay, fc.integer(), (input, seed) => {
        // Enough iterations for the fleet phase to eject jobs, not only to move them.
        const solution = optimize(input, { ...QUICK, maxIterations: 400, seed, objective: "hierarchical" });
        const check = checkSolution(input, solution);
        expect(check.violations).toEqual([]);
        expect(check.cost.technicians).toBe(solution.cost.technicians);
      }),
      { numRuns: 40 },
    );
  });

  // Lock the jobs of a first solution where they landed, then re-optimize.
  const lockedJobsStay = () =>
    fc.property(randomDay, fc.nat(), (day, pick) => {
      const first = optimize(day, QUICK);
      const locks = new Map<string, { technicianId: string; startTime: number }>();
      for (const route of first.routes) {
        route.stops.forEach((stop, index) => {
          if ((index + pick) % 2 === 0)
            locks.set(stop.jobId, { technicianId: route.technicianId, startTime: stop.start });
        });
      }
      const locked: RoutingInput = {
        ...day,
        jobs: day.jobs.map((job) => (locks.has(job.id) ? { ...job, lock: locks.get(job.id) } : job)),
      };
      const second = optimize(locked, { ...QUICK, seed: pick });
      expect(checkSolution(locked, second).violations).toEqual([]);
      for (const route of second.routes) {
        for (const stop of route.stops) {
          const lock = locks.get(stop.jobId);
          if (!lock) continue;
          expect(route.technicianId).toBe(lock.technicianId);
          expect(stop.start).toBeCloseTo(lock.startTime, 6);
        }
      }
      // Mandatory locked jobs were feasible where they were, so they are served again.
      const left = new Set(second.unassigned.map((job) => job.jobId));
      for (const [jobId] of locks) {
        if (!locked.jobs.find((job) => job.id === jobId)?.optional) expect(left.has(jobId)).toBe(false);
      }
    });

  test("locked jobs stay with their technician and at their time", () => {
    // A fixed seed keeps CI repeatable; 330,000 random days of this property passed when the
    // regressions below were fixed.
    fc.assert(lockedJobsStay(), { numRuns: 200, seed: 20261123 });
  });

  test("a break due before a late locked first job is taken before leaving (regression)", () => {
    // This day once left its locked afternoon job out: leaving late for it skipped the break window.
    fc.assert(lockedJobsStay(), { seed: -883223534, path: "4784", endOnFailure: true });
  });

  test("lunch can be taken on site while waiting for a locked visit (regression)", () => {
    // The one random day in 12,000: a technician must set off before the break window opens to
    // reach a locked visit 111 minutes away, so the break only fitted after an earlier job (the
    // break was taken at a stop only), and re-optimizing gave that job to someone else.
    fc.assert(lockedJobsStay(), { seed: -883223534, path: "11588", endOnFailure: true });
  });

  test("a locked visit with no slack before the next survives rounding (regression)", () => {
    // Times computed forwards and latest arrivals computed backwards differed in their last bit:
    // this day threw "The search kept an infeasible route"; others left a locked visit out.
    fc.assert(lockedJobsStay(), { seed: 1, path: "1708", endOnFailure: true });
  });

  test("a locked visit outranks an unlocked job of the same priority (regression)", () => {
    // These days left a locked visit out: for an unlocked job of equal weight, or because a job of
    // equal or more weight that had other places to go took the locked visit's only room.
    for (const [seed, path] of [
      [1, "13449"],
      [6, "15439"],
      [-883223534, "765"],
      [-883223534, "2794"],
      [-883223534, "5056"],
    ] as const) {
      fc.assert(lockedJobsStay(), { seed, path, endOnFailure: true });
    }
  });

  test("a technician who sets off before the break window has lunch on the way or on site", () => {
    // The visit is 111 away and locked at 218; the break must start between 100 and 200. Taking it
    // at home (100–130) makes the visit late, and after the visit is too late.
    const input: RoutingInput = {
      technicians: [
        {
          id: "ana",
          startLocation: 0,
          endLocation: 0,
          shift: { start: 0, end: 566 },
          break: { earliestStart: 100, latestStart: 200, duration: 30 },
        },
      ],
      jobs: [{ id: "far", location: 1, duration: 37, lock: { technicianId: "ana", startTime: 218 } }],
      matrix: gridMatrix([
        { x: 0, y: 0 },
        { x: 111, y: 0 },
      ]),
    };
    const solution = optimize(input, QUICK);
    expect(solution.unassigned).toEqual([]);
    expect(checkSolution(input, solution).violations).toEqual([]);
    const [route] = solution.routes;
    expect(route.stops[0].start).toBe(218);
    expect(route.break?.start).toBeGreaterThanOrEqual(route.departure);
    expect(route.break?.end).toBeLessThanOrEqual(218);
  });

  test("a locked visit outweighs any number of other mandatory jobs of its priority", () => {
    const weights = [
      objectiveWeightOf({ id: "a", location: 0, duration: 1, optional: true, priority: 2 }),
      objectiveWeightOf({ id: "b", location: 0, duration: 1, priority: 2 }),
      objectiveWeightOf({ id: "c", location: 0, duration: 1, priority: 2, lock: { startTime: 5 } }),
      objectiveWeightOf({ id: "d", location: 0, duration: 1, priority: 2, lock: { technicianId: "x" } }),
    ];
    expect(weights).toEqual([2, 2 * MANDATORY_FACTOR, 2 * LOCKED_FACTOR, 2 * MANDATORY_FACTOR]);
  });

  test("the same seed gives the same solution", () => {
    fc.assert(
      fc.property(randomDay, fc.integer(), (input, seed) => {
        const objective = seed % 2 === 0 ? "travel" : "hierarchical";
        const a = optimize(input, { ...QUICK, seed, objective });
        const b = optimize(input, { ...QUICK, seed, objective });
        expect(b.routes).toEqual(a.routes);
        expect(b.unassigned).toEqual(a.unassigned);
      }),
      { numRuns: 20 },
    );
  });

  test("the time limit is honoured, with progress reports along the way", () => {
    const input = clusteredDay(60, 4);
    const progress: number[] = [];
    const began = performance.now();
    const solution = optimize(input, { timeLimitMs: 300, onProgress: (p) => progress.push(p.elapsedMs) });
    const elapsed = performance.now() - began;
    expect(elapsed).toBeLessThan(3_000);
    expect(solution.stats.iterations).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(0);
    expect(checkSolution(input, solution).violations).toEqual([]);
  });

  test("shouldStop ends the search early with a valid plan", () => {
    const input = clusteredDay(40, 3);
    let polls = 0;
    const solution = optimize(input, { timeLimitMs: 60_000, shouldStop: () => ++polls > 3 });
    expect(solution.stats.elapsedMs).toBeLessThan(30_000);
    expect(checkSolution(input, solution).violations).toEqual([]);
  });
});

describe("unassigned jobs come back with a reason", () => {
  const base = (): RoutingInput => ({
    technicians: [
      {
        id: "ana",
        startLocation: 0,
        endLocation: 0,
        shift: { start: 0, end: 480 },
        skills: ["electrical"],
        capacity: 10,
      },
    ],
    jobs: [],
    matrix: gridMatrix([
      { x: 0, y: 0 },
      { x: 30, y: 40 },
      { x: 60, y: 80 },
    ]),
  });

  test("no technician has the skill", () => {
    const input = { ...base(), jobs: [{ id: "gas", location: 1, duration: 30, skills: ["gas"] }] };
    expect(optimize(input, QUICK).unassigned).toEqual([{ jobId: "gas", reason: "no_skilled_technician" }]);
  });

  test("locked to a technician who cannot do it", () => {
    const input = {
      ...base(),
      jobs: [{ id: "x", location: 1, duration: 30, lock: { technicianId: "bob" } }],
    };
    expect(optimize(input, QUICK).unassigned).toEqual([
      { jobId: "x", reason: "locked_technician_unavailable" },
    ]);
  });

  test("the window cannot be reached in the shift", () => {
    // 50 away: the earliest arrival is 50, after the window closes at 40.
    const input = {
      ...base(),
      jobs: [{ id: "early", location: 1, duration: 30, timeWindows: [{ start: 0, end: 40 }] }],
    };
    expect(optimize(input, QUICK).unassigned).toEqual([
      { jobId: "early", reason: "no_reachable_time_window" },
    ]);
  });

  test("too heavy for any van", () => {
    const input = { ...base(), jobs: [{ id: "boiler", location: 1, duration: 30, demand: 11 }] };
    expect(optimize(input, QUICK).unassigned).toEqual([{ jobId: "boiler", reason: "capacity" }]);
  });

  test("the technician's job limit is reached; the higher priority job is kept", () => {
    const day = base();
    const input: RoutingInput = {
      ...day,
      technicians: [{ ...day.technicians[0], maxJobs: 1 }],
      jobs: [
        { id: "low", location: 1, duration: 30, priority: 1 },
        { id: "high", location: 2, duration: 30, priority: 3 },
      ],
    };
    const solution = optimize(input, QUICK);
    expect(solution.routes[0].stops.map((stop) => stop.jobId)).toEqual(["high"]);
    expect(solution.unassigned).toEqual([{ jobId: "low", reason: "max_jobs" }]);
  });

  test("mandatory jobs win over optional ones when the day is full", () => {
    const day = base();
    const input: RoutingInput = {
      ...day,
      technicians: [{ ...day.technicians[0], shift: { start: 0, end: 250 } }],
      jobs: [
        { id: "optional", location: 1, duration: 120, priority: 3, optional: true },
        { id: "mandatory", location: 1, duration: 120, priority: 1 },
      ],
    };
    const solution = optimize(input, QUICK);
    expect(solution.routes[0].stops.map((stop) => stop.jobId)).toEqual(["mandatory"]);
    expect(solution.unassigned).toEqual([{ jobId: "optional", reason: "no_time_left" }]);
  });
});
