// A small catalog for tests: Air conditioning (unit model, warranty → warranty number, refrigerant)
// with "Leaking" (leak location, required) and "Not cooling"; Billing (agents-only credit note).
import type { Ctx } from "../context";
import { saveCategory, saveField } from "./catalog";

export async function airconCatalog(admin: Ctx) {
  const aircon = await saveCategory(admin, null, { name: "Air conditioning" });
  const leaking = await saveCategory(admin, null, { name: "Leaking", parentId: aircon });
  const notCooling = await saveCategory(admin, null, { name: "Not cooling", parentId: aircon });
  const billing = await saveCategory(admin, null, { name: "Billing" });
  const internal = await saveCategory(admin, null, { name: "Internal", agentsOnly: true });
  const suffix = crypto.randomUUID().slice(0, 6);
  const key = (k: string) => `${k}_${suffix}`;
  const keys = {
    model: key("unit_model"),
    warranty: key("under_warranty"),
    warrantyNo: key("warranty_no"),
    refrigerant: key("refrigerant"),
    btu: key("btu"),
    installed: key("installed_on"),
    location: key("leak_location"),
    creditNote: key("credit_note"),
  };
  await saveField(admin, null, {
    categoryId: aircon,
    label: "Unit model",
    key: keys.model,
    type: "text",
    required: true,
  });
  await saveField(admin, null, {
    categoryId: aircon,
    label: "Under warranty",
    key: keys.warranty,
    type: "checkbox",
  });
  await saveField(admin, null, {
    categoryId: aircon,
    label: "Warranty number",
    key: keys.warrantyNo,
    type: "text",
    required: true,
    visibleWhenKey: keys.warranty,
    visibleWhenValue: "checked",
  });
  await saveField(admin, null, {
    categoryId: aircon,
    label: "Refrigerant",
    key: keys.refrigerant,
    type: "multiselect",
    options: "R32\nR410A\nR22",
  });
  await saveField(admin, null, {
    categoryId: aircon,
    label: "Capacity (BTU)",
    key: keys.btu,
    type: "number",
    minValue: "5000",
    maxValue: "60000",
  });
  await saveField(admin, null, {
    categoryId: aircon,
    label: "Installed on",
    key: keys.installed,
    type: "date",
  });
  await saveField(admin, null, {
    categoryId: leaking,
    label: "Leak location",
    key: keys.location,
    type: "select",
    options: "Indoor unit\nOutdoor unit\nPiping",
    required: true,
  });
  await saveField(admin, null, {
    categoryId: billing,
    label: "Credit note",
    key: keys.creditNote,
    type: "text",
    agentsOnly: true,
  });
  return { aircon, leaking, notCooling, billing, internal, keys };
}
