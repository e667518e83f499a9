// Technicians' positions: stored only with their consent and on shift, always their own, shown to
// their own organization's dispatchers, forgotten when they stop sharing.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import {
  appointments,
  appointmentTechnicians,
  events,
  technicianLocations,
  technicians,
  technicianTrail,
} from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import {
  deleteOldTrail,
  freshPosition,
  lastPositions,
  myLocationSharing,
  recordPosition,
  setLocationSharing,
  technicianTrailOn,
} from "./positions";
import { createWorkOrder } from "./workOrders";

// Tuesday 24 November 2026 in Kuala Lumpur; the shift is 08:00–17:00, Monday to Friday.
const at = (hhmm: string, day = "2026-11-24") => new Date(`${day}T${hhmm}:00+08:00`);

let org: Fixture;
let other: Fixture;

beforeAll(async () => {
  [org, other] = await Promise.all([createOrg("Positions"), createOrg("PositionsOther")]);
  for (const f of [org, other])
    await f.ctx("admin").db.insert(technicians).values({ orgId: f.orgId, userId: f.users.technician.id });
});

async function trailOf(f: Fixture) {
  const { db } = await testDatabase();
  return db
    .select()
    .from(technicianTrail)
    .where(and(eq(technicianTrail.orgId, f.orgId), eq(technicianTrail.userId, f.users.technician.id)));
}

describe("technician positions", () => {
  test("nothing is stored before the technician ticks “share my location”", async () => {
    const tech = org.ctx("technician", at("09:00"));
    expect(await myLocationSharing(tech)).toEqual({ sharing: false, recordedAt: null });
    await expect(recordPosition(tech, { lat: 3.14, lng: 101.69 })).rejects.toMatchObject({ status: 409 });
    expect(await trailOf(org)).toHaveLength(0);
  });

  test("with consent and on shift, the last position and the trail are kept; dispatchers see it", async () => {
    const tech = org.ctx("technician", at("09:00"));
    await setLocationSharing(tech, true);
    expect(await recordPosition(tech, { lat: 3.14, lng: 101.69, accuracy: 15.4 })).toBe("stored");
    // 10 s later: the last position moves, the trail does not grow (one point per 20 s at most).
    const later = org.ctx("technician", new Date(at("09:00").getTime() + 10_000));
    expect(await recordPosition(later, { lat: 3.144, lng: 101.691 })).toBe("stored");
    const after = org.ctx("technician", new Date(at("09:00").getTime() + 60_000));
    expect(await recordPosition(after, { lat: 3.15, lng: 101.7 })).toBe("stored");
    expect((await trailOf(org)).map((p) => [p.lat, p.lng])).toEqual([
      [3.14, 101.69],
      [3.15, 101.7],
    ]);

    const seen = await lastPositions(org.ctx("dispatcher", at("09:02")));
    expect(seen).toEqual([
      {
        userId: org.users.technician.id,
        name: org.users.technician.name,
        lat: 3.15,
        lng: 101.7,
        accuracyM: null,
        recordedAt: new Date(at("09:00").getTime() + 60_000),
      },
    ]);
    // Another organization's board sees none of it.
    expect(await lastPositions(other.ctx("dispatcher", at("09:02")))).toEqual([]);
    const { db } = await testDatabase();
    expect(await freshPosition(db, org.orgId, org.users.technician.id, at("09:10"))).toMatchObject({
      lat: 3.15,
    });
    // Older than a quarter of an hour: not used for arrival estimates.
    expect(await freshPosition(db, org.orgId, org.users.technician.id, at("09:20"))).toBeNull();
    expect(await freshPosition(db, other.orgId, org.users.technician.id, at("09:10"))).toBeNull();

    const trail = await technicianTrailOn(
      org.ctx("dispatcher", at("18:00")),
      org.users.technician.id,
      "2026-11-24",
    );
    expect(trail.points).toHaveLength(2);
    expect(
      (await technicianTrailOn(org.ctx("dispatcher"), org.users.technician.id, "2026-11-25")).points,
    ).toHaveLength(0);
    await expect(
      technicianTrailOn(other.ctx("dispatcher"), org.users.technician.id, "2026-11-24"),
    ).rejects.toMatchObject({ status: 404 });
  });

  test("off shift the phone's reports are ignored", async () => {
    const tech = org.ctx("technician", at("21:30"));
    await setLocationSharing(tech, true);
    const before = (await trailOf(org)).length;
    expect(await recordPosition(tech, { lat: 3.2, lng: 101.8 })).toBe("off_shift");
    // Saturday, a day off.
    expect(
      await recordPosition(org.ctx("technician", at("10:00", "2026-11-28")), { lat: 3.2, lng: 101.8 }),
    ).toBe("off_shift");
    expect(await trailOf(org)).toHaveLength(before);
  });

  test("unticking forgets the last position and is recorded; bad input and other roles are refused", async () => {
    const tech = org.ctx("technician", at("10:00"));
    await setLocationSharing(tech, true);
    await recordPosition(tech, { lat: 3.1, lng: 101.6 });
    await setLocationSharing(tech, false);
    expect(await lastPositions(org.ctx("dispatcher"))).toEqual([]);
    expect(await myLocationSharing(tech)).toEqual({ sharing: false, recordedAt: null });
    await expect(recordPosition(tech, { lat: 3.1, lng: 101.6 })).rejects.toMatchObject({ status: 409 });
    const { db } = await testDatabase();
    const consent = await db
      .select({ type: events.type })
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.actorUserId, org.users.technician.id)));
    expect(consent.map((e) => e.type)).toContain("technician.location_unshared");

    await setLocationSharing(tech, true);
    await expect(recordPosition(tech, { lat: 91, lng: 0 })).rejects.toMatchObject({
      status: 422,
      fields: { lat: expect.any(String) },
    });
    await expect(recordPosition(tech, { lat: Number.NaN, lng: 200 })).rejects.toMatchObject({ status: 422 });
    await expect(
      recordPosition(org.ctx("dispatcher", at("10:00")), { lat: 3, lng: 101 }),
    ).rejects.toMatchObject({
      status: 403,
    });
    await expect(lastPositions(org.ctx("customer"))).rejects.toMatchObject({ status: 403 });
    await expect(
      technicianTrailOn(org.ctx("technician"), org.users.technician.id, "2026-11-24"),
    ).rejects.toMatchObject({
      status: 403,
    });
  });

  test("the clean-up deletes trails past their retention", async () => {
    const { db } = await testDatabase();
    await db.insert(technicianTrail).values({
      orgId: org.orgId,
      userId: org.users.technician.id,
      lat: 1,
      lng: 1,
      recordedAt: at("08:00", "2026-01-01"),
    });
    await deleteOldTrail(db, at("00:00", "2026-02-01"));
    expect((await trailOf(org)).some((p) => p.lat === 1)).toBe(false);
  });

  test("dispatchers see a position only from the current shift window and the last two hours", async () => {
    const shifted = await createOrg("PositionsWindow");
    const userId = shifted.users.technician.id;
    const { db } = await testDatabase();
    await db.insert(technicians).values({ orgId: shifted.orgId, userId });
    const reportedAt = (recordedAt: Date) =>
      db
        .insert(technicianLocations)
        .values({
          orgId: shifted.orgId,
          userId,
          sharing: true,
          sharingChangedAt: at("06:00", "2026-11-23"),
          lat: 3.1,
          lng: 101.6,
          recordedAt,
        })
        .onConflictDoUpdate({
          target: [technicianLocations.orgId, technicianLocations.userId],
          set: { sharing: true, lat: 3.1, lng: 101.6, recordedAt },
        });
    const seenAt = async (hhmm: string, day?: string) =>
      (await lastPositions(shifted.ctx("dispatcher", at(hhmm, day)))).length;
    // The shift is 08:00-17:00; its window opens at 07:00 and closes at 18:00.
    await reportedAt(at("08:30"));
    expect([await seenAt("09:00"), await seenAt("10:29"), await seenAt("10:31")]).toEqual([1, 1, 0]);
    // Reported late yesterday, or before this morning's window opened: not where they are now.
    await reportedAt(at("17:50", "2026-11-23"));
    expect(await seenAt("07:05")).toBe(0);
    await reportedAt(at("06:40"));
    expect([await seenAt("06:50"), await seenAt("07:30")]).toEqual([0, 0]);
    // After the window closes, only while a visit is under way.
    await reportedAt(at("17:50"));
    expect([await seenAt("17:55"), await seenAt("18:10")]).toEqual([1, 0]);
    const wo = await createWorkOrder(shifted.ctx("dispatcher"), { subject: "Late call-out" });
    const [visit] = await db
      .insert(appointments)
      .values({
        orgId: shifted.orgId,
        workOrderId: wo.id,
        startsAt: at("17:30"),
        endsAt: at("19:00"),
        status: "on_site",
        createdAt: at("17:00"),
        updatedAt: at("17:00"),
      })
      .returning();
    await db.insert(appointmentTechnicians).values({ orgId: shifted.orgId, appointmentId: visit.id, userId });
    expect([await seenAt("18:10"), await seenAt("19:51")]).toEqual([1, 0]);
  });
});
