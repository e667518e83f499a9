// Field-service fixtures for the dispatch journey: a dispatcher, a technician with a shift and a
// home in Kuala Lumpur, and work orders waiting for a visit at a nearby customer site.
import type { Database } from "../db/client";
import { serviceLocations, technicians, users, zones } from "../db/schema";
import type { Actor } from "../src/domain/context";
import { formatWorkOrderNumber } from "../src/domain/fsm/rules";
import { changeAppointmentStatus, createWorkOrder, scheduleAppointment } from "../src/domain/fsm/workOrders";

export interface FieldWorld {
  dispatcher: { id: string; email: string; name: string };
  technician: { id: string; email: string; name: string };
  /** Work order numbers ("WO-000001") waiting for a visit, in order. */
  workOrders: string[];
  /** With `visitNow`: the first work order's visit, dispatched to the technician, starting now. */
  visit?: { appointmentId: string; workOrder: string };
}

export async function createFieldWorld(
  db: Database["db"],
  orgId: string,
  tag: string,
  passwordHash: string,
  subjects: string[],
  options: { visitNow?: boolean } = {},
): Promise<FieldWorld> {
  const [dispatcher, technician] = await db
    .insert(users)
    .values([
      { orgId, email: `dan@${tag}.test`, name: "Dan Dispatcher", role: "dispatcher" as const, passwordHash },
      { orgId, email: `tia@${tag}.test`, name: "Tia Technician", role: "technician" as const, passwordHash },
    ])
    .returning();
  const [zone] = await db
    .insert(zones)
    .values({ orgId, code: "KUL", name: "Kuala Lumpur", lat: 3.14, lng: 101.69 })
    .returning();
  await db
    .insert(technicians)
    .values({ orgId, userId: technician.id, zoneId: zone.id, homeLat: 3.14, homeLng: 101.69 });
  const [site] = await db
    .insert(serviceLocations)
    .values({
      orgId,
      name: "Bangsar office",
      address: "Bangsar, Kuala Lumpur",
      lat: 3.13,
      lng: 101.67,
      zoneId: zone.id,
    })
    .returning();
  const actor: Actor = {
    kind: "user",
    orgId,
    role: "dispatcher",
    userId: dispatcher.id,
    name: dispatcher.name,
  };
  const workOrders: string[] = [];
  const ids: string[] = [];
  for (const subject of subjects) {
    const wo = await createWorkOrder(
      { db, actor, now: new Date() },
      { subject, locationId: site.id, priority: "high" },
    );
    workOrders.push(formatWorkOrderNumber(wo.number));
    ids.push(wo.id);
  }
  let visit: FieldWorld["visit"];
  if (options.visitNow && ids[0]) {
    // Starting now keeps it on today's list whatever the hour in Kuala Lumpur.
    const now = new Date();
    const ctx = { db, actor, now };
    const appointment = await scheduleAppointment(ctx, ids[0], {
      override: true,
      startsAt: now,
      endsAt: new Date(now.getTime() + 2 * 3600_000),
      technicianIds: [technician.id],
    });
    await changeAppointmentStatus(ctx, appointment.id, { status: "dispatched" });
    visit = { appointmentId: appointment.id, workOrder: workOrders[0] };
  }
  const person = (u: typeof dispatcher) => ({ id: u.id, email: u.email, name: u.name });
  return { dispatcher: person(dispatcher), technician: person(technician), workOrders, visit };
}
