// The report page: the period chosen, the figures of the supervisor's own organization only.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture, signedIn } from "../../test/helpers";
import { createTicket } from "../domain/tickets/commands";

let home: Fixture;
let away: Fixture;

beforeAll(async () => {
  home = await createOrg("ReportPage");
  away = await createOrg("ReportPageAway");
  await createTicket(home.ctx("customer"), { subject: "Door sensor", body: "Keeps beeping." });
  for (const subject of ["One", "Two"]) await createTicket(away.ctx("customer"), { subject, body: "x" });
});

describe("report page", () => {
  test("a supervisor sees the period's figures of their organization, and may choose another period", async () => {
    const supervisor = await signedIn(home, "supervisor");
    const page = await supervisor.page("/desk/reports?days=7");
    expect(page.status).toBe(200);
    const doc = page.document;
    expect(doc.querySelector("#days option[selected]")?.getAttribute("value")).toBe("7");
    const tile = [...doc.querySelectorAll(".tiles li")].find(
      (li) => li.querySelector("h2")?.textContent === "Tickets",
    );
    expect(tile?.querySelector(".figure strong")?.textContent).toBe("1");
    expect([...doc.querySelectorAll("table td")].map((td) => td.textContent)).toEqual(["Portal", "1"]);
    // An unknown period shows the default one instead of failing.
    const fallback = await supervisor.page("/desk/reports?days=abc");
    expect(fallback.document.querySelector("#days option[selected]")?.getAttribute("value")).toBe("30");
    expect(doc.querySelector('nav.top a[href="/desk/reports"]')).not.toBeNull();
  });

  test("agents are neither offered the page nor let in", async () => {
    const agent = await signedIn(home, "agent");
    const list = await agent.page("/desk/tickets");
    expect(list.document.querySelector('nav.top a[href="/desk/reports"]')).toBeNull();
    expect((await agent.get("/desk/reports")).status).toBe(403);
  });
});
