// The SLA engine wired to stored tickets: admin rules, due times kept on the ticket row in the
// writing transaction, recomputation after rule changes, and the sweep's escalation ladder with
// the clock moved (never slept).
import { beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { companies, contacts, events, jobs, slaPolicies, ticketSlaState, tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase, testFiles } from "../../../test/helpers";
import { loadConfig } from "../../config";
import type { Ctx } from "../context";
import { productQueues } from "../jobs/catalog";
import { JobRunner } from "../jobs/runner";
import { addMessage, createTicket, updateTicket } from "../tickets/commands";
import {
  deleteCalendar,
  deletePolicy,
  type PolicyInput,
  parseDuration,
  saveCalendar,
  savePolicy,
  saveSlaSettings,
} from "./admin";
import { sweepSla } from "./sweep";
import { refreshOrgSla, ticketSla } from "./tickets";

const KL_OFFICE = {
  name: "KL office",
  timeZone: "Asia/Kuala_Lumpur",
  hours: { 1: "09:00-18:00", 2: "09:00-18:00", 3: "09:00-18:00", 4: "09:00-18:00", 5: "09:00-18:00" },
  holidays: "2026-12-25 Christmas Day\n2026-08-31 Merdeka Day",
  isDefault: true,
};

function gold(extra: Partial<PolicyInput> = {}): PolicyInput {
  return {
    name: "Gold",
    position: 10,
    targets: {
      normal_first_response: "8h",
      normal_resolution: "40h",
      urgent_first_response: "1h",
      urgent_resolution: "4h",
    },
    ...extra,
  };
}

/** A context of `role` at a moment given as Kuala Lumpur wall time ("2026-12-21 10:00"). */
const at = (org: Fixture, role: Parameters<Fixture["ctx"]>[0], kl: string): Ctx =>
  org.ctx(role, new Date(`${kl.replace(" ", "T")}:00+08:00`));

/** The ticket row with its look-in time (kept beside it, in ticket_sla_state). */
async function row(id: string) {
  const { db } = await testDatabase();
  const [ticket] = await db
    .select({ ...getTableColumns(tickets), slaAttentionAt: ticketSlaState.attentionAt })
    .from(tickets)
    .leftJoin(
      ticketSlaState,
      and(eq(ticketSlaState.orgId, tickets.orgId), eq(ticketSlaState.ticketId, tickets.id)),
    )
    .where(eq(tickets.id, id));
  return ticket;
}

async function escalations(orgId: string, ticketId: string) {
  const { db } = await testDatabase();
  const rows = await db
    .select({ data: events.data })
    .from(events)
    .where(
      and(eq(events.orgId, orgId), eq(events.ticketId, ticketId), eq(events.type, "ticket.sla_escalated")),
    )
    .orderBy(asc(events.seq));
  return rows.map((r) => r.data as { key: string; step: string; notify: string[]; email: string | null });
}

describe("admin rules", () => {
  test("only admins edit calendars, policies and the escalation contact", async () => {
    const org = await createOrg("SlaPerms");
    for (const role of ["supervisor", "agent", "customer"] as const) {
      await expect(saveCalendar(org.ctx(role), null, KL_OFFICE)).rejects.toMatchObject({ status: 403 });
      await expect(savePolicy(org.ctx(role), null, gold())).rejects.toMatchObject({ status: 403 });
      await expect(saveSlaSettings(org.ctx(role), {})).rejects.toMatchObject({ status: 403 });
    }
  });

  test("every change appends an event and asks for the open tickets to be recomputed", async () => {
    const org = await createOrg("SlaEvents");
    const admin = org.ctx("admin");
    const { id } = await saveCalendar(admin, null, KL_OFFICE);
    const policyId = await savePolicy(admin, null, gold({ calendarId: id }));
    await savePolicy(admin, policyId, gold({ calendarId: id, name: "Gold plus" }));
    await deletePolicy(admin, policyId);
    await deleteCalendar(admin, id);
    const { db } = await testDatabase();
    const types = (
      await db.select().from(events).where(eq(events.orgId, org.orgId)).orderBy(asc(events.seq))
    ).map((e) => e.type);
    expect(types).toEqual([
      "sla.calendar_created",
      "sla.policy_created",
      "sla.policy_updated",
      "sla.policy_deleted",
      "sla.calendar_deleted",
    ]);
    const queued = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.orgId, org.orgId), eq(jobs.queue, "sla.recompute")));
    expect(queued).toHaveLength(5);
  });

  test("bad input names its field and writes nothing", async () => {
    const org = await createOrg("SlaInvalid");
    const admin = org.ctx("admin");
    await expect(
      saveCalendar(admin, null, {
        ...KL_OFFICE,
        timeZone: "Mars/Olympus",
        hours: { 1: "9 to 5" },
        holidays: "Christmas",
      }),
    ).rejects.toMatchObject({
      status: 422,
      fields: {
        timeZone: expect.stringContaining("Mars/Olympus"),
        hours_1: expect.stringContaining("09:00-18:00"),
        holidays: expect.stringContaining("Line 1"),
      },
    });
    await expect(
      savePolicy(admin, null, gold({ name: " ", targets: { high_resolution: "soon" }, priorities: ["vip"] })),
    ).rejects.toMatchObject({
      status: 422,
      fields: {
        name: expect.any(String),
        target_high_resolution: expect.any(String),
        priorities: expect.any(String),
      },
    });
    const { db } = await testDatabase();
    expect(await db.select().from(slaPolicies).where(eq(slaPolicies.orgId, org.orgId))).toHaveLength(0);
  });

  test("a calendar in use cannot be deleted; a second default replaces the first", async () => {
    const org = await createOrg("SlaCalendars");
    const admin = org.ctx("admin");
    const first = await saveCalendar(admin, null, KL_OFFICE);
    await savePolicy(admin, null, gold({ calendarId: first.id }));
    await expect(deleteCalendar(admin, first.id)).rejects.toMatchObject({ status: 409 });
    const second = await saveCalendar(admin, null, {
      ...KL_OFFICE,
      name: "Night desk",
      hours: { 5: "22:00-06:00" },
    });
    const other = await createOrg("SlaCalendarsAway");
    await expect(deleteCalendar(other.ctx("admin"), first.id)).rejects.toMatchObject({ status: 404 });
    await expect(saveCalendar(admin, null, KL_OFFICE)).rejects.toMatchObject({
      status: 409,
      fields: { name: expect.any(String) },
    });
    const { db } = await testDatabase();
    const { businessCalendars } = await import("../../../db/schema");
    const rows = await db.select().from(businessCalendars).where(eq(businessCalendars.orgId, org.orgId));
    expect(rows.filter((r) => r.isDefault).map((r) => r.id)).toEqual([second.id]);
    expect(rows.find((r) => r.id === second.id)!.weekly).toEqual([{ day: 5, start: "22:00", end: "06:00" }]);
  });

  test("durations read as people write them", () => {
    expect(parseDuration("8h")).toBe(480);
    expect(parseDuration("1h 30m")).toBe(90);
    expect(parseDuration("45m")).toBe(45);
    expect(parseDuration("240")).toBe(240);
    expect(parseDuration("soon")).toBeUndefined();
  });
});

describe("due times on the ticket row", () => {
  let org: Fixture;
  let calendarId: string;
  beforeAll(async () => {
    org = await createOrg("SlaDue");
    calendarId = (await saveCalendar(org.ctx("admin"), null, KL_OFFICE)).id;
    await savePolicy(org.ctx("admin"), null, gold({ calendarId }));
  });

  test("creating, pausing, a priority change and a reply recompute them in the same transaction", async () => {
    // Monday 21 December 2026, 10:00 in Kuala Lumpur.
    const ticket = await createTicket(at(org, "agent", "2026-12-21 10:00"), {
      subject: "Chiller down",
      body: "No cooling.",
      requesterEmail: "ops@client.test",
    });
    let stored = await row(ticket.id);
    expect(stored.slaPolicyId).not.toBeNull();
    // 8 business hours from Monday 10:00 is Monday 18:00.
    expect(stored.slaNextDueAt?.toISOString()).toBe("2026-12-21T10:00:00.000Z");
    expect(stored.slaBreached).toBe(false);

    await updateTicket(at(org, "agent", "2026-12-21 11:00"), ticket.number, { status: "pending" });
    stored = await row(ticket.id);
    // Paused: no clock runs, so nothing is due.
    expect(stored.slaNextDueAt).toBeNull();
    expect(stored.slaAttentionAt).toBeNull();

    await updateTicket(at(org, "agent", "2026-12-21 13:10"), ticket.number, { status: "open" });
    stored = await row(ticket.id);
    expect(stored.slaNextDueAt?.toISOString()).toBe("2026-12-22T03:10:00.000Z"); // Tuesday 11:10

    await updateTicket(at(org, "agent", "2026-12-21 13:20"), ticket.number, { priority: "urgent" });
    stored = await row(ticket.id);
    // Urgent: 1 business hour from the start, less the pause, was reached at 11:00 — overdue at once.
    expect(stored.slaBreached).toBe(true);
    expect(stored.slaNextDueAt?.toISOString()).toBe("2026-12-21T03:00:00.000Z");

    await addMessage(at(org, "agent", "2026-12-21 13:30"), ticket.number, { kind: "reply", body: "On it." });
    stored = await row(ticket.id);
    // First response is answered (late); resolution is 4 h: 10:00–11:00 and 13:10–16:10.
    expect(stored.slaNextDueAt?.toISOString()).toBe("2026-12-21T08:10:00.000Z");
    expect(stored.slaBreached).toBe(false);

    const view = await ticketSla(at(org, "agent", "2026-12-21 13:30"), stored);
    const first = view!.clocks.find((c) => c.target === "first_response")!;
    expect(first.status).toBe("breached");
    expect(first.explanation).toContain("policy Gold");
    expect(first.explanation).toContain("paused 2 h 10 m while pending");
  });

  test("a new ticket's due time follows its contact's company tier, as a full recomputation has it", async () => {
    const { db } = await testDatabase();
    const admin = at(org, "admin", "2026-12-21 09:00");
    await savePolicy(admin, null, {
      name: "Platinum",
      position: 1,
      companyTiers: ["platinum"],
      targets: { normal_first_response: "30m", normal_resolution: "4h" },
    });
    const [company] = await db
      .insert(companies)
      .values({ orgId: org.orgId, name: "Petronas Twin Towers", tier: "platinum" })
      .returning();
    const [contact] = await db
      .insert(contacts)
      .values({ orgId: org.orgId, companyId: company.id, email: "facilities@klcc.test", name: "Facilities" })
      .returning();
    const ticket = await createTicket(at(org, "agent", "2026-12-21 10:00"), {
      subject: "Lift stuck",
      body: "Level 40.",
      contactId: contact.id,
    });
    const stored = await row(ticket.id);
    // 30 business minutes from Monday 10:00.
    expect(stored.slaNextDueAt?.toISOString()).toBe("2026-12-21T02:30:00.000Z");
    expect(stored.slaAttentionAt).not.toBeNull();
    await refreshOrgSla(db, org.orgId, new Date("2026-12-21T02:00:00Z"));
    const recomputed = await row(ticket.id);
    expect(recomputed.slaPolicyId).toBe(stored.slaPolicyId);
    expect(recomputed.slaNextDueAt).toEqual(stored.slaNextDueAt);
    expect(recomputed.slaAttentionAt).toEqual(stored.slaAttentionAt);
    await db
      .delete(slaPolicies)
      .where(and(eq(slaPolicies.orgId, org.orgId), eq(slaPolicies.name, "Platinum")));
  });

  test("the explanation names a holiday the target spans", async () => {
    // Thursday 24 December 10:00; 40 business hours run past Christmas Day.
    const ticket = await createTicket(at(org, "agent", "2026-12-24 10:00"), {
      subject: "Quote",
      body: "Please quote.",
      requesterEmail: "buyer@client.test",
    });
    const view = await ticketSla(at(org, "agent", "2026-12-24 10:05"), ticket);
    const resolution = view!.clocks.find((c) => c.target === "resolution")!;
    expect(resolution.status).toBe("running");
    expect(resolution.explanation).toContain("25 Dec is a holiday (Christmas Day)");
    // Thu 8 h, (Fri holiday), Mon 9, Tue 9, Wed 9, Thu 5 → Thursday 31 December 14:00.
    expect(resolution.dueAt?.toISOString()).toBe("2026-12-31T06:00:00.000Z");
  });

  test("another organization's rules never apply; a ticket without a policy has no due time", async () => {
    const bare = await createOrg("SlaBare");
    const ticket = await createTicket(bare.ctx("agent"), {
      subject: "x",
      body: "y",
      requesterEmail: "z@client.test",
    });
    const stored = await row(ticket.id);
    expect(stored.slaPolicyId).toBeNull();
    expect(stored.slaNextDueAt).toBeNull();
    expect(await ticketSla(bare.ctx("agent"), stored)).toBeNull();
    await expect(ticketSla(bare.ctx("customer"), stored)).rejects.toMatchObject({ status: 403 });
  });

  test("a policy edit recomputes the organization's open tickets through the recompute job", async () => {
    const fresh = await createOrg("SlaRecompute");
    const admin = fresh.ctx("admin", new Date("2026-12-21T02:00:00Z"));
    const cal = await saveCalendar(admin, null, KL_OFFICE);
    const policyId = await savePolicy(admin, null, gold({ calendarId: cal.id }));
    const ticket = await createTicket(at(fresh, "agent", "2026-12-21 10:00"), {
      subject: "Slow",
      body: "Slow.",
      requesterEmail: "s@client.test",
    });
    expect((await row(ticket.id)).slaNextDueAt?.toISOString()).toBe("2026-12-21T10:00:00.000Z");
    await savePolicy(admin, policyId, gold({ calendarId: cal.id, targets: { normal_first_response: "2h" } }));
    // Not yet: the edit only queued the recomputation.
    expect((await row(ticket.id)).slaNextDueAt?.toISOString()).toBe("2026-12-21T10:00:00.000Z");
    const database = await testDatabase();
    const runner = new JobRunner({
      database,
      queues: productQueues(loadConfig({}), testFiles()).filter((q) => q.queue === "sla.recompute"),
      clock: () => new Date("2026-12-21T02:05:00Z"),
      log: () => {},
    });
    await runner.drain();
    expect((await row(ticket.id)).slaNextDueAt?.toISOString()).toBe("2026-12-21T04:00:00.000Z");
    // And with no policy left, the ticket has no SLA.
    await deletePolicy(admin, policyId);
    await refreshOrgSla(database.db, fresh.orgId, new Date("2026-12-21T02:10:00Z"));
    expect((await row(ticket.id)).slaPolicyId).toBeNull();
  });
});

describe("which calendar counts", () => {
  test("a policy without a calendar counts the ticket's team calendar, else the default", async () => {
    const org = await createOrg("SlaTeamCalendar");
    const admin = org.ctx("admin");
    await saveCalendar(admin, null, KL_OFFICE);
    await saveCalendar(admin, null, {
      name: "Weekend crew",
      timeZone: "Asia/Kuala_Lumpur",
      teamId: org.teamId,
      hours: { 6: "08:00-20:00", 7: "08:00-20:00" },
      holidays: "",
    });
    await expect(
      saveCalendar(admin, null, { ...KL_OFFICE, name: "Second", isDefault: false, teamId: org.teamId }),
    ).rejects.toMatchObject({ status: 422, fields: { teamId: expect.stringContaining("Weekend crew") } });
    await savePolicy(admin, null, gold());
    const saturday = at(org, "agent", "2026-12-19 10:00");
    const team = await createTicket(saturday, {
      subject: "a",
      body: "b",
      requesterEmail: "t@client.test",
      teamId: org.teamId,
    });
    const none = await createTicket(saturday, { subject: "a", body: "b", requesterEmail: "t@client.test" });
    // Team: 8 hours from Saturday 10:00 → 18:00 that day. Default: Monday 09:00 + 8 h → 17:00.
    expect((await row(team.id)).slaNextDueAt?.toISOString()).toBe("2026-12-19T10:00:00.000Z");
    expect((await row(none.id)).slaNextDueAt?.toISOString()).toBe("2026-12-21T09:00:00.000Z");
    const view = await ticketSla(saturday, team);
    expect(view!.calendarName).toBe("Weekend crew");
  });
});

describe("a calendar row the form would have refused", () => {
  test("does not stop tickets from being written; its clocks count around the clock", async () => {
    const org = await createOrg("SlaBroken");
    const admin = org.ctx("admin");
    const cal = await saveCalendar(admin, null, KL_OFFICE);
    await savePolicy(admin, null, gold({ calendarId: cal.id }));
    const { db } = await testDatabase();
    const { businessCalendars } = await import("../../../db/schema");
    await db
      .update(businessCalendars)
      .set({ weekly: [{ day: 9, start: "25:00", end: "x" }], updatedAt: new Date() })
      .where(eq(businessCalendars.id, cal.id));
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      // Saturday: the office calendar would wait for Monday.
      const ticket = await createTicket(at(org, "agent", "2026-12-19 10:00"), {
        subject: "Still works",
        body: "x",
        requesterEmail: "w@client.test",
      });
      // 8 hours around the clock from Saturday 10:00.
      expect((await row(ticket.id)).slaNextDueAt?.toISOString()).toBe("2026-12-19T10:00:00.000Z");
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
  });
});

describe("the sweep", () => {
  test("walks the ladder with the clock moved: each step once, even when it runs twice or twice at once", async () => {
    const org = await createOrg("SlaSweep");
    const admin = org.ctx("admin");
    const cal = await saveCalendar(admin, null, KL_OFFICE);
    await savePolicy(admin, null, {
      name: "Fast",
      position: 0,
      calendarId: cal.id,
      // First response only, so the ladder of one clock is followed.
      targets: { normal_first_response: "4h" },
    });
    await saveSlaSettings(admin, {
      escalationUserId: org.users.admin.id,
      escalationEmail: "duty@client.test",
    });
    const { db } = await testDatabase();
    const { teamMembers } = await import("../../../db/schema");
    await db
      .update(teamMembers)
      .set({ isLead: true })
      .where(and(eq(teamMembers.orgId, org.orgId), eq(teamMembers.teamId, org.teamId)));
    // Monday 09:00, assigned to the agent, in the agent's team (whose lead is the agent).
    const ticket = await createTicket(at(org, "agent", "2026-12-21 09:00"), {
      subject: "Ladder",
      body: "Help.",
      requesterEmail: "l@client.test",
      assigneeId: org.users.agent.id,
      teamId: org.teamId,
    });
    const sweep = (kl: string) => sweepSla(db, new Date(`${kl.replace(" ", "T")}:00+08:00`));
    const steps = async () => (await escalations(org.orgId, ticket.id)).map((e) => e.step);

    await sweep("2026-12-21 10:59");
    expect(await steps()).toEqual([]);
    // 50 % of 4 business hours: 11:00.
    expect((await row(ticket.id)).slaAttentionAt?.toISOString()).toBe("2026-12-21T03:00:00.000Z");
    await sweep("2026-12-21 11:00");
    await sweep("2026-12-21 11:00");
    expect(await steps()).toEqual(["remind_assignee"]);
    // 75 %: 12:00; two sweeps at once still record it once.
    await Promise.all([sweep("2026-12-21 12:01"), sweep("2026-12-21 12:01")]);
    expect(await steps()).toEqual(["remind_assignee", "notify_team_lead"]);
    expect((await row(ticket.id)).slaBreached).toBe(false);
    // Breach at 13:00: overdue, supervisor told.
    await sweep("2026-12-21 13:00");
    await sweep("2026-12-21 13:30");
    expect(await steps()).toEqual(["remind_assignee", "notify_team_lead", "overdue_supervisor"]);
    expect((await row(ticket.id)).slaBreached).toBe(true);
    // 24 hours past the breach: the organization's escalation contact.
    await sweep("2026-12-22 12:59");
    expect(await steps()).toHaveLength(3);
    await Promise.all([sweep("2026-12-22 13:00"), sweep("2026-12-22 13:00")]);
    await sweep("2026-12-23 09:00");
    await sweep("2026-12-30 09:00");
    const recorded = await escalations(org.orgId, ticket.id);
    expect(recorded.map((e) => e.step)).toEqual([
      "remind_assignee",
      "notify_team_lead",
      "overdue_supervisor",
      "escalate_organization",
    ]);
    expect(recorded[0].notify).toEqual([org.users.agent.id]);
    expect(recorded[1].notify).toEqual([org.users.agent.id]);
    expect(recorded[2].notify).toEqual([org.users.supervisor.id]);
    expect(recorded[3].notify).toEqual([org.users.admin.id]);
    expect(recorded[3].email).toBe("duty@client.test");
    // The people named were notified once per step, and the outside contact was mailed once.
    const { notifications, outboxMessages } = await import("../../../db/schema");
    const told = await db
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(
        and(
          eq(notifications.orgId, org.orgId),
          eq(notifications.ticketId, ticket.id),
          eq(notifications.kind, "ticket.sla_escalated"),
        ),
      );
    expect(told.filter((n) => n.userId === org.users.agent.id)).toHaveLength(2);
    expect(told.filter((n) => n.userId === org.users.supervisor.id)).toHaveLength(1);
    const duty = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.orgId, org.orgId), eq(outboxMessages.toAddress, "duty@client.test")));
    expect(duty).toHaveLength(1);
    // Nothing left to look for.
    expect((await row(ticket.id)).slaAttentionAt).toBeNull();

    // Answering ends the clock: no longer overdue.
    await addMessage(at(org, "agent", "2026-12-30 10:00"), ticket.number, { kind: "reply", body: "Fixed." });
    expect((await row(ticket.id)).slaBreached).toBe(false);
  });

  test("a paused ticket waits; its steps come due when it runs again", async () => {
    const org = await createOrg("SlaSweepPause");
    const admin = org.ctx("admin");
    const cal = await saveCalendar(admin, null, KL_OFFICE);
    await savePolicy(admin, null, {
      name: "Fast",
      calendarId: cal.id,
      targets: { normal_first_response: "4h" },
    });
    const { db } = await testDatabase();
    const ticket = await createTicket(at(org, "agent", "2026-12-21 09:00"), {
      subject: "Paused",
      body: "Wait.",
      requesterEmail: "p@client.test",
    });
    await updateTicket(at(org, "agent", "2026-12-21 10:00"), ticket.number, { status: "on_hold" });
    await sweepSla(db, new Date("2026-12-22T09:00:00+08:00"));
    expect(await escalations(org.orgId, ticket.id)).toEqual([]);
    await updateTicket(at(org, "agent", "2026-12-22 09:00"), ticket.number, { status: "open" });
    // 1 h used before the pause; 50 % (2 h) is reached at 10:00 on Tuesday.
    expect((await row(ticket.id)).slaAttentionAt?.toISOString()).toBe("2026-12-22T02:00:00.000Z");
    await sweepSla(db, new Date("2026-12-22T10:00:00+08:00"));
    expect((await escalations(org.orgId, ticket.id)).map((e) => e.step)).toEqual(["remind_assignee"]);
  });

  test("in small batches two at once, each ticket's step once; a step that moves no due time leaves the ticket row alone", async () => {
    const org = await createOrg("SlaSweepBatches");
    const admin = org.ctx("admin");
    const cal = await saveCalendar(admin, null, KL_OFFICE);
    await savePolicy(admin, null, {
      name: "Fast",
      position: 0,
      calendarId: cal.id,
      targets: { normal_first_response: "4h" },
    });
    const { db } = await testDatabase();
    const created = [];
    for (let i = 0; i < 7; i++) {
      created.push(
        await createTicket(at(org, "agent", "2026-12-21 09:00"), {
          subject: `Batch ${i}`,
          body: "Help.",
          requesterEmail: `b${i}@client.test`,
        }),
      );
    }
    // The row version: an update writes a new one, a lock does not.
    const version = async (id: string) =>
      (await db.select({ xmin: sql<string>`xmin::text` }).from(tickets).where(eq(tickets.id, id)))[0].xmin;
    const before = await Promise.all(created.map((t) => version(t.id)));
    const sweep = (kl: string) =>
      sweepSla(db, new Date(`${kl.replace(" ", "T")}:00+08:00`), { batch: 2, concurrency: 2 });

    // 50 % of 4 business hours at 11:00: one reminder each, twice swept at once.
    await Promise.all([sweep("2026-12-21 11:00"), sweep("2026-12-21 11:00")]);
    for (const [i, ticket] of created.entries()) {
      expect((await escalations(org.orgId, ticket.id)).map((e) => e.step)).toEqual(["remind_assignee"]);
      const stored = await row(ticket.id);
      // The next look is at 75 % (12:00); the due time and the row did not change.
      expect(stored.slaAttentionAt?.toISOString()).toBe("2026-12-21T04:00:00.000Z");
      expect(stored.slaNextDueAt?.toISOString()).toBe("2026-12-21T05:00:00.000Z");
      expect(await version(ticket.id)).toBe(before[i]);
    }

    // The breach at 13:00 marks each ticket overdue: that is a change of the row.
    await sweep("2026-12-21 13:00");
    for (const [i, ticket] of created.entries()) {
      expect((await escalations(org.orgId, ticket.id)).map((e) => e.step)).toEqual([
        "remind_assignee",
        "notify_team_lead",
        "overdue_supervisor",
      ]);
      expect((await row(ticket.id)).slaBreached).toBe(true);
      expect(await version(ticket.id)).not.toBe(before[i]);
    }
  });
});
