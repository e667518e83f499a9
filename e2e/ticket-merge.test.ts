// Journey: an agent finds a duplicate's original by typing part of its subject (the matches come
// while typing, through htmx), reviews the merge and confirms it; the survivor shows both
// conversations and the duplicate points at it. Then a note @mentions a colleague, suggested while typing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signIn } from "./browser";
import { type Journey, startJourney } from "./harness";

let journey: Journey | undefined;

beforeAll(async () => {
  journey = await startJourney({
    label: "Merge",
    tickets: ["Boiler makes a banging noise", "Boiler noise again"],
  });
}, 60_000);

afterAll(async () => {
  await journey?.close();
});

describe("merging a duplicate", () => {
  test("type-ahead, review, merge", async () => {
    const { base, world } = journey!;
    const [original, duplicate] = world.tickets;
    const page = await (await journey!.person()).newPage();
    await signIn(page, base, world.agent.email);
    await page.goto(`${base}/desk/tickets/${duplicate}`);

    await page.locator("#target").pressSequentially("banging", { delay: 20 });
    const match = page.locator("#merge-candidates li", { hasText: original });
    await match.waitFor({ timeout: 10_000 });
    await Promise.all([page.waitForURL(/\/merges\/new\?target=/), match.getByRole("link").click()]);
    expect(await page.locator("#merge-effects").textContent()).toContain(`move to ${original}`);

    await Promise.all([
      page.waitForURL(`${base}/desk/tickets/${original}?notice=merged`),
      page.getByRole("button", { name: "Merge" }).click(),
    ]);
    expect(await page.locator(".alert.ok").textContent()).toBe("Tickets merged.");
    expect(await page.locator(".merged-from a").textContent()).toBe(duplicate);
    expect(await page.locator(".thread").textContent()).toContain("has been merged into");

    // A note to a colleague: typing "@bo" lists Bob; the note marks the mention.
    await page.getByLabel("Internal note").check();
    await page.locator("#body").pressSequentially("Can you check the boiler, @bo", { delay: 20 });
    await page.locator("#mention-suggestions li", { hasText: "Bob Agent" }).waitFor({ timeout: 10_000 });
    await page.locator("#body").pressSequentially("b?");
    await Promise.all([
      page.waitForURL(/\?notice=noted$/),
      page.getByRole("button", { name: "Send" }).click(),
    ]);
    expect(await page.locator(".message.note mark.mention").last().textContent()).toBe("@bob");

    await page.goto(`${base}/desk/tickets/${duplicate}`);
    expect(await page.locator("#merged-into a").textContent()).toBe(original);
  }, 60_000);
});
