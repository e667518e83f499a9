// Route optimizer against the Solomon VRPTW benchmark and its best-known solutions.
// Usage: npm run bench:solomon -- [--instances C101,R201|--file PATH] [--time-ms 1000]
//        [--objective distance|hierarchical] [--seed 1] [--out DIR]
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { checkSolution } from "../src/domain/routing/checker";
import { optimize } from "../src/domain/routing/optimize";
import { formatSolomonRoutes, parseSolomon, solomonInput } from "../src/domain/routing/solomon";

const DATA_DIR = resolve(import.meta.dir, "..", "..", "shared", "data", "solomon");

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

type Best = Map<string, { vehicles: number; distance: number }>;

function readBest(file: string): Best {
  const best: Best = new Map();
  const lines = readFileSync(join(DATA_DIR, file), "utf8").trim().split(/\r?\n/).slice(1);
  for (const line of lines) {
    const [instance, vehicles, distance] = line.split(",");
    best.set(instance.trim().toUpperCase(), { vehicles: Number(vehicles), distance: Number(distance) });
  }
  return best;
}

function instanceFiles(): string[] {
  const file = option("file");
  if (file) return [resolve(file)];
  const dir = join(DATA_DIR, "instances");
  const wanted = option("instances")
    ?.split(",")
    .map((name) => name.trim().toUpperCase());
  const all = readdirSync(dir)
    .filter((name) => name.endsWith(".txt"))
    .sort();
  const chosen = wanted ? all.filter((name) => wanted.includes(basename(name, ".txt").toUpperCase())) : all;
  return chosen.map((name) => join(dir, name));
}

const timeLimitMs = Number(option("time-ms") ?? 1000);
const objective = option("objective") === "hierarchical" ? "hierarchical" : "travel";
const seed = Number(option("seed") ?? 1);
const outDir = option("out");
if (outDir) mkdirSync(outDir, { recursive: true });
const bestHierarchical = readBest("bks.csv");
const bestDistance = readBest("bks_distance_only.csv");

interface Row {
  name: string;
  vehicles: number;
  distance: number;
  gapDistance: number;
  gapHierarchical: number;
  vehicleDiff: number;
  ms: number;
}

const rows: Row[] = [];
let failures = 0;
const pct = (value: number) =>
  Number.isFinite(value) ? `${value >= 0 ? "+" : ""}${value.toFixed(2)}%` : "n/a";
console.log(`objective=${objective} time_ms=${timeLimitMs} seed=${seed}`);
console.log("instance  vehicles  distance   gap_dist  bks_h(v)  gap_h     time_ms");
for (const file of instanceFiles()) {
  const instance = parseSolomon(readFileSync(file, "utf8"));
  const name = instance.name.toUpperCase();
  const input = solomonInput(instance);
  const began = performance.now();
  const solution = optimize(input, { timeLimitMs, seed, objective });
  const ms = performance.now() - began;
  const check = checkSolution(input, solution);
  if (!check.valid || solution.unassigned.length > 0) {
    failures++;
    console.error(`${name}: INVALID`, check.violations.slice(0, 5), solution.unassigned.length, "unassigned");
  }
  const distance = Math.round(check.cost.travelTime * 100) / 100;
  const vehicles = check.cost.technicians;
  const d = bestDistance.get(name);
  const h = bestHierarchical.get(name);
  const row: Row = {
    name,
    vehicles,
    distance,
    gapDistance: d ? ((distance - d.distance) / d.distance) * 100 : Number.NaN,
    gapHierarchical: h ? ((distance - h.distance) / h.distance) * 100 : Number.NaN,
    vehicleDiff: h ? vehicles - h.vehicles : Number.NaN,
    ms,
  };
  rows.push(row);
  console.log(
    [
      name.padEnd(8),
      String(vehicles).padStart(8),
      distance.toFixed(2).padStart(10),
      pct(row.gapDistance).padStart(10),
      `${h?.vehicles ?? "?"}`.padStart(9),
      pct(row.gapHierarchical).padStart(9),
      ms.toFixed(0).padStart(10),
    ].join("  "),
  );
  if (outDir) writeFileSync(join(outDir, `${name}.sol`), formatSolomonRoutes(solution.routes));
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
console.log("\nclass  n   mean_gap_dist  mean_gap_h  vehicles_vs_bks_h  at_bks_vehicles");
for (const group of ["C1", "C2", "R1", "R2", "RC1", "RC2"]) {
  const members = rows.filter((row) => row.name.match(/^[A-Z]+\d/)?.[0] === group);
  if (members.length === 0) continue;
  console.log(
    [
      group.padEnd(5),
      String(members.length).padStart(2),
      pct(mean(members.map((row) => row.gapDistance))).padStart(14),
      pct(mean(members.map((row) => row.gapHierarchical))).padStart(11),
      `+${members.reduce((sum, row) => sum + row.vehicleDiff, 0)}`.padStart(18),
      `${members.filter((row) => row.vehicleDiff <= 0).length}/${members.length}`.padStart(16),
    ].join("  "),
  );
}
const withVehicles = rows.filter((row) => Number.isFinite(row.vehicleDiff));
const atBest = withVehicles.filter((row) => row.vehicleDiff <= 0).length;
console.log(`best-known vehicle count reached on ${atBest}/${withVehicles.length}`);
console.log(
  `solomon: instances=${rows.length} mean_gap_distance=${mean(rows.map((row) => row.gapDistance)).toFixed(2)}%` +
    ` mean_gap_hierarchical_vehicles=+${mean(withVehicles.map((row) => row.vehicleDiff)).toFixed(2)}` +
    ` time_ms_mean=${mean(rows.map((row) => row.ms)).toFixed(0)}`,
);
if (failures > 0) {
  console.error(`${failures} solution(s) failed the checker`);
  process.exit(1);
}
