// Timesheets against a real database: travel and work come from what the phone recorded, manual
// entries are validated, submitting freezes the day, and only supervisors decide.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture } from "../../../test/helpers";
import { toggleTimer } from "./field";
import {
  addTimesheetEntry,
  decideTimesheet,
  getTimesheet,
  listTimesheets,
  removeTimesheetEntry,
  submitTimesheet,
} from "./timesheets";
import { changeAppointmentStatus, createWorkOrder, scheduleAppointment } from "./workOrders";

// 2026-11-23 in Kuala Lumpur (UTC+8): 09:00 local is 01:00Z.
const DAY = "2026-11-23";
const at = (hhmm: string) => new Date(`${DAY}T${hhmm}:00+08:00`);
let org: Fixture;
let other: Fixture;

beforeAll(async () => {
  [org, other] = await Promise.all([createOrg("Sheets"), createOrg("OtherSheets")]);
});

async function workedDay(f: Fixture) {
  const wo = await createWorkOrder(f.ctx("dispatcher", at("08:00")), { subject: "Install split unit" });
  const appointment = await scheduleAppointment(f.ctx("dispatcher", at("08:00")), wo.id, {
    override: true,
    startsAt: at("10:00"),
    endsAt: at("12:00"),
    technicianIds: [f.users.technician.id],
  });
  const tech = (hhmm: string) => f.ctx("technician", at(hhmm));
  await changeAppointmentStatus(tech("09:15"), appointment.id, { status: "travelling" });
  await changeAppointmentStatus(tech("09:55"), appointment.id, { status: "on_site" });
  await toggleTimer(tech("10:00"), appointment.id, "start");
  await toggleTimer(tech("11:30"), appointment.id, "stop");
  await changeAppointmentStatus(tech("11:35"), appointment.id, { status: "completed" });
  return wo;
}

describe("timesheets", () => {
  test("the day shows travel and work from the visit, plus manual entries, with totals", async () => {
    await workedDay(org);
    const tech = org.ctx("technician", at("17:00"));
    await addTimesheetEntry(tech, { day: DAY, kind: "break", from: "12:00", to: "12:45", note: "Lunch" });
    await addTimesheetEntry(tech, {
      day: DAY,
      kind: "travel",
      from: "13:00",
      to: "13:30",
      note: "To the warehouse",
    });
    const sheet = await getTimesheet(tech, { day: DAY });
    expect(sheet.lines.map((l) => [l.kind, l.minutes])).toEqual([
      ["travel", 40],
      ["work", 90],
      ["break", 45],
      ["travel", 30],
    ]);
    expect(sheet.lines[0].label).toContain("Install split unit");
    expect(sheet.totals).toEqual({ total: 160, travel: 70, work: 90, break: 45 });
    expect(sheet.status).toBe("open");
    expect(sheet.editable).toBe(true);
  });

  test("manual entries are checked; a submitted day is frozen until sent back", async () => {
    const tech = other.ctx("technician", at("17:00"));
    await expect(
      addTimesheetEntry(tech, { day: DAY, kind: "nap", from: "9", to: "08:00" }),
    ).rejects.toMatchObject({
      status: 422,
      fields: { kind: expect.any(String), from: expect.any(String) },
    });
    await expect(
      addTimesheetEntry(tech, { day: DAY, kind: "work", from: "10:00", to: "09:00" }),
    ).rejects.toMatchObject({
      fields: { to: "The end must come after the start." },
    });
    await expect(submitTimesheet(tech, DAY)).rejects.toMatchObject({ status: 409 });
    const entry = await addTimesheetEntry(tech, { day: DAY, kind: "training", from: "14:00", to: "16:00" });
    await submitTimesheet(tech, DAY);
    await expect(
      addTimesheetEntry(tech, { day: DAY, kind: "work", from: "16:00", to: "17:00" }),
    ).rejects.toMatchObject({
      status: 409,
    });
    await expect(removeTimesheetEntry(tech, entry.id)).rejects.toMatchObject({ status: 409 });
    expect((await getTimesheet(tech, { day: DAY })).editable).toBe(false);

    await expect(
      decideTimesheet(other.ctx("dispatcher"), {
        userId: other.users.technician.id,
        day: DAY,
        decision: "approve",
      }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      decideTimesheet(other.ctx("supervisor"), {
        userId: other.users.technician.id,
        day: DAY,
        decision: "reject",
      }),
    ).rejects.toMatchObject({ fields: { note: "Say what needs correcting." } });
    const waiting = await listTimesheets(other.ctx("supervisor"));
    expect(waiting.map((s) => [s.userName, s.day, s.totals.total])).toEqual([
      [other.users.technician.name, DAY, 120],
    ]);
    await decideTimesheet(other.ctx("supervisor"), {
      userId: other.users.technician.id,
      day: DAY,
      decision: "reject",
      note: "Training was 14:00–15:00",
    });
    const back = await getTimesheet(tech, { day: DAY });
    expect(back).toMatchObject({
      status: "rejected",
      editable: true,
      decisionNote: "Training was 14:00–15:00",
    });
    await removeTimesheetEntry(tech, entry.id);
    await addTimesheetEntry(tech, { day: DAY, kind: "training", from: "14:00", to: "15:00" });
    await submitTimesheet(tech, DAY);
    await decideTimesheet(other.ctx("supervisor"), {
      userId: other.users.technician.id,
      day: DAY,
      decision: "approve",
    });
    const approved = await getTimesheet(other.ctx("supervisor"), {
      day: DAY,
      userId: other.users.technician.id,
    });
    expect(approved).toMatchObject({ status: "approved", totals: { total: 60, training: 60 } });
    await expect(
      decideTimesheet(other.ctx("supervisor"), {
        userId: other.users.technician.id,
        day: DAY,
        decision: "reject",
        note: "x",
      }),
    ).rejects.toMatchObject({ status: 409 });
  });

  test("a technician reads only their own day; another organization reads nobody's", async () => {
    await expect(
      getTimesheet(org.ctx("technician"), { day: DAY, userId: org.users.dispatcher.id }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      getTimesheet(other.ctx("supervisor"), { day: DAY, userId: org.users.technician.id }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(getTimesheet(org.ctx("agent"), { day: DAY })).rejects.toMatchObject({ status: 403 });
    expect(await listTimesheets(org.ctx("supervisor"))).toEqual([]);
  });
});
