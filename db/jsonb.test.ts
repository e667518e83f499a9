// jsonb values keep their shape on both databases: what Drizzle writes and what the event log
// appends are stored as objects and arrays (not as JSON text), so SQL can look inside them.
import { describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { appendEvent } from "../src/domain/events/log";
import { createOrg, testDatabase } from "../test/helpers";
import { rowsOf } from "./client";
import { aiSettings, automationRules } from "./schema";

describe("jsonb columns", () => {
  test("Drizzle's writes and appended events are stored as objects and arrays", async () => {
    const org = await createOrg("Jsonb");
    const { db } = await testDatabase();
    const now = new Date();
    await db.insert(aiSettings).values({ orgId: org.orgId, models: { chat: "m" }, updatedAt: now });
    const [rule] = await db
      .insert(automationRules)
      .values({
        orgId: org.orgId,
        name: "Shape",
        trigger: "ticket.created",
        position: 1,
        conditions: [{ field: "priority", op: "is", value: "high" }],
        actions: [],
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await appendEvent(db, org.ctx("admin", now), { type: "shape.checked", data: { step: "x" } });
    const [shapes] = rowsOf<{ models: string; conditions: string; data: string; step: string }>(
      await db.execute(sql`
        select (select jsonb_typeof(models) from ai_settings where org_id = ${org.orgId}) as models,
               (select jsonb_typeof(conditions) from automation_rules where id = ${rule.id}) as conditions,
               (select jsonb_typeof(data) from events where org_id = ${org.orgId} and type = 'shape.checked') as data,
               (select data->>'step' from events where org_id = ${org.orgId} and type = 'shape.checked') as step`),
    );
    expect(shapes).toEqual({ models: "object", conditions: "array", data: "object", step: "x" });
    const [read] = await db.select().from(aiSettings).where(eq(aiSettings.orgId, org.orgId));
    expect(read.models).toEqual({ chat: "m" });
  });
});
