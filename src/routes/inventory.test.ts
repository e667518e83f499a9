// Inventory pages through HTTP, as a browser without JavaScript: who may open them, the forms'
// errors with what was typed kept, the technician's van and parts on a visit, the office's
// override on the work order page, and another organization's locations not found.
import { beforeAll, describe, expect, test } from "bun:test";
import { parts } from "../../db/schema";
import { Client, createOrg, type Fixture, signedIn } from "../../test/helpers";
import { createLocation, receiveStock, setReorderLevel } from "../domain/fsm/inventory";
import { formatWorkOrderNumber } from "../domain/fsm/rules";
import { createWorkOrder, scheduleAppointment } from "../domain/fsm/workOrders";

let org: Fixture;
let away: Fixture;
let dispatcher: Client;
let tech: Client;
let partId: string;
let warehouse: string;
let van: string;
let awayLocation: string;

async function addPart(f: Fixture, sku: string, name: string) {
  const [row] = await f
    .ctx("admin")
    .db.insert(parts)
    .values({ orgId: f.orgId, sku, name, costMinor: 1800, priceMinor: 4500, currency: "USD" })
    .returning();
  return row.id;
}

const html = async (response: Response) =>
  (await import("linkedom")).parseHTML(await response.text()).document;

beforeAll(async () => {
  org = await createOrg("StockRoutes");
  away = await createOrg("StockRoutesAway");
  partId = await addPart(org, "SKU-123", "Run capacitor");
  warehouse = (await createLocation(org.ctx("dispatcher"), { kind: "warehouse", name: "Main store" })).id;
  van = (
    await createLocation(org.ctx("dispatcher"), {
      kind: "van",
      name: "Van VBA 9",
      technicianUserId: org.users.technician.id,
    })
  ).id;
  awayLocation = (await createLocation(away.ctx("dispatcher"), { kind: "warehouse", name: "Away store" })).id;
  dispatcher = await signedIn(org, "dispatcher");
  tech = await signedIn(org, "technician");
});

describe("who may open the inventory", () => {
  const pages = () => [
    "/fsm/inventory",
    `/fsm/inventory/locations/${warehouse}`,
    "/fsm/inventory/locations/new",
    "/fsm/inventory/receipts/new",
    "/fsm/inventory/transfers/new",
    "/fsm/inventory/adjustments/new",
  ];

  test("dispatchers, supervisors and admins; not technicians, agents or customers", async () => {
    for (const role of ["dispatcher", "supervisor", "admin"] as const) {
      const client = await signedIn(org, role);
      for (const path of pages()) expect([path, (await client.get(path)).status]).toEqual([path, 200]);
    }
    for (const role of ["technician", "agent", "customer"] as const) {
      const client = await signedIn(org, role);
      for (const path of pages()) expect([path, (await client.get(path)).status]).toEqual([path, 403]);
      const post = await client.post("/fsm/inventory/receipts", {
        locationId: warehouse,
        partId,
        quantity: "5",
      });
      expect(post.status).toBe(403);
    }
    const visitor = await new Client().get("/fsm/inventory");
    expect(visitor.headers.get("location")).toStartWith("/login");
  });

  test("another organization's location is not found", async () => {
    const awayDispatcher = await signedIn(away, "dispatcher");
    expect((await awayDispatcher.get(`/fsm/inventory/locations/${warehouse}`)).status).toBe(404);
    expect(
      (
        await awayDispatcher.post(`/fsm/inventory/locations/${warehouse}/reorder`, {
          partId,
          reorderLevel: "2",
        })
      ).status,
    ).toBe(404);
    expect((await dispatcher.get(`/fsm/inventory/locations/${awayLocation}`)).status).toBe(404);
    expect((await dispatcher.get("/fsm/inventory/locations/not-a-uuid")).status).toBe(404);
    // Their list never shows this organization's stock.
    const list = await awayDispatcher.page("/fsm/inventory");
    expect(list.document.body.textContent).not.toContain("Main store");
    // A receipt into another organization's location is refused as an unknown choice.
    const refused = await awayDispatcher.post("/fsm/inventory/receipts", {
      locationId: warehouse,
      partId,
      quantity: "1",
    });
    expect(refused.status).toBe(422);
  });
});

describe("the forms", () => {
  test("a receipt with bad input comes back marked, with what was typed kept", async () => {
    const response = await dispatcher.post("/fsm/inventory/receipts", {
      locationId: warehouse,
      partId,
      quantity: "0",
      supplier: "Daikin Supplies",
      reference: "PO-1",
      unitCost: "abc",
    });
    expect(response.status).toBe(422);
    const document = await html(response);
    expect(document.querySelector(".field.invalid #quantity")).toBeTruthy();
    expect(document.querySelector("#quantity-error")?.textContent).toContain("whole quantity");
    expect(document.querySelector("#unitCost-error")?.textContent).toContain("18.00");
    expect(document.querySelector("#supplier")?.getAttribute("value")).toBe("Daikin Supplies");
    expect(document.querySelector("#reference")?.getAttribute("value")).toBe("PO-1");
    expect(document.querySelector(`#locationId option[value="${warehouse}"]`)?.hasAttribute("selected")).toBe(
      true,
    );
    expect(document.querySelector(`#partId option[value="${partId}"]`)?.hasAttribute("selected")).toBe(true);
  });

  test("a receipt lands on the location's page with its level and movement", async () => {
    const response = await dispatcher.post("/fsm/inventory/receipts", {
      locationId: warehouse,
      partId,
      quantity: "12",
      supplier: "Daikin Supplies",
      reference: "PO-2",
      unitCost: "17.50",
    });
    expect(response.status).toBe(303);
    const next = response.headers.get("location")!;
    expect(next).toBe(`/fsm/inventory/locations/${warehouse}?notice=received`);
    const { document } = await dispatcher.page(next);
    expect(document.querySelector(".alert.ok")?.textContent).toBe("Parts received.");
    expect(document.querySelector(`.stock-levels tr[data-part="${partId}"] .quantity`)?.textContent).toBe(
      "12",
    );
    const movement = document.querySelector(".stock-movements tr.movement-receipt");
    expect(movement?.textContent).toContain("+12");
    expect(movement?.textContent).toContain("Daikin Supplies · PO-2");
  });

  test("a transfer of more than the source holds is refused with the field marked", async () => {
    const response = await dispatcher.post("/fsm/inventory/transfers", {
      fromId: warehouse,
      toId: van,
      partId,
      quantity: "500",
    });
    expect(response.status).toBe(409);
    const document = await html(response);
    expect(document.querySelector("#quantity-error")?.textContent).toBe("Main store has 12 of SKU-123.");
    expect(document.querySelector("#quantity")?.getAttribute("value")).toBe("500");
    expect(document.querySelector(`#toId option[value="${van}"]`)?.hasAttribute("selected")).toBe(true);
    const ok = await dispatcher.post("/fsm/inventory/transfers", {
      fromId: warehouse,
      toId: van,
      partId,
      quantity: "2",
    });
    expect(ok.status).toBe(303);
  });

  test("a count correction needs a reason; a location needs a name; a reorder level a number", async () => {
    const adjustment = await dispatcher.post("/fsm/inventory/adjustments", {
      locationId: warehouse,
      partId,
      counted: "9",
      reason: "",
    });
    expect(adjustment.status).toBe(422);
    const adjusted = await html(adjustment);
    expect(adjusted.querySelector("#reason-error")?.textContent).toBe("Say why the count differs.");
    expect(adjusted.querySelector("#counted")?.getAttribute("value")).toBe("9");
    const location = await dispatcher.post("/fsm/inventory/locations", { kind: "van", name: "" });
    expect(location.status).toBe(422);
    const located = await html(location);
    expect(located.querySelector(".field.invalid #name")).toBeTruthy();
    expect(located.querySelector("#technicianUserId-error")).toBeTruthy();
    const reorder = await dispatcher.post(`/fsm/inventory/locations/${warehouse}/reorder`, {
      partId,
      reorderLevel: "lots",
    });
    expect(reorder.status).toBe(422);
    const reordered = await html(reorder);
    expect(reordered.querySelector("#reorderLevel-error")).toBeTruthy();
    expect(reordered.querySelector("#reorderLevel")?.getAttribute("value")).toBe("lots");
    const created = await dispatcher.post("/fsm/inventory/locations", {
      kind: "warehouse",
      name: "Penang store",
    });
    expect(created.status).toBe(303);
    expect(created.headers.get("location")).toEndWith("?notice=created");
  });

  test("the list highlights what is below its reorder level and filters by location and part", async () => {
    await setReorderLevel(org.ctx("dispatcher"), warehouse, { partId, reorderLevel: "20" });
    const { document } = await dispatcher.page("/fsm/inventory");
    const below = document.querySelectorAll("#below-reorder tr.below-reorder");
    expect(below.length).toBe(1);
    expect(below[0].textContent).toContain("Main store");
    const byVan = await dispatcher.page(`/fsm/inventory?locationId=${van}`);
    const rows = [
      ...byVan.document.querySelectorAll("table.stock-levels:not(#below-reorder table) tbody tr"),
    ];
    expect(rows.map((r) => r.getAttribute("data-location"))).toContain(van);
    const onlyBelow = await dispatcher.page("/fsm/inventory?below=1");
    const listed = [...onlyBelow.document.querySelectorAll("table.stock-levels tbody tr")].map((r) =>
      r.getAttribute("data-location"),
    );
    expect(listed.every((l) => l === warehouse)).toBe(true);
    await setReorderLevel(org.ctx("dispatcher"), warehouse, { partId, reorderLevel: "" });
  });
});

describe("parts on a visit", () => {
  async function visitOf(subject: string) {
    const wo = await createWorkOrder(org.ctx("dispatcher"), { subject });
    const appointment = await scheduleAppointment(org.ctx("dispatcher"), wo.id, {
      override: true,
      startsAt: new Date(Date.now() + 3600_000),
      endsAt: new Date(Date.now() + 7200_000),
      technicianIds: [org.users.technician.id],
    });
    return { wo, appointment };
  }

  test("the technician sees their van, takes from it, is refused past it, and puts parts back", async () => {
    const vanPage = await tech.page("/tech/van");
    expect(vanPage.status).toBe(200);
    expect(vanPage.document.querySelector("h1")?.textContent).toBe("Van VBA 9");
    expect(vanPage.document.querySelector(".van-stock")?.textContent).toContain("2 × SKU-123 Run capacitor");
    expect(vanPage.document.querySelector("script")).toBeNull();
    expect(vanPage.document.querySelector('meta[name="viewport"]')).toBeTruthy();

    const { appointment } = await visitOf("Compressor trips");
    const base = `/tech/appointments/${appointment.id}`;
    const page = await tech.page(base);
    expect(page.document.querySelector(`#partId option[value="${partId}"]`)?.textContent).toContain(
      "(2 in van)",
    );
    const tooMany = await tech.post(`${base}/parts`, { partId, quantity: "3" });
    expect(tooMany.status).toBe(409);
    const refused = await html(tooMany);
    expect(refused.querySelector(".alert.error")?.textContent).toBe(
      "Your van has 2 of SKU-123; ask a supervisor to override.",
    );
    expect(refused.querySelector("#quantity")?.getAttribute("value")).toBe("3");
    expect((await tech.post(`${base}/parts`, { partId, quantity: "2" })).status).toBe(303);
    const used = await tech.page("/tech/van");
    expect(used.document.querySelector(".van-stock")?.textContent).toContain("0 × SKU-123");
    const visit = await tech.page(base);
    const remove = visit.document.querySelector(".parts-used form");
    expect(remove).toBeTruthy();
    const removed = await tech.post(remove!.getAttribute("action")!);
    expect(removed.status).toBe(303);
    expect(removed.headers.get("location")).toBe(`${base}?notice=removed`);
    const back = await tech.page("/tech/van");
    expect(back.document.querySelector(".van-stock")?.textContent).toContain("2 × SKU-123");
  });

  test("the office records a part used past the van's stock only with an override reason", async () => {
    const { wo, appointment } = await visitOf("Leaking unit");
    const base = `/fsm/work-orders/${formatWorkOrderNumber(wo.number)}`;
    const page = await dispatcher.page(base);
    expect(page.document.querySelector(`form[action="${base}/parts-used"]`)).toBeTruthy();
    const noReason = await dispatcher.post(`${base}/parts-used`, {
      appointmentId: appointment.id,
      partId,
      quantity: "5",
      locationId: "",
      overrideReason: "",
    });
    expect(noReason.status).toBe(409);
    const refused = await html(noReason);
    expect(refused.querySelector("#overrideReason-error")?.textContent).toContain(
      "Van VBA 9 has 2 of SKU-123",
    );
    expect(refused.querySelector("#usedQuantity")?.getAttribute("value")).toBe("5");
    const overridden = await dispatcher.post(`${base}/parts-used`, {
      appointmentId: appointment.id,
      partId,
      quantity: "5",
      locationId: "",
      overrideReason: "Spare units from the customer's store",
    });
    expect(overridden.status).toBe(303);
    const after = await dispatcher.page(base);
    const row = after.document.querySelector(".visit-parts tbody tr");
    expect(row?.textContent).toContain("Van VBA 9");
    expect(row?.querySelector(".stock-override")).toBeTruthy();
    expect(row?.textContent).toContain("Spare units from the customer's store");
    const vanPage = await dispatcher.page(`/fsm/inventory/locations/${van}`);
    expect(vanPage.document.querySelector(".stock-levels .stock-negative")?.textContent).toBe("-3");
    expect(vanPage.document.querySelector(".stock-movements tr.movement-used .stock-override")).toBeTruthy();
    // A visit of another work order is refused on this one's form.
    const other = await visitOf("Elsewhere");
    const wrong = await dispatcher.post(`${base}/parts-used`, {
      appointmentId: other.appointment.id,
      partId,
      quantity: "1",
    });
    expect(wrong.status).toBe(422);
    // Removing the line puts the five back.
    const remove = after.document.querySelector(".visit-parts form[action$='/remove']");
    expect((await dispatcher.post(remove!.getAttribute("action")!)).status).toBe(303);
    const restored = await dispatcher.page(`/fsm/inventory/locations/${van}`);
    expect(
      restored.document.querySelector(`.stock-levels tr[data-part="${partId}"] .quantity`)?.textContent,
    ).toBe("2");
  });

  test("agents see the work order without the stock form; technicians cannot post to it", async () => {
    const { wo, appointment } = await visitOf("Agent looks");
    const base = `/fsm/work-orders/${formatWorkOrderNumber(wo.number)}`;
    const agent = await signedIn(org, "agent");
    const page = await agent.page(base);
    expect(page.status).toBe(200);
    expect(page.document.querySelector("#visit-parts")).toBeNull();
    const posted = await tech.post(`${base}/parts-used`, {
      appointmentId: appointment.id,
      partId,
      quantity: "1",
    });
    expect(posted.status).toBe(403);
  });
});

// Keeps the receipt helper in use for fixtures that want stock without the forms.
test("receipts made in the domain show on the pages too", async () => {
  await receiveStock(org.ctx("dispatcher"), { locationId: van, partId, quantity: "1" });
  const { document } = await dispatcher.page(`/fsm/inventory?locationId=${van}&partId=${partId}`);
  expect(document.querySelector(`.stock-levels tr[data-location="${van}"] .quantity`)?.textContent).toBe("3");
});
