// Maintenance plans against a real database: the form's checks, and the daily job making each
// occurrence's work order exactly once, even run twice or twice at the same time.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq, like } from "drizzle-orm";
import {
  assets,
  events,
  lineItems,
  maintenanceOccurrences,
  serviceLocations,
  services,
  skills,
  workOrderSkills,
  workOrders,
} from "../../../db/schema";
import { createOrg, type Fixture } from "../../../test/helpers";
import {
  addPlanLine,
  createPlan,
  getPlan,
  listPlans,
  makeDueMaintenanceWorkOrders,
  type PlanInput,
  setPlanActive,
  updatePlan,
} from "./maintenance";

let org: Fixture;
let other: Fixture;
let assetId: string;
let locationId: string;
let skillId: string;
let serviceId: string;
// 10:00 on 23 Nov 2026 in Kuala Lumpur.
const NOW = new Date("2026-11-23T02:00:00Z");
const at = (day: string, hour = 10) => new Date(Date.parse(`${day}T00:00:00Z`) + (hour - 8) * 3_600_000);

beforeAll(async () => {
  org = await createOrg("Maintenance");
  other = await createOrg("MaintenanceAway");
  const db = org.ctx("admin").db;
  const [location] = await db
    .insert(serviceLocations)
    .values({
      orgId: org.orgId,
      name: "Menara HQ",
      address: "Jalan Ampang 1",
      contactId: org.users.customer.contactId,
    })
    .returning();
  locationId = location.id;
  const [asset] = await db
    .insert(assets)
    .values({ orgId: org.orgId, locationId, type: "Chiller", make: "Carrier", serial: "CH-1" })
    .returning();
  assetId = asset.id;
  const [skill] = await db.insert(skills).values({ orgId: org.orgId, name: "Refrigeration" }).returning();
  skillId = skill.id;
  const [service] = await db
    .insert(services)
    .values({
      orgId: org.orgId,
      name: "Chiller service",
      durationMinutes: 120,
      priceMinor: 40000,
      currency: "USD",
      taxBasisPoints: 600,
    })
    .returning();
  serviceId = service.id;
});

const base = (overrides: Partial<PlanInput> = {}): PlanInput => ({
  title: "Quarterly chiller service",
  assetId,
  recurrenceKind: "interval",
  intervalCount: "3",
  intervalUnit: "month",
  startsOn: "2026-12-01",
  leadDays: "14",
  durationMinutes: "120",
  skillIds: [skillId],
  ...overrides,
});

const ctx = (now = NOW) => org.ctx("dispatcher", now);

async function fieldsOf(promise: Promise<unknown>): Promise<Record<string, string>> {
  const error = (await promise.catch((e) => e)) as { status: number; fields: Record<string, string> };
  expect(error.status).toBe(422);
  return error.fields;
}

const planWorkOrders = (planId: string) =>
  org
    .ctx("admin")
    .db.select({ occursOn: maintenanceOccurrences.occursOn, workOrderId: maintenanceOccurrences.workOrderId })
    .from(maintenanceOccurrences)
    .where(eq(maintenanceOccurrences.planId, planId))
    .orderBy(maintenanceOccurrences.occursOn);

describe("the plan form", () => {
  test("a bad RRULE is marked on its field with what is wrong", async () => {
    const fields = await fieldsOf(
      createPlan(ctx(), base({ recurrenceKind: "rrule", rrule: "FREQ=MONTHLY;BYHOUR=9" })),
    );
    expect(fields).toEqual({ rrule: expect.stringContaining("BYHOUR is not supported") });
  });

  test("every problem at once: no target, bad numbers, bad dates", async () => {
    const fields = await fieldsOf(
      createPlan(
        ctx(),
        base({
          title: "",
          assetId: "",
          intervalCount: "0",
          startsOn: "2026-13-01",
          leadDays: "400",
          durationMinutes: "abc",
        }),
      ),
    );
    expect(Object.keys(fields).sort()).toEqual([
      "assetId",
      "durationMinutes",
      "intervalCount",
      "leadDays",
      "startsOn",
      "title",
    ]);
    const dates = await fieldsOf(
      createPlan(ctx(), base({ recurrenceKind: "dates", dates: "2026-12-01\nsoon" })),
    );
    expect(dates.dates).toContain("soon");
    const ends = await fieldsOf(createPlan(ctx(), base({ endsOn: "2026-11-01" })));
    expect(ends.endsOn).toBe("The plan cannot end before it starts.");
    // Another organization's asset is not on the list.
    const foreign = await fieldsOf(createPlan(other.ctx("dispatcher", NOW), base()));
    expect(foreign.assetId).toBe("Choose an asset from the list.");
  });

  test("an asset's plan takes the asset's location and customer", async () => {
    const plan = await createPlan(ctx(), base({ title: "Location follows" }));
    expect(plan.locationId).toBe(locationId);
    expect(plan.contactId).toBe(org.users.customer.contactId);
    expect(plan.leadDays).toBe(14);
  });

  test("only dispatchers, supervisors and admins manage plans", async () => {
    for (const role of ["agent", "technician", "customer"] as const) {
      const error = await createPlan(org.ctx(role, NOW), base()).catch((e) => e);
      expect(error.status).toBe(403);
    }
  });
});

describe("the daily job", () => {
  test("makes the occurrences within the lead days, once, with lines and skills", async () => {
    const plan = await createPlan(ctx(), base({ title: "Once only" }));
    await addPlanLine(ctx(), plan.id, { kind: "service", serviceId, quantity: "1" });
    await addPlanLine(ctx(), plan.id, {
      kind: "labour",
      description: "Coil cleaning",
      quantity: "1",
      unitPrice: "80",
    });
    // 23 Nov + 14 days reaches 7 Dec: the 1 Dec occurrence is due, 1 Mar is not.
    await makeDueMaintenanceWorkOrders(ctx().db, NOW);
    await makeDueMaintenanceWorkOrders(ctx().db, NOW);
    const made = await planWorkOrders(plan.id);
    expect(made.map((m) => m.occursOn)).toEqual(["2026-12-01"]);
    const [wo] = await ctx().db.select().from(workOrders).where(eq(workOrders.id, made[0].workOrderId!));
    expect(wo.subject).toBe("Once only (due 2026-12-01)");
    expect(wo.assetId).toBe(assetId);
    expect(wo.locationId).toBe(locationId);
    expect(wo.contactId).toBe(org.users.customer.contactId);
    const lines = await ctx()
      .db.select()
      .from(lineItems)
      .where(eq(lineItems.workOrderId, wo.id))
      .orderBy(lineItems.createdAt);
    expect(lines.map((l) => [l.description, l.unitPriceMinor])).toEqual([
      ["Chiller service", 40000],
      ["Coil cleaning", 8000],
    ]);
    const required = await ctx()
      .db.select()
      .from(workOrderSkills)
      .where(eq(workOrderSkills.workOrderId, wo.id));
    expect(required.map((r) => r.skillId)).toEqual([skillId]);
    // Three months later the next one comes due, and only it.
    await makeDueMaintenanceWorkOrders(ctx().db, at("2027-02-20"));
    expect((await planWorkOrders(plan.id)).map((m) => m.occursOn)).toEqual(["2026-12-01", "2027-03-01"]);
    const detail = await getPlan(ctx(at("2027-02-20")), plan.id);
    expect(detail.workOrders.map((w) => w.occursOn)).toEqual(["2027-03-01", "2026-12-01"]);
    expect(detail.next.slice(0, 2)).toEqual(["2027-03-01", "2027-06-01"]);
  });

  test("two runs at the same time make each work order once", async () => {
    const fresh = await createOrg("MaintenanceRace");
    const db = fresh.ctx("admin").db;
    const [location] = await db
      .insert(serviceLocations)
      .values({ orgId: fresh.orgId, name: "Site", address: "Jalan 2" })
      .returning();
    const plan = await createPlan(fresh.ctx("dispatcher", NOW), {
      title: "Weekly check",
      locationId: location.id,
      recurrenceKind: "rrule",
      rrule: "FREQ=WEEKLY;BYDAY=MO,TH",
      startsOn: "2026-11-23",
      leadDays: "14",
    });
    await Promise.all([
      makeDueMaintenanceWorkOrders(db, NOW),
      makeDueMaintenanceWorkOrders(db, NOW),
      makeDueMaintenanceWorkOrders(db, NOW),
    ]);
    const made = await planWorkOrders(plan.id);
    // Mon 23, Thu 26, Mon 30 Nov, Thu 3, Mon 7 Dec (23 Nov + 14 days).
    expect(made.map((m) => m.occursOn)).toEqual([
      "2026-11-23",
      "2026-11-26",
      "2026-11-30",
      "2026-12-03",
      "2026-12-07",
    ]);
    expect(made.every((m) => m.workOrderId)).toBe(true);
    const orders = await db.select().from(workOrders).where(eq(workOrders.orgId, fresh.orgId));
    expect(orders.length).toBe(5);
    expect(orders.map((o) => o.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    const logged = await db
      .select()
      .from(events)
      .where(and(eq(events.orgId, fresh.orgId), like(events.type, "maintenance.work_order_created")));
    expect(logged.length).toBe(5);
  });

  test("a paused plan makes nothing until resumed; the end date stops it", async () => {
    const plan = await createPlan(
      ctx(),
      base({
        title: "Pause me",
        recurrenceKind: "dates",
        dates: "2026-11-25\n2026-11-28\n2026-12-30",
        startsOn: "2026-11-01",
        endsOn: "2026-11-27",
      }),
    );
    await setPlanActive(ctx(), plan.id, false);
    await makeDueMaintenanceWorkOrders(ctx().db, NOW);
    expect(await planWorkOrders(plan.id)).toEqual([]);
    await setPlanActive(ctx(), plan.id, true);
    await makeDueMaintenanceWorkOrders(ctx().db, NOW);
    expect((await planWorkOrders(plan.id)).map((m) => m.occursOn)).toEqual(["2026-11-25"]);
  });

  test("editing a plan keeps the work orders already made and does not repeat them", async () => {
    const plan = await createPlan(ctx(), base({ title: "Edited", leadDays: "0", startsOn: "2026-11-23" }));
    await makeDueMaintenanceWorkOrders(ctx().db, NOW);
    expect((await planWorkOrders(plan.id)).length).toBe(1);
    await updatePlan(ctx(), plan.id, base({ title: "Edited again", leadDays: "30", startsOn: "2026-11-23" }));
    await makeDueMaintenanceWorkOrders(ctx().db, NOW);
    expect((await planWorkOrders(plan.id)).map((m) => m.occursOn)).toEqual(["2026-11-23"]);
  });

  test("plans and their pages stay within the organization", async () => {
    const plan = await createPlan(ctx(), base({ title: "Ours" }));
    expect((await getPlan(other.ctx("admin", NOW), plan.id).catch((e) => e)).status).toBe(404);
    expect((await listPlans(other.ctx("admin", NOW))).map((p) => p.plan.id)).not.toContain(plan.id);
    const list = await listPlans(ctx());
    expect(list.find((p) => p.plan.id === plan.id)?.next).toBe("2026-12-01");
  });
});
