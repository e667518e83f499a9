// Time on tickets: the server-side timer (one per person), typed entries and their checks,
// totals, and who may change whose entries. Time moves through the context's clock.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture } from "../../../test/helpers";
import { createTicket } from "../tickets/commands";
import {
  addTimeEntry,
  deleteTimeEntry,
  parseDuration,
  startTimer,
  stopTimer,
  ticketTime,
  updateTimeEntry,
} from "./ticketTime";

let org: Fixture;
let other: Fixture;
const t0 = new Date("2026-03-02T01:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

beforeAll(async () => {
  org = await createOrg("Time");
  other = await createOrg("Time elsewhere");
});

async function ticket(subject: string) {
  return createTicket(org.ctx("agent", t0), { subject, body: "x", requesterEmail: "t@client.test" });
}

describe("durations", () => {
  test("reads the ways people type time", () => {
    expect(parseDuration("90")).toBe(90);
    expect(parseDuration("1:30")).toBe(90);
    expect(parseDuration("1h 30m")).toBe(90);
    expect(parseDuration("1.5h")).toBe(90);
    expect(parseDuration("45m")).toBe(45);
    expect(parseDuration("2 hours")).toBe(120);
    expect(parseDuration("soon")).toBeUndefined();
    expect(parseDuration("")).toBeUndefined();
  });
});

describe("timer", () => {
  test("runs on the server; starting another stops the first; stopping books the minutes", async () => {
    const a = await ticket("Timer A");
    const b = await ticket("Timer B");
    await startTimer(org.ctx("agent", t0), a.number);
    await expect(startTimer(org.ctx("agent", at(1)), a.number)).rejects.toMatchObject({ status: 409 });
    // A reload reads it back from the database.
    const running = await ticketTime(org.ctx("agent", at(10)), a.id);
    expect(running.running?.startedAt).toEqual(t0);
    expect((await ticketTime(org.ctx("agent", at(10)), b.id)).runningElsewhere?.number).toBe(a.number);

    const { stopped } = await startTimer(org.ctx("agent", at(25)), b.number, { billable: false });
    expect(stopped?.minutes).toBe(25);
    expect(stopped?.ticketId).toBe(a.id);
    const onA = await ticketTime(org.ctx("agent", at(26)), a.id);
    expect(onA.running).toBeNull();
    expect(onA.billableMinutes).toBe(25);

    const finished = await stopTimer(org.ctx("agent", at(65)), b.number);
    expect(finished.minutes).toBe(40);
    const onB = await ticketTime(org.ctx("agent", at(66)), b.id);
    expect(onB).toMatchObject({ billableMinutes: 0, nonBillableMinutes: 40, running: null });
    await expect(stopTimer(org.ctx("agent", at(70)), b.number)).rejects.toMatchObject({ status: 409 });
    // Each person has their own timer.
    await startTimer(org.ctx("supervisor", at(70)), b.number);
    await startTimer(org.ctx("agent", at(70)), b.number);
    expect(
      (await ticketTime(org.ctx("agent", at(71)), b.id)).entries.filter((e) => e.endedAt === null),
    ).toHaveLength(2);
  });

  test("is for staff who work tickets, in their own organization", async () => {
    const t = await ticket("Timer rights");
    await expect(startTimer(org.ctx("dispatcher", t0), t.number)).rejects.toMatchObject({ status: 403 });
    await expect(startTimer(other.ctx("agent", t0), t.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe("entries", () => {
  test("checks what is typed, totals billable and not, and lets authors or supervisors change them", async () => {
    const t = await ticket("Entries");
    const agent = org.ctx("agent", at(600));
    await expect(addTimeEntry(agent, t.number, { duration: "lots" })).rejects.toMatchObject({
      fields: { duration: expect.stringContaining("45m") },
    });
    await expect(addTimeEntry(agent, t.number, { duration: "25h" })).rejects.toMatchObject({
      fields: { duration: "One entry holds at most 24 hours." },
    });
    await expect(addTimeEntry(agent, t.number, { duration: "0" })).rejects.toMatchObject({
      fields: { duration: "Enter at least one minute." },
    });
    await expect(
      addTimeEntry(agent, t.number, { duration: "1h", startedAt: "2026-03-02T20:00" }),
    ).rejects.toMatchObject({ fields: { startedAt: "Time cannot be booked in the future." } });
    // 09:00 in Kuala Lumpur (the organization's zone) is 01:00 UTC.
    const typed = await addTimeEntry(agent, t.number, {
      duration: "1h 30m",
      startedAt: "2026-03-02T09:00",
      note: "Remote session",
    });
    expect(typed.startedAt).toEqual(t0);
    expect(typed.endedAt).toEqual(at(90));
    await addTimeEntry(agent, t.number, { duration: "15", billable: false });
    expect(await ticketTime(agent, t.id)).toMatchObject({ billableMinutes: 90, nonBillableMinutes: 15 });

    const colleague = await addTimeEntry(org.ctx("admin", at(600)), t.number, { duration: "10m" });
    await expect(updateTimeEntry(agent, t.number, colleague.id, { duration: "20m" })).rejects.toMatchObject({
      status: 403,
    });
    await expect(deleteTimeEntry(agent, t.number, colleague.id)).rejects.toMatchObject({ status: 403 });
    await updateTimeEntry(org.ctx("supervisor", at(600)), t.number, colleague.id, {
      duration: "20m",
      billable: false,
    });
    await updateTimeEntry(agent, t.number, typed.id, {
      duration: "2h",
      startedAt: "2026-03-02T09:00",
      billable: true,
    });
    expect(await ticketTime(agent, t.id)).toMatchObject({ billableMinutes: 120, nonBillableMinutes: 35 });
    await deleteTimeEntry(agent, t.number, typed.id);
    expect((await ticketTime(agent, t.id)).billableMinutes).toBe(0);
    await expect(deleteTimeEntry(other.ctx("supervisor", at(600)), t.id, colleague.id)).rejects.toMatchObject(
      {
        status: 404,
      },
    );
  });
});
