// Assigning from the dispatch board: every conflict is reported instead of saved, an override
// is recorded, started visits stay put, and the board shows the day's bars and queue.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import {
  appointments,
  certifications,
  events,
  serviceLocations,
  skills,
  technicianSkills,
  technicians,
  zones,
} from "../../../db/schema";
import { createOrg, type Fixture } from "../../../test/helpers";
import { changeAppointmentStatus, createWorkOrder } from "../fsm/workOrders";
import { assignVisit } from "./assign";
import { dispatchBoard, parseBoardFilters } from "./board";

// Monday 23 November 2026, 07:00 in Kuala Lumpur.
const NOW = new Date("2026-11-22T23:00:00Z");
const at = (hhmm: string, day = "2026-11-23") => new Date(`${day}T${hhmm}:00+08:00`);

let f: Fixture;
let techUserId: string;
let kl: string;
let penang: string;
let hvac: string;
let zoneId: string;

const dispatcher = () => f.ctx("dispatcher", NOW);

beforeAll(async () => {
  f = await createOrg("Dispatch");
  const db = f.ctx("admin").db;
  techUserId = f.users.technician.id;
  const [zone] = await db
    .insert(zones)
    .values({ orgId: f.orgId, code: "KUL", name: "Kuala Lumpur", lat: 3.14, lng: 101.69 })
    .returning();
  zoneId = zone.id;
  const [tech] = await db
    .insert(technicians)
    .values({ orgId: f.orgId, userId: techUserId, zoneId, homeLat: 3.14, homeLng: 101.69, maxJobsPerDay: 2 })
    .returning();
  const [skill] = await db.insert(skills).values({ orgId: f.orgId, name: "HVAC" }).returning();
  hvac = skill.id;
  await db
    .insert(technicianSkills)
    .values({ orgId: f.orgId, technicianId: tech.id, skillId: hvac, level: 2 });
  await db
    .insert(certifications)
    .values({ orgId: f.orgId, technicianId: tech.id, name: "HVAC", expiresOn: "2027-06-30" });
  const [a, b] = await db
    .insert(serviceLocations)
    .values([
      { orgId: f.orgId, name: "KLCC", address: "Kuala Lumpur", lat: 3.158, lng: 101.712, zoneId },
      { orgId: f.orgId, name: "George Town", address: "Penang", lat: 5.414, lng: 100.329 },
    ])
    .returning();
  kl = a.id;
  penang = b.id;
});

async function workOrder(
  subject: string,
  extra: { locationId?: string; skillIds?: string[]; minLevel?: number } = {},
) {
  return createWorkOrder(dispatcher(), { subject, ...extra });
}

async function appointmentsOf(workOrderId: string) {
  return f
    .ctx("admin")
    .db.select()
    .from(appointments)
    .where(and(eq(appointments.orgId, f.orgId), eq(appointments.workOrderId, workOrderId)));
}

describe("assignVisit", () => {
  test("a missing skill level and a time outside the shift come back as conflicts; nothing is saved", async () => {
    const wo = await workOrder("Chiller overhaul", { locationId: kl, skillIds: [hvac], minLevel: 3 });
    const result = await assignVisit(dispatcher(), {
      workOrderNumber: wo.number,
      technicianUserId: techUserId,
      startsAt: at("16:00"),
      minutes: 120,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.conflicts.map((c) => c.kind).sort()).toEqual(["shift", "skill"]);
    expect(await appointmentsOf(wo.id)).toHaveLength(0);
  });

  test("an expired certification for a required skill is a conflict", async () => {
    const wo = await workOrder("Split unit", { locationId: kl, skillIds: [hvac] });
    const later = f.ctx("dispatcher", new Date("2027-08-01T00:00:00Z"));
    const result = await assignVisit(later, {
      workOrderNumber: wo.number,
      technicianUserId: techUserId,
      startsAt: at("09:00", "2027-08-02"),
      minutes: 60,
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.conflicts).toEqual([
        { kind: "certification", message: expect.stringContaining("expired") },
      ]);
  });

  test("overlaps, travel time and jobs per day are checked against the technician's other visits", async () => {
    const first = await workOrder("Filter change", { locationId: kl });
    const ok = await assignVisit(dispatcher(), {
      workOrderNumber: first.number,
      technicianUserId: techUserId,
      startsAt: at("09:00"),
      minutes: 60,
    });
    expect(ok.ok).toBe(true);

    const far = await workOrder("Penang survey", { locationId: penang });
    const overlapping = await assignVisit(dispatcher(), {
      workOrderNumber: far.number,
      technicianUserId: techUserId,
      startsAt: at("09:30"),
      minutes: 60,
    });
    expect(!overlapping.ok && overlapping.conflicts.map((c) => c.kind)).toContain("overlap");

    const tooSoon = await assignVisit(dispatcher(), {
      workOrderNumber: far.number,
      technicianUserId: techUserId,
      startsAt: at("10:30"),
      minutes: 60,
    });
    expect(!tooSoon.ok && tooSoon.conflicts.map((c) => c.kind)).toEqual(["travel"]);

    const near = await workOrder("Thermostat", { locationId: kl });
    expect(
      (
        await assignVisit(dispatcher(), {
          workOrderNumber: near.number,
          technicianUserId: techUserId,
          startsAt: at("11:00"),
          minutes: 60,
        })
      ).ok,
    ).toBe(true);
    const third = await workOrder("Third visit", { locationId: kl });
    const full = await assignVisit(dispatcher(), {
      workOrderNumber: third.number,
      technicianUserId: techUserId,
      startsAt: at("14:00"),
      minutes: 60,
    });
    expect(!full.ok && full.conflicts.map((c) => c.kind)).toEqual(["max_jobs"]);

    const forced = await assignVisit(dispatcher(), {
      workOrderNumber: third.number,
      technicianUserId: techUserId,
      startsAt: at("14:00"),
      minutes: 60,
      override: true,
    });
    expect(forced.ok).toBe(true);
    const [event] = await f
      .ctx("admin")
      .db.select()
      .from(events)
      .where(and(eq(events.orgId, f.orgId), eq(events.type, "work_order.scheduled")))
      .then((rows) => rows.filter((e) => e.data.workOrderId === third.id));
    expect(event.data.overriddenConflicts).toEqual([{ kind: "max_jobs", message: expect.any(String) }]);
  });

  test("a visit moves to a free time; once the technician is on the way it stays put", async () => {
    const wo = await workOrder("Movable", { locationId: kl });
    const placed = await assignVisit(f.ctx("dispatcher", NOW), {
      workOrderNumber: wo.number,
      technicianUserId: techUserId,
      startsAt: at("09:00", "2026-11-24"),
      minutes: 60,
    });
    if (!placed.ok) throw new Error("not placed");
    const moved = await assignVisit(dispatcher(), {
      workOrderNumber: wo.number,
      technicianUserId: techUserId,
      startsAt: at("13:00", "2026-11-24"),
      minutes: 90,
      appointmentId: placed.appointmentId,
    });
    expect(moved).toEqual({ ok: true, appointmentId: placed.appointmentId });
    const [row] = await appointmentsOf(wo.id);
    expect(row.startsAt.toISOString()).toBe(at("13:00", "2026-11-24").toISOString());
    expect(row.endsAt.getTime() - row.startsAt.getTime()).toBe(90 * 60_000);

    await changeAppointmentStatus(dispatcher(), placed.appointmentId, { status: "dispatched" });
    await changeAppointmentStatus(f.ctx("technician", NOW), placed.appointmentId, { status: "travelling" });
    await expect(
      assignVisit(dispatcher(), {
        workOrderNumber: wo.number,
        technicianUserId: techUserId,
        startsAt: at("15:00", "2026-11-24"),
        minutes: 60,
        appointmentId: placed.appointmentId,
      }),
    ).rejects.toMatchObject({ status: 409 });
  });

  test("agents and technicians may not assign; another organization's work order is not found", async () => {
    const wo = await workOrder("Guarded", { locationId: kl });
    const input = {
      workOrderNumber: wo.number,
      technicianUserId: techUserId,
      startsAt: at("15:00"),
      minutes: 30,
    };
    await expect(assignVisit(f.ctx("agent", NOW), input)).rejects.toMatchObject({ status: 403 });
    await expect(assignVisit(f.ctx("technician", NOW), input)).rejects.toMatchObject({ status: 403 });
    const other = await createOrg("Elsewhere");
    await expect(assignVisit(other.ctx("dispatcher", NOW), input)).rejects.toMatchObject({ status: 404 });
  });
});

describe("dispatchBoard", () => {
  test("shows the technician's bars by minute with travel, and the queue filtered by zone and priority", async () => {
    const urgent = await createWorkOrder(dispatcher(), {
      subject: "Urgent leak",
      priority: "urgent",
      locationId: kl,
    });
    const board = await dispatchBoard(
      dispatcher(),
      parseBoardFilters({ day: "2026-11-23", zone: zoneId }, "2026-11-23"),
    );
    expect(board.total).toBe(1);
    const row = board.technicians[0];
    expect(row.userId).toBe(techUserId);
    const bar = row.visits.find((v) => v.subject === "Filter change");
    expect(bar).toMatchObject({ startMinute: 9 * 60, endMinute: 10 * 60, status: "scheduled" });
    expect(bar!.travelBefore).toBeGreaterThan(0);
    expect(board.queue[0]).toMatchObject({ number: urgent.number, priority: "urgent", zone: "Kuala Lumpur" });
    expect(board.queue.some((q) => q.subject === "Filter change")).toBe(false);
    const lowOnly = await dispatchBoard(
      dispatcher(),
      parseBoardFilters({ day: "2026-11-23", priority: "low" }, "2026-11-23"),
    );
    expect(lowOnly.queue).toEqual([]);
    await expect(dispatchBoard(f.ctx("agent", NOW), board.filters)).rejects.toMatchObject({ status: 403 });

    // The week holding Wednesday 25 November runs Monday 23 to Sunday 29; Tuesday's visit sits a day in.
    const week = await dispatchBoard(
      dispatcher(),
      parseBoardFilters({ day: "2026-11-25", view: "week", zone: zoneId }, "2026-11-23"),
    );
    expect(week.days).toEqual([
      "2026-11-23",
      "2026-11-24",
      "2026-11-25",
      "2026-11-26",
      "2026-11-27",
      "2026-11-28",
      "2026-11-29",
    ]);
    expect(week.technicians[0].workDays).toEqual([1, 2, 3, 4, 5]);
    const tuesday = week.technicians[0].visits.find((v) => v.subject === "Movable");
    expect(tuesday).toMatchObject({ startMinute: 1440 + 13 * 60, endMinute: 1440 + 14 * 60 + 30 });
  });
});
