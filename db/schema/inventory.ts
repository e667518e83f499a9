// Parts inventory: where stock is kept (warehouses, and each technician's van), how much of each
// part every location holds, and the append-only ledger of every movement. A level always equals
// the sum of its location's movements of that part: both are written in one transaction, and the
// ledger refuses updates and deletes (see the migration's hand-written trigger).
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { appointments, parts, workOrders } from "./fsm";
import { organizations } from "./orgs";

const orgRef = () =>
  uuid("org_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });

export const STOCK_LOCATION_KINDS = ["warehouse", "van"] as const;
export type StockLocationKind = (typeof STOCK_LOCATION_KINDS)[number];

/** A warehouse, or a technician's van (the technician is the user who drives it). */
export const stockLocations = pgTable(
  "stock_locations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    kind: text("kind", { enum: STOCK_LOCATION_KINDS }).notNull(),
    name: text("name").notNull(),
    /** For a van: the technician's user. A technician has at most one van. */
    technicianUserId: uuid("technician_user_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("stock_locations_org_id").on(t.orgId, t.id),
    unique("stock_locations_org_name").on(t.orgId, t.name),
    unique("stock_locations_org_technician").on(t.orgId, t.technicianUserId),
    foreignKey({
      columns: [t.orgId, t.technicianUserId],
      foreignColumns: [users.orgId, users.id],
    }),
    check(
      "stock_locations_van_has_technician",
      sql`(${t.kind} = 'van') = (${t.technicianUserId} is not null)`,
    ),
  ],
);

/**
 * How many of a part a location holds, in the part's unit. Normally never below zero; only a
 * supervisor's override of a part used on a visit takes it lower, until a count corrects it.
 */
export const stockLevels = pgTable(
  "stock_levels",
  {
    orgId: orgRef(),
    locationId: uuid("location_id").notNull(),
    partId: uuid("part_id").notNull(),
    quantity: integer("quantity").notNull().default(0),
    /** At or below this, the dispatchers are told; null: not watched. */
    reorderLevel: integer("reorder_level"),
    /** Set while the level is at or below its reorder level, so each crossing alerts once. */
    belowReorderSince: timestamp("below_reorder_since", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.locationId, t.partId] }),
    foreignKey({
      columns: [t.orgId, t.locationId],
      foreignColumns: [stockLocations.orgId, stockLocations.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.partId], foreignColumns: [parts.orgId, parts.id] }),
    check("stock_levels_reorder", sql`${t.reorderLevel} is null or ${t.reorderLevel} >= 0`),
    index("stock_levels_part").on(t.orgId, t.partId),
  ],
);

export const STOCK_MOVEMENT_KINDS = [
  "receipt",
  "transfer_out",
  "transfer_in",
  "used",
  "returned",
  "adjustment",
] as const;
export type StockMovementKind = (typeof STOCK_MOVEMENT_KINDS)[number];

/** The ledger: one row per change of one level, never changed afterwards. */
export const stockMovements = pgTable(
  "stock_movements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    /** Order of the ledger within the organization (ties of created_at broken by it). */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    kind: text("kind", { enum: STOCK_MOVEMENT_KINDS }).notNull(),
    locationId: uuid("location_id").notNull(),
    partId: uuid("part_id").notNull(),
    /** Signed change of the level: + in, − out. */
    quantity: integer("quantity").notNull(),
    /** The level right after this movement. */
    balanceAfter: integer("balance_after").notNull(),
    /** Both halves of a transfer share it. */
    transferId: uuid("transfer_id"),
    /** Parts used on (or returned from) a visit. The line item is gone once returned. */
    workOrderId: uuid("work_order_id"),
    appointmentId: uuid("appointment_id"),
    lineItemId: uuid("line_item_id"),
    /** Purchase receipts. */
    supplier: text("supplier"),
    reference: text("reference"),
    unitCostMinor: bigint("unit_cost_minor", { mode: "number" }),
    currency: text("currency"),
    /** Why: a count correction, or a supervisor's override of a van that had too few. */
    reason: text("reason"),
    override: boolean("override").notNull().default(false),
    actorUserId: uuid("actor_user_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.orgId, t.locationId],
      foreignColumns: [stockLocations.orgId, stockLocations.id],
    }),
    foreignKey({ columns: [t.orgId, t.partId], foreignColumns: [parts.orgId, parts.id] }),
    foreignKey({
      columns: [t.orgId, t.workOrderId],
      foreignColumns: [workOrders.orgId, workOrders.id],
    }),
    foreignKey({
      columns: [t.orgId, t.appointmentId],
      foreignColumns: [appointments.orgId, appointments.id],
    }),
    foreignKey({ columns: [t.orgId, t.actorUserId], foreignColumns: [users.orgId, users.id] }),
    check("stock_movements_nonzero", sql`${t.quantity} <> 0`),
    check("stock_movements_override_reason", sql`not ${t.override} or ${t.reason} is not null`),
    index("stock_movements_location").on(t.orgId, t.locationId, t.seq),
    index("stock_movements_line").on(t.orgId, t.lineItemId),
    index("stock_movements_work_order").on(t.orgId, t.workOrderId),
  ],
);
