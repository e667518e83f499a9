// The navigation offers each role only what it may open, and every link it offers opens; a
// technician told of a new visit sees it on the phone's first page and in their notifications.
import { beforeAll, describe, expect, test } from "bun:test";
import type { Role } from "../../db/schema";
import { createOrg, type Fixture, signedIn } from "../../test/helpers";
import { createWorkOrder, scheduleAppointment } from "../domain/fsm/workOrders";

let home: Fixture;

beforeAll(async () => {
  home = await createOrg("Navigation");
});

describe("navigation", () => {
  for (const role of ["admin", "supervisor", "agent", "dispatcher", "technician"] as Role[]) {
    test(`every link in the ${role}'s navigation opens`, async () => {
      const client = await signedIn(home, role);
      const start = await client.page(role === "technician" ? "/notifications" : "/account");
      const links = [...start.document.querySelectorAll("nav.top a[href]")].map(
        (a) => a.getAttribute("href")!,
      );
      expect(links.length).toBeGreaterThan(2);
      for (const href of links) {
        let response = await client.get(href);
        // "/" sends each person on to their own area.
        if (response.status === 303) response = await client.get(response.headers.get("location")!);
        await response.text();
        expect(`${href} ${response.status}`).toBe(`${href} 200`);
      }
    });
  }

  test("a dispatcher is not offered the ticket desk's writing tools", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const nav = (await dispatcher.page("/fsm/work-orders")).document.querySelector("nav.top")!;
    const hrefs = [...nav.querySelectorAll("a")].map((a) => a.getAttribute("href"));
    expect(hrefs).toContain("/desk/tickets");
    expect(hrefs).toContain("/fsm/dispatch");
    expect(hrefs).not.toContain("/desk/tickets/new");
    expect(hrefs).not.toContain("/desk/kb");
  });

  test("a technician given a visit sees it waiting on the phone and in notifications", async () => {
    const ctx = home.ctx("dispatcher");
    const wo = await createWorkOrder(ctx, { subject: "Leaking valve" });
    await scheduleAppointment(ctx, wo.id, {
      override: true,
      startsAt: new Date(ctx.now.getTime() + 86_400_000),
      endsAt: new Date(ctx.now.getTime() + 86_400_000 + 3_600_000),
      technicianIds: [home.users.technician.id],
    });
    const tech = await signedIn(home, "technician");
    const today = await tech.page("/tech");
    expect(today.document.querySelector("#unread a")?.textContent).toBe("1 unread notification");
    const list = await tech.page("/notifications");
    expect(list.document.querySelector("main")?.textContent).toContain("New visit:");
    expect(list.document.querySelector("main")?.textContent).toContain("Leaking valve");
  });
});
