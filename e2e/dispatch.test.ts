// Journey: a dispatcher drags a waiting work order onto a technician's row on the dispatch board;
// the server checks it and the visit appears as a bar at the time it was dropped, on a second
// dispatcher's open board too, without a reload. Then a drop
// outside the technician's shift comes back as a conflict instead of being saved. Finally the
// dispatcher optimizes the day: the page follows the search live, shows the proposal, and "Apply"
// puts the last waiting job on the board.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signIn } from "./browser";
import { type Journey, startJourney } from "./harness";

// A Monday well ahead, so the technician's Monday-to-Friday shift applies.
const DAY = "2027-01-04";
const GRID_FROM = 6 * 60;
const GRID_TO = 21 * 60;

let journey: Journey | undefined;

beforeAll(async () => {
  journey = await startJourney({
    label: "Dispatch",
    workOrders: ["Aircon dripping", "Late visit", "Filter change"],
  });
}, 60_000);

afterAll(async () => {
  await journey?.close();
});

describe("a dispatcher on the board", () => {
  test("drags a job onto a technician; a drop outside the shift shows the conflict", async () => {
    const { base, world } = journey!;
    const field = world.field!;
    const page = await (await journey!.person({ viewport: { width: 1400, height: 900 } })).newPage();
    const scriptErrors: string[] = [];
    page.on("pageerror", (error) => scriptErrors.push(error.message));
    await signIn(page, base, field.dispatcher.email);
    await page.goto(`${base}/fsm/dispatch?day=${DAY}`);
    // A second dispatcher watches the same board: it must update without a reload.
    const watcher = await (await journey!.person({ viewport: { width: 1400, height: 900 } })).newPage();
    watcher.on("pageerror", (error) => scriptErrors.push(error.message));
    await signIn(watcher, base, field.dispatcher.email);
    const connected = watcher.waitForResponse((r) => r.url().endsWith("/fsm/dispatch/live"));
    await watcher.goto(`${base}/fsm/dispatch?day=${DAY}`);
    await connected;
    await watcher.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    const row = page.locator(`[data-drop-technician="${field.technician.id}"]`);
    const box = (await row.boundingBox())!;
    const xAt = (minute: number) => ((minute - GRID_FROM) / (GRID_TO - GRID_FROM)) * box.width;

    const [first, second] = field.workOrders;
    await Promise.all([
      page.waitForURL(/notice=assigned/),
      page
        .locator(`#queue [data-number="${first}"]`)
        .dragTo(row, { targetPosition: { x: xAt(10 * 60), y: box.height / 2 } }),
    ]);
    const bar = page.locator(
      `[data-technician="${field.technician.id}"] .board-visit[data-number="${first}"]`,
    );
    expect(await bar.getAttribute("title")).toContain("10:00–12:00");
    expect(await page.locator(`#queue [data-number="${first}"]`).count()).toBe(0);
    // The watching dispatcher's board shows the visit and takes it off the queue, live.
    await watcher
      .locator(`[data-technician="${field.technician.id}"] .board-visit[data-number="${first}"]`)
      .waitFor({ timeout: 15_000 });
    await watcher.locator(`#queue [data-number="${first}"]`).waitFor({ state: "detached", timeout: 15_000 });
    expect(await watcher.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    // The map draws the technician's start, the route to the visit and the waiting job, tiles or not.
    expect(await page.locator("#dispatch-map.leaflet-container").count()).toBe(1);
    expect(await page.locator("#dispatch-map path.leaflet-interactive").count()).toBeGreaterThanOrEqual(3);

    await Promise.all([
      page.waitForSelector(".conflicts .conflict-shift"),
      page
        .locator(`#queue [data-number="${second}"]`)
        .dragTo(row, { targetPosition: { x: xAt(19 * 60), y: box.height / 2 } }),
    ]);
    expect(await page.locator("#workOrder").inputValue()).toBe(second);
    expect(await page.locator("#startsAt").inputValue()).toBe(`${DAY}T19:00`);
    await Promise.all([
      page.waitForURL(/notice=overridden/),
      page
        .getByLabel("Assign anyway")
        .check()
        .then(() => page.getByRole("button", { name: "Assign" }).click()),
    ]);
    expect(
      await page
        .locator(`[data-technician="${field.technician.id}"] .board-visit[data-number="${second}"]`)
        .count(),
    ).toBe(1);
    expect(scriptErrors).toEqual([]);
  }, 60_000);

  test("optimizes the day, follows the search live and applies the proposal", async () => {
    const { base, world } = journey!;
    const field = world.field!;
    const [, late, waiting] = field.workOrders;
    const page = await (await journey!.person({ viewport: { width: 1400, height: 900 } })).newPage();
    const scriptErrors: string[] = [];
    page.on("pageerror", (error) => scriptErrors.push(error.message));
    await signIn(page, base, field.dispatcher.email);
    await page.goto(`${base}/fsm/dispatch?day=${DAY}`);
    expect(await page.locator(`#queue [data-number="${waiting}"]`).count()).toBe(1);

    const streamed = page.waitForResponse((r) => /\/fsm\/dispatch\/runs\/[\w-]+\/progress$/.test(r.url()));
    await page.getByLabel(`Optimize ${field.technician.name}`).check();
    await page.getByRole("button", { name: "Optimize ticked technicians" }).click();
    await page.waitForURL(/\/fsm\/dispatch\/runs\/[\w-]+/);
    expect((await streamed).headers()["content-type"]).toBe("text/event-stream");
    // The page reloads itself when the run is done: no click needed.
    const apply = page.getByRole("button", { name: "Apply" });
    await apply.waitFor({ timeout: 45_000 });
    expect(await page.locator("#run-status").textContent()).toBe("done");
    // Before: two visits booked, one job waiting. Proposed: the waiting job planned instead of the
    // visit booked at 19:00, which no plan can fit in the shift.
    expect(await page.locator('[data-metric="Jobs assigned"] td').allTextContents()).toEqual(["2", "2"]);
    expect(await page.locator('[data-metric="Jobs left out"] td').allTextContents()).toEqual(["1", "1"]);
    // The visit booked outside the shift cannot be planned; it is named and stays as it is.
    expect(await page.locator(`.run-left-out [data-number="${late}"]`).textContent()).toContain(
      "stays as booked",
    );
    expect(await page.locator(`.run-route [data-number="${waiting}"] .run-change`).textContent()).toBe(
      "New visit",
    );

    await Promise.all([page.waitForURL(/notice=optimized/), apply.click()]);
    expect(
      await page
        .locator(`[data-technician="${field.technician.id}"] .board-visit[data-number="${waiting}"]`)
        .count(),
    ).toBe(1);
    expect(await page.locator(`#queue [data-number="${waiting}"]`).count()).toBe(0);
    expect(await page.locator(".run-list .run-applied").count()).toBe(1);
    expect(scriptErrors).toEqual([]);
  }, 90_000);
});
