// Photos and service reports of visits against a real database and file store: uploads are turned
// upright, scaled and stripped of their location; a completed visit's PDF report holds the work,
// the parts, the photos and the signature, is made once and mailed with the PDF attached.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { contacts, jobs, outboxMessages, serviceReports } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase, testFiles } from "../../../test/helpers";
import { pdfText } from "../../../test/pdf";
import { addAppointmentNote, signAppointment } from "./field";
import { addPhoto, PHOTO_MAX_EDGE, processPhoto, THUMB_EDGE } from "./photos";
import { makeServiceReport, serviceReportPdf } from "./report";
import { changeAppointmentStatus, createWorkOrder, scheduleAppointment } from "./workOrders";

const NOW = new Date("2026-11-23T02:00:00Z");
const hours = (h: number) => new Date(NOW.getTime() + h * 3600_000);
const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

let org: Fixture;
let other: Fixture;

beforeAll(async () => {
  [org, other] = await Promise.all([createOrg("Photos"), createOrg("Elsewhere")]);
});

/** A camera-like JPEG: landscape pixels with EXIF orientation 6 (shot in portrait) and GPS data. */
async function cameraJpeg(width = 2400, height = 1800) {
  return sharp({ create: { width, height, channels: 3, background: "#3a7" } })
    .jpeg()
    .withExif({ IFD0: { Make: "PhoneCo" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "3/1 8/1 0/1" } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

async function openVisit(f: Fixture = org) {
  const { db } = await testDatabase();
  const [contact] = await db.select().from(contacts).where(eq(contacts.orgId, f.orgId));
  const wo = await createWorkOrder(f.ctx("dispatcher", NOW), {
    subject: "Aircon not cooling",
    contactId: contact.id,
  });
  const appointment = await scheduleAppointment(f.ctx("dispatcher", NOW), wo.id, {
    override: true,
    startsAt: hours(1),
    endsAt: hours(3),
    technicianIds: [f.users.technician.id],
  });
  return { wo, appointment, contact };
}

describe("photos", () => {
  test("a camera photo is turned upright, scaled, stripped of EXIF and location, and thumbnailed", async () => {
    const original = await cameraJpeg();
    expect((await sharp(original).metadata()).orientation).toBe(6);
    const processed = await processPhoto(original);
    // Orientation 6: the stored pixels are landscape, the photo is portrait.
    expect([processed.width, processed.height]).toEqual([1200, PHOTO_MAX_EDGE]);
    const meta = await sharp(processed.full).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    const thumb = await sharp(processed.thumb).metadata();
    expect(Math.max(thumb.width ?? 0, thumb.height ?? 0)).toBe(THUMB_EDGE);
  });

  test("the assigned technician adds photos; a non-image, a stranger or a finished visit is refused", async () => {
    const { appointment } = await openVisit();
    const tech = org.ctx("technician", NOW);
    const photo = new File([await cameraJpeg(800, 600)], "IMG_0001.jpg", { type: "image/jpeg" });
    const row = await addPhoto(tech, appointment.id, { file: photo, caption: "Frosted coil" });
    expect(row).toMatchObject({ caption: "Frosted coil", width: 600, height: 800 });
    expect(await testFiles().file(row.thumbSha256).exists()).toBe(true);

    const text = new File(["not a picture"], "notes.jpg", { type: "image/jpeg" });
    await expect(addPhoto(tech, appointment.id, { file: text })).rejects.toMatchObject({
      status: 422,
      fields: { photo: expect.stringContaining("not a photo") },
    });
    await expect(addPhoto(tech, appointment.id, {})).rejects.toMatchObject({ status: 422 });
    await expect(addPhoto(org.ctx("agent", NOW), appointment.id, { file: photo })).rejects.toMatchObject({
      status: 403,
    });
    await expect(
      addPhoto(other.ctx("technician", NOW), appointment.id, { file: photo }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await changeAppointmentStatus(tech, appointment.id, { status: "travelling" });
    await changeAppointmentStatus(tech, appointment.id, { status: "on_site" });
    await changeAppointmentStatus(tech, appointment.id, { status: "completed" });
    await expect(addPhoto(tech, appointment.id, { file: photo })).rejects.toMatchObject({ status: 409 });
  });

  test("four 12-megapixel photos processed at once all come back right", async () => {
    const big = await cameraJpeg(4000, 3000);
    const results = await Promise.all([1, 2, 3, 4].map(() => processPhoto(big)));
    expect(results.map((r) => [r.width, r.height])).toEqual(Array(4).fill([1200, PHOTO_MAX_EDGE]));
  });
});

describe("service reports", () => {
  test("completing a visit makes its report once, with work, photos and signature, mailed as a PDF", async () => {
    const { db } = await testDatabase();
    const { wo, appointment, contact } = await openVisit();
    const tech = org.ctx("technician", NOW);
    await changeAppointmentStatus(tech, appointment.id, { status: "travelling" });
    await changeAppointmentStatus(tech, appointment.id, { status: "on_site" });
    await addAppointmentNote(tech, appointment.id, "Cleaned the filter and topped up the gas.");
    await addPhoto(tech, appointment.id, {
      file: new File([await cameraJpeg(800, 600)], "coil.jpg", { type: "image/jpeg" }),
      caption: "Coil after cleaning",
    });
    await signAppointment(tech, appointment.id, { name: "Carol Customer", drawing: PNG });
    await changeAppointmentStatus(tech, appointment.id, { status: "completed" });

    const queued = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.orgId, org.orgId), eq(jobs.queue, "fsm.service_report")));
    expect(queued.map((j) => j.payload)).toContainEqual({ appointmentId: appointment.id });
    expect(await makeServiceReport(db, testFiles(), org.orgId, appointment.id, NOW)).toBe("made");
    expect(await makeServiceReport(db, testFiles(), org.orgId, appointment.id, NOW)).toBe("already");

    const [report] = await db
      .select()
      .from(serviceReports)
      .where(eq(serviceReports.appointmentId, appointment.id));
    expect(report.emailedTo).toBe(contact.email);
    const pdf = Buffer.from(await testFiles().file(report.sha256).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = pdfText(pdf);
    expect(text).toContain("Cleaned the filter and topped up the gas.");
    expect(text).toContain("Coil after cleaning");
    expect(text).toContain("Signed by Carol Customer");
    // The photo and the signature are embedded as images.
    expect(pdf.toString("latin1").match(/\/Subtype \/Image/g)?.length).toBeGreaterThanOrEqual(2);

    const mails = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.orgId, org.orgId), eq(outboxMessages.kind, "service_report")));
    expect(mails).toHaveLength(1);
    expect(mails[0].toAddress).toBe(contact.email as string);
    expect(mails[0].subject).toContain(`WO-${String(wo.number).padStart(6, "0")}`);
    expect(mails[0].attachments).toEqual([
      {
        filename: expect.stringMatching(/service-report\.pdf$/),
        contentType: "application/pdf",
        sha256: report.sha256,
      },
    ]);
    // Staff read the stored report; another organization cannot.
    const served = await serviceReportPdf(org.ctx("dispatcher", NOW), appointment.id);
    expect(served.equals(pdf)).toBe(true);
    await expect(serviceReportPdf(other.ctx("dispatcher", NOW), appointment.id)).rejects.toMatchObject({
      status: 404,
    });
  });
});
