// Inventory against a real database: every kind of movement, never below zero without an
// override, levels always equal to their ledger, the last unit taken twice at once, reorder
// alerts once per crossing, and one organization's stock out of another's reach.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import {
  appointments,
  events,
  lineItems,
  notifications,
  parts,
  stockLevels,
  stockLocations,
  stockMovements,
  users,
} from "../../../db/schema";
import { createOrg, type Fixture } from "../../../test/helpers";
import type { Ctx } from "../context";
import {
  adjustStock,
  belowReorderList,
  createLocation,
  locationDetail,
  myVan,
  receiveStock,
  setReorderLevel,
  stockLevelList,
  transferStock,
} from "./inventory";
import { type PartUsedInput, removePartUsed, usePartOnVisit } from "./partsUsed";
import { createWorkOrder, scheduleAppointment } from "./workOrders";

const NOW = new Date("2026-11-23T02:00:00Z"); // 10:00 in Kuala Lumpur
const hours = (h: number) => new Date(NOW.getTime() + h * 3600_000);

let org: Fixture;
let away: Fixture;
let capacitor: string;
let filter: string;
let warehouse: string;
let van: string;

async function addPart(f: Fixture, sku: string, name = sku) {
  const [row] = await f
    .ctx("admin")
    .db.insert(parts)
    .values({ orgId: f.orgId, sku, name, costMinor: 1800, priceMinor: 4500, currency: "USD" })
    .returning();
  return row.id;
}

const office = (f = org, now = NOW) => f.ctx("dispatcher", now);

/** A scheduled visit of the fixture's technician on a new work order. */
async function newVisit(f: Fixture = org, startH = 1) {
  const wo = await createWorkOrder(office(f), { subject: "Aircon not cooling" });
  return scheduleAppointment(office(f), wo.id, {
    override: true,
    startsAt: hours(startH),
    endsAt: hours(startH + 2),
    technicianIds: [f.users.technician.id],
  });
}

async function level(f: Fixture, locationId: string, partId: string) {
  const [row] = await f
    .ctx("admin")
    .db.select()
    .from(stockLevels)
    .where(
      and(
        eq(stockLevels.orgId, f.orgId),
        eq(stockLevels.locationId, locationId),
        eq(stockLevels.partId, partId),
      ),
    );
  return row?.quantity ?? 0;
}

/** Every level of the organization next to the sum of its movements: they must agree. */
async function levelsAgainstLedger(f: Fixture) {
  const rows = await f.ctx("admin").db.execute(sql`
    select l.location_id, l.part_id, l.quantity,
      coalesce((select sum(m.quantity) from stock_movements m
        where m.org_id = l.org_id and m.location_id = l.location_id and m.part_id = l.part_id), 0)::int as ledger
    from stock_levels l where l.org_id = ${f.orgId}`);
  const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as {
    quantity: number;
    ledger: number;
  }[];
  return list.map((r) => [Number(r.quantity), Number(r.ledger)]);
}

async function expectLedgerBalanced(f: Fixture) {
  const pairs = await levelsAgainstLedger(f);
  expect(pairs.length).toBeGreaterThan(0);
  for (const [quantity, ledger] of pairs) expect(quantity).toBe(ledger);
}

async function failure(promise: Promise<unknown>) {
  return (await promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e) => e,
  )) as { status: number; message: string; fields?: Record<string, string> };
}

beforeAll(async () => {
  org = await createOrg("Stock");
  away = await createOrg("StockAway");
  capacitor = await addPart(org, "SKU-123", "Run capacitor 35 µF");
  filter = await addPart(org, "FLT-20", "Air filter 20 cm");
  warehouse = (await createLocation(office(), { kind: "warehouse", name: "Shah Alam warehouse" })).id;
  van = (
    await createLocation(office(), {
      kind: "van",
      name: "Van WXY 1234",
      technicianUserId: org.users.technician.id,
    })
  ).id;
});

describe("locations", () => {
  test("a van belongs to a technician, once; names are unique; only the office makes them", async () => {
    const refused = await failure(createLocation(office(), { kind: "van", name: "Shah Alam warehouse" }));
    expect(refused.status).toBe(422);
    expect(refused.fields).toEqual({
      name: "Another location has this name.",
      technicianUserId: "Choose the technician who drives this van.",
    });
    const second = await failure(
      createLocation(office(), { kind: "van", name: "Spare van", technicianUserId: org.users.technician.id }),
    );
    expect(second.fields?.technicianUserId).toContain("already has a van: Van WXY 1234");
    const notTech = await failure(
      createLocation(office(), { kind: "van", name: "Agent van", technicianUserId: org.users.agent.id }),
    );
    expect(notTech.fields?.technicianUserId).toBeTruthy();
    const badKind = await failure(createLocation(office(), { kind: "shop", name: "" }));
    expect(Object.keys(badKind.fields ?? {}).sort()).toEqual(["kind", "name"]);
    for (const role of ["technician", "agent", "customer"] as const)
      expect(
        (await failure(createLocation(org.ctx(role, NOW), { kind: "warehouse", name: "X" }))).status,
      ).toBe(403);
  });
});

describe("movements", () => {
  test("a purchase receipt adds to the level and records supplier, reference and cost", async () => {
    const movement = await receiveStock(office(), {
      locationId: warehouse,
      partId: capacitor,
      quantity: "20",
      supplier: "Daikin Supplies Sdn Bhd",
      reference: "PO-7781",
      unitCost: "17.50",
    });
    expect(movement).toMatchObject({
      kind: "receipt",
      quantity: 20,
      balanceAfter: 20,
      supplier: "Daikin Supplies Sdn Bhd",
      reference: "PO-7781",
      unitCostMinor: 1750,
      currency: "USD",
      actorUserId: org.users.dispatcher.id,
    });
    // Without a typed cost, the catalog's.
    const plain = await receiveStock(office(), { locationId: warehouse, partId: filter, quantity: 10 });
    expect(plain.unitCostMinor).toBe(1800);
    expect(await level(org, warehouse, capacitor)).toBe(20);
    const [event] = await org
      .ctx("admin")
      .db.select()
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.type, "stock.received")))
      .limit(1);
    expect(event).toBeTruthy();
  });

  test("a receipt with bad input marks every field and writes nothing", async () => {
    const before = await level(org, warehouse, capacitor);
    const refused = await failure(
      receiveStock(office(), { locationId: "nope", partId: "", quantity: "0", unitCost: "abc" }),
    );
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.fields ?? {}).sort()).toEqual(["locationId", "partId", "quantity"]);
    const badCost = await failure(
      receiveStock(office(), { locationId: warehouse, partId: capacitor, quantity: "1", unitCost: "1.234" }),
    );
    expect(badCost.fields).toEqual({ unitCost: "Enter a cost such as 18.00." });
    expect(await level(org, warehouse, capacitor)).toBe(before);
  });

  test("a transfer takes from one location and gives to the other, as a pair", async () => {
    const { transferId } = (await transferStock(office(), {
      fromId: warehouse,
      toId: van,
      partId: capacitor,
      quantity: "5",
    }))!;
    const legs = await org
      .ctx("admin")
      .db.select()
      .from(stockMovements)
      .where(eq(stockMovements.transferId, transferId));
    expect(legs.map((l) => [l.kind, l.locationId, l.quantity]).sort()).toEqual(
      [
        ["transfer_in", van, 5],
        ["transfer_out", warehouse, -5],
      ].sort(),
    );
    expect(await level(org, warehouse, capacitor)).toBe(15);
    expect(await level(org, van, capacitor)).toBe(5);
  });

  test("a transfer of more than the source holds is refused, and nothing moves", async () => {
    const refused = await failure(
      transferStock(office(), { fromId: warehouse, toId: van, partId: capacitor, quantity: "16" }),
    );
    expect(refused.status).toBe(409);
    expect(refused.fields?.quantity).toBe("Shah Alam warehouse has 15 of SKU-123.");
    expect(await level(org, warehouse, capacitor)).toBe(15);
    expect(await level(org, van, capacitor)).toBe(5);
    const same = await failure(
      transferStock(office(), { fromId: van, toId: van, partId: capacitor, quantity: "1" }),
    );
    expect(same.fields?.toId).toBeTruthy();
  });

  test("a count correction sets the level to what was counted, with the reason", async () => {
    const movement = await adjustStock(office(), {
      locationId: warehouse,
      partId: filter,
      counted: "7",
      reason: "Three found damaged in the stock count",
    });
    expect(movement).toMatchObject({ kind: "adjustment", quantity: -3, balanceAfter: 7 });
    expect(movement.reason).toBe("Three found damaged in the stock count");
    const noReason = await failure(
      adjustStock(office(), { locationId: warehouse, partId: filter, counted: "9", reason: " " }),
    );
    expect(noReason.fields).toEqual({ reason: "Say why the count differs." });
    const same = await failure(
      adjustStock(office(), { locationId: warehouse, partId: filter, counted: "7", reason: "Count" }),
    );
    expect(same.fields?.counted).toContain("already show 7");
    const negative = await failure(
      adjustStock(office(), { locationId: warehouse, partId: filter, counted: "-1", reason: "Count" }),
    );
    expect(negative.fields?.counted).toBeTruthy();
  });

  test("the ledger is never changed afterwards", async () => {
    const db = org.ctx("admin").db;
    const change = async () =>
      db.update(stockMovements).set({ quantity: 99 }).where(eq(stockMovements.orgId, org.orgId));
    const remove = async () => db.delete(stockMovements).where(eq(stockMovements.orgId, org.orgId));
    expect(String(await change().catch((e) => e.cause ?? e))).toContain("never changed or deleted");
    expect(String(await remove().catch((e) => e.cause ?? e))).toContain("never changed or deleted");
    await expectLedgerBalanced(org);
  });
});

describe("parts used on a visit", () => {
  test("come out of the technician's van with the line, and go back when the line is removed", async () => {
    const appointment = await newVisit();
    const tech = org.ctx("technician", NOW);
    const before = await level(org, van, capacitor);
    const line = await usePartOnVisit(tech, appointment.id, { partId: capacitor, quantity: "2" });
    expect(await level(org, van, capacitor)).toBe(before - 2);
    const [used] = await org
      .ctx("admin")
      .db.select()
      .from(stockMovements)
      .where(eq(stockMovements.lineItemId, line.id));
    expect(used).toMatchObject({
      kind: "used",
      locationId: van,
      quantity: -2,
      workOrderId: appointment.workOrderId,
      appointmentId: appointment.id,
      override: false,
      actorUserId: org.users.technician.id,
    });
    await removePartUsed(tech, line.id);
    expect(await level(org, van, capacitor)).toBe(before);
    const kinds = await org
      .ctx("admin")
      .db.select({ kind: stockMovements.kind, quantity: stockMovements.quantity })
      .from(stockMovements)
      .where(eq(stockMovements.lineItemId, line.id))
      .orderBy(stockMovements.seq);
    expect(kinds).toEqual([
      { kind: "used", quantity: -2 },
      { kind: "returned", quantity: 2 },
    ]);
    const lines = await org.ctx("admin").db.select().from(lineItems).where(eq(lineItems.id, line.id));
    expect(lines).toEqual([]);
    await expect(removePartUsed(tech, line.id)).rejects.toMatchObject({ status: 404 });
    await expectLedgerBalanced(org);
  });

  test("the line is a part at the catalog's price, whatever else the caller sends", async () => {
    const appointment = await newVisit();
    const tech = org.ctx("technician", NOW);
    const forged = { partId: capacitor, quantity: "1", kind: "labour", unitPrice: "0.01" } as PartUsedInput;
    const line = await usePartOnVisit(tech, appointment.id, forged);
    expect([line.kind, line.partId, line.unitPriceMinor]).toEqual(["part", capacitor, 4500]);
    await removePartUsed(tech, line.id);
  });

  test("a visit finished after it was first read takes no parts from the technician", async () => {
    const appointment = await newVisit();
    const tech = org.ctx("technician", NOW);
    const line = await usePartOnVisit(tech, appointment.id, { partId: capacitor, quantity: "1" });
    const before = await level(org, van, capacitor);
    /** The visit is completed by someone else just before the transaction starts. */
    const finishedMeanwhile = (ctx: Ctx): Ctx => ({
      ...ctx,
      db: new Proxy(ctx.db, {
        get(target, property) {
          if (property !== "transaction") {
            const value = Reflect.get(target, property);
            return typeof value === "function" ? value.bind(target) : value;
          }
          return async (run: Parameters<typeof target.transaction>[0]) => {
            await target
              .update(appointments)
              .set({ status: "completed" })
              .where(and(eq(appointments.orgId, org.orgId), eq(appointments.id, appointment.id)));
            return target.transaction(run);
          };
        },
      }),
    });
    const used = await failure(
      usePartOnVisit(finishedMeanwhile(tech), appointment.id, {
        partId: capacitor,
        quantity: "1",
      }),
    );
    expect(used.status).toBe(409);
    await org
      .ctx("admin")
      .db.update(appointments)
      .set({ status: "on_site" })
      .where(eq(appointments.id, appointment.id));
    const removed = await failure(removePartUsed(finishedMeanwhile(tech), line.id));
    expect(removed.status).toBe(409);
    expect(await level(org, van, capacitor)).toBe(before);
    const lines = await org
      .ctx("admin")
      .db.select({ id: lineItems.id })
      .from(lineItems)
      .where(eq(lineItems.appointmentId, appointment.id));
    expect(lines).toEqual([{ id: line.id }]);
  });

  test("a van with too few refuses the technician, and nothing is written", async () => {
    const appointment = await newVisit();
    const tech = org.ctx("technician", NOW);
    // The van holds 5 capacitors: leave it exactly 1.
    const have = await level(org, van, capacitor);
    await adjustStock(office(), { locationId: van, partId: capacitor, counted: "1", reason: "Count" });
    const refused = await failure(usePartOnVisit(tech, appointment.id, { partId: capacitor, quantity: "2" }));
    expect(refused.status).toBe(409);
    expect(refused.message).toBe("Your van has 1 of SKU-123; ask a supervisor to override.");
    expect(refused.fields?.quantity).toBe(refused.message);
    // A technician cannot override, whatever they send.
    const again = await failure(
      usePartOnVisit(tech, appointment.id, { partId: capacitor, quantity: "2", overrideReason: "Trust me" }),
    );
    expect(again.status).toBe(409);
    expect(await level(org, van, capacitor)).toBe(1);
    const lines = await org
      .ctx("admin")
      .db.select()
      .from(lineItems)
      .where(eq(lineItems.appointmentId, appointment.id));
    expect(lines).toEqual([]);
    expect(have).toBeGreaterThan(1);
  });

  test("the office may record it anyway with a reason, and who overrode is kept", async () => {
    const appointment = await newVisit();
    await adjustStock(office(), { locationId: van, partId: filter, counted: "1", reason: "Count" });
    const noReason = await failure(
      usePartOnVisit(office(), appointment.id, { partId: filter, quantity: "3" }),
    );
    expect(noReason.status).toBe(409);
    expect(noReason.fields?.overrideReason).toContain("Van WXY 1234 has 1 of FLT-20");
    const supervisor = org.ctx("supervisor", NOW);
    const line = await usePartOnVisit(supervisor, appointment.id, {
      partId: filter,
      quantity: "3",
      overrideReason: "Technician bought two at the hardware shop on the way",
    });
    expect(await level(org, van, filter)).toBe(-2);
    const [movement] = await org
      .ctx("admin")
      .db.select()
      .from(stockMovements)
      .where(eq(stockMovements.lineItemId, line.id));
    expect(movement).toMatchObject({
      kind: "used",
      quantity: -3,
      balanceAfter: -2,
      override: true,
      reason: "Technician bought two at the hardware shop on the way",
      actorUserId: org.users.supervisor.id,
    });
    // With enough stock a reason is no override.
    await receiveStock(office(), { locationId: van, partId: filter, quantity: "10" });
    const plain = await usePartOnVisit(supervisor, appointment.id, {
      partId: filter,
      quantity: "1",
      overrideReason: "Not needed",
    });
    const [ordinary] = await org
      .ctx("admin")
      .db.select()
      .from(stockMovements)
      .where(eq(stockMovements.lineItemId, plain.id));
    expect(ordinary.override).toBe(false);
    // The office may also name another location.
    const fromWarehouse = await usePartOnVisit(office(), appointment.id, {
      partId: filter,
      quantity: "1",
      locationId: warehouse,
    });
    const [taken] = await org
      .ctx("admin")
      .db.select()
      .from(stockMovements)
      .where(eq(stockMovements.lineItemId, fromWarehouse.id));
    expect(taken.locationId).toBe(warehouse);
    await expectLedgerBalanced(org);
  });

  test("a technician without a van is refused as with an empty one, and no van is left behind", async () => {
    const fresh = await createOrg("NoVan");
    const part = await addPart(fresh, "SKU-9");
    const appointment = await newVisit(fresh);
    const refused = await failure(
      usePartOnVisit(fresh.ctx("technician", NOW), appointment.id, { partId: part, quantity: "1" }),
    );
    expect(refused.message).toBe("Your van has 0 of SKU-9; ask a supervisor to override.");
    expect(
      await fresh.ctx("admin").db.select().from(stockLocations).where(eq(stockLocations.orgId, fresh.orgId)),
    ).toEqual([]);
    expect((await myVan(fresh.ctx("technician", NOW))).van).toBeNull();
    // The office's override makes the van, below zero until it is stocked or counted.
    await usePartOnVisit(fresh.ctx("dispatcher", NOW), appointment.id, {
      partId: part,
      quantity: "1",
      overrideReason: "Used a spare from the customer's store room",
    });
    const mine = await myVan(fresh.ctx("technician", NOW));
    expect(mine.van?.name).toBe("Technician NoVan's van");
    expect(mine.levels.map((l) => l.quantity)).toEqual([-1]);
  });

  test("two requests taking the last unit at the same time: exactly one succeeds", async () => {
    const fresh = await createOrg("LastUnit");
    const part = await addPart(fresh, "SKU-LAST");
    const truck = await createLocation(office(fresh), {
      kind: "van",
      name: "Last van",
      technicianUserId: fresh.users.technician.id,
    });
    await receiveStock(office(fresh), { locationId: truck.id, partId: part, quantity: "1" });
    // Two visits on two work orders, so nothing but the level row stands between them.
    const [first, second] = [await newVisit(fresh, 1), await newVisit(fresh, 4)];
    const tech = fresh.ctx("technician", NOW);
    const results = await Promise.allSettled([
      usePartOnVisit(tech, first.id, { partId: part, quantity: "1" }),
      usePartOnVisit(tech, second.id, { partId: part, quantity: "1" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ status: 409 });
    expect(rejected.reason.message).toBe("Your van has 0 of SKU-LAST; ask a supervisor to override.");
    expect(await level(fresh, truck.id, part)).toBe(0);
    const lines = await fresh
      .ctx("admin")
      .db.select()
      .from(lineItems)
      .where(eq(lineItems.orgId, fresh.orgId));
    expect(lines.length).toBe(1);
    await expectLedgerBalanced(fresh);
  });

  test("two transfers of the last unit at the same time: exactly one succeeds", async () => {
    const fresh = await createOrg("LastTransfer");
    const part = await addPart(fresh, "SKU-ONE");
    const from = await createLocation(office(fresh), { kind: "warehouse", name: "Main" });
    const to = await createLocation(office(fresh), { kind: "warehouse", name: "North" });
    await receiveStock(office(fresh), { locationId: from.id, partId: part, quantity: "1" });
    const move = () =>
      transferStock(office(fresh), { fromId: from.id, toId: to.id, partId: part, quantity: "1" });
    const results = await Promise.allSettled([move(), move(), move()]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
    expect(await level(fresh, from.id, part)).toBe(0);
    expect(await level(fresh, to.id, part)).toBe(1);
    await expectLedgerBalanced(fresh);
  });
});

describe("reorder alerts", () => {
  test("tell dispatchers and supervisors once per fall to the reorder level", async () => {
    const fresh = await createOrg("Reorder");
    const part = await addPart(fresh, "SKU-R");
    const store = await createLocation(office(fresh), { kind: "warehouse", name: "Store" });
    const spare = await createLocation(office(fresh), { kind: "warehouse", name: "Spare" });
    await setReorderLevel(office(fresh), store.id, { partId: part, reorderLevel: "3" });
    await receiveStock(office(fresh), { locationId: store.id, partId: part, quantity: "5" });
    const alerts = async () => {
      const rows = await fresh
        .ctx("admin")
        .db.select({ userId: notifications.userId, title: notifications.title, url: notifications.url })
        .from(notifications)
        .where(and(eq(notifications.orgId, fresh.orgId), eq(notifications.kind, "stock.below_reorder")));
      return rows;
    };
    const step = (quantity: string) =>
      transferStock(office(fresh), { fromId: store.id, toId: spare.id, partId: part, quantity });
    await step("1"); // 4: above
    expect(await alerts()).toEqual([]);
    await step("1"); // 3: at the level
    const first = await alerts();
    expect(first.map((a) => a.userId).sort()).toEqual(
      [fresh.users.dispatcher.id, fresh.users.supervisor.id].sort(),
    );
    expect(first[0].title).toBe("SKU-R is low at Store");
    expect(first[0].url).toBe(`/fsm/inventory/locations/${store.id}`);
    await step("2"); // 1: still below, no new alert
    expect((await alerts()).length).toBe(2);
    expect((await belowReorderList(office(fresh))).map((r) => [r.locationName, r.quantity])).toEqual([
      ["Store", 1],
    ]);
    await receiveStock(office(fresh), { locationId: store.id, partId: part, quantity: "9" }); // 10: cleared
    expect(await belowReorderList(office(fresh))).toEqual([]);
    await step("7"); // 3 again: a new crossing
    expect((await alerts()).length).toBe(4);
    const crossings = await fresh
      .ctx("admin")
      .db.select()
      .from(events)
      .where(and(eq(events.orgId, fresh.orgId), eq(events.type, "stock.below_reorder")));
    expect(crossings.length).toBe(2);
    // Raising the reorder level marks the level without notifying whoever set it.
    await receiveStock(office(fresh), { locationId: store.id, partId: part, quantity: "5" }); // 8
    await setReorderLevel(office(fresh), store.id, { partId: part, reorderLevel: "8" });
    expect((await alerts()).length).toBe(4);
    expect((await belowReorderList(office(fresh))).length).toBe(1);
    const bad = await failure(setReorderLevel(office(fresh), store.id, { partId: part, reorderLevel: "-2" }));
    expect(bad.fields?.reorderLevel).toBeTruthy();
  });
});

describe("organizations", () => {
  test("one organization's locations and levels are out of another's reach", async () => {
    const awayOffice: Ctx = office(away);
    const awayPart = await addPart(away, "SKU-123");
    await expect(locationDetail(awayOffice, warehouse)).rejects.toMatchObject({ status: 404 });
    const refused = await failure(
      receiveStock(awayOffice, { locationId: warehouse, partId: capacitor, quantity: "1" }),
    );
    expect(Object.keys(refused.fields ?? {}).sort()).toEqual(["locationId", "partId"]);
    const transfer = await failure(
      transferStock(awayOffice, { fromId: warehouse, toId: van, partId: awayPart, quantity: "1" }),
    );
    expect(Object.keys(transfer.fields ?? {}).sort()).toEqual(["fromId", "toId"]);
    await expect(
      setReorderLevel(awayOffice, warehouse, { partId: awayPart, reorderLevel: "1" }),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect(await stockLevelList(awayOffice, {})).toEqual([]);
    expect(await stockLevelList(awayOffice, { locationId: warehouse })).toEqual([]);
    // Nor can the other organization's technician or office touch this one's visits.
    const appointment = await newVisit();
    await expect(
      usePartOnVisit(away.ctx("technician", NOW), appointment.id, { partId: awayPart, quantity: "1" }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      usePartOnVisit(awayOffice, appointment.id, { partId: awayPart, quantity: "1", overrideReason: "x" }),
    ).rejects.toMatchObject({ status: 404 });
    const [line] = await org
      .ctx("admin")
      .db.select()
      .from(lineItems)
      .where(eq(lineItems.orgId, org.orgId))
      .limit(1);
    await expect(removePartUsed(awayOffice, line.id)).rejects.toMatchObject({ status: 404 });
    expect(await level(org, warehouse, capacitor)).toBeGreaterThan(0);
  });

  test("agents and customers have no inventory; technicians see only their own van", async () => {
    for (const role of ["agent", "customer", "technician"] as const) {
      await expect(stockLevelList(org.ctx(role, NOW), {})).rejects.toMatchObject({ status: 403 });
      await expect(
        receiveStock(org.ctx(role, NOW), { locationId: warehouse, partId: capacitor, quantity: "1" }),
      ).rejects.toMatchObject({ status: 403 });
    }
    const mine = await myVan(org.ctx("technician", NOW));
    expect(mine.van?.id).toBe(van);
    expect(mine.levels.every((l) => l.locationId === van)).toBe(true);
    await expect(myVan(org.ctx("dispatcher", NOW))).rejects.toMatchObject({ status: 404 });
    const [someone] = await org
      .ctx("admin")
      .db.select()
      .from(users)
      .where(eq(users.orgId, org.orgId))
      .limit(1);
    expect(someone).toBeTruthy();
  });
});
