// The stock ledger's one writer: every change of a level goes through applyMovement, which moves
// the level and appends its movement in the caller's transaction, so a level always equals the sum
// of its movements. Taking stock out is a conditional UPDATE (… where quantity + n >= 0): two
// requests taking the last unit at once queue on the row, and the second finds too few.
import { and, eq, inArray, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import {
  parts,
  type StockMovementKind,
  stockLevels,
  stockLocations,
  stockMovements,
  users,
} from "../../../db/schema";
import type { Ctx } from "../context";
import { appendEvent, type DbOrTx } from "../events/log";
import { notifyUsers } from "../notifications/notify";

export interface MovementInput {
  kind: StockMovementKind;
  locationId: string;
  partId: string;
  /** Signed: + into the location, − out of it. */
  quantity: number;
  /** Let the level go below zero (a supervisor's override, or a count correction). */
  allowNegative?: boolean;
  transferId?: string | null;
  workOrderId?: string | null;
  appointmentId?: string | null;
  lineItemId?: string | null;
  supplier?: string | null;
  reference?: string | null;
  unitCostMinor?: number | null;
  currency?: string | null;
  reason?: string | null;
  override?: boolean;
}

/** Thrown inside the transaction when a location holds fewer than a movement takes out. */
export class ShortOfStock extends Error {
  constructor(
    readonly locationId: string,
    readonly partId: string,
    readonly available: number,
  ) {
    super("short of stock");
  }
}

interface LevelAfter {
  quantity: number;
  reorder_level: number | null;
  below_reorder_since: unknown;
}

/** Moves one level and appends its movement; returns the movement. */
export async function applyMovement(tx: DbOrTx, ctx: Ctx, input: MovementInput) {
  const orgId = ctx.actor.orgId;
  const level = await moveLevel(tx, ctx, input);
  const [movement] = await tx
    .insert(stockMovements)
    .values({
      orgId,
      kind: input.kind,
      locationId: input.locationId,
      partId: input.partId,
      quantity: input.quantity,
      balanceAfter: level.quantity,
      transferId: input.transferId ?? null,
      workOrderId: input.workOrderId ?? null,
      appointmentId: input.appointmentId ?? null,
      lineItemId: input.lineItemId ?? null,
      supplier: input.supplier || null,
      reference: input.reference || null,
      unitCostMinor: input.unitCostMinor ?? null,
      currency: input.currency ?? null,
      reason: input.reason || null,
      override: input.override ?? false,
      actorUserId: ctx.actor.userId ?? null,
      createdAt: ctx.now,
    })
    .returning();
  await trackReorderCrossing(tx, ctx, input, level);
  return movement;
}

async function moveLevel(tx: DbOrTx, ctx: Ctx, input: MovementInput): Promise<LevelAfter> {
  const orgId = ctx.actor.orgId;
  const now = ctx.now.toISOString();
  if (input.quantity > 0 || input.allowNegative) {
    const result = await tx.execute(sql`
      insert into stock_levels (org_id, location_id, part_id, quantity, updated_at)
      values (${orgId}, ${input.locationId}, ${input.partId}, ${input.quantity}, ${now}::timestamptz)
      on conflict (org_id, location_id, part_id) do update
        set quantity = stock_levels.quantity + excluded.quantity, updated_at = excluded.updated_at
      returning quantity, reorder_level, below_reorder_since`);
    return rowsOf<LevelAfter>(result)[0];
  }
  const result = await tx.execute(sql`
    update stock_levels set quantity = quantity + ${input.quantity}, updated_at = ${now}::timestamptz
    where org_id = ${orgId} and location_id = ${input.locationId} and part_id = ${input.partId}
      and quantity + ${input.quantity} >= 0
    returning quantity, reorder_level, below_reorder_since`);
  const [row] = rowsOf<LevelAfter>(result);
  if (row) return row;
  throw new ShortOfStock(input.locationId, input.partId, await levelOf(tx, orgId, input));
}

/** What a location holds of a part (0 when it never held any). */
export async function levelOf(
  db: DbOrTx,
  orgId: string,
  at: { locationId: string; partId: string },
): Promise<number> {
  const [row] = await db
    .select({ quantity: stockLevels.quantity })
    .from(stockLevels)
    .where(
      and(
        eq(stockLevels.orgId, orgId),
        eq(stockLevels.locationId, at.locationId),
        eq(stockLevels.partId, at.partId),
      ),
    );
  return row?.quantity ?? 0;
}

export const isBelowReorder = (quantity: number, reorderLevel: number | null) =>
  reorderLevel !== null && quantity <= reorderLevel;

/**
 * Dispatchers and supervisors hear once when a level falls to its reorder level; the mark is
 * cleared when stock comes back above it, so the next fall is told again.
 */
async function trackReorderCrossing(tx: DbOrTx, ctx: Ctx, at: MovementInput, level: LevelAfter) {
  const below = isBelowReorder(level.quantity, level.reorder_level);
  const marked = level.below_reorder_since !== null;
  if (below === marked) return;
  await markBelowReorder(tx, ctx.actor.orgId, at, below ? ctx.now : null);
  if (below) await announceBelowReorder(tx, ctx, at, level.quantity, level.reorder_level!);
}

export async function markBelowReorder(
  tx: DbOrTx,
  orgId: string,
  at: { locationId: string; partId: string },
  since: Date | null,
) {
  await tx
    .update(stockLevels)
    .set({ belowReorderSince: since })
    .where(
      and(
        eq(stockLevels.orgId, orgId),
        eq(stockLevels.locationId, at.locationId),
        eq(stockLevels.partId, at.partId),
      ),
    );
}

async function announceBelowReorder(
  tx: DbOrTx,
  ctx: Ctx,
  at: { locationId: string; partId: string },
  quantity: number,
  reorderLevel: number,
) {
  const orgId = ctx.actor.orgId;
  // One after another: a transaction's statements share one connection.
  const [part] = await tx
    .select({ sku: parts.sku, name: parts.name })
    .from(parts)
    .where(and(eq(parts.orgId, orgId), eq(parts.id, at.partId)));
  const [location] = await tx
    .select({ name: stockLocations.name })
    .from(stockLocations)
    .where(and(eq(stockLocations.orgId, orgId), eq(stockLocations.id, at.locationId)));
  const watchers = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(eq(users.orgId, orgId), inArray(users.role, ["dispatcher", "supervisor"]), eq(users.active, true)),
    );
  await appendEvent(tx, ctx, {
    type: "stock.below_reorder",
    data: { locationId: at.locationId, partId: at.partId, quantity, reorderLevel },
  });
  await notifyUsers(
    tx,
    {
      orgId,
      userIds: watchers.map((w) => w.id),
      kind: "stock.below_reorder",
      title: `${part.sku} is low at ${location.name}`,
      body: `${location.name} has ${quantity} of ${part.sku} ${part.name}; its reorder level is ${reorderLevel}.`,
      url: `/fsm/inventory/locations/${at.locationId}`,
    },
    ctx.now,
  );
}
