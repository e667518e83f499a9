// /admin/webhooks: forms that re-render with the field marked and the values kept, the secret on
// the webhook's page, the delivery log, re-enabling, and nothing of another organization.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { events, jobs, webhookDeliveries, webhookSubscriptions } from "../../db/schema";
import { type Client, createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { DELIVER_QUEUE } from "../domain/webhooks/fanout";

let home: Fixture;
let away: Fixture;
let admin: Client;
let awayAdmin: Client;

beforeAll(async () => {
  home = await createOrg("Home");
  away = await createOrg("Away");
  admin = await signedIn(home, "admin");
  awayAdmin = await signedIn(away, "admin");
});

async function insertHook(orgId: string, values: Partial<typeof webhookSubscriptions.$inferInsert> = {}) {
  const { db } = await testDatabase();
  const now = new Date();
  const [row] = await db
    .insert(webhookSubscriptions)
    .values({
      orgId,
      name: "CRM sync",
      url: "http://127.0.0.1:9/hooks",
      eventTypes: ["ticket.created"],
      secret: `whsec_${crypto.randomUUID()}`,
      createdAt: now,
      updatedAt: now,
      ...values,
    })
    .returning();
  return row;
}

describe("/admin/webhooks", () => {
  test("a wrong address and no event types re-render the form with the fields marked and values kept", async () => {
    const response = await admin.post("/admin/webhooks", {
      name: "Internal",
      url: "http://169.254.169.254/latest",
      otherEventTypes: "",
    });
    expect(response.status).toBe(422);
    const page = parse(await response.text());
    const url = page.querySelector("#url")!;
    expect(url.getAttribute("value")).toBe("http://169.254.169.254/latest");
    expect(url.closest(".field")!.className).toContain("invalid");
    expect(page.querySelector("#url-error")!.textContent).toContain("link-local");
    expect(page.querySelector("#eventTypes-error")!.textContent).toContain("Choose at least one event type");
    expect(page.querySelector("#name")!.getAttribute("value")).toBe("Internal");

    const typo = await admin.post("/admin/webhooks", {
      name: "Typo",
      url: "ftp://example.com/x",
      eventTypes: ["ticket.created", "email.failed"],
      otherEventTypes: "Not A Type",
    });
    expect(typo.status).toBe(422);
    const again = parse(await typo.text());
    expect(again.querySelector("#url-error")!.textContent).toContain("https://");
    expect(again.querySelector("#otherEventTypes-error")!.textContent).toContain("Not");
    const checked = [...again.querySelectorAll('input[name="eventTypes"]')]
      .filter((i) => i.hasAttribute("checked"))
      .map((i) => i.getAttribute("value"));
    expect(checked).toEqual(["ticket.created", "email.failed"]);
    const { db } = await testDatabase();
    expect(
      await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.orgId, home.orgId)),
    ).toHaveLength(0);
  });

  test("creating a webhook shows its secret; editing it changes it; both are events", async () => {
    // Loopback receivers need the organization's permission.
    const setting = await admin.post("/admin/webhooks/settings", { allowPrivateTargets: "1" });
    expect(setting.status).toBe(303);
    const created = await admin.post("/admin/webhooks", {
      name: "Local receiver",
      url: "http://127.0.0.1:9/hook",
      eventTypes: ["ticket.created"],
      otherEventTypes: "work_order.scheduled",
    });
    expect(created.status).toBe(303);
    const location = created.headers.get("location")!;
    expect(location).toMatch(/^\/admin\/webhooks\/[0-9a-f-]{36}\?notice=created$/);
    const page = await admin.page(location);
    expect(page.response.headers.get("cache-control")).toBe("no-store");
    const { db } = await testDatabase();
    const [row] = await db
      .select()
      .from(webhookSubscriptions)
      .where(eq(webhookSubscriptions.orgId, home.orgId));
    expect(row.eventTypes).toEqual(["ticket.created", "work_order.scheduled"]);
    expect(page.document.querySelector("code.secret")!.textContent).toBe(row.secret);
    expect(page.document.querySelector("#otherEventTypes")!.getAttribute("value")).toBe(
      "work_order.scheduled",
    );

    const saved = await admin.post(`/admin/webhooks/${row.id}`, {
      name: "Local receiver",
      url: "http://127.0.0.1:9/other",
      eventTypes: "*",
    });
    expect(saved.status).toBe(303);
    const [after] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, row.id));
    expect(after).toMatchObject({ url: "http://127.0.0.1:9/other", eventTypes: ["*"] });
    const bad = await admin.post(`/admin/webhooks/${row.id}`, {
      name: "",
      url: "http://127.0.0.1:9/x",
      eventTypes: "*",
    });
    expect(bad.status).toBe(422);
    const types = (
      await db.select({ type: events.type }).from(events).where(eq(events.orgId, home.orgId))
    ).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(["webhook.settings_changed", "webhook.created", "webhook.updated"]),
    );

    const tested = await admin.post(`/admin/webhooks/${row.id}/test`);
    expect(tested.status).toBe(303);
    const queued = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.orgId, home.orgId), eq(jobs.queue, DELIVER_QUEUE)));
    expect(queued.some((j) => j.payload.test === true && j.payload.subscriptionId === row.id)).toBe(true);

    const deleted = await admin.post(`/admin/webhooks/${row.id}/delete`);
    expect(deleted.headers.get("location")).toBe("/admin/webhooks?notice=deleted");
    expect(
      await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, row.id)),
    ).toHaveLength(0);
    await db.delete(jobs).where(eq(jobs.orgId, home.orgId));
  });

  test("a disabled webhook shows why in the list and on its page, with its deliveries, and can be re-enabled", async () => {
    const hook = await insertHook(home.orgId, {
      name: "Broken <CRM>",
      active: false,
      disabledAt: new Date(),
      disabledReason: "15 deliveries in a row failed; the last: Answered 500: <html>oops</html>",
      consecutiveFailures: 15,
    });
    const { db } = await testDatabase();
    await db.insert(webhookDeliveries).values({
      orgId: home.orgId,
      subscriptionId: hook.id,
      deliveryId: crypto.randomUUID(),
      eventSeq: 1,
      eventType: "ticket.created",
      attempt: 3,
      status: "failed",
      responseCode: 500,
      responseTimeMs: 12,
      error: "Answered 500: <html>oops</html>",
      createdAt: new Date(),
    });
    const list = await admin.page("/admin/webhooks");
    const row = list.document.querySelector(`tr[data-id="${hook.id}"]`)!;
    expect(row.textContent).toContain("Broken <CRM>");
    expect(row.querySelector(".badge")!.textContent).toBe("Disabled");
    expect(row.querySelector(".disabled-reason")!.textContent).toContain("Answered 500: <html>oops</html>");

    const page = await admin.page(`/admin/webhooks/${hook.id}`);
    const delivery = page.document.querySelector("table.deliveries tbody tr")!;
    expect(delivery.querySelector(".code")!.textContent).toBe("500");
    expect(delivery.textContent).toContain("12 ms");
    const enabled = await admin.post(`/admin/webhooks/${hook.id}/enable`);
    expect(enabled.status).toBe(303);
    const [after] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, hook.id));
    expect(after).toMatchObject({ active: true, consecutiveFailures: 0, disabledReason: null });
  });

  test("another organization's webhooks cannot be seen or changed", async () => {
    const hook = await insertHook(home.orgId, { name: "Home only hook" });
    const list = await awayAdmin.page("/admin/webhooks");
    expect(list.document.querySelector("main")!.textContent).not.toContain("Home only hook");
    expect((await awayAdmin.get(`/admin/webhooks/${hook.id}`)).status).toBe(404);
    for (const action of ["test", "enable", "disable", "delete"])
      expect((await awayAdmin.post(`/admin/webhooks/${hook.id}/${action}`)).status).toBe(404);
    const edit = await awayAdmin.post(`/admin/webhooks/${hook.id}`, {
      name: "Taken",
      url: "https://93.184.216.34/x",
      eventTypes: "*",
    });
    expect(edit.status).toBe(404);
    const { db } = await testDatabase();
    const [still] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, hook.id));
    expect(still).toMatchObject({ name: "Home only hook", active: true });
  });
});
