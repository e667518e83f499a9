// Field service rules against a real database: numbering, transitions, money, who sees which visit.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import {
  certifications,
  events,
  parts,
  services,
  skills,
  technicianSkills,
  technicians,
  users,
  workOrders,
} from "../../../db/schema";
import { createOrg, type Fixture } from "../../../test/helpers";
import { createTicket } from "../tickets/commands";
import {
  addAppointmentNote,
  decodeSignaturePng,
  instantToLocal,
  localToInstant,
  myAppointment,
  myAppointments,
  signAppointment,
  startOfDay,
  toggleTimer,
} from "./field";
import { createLocation, receiveStock } from "./inventory";
import { formatMoney, lineAmounts, mulDivRound, parseMoney, parsePercent, totals } from "./money";
import { usePartOnVisit } from "./partsUsed";
import {
  canTransitionAppointment,
  canTransitionWorkOrder,
  formatWorkOrderNumber,
  parseWorkOrderNumber,
} from "./rules";
import {
  addLineItem,
  changeAppointmentStatus,
  changeWorkOrderStatus,
  createWorkOrder,
  createWorkOrderFromTicket,
  getWorkOrder,
  listWorkOrders,
  qualifiedTechnicians,
  scheduleAppointment,
  workOrdersForTicket,
} from "./workOrders";

let org: Fixture;
let other: Fixture;
const NOW = new Date("2026-11-23T02:00:00Z"); // 10:00 in Kuala Lumpur
const hours = (h: number) => new Date(NOW.getTime() + h * 3600_000);

// A 1×1 transparent PNG.
const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

beforeAll(async () => {
  org = await createOrg("Field");
  other = await createOrg("Elsewhere");
});

const newOrder = (f = org, subject = "Aircon not cooling") =>
  createWorkOrder(f.ctx("dispatcher", NOW), { subject, description: "Unit 3 blows warm air." });

const visit = (f: Fixture, ref: string, startH = 1) =>
  scheduleAppointment(f.ctx("dispatcher", NOW), ref, {
    override: true,
    startsAt: hours(startH),
    endsAt: hours(startH + 2),
    technicianIds: [f.users.technician.id],
  });

describe("numbers", () => {
  test("WO-000045 formats and parses", () => {
    expect(formatWorkOrderNumber(45)).toBe("WO-000045");
    expect(parseWorkOrderNumber("WO-000045")).toBe(45);
    expect(parseWorkOrderNumber("wo-45")).toBe(45);
    expect(parseWorkOrderNumber("TKT-000045")).toBeUndefined();
  });

  test("are gapless and unique per organization under concurrency", async () => {
    const fresh = await createOrg("WoNumbers");
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createWorkOrder(fresh.ctx("dispatcher"), { subject: `Concurrent ${i}` }),
      ),
    );
    expect(created.map((w) => w.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    // Another organization counts from 1 on its own.
    const elsewhere = await createOrg("WoNumbers2");
    expect((await createWorkOrder(elsewhere.ctx("admin"), { subject: "First" })).number).toBe(1);
  });
});

describe("money", () => {
  test("rounds tax half away from zero per line, in integers", () => {
    expect(mulDivRound(125, 600, 10_000)).toBe(8); // 7.5 → 8
    expect(mulDivRound(-125, 600, 10_000)).toBe(-8);
    expect(mulDivRound(124, 600, 10_000)).toBe(7); // 7.44 → 7
    expect(lineAmounts({ quantity: 3, unitPriceMinor: 1999, taxBasisPoints: 800 })).toEqual({
      netMinor: 5997,
      taxMinor: 480, // 479.76
      grossMinor: 6477,
    });
  });

  test("totals are the sum of the lines, with tax per rate", () => {
    const t = totals([
      { quantity: 1, unitPriceMinor: 15000, taxBasisPoints: 800 },
      { quantity: 2, unitPriceMinor: 4550, taxBasisPoints: 800 },
      { quantity: 90, unitPriceMinor: 150, taxBasisPoints: 0 },
    ]);
    expect(t).toEqual({
      subtotalMinor: 15000 + 9100 + 13500,
      taxMinor: 1200 + 728,
      totalMinor: 37600 + 1928,
      taxByRate: [
        { taxBasisPoints: 0, taxMinor: 0 },
        { taxBasisPoints: 800, taxMinor: 1928 },
      ],
    });
  });

  test("parses and formats amounts without floats", () => {
    expect(parseMoney("85", "MYR")).toBe(8500);
    expect(parseMoney("1,234.5", "MYR")).toBe(123450);
    expect(parseMoney("0.1", "MYR")).toBe(10);
    expect(parseMoney("1.234", "MYR")).toBeUndefined();
    expect(parseMoney("-3", "MYR")).toBeUndefined();
    expect(parseMoney("500", "JPY")).toBe(500);
    expect(parsePercent("6.5")).toBe(650);
    expect(parsePercent("101")).toBeUndefined();
    expect(formatMoney(123450, "MYR")).toBe("MYR 1,234.50");
    expect(formatMoney(-5, "MYR")).toBe("-MYR 0.05");
  });
});

describe("transitions", () => {
  test("follow the table", () => {
    expect(canTransitionWorkOrder("new", "scheduled")).toBe(true);
    expect(canTransitionWorkOrder("new", "completed")).toBe(false);
    expect(canTransitionWorkOrder("completed", "closed")).toBe(true);
    expect(canTransitionWorkOrder("closed", "new")).toBe(false);
    expect(canTransitionWorkOrder("cancelled", "scheduled")).toBe(false);
    expect(canTransitionAppointment("scheduled", "on_site")).toBe(false);
    expect(canTransitionAppointment("travelling", "on_site")).toBe(true);
    expect(canTransitionAppointment("completed", "on_site")).toBe(false);
  });

  test("a visit drives its work order: scheduled → dispatched → in progress → completed → closed", async () => {
    const wo = await newOrder();
    expect(wo.status).toBe("new");
    const appointment = await visit(org, wo.id);
    expect((await getWorkOrder(org.ctx("dispatcher"), wo.id)).workOrder.status).toBe("scheduled");
    await changeAppointmentStatus(org.ctx("dispatcher", NOW), appointment.id, { status: "dispatched" });
    expect((await getWorkOrder(org.ctx("dispatcher"), wo.id)).workOrder.status).toBe("dispatched");
    const tech = org.ctx("technician", NOW);
    await changeAppointmentStatus(tech, appointment.id, { status: "travelling" });
    expect((await getWorkOrder(org.ctx("dispatcher"), wo.id)).workOrder.status).toBe("in_progress");
    await expect(
      changeAppointmentStatus(tech, appointment.id, { status: "completed" }),
    ).rejects.toMatchObject({
      status: 409,
    });
    await changeAppointmentStatus(tech, appointment.id, { status: "on_site" });
    await changeAppointmentStatus(tech, appointment.id, { status: "completed" });
    expect((await getWorkOrder(org.ctx("dispatcher"), wo.id)).workOrder.status).toBe("completed");
    await changeWorkOrderStatus(org.ctx("supervisor"), wo.id, "closed");
    await expect(changeWorkOrderStatus(org.ctx("supervisor"), wo.id, "new")).rejects.toMatchObject({
      status: 409,
    });
    await expect(visit(org, wo.id)).rejects.toMatchObject({ status: 409 });
    const types = (
      await org
        .ctx("admin")
        .db.select({ type: events.type, data: events.data })
        .from(events)
        .where(eq(events.orgId, org.orgId))
    )
      .filter((e) => e.data.workOrderId === wo.id)
      .map((e) => e.type);
    expect(types).toContain("work_order.created");
    expect(types).toContain("work_order.scheduled");
    expect(types.filter((t) => t === "appointment.status_changed").length).toBe(4);
    expect(types.filter((t) => t === "work_order.status_changed").length).toBe(5);
  });

  test("cannot complete needs a reason, and the work order can be rescheduled", async () => {
    const wo = await newOrder();
    const appointment = await visit(org, wo.id);
    const tech = org.ctx("technician", NOW);
    await changeAppointmentStatus(tech, appointment.id, { status: "travelling" });
    await expect(
      changeAppointmentStatus(tech, appointment.id, { status: "cannot_complete", reason: "  " }),
    ).rejects.toMatchObject({ status: 422, fields: { reason: expect.any(String) } });
    await changeAppointmentStatus(tech, appointment.id, {
      status: "cannot_complete",
      reason: "Customer not home",
    });
    const detail = await getWorkOrder(org.ctx("dispatcher"), wo.id);
    expect(detail.workOrder.status).toBe("cannot_complete");
    expect(detail.appointments[0].cannotCompleteReason).toBe("Customer not home");
    await visit(org, wo.id, 26);
    expect((await getWorkOrder(org.ctx("dispatcher"), wo.id)).workOrder.status).toBe("scheduled");
  });

  test("technicians cannot dispatch, and only dispatchers schedule", async () => {
    const wo = await newOrder();
    const appointment = await visit(org, wo.id);
    await expect(
      changeAppointmentStatus(org.ctx("technician"), appointment.id, { status: "dispatched" }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      scheduleAppointment(org.ctx("agent"), wo.id, {
        override: true,
        startsAt: hours(1),
        endsAt: hours(2),
        technicianIds: [org.users.technician.id],
      }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(createWorkOrder(org.ctx("agent"), { subject: "x" })).rejects.toMatchObject({ status: 403 });
    await expect(createWorkOrder(org.ctx("technician"), { subject: "x" })).rejects.toMatchObject({
      status: 403,
    });
  });

  test("a visit needs a window and technicians of the organization", async () => {
    const wo = await newOrder();
    await expect(
      scheduleAppointment(org.ctx("dispatcher"), wo.id, {
        override: true,
        startsAt: hours(3),
        endsAt: hours(2),
        technicianIds: [other.users.technician.id],
      }),
    ).rejects.toMatchObject({
      status: 422,
      fields: { endsAt: expect.any(String), technicianIds: expect.any(String) },
    });
    await expect(
      scheduleAppointment(org.ctx("dispatcher"), wo.id, {
        override: true,
        startsAt: hours(1),
        endsAt: hours(2),
        technicianIds: [org.users.agent.id],
      }),
    ).rejects.toMatchObject({ fields: { technicianIds: expect.any(String) } });
  });
});

describe("from a ticket", () => {
  test("carries the customer and priority, and both records link", async () => {
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Fridge leaking",
      body: "Water under the fridge.",
      requesterEmail: "lee@client.test",
      priority: "urgent",
    });
    const wo = await createWorkOrderFromTicket(org.ctx("agent", NOW), ticket.number);
    expect(wo.subject).toBe("Fridge leaking");
    expect(wo.priority).toBe("urgent");
    expect(wo.contactId).toBe(ticket.contactId);
    expect(wo.ticketId).toBe(ticket.id);
    expect(await workOrdersForTicket(org.ctx("agent"), ticket.id)).toEqual([
      { number: wo.number, status: "new", subject: "Fridge leaking" },
    ]);
    const detail = await getWorkOrder(org.ctx("agent"), wo.number);
    expect(detail.ticket?.number).toBe(ticket.number);
    const ticketEvents = await org
      .ctx("admin")
      .db.select({ type: events.type })
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.ticketId, ticket.id)));
    expect(ticketEvents.map((e) => e.type)).toContain("ticket.work_order_created");
  });

  test("another organization's ticket is not found, and customers cannot", async () => {
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Home only",
      body: "x",
      requesterEmail: "h@client.test",
    });
    await expect(createWorkOrderFromTicket(other.ctx("agent"), ticket.id)).rejects.toMatchObject({
      status: 404,
    });
    await expect(createWorkOrderFromTicket(org.ctx("customer"), ticket.id)).rejects.toMatchObject({
      status: 403,
    });
    await expect(createWorkOrderFromTicket(org.ctx("technician"), ticket.id)).rejects.toMatchObject({
      status: 403,
    });
  });
});

describe("line items", () => {
  test("catalog prices and labour in integer minor units, totals in one place", async () => {
    const fresh = await createOrg("Lines");
    const db = fresh.ctx("admin").db;
    const [service] = await db
      .insert(services)
      .values({
        orgId: fresh.orgId,
        name: "Aircon service",
        durationMinutes: 60,
        priceMinor: 15000,
        currency: "USD",
        taxBasisPoints: 800,
      })
      .returning();
    const [part] = await db
      .insert(parts)
      .values({
        orgId: fresh.orgId,
        sku: "FLT-01",
        name: "Filter",
        costMinor: 2000,
        priceMinor: 4550,
        currency: "USD",
        taxBasisPoints: 800,
      })
      .returning();
    const wo = await createWorkOrder(fresh.ctx("dispatcher"), { subject: "Service" });
    const ctx = fresh.ctx("dispatcher");
    await addLineItem(fresh.ctx("dispatcher", hours(1)), wo.id, {
      kind: "service",
      serviceId: service.id,
      quantity: 1,
    });
    await addLineItem(fresh.ctx("dispatcher", hours(2)), wo.id, {
      kind: "part",
      partId: part.id,
      quantity: "2",
    });
    await addLineItem(fresh.ctx("dispatcher", hours(3)), wo.id, {
      kind: "labour",
      quantity: 90,
      unitPrice: "1.50",
      taxPercent: "0",
    });
    await expect(
      addLineItem(ctx, wo.id, { kind: "labour", quantity: "1.5", unitPrice: "abc", taxPercent: "200" }),
    ).rejects.toMatchObject({
      status: 422,
      fields: { quantity: expect.any(String), unitPrice: expect.any(String), taxPercent: expect.any(String) },
    });
    await expect(
      addLineItem(ctx, wo.id, { kind: "part", partId: crypto.randomUUID(), quantity: 1 }),
    ).rejects.toMatchObject({ fields: { partId: expect.any(String) } });
    const detail = await getWorkOrder(ctx, wo.id);
    expect(detail.lines.map((l) => l.description)).toEqual(["Aircon service", "FLT-01 Filter", "Labour"]);
    expect(detail.totals.subtotalMinor).toBe(37600);
    expect(detail.totals.taxMinor).toBe(1928);
    expect(detail.totals.totalMinor).toBe(39528);
  });
});

describe("technicians", () => {
  test("see only their own appointments, of today, in order", async () => {
    const fresh = await createOrg("Crew");
    const second = await createOrg("Crew2");
    const early = await createWorkOrder(fresh.ctx("dispatcher"), { subject: "Early" });
    const late = await createWorkOrder(fresh.ctx("dispatcher"), { subject: "Late" });
    const tomorrow = await createWorkOrder(fresh.ctx("dispatcher"), { subject: "Tomorrow" });
    const lateVisit = await visit(fresh, late.id, 5);
    const earlyVisit = await visit(fresh, early.id, 1);
    await visit(fresh, tomorrow.id, 24);
    // A visit of someone else: the supervisor's work order assigned to another technician user.
    const otherWo = await createWorkOrder(second.ctx("dispatcher"), { subject: "Not mine" });
    const otherVisit = await visit(second, otherWo.id, 2);
    const mine = await myAppointments(fresh.ctx("technician", NOW));
    expect(mine.map((a) => a.subject)).toEqual(["Early", "Late"]);
    expect(mine.map((a) => a.id)).toEqual([earlyVisit.id, lateVisit.id]);
    await expect(myAppointment(fresh.ctx("technician"), otherVisit.id)).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      changeAppointmentStatus(fresh.ctx("technician"), otherVisit.id, { status: "travelling" }),
    ).rejects.toMatchObject({ status: 404 });
    // A second technician of the same organization sees none of them.
    const [colleague] = await fresh
      .ctx("admin")
      .db.insert(users)
      .values({
        orgId: fresh.orgId,
        email: `colleague@${fresh.orgId}.test`,
        name: "Colleague",
        role: "technician",
      })
      .returning();
    const colleagueCtx = {
      ...fresh.ctx("technician", NOW),
      actor: {
        kind: "user" as const,
        orgId: fresh.orgId,
        role: "technician" as const,
        userId: colleague.id,
        name: "Colleague",
      },
    };
    expect(await myAppointments(colleagueCtx)).toEqual([]);
    await expect(myAppointment(colleagueCtx, earlyVisit.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      changeAppointmentStatus(colleagueCtx, earlyVisit.id, { status: "travelling" }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(addAppointmentNote(colleagueCtx, earlyVisit.id, "hi")).rejects.toMatchObject({
      status: 404,
    });
    await expect(getWorkOrder(fresh.ctx("technician"), early.id)).rejects.toMatchObject({ status: 403 });
    await expect(listWorkOrders(fresh.ctx("technician"), {})).rejects.toMatchObject({ status: 403 });
    await expect(myAppointments(fresh.ctx("dispatcher"))).rejects.toMatchObject({ status: 403 });
  });

  test("the day follows the organization's time zone", () => {
    // 23:30 UTC on the 22nd is 07:30 on the 23rd in Kuala Lumpur.
    expect(startOfDay(new Date("2026-11-22T23:30:00Z"), "Asia/Kuala_Lumpur").toISOString()).toBe(
      "2026-11-22T16:00:00.000Z",
    );
    expect(startOfDay(new Date("2026-11-22T23:30:00Z"), "UTC").toISOString()).toBe(
      "2026-11-22T00:00:00.000Z",
    );
  });

  test("book time, parts, notes and a signature on their visit", async () => {
    const fresh = await createOrg("OnSite");
    const db = fresh.ctx("admin").db;
    const [part] = await db
      .insert(parts)
      .values({
        orgId: fresh.orgId,
        sku: "CAP-35",
        name: "Capacitor",
        costMinor: 900,
        priceMinor: 2500,
        currency: "USD",
        taxBasisPoints: 0,
      })
      .returning();
    const wo = await createWorkOrder(fresh.ctx("dispatcher"), { subject: "Compressor" });
    const appointment = await visit(fresh, wo.id);
    const at = (min: number) => fresh.ctx("technician", new Date(NOW.getTime() + min * 60_000));
    await toggleTimer(at(0), appointment.id, "start");
    await toggleTimer(at(1), appointment.id, "start"); // already running: no second entry
    await toggleTimer(at(45), appointment.id, "stop");
    await expect(toggleTimer(at(46), appointment.id, "stop")).rejects.toMatchObject({ status: 409 });
    // The part comes out of the technician's van, which must hold it.
    const van = await createLocation(fresh.ctx("dispatcher"), {
      kind: "van",
      name: "Van 1",
      technicianUserId: fresh.users.technician.id,
    });
    await receiveStock(fresh.ctx("dispatcher"), { locationId: van.id, partId: part.id, quantity: "1" });
    await usePartOnVisit(at(50), appointment.id, { partId: part.id, quantity: 1 });
    // Technicians record parts used; they do not price the work.
    await expect(
      addLineItem(at(50), wo.id, {
        kind: "labour",
        quantity: 1,
        unitPrice: "1",
        appointmentId: appointment.id,
      }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(addAppointmentNote(at(51), appointment.id, "  ")).rejects.toMatchObject({ status: 422 });
    await addAppointmentNote(at(51), appointment.id, "Replaced the run capacitor.");
    await expect(
      signAppointment(at(52), appointment.id, { name: "", drawing: "data:image/png;base64,AAAA" }),
    ).rejects.toMatchObject({
      status: 422,
      fields: { signedName: expect.any(String), signature: expect.any(String) },
    });
    await signAppointment(at(52), appointment.id, { name: "Tan Ah Kow", drawing: PNG });
    await expect(signAppointment(at(53), appointment.id, { name: "Again" })).rejects.toMatchObject({
      status: 409,
    });
    const detail = await myAppointment(at(60), appointment.id);
    expect(detail.minutesBooked).toBe(45);
    expect(detail.timerRunning).toBe(false);
    expect(detail.partsUsed.map((p) => p.description)).toEqual(["CAP-35 Capacitor"]);
    expect(detail.notes.map((n) => n.body)).toEqual(["Replaced the run capacitor."]);
    expect(detail.appointment.signedName).toBe("Tan Ah Kow");
    expect(detail.appointment.signatureSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(
      await Bun.file(fresh.ctx("admin").files!.pathOf(detail.appointment.signatureSha256!)).exists(),
    ).toBe(true);
  });

  test("a signature drawing must be a PNG of bounded size", () => {
    expect(decodeSignaturePng(PNG).length).toBeGreaterThan(24);
    const gif = `data:image/png;base64,${Buffer.from("GIF89a....................").toString("base64")}`;
    expect(() => decodeSignaturePng(gif)).toThrow();
    expect(() => decodeSignaturePng("data:text/html;base64,PGI+")).toThrow();
    const huge = `data:image/png;base64,${"A".repeat(400_000)}`;
    expect(() => decodeSignaturePng(huge)).toThrow();
  });
});

describe("organizations", () => {
  test("never reach each other's work orders", async () => {
    const wo = await newOrder(org, "Home secret");
    await expect(getWorkOrder(other.ctx("admin"), wo.id)).rejects.toMatchObject({ status: 404 });
    await expect(changeWorkOrderStatus(other.ctx("admin"), wo.id, "cancelled")).rejects.toMatchObject({
      status: 404,
    });
    await expect(visit(other, wo.id)).rejects.toMatchObject({ status: 404 });
    const listed = await listWorkOrders(other.ctx("admin"), { q: "Home secret" });
    expect(listed).toEqual([]);
    const [row] = await org
      .ctx("admin")
      .db.select()
      .from(workOrders)
      .where(and(eq(workOrders.orgId, org.orgId), eq(workOrders.id, wo.id)));
    expect(row.status).toBe("new");
  });
});

describe("wall-clock times", () => {
  test("convert in the organization's zone", () => {
    expect(localToInstant("2026-11-23T10:00", "Asia/Kuala_Lumpur")?.toISOString()).toBe(
      "2026-11-23T02:00:00.000Z",
    );
    expect(localToInstant("2026-11-23T01:00", "Asia/Kuala_Lumpur")?.toISOString()).toBe(
      "2026-11-22T17:00:00.000Z",
    );
    expect(localToInstant("2026-07-01T09:30", "America/New_York")?.toISOString()).toBe(
      "2026-07-01T13:30:00.000Z",
    );
    expect(localToInstant("tomorrow", "UTC")).toBeUndefined();
    expect(instantToLocal(new Date("2026-11-22T17:00:00Z"), "Asia/Kuala_Lumpur")).toBe("2026-11-23T01:00");
  });
});

describe("qualifications", () => {
  test("required skills at their level; expired certifications do not count", async () => {
    const fresh = await createOrg("Skills");
    const db = fresh.ctx("admin").db;
    const [aircon, electrical] = await db
      .insert(skills)
      .values([
        { orgId: fresh.orgId, name: "Aircon" },
        { orgId: fresh.orgId, name: "Electrical" },
      ])
      .returning();
    const [senior] = await db
      .insert(users)
      .values({ orgId: fresh.orgId, email: `senior@${fresh.orgId}.test`, name: "Senior", role: "technician" })
      .returning();
    const [a, b] = await db
      .insert(technicians)
      .values([
        { orgId: fresh.orgId, userId: fresh.users.technician.id },
        { orgId: fresh.orgId, userId: senior.id },
      ])
      .returning();
    await db.insert(technicianSkills).values([
      { orgId: fresh.orgId, technicianId: a.id, skillId: aircon.id, level: 2 },
      { orgId: fresh.orgId, technicianId: b.id, skillId: aircon.id, level: 4 },
      { orgId: fresh.orgId, technicianId: b.id, skillId: electrical.id, level: 1 },
    ]);
    await db.insert(certifications).values([
      { orgId: fresh.orgId, technicianId: b.id, name: "Refrigerant handling", expiresOn: "2026-11-23" },
      { orgId: fresh.orgId, technicianId: b.id, name: "Wireman", expiresOn: "2026-11-22" },
    ]);
    await expect(
      db
        .insert(technicianSkills)
        .values({ orgId: fresh.orgId, technicianId: a.id, skillId: electrical.id, level: 6 })
        .then(() => "inserted"),
    ).rejects.toThrow();
    const easy = await createWorkOrder(fresh.ctx("dispatcher"), { subject: "Easy", skillIds: [aircon.id] });
    const hard = await createWorkOrder(fresh.ctx("dispatcher"), {
      subject: "Hard",
      skillIds: [aircon.id, electrical.id],
      minLevel: 1,
    });
    const ctx = fresh.ctx("dispatcher");
    expect((await qualifiedTechnicians(ctx, easy.id, "2026-11-23")).map((t) => t.name).sort()).toEqual([
      "Senior",
      fresh.users.technician.name,
    ]);
    const qualified = await qualifiedTechnicians(ctx, hard.id, "2026-11-23");
    expect(qualified).toEqual([{ id: senior.id, name: "Senior", certifications: ["Refrigerant handling"] }]);
    expect((await qualifiedTechnicians(ctx, hard.id, "2026-11-24"))[0].certifications).toEqual([]);
    await expect(qualifiedTechnicians(other.ctx("admin"), hard.id, "2026-11-23")).rejects.toMatchObject({
      status: 404,
    });
  });
});
