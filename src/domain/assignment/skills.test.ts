// Skills-based and weighted-score assignment, and working hours: the pure choice and its reasons,
// then stored tickets assigned by their category's skills and by the team's score weights, with
// agents outside their hours passed by; admins' forms for skills, zones and hours validate.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { events, serviceLocations, teamMembers, tickets, zones } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { saveCategory } from "../fields/catalog";
import { createTicket } from "../tickets/commands";
import { saveTeamAssignment } from "./assign";
import { parseSkillList, saveAgentProfile, saveCategorySkills } from "./profiles";
import { type Candidate, chooseAgent } from "./strategy";

const agent = (id: string, over: Partial<Candidate> = {}): Candidate => ({
  id,
  name: id,
  status: "available",
  open: 0,
  weighted: 0,
  ...over,
});

describe("choosing by skills and by score", () => {
  const networking = { skillId: "net", name: "Networking", minLevel: 3 };

  test("skills: only agents with every skill at its level; the least loaded of them", () => {
    const team = [
      agent("Aisha", { skills: { net: 2 } }),
      agent("Ben", { skills: { net: 4 }, open: 3, weighted: 6 }),
      agent("Chong", { skills: { net: 3 }, open: 1, weighted: 2 }),
    ];
    const choice = chooseAgent("skills", team, { required: [networking] });
    expect(choice.name).toBe("Chong");
    expect(choice.reason).toContain("has Networking 3 (needs Networking ≥ 3)");
    expect(chooseAgent("skills", [team[0]], { required: [networking] }).reason).toBe(
      "no available agent has the skills needed (Networking ≥ 3)",
    );
    expect(chooseAgent("skills", team, { required: [] }).reason).toContain("the category asks for none");
  });

  test("weighted: zone, time left, spare capacity and rating, by the team's weights", () => {
    const team = [
      agent("Aisha", { zoneId: "sel", shiftLeft: 0.2, weighted: 8, rating: 0.5 }),
      agent("Ben", { zoneId: "jhr", shiftLeft: 1, weighted: 0, rating: 1 }),
    ];
    const byZone = chooseAgent("weighted", team, { ticketZones: ["sel"] });
    expect(byZone.name).toBe("Ben"); // 0.6 against Aisha's 0.51 with the default 40/30/20/10
    const zoneOnly = chooseAgent("weighted", team, {
      ticketZones: ["sel"],
      weights: { zone: 100, availability: 0, workload: 0, rating: 0 },
    });
    expect(zoneOnly.name).toBe("Aisha");
    expect(zoneOnly.reason).toMatch(/^weighted score 1\.00 \(zone 1\.00×100%/);
  });

  test("every strategy passes by agents outside their working hours", () => {
    const team = [agent("Aisha", { working: false }), agent("Ben", { working: false })];
    expect(chooseAgent("round_robin", team, {}).reason).toBe(
      "no available agent of the team is within their working hours",
    );
    expect(chooseAgent("load_balanced", [...team, agent("Chong", { open: 9 })], {}).name).toBe("Chong");
  });

  test("skill lists are read leniently and refused clearly", () => {
    expect(parseSkillList("Networking 4, billing:2\nAir conditioning 5")).toEqual([
      { name: "Networking", level: 4 },
      { name: "billing", level: 2 },
      { name: "Air conditioning", level: 5 },
    ]);
    expect(parseSkillList("Networking 7")).toContain('"Networking 7"');
    expect(parseSkillList("")).toEqual([]);
  });
});

describe("assigning stored tickets by skills and score", () => {
  let org: Fixture;
  let network: string;
  let selangor: string;

  beforeAll(async () => {
    org = await createOrg("AssignSkills");
    const { db } = await testDatabase();
    await db.insert(teamMembers).values([
      { orgId: org.orgId, teamId: org.teamId, userId: org.users.supervisor.id },
      { orgId: org.orgId, teamId: org.teamId, userId: org.users.admin.id },
    ]);
    const admin = org.ctx("admin");
    network = await saveCategory(admin, null, { name: "Network" });
    [{ id: selangor }] = await db
      .insert(zones)
      .values({ orgId: org.orgId, code: "SGR", name: "Selangor", lat: 3.1, lng: 101.5 })
      .returning({ id: zones.id });
    await db.insert(serviceLocations).values({
      orgId: org.orgId,
      name: "Shop",
      address: "1 Jalan",
      contactId: org.users.customer.contactId!,
      zoneId: selangor,
    });
    await saveCategorySkills(admin, network, "Networking 3");
    await saveAgentProfile(admin, org.users.agent.id, { skills: "networking 2", zoneId: "", hours: {} });
    await saveAgentProfile(admin, org.users.supervisor.id, { skills: "Networking 4", zoneId: "", hours: {} });
    await saveAgentProfile(admin, org.users.admin.id, { skills: "", zoneId: selangor, hours: {} });
  });

  async function assigned(ticketId: string) {
    const { db } = await testDatabase();
    const [row] = await db.select().from(tickets).where(eq(tickets.id, ticketId));
    const [event] = await db
      .select()
      .from(events)
      .where(and(eq(events.ticketId, ticketId), eq(events.type, "ticket.auto_assigned")));
    return { assigneeId: row.assigneeId, reason: String((event?.data as { reason?: string })?.reason ?? "") };
  }

  test("a ticket of a category that needs a skill goes to an agent who has it", async () => {
    await saveTeamAssignment(org.ctx("admin"), org.teamId, { strategy: "skills", maxOpenPerAgent: "" });
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Switch down",
      body: "x",
      requesterEmail: "s@example.test",
      teamId: org.teamId,
      category: network,
    });
    const result = await assigned(ticket.id);
    expect(result.assigneeId).toBe(org.users.supervisor.id);
    expect(result.reason).toContain("has Networking 4 (needs Networking ≥ 3)");
  });

  test("the weighted score sends the customer's zone to the agent of that zone", async () => {
    await saveTeamAssignment(org.ctx("admin"), org.teamId, {
      strategy: "weighted",
      maxOpenPerAgent: "",
      weights: { zone: "70", availability: "10", workload: "10", rating: "10" },
    });
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Visit",
      body: "x",
      contactId: org.users.customer.contactId!,
      teamId: org.teamId,
    });
    const result = await assigned(ticket.id);
    expect(result.assigneeId).toBe(org.users.admin.id);
    expect(result.reason).toContain("zone 1.00×70%");
  });

  test("agents outside their working hours are passed by", async () => {
    const admin = org.ctx("admin");
    // Nobody works on Sundays; 2026-11-22 is a Sunday in Kuala Lumpur.
    const weekdays = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, "09:00-17:00"]));
    for (const id of [org.users.agent.id, org.users.supervisor.id, org.users.admin.id])
      await saveAgentProfile(admin, id, { skills: "", zoneId: "", hours: weekdays });
    await saveTeamAssignment(admin, org.teamId, { strategy: "load_balanced", maxOpenPerAgent: "" });
    const sunday = new Date("2026-11-22T04:00:00Z");
    const ticket = await createTicket(org.ctx("agent", sunday), {
      subject: "Weekend",
      body: "x",
      requesterEmail: "w@example.test",
      teamId: org.teamId,
    });
    expect((await assigned(ticket.id)).assigneeId).toBeNull();
    const { db } = await testDatabase();
    const [skipped] = await db
      .select()
      .from(events)
      .where(and(eq(events.ticketId, ticket.id), eq(events.type, "ticket.auto_assign_skipped")));
    expect((skipped.data as { reason: string }).reason).toContain("working hours");
  });

  test("bad profile input is refused field by field and nothing is saved", async () => {
    const admin = org.ctx("admin");
    await expect(
      saveAgentProfile(admin, org.users.agent.id, {
        skills: "Networking nine",
        zoneId: "not-a-zone",
        hours: { 1: "9 to 5" },
      }),
    ).rejects.toMatchObject({
      status: 422,
      fields: { skills: expect.any(String), zoneId: expect.any(String), hours_1: expect.any(String) },
    });
    const other = await createOrg("AssignSkillsOther");
    await expect(
      saveAgentProfile(other.ctx("admin"), org.users.agent.id, { skills: "", zoneId: "", hours: {} }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(saveCategorySkills(org.ctx("agent"), network, "Networking 1")).rejects.toMatchObject({
      status: 403,
    });
  });
});
