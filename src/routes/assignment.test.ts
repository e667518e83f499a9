// Assignment pages: the admins' strategy form, an agent's availability, the ticket page's button,
// and who may use them.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture, parse, signedIn } from "../../test/helpers";
import { formatTicketNumber } from "../domain/orgs/counters";
import { createTicket } from "../domain/tickets/commands";

let home: Fixture;
let away: Fixture;

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("AssignHome"), createOrg("AssignAway")]);
});

describe("assignment pages", () => {
  test("an admin sets a team's strategy; a bad cap is marked and kept", async () => {
    const admin = await signedIn(home, "admin");
    const bad = await admin.post(`/admin/assignment/${home.teamId}`, {
      strategy: "round_robin",
      maxOpenPerAgent: "lots",
    });
    expect(bad.status).toBe(422);
    const page = parse(await bad.text());
    expect(page.querySelector(`#cap-${home.teamId}-error`)?.textContent).toContain("whole number");
    expect(page.querySelector(`#cap-${home.teamId}`)?.getAttribute("value")).toBe("lots");
    expect(
      (
        await admin.post(`/admin/assignment/${home.teamId}`, {
          strategy: "load_balanced",
          maxOpenPerAgent: "3",
        })
      ).status,
    ).toBe(303);
    const saved = await admin.page("/admin/assignment");
    expect(
      saved.document.querySelector(`#strategy-${home.teamId} option[selected]`)?.getAttribute("value"),
    ).toBe("load_balanced");
    expect(saved.document.querySelector(`#cap-${home.teamId}`)?.getAttribute("value")).toBe("3");
  });

  test("an agent sets their availability and assigns a ticket by the team's strategy", async () => {
    const agent = await signedIn(home, "agent");
    expect((await agent.post("/account/availability", { availability: "away" })).status).toBe(303);
    const account = await agent.page("/account");
    expect(
      account.document.querySelector("select[name=availability] option[selected]")?.getAttribute("value"),
    ).toBe("away");
    const ticket = await createTicket(home.ctx("customer"), { subject: "Assign me", body: "x" });
    const number = formatTicketNumber(ticket.number);
    // Away: nobody may take it yet; the button says so and the history says why.
    await agent.post(`/desk/tickets/${number}/properties`, {
      teamId: home.teamId,
      status: "open",
      priority: "normal",
      type: "question",
    });
    const none = await agent.post(`/desk/tickets/${number}/auto-assign`, {});
    expect(none.headers.get("location")).toContain("notice=not-assigned");
    expect((await agent.page(`/desk/tickets/${number}`)).document.body.textContent).toContain(
      "no agent of the team is available",
    );
    await agent.post("/account/availability", { availability: "available" });
    const done = await agent.post(`/desk/tickets/${number}/auto-assign`, {});
    expect(done.headers.get("location")).toContain("notice=assigned");
    expect((await agent.page(`/desk/tickets/${number}`)).document.body.textContent).toContain(
      "by load balance",
    );
  });

  test("only admins reach the strategies, only staff the button, each in their own organization", async () => {
    for (const role of ["supervisor", "agent", "dispatcher", "technician", "customer"] as const) {
      const client = await signedIn(home, role);
      expect((await client.get("/admin/assignment")).status).toBe(403);
      expect(
        (await client.post(`/admin/assignment/${home.teamId}`, { strategy: "manual", maxOpenPerAgent: "" }))
          .status,
      ).toBe(403);
    }
    const customer = await signedIn(home, "customer");
    expect((await customer.post("/account/availability", { availability: "away" })).status).toBe(403);
    const ticket = await createTicket(home.ctx("customer"), { subject: "Mine", body: "x" });
    expect(
      (await customer.post(`/desk/tickets/${formatTicketNumber(ticket.number)}/auto-assign`, {})).status,
    ).toBe(403);
    const stranger = await signedIn(away, "admin");
    expect(
      (await stranger.post(`/admin/assignment/${home.teamId}`, { strategy: "manual", maxOpenPerAgent: "" }))
        .status,
    ).toBe(404);
    const page = await stranger.page("/admin/assignment");
    expect(page.document.querySelector(`#team-${home.teamId}`)).toBeNull();
  });

  test("an admin edits an agent's skills, zone and hours, and a category's skills; bad input is kept", async () => {
    const admin = await signedIn(home, "admin");
    const url = `/admin/assignment/agents/${home.users.agent.id}`;
    const bad = await admin.post(url, { skills: "Networking high", zoneId: "", hours_1: "9-5pm" });
    expect(bad.status).toBe(422);
    const page = parse(await bad.text());
    expect(page.querySelector(".field.invalid #skills")?.getAttribute("value")).toBe("Networking high");
    expect(page.querySelector(".field.invalid #hours_1")?.getAttribute("value")).toBe("9-5pm");
    const good = await admin.post(url, { skills: "Networking 4", zoneId: "", hours_1: "09:00-17:00" });
    expect(good.status).toBe(303);
    const list = await admin.page("/admin/assignment");
    const row = list.document.querySelector(`tr[data-agent="${home.users.agent.id}"]`)?.textContent ?? "";
    expect(row).toContain("Networking 4");
    expect(row).toContain("Mon 09:00-17:00");
    const stranger = await signedIn(away, "admin");
    expect((await stranger.get(url)).status).toBe(404);
    expect((await (await signedIn(home, "agent")).get(url)).status).toBe(403);
  });
});
