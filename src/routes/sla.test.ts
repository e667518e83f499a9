// SLA admin forms through HTML (validation, .ics import, permissions) and the SLA on the desk:
// the ticket page's explanation and the list's due column.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { businessCalendars, calendarHolidays, slaPolicies } from "../../db/schema";
import { type Client, createOrg, type Fixture, signedIn, testApp, testDatabase } from "../../test/helpers";
import { createApiToken } from "../domain/auth/tokens";
import { saveCalendar, savePolicy } from "../domain/sla/admin";
import { sweepSla } from "../domain/sla/sweep";
import { createTicket, updateTicket } from "../domain/tickets/commands";

let org: Fixture;
let admin: Client;

const WEEKDAYS = { hours_1: "09:00-18:00", hours_2: "09:00-18:00", hours_3: "09:00-18:00" };

const ICS = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "BEGIN:VEVENT",
  "DTSTART;VALUE=DATE:20260831",
  "SUMMARY:Hari Merdeka",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "DTSTART;VALUE=DATE:20260916",
  "SUMMARY:Hari Malaysia",
  "END:VEVENT",
  "END:VCALENDAR",
].join("\r\n");

beforeAll(async () => {
  org = await createOrg("SlaRoutes");
  admin = await signedIn(org, "admin");
});

async function calendarsOf(orgId: string) {
  const { db } = await testDatabase();
  return db.select().from(businessCalendars).where(eq(businessCalendars.orgId, orgId));
}

describe("/admin/calendars", () => {
  test("bad hours re-render the form with the field marked and everything typed kept", async () => {
    const response = await admin.post("/admin/calendars", {
      name: "Support <hours>",
      timeZone: "Asia/Kuala_Lumpur",
      ...WEEKDAYS,
      hours_2: "9 till 5",
      holidays: "2026-12-25 Christmas Day",
    });
    expect(response.status).toBe(422);
    const { parse } = await import("../../test/helpers");
    const doc = parse(await response.text());
    const field = doc.querySelector("#hours_2")!.closest(".field")!;
    expect(field.classList.contains("invalid")).toBe(true);
    expect(field.querySelector(".field-error")!.textContent).toContain("09:00-18:00");
    expect(doc.querySelector<HTMLInputElement>("#hours_2")!.getAttribute("value")).toBe("9 till 5");
    expect(doc.querySelector("#name")!.getAttribute("value")).toBe("Support <hours>");
    expect(doc.querySelector("#holidays")!.textContent).toBe("2026-12-25 Christmas Day");
    expect(doc.querySelector("[role=alert]")).not.toBeNull();
    expect(await calendarsOf(org.orgId)).toHaveLength(0);
  });

  test("creating with an .ics upload imports its holidays; editing keeps them", async () => {
    const response = await admin.post("/admin/calendars", {
      name: "KL office",
      timeZone: "Asia/Kuala_Lumpur",
      ...WEEKDAYS,
      hours_5: "22:00-06:00",
      isDefault: "1",
      holidays: "2026-12-24 13:00-24:00 Christmas Eve",
      ics: new File([ICS], "holidays.ics", { type: "text/calendar" }),
    });
    expect(response.status).toBe(303);
    const location = response.headers.get("location")!;
    expect(location).toMatch(
      /^\/admin\/calendars\/[0-9a-f-]{36}\?notice=calendar-saved&imported=2&skipped=0$/,
    );
    const page = await admin.page(location);
    expect(page.document.querySelector("[role=status]")!.textContent).toContain("2 holidays imported");
    expect(page.document.querySelector("#holidays")!.textContent).toBe(
      "2026-08-31 Hari Merdeka\n2026-09-16 Hari Malaysia\n2026-12-24 13:00-24:00 Christmas Eve",
    );
    expect(page.document.querySelector("#hours_5")!.getAttribute("value")).toBe("22:00-06:00");
    const list = await admin.page("/admin/calendars");
    const row = list.document.querySelector("tr[data-calendar]")!;
    expect(row.textContent).toContain("KL office");
    expect(row.textContent).toContain("Default");
  });

  test("a file that is not a calendar marks the upload field", async () => {
    const response = await admin.post("/admin/calendars", {
      name: "Broken import",
      timeZone: "Asia/Kuala_Lumpur",
      ...WEEKDAYS,
      ics: new File(["BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nthis is not ics\r\n"], "x.ics"),
    });
    expect(response.status).toBe(422);
    const { parse } = await import("../../test/helpers");
    const doc = parse(await response.text());
    const field = doc.querySelector("#ics")!.closest(".field")!;
    expect(field.classList.contains("invalid")).toBe(true);
    expect(field.querySelector(".field-error")!.textContent).toContain("Line");
  });

  test("a calendar a policy uses cannot be deleted; an unused one can", async () => {
    const ctx = org.ctx("admin");
    const used = await saveCalendar(ctx, null, {
      name: "Used",
      timeZone: "UTC",
      hours: { 1: "08:00-16:00" },
      holidays: "",
    });
    await savePolicy(ctx, null, {
      name: "Uses it",
      calendarId: used.id,
      targets: { normal_resolution: "8h" },
    });
    const refused = await admin.post(`/admin/calendars/${used.id}/delete`, {});
    expect(refused.status).toBe(409);
    const { parse } = await import("../../test/helpers");
    expect(parse(await refused.text()).querySelector("[role=alert]")!.textContent).toContain("Uses it");
    const unused = await saveCalendar(ctx, null, {
      name: "Unused",
      timeZone: "UTC",
      hours: { 2: "08:00-16:00" },
      holidays: "",
    });
    const deleted = await admin.post(`/admin/calendars/${unused.id}/delete`, {});
    expect(deleted.status).toBe(303);
    expect((await calendarsOf(org.orgId)).map((c) => c.name)).not.toContain("Unused");
    const { db } = await testDatabase();
    expect(
      await db
        .select()
        .from(calendarHolidays)
        .where(and(eq(calendarHolidays.orgId, org.orgId), eq(calendarHolidays.calendarId, unused.id))),
    ).toHaveLength(0);
  });
});

describe("/admin/sla", () => {
  test("a bad target re-renders the policy form with the cell marked and the ticks kept", async () => {
    const response = await admin.post("/admin/sla/policies", {
      name: "Gold",
      position: "5",
      active: "1",
      priorities: ["high", "urgent"],
      companyTiers: "gold",
      pauseStatuses: "pending",
      target_high_first_response: "2h",
      target_high_resolution: "tomorrow",
    });
    expect(response.status).toBe(422);
    const { parse } = await import("../../test/helpers");
    const doc = parse(await response.text());
    const cell = doc.querySelector("#target_high_resolution")!.closest(".field")!;
    expect(cell.classList.contains("invalid")).toBe(true);
    expect(cell.querySelector(".field-error")!.textContent).toContain("tomorrow");
    expect(doc.querySelector("#target_high_resolution")!.getAttribute("value")).toBe("tomorrow");
    expect(doc.querySelector("#target_high_first_response")!.getAttribute("value")).toBe("2h");
    const checked = [...doc.querySelectorAll("input[type=checkbox]:checked")].map(
      (i) => `${i.getAttribute("name")}=${i.getAttribute("value")}`,
    );
    expect(checked.sort()).toEqual(
      [
        "active=1",
        "companyTiers=gold",
        "pauseStatuses=pending",
        "priorities=high",
        "priorities=urgent",
      ].sort(),
    );
    const { db } = await testDatabase();
    expect(
      await db
        .select()
        .from(slaPolicies)
        .where(and(eq(slaPolicies.orgId, org.orgId), eq(slaPolicies.name, "Gold"))),
    ).toHaveLength(0);
  });

  test("create, list, edit and delete a policy", async () => {
    const created = await admin.post("/admin/sla/policies", {
      name: "Platinum",
      position: "1",
      active: "1",
      companyTiers: "platinum",
      target_urgent_first_response: "30m",
      calendarTime: "urgent",
    });
    expect(created.status).toBe(303);
    expect(created.headers.get("location")).toBe("/admin/sla?notice=policy-saved");
    const list = await admin.page("/admin/sla?notice=policy-saved");
    const row = [...list.document.querySelectorAll("tr[data-policy]")].find((r) =>
      r.textContent.includes("Platinum"),
    )!;
    expect(row.textContent).toContain("company tier platinum");
    const id = row.getAttribute("data-policy")!;
    const form = await admin.page(`/admin/sla/policies/${id}`);
    expect(form.document.querySelector("#target_urgent_first_response")!.getAttribute("value")).toBe("30m");
    expect(
      form.document.querySelector('input[name="calendarTime"][value="urgent"]')!.hasAttribute("checked"),
    ).toBe(true);
    const edited = await admin.post(`/admin/sla/policies/${id}`, {
      name: "Platinum",
      position: "1",
      target_urgent_first_response: "45m",
    });
    expect(edited.status).toBe(303);
    const { db } = await testDatabase();
    const [stored] = await db.select().from(slaPolicies).where(eq(slaPolicies.id, id));
    expect(stored.active).toBe(false);
    expect(stored.targets.urgent?.first_response).toEqual({ minutes: 45, businessHours: true });
    expect((await admin.post(`/admin/sla/policies/${id}/delete`, {})).status).toBe(303);
    expect(await db.select().from(slaPolicies).where(eq(slaPolicies.id, id))).toHaveLength(0);
  });

  test("the escalation contact must be one of the organization's staff", async () => {
    const away = await createOrg("SlaRoutesAway");
    const refused = await admin.post("/admin/sla/settings", {
      escalationUserId: away.users.supervisor.id,
      escalationEmail: "duty@client.test",
    });
    expect(refused.status).toBe(422);
    const { parse } = await import("../../test/helpers");
    const doc = parse(await refused.text());
    expect(doc.querySelector("#escalationUserId")!.closest(".field")!.classList.contains("invalid")).toBe(
      true,
    );
    expect(doc.querySelector("#escalationEmail")!.getAttribute("value")).toBe("duty@client.test");
    const saved = await admin.post("/admin/sla/settings", { escalationUserId: org.users.supervisor.id });
    expect(saved.status).toBe(303);
  });

  test("staff who are not admins are refused, and nothing is written", async () => {
    for (const role of ["supervisor", "agent"] as const) {
      const client = await signedIn(org, role);
      expect((await client.get("/admin/sla")).status).toBe(403);
      const post = await client.post("/admin/sla/policies", {
        name: `By ${role}`,
        target_normal_resolution: "8h",
      });
      expect(post.status).toBe(403);
    }
    const { db } = await testDatabase();
    const names = (await db.select().from(slaPolicies).where(eq(slaPolicies.orgId, org.orgId))).map(
      (p) => p.name,
    );
    expect(names).not.toContain("By agent");
    expect(names).not.toContain("By supervisor");
  });
});

describe("SLA on the desk", () => {
  let desk: Fixture;
  beforeAll(async () => {
    desk = await createOrg("SlaDesk");
    const ctx = desk.ctx("admin");
    const cal = await saveCalendar(ctx, null, {
      name: "KL office",
      timeZone: "Asia/Kuala_Lumpur",
      hours: { 1: "09:00-18:00", 2: "09:00-18:00", 3: "09:00-18:00", 4: "09:00-18:00", 5: "09:00-18:00" },
      holidays: "2026-08-31 Merdeka Day",
      isDefault: true,
    });
    await savePolicy(ctx, null, {
      name: "Gold",
      calendarId: cal.id,
      targets: { normal_first_response: "8h", normal_resolution: "40h" },
    });
  });

  test("the ticket page shows each target's due time, state and the engine's explanation", async () => {
    // Thursday 27 August 2026, 10:00 in Kuala Lumpur; pending 11:00–13:10.
    const agent = (iso: string) => desk.ctx("agent", new Date(iso));
    const ticket = await createTicket(agent("2026-08-27T02:00:00Z"), {
      subject: "Compressor noise",
      body: "Loud.",
      requesterEmail: "n@client.test",
    });
    await updateTicket(agent("2026-08-27T03:00:00Z"), ticket.number, { status: "pending" });
    await updateTicket(agent("2026-08-27T05:10:00Z"), ticket.number, { status: "open" });
    const client = await signedIn(desk, "agent");
    const page = await client.page(`/desk/tickets/TKT-${String(ticket.number).padStart(6, "0")}`);
    expect(page.status).toBe(200);
    const sla = page.document.querySelector("#sla")!;
    expect(sla.querySelector("h2")!.textContent).toContain("Gold");
    const resolution = sla.querySelector('[data-target="resolution"]')!;
    // Long past: both targets are breached by now, and the holiday on the way is named.
    expect(resolution.querySelector(".badge")!.textContent).toBe("Breached");
    const why = resolution.querySelector(".sla-why")!.textContent;
    expect(why).toContain("policy Gold");
    expect(why).toContain("paused 2 h 10 m while pending");
    expect(why).toContain("31 Aug is a holiday (Merdeka Day)");
    // Due in the organization's zone: 40 business hours from Thu 27 Aug 10:00 with 2 h 10 m paused,
    // skipping the weekend and Monday 31 August → Thursday 3 September 16:10.
    expect(resolution.querySelector("time")!.getAttribute("datetime")).toBe("2026-09-03T08:10:00.000Z");
    expect(resolution.querySelector("time")!.textContent).toContain("16:10");
  });

  test("the list shows an SLA due column and sorts by it", async () => {
    const agent = desk.ctx("agent");
    const soon = await createTicket(agent, { subject: "Soon", body: "x", requesterEmail: "a@client.test" });
    await updateTicket(agent, soon.number, { priority: "normal" });
    const client = await signedIn(desk, "agent");
    const page = await client.page("/desk/tickets?view=open&sort=sla_due_at");
    const rows = [...page.document.querySelectorAll("tbody tr")];
    const due = rows.map((r) => r.querySelector("td.sla-due time")?.getAttribute("datetime") ?? "");
    expect(due.filter(Boolean).length).toBeGreaterThan(0);
    expect([...due].sort()).toEqual(due);
    expect(rows[0].querySelector("td.sla-due .badge")!.textContent).toStartWith("overdue");
  });

  test("the API gives each ticket its SLA and sorts by the due time", async () => {
    const { secret } = await createApiToken(desk.ctx("admin"), { name: "SLA", role: "agent" });
    // The sweep marks tickets overdue as their targets pass.
    await sweepSla((await testDatabase()).db, new Date());
    const app = await testApp();
    const response = await app.handle(
      new Request("http://localhost/api/v1/tickets?status=open,new&sort=sla_due_at", {
        headers: { authorization: `Bearer ${secret}` },
      }),
    );
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: { sla: { policyId: string | null; nextDueAt: string | null; breached: boolean } }[];
    };
    expect(data.length).toBeGreaterThan(1);
    expect(data.every((t) => t.sla.policyId !== null)).toBe(true);
    const due = data.map((t) => t.sla.nextDueAt ?? "9999");
    expect([...due].sort()).toEqual(due);
    expect(data[0].sla.breached).toBe(true);
  });
});
