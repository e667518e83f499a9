// Journey: two agents at work. What agent B changes shows up on agent A's screen by itself — the
// ticket list when B sets priority and assignee, the ticket page when B replies — over the desk's
// server-sent events, without A reloading.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { signIn } from "./browser";
import { type Journey, startJourney } from "./harness";

const LIVE_TIMEOUT = 10_000;

let journey: Journey | undefined;

beforeAll(async () => {
  journey = await startJourney({
    label: "Live",
    tickets: ["Printer jams on every page", "Wifi drops in meeting room"],
  });
}, 60_000);

afterAll(async () => {
  await journey?.close();
});

/** Resolves once the page's live stream is open, i.e. the server is sending it events. */
function liveStreamOpened(page: Page) {
  return page.waitForResponse((r) => new URL(r.url()).pathname === "/desk/live" && r.status() === 200);
}

/** Marks the loaded document; the mark survives htmx swaps but not a reload or a navigation. */
async function mark(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { e2eMark: string }).e2eMark = "not reloaded";
  });
}
const marked = (page: Page) => page.evaluate(() => (window as unknown as { e2eMark?: string }).e2eMark);

describe("two agents see each other's changes live", () => {
  test("the list and the ticket page update without a reload", async () => {
    const { base, world } = journey!;
    const [first, second] = world.tickets;

    const contextA = await journey!.person();
    const a = await contextA.newPage();
    const listLive = liveStreamOpened(a);
    await signIn(a, base, world.agent.email);
    expect(new URL(a.url()).pathname).toBe("/desk/tickets");
    expect(await a.locator("h1").textContent()).toBe("All open");
    await listLive;
    await mark(a);
    const rowA = a.locator(`tr[data-ticket="${first}"]`);
    expect(await rowA.locator(".prio").textContent()).toBe("Normal");
    expect(await rowA.locator("td").nth(6).textContent()).toBe("—");
    expect(await a.locator('.count[data-view="unassigned"]').textContent()).toBe("2");

    // Agent B makes the first ticket urgent and takes it.
    const contextB = await journey!.person();
    const b = await contextB.newPage();
    await signIn(b, base, world.agentB.email);
    await b.goto(`${base}/desk/tickets/${first}`);
    const properties = b.locator("form.properties");
    await properties.getByLabel("Priority").selectOption("urgent");
    await properties.getByLabel("Assignee").selectOption({ label: world.agentB.name });
    await Promise.all([
      b.waitForURL(/\?notice=saved$/),
      properties.getByRole("button", { name: "Save" }).click(),
    ]);
    expect(await b.locator(".ticket-head .prio").textContent()).toBe("Urgent");

    // A's list follows by itself.
    await rowA.locator(".prio", { hasText: "Urgent" }).waitFor({ timeout: LIVE_TIMEOUT });
    expect(await rowA.locator("td").nth(6).textContent()).toBe(world.agentB.name);
    expect(await a.locator('.count[data-view="unassigned"]').textContent()).toBe("1");
    expect(await a.locator(`tr[data-ticket="${second}"] .prio`).textContent()).toBe("Normal");
    expect(await marked(a)).toBe("not reloaded");

    // A opens the ticket; B's reply appears on A's page by itself.
    const pageLive = liveStreamOpened(a);
    await Promise.all([
      a.waitForURL(`${base}/desk/tickets/${first}`),
      rowA.getByRole("link", { name: first }).click(),
    ]);
    await pageLive;
    await mark(a);
    expect(await a.locator(".ticket-head .badge").textContent()).toBe("Open"); // assigned, so open
    const reply = `Swapped the toner; try again please (${world.tag}).`;
    expect(await a.locator(".thread").textContent()).not.toContain(reply);

    await b.getByLabel("Message").fill(reply);
    await b.getByLabel("Then set status to").selectOption("pending");
    await Promise.all([b.waitForURL(/\?notice=sent$/), b.getByRole("button", { name: "Send" }).click()]);

    await a.locator(".thread .message.staff", { hasText: reply }).waitFor({ timeout: LIVE_TIMEOUT });
    expect(await a.locator(".ticket-head .badge").textContent()).toBe("Pending");
    expect(await marked(a)).toBe("not reloaded");
  }, 60_000);
});
