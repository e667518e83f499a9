// Automation rules on categories and custom fields: conditions fitting each type, "set category",
// and the events recording the changes.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { events, tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { saveRule } from "../automation/rules";
import { createTicket, updateTicket } from "../tickets/commands";
import { airconCatalog } from "./fixtures";

let org: Fixture;
let catalog: Awaited<ReturnType<typeof airconCatalog>>;

beforeAll(async () => {
  org = await createOrg("Field rules");
  catalog = await airconCatalog(org.ctx("admin"));
});

async function row(id: string) {
  const { db } = await testDatabase();
  const [ticket] = await db.select().from(tickets).where(eq(tickets.id, id));
  return ticket;
}

const leak = (fields: Record<string, unknown>, subject = "Leak") =>
  createTicket(org.ctx("agent"), {
    subject,
    body: "x",
    requesterEmail: "rules@client.test",
    category: catalog.leaking,
    fields: { [catalog.keys.model]: "Daikin", [catalog.keys.location]: "Piping", ...fields },
  });

describe("rules on categories and fields", () => {
  test("conditions per type: category (with its subcategories), number >, multi-select includes, checkbox, select", async () => {
    const k = catalog.keys;
    await saveRule(org.ctx("admin"), null, {
      name: "Big leaking units under warranty are urgent",
      trigger: "ticket.created",
      conditions: [
        { field: "category", op: "is", value: "air conditioning" },
        { field: `field.${k.btu}`, op: "gt", value: "18000" },
        { field: `field.${k.refrigerant}`, op: "includes", value: "R22" },
        { field: `field.${k.warranty}`, op: "checked", value: "" },
        { field: `field.${k.location}`, op: "is", value: "Piping" },
        { field: `field.${k.model}`, op: "contains", value: "daikin" },
      ],
      actions: [{ type: "set_priority", value: "urgent" }],
    });
    const hit = await leak({
      [k.btu]: 24000,
      [k.refrigerant]: ["R22", "R32"],
      [k.warranty]: true,
      [k.warrantyNo]: "W",
    });
    expect((await row(hit.id)).priority).toBe("urgent");
    const small = await leak({
      [k.btu]: 9000,
      [k.refrigerant]: ["R22"],
      [k.warranty]: true,
      [k.warrantyNo]: "W",
    });
    expect((await row(small.id)).priority).toBe("normal");
    const noWarranty = await leak({ [k.btu]: 24000, [k.refrigerant]: ["R22"] });
    expect((await row(noWarranty.id)).priority).toBe("normal");
  });

  test("'set category' moves matching tickets; the change is an event naming both categories", async () => {
    await saveRule(org.ctx("admin"), null, {
      name: "Invoices go to billing",
      trigger: "ticket.created",
      conditions: [
        { field: "subject", op: "contains", value: "invoice" },
        { field: "category", op: "is_empty", value: "" },
      ],
      actions: [{ type: "set_category", value: catalog.billing }],
    });
    const ticket = await createTicket(org.ctx("customer"), { subject: "Invoice INV-9 is wrong", body: "x" });
    const after = await row(ticket.id);
    expect(after.categoryId).toBe(catalog.billing);
    const { db } = await testDatabase();
    const changed = (await db.select().from(events).where(eq(events.ticketId, ticket.id))).find(
      (e) => e.type === "ticket.category_changed",
    );
    expect(changed?.data).toMatchObject({ from: null, to: catalog.billing, toName: "Billing" });
    expect(changed?.actorKind).toBe("system");
  });

  test("a change of category fires 'changed' conditions; bad conditions are refused per row", async () => {
    const k = catalog.keys;
    await saveRule(org.ctx("admin"), null, {
      name: "Tag recategorised",
      trigger: "ticket.updated",
      conditions: [{ field: "category", op: "changed", value: "" }],
      actions: [{ type: "add_tags", value: "recategorised" }],
    });
    const ticket = await leak({}, "Moved");
    await updateTicket(org.ctx("agent"), ticket.id, {
      category: catalog.notCooling,
      fields: { [k.model]: "Daikin" },
    });
    const after = await row(ticket.id);
    expect(after.tags).toEqual(["recategorised"]);
    // The leak location belonged to "Leaking": it goes with the old subcategory.
    expect(after.customFields).toEqual({ [k.model]: "Daikin" });

    await expect(
      saveRule(org.ctx("admin"), null, {
        name: "Bad",
        trigger: "ticket.created",
        conditions: [
          { field: `field.${k.btu}`, op: "contains", value: "9" },
          { field: `field.${k.location}`, op: "is", value: "Roof" },
          { field: `field.${k.installed}`, op: "before", value: "last week" },
          { field: "field.nothing_here", op: "is", value: "x" },
          { field: "category", op: "is", value: "Plumbing" },
        ],
        actions: [{ type: "set_category", value: crypto.randomUUID() }],
      }),
    ).rejects.toMatchObject({
      status: 422,
      fields: {
        "conditions.0": expect.stringContaining(">"),
        "conditions.1": expect.stringContaining("Indoor unit"),
        "conditions.2": expect.stringContaining("YYYY-MM-DD"),
        "conditions.3": "Choose a field that exists.",
        "conditions.4": "Choose one of this organization's categories.",
        "actions.0": "Choose a category of this organization.",
      },
    });
    const stranger = await createOrg("Field rules stranger");
    await expect(
      saveRule(stranger.ctx("admin"), null, {
        name: "Foreign category",
        trigger: "ticket.created",
        actions: [{ type: "set_category", value: catalog.billing }],
      }),
    ).rejects.toMatchObject({ status: 422 });
  });
});
