// The plan of coming escalation steps stored with each ticket's look-in time: kept current by ticket
// changes and by the recompute after a policy edit, and recorded by the sweep with the same words
// the engine gives from the event log — each step once, also under two sweeps at once.
import { describe, expect, test } from "bun:test";
import { and, asc, eq } from "drizzle-orm";
import { events, ticketSlaState, tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import type { Ctx } from "../context";
import { addMessage, createTicket, updateTicket } from "../tickets/commands";
import { saveCalendar, savePolicy } from "./admin";
import { dueEscalations, recordedEscalations, SLA_ESCALATED_EVENT } from "./escalation";
import { decodePlan, encodePlan, type PlannedStep, reasonOf } from "./plan";
import { sweepSla } from "./sweep";
import { deriveClocks, loadOrgSla, refreshOrgSla, ticketFacts, ticketLog } from "./tickets";

/** Monday 21 to Wednesday 23 December 2026; Tuesday 22 is a holiday of this calendar. */
const KL_WITH_HOLIDAY = {
  name: "KL office",
  timeZone: "Asia/Kuala_Lumpur",
  hours: { 1: "09:00-18:00", 2: "09:00-18:00", 3: "09:00-18:00", 4: "09:00-18:00", 5: "09:00-18:00" },
  holidays: "2026-12-22 Company day\n2026-12-25 Christmas Day",
  isDefault: true,
};

const kl = (wall: string) => new Date(`${wall.replace(" ", "T")}:00+08:00`);
const at = (org: Fixture, role: Parameters<Fixture["ctx"]>[0], wall: string): Ctx => org.ctx(role, kl(wall));

async function setUp(label: string, targets: Record<string, string> = { normal_first_response: "4h" }) {
  const org = await createOrg(label);
  const admin = at(org, "admin", "2026-12-01 09:00");
  const calendar = await saveCalendar(admin, null, KL_WITH_HOLIDAY);
  const policyId = await savePolicy(admin, null, {
    name: "Fast",
    position: 0,
    calendarId: calendar.id,
    targets,
  });
  return { org, admin, calendarId: calendar.id, policyId };
}

async function stateRow(orgId: string, ticketId: string) {
  const { db } = await testDatabase();
  const [row] = await db
    .select()
    .from(ticketSlaState)
    .where(and(eq(ticketSlaState.orgId, orgId), eq(ticketSlaState.ticketId, ticketId)));
  return row;
}

async function plan(orgId: string, ticketId: string): Promise<PlannedStep[]> {
  const row = await stateRow(orgId, ticketId);
  return row?.plan ? decodePlan(row.plan).steps : [];
}

/** What the engine says from the event log at `now`: the due steps' reasons by key. */
async function engineReasons(orgId: string, ticketId: string, now: Date): Promise<Map<string, string>> {
  const { db } = await testDatabase();
  const [org, log, facts] = await Promise.all([
    loadOrgSla(db, orgId),
    ticketLog(db, orgId, ticketId),
    ticketFacts(db, orgId, [ticketId]),
  ]);
  const fact = facts.get(ticketId);
  const derived = fact ? deriveClocks(org, fact, log, now) : null;
  const due = derived ? dueEscalations(derived.clocks.clocks, recordedEscalations(log), now) : [];
  return new Map(due.map((s) => [s.key, s.reason]));
}

async function recorded(orgId: string, ticketId: string) {
  const { db } = await testDatabase();
  const rows = await db
    .select({ data: events.data })
    .from(events)
    .where(and(eq(events.orgId, orgId), eq(events.ticketId, ticketId), eq(events.type, SLA_ESCALATED_EVENT)))
    .orderBy(asc(events.seq));
  return rows.map((r) => r.data as { key: string; step: string; reason: string });
}

/**
 * Every planned step reads as the engine would word it when the step comes due (or at `since`, the
 * last change, for a step already past then), before any sweep.
 */
async function expectPlanToMatchEngine(orgId: string, ticketId: string, since: Date) {
  const steps = await plan(orgId, ticketId);
  for (const step of steps) {
    const engine = await engineReasons(orgId, ticketId, new Date(Math.max(step.at, since.getTime())));
    expect(engine.get(step.key)).toBe(reasonOf(step));
  }
  return steps;
}

const ISO = (step: PlannedStep) => [step.key, new Date(step.at).toISOString()];

describe("the stored plan", () => {
  test("ticket changes keep it current: created, paused, resumed, re-prioritized, answered", async () => {
    const { org } = await setUp("PlanChanges", { normal_first_response: "4h", urgent_first_response: "1h" });
    const ticket = await createTicket(at(org, "agent", "2026-12-21 09:00"), {
      subject: "Plan",
      body: "Help.",
      requesterEmail: "p@client.test",
    });
    // 4 business hours from Monday 09:00: 50 % at 11:00, 75 % at 12:00, breach at 13:00, and 24 h on.
    expect((await expectPlanToMatchEngine(org.orgId, ticket.id, kl("2026-12-21 09:00"))).map(ISO)).toEqual([
      ["first_response#1:remind_assignee", "2026-12-21T03:00:00.000Z"],
      ["first_response#1:notify_team_lead", "2026-12-21T04:00:00.000Z"],
      ["first_response#1:overdue_supervisor", "2026-12-21T05:00:00.000Z"],
      ["first_response#1:escalate_organization", "2026-12-22T05:00:00.000Z"],
    ]);
    const steps = await plan(org.orgId, ticket.id);
    expect(steps[0].words).toBe(
      "policy Fast, 4 business hours for normal priority, business hours of KL office (Asia/Kuala_Lumpur)",
    );
    // After the breach the words say since when; a day later they also name the holiday passed.
    expect(steps[2].words).toEndWith("overdue since 21 Dec 2026 13:00");
    expect(steps[3].words).toContain("22 Dec is a holiday (Company day)");

    await updateTicket(at(org, "agent", "2026-12-21 10:00"), ticket.number, { status: "pending" });
    expect(await stateRow(org.orgId, ticket.id)).toBeUndefined();

    // Resumed on Wednesday 09:00 (Tuesday is the holiday): 1 h used, 50 % comes at 10:00.
    await updateTicket(at(org, "agent", "2026-12-23 09:00"), ticket.number, { status: "open" });
    const resumed = await expectPlanToMatchEngine(org.orgId, ticket.id, kl("2026-12-23 09:00"));
    expect(resumed.map(ISO)[0]).toEqual(["first_response#1:remind_assignee", "2026-12-23T02:00:00.000Z"]);
    expect(resumed[0].words).toContain("paused 1 d 23 h while pending");
    expect((await stateRow(org.orgId, ticket.id)).attentionAt.toISOString()).toBe("2026-12-23T02:00:00.000Z");

    // Urgent: 1 business hour, already used — every step up to the breach is due at once.
    await updateTicket(at(org, "agent", "2026-12-23 09:30"), ticket.number, { priority: "urgent" });
    const urgent = await expectPlanToMatchEngine(org.orgId, ticket.id, kl("2026-12-23 09:30"));
    // The hour ran out on Monday at 10:00: the reminders come now, the breach steps are already past.
    expect(urgent.map((s) => new Date(s.at).toISOString())).toEqual([
      "2026-12-23T01:30:00.000Z",
      "2026-12-23T01:30:00.000Z",
      "2026-12-21T02:00:00.000Z",
      "2026-12-22T02:00:00.000Z",
    ]);
    // All worded as of now: overdue since Monday, the holiday since passed named.
    for (const step of urgent) {
      expect(step.words).toContain("overdue since 21 Dec 2026 10:00");
      expect(step.words).toContain("22 Dec is a holiday (Company day)");
    }

    // Answered: the only clock is met, nothing is ahead.
    await addMessage(at(org, "agent", "2026-12-23 09:40"), ticket.number, { kind: "reply", body: "On it." });
    expect(await stateRow(org.orgId, ticket.id)).toBeUndefined();
  });

  test("the sweep's reasons are the engine's, swept on time or late", async () => {
    const { org } = await setUp("PlanReasons");
    const { db } = await testDatabase();
    const onTime = await createTicket(at(org, "agent", "2026-12-21 09:00"), {
      subject: "On time",
      body: "Help.",
      requesterEmail: "o@client.test",
    });
    // On time: a sweep at each step's moment, compared with the engine's words at that moment.
    const expected: string[] = [];
    for (const step of await plan(org.orgId, onTime.id)) {
      const moment = new Date(step.at);
      const engine = await engineReasons(org.orgId, onTime.id, moment);
      await sweepSla(db, moment);
      const reasons = engine.get(step.key);
      expect(reasons).toBeDefined();
      expected.push(reasons as string);
      // Swept from the plan: it is kept, and how far it is done moves on.
      const row = await stateRow(org.orgId, onTime.id);
      if (row) expect(row.planDoneUntil?.toISOString()).toBe(moment.toISOString());
    }
    expect((await recorded(org.orgId, onTime.id)).map((e) => e.reason)).toEqual(expected);
    expect(expected[3]).toContain("22 Dec is a holiday (Company day)");

    // Late: a ticket of the same moment, first swept on Thursday 24 December — every step at
    // once, worded as the engine words them then.
    const late = await createTicket(at(org, "agent", "2026-12-21 09:00"), {
      subject: "Late",
      body: "Help.",
      requesterEmail: "l@client.test",
    });
    const thursday = kl("2026-12-24 09:00");
    const engine = await engineReasons(org.orgId, late.id, thursday);
    await sweepSla(db, thursday);
    const events = await recorded(org.orgId, late.id);
    expect(events.map((e) => e.step)).toEqual([
      "remind_assignee",
      "notify_team_lead",
      "overdue_supervisor",
      "escalate_organization",
    ]);
    for (const event of events) expect(event.reason).toBe(engine.get(event.key) as string);
    // The reminders now say the target was breached, as the engine does at that moment.
    expect(events[0].reason).toContain("overdue since 21 Dec 2026 13:00");
    expect(await stateRow(org.orgId, late.id)).toBeUndefined();
    const [row] = await db.select().from(tickets).where(eq(tickets.id, late.id));
    expect(row.slaBreached).toBe(true);
  });

  test("a policy edit and the recompute rewrite it", async () => {
    const { org, admin, calendarId, policyId } = await setUp("PlanRecompute");
    const { db } = await testDatabase();
    const ticket = await createTicket(at(org, "agent", "2026-12-21 09:00"), {
      subject: "Edit",
      body: "Help.",
      requesterEmail: "e@client.test",
    });
    expect((await plan(org.orgId, ticket.id))[0].words).toStartWith("policy Fast, 4 business hours");
    await savePolicy(admin, policyId, {
      name: "Faster",
      position: 0,
      calendarId,
      targets: { normal_first_response: "2h" },
    });
    await refreshOrgSla(db, org.orgId, kl("2026-12-21 09:30"));
    const steps = await expectPlanToMatchEngine(org.orgId, ticket.id, kl("2026-12-21 09:30"));
    expect(steps[0].words).toStartWith("policy Faster, 2 business hours");
    // 50 % of 2 business hours from 09:00.
    expect(ISO(steps[0])).toEqual(["first_response#1:remind_assignee", "2026-12-21T02:00:00.000Z"]);
    expect((await stateRow(org.orgId, ticket.id)).attentionAt.toISOString()).toBe("2026-12-21T02:00:00.000Z");
    await sweepSla(db, kl("2026-12-21 10:00"));
    expect((await recorded(org.orgId, ticket.id)).map((e) => e.reason)).toEqual([reasonOf(steps[0])]);
    // Recomputing again changes nothing: the plan as stored is what it would write.
    const before = await stateRow(org.orgId, ticket.id);
    await refreshOrgSla(db, org.orgId, kl("2026-12-21 10:05"));
    const after = await stateRow(org.orgId, ticket.id);
    expect(after.plan).not.toBe(before.plan); // the step just recorded is no longer ahead
    await refreshOrgSla(db, org.orgId, kl("2026-12-21 10:10"));
    expect(await stateRow(org.orgId, ticket.id)).toEqual(after);
  });

  test("is stored small and read back as written", async () => {
    const { org } = await setUp("PlanStored", { normal_first_response: "4h", normal_resolution: "40h" });
    const ticket = await createTicket(at(org, "agent", "2026-12-21 09:00"), {
      subject: "Stored",
      body: "Help.",
      requesterEmail: "s@client.test",
    });
    const row = await stateRow(org.orgId, ticket.id);
    const steps = decodePlan(row.plan as string).steps;
    expect(steps.map((s) => s.key)).toEqual([
      "first_response#1:remind_assignee",
      "first_response#1:notify_team_lead",
      "first_response#1:overdue_supervisor",
      "first_response#1:escalate_organization",
      "resolution#1:remind_assignee",
      "resolution#1:notify_team_lead",
      "resolution#1:overdue_supervisor",
      "resolution#1:escalate_organization",
    ]);
    expect(encodePlan(decodePlan(row.plan as string))).toBe(row.plan);
    // The words after a breach are stored as the words before it and what follows.
    const stored = JSON.parse(row.plan as string) as { words: unknown[] };
    expect(stored.words[1]).toEqual([0, ", overdue since 21 Dec 2026 13:00"]);
  });

  test("two sweeps at once record each planned step once", async () => {
    const { org } = await setUp("PlanTwice");
    const { db } = await testDatabase();
    const created = [];
    for (let i = 0; i < 5; i++)
      created.push(
        await createTicket(at(org, "agent", "2026-12-21 09:00"), {
          subject: `Twice ${i}`,
          body: "Help.",
          requesterEmail: `t${i}@client.test`,
        }),
      );
    const sweep = (wall: string) => sweepSla(db, kl(wall), { batch: 2, concurrency: 2 });
    await Promise.all([sweep("2026-12-21 11:00"), sweep("2026-12-21 11:00")]);
    await Promise.all([sweep("2026-12-21 12:00"), sweep("2026-12-21 12:00"), sweep("2026-12-21 12:00")]);
    for (const ticket of created) {
      expect((await recorded(org.orgId, ticket.id)).map((e) => e.step)).toEqual([
        "remind_assignee",
        "notify_team_lead",
      ]);
      const row = await stateRow(org.orgId, ticket.id);
      expect(row.planDoneUntil?.toISOString()).toBe("2026-12-21T04:00:00.000Z");
      expect(row.attentionAt.toISOString()).toBe("2026-12-21T05:00:00.000Z");
    }
  });

  test("a look-in row stored without a plan is swept from the log and gets one", async () => {
    const { org } = await setUp("PlanMissing");
    const { db } = await testDatabase();
    const ticket = await createTicket(at(org, "agent", "2026-12-21 09:00"), {
      subject: "Old row",
      body: "Help.",
      requesterEmail: "r@client.test",
    });
    await db
      .update(ticketSlaState)
      .set({ plan: null })
      .where(and(eq(ticketSlaState.orgId, org.orgId), eq(ticketSlaState.ticketId, ticket.id)));
    const engine = await engineReasons(org.orgId, ticket.id, kl("2026-12-21 11:00"));
    await sweepSla(db, kl("2026-12-21 11:00"));
    const events = await recorded(org.orgId, ticket.id);
    expect(events.map((e) => e.reason)).toEqual([engine.get("first_response#1:remind_assignee") as string]);
    expect((await plan(org.orgId, ticket.id)).map((s) => s.step)).toEqual([
      "notify_team_lead",
      "overdue_supervisor",
      "escalate_organization",
    ]);
  });
});
