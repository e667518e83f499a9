// The demo's field service: the states as territories, every technician's profile and skills, a
// small catalog, customers' sites with their equipment, and 20 work orders — five of them visits
// today for tech@demo.test, so /tech has a real day to show.
import { and, asc, eq } from "drizzle-orm";
import { addDays } from "../../src/domain/fsm/estimateRules";
import { instantToLocal, startOfDay } from "../../src/domain/fsm/field";
import { parseSection } from "../../src/domain/fsm/jobSheetRules";
import { totals } from "../../src/domain/fsm/money";
import type { Db } from "../client";
import {
  type AppointmentStatus,
  appointments,
  appointmentTechnicians,
  assets,
  certifications,
  counters,
  estimateLines,
  estimates,
  events,
  invoiceLines,
  invoicePayments,
  invoices,
  JOB_SHEET_SECTIONS,
  jobSheetTemplateItems,
  jobSheetTemplateServices,
  jobSheetTemplates,
  lineItems,
  maintenancePlanLines,
  maintenancePlanSkills,
  maintenancePlans,
  parts,
  serviceLocations,
  services,
  skills,
  stockLevels,
  stockLocations,
  stockMovements,
  technicianSkills,
  technicians,
  tickets,
  type WorkOrderStatus,
  workOrderSkills,
  workOrders,
  zones,
} from "../schema";
import { ZONES } from "./zones";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

interface Rng {
  next: () => number;
  int: (min: number, max: number) => number;
  pick: <T>(items: readonly T[]) => T;
  chance: (p: number) => boolean;
}

const SKILLS = ["Air conditioning", "Refrigeration", "Electrical", "Plumbing", "Water heaters", "Generators"];
const STREETS = [
  "Jalan Ampang",
  "Jalan Tun Razak",
  "Jalan Sultan Ismail",
  "Persiaran Gurney",
  "Jalan Wong Ah Fook",
];
const EQUIPMENT = [
  { type: "Split air conditioner", make: "Daikin", model: "FTKF35" },
  { type: "Cassette air conditioner", make: "Panasonic", model: "CS-PU18" },
  { type: "Chiller", make: "Carrier", model: "30RB-120" },
  { type: "Water heater", make: "Joven", model: "SA-30" },
  { type: "Standby generator", make: "Cummins", model: "C150D5" },
  { type: "Cold room", make: "Bitzer", model: "LH64E" },
];
const JOBS = [
  "Aircon not cooling",
  "Quarterly aircon service",
  "Water leaking from indoor unit",
  "Generator fails to start",
  "Cold room temperature alarm",
  "No hot water",
  "Tripping breaker on compressor",
  "Install new split unit",
];

export interface FieldSeedInput {
  orgId: string;
  now: Date;
  timeZone: string;
  currency: string;
  rng: Rng;
  technicianIds: { id: string; email: string }[];
  contacts: { id: string; companyId: string | null; email: string | null }[];
  customerContactId: string;
}

export async function seedFieldService(tx: Tx, input: FieldSeedInput): Promise<{ workOrders: number }> {
  const { orgId, now, rng, currency } = input;
  const zoneRows = await tx
    .insert(zones)
    .values(ZONES.map((z) => ({ orgId, code: z.code, name: z.name, lat: z.lat, lng: z.lng })))
    .returning();
  const selangor = zoneRows.find((z) => z.code === "SGR")!;
  const skillRows = await tx
    .insert(skills)
    .values(SKILLS.map((name) => ({ orgId, name })))
    .returning();
  // Technicians live in a state; tech@demo.test in Selangor, like their field team in demo.ts.
  const techRows = await tx
    .insert(technicians)
    .values(
      input.technicianIds.map((t, i) => {
        const zone = i === 0 ? selangor : zoneRows[i % zoneRows.length];
        return {
          orgId,
          userId: t.id,
          zoneId: zone.id,
          homeLat: Math.round((zone.lat + (rng.next() - 0.5) * 0.2) * 1e5) / 1e5,
          homeLng: Math.round((zone.lng + (rng.next() - 0.5) * 0.2) * 1e5) / 1e5,
          workStartMinute: 8 * 60,
          workEndMinute: rng.chance(0.2) ? 20 * 60 : 17 * 60,
          workDays: rng.chance(0.3) ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5],
          maxJobsPerDay: rng.int(4, 8),
        };
      }),
    )
    .returning({ id: technicians.id });
  await tx.insert(technicianSkills).values(
    techRows.flatMap((t, i) => {
      const count = i === 0 ? 3 : rng.int(1, 3);
      const start = i === 0 ? 0 : rng.int(0, skillRows.length - 1);
      return Array.from({ length: count }, (_, k) => ({
        orgId,
        technicianId: t.id,
        skillId: skillRows[(start + k) % skillRows.length].id,
        level: i === 0 ? 4 - k : rng.int(1, 5),
      }));
    }),
  );
  const day = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString().slice(0, 10);
  await tx.insert(certifications).values(
    techRows.slice(0, 40).map((t, i) => ({
      orgId,
      technicianId: t.id,
      name: i % 3 === 0 ? "Energy Commission wireman" : "Refrigerant handling",
      // A few have lapsed: they no longer count.
      expiresOn: i % 7 === 6 ? day(-30) : day(rng.int(60, 900)),
    })),
  );

  const serviceRows = await tx
    .insert(services)
    .values([
      {
        orgId,
        name: "Aircon general service",
        durationMinutes: 60,
        priceMinor: 12000,
        currency,
        taxBasisPoints: 800,
      },
      {
        orgId,
        name: "Aircon chemical wash",
        durationMinutes: 90,
        priceMinor: 25000,
        currency,
        taxBasisPoints: 800,
      },
      {
        orgId,
        name: "Generator inspection",
        durationMinutes: 120,
        priceMinor: 45000,
        currency,
        taxBasisPoints: 800,
      },
      {
        orgId,
        name: "Water heater repair",
        durationMinutes: 60,
        priceMinor: 15000,
        currency,
        taxBasisPoints: 800,
      },
    ])
    .returning();
  await seedJobSheets(tx, orgId, now, serviceRows);
  const partRows = await tx
    .insert(parts)
    .values(
      [
        ["CAP-35", "Run capacitor 35 µF", 1800, 4500],
        ["FLT-20", "Air filter 20 cm", 900, 2500],
        ["R32-1K", "Refrigerant R32, 1 kg", 6000, 12000],
        ["FAN-IU", "Indoor fan motor", 9000, 18500],
        ["THM-01", "Thermostat", 3500, 8000],
        ["ELM-3K", "Heating element 3 kW", 4000, 9500],
        ["OIL-5L", "Engine oil 5 L", 7000, 11000],
        ["BRK-20", "Circuit breaker 20 A", 1500, 3500],
      ].map(([sku, name, cost, price]) => ({
        orgId,
        sku: sku as string,
        name: name as string,
        costMinor: cost as number,
        priceMinor: price as number,
        currency,
        taxBasisPoints: 800,
      })),
    )
    .returning();

  // Sites: the demo customer's two, and 38 other customers' (mostly in the Klang Valley).
  const siteContacts = [
    input.contacts.find((c) => c.id === input.customerContactId)!,
    ...input.contacts.filter((c) => c.id !== input.customerContactId).slice(0, 38),
  ];
  const locationRows = await tx
    .insert(serviceLocations)
    .values(
      [siteContacts[0], ...siteContacts].map((c, i) => {
        const zone =
          i < 30 ? (i % 3 === 0 ? zoneRows.find((z) => z.code === "KUL")! : selangor) : rng.pick(zoneRows);
        return {
          orgId,
          name: i === 0 ? "Head office" : i === 1 ? "Warehouse" : `Site ${i}`,
          address: `${rng.int(1, 200)}, ${rng.pick(STREETS)}, ${zone.name}`,
          lat: Math.round((zone.lat + (rng.next() - 0.5) * 0.1) * 1e5) / 1e5,
          lng: Math.round((zone.lng + (rng.next() - 0.5) * 0.1) * 1e5) / 1e5,
          contactId: c.id,
          companyId: c.companyId,
          zoneId: zone.id,
        };
      }),
    )
    .returning();
  const assetRows = await tx
    .insert(assets)
    .values(
      locationRows.map((l, i) => {
        const kind = EQUIPMENT[i % EQUIPMENT.length];
        const installed = rng.int(100, 2000);
        return {
          orgId,
          locationId: l.id,
          ...kind,
          serial: `${kind.make.slice(0, 3).toUpperCase()}${String(100000 + i * 7919).slice(-6)}`,
          installedOn: day(-installed),
          warrantyEndsOn: day(-installed + 3 * 365),
          status: i % 9 === 4 ? ("needs_service" as const) : ("active" as const),
        };
      }),
    )
    .returning();

  // Five technical tickets that needed a visit became work orders.
  const technical = await tx
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      priority: tickets.priority,
      contactId: tickets.contactId,
      companyId: tickets.companyId,
    })
    .from(tickets)
    .where(and(eq(tickets.orgId, orgId), eq(tickets.type, "incident")))
    .orderBy(asc(tickets.number))
    .limit(5);

  const midnight = startOfDay(now, input.timeZone).getTime();
  const hour = (d: number, h: number) => new Date(midnight + d * 86_400_000 + h * 3_600_000);
  const me = input.technicianIds[0].id;
  const plans: { status: WorkOrderStatus; visit: AppointmentStatus | null; at: Date | null; tech: string }[] =
    [
      // tech@demo.test's day: one done, one on site, three still to come.
      { status: "completed", visit: "completed", at: hour(0, 8.5), tech: me },
      { status: "in_progress", visit: "on_site", at: hour(0, 10.5), tech: me },
      { status: "dispatched", visit: "dispatched", at: hour(0, 13), tech: me },
      { status: "dispatched", visit: "dispatched", at: hour(0, 15), tech: me },
      { status: "scheduled", visit: "scheduled", at: hour(0, 17), tech: me },
      { status: "scheduled", visit: "scheduled", at: hour(1, 9), tech: me },
      ...Array.from({ length: 14 }, (_, i) => {
        const status = (
          ["new", "new", "scheduled", "scheduled", "completed", "closed", "cannot_complete"] as const
        )[i % 7];
        const visit: AppointmentStatus | null =
          status === "new"
            ? null
            : status === "closed"
              ? "completed"
              : status === "scheduled"
                ? "scheduled"
                : status;
        const offset = status === "scheduled" ? rng.int(0, 5) : -rng.int(1, 20);
        return {
          status,
          visit,
          at: visit ? hour(offset, 9 + rng.int(0, 7)) : null,
          tech: input.technicianIds[1 + rng.int(0, input.technicianIds.length - 2)].id,
        };
      }),
    ];
  const woRows: (typeof workOrders.$inferInsert)[] = [];
  const visitRows: (typeof appointments.$inferInsert)[] = [];
  const crewRows: (typeof appointmentTechnicians.$inferInsert)[] = [];
  const lineRows: (typeof lineItems.$inferInsert)[] = [];
  const skillRowsFor: (typeof workOrderSkills.$inferInsert)[] = [];
  const eventRows: (typeof events.$inferInsert)[] = [];
  plans.forEach((plan, i) => {
    const ticket = i >= 6 && i - 6 < technical.length ? technical[i - 6] : undefined;
    const location = i < 6 ? locationRows[(i * 5) % 30] : rng.pick(locationRows);
    const asset = assetRows[locationRows.indexOf(location)];
    const created = new Date(
      Math.min(now.getTime(), (plan.at ?? now).getTime()) - rng.int(1, 5) * 86_400_000,
    );
    const id = crypto.randomUUID();
    woRows.push({
      id,
      orgId,
      number: i + 1,
      subject: ticket?.subject ?? JOBS[i % JOBS.length],
      description: ticket ? "" : "Customer reports the unit is not working as expected. Check and repair.",
      status: plan.status,
      priority: ticket?.priority ?? rng.pick(["low", "normal", "normal", "high", "urgent"] as const),
      ticketId: ticket?.id ?? null,
      contactId: ticket?.contactId ?? location.contactId,
      companyId: ticket?.companyId ?? location.companyId,
      locationId: location.id,
      assetId: asset.id,
      currency,
      createdAt: created,
      updatedAt: plan.at && plan.at < now ? plan.at : created,
    });
    skillRowsFor.push({ orgId, workOrderId: id, skillId: skillRows[i % 3].id, minLevel: 1 + (i % 3) });
    eventRows.push({
      orgId,
      type: "work_order.created",
      ticketId: null,
      actorUserId: null,
      actorKind: "system",
      data: { workOrderId: id, number: i + 1, subject: woRows[i].subject },
      createdAt: created,
    });
    if (ticket) {
      eventRows.push({
        orgId,
        type: "ticket.work_order_created",
        ticketId: ticket.id,
        actorUserId: null,
        actorKind: "system",
        data: { workOrderId: id, number: i + 1 },
        createdAt: created,
      });
    }
    if (plan.visit && plan.at) {
      const visitId = crypto.randomUUID();
      const done = plan.visit === "completed";
      visitRows.push({
        id: visitId,
        orgId,
        workOrderId: id,
        startsAt: plan.at,
        endsAt: new Date(plan.at.getTime() + 90 * 60_000),
        status: plan.visit,
        cannotCompleteReason: plan.visit === "cannot_complete" ? "Customer not on site" : null,
        signedName: done ? "Site supervisor" : null,
        signedAt: done ? new Date(plan.at.getTime() + 80 * 60_000) : null,
        createdAt: created,
        updatedAt: created,
      });
      crewRows.push({ orgId, appointmentId: visitId, userId: plan.tech });
      const service = serviceRows[i % serviceRows.length];
      lineRows.push({
        orgId,
        workOrderId: id,
        kind: "service",
        serviceId: service.id,
        description: service.name,
        quantity: 1,
        unitPriceMinor: service.priceMinor,
        taxBasisPoints: service.taxBasisPoints,
        createdAt: created,
      });
      if (done) {
        const part = partRows[i % partRows.length];
        lineRows.push({
          orgId,
          workOrderId: id,
          appointmentId: visitId,
          kind: "part",
          partId: part.id,
          description: `${part.sku} ${part.name}`,
          quantity: 1,
          unitPriceMinor: part.priceMinor,
          taxBasisPoints: part.taxBasisPoints,
          createdAt: plan.at,
        });
      }
    }
  });
  await tx.insert(workOrders).values(woRows);
  await tx.insert(workOrderSkills).values(skillRowsFor);
  await tx.insert(appointments).values(visitRows);
  await tx.insert(appointmentTechnicians).values(crewRows);
  await tx.insert(lineItems).values(lineRows);
  await tx.insert(events).values(eventRows);
  await tx.insert(counters).values({ orgId, name: "work_order", value: woRows.length });
  await seedInvoices(tx, { orgId, now, timeZone: input.timeZone, workOrders: woRows, lines: lineRows });
  await seedEstimatesAndPlans(tx, {
    orgId,
    now,
    currency,
    customerContactId: input.customerContactId,
    headOffice: locationRows[0],
    headOfficeAsset: assetRows[0],
    warehouseAsset: assetRows[1],
    services: serviceRows,
    parts: partRows,
    skills: skillRows,
  });
  await seedInventory(tx, {
    orgId,
    now,
    technicianUserIds: input.technicianIds.map((t) => t.id),
    parts: partRows,
  });
  return { workOrders: woRows.length };
}

/**
 * A central store holding every part, and a van per technician stocked from it: a receipt into
 * the store, then a transfer to each van, so every level equals its movements. The store is low
 * on thermostats and tech@demo.test's van on breakers, so the reorder list has something to show.
 * Deterministic (no random draws), so the rest of the demo stays as it was.
 */
async function seedInventory(
  tx: Tx,
  input: { orgId: string; now: Date; technicianUserIds: string[]; parts: (typeof parts.$inferSelect)[] },
) {
  const { orgId, now } = input;
  const received = new Date(now.getTime() - 7 * 86_400_000);
  const stocked = new Date(now.getTime() - 6 * 86_400_000);
  const [store] = await tx
    .insert(stockLocations)
    .values({ orgId, kind: "warehouse", name: "Shah Alam central store", createdAt: received })
    .returning();
  const vans = await tx
    .insert(stockLocations)
    .values(
      input.technicianUserIds.map((userId, i) => ({
        orgId,
        kind: "van" as const,
        name: `Van ${String(i + 1).padStart(3, "0")}`,
        technicianUserId: userId,
        createdAt: received,
      })),
    )
    .returning();
  // Each van carries three or four of the everyday parts (tech@demo.test's: one breaker, at its reorder level).
  const everyday = ["CAP-35", "FLT-20", "R32-1K", "BRK-20"].map(
    (sku) => input.parts.find((p) => p.sku === sku)!,
  );
  const load = vans.flatMap((van, i) =>
    everyday
      .filter((_, k) => i === 0 || k !== i % 4)
      .map((part, k) => ({ van, part, quantity: i === 0 && part.sku === "BRK-20" ? 1 : 2 + ((i + k) % 5) })),
  );
  const movements: (typeof stockMovements.$inferInsert)[] = [];
  const levels: (typeof stockLevels.$inferInsert)[] = [];
  for (const part of input.parts) {
    const toVans = load.filter((l) => l.part.id === part.id);
    const sent = toVans.reduce((sum, l) => sum + l.quantity, 0);
    const left = part.sku === "THM-01" ? 15 : 40 + (part.sku.charCodeAt(0) % 7) * 5;
    let balance = sent + left;
    movements.push({
      orgId,
      kind: "receipt",
      locationId: store.id,
      partId: part.id,
      quantity: balance,
      balanceAfter: balance,
      supplier: "Daikin Malaysia Sdn Bhd",
      reference: `PO-2026-${part.sku}`,
      unitCostMinor: part.costMinor,
      currency: part.currency,
      createdAt: received,
    });
    for (const l of toVans) {
      const transferId = crypto.randomUUID();
      balance -= l.quantity;
      movements.push(
        {
          orgId,
          kind: "transfer_out",
          locationId: store.id,
          partId: part.id,
          quantity: -l.quantity,
          balanceAfter: balance,
          transferId,
          createdAt: stocked,
        },
        {
          orgId,
          kind: "transfer_in",
          locationId: l.van.id,
          partId: part.id,
          quantity: l.quantity,
          balanceAfter: l.quantity,
          transferId,
          createdAt: stocked,
        },
      );
      levels.push({
        orgId,
        locationId: l.van.id,
        partId: part.id,
        quantity: l.quantity,
        reorderLevel: 1,
        belowReorderSince: l.quantity <= 1 ? stocked : null,
        updatedAt: stocked,
      });
    }
    levels.push({
      orgId,
      locationId: store.id,
      partId: part.id,
      quantity: left,
      reorderLevel: 20,
      belowReorderSince: left <= 20 ? stocked : null,
      updatedAt: stocked,
    });
  }
  await tx.insert(stockMovements).values(movements);
  await tx.insert(stockLevels).values(levels);
}

/**
 * Invoices for the first completed work orders: the demo customer's visit of this morning sent
 * and waiting, one paid, one overdue, and one paid in part.
 */
async function seedInvoices(
  tx: Tx,
  input: {
    orgId: string;
    now: Date;
    timeZone: string;
    workOrders: (typeof workOrders.$inferInsert)[];
    lines: (typeof lineItems.$inferInsert)[];
  },
) {
  const { orgId, now } = input;
  const today = instantToLocal(now, input.timeZone).slice(0, 10);
  const done = input.workOrders.filter(
    (w) => (w.status === "completed" || w.status === "closed") && w.contactId,
  );
  const plans = [
    { issuedDaysAgo: 0, terms: 30, paid: 0 },
    { issuedDaysAgo: 12, terms: 30, paid: 1 },
    { issuedDaysAgo: 20, terms: 14, paid: 0 },
    { issuedDaysAgo: 5, terms: 30, paid: 0.5 },
  ];
  const invoiceRows: (typeof invoices.$inferInsert)[] = [];
  const lineRows: (typeof invoiceLines.$inferInsert)[] = [];
  const paymentRows: (typeof invoicePayments.$inferInsert)[] = [];
  const eventRows: (typeof events.$inferInsert)[] = [];
  plans.slice(0, done.length).forEach((plan, i) => {
    const wo = done[i];
    const id = crypto.randomUUID();
    const number = i + 1;
    const issueDate = addDays(today, -plan.issuedDaysAgo);
    const sentAt = new Date(now.getTime() - plan.issuedDaysAgo * 86_400_000);
    const lines = input.lines
      .filter((l) => l.workOrderId === wo.id)
      .map((l) => ({ ...l, taxBasisPoints: l.taxBasisPoints ?? 0 }));
    const total = totals(lines).totalMinor;
    const paidMinor = Math.round(total * plan.paid);
    const paidAt = plan.paid === 1 ? new Date(sentAt.getTime() + 7 * 86_400_000) : null;
    invoiceRows.push({
      id,
      orgId,
      number,
      status: paidAt ? "paid" : "sent",
      subject: wo.subject,
      notes: "Please pay by bank transfer to Maybank 5140 1234 5678, quoting the invoice number.",
      contactId: wo.contactId as string,
      companyId: wo.companyId ?? null,
      locationId: wo.locationId ?? null,
      workOrderId: wo.id,
      currency: wo.currency,
      paymentTermsDays: plan.terms,
      issueDate,
      dueDate: addDays(issueDate, plan.terms),
      sentAt,
      paidAt,
      createdAt: sentAt,
      updatedAt: paidAt ?? sentAt,
    });
    lineRows.push(
      ...lines.map((l, position) => ({
        orgId,
        invoiceId: id,
        kind: l.kind,
        serviceId: l.serviceId ?? null,
        partId: l.partId ?? null,
        description: l.description,
        quantity: l.quantity,
        unitPriceMinor: l.unitPriceMinor,
        taxBasisPoints: l.taxBasisPoints,
        position: position + 1,
        createdAt: sentAt,
      })),
    );
    const event = (type: string, at: Date, data: Record<string, unknown> = {}) =>
      eventRows.push({
        orgId,
        type,
        ticketId: null,
        actorUserId: null,
        actorKind: "system",
        data: { invoiceId: id, number, ...data },
        createdAt: at,
      });
    event("invoice.created", sentAt, { fromWorkOrder: wo.number });
    event("invoice.sent", sentAt, { dueDate: addDays(issueDate, plan.terms), status: "sent" });
    if (paidMinor > 0) {
      const at = paidAt ?? new Date(sentAt.getTime() + 2 * 86_400_000);
      paymentRows.push({
        orgId,
        invoiceId: id,
        amountMinor: paidMinor,
        receivedOn: addDays(issueDate, paidAt ? 7 : 2),
        method: "bank_transfer",
        reference: `MBB${String(700100 + number)}`,
        createdAt: at,
      });
      event("invoice.payment_recorded", at, { amountMinor: paidMinor, balanceMinor: total - paidMinor });
      if (paidAt) event("invoice.paid", paidAt, { totalMinor: total, status: "paid" });
    }
  });
  if (invoiceRows.length === 0) return;
  await tx.insert(invoices).values(invoiceRows);
  if (lineRows.length) await tx.insert(invoiceLines).values(lineRows);
  if (paymentRows.length) await tx.insert(invoicePayments).values(paymentRows);
  await tx.insert(events).values(eventRows);
  await tx.insert(counters).values({ orgId, name: "invoice", value: invoiceRows.length });
}

/**
 * The demo customer's estimates (one waiting for an answer in the portal, one draft, one
 * declined) and two maintenance plans on their equipment.
 */
async function seedEstimatesAndPlans(
  tx: Tx,
  input: {
    orgId: string;
    now: Date;
    currency: string;
    customerContactId: string;
    headOffice: typeof serviceLocations.$inferSelect;
    headOfficeAsset: typeof assets.$inferSelect;
    warehouseAsset: typeof assets.$inferSelect;
    services: (typeof services.$inferSelect)[];
    parts: (typeof parts.$inferSelect)[];
    skills: (typeof skills.$inferSelect)[];
  },
) {
  const { orgId, now, currency } = input;
  const day = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString().slice(0, 10);
  const ago = (n: number) => new Date(now.getTime() - n * 86_400_000);
  const [wash, , generator] = input.services;
  const estimateRows = [
    {
      subject: "Chemical wash of the head office's split units",
      status: "sent" as const,
      validUntil: day(21),
      sentAt: ago(2),
      lines: [catalogLine(wash, 4), catalogLine(input.parts[1], 4)],
    },
    {
      subject: "Replace the warehouse generator's starter battery",
      status: "draft" as const,
      validUntil: day(30),
      sentAt: null,
      lines: [catalogLine(generator, 1)],
    },
    {
      subject: "Second outdoor unit for the server room",
      status: "declined" as const,
      validUntil: day(10),
      sentAt: ago(12),
      lines: [catalogLine(wash, 1)],
    },
  ];
  for (const [i, e] of estimateRows.entries()) {
    const id = crypto.randomUUID();
    await tx.insert(estimates).values({
      id,
      orgId,
      number: i + 1,
      status: e.status,
      subject: e.subject,
      notes: "Prices include parts and labour. Work is scheduled within two weeks of acceptance.",
      contactId: input.customerContactId,
      companyId: input.headOffice.companyId,
      locationId: input.headOffice.id,
      currency,
      validUntil: e.validUntil,
      sentAt: e.sentAt,
      declinedAt: e.status === "declined" ? ago(10) : null,
      declineReason: e.status === "declined" ? "Not in this year's budget." : null,
      createdAt: ago(14),
      updatedAt: e.status === "declined" ? ago(10) : (e.sentAt ?? ago(14)),
    });
    await tx.insert(estimateLines).values(
      e.lines.map((line, position) => ({
        ...line,
        orgId,
        estimateId: id,
        position: position + 1,
        createdAt: ago(14),
      })),
    );
  }
  await tx.insert(counters).values({ orgId, name: "estimate", value: estimateRows.length });

  const plan = (values: Partial<typeof maintenancePlans.$inferInsert>) => ({
    orgId,
    title: "",
    recurrenceKind: "interval" as const,
    startsOn: day(-60),
    createdAt: ago(60),
    updatedAt: ago(60),
    ...values,
  });
  const [aircon, genset] = await tx
    .insert(maintenancePlans)
    .values([
      plan({
        title: "Quarterly aircon service",
        assetId: input.headOfficeAsset.id,
        locationId: input.headOffice.id,
        contactId: input.customerContactId,
        companyId: input.headOffice.companyId,
        intervalCount: 3,
        intervalUnit: "month",
        durationMinutes: 90,
        startsOn: day(10),
      }),
      plan({
        title: "Monthly generator run and inspection",
        assetId: input.warehouseAsset.id,
        locationId: input.warehouseAsset.locationId,
        contactId: input.customerContactId,
        companyId: input.headOffice.companyId,
        recurrenceKind: "rrule",
        rrule: "FREQ=MONTHLY;BYDAY=1MO",
        durationMinutes: 120,
        leadDays: 7,
      }),
    ])
    .returning();
  await tx.insert(maintenancePlanLines).values([
    { ...planLine(orgId, input.services[0], 1), planId: aircon.id, createdAt: ago(60) },
    { ...planLine(orgId, generator, 2), planId: genset.id, createdAt: ago(60) },
  ]);
  await tx.insert(maintenancePlanSkills).values([
    { orgId, planId: aircon.id, skillId: input.skills[0].id },
    { orgId, planId: genset.id, skillId: input.skills[5].id },
  ]);
}

/** A line priced from the catalog, as the estimate form would make it. */
function catalogLine(item: typeof services.$inferSelect | typeof parts.$inferSelect, quantity: number) {
  const part = "sku" in item;
  return {
    kind: part ? ("part" as const) : ("service" as const),
    serviceId: part ? null : item.id,
    partId: part ? item.id : null,
    description: part ? `${item.sku} ${item.name}` : item.name,
    quantity,
    unitPriceMinor: item.priceMinor,
    taxBasisPoints: item.taxBasisPoints,
  };
}

function planLine(orgId: string, service: typeof services.$inferSelect, position: number) {
  return {
    orgId,
    kind: "service" as const,
    serviceId: service.id,
    description: service.name,
    quantity: 1,
    unitPriceMinor: service.priceMinor,
    taxBasisPoints: service.taxBasisPoints,
    position,
  };
}

/** Demo job sheets, written as an admin would in the form, attached to the aircon and generator services. */
const DEMO_JOB_SHEETS = [
  {
    name: "Aircon service checklist",
    services: ["Aircon general service", "Aircon chemical wash"],
    sections: {
      before:
        "* Isolate the power supply at the isolator -- Not only the remote\n* Cover furniture below the indoor unit",
      steps: [
        "* Filter condition [choice: Clean, Dirty, Replaced]",
        "* Suction pressure (psi) [number 40..200] -- Read at the service valve with the compressor running",
        "* Coil after cleaning [photo]",
      ].join("\n"),
      after:
        "* Supply air temperature (°C) [number 5..25]\n* Unit cooling normally? [yes/no]\n* Drain tested, no leak",
      observations: "Anything the customer should know [text]",
    },
  },
  {
    name: "Generator inspection sheet",
    services: ["Generator inspection"],
    sections: {
      before: "* Lock out the automatic start",
      steps:
        "* Battery voltage (V) [number 10..15]\n* Oil level [choice: Full, Low, Topped up]\n* Control panel [photo]",
      after: "* Automatic start restored\n* Test run under load done? [yes/no]",
      observations: "Parts to quote for [text]",
    },
  },
];

async function seedJobSheets(
  tx: Tx,
  orgId: string,
  now: Date,
  serviceRows: (typeof services.$inferSelect)[],
) {
  for (const sheet of DEMO_JOB_SHEETS) {
    const [template] = await tx
      .insert(jobSheetTemplates)
      .values({ orgId, name: sheet.name, createdAt: now, updatedAt: now })
      .returning();
    const items = JOB_SHEET_SECTIONS.flatMap((section) => {
      const parsed = parseSection(sheet.sections[section], section);
      if (parsed.error) throw new Error(`demo job sheet ${sheet.name}: ${parsed.error}`);
      return parsed.items;
    });
    await tx
      .insert(jobSheetTemplateItems)
      .values(items.map((item, position) => ({ ...item, orgId, templateId: template.id, position })));
    const linked = serviceRows.filter((s) => sheet.services.includes(s.name));
    if (linked.length)
      await tx
        .insert(jobSheetTemplateServices)
        .values(linked.map((s) => ({ orgId, templateId: template.id, serviceId: s.id })));
  }
}
