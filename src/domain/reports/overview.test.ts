// The desk report of a period, from tickets, replies, SLA escalations, ratings, deflections and
// visits written for one organization; another organization's rows never count.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { appointments, kbDeflections, satisfactionRatings, tickets, workOrders } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { addInvoiceLine, createInvoice, recordPayment, sendInvoice } from "../invoicing/invoices";
import { createArticle } from "../kb/articles";
import { SLA_ESCALATED_EVENT } from "../sla/escalation";
import { addMessage, createTicket } from "../tickets/commands";
import { deskReport, reportPeriod } from "./overview";

const NOW = new Date("2026-11-20T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
let home: Fixture;
let away: Fixture;

/** A ticket written `createdHoursAgo`, answered by the agent `repliedAfterMinutes` later (or never). */
async function ticket(fixture: Fixture, createdHoursAgo: number, repliedAfterMinutes?: number) {
  const created = hoursAgo(createdHoursAgo);
  const t = await createTicket(fixture.ctx("customer", created), { subject: "Lift stuck", body: "Help" });
  if (repliedAfterMinutes !== undefined) {
    const at = new Date(created.getTime() + repliedAfterMinutes * 60_000);
    await addMessage(fixture.ctx("agent", at), t.number, { kind: "note", body: "Checking" });
    await addMessage(fixture.ctx("agent", at), t.number, { kind: "reply", body: "On our way" });
  }
  return t;
}

beforeAll(async () => {
  home = await createOrg("ReportHome");
  away = await createOrg("ReportAway");
  const { db } = await testDatabase();
  const first = await ticket(home, 48, 30);
  const second = await ticket(home, 24, 90);
  await ticket(home, 5);
  await ticket(home, 24 * 40, 10); // before the 30-day period
  const elsewhere = await ticket(away, 10, 1);

  // Two tickets under a policy; the first missed a target (its breach escalation), the second met it.
  const policyId = crypto.randomUUID();
  for (const t of [first, second, elsewhere])
    await db.update(tickets).set({ slaPolicyId: policyId }).where(eq(tickets.id, t.id));
  for (const [fixture, t] of [
    [home, first],
    [away, elsewhere],
  ] as const) {
    await db.execute(sql`insert into events (org_id, type, ticket_id, actor_kind, data, created_at)
      values (${fixture.orgId}, ${SLA_ESCALATED_EVENT}, ${t.id}, 'system',
        ${JSON.stringify({ step: "overdue_supervisor", target: "first_response" })}::jsonb, ${hoursAgo(40).toISOString()}::timestamptz)`);
  }
  await db.execute(sql`insert into events (org_id, type, ticket_id, actor_kind, data, created_at)
    values (${home.orgId}, ${SLA_ESCALATED_EVENT}, ${second.id}, 'system',
      ${JSON.stringify({ step: "remind_assignee", target: "first_response" })}::jsonb, ${hoursAgo(20).toISOString()}::timestamptz)`);

  const agent = home.users.agent.id;
  const unrated = await ticket(home, 30);
  await db
    .insert(satisfactionRatings)
    .values([
      rating(home, first.id, agent, 5),
      rating(home, second.id, agent, 2),
      rating(home, unrated.id, agent, null),
      rating(away, elsewhere.id, away.users.agent.id, 1),
    ]);

  const article = await createArticle(home.ctx("admin"), {
    title: "Reset the lift controller",
    body: "<p>Press reset.</p>",
  });
  await db.insert(kbDeflections).values([
    { orgId: home.orgId, articleId: article.id, query: "lift", createdAt: hoursAgo(3) },
    { orgId: home.orgId, articleId: article.id, query: "lift stuck", createdAt: hoursAgo(4) },
    { orgId: home.orgId, articleId: article.id, query: "old", createdAt: hoursAgo(24 * 60) },
  ]);

  const [order] = await db
    .insert(workOrders)
    .values({
      orgId: home.orgId,
      number: 1,
      subject: "Lift",
      currency: "MYR",
      createdAt: hoursAgo(30),
      updatedAt: NOW,
    })
    .returning();
  const visit = (status: "completed" | "cannot_complete" | "scheduled", h: number) => ({
    orgId: home.orgId,
    workOrderId: order.id,
    startsAt: hoursAgo(h),
    endsAt: hoursAgo(h - 1),
    status,
    createdAt: hoursAgo(40),
    updatedAt: NOW,
  });
  await db
    .insert(appointments)
    .values([
      visit("completed", 28),
      visit("completed", 20),
      visit("cannot_complete", 10),
      visit("scheduled", -5),
    ]);

  await invoice(home, 48, [[24, "50.00"]]); // sent in the period, part paid
  await invoice(home, 72, [[48, "108.00"]]); // sent and paid in the period
  await invoice(home, 24 * 40); // sent before the period, due 10 days ago, unpaid
  await createInvoice(home.ctx("dispatcher", hoursAgo(2)), {
    subject: "Draft",
    contactId: home.users.customer.contactId,
  });
  await invoice(away, 5);
});

/** An invoice of 100.00 + 8% tax, sent `sentHoursAgo`, with the payments given (hours ago, amount). */
async function invoice(fixture: Fixture, sentHoursAgo: number, payments: [number, string][] = []) {
  const staff = (h: number) => fixture.ctx("dispatcher", hoursAgo(h));
  const draft = await createInvoice(staff(sentHoursAgo + 1), {
    subject: "Call-out",
    contactId: fixture.users.customer.contactId,
  });
  await addInvoiceLine(staff(sentHoursAgo + 1), draft.number, {
    kind: "labour",
    quantity: "1",
    unitPrice: "100.00",
    taxPercent: "8",
  });
  await sendInvoice(staff(sentHoursAgo), draft.number, { origin: "https://support.example.test" });
  for (const [h, amount] of payments) await recordPayment(staff(h), draft.number, { amount, method: "cash" });
}

function rating(fixture: Fixture, ticketId: string, agentUserId: string, score: number | null) {
  return {
    orgId: fixture.orgId,
    ticketId,
    tokenHash: crypto.randomUUID(),
    agentUserId,
    score,
    requestedAt: hoursAgo(12),
    ratedAt: score === null ? null : hoursAgo(11),
  };
}

describe("first reply on the ticket", () => {
  test("set by staff's first public reply only: not by the customer, not by a note, not moved by later replies", async () => {
    const fixture = await createOrg("FirstReply");
    const { db } = await testDatabase();
    const t = await createTicket(fixture.ctx("customer", hoursAgo(10)), { subject: "Gate", body: "Stuck" });
    const firstReplied = async () =>
      (await db.select({ at: tickets.firstRepliedAt }).from(tickets).where(eq(tickets.id, t.id)))[0].at;
    await addMessage(fixture.ctx("customer", hoursAgo(9)), t.number, { kind: "reply", body: "Still stuck" });
    await addMessage(fixture.ctx("agent", hoursAgo(8)), t.number, {
      kind: "note",
      body: "Calling the vendor",
    });
    expect(await firstReplied()).toBeNull();
    await addMessage(fixture.ctx("agent", hoursAgo(7)), t.number, {
      kind: "reply",
      body: "Technician booked",
    });
    await addMessage(fixture.ctx("supervisor", hoursAgo(6)), t.number, { kind: "reply", body: "Any news?" });
    expect(await firstReplied()).toEqual(hoursAgo(7));
    // A ticket an agent logged from a phone call: its opening message is not a reply to anyone.
    const logged = await createTicket(fixture.ctx("agent", hoursAgo(5)), {
      subject: "Phoned in",
      body: "Caller reports a leak",
      requesterEmail: "caller@example.test",
    });
    const [row] = await db
      .select({ at: tickets.firstRepliedAt })
      .from(tickets)
      .where(eq(tickets.id, logged.id));
    expect(row.at).toBeNull();
  });
});

describe("desk report", () => {
  test("counts the period's tickets, first replies, SLA outcomes, ratings, deflections and visits", async () => {
    const report = await deskReport(home.ctx("supervisor", NOW), 30);
    expect(report.tickets.created).toBe(4); // 48 h, 24 h, 5 h and the rated one at 30 h
    expect(report.tickets.byChannel).toEqual([{ channel: "portal", count: 4 }]);
    expect(report.firstReply).toEqual({ answered: 2, unanswered: 2, medianMinutes: 60, p90Minutes: 84 });
    expect(report.sla).toEqual({ withPolicy: 2, breached: 1, metShare: 0.5 });
    expect(report.satisfaction).toMatchObject({ requested: 3, rated: 2, average: 3.5, satisfiedShare: 0.5 });
    expect(report.satisfaction.byAgent).toEqual([{ name: home.users.agent.name, rated: 2, average: 3.5 }]);
    expect(report.selfService).toEqual({
      deflections: 2,
      topArticles: [{ title: "Reset the lift controller", count: 2 }],
    });
    expect(report.field).toEqual({
      workOrdersCreated: 1,
      visitsEnded: 3,
      visitsCompleted: 2,
      completedShare: 2 / 3,
    });
    expect(report.billing).toEqual([
      {
        currency: expect.any(String),
        invoiced: 2,
        invoicedMinor: 21_600,
        collectedMinor: 15_800,
        outstandingMinor: 16_600,
        overdueMinor: 10_800,
      },
    ]);
  });

  test("a shorter period counts less; an empty one says so with nulls, not zeros", async () => {
    const week = await deskReport(home.ctx("supervisor", NOW), 7);
    expect(week.tickets.created).toBe(4);
    const later = await deskReport(home.ctx("supervisor", new Date(NOW.getTime() + 100 * 86_400_000)), 90);
    expect(later.tickets.created).toBe(0);
    expect(later.firstReply.medianMinutes).toBeNull();
    expect(later.sla.metShare).toBeNull();
    expect(later.satisfaction.average).toBeNull();
    expect(later.field.completedShare).toBeNull();
  });

  test("only admins and supervisors read it; periods other than 7, 30 and 90 days fall back to 30", async () => {
    await expect(deskReport(home.ctx("agent", NOW), 30)).rejects.toMatchObject({ status: 403 });
    await expect(deskReport(home.ctx("dispatcher", NOW), 30)).rejects.toMatchObject({ status: 403 });
    expect((await deskReport(home.ctx("admin", NOW), 30)).tickets.created).toBe(4);
    expect([reportPeriod("7"), reportPeriod("90"), reportPeriod("365"), reportPeriod(undefined)]).toEqual([
      7, 90, 30, 30,
    ]);
  });
});
