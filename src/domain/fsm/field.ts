// The technician's side: their own visits for a day, and what they record on one — status, time,
// parts, notes and the customer's signature. A technician reaches only visits they are assigned to.

import { and, asc, eq, gte, inArray, isNull, lt } from "drizzle-orm";
import {
  appointmentNotes,
  appointments,
  appointmentTechnicians,
  assets,
  contacts,
  lineItems,
  parts,
  serviceLocations,
  timeEntries,
  users,
  workOrders,
} from "../../../db/schema";
import { type Ctx, can } from "../context";
import { conflict, type FieldErrors, forbidden, invalid, tooLarge } from "../errors";
import { appendEvent } from "../events/log";
import { organizationTimeZone } from "../orgs/resolve";
import { dateTimeFormat } from "../time/formats";
import { NOTE_MAX } from "./rules";
import { findAppointment, findWorkOrder } from "./workOrders";

function requireField(ctx: Ctx) {
  if (!can(ctx.actor, "fsm.field") || !ctx.actor.userId) throw forbidden();
}

/** Midnight of `at`'s calendar day in the time zone, as an instant. */
export function startOfDay(at: Date, timeZone: string): Date {
  const parts = Object.fromEntries(
    dateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const localAsUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offset = localAsUtc - Math.floor(at.getTime() / 1000) * 1000;
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) - offset);
}

/** The technician's visits of the day (the organization's calendar day), in time order. */
export async function myAppointments(ctx: Ctx, day: Date = ctx.now) {
  requireField(ctx);
  const orgId = ctx.actor.orgId;
  const timeZone = await organizationTimeZone(ctx.db, orgId);
  const from = startOfDay(day, timeZone);
  const to = new Date(from.getTime() + 36 * 3600_000);
  const until = startOfDay(to, timeZone);
  return ctx.db
    .select({
      id: appointments.id,
      startsAt: appointments.startsAt,
      endsAt: appointments.endsAt,
      status: appointments.status,
      number: workOrders.number,
      subject: workOrders.subject,
      priority: workOrders.priority,
      customer: contacts.name,
      locationName: serviceLocations.name,
      address: serviceLocations.address,
      lat: serviceLocations.lat,
      lng: serviceLocations.lng,
    })
    .from(appointmentTechnicians)
    .innerJoin(
      appointments,
      and(
        eq(appointments.orgId, appointmentTechnicians.orgId),
        eq(appointments.id, appointmentTechnicians.appointmentId),
      ),
    )
    .innerJoin(
      workOrders,
      and(eq(workOrders.orgId, appointments.orgId), eq(workOrders.id, appointments.workOrderId)),
    )
    .leftJoin(contacts, and(eq(contacts.orgId, workOrders.orgId), eq(contacts.id, workOrders.contactId)))
    .leftJoin(
      serviceLocations,
      and(eq(serviceLocations.orgId, workOrders.orgId), eq(serviceLocations.id, workOrders.locationId)),
    )
    .where(
      and(
        eq(appointmentTechnicians.orgId, orgId),
        eq(appointmentTechnicians.userId, ctx.actor.userId!),
        gte(appointments.startsAt, from),
        lt(appointments.startsAt, until),
        inArray(workOrders.status, [
          "scheduled",
          "dispatched",
          "in_progress",
          "completed",
          "cannot_complete",
        ]),
      ),
    )
    .orderBy(asc(appointments.startsAt), asc(appointments.id));
}

export type MyAppointment = Awaited<ReturnType<typeof myAppointments>>[number];

/** One of the technician's visits with everything the job page shows. */
export async function myAppointment(ctx: Ctx, appointmentId: string) {
  requireField(ctx);
  const appointment = await findAppointment(ctx.db, ctx, appointmentId);
  const orgId = ctx.actor.orgId;
  const wo = await findWorkOrder(ctx.db, ctx, appointment.workOrderId);
  const [contactRows, locationRows, assetRows, noteRows, timeRows, partLines, partList, crew] =
    await Promise.all([
      wo.contactId
        ? ctx.db
            .select({ name: contacts.name, phone: contacts.phone, email: contacts.email })
            .from(contacts)
            .where(and(eq(contacts.orgId, orgId), eq(contacts.id, wo.contactId)))
        : [],
      wo.locationId
        ? ctx.db
            .select()
            .from(serviceLocations)
            .where(and(eq(serviceLocations.orgId, orgId), eq(serviceLocations.id, wo.locationId)))
        : [],
      wo.assetId
        ? ctx.db
            .select()
            .from(assets)
            .where(and(eq(assets.orgId, orgId), eq(assets.id, wo.assetId)))
        : [],
      ctx.db
        .select({
          id: appointmentNotes.id,
          body: appointmentNotes.body,
          createdAt: appointmentNotes.createdAt,
          author: users.name,
        })
        .from(appointmentNotes)
        .leftJoin(users, and(eq(users.orgId, appointmentNotes.orgId), eq(users.id, appointmentNotes.userId)))
        .where(and(eq(appointmentNotes.orgId, orgId), eq(appointmentNotes.appointmentId, appointment.id)))
        .orderBy(asc(appointmentNotes.createdAt)),
      ctx.db
        .select()
        .from(timeEntries)
        .where(and(eq(timeEntries.orgId, orgId), eq(timeEntries.appointmentId, appointment.id)))
        .orderBy(asc(timeEntries.startedAt)),
      ctx.db
        .select()
        .from(lineItems)
        .where(
          and(
            eq(lineItems.orgId, orgId),
            eq(lineItems.appointmentId, appointment.id),
            eq(lineItems.kind, "part"),
          ),
        )
        .orderBy(asc(lineItems.createdAt)),
      ctx.db
        .select({ id: parts.id, sku: parts.sku, name: parts.name })
        .from(parts)
        .where(eq(parts.orgId, orgId))
        .orderBy(asc(parts.sku))
        .limit(300),
      ctx.db
        .select({ name: users.name })
        .from(appointmentTechnicians)
        .innerJoin(
          users,
          and(eq(users.orgId, appointmentTechnicians.orgId), eq(users.id, appointmentTechnicians.userId)),
        )
        .where(
          and(
            eq(appointmentTechnicians.orgId, orgId),
            eq(appointmentTechnicians.appointmentId, appointment.id),
          ),
        ),
    ]);
  const running = timeRows.find((t) => t.endedAt === null && t.userId === ctx.actor.userId);
  const minutes = timeRows.reduce(
    (sum, t) => sum + Math.max(0, ((t.endedAt ?? ctx.now).getTime() - t.startedAt.getTime()) / 60_000),
    0,
  );
  return {
    appointment,
    workOrder: wo,
    contact: contactRows[0] ?? null,
    location: locationRows[0] ?? null,
    asset: assetRows[0] ?? null,
    notes: noteRows,
    time: timeRows,
    timerRunning: Boolean(running),
    minutesBooked: Math.round(minutes),
    partsUsed: partLines,
    partList,
    crew: crew.map((c) => c.name),
  };
}

export type MyAppointmentDetail = Awaited<ReturnType<typeof myAppointment>>;

export function requireOpenVisit(appointment: { status: string }) {
  if (appointment.status === "completed" || appointment.status === "cannot_complete")
    throw conflict("This visit is finished; it can no longer change.");
}

/** Starts or stops the technician's clock on a visit. */
export async function toggleTimer(ctx: Ctx, appointmentId: string, action: "start" | "stop") {
  requireField(ctx);
  return ctx.db.transaction(async (tx) => {
    const appointment = await findAppointment(tx, ctx, appointmentId, { forUpdate: true });
    const orgId = ctx.actor.orgId;
    const [running] = await tx
      .select()
      .from(timeEntries)
      .where(
        and(
          eq(timeEntries.orgId, orgId),
          eq(timeEntries.appointmentId, appointment.id),
          eq(timeEntries.userId, ctx.actor.userId!),
          isNull(timeEntries.endedAt),
        ),
      );
    if (action === "start") {
      requireOpenVisit(appointment);
      if (running) return running;
      const [row] = await tx
        .insert(timeEntries)
        .values({ orgId, appointmentId: appointment.id, userId: ctx.actor.userId!, startedAt: ctx.now })
        .returning();
      await appendEvent(tx, ctx, {
        type: "appointment.time_started",
        data: { appointmentId: appointment.id, workOrderId: appointment.workOrderId, timeEntryId: row.id },
      });
      return row;
    }
    if (!running) throw conflict("The clock is not running.");
    const [row] = await tx
      .update(timeEntries)
      .set({ endedAt: ctx.now })
      .where(and(eq(timeEntries.orgId, orgId), eq(timeEntries.id, running.id)))
      .returning();
    await appendEvent(tx, ctx, {
      type: "appointment.time_stopped",
      data: {
        appointmentId: appointment.id,
        workOrderId: appointment.workOrderId,
        timeEntryId: row.id,
        minutes: Math.round((ctx.now.getTime() - running.startedAt.getTime()) / 60_000),
      },
    });
    return row;
  });
}

export async function addAppointmentNote(ctx: Ctx, appointmentId: string, body: string) {
  requireField(ctx);
  const text = (body ?? "").trim();
  if (!text) throw invalid({ body: "Write a note." });
  if (text.length > NOTE_MAX)
    throw invalid({ body: `Keep the note under ${NOTE_MAX.toLocaleString("en")} characters.` });
  return ctx.db.transaction(async (tx) => {
    const appointment = await findAppointment(tx, ctx, appointmentId);
    const [row] = await tx
      .insert(appointmentNotes)
      .values({
        orgId: ctx.actor.orgId,
        appointmentId: appointment.id,
        userId: ctx.actor.userId!,
        body: text,
        createdAt: ctx.now,
      })
      .returning();
    await appendEvent(tx, ctx, {
      type: "appointment.note_added",
      data: { appointmentId: appointment.id, workOrderId: appointment.workOrderId, noteId: row.id },
    });
    return row;
  });
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
export const SIGNATURE_MAX_BYTES = 200 * 1024;
const DATA_URL = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/;

/** Decodes a canvas's PNG data URL; anything that is not a PNG, or too large, is refused. */
export function decodeSignaturePng(dataUrl: string): Uint8Array<ArrayBuffer> {
  if (dataUrl.length > Math.ceil((SIGNATURE_MAX_BYTES * 4) / 3) + 64)
    throw tooLarge("The signature drawing is too large.", {
      signature: "The drawing is too large; clear it and sign again.",
    });
  const match = DATA_URL.exec(dataUrl.trim());
  if (!match) throw invalid({ signature: "The drawing could not be read; clear it and sign again." });
  const bytes = Uint8Array.from(Buffer.from(match[1], "base64"));
  if (bytes.length > SIGNATURE_MAX_BYTES)
    throw tooLarge("The signature drawing is too large.", {
      signature: "The drawing is too large; clear it and sign again.",
    });
  // The 8-byte PNG signature, then an IHDR chunk.
  const header = bytes.length >= 24 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
  const ihdr = header && String.fromCharCode(...bytes.slice(12, 16)) === "IHDR";
  if (!ihdr) throw invalid({ signature: "The drawing is not a PNG image; clear it and sign again." });
  return bytes;
}

/**
 * The customer signs for the visit: a typed name, and (with JavaScript) a drawing posted as a PNG
 * data URL, kept in the file store. The typed name alone is enough without JavaScript.
 */
export async function signAppointment(
  ctx: Ctx,
  appointmentId: string,
  input: { name: string; drawing?: string },
) {
  requireField(ctx);
  const fields: FieldErrors = {};
  const name = (input.name ?? "").trim();
  if (!name) fields.signedName = "Type the customer's name.";
  else if (name.length > 200) fields.signedName = "Keep the name under 200 characters.";
  let png: Uint8Array<ArrayBuffer> | undefined;
  if (input.drawing?.trim()) {
    try {
      png = decodeSignaturePng(input.drawing);
    } catch (error) {
      if (error && typeof error === "object" && "fields" in error)
        Object.assign(fields, (error as { fields: FieldErrors }).fields);
      else throw error;
    }
  }
  if (Object.keys(fields).length) throw invalid(fields);
  const current = await findAppointment(ctx.db, ctx, appointmentId);
  if (current.signedAt) throw conflict("The customer has already signed for this visit.");
  let sha256: string | null = null;
  if (png) {
    if (!ctx.files) throw new Error("file store missing from context");
    const stored = await ctx.files.save(new File([png], "signature.png", { type: "image/png" }));
    sha256 = stored.sha256;
  }
  return ctx.db.transaction(async (tx) => {
    const appointment = await findAppointment(tx, ctx, appointmentId, { forUpdate: true });
    if (appointment.signedAt) throw conflict("The customer has already signed for this visit.");
    const [row] = await tx
      .update(appointments)
      .set({ signedName: name, signatureSha256: sha256, signedAt: ctx.now, updatedAt: ctx.now })
      .where(and(eq(appointments.orgId, ctx.actor.orgId), eq(appointments.id, appointment.id)))
      .returning();
    await appendEvent(tx, ctx, {
      type: "appointment.signed",
      data: {
        appointmentId: appointment.id,
        workOrderId: appointment.workOrderId,
        name,
        drawing: Boolean(sha256),
      },
    });
    return row;
  });
}

/** The stored signature drawing of a visit the actor may see. */
export async function signatureFile(ctx: Ctx, appointmentId: string) {
  const appointment = await findAppointment(ctx.db, ctx, appointmentId);
  return appointment.signatureSha256 ?? null;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function zoneOffset(at: Date, timeZone: string): number {
  const midnight = startOfDay(at, timeZone).getTime();
  const utcMidnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  // The local date may differ from the UTC date by one day either way.
  const candidates = [-1, 0, 1].map((d) => utcMidnight + d * 86_400_000 - midnight);
  return candidates.reduce((best, c) => (Math.abs(c) < Math.abs(best) ? c : best));
}

/** "2026-11-23T10:00" read on the organization's wall clock → the instant; undefined if malformed. */
export function localToInstant(text: string, timeZone: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi] = match.map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(asUtc)) return undefined;
  return new Date(asUtc - zoneOffset(new Date(asUtc), timeZone));
}

/** The instant as "2026-11-23T10:00" on the organization's wall clock (for datetime-local inputs). */
export function instantToLocal(at: Date, timeZone: string): string {
  return new Date(at.getTime() + zoneOffset(at, timeZone)).toISOString().slice(0, 16);
}
