// Journey: an admin sets up a category with a subcategory and fields in the /admin/fields forms;
// an agent with JavaScript picks the subcategory on the new-ticket form, its fields swap in, a
// conditional field appears when its box is ticked, and the ticket is created with the values.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signIn } from "./browser";
import { type Journey, startJourney } from "./harness";

let journey: Journey | undefined;

beforeAll(async () => {
  journey = await startJourney({ label: "Fields" });
}, 60_000);

afterAll(async () => {
  await journey?.close();
});

describe("an admin and an agent", () => {
  test("set up fields; the agent's form swaps them in and shows the conditional one when needed", async () => {
    const { base, world } = journey!;
    const admin = await (await journey!.person()).newPage();
    await signIn(admin, base, world.admin.email);
    await admin.goto(`${base}/admin/fields`);
    await admin.getByLabel("Name").fill("Air conditioning");
    await Promise.all([
      admin.waitForURL(/notice=category-saved/),
      admin.getByRole("button", { name: "Add category" }).click(),
    ]);
    await admin.getByLabel("Name").fill("Leaking");
    await admin.getByLabel("Subcategory of").selectOption({ label: "Air conditioning" });
    await Promise.all([
      admin.waitForURL(/notice=category-saved/),
      admin.getByRole("button", { name: "Add category" }).click(),
    ]);

    const addField = async (section: string, fill: () => Promise<void>) => {
      await admin.goto(`${base}/admin/fields`);
      await Promise.all([
        admin.waitForURL(/\/admin\/fields\/new/),
        admin.locator(section).getByRole("link", { name: "Add a field" }).first().click(),
      ]);
      await fill();
      await Promise.all([
        admin.waitForURL(/notice=field-saved/),
        admin.getByRole("button", { name: "Save field" }).click(),
      ]);
    };
    const aircon = "section.category";
    await addField(aircon, async () => {
      await admin.getByLabel("Label").fill("Under warranty");
      await admin.getByLabel("Kind").selectOption("checkbox");
    });
    await addField(aircon, async () => {
      await admin.getByLabel("Label").fill("Warranty number");
      await admin.getByLabel("Show only when").selectOption({ label: "Under warranty" });
      await admin.getByLabel("is / has the value").fill("checked");
      await admin.getByLabel("Required (when shown)").check();
    });
    await addField(".subcategory", async () => {
      await admin.getByLabel("Label").fill("Leak location");
      await admin.getByLabel("Kind").selectOption("select");
      await admin.getByLabel("Choices (select and multi-select)").fill("Indoor unit\nOutdoor unit\nPiping");
      await admin.getByLabel("Required (when shown)").check();
    });

    // The agent works in the same browser context after the admin: headless Chromium was seen to send
    // a page's fetch() with another open context's cookies, which would make htmx post as the admin.
    await admin.context().clearCookies();
    const agent = admin;
    await signIn(agent, base, world.agent.email);
    // The fields block's on-load refresh answers slowly here, as on a busy server: a category chosen
    // meanwhile must not be undone by that answer.
    let slowed = false;
    await agent.route("**/desk/fields/form", async (route) => {
      if (!slowed) {
        slowed = true;
        await Bun.sleep(1500);
      }
      await route.continue().catch(() => {});
    });
    await agent.goto(`${base}/desk/tickets/new`);
    await agent.getByLabel("Requester email").fill(`lee@${world.tag}.test`);
    await agent.getByLabel("Subject").fill(`Leak ${world.tag}`);
    await agent.getByLabel("Description").fill("Water on the floor under the indoor unit.");
    await agent.locator("#category").selectOption({ label: "Leaking" });
    // htmx brings the subcategory's fields without a reload; the conditional one stays hidden.
    await agent.locator("#cf_leak_location").waitFor({ state: "visible" });
    expect(await agent.locator('[data-field="warranty_number"]').isHidden()).toBe(true);
    await agent.locator("#cf_under_warranty").check();
    await agent.locator("#cf_warranty_number").waitFor({ state: "visible" });
    await agent.locator("#cf_warranty_number").fill("WC-42");
    await agent.locator("#cf_leak_location").selectOption("Piping");
    await Promise.all([
      agent.waitForURL(/\/desk\/tickets\/TKT-\d+\?notice=created$/),
      agent.getByRole("button", { name: "Create ticket" }).click(),
    ]);
    const panel = agent.locator("#ticket-classification");
    await panel.locator("#cf_warranty_number").waitFor({ state: "visible" });
    expect(await panel.locator("#cf_warranty_number").inputValue()).toBe("WC-42");
    expect(await panel.locator("#cf_leak_location").inputValue()).toBe("Piping");
    expect(await agent.locator(".history").textContent()).toContain("in Air conditioning › Leaking");
  }, 90_000);
});
