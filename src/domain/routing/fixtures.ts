// Small random days for property tests: a few technicians on a grid, jobs with windows, skills,
// priorities, demands and the occasional lock or break.
import fc from "fast-check";
import type { Job, RoutingInput, Technician } from "./model";

const SKILLS = ["electrical", "plumbing", "gas"];

export function gridMatrix(points: readonly { x: number; y: number }[]): RoutingInput["matrix"] {
  const size = points.length;
  const durations = new Float64Array(size * size);
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++)
      durations[a * size + b] = Math.hypot(points[a].x - points[b].x, points[a].y - points[b].y);
  }
  return { size, durations };
}

const point = fc.record({ x: fc.integer({ min: 0, max: 100 }), y: fc.integer({ min: 0, max: 100 }) });

const technicianShape = fc.record({
  home: point,
  start: fc.integer({ min: 0, max: 100 }),
  length: fc.integer({ min: 200, max: 600 }),
  skills: fc.subarray(SKILLS),
  maxJobs: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  capacity: fc.option(fc.integer({ min: 5, max: 40 }), { nil: undefined }),
  hasBreak: fc.boolean(),
});

const jobShape = fc.record({
  place: point,
  duration: fc.integer({ min: 5, max: 60 }),
  windows: fc.array(
    fc.record({ start: fc.integer({ min: 0, max: 500 }), width: fc.integer({ min: 0, max: 200 }) }),
    { maxLength: 2 },
  ),
  maxLateness: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
  skills: fc.subarray(SKILLS, { maxLength: 1 }),
  priority: fc.integer({ min: 1, max: 3 }),
  optional: fc.boolean(),
  demand: fc.integer({ min: 0, max: 10 }),
  lockTechnician: fc.option(fc.nat(), { freq: 5, nil: undefined }),
});

/** Random days of 1–4 technicians and 0–14 jobs. */
export const randomDay: fc.Arbitrary<RoutingInput> = fc
  .record({
    technicians: fc.array(technicianShape, { minLength: 1, maxLength: 4 }),
    jobs: fc.array(jobShape, { maxLength: 14 }),
  })
  .map(({ technicians, jobs }) => {
    const points = [...technicians.map((tech) => tech.home), ...jobs.map((job) => job.place)];
    const techs: Technician[] = technicians.map((tech, v) => ({
      id: `tech-${v}`,
      startLocation: v,
      endLocation: v,
      shift: { start: tech.start, end: tech.start + tech.length },
      skills: tech.skills,
      maxJobs: tech.maxJobs,
      capacity: tech.capacity,
      break: tech.hasBreak
        ? { earliestStart: tech.start + 100, latestStart: tech.start + 200, duration: 30 }
        : undefined,
    }));
    const list: Job[] = jobs.map((job, j) => ({
      id: `job-${j}`,
      location: technicians.length + j,
      duration: job.duration,
      timeWindows: job.windows.map((w) => ({ start: w.start, end: w.start + w.width })),
      maxLateness: job.maxLateness,
      skills: job.skills,
      priority: job.priority,
      optional: job.optional,
      demand: job.demand,
      lock:
        job.lockTechnician === undefined
          ? undefined
          : { technicianId: `tech-${job.lockTechnician % technicians.length}` },
    }));
    return { technicians: techs, jobs: list, matrix: gridMatrix(points) };
  });

/** A deterministic day of `count` jobs around `centres` depots. */
export function clusteredDay(count: number, centres: number): RoutingInput {
  const points = [{ x: 50, y: 50 }];
  for (let j = 0; j < count; j++) points.push({ x: (j * 37) % 100, y: (j * 61) % 100 });
  return {
    technicians: Array.from({ length: centres }, (_, v) => ({
      id: `tech-${v}`,
      startLocation: 0,
      endLocation: 0,
      shift: { start: 0, end: 1000 },
      capacity: 100,
    })),
    jobs: Array.from({ length: count }, (_, j) => ({
      id: `job-${j}`,
      location: j + 1,
      duration: 10,
      timeWindows: [{ start: (j * 13) % 400, end: ((j * 13) % 400) + 200 }],
      demand: 5,
    })),
    matrix: gridMatrix(points),
  };
}
