// Custom fields in the domain: what each type accepts, conditional visibility, the catalog's own
// rules (keys, choices, conditions, two levels, archive instead of delete), SLA policies by
// category, and organizations kept apart.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { savePolicy } from "../sla/admin";
import { createTicket, updateTicket } from "../tickets/commands";
import { deleteCategory, deleteField, loadCatalog, saveCategory, saveField } from "./catalog";
import { airconCatalog } from "./fixtures";
import { type FieldDef, parseValue, resolveValues, visibleKeys } from "./values";

const def = (over: Partial<FieldDef>): FieldDef => ({
  id: crypto.randomUUID(),
  categoryId: "c",
  key: "k",
  label: "K",
  type: "text",
  options: [],
  required: false,
  agentsOnly: false,
  archived: false,
  position: 1,
  hint: null,
  minValue: null,
  maxValue: null,
  visibleWhenKey: null,
  visibleWhenValue: null,
  ...over,
});

describe("values by type", () => {
  test("text, number, date, select, multi-select and checkbox accept what they should", () => {
    expect(parseValue(def({}), "  Daikin  ")).toEqual({ value: "Daikin" });
    expect(parseValue(def({}), "x".repeat(1001))).toHaveProperty("problem");
    const number = def({ type: "number", minValue: 0, maxValue: 100 });
    expect(parseValue(number, "1,5")).toEqual({ value: 15 });
    expect(parseValue(number, "2.5")).toEqual({ value: 2.5 });
    expect(parseValue(number, 7)).toEqual({ value: 7 });
    expect(parseValue(number, "")).toEqual({ value: null });
    expect(parseValue(number, "12abc")).toHaveProperty("problem");
    expect(parseValue(number, "101")).toEqual({ problem: "Give a number of at most 100." });
    expect(parseValue(number, "-1")).toEqual({ problem: "Give a number of at least 0." });
    const date = def({ type: "date" });
    expect(parseValue(date, "2024-02-29")).toEqual({ value: "2024-02-29" });
    expect(parseValue(date, "2023-02-29")).toHaveProperty("problem");
    expect(parseValue(date, "29/02/2024")).toHaveProperty("problem");
    const select = def({ type: "select", options: ["Indoor unit", "Outdoor unit"] });
    expect(parseValue(select, "Outdoor unit")).toEqual({ value: "Outdoor unit" });
    expect(parseValue(select, "outdoor unit")).toHaveProperty("problem");
    expect(parseValue(select, ["Indoor unit", "Outdoor unit"])).toHaveProperty("problem");
    const multi = def({ type: "multiselect", options: ["R32", "R410A", "R22"] });
    expect(parseValue(multi, ["R22", "R32", "R22"])).toEqual({ value: ["R32", "R22"] });
    expect(parseValue(multi, "R410A")).toEqual({ value: ["R410A"] });
    expect(parseValue(multi, [])).toEqual({ value: null });
    expect(parseValue(multi, ["R12"])).toHaveProperty("problem");
    const box = def({ type: "checkbox" });
    expect(parseValue(box, "1")).toEqual({ value: true });
    expect(parseValue(box, true)).toEqual({ value: true });
    expect(parseValue(box, false)).toEqual({ value: null });
    expect(parseValue(box, undefined)).toEqual({ value: null });
    expect(parseValue(box, "maybe")).toHaveProperty("problem");
  });

  test("conditional fields: shown through chains, hidden values dropped, required only when shown", () => {
    const defs = [
      def({ key: "kind", type: "select", options: ["Repair", "Install"] }),
      def({ key: "site", type: "checkbox", visibleWhenKey: "kind", visibleWhenValue: "Install" }),
      def({
        key: "floor",
        type: "number",
        required: true,
        visibleWhenKey: "site",
        visibleWhenValue: "checked",
      }),
      def({ key: "parts", type: "multiselect", options: ["Gas", "Pipe"] }),
      def({ key: "gas", visibleWhenKey: "parts", visibleWhenValue: "Gas" }),
    ];
    expect([...visibleKeys(defs, {})].sort()).toEqual(["kind", "parts"]);
    expect([...visibleKeys(defs, { kind: "Install", site: true, parts: ["Gas"] })].sort()).toEqual([
      "floor",
      "gas",
      "kind",
      "parts",
      "site",
    ]);
    // The chain breaks at its first link: "floor" hides with "site" even though site is ticked.
    expect(visibleKeys(defs, { kind: "Repair", site: true }).has("floor")).toBe(false);
    const base = { defs, audience: "staff" as const, existing: {}, partial: false, enforceRequired: true };
    const hidden = resolveValues({
      ...base,
      input: { kind: "Repair", site: "1", floor: "not a number", gas: "x" },
    });
    expect(hidden).toEqual({ values: { kind: "Repair" }, errors: {} });
    const shown = resolveValues({ ...base, input: { kind: "Install", site: "1", floor: "" } });
    expect(shown.errors).toEqual({ "fields.floor": "Fill in “K”." });
    // A loop (not possible through the admin form) hides the fields in it rather than hanging.
    const loop = [
      def({ key: "a", visibleWhenKey: "b", visibleWhenValue: "x" }),
      def({ key: "b", visibleWhenKey: "a", visibleWhenValue: "x" }),
    ];
    expect(visibleKeys(loop, { a: "x", b: "x" }).size).toBe(0);
  });

  test("agents-only and archived fields keep their values when others fill the form", () => {
    const defs = [
      def({ key: "note", agentsOnly: true }),
      def({ key: "old", archived: true }),
      def({ key: "model" }),
    ];
    const result = resolveValues({
      defs,
      audience: "customer",
      input: { note: "hacked", old: "new", model: "York" },
      existing: { note: "internal", old: "kept" },
      partial: false,
      enforceRequired: true,
    });
    expect(result).toEqual({ values: { note: "internal", old: "kept", model: "York" }, errors: {} });
  });
});

describe("the catalog", () => {
  let org: Fixture;
  let catalog: Awaited<ReturnType<typeof airconCatalog>>;
  beforeAll(async () => {
    org = await createOrg("Catalog");
    catalog = await airconCatalog(org.ctx("admin"));
  });

  test("admins only; two levels; unique names per level and keys per organization", async () => {
    await expect(saveCategory(org.ctx("agent"), null, { name: "X" })).rejects.toMatchObject({ status: 403 });
    await expect(
      saveCategory(org.ctx("admin"), null, { name: "Deeper", parentId: catalog.leaking }),
    ).rejects.toMatchObject({
      status: 422,
      fields: { parentId: expect.stringContaining("two levels") },
    });
    await expect(
      saveCategory(org.ctx("admin"), null, { name: "leaking", parentId: catalog.aircon }),
    ).rejects.toMatchObject({
      fields: { name: expect.stringContaining("already") },
    });
    await expect(
      saveCategory(org.ctx("admin"), catalog.aircon, { name: "Air conditioning", parentId: catalog.billing }),
    ).rejects.toMatchObject({
      fields: { parentId: expect.stringContaining("subcategories") },
    });
    // The same name under another category is fine.
    await saveCategory(org.ctx("admin"), null, { name: "Leaking", parentId: catalog.billing });
    await expect(
      saveField(org.ctx("admin"), null, {
        categoryId: catalog.billing,
        label: "Model",
        key: catalog.keys.model,
        type: "text",
      }),
    ).rejects.toMatchObject({ fields: { key: expect.stringContaining("unique") } });
    await expect(
      saveField(org.ctx("admin"), null, {
        categoryId: catalog.notCooling,
        label: "Gas",
        type: "text",
        visibleWhenKey: catalog.keys.location,
        visibleWhenValue: "Piping",
      }),
    ).rejects.toMatchObject({ fields: { visibleWhenKey: expect.any(String) } });
    await expect(
      saveField(org.ctx("admin"), null, {
        categoryId: catalog.leaking,
        label: "Pipe length",
        type: "number",
        visibleWhenKey: catalog.keys.location,
        visibleWhenValue: "Roof",
        minValue: "10",
        maxValue: "1",
      }),
    ).rejects.toMatchObject({
      fields: { visibleWhenValue: expect.stringContaining("Piping"), maxValue: expect.any(String) },
    });
  });

  test("a used category or field is archived, not deleted; unused ones are deleted", async () => {
    const admin = org.ctx("admin");
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Noise",
      body: "x",
      requesterEmail: "noise@client.test",
      category: catalog.notCooling,
      fields: { [catalog.keys.model]: "York" },
    });
    await expect(deleteCategory(admin, catalog.aircon)).rejects.toMatchObject({ status: 409 });
    await expect(deleteCategory(admin, catalog.notCooling)).rejects.toMatchObject({ status: 409 });
    const modelField = (await loadCatalog(admin.db, org.orgId)).fields.find(
      (f) => f.key === catalog.keys.model,
    );
    await expect(deleteField(admin, modelField?.id as string)).rejects.toMatchObject({ status: 409 });
    await saveCategory(admin, catalog.notCooling, {
      name: "Not cooling",
      parentId: catalog.aircon,
      archived: true,
    });
    // Still on the ticket, and its fields still save; but no new ticket can choose it.
    await updateTicket(org.ctx("agent"), ticket.id, { fields: { [catalog.keys.model]: "York 2" } });
    await expect(
      createTicket(org.ctx("agent"), {
        subject: "x",
        body: "x",
        requesterEmail: "a@b.test",
        category: catalog.notCooling,
      }),
    ).rejects.toMatchObject({ fields: { category: expect.any(String) } });
    const spare = await saveCategory(admin, null, { name: `Spare ${Date.now()}` });
    await saveField(admin, null, { categoryId: spare, label: "Spare field", type: "text" });
    await deleteCategory(admin, spare);
    expect((await loadCatalog(admin.db, org.orgId)).fields.some((f) => f.categoryId === spare)).toBe(false);
  });

  test("SLA policies can cover a category and its subcategories", async () => {
    const admin = org.ctx("admin");
    const policyId = await savePolicy(admin, null, {
      name: "Aircon",
      position: 0,
      ticketCategories: [catalog.aircon],
      targets: { normal_first_response: "4h" },
    });
    const leak = await createTicket(org.ctx("agent"), {
      subject: "Leak",
      body: "x",
      requesterEmail: "sla@client.test",
      category: catalog.leaking,
      fields: { [catalog.keys.model]: "York", [catalog.keys.location]: "Piping" },
    });
    const other = await createTicket(org.ctx("agent"), {
      subject: "Invoice",
      body: "x",
      requesterEmail: "sla@client.test",
      category: catalog.billing,
    });
    const { db } = await testDatabase();
    const policyOf = async (id: string) =>
      (await db.select().from(tickets).where(eq(tickets.id, id)))[0].slaPolicyId;
    expect(await policyOf(leak.id)).toBe(policyId);
    expect(await policyOf(other.id)).toBeNull();
    // Moving the ticket into the category brings it under the policy.
    await updateTicket(org.ctx("agent"), other.id, {
      category: catalog.aircon,
      fields: { [catalog.keys.model]: "York" },
    });
    expect(await policyOf(other.id)).toBe(policyId);
    const stranger = await createOrg("Catalog stranger");
    await expect(
      savePolicy(stranger.ctx("admin"), null, {
        name: "Theirs",
        ticketCategories: [catalog.aircon],
        targets: { normal_first_response: "4h" },
      }),
    ).rejects.toMatchObject({ fields: { ticketCategories: expect.any(String) } });
    await expect(
      createTicket(stranger.ctx("agent"), {
        subject: "x",
        body: "x",
        requesterEmail: "a@b.test",
        category: catalog.aircon,
      }),
    ).rejects.toMatchObject({ fields: { category: expect.any(String) } });
  });
});
