// Visit photos and the service report through the technician's pages: the phone uploads a photo
// as a plain multipart form, sees its thumbnail, and staff open the PDF report; nobody else does.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { contacts } from "../../db/schema";
import { createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { createWorkOrder, scheduleAppointment } from "../domain/fsm/workOrders";

let home: Fixture;
let away: Fixture;
let appointmentId: string;

const jpeg = async () =>
  new File(
    [
      new Uint8Array(
        await sharp({ create: { width: 640, height: 480, channels: 3, background: "#48c" } })
          .jpeg()
          .toBuffer(),
      ),
    ],
    "IMG_2001.jpg",
    { type: "image/jpeg" },
  );

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("FieldHome"), createOrg("FieldAway")]);
  const { db } = await testDatabase();
  const [contact] = await db.select().from(contacts).where(eq(contacts.orgId, home.orgId));
  const now = new Date();
  const wo = await createWorkOrder(home.ctx("dispatcher", now), {
    subject: "Leaking unit",
    contactId: contact.id,
  });
  const appointment = await scheduleAppointment(home.ctx("dispatcher", now), wo.id, {
    override: true,
    startsAt: new Date(now.getTime() + 3600_000),
    endsAt: new Date(now.getTime() + 3 * 3600_000),
    technicianIds: [home.users.technician.id],
  });
  appointmentId = appointment.id;
});

describe("visit photos", () => {
  test("the technician uploads a photo from the phone and sees it on the visit page", async () => {
    const tech = await signedIn(home, "technician");
    const posted = await tech.post(`/tech/appointments/${appointmentId}/photos`, {
      photo: await jpeg(),
      caption: "Water under the unit",
    });
    expect(posted.status).toBe(303);
    const page = await tech.page(`/tech/appointments/${appointmentId}`);
    const img = page.document.querySelector("#photos img");
    expect(img?.getAttribute("alt")).toBe("Water under the unit");
    const thumb = await tech.get(String(img?.getAttribute("src")));
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/jpeg");
    const meta = await sharp(new Uint8Array(await thumb.arrayBuffer())).metadata();
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(320);
    const input = page.document.querySelector("#photo");
    expect(input?.getAttribute("capture")).toBe("environment");
    expect(input?.getAttribute("accept")).toBe("image/*");
  });

  test("a file that is not a photo comes back marked on the form, the caption kept", async () => {
    const tech = await signedIn(home, "technician");
    const response = await tech.post(`/tech/appointments/${appointmentId}/photos`, {
      photo: new File(["hello"], "note.jpg", { type: "image/jpeg" }),
      caption: "Meter reading",
    });
    expect(response.status).toBe(422);
    const document = parse(await response.text());
    expect(document.querySelector("#photo-error")?.textContent).toContain("not a photo");
    expect(document.querySelector("#caption")?.getAttribute("value")).toBe("Meter reading");
  });

  test("staff open photos and the report; other organizations and customers do not", async () => {
    const tech = await signedIn(home, "technician");
    const page = await tech.page(`/tech/appointments/${appointmentId}`);
    const photoUrl = String(page.document.querySelector("#photos a")?.getAttribute("href"));
    const dispatcher = await signedIn(home, "dispatcher");
    expect((await dispatcher.get(photoUrl)).status).toBe(200);
    const report = await dispatcher.get(`/tech/appointments/${appointmentId}/report.pdf`);
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await report.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    for (const client of [await signedIn(away, "dispatcher"), await signedIn(away, "technician")]) {
      expect((await client.get(photoUrl)).status).toBe(404);
      expect((await client.get(`/tech/appointments/${appointmentId}/report.pdf`)).status).toBe(404);
      const upload = await client.post(`/tech/appointments/${appointmentId}/photos`, { photo: await jpeg() });
      expect([403, 404]).toContain(upload.status);
    }
    const customer = await signedIn(home, "customer");
    expect([403, 404]).toContain((await customer.get(photoUrl)).status);
    expect([403, 404]).toContain(
      (await customer.get(`/tech/appointments/${appointmentId}/report.pdf`)).status,
    );
    expect(
      (await customer.post(`/tech/appointments/${appointmentId}/photos`, { photo: await jpeg() })).status,
    ).toBe(403);
  });
});
