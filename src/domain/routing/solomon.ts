// Solomon's VRPTW instances (1987) as optimizer input, under the conventions that reproduce the
// published results: Euclidean distances in double precision, travel time = distance.
import type { Job, PlannedRoute, RoutingInput, Technician } from "./model";

export interface SolomonInstance {
  name: string;
  vehicles: number;
  capacity: number;
  /** Row 0 is the depot; customer ids equal their row. */
  customers: {
    id: number;
    x: number;
    y: number;
    demand: number;
    ready: number;
    due: number;
    service: number;
  }[];
}

export function parseSolomon(text: string): SolomonInstance {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const name = lines.find((line) => line.length > 0) ?? "unnamed";
  const vehicleAt = lines.findIndex((line) => line.toUpperCase() === "VEHICLE");
  const customerAt = lines.findIndex((line) => line.toUpperCase() === "CUSTOMER");
  if (vehicleAt < 0 || customerAt < 0)
    throw new Error("Not a Solomon file: VEHICLE or CUSTOMER section missing");
  const fleet = lines
    .slice(vehicleAt + 1, customerAt)
    .map((line) => line.split(/\s+/).map(Number))
    .find((tokens) => tokens.length >= 2 && tokens.every(Number.isFinite));
  if (!fleet) throw new Error("Not a Solomon file: no vehicle count and capacity");
  const customers = lines
    .slice(customerAt + 1)
    .map((line) => line.split(/\s+/).filter(Boolean).map(Number))
    .filter((tokens) => tokens.length === 7 && tokens.every(Number.isFinite))
    .map(([id, x, y, demand, ready, due, service]) => ({ id, x, y, demand, ready, due, service }));
  if (customers.length < 2 || customers[0].id !== 0)
    throw new Error("Not a Solomon file: depot row 0 missing");
  return { name, vehicles: fleet[0], capacity: fleet[1], customers };
}

export function solomonInput(instance: SolomonInstance): RoutingInput {
  const points = instance.customers;
  const size = points.length;
  const durations = new Float64Array(size * size);
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++) {
      durations[a * size + b] = Math.hypot(points[a].x - points[b].x, points[a].y - points[b].y);
    }
  }
  const depot = points[0];
  const technicians: Technician[] = Array.from({ length: instance.vehicles }, (_, v) => ({
    id: `vehicle-${v + 1}`,
    startLocation: 0,
    endLocation: 0,
    shift: { start: depot.ready, end: depot.due },
    capacity: instance.capacity,
  }));
  const jobs: Job[] = points.slice(1).map((customer, index) => ({
    id: String(customer.id),
    location: index + 1,
    duration: customer.service,
    timeWindows: [{ start: customer.ready, end: customer.due }],
    demand: customer.demand,
  }));
  return { technicians, jobs, matrix: { size, durations } };
}

/** The usual text form: one `Route k : id id id` line per used vehicle. */
export function formatSolomonRoutes(routes: readonly PlannedRoute[]): string {
  return routes
    .filter((route) => route.stops.length > 0)
    .map((route, index) => `Route ${index + 1} : ${route.stops.map((stop) => stop.jobId).join(" ")}`)
    .join("\n")
    .concat("\n");
}
