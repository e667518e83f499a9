// Meter readings through the pages: a dispatcher records one on the asset page (a refused one comes
// back marked with what was typed), the technician records one on the visit, nobody else does.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { assets, contacts } from "../../db/schema";
import { createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { pdfText } from "../../test/pdf";
import { changeAppointmentStatus, createWorkOrder, scheduleAppointment } from "../domain/fsm/workOrders";

let home: Fixture;
let away: Fixture;
let assetId: string;
let appointmentId: string;

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("MeterPages"), createOrg("MeterPagesAway")]);
  const { db } = await testDatabase();
  [{ id: assetId }] = await db
    .insert(assets)
    .values({ orgId: home.orgId, type: "Chiller", serial: "CH-9" })
    .returning({ id: assets.id });
  const [contact] = await db.select().from(contacts).where(eq(contacts.orgId, home.orgId));
  const now = new Date();
  const wo = await createWorkOrder(home.ctx("dispatcher", now), {
    subject: "Chiller service",
    contactId: contact.id,
    assetId,
  });
  const appointment = await scheduleAppointment(home.ctx("dispatcher", now), wo.id, {
    override: true,
    startsAt: new Date(now.getTime() + 3600_000),
    endsAt: new Date(now.getTime() + 3 * 3600_000),
    technicianIds: [home.users.technician.id],
  });
  appointmentId = appointment.id;
});

describe("meter readings on the pages", () => {
  test("a dispatcher records readings on the asset page; a lower one comes back marked", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    expect(
      (await dispatcher.post(`/fsm/assets/${assetId}/readings`, { meter: "Compressor hours", value: "5000" }))
        .status,
    ).toBe(303);
    const lower = await dispatcher.post(`/fsm/assets/${assetId}/readings`, {
      meter: "Compressor hours",
      value: "4000",
      note: "typo?",
    });
    expect(lower.status).toBe(422);
    const page = parse(await lower.text());
    expect(page.querySelector("#reading-form .field.invalid #value")?.getAttribute("value")).toBe("4000");
    expect(page.querySelector("#reading-form #note")?.getAttribute("value")).toBe("typo?");
    const badTime = await dispatcher.post(`/fsm/assets/${assetId}/readings`, {
      meter: "Compressor hours",
      value: "5001",
      readAt: "yesterday",
    });
    expect(badTime.status).toBe(422);
    expect(parse(await badTime.text()).querySelector("#reading-form .field.invalid #readAt")).not.toBeNull();
    const shown = await dispatcher.page(`/fsm/assets/${assetId}`);
    expect(shown.document.querySelector('tr[data-meter="Compressor hours"]')?.textContent).toContain("5,000");
  });

  test("the technician records a reading on the visit; the office sees it came from a visit", async () => {
    const tech = await signedIn(home, "technician");
    const visit = await tech.page(`/tech/appointments/${appointmentId}`);
    expect(visit.document.querySelector("#reading-meter")?.getAttribute("value")).toBe("Compressor hours");
    const refused = await tech.post(`/tech/appointments/${appointmentId}/readings`, {
      meter: "Compressor hours",
      value: "10",
    });
    expect(refused.status).toBe(422);
    expect(
      parse(await refused.text())
        .querySelector(".field.invalid #reading-value")
        ?.getAttribute("value"),
    ).toBe("10");
    const saved = await tech.post(`/tech/appointments/${appointmentId}/readings`, {
      meter: "Compressor hours",
      value: "5012.5",
    });
    expect(saved.status).toBe(303);
    const office = await (await signedIn(home, "agent")).page(`/fsm/assets/${assetId}`);
    expect(office.document.querySelector('tr[data-meter="Compressor hours"]')?.textContent).toContain(
      "5,012.5",
    );
    expect(office.document.querySelector(".meter-readings li")?.textContent).toContain("on a visit");
    expect(office.document.querySelector("#reading-form")).toBeNull();
    const report = await (await signedIn(home, "dispatcher")).get(
      `/tech/appointments/${appointmentId}/report.pdf`,
    );
    if (report.status !== 200) throw new Error(`report.pdf ${report.status}: ${await report.clone().text()}`);
    expect(report.headers.get("content-type")).toBe("application/pdf");
    expect(pdfText(Buffer.from(await report.arrayBuffer()))).toContain("Meter Compressor hours: 5,012.5");
  });

  test("others cannot record: agents, other technicians' and organizations' people, finished visits", async () => {
    const agent = await signedIn(home, "agent");
    expect((await agent.post(`/fsm/assets/${assetId}/readings`, { meter: "X", value: "1" })).status).toBe(
      403,
    );
    const stranger = await signedIn(away, "dispatcher");
    expect((await stranger.post(`/fsm/assets/${assetId}/readings`, { meter: "X", value: "1" })).status).toBe(
      404,
    );
    const otherTech = await signedIn(away, "technician");
    expect(
      (await otherTech.post(`/tech/appointments/${appointmentId}/readings`, { meter: "X", value: "9999" }))
        .status,
    ).toBe(404);
    await changeAppointmentStatus(home.ctx("dispatcher"), appointmentId, { status: "dispatched" });
    await changeAppointmentStatus(home.ctx("technician"), appointmentId, { status: "travelling" });
    await changeAppointmentStatus(home.ctx("technician"), appointmentId, {
      status: "cannot_complete",
      reason: "No access to the roof",
    });
    const tech = await signedIn(home, "technician");
    expect(
      (
        await tech.post(`/tech/appointments/${appointmentId}/readings`, {
          meter: "Compressor hours",
          value: "6000",
        })
      ).status,
    ).toBe(409);
  });
});
