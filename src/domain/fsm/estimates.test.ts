// Estimates against a real database: totals, who sees which, the state machine, expiry, and
// acceptance making exactly one work order.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import {
  companies,
  contacts,
  estimates,
  events,
  lineItems,
  outboxMessages,
  parts,
  services,
  workOrders,
} from "../../../db/schema";
import { createOrg, type Fixture } from "../../../test/helpers";
import type { Ctx } from "../context";
import { documentHistory } from "../events/documentHistory";
import { createTicket } from "../tickets/commands";
import {
  canTransitionEstimate,
  effectiveEstimateStatus,
  formatEstimateNumber,
  parseEstimateNumber,
} from "./estimateRules";
import {
  acceptEstimate,
  addEstimateLine,
  createEstimate,
  declineEstimate,
  expireDueEstimates,
  getEstimate,
  listEstimates,
  listOwnEstimates,
  removeEstimateLine,
  sendEstimate,
  updateEstimate,
} from "./estimates";
import { addLineItem, createWorkOrder, getWorkOrder } from "./workOrders";

let org: Fixture;
let other: Fixture;
let serviceId: string;
let partId: string;
let companyId: string;
let colleagueId: string;
let strangerId: string;
const NOW = new Date("2026-11-23T02:00:00Z"); // 10:00 in Kuala Lumpur
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);
const BASE = { origin: "https://support.example.test" };

/** A customer of the org acting in the portal as the given contact. */
function customer(contactId: string, now = NOW): Ctx {
  const ctx = org.ctx("customer", now);
  return { ...ctx, actor: { ...ctx.actor, contactId, userId: undefined, name: "Someone" } };
}

beforeAll(async () => {
  org = await createOrg("Estimates");
  other = await createOrg("EstimatesAway");
  const db = org.ctx("admin").db;
  const [service] = await db
    .insert(services)
    .values({
      orgId: org.orgId,
      name: "Aircon service",
      durationMinutes: 60,
      priceMinor: 15000,
      currency: "USD",
      taxBasisPoints: 800,
    })
    .returning();
  serviceId = service.id;
  const [part] = await db
    .insert(parts)
    .values({
      orgId: org.orgId,
      sku: "CMP-1",
      name: "Compressor",
      costMinor: 50000,
      priceMinor: 90000,
      currency: "USD",
      taxBasisPoints: 600,
    })
    .returning();
  partId = part.id;
  const [company] = await db.insert(companies).values({ orgId: org.orgId, name: "Acme Sdn Bhd" }).returning();
  companyId = company.id;
  const customerContact = org.users.customer.contactId!;
  await db.update(contacts).set({ companyId }).where(eq(contacts.id, customerContact));
  const [colleague] = await db
    .insert(contacts)
    .values({ orgId: org.orgId, name: "Colleague", email: `colleague-${org.orgId}@acme.test`, companyId })
    .returning();
  colleagueId = colleague.id;
  const [stranger] = await db
    .insert(contacts)
    .values({ orgId: org.orgId, name: "Stranger", email: `stranger-${org.orgId}@else.test` })
    .returning();
  strangerId = stranger.id;
});

const staff = (now = NOW) => org.ctx("dispatcher", now);

async function draft(subject = "Replace compressor", validUntil = "2026-12-31") {
  const estimate = await createEstimate(staff(), {
    subject,
    contactId: org.users.customer.contactId,
    validUntil,
  });
  await addEstimateLine(staff(), estimate.number, { kind: "service", serviceId, quantity: "1" });
  await addEstimateLine(staff(), estimate.number, {
    kind: "part",
    partId,
    quantity: "2",
    unitPrice: "850.00", // a discount on the catalog's 900.00
  });
  await addEstimateLine(staff(), estimate.number, {
    kind: "labour",
    description: "Call-out",
    quantity: "1",
    unitPrice: "45.50",
    taxPercent: "6",
  });
  return estimate;
}

async function sent(subject?: string, validUntil?: string) {
  const estimate = await draft(subject, validUntil);
  await sendEstimate(staff(), estimate.number, BASE);
  return estimate;
}

const eventTypes = async (estimateId: string) =>
  (await documentHistory(org.ctx("admin").db, org.orgId, "estimate", estimateId)).map((e) => e.type);

describe("numbers and rules", () => {
  test("EST-000012 formats and parses", () => {
    expect(formatEstimateNumber(12)).toBe("EST-000012");
    expect(parseEstimateNumber("EST-000012")).toBe(12);
    expect(parseEstimateNumber("est-12")).toBe(12);
    expect(parseEstimateNumber("WO-000012")).toBeUndefined();
  });

  test("the state machine", () => {
    expect(canTransitionEstimate("draft", "sent")).toBe(true);
    expect(canTransitionEstimate("draft", "accepted")).toBe(false);
    expect(canTransitionEstimate("sent", "accepted")).toBe(true);
    expect(canTransitionEstimate("sent", "declined")).toBe(true);
    expect(canTransitionEstimate("accepted", "converted")).toBe(true);
    for (const final of ["declined", "expired", "converted"] as const)
      for (const to of ["sent", "accepted", "declined"] as const)
        expect(canTransitionEstimate(final, to)).toBe(false);
  });

  test("a sent estimate reads as expired the day after its last valid day", () => {
    const e = { status: "sent" as const, validUntil: "2026-11-30" };
    expect(effectiveEstimateStatus(e, "2026-11-30")).toBe("sent");
    expect(effectiveEstimateStatus(e, "2026-12-01")).toBe("expired");
    expect(effectiveEstimateStatus({ ...e, status: "draft" }, "2027-01-01")).toBe("draft");
  });
});

describe("drafts", () => {
  test("numbers count per organization; lines priced from the catalog or as typed", async () => {
    const estimate = await draft();
    expect(estimate.status).toBe("draft");
    const awayFirst = await createEstimate(other.ctx("dispatcher", NOW), {
      subject: "Elsewhere",
      contactId: other.users.customer.contactId,
    });
    expect(awayFirst.number).toBe(1);
    expect(awayFirst.validUntil).toBe("2026-12-23"); // 30 days by default
    const detail = await getEstimate(staff(), estimate.number);
    expect(detail.lines.map((l) => [l.kind, l.quantity, l.unitPriceMinor, l.taxBasisPoints])).toEqual([
      ["service", 1, 15000, 800],
      ["part", 2, 85000, 600],
      ["labour", 1, 4550, 600],
    ]);
    // 150.00 + 1,700.00 + 45.50; tax 12.00 + 102.00 + 2.73 (2.73 from 2.73, per line, rounded)
    expect(detail.totals.subtotalMinor).toBe(15000 + 170000 + 4550);
    expect(detail.totals.taxMinor).toBe(1200 + 10200 + 273);
    expect(detail.totals.totalMinor).toBe(189550 + 11673);
    expect(detail.totals.taxByRate).toEqual([
      { taxBasisPoints: 600, taxMinor: 10473 },
      { taxBasisPoints: 800, taxMinor: 1200 },
    ]);
    expect(detail.estimate.companyId).toBe(companyId);
  });

  test("bad input marks the fields", async () => {
    const error = await createEstimate(staff(), {
      subject: " ",
      contactId: "nope",
      validUntil: "2026-02-30",
    }).catch((e) => e);
    expect(error.status).toBe(422);
    expect(Object.keys(error.fields).sort()).toEqual(["contactId", "subject", "validUntil"]);
    const past = await createEstimate(staff(), {
      subject: "x",
      contactId: org.users.customer.contactId,
      validUntil: "2026-11-22",
    }).catch((e) => e);
    expect(past.fields.validUntil).toBe("Choose today or a later day.");
    const estimate = await draft();
    const line = await addEstimateLine(staff(), estimate.number, {
      kind: "labour",
      quantity: "0",
      unitPrice: "abc",
    }).catch((e) => e);
    expect(Object.keys(line.fields).sort()).toEqual(["quantity", "unitPrice"]);
  });

  test("only drafts change; sending needs a line and a valid date", async () => {
    const empty = await createEstimate(staff(), {
      subject: "Empty",
      contactId: org.users.customer.contactId,
    });
    expect((await sendEstimate(staff(), empty.number, BASE).catch((e) => e)).status).toBe(409);
    const estimate = await draft();
    await updateEstimate(staff(), estimate.number, {
      subject: "Replace compressor (revised)",
      contactId: org.users.customer.contactId,
      validUntil: "2026-12-20",
    });
    const detail = await getEstimate(staff(), estimate.number);
    await removeEstimateLine(staff(), estimate.number, detail.lines[2].id);
    await sendEstimate(staff(), estimate.number, BASE);
    for (const change of [
      () => addEstimateLine(staff(), estimate.number, { kind: "service", serviceId, quantity: "1" }),
      () => removeEstimateLine(staff(), estimate.number, detail.lines[0].id),
      () =>
        updateEstimate(staff(), estimate.number, { subject: "x", contactId: org.users.customer.contactId }),
    ])
      expect((await change().catch((e) => e)).status).toBe(409);
    expect(await eventTypes(estimate.id)).toEqual([
      "estimate.created",
      "estimate.line_added",
      "estimate.line_added",
      "estimate.line_added",
      "estimate.updated",
      "estimate.line_removed",
      "estimate.sent",
    ]);
  });
});

describe("sending", () => {
  test("mails the customer a link to the estimate in the portal", async () => {
    const estimate = await sent("Mail me");
    const number = formatEstimateNumber(estimate.number);
    const [mail] = await org
      .ctx("admin")
      .db.select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.orgId, org.orgId), eq(outboxMessages.kind, "estimate_sent")))
      .then((rows) => rows.filter((r) => r.subject.includes(number)));
    expect(mail.toAddress).toBe(org.users.customer.email.replace("customer@", "customer@"));
    expect(mail.subject).toBe(`[${number}] Estimate: Mail me`);
    expect(mail.textBody).toContain(`https://support.example.test/portal/estimates/${number}`);
    expect(mail.textBody).toContain("USD 2,012.23");
    // Sending again is a reminder, recorded as such.
    await sendEstimate(staff(), estimate.number, BASE);
    expect((await eventTypes(estimate.id)).slice(-2)).toEqual(["estimate.sent", "estimate.resent"]);
  });
});

describe("who sees an estimate", () => {
  test("the customer and their company once sent; nobody else", async () => {
    const estimate = await draft("Visibility");
    // A draft is not the customer's yet.
    expect(
      (await getEstimate(customer(org.users.customer.contactId!), estimate.number).catch((e) => e)).status,
    ).toBe(404);
    await sendEstimate(staff(), estimate.number, BASE);
    expect((await getEstimate(customer(org.users.customer.contactId!), estimate.number)).estimate.id).toBe(
      estimate.id,
    );
    expect((await getEstimate(customer(colleagueId), estimate.number)).estimate.id).toBe(estimate.id);
    expect((await getEstimate(customer(strangerId), estimate.number).catch((e) => e)).status).toBe(404);
    expect((await listOwnEstimates(customer(strangerId))).map((e) => e.id)).not.toContain(estimate.id);
    expect((await listOwnEstimates(customer(colleagueId))).map((e) => e.id)).toContain(estimate.id);
    // Another organization's people, staff or not, find nothing.
    expect((await getEstimate(other.ctx("admin", NOW), estimate.id).catch((e) => e)).status).toBe(404);
    expect((await getEstimate(other.ctx("customer", NOW), estimate.number).catch((e) => e)).status).toBe(404);
    // Agents and technicians do not handle estimates.
    expect((await getEstimate(org.ctx("technician", NOW), estimate.number).catch((e) => e)).status).toBe(404);
    expect((await createEstimate(org.ctx("agent", NOW), { subject: "x" }).catch((e) => e)).status).toBe(403);
    // Customers do not send.
    expect(
      (await sendEstimate(customer(org.users.customer.contactId!), estimate.number, BASE).catch((e) => e))
        .status,
    ).toBe(403);
  });
});

describe("accepting", () => {
  test("needs a typed name and the box ticked", async () => {
    const estimate = await sent("Sign it");
    const error = await acceptEstimate(customer(org.users.customer.contactId!), estimate.number, {
      name: "  ",
      agreed: false,
      ip: null,
    }).catch((e) => e);
    expect(error.status).toBe(422);
    expect(Object.keys(error.fields).sort()).toEqual(["agree", "signatureName"]);
    const [row] = await org.ctx("admin").db.select().from(estimates).where(eq(estimates.id, estimate.id));
    expect(row.status).toBe("sent");
  });

  test("records the signature and makes one work order with the lines; a second submit makes none", async () => {
    const estimate = await sent("Accept me");
    const ctx = customer(org.users.customer.contactId!, days(1));
    const first = await acceptEstimate(ctx, estimate.number, {
      name: "Carol  Customer",
      agreed: true,
      ip: "203.0.113.9",
    });
    expect(first.already).toBe(false);
    expect(first.estimate.status).toBe("converted");
    expect(first.estimate.acceptedName).toBe("Carol Customer");
    expect(first.estimate.acceptedIp).toBe("203.0.113.9");
    expect(first.estimate.acceptedAt?.toISOString()).toBe(days(1).toISOString());
    const again = await acceptEstimate(ctx, estimate.number, { name: "Carol", agreed: true, ip: null });
    expect(again.already).toBe(true);
    expect(again.workOrder.id).toBe(first.workOrder.id);
    const made = await org
      .ctx("admin")
      .db.select()
      .from(workOrders)
      .where(and(eq(workOrders.orgId, org.orgId), eq(workOrders.subject, "Accept me")));
    expect(made.length).toBe(1);
    const wo = await getWorkOrder(staff(), first.workOrder.id);
    const est = await getEstimate(staff(), estimate.number);
    expect(
      wo.lines.map((l) => [l.kind, l.description, l.quantity, l.unitPriceMinor, l.taxBasisPoints]),
    ).toEqual(est.lines.map((l) => [l.kind, l.description, l.quantity, l.unitPriceMinor, l.taxBasisPoints]));
    expect(wo.totals).toEqual(est.totals);
    expect(wo.workOrder.contactId).toBe(org.users.customer.contactId);
    expect(est.workOrder?.number).toBe(first.workOrder.number);
    expect(await eventTypes(estimate.id)).toEqual([
      "estimate.created",
      "estimate.line_added",
      "estimate.line_added",
      "estimate.line_added",
      "estimate.sent",
      "estimate.accepted",
      "estimate.converted",
    ]);
    // Final: it cannot be declined afterwards.
    expect((await declineEstimate(ctx, estimate.number, {}).catch((e) => e)).status).toBe(409);
  });

  test("two submits at once still make one work order", async () => {
    const estimate = await sent("Double click");
    const ctx = customer(org.users.customer.contactId!);
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        acceptEstimate(ctx, estimate.number, { name: "Carol", agreed: true, ip: null }),
      ),
    );
    const fulfilled = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(fulfilled.length).toBe(4);
    expect(new Set(fulfilled.map((r) => r.workOrder.id)).size).toBe(1);
    expect(fulfilled.filter((r) => !r.already).length).toBe(1);
    const lines = await org
      .ctx("admin")
      .db.select()
      .from(lineItems)
      .where(and(eq(lineItems.orgId, org.orgId), eq(lineItems.workOrderId, fulfilled[0].workOrder.id)));
    expect(lines.length).toBe(3);
  });

  test("past its valid-until date it is expired, recorded, and cannot be accepted", async () => {
    const estimate = await sent("Too late", "2026-11-30");
    const late = customer(org.users.customer.contactId!, new Date("2026-11-30T17:00:00Z")); // 1 Dec, 01:00 in KL
    expect((await getEstimate(late, estimate.number)).status).toBe("expired");
    const error = await acceptEstimate(late, estimate.number, {
      name: "Carol",
      agreed: true,
      ip: null,
    }).catch((e) => e);
    expect(error.status).toBe(409);
    expect(error.message).toContain("expired");
    const [row] = await org.ctx("admin").db.select().from(estimates).where(eq(estimates.id, estimate.id));
    expect(row.status).toBe("expired");
    expect(row.convertedWorkOrderId).toBeNull();
    expect((await eventTypes(estimate.id)).at(-1)).toBe("estimate.expired");
    // The last valid day itself still counts.
    const onTime = await sent("Just in time", "2026-11-30");
    const lastDay = customer(org.users.customer.contactId!, new Date("2026-11-30T15:59:00Z")); // 23:59 in KL
    expect(
      (await acceptEstimate(lastDay, onTime.number, { name: "Carol", agreed: true, ip: null })).already,
    ).toBe(false);
  });
});

describe("declining", () => {
  test("with an optional reason; then it cannot be accepted", async () => {
    const estimate = await sent("No thanks");
    const ctx = customer(colleagueId);
    const declined = await declineEstimate(ctx, estimate.number, { reason: "Too expensive" });
    expect(declined.status).toBe("declined");
    expect(declined.declineReason).toBe("Too expensive");
    expect((await declineEstimate(ctx, estimate.number, {})).status).toBe("declined");
    const error = await acceptEstimate(ctx, estimate.number, { name: "C", agreed: true, ip: null }).catch(
      (e) => e,
    );
    expect(error.status).toBe(409);
    expect((await eventTypes(estimate.id)).filter((t) => t === "estimate.declined").length).toBe(1);
  });
});

describe("the expiry sweep", () => {
  test("marks sent estimates past their date expired once", async () => {
    const fresh = await createOrg("EstimateSweep");
    const ctx = fresh.ctx("dispatcher", NOW);
    const estimate = await createEstimate(ctx, {
      subject: "Sweep",
      contactId: fresh.users.customer.contactId,
      validUntil: "2026-11-25",
    });
    await addEstimateLine(ctx, estimate.number, { kind: "labour", quantity: "1", unitPrice: "10" });
    await sendEstimate(ctx, estimate.number, BASE);
    const kept = await createEstimate(ctx, {
      subject: "Still valid",
      contactId: fresh.users.customer.contactId,
      validUntil: "2026-12-25",
    });
    await expireDueEstimates(ctx.db, new Date("2026-11-25T15:00:00Z")); // 23:00 on the 25th in KL
    const afterFirst = await listEstimates(fresh.ctx("dispatcher", new Date("2026-11-25T15:00:00Z")), {});
    expect(afterFirst.find((e) => e.id === estimate.id)?.status).toBe("sent");
    await expireDueEstimates(ctx.db, new Date("2026-11-25T16:30:00Z")); // 00:30 on the 26th
    await expireDueEstimates(ctx.db, new Date("2026-11-25T17:30:00Z"));
    const rows = await ctx.db.select().from(estimates).where(eq(estimates.orgId, fresh.orgId));
    expect(rows.find((r) => r.id === estimate.id)?.status).toBe("expired");
    expect(rows.find((r) => r.id === kept.id)?.status).toBe("draft");
    const expiredEvents = await ctx.db
      .select()
      .from(events)
      .where(and(eq(events.orgId, fresh.orgId), eq(events.type, "estimate.expired")));
    expect(expiredEvents.length).toBe(1);
    expect(expiredEvents[0].actorKind).toBe("system");
  });
});

describe("made from a ticket or a work order", () => {
  test("takes the ticket's customer and subject", async () => {
    const ticket = await createTicket(org.ctx("agent", NOW), {
      subject: "Cold room too warm",
      body: "Please quote a repair.",
      requesterEmail: `stranger-${org.orgId}@else.test`,
    });
    const estimate = await createEstimate(staff(), { subject: "", ticket: ticket.number });
    expect(estimate.subject).toBe("Cold room too warm");
    expect(estimate.contactId).toBe(strangerId);
    expect(estimate.ticketId).toBe(ticket.id);
    const list = await listEstimates(staff(), { q: "Cold room" });
    expect(list.map((e) => e.id)).toEqual([estimate.id]);
  });

  test("copies a work order's lines", async () => {
    const wo = await createWorkOrder(staff(), { subject: "Survey", contactId: org.users.customer.contactId });
    await addLineItem(staff(), wo.id, { kind: "service", serviceId, quantity: "2" });
    const estimate = await createEstimate(staff(), { subject: "", workOrder: wo.number });
    const detail = await getEstimate(staff(), estimate.id);
    expect(detail.sourceWorkOrder?.number).toBe(wo.number);
    expect(detail.lines.map((l) => [l.serviceId, l.quantity])).toEqual([[serviceId, 2]]);
  });
});
