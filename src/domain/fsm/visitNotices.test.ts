// Technicians are told when a visit is given to them, moved, or taken off their day — by the
// work order's schedule form and by the dispatch board alike — and nobody about their own doing.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { notifications, technicians, users } from "../../../db/schema";
import { createOrg, type Fixture } from "../../../test/helpers";
import { assignVisit } from "../dispatch/assign";
import { changeWorkOrderStatus, createWorkOrder, scheduleAppointment } from "./workOrders";

// Monday 23 November 2026, 07:00 in Kuala Lumpur.
const NOW = new Date("2026-11-22T23:00:00Z");
const at = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00+08:00`);

let f: Fixture;
let tia: string;
let tom: string;

async function inbox(userId: string) {
  return f
    .ctx("admin")
    .db.select({ title: notifications.title, body: notifications.body, url: notifications.url })
    .from(notifications)
    .where(
      and(
        eq(notifications.orgId, f.orgId),
        eq(notifications.userId, userId),
        eq(notifications.kind, "visit.assigned"),
      ),
    )
    .orderBy(notifications.createdAt, notifications.title);
}

beforeAll(async () => {
  f = await createOrg("VisitNotices");
  const db = f.ctx("admin").db;
  tia = f.users.technician.id;
  const [second] = await db
    .insert(users)
    .values({ orgId: f.orgId, email: `tom-${f.orgId}@x.test`, name: "Tom Tech", role: "technician" })
    .returning();
  tom = second.id;
  await db.insert(technicians).values([
    { orgId: f.orgId, userId: tia, homeLat: 3.14, homeLng: 101.69 },
    { orgId: f.orgId, userId: tom, homeLat: 3.14, homeLng: 101.69 },
  ]);
});

describe("visit notifications", () => {
  test("scheduling tells each technician of the visit, with its time, linking to it", async () => {
    const ctx = f.ctx("dispatcher", NOW);
    const wo = await createWorkOrder(ctx, { subject: "Chiller check" });
    const visit = await scheduleAppointment(ctx, wo.id, {
      override: true,
      startsAt: at("10:00"),
      endsAt: at("12:00"),
      technicianIds: [tia, tom],
    });
    for (const id of [tia, tom]) {
      const [notice] = await inbox(id);
      expect(notice.title).toBe(`New visit: WO-${String(wo.number).padStart(6, "0")} Chiller check`);
      expect(notice.body).toBe("Mon 23 Nov 10:00–12:00");
      expect(notice.url).toBe(`/tech/appointments/${visit.id}`);
    }
  });

  test("the board: moving a visit to another technician tells both; a new time tells the holder", async () => {
    const ctx = f.ctx("dispatcher", NOW);
    const wo = await createWorkOrder(ctx, { subject: "Pump noise" });
    const before = { tia: (await inbox(tia)).length, tom: (await inbox(tom)).length };
    const first = await assignVisit(ctx, {
      workOrderNumber: wo.number,
      technicianUserId: tia,
      startsAt: at("14:00"),
      minutes: 60,
      override: true,
    });
    expect(first.ok).toBe(true);
    const appointmentId = (first as { appointmentId: string }).appointmentId;
    expect((await inbox(tia)).at(-1)?.title).toContain("New visit");
    await assignVisit(ctx, {
      workOrderNumber: wo.number,
      technicianUserId: tom,
      startsAt: at("14:00"),
      minutes: 60,
      appointmentId,
      override: true,
    });
    expect((await inbox(tia)).at(-1)?.title).toContain("Visit taken off your day");
    expect((await inbox(tia)).at(-1)?.url).toBe("/tech");
    expect((await inbox(tom)).at(-1)?.title).toContain("New visit: ");
    await assignVisit(ctx, {
      workOrderNumber: wo.number,
      technicianUserId: tom,
      startsAt: at("16:00"),
      minutes: 60,
      appointmentId,
      override: true,
    });
    expect((await inbox(tom)).at(-1)?.title).toContain("Visit moved");
    expect((await inbox(tom)).at(-1)?.body).toBe("Now Mon 23 Nov 16:00–17:00");
    // The same place and time again changes nothing and tells nobody.
    await assignVisit(ctx, {
      workOrderNumber: wo.number,
      technicianUserId: tom,
      startsAt: at("16:00"),
      minutes: 60,
      appointmentId,
      override: true,
    });
    expect((await inbox(tia)).length).toBe(before.tia + 2);
    expect((await inbox(tom)).length).toBe(before.tom + 2);
  });

  test("cancelling a work order tells the technicians of its visits still to come", async () => {
    const ctx = f.ctx("dispatcher", NOW);
    const wo = await createWorkOrder(ctx, { subject: "Roof fan" });
    await scheduleAppointment(ctx, wo.id, {
      override: true,
      startsAt: at("09:00"),
      endsAt: at("10:00"),
      technicianIds: [tia],
    });
    await changeWorkOrderStatus(ctx, wo.id, "cancelled");
    // Every notice here is stamped with the same clock: find this one by its title.
    const last = (await inbox(tia)).find((n) => n.title.startsWith("Visit cancelled"));
    expect(last?.title).toBe(`Visit cancelled: WO-${String(wo.number).padStart(6, "0")} Roof fan`);
    expect(last?.body).toBe("Mon 23 Nov 09:00–10:00: the work order was cancelled");
    expect(last?.url).toBe("/tech");
  });
});
