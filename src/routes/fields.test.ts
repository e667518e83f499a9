// Categories and custom fields in the pages: the admin forms, the agent's and the customer's new
// ticket forms without JavaScript (Continue, errors next to the field, everything kept), the htmx
// block, the ticket page, the list filter, and who may do what.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { events, tickets } from "../../db/schema";
import { type Client, createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { saveField } from "../domain/fields/catalog";
import { airconCatalog } from "../domain/fields/fixtures";
import { formatTicketNumber, parseTicketNumber } from "../domain/orgs/counters";

let org: Fixture;
let admin: Client;
let agent: Client;
let customer: Client;
let catalog: Awaited<ReturnType<typeof airconCatalog>>;

beforeAll(async () => {
  org = await createOrg("Fields");
  catalog = await airconCatalog(org.ctx("admin"));
  [admin, agent, customer] = await Promise.all([
    signedIn(org, "admin"),
    signedIn(org, "agent"),
    signedIn(org, "customer"),
  ]);
});

async function ticketByLocation(location: string | null) {
  const number = parseTicketNumber(String(location).split("?")[0].split("/").pop() ?? "");
  const { db } = await testDatabase();
  const [row] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.orgId, org.orgId), eq(tickets.number, number ?? -1)));
  return row;
}

describe("/admin/fields", () => {
  test("admins add a category and a field; a bad field is shown again with the error next to it", async () => {
    const page = await admin.page("/admin/fields");
    expect(page.status).toBe(200);
    expect(page.document.querySelector(`[data-category="${catalog.leaking}"] h3`)?.textContent).toContain(
      "Leaking",
    );
    const created = await admin.post("/admin/fields/categories", { name: "Installation", parentId: "" });
    expect(created.status).toBe(303);
    const list = await admin.page("/admin/fields");
    const installation = [...list.document.querySelectorAll("section.category h2")].find((h) =>
      h.textContent?.includes("Installation"),
    );
    expect(installation).toBeTruthy();
    const id = installation?.closest("section")?.getAttribute("data-category") as string;
    const bad = await admin.post("/admin/fields", {
      categoryId: id,
      label: "Site type",
      type: "select",
      options: "",
      key: "",
    });
    expect(bad.status).toBe(422);
    const document = parse(await bad.text());
    expect(document.querySelector("#options-error")?.textContent).toContain("one per line");
    expect(document.querySelector("#label")?.getAttribute("value")).toBe("Site type");
    const key = `site_type_${Date.now().toString(36)}`;
    const good = await admin.post("/admin/fields", {
      categoryId: id,
      label: "Site type",
      key,
      type: "select",
      options: "Landed house\nCondominium\nShop lot",
      required: "1",
    });
    expect(good.status).toBe(303);
    const after = await admin.page("/admin/fields");
    expect(after.document.querySelector(`[data-key="${key}"]`)?.textContent).toContain("required");
  });

  test("fields move up and down; a field in use cannot be deleted but can be archived", async () => {
    const before = await admin.page("/admin/fields");
    const keys = () =>
      [...before.document.querySelectorAll(`ol[data-category="${catalog.aircon}"] li`)].map((li) =>
        li.getAttribute("data-key"),
      );
    const order = keys();
    expect(order[0]).toBe(catalog.keys.model);
    const second = before.document.querySelector(`li[data-key="${order[1]}"] a`)?.getAttribute("href");
    expect((await admin.post(`${second}/move`, { direction: "up" })).status).toBe(303);
    const moved = await admin.page("/admin/fields");
    const movedOrder = [...moved.document.querySelectorAll(`ol[data-category="${catalog.aircon}"] li`)].map(
      (li) => li.getAttribute("data-key"),
    );
    expect(movedOrder.slice(0, 2)).toEqual([order[1], order[0]]);

    // A field with a value on a ticket is archived, not deleted: the ticket keeps it.
    const { db } = await testDatabase();
    const created = await agent.post("/desk/tickets", {
      requesterEmail: "archive@client.test",
      subject: "Billing question",
      body: "About the credit note",
      category: catalog.billing,
      [`cf_${catalog.keys.creditNote}`]: "CN-77",
    });
    const row = await ticketByLocation(created.headers.get("location"));
    expect(row.customFields).toEqual({ [catalog.keys.creditNote]: "CN-77" });
    const link = moved.document
      .querySelector(`li[data-key="${catalog.keys.creditNote}"] a`)
      ?.getAttribute("href");
    const refused = await admin.post(`${link}/delete`);
    expect(refused.status).toBe(409);
    expect(parse(await refused.text()).querySelector("main")?.textContent).toContain("archive it instead");
    const archived = await admin.post(`${link}`, { label: "Credit note", agentsOnly: "1", archived: "1" });
    expect(archived.status).toBe(303);
    const form = await agent.post("/desk/tickets", { category: catalog.billing, continue: "1" });
    expect(parse(await form.text()).querySelector(`#cf_${catalog.keys.creditNote}`)).toBeNull();
    const page = await agent.page(`/desk/tickets/${formatTicketNumber(row.number)}`);
    expect(page.document.querySelector(".archived-values")?.textContent).toContain("CN-77");
    const [after] = await db.select().from(tickets).where(eq(tickets.id, row.id));
    expect(after.customFields).toEqual({ [catalog.keys.creditNote]: "CN-77" });
  });

  test("agents and customers may not open the admin pages; another organization's ids are not found", async () => {
    expect((await agent.get("/admin/fields")).status).toBe(403);
    expect((await customer.get("/admin/fields")).status).toBe(403);
    const stranger = await createOrg("Fields stranger");
    const strangerAdmin = await signedIn(stranger, "admin");
    expect((await strangerAdmin.get(`/admin/fields/categories/${catalog.aircon}`)).status).toBe(404);
    expect((await strangerAdmin.post(`/admin/fields/categories/${catalog.aircon}/delete`)).status).toBe(404);
    const page = await strangerAdmin.page("/admin/fields");
    expect(page.document.querySelector(`[data-category="${catalog.aircon}"]`)).toBeNull();
  });
});

describe("the agent's new ticket form", () => {
  test("without JavaScript: Continue shows the subcategory's fields with everything typed kept", async () => {
    const page = await agent.page("/desk/tickets/new");
    expect(page.document.querySelector(`#category option[value="${catalog.leaking}"]`)?.textContent).toBe(
      "Leaking",
    );
    expect(page.document.querySelector(`#category option[value="${catalog.internal}"]`)).toBeTruthy();
    const next = await agent.post("/desk/tickets", {
      requesterEmail: "aisyah@client.test",
      subject: "Water dripping from the indoor unit",
      body: "Since this morning.",
      category: catalog.leaking,
      continue: "1",
    });
    expect(next.status).toBe(200);
    const document = parse(await next.text());
    expect(document.querySelector("#subject")?.getAttribute("value")).toBe(
      "Water dripping from the indoor unit",
    );
    expect(
      document.querySelector(`#category option[value="${catalog.leaking}"]`)?.hasAttribute("selected"),
    ).toBe(true);
    expect(document.querySelector(`#cf_${catalog.keys.location}`)).toBeTruthy();
    expect(document.querySelector(`#cf_${catalog.keys.model}`)).toBeTruthy();
    // Without JavaScript the conditional field is shown, saying when it applies.
    const conditional = document.querySelector(`[data-field="${catalog.keys.warrantyNo}"]`);
    expect(conditional?.hasAttribute("hidden")).toBe(false);
    expect(conditional?.querySelector(".hint")?.textContent).toContain("Under warranty");
    expect(document.querySelector("#classification")?.getAttribute("hx-trigger")).toStartWith("load, change");
  });

  test("server validation marks each field; hidden fields are ignored; a good form creates the ticket", async () => {
    const k = catalog.keys;
    const bad = await agent.post("/desk/tickets", {
      requesterEmail: "aisyah@client.test",
      subject: "Leak",
      body: "Dripping",
      category: catalog.leaking,
      [`cf_${k.model}`]: "",
      [`cf_${k.location}`]: "Roof",
      [`cf_${k.btu}`]: "100",
      [`cf_${k.installed}`]: "2025-02-30",
      [`cf_${k.refrigerant}`]: ["R32", "Freon"],
      // Not ticked: the warranty number is hidden, so its bad value does not count.
      [`cf_${k.warrantyNo}`]: "x".repeat(2000),
    });
    expect(bad.status).toBe(422);
    const document = parse(await bad.text());
    const error = (key: string) => document.querySelector(`#cf_${key}-error`)?.textContent ?? "";
    expect(error(k.model)).toContain("Fill in");
    expect(error(k.location)).toContain("Indoor unit");
    expect(error(k.btu)).toContain("at least 5000");
    expect(error(k.installed)).toContain("YYYY-MM-DD");
    expect(document.querySelector(`[data-field="${k.refrigerant}"] .field-error`)?.textContent).toContain(
      "R410A",
    );
    expect(error(k.warrantyNo)).toBe("");
    // With htmx, the block asks for itself again on load only when it has no problems to show.
    expect(document.querySelector("#classification")?.getAttribute("hx-trigger")).not.toContain("load");
    expect(document.querySelector(`#cf_${k.installed}`)?.getAttribute("value")).toBe("2025-02-30");
    expect(document.querySelector(`#subject`)?.getAttribute("value")).toBe("Leak");

    const good = await agent.post("/desk/tickets", {
      requesterEmail: "aisyah@client.test",
      subject: "Leak",
      body: "Dripping",
      category: catalog.leaking,
      [`cf_${k.model}`]: "Daikin FTKF25",
      [`cf_${k.location}`]: "Indoor unit",
      [`cf_${k.btu}`]: "9,000",
      [`cf_${k.installed}`]: "2024-06-01",
      [`cf_${k.refrigerant}`]: ["R410A", "R32"],
      [`cf_${k.warrantyNo}`]: "W-1",
    });
    expect(good.status).toBe(303);
    const row = await ticketByLocation(good.headers.get("location"));
    expect(row.categoryId).toBe(catalog.aircon);
    expect(row.subcategoryId).toBe(catalog.leaking);
    expect(row.customFields).toEqual({
      [k.model]: "Daikin FTKF25",
      [k.location]: "Indoor unit",
      [k.btu]: 9000,
      [k.installed]: "2024-06-01",
      [k.refrigerant]: ["R32", "R410A"],
    });
    const { db } = await testDatabase();
    const [created] = await db.select().from(events).where(eq(events.ticketId, row.id));
    expect(created.data).toMatchObject({
      category: catalog.leaking,
      categoryName: "Air conditioning › Leaking",
    });
  });

  test("with htmx the block comes back with hidden conditional fields, shown once the box is ticked", async () => {
    const k = catalog.keys;
    const first = await agent.post("/desk/fields/form", { category: catalog.notCooling });
    expect(first.status).toBe(200);
    const block = parse(await first.text());
    expect(block.querySelector(`[data-field="${k.warrantyNo}"]`)?.hasAttribute("hidden")).toBe(true);
    expect(block.querySelector(`[data-field="${k.location}"]`)).toBeNull();
    const ticked = parse(
      await (
        await agent.post("/desk/fields/form", { category: catalog.notCooling, [`cf_${k.warranty}`]: "1" })
      ).text(),
    );
    expect(ticked.querySelector(`[data-field="${k.warrantyNo}"]`)?.hasAttribute("hidden")).toBe(false);
    expect((await customer.post("/desk/fields/form", { category: catalog.notCooling })).status).toBe(403);
  });
});

describe("the customer portal form", () => {
  test("works without JavaScript: Continue, agents-only things left out, required fields checked", async () => {
    const page = await customer.page("/portal/tickets/new");
    expect(page.document.querySelector("script")).toBeNull();
    expect(page.document.querySelector(`#category option[value="${catalog.leaking}"]`)).toBeTruthy();
    expect(page.document.querySelector(`#category option[value="${catalog.internal}"]`)).toBeNull();
    const billing = await customer.post("/portal/tickets", {
      subject: "Invoice",
      body: "Question about my invoice",
      category: catalog.billing,
      continue: "1",
    });
    expect(billing.status).toBe(200);
    const billingForm = parse(await billing.text());
    expect(billingForm.querySelector(`#cf_${catalog.keys.creditNote}`)).toBeNull();
    expect(billingForm.querySelector("#body")?.textContent).toBe("Question about my invoice");

    const missing = await customer.post("/portal/tickets", {
      subject: "Zzqx leaking unit",
      body: "Zzqx water everywhere",
      category: catalog.leaking,
      suggested: "1",
      [`cf_${catalog.keys.model}`]: "Panasonic CS-PU12",
    });
    expect(missing.status).toBe(422);
    const marked = parse(await missing.text());
    expect(marked.querySelector(`#cf_${catalog.keys.location}-error`)?.textContent).toContain(
      "Leak location",
    );
    expect(marked.querySelector(`#cf_${catalog.keys.model}`)?.getAttribute("value")).toBe(
      "Panasonic CS-PU12",
    );

    const sneaky = await customer.post("/portal/tickets", {
      subject: "Zzqx internal",
      body: "Zzqx",
      category: catalog.internal,
      suggested: "1",
    });
    expect(sneaky.status).toBe(422);
    expect(parse(await sneaky.text()).querySelector("#category-error")).toBeTruthy();

    const leak = await customer.post("/portal/tickets", {
      subject: "Zzqx leak",
      body: "Zzqx",
      category: catalog.leaking,
      suggested: "1",
      [`cf_${catalog.keys.model}`]: "Panasonic CS-PU12",
      [`cf_${catalog.keys.location}`]: "Piping",
    });
    expect(leak.status).toBe(303);
    const mine = await customer.page(String(leak.headers.get("location")));
    const summary = mine.document.querySelector(".classification-summary")?.textContent ?? "";
    expect(summary).toContain("Air conditioning › Leaking");
    expect(summary).toContain("Panasonic CS-PU12");

    // A value in an agents-only field stays out of the customer's view of the ticket.
    const internalKey = `internal_ref_${Date.now().toString(36)}`;
    await saveField(org.ctx("admin"), null, {
      categoryId: catalog.billing,
      label: "Internal reference",
      key: internalKey,
      type: "text",
      agentsOnly: true,
    });
    const forCustomer = await customer.post("/portal/tickets", { category: catalog.billing, continue: "1" });
    expect(parse(await forCustomer.text()).querySelector(`#cf_${internalKey}`)).toBeNull();
    const forAgent = await agent.post("/desk/tickets", { category: catalog.billing, continue: "1" });
    expect(parse(await forAgent.text()).querySelector(`#cf_${internalKey}`)).toBeTruthy();
    const byAgent = await agent.post("/desk/tickets", {
      // The customer's own address: the ticket is theirs.
      requesterEmail: org.users.customer.email,
      subject: "Credit for the March invoice",
      body: "x",
      category: catalog.billing,
      [`cf_${internalKey}`]: "REF-SECRET-1",
    });
    const credit = await ticketByLocation(byAgent.headers.get("location"));
    expect(credit.customFields).toEqual({ [internalKey]: "REF-SECRET-1" });
    const theirs = await customer.page(`/portal/tickets/${formatTicketNumber(credit.number)}`);
    expect(theirs.status).toBe(200);
    expect(theirs.document.querySelector(".classification-summary")?.textContent).toContain("Billing");
    expect(theirs.document.querySelector("main")?.textContent).not.toContain("REF-SECRET-1");

    const done = await customer.post("/portal/tickets", {
      subject: "Zzqx billing",
      body: "Zzqx invoice",
      category: catalog.billing,
      suggested: "1",
      [`cf_${catalog.keys.creditNote}`]: "customers cannot set this",
    });
    expect(done.status).toBe(303);
    const row = await ticketByLocation(done.headers.get("location"));
    expect(row.categoryId).toBe(catalog.billing);
    expect(row.customFields).toEqual({});
  });
});

describe("the ticket page and the list", () => {
  test("agents change the category and fields; history records it; the list filters by category", async () => {
    const k = catalog.keys;
    const created = await agent.post("/desk/tickets", {
      requesterEmail: "lim@client.test",
      subject: "Not cold at all",
      body: "Blowing warm air",
      category: catalog.notCooling,
      [`cf_${k.model}`]: "York YWM",
    });
    const row = await ticketByLocation(created.headers.get("location"));
    const number = formatTicketNumber(row.number);
    const page = await agent.page(`/desk/tickets/${number}`);
    expect(page.document.querySelector(`#ticket-classification #cf_${k.model}`)?.getAttribute("value")).toBe(
      "York YWM",
    );
    const next = await agent.post(`/desk/tickets/${number}/fields`, {
      category: catalog.leaking,
      [`cf_${k.model}`]: "York YWM",
      continue: "1",
    });
    expect(next.status).toBe(200);
    expect(parse(await next.text()).querySelector(`#ticket-classification #cf_${k.location}`)).toBeTruthy();
    const missing = await agent.post(`/desk/tickets/${number}/fields`, {
      category: catalog.leaking,
      [`cf_${k.model}`]: "York YWM",
    });
    expect(missing.status).toBe(422);
    expect(parse(await missing.text()).querySelector(`#cf_${k.location}-error`)).toBeTruthy();
    const saved = await agent.post(`/desk/tickets/${number}/fields`, {
      category: catalog.leaking,
      [`cf_${k.model}`]: "York YWM 2",
      [`cf_${k.location}`]: "Piping",
    });
    expect(saved.status).toBe(303);
    const history =
      (await agent.page(`/desk/tickets/${number}`)).document.querySelector(".history")?.textContent ?? "";
    expect(history).toContain(
      "changed the category from Air conditioning › Not cooling to Air conditioning › Leaking",
    );
    expect(history).toContain("Unit model: York YWM → York YWM 2");

    const list = await agent.page(`/desk/tickets?category=${catalog.leaking}`);
    const listed = list.document.querySelector(`tr[data-ticket="${number}"]`);
    expect(listed?.textContent).toContain("Leaking");
    const billingList = await agent.page(`/desk/tickets?category=${catalog.billing}`);
    expect(billingList.document.querySelector(`tr[data-ticket="${number}"]`)).toBeNull();
    const byParent = await agent.page(`/desk/tickets?category=${catalog.aircon}`);
    expect(byParent.document.querySelector(`tr[data-ticket="${number}"]`)).toBeTruthy();
    const byField = await agent.page(`/desk/tickets?field=${k.location}&fieldValue=Piping`);
    expect(byField.document.querySelector(`tr[data-ticket="${number}"]`)).toBeTruthy();
    const byOtherValue = await agent.page(`/desk/tickets?field=${k.location}&fieldValue=Indoor%20unit`);
    expect(byOtherValue.document.querySelector(`tr[data-ticket="${number}"]`)).toBeNull();

    const stranger = await createOrg("Fields page stranger");
    const strangerAgent = await signedIn(stranger, "agent");
    expect(
      (await strangerAgent.post(`/desk/tickets/${number}/fields`, { category: catalog.billing })).status,
    ).toBe(404);
  });
});

describe("automation rules on categories and fields, in the form", () => {
  test("the rule form offers custom fields and categories; a category typed by name is kept and shown by name", async () => {
    const k = catalog.keys;
    const form = await admin.page("/admin/rules/new");
    expect(
      form.document.querySelector(`select[name="c0_field"] option[value="field.${k.btu}"]`)?.textContent,
    ).toBe("Field: Capacity (BTU)");
    expect(
      form.document.querySelector(
        `select[name="a0_choice"] optgroup[label="Categories"] option[value="${catalog.leaking}"]`,
      )?.textContent,
    ).toBe("Air conditioning › Leaking");
    const rule = {
      name: "Big leaks",
      trigger: "ticket.created",
      match: "all",
      c0_field: "category",
      c0_op: "is",
      c0_value: "Air conditioning / Leaking",
      c1_field: `field.${k.btu}`,
      c1_op: "contains",
      c1_value: "9000",
      a0_type: "set_priority",
      a0_choice: "high",
      active: "1",
    };
    const bad = await admin.post("/admin/rules", rule);
    expect(bad.status).toBe(422);
    const marked = parse(await bad.text());
    expect(marked.querySelectorAll(".row.invalid .field-error")[0]?.textContent).toContain(">");
    const saved = await admin.post("/admin/rules", { ...rule, c1_op: "gt" });
    expect(saved.status).toBe(303);
    const page = await admin.page(String(saved.headers.get("location")));
    expect(page.document.querySelector('input[name="c0_value"]')?.getAttribute("value")).toBe(
      "Air conditioning › Leaking",
    );
    const ticket = await agent.post("/desk/tickets", {
      requesterEmail: "bigleak@client.test",
      subject: "Big leak",
      body: "x",
      category: catalog.leaking,
      [`cf_${k.model}`]: "Carrier X",
      [`cf_${k.location}`]: "Piping",
      [`cf_${k.btu}`]: "24000",
    });
    expect((await ticketByLocation(ticket.headers.get("location"))).priority).toBe("high");
  });
});
