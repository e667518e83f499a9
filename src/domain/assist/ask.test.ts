// "Ask the data" against a real database: each intent's query answers from the asker's own
// organization, slots (priority, status, zone, team, period, grouping) narrow it, periods follow the
// organization's time zone, questions it cannot answer say so, and only supervisors and admins ask.
import { beforeAll, describe, expect, test } from "bun:test";
import { serviceLocations, zones } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { appendEvent } from "../events/log";
import { addMessage, createTicket } from "../tickets/commands";
import { askTheData, periodRange } from "./ask";

const NOW = new Date("2026-11-18T04:00:00Z"); // Wednesday 18 Nov, 12:00 in Kuala Lumpur
const at = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
let org: Fixture;
let other: Fixture;

beforeAll(async () => {
  [org, other] = await Promise.all([createOrg("Ask"), createOrg("AskOther")]);
  const { db } = await testDatabase();
  const [selangor] = await db
    .insert(zones)
    .values({ orgId: org.orgId, code: "SGR", name: "Selangor", lat: 3.07, lng: 101.5 })
    .returning();
  await db.insert(serviceLocations).values({
    orgId: org.orgId,
    name: "Carol's shop",
    address: "1 Jalan Test, Shah Alam",
    contactId: org.users.customer.contactId!,
    zoneId: selangor.id,
  });
  const agent = (hours: number) => org.ctx("agent", at(hours));
  const inSelangor = { contactId: org.users.customer.contactId! };
  const a = await createTicket(agent(30), {
    subject: "A",
    body: "a",
    priority: "urgent",
    teamId: org.teamId,
    ...inSelangor,
  });
  await createTicket(agent(20), { subject: "B", body: "b", priority: "urgent", ...inSelangor });
  await createTicket(agent(10), {
    subject: "C",
    body: "c",
    priority: "urgent",
    requesterEmail: "far@example.test",
  });
  await createTicket(agent(5), { subject: "D", body: "d", priority: "normal", ...inSelangor });
  await createTicket(other.ctx("agent", at(5)), {
    subject: "X",
    body: "x",
    priority: "urgent",
    requesterEmail: "x@example.test",
  });
  // The agent answered A after 30 minutes; A breached and was escalated.
  await addMessage(org.ctx("agent", at(29.5)), a.id, { kind: "reply", body: "On it." });
  await appendEvent(db, org.ctx("admin", at(2)), {
    type: "ticket.sla_escalated",
    ticketId: a.id,
    data: { key: "first_response#1:overdue_supervisor", step: "overdue_supervisor" },
  });
});

describe("ask the data", () => {
  test("how many urgent tickets are open in a zone", async () => {
    const answer = await askTheData(
      org.ctx("supervisor", NOW),
      "How many urgent tickets are open in Selangor?",
    );
    expect(answer.match.intent).toBe("count_tickets");
    expect(answer.match.slots).toMatchObject({ priority: "urgent", status: "open", zone: "Selangor" });
    expect(answer.headline).toBe("2 tickets");
    const all = await askTheData(org.ctx("supervisor", NOW), "how many urgent tickets are open");
    expect(all.headline).toBe("3 tickets");
  });

  test("which team breached most this week", async () => {
    const answer = await askTheData(org.ctx("supervisor", NOW), "Which team breached most this week?");
    expect(answer.match.intent).toBe("sla_breaches_by_group");
    expect(answer.rows).toEqual([["Support", 1]]);
    expect(answer.headline).toContain("Support");
    const lastWeek = await askTheData(org.ctx("supervisor", NOW), "which team breached most last week");
    expect(lastWeek.rows).toEqual([]);
  });

  test("average first response time", async () => {
    const answer = await askTheData(
      org.ctx("supervisor", NOW),
      "What is the average first response time this week?",
    );
    expect(answer.match.intent).toBe("first_response_time");
    expect(answer.headline).toBe("30 min on average, over 1 tickets");
  });

  test("a question it cannot answer says so and offers the closest ones", async () => {
    const answer = await askTheData(org.ctx("supervisor", NOW), "what is the weather like in Paris");
    expect(answer.match.intent).toBeNull();
    expect(answer.headline).toContain("not one this page can answer");
  });

  test("periods follow the organization's time zone; weeks start on Monday", () => {
    const week = periodRange({ kind: "this_week" }, NOW, "Asia/Kuala_Lumpur");
    expect(week.from.toISOString()).toBe("2026-11-15T16:00:00.000Z");
    expect(week.to.toISOString()).toBe("2026-11-22T16:00:00.000Z");
    const month = periodRange({ kind: "last_month" }, NOW, "Asia/Kuala_Lumpur");
    expect(month.from.toISOString()).toBe("2026-09-30T16:00:00.000Z");
    expect(month.to.toISOString()).toBe("2026-10-31T16:00:00.000Z");
  });

  test("only supervisors and admins ask; other organizations' tickets never count", async () => {
    await expect(askTheData(org.ctx("agent", NOW), "how many tickets are open")).rejects.toThrow();
    const answer = await askTheData(other.ctx("admin", NOW), "how many urgent tickets are open");
    expect(answer.headline).toBe("1 ticket");
  });
});
