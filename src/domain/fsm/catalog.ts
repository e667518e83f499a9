// The service catalog: the services a visit can book (duration, price, tax) and the parts it can
// use (SKU, cost, price, tax), priced in the organization's currency. Work orders copy a line's
// price when it is added, so changing the catalog never changes an existing work order.
import { and, asc, eq, ne } from "drizzle-orm";
import { parts, services } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { isUuid } from "../tickets/rules";
import { formatMoney, parseMoney, parsePercent } from "./money";
import { orgCurrency } from "./workOrders";

export async function catalog(ctx: Ctx) {
  requirePermission(ctx.actor, "fsm.read");
  const [serviceRows, partRows, currency] = await Promise.all([
    ctx.db.select().from(services).where(eq(services.orgId, ctx.actor.orgId)).orderBy(asc(services.name)),
    ctx.db.select().from(parts).where(eq(parts.orgId, ctx.actor.orgId)).orderBy(asc(parts.sku)),
    orgCurrency(ctx.db, ctx.actor.orgId),
  ]);
  return { services: serviceRows, parts: partRows, currency };
}

export type ServiceRow = typeof services.$inferSelect;
export type PartRow = typeof parts.$inferSelect;

/** The form's text for an amount: "85.00" for 8500 in a two-digit currency. */
export const moneyText = (minor: number, currency: string) =>
  formatMoney(minor, currency).replace(/^\S+ /, "").replaceAll(",", "");

function amount(text: string | undefined, currency: string, field: string, fields: FieldErrors): number {
  const value = parseMoney(text ?? "", currency);
  if (value === undefined) fields[field] = "Give an amount such as 85.00.";
  return value ?? 0;
}

function tax(text: string | undefined, fields: FieldErrors): number {
  const value = parsePercent((text ?? "").trim() || "0");
  if (value === undefined) fields.tax = "Give a percentage from 0 to 100, e.g. 8 or 6.5.";
  return value ?? 0;
}

export async function saveService(
  ctx: Ctx,
  id: string | null,
  input: { name?: string; minutes?: string; price?: string; tax?: string },
): Promise<string> {
  requirePermission(ctx.actor, "fsm.manage");
  const currency = await orgCurrency(ctx.db, ctx.actor.orgId);
  const fields: FieldErrors = {};
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Name the service, e.g. Aircon general service.";
  else if (name.length > 120) fields.name = "Keep the name under 120 characters.";
  const minutes = Number((input.minutes ?? "").trim());
  if (!/^\d{1,4}$/.test((input.minutes ?? "").trim()) || minutes < 5 || minutes > 24 * 60)
    fields.minutes = "Give the minutes it takes, from 5 to 1,440.";
  const priceMinor = amount(input.price, currency, "price", fields);
  const taxBasisPoints = tax(input.tax, fields);
  if (name && !fields.name) {
    const [taken] = await ctx.db
      .select({ id: services.id })
      .from(services)
      .where(
        and(
          eq(services.orgId, ctx.actor.orgId),
          eq(services.name, name),
          id && isUuid(id) ? ne(services.id, id) : undefined,
        ),
      );
    if (taken) fields.name = "Another service has this name.";
  }
  if (Object.keys(fields).length) throw invalid(fields);
  const values = { name, durationMinutes: minutes, priceMinor, currency, taxBasisPoints };
  return ctx.db.transaction(async (tx) => {
    let serviceId = id;
    if (serviceId) {
      const changed = isUuid(serviceId)
        ? await tx
            .update(services)
            .set(values)
            .where(and(eq(services.orgId, ctx.actor.orgId), eq(services.id, serviceId)))
            .returning({ id: services.id })
        : [];
      if (changed.length === 0) throw notFound("That service");
    } else
      [{ id: serviceId }] = await tx
        .insert(services)
        .values({ orgId: ctx.actor.orgId, ...values })
        .returning({ id: services.id });
    await appendEvent(tx, ctx, { type: "catalog.service_saved", data: { serviceId, ...values } });
    return serviceId!;
  });
}

export async function savePart(
  ctx: Ctx,
  id: string | null,
  input: { sku?: string; name?: string; cost?: string; price?: string; tax?: string },
): Promise<string> {
  requirePermission(ctx.actor, "fsm.manage");
  const currency = await orgCurrency(ctx.db, ctx.actor.orgId);
  const fields: FieldErrors = {};
  const sku = (input.sku ?? "").trim().toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9._-]{0,39}$/.test(sku))
    fields.sku = "Use letters, digits, dots, dashes or underscores, e.g. CAP-35UF.";
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Name the part.";
  else if (name.length > 120) fields.name = "Keep the name under 120 characters.";
  const costMinor = amount(input.cost, currency, "cost", fields);
  const priceMinor = amount(input.price, currency, "price", fields);
  const taxBasisPoints = tax(input.tax, fields);
  if (!fields.sku) {
    const [taken] = await ctx.db
      .select({ id: parts.id })
      .from(parts)
      .where(
        and(
          eq(parts.orgId, ctx.actor.orgId),
          eq(parts.sku, sku),
          id && isUuid(id) ? ne(parts.id, id) : undefined,
        ),
      );
    if (taken) fields.sku = "Another part has this SKU.";
  }
  if (Object.keys(fields).length) throw invalid(fields);
  const values = { sku, name, costMinor, priceMinor, currency, taxBasisPoints };
  return ctx.db.transaction(async (tx) => {
    let partId = id;
    if (partId) {
      const changed = isUuid(partId)
        ? await tx
            .update(parts)
            .set(values)
            .where(and(eq(parts.orgId, ctx.actor.orgId), eq(parts.id, partId)))
            .returning({ id: parts.id })
        : [];
      if (changed.length === 0) throw notFound("That part");
    } else
      [{ id: partId }] = await tx
        .insert(parts)
        .values({ orgId: ctx.actor.orgId, ...values })
        .returning({ id: parts.id });
    await appendEvent(tx, ctx, { type: "catalog.part_saved", data: { partId, ...values } });
    return partId!;
  });
}
