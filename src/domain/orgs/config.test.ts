// The SLA and rule definitions each app server caches between ticket writes: every change to them
// reaches the next write, whatever wrote it — an admin form, or SQL from another server.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { automationRules, organizations, slaPolicies, tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { saveRule } from "../automation/rules";
import { savePolicy } from "../sla/admin";
import { refreshOrgSla } from "../sla/tickets";
import { createTicket } from "../tickets/commands";
import { readConfigStamp } from "./config";

let org: Fixture;
beforeAll(async () => {
  org = await createOrg("Config");
});

const NOW = new Date("2026-12-21T02:00:00Z");
const make = (subject = "Boiler leaking") =>
  createTicket(org.ctx("agent", NOW), {
    subject,
    body: "Water on the floor.",
    requesterEmail: "dana@client.test",
  });

async function stored(id: string) {
  const { db } = await testDatabase();
  const [row] = await db.select().from(tickets).where(eq(tickets.id, id));
  return row;
}

describe("cached definitions", () => {
  test("a policy switched off or on by hand reaches the next ticket", async () => {
    const { db } = await testDatabase();
    expect((await stored((await make()).id)).slaPolicyId).toBeNull();
    const policyId = await savePolicy(org.ctx("admin"), null, {
      name: "Standard",
      position: 1,
      targets: { normal_first_response: "2h", normal_resolution: "24h" },
    });
    const covered = await stored((await make()).id);
    expect(covered.slaPolicyId).toBe(policyId);
    // Worked out from what creation wrote, without reading it back: the same as from the stored log.
    await refreshOrgSla(db, org.orgId, NOW);
    expect(await stored(covered.id)).toEqual(covered);
    // As another app server, or an operator in psql, would: no domain function, no in-process signal.
    await db.update(slaPolicies).set({ active: false }).where(eq(slaPolicies.id, policyId));
    const off = await stored((await make()).id);
    expect(off.slaPolicyId).toBeNull();
    expect(off.slaNextDueAt).toBeNull();
    await db.update(slaPolicies).set({ active: true }).where(eq(slaPolicies.id, policyId));
    expect((await stored((await make()).id)).slaNextDueAt).not.toBeNull();
  });

  test("a rule changed by hand reaches the next ticket", async () => {
    const { db } = await testDatabase();
    await saveRule(org.ctx("admin"), null, {
      name: "Leaks are urgent",
      trigger: "ticket.created",
      match: "all",
      conditions: [{ field: "subject", op: "contains", value: "leak" }],
      actions: [{ type: "set_priority", value: "urgent" }],
    });
    expect((await stored((await make()).id)).priority).toBe("urgent");
    await db.update(automationRules).set({ active: false }).where(eq(automationRules.orgId, org.orgId));
    expect((await stored((await make()).id)).priority).toBe("normal");
    await db.update(automationRules).set({ active: true }).where(eq(automationRules.orgId, org.orgId));
    expect((await stored((await make()).id)).priority).toBe("urgent");
  });

  test("the stamp moves with each definition and the time zone, not with ticket writes", async () => {
    const { db } = await testDatabase();
    const stamp = async () => (await readConfigStamp(db, org.orgId)).stamp;
    const before = await stamp();
    await make("No change");
    expect(await stamp()).toBe(before);
    await db.update(organizations).set({ timeZone: "Asia/Singapore" }).where(eq(organizations.id, org.orgId));
    const zoned = await stamp();
    expect(zoned).not.toBe(before);
    expect((await readConfigStamp(db, org.orgId)).timeZone).toBe("Asia/Singapore");
    await db.execute(sql`update ${slaPolicies} set position = position + 1 where org_id = ${org.orgId}`);
    expect(await stamp()).not.toBe(zoned);
  });

  test("a change rolled back leaves no copy behind that a later change could be mistaken for", async () => {
    const { db } = await testDatabase();
    const before = await stamp(db);
    await db
      .transaction(async (tx) => {
        await tx.update(automationRules).set({ active: false }).where(eq(automationRules.orgId, org.orgId));
        // Inside the change, the transaction's own definitions are read, under its own new stamp.
        const ticket = await createTicket(
          { ...org.ctx("agent"), db: tx as unknown as typeof db },
          { subject: "Leak inside", body: "x", requesterEmail: "dana@client.test" },
        );
        const [row] = await tx.select().from(tickets).where(eq(tickets.id, ticket.id));
        expect(row.priority).toBe("normal");
        tx.rollback();
      })
      .catch((error) => {
        if (!String(error).includes("Rollback")) throw error;
      });
    expect(await stamp(db)).toBe(before);
    expect((await stored((await make()).id)).priority).toBe("urgent");
  });
});

async function stamp(db: Awaited<ReturnType<typeof testDatabase>>["db"]) {
  return (await readConfigStamp(db, org.orgId)).stamp;
}
