// Invoices through HTTP as a browser without JavaScript: staff invoice a completed work order,
// edit, send and record payments; the customer reads only their own in the portal.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { contacts, services, users, workOrders } from "../../db/schema";
import {
  Client as Browser,
  type Client,
  createOrg,
  type Fixture,
  PASSWORD,
  signedIn,
} from "../../test/helpers";
import { hashPassword } from "../domain/auth/passwords";
import { formatWorkOrderNumber } from "../domain/fsm/rules";
import { addLineItem, createWorkOrder } from "../domain/fsm/workOrders";
import { addInvoiceLine, createInvoice, sendInvoice } from "../domain/invoicing/invoices";
import { formatInvoiceNumber } from "../domain/invoicing/rules";

let org: Fixture;
let away: Fixture;
let dispatcher: Client;
let customer: Client;
let stranger: Client;
let serviceId: string;

beforeAll(async () => {
  org = await createOrg("InvoiceRoutes");
  away = await createOrg("InvoiceRoutesAway");
  const db = org.ctx("admin").db;
  const [service] = await db
    .insert(services)
    .values({
      orgId: org.orgId,
      name: "Chiller inspection",
      durationMinutes: 90,
      priceMinor: 20000,
      currency: "USD",
      taxBasisPoints: 800,
    })
    .returning();
  serviceId = service.id;
  // A second customer of the same organization, with no company in common.
  const [contact] = await db
    .insert(contacts)
    .values({ orgId: org.orgId, name: "Other Customer", email: `other-${org.orgId}@else.test` })
    .returning();
  await db.insert(users).values({
    orgId: org.orgId,
    email: `other-${org.orgId}@else.test`,
    name: "Other Customer",
    role: "customer",
    passwordHash: await hashPassword(PASSWORD),
    contactId: contact.id,
  });
  dispatcher = await signedIn(org, "dispatcher");
  customer = await signedIn(org, "customer");
  stranger = await new Browser().signIn(`other-${org.orgId}@else.test`);
});

/** A completed work order of the org's customer with two inspections booked; its "WO-…" number. */
async function completedWorkOrder(subject: string) {
  const ctx = org.ctx("dispatcher");
  const wo = await createWorkOrder(ctx, { subject, contactId: org.users.customer.contactId });
  await addLineItem(ctx, wo.number, { kind: "service", serviceId, quantity: "2" });
  await ctx.db
    .update(workOrders)
    .set({ status: "completed" })
    .where(and(eq(workOrders.orgId, org.orgId), eq(workOrders.id, wo.id)));
  return formatWorkOrderNumber(wo.number);
}

/** A sent invoice of the org's customer, made through the domain; its "INV-…" number. */
async function sentInvoice(subject: string) {
  const ctx = org.ctx("dispatcher");
  const invoice = await createInvoice(ctx, { subject, contactId: org.users.customer.contactId });
  await addInvoiceLine(ctx, invoice.number, { kind: "service", serviceId, quantity: "1" });
  await sendInvoice(ctx, invoice.number, { origin: "http://localhost" });
  return formatInvoiceNumber(invoice.number);
}

const documentOf = async (response: Response) =>
  (await import("linkedom")).parseHTML(await response.text()).document;

describe("staff pages", () => {
  test("managers reach everything, agents read, others are refused", async () => {
    const number = await sentInvoice("Access check");
    for (const role of ["technician", "customer"] as const) {
      const client = await signedIn(org, role);
      expect((await client.get("/fsm/invoices")).status).toBe(403);
      expect((await client.post("/fsm/invoices", { subject: "x" })).status).toBe(403);
    }
    const agent = await signedIn(org, "agent");
    const list = await agent.page("/fsm/invoices");
    expect(list.status).toBe(200);
    expect(list.document.querySelector('a[href="/fsm/invoices/new"]')).toBeNull();
    const page = await agent.page(`/fsm/invoices/${number}`);
    expect(page.status).toBe(200);
    expect(page.document.querySelector('form[action$="/payments"]')).toBeNull();
    expect((await agent.post(`/fsm/invoices/${number}/void`, { reason: "x" })).status).toBe(403);
    for (const role of ["admin", "supervisor"] as const)
      expect((await (await signedIn(org, role)).get("/fsm/invoices")).status).toBe(200);
    // Another organization's staff do not find it.
    const other = await signedIn(away, "admin");
    expect((await other.get(`/fsm/invoices/${number}`)).status).toBe(404);
    expect((await other.get(`/fsm/invoices/${number}.pdf`)).status).toBe(404);
    expect((await other.post(`/fsm/invoices/${number}/void`, { reason: "x" })).status).toBe(404);
  });

  test("the new form comes back with the fields marked and what was typed kept", async () => {
    const response = await dispatcher.post("/fsm/invoices", {
      workOrder: "WO-999999",
      contactEmail: "nobody@nowhere.test",
      subject: "Keep me",
      paymentTermsDays: "abc",
      notes: "Keep these notes",
    });
    expect(response.status).toBe(422);
    const document = await documentOf(response);
    expect(document.querySelector("#workOrder-error")?.textContent).toContain("No work order");
    expect(document.querySelector("#contactEmail-error")?.textContent).toContain("No customer");
    expect(document.querySelector(".field.invalid #paymentTermsDays")).toBeTruthy();
    expect(document.querySelector("#notes")?.textContent).toBe("Keep these notes");
    expect(document.querySelector("#subject")?.getAttribute("value")).toBe("Keep me");
  });

  test("Create invoice on a completed work order; lines, sending, payments; both pages link", async () => {
    const woNumber = await completedWorkOrder("Quarterly chiller check");
    const woPage = await dispatcher.page(`/fsm/work-orders/${woNumber}`);
    const createForm = woPage.document.querySelector("form.create-invoice");
    expect(createForm?.getAttribute("action")).toBe("/fsm/invoices");
    const created = await dispatcher.post("/fsm/invoices", { workOrder: woNumber });
    expect(created.status).toBe(303);
    const url = created.headers.get("location")!;
    expect(url).toMatch(/^\/fsm\/invoices\/INV-\d{6}\?notice=created$/);
    const base = url.split("?")[0];
    const number = base.split("/").pop()!;

    const draft = await dispatcher.page(base);
    expect(draft.document.querySelector("a.invoiced-work-order")?.getAttribute("href")).toBe(
      `/fsm/work-orders/${woNumber}`,
    );
    expect(draft.document.querySelector("#total")?.textContent).toBe("USD 432.00");
    const linked = await dispatcher.page(`/fsm/work-orders/${woNumber}`);
    expect(linked.document.querySelector("a.invoice-link")?.getAttribute("href")).toBe(base);
    expect(linked.document.querySelector("form.create-invoice")).toBeNull();

    // A line with a bad price comes back marked, its kind kept.
    const badLine = await dispatcher.post(`${base}/lines`, { kind: "labour", quantity: "1", unitPrice: "x" });
    expect(badLine.status).toBe(422);
    const badPage = await documentOf(badLine);
    expect(badPage.querySelector("#unitPrice-error")).toBeTruthy();
    expect(badPage.querySelector("#kind option[selected]")?.getAttribute("value")).toBe("labour");
    await dispatcher.post(`${base}/lines`, {
      kind: "labour",
      description: "Crane",
      quantity: "1",
      unitPrice: "50",
    });
    // Change the labour line through its own form.
    const withLines = await dispatcher.page(base);
    const changeLinks = withLines.document.querySelectorAll("a.change-line");
    expect(changeLinks.length).toBe(2);
    // The browser keeps the "#change-line" fragment to itself.
    const editPage = await dispatcher.page(changeLinks[1].getAttribute("href")!.split("#")[0]);
    const changeForm = editPage.document.querySelector("form#change-line");
    expect(changeForm?.querySelector("#unitPrice")?.getAttribute("value")).toBe("50.00");
    const action = changeForm!.getAttribute("action")!;
    const badChange = await dispatcher.post(action, {
      description: "Crane",
      quantity: "-1",
      unitPrice: "60",
    });
    expect(badChange.status).toBe(422);
    const badChangePage = await documentOf(badChange);
    expect(badChangePage.querySelector("form#change-line #quantity-error")).toBeTruthy();
    expect(badChangePage.querySelector("form#change-line #unitPrice")?.getAttribute("value")).toBe("60");
    expect(
      (await dispatcher.post(action, { description: "Crane hire", quantity: "2", unitPrice: "60" })).status,
    ).toBe(303);
    const changed = await dispatcher.page(base);
    expect(changed.document.querySelector("#total")?.textContent).toBe("USD 552.00");

    expect((await dispatcher.post(`${base}/send`, {})).status).toBe(303);
    const sent = await dispatcher.page(base);
    expect(sent.document.querySelector(".badge")?.textContent).toBe("Sent");
    expect(sent.document.querySelector(`form[action="${base}/lines"]`)).toBeNull();
    expect(sent.document.querySelector(".history")?.textContent).toContain("sent it to customer@");

    const overpaid = await dispatcher.post(`${base}/payments`, {
      amount: "600",
      method: "card",
      receivedOn: "",
      reference: "keep-ref",
    });
    expect(overpaid.status).toBe(422);
    const overpaidPage = await documentOf(overpaid);
    expect(overpaidPage.querySelector("#amount-error")?.textContent).toContain("USD 552.00");
    expect(overpaidPage.querySelector("#reference")?.getAttribute("value")).toBe("keep-ref");
    expect(overpaidPage.querySelector("#method option[selected]")?.getAttribute("value")).toBe("card");
    expect(
      (
        await dispatcher.post(`${base}/payments`, { amount: "500", method: "bank_transfer", reference: "T1" })
      ).headers.get("location"),
    ).toBe(`${base}?notice=payment`);
    const part = await dispatcher.page(base);
    expect(part.document.querySelector("#balance")?.textContent).toBe("USD 52.00");
    expect(
      (await dispatcher.post(`${base}/payments`, { amount: "52", method: "cash" })).headers.get("location"),
    ).toBe(`${base}?notice=paid`);
    const paid = await dispatcher.page(base);
    expect(paid.document.querySelector(".badge")?.textContent).toBe("Paid");
    expect(paid.document.querySelector("#balance")?.textContent).toBe("USD 0.00");
    expect(paid.document.querySelectorAll(".payments tr").length).toBe(2);

    const pdf = await dispatcher.get(`${base}.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");

    const list = await dispatcher.page(`/fsm/invoices?status=paid&q=${number}`);
    expect(list.document.querySelectorAll("table.invoices tbody tr").length).toBe(1);
    expect(list.document.querySelector(".list-total")?.textContent).toContain("USD 552.00");
  });

  test("voiding needs a reason, and the invoice page says why it is void", async () => {
    const number = await sentInvoice("Void me");
    const base = `/fsm/invoices/${number}`;
    const noReason = await dispatcher.post(`${base}/void`, { reason: "" });
    expect(noReason.status).toBe(422);
    expect((await documentOf(noReason)).querySelector("#reason-error")).toBeTruthy();
    expect((await dispatcher.post(`${base}/void`, { reason: "Sent to the wrong customer" })).status).toBe(
      303,
    );
    const page = await dispatcher.page(base);
    expect(page.document.querySelector(".badge")?.textContent).toBe("Void");
    expect(page.document.querySelector(".void-reason")?.textContent).toContain("Sent to the wrong customer");
  });
});

describe("the portal, without JavaScript", () => {
  test("the customer reads their invoices and its PDF; drafts and others' stay hidden", async () => {
    const number = await sentInvoice("Pump repair");
    const draft = await createInvoice(org.ctx("dispatcher"), {
      subject: "Not yet",
      contactId: org.users.customer.contactId,
    });
    const list = await customer.page("/portal/invoices");
    expect(list.status).toBe(200);
    expect(list.document.querySelector("script")).toBeNull();
    expect(list.document.querySelector(`a[href="/portal/invoices/${number}"]`)).toBeTruthy();
    expect(
      list.document.querySelector(`a[href="/portal/invoices/${formatInvoiceNumber(draft.number)}"]`),
    ).toBeNull();
    const page = await customer.page(`/portal/invoices/${number}`);
    expect(page.status).toBe(200);
    expect(page.document.querySelector("script")).toBeNull();
    expect(page.document.querySelector("#total")?.textContent).toBe("USD 216.00");
    expect(page.document.querySelector("#balance")?.textContent).toBe("USD 216.00");
    const pdf = await customer.get(`/portal/invoices/${number}.pdf`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect((await customer.get(`/portal/invoices/${formatInvoiceNumber(draft.number)}`)).status).toBe(404);
    // Another customer of the same organization, and the staff pages, are closed to them.
    expect((await stranger.get(`/portal/invoices/${number}`)).status).toBe(404);
    expect((await stranger.get(`/portal/invoices/${number}.pdf`)).status).toBe(404);
    const strangers = await stranger.page("/portal/invoices");
    expect(strangers.document.querySelector(`a[href="/portal/invoices/${number}"]`)).toBeNull();
    expect((await customer.get(`/fsm/invoices/${number}`)).status).toBe(403);
    expect((await dispatcher.get("/portal/invoices")).status).toBe(403);
  });
});
