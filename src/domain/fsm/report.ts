// The service report of a visit: what was done, the parts and time booked, the photos and the
// customer's signature, as a PDF made on the server with PDFKit (no browser). When a visit is
// completed a job makes it once, keeps it in the file store and mails it to the customer.

import { and, asc, eq } from "drizzle-orm";
import PDFDocument from "pdfkit";
import type { Db } from "../../../db/client";
import {
  appointmentNotes,
  appointmentTechnicians,
  assetMeterReadings,
  assets,
  contacts,
  JOB_SHEET_SECTIONS,
  lineItems,
  organizations,
  serviceLocations,
  serviceReports,
  timeEntries,
  users,
  workOrders,
} from "../../../db/schema";
import { type Ctx, systemActor } from "../context";
import { queueMail } from "../email/outbox";
import { appendEvent, type DbOrTx } from "../events/log";
import type { FileStore } from "../files/store";
import { enqueue } from "../jobs/queue";
import { dateTimeFormat } from "../time/formats";
import { SECTION_LABELS } from "./jobSheetRules";
import { jobSheetsOf, readableAnswer } from "./jobSheets";
import { formatMeterValue } from "./meters";
import { formatMoney } from "./money";
import { photosByIds, photosOf } from "./photos";
import { formatWorkOrderNumber } from "./rules";
import { findAppointment } from "./workOrders";

export const REPORT_QUEUE = "fsm.service_report";

/** Asks for the report of a visit that has just been completed, in the same transaction. */
export async function queueServiceReport(tx: DbOrTx, orgId: string, appointmentId: string, now: Date) {
  await enqueue(tx, now, {
    queue: REPORT_QUEUE,
    orgId,
    payload: { appointmentId },
    idempotencyKey: `report:${appointmentId}`,
  });
}

/** Everything a report shows, read in one go. */
export async function reportData(db: DbOrTx, orgId: string, appointmentId: string) {
  const { appointment, workOrder } = await visitOf(db, orgId, appointmentId);
  const byOrg = <T extends { orgId: unknown }>(table: T) => eq(table.orgId as never, orgId);
  const [org, contact, location, asset, technicians, notes, time, lines, photos, readings] =
    await Promise.all([
      db
        .select({ name: organizations.name, timeZone: organizations.timeZone })
        .from(organizations)
        .where(eq(organizations.id, orgId))
        .then((rows) => rows[0]),
      workOrder.contactId
        ? db
            .select({ name: contacts.name, email: contacts.email, phone: contacts.phone })
            .from(contacts)
            .where(and(byOrg(contacts), eq(contacts.id, workOrder.contactId)))
            .then((rows) => rows[0] ?? null)
        : null,
      workOrder.locationId
        ? db
            .select({ name: serviceLocations.name, address: serviceLocations.address })
            .from(serviceLocations)
            .where(and(byOrg(serviceLocations), eq(serviceLocations.id, workOrder.locationId)))
            .then((rows) => rows[0] ?? null)
        : null,
      workOrder.assetId
        ? db
            .select({ type: assets.type, make: assets.make, model: assets.model, serial: assets.serial })
            .from(assets)
            .where(and(byOrg(assets), eq(assets.id, workOrder.assetId)))
            .then((rows) => rows[0] ?? null)
        : null,
      db
        .select({ name: users.name })
        .from(appointmentTechnicians)
        .innerJoin(
          users,
          and(eq(users.orgId, appointmentTechnicians.orgId), eq(users.id, appointmentTechnicians.userId)),
        )
        .where(and(byOrg(appointmentTechnicians), eq(appointmentTechnicians.appointmentId, appointment.id))),
      db
        .select({ body: appointmentNotes.body, createdAt: appointmentNotes.createdAt })
        .from(appointmentNotes)
        .where(and(byOrg(appointmentNotes), eq(appointmentNotes.appointmentId, appointment.id)))
        .orderBy(asc(appointmentNotes.createdAt)),
      db
        .select({ startedAt: timeEntries.startedAt, endedAt: timeEntries.endedAt })
        .from(timeEntries)
        .where(and(byOrg(timeEntries), eq(timeEntries.appointmentId, appointment.id)))
        .orderBy(asc(timeEntries.startedAt)),
      db
        .select()
        .from(lineItems)
        .where(and(byOrg(lineItems), eq(lineItems.appointmentId, appointment.id)))
        .orderBy(asc(lineItems.createdAt)),
      photosOf(db, orgId, appointment.id),
      db
        .select({
          meter: assetMeterReadings.meter,
          value: assetMeterReadings.value,
          reset: assetMeterReadings.reset,
        })
        .from(assetMeterReadings)
        .where(and(byOrg(assetMeterReadings), eq(assetMeterReadings.appointmentId, appointment.id)))
        .orderBy(asc(assetMeterReadings.readAt)),
    ]);
  const jobSheets = await jobSheetsOf(db, orgId, workOrder.id);
  // A photo item's photo may have been taken on an earlier visit of the work order.
  const itemPhotos = await photosByIds(
    db,
    orgId,
    jobSheets.flatMap((s) => s.items.map((i) => i.answer?.photoId ?? "")).filter(Boolean),
  );
  const minutes = time.reduce(
    (sum, t) => sum + Math.max(0, ((t.endedAt ?? t.startedAt).getTime() - t.startedAt.getTime()) / 60_000),
    0,
  );
  return {
    org,
    appointment,
    workOrder,
    contact,
    location,
    asset,
    technicians: technicians.map((t) => t.name),
    notes,
    minutes: Math.round(minutes),
    lines,
    photos,
    jobSheets,
    itemPhotos,
    readings,
  };
}

export type ReportData = Awaited<ReturnType<typeof reportData>>;

async function visitOf(db: DbOrTx, orgId: string, appointmentId: string) {
  const ctx = { db: db as Db, actor: systemActor(orgId), now: new Date() };
  const appointment = await findAppointment(db, ctx, appointmentId);
  const [workOrder] = await db
    .select()
    .from(workOrders)
    .where(and(eq(workOrders.orgId, orgId), eq(workOrders.id, appointment.workOrderId)));
  return { appointment, workOrder };
}

const when = (at: Date, timeZone: string) =>
  dateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" }).format(at);

/** An image in a box at the left margin below the text so far; the text goes on below the box. */
function placeImage(doc: PDFKit.PDFDocument, bytes: Buffer, box: [number, number]) {
  if (doc.y + box[1] > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const top = doc.y;
  doc.image(bytes, doc.page.margins.left, top, { fit: box });
  doc.x = doc.page.margins.left;
  doc.y = top + box[1] + 4;
}

/** Each job sheet by section: every item with its answer; photo items with the photo's thumbnail. */
async function jobSheetsSection(
  doc: PDFKit.PDFDocument,
  data: ReportData,
  files: FileStore,
  heading: (text: string) => unknown,
) {
  const photos = new Map(data.itemPhotos.map((p) => [p.id, p]));
  for (const { sheet, items } of data.jobSheets) {
    heading(`Job sheet: ${sheet.name}`);
    for (const section of JOB_SHEET_SECTIONS) {
      const inSection = items.filter((i) => i.section === section);
      if (inSection.length === 0) continue;
      doc.moveDown(0.3).font("Helvetica-Bold").text(SECTION_LABELS[section]).font("Helvetica");
      for (const item of inSection) {
        doc.text(`${item.label}: ${readableAnswer(item)}`);
        const photo = item.answer?.photoId ? photos.get(item.answer.photoId) : undefined;
        if (photo)
          placeImage(doc, Buffer.from(await files.file(photo.thumbSha256).arrayBuffer()), [160, 120]);
      }
    }
  }
}

/** The report as PDF bytes: text in PDFKit's built-in Helvetica, photos and the signature embedded. */
export async function renderReportPdf(data: ReportData, files: FileStore): Promise<Buffer> {
  const zone = data.org?.timeZone ?? "UTC";
  const doc = new PDFDocument({ size: "A4", margin: 48, info: { Title: "Service report" } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  const heading = (text: string) =>
    doc.moveDown(0.8).font("Helvetica-Bold").fontSize(12).text(text).font("Helvetica").fontSize(10);

  doc
    .font("Helvetica-Bold")
    .fontSize(18)
    .text(`Service report ${formatWorkOrderNumber(data.workOrder.number)}`);
  doc
    .font("Helvetica")
    .fontSize(10)
    .fillColor("#444")
    .text(data.org?.name ?? "")
    .fillColor("black");
  doc.moveDown(0.5).fontSize(12).text(data.workOrder.subject);
  doc.fontSize(10);
  heading("Visit");
  doc.text(`${when(data.appointment.startsAt, zone)} – ${when(data.appointment.endsAt, zone)}`);
  doc.text(`Technicians: ${data.technicians.join(", ") || "—"}`);
  doc.text(`Status: ${data.appointment.status.replace("_", " ")}`);
  if (data.appointment.cannotCompleteReason)
    doc.text(`Not completed because: ${data.appointment.cannotCompleteReason}`);
  if (data.contact)
    doc.text(`Customer: ${data.contact.name}${data.contact.phone ? `, ${data.contact.phone}` : ""}`);
  if (data.location)
    doc.text(`Location: ${data.location.name}${data.location.address ? `, ${data.location.address}` : ""}`);
  if (data.asset) {
    const name = [data.asset.type, data.asset.make, data.asset.model].filter(Boolean).join(" ");
    doc.text(`Asset: ${name}${data.asset.serial ? ` (serial ${data.asset.serial})` : ""}`);
  }
  for (const r of data.readings)
    doc.text(`Meter ${r.meter}: ${formatMeterValue(r.value)}${r.reset ? " (meter replaced or reset)" : ""}`);

  heading("Work done");
  if (data.notes.length === 0) doc.text("No notes.");
  for (const note of data.notes) doc.text(`${when(note.createdAt, zone)}  ${note.body}`);

  await jobSheetsSection(doc, data, files, heading);

  heading("Parts, services and labour");
  if (data.lines.length === 0) doc.text("None booked.");
  for (const line of data.lines) {
    const total = formatMoney(line.unitPriceMinor * line.quantity, data.workOrder.currency);
    doc.text(`${line.quantity} × ${line.description}  ${total}`);
  }
  doc.text(`Time on site: ${Math.floor(data.minutes / 60)} h ${data.minutes % 60} min`);

  if (data.photos.length) {
    heading("Photos");
    for (const photo of data.photos) {
      placeImage(doc, Buffer.from(await files.file(photo.thumbSha256).arrayBuffer()), [240, 180]);
      if (photo.caption) doc.text(photo.caption);
      doc.moveDown(0.3);
    }
  }

  heading("Customer signature");
  if (data.appointment.signedAt) {
    if (data.appointment.signatureSha256) {
      placeImage(
        doc,
        Buffer.from(await files.file(data.appointment.signatureSha256).arrayBuffer()),
        [240, 90],
      );
    }
    doc.text(`Signed by ${data.appointment.signedName ?? ""} on ${when(data.appointment.signedAt, zone)}`);
  } else {
    doc.text("Not signed.");
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** The report of a visit the actor may see: the stored one, or made now for a visit still open. */
export async function serviceReportPdf(ctx: Ctx, appointmentId: string): Promise<Buffer> {
  if (!ctx.files) throw new Error("file store missing from context");
  const appointment = await findAppointment(ctx.db, ctx, appointmentId);
  const [stored] = await ctx.db
    .select({ sha256: serviceReports.sha256 })
    .from(serviceReports)
    .where(and(eq(serviceReports.orgId, ctx.actor.orgId), eq(serviceReports.appointmentId, appointment.id)));
  if (stored) return Buffer.from(await ctx.files.file(stored.sha256).arrayBuffer());
  return renderReportPdf(await reportData(ctx.db, ctx.actor.orgId, appointment.id), ctx.files);
}

/**
 * The "fsm.service_report" job: makes the PDF of a completed visit once, keeps it, and mails it to
 * the customer when they have an address. Running twice changes nothing the second time.
 */
export async function makeServiceReport(
  db: Db,
  files: FileStore,
  orgId: string,
  appointmentId: string,
  now: Date,
): Promise<"made" | "already"> {
  const data = await reportData(db, orgId, appointmentId);
  const pdf = await renderReportPdf(data, files);
  const number = formatWorkOrderNumber(data.workOrder.number);
  const stored = await files.save(
    new File([new Uint8Array(pdf)], `${number}-report.pdf`, { type: "application/pdf" }),
  );
  return db.transaction(async (tx) => {
    const email = data.contact?.email ?? null;
    const inserted = await tx
      .insert(serviceReports)
      .values({
        orgId,
        appointmentId,
        sha256: stored.sha256,
        sizeBytes: stored.sizeBytes,
        emailedTo: email,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: serviceReports.id });
    if (inserted.length === 0) return "already";
    if (email) {
      await queueMail(
        tx,
        {
          orgId,
          to: email,
          kind: "service_report",
          automatic: true,
          values: {
            "contact.name": data.contact?.name ?? "",
            "work_order.number": number,
            "work_order.subject": data.workOrder.subject,
            "visit.date": when(data.appointment.startsAt, data.org?.timeZone ?? "UTC"),
            "technician.names": data.technicians.join(", ") || "Our technician",
            "org.name": data.org?.name ?? "",
          },
          attachments: [
            {
              filename: `${number}-service-report.pdf`,
              contentType: "application/pdf",
              sha256: stored.sha256,
            },
          ],
        },
        now,
      );
    }
    await appendEvent(
      tx,
      { db, actor: systemActor(orgId), now },
      {
        type: "appointment.report_made",
        ticketId: data.workOrder.ticketId,
        data: { appointmentId, workOrderId: data.workOrder.id, emailedTo: email },
      },
    );
    return "made";
  });
}
