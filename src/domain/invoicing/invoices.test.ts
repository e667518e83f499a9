// Invoices against a real database: totals and rounding, gapless numbers, the state machine, one
// invoice per work order, payments, who sees which, and the PDF.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import {
  companies,
  contacts,
  invoices,
  outboxMessages,
  parts,
  services,
  workOrders,
} from "../../../db/schema";
import { createOrg, type Fixture } from "../../../test/helpers";
import type { Ctx } from "../context";
import { documentHistory } from "../events/documentHistory";
import { addLineItem, createWorkOrder } from "../fsm/workOrders";
import {
  addInvoiceLine,
  createInvoice,
  getInvoice,
  invoiceOfWorkOrder,
  listInvoices,
  listOwnInvoices,
  recordPayment,
  removeInvoiceLine,
  sendInvoice,
  updateInvoice,
  updateInvoiceLine,
  voidInvoice,
} from "./invoices";
import { renderInvoicePdf } from "./pdf";
import { canTransitionInvoice, formatInvoiceNumber, parseInvoiceNumber, shownInvoiceStatus } from "./rules";

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

const staff = (now = NOW) => org.ctx("dispatcher", now);

beforeAll(async () => {
  org = await createOrg("Invoices");
  other = await createOrg("InvoicesAway");
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
      sku: "CAP-35",
      name: "Capacitor",
      costMinor: 1000,
      priceMinor: 4555,
      currency: "USD",
      taxBasisPoints: 600,
    })
    .returning();
  partId = part.id;
  const [company] = await db.insert(companies).values({ orgId: org.orgId, name: "Acme Sdn Bhd" }).returning();
  companyId = company.id;
  await db.update(contacts).set({ companyId }).where(eq(contacts.id, org.users.customer.contactId!));
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

/** A work order of the org's customer with a service, two parts and labour, in the given status. */
async function workOrder(status: "completed" | "closed" | "in_progress" = "completed") {
  const ctx = staff();
  const wo = await createWorkOrder(ctx, {
    subject: "Fix the aircon",
    contactId: org.users.customer.contactId,
  });
  // Booked a minute apart: the invoice keeps the order they were booked in.
  const at = (minutes: number) => staff(new Date(NOW.getTime() - 3_600_000 + minutes * 60_000));
  await addLineItem(at(1), wo.number, { kind: "service", serviceId, quantity: "1" });
  await addLineItem(at(2), wo.number, { kind: "part", partId, quantity: "2" });
  await addLineItem(at(3), wo.number, {
    kind: "labour",
    description: "Overtime",
    quantity: "3",
    unitPrice: "33.33",
    taxPercent: "6",
  });
  await ctx.db
    .update(workOrders)
    .set({ status })
    .where(and(eq(workOrders.orgId, org.orgId), eq(workOrders.id, wo.id)));
  return wo;
}

/** A draft made out directly to the customer, with one labour line. */
async function draft(subject = "Call-out", price = "100.00") {
  const invoice = await createInvoice(staff(), { subject, contactId: org.users.customer.contactId });
  await addInvoiceLine(staff(), invoice.number, {
    kind: "labour",
    quantity: "1",
    unitPrice: price,
    taxPercent: "8",
  });
  return invoice;
}

async function sent(subject?: string, price?: string) {
  const invoice = await draft(subject, price);
  await sendInvoice(staff(), invoice.number, BASE);
  return invoice;
}

const eventTypes = async (invoiceId: string) =>
  (await documentHistory(org.ctx("admin").db, org.orgId, "invoice", invoiceId)).map((e) => e.type);

describe("numbers and rules", () => {
  test("INV-000012 formats and parses", () => {
    expect(formatInvoiceNumber(12)).toBe("INV-000012");
    expect(parseInvoiceNumber("INV-000012")).toBe(12);
    expect(parseInvoiceNumber("inv-12")).toBe(12);
    expect(parseInvoiceNumber("EST-000012")).toBeUndefined();
  });

  test("the state machine", () => {
    expect(canTransitionInvoice("draft", "sent")).toBe(true);
    expect(canTransitionInvoice("draft", "paid")).toBe(false);
    expect(canTransitionInvoice("sent", "paid")).toBe(true);
    expect(canTransitionInvoice("sent", "void")).toBe(true);
    expect(canTransitionInvoice("draft", "void")).toBe(true);
    for (const final of ["paid", "void"] as const)
      for (const to of ["sent", "paid", "void"] as const) expect(canTransitionInvoice(final, to)).toBe(false);
  });

  test("a sent invoice reads as overdue the day after its due date", () => {
    const i = { status: "sent" as const, dueDate: "2026-11-30" };
    expect(shownInvoiceStatus(i, "2026-11-30")).toBe("sent");
    expect(shownInvoiceStatus(i, "2026-12-01")).toBe("overdue");
    expect(shownInvoiceStatus({ ...i, status: "paid" }, "2027-01-01")).toBe("paid");
  });
});

describe("from a work order", () => {
  test("copies its lines at their prices and tax, its customer and company; totals round per line", async () => {
    const wo = await workOrder();
    const invoice = await createInvoice(staff(), { workOrder: wo.number });
    expect(invoice.workOrderId).toBe(wo.id);
    expect(invoice.subject).toBe("Fix the aircon");
    expect(invoice.contactId).toBe(org.users.customer.contactId!);
    expect(invoice.companyId).toBe(companyId);
    expect(invoice.issueDate).toBe("2026-11-23");
    expect(invoice.dueDate).toBe("2026-12-23"); // 30 days by default
    const detail = await getInvoice(staff(), invoice.number);
    expect(detail.lines.map((l) => [l.kind, l.quantity, l.unitPriceMinor, l.taxBasisPoints])).toEqual([
      ["service", 1, 15000, 800],
      ["part", 2, 4555, 600],
      ["labour", 3, 3333, 600],
    ]);
    // 150.00 + 91.10 + 99.99; tax 12.00 + 5.466 → 5.47 + 5.9994 → 6.00, each line rounded half up.
    expect(detail.totals.subtotalMinor).toBe(15000 + 9110 + 9999);
    expect(detail.totals.taxMinor).toBe(1200 + 547 + 600);
    expect(detail.totals.totalMinor).toBe(34109 + 2347);
    expect(detail.totals.taxByRate).toEqual([
      { taxBasisPoints: 600, taxMinor: 1147 },
      { taxBasisPoints: 800, taxMinor: 1200 },
    ]);
    expect(detail.workOrder?.number).toBe(wo.number);
    expect(await invoiceOfWorkOrder(staff(), { id: wo.id, status: "completed" })).toEqual({
      invoice: { number: invoice.number, status: "draft" },
      canCreate: false,
    });
  });

  test("only once the work is done, and once per work order until that invoice is void", async () => {
    const open = await workOrder("in_progress");
    const notDone = await createInvoice(staff(), { workOrder: open.number }).catch((e) => e);
    expect(notDone.status).toBe(422);
    expect(notDone.fields.workOrder).toContain("not completed");
    expect((await invoiceOfWorkOrder(staff(), { id: open.id, status: "in_progress" })).canCreate).toBe(false);

    const wo = await workOrder("closed");
    expect((await invoiceOfWorkOrder(staff(), { id: wo.id, status: "closed" })).canCreate).toBe(true);
    const first = await createInvoice(staff(), { workOrder: wo.number });
    const twice = await createInvoice(staff(), { workOrder: wo.number }).catch((e) => e);
    expect(twice.status).toBe(422);
    expect(twice.fields.workOrder).toContain(formatInvoiceNumber(first.number));
    await voidInvoice(staff(), first.number, { reason: "Wrong customer" });
    const second = await createInvoice(staff(), { workOrder: wo.number });
    expect(second.number).toBe(first.number + 1);
  });

  test("two people invoicing the same work order at once make one invoice", async () => {
    const wo = await workOrder();
    const results = await Promise.allSettled([
      createInvoice(staff(), { workOrder: wo.number }),
      createInvoice(staff(), { workOrder: wo.number }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.status).toBe(422);
    const rows = await staff()
      .db.select()
      .from(invoices)
      .where(and(eq(invoices.orgId, org.orgId), eq(invoices.workOrderId, wo.id)));
    expect(rows).toHaveLength(1);
    // The refused one used up no number.
    const next = await createInvoice(staff(), { subject: "Next", contactId: org.users.customer.contactId });
    expect(next.number).toBe(rows[0].number + 1);
  });
});

describe("numbers", () => {
  test("gapless per organization under two concurrent creates", async () => {
    const before = (await listInvoices(staff(), {}, 1))[0]?.number ?? 0;
    const made = await Promise.all([
      createInvoice(staff(), { subject: "One", contactId: org.users.customer.contactId }),
      createInvoice(staff(), { subject: "Two", contactId: org.users.customer.contactId }),
    ]);
    expect(made.map((i) => i.number).sort((a, b) => a - b)).toEqual([before + 1, before + 2]);
    const away = await createInvoice(other.ctx("dispatcher", NOW), {
      subject: "Elsewhere",
      contactId: other.users.customer.contactId,
    });
    expect(away.number).toBe(1);
  });
});

describe("drafts", () => {
  test("lines are added, changed and removed with field errors; only drafts change", async () => {
    const invoice = await draft("Edit me");
    const bad = await addInvoiceLine(staff(), invoice.number, {
      kind: "labour",
      quantity: "0",
      unitPrice: "abc",
    }).catch((e) => e);
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.fields).sort()).toEqual(["quantity", "unitPrice"]);
    const part = await addInvoiceLine(staff(), invoice.number, { kind: "part", partId, quantity: "1" });
    const changed = await updateInvoiceLine(staff(), invoice.number, part.id, {
      description: "Capacitor, discounted",
      quantity: "2",
      unitPrice: "40.00",
      taxPercent: "",
    });
    expect([changed.quantity, changed.unitPriceMinor, changed.taxBasisPoints, changed.partId]).toEqual([
      2,
      4000,
      600, // the catalog's tax stays when none is typed
      partId,
    ]);
    const wrong = await updateInvoiceLine(staff(), invoice.number, part.id, { quantity: "x" }).catch(
      (e) => e,
    );
    expect(wrong.fields.quantity).toBeDefined();
    const header = await updateInvoice(staff(), invoice.number, {
      subject: "",
      paymentTermsDays: "400",
    }).catch((e) => e);
    expect(Object.keys(header.fields).sort()).toEqual(["paymentTermsDays", "subject"]);
    const saved = await updateInvoice(staff(), invoice.number, { subject: "Edited", paymentTermsDays: "14" });
    expect(saved.dueDate).toBe("2026-12-07");
    await removeInvoiceLine(staff(), invoice.number, part.id);
    await sendInvoice(staff(), invoice.number, BASE);
    for (const change of [
      () => addInvoiceLine(staff(), invoice.number, { kind: "service", serviceId, quantity: "1" }),
      () => updateInvoice(staff(), invoice.number, { subject: "x" }),
    ])
      expect((await change().catch((e) => e)).status).toBe(409);
    expect(await eventTypes(invoice.id)).toEqual([
      "invoice.created",
      "invoice.line_added",
      "invoice.line_added",
      "invoice.line_changed",
      "invoice.updated",
      "invoice.line_removed",
      "invoice.sent",
    ]);
  });
});

describe("sending", () => {
  test("issues it today, due after its terms, and mails the customer a link to the portal", async () => {
    const invoice = await draft("Mail me", "100.00");
    const empty = await createInvoice(staff(), { subject: "Empty", contactId: org.users.customer.contactId });
    expect((await sendInvoice(staff(), empty.number, BASE).catch((e) => e)).status).toBe(409);
    const later = days(3);
    const row = await sendInvoice(staff(later), invoice.number, BASE);
    expect([row.status, row.issueDate, row.dueDate]).toEqual(["sent", "2026-11-26", "2026-12-26"]);
    const number = formatInvoiceNumber(invoice.number);
    const mails = await staff()
      .db.select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.orgId, org.orgId), eq(outboxMessages.kind, "invoice_sent")))
      .then((rows) => rows.filter((r) => r.subject.includes(number)));
    expect(mails).toHaveLength(1);
    expect(mails[0].toAddress).toBe(org.users.customer.email);
    expect(mails[0].subject).toBe(`[${number}] Invoice: Mail me`);
    expect(mails[0].textBody).toContain(`https://support.example.test/portal/invoices/${number}`);
    expect(mails[0].textBody).toContain("USD 108.00");
    // A double submit of "Send" mails once; a reminder mails again.
    await sendInvoice(staff(later), invoice.number, BASE);
    expect((await eventTypes(invoice.id)).filter((t) => t.startsWith("invoice.sent"))).toHaveLength(1);
    await sendInvoice(staff(later), invoice.number, { ...BASE, reminder: true });
    expect((await eventTypes(invoice.id)).slice(-2)).toEqual(["invoice.sent", "invoice.resent"]);
  });

  test("a sent invoice past its due date shows as overdue, and can be filtered so", async () => {
    const invoice = await sent("Late payer");
    const late = days(31);
    expect((await getInvoice(staff(late), invoice.number)).status).toBe("overdue");
    expect((await getInvoice(staff(), invoice.number)).status).toBe("sent");
    const overdue = await listInvoices(staff(late), { status: "overdue", q: "Late payer" });
    expect(overdue.map((r) => r.number)).toEqual([invoice.number]);
    expect(await listInvoices(staff(), { status: "overdue", q: "Late payer" })).toEqual([]);
  });
});

describe("payments", () => {
  test("partial payments keep a balance; the last one marks it paid", async () => {
    const invoice = await sent("Pay in parts", "100.00"); // 108.00 with tax
    const draftOne = await draft("Not yet sent");
    expect(
      (await recordPayment(staff(), draftOne.number, { amount: "1", method: "cash" }).catch((e) => e)).status,
    ).toBe(409);
    const bad = await recordPayment(staff(), invoice.number, {
      amount: "-5",
      method: "gold",
      receivedOn: "2026-12-01",
    }).catch((e) => e);
    expect(Object.keys(bad.fields).sort()).toEqual(["amount", "method", "receivedOn"]);
    const first = await recordPayment(staff(), invoice.number, {
      amount: "50.00",
      method: "bank_transfer",
      reference: "TRX-1",
    });
    expect(first.invoice.status).toBe("sent");
    // The same transfer submitted twice is recorded once.
    expect(
      (
        await recordPayment(staff(), invoice.number, {
          amount: "50.00",
          method: "bank_transfer",
          reference: "TRX-1",
        })
      ).already,
    ).toBe(true);
    let detail = await getInvoice(staff(), invoice.number);
    expect([detail.paidMinor, detail.balanceMinor]).toEqual([5000, 5800]);
    const over = await recordPayment(staff(), invoice.number, { amount: "60.00", method: "cash" }).catch(
      (e) => e,
    );
    expect(over.fields.amount).toContain("USD 58.00");
    const last = await recordPayment(staff(), invoice.number, { amount: "58", method: "card" });
    expect(last.invoice.status).toBe("paid");
    detail = await getInvoice(staff(), invoice.number);
    expect([detail.status, detail.balanceMinor, detail.payments.length]).toEqual(["paid", 0, 2]);
    expect(
      (await recordPayment(staff(), invoice.number, { amount: "1", method: "cash" }).catch((e) => e)).status,
    ).toBe(409);
    expect((await voidInvoice(staff(), invoice.number, { reason: "x" }).catch((e) => e)).status).toBe(409);
    expect(await eventTypes(invoice.id)).toEqual([
      "invoice.created",
      "invoice.line_added",
      "invoice.sent",
      "invoice.payment_recorded",
      "invoice.payment_recorded",
      "invoice.paid",
    ]);
  });

  test("two full payments submitted at once pay it once", async () => {
    const invoice = await sent("Double click", "10.00");
    const results = await Promise.allSettled([
      recordPayment(staff(), invoice.number, { amount: "10.80", method: "cash" }),
      recordPayment(staff(), invoice.number, { amount: "10.80", method: "cash" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const detail = await getInvoice(staff(), invoice.number);
    expect([detail.status, detail.payments.length]).toEqual(["paid", 1]);
  });
});

describe("voiding", () => {
  test("needs a reason; a sent invoice with payments cannot be voided", async () => {
    const invoice = await sent("Mistake");
    const noReason = await voidInvoice(staff(), invoice.number, { reason: " " }).catch((e) => e);
    expect(noReason.fields.reason).toBeDefined();
    const voided = await voidInvoice(staff(), invoice.number, { reason: "Billed twice" });
    expect([voided.status, voided.voidReason]).toEqual(["void", "Billed twice"]);
    // A second submit changes nothing.
    expect((await voidInvoice(staff(), invoice.number, { reason: "Again" })).voidReason).toBe("Billed twice");
    expect((await eventTypes(invoice.id)).filter((t) => t === "invoice.voided")).toHaveLength(1);
    const paidSome = await sent("Half paid");
    await recordPayment(staff(), paidSome.number, { amount: "1", method: "cash" });
    expect((await voidInvoice(staff(), paidSome.number, { reason: "x" }).catch((e) => e)).status).toBe(409);
  });
});

describe("who sees an invoice", () => {
  test("the customer and their company once sent; nobody else; other organizations never", async () => {
    const invoice = await draft("Visibility");
    const mine = customer(org.users.customer.contactId!);
    expect((await getInvoice(mine, invoice.number).catch((e) => e)).status).toBe(404);
    expect((await listOwnInvoices(mine)).map((r) => r.number)).not.toContain(invoice.number);
    await sendInvoice(staff(), invoice.number, BASE);
    expect((await getInvoice(mine, invoice.number)).invoice.id).toBe(invoice.id);
    expect((await getInvoice(customer(colleagueId), invoice.number)).invoice.id).toBe(invoice.id);
    expect((await getInvoice(customer(strangerId), invoice.number).catch((e) => e)).status).toBe(404);
    expect((await listOwnInvoices(customer(strangerId))).map((r) => r.number)).not.toContain(invoice.number);
    expect((await listOwnInvoices(mine)).map((r) => r.number)).toContain(invoice.number);
    // Customers read only: every command refuses them.
    expect(
      (await recordPayment(mine, invoice.number, { amount: "1", method: "cash" }).catch((e) => e)).status,
    ).toBe(403);
    // Agents read invoices but do not change them; technicians do neither.
    expect((await getInvoice(org.ctx("agent", NOW), invoice.number)).invoice.id).toBe(invoice.id);
    expect(
      (await voidInvoice(org.ctx("agent", NOW), invoice.number, { reason: "x" }).catch((e) => e)).status,
    ).toBe(403);
    expect((await getInvoice(org.ctx("technician", NOW), invoice.number).catch((e) => e)).status).toBe(404);
    expect((await listInvoices(org.ctx("technician", NOW), {}).catch((e) => e)).status).toBe(403);
    // Another organization's staff get "not found", by number or by id.
    const away = other.ctx("admin", NOW);
    expect((await getInvoice(away, invoice.id).catch((e) => e)).status).toBe(404);
    expect((await voidInvoice(away, invoice.id, { reason: "x" }).catch((e) => e)).status).toBe(404);
    expect((await listInvoices(away, { q: "Visibility" })).length).toBe(0);
  });

  test("search by number or customer, with totals and balance", async () => {
    const invoice = await sent("Searchable", "20.00");
    const byNumber = await listInvoices(staff(), { q: formatInvoiceNumber(invoice.number) });
    expect(byNumber.map((r) => r.number)).toContain(invoice.number);
    const byCustomer = await listInvoices(staff(), { q: "carol cust" });
    const row = byCustomer.find((r) => r.number === invoice.number);
    expect([row?.totalMinor, row?.balanceMinor, row?.status]).toEqual([2160, 2160, "sent"]);
  });
});

describe("the PDF", () => {
  test("is a PDF of the invoice", async () => {
    const invoice = await sent("Printable");
    const pdf = await renderInvoicePdf(await getInvoice(staff(), invoice.number), "Acme Services");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(1000);
  });
});
