// Automatic assignment: the pure choice (round robin's turn, least load, availability, cap, the
// reason), and the stored path — tickets arriving in a team, at once, never pass an agent's cap.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq, inArray, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { agentLoad, events, teamMembers, tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { saveRule } from "../automation/rules";
import { createTicket, updateTicket } from "../tickets/commands";
import { saveTeamAssignment, setMyAvailability } from "./assign";
import { type Candidate, chooseAgent } from "./strategy";

const agent = (
  id: string,
  open = 0,
  weighted = open * 2,
  status: Candidate["status"] = "available",
): Candidate => ({
  id,
  name: id,
  status,
  open,
  weighted,
});

describe("choosing an agent", () => {
  test("round robin takes turns in a fixed order, passing by the away and the full", () => {
    const team = [agent("Aisha"), agent("Ben", 0, 0, "away"), agent("Chong", 5), agent("Devi")];
    expect(chooseAgent("round_robin", team, { lastAssignedId: null }).name).toBe("Aisha");
    expect(chooseAgent("round_robin", team, { lastAssignedId: "Aisha" }).name).toBe("Chong");
    expect(chooseAgent("round_robin", team, { lastAssignedId: "Aisha", cap: 5 }).name).toBe("Devi");
    expect(chooseAgent("round_robin", team, { lastAssignedId: "Devi" }).name).toBe("Aisha");
  });

  test("least loaded weighs open tickets by priority and says so", () => {
    const team = [agent("Aisha", 3, 12), agent("Ben", 4, 6), agent("Chong", 1, 8)];
    const choice = chooseAgent("load_balanced", team, {});
    expect(choice.name).toBe("Ben");
    expect(choice.reason).toContain("4 open tickets weighted 6, the least");
  });

  test("nobody is chosen when nobody may be, with the reason", () => {
    expect(chooseAgent("load_balanced", [], {}).reason).toBe("the team has no agents");
    expect(chooseAgent("load_balanced", [agent("A", 0, 0, "offline")], {}).reason).toContain("no agent");
    expect(chooseAgent("round_robin", [agent("A", 2)], { cap: 2 }).reason).toContain("cap");
    expect(chooseAgent("manual", [agent("A")], {}).userId).toBeUndefined();
  });
});

describe("assigning stored tickets", () => {
  let org: Fixture;

  beforeAll(async () => {
    org = await createOrg("Assign");
    const { db } = await testDatabase();
    // The team: the agent (already a member), the supervisor and the admin.
    await db.insert(teamMembers).values([
      { orgId: org.orgId, teamId: org.teamId, userId: org.users.supervisor.id },
      { orgId: org.orgId, teamId: org.teamId, userId: org.users.admin.id },
    ]);
  });

  async function assigneesOf(ids: string[]) {
    const { db } = await testDatabase();
    const rows = await db.select().from(tickets).where(inArray(tickets.id, ids));
    return ids.map((id) => rows.find((r) => r.id === id)?.assigneeId ?? null);
  }

  test("tickets created in a team take turns among its available agents, the reason on record", async () => {
    await saveTeamAssignment(org.ctx("admin"), org.teamId, { strategy: "round_robin", maxOpenPerAgent: "" });
    await setMyAvailability(org.ctx("supervisor"), "away");
    const created = [];
    for (const n of [1, 2, 3])
      created.push(
        await createTicket(org.ctx("agent"), {
          subject: `Turn ${n}`,
          body: "x",
          requesterEmail: `t${n}@x.test`,
          teamId: org.teamId,
        }),
      );
    const assignees = await assigneesOf(created.map((t) => t.id));
    const { admin, agent } = org.users;
    // Alphabetical turn: "Admin Assign", then "Agent Assign"; the supervisor is away.
    expect(assignees).toEqual([admin.id, agent.id, admin.id]);
    const { db } = await testDatabase();
    const [event] = await db
      .select()
      .from(events)
      .where(and(eq(events.ticketId, created[0].id), eq(events.type, "ticket.auto_assigned")));
    expect((event.data as { reason: string }).reason).toContain("round robin");
    await setMyAvailability(org.ctx("supervisor"), "available");
  });

  test("tickets arriving at once never pass an agent's cap", async () => {
    const capOrg = await createOrg("AssignCap");
    const { db } = await testDatabase();
    await db
      .insert(teamMembers)
      .values({ orgId: capOrg.orgId, teamId: capOrg.teamId, userId: capOrg.users.supervisor.id });
    await saveTeamAssignment(capOrg.ctx("admin"), capOrg.teamId, {
      strategy: "load_balanced",
      maxOpenPerAgent: "1",
    });
    const created = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        createTicket(capOrg.ctx("agent"), {
          subject: `Rush ${n}`,
          body: "x",
          requesterEmail: `r${n}@x.test`,
          teamId: capOrg.teamId,
        }),
      ),
    );
    const assignees = (
      await db
        .select()
        .from(tickets)
        .where(
          inArray(
            tickets.id,
            created.map((t) => t.id),
          ),
        )
    ).map((t) => t.assigneeId);
    const counts = new Map<string | null, number>();
    for (const a of assignees) counts.set(a, (counts.get(a) ?? 0) + 1);
    expect(counts.get(capOrg.users.agent.id)).toBe(1);
    expect(counts.get(capOrg.users.supervisor.id)).toBe(1);
    expect(counts.get(null)).toBe(2);
    const skipped = await db
      .select()
      .from(events)
      .where(and(eq(events.orgId, capOrg.orgId), eq(events.type, "ticket.auto_assign_skipped")));
    expect(skipped).toHaveLength(2);
    expect((skipped[0].data as { reason: string }).reason).toContain("1 open tickets (the cap)");
  });

  test("an automation rule can assign by the team's strategy", async () => {
    const ruleOrg = await createOrg("AssignRule");
    await saveTeamAssignment(ruleOrg.ctx("admin"), ruleOrg.teamId, {
      strategy: "load_balanced",
      maxOpenPerAgent: "",
    });
    await saveRule(ruleOrg.ctx("admin"), null, {
      name: "Billing to the team",
      trigger: "ticket.created",
      conditions: [{ field: "subject", op: "contains", value: "invoice" }],
      actions: [
        { type: "assign_team", value: ruleOrg.teamId },
        { type: "assign_by_strategy", value: "" },
      ],
    });
    const ticket = await createTicket(ruleOrg.ctx("customer"), { subject: "Invoice wrong", body: "x" });
    expect((await assigneesOf([ticket.id]))[0]).toBe(ruleOrg.users.agent.id);
  });

  test("the load kept by the trigger always equals a recount of open tickets", async () => {
    const loadOrg = await createOrg("AssignLoad");
    const { db } = await testDatabase();
    const made = await Promise.all(
      [1, 2, 3].map((n) =>
        createTicket(loadOrg.ctx("agent"), {
          subject: `L${n}`,
          body: "x",
          requesterEmail: `l${n}@x.test`,
          assigneeId: loadOrg.users.agent.id,
        }),
      ),
    );
    await updateTicket(loadOrg.ctx("agent"), made[0].id, { priority: "urgent" });
    await updateTicket(loadOrg.ctx("agent"), made[1].id, { status: "solved" });
    await updateTicket(loadOrg.ctx("agent"), made[2].id, { assigneeId: loadOrg.users.supervisor.id });
    const kept = await db.select().from(agentLoad).where(eq(agentLoad.orgId, loadOrg.orgId));
    const recount = await db.execute(sql`
      select assignee_id as "userId", count(*)::int as open, sum(agent_load_weight(priority))::int as weighted
      from tickets where org_id = ${loadOrg.orgId} and assignee_id is not null
        and status in ('new','open','pending','on_hold') group by assignee_id`);
    const expected = Object.fromEntries(
      rowsOf<{ userId: string; open: number; weighted: number }>(recount).map((r) => [
        r.userId,
        [r.open, r.weighted],
      ]),
    );
    const actual = Object.fromEntries(
      kept.filter((k) => k.open !== 0).map((k) => [k.userId, [k.open, k.weighted]]),
    );
    expect(actual).toEqual(expected);
    expect(actual[loadOrg.users.agent.id]).toEqual([1, 4]);
  });

  test("only admins set strategies; bad caps are marked", async () => {
    await expect(
      saveTeamAssignment(org.ctx("supervisor"), org.teamId, { strategy: "round_robin", maxOpenPerAgent: "" }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      saveTeamAssignment(org.ctx("admin"), org.teamId, { strategy: "lottery", maxOpenPerAgent: "0" }),
    ).rejects.toMatchObject({
      status: 422,
      fields: { strategy: expect.any(String), maxOpenPerAgent: expect.any(String) },
    });
    const other = await createOrg("AssignOther");
    await expect(
      saveTeamAssignment(other.ctx("admin"), org.teamId, { strategy: "round_robin", maxOpenPerAgent: "" }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
