// The ticket page's relations and time over HTTP: merge with its confirmation, split, links,
// followers, @mentions in notes, the timer and time entries; who may use each route, and that
// another organization's tickets stay out of reach.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { type Role, ticketTimeEntries } from "../../db/schema";
import { Client, createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { formatTicketNumber } from "../domain/orgs/counters";
import { addMessage, createTicket } from "../domain/tickets/commands";
import { addTimeEntry } from "../domain/time/ticketTime";

let org: Fixture;
let away: Fixture;
let agent: Client;

beforeAll(async () => {
  org = await createOrg("Relroutes");
  away = await createOrg("Relroutes away");
  agent = await signedIn(org, "agent");
});

async function ticket(subject: string, fixture = org) {
  const t = await createTicket(fixture.ctx("agent"), {
    subject,
    body: `${subject}.`,
    requesterEmail: "ivy@client.test",
  });
  return { ...t, label: formatTicketNumber(t.number) };
}

describe("merge", () => {
  test("review, confirm, and the merged ticket points at the survivor", async () => {
    const survivor = await ticket("Lift stuck on floor 3");
    const duplicate = await ticket("Lift stuck again");
    const page = await agent.page(`/desk/tickets/${duplicate.label}`);
    expect(page.document.querySelector("#merge-form")?.getAttribute("action")).toBe(
      `/desk/tickets/${duplicate.label}/merges/new`,
    );

    const matches = await agent.page(`/desk/tickets/${duplicate.label}/merges/candidates?target=floor 3`);
    const rows = [...matches.document.querySelectorAll("#merge-candidates li")].map((li) => li.textContent);
    expect(rows.some((r) => r?.includes(survivor.label) && r.includes("Lift stuck on floor 3"))).toBe(true);

    const nothing = await agent.page(`/desk/tickets/${duplicate.label}/merges/new?target=TKT-999999999`);
    expect(nothing.status).toBe(422);
    expect(nothing.document.querySelector("#target-error")?.textContent).toBe(
      "There is no ticket with that number.",
    );
    expect(nothing.document.querySelector("#target")?.getAttribute("value")).toBe("TKT-999999999");

    const review = await agent.page(`/desk/tickets/${duplicate.label}/merges/new?target=${survivor.number}`);
    expect(review.status).toBe(200);
    expect(review.document.querySelector("#merge-effects")?.textContent).toContain(
      "1 message and 0 attachments move",
    );
    expect(review.document.querySelector('.merge-confirm input[name="target"]')?.getAttribute("value")).toBe(
      survivor.label,
    );

    const merged = await agent.post(`/desk/tickets/${duplicate.label}/merges`, { target: survivor.label });
    expect(merged.status).toBe(303);
    expect(merged.headers.get("location")).toBe(`/desk/tickets/${survivor.label}?notice=merged`);
    const after = await agent.page(`/desk/tickets/${survivor.label}`);
    expect(after.document.querySelector(".merged-from a")?.textContent).toBe(duplicate.label);
    expect(after.document.querySelector(".thread")?.textContent).toContain("Lift stuck again.");
    const old = await agent.page(`/desk/tickets/${duplicate.label}`);
    expect(old.document.querySelector("#merged-into a")?.getAttribute("href")).toBe(
      `/desk/tickets/${survivor.label}`,
    );
    expect(old.document.querySelector("#merge-form")).toBeNull();

    const history = [...after.document.querySelectorAll(".history li")].map((li) => li.textContent ?? "");
    expect(
      history.some((h) => h.includes(`merged ${duplicate.label} into this ticket (1 messages moved)`)),
    ).toBe(true);

    const again = await agent.post(`/desk/tickets/${survivor.label}/merges`, { target: survivor.label });
    expect(again.status).toBe(422);
    expect(parse(await again.text()).querySelector("#target-error")?.textContent).toBe(
      "A ticket cannot be merged into itself.",
    );
  });

  test("the customer opening the merged request in the portal is taken to the one it continues in", async () => {
    const customer = await signedIn(org, "customer");
    const first = await createTicket(org.ctx("customer"), { subject: "Leaking tap", body: "Kitchen tap" });
    const second = await createTicket(org.ctx("customer"), { subject: "Tap still leaking", body: "Still" });
    const merged = await agent.post(`/desk/tickets/${formatTicketNumber(second.number)}/merges`, {
      target: formatTicketNumber(first.number),
    });
    expect(merged.status).toBe(303);
    const opened = await customer.get(`/portal/tickets/${formatTicketNumber(second.number)}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe(`/portal/tickets/${formatTicketNumber(first.number)}`);
    const page = await customer.page(`/portal/tickets/${formatTicketNumber(first.number)}`);
    expect(page.document.querySelector("main")?.textContent).toContain("has been merged into");
  });
});

describe("split, links and followers", () => {
  test("splits a later message into a new ticket", async () => {
    const original = await ticket("Roof and gutter");
    const { messageId } = await addMessage(org.ctx("agent"), original.id, {
      kind: "note",
      body: "Gutter is a separate job",
    });
    const response = await agent.post(`/desk/tickets/${original.label}/splits`, { messageId, subject: "" });
    expect(response.status).toBe(303);
    const location = response.headers.get("location") ?? "";
    const created = await agent.page(location);
    expect(created.document.querySelector("h1")?.textContent).toContain("Gutter is a separate job");
    expect(created.document.querySelector("#related .linked-ticket")?.getAttribute("data-number")).toBe(
      original.label,
    );
  });

  test("links another ticket, shows it with its status, and removes it", async () => {
    const parent = await ticket("Building A power");
    const child = await ticket("Unit 4 no power");
    const bad = await agent.post(`/desk/tickets/${parent.label}/links`, { other: "nonsense", role: "child" });
    expect(bad.status).toBe(422);
    const badPage = parse(await bad.text());
    expect(badPage.querySelector("#other-error")?.textContent).toBe(
      "Enter a ticket number, such as TKT-000123.",
    );
    expect(badPage.querySelector("#other")?.getAttribute("value")).toBe("nonsense");
    const ok = await agent.post(`/desk/tickets/${parent.label}/links`, { other: child.label, role: "child" });
    expect(ok.status).toBe(303);
    const page = await agent.page(`/desk/tickets/${parent.label}`);
    const row = page.document.querySelector(`#children .linked-ticket[data-number="${child.label}"]`);
    expect(row?.textContent).toContain("Unit 4 no power");
    expect(row?.querySelector(".badge")?.textContent).toBe("New");
    const onChild = await agent.page(`/desk/tickets/${child.label}`);
    expect(onChild.document.querySelector("#parent .linked-ticket")?.getAttribute("data-number")).toBe(
      parent.label,
    );

    const solve = await agent.post(`/desk/tickets/${parent.label}/properties`, { status: "solved" });
    expect(solve.status).toBe(422);
    expect(parse(await solve.text()).querySelector("#status-error")?.textContent).toContain(child.label);

    const remove = row?.querySelector("form")?.getAttribute("action") ?? "";
    expect((await agent.post(remove, {})).status).toBe(303);
    const cleared = await agent.page(`/desk/tickets/${parent.label}`);
    expect(cleared.document.querySelector("#children")).toBeNull();
  });

  test("follow and unfollow; copy a customer; a bad address is marked", async () => {
    const t = await ticket("Noisy fan");
    expect((await agent.post(`/desk/tickets/${t.label}/followers`, {})).status).toBe(303);
    let page = await agent.page(`/desk/tickets/${t.label}`);
    expect(page.document.querySelector(`.follower.agent[data-user="${org.users.agent.id}"]`)).toBeTruthy();
    expect(page.document.querySelector("#follow-toggle")?.textContent).toBe("Unfollow");
    expect((await agent.post(`/desk/tickets/${t.label}/followers/delete`, {})).status).toBe(303);
    page = await agent.page(`/desk/tickets/${t.label}`);
    expect(page.document.querySelector("#follow-toggle")?.textContent).toBe("Follow");

    const bad = await agent.post(`/desk/tickets/${t.label}/followers`, { email: "not an address" });
    expect(bad.status).toBe(422);
    expect(parse(await bad.text()).querySelector("#email-error")?.textContent).toBe(
      "Enter the follower's email address.",
    );
    expect(
      (await agent.post(`/desk/tickets/${t.label}/followers`, { email: "boss@client.test" })).status,
    ).toBe(303);
    page = await agent.page(`/desk/tickets/${t.label}`);
    expect(page.document.querySelector(".follower.contact")?.textContent).toContain("boss@client.test");
  });

  test("an @mention in a note is highlighted and the colleague is suggested", async () => {
    const t = await ticket("Alarm panel");
    const handle = org.users.supervisor.email.split("@")[0];
    await agent.post(`/desk/tickets/${t.label}/messages`, {
      kind: "note",
      body: `@${handle} please check <b>this</b>`,
    });
    const page = await agent.page(`/desk/tickets/${t.label}`);
    expect(page.document.querySelector(".message.note mark.mention")?.textContent).toBe(`@${handle}`);
    expect(page.document.querySelector(".message.note b")).toBeNull();
    const suggestions = await agent.page(`/desk/mentions?q=${handle.slice(0, 4)}`);
    expect(suggestions.document.querySelector(".mention-list li")?.textContent).toContain("Supervisor");
    // From the reply box: the @word being typed at the end of the text.
    const typing = await agent.page(`/desk/mentions?body=${encodeURIComponent("Thanks, @Supe")}`);
    expect(typing.document.querySelector(".mention-list li code")?.textContent).toBe(`@${handle}`);
    const done = await agent.page(`/desk/mentions?body=${encodeURIComponent("@Supe done")}`);
    expect(done.document.querySelectorAll(".mention-list li")).toHaveLength(0);
    expect(page.document.querySelector("#mention-suggestions")?.getAttribute("hx-include")).toBe("#body");
  });
});

describe("time", () => {
  test("timer, typed entries with errors marked, totals, edit and delete", async () => {
    const t = await ticket("Printer setup");
    expect(
      (await agent.post(`/desk/tickets/${t.label}/timer`, { action: "start", billable: "1" })).status,
    ).toBe(303);
    let page = await agent.page(`/desk/tickets/${t.label}`);
    expect(page.document.querySelector("#timer button")?.textContent).toBe("Stop timer");
    expect((await agent.post(`/desk/tickets/${t.label}/timer`, { action: "stop" })).status).toBe(303);
    page = await agent.page(`/desk/tickets/${t.label}`);
    expect(page.document.querySelector("#timer button")?.textContent).toBe("Start timer");
    expect(page.document.querySelector("#time-billable")?.textContent).toBe("1 min");

    const bad = await agent.post(`/desk/tickets/${t.label}/time-entries`, {
      duration: "ages",
      note: "Setup",
    });
    expect(bad.status).toBe(422);
    const badPage = parse(await bad.text());
    expect(badPage.querySelector("#duration-error")?.textContent).toContain("1h 30m");
    expect(badPage.querySelector("#note")?.getAttribute("value")).toBe("Setup");

    expect(
      (
        await agent.post(`/desk/tickets/${t.label}/time-entries`, {
          duration: "1h 30m",
          note: "Setup",
          billable: "1",
        })
      ).status,
    ).toBe(303);
    page = await agent.page(`/desk/tickets/${t.label}`);
    expect(page.document.querySelector("#time-billable")?.textContent).toBe("1 h 31 min");
    expect(page.document.querySelector("#time-non-billable")?.textContent).toBe("0 min");
    const { db } = await testDatabase();
    const [entry] = await db.select().from(ticketTimeEntries).where(eq(ticketTimeEntries.note, "Setup"));
    const edit = await agent.page(`/desk/tickets/${t.label}/time-entries/${entry.id}`);
    expect(edit.document.querySelector("#duration")?.getAttribute("value")).toBe("90");
    const saved = await agent.post(`/desk/tickets/${t.label}/time-entries/${entry.id}`, {
      duration: "45",
      startedAt: "",
      note: "Setup",
    });
    expect(saved.status).toBe(303);
    page = await agent.page(`/desk/tickets/${t.label}`);
    expect(page.document.querySelector("#time-non-billable")?.textContent).toBe("45 min");
    const removed = await agent.post(`/desk/tickets/${t.label}/time-entries/${entry.id}/delete`, {});
    expect(removed.status).toBe(303);
    page = await agent.page(`/desk/tickets/${t.label}`);
    expect(page.document.querySelector(`[data-entry="${entry.id}"]`)).toBeNull();
  });

  test("an agent cannot change a colleague's entry; a supervisor can", async () => {
    const t = await ticket("Shared time");
    const admins = await addTimeEntry(org.ctx("admin"), t.number, { duration: "10m" });
    expect((await agent.get(`/desk/tickets/${t.label}/time-entries/${admins.id}`)).status).toBe(403);
    expect((await agent.post(`/desk/tickets/${t.label}/time-entries/${admins.id}/delete`, {})).status).toBe(
      403,
    );
    const supervisor = await signedIn(org, "supervisor");
    expect((await supervisor.get(`/desk/tickets/${t.label}/time-entries/${admins.id}`)).status).toBe(200);
  });
});

describe("who may use the routes", () => {
  const ROLES: Role[] = ["admin", "supervisor", "agent", "dispatcher", "technician", "customer"];
  const WORK: Role[] = ["admin", "supervisor", "agent"];

  test("every route: staff who work tickets only; other roles refused; another organization's ticket is not found", async () => {
    const mine = await ticket("Matrix ticket");
    const target = await ticket("Matrix target");
    // Numbers count per organization: the away ticket gets a number no home ticket has.
    let theirs = await ticket("Away matrix ticket", away);
    while (theirs.number <= mine.number + 1) theirs = await ticket("Away matrix ticket", away);
    const { messageId } = await addMessage(away.ctx("agent"), theirs.id, {
      kind: "reply",
      body: "Away reply",
    });
    const awayEntry = await addTimeEntry(away.ctx("agent"), theirs.number, { duration: "5m" });
    const routes = (label: string, entryId: string, message: string) =>
      [
        ["GET", `/desk/tickets/${label}/merges/new?target=${target.label}`, {}],
        ["GET", `/desk/tickets/${label}/merges/candidates?target=Matrix`, {}],
        ["POST", `/desk/tickets/${label}/merges`, { target: "nonsense" }],
        ["POST", `/desk/tickets/${label}/splits`, { messageId: message }],
        ["POST", `/desk/tickets/${label}/links`, { other: "nonsense", role: "related" }],
        ["POST", `/desk/tickets/${label}/links/${entryId}/delete`, {}],
        ["POST", `/desk/tickets/${label}/followers`, { email: "bad" }],
        ["POST", `/desk/tickets/${label}/followers/delete`, { contactId: entryId }],
        ["POST", `/desk/tickets/${label}/timer`, { action: "stop" }],
        ["POST", `/desk/tickets/${label}/time-entries`, { duration: "x" }],
        ["GET", `/desk/tickets/${label}/time-entries/${entryId}`, {}],
        ["POST", `/desk/tickets/${label}/time-entries/${entryId}`, { duration: "x" }],
        ["POST", `/desk/tickets/${label}/time-entries/${entryId}/delete`, {}],
      ] as const;
    const homeEntry = await addTimeEntry(org.ctx("agent"), mine.number, { duration: "5m" });
    for (const role of ROLES) {
      const client = await signedIn(org, role);
      for (const [method, path, form] of routes(mine.label, homeEntry.id, mine.firstMessageId)) {
        const response = method === "GET" ? await client.get(path) : await client.post(path, form);
        if (WORK.includes(role)) expect([200, 303, 404, 409, 422]).toContain(response.status);
        else expect({ role, path, status: response.status }).toEqual({ role, path, status: 403 });
      }
      const mentions = await client.get("/desk/mentions?q=a");
      expect(mentions.status).toBe(WORK.includes(role) ? 200 : 403);
      if (!WORK.includes(role)) continue;
      // The same routes aimed at the other organization's ticket, entry and message.
      for (const [method, path, form] of routes(theirs.label, awayEntry.id, messageId)) {
        const response = method === "GET" ? await client.get(path) : await client.post(path, form);
        const text = await response.text();
        expect({ role, path, status: response.status }).toEqual({ role, path, status: 404 });
        expect(text).not.toContain("Away matrix ticket");
      }
    }
    const visitor = await new Client().get(`/desk/tickets/${mine.label}/merges/new`);
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get("location")).toStartWith("/login");
    const { db } = await testDatabase();
    const [still] = await db.select().from(ticketTimeEntries).where(eq(ticketTimeEntries.id, awayEntry.id));
    expect(still.minutes).toBe(5);
  });
});
