// Scheduling a visit from the work order page or the API makes the dispatch board's checks:
// shift and working day, overlaps, skills; it refuses with the fields marked unless told to
// schedule anyway, and then records what was overridden.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { events, skills, technicianSkills, technicians, workOrderSkills } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { createWorkOrder, scheduleAppointment } from "./workOrders";

// Monday 7 December 2026 in Kuala Lumpur; the shift is 08:00-17:00, Monday to Friday.
const at = (hhmm: string, day = "2026-12-07") => new Date(`${day}T${hhmm}:00+08:00`);

let org: Fixture;

beforeAll(async () => {
  org = await createOrg("Scheduling");
  const { db } = await testDatabase();
  await db.insert(technicians).values({ orgId: org.orgId, userId: org.users.technician.id });
});

const visit = async (subject: string, from: string, to: string, override?: boolean, day?: string) => {
  const wo = await createWorkOrder(org.ctx("dispatcher"), { subject });
  return scheduleAppointment(org.ctx("dispatcher"), wo.id, {
    startsAt: at(from, day),
    endsAt: at(to, day),
    technicianIds: [org.users.technician.id],
    override,
  });
};

async function refusal(promise: Promise<unknown>) {
  return (await promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e) => e,
  )) as { status: number; fields?: Record<string, string> };
}

describe("scheduling a visit", () => {
  test("an overlap, a time outside the shift or a day off is refused on startsAt", async () => {
    await visit("Aircon service", "10:00", "12:00");
    const overlap = await refusal(visit("Filter change", "11:00", "13:00"));
    expect(overlap.status).toBe(422);
    expect(overlap.fields?.startsAt).toMatch(/^Overlaps WO-\d{6}\.$/);
    const evening = await refusal(visit("Evening call", "19:00", "20:00"));
    expect(evening.fields?.startsAt).toContain("Outside");
    const saturday = await refusal(visit("Weekend call", "10:00", "11:00", false, "2026-12-12"));
    expect(saturday.fields?.startsAt).toContain("does not work on this weekday");
  });

  test("a missing skill is refused on technicianIds; scheduling anyway records the conflicts", async () => {
    const { db } = await testDatabase();
    const wo = await createWorkOrder(org.ctx("dispatcher"), { subject: "Chiller overhaul" });
    const [chiller] = await db.insert(skills).values({ orgId: org.orgId, name: "Chillers" }).returning();
    await db
      .insert(workOrderSkills)
      .values({ orgId: org.orgId, workOrderId: wo.id, skillId: chiller.id, minLevel: 3 });
    const slot = { startsAt: at("14:00"), endsAt: at("16:00"), technicianIds: [org.users.technician.id] };
    const refused = await refusal(scheduleAppointment(org.ctx("dispatcher"), wo.id, slot));
    expect(refused.fields).toEqual({ technicianIds: "Missing skill Chillers (level 3 needed)." });
    const made = await scheduleAppointment(org.ctx("dispatcher"), wo.id, { ...slot, override: true });
    const [logged] = await db
      .select({ data: events.data })
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.type, "work_order.scheduled")))
      .then((rows) => rows.filter((r) => (r.data as { appointmentId: string }).appointmentId === made.id));
    expect((logged.data as { overriddenConflicts: unknown[] }).overriddenConflicts).toEqual([
      { kind: "skill", message: "Missing skill Chillers (level 3 needed)." },
    ]);
    const [profile] = await db
      .select()
      .from(technicians)
      .where(eq(technicians.userId, org.users.technician.id));
    await db
      .insert(technicianSkills)
      .values({ orgId: org.orgId, technicianId: profile.id, skillId: chiller.id, level: 4 });
    const next = await scheduleAppointment(org.ctx("dispatcher"), wo.id, {
      ...slot,
      startsAt: at("08:00", "2026-12-08"),
      endsAt: at("09:00", "2026-12-08"),
    });
    expect(next.workOrderId).toBe(wo.id);
  });

  test("a technician without a profile is checked against the default shift", async () => {
    const fresh = await createOrg("SchedulingFresh");
    const wo = await createWorkOrder(fresh.ctx("dispatcher"), { subject: "Night job" });
    const night = { startsAt: at("22:00"), endsAt: at("23:00"), technicianIds: [fresh.users.technician.id] };
    const refused = await refusal(scheduleAppointment(fresh.ctx("dispatcher"), wo.id, night));
    expect(refused.fields?.startsAt).toContain("Outside");
  });
});
