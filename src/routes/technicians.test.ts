// Technicians' profiles: a dispatcher sets territory, shift, days, most jobs, skills and
// certifications (bad input marked and kept); agents read; other organizations' are not there.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { certifications, skills, technicianSkills, technicians, zones } from "../../db/schema";
import { createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";

let home: Fixture;
let away: Fixture;
let zoneId: string;

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("Techs"), createOrg("TechsAway")]);
  const { db } = await testDatabase();
  [{ id: zoneId }] = await db
    .insert(zones)
    .values({ orgId: home.orgId, code: "JHR", name: "Johor", lat: 1.49, lng: 103.74 })
    .returning({ id: zones.id });
});

describe("technician profiles", () => {
  test("a dispatcher sets a technician's profile; bad input is marked and kept", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const url = `/fsm/technicians/${home.users.technician.id}`;
    const bad = await dispatcher.post(url, {
      zoneId,
      hours: "17:00-08:00",
      workDays: ["1", "2"],
      maxJobsPerDay: "6",
      skills: "Aircon 4",
      certifications: "CFC handling until soon",
    });
    expect(bad.status).toBe(422);
    const page = parse(await bad.text());
    expect(page.querySelector(".field.invalid #hours")?.getAttribute("value")).toBe("17:00-08:00");
    expect(page.querySelector("#certifications")?.textContent).toBe("CFC handling until soon");
    expect(page.querySelector('input[name="workDays"][value="2"]')?.hasAttribute("checked")).toBe(true);
    const saved = await dispatcher.post(url, {
      zoneId,
      homeLat: "1.5",
      homeLng: "103.7",
      hours: "08:30-17:30",
      workDays: ["1", "2", "3", "4", "5", "6"],
      maxJobsPerDay: "5",
      skills: "Aircon 4, Electrical 2",
      certifications: "CFC handling until 2027-03-31\nWorking at height",
    });
    expect(saved.status).toBe(303);
    const { db } = await testDatabase();
    const [profile] = await db
      .select()
      .from(technicians)
      .where(eq(technicians.userId, home.users.technician.id));
    expect([
      profile.workStartMinute,
      profile.workEndMinute,
      profile.maxJobsPerDay,
      Array.from(profile.workDays),
    ]).toEqual([510, 1050, 5, [1, 2, 3, 4, 5, 6]]);
    expect(
      await db.select().from(technicianSkills).where(eq(technicianSkills.technicianId, profile.id)),
    ).toHaveLength(2);
    const certs = await db.select().from(certifications).where(eq(certifications.technicianId, profile.id));
    expect(certs.map((c) => [c.name, c.expiresOn]).sort()).toEqual([
      ["CFC handling", "2027-03-31"],
      ["Working at height", null],
    ]);
    const agent = await signedIn(home, "agent");
    const list = await agent.page("/fsm/technicians");
    expect(
      list.document.querySelector(`tr[data-technician="${home.users.technician.id}"]`)?.textContent,
    ).toContain("Johor");
    expect((await agent.post(url, { hours: "08:00-17:00" })).status).toBe(403);
    const stranger = await signedIn(away, "dispatcher");
    expect((await stranger.get(url)).status).toBe(404);
    expect(
      (await stranger.page("/fsm/technicians")).document.querySelector(
        `tr[data-technician="${home.users.technician.id}"]`,
      ),
    ).toBeNull();
  });

  test("half days and impossible dates are marked, not a server error", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const url = `/fsm/technicians/${home.users.technician.id}`;
    const form = { zoneId, hours: "08:00-17:00", maxJobsPerDay: "5", skills: "", certifications: "" };
    const halfDay = await dispatcher.post(url, { ...form, workDays: ["1", "1.5"] });
    expect(halfDay.status).toBe(422);
    expect(
      parse(await halfDay.text()).querySelector("fieldset.invalid input[name='workDays']"),
    ).not.toBeNull();
    const badDate = await dispatcher.post(url, {
      ...form,
      workDays: ["1"],
      certifications: "Gas safety until 2027-02-31",
    });
    expect(badDate.status).toBe(422);
    expect(parse(await badDate.text()).querySelector(".field.invalid #certifications")?.textContent).toBe(
      "Gas safety until 2027-02-31",
    );
  });

  test("skills typed in another case are the organization's skills", async () => {
    const { db } = await testDatabase();
    await db.insert(skills).values({ orgId: home.orgId, name: "HVAC" });
    const dispatcher = await signedIn(home, "dispatcher");
    const saved = await dispatcher.post(`/fsm/technicians/${home.users.technician.id}`, {
      zoneId,
      hours: "08:00-17:00",
      workDays: ["1", "2"],
      maxJobsPerDay: "5",
      skills: "hvac 3",
      certifications: "",
    });
    expect(saved.status).toBe(303);
    const names = await db.select({ name: skills.name }).from(skills).where(eq(skills.orgId, home.orgId));
    expect(names.map((n) => n.name).filter((n) => n.toLowerCase() === "hvac")).toEqual(["HVAC"]);
    const profile = await dispatcher.page("/fsm/technicians");
    expect(
      profile.document.querySelector(`tr[data-technician="${home.users.technician.id}"]`)?.textContent,
    ).toContain("HVAC 3");
  });
});
