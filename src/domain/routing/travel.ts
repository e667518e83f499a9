// Travel-time matrices: straight-line distance on the globe by default, an OSRM server's table
// service when one is configured. Matrices are cached because dispatchers re-optimize the same day.
import { BoundedMap } from "../bounded";
import type { TravelMatrix } from "./model";

export interface GeoPoint {
  lat: number;
  lon: number;
}

export interface StraightLineOptions {
  /** Average speed on the road, km/h. */
  speedKmh?: number;
  /** Roads are longer than the straight line by about this factor. */
  roadFactor?: number;
}

export const DEFAULT_SPEED_KMH = 40;
export const DEFAULT_ROAD_FACTOR = 1.3;
const EARTH_RADIUS_KM = 6371.0088;

export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Travel times in seconds. */
export function straightLineMatrix(
  points: readonly GeoPoint[],
  options: StraightLineOptions = {},
): TravelMatrix {
  const secondsPerKm = 3600 / (options.speedKmh ?? DEFAULT_SPEED_KMH);
  const factor = options.roadFactor ?? DEFAULT_ROAD_FACTOR;
  const size = points.length;
  const durations = new Float64Array(size * size);
  for (let a = 0; a < size; a++) {
    for (let b = a + 1; b < size; b++) {
      const seconds = haversineKm(points[a], points[b]) * factor * secondsPerKm;
      durations[a * size + b] = seconds;
      durations[b * size + a] = seconds;
    }
  }
  return { size, durations };
}

export interface OsrmOptions {
  baseUrl: string;
  profile?: string;
  /** Most locations per request side; OSRM's default --max-table-size is 100. */
  blockSize?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export class OsrmError extends Error {}

/** Travel times in seconds from OSRM's table service, asked block by block. Unroutable pairs are Infinity. */
export async function osrmMatrix(points: readonly GeoPoint[], options: OsrmOptions): Promise<TravelMatrix> {
  const size = points.length;
  const block = Math.max(1, Math.floor((options.blockSize ?? 100) / 2));
  const durations = new Float64Array(size * size);
  for (let from = 0; from < size; from += block) {
    for (let to = 0; to < size; to += block) {
      const sources = range(from, Math.min(size, from + block));
      const destinations = range(to, Math.min(size, to + block));
      const rows = await osrmTable(points, sources, destinations, options);
      sources.forEach((a, i) => {
        destinations.forEach((b, k) => {
          const value = rows[i]?.[k];
          durations[a * size + b] =
            a === b ? 0 : typeof value === "number" ? value : Number.POSITIVE_INFINITY;
        });
      });
    }
  }
  return { size, durations };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

async function osrmTable(
  points: readonly GeoPoint[],
  sources: number[],
  destinations: number[],
  options: OsrmOptions,
): Promise<(number | null)[][]> {
  const used = [...new Set([...sources, ...destinations])];
  const indexOf = new Map(used.map((point, index) => [point, index]));
  const coordinates = used.map((i) => `${points[i].lon.toFixed(6)},${points[i].lat.toFixed(6)}`).join(";");
  const url = new URL(
    `${options.baseUrl.replace(/\/$/, "")}/table/v1/${options.profile ?? "driving"}/${coordinates}`,
  );
  url.searchParams.set("sources", sources.map((i) => indexOf.get(i)).join(";"));
  url.searchParams.set("destinations", destinations.map((i) => indexOf.get(i)).join(";"));
  url.searchParams.set("annotations", "duration");
  const response = await (options.fetch ?? fetch)(url, {
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const body = (await response.json().catch(() => ({}))) as {
    code?: string;
    durations?: (number | null)[][];
  };
  if (!response.ok || body.code !== "Ok" || !Array.isArray(body.durations)) {
    throw new OsrmError(`OSRM table request failed: HTTP ${response.status} ${body.code ?? ""}`.trim());
  }
  return body.durations;
}

export interface TravelSource extends StraightLineOptions {
  /** OSRM server; unset = straight line. */
  osrmUrl?: string;
  fetch?: typeof fetch;
}

/** Remembers recent matrices by their points and source, oldest dropped first. */
export class TravelMatrixCache {
  private readonly entries: BoundedMap<string, Promise<TravelMatrix>>;

  constructor(
    private readonly source: TravelSource,
    limit = 32,
  ) {
    this.entries = new BoundedMap(limit);
  }

  matrixFor(points: readonly GeoPoint[]): Promise<TravelMatrix> {
    const key = this.keyOf(points);
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.set(key, hit);
      return hit;
    }
    const made = this.make(points);
    // A failed request must not stay cached.
    made.catch(() => this.entries.delete(key));
    this.entries.set(key, made);
    return made;
  }

  get size(): number {
    return this.entries.size;
  }

  private make(points: readonly GeoPoint[]): Promise<TravelMatrix> {
    const { osrmUrl, fetch: fetcher } = this.source;
    if (osrmUrl) return osrmMatrix(points, { baseUrl: osrmUrl, fetch: fetcher });
    return Promise.resolve(straightLineMatrix(points, this.source));
  }

  private keyOf(points: readonly GeoPoint[]): string {
    const { osrmUrl, speedKmh, roadFactor } = this.source;
    const where = points.map((point) => `${point.lat.toFixed(6)},${point.lon.toFixed(6)}`).join(";");
    return `${osrmUrl ?? `line:${speedKmh ?? DEFAULT_SPEED_KMH}:${roadFactor ?? DEFAULT_ROAD_FACTOR}`}|${where}`;
  }
}
