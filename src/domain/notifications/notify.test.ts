// Notifications: who is told what, and by email only as each person chose.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { notifications, outboxMessages } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { addMessage, bulkUpdate, createTicket, updateTicket } from "../tickets/commands";
import { listNotifications, markRead, sendDigests, setNotificationPreferences } from "./notify";

let org: Fixture;

beforeAll(async () => {
  org = await createOrg("Notify");
});

async function mailTo(address: string, kind: string) {
  const { db } = await testDatabase();
  return db
    .select()
    .from(outboxMessages)
    .where(
      and(
        eq(outboxMessages.orgId, org.orgId),
        eq(outboxMessages.toAddress, address),
        eq(outboxMessages.kind, kind),
      ),
    );
}

describe("notifications", () => {
  test("an assignment and a customer's reply reach the assignee at once; assigning yourself does not", async () => {
    const ticket = await createTicket(org.ctx("supervisor"), {
      subject: "Door sensor",
      body: "x",
      requesterEmail: "n1@client.test",
      assigneeId: org.users.agent.id,
    });
    await updateTicket(org.ctx("agent"), ticket.number, { assigneeId: org.users.agent.id });
    const notes = await listNotifications(org.ctx("agent"));
    expect(notes.filter((n) => n.ticketId === ticket.id).map((n) => n.kind)).toEqual(["ticket.assigned"]);
    const mails = await mailTo(org.users.agent.email, "notification");
    expect(mails.some((m) => m.subject.endsWith("was assigned to you"))).toBe(true);

    const mine = await createTicket(org.ctx("customer"), { subject: "Mine", body: "x" });
    await updateTicket(org.ctx("agent"), mine.number, { assigneeId: org.users.agent.id });
    expect((await listNotifications(org.ctx("agent"))).some((n) => n.ticketId === mine.id)).toBe(false);
    await addMessage(org.ctx("customer"), mine.number, { kind: "reply", body: "Any news?" });
    const replied = (await listNotifications(org.ctx("agent"))).find(
      (n) => n.kind === "message.customer_replied",
    );
    expect(replied?.body).toContain("Any news?");
  });

  test("digest people get one email a day with everything pending; 'off' people get none", async () => {
    await setNotificationPreferences(org.ctx("supervisor"), { emailMode: "digest" });
    await setNotificationPreferences(org.ctx("admin"), { emailMode: "off" });
    const before = (await mailTo(org.users.supervisor.email, "notification")).length;
    const made = await Promise.all(
      [1, 2].map((i) =>
        createTicket(org.ctx("agent"), {
          subject: `Digest ${i}`,
          body: "x",
          requesterEmail: "d@client.test",
        }),
      ),
    );
    await bulkUpdate(
      org.ctx("agent"),
      made.map((t) => t.id),
      { assigneeId: org.users.supervisor.id },
    );
    await bulkUpdate(
      org.ctx("agent"),
      made.map((t) => t.id),
      { assigneeId: org.users.admin.id },
    );
    expect((await mailTo(org.users.supervisor.email, "notification")).length).toBe(before);
    const pending = await listNotifications(org.ctx("supervisor"));
    expect(pending.map((n) => n.title)).toContain("2 tickets were assigned to you");

    const later = new Date(Date.now() + 1000);
    await sendDigests(org.ctx("agent").db, later);
    const digests = await mailTo(org.users.supervisor.email, "notification_digest");
    expect(digests).toHaveLength(1);
    expect(digests[0].textBody).toContain("2 tickets were assigned to you");
    await sendDigests(org.ctx("agent").db, new Date(later.getTime() + 1000));
    expect(await mailTo(org.users.supervisor.email, "notification_digest")).toHaveLength(1);

    expect((await listNotifications(org.ctx("admin"))).length).toBeGreaterThan(0);
    expect(await mailTo(org.users.admin.email, "notification")).toHaveLength(0);
    expect(await mailTo(org.users.admin.email, "notification_digest")).toHaveLength(0);
  });

  test("reading is per person; a bad choice of mode is refused", async () => {
    await markRead(org.ctx("agent"));
    const { db } = await testDatabase();
    const unreadOthers = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.orgId, org.orgId), eq(notifications.userId, org.users.supervisor.id)));
    expect(unreadOthers.some((n) => n.readAt === null)).toBe(true);
    await expect(
      setNotificationPreferences(org.ctx("agent"), { emailMode: "sometimes" }),
    ).rejects.toMatchObject({ status: 422 });
  });

  test("a kind set apart overrides the general choice: mentions at once, assignments in the digest", async () => {
    const fresh = await createOrg("NotifyKinds");
    const agent = fresh.users.agent;
    await setNotificationPreferences(fresh.ctx("agent"), {
      emailMode: "off",
      kinds: { "ticket.mentioned": "instant", "ticket.assigned": "digest", "ticket.followed_status": "" },
    });
    const ticket = await createTicket(fresh.ctx("supervisor"), {
      subject: "Kinds",
      body: "x",
      requesterEmail: "k@client.test",
      assigneeId: agent.id,
    });
    await addMessage(fresh.ctx("supervisor"), ticket.number, { kind: "note", body: "@Agent please look" });
    const { db } = await testDatabase();
    const mails = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.orgId, fresh.orgId), eq(outboxMessages.toAddress, agent.email)));
    expect(mails.map((m) => m.kind)).toEqual(["notification"]);
    expect(mails[0].subject).toContain("mentioned you");
    await sendDigests(db, new Date(Date.now() + 1000));
    const digest = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.orgId, fresh.orgId), eq(outboxMessages.kind, "notification_digest")));
    expect(digest).toHaveLength(1);
    expect(digest[0].textBody).toContain("assigned to you");
    expect(digest[0].textBody).not.toContain("mentioned you");
    await expect(
      setNotificationPreferences(fresh.ctx("agent"), {
        emailMode: "off",
        kinds: { "ticket.assigned": "loud" },
      }),
    ).rejects.toMatchObject({ status: 422, fields: { "kind_ticket.assigned": expect.any(String) } });
  });

  test("colleagues following a ticket hear of a status change, but not the one who made it", async () => {
    const fresh = await createOrg("NotifyStatus");
    const { follow } = await import("../relations/followers");
    const ticket = await createTicket(fresh.ctx("agent"), {
      subject: "Followed",
      body: "x",
      requesterEmail: "f@client.test",
    });
    await follow(fresh.ctx("supervisor"), ticket.number);
    await follow(fresh.ctx("agent"), ticket.number);
    await updateTicket(fresh.ctx("agent"), ticket.number, { status: "pending" });
    const supervisorNotes = await listNotifications(fresh.ctx("supervisor"));
    expect(supervisorNotes.map((n) => [n.kind, n.title])).toContainEqual([
      "ticket.followed_status",
      `TKT-${String(ticket.number).padStart(6, "0")} is now pending`,
    ]);
    const agentNotes = await listNotifications(fresh.ctx("agent"));
    expect(agentNotes.some((n) => n.kind === "ticket.followed_status")).toBe(false);
  });
});
