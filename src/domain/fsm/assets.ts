// Customers' equipment: each asset at a service location, with its warranty, and its service
// history built from the work orders done on it and the maintenance plans that keep it running.
import { and, asc, desc, eq, ilike, or, sql } from "drizzle-orm";
import {
  ASSET_STATUSES,
  type AssetStatus,
  assets,
  companies,
  contacts,
  maintenancePlans,
  serviceLocations,
  workOrders,
} from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { isUuid } from "../tickets/rules";
import { validDate } from "./rules";

export const ASSET_STATUS_LABELS: Record<AssetStatus, string> = {
  active: "Working",
  needs_service: "Needs service",
  out_of_service: "Out of service",
  retired: "Retired",
};

export type AssetRow = typeof assets.$inferSelect;

const customerName = sql<string | null>`coalesce(${companies.name}, ${contacts.name})`;

/** Assets by type, make, model or serial, newest first; at most 200. */
export async function listAssets(ctx: Ctx, filters: { q?: string; status?: string } = {}) {
  requirePermission(ctx.actor, "fsm.read");
  const q = (filters.q ?? "").trim().slice(0, 100);
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const status = ASSET_STATUSES.includes(filters.status as AssetStatus)
    ? (filters.status as AssetStatus)
    : undefined;
  return ctx.db
    .select({
      id: assets.id,
      type: assets.type,
      make: assets.make,
      model: assets.model,
      serial: assets.serial,
      status: assets.status,
      warrantyEndsOn: assets.warrantyEndsOn,
      locationName: serviceLocations.name,
      customer: customerName,
    })
    .from(assets)
    .leftJoin(
      serviceLocations,
      and(eq(serviceLocations.orgId, assets.orgId), eq(serviceLocations.id, assets.locationId)),
    )
    .leftJoin(companies, and(eq(companies.orgId, assets.orgId), eq(companies.id, serviceLocations.companyId)))
    .leftJoin(contacts, and(eq(contacts.orgId, assets.orgId), eq(contacts.id, serviceLocations.contactId)))
    .where(
      and(
        eq(assets.orgId, ctx.actor.orgId),
        status ? eq(assets.status, status) : undefined,
        q
          ? or(
              ilike(assets.type, like),
              ilike(assets.make, like),
              ilike(assets.model, like),
              ilike(assets.serial, like),
            )
          : undefined,
      ),
    )
    .orderBy(desc(assets.createdAt))
    .limit(200);
}

/** One asset with where it is, whose it is, its work orders (newest first) and its maintenance plans. */
export async function getAsset(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, "fsm.read");
  if (!isUuid(id)) throw notFound("That asset");
  const [row] = await ctx.db
    .select({
      asset: assets,
      locationName: serviceLocations.name,
      address: serviceLocations.address,
      customer: customerName,
    })
    .from(assets)
    .leftJoin(
      serviceLocations,
      and(eq(serviceLocations.orgId, assets.orgId), eq(serviceLocations.id, assets.locationId)),
    )
    .leftJoin(companies, and(eq(companies.orgId, assets.orgId), eq(companies.id, serviceLocations.companyId)))
    .leftJoin(contacts, and(eq(contacts.orgId, assets.orgId), eq(contacts.id, serviceLocations.contactId)))
    .where(and(eq(assets.orgId, ctx.actor.orgId), eq(assets.id, id)));
  if (!row) throw notFound("That asset");
  const [history, plans] = await Promise.all([
    ctx.db
      .select({
        number: workOrders.number,
        subject: workOrders.subject,
        status: workOrders.status,
        createdAt: workOrders.createdAt,
        updatedAt: workOrders.updatedAt,
      })
      .from(workOrders)
      .where(and(eq(workOrders.orgId, ctx.actor.orgId), eq(workOrders.assetId, id)))
      .orderBy(desc(workOrders.createdAt))
      .limit(200),
    ctx.db
      .select({ id: maintenancePlans.id, title: maintenancePlans.title, active: maintenancePlans.active })
      .from(maintenancePlans)
      .where(and(eq(maintenancePlans.orgId, ctx.actor.orgId), eq(maintenancePlans.assetId, id)))
      .orderBy(asc(maintenancePlans.title)),
  ]);
  return { ...row, history, plans };
}

/** Whether the warranty still holds on the given local date ("YYYY-MM-DD"). */
export function underWarranty(asset: Pick<AssetRow, "warrantyEndsOn">, today: string): boolean {
  return Boolean(asset.warrantyEndsOn && asset.warrantyEndsOn >= today);
}

export interface AssetInput {
  type?: string;
  make?: string;
  model?: string;
  serial?: string;
  locationId?: string;
  installedOn?: string;
  warrantyEndsOn?: string;
  status?: string;
}

async function checkAsset(ctx: Ctx, input: AssetInput) {
  const fields: FieldErrors = {};
  const text = (v: string | undefined, max: number, field: string) => {
    const t = (v ?? "").trim();
    if (t.length > max) fields[field] = `Keep it under ${max} characters.`;
    return t || null;
  };
  const type = text(input.type, 80, "type");
  if (!type) fields.type = "Say what it is, e.g. Split air conditioner.";
  const make = text(input.make, 80, "make");
  const model = text(input.model, 80, "model");
  const serial = text(input.serial, 80, "serial");
  const installedOn = (input.installedOn ?? "").trim() || null;
  if (installedOn && !validDate(installedOn)) fields.installedOn = "Give the date as YYYY-MM-DD.";
  const warrantyEndsOn = (input.warrantyEndsOn ?? "").trim() || null;
  if (warrantyEndsOn && !validDate(warrantyEndsOn)) fields.warrantyEndsOn = "Give the date as YYYY-MM-DD.";
  else if (warrantyEndsOn && installedOn && !fields.installedOn && warrantyEndsOn < installedOn)
    fields.warrantyEndsOn = "The warranty cannot end before the installation.";
  const status = (input.status || "active") as AssetStatus;
  if (!ASSET_STATUSES.includes(status)) fields.status = "Choose a status.";
  let locationId: string | null = null;
  if (input.locationId) {
    const [location] = isUuid(input.locationId)
      ? await ctx.db
          .select({ id: serviceLocations.id })
          .from(serviceLocations)
          .where(and(eq(serviceLocations.orgId, ctx.actor.orgId), eq(serviceLocations.id, input.locationId)))
      : [];
    if (location) locationId = location.id;
    else fields.locationId = "Choose one of the customers' service locations.";
  }
  if (Object.keys(fields).length) throw invalid(fields);
  return { type: type!, make, model, serial, installedOn, warrantyEndsOn, status, locationId };
}

export async function saveAsset(ctx: Ctx, id: string | null, input: AssetInput): Promise<string> {
  requirePermission(ctx.actor, "fsm.manage");
  const values = await checkAsset(ctx, input);
  return ctx.db.transaction(async (tx) => {
    if (id) {
      if (!isUuid(id)) throw notFound("That asset");
      const changed = await tx
        .update(assets)
        .set(values)
        .where(and(eq(assets.orgId, ctx.actor.orgId), eq(assets.id, id)))
        .returning({ id: assets.id });
      if (changed.length === 0) throw notFound("That asset");
      await appendEvent(tx, ctx, { type: "asset.updated", data: { assetId: id, ...values } });
      return id;
    }
    const [row] = await tx
      .insert(assets)
      .values({ orgId: ctx.actor.orgId, ...values })
      .returning({ id: assets.id });
    await appendEvent(tx, ctx, { type: "asset.created", data: { assetId: row.id, ...values } });
    return row.id;
  });
}

/** The service locations an asset may be at, with their customer, for the form. */
export async function locationChoices(ctx: Ctx) {
  requirePermission(ctx.actor, "fsm.read");
  return ctx.db
    .select({ id: serviceLocations.id, name: serviceLocations.name, customer: customerName })
    .from(serviceLocations)
    .leftJoin(
      companies,
      and(eq(companies.orgId, serviceLocations.orgId), eq(companies.id, serviceLocations.companyId)),
    )
    .leftJoin(
      contacts,
      and(eq(contacts.orgId, serviceLocations.orgId), eq(contacts.id, serviceLocations.contactId)),
    )
    .where(eq(serviceLocations.orgId, ctx.actor.orgId))
    .orderBy(asc(serviceLocations.name))
    .limit(2000);
}
