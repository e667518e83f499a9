// Demo categories and custom fields of the field-service company, and the category and values each
// demo ticket gets from its topic and subject.
import type { Db } from "../client";
import { ticketCategories, ticketFields } from "../schema";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

interface Rng {
  next: () => number;
  int: (min: number, max: number) => number;
  pick: <T>(items: readonly T[]) => T;
  chance: (p: number) => boolean;
}

interface FieldSeed {
  key: string;
  label: string;
  type: (typeof ticketFields.$inferInsert)["type"];
  options?: string[];
  required?: boolean;
  agentsOnly?: boolean;
  hint?: string;
  minValue?: number;
  maxValue?: number;
  visibleWhen?: [string, string];
}

interface CategorySeed {
  name: string;
  agentsOnly?: boolean;
  fields?: FieldSeed[];
  children?: CategorySeed[];
}

const BRANDS = ["Daikin", "Panasonic", "York", "Midea", "Mitsubishi Electric", "Carrier"];

const CATALOG: CategorySeed[] = [
  {
    name: "Air conditioning",
    fields: [
      { key: "unit_brand", label: "Unit brand", type: "select", options: BRANDS },
      {
        key: "unit_model",
        label: "Unit model",
        type: "text",
        required: true,
        hint: "On the label of the indoor unit.",
      },
      { key: "serial_number", label: "Serial number", type: "text" },
      { key: "installation_date", label: "Installation date", type: "date" },
      { key: "under_warranty", label: "Under warranty", type: "checkbox" },
      {
        key: "warranty_card",
        label: "Warranty card number",
        type: "text",
        required: true,
        visibleWhen: ["under_warranty", "checked"],
      },
      {
        key: "refrigerant",
        label: "Refrigerant",
        type: "multiselect",
        options: ["R32", "R410A", "R22"],
        agentsOnly: true,
      },
    ],
    children: [
      {
        name: "Not cooling",
        fields: [
          {
            key: "room_temperature",
            label: "Room temperature (°C)",
            type: "number",
            minValue: 10,
            maxValue: 45,
          },
        ],
      },
      {
        name: "Leaking",
        fields: [
          {
            key: "leak_location",
            label: "Where is it leaking?",
            type: "select",
            options: ["Indoor unit", "Outdoor unit", "Piping"],
            required: true,
          },
        ],
      },
      {
        name: "Noise",
        fields: [
          {
            key: "noise_kind",
            label: "Kind of noise",
            type: "select",
            options: ["Rattling", "Buzzing", "Grinding", "Clicking"],
          },
        ],
      },
    ],
  },
  {
    name: "Lifts",
    fields: [{ key: "lift_number", label: "Lift number", type: "number", minValue: 1, maxValue: 50 }],
  },
  { name: "Electrical" },
  { name: "Plumbing" },
  { name: "Network & CCTV" },
  {
    name: "Billing",
    children: [
      {
        name: "Invoice question",
        fields: [
          {
            key: "invoice_number",
            label: "Invoice number",
            type: "text",
            required: true,
            hint: "e.g. INV-004512",
          },
        ],
      },
      {
        name: "Payment",
        fields: [
          { key: "payment_date", label: "Payment date", type: "date" },
          { key: "payment_reference", label: "Bank reference", type: "text" },
        ],
      },
      {
        name: "Refund",
        fields: [
          { key: "refund_amount", label: "Refund amount (RM)", type: "number", minValue: 0, required: true },
          { key: "refund_approved", label: "Refund approved", type: "checkbox", agentsOnly: true },
        ],
      },
    ],
  },
  {
    name: "Installation",
    fields: [
      {
        key: "site_type",
        label: "Site type",
        type: "select",
        options: ["Landed house", "Condominium", "Office", "Shop lot", "Factory"],
        required: true,
      },
      { key: "units_to_install", label: "Number of units", type: "number", minValue: 1, maxValue: 100 },
      { key: "preferred_date", label: "Preferred date", type: "date" },
    ],
  },
  { name: "Warranty & contracts" },
  { name: "Internal escalation", agentsOnly: true },
];

export interface DemoCategories {
  /** Category id by path ("Air conditioning" or "Air conditioning › Leaking"). */
  ids: Map<string, string>;
}

export async function seedCategories(tx: Tx, orgId: string, now: Date): Promise<DemoCategories> {
  const ids = new Map<string, string>();
  const fieldRows: (typeof ticketFields.$inferInsert)[] = [];
  const addFields = (categoryId: string, fields: FieldSeed[] = []) => {
    for (const [i, f] of fields.entries())
      fieldRows.push({
        orgId,
        categoryId,
        key: f.key,
        label: f.label,
        type: f.type,
        options: f.options ?? [],
        required: f.required ?? false,
        agentsOnly: f.agentsOnly ?? false,
        hint: f.hint ?? null,
        minValue: f.minValue ?? null,
        maxValue: f.maxValue ?? null,
        visibleWhenKey: f.visibleWhen?.[0] ?? null,
        visibleWhenValue: f.visibleWhen?.[1] ?? null,
        position: i + 1,
        createdAt: now,
        updatedAt: now,
      });
  };
  for (const [i, seed] of CATALOG.entries()) {
    const [parent] = await tx
      .insert(ticketCategories)
      .values({
        orgId,
        name: seed.name,
        position: i + 1,
        agentsOnly: seed.agentsOnly ?? false,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: ticketCategories.id });
    ids.set(seed.name, parent.id);
    addFields(parent.id, seed.fields);
    for (const [j, child] of (seed.children ?? []).entries()) {
      const [row] = await tx
        .insert(ticketCategories)
        .values({
          orgId,
          parentId: parent.id,
          name: child.name,
          position: j + 1,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: ticketCategories.id });
      ids.set(`${seed.name} › ${child.name}`, row.id);
      addFields(row.id, child.fields);
    }
  }
  await tx.insert(ticketFields).values(fieldRows);
  return { ids };
}

const TOPIC_CATEGORIES: Record<string, string> = {
  aircond: "Air conditioning",
  lift: "Lifts",
  electrical: "Electrical",
  plumbing: "Plumbing",
  network: "Network & CCTV",
  billing: "Billing",
  warranty: "Warranty & contracts",
};

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The path of a ticket's category from its topic and subject (the subject names the fault). */
function pathFor(topic: string, subject: string): string | undefined {
  const category = TOPIC_CATEGORIES[topic];
  if (!category) return undefined;
  if (topic === "aircond") {
    if (/not cooling/i.test(subject)) return `${category} › Not cooling`;
    if (/leaking/i.test(subject)) return `${category} › Leaking`;
    if (/noise/i.test(subject)) return `${category} › Noise`;
  }
  if (topic === "billing")
    return /payment/i.test(subject) ? `${category} › Payment` : `${category} › Invoice question`;
  return category;
}

/** The category columns and field values of a demo ticket (its own random stream keeps the rest stable). */
export function classify(
  categories: DemoCategories,
  topic: string,
  subject: string,
  created: Date,
  rng: Rng,
): {
  categoryId: string | null;
  subcategoryId: string | null;
  customFields: Record<string, unknown>;
  path: string | null;
} {
  const path = pathFor(topic, subject);
  if (!path) return { categoryId: null, subcategoryId: null, customFields: {}, path: null };
  const [top] = path.split(" › ");
  const categoryId = categories.ids.get(top) ?? null;
  const subcategoryId = path.includes(" › ") ? (categories.ids.get(path) ?? null) : null;
  const fields: Record<string, unknown> = {};
  if (top === "Air conditioning") {
    const brand = rng.pick(BRANDS);
    fields.unit_brand = brand;
    fields.unit_model = `${brand.slice(0, 2).toUpperCase()}-${rng.int(10, 99)}${rng.pick(["A", "B", "C"])}${rng.pick([12, 18, 24, 36])}`;
    if (rng.chance(0.6)) fields.serial_number = `S${rng.int(1_000_000, 9_999_999)}`;
    const installed = created.getTime() - rng.int(90, 2_500) * 86_400_000;
    fields.installation_date = isoDay(installed);
    if (created.getTime() - installed < 3 * 365 * 86_400_000) {
      fields.under_warranty = true;
      fields.warranty_card = `WC-${rng.int(100_000, 999_999)}`;
    }
    if (rng.chance(0.5)) fields.refrigerant = [rng.pick(["R32", "R410A", "R22"])];
    if (path.endsWith("Not cooling")) fields.room_temperature = rng.int(27, 34);
    if (path.endsWith("Leaking"))
      fields.leak_location = rng.pick(["Indoor unit", "Indoor unit", "Outdoor unit", "Piping"]);
    if (path.endsWith("Noise")) fields.noise_kind = rng.pick(["Rattling", "Buzzing", "Grinding", "Clicking"]);
  }
  if (top === "Lifts") fields.lift_number = rng.int(1, 6);
  if (path.endsWith("Invoice question")) {
    const invoice = /INV-\d+/.exec(subject)?.[0];
    fields.invoice_number = invoice ?? `INV-${String(rng.int(1, 9999)).padStart(6, "0")}`;
  }
  if (path.endsWith("Payment")) {
    fields.payment_date = isoDay(created.getTime() - rng.int(1, 14) * 86_400_000);
    fields.payment_reference = `MBB${rng.int(10_000_000, 99_999_999)}`;
  }
  return { categoryId, subcategoryId, customFields: fields, path };
}
