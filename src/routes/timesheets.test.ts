// Timesheet pages: the technician's day as plain forms, the supervisors' review, and who may reach them.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture, parse, signedIn } from "../../test/helpers";

let home: Fixture;
let away: Fixture;
const DAY = "2026-11-20";

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("SheetHome"), createOrg("SheetAway")]);
});

describe("timesheet pages", () => {
  test("a technician adds time, sees it, fixes a mistake and submits; a supervisor approves", async () => {
    const tech = await signedIn(home, "technician");
    const bad = await tech.post("/tech/timesheet/entries", {
      day: DAY,
      kind: "work",
      from: "11:00",
      to: "10:00",
      note: "Van",
    });
    expect(bad.status).toBe(422);
    const form = parse(await bad.text());
    expect(form.querySelector("#to-error")?.textContent).toBe("The end must come after the start.");
    expect(form.querySelector("#note")?.getAttribute("value")).toBe("Van");

    expect(
      (
        await tech.post("/tech/timesheet/entries", {
          day: DAY,
          kind: "work",
          from: "08:00",
          to: "10:30",
          note: "Van",
        })
      ).status,
    ).toBe(303);
    const page = await tech.page(`/tech/timesheet?day=${DAY}`);
    expect(page.document.querySelector("table.timesheet td:nth-child(3)")?.textContent).toBe("Van");
    expect(page.document.querySelector(".totals")?.textContent).toContain("Total 2 h 30 min");
    expect((await tech.post("/tech/timesheet/submit", { day: DAY })).status).toBe(303);
    expect(
      (await tech.page(`/tech/timesheet?day=${DAY}`)).document.querySelector(
        "form[action='/tech/timesheet/submit']",
      ),
    ).toBeNull();

    const supervisor = await signedIn(home, "supervisor");
    const list = await supervisor.page("/fsm/timesheets");
    const link = list.document.querySelector("table.timesheets a");
    expect(link?.textContent).toBe(`${home.users.technician.name} · ${DAY}`);
    const review = await supervisor.page(String(link?.getAttribute("href")));
    expect(review.status).toBe(200);
    const noNote = await supervisor.post(`/fsm/timesheets/${home.users.technician.id}/${DAY}/decision`, {
      decision: "reject",
    });
    expect(noNote.status).toBe(422);
    expect(parse(await noNote.text()).querySelector("#note-error")?.textContent).toBe(
      "Say what needs correcting.",
    );
    const approved = await supervisor.post(`/fsm/timesheets/${home.users.technician.id}/${DAY}/decision`, {
      decision: "approve",
    });
    expect(approved.status).toBe(303);
    const done = await supervisor.page("/fsm/timesheets?status=approved");
    expect(done.document.querySelector("table.timesheets a")?.textContent).toBe(
      `${home.users.technician.name} · ${DAY}`,
    );
  });

  test("only technicians keep timesheets and only supervisors and admins review them, in their own organization", async () => {
    for (const role of ["agent", "dispatcher", "customer"] as const) {
      const client = await signedIn(home, role);
      expect((await client.get("/tech/timesheet")).status).toBe(403);
      expect(
        (await client.post("/tech/timesheet/entries", { day: DAY, kind: "work", from: "08:00", to: "09:00" }))
          .status,
      ).toBe(403);
    }
    for (const role of ["agent", "dispatcher", "technician", "customer"] as const) {
      const client = await signedIn(home, role);
      expect((await client.get("/fsm/timesheets")).status).toBe(403);
      expect((await client.get(`/fsm/timesheets/${home.users.technician.id}/${DAY}`)).status).toBe(403);
      expect(
        (
          await client.post(`/fsm/timesheets/${home.users.technician.id}/${DAY}/decision`, {
            decision: "approve",
          })
        ).status,
      ).toBe(403);
    }
    const stranger = await signedIn(away, "supervisor");
    expect((await stranger.get(`/fsm/timesheets/${home.users.technician.id}/${DAY}`)).status).toBe(404);
    expect(
      (
        await stranger.post(`/fsm/timesheets/${home.users.technician.id}/${DAY}/decision`, {
          decision: "approve",
        })
      ).status,
    ).toBe(404);
    expect(
      (await stranger.page("/fsm/timesheets?status=approved")).document.querySelector("table.timesheets a"),
    ).toBeNull();
  });
});
