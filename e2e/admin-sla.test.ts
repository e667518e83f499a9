// Journey: an admin sets up business hours (importing holidays from an .ics file) and an SLA
// policy in the forms, gets a typing mistake pointed out without losing what was typed, and the
// customer's existing ticket shows its SLA on the agent's ticket page once the server's recompute
// job has run — the whole path from the form to the due time, in a real browser and server.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signIn } from "./browser";
import { type Journey, startJourney } from "./harness";

const ICS = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "BEGIN:VEVENT",
  "DTSTART;VALUE=DATE:20261225",
  "SUMMARY:Christmas Day",
  "END:VEVENT",
  "END:VCALENDAR",
].join("\r\n");

let journey: Journey | undefined;

beforeAll(async () => {
  journey = await startJourney({ label: "Sla", tickets: ["Cold room alarm"] });
}, 60_000);

afterAll(async () => {
  await journey?.close();
});

describe("an admin and an agent", () => {
  test("set up business hours and a policy; the ticket shows its SLA", async () => {
    const { base, world } = journey!;
    const admin = await (await journey!.person()).newPage();
    await signIn(admin, base, world.admin.email);

    // A calendar with the .ics import.
    await admin.goto(`${base}/admin/calendars/new`);
    await admin.getByLabel("Name").fill(`Office ${world.tag}`);
    await admin.getByLabel("Default calendar").check();
    await admin.getByLabel("Import holidays from an iCalendar file (.ics)").setInputFiles({
      name: "holidays.ics",
      mimeType: "text/calendar",
      buffer: Buffer.from(ICS),
    });
    await Promise.all([
      admin.waitForURL(/\/admin\/calendars\/[0-9a-f-]{36}\?notice=calendar-saved/),
      admin.getByRole("button", { name: "Create calendar" }).click(),
    ]);
    expect(await admin.getByRole("status").textContent()).toContain("1 holiday imported");
    expect(await admin.getByLabel("Holidays, one per line").inputValue()).toContain(
      "2026-12-25 Christmas Day",
    );

    // A policy, first with a mistake in one target.
    await admin.goto(`${base}/admin/sla/policies/new`);
    await admin.getByLabel("Name").fill("Gold");
    await admin.getByLabel("First response for normal priority").fill("8 hours please");
    await admin.getByLabel("Resolution for normal priority").fill("40h");
    await admin.getByRole("button", { name: "Create policy" }).click();
    await admin.waitForSelector(".field.invalid #target_normal_first_response");
    expect(await admin.locator("#target_normal_first_response-error").textContent()).toContain(
      "8 hours please",
    );
    expect(await admin.getByLabel("Resolution for normal priority").inputValue()).toBe("40h");
    await admin.getByLabel("First response for normal priority").fill("8h");
    await Promise.all([
      admin.waitForURL(`${base}/admin/sla?notice=policy-saved`),
      admin.getByRole("button", { name: "Create policy" }).click(),
    ]);
    expect(await admin.locator("tr[data-policy]").textContent()).toContain("Gold");

    // The ticket existed before the policy: the recompute job gives it its due times.
    const agent = await (await journey!.person()).newPage();
    await signIn(agent, base, world.agent.email);
    const ticketUrl = `${base}/desk/tickets/${world.tickets[0]}`;
    let panel = "";
    for (let attempt = 0; attempt < 40 && !panel.includes("policy Gold"); attempt++) {
      if (attempt) await agent.waitForTimeout(250);
      await agent.goto(ticketUrl);
      panel = (await agent.locator("#sla").textContent()) ?? "";
    }
    expect(panel).toContain("policy Gold");
    expect(panel).toContain(`business hours of Office ${world.tag}`);
    expect(await agent.locator('#sla [data-target="first_response"] time').count()).toBe(1);
    await agent.goto(`${base}/desk/tickets?view=open&sort=sla_due_at`);
    const due = agent.locator(`tr[data-ticket="${world.tickets[0]}"] td.sla-due time`);
    expect(await due.count()).toBe(1);
  }, 60_000);
});
