import { afterAll, describe, expect, test } from "bun:test";
import { haversineKm, OsrmError, osrmMatrix, straightLineMatrix, TravelMatrixCache } from "./travel";

const KUALA_LUMPUR = { lat: 3.139, lon: 101.6869 };
const GEORGE_TOWN = { lat: 5.4141, lon: 100.3288 };
const JOHOR_BAHRU = { lat: 1.4927, lon: 103.7414 };

// A tiny stand-in for OSRM's table service: duration = 100 × |i - j| between the given points.
const requests: URL[] = [];
const fakeOsrm = Bun.serve({
  port: 0,
  fetch(request) {
    const url = new URL(request.url);
    requests.push(url);
    const match = url.pathname.match(/^\/table\/v1\/driving\/(.+)$/);
    if (!match) return Response.json({ code: "InvalidUrl" }, { status: 400 });
    const points = match[1].split(";");
    const sources = (url.searchParams.get("sources") ?? "").split(";").map(Number);
    const destinations = (url.searchParams.get("destinations") ?? "").split(";").map(Number);
    const lat = (i: number) => Number(points[i].split(",")[1]);
    const durations = sources.map((s) =>
      destinations.map((d) => (lat(s) === 9 || lat(d) === 9 ? null : 100 * Math.abs(lat(s) - lat(d)))),
    );
    return Response.json({ code: "Ok", durations });
  },
});
afterAll(() => fakeOsrm.stop(true));
const osrmUrl = `http://localhost:${fakeOsrm.port}`;

describe("straight-line travel", () => {
  test("haversine distance between Malaysian cities", () => {
    expect(haversineKm(KUALA_LUMPUR, GEORGE_TOWN)).toBeCloseTo(293, -1);
    expect(haversineKm(KUALA_LUMPUR, KUALA_LUMPUR)).toBe(0);
  });

  test("seconds at the configured speed and road factor, symmetric", () => {
    const matrix = straightLineMatrix([KUALA_LUMPUR, JOHOR_BAHRU], { speedKmh: 60, roadFactor: 1.5 });
    const km = haversineKm(KUALA_LUMPUR, JOHOR_BAHRU);
    expect(matrix.durations[1]).toBeCloseTo(km * 1.5 * 60, 6);
    expect(matrix.durations[2]).toBe(matrix.durations[1]);
    expect(matrix.durations[0]).toBe(0);
  });
});

describe("OSRM table client", () => {
  const points = [0, 1, 2, 3, 4].map((lat) => ({ lat, lon: 100 }));

  test("assembles the matrix block by block", async () => {
    requests.length = 0;
    const matrix = await osrmMatrix(points, { baseUrl: osrmUrl, blockSize: 4 });
    expect(matrix.size).toBe(5);
    expect(matrix.durations[0 * 5 + 4]).toBe(400);
    expect(matrix.durations[3 * 5 + 1]).toBe(200);
    expect(requests.length).toBe(9);
    expect(requests.every((url) => url.searchParams.get("annotations") === "duration")).toBe(true);
  });

  test("unroutable pairs become Infinity, errors become OsrmError", async () => {
    const matrix = await osrmMatrix([points[0], { lat: 9, lon: 100 }], { baseUrl: osrmUrl });
    expect(matrix.durations[1]).toBe(Number.POSITIVE_INFINITY);
    await expect(osrmMatrix(points, { baseUrl: `${osrmUrl}/nowhere` })).rejects.toBeInstanceOf(OsrmError);
  });

  test("the cache asks OSRM once per set of points", async () => {
    const cache = new TravelMatrixCache({ osrmUrl });
    requests.length = 0;
    const first = await cache.matrixFor(points);
    const second = await cache.matrixFor(points.map((point) => ({ ...point })));
    expect(second).toBe(first);
    expect(requests.length).toBe(1);
  });

  test("without OSRM the cache serves straight-line matrices", async () => {
    const cache = new TravelMatrixCache({ speedKmh: 50 });
    const matrix = await cache.matrixFor([KUALA_LUMPUR, GEORGE_TOWN]);
    expect(matrix.durations[1]).toBeCloseTo(haversineKm(KUALA_LUMPUR, GEORGE_TOWN) * 1.3 * 72, 6);
    expect(cache.size).toBe(1);
  });
});
