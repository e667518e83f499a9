// Thirty days of a help desk with the clock moved: tickets arrive at random moments, agents answer,
// customers write back, tickets wait and get solved, and every two hours the SLA sweep and the
// time-based rules run as their jobs would. At the end every escalation that came due was recorded
// exactly once (none twice, none missing), and the "24 hours pending" rule acted once per episode.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq, inArray } from "drizzle-orm";
import { events, tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { seededRandom } from "../ai/metrics";
import { saveRule } from "../automation/rules";
import { runTimeRules } from "../automation/timeRules";
import { customerActor } from "../context";
import { addMessage, createTicket, updateTicket } from "../tickets/commands";
import { saveCalendar, savePolicy, saveSlaSettings } from "./admin";
import { dueEscalations, recordedEscalations, SLA_ESCALATED_EVENT } from "./escalation";
import { sweepSla } from "./sweep";
import { deriveClocks, loadOrgSla, ticketFacts, ticketLogs } from "./tickets";

// March 2021, long before any other test's tickets come due, so the sweep meets only these.
const START = new Date("2021-03-01T00:00:00+08:00");
const HOUR = 3_600_000;
const DAYS = 30;
const STEP_HOURS = 2;
const at = (hours: number) => new Date(START.getTime() + hours * HOUR);

let org: Fixture;
const RULE = "Nudge after 24 h pending";

beforeAll(async () => {
  org = await createOrg("Simulation");
  const admin = org.ctx("admin", START);
  const { id: calendarId } = await saveCalendar(admin, null, {
    name: "KL office",
    timeZone: "Asia/Kuala_Lumpur",
    hours: { 1: "09:00-18:00", 2: "09:00-18:00", 3: "09:00-18:00", 4: "09:00-18:00", 5: "09:00-18:00" },
    holidays: "2021-03-11 Isra and Mi'raj",
    isDefault: true,
  });
  await savePolicy(admin, null, {
    name: "Standard",
    position: 10,
    calendarId,
    targets: {
      normal_first_response: "4h",
      normal_next_response: "8h",
      normal_resolution: "24h",
      urgent_first_response: "1h",
      urgent_next_response: "2h",
      urgent_resolution: "6h",
    },
  });
  await saveSlaSettings(admin, { escalationUserId: org.users.supervisor.id });
  await saveRule(admin, null, {
    name: RULE,
    trigger: "time.in_pending",
    hours: "24",
    actions: [{ type: "add_tags", value: "nudged" }],
  });
});

describe("thirty simulated days", () => {
  test("every escalation fires exactly once and the time rule once per pending episode", async () => {
    const { db } = await testDatabase();
    const random = seededRandom(20210301);
    const open: { id: string; contactId: string; waiting: boolean }[] = [];
    let escalations = 0;
    for (let hour = 0; hour < DAYS * 24; hour += STEP_HOURS) {
      // Work happens at random minutes inside the step; the jobs run at its end.
      const moment = () => at(hour + random() * STEP_HOURS * 0.9);
      if (random() < 0.45) {
        const created = await createTicket(org.ctx("agent", moment()), {
          subject: `Problem ${hour}`,
          body: "Something is wrong",
          requesterEmail: `c${hour % 7}@client.test`,
          priority: random() < 0.25 ? "urgent" : "normal",
        });
        open.push({ id: created.id, contactId: created.contactId, waiting: false });
      }
      for (const ticket of [...open]) {
        const roll = random();
        const now = moment();
        if (roll < 0.08 && !ticket.waiting) {
          await addMessage(org.ctx("agent", now), ticket.id, {
            kind: "reply",
            body: "Please try this",
            status: "pending",
          });
          ticket.waiting = true;
        } else if (roll < 0.12 && ticket.waiting) {
          // The customer writes back by mail: the ticket reopens and a next-response clock starts.
          const customer = customerActor(org.orgId, { id: ticket.contactId, name: "Customer" });
          await addMessage({ db, actor: customer, now }, ticket.id, { kind: "reply", body: "Still broken" });
          ticket.waiting = false;
        } else if (roll < 0.15) {
          await updateTicket(org.ctx("agent", now), ticket.id, { status: "solved" });
          open.splice(open.indexOf(ticket), 1);
        }
      }
      const end = at(hour + STEP_HOURS);
      escalations += (await sweepSla(db, end)).escalations;
      await runTimeRules(db, end);
    }
    const finish = at(DAYS * 24);

    const ids = (await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.orgId, org.orgId))).map(
      (t) => t.id,
    );
    expect(ids.length).toBeGreaterThan(100);
    expect(escalations).toBeGreaterThan(50);

    // None twice: each ticket's escalation keys are distinct.
    const recorded = await db
      .select({ ticketId: events.ticketId, data: events.data })
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.type, SLA_ESCALATED_EVENT)));
    const keys = recorded.map((e) => `${e.ticketId}|${(e.data as { key: string }).key}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(escalations);

    // None missing: at the end, no ticket has a step that came due and was not recorded.
    const sla = await loadOrgSla(db, org.orgId);
    const [logs, facts] = await Promise.all([
      ticketLogs(db, org.orgId, ids),
      ticketFacts(db, org.orgId, ids),
    ]);
    const missing = ids.flatMap((id) => {
      const log = logs.get(id) ?? [];
      const derived = deriveClocks(sla, facts.get(id)!, log, finish);
      return derived ? dueEscalations(derived.clocks.clocks, recordedEscalations(log), finish) : [];
    });
    expect(missing).toEqual([]);

    // The time rule: once per pending episode that lasted long enough for a run to see it.
    const applied = await db
      .select({ ticketId: events.ticketId, data: events.data })
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.type, "automation.rule_applied")))
      .orderBy(asc(events.seq));
    const appliedPer = new Map<string, number>();
    for (const e of applied)
      if ((e.data as { name?: string }).name === RULE)
        appliedPer.set(e.ticketId!, (appliedPer.get(e.ticketId!) ?? 0) + 1);
    const statusChanges = await db
      .select({ ticketId: events.ticketId, data: events.data, createdAt: events.createdAt })
      .from(events)
      .where(and(eq(events.orgId, org.orgId), inArray(events.type, ["ticket.status_changed"])))
      .orderBy(asc(events.seq));
    let checked = 0;
    for (const id of ids) {
      const changes = statusChanges.filter((c) => c.ticketId === id);
      const episodes: number[] = [];
      let since: number | null = null;
      for (const c of changes) {
        const to = (c.data as { to: string }).to;
        if (to === "pending") since = c.createdAt.getTime();
        else if (since !== null) {
          episodes.push(c.createdAt.getTime() - since);
          since = null;
        }
      }
      if (since !== null) episodes.push(finish.getTime() - since);
      const sure = episodes.filter((ms) => ms >= (24 + STEP_HOURS) * HOUR).length;
      const possible = episodes.filter((ms) => ms >= 24 * HOUR).length;
      const got = appliedPer.get(id) ?? 0;
      expect(got).toBeGreaterThanOrEqual(sure);
      expect(got).toBeLessThanOrEqual(possible);
      checked += sure;
    }
    expect(checked).toBeGreaterThan(3);
  }, 120_000);
});
