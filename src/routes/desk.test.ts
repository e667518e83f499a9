// The desk's list through HTML: views and counts, filters, paging and bulk edits.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture, signedIn } from "../../test/helpers";
import { addMessage, createTicket, updateTicket } from "../domain/tickets/commands";

let org: Fixture;
beforeAll(async () => {
  org = await createOrg("Desk");
  const agent = org.ctx("agent");
  for (let i = 0; i < 60; i++) {
    await createTicket(
      { ...agent, now: new Date(Date.UTC(2026, 5, 1, 8, i)) },
      {
        subject: i % 2 ? `Chiller fault ${i}` : `Billing question ${i}`,
        body: i % 2 ? "The chiller trips every hour" : "Invoice amount looks wrong",
        requesterEmail: `client${i % 5}@client.test`,
        priority: i % 10 === 0 ? "urgent" : "normal",
        tags: i % 2 ? "chiller" : "billing",
      },
    );
  }
  await updateTicket(agent, 1, { assigneeId: org.users.agent.id });
  await updateTicket(agent, 2, { status: "pending" });
});

describe("ticket list", () => {
  test("views show live counts and the matching rows", async () => {
    const agent = await signedIn(org, "agent");
    const page = await agent.page("/desk/tickets");
    const count = (view: string) => page.document.querySelector(`.count[data-view="${view}"]`)?.textContent;
    expect([count("mine"), count("unassigned"), count("open"), count("pending"), count("solved")]).toEqual([
      "1",
      "59",
      "60",
      "1",
      "0",
    ]);
    expect(page.document.querySelectorAll("tbody tr").length).toBe(50);
    const mine = await agent.page("/desk/tickets?view=mine");
    expect([...mine.document.querySelectorAll("tbody tr")].map((r) => r.getAttribute("data-ticket"))).toEqual(
      ["TKT-000001"],
    );
  });

  test("the next page continues where the first ended", async () => {
    const agent = await signedIn(org, "agent");
    const first = await agent.page("/desk/tickets?view=all");
    const next = first.document.querySelector('a[rel="next"]')!.getAttribute("href")!;
    const second = await agent.page(next);
    const ids = (d: typeof first.document) =>
      [...d.querySelectorAll("tbody tr")].map((r) => r.getAttribute("data-ticket"));
    expect(ids(second.document).length).toBe(10);
    expect(new Set([...ids(first.document), ...ids(second.document)]).size).toBe(60);
    expect(second.document.querySelector('a[rel="next"]')).toBeNull();
  });

  test("filters: text, priority, tag; a bad cursor is a clear error", async () => {
    const agent = await signedIn(org, "agent");
    const rows = async (query: string) =>
      (await agent.page(`/desk/tickets?${query}`)).document.querySelectorAll("tbody tr").length;
    expect(await rows("q=chiller")).toBe(30);
    expect(await rows("q=invoice")).toBe(30);
    expect(await rows("priority=urgent")).toBe(6);
    expect(await rows("tag=billing&priority=urgent")).toBe(6);
    expect(await rows("tag=chiller&priority=urgent")).toBe(0);
    const bad = await agent.get("/desk/tickets?view=all&after=garbage");
    expect(bad.status).toBe(422);
  });

  test("bulk edits apply to the selected tickets and report those skipped", async () => {
    const agent = await signedIn(org, "agent");
    const page = await agent.page("/desk/tickets?q=chiller&sort=number");
    const ids = [...page.document.querySelectorAll('input[name="ids"]')]
      .slice(0, 3)
      .map((i) => i.getAttribute("value")!);
    const done = await agent.post("/desk/tickets/bulk", {
      ids,
      priority: "high",
      addTags: "site-visit",
      back: "/desk/tickets?q=chiller",
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toContain("notice=saved");
    const after = await agent.page("/desk/tickets?tag=site-visit");
    expect(after.document.querySelectorAll("tbody tr").length).toBe(3);
    expect([...after.document.querySelectorAll(".prio")].every((p) => p.textContent === "High")).toBe(true);

    const none = await agent.post("/desk/tickets/bulk", { priority: "low", back: "/desk/tickets" });
    const noneShown = await agent.page(none.headers.get("location")!);
    expect(noneShown.document.querySelector(".alert.error")?.textContent).toContain(
      "Select at least one ticket",
    );

    const closedIds = ids.slice(0, 1);
    await agent.post("/desk/tickets/bulk", { ids: closedIds, status: "solved" });
    await agent.post("/desk/tickets/bulk", { ids: closedIds, status: "closed" });
    const skipped = await agent.post("/desk/tickets/bulk", { ids, status: "pending" });
    const skippedShown = await agent.page(skipped.headers.get("location")!);
    expect(skippedShown.document.querySelector(".alert.error")?.textContent).toContain(
      "Updated 2. Skipped 1",
    );
    const forged = await agent.page("/desk/tickets?bulk=partial&updated=1&skipped=<b>call+us</b>");
    expect(forged.document.querySelector(".alert.error")?.textContent).not.toContain("call");
  });

  test("a bulk edit sets or clears the category of the selected tickets", async () => {
    const { saveCategory } = await import("../domain/fields/catalog");
    const hvac = await saveCategory(org.ctx("admin"), null, { name: "HVAC" });
    const agent = await signedIn(org, "agent");
    const page = await agent.page("/desk/tickets?q=chiller&sort=number");
    expect(page.document.querySelector(`select[name="category"] option[value="${hvac}"]`)?.textContent).toBe(
      "HVAC",
    );
    const ids = [...page.document.querySelectorAll('input[name="ids"]')]
      .slice(3, 5)
      .map((i) => i.getAttribute("value")!);
    const done = await agent.post("/desk/tickets/bulk", { ids, category: hvac, back: "/desk/tickets" });
    expect(done.headers.get("location")).toContain("notice=saved");
    expect(
      (await agent.page(`/desk/tickets?category=${hvac}`)).document.querySelectorAll("tbody tr").length,
    ).toBe(2);
    await agent.post("/desk/tickets/bulk", { ids: ids.slice(0, 1), category: "none", back: "/desk/tickets" });
    expect(
      (await agent.page(`/desk/tickets?category=${hvac}`)).document.querySelectorAll("tbody tr").length,
    ).toBe(1);
    const bad = await agent.post("/desk/tickets/bulk", {
      ids,
      category: crypto.randomUUID(),
      back: "/desk/tickets",
    });
    expect(bad.headers.get("location")).toContain("bulk=category");
  });

  test("a reused list is never older than the organization's latest change", async () => {
    const agent = await signedIn(org, "agent");
    const row = async () =>
      (await agent.page("/desk/tickets?view=all")).document.querySelector(
        'tr[data-ticket="TKT-000060"] .prio',
      );
    expect((await row())?.textContent).toBe("Normal");
    expect((await row())?.textContent).toBe("Normal");
    // Changed outside this page's requests, as another app server would.
    await updateTicket(org.ctx("supervisor"), 60, { priority: "low" });
    expect((await row())?.textContent).toBe("Low");
  });

  test("a reused view's filter and bulk-edit bars offer a category added since", async () => {
    const { saveCategory } = await import("../domain/fields/catalog");
    const agent = await signedIn(org, "agent");
    const offered = async (name: string) => {
      const page = await agent.page("/desk/tickets?view=open");
      return [`form.filters select[name="category"]`, `fieldset.bulk select[name="category"]`].map((picker) =>
        [...page.document.querySelectorAll(`${picker} option`)].some((o) => o.textContent === name),
      );
    };
    expect(await offered("Lift")).toEqual([false, false]);
    expect(await offered("Lift")).toEqual([false, false]);
    await saveCategory(org.ctx("admin"), null, { name: "Lift" });
    expect(await offered("Lift")).toEqual([true, true]);
  });

  test("a reused ticket page is never older than the ticket's latest change", async () => {
    const agent = await signedIn(org, "agent");
    const thread = async () =>
      (await agent.page("/desk/tickets/TKT-000059")).document.querySelector(".thread")?.textContent;
    expect(await thread()).not.toContain("Parts ordered");
    expect(await thread()).not.toContain("Parts ordered");
    await addMessage(org.ctx("supervisor"), 59, { kind: "note", body: "Parts ordered from KL." });
    expect(await thread()).toContain("Parts ordered from KL.");
  });

  test("the list fragment for live refresh is the region alone", async () => {
    const agent = await signedIn(org, "agent");
    const response = await agent.get("/desk/tickets?view=open&fragment=1");
    const html = await response.text();
    expect(html.startsWith('<div id="ticket-region"')).toBe(true);
    expect(html).not.toContain("<html");
  });
});
