// Technicians hear about their day: a visit given to them, moved to another time, or taken off
// them. Written in the transaction that changes the visit, like every notification.

import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { appointments, serviceLocations, workOrders } from "../../../db/schema";
import type { Ctx } from "../context";
import type { DbOrTx } from "../events/log";
import { notifyUsers } from "../notifications/notify";
import { organizationTimeZone } from "../orgs/resolve";
import { dateTimeFormat } from "../time/formats";
import { formatWorkOrderNumber } from "./rules";

export const VISIT_NOTICE_KIND = "visit.assigned";

export interface VisitChange {
  /** Technicians the visit is now given to. */
  assigned?: string[];
  /** Technicians who keep it at another time. */
  moved?: string[];
  /** Technicians it was taken from. */
  removed?: string[];
  /** Technicians whose visit is off because its work order was cancelled. */
  cancelled?: string[];
}

export async function notifyVisitChange(tx: DbOrTx, ctx: Ctx, appointmentId: string, change: VisitChange) {
  // Nobody is told about what they did themselves.
  const others = (ids: string[] = []) => ids.filter((id) => id !== ctx.actor.userId);
  const assigned = others(change.assigned);
  const moved = others(change.moved);
  const removed = others(change.removed);
  const cancelled = others(change.cancelled);
  if (assigned.length + moved.length + removed.length + cancelled.length === 0) return;
  const orgId = ctx.actor.orgId;
  const [visit] = await tx
    .select({
      startsAt: appointments.startsAt,
      endsAt: appointments.endsAt,
      number: workOrders.number,
      subject: workOrders.subject,
      place: serviceLocations.name,
    })
    .from(appointments)
    .innerJoin(
      workOrders,
      and(eq(workOrders.orgId, appointments.orgId), eq(workOrders.id, appointments.workOrderId)),
    )
    .leftJoin(
      serviceLocations,
      and(eq(serviceLocations.orgId, workOrders.orgId), eq(serviceLocations.id, workOrders.locationId)),
    )
    .where(and(eq(appointments.orgId, orgId), eq(appointments.id, appointmentId)));
  if (!visit) return;
  const timeZone = await organizationTimeZone(tx as Db, orgId);
  const day = dateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
  });
  const clock = dateTimeFormat("en-GB", { timeZone, timeStyle: "short" });
  const when = `${day.format(visit.startsAt)} ${clock.format(visit.startsAt)}–${clock.format(visit.endsAt)}`;
  const job = `${formatWorkOrderNumber(visit.number)} ${visit.subject}`;
  const where = visit.place ? ` at ${visit.place}` : "";
  const url = `/tech/appointments/${appointmentId}`;
  const send = (userIds: string[], title: string, body: string, link = url) =>
    notifyUsers(tx, { orgId, userIds, kind: VISIT_NOTICE_KIND, title, body, url: link }, ctx.now);
  if (assigned.length) await send(assigned, `New visit: ${job}`, `${when}${where}`);
  if (moved.length) await send(moved, `Visit moved: ${job}`, `Now ${when}${where}`);
  if (removed.length)
    await send(removed, `Visit taken off your day: ${job}`, `${when}, given to another technician`, "/tech");
  if (cancelled.length)
    await send(cancelled, `Visit cancelled: ${job}`, `${when}: the work order was cancelled`, "/tech");
}
