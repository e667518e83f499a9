// Work order pages and the technician's phone through HTTP, as a browser without JavaScript would.
import { beforeAll, describe, expect, test } from "bun:test";
import { parts } from "../../db/schema";
import { type Client, createOrg, type Fixture, parse, signedIn } from "../../test/helpers";
import { createLocation, receiveStock } from "../domain/fsm/inventory";
import { formatWorkOrderNumber } from "../domain/fsm/rules";
import { createWorkOrder, scheduleAppointment } from "../domain/fsm/workOrders";
import { formatTicketNumber } from "../domain/orgs/counters";
import { createTicket } from "../domain/tickets/commands";

let org: Fixture;
let dispatcher: Client;
let agent: Client;
let tech: Client;
let partId: string;

const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

beforeAll(async () => {
  org = await createOrg("FsmRoutes");
  dispatcher = await signedIn(org, "dispatcher");
  agent = await signedIn(org, "agent");
  tech = await signedIn(org, "technician");
  const [part] = await org
    .ctx("admin")
    .db.insert(parts)
    .values({
      orgId: org.orgId,
      sku: "FLT-20",
      name: "Filter 20 cm",
      costMinor: 1000,
      priceMinor: 3000,
      currency: "USD",
      taxBasisPoints: 600,
    })
    .returning();
  partId = part.id;
  // The technician's van holds the filters they use on their visits.
  const van = await createLocation(org.ctx("dispatcher"), {
    kind: "van",
    name: "Van FsmRoutes",
    technicianUserId: org.users.technician.id,
  });
  await receiveStock(org.ctx("dispatcher"), { locationId: van.id, partId, quantity: "10" });
});

describe("work order pages", () => {
  test("the create form comes back with the field marked on bad input", async () => {
    const response = await dispatcher.post("/fsm/work-orders", {
      subject: "",
      description: "kept",
      contactEmail: "nobody@nowhere.test",
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    const { document } = await import("linkedom").then((m) => m.parseHTML(html));
    expect(document.querySelector(".field.invalid #subject")).toBeTruthy();
    expect(document.querySelector("#contactEmail-error")?.textContent).toContain("No customer");
    expect(document.querySelector("#description")?.textContent).toBe("kept");
  });

  test("create, schedule, add lines; the list filters", async () => {
    const created = await dispatcher.post("/fsm/work-orders", {
      subject: "Boiler service",
      priority: "high",
    });
    expect(created.status).toBe(303);
    const url = created.headers.get("location")!;
    expect(url).toMatch(/^\/fsm\/work-orders\/WO-\d{6}\?notice=created$/);
    const base = url.split("?")[0];
    const bad = await dispatcher.post(`${base}/appointments`, { startsAt: "soon", technicianIds: "" });
    expect(bad.status).toBe(422);
    const badPage = await import("linkedom").then(async (m) => m.parseHTML(await bad.text()).document);
    expect(badPage.querySelector("#startsAt-error")).toBeTruthy();
    expect(badPage.querySelector("#technicianIds-error")).toBeTruthy();
    // After the technician's shift: refused on the time, with "schedule anyway" offered.
    const evening = { startsAt: "2026-12-01T19:00", minutes: "60", technicianIds: org.users.technician.id };
    const late = await dispatcher.post(`${base}/appointments`, evening);
    expect(late.status).toBe(422);
    const latePage = parse(await late.text());
    expect(latePage.querySelector("#startsAt-error")?.textContent).toContain("Outside");
    expect(latePage.querySelector('input[name="override"]')).not.toBeNull();
    expect((await dispatcher.post(`${base}/appointments`, { ...evening, override: "1" })).status).toBe(303);
    const scheduled = await dispatcher.post(`${base}/appointments`, {
      startsAt: "2026-12-01T09:00",
      minutes: "90",
      technicianIds: org.users.technician.id,
    });
    expect(scheduled.status).toBe(303);
    const labour = await dispatcher.post(`${base}/lines`, {
      kind: "labour",
      quantity: "2",
      unitPrice: "abc",
    });
    expect(labour.status).toBe(422);
    await dispatcher.post(`${base}/lines`, {
      kind: "labour",
      quantity: "2",
      unitPrice: "50.00",
      taxPercent: "8",
    });
    await dispatcher.post(`${base}/lines`, { kind: "part", partId, quantity: "1" });
    const page = await dispatcher.page(base);
    expect(page.status).toBe(200);
    expect(page.document.querySelector(".badge")?.textContent).toBe("Scheduled");
    expect(page.document.querySelector(".appointments tbody td")?.textContent).toContain("1 Dec 2026, 09:00");
    expect(page.document.querySelector("#subtotal")?.textContent).toBe("USD 130.00");
    expect(page.document.querySelector("#total")?.textContent).toBe("USD 139.80");
    const list = await dispatcher.page("/fsm/work-orders?status=scheduled&q=Boiler");
    expect(list.document.querySelectorAll("table.work-orders tbody tr").length).toBe(1);
    const none = await dispatcher.page("/fsm/work-orders?status=cancelled&q=Boiler");
    expect(none.document.querySelector("table.work-orders")).toBeNull();
    const illegal = await dispatcher.post(`${base}/status`, { status: "completed" });
    expect(illegal.status).toBe(409);
  });

  test("one click on the ticket page makes a linked work order", async () => {
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Water heater broken",
      body: "No hot water.",
      requesterEmail: "wong@client.test",
      priority: "high",
    });
    const number = formatTicketNumber(ticket.number);
    const before = await agent.page(`/desk/tickets/${number}`);
    const form = before.document.querySelector('form[action="/fsm/work-orders/from-ticket"]');
    expect(form?.querySelector("button")?.textContent).toBe("Create work order");
    const response = await agent.post("/fsm/work-orders/from-ticket", { ticket: number });
    expect(response.status).toBe(303);
    const woUrl = response.headers.get("location")!.split("?")[0];
    const wo = await agent.page(woUrl);
    expect(wo.document.querySelector("h1")?.textContent).toContain("Water heater broken");
    expect(wo.document.querySelector(`a[href="/desk/tickets/${number}"]`)).toBeTruthy();
    const after = await agent.page(`/desk/tickets/${number}`);
    expect(after.document.querySelector(`.ticket-work-orders a[href="${woUrl}"]`)).toBeTruthy();
    expect(after.document.querySelector(".history")?.textContent).toContain("created work order WO-");
    // Agents make work orders from tickets but do not schedule them.
    expect(wo.document.querySelector(`form[action="${woUrl}/appointments"]`)).toBeNull();
  });
});

describe("the technician's phone", () => {
  test("is where technicians land, as dispatchers land on the work orders", async () => {
    expect((await tech.get("/")).headers.get("location")).toBe("/tech");
    expect((await dispatcher.get("/")).headers.get("location")).toBe("/fsm/work-orders");
  });

  test("today's visits in order, and a visit done start to finish without JavaScript", async () => {
    const now = new Date();
    const later = await createWorkOrder(org.ctx("dispatcher"), { subject: "Second job" });
    const first = await createWorkOrder(org.ctx("dispatcher"), { subject: "First job" });
    // Both within today in Kuala Lumpur whatever the hour: anchored on the zone's midnight.
    const { startOfDay } = await import("../domain/fsm/field");
    const midnight = startOfDay(now, "Asia/Kuala_Lumpur").getTime();
    const at = (h: number) => new Date(midnight + h * 3600_000);
    await scheduleAppointment(org.ctx("dispatcher"), later.id, {
      override: true,
      startsAt: at(14),
      endsAt: at(15),
      technicianIds: [org.users.technician.id],
    });
    const visit = await scheduleAppointment(org.ctx("dispatcher"), first.id, {
      override: true,
      startsAt: at(9),
      endsAt: at(10),
      technicianIds: [org.users.technician.id],
    });
    const today = await tech.page("/tech");
    expect(today.status).toBe(200);
    const subjects = [...today.document.querySelectorAll(".jobs .job a")].map((a) => a.textContent);
    expect(subjects.indexOf("09:00–10:00 First job")).toBeGreaterThanOrEqual(0);
    expect(subjects.indexOf("09:00–10:00 First job")).toBeLessThan(
      subjects.indexOf("14:00–15:00 Second job"),
    );

    const base = `/tech/appointments/${visit.id}`;
    const page = await tech.page(base);
    expect(page.document.querySelector("h1")?.textContent).toBe("First job");
    for (const status of ["travelling", "on_site"]) {
      expect((await tech.post(`${base}/status`, { status })).status).toBe(303);
    }
    expect((await tech.post(`${base}/time`, { action: "start" })).status).toBe(303);
    const noPart = await tech.post(`${base}/parts`, { partId: "", quantity: "1" });
    expect(noPart.status).toBe(422);
    expect((await tech.post(`${base}/parts`, { partId, quantity: "2" })).status).toBe(303);
    expect((await tech.post(`${base}/notes`, { body: "Cleaned the coil." })).status).toBe(303);
    const notPng = await tech.post(`${base}/signature`, {
      signedName: "Wong",
      signature: "data:image/png;base64,R0lGODlhAQABAAAAACw=",
    });
    expect(notPng.status).toBe(422);
    const notPngPage = await import("linkedom").then(async (m) => m.parseHTML(await notPng.text()).document);
    expect(notPngPage.querySelector("#signature-error")?.textContent).toContain("not a PNG");
    expect((await tech.post(`${base}/signature`, { signedName: "Wong Ah Lek", signature: PNG })).status).toBe(
      303,
    );
    const noReason = await tech.post(`${base}/status`, { status: "cannot_complete", reason: "" });
    expect(noReason.status).toBe(422);
    expect((await tech.post(`${base}/status`, { status: "completed" })).status).toBe(303);
    const done = await tech.page(base);
    expect(done.document.querySelector("#visit-status")?.textContent).toBe("Completed");
    expect(done.document.querySelector("#signed")?.textContent).toContain("Wong Ah Lek");
    expect(done.document.body.textContent).toContain("2 × FLT-20 Filter 20 cm");
    expect(done.document.body.textContent).toContain("Cleaned the coil.");
    const png = await tech.get(`${base}/signature.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await png.arrayBuffer()).slice(1, 4)).toEqual(new Uint8Array([0x50, 0x4e, 0x47]));
    const wo = await dispatcher.page(`/fsm/work-orders/${formatWorkOrderNumber(first.number)}`);
    expect(wo.document.querySelector(".badge")?.textContent).toBe("Completed");
  });

  test("another technician's visit is not found", async () => {
    const wo = await createWorkOrder(org.ctx("dispatcher"), { subject: "Someone else's" });
    const other = await createOrg("FsmOther");
    const visit = await scheduleAppointment(org.ctx("dispatcher"), wo.id, {
      override: true,
      startsAt: new Date(Date.now() + 3600_000),
      endsAt: new Date(Date.now() + 7200_000),
      technicianIds: [org.users.technician.id],
    });
    const stranger = await signedIn(other, "technician");
    expect((await stranger.get(`/tech/appointments/${visit.id}`)).status).toBe(404);
    expect(
      (await stranger.post(`/tech/appointments/${visit.id}/status`, { status: "travelling" })).status,
    ).toBe(404);
  });
});
