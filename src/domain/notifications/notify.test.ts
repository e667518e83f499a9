// Notifications: who is told what, and by email only as each person chose.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { notifications, outboxMessages } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { addMessage, bulkUpdate, createTicket, updateTicket } from "../tickets/commands";
import { listNotifications, markRead, sendDigests, setEmailMode } from "./notify";

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
    await setEmailMode(org.ctx("supervisor"), "digest");
    await setEmailMode(org.ctx("admin"), "off");
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
    await expect(setEmailMode(org.ctx("agent"), "sometimes")).rejects.toMatchObject({ status: 422 });
  });
});
