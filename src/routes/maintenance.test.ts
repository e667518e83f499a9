// Maintenance plan pages through HTTP: who may use them, the form's errors, the plan's page with
// its next occurrences and the work orders the daily job made, and other organizations kept out.
import { beforeAll, describe, expect, test } from "bun:test";
import { assets, serviceLocations, skills } from "../../db/schema";
import { Client, type Client as ClientType, createOrg, type Fixture, signedIn } from "../../test/helpers";
import { instantToLocal } from "../domain/fsm/field";
import { makeDueMaintenanceWorkOrders } from "../domain/fsm/maintenance";

let org: Fixture;
let away: Fixture;
let dispatcher: ClientType;
let assetId: string;
let skillId: string;

beforeAll(async () => {
  org = await createOrg("PlanRoutes");
  away = await createOrg("PlanRoutesAway");
  const db = org.ctx("admin").db;
  const [location] = await db
    .insert(serviceLocations)
    .values({ orgId: org.orgId, name: "Plant room", address: "Jalan Tun Razak 9" })
    .returning();
  const [asset] = await db
    .insert(assets)
    .values({ orgId: org.orgId, locationId: location.id, type: "Generator", serial: "GEN-7" })
    .returning();
  assetId = asset.id;
  const [skill] = await db.insert(skills).values({ orgId: org.orgId, name: "Generators" }).returning();
  skillId = skill.id;
  dispatcher = await signedIn(org, "dispatcher");
});

/** Today where the organization is (Kuala Lumpur), which is what plans count from. */
const today = () => instantToLocal(new Date(), "Asia/Kuala_Lumpur").slice(0, 10);

describe("maintenance plan pages", () => {
  test("are for dispatchers, supervisors and admins only", async () => {
    for (const role of ["agent", "technician", "customer"] as const) {
      const client = await signedIn(org, role);
      expect((await client.get("/fsm/maintenance")).status).toBe(403);
      expect((await client.post("/fsm/maintenance", { title: "x" })).status).toBe(403);
    }
    expect((await (await signedIn(org, "admin")).get("/fsm/maintenance/new")).status).toBe(200);
    const visitor = await new Client().get("/fsm/maintenance");
    expect(visitor.headers.get("location")).toStartWith("/login");
  });

  test("a bad RRULE comes back marked, with everything typed kept", async () => {
    const response = await dispatcher.post("/fsm/maintenance", {
      title: "Generator load test",
      assetId,
      skillIds: [skillId],
      recurrenceKind: "rrule",
      rrule: "FREQ=MONTHLY;BYDAY=9MO",
      startsOn: today(),
      leadDays: "7",
    });
    expect(response.status).toBe(422);
    const { document } = await import("linkedom").then(async (m) => m.parseHTML(await response.text()));
    expect(document.querySelector(".field.invalid #rrule")).toBeTruthy();
    expect(document.querySelector("#rrule-error")?.textContent).toContain("1 to 5");
    expect(document.querySelector("#rrule")?.getAttribute("value")).toBe("FREQ=MONTHLY;BYDAY=9MO");
    expect(document.querySelector("#title")?.getAttribute("value")).toBe("Generator load test");
    expect(document.querySelector("#leadDays")?.getAttribute("value")).toBe("7");
    expect(
      document.querySelector('input[name="recurrenceKind"][value="rrule"]')?.hasAttribute("checked"),
    ).toBe(true);
    expect(
      document.querySelector(`input[name="skillIds"][value="${skillId}"]`)?.hasAttribute("checked"),
    ).toBe(true);
    expect(document.querySelector(`#assetId option[value="${assetId}"]`)?.hasAttribute("selected")).toBe(
      true,
    );
  });

  test("create, add a line, see the next occurrences and the work orders made; pause it", async () => {
    const created = await dispatcher.post("/fsm/maintenance", {
      title: "Weekly generator run",
      assetId,
      skillIds: skillId,
      recurrenceKind: "interval",
      intervalCount: "1",
      intervalUnit: "week",
      startsOn: today(),
      leadDays: "14",
    });
    expect(created.status).toBe(303);
    const url = created.headers.get("location")!;
    expect(url).toMatch(/^\/fsm\/maintenance\/[0-9a-f-]{36}\?notice=created$/);
    const base = url.split("?")[0];
    const badLine = await dispatcher.post(`${base}/lines`, { kind: "labour", quantity: "1", unitPrice: "" });
    expect(badLine.status).toBe(422);
    await dispatcher.post(`${base}/lines`, {
      kind: "labour",
      description: "Run for 30 minutes",
      quantity: "1",
      unitPrice: "60",
    });
    const page = await dispatcher.page(base);
    expect(page.document.querySelectorAll(".next-occurrences li").length).toBe(10);
    expect(page.document.querySelector(".next-occurrences li")?.textContent).toBe(today());
    expect(page.document.querySelector("#total")?.textContent).toBe("USD 60.00");
    await makeDueMaintenanceWorkOrders(org.ctx("admin").db, new Date());
    const after = await dispatcher.page(base);
    const links = after.document.querySelectorAll(".plan-work-orders a");
    expect(links.length).toBe(3); // today, +7 and +14 days
    const wo = await dispatcher.page(links[0].getAttribute("href")!);
    expect(wo.document.querySelector("a.from-plan")?.getAttribute("href")).toBe(base);
    expect(wo.document.querySelector("#total")?.textContent).toBe("USD 60.00");
    const list = await dispatcher.page("/fsm/maintenance");
    expect(list.document.querySelector(`a[href="${base}"]`)?.textContent).toBe("Weekly generator run");
    const paused = await dispatcher.post(`${base}/active`, { active: "0" });
    expect(paused.status).toBe(303);
    expect((await dispatcher.page(base)).document.querySelector(".badge")?.textContent).toBe("Paused");
  });

  test("the edit form starts from the plan and keeps what was typed on error", async () => {
    const created = await dispatcher.post("/fsm/maintenance", {
      title: "Annual inspection",
      assetId,
      recurrenceKind: "dates",
      dates: "2030-01-15\n2031-01-15",
      startsOn: "2030-01-01",
    });
    const base = created.headers.get("location")!.split("?")[0];
    const edit = await dispatcher.page(`${base}/edit`);
    expect(edit.document.querySelector("#dates")?.textContent).toBe("2030-01-15\n2031-01-15");
    expect(
      edit.document.querySelector('input[name="recurrenceKind"][value="dates"]')?.hasAttribute("checked"),
    ).toBe(true);
    const bad = await dispatcher.post(base, {
      title: "Annual inspection",
      assetId,
      recurrenceKind: "dates",
      dates: "2030-01-15\n15/01/2031",
      startsOn: "2030-01-01",
    });
    expect(bad.status).toBe(422);
    const document = await import("linkedom").then(async (m) => m.parseHTML(await bad.text()).document);
    expect(document.querySelector("#dates-error")?.textContent).toContain("15/01/2031");
    expect(document.querySelector("#dates")?.textContent).toBe("2030-01-15\n15/01/2031");
    const saved = await dispatcher.post(base, {
      title: "Annual inspection (revised)",
      assetId,
      recurrenceKind: "rrule",
      rrule: "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=15",
      startsOn: "2030-01-01",
    });
    expect(saved.status).toBe(303);
    const page = await dispatcher.page(base);
    expect(page.document.querySelector("h1")?.textContent).toBe("Annual inspection (revised)");
    expect(page.document.querySelector(".next-occurrences li")?.textContent).toBe("2030-01-15");
  });

  test("another organization's plan is not found", async () => {
    const created = await dispatcher.post("/fsm/maintenance", {
      title: "Private plan",
      assetId,
      recurrenceKind: "interval",
      intervalCount: "1",
      intervalUnit: "month",
      startsOn: today(),
    });
    const base = created.headers.get("location")!.split("?")[0];
    for (const role of ["admin", "dispatcher"] as const) {
      const client = await signedIn(away, role);
      expect((await client.get(base)).status).toBe(404);
      expect((await client.get(`${base}/edit`)).status).toBe(404);
      expect((await client.post(`${base}/active`, { active: "0" })).status).toBe(404);
      expect(
        (await client.post(`${base}/lines`, { kind: "labour", quantity: "1", unitPrice: "1" })).status,
      ).toBe(404);
      const list = await client.page("/fsm/maintenance");
      expect(list.document.querySelector(`a[href="${base}"]`)).toBeNull();
    }
    // Nor can it be attached to this organization's asset.
    const foreign = await (await signedIn(away, "dispatcher")).post("/fsm/maintenance", {
      title: "Steal",
      assetId,
      recurrenceKind: "interval",
      intervalCount: "1",
      intervalUnit: "month",
      startsOn: today(),
    });
    expect(foreign.status).toBe(422);
  });
});
