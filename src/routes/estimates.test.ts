// Estimates through HTTP as a browser without JavaScript: staff write and send one, the customer
// accepts or declines it in the portal; nobody else reaches it.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { contacts, outboxMessages, services, users, workOrders } from "../../db/schema";
import {
  Client as Browser,
  type Client,
  createOrg,
  type Fixture,
  PASSWORD,
  signedIn,
} from "../../test/helpers";
import { hashPassword } from "../domain/auth/passwords";
import { formatEstimateNumber } from "../domain/fsm/estimateRules";
import { addEstimateLine, createEstimate, sendEstimate } from "../domain/fsm/estimates";

let org: Fixture;
let away: Fixture;
let dispatcher: Client;
let customer: Client;
let stranger: Client;
let serviceId: string;

beforeAll(async () => {
  org = await createOrg("EstimateRoutes");
  away = await createOrg("EstimateRoutesAway");
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

/** A sent estimate of the org's customer, made through the domain; returns its "EST-…" number. */
async function sentEstimate(subject: string, now = new Date(), validUntil?: string) {
  const ctx = org.ctx("dispatcher", now);
  const estimate = await createEstimate(ctx, {
    subject,
    contactId: org.users.customer.contactId,
    validUntil,
  });
  await addEstimateLine(ctx, estimate.number, { kind: "service", serviceId, quantity: "2" });
  await sendEstimate(ctx, estimate.number, { origin: "http://localhost" });
  return formatEstimateNumber(estimate.number);
}

describe("staff pages", () => {
  test("only dispatchers, supervisors and admins reach them", async () => {
    for (const role of ["agent", "technician", "customer"] as const) {
      const client = await signedIn(org, role);
      expect((await client.get("/fsm/estimates")).status).toBe(403);
      expect((await client.post("/fsm/estimates", { subject: "x" })).status).toBe(403);
    }
    for (const role of ["admin", "supervisor"] as const) {
      expect((await (await signedIn(org, role)).get("/fsm/estimates")).status).toBe(200);
    }
    const visitor = await new Browser().get("/fsm/estimates");
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get("location")).toStartWith("/login");
  });

  test("the new form comes back with the fields marked and what was typed kept", async () => {
    const response = await dispatcher.post("/fsm/estimates", {
      subject: "",
      contactEmail: "nobody@nowhere.test",
      validUntil: "2026-02-31",
      notes: "Keep these notes",
      ticket: "TKT-999999",
    });
    expect(response.status).toBe(422);
    const { document } = await import("linkedom").then(async (m) => m.parseHTML(await response.text()));
    expect(document.querySelector(".field.invalid #subject")).toBeTruthy();
    expect(document.querySelector("#contactEmail-error")?.textContent).toContain("No customer");
    expect(document.querySelector("#ticket-error")?.textContent).toContain("No ticket");
    expect(document.querySelector("#notes")?.textContent).toBe("Keep these notes");
    expect(document.querySelector<HTMLInputElement>("#contactEmail")?.getAttribute("value")).toBe(
      "nobody@nowhere.test",
    );
  });

  test("write a draft, add lines, send it; then it is no longer editable", async () => {
    const created = await dispatcher.post("/fsm/estimates", {
      subject: "Chiller overhaul",
      contactEmail: org.users.customer.email.replace(/^customer@/, "customer@"),
      validUntil: "2099-12-31",
    });
    expect(created.status).toBe(303);
    const url = created.headers.get("location")!;
    expect(url).toMatch(/^\/fsm\/estimates\/EST-\d{6}\?notice=created$/);
    const base = url.split("?")[0];
    const badLine = await dispatcher.post(`${base}/lines`, { kind: "labour", quantity: "1", unitPrice: "x" });
    expect(badLine.status).toBe(422);
    const badPage = await import("linkedom").then(async (m) => m.parseHTML(await badLine.text()).document);
    expect(badPage.querySelector("#unitPrice-error")).toBeTruthy();
    expect(badPage.querySelector<HTMLSelectElement>("#kind option[selected]")?.getAttribute("value")).toBe(
      "labour",
    );
    await dispatcher.post(`${base}/lines`, { kind: "service", serviceId, quantity: "3" });
    await dispatcher.post(`${base}/lines`, {
      kind: "labour",
      description: "Crane hire",
      quantity: "1",
      unitPrice: "500",
    });
    const draft = await dispatcher.page(base);
    expect(draft.document.querySelector("#subtotal")?.textContent).toBe("USD 1,100.00");
    expect(draft.document.querySelector("#total")?.textContent).toBe("USD 1,148.00");
    const removeForms = draft.document.querySelectorAll('form[action*="/lines/"][action$="/delete"]');
    expect(removeForms.length).toBe(2);
    const removed = await dispatcher.post(removeForms[1].getAttribute("action")!, {});
    expect(removed.status).toBe(303);
    const sent = await dispatcher.post(`${base}/send`, {});
    expect(sent.status).toBe(303);
    const page = await dispatcher.page(base);
    expect(page.document.querySelector(".badge")?.textContent).toBe("Sent");
    expect(page.document.querySelector(`form[action="${base}/lines"]`)).toBeNull();
    expect(page.document.querySelector(".history")?.textContent).toContain("sent it to customer@");
    const late = await dispatcher.post(`${base}/lines`, { kind: "service", serviceId, quantity: "1" });
    expect(late.status).toBe(409);
    const [mail] = await org
      .ctx("admin")
      .db.select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.orgId, org.orgId), eq(outboxMessages.kind, "estimate_sent")));
    expect(mail.textBody).toContain(`http://localhost/portal/estimates/${base.split("/").pop()}`);
    const list = await dispatcher.page("/fsm/estimates?status=sent&q=overhaul");
    expect(list.document.querySelectorAll("table.estimates tbody tr").length).toBe(1);
  });
});

describe("the portal, without JavaScript", () => {
  test("the customer accepts with a typed name and the box; a second submit changes nothing", async () => {
    const number = await sentEstimate("Replace chiller pump");
    const page = await customer.page(`/portal/estimates/${number}`);
    expect(page.status).toBe(200);
    expect(page.document.querySelector("script")).toBeNull();
    expect(page.document.querySelector("#total")?.textContent).toBe("USD 432.00");
    const listed = await customer.page("/portal/estimates");
    expect(listed.document.querySelector(`a[href="/portal/estimates/${number}"]`)).toBeTruthy();
    const unsigned = await customer.post(`/portal/estimates/${number}/accept`, { signatureName: "Carol C" });
    expect(unsigned.status).toBe(422);
    const form = await import("linkedom").then(async (m) => m.parseHTML(await unsigned.text()).document);
    expect(form.querySelector("#agree-error")?.textContent).toContain("Tick the box");
    expect(form.querySelector("#signatureName")?.getAttribute("value")).toBe("Carol C");
    const accepted = await customer.post(`/portal/estimates/${number}/accept`, {
      signatureName: "Carol Customer",
      agree: "1",
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).toBe(`/portal/estimates/${number}?notice=accepted`);
    const again = await customer.post(`/portal/estimates/${number}/accept`, {
      signatureName: "Carol Customer",
      agree: "1",
    });
    expect(again.status).toBe(303);
    const after = await customer.page(`/portal/estimates/${number}`);
    expect(after.document.querySelector(".badge")?.textContent).toBe("Converted");
    expect(after.document.querySelector(".signature")?.textContent).toContain("Accepted by Carol Customer");
    expect(after.document.querySelector(`form[action$="/accept"]`)).toBeNull();
    const made = await org
      .ctx("admin")
      .db.select()
      .from(workOrders)
      .where(and(eq(workOrders.orgId, org.orgId), eq(workOrders.subject, "Replace chiller pump")));
    expect(made.length).toBe(1);
    // Both records point at each other.
    const staffPage = await dispatcher.page(`/fsm/estimates/${number}`);
    const woLink = staffPage.document.querySelector("a.converted-work-order")?.getAttribute("href");
    expect(woLink).toMatch(/^\/fsm\/work-orders\/WO-\d{6}$/);
    expect(staffPage.document.querySelector(".signature")?.textContent).toContain("Carol Customer");
    const wo = await dispatcher.page(woLink!);
    expect(wo.document.querySelector("a.from-estimate")?.getAttribute("href")).toBe(
      `/fsm/estimates/${number}`,
    );
    expect(wo.document.querySelector("#total")?.textContent).toBe("USD 432.00");
  });

  test("the customer declines with a reason", async () => {
    const number = await sentEstimate("Repaint the plant room");
    const declined = await customer.post(`/portal/estimates/${number}/decline`, { reason: "Not this year" });
    expect(declined.status).toBe(303);
    const page = await customer.page(`/portal/estimates/${number}`);
    expect(page.document.querySelector(".badge")?.textContent).toBe("Declined");
    expect(page.document.querySelector(".decline")?.textContent).toContain("Not this year");
    const accept = await customer.post(`/portal/estimates/${number}/accept`, {
      signatureName: "C",
      agree: "1",
    });
    expect(accept.status).toBe(409);
  });

  test("an estimate past its valid-until date shows as expired and cannot be accepted", async () => {
    const number = await sentEstimate("Old quote", new Date("2020-01-01T00:00:00Z"), "2020-01-31");
    const page = await customer.page(`/portal/estimates/${number}`);
    expect(page.document.querySelector(".badge")?.textContent).toBe("Expired");
    expect(page.document.querySelector(`form[action$="/accept"]`)).toBeNull();
    const accept = await customer.post(`/portal/estimates/${number}/accept`, {
      signatureName: "C",
      agree: "1",
    });
    expect(accept.status).toBe(409);
    const staff = await dispatcher.page(`/fsm/estimates/${number}`);
    expect(staff.document.querySelector(".badge")?.textContent).toBe("Expired");
  });

  test("drafts, other customers' and other organizations' estimates are not found", async () => {
    const number = await sentEstimate("Only Carol's");
    const draft = await createEstimate(org.ctx("dispatcher"), {
      subject: "Not sent",
      contactId: org.users.customer.contactId,
    });
    expect((await customer.get(`/portal/estimates/${formatEstimateNumber(draft.number)}`)).status).toBe(404);
    expect((await stranger.get(`/portal/estimates/${number}`)).status).toBe(404);
    expect(
      (await stranger.post(`/portal/estimates/${number}/accept`, { signatureName: "X", agree: "1" })).status,
    ).toBe(404);
    const strangerList = await stranger.page("/portal/estimates");
    expect(strangerList.document.querySelector(`a[href="/portal/estimates/${number}"]`)).toBeNull();
    for (const role of ["admin", "dispatcher", "customer"] as const) {
      const client = await signedIn(away, role);
      const path = role === "customer" ? `/portal/estimates/${number}` : `/fsm/estimates/${number}`;
      expect((await client.get(path)).status).toBe(404);
    }
    const awayDispatcher = await signedIn(away, "dispatcher");
    expect((await awayDispatcher.post(`/fsm/estimates/${number}/send`, {})).status).toBe(404);
    const awayCustomer = await signedIn(away, "customer");
    expect((await awayCustomer.post(`/portal/estimates/${number}/decline`, {})).status).toBe(404);
    // Staff do not answer for the customer.
    expect(
      (await dispatcher.post(`/portal/estimates/${number}/accept`, { signatureName: "X", agree: "1" }))
        .status,
    ).toBe(403);
  });
});
