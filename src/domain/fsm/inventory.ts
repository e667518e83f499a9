// Inventory for the office: stock locations (warehouses and technicians' vans), purchase receipts,
// transfers between locations, count corrections and reorder levels, and what each location holds.
// Every command checks inventory.manage, writes through the ledger (stock.ts) in one transaction
// and appends an event.
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import {
  parts,
  STOCK_LOCATION_KINDS,
  type StockLocationKind,
  stockLevels,
  stockLocations,
  stockMovements,
  users,
  workOrders,
} from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { conflict, type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { isOneOf, isUuid } from "../tickets/rules";
import { parseQuantity } from "./lines";
import { parseMoney } from "./money";
import { applyMovement, isBelowReorder, markBelowReorder, ShortOfStock } from "./stock";

export type StockLocationRow = typeof stockLocations.$inferSelect;

export const LOCATION_NAME_MAX = 100;
export const SUPPLIER_MAX = 200;
export const STOCK_REASON_MAX = 500;

export const LOCATION_KIND_LABELS: Record<StockLocationKind, string> = {
  warehouse: "Warehouse",
  van: "Van",
};

function requireInventory(ctx: Ctx) {
  requirePermission(ctx.actor, "inventory.manage");
}

function fail(fields: FieldErrors) {
  if (Object.keys(fields).length) throw invalid(fields);
}

export async function findLocation(db: DbOrTx, orgId: string, id: string): Promise<StockLocationRow> {
  const [row] = isUuid(id)
    ? await db
        .select()
        .from(stockLocations)
        .where(and(eq(stockLocations.orgId, orgId), eq(stockLocations.id, id)))
    : [];
  if (!row) throw notFound("That stock location");
  return row;
}

/** A location chosen in a form: marks `field` when it is not one of the organization's. */
async function chosenLocation(ctx: Ctx, id: string, fields: FieldErrors, field: string) {
  const row = await findLocation(ctx.db, ctx.actor.orgId, id).catch(() => undefined);
  if (!row) fields[field] = "Choose a location from the list.";
  return row;
}

async function chosenPart(ctx: Ctx, id: string, fields: FieldErrors) {
  const [row] = isUuid(id)
    ? await ctx.db
        .select()
        .from(parts)
        .where(and(eq(parts.orgId, ctx.actor.orgId), eq(parts.id, id)))
    : [];
  if (!row) fields.partId = "Choose a part from the list.";
  return row;
}

function quantityOf(value: string | number, fields: FieldErrors) {
  const quantity = parseQuantity(value);
  if (quantity === undefined) fields.quantity = "Enter a whole quantity of at least 1.";
  return quantity;
}

function optionalText(value: string | undefined, max: number, field: string, fields: FieldErrors) {
  const text = (value ?? "").trim();
  if (text.length > max) fields[field] = `Keep it under ${max} characters.`;
  return text || null;
}

/** Turns a shortage found inside the transaction into the form's message. */
export function shortOfStock(
  error: unknown,
  location: { name: string },
  part: { sku: string },
  field = "quantity",
): never {
  if (!(error instanceof ShortOfStock)) throw error;
  const message = `${location.name} has ${error.available} of ${part.sku}.`;
  throw conflict(message, { [field]: message });
}

export interface LocationInput {
  kind: string;
  name: string;
  technicianUserId?: string;
}

/** A new warehouse, or a van for a technician who has none yet. */
export async function createLocation(ctx: Ctx, input: LocationInput): Promise<StockLocationRow> {
  requireInventory(ctx);
  const orgId = ctx.actor.orgId;
  const fields: FieldErrors = {};
  const kind = input.kind as StockLocationKind;
  if (!isOneOf(STOCK_LOCATION_KINDS, kind)) fields.kind = "Choose warehouse or van.";
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Name the location.";
  else if (name.length > LOCATION_NAME_MAX)
    fields.name = `Keep the name under ${LOCATION_NAME_MAX} characters.`;
  let technicianUserId: string | null = null;
  if (kind === "van") {
    const [tech] = isUuid(input.technicianUserId)
      ? await ctx.db
          .select({ id: users.id })
          .from(users)
          .where(
            and(eq(users.orgId, orgId), eq(users.id, input.technicianUserId), eq(users.role, "technician")),
          )
      : [];
    if (!tech) fields.technicianUserId = "Choose the technician who drives this van.";
    else technicianUserId = tech.id;
  }
  if (name && !fields.name) {
    const [taken] = await ctx.db
      .select({ id: stockLocations.id })
      .from(stockLocations)
      .where(and(eq(stockLocations.orgId, orgId), eq(stockLocations.name, name)));
    if (taken) fields.name = "Another location has this name.";
  }
  if (technicianUserId) {
    const [van] = await ctx.db
      .select({ name: stockLocations.name })
      .from(stockLocations)
      .where(and(eq(stockLocations.orgId, orgId), eq(stockLocations.technicianUserId, technicianUserId)));
    if (van) fields.technicianUserId = `This technician already has a van: ${van.name}.`;
  }
  fail(fields);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(stockLocations)
      .values({ orgId, kind, name, technicianUserId, createdAt: ctx.now })
      .returning();
    await appendEvent(tx, ctx, {
      type: "stock.location_created",
      data: { locationId: row.id, kind, name, technicianUserId },
    });
    return row;
  });
}

export interface ReceiptInput {
  locationId: string;
  partId: string;
  quantity: string | number;
  supplier?: string;
  reference?: string;
  /** As typed ("18.00"); blank takes the part's catalog cost. */
  unitCost?: string;
}

/** Parts bought in: a purchase receipt into a warehouse or a van. */
export async function receiveStock(ctx: Ctx, input: ReceiptInput) {
  requireInventory(ctx);
  const fields: FieldErrors = {};
  const location = await chosenLocation(ctx, input.locationId, fields, "locationId");
  const part = await chosenPart(ctx, input.partId, fields);
  const quantity = quantityOf(input.quantity, fields);
  const supplier = optionalText(input.supplier, SUPPLIER_MAX, "supplier", fields);
  const reference = optionalText(input.reference, SUPPLIER_MAX, "reference", fields);
  let unitCostMinor: number | undefined = part?.costMinor;
  if (part && (input.unitCost ?? "").trim()) {
    unitCostMinor = parseMoney(input.unitCost ?? "", part.currency);
    if (unitCostMinor === undefined) fields.unitCost = "Enter a cost such as 18.00.";
  }
  fail(fields);
  return ctx.db.transaction(async (tx) => {
    const movement = await applyMovement(tx, ctx, {
      kind: "receipt",
      locationId: location!.id,
      partId: part!.id,
      quantity: quantity!,
      supplier,
      reference,
      unitCostMinor: unitCostMinor ?? null,
      currency: part!.currency,
    });
    await appendEvent(tx, ctx, {
      type: "stock.received",
      data: {
        movementId: movement.id,
        locationId: location!.id,
        partId: part!.id,
        quantity,
        supplier,
        reference,
        unitCostMinor,
      },
    });
    return movement;
  });
}

export interface TransferInput {
  fromId: string;
  toId: string;
  partId: string;
  quantity: string | number;
}

/** Moves parts between two locations; refused when the source holds too few. */
export async function transferStock(ctx: Ctx, input: TransferInput) {
  requireInventory(ctx);
  const fields: FieldErrors = {};
  const from = await chosenLocation(ctx, input.fromId, fields, "fromId");
  const to = await chosenLocation(ctx, input.toId, fields, "toId");
  if (from && to && from.id === to.id) fields.toId = "Choose a different location to move the parts to.";
  const part = await chosenPart(ctx, input.partId, fields);
  const quantity = quantityOf(input.quantity, fields);
  fail(fields);
  const transferId = randomUUID();
  const legs = [
    { kind: "transfer_out" as const, location: from!, quantity: -quantity! },
    { kind: "transfer_in" as const, location: to!, quantity: quantity! },
  ];
  // Levels are locked in one order (by location), so opposite transfers at once cannot deadlock.
  legs.sort((a, b) => (a.location.id < b.location.id ? -1 : 1));
  try {
    return await ctx.db.transaction(async (tx) => {
      for (const leg of legs)
        await applyMovement(tx, ctx, {
          kind: leg.kind,
          locationId: leg.location.id,
          partId: part!.id,
          quantity: leg.quantity,
          transferId,
        });
      await appendEvent(tx, ctx, {
        type: "stock.transferred",
        data: { transferId, fromId: from!.id, toId: to!.id, partId: part!.id, quantity },
      });
      return { transferId };
    });
  } catch (error) {
    shortOfStock(error, from!, part!);
  }
}

export interface AdjustmentInput {
  locationId: string;
  partId: string;
  /** What was counted on the shelf. */
  counted: string | number;
  reason: string;
}

/** A count correction: the level becomes what was counted, and the difference is recorded. */
export async function adjustStock(ctx: Ctx, input: AdjustmentInput) {
  requireInventory(ctx);
  const orgId = ctx.actor.orgId;
  const fields: FieldErrors = {};
  const location = await chosenLocation(ctx, input.locationId, fields, "locationId");
  const part = await chosenPart(ctx, input.partId, fields);
  const countedText = String(input.counted ?? "").trim();
  const counted = /^\d{1,6}$/.test(countedText) ? Number(countedText) : undefined;
  if (counted === undefined) fields.counted = "Enter the number counted, 0 or more.";
  const reason = (input.reason ?? "").trim();
  if (!reason) fields.reason = "Say why the count differs.";
  else if (reason.length > STOCK_REASON_MAX)
    fields.reason = `Keep the reason under ${STOCK_REASON_MAX} characters.`;
  fail(fields);
  return ctx.db.transaction(async (tx) => {
    const [level] = await tx
      .select({ quantity: stockLevels.quantity })
      .from(stockLevels)
      .where(
        and(
          eq(stockLevels.orgId, orgId),
          eq(stockLevels.locationId, location!.id),
          eq(stockLevels.partId, part!.id),
        ),
      )
      .for("update");
    const before = level?.quantity ?? 0;
    const change = counted! - before;
    if (change === 0)
      throw invalid(
        { counted: `The records already show ${before}; there is nothing to correct.` },
        "The count matches the records.",
      );
    const movement = await applyMovement(tx, ctx, {
      kind: "adjustment",
      locationId: location!.id,
      partId: part!.id,
      quantity: change,
      allowNegative: true,
      reason,
    });
    await appendEvent(tx, ctx, {
      type: "stock.adjusted",
      data: { movementId: movement.id, locationId: location!.id, partId: part!.id, before, counted, reason },
    });
    return movement;
  });
}

/**
 * Sets (or, blank, clears) the level at which a location's part should be reordered. Setting it
 * does not notify — whoever sets it sees the list — but marks the level, so only a later fall
 * after a refill alerts again.
 */
export async function setReorderLevel(
  ctx: Ctx,
  locationId: string,
  input: { partId: string; reorderLevel: string },
) {
  requireInventory(ctx);
  const orgId = ctx.actor.orgId;
  const location = await findLocation(ctx.db, orgId, locationId);
  const fields: FieldErrors = {};
  const part = await chosenPart(ctx, input.partId, fields);
  const text = (input.reorderLevel ?? "").trim();
  const reorderLevel = text === "" ? null : /^\d{1,6}$/.test(text) ? Number(text) : undefined;
  if (reorderLevel === undefined) fields.reorderLevel = "Enter a whole number, 0 or more, or leave it blank.";
  fail(fields);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(stockLevels)
      .values({ orgId, locationId: location.id, partId: part!.id, reorderLevel, updatedAt: ctx.now })
      .onConflictDoUpdate({
        target: [stockLevels.orgId, stockLevels.locationId, stockLevels.partId],
        set: { reorderLevel, updatedAt: ctx.now },
      })
      .returning();
    const below = isBelowReorder(row.quantity, row.reorderLevel);
    if (below !== (row.belowReorderSince !== null))
      await markBelowReorder(
        tx,
        orgId,
        { locationId: location.id, partId: part!.id },
        below ? ctx.now : null,
      );
    await appendEvent(tx, ctx, {
      type: "stock.reorder_level_set",
      data: { locationId: location.id, partId: part!.id, reorderLevel },
    });
    return row;
  });
}

export interface StockFilters {
  locationId?: string;
  partId?: string;
  belowOnly?: boolean;
}

export function parseStockFilters(query: Record<string, string | undefined>): StockFilters {
  const filters: StockFilters = {};
  if (isUuid(query.locationId)) filters.locationId = query.locationId;
  if (isUuid(query.partId)) filters.partId = query.partId;
  if (query.below === "1") filters.belowOnly = true;
  return filters;
}

const belowReorder = sql<boolean>`(${stockLevels.reorderLevel} is not null and ${stockLevels.quantity} <= ${stockLevels.reorderLevel})`;

export const STOCK_LIST_LIMIT = 500;

/** Levels per location and part, by location and SKU; at most STOCK_LIST_LIMIT rows. */
export async function stockLevelList(ctx: Ctx, filters: StockFilters, limit = STOCK_LIST_LIMIT) {
  requireInventory(ctx);
  const where: SQL[] = [eq(stockLevels.orgId, ctx.actor.orgId)];
  if (filters.locationId) where.push(eq(stockLevels.locationId, filters.locationId));
  if (filters.partId) where.push(eq(stockLevels.partId, filters.partId));
  if (filters.belowOnly) where.push(belowReorder);
  return levelRows(ctx.db, where, limit);
}

function levelRows(db: DbOrTx, where: SQL[], limit: number) {
  return db
    .select({
      locationId: stockLevels.locationId,
      locationName: stockLocations.name,
      locationKind: stockLocations.kind,
      partId: stockLevels.partId,
      sku: parts.sku,
      partName: parts.name,
      quantity: stockLevels.quantity,
      reorderLevel: stockLevels.reorderLevel,
      below: belowReorder,
    })
    .from(stockLevels)
    .innerJoin(
      stockLocations,
      and(eq(stockLocations.orgId, stockLevels.orgId), eq(stockLocations.id, stockLevels.locationId)),
    )
    .innerJoin(parts, and(eq(parts.orgId, stockLevels.orgId), eq(parts.id, stockLevels.partId)))
    .where(and(...where))
    .orderBy(asc(stockLocations.name), asc(parts.sku))
    .limit(limit);
}

export type StockLevelRow = Awaited<ReturnType<typeof stockLevelList>>[number];

/** Everything at or below its reorder level, for the list on top of /fsm/inventory. */
export async function belowReorderList(ctx: Ctx) {
  requireInventory(ctx);
  return levelRows(ctx.db, [eq(stockLevels.orgId, ctx.actor.orgId), belowReorder], 200);
}

/** The locations and parts the forms offer. */
export async function inventoryChoices(ctx: Ctx) {
  requireInventory(ctx);
  const orgId = ctx.actor.orgId;
  const [locationRows, partRows, technicianRows] = await Promise.all([
    ctx.db
      .select({ id: stockLocations.id, name: stockLocations.name, kind: stockLocations.kind })
      .from(stockLocations)
      .where(eq(stockLocations.orgId, orgId))
      .orderBy(asc(stockLocations.kind), asc(stockLocations.name))
      .limit(1000),
    ctx.db
      .select({ id: parts.id, sku: parts.sku, name: parts.name, currency: parts.currency })
      .from(parts)
      .where(eq(parts.orgId, orgId))
      .orderBy(asc(parts.sku))
      .limit(1000),
    // Technicians without a van yet, for the new van form.
    ctx.db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(
        and(
          eq(users.orgId, orgId),
          eq(users.role, "technician"),
          eq(users.active, true),
          sql`not exists (select 1 from ${stockLocations} v where v.org_id = ${users.orgId} and v.technician_user_id = ${users.id})`,
        ),
      )
      .orderBy(asc(users.name))
      .limit(1000),
  ]);
  return { locations: locationRows, parts: partRows, technicians: technicianRows };
}

export type InventoryChoices = Awaited<ReturnType<typeof inventoryChoices>>;

/** A location's page: what it holds and its latest movements. */
export async function locationDetail(ctx: Ctx, id: string, movementLimit = 50) {
  requireInventory(ctx);
  const orgId = ctx.actor.orgId;
  const location = await findLocation(ctx.db, orgId, id);
  const [technician, levels, movements] = await Promise.all([
    location.technicianUserId
      ? ctx.db
          .select({ name: users.name })
          .from(users)
          .where(and(eq(users.orgId, orgId), eq(users.id, location.technicianUserId)))
          .then((rows) => rows[0]?.name ?? null)
      : null,
    levelRows(ctx.db, [eq(stockLevels.orgId, orgId), eq(stockLevels.locationId, location.id)], 1000),
    movementRows(ctx.db, orgId, location.id, movementLimit),
  ]);
  return { location, technician, levels, movements };
}

export type LocationDetail = Awaited<ReturnType<typeof locationDetail>>;

function movementRows(db: DbOrTx, orgId: string, locationId: string, limit: number) {
  return db
    .select({
      id: stockMovements.id,
      kind: stockMovements.kind,
      quantity: stockMovements.quantity,
      balanceAfter: stockMovements.balanceAfter,
      sku: parts.sku,
      partName: parts.name,
      supplier: stockMovements.supplier,
      reference: stockMovements.reference,
      unitCostMinor: stockMovements.unitCostMinor,
      currency: stockMovements.currency,
      reason: stockMovements.reason,
      override: stockMovements.override,
      actor: users.name,
      workOrderNumber: workOrders.number,
      appointmentId: stockMovements.appointmentId,
      otherLocation: sql<string | null>`(select l.name from ${stockMovements} m
        join ${stockLocations} l on l.org_id = m.org_id and l.id = m.location_id
        where m.org_id = ${stockMovements.orgId} and m.transfer_id = ${stockMovements.transferId}
          and m.id <> ${stockMovements.id} limit 1)`,
      createdAt: stockMovements.createdAt,
    })
    .from(stockMovements)
    .innerJoin(parts, and(eq(parts.orgId, stockMovements.orgId), eq(parts.id, stockMovements.partId)))
    .leftJoin(users, and(eq(users.orgId, stockMovements.orgId), eq(users.id, stockMovements.actorUserId)))
    .leftJoin(
      workOrders,
      and(eq(workOrders.orgId, stockMovements.orgId), eq(workOrders.id, stockMovements.workOrderId)),
    )
    .where(and(eq(stockMovements.orgId, orgId), eq(stockMovements.locationId, locationId)))
    .orderBy(desc(stockMovements.seq))
    .limit(limit);
}

export type MovementRow = Awaited<ReturnType<typeof movementRows>>[number];
export type StockTaken = Awaited<ReturnType<typeof stockTakenFor>>[number];

/** The van a technician drives, if they have one. */
export async function vanOf(
  db: DbOrTx,
  orgId: string,
  userId: string,
): Promise<StockLocationRow | undefined> {
  const [row] = await db
    .select()
    .from(stockLocations)
    .where(and(eq(stockLocations.orgId, orgId), eq(stockLocations.technicianUserId, userId)));
  return row;
}

/** The technician's own van and what it holds (for /tech/van). */
export async function myVan(ctx: Ctx) {
  if (!ctx.actor.userId || ctx.actor.role !== "technician") throw notFound("Your van");
  const orgId = ctx.actor.orgId;
  const van = await vanOf(ctx.db, orgId, ctx.actor.userId);
  if (!van) return { van: null, levels: [] };
  const levels = await levelRows(
    ctx.db,
    [eq(stockLevels.orgId, orgId), eq(stockLevels.locationId, van.id)],
    1000,
  );
  return { van, levels };
}

/** Where each part line of a work order's visits was taken from, for the work order page. */
export async function stockTakenFor(ctx: Ctx, workOrderId: string) {
  requireInventory(ctx);
  const orgId = ctx.actor.orgId;
  return ctx.db
    .select({
      lineItemId: stockMovements.lineItemId,
      locationName: stockLocations.name,
      quantity: sql<number>`sum(${stockMovements.quantity})::int`,
      override: sql<boolean>`bool_or(${stockMovements.override})`,
      reason: sql<string | null>`max(${stockMovements.reason})`,
    })
    .from(stockMovements)
    .innerJoin(
      stockLocations,
      and(eq(stockLocations.orgId, stockMovements.orgId), eq(stockLocations.id, stockMovements.locationId)),
    )
    .where(and(eq(stockMovements.orgId, orgId), eq(stockMovements.workOrderId, workOrderId)))
    .groupBy(stockMovements.lineItemId, stockLocations.name);
}
