// Asset meters: readings only count up unless marked as a reset, a back-dated reading must fit
// between its neighbours, names join case-insensitively, and use per day restarts at a reset.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { assets, events } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { isDomainError } from "../errors";
import { metersOf, recordMeterReading, summarizeMeters } from "./meters";

let home: Fixture;
let away: Fixture;
let assetId: string;
const t0 = new Date("2026-10-01T02:00:00Z");
const day = (n: number) => new Date(t0.getTime() + n * 86_400_000);

async function refusal(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("MetersHome"), createOrg("MetersAway")]);
  const { db } = await testDatabase();
  [{ id: assetId }] = await db
    .insert(assets)
    .values({ orgId: home.orgId, type: "Generator", serial: "GEN-1" })
    .returning({ id: assets.id });
});

describe("meter readings", () => {
  test("readings count up; a lower one needs a reset; names join; use per day follows", async () => {
    const ctx = (n: number) => home.ctx("dispatcher", day(n));
    await recordMeterReading(ctx(0), assetId, { meter: "Running hours", value: "1,000" });
    await recordMeterReading(ctx(10), assetId, { meter: "running  HOURS", value: "1200" });
    const lower = await refusal(() =>
      recordMeterReading(ctx(11), assetId, { meter: "Running hours", value: "900" }),
    );
    expect(lower.status).toBe(422);
    expect(lower.fields?.value).toContain("1,200");
    // A back-dated reading must sit between the readings around it.
    const between = await refusal(() =>
      recordMeterReading(ctx(12), assetId, { meter: "Running hours", value: "1300", readAt: day(5) }),
    );
    expect(between.fields?.value).toContain("later reading");
    await recordMeterReading(ctx(12), assetId, { meter: "Running hours", value: "1100", readAt: day(5) });
    const { meters, recent } = await metersOf(home.ctx("agent", day(12)), assetId);
    expect(meters).toHaveLength(1);
    expect(meters[0].meter).toBe("Running hours");
    expect(meters[0].latest.value).toBe(1200);
    expect(meters[0].perDay).toBeCloseTo(20, 5);
    expect(recent.map((r) => r.value)).toEqual([1200, 1100, 1000]);
    // The meter is replaced: the new one starts low, and use restarts from it.
    await recordMeterReading(ctx(20), assetId, {
      meter: "Running hours",
      value: "3",
      reset: true,
      note: "new meter",
    });
    await recordMeterReading(ctx(22), assetId, { meter: "Running hours", value: "51" });
    const after = await metersOf(home.ctx("agent", day(22)), assetId);
    expect(after.meters[0].latest.value).toBe(51);
    expect(after.meters[0].perDay).toBeCloseTo(24, 5);
    const { db } = await testDatabase();
    const logged = await db
      .select()
      .from(events)
      .where(and(eq(events.orgId, home.orgId), eq(events.type, "asset.meter_read")));
    expect(logged).toHaveLength(5);
  });

  test("bad input is refused field by field and nothing is stored", async () => {
    const ctx = home.ctx("dispatcher", day(30));
    const bad = await refusal(() =>
      recordMeterReading(ctx, assetId, { meter: "", value: "-4", readAt: day(31), note: "x".repeat(501) }),
    );
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(["meter", "note", "readAt", "value"]);
    expect(
      (await refusal(() => recordMeterReading(ctx, assetId, { meter: "Cycles", value: "abc" }))).fields
        ?.value,
    ).toBeDefined();
    const { meters } = await metersOf(ctx, assetId);
    expect(meters.map((m) => m.meter)).toEqual(["Running hours"]);
  });

  test("only managers record; another organization's asset is not found", async () => {
    expect(
      (await refusal(() => recordMeterReading(home.ctx("agent"), assetId, { meter: "A", value: "1" })))
        .status,
    ).toBe(403);
    expect(
      (await refusal(() => recordMeterReading(away.ctx("dispatcher"), assetId, { meter: "A", value: "1" })))
        .status,
    ).toBe(404);
    expect(
      (await refusal(() => recordMeterReading(home.ctx("dispatcher"), "nope", { meter: "A", value: "1" })))
        .status,
    ).toBe(404);
  });

  test("use per day needs a day of readings, per meter", () => {
    const at = (h: number) => new Date(t0.getTime() + h * 3_600_000);
    const summary = summarizeMeters([
      { meter: "kWh", value: 10, reset: false, readAt: at(0) },
      { meter: "kWh", value: 12, reset: false, readAt: at(5) },
      { meter: "Cycles", value: 100, reset: false, readAt: at(48) },
      { meter: "Cycles", value: 0, reset: false, readAt: at(0) },
    ]);
    expect(summary).toEqual([
      { meter: "Cycles", latest: { value: 100, readAt: at(48) }, perDay: 50, readings: 2 },
      { meter: "kWh", latest: { value: 12, readAt: at(5) }, perDay: null, readings: 2 },
    ]);
  });
});
