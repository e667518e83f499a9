// Priced lines as typed into a form: a service or part from the catalog (bringing its price and
// tax), or labour / a free line with a typed price. Work orders, estimates and maintenance plans
// all keep lines of this one shape, so an accepted estimate or a due plan copies them one for one.
import { and, eq } from "drizzle-orm";
import { LINE_ITEM_KINDS, type LineItemKind, parts, services } from "../../../db/schema";
import type { FieldErrors } from "../errors";
import type { DbOrTx } from "../events/log";
import { isOneOf, isUuid } from "../tickets/rules";
import { parseMoney, parsePercent } from "./money";

export interface LineInput {
  kind: string;
  serviceId?: string;
  partId?: string;
  description?: string;
  quantity: string | number;
  /** For labour and free lines: the unit price as typed ("85.00"). */
  unitPrice?: string;
  taxPercent?: string;
}

/** What a line row holds, ready to insert next to its owner's id. */
export interface LineValues {
  kind: LineItemKind;
  serviceId: string | null;
  partId: string | null;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  taxBasisPoints: number;
}

export const LINE_DESCRIPTION_MAX = 500;

export const LINE_KIND_LABELS: Record<LineItemKind, string> = {
  service: "Service",
  part: "Part",
  labour: "Labour or other",
};

export function parseQuantity(value: string | number): number | undefined {
  const quantity = typeof value === "number" ? value : Number(String(value).trim());
  return Number.isInteger(quantity) && quantity >= 1 && quantity <= 100_000 ? quantity : undefined;
}

/**
 * Checks and prices one line in `currency`; problems go into `fields`. With `typedPrices`, a
 * catalog item's price and tax may be overridden by what was typed (an estimate's discount);
 * without, catalog items always use the catalog's figures (a work order's parts as booked).
 */
export async function priceLine(
  db: DbOrTx,
  orgId: string,
  currency: string,
  input: LineInput,
  fields: FieldErrors,
  options: { typedPrices?: boolean } = {},
): Promise<LineValues | undefined> {
  const kind = input.kind as LineItemKind;
  if (!isOneOf(LINE_ITEM_KINDS, kind)) fields.kind = "Choose service, part or labour.";
  const quantity = parseQuantity(input.quantity);
  if (quantity === undefined) fields.quantity = "Enter a whole quantity of at least 1.";
  let description = (input.description ?? "").trim();
  let unitPriceMinor: number | undefined;
  let taxBasisPoints: number | undefined;
  let serviceId: string | null = null;
  let partId: string | null = null;
  if (kind === "service") {
    const [row] = isUuid(input.serviceId)
      ? await db
          .select()
          .from(services)
          .where(and(eq(services.orgId, orgId), eq(services.id, input.serviceId)))
      : [];
    if (!row) fields.serviceId = "Choose a service from the catalog.";
    else if (row.currency !== currency) fields.serviceId = `That service is priced in ${row.currency}.`;
    else {
      serviceId = row.id;
      description ||= row.name;
      unitPriceMinor = row.priceMinor;
      taxBasisPoints = row.taxBasisPoints;
    }
  } else if (kind === "part") {
    const [row] = isUuid(input.partId)
      ? await db
          .select()
          .from(parts)
          .where(and(eq(parts.orgId, orgId), eq(parts.id, input.partId)))
      : [];
    if (!row) fields.partId = "Choose a part from the list.";
    else if (row.currency !== currency) fields.partId = `That part is priced in ${row.currency}.`;
    else {
      partId = row.id;
      description ||= `${row.sku} ${row.name}`;
      unitPriceMinor = row.priceMinor;
      taxBasisPoints = row.taxBasisPoints;
    }
  }
  const typedPrice = (input.unitPrice ?? "").trim();
  const typedTax = (input.taxPercent ?? "").trim();
  if (kind === "labour" || (options.typedPrices && typedPrice)) {
    unitPriceMinor = parseMoney(typedPrice, currency);
    if (unitPriceMinor === undefined) fields.unitPrice = "Enter a price such as 85.00.";
  }
  if (kind === "labour" || (options.typedPrices && typedTax)) {
    taxBasisPoints = parsePercent(typedTax || "0");
    if (taxBasisPoints === undefined) fields.taxPercent = "Enter a tax rate such as 8 or 6.5.";
  }
  if (kind === "labour") description ||= "Labour";
  if (description.length > LINE_DESCRIPTION_MAX)
    fields.description = `Keep the description under ${LINE_DESCRIPTION_MAX} characters.`;
  if (
    Object.keys(fields).length ||
    quantity === undefined ||
    unitPriceMinor === undefined ||
    taxBasisPoints === undefined
  )
    return undefined;
  return { kind, serviceId, partId, description, quantity, unitPriceMinor, taxBasisPoints };
}

/** A stored line's values, to copy into another record's lines. */
export function copyLine(line: LineValues): LineValues {
  return {
    kind: line.kind,
    serviceId: line.serviceId,
    partId: line.partId,
    description: line.description,
    quantity: line.quantity,
    unitPriceMinor: line.unitPriceMinor,
    taxBasisPoints: line.taxBasisPoints,
  };
}
