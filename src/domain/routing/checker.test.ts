import { describe, expect, test } from "bun:test";
import { checkSolution, type ViolationKind } from "./checker";
import { gridMatrix } from "./fixtures";
import type { RoutingInput, RoutingSolution } from "./model";

// Depot at 0; jobs 10 and 20 minutes away along a line.
const input: RoutingInput = {
  technicians: [
    {
      id: "ana",
      startLocation: 0,
      endLocation: 0,
      shift: { start: 0, end: 200 },
      skills: ["gas"],
      capacity: 10,
      maxJobs: 2,
      break: { earliestStart: 60, latestStart: 100, duration: 15 },
    },
    { id: "bob", startLocation: 0, endLocation: 0, shift: { start: 0, end: 200 } },
  ],
  jobs: [
    { id: "a", location: 1, duration: 20, timeWindows: [{ start: 0, end: 30 }], skills: ["gas"], demand: 4 },
    { id: "b", location: 2, duration: 20, timeWindows: [{ start: 40, end: 120 }], demand: 5 },
    { id: "c", location: 1, duration: 10, optional: true, priority: 2 },
  ],
  matrix: gridMatrix([
    { x: 0, y: 0 },
    { x: 10, y: 0 },
    { x: 20, y: 0 },
  ]),
};

/** a 10–30, break 60–75 after b (40–60), home at 95; c left out. */
function validSolution(): RoutingSolution {
  return {
    routes: [
      {
        technicianId: "ana",
        departure: 0,
        stops: [
          { jobId: "a", arrival: 10, start: 10, end: 30, waiting: 0, lateness: 0, travelFromPrevious: 10 },
          { jobId: "b", arrival: 40, start: 40, end: 60, waiting: 0, lateness: 0, travelFromPrevious: 10 },
        ],
        break: { start: 60, end: 75, afterStop: 1 },
        returnTime: 95,
        travelTime: 40,
        load: 9,
      },
    ],
    unassigned: [{ jobId: "c", reason: "no_time_left" }],
    cost: {
      unassignedJobs: 1,
      unassignedPriority: 2,
      technicians: 1,
      travelTime: 40,
      lateness: 0,
      waiting: 0,
    },
    stats: { iterations: 0, elapsedMs: 0, seed: 1, firstPlanMs: 0, bestAtMs: 0 },
  };
}

function kindsOf(change: (solution: RoutingSolution, day: RoutingInput) => unknown): ViolationKind[] {
  const solution = validSolution();
  const changed = change(solution, structuredClone(input)) as RoutingInput | undefined;
  const day = changed ?? input;
  return checkSolution(day, solution).violations.map((violation) => violation.kind);
}

describe("checkSolution", () => {
  test("accepts a valid plan and recomputes its cost", () => {
    const result = checkSolution(input, validSolution());
    expect(result.violations).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.cost).toEqual(validSolution().cost);
  });

  test("a start outside every window", () => {
    expect(
      kindsOf((s) => {
        s.routes[0].stops[1] = { ...s.routes[0].stops[1], arrival: 130, start: 130, end: 150 };
        s.routes[0].break = { start: 90, end: 105, afterStop: 0 };
        s.routes[0].returnTime = 170;
      }),
    ).toContain("time_window");
  });

  test("arriving sooner than the travel time allows", () => {
    expect(
      kindsOf((s) => {
        s.routes[0].stops[0].arrival = 5;
      }),
    ).toContain("travel_time");
  });

  test("a missing skill", () => {
    expect(
      kindsOf((_, day) => ({ ...day, jobs: day.jobs.map((j) => ({ ...j, skills: ["roof"] })) })),
    ).toContain("skills");
  });

  test("back after the shift ends", () => {
    expect(
      kindsOf((s) => {
        s.routes[0].returnTime = 250;
      }),
    ).toContain("shift");
  });

  test("over capacity", () => {
    expect(
      kindsOf((_, day) => ({ ...day, technicians: [{ ...day.technicians[0], capacity: 8 }] })),
    ).toContain("capacity");
  });

  test("more jobs than allowed", () => {
    expect(kindsOf((_, day) => ({ ...day, technicians: [{ ...day.technicians[0], maxJobs: 1 }] }))).toContain(
      "max_jobs",
    );
  });

  test("a job locked to another technician", () => {
    const change = (_: RoutingSolution, day: RoutingInput) => {
      const jobs = [...day.jobs];
      jobs[1] = { ...jobs[1], lock: { technicianId: "bob" } };
      return { ...day, jobs };
    };
    expect(kindsOf(change)).toContain("lock_technician");
  });

  test("a job moved from its locked time", () => {
    const change = (_: RoutingSolution, day: RoutingInput) => {
      const jobs = [...day.jobs];
      jobs[1] = { ...jobs[1], lock: { startTime: 50 } };
      return { ...day, jobs };
    };
    expect(kindsOf(change)).toContain("lock_time");
  });

  test("a job served twice", () => {
    expect(
      kindsOf((s) => {
        s.routes[0].stops.push({ ...s.routes[0].stops[1], arrival: 80, start: 80, end: 100 });
      }),
    ).toContain("job_repeated");
  });

  test("a job neither served nor listed as unassigned", () => {
    expect(
      kindsOf((s) => {
        s.unassigned = [];
      }),
    ).toContain("job_missing");
  });

  test("working through the break window without a break", () => {
    expect(
      kindsOf((s) => {
        s.routes[0].break = undefined;
      }),
    ).toContain("break");
  });

  test("a break outside its window or overlapping a job", () => {
    expect(
      kindsOf((s) => {
        s.routes[0].break = { start: 110, end: 125, afterStop: 1 };
      }),
    ).toContain("break");
    expect(
      kindsOf((s) => {
        s.routes[0].break = { start: 50, end: 65, afterStop: 1 };
      }),
    ).toContain("break");
  });

  test("a break on site while waiting for the next job", () => {
    // Arrive at b at 40, lunch 60–75 there, b at 75–95, home at 115: waiting is 35 less the break.
    const solution = validSolution();
    const [route] = solution.routes;
    route.stops[1] = { ...route.stops[1], arrival: 40, start: 75, end: 95, waiting: 20 };
    route.break = { start: 60, end: 75, afterStop: 0 };
    route.returnTime = 115;
    const result = checkSolution(input, solution);
    expect(result.violations).toEqual([]);
    expect(result.cost.waiting).toBe(20);
  });

  test("a break on the way leaves time for the whole drive", () => {
    // Lunch 30–45 on the way from a (done at 30) to b, 10 away: b cannot be reached before 55.
    const early = { ...input.technicians[0], break: { earliestStart: 30, latestStart: 100, duration: 15 } };
    const day = { ...input, technicians: [early, input.technicians[1]] };
    const solution = validSolution();
    const [route] = solution.routes;
    route.break = { start: 30, end: 45, afterStop: 0 };
    route.stops[1] = { ...route.stops[1], arrival: 50, start: 50, end: 70 };
    route.returnTime = 90;
    expect(checkSolution(day, solution).violations.map((v) => v.kind)).toEqual(["travel_time"]);
    route.stops[1] = { ...route.stops[1], arrival: 55, start: 55, end: 75 };
    route.returnTime = 95;
    expect(checkSolution(day, solution).violations).toEqual([]);
  });

  test("a break that runs into the next job", () => {
    // After a, but b starts at 40: lunch at 60–75 would be in the middle of b.
    expect(
      kindsOf((s) => {
        s.routes[0].break = { start: 60, end: 75, afterStop: 0 };
      }),
    ).toEqual(["break"]);
  });

  test("a service shorter than the job", () => {
    expect(
      kindsOf((s) => {
        s.routes[0].stops[0].end = 20;
      }),
    ).toContain("times_inconsistent");
  });

  test("a route for an unknown technician, or two routes for one", () => {
    expect(
      kindsOf((s) => {
        s.routes[0].technicianId = "zoe";
      }),
    ).toContain("unknown_technician");
    expect(
      kindsOf((s) => {
        s.routes.push({ ...s.routes[0], stops: [] });
      }),
    ).toContain("technician_used_twice");
  });
});
