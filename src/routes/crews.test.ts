// Crews: a dispatcher makes one (a one-person crew is refused with the ticks kept), schedules a visit
// for it and every member is booked; others may not, and other organizations' crews are not there.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { appointmentTechnicians, users } from "../../db/schema";
import { createOrg, type Fixture, PASSWORD, parse, signedIn, testDatabase } from "../../test/helpers";
import { formatWorkOrderNumber } from "../domain/fsm/rules";
import { createWorkOrder } from "../domain/fsm/workOrders";

let home: Fixture;
let away: Fixture;
let second: string;

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("Crews"), createOrg("CrewsAway")]);
  const { db } = await testDatabase();
  [{ id: second }] = await db
    .insert(users)
    .values({
      orgId: home.orgId,
      email: `tech2-${home.orgId.slice(0, 6)}@crews.test`,
      name: "Second Tech",
      role: "technician",
      passwordHash: await Bun.password.hash(PASSWORD),
    })
    .returning({ id: users.id });
});

describe("crews", () => {
  test("a crew is made of two or more technicians; scheduling it books them all", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const alone = await dispatcher.post("/fsm/crews", {
      name: "Chiller team",
      memberIds: [home.users.technician.id],
    });
    expect(alone.status).toBe(422);
    const form = parse(await alone.text());
    expect(form.querySelector("#name")?.getAttribute("value")).toBe("Chiller team");
    expect(form.querySelector(`input[value="${home.users.technician.id}"]`)?.hasAttribute("checked")).toBe(
      true,
    );
    const saved = await dispatcher.post("/fsm/crews", {
      name: "Chiller team",
      memberIds: [home.users.technician.id, second],
    });
    expect(saved.status).toBe(303);
    const list = await dispatcher.page("/fsm/crews");
    const crewId = list.document.querySelector("li[data-crew]")!.getAttribute("data-crew")!;
    expect(list.document.querySelector("li[data-crew]")?.textContent).toContain("Second Tech");

    const wo = await createWorkOrder(home.ctx("dispatcher"), {
      subject: "Chiller overhaul",
      contactId: home.users.customer.contactId,
    });
    const number = formatWorkOrderNumber(wo.number);
    const scheduled = await dispatcher.post(`/fsm/work-orders/${number}/appointments`, {
      override: "1",
      startsAt: "2026-12-01T09:00",
      minutes: "240",
      technicianIds: "",
      crewId,
    });
    expect(scheduled.status).toBe(303);
    const { db } = await testDatabase();
    const booked = (
      await db.select().from(appointmentTechnicians).where(eq(appointmentTechnicians.orgId, home.orgId))
    ).map((r) => r.userId);
    expect(booked.sort()).toEqual([home.users.technician.id, second].sort());

    const agent = await signedIn(home, "agent");
    expect((await agent.get("/fsm/crews")).status).toBe(403);
    const stranger = await signedIn(away, "dispatcher");
    expect((await stranger.post(`/fsm/crews/${crewId}/delete`)).status).toBe(404);
    expect((await stranger.page("/fsm/crews")).document.querySelector("li[data-crew]")).toBeNull();
  });
});
