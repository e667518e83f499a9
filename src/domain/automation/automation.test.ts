// Automation rules against a real database: triggers, all/any conditions, "changed to", ordered
// rules with "stop processing", no loops, recorded events, and the dry run changing nothing.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { events, outboxMessages, ticketMessages, tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { formatTicketNumber } from "../orgs/counters";
import { addMessage, createTicket, updateTicket } from "../tickets/commands";
import { dryRun, saveRule } from "./rules";

let org: Fixture;

beforeAll(async () => {
  org = await createOrg("Automation");
});

async function ticketRow(id: string) {
  const { db } = await testDatabase();
  const [row] = await db.select().from(tickets).where(eq(tickets.id, id));
  return row;
}

describe("automation rules", () => {
  test("a created-ticket rule with all conditions sets fields, assigns, tags and notes; each action an event", async () => {
    const admin = org.ctx("admin");
    await saveRule(admin, null, {
      name: "Outages are urgent",
      trigger: "ticket.created",
      match: "all",
      conditions: [
        { field: "subject", op: "contains", value: "outage" },
        { field: "priority", op: "is_not", value: "urgent" },
      ],
      actions: [
        { type: "set_priority", value: "urgent" },
        { type: "assign_user", value: org.users.agent.id },
        { type: "add_tags", value: "outage, vip" },
        { type: "add_note", value: "Page the on-call engineer." },
      ],
    });
    const hit = await createTicket(org.ctx("customer"), {
      subject: "Total OUTAGE in Klang",
      body: "Nothing works",
    });
    const row = await ticketRow(hit.id);
    expect(row).toMatchObject({ priority: "urgent", assigneeId: org.users.agent.id, status: "open" });
    expect(row.tags.sort()).toEqual(["outage", "vip"]);
    const { db } = await testDatabase();
    const notes = await db
      .select()
      .from(ticketMessages)
      .where(and(eq(ticketMessages.ticketId, hit.id), eq(ticketMessages.kind, "note")));
    expect(notes.map((n) => [n.body, n.authorLabel])).toEqual([
      ["Page the on-call engineer.", "Automation: Outages are urgent"],
    ]);
    const types = (await db.select().from(events).where(eq(events.ticketId, hit.id))).map((e) => e.type);
    expect(types).toContain("automation.rule_applied");
    expect(types).toContain("ticket.priority_changed");

    const miss = await createTicket(org.ctx("customer"), { subject: "Printer", body: "jam" });
    expect((await ticketRow(miss.id)).priority).toBe("normal");
  });

  test("'changed to' fires on updates; rules in order; stop processing; a rule's change fires no rules", async () => {
    const admin = org.ctx("admin");
    await saveRule(admin, null, {
      name: "Solved gets a survey email",
      trigger: "ticket.updated",
      conditions: [{ field: "status", op: "changed_to", value: "solved" }],
      actions: [
        {
          type: "email_requester",
          subject: "How did we do on {{ticket.number}}?",
          value: "Hi {{contact.name}}, rate us.",
        },
        { type: "add_tags", value: "surveyed" },
      ],
      stopProcessing: true,
    });
    await saveRule(admin, null, {
      name: "Never reached",
      trigger: "ticket.updated",
      conditions: [{ field: "status", op: "changed_to", value: "solved" }],
      actions: [{ type: "add_tags", value: "second" }],
    });
    await saveRule(admin, null, {
      name: "Tag changes would loop",
      trigger: "ticket.updated",
      conditions: [{ field: "tags", op: "includes", value: "surveyed" }],
      actions: [{ type: "set_priority", value: "low" }],
    });
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Lamp",
      body: "x",
      requesterEmail: "lamp@client.test",
    });
    await updateTicket(org.ctx("agent"), ticket.number, { status: "solved" });
    const row = await ticketRow(ticket.id);
    expect(row.tags).toEqual(["surveyed"]);
    // The third rule matches the tag only because the first rule added it: rule changes fire nothing.
    expect(row.priority).toBe("normal");
    const { db } = await testDatabase();
    const [mail] = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.ticketId, ticket.id), eq(outboxMessages.kind, "automation")));
    expect(mail.subject).toBe(`How did we do on ${formatTicketNumber(ticket.number)}?`);
    expect(mail.textBody).toBe("Hi lamp, rate us.");
  });

  test("any-of conditions on a customer's reply; a rule naming someone who left records the problem and blocks nothing", async () => {
    const admin = org.ctx("admin");
    const ticket = await createTicket(org.ctx("customer"), { subject: "Fan", body: "noisy" });
    await saveRule(admin, null, {
      name: "Angry words",
      trigger: "customer.replied",
      match: "any",
      conditions: [
        { field: "body", op: "contains", value: "refund" },
        { field: "body", op: "contains", value: "lawyer" },
      ],
      actions: [{ type: "set_priority", value: "high" }],
    });
    await addMessage(org.ctx("customer"), ticket.number, { kind: "reply", body: "I want a REFUND now" });
    expect((await ticketRow(ticket.id)).priority).toBe("high");
  });

  test("bad rules are refused with the row marked; the dry run explains and changes nothing", async () => {
    const admin = org.ctx("admin");
    await expect(
      saveRule(admin, null, {
        name: "",
        trigger: "ticket.created",
        conditions: [{ field: "priority", op: "is", value: "sky-high" }],
        actions: [{ type: "assign_user", value: crypto.randomUUID() }],
      }),
    ).rejects.toMatchObject({
      status: 422,
      fields: {
        name: expect.any(String),
        "conditions.0": expect.stringContaining("urgent"),
        "actions.0": "Choose a person of this organization.",
      },
    });
    const ruleId = await saveRule(admin, null, {
      name: "Dry",
      trigger: "ticket.created",
      conditions: [
        { field: "channel", op: "is", value: "phone" },
        { field: "subject", op: "contains", value: "boiler" },
      ],
      actions: [{ type: "set_status", value: "pending" }],
      active: false,
    });
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Boiler",
      body: "x",
      requesterEmail: "b@client.test",
    });
    const result = await dryRun(admin, ruleId, formatTicketNumber(ticket.number));
    expect(result.evaluation.matched).toBe(true);
    expect(result.evaluation.conditions.map((c) => c.holds)).toEqual([true, true]);
    expect(result.wouldDo).toEqual(["Set status: pending"]);
    expect((await ticketRow(ticket.id)).status).toBe("new");
    await expect(dryRun(admin, ruleId, "TKT-999999")).rejects.toMatchObject({ status: 422 });
    const stranger = await createOrg("Automation stranger");
    await expect(dryRun(stranger.ctx("admin"), ruleId, "1")).rejects.toMatchObject({ status: 404 });
    await expect(saveRule(org.ctx("agent"), null, { name: "x" })).rejects.toMatchObject({ status: 403 });
  });
});

describe("macro and webhook actions", () => {
  test("a rule applies a shared macro: its changes, and its text as a reply that meets no response target", async () => {
    const org = await createOrg("Automation macro");
    const { saveMacro } = await import("../macros/macros");
    const macroId = await saveMacro(org.ctx("admin"), null, {
      name: "Outage reply",
      body: "Hi {{contact.first_name}}, we know about the outage on {{ticket.number}}.",
      shared: true,
      actions: [{ type: "add_tags", value: "outage" }],
    });
    const mine = await saveMacro(org.ctx("agent"), null, { name: "Private", body: "x", shared: false });
    await expect(
      saveRule(org.ctx("admin"), null, {
        name: "Private macro",
        trigger: "ticket.created",
        actions: [{ type: "apply_macro", value: mine }],
      }),
    ).rejects.toMatchObject({ status: 422 });
    await saveRule(org.ctx("admin"), null, {
      name: "Outage",
      trigger: "ticket.created",
      conditions: [{ field: "subject", op: "contains", value: "outage" }],
      actions: [{ type: "apply_macro", value: macroId }],
    });
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Network outage",
      body: "Nothing works",
      requesterEmail: "dana.lee@client.test",
      requesterName: "Dana Lee",
    });
    const { db } = await testDatabase();
    const [row] = await db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row.tags).toContain("outage");
    const messages = await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id));
    expect(messages.map((m) => m.body)).toContain(
      `Hi Dana, we know about the outage on ${formatTicketNumber(ticket.number)}.`,
    );
    const mails = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.ticketId, ticket.id), eq(outboxMessages.kind, "ticket_reply")));
    expect(mails).toHaveLength(1);
    const types = (await db.select().from(events).where(eq(events.ticketId, ticket.id))).map((e) => e.type);
    expect(types).toContain("message.automation_replied");
    expect(types).not.toContain("message.agent_replied");
  });

  test("a rule calls a webhook: one signed delivery of the ticket, queued with the change", async () => {
    const org = await createOrg("Automation webhook");
    const { createWebhook } = await import("../webhooks/subscriptions");
    const hook = await createWebhook(
      org.ctx("admin"),
      { name: "Pager", url: "https://hooks.example.test/pager", eventTypes: ["ticket.created"] },
      { allowPrivate: false, resolve: async () => [{ address: "203.0.113.7", family: 4 }] },
    );
    await saveRule(org.ctx("admin"), null, {
      name: "Page on urgent",
      trigger: "ticket.created",
      conditions: [{ field: "priority", op: "is", value: "urgent" }],
      actions: [{ type: "call_webhook", value: hook.id }],
    });
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Server room flooded",
      body: "Water everywhere",
      requesterEmail: "ops@client.test",
      priority: "urgent",
    });
    const { db } = await testDatabase();
    const { jobs } = await import("../../../db/schema");
    const queued = (
      await db
        .select()
        .from(jobs)
        .where(and(eq(jobs.orgId, org.orgId), eq(jobs.queue, "webhook.deliver")))
    ).map((j) => (typeof j.payload === "string" ? JSON.parse(j.payload) : j.payload));
    const [called] = await db
      .select()
      .from(events)
      .where(and(eq(events.ticketId, ticket.id), eq(events.type, "automation.webhook")));
    expect((called.data as { ticket: { subject: string } }).ticket.subject).toBe("Server room flooded");
    // One for the subscribed "ticket.created", one for the rule's call.
    expect(queued.filter((p) => p.subscriptionId === hook.id).map((p) => Number(p.seq))).toContain(
      Number(called.seq),
    );
    expect(queued.filter((p) => p.subscriptionId === hook.id)).toHaveLength(2);
  });
});
