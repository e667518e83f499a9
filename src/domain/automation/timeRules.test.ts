// Time-based rules against a real database, the clock moved through `now`: a rule acts when its
// hours have passed, once per episode, again in the next episode, only when its conditions hold,
// never twice when the job runs twice, and only on its own organization's tickets.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { events, tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { createTicket, updateTicket } from "../tickets/commands";
import { dryRun, saveRule } from "./rules";
import { runTimeRules } from "./timeRules";

const T0 = new Date("2026-11-02T00:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
let org: Fixture;
let other: Fixture;

beforeAll(async () => {
  [org, other] = await Promise.all([createOrg("TimeRules"), createOrg("TimeRulesOther")]);
});

async function ticketRow(id: string) {
  const { db } = await testDatabase();
  const [row] = await db.select().from(tickets).where(eq(tickets.id, id));
  return row;
}

async function applied(ticketId: string, ruleName: string) {
  const { db } = await testDatabase();
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.ticketId, ticketId), eq(events.type, "automation.rule_applied")));
  return rows.filter((e) => (e.data as { name?: string }).name === ruleName).length;
}

describe("time-based rules", () => {
  test("'48 hours in pending' acts once when the time comes, and again after the ticket is pending anew", async () => {
    const { db } = await testDatabase();
    await saveRule(org.ctx("admin", T0), null, {
      name: "Nudge after 48 h pending",
      trigger: "time.in_pending",
      hours: "48",
      actions: [{ type: "add_tags", value: "nudged" }],
    });
    const ticket = await createTicket(org.ctx("agent", T0), {
      subject: "Waiting on the customer",
      body: "Sent a question",
      requesterEmail: "waiting@example.test",
    });
    await updateTicket(org.ctx("agent", at(1)), ticket.id, { status: "pending" });
    await runTimeRules(db, at(48));
    expect(await applied(ticket.id, "Nudge after 48 h pending")).toBe(0);
    await runTimeRules(db, at(49.5));
    expect(await applied(ticket.id, "Nudge after 48 h pending")).toBe(1);
    expect((await ticketRow(ticket.id)).tags).toContain("nudged");
    await runTimeRules(db, at(60));
    expect(await applied(ticket.id, "Nudge after 48 h pending")).toBe(1);

    // The customer answered (open), then the agent asked again (pending): a new episode.
    await updateTicket(org.ctx("agent", at(71)), ticket.id, { status: "open" });
    await updateTicket(org.ctx("agent", at(72)), ticket.id, { status: "pending" });
    await runTimeRules(db, at(100));
    expect(await applied(ticket.id, "Nudge after 48 h pending")).toBe(1);
    await runTimeRules(db, at(121));
    expect(await applied(ticket.id, "Nudge after 48 h pending")).toBe(2);
  });

  test("conditions are checked when the time comes, and again once the ticket changes", async () => {
    const { db } = await testDatabase();
    await saveRule(org.ctx("admin", T0), null, {
      name: "Urgent and untouched for a day",
      trigger: "time.since_created",
      hours: "24",
      conditions: [{ field: "priority", op: "is", value: "urgent" }],
      actions: [{ type: "add_note", value: "Still open after a day." }],
    });
    const ticket = await createTicket(org.ctx("agent", T0), {
      subject: "Lift stuck",
      body: "Between floors",
      requesterEmail: "lift@example.test",
    });
    await runTimeRules(db, at(25));
    expect(await applied(ticket.id, "Urgent and untouched for a day")).toBe(0);
    await updateTicket(org.ctx("agent", at(26)), ticket.id, { priority: "urgent" });
    await runTimeRules(db, at(27));
    expect(await applied(ticket.id, "Urgent and untouched for a day")).toBe(1);
    await runTimeRules(db, at(200));
    expect(await applied(ticket.id, "Urgent and untouched for a day")).toBe(1);
  });

  test("two runs at once act once; another organization's tickets are left alone", async () => {
    const { db } = await testDatabase();
    await saveRule(other.ctx("admin", T0), null, {
      name: "Close a solved ticket after three days",
      trigger: "time.since_solved",
      hours: "72",
      actions: [{ type: "set_status", value: "closed" }],
    });
    const mine = await createTicket(other.ctx("agent", T0), {
      subject: "Invoice copy",
      body: "Please resend",
      requesterEmail: "invoice@example.test",
    });
    await updateTicket(other.ctx("agent", at(2)), mine.id, { status: "solved" });
    const theirs = await createTicket(org.ctx("agent", T0), {
      subject: "Solved elsewhere",
      body: "x",
      requesterEmail: "else@example.test",
    });
    await updateTicket(org.ctx("agent", at(2)), theirs.id, { status: "solved" });
    await Promise.all([runTimeRules(db, at(80)), runTimeRules(db, at(80))]);
    expect(await applied(mine.id, "Close a solved ticket after three days")).toBe(1);
    expect((await ticketRow(mine.id)).status).toBe("closed");
    expect((await ticketRow(theirs.id)).status).toBe("solved");
  });

  test("the hours are checked in the form, and the dry run says when the time comes", async () => {
    await expect(
      saveRule(org.ctx("admin", T0), null, {
        name: "No hours",
        trigger: "time.since_updated",
        hours: "",
        actions: [{ type: "add_tags", value: "x" }],
      }),
    ).rejects.toMatchObject({ status: 422, fields: { hours: expect.stringContaining("whole number") } });
    const id = await saveRule(org.ctx("admin", T0), null, {
      name: "Quiet for 10 hours",
      trigger: "time.since_updated",
      hours: "10",
      actions: [{ type: "add_tags", value: "quiet" }],
    });
    const ticket = await createTicket(org.ctx("agent", at(0)), {
      subject: "Dry run subject",
      body: "x",
      requesterEmail: "dry@example.test",
    });
    const early = await dryRun(org.ctx("admin", at(3)), id, String(ticket.number));
    expect(early.timing).toMatchObject({ due: false, text: expect.stringContaining("Last updated 3 h ago") });
    const late = await dryRun(org.ctx("admin", at(11)), id, String(ticket.number));
    expect(late.timing).toMatchObject({ due: true, text: expect.stringContaining("has come") });
  });
});
