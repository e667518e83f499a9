// Field-service fixtures for the dispatch journey: a dispatcher, a technician with a shift and a
// home in Kuala Lumpur, and work orders waiting for a visit at a nearby customer site.
import type { Database } from "../db/client";
import { serviceLocations, technicians, users, zones } from "../db/schema";
import type { Actor } from "../src/domain/context";
import { formatWorkOrderNumber } from "../src/domain/fsm/rules";
import { createWorkOrder } from "../src/domain/fsm/workOrders";

export interface FieldWorld {
  dispatcher: { id: string; email: string; name: string };
  technician: { id: string; email: string; name: string };
  /** Work order numbers ("WO-000001") waiting for a visit, in order. */
  workOrders: string[];
}

export async function createFieldWorld(
  db: Database["db"],
  orgId: string,
  tag: string,
  passwordHash: string,
  subjects: string[],
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
  for (const subject of subjects) {
    const wo = await createWorkOrder(
      { db, actor, now: new Date() },
      { subject, locationId: site.id, priority: "high" },
    );
    workOrders.push(formatWorkOrderNumber(wo.number));
  }
  const person = (u: typeof dispatcher) => ({ id: u.id, email: u.email, name: u.name });
  return { dispatcher: person(dispatcher), technician: person(technician), workOrders };
}
