// Deleting a crew: the row and its event are written together, in one transaction, or not at all.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { crews, events, users } from "../../../db/schema";
import { createOrg, type Fixture, PASSWORD, testDatabase } from "../../../test/helpers";
import type { Ctx } from "../context";
import { deleteCrew, saveCrew } from "./crews";

let home: Fixture;
let second: string;

beforeAll(async () => {
  home = await createOrg("CrewsDomain");
  const { db } = await testDatabase();
  [{ id: second }] = await db
    .insert(users)
    .values({
      orgId: home.orgId,
      email: `tech2-${home.orgId.slice(0, 6)}@crews-domain.test`,
      name: "Second Tech",
      role: "technician",
      passwordHash: await Bun.password.hash(PASSWORD),
    })
    .returning({ id: users.id });
});

/** The context's database, refusing any write made outside a transaction. */
function writesOnlyInTransactions(ctx: Ctx): Ctx {
  const db = new Proxy(ctx.db, {
    get(target, property) {
      if (property === "delete" || property === "insert" || property === "update")
        throw new Error(`${String(property)} outside a transaction`);
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { ...ctx, db };
}

describe("deleting a crew", () => {
  test("the delete and its event are one transaction", async () => {
    const dispatcher = home.ctx("dispatcher");
    const crewId = await saveCrew(dispatcher, null, {
      name: "Roof team",
      memberIds: [home.users.technician.id, second],
    });
    await deleteCrew(writesOnlyInTransactions(dispatcher), crewId);
    const { db } = await testDatabase();
    expect(await db.select().from(crews).where(eq(crews.id, crewId))).toEqual([]);
    const logged = await db
      .select({ data: events.data })
      .from(events)
      .where(and(eq(events.orgId, home.orgId), eq(events.type, "crew.deleted")));
    expect(logged.map((e) => e.data)).toEqual([{ crewId, name: "Roof team" }]);
    await expect(deleteCrew(dispatcher, crewId)).rejects.toMatchObject({ status: 404 });
  });
});
