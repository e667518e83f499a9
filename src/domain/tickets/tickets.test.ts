// Ticket rules against a real database: numbering, transitions, counts, permissions, events.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { events, outboxMessages, tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { addMessage, bulkUpdate, createTicket, updateTicket } from "./commands";
import { FOLD_AFTER, foldTicketCounts } from "./counts";
import { getTicket, listTickets, listTicketsPaged, viewCounts } from "./queries";
import { canTransition } from "./rules";

let org: Fixture;
beforeAll(async () => {
  org = await createOrg("Tickets");
});

const newTicket = (subject = "Printer jammed", extra = {}) =>
  createTicket(org.ctx("agent"), {
    subject,
    body: "It jams on every page.",
    requesterEmail: "pat@client.test",
    ...extra,
  });

describe("numbers", () => {
  test("are gapless and unique per organization under concurrency", async () => {
    const fresh = await createOrg("Numbers");
    const created = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        createTicket(fresh.ctx("agent"), {
          subject: `Concurrent ${i}`,
          body: "x",
          requesterEmail: "c@client.test",
        }),
      ),
    );
    const numbers = created.map((t) => t.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  test("are gapless when some are taken before the ticket row, most by its INSERT, some inside a caller's transaction, and some rolled back", async () => {
    const fresh = await createOrg("Late numbers");
    const { db } = await testDatabase();
    // Assigned to someone else: notified with the number, so it is taken before the ticket row.
    const early = (i: number) =>
      createTicket(fresh.ctx("admin"), {
        subject: `Early ${i}`,
        body: "x",
        requesterEmail: "c@client.test",
        assigneeId: fresh.users.agent.id,
      });
    const late = (i: number) =>
      createTicket(fresh.ctx("agent"), { subject: `Late ${i}`, body: "x", requesterEmail: "c@client.test" });
    // Rolled back after its number was taken: the number is given again.
    const failing = () =>
      db
        .transaction(async (tx) => {
          await createTicket(
            { ...fresh.ctx("agent"), db: tx as unknown as typeof db },
            { subject: "Never", body: "x", requesterEmail: "c@client.test" },
          );
          tx.rollback();
        })
        .then(() => undefined)
        .catch((error) => {
          if (!String(error).includes("Rollback")) throw error;
          return undefined;
        });
    // Inside a caller's transaction that commits: the caller sees the number before its commit.
    const nested = (i: number) =>
      db.transaction(async (tx) => {
        const ticket = await createTicket(
          { ...fresh.ctx("agent"), db: tx as unknown as typeof db },
          { subject: `Nested ${i}`, body: "x", requesterEmail: "c@client.test" },
        );
        expect(ticket.number).toBeGreaterThan(0);
        return ticket;
      });
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 8 === 0 ? failing() : i % 5 === 0 ? nested(i) : i % 3 === 0 ? early(i) : late(i),
      ),
    );
    const made = created.filter((t) => t !== undefined);
    const rows = await db
      .select({ number: tickets.number })
      .from(tickets)
      .where(eq(tickets.orgId, fresh.orgId));
    expect(rows.map((r) => r.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: made.length }, (_, i) => i + 1),
    );
    expect(made.map((t) => t.number).sort((a, b) => a - b)).toEqual(
      rows.map((r) => r.number).sort((a, b) => a - b),
    );
    // The history shows each ticket created under its own number.
    const created_ = await db
      .select({ ticketId: events.ticketId, data: events.data })
      .from(events)
      .where(and(eq(events.orgId, fresh.orgId), eq(events.type, "ticket.created")));
    const numberOf = new Map(made.map((t) => [t.id, t.number]));
    expect(created_.length).toBe(made.length);
    for (const e of created_) expect((e.data as { number: number }).number).toBe(numberOf.get(e.ticketId!)!);
  });
});

describe("status transitions", () => {
  test("the table allows sensible moves only", () => {
    expect(canTransition("new", "open")).toBe(true);
    expect(canTransition("new", "closed")).toBe(false);
    expect(canTransition("solved", "open")).toBe(true);
    expect(canTransition("solved", "pending")).toBe(false);
    expect(canTransition("closed", "open")).toBe(false);
  });

  test("an illegal change is refused and nothing is written", async () => {
    const ticket = await newTicket();
    await expect(updateTicket(org.ctx("agent"), ticket.number, { status: "closed" })).rejects.toMatchObject({
      status: 422,
      fields: { status: expect.stringContaining("cannot become closed") },
    });
    const [row] = await org.ctx("agent").db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row.status).toBe("new");
  });

  test("a customer reply reopens a solved ticket; a closed ticket takes no more messages", async () => {
    const customer = org.ctx("customer");
    const ticket = await createTicket(customer, { subject: "Door sensor", body: "Beeps all night." });
    await updateTicket(org.ctx("agent"), ticket.number, { status: "solved" });
    const reply = await addMessage(customer, ticket.number, { kind: "reply", body: "It started again." });
    expect(reply.status).toBe("open");
    await updateTicket(org.ctx("agent"), ticket.number, { status: "solved" });
    await updateTicket(org.ctx("agent"), ticket.number, { status: "closed" });
    await expect(
      addMessage(customer, ticket.number, { kind: "reply", body: "Hello?" }),
    ).rejects.toMatchObject({ status: 409 });
  });

  test("customers may only solve or reopen, never assign or note", async () => {
    const customer = org.ctx("customer");
    const ticket = await createTicket(customer, { subject: "Water leak", body: "Ceiling drips." });
    await expect(updateTicket(customer, ticket.number, { priority: "urgent" })).rejects.toMatchObject({
      status: 403,
    });
    await expect(addMessage(customer, ticket.number, { kind: "note", body: "sneaky" })).rejects.toMatchObject(
      { status: 403 },
    );
    await expect(updateTicket(customer, ticket.number, { status: "open" })).rejects.toMatchObject({
      status: 422,
    });
  });
});

describe("view counts", () => {
  test("follow every create, assignment and status change without scanning tickets", async () => {
    const fresh = await createOrg("Counts");
    const agent = fresh.ctx("agent");
    const make = (subject: string) =>
      createTicket(agent, { subject, body: "x", requesterEmail: "q@client.test" });
    const a = await make("A");
    const b = await make("B");
    await make("C");
    await updateTicket(agent, a.number, { assigneeId: fresh.users.agent.id });
    await updateTicket(agent, b.number, { status: "pending" });
    const counts = await viewCounts(agent);
    expect(counts).toEqual({ mine: 1, unassigned: 2, open: 3, pending: 1, solved: 0, all: 3 });
    await bulkUpdate(agent, [a.id, b.id], { status: "solved" });
    expect(await viewCounts(agent)).toMatchObject({ mine: 0, open: 1, pending: 0, solved: 2, all: 3 });
    const listed = await listTickets(agent, { view: "open" });
    expect(listed.rows.length).toBe(1);
  });

  test("stay exact while deltas are folded, however many and whenever", async () => {
    const fresh = await createOrg("Folded counts");
    const agent = fresh.ctx("agent");
    const { db } = await testDatabase();
    const made = [];
    for (let i = 0; i < 6; i++)
      made.push(await createTicket(agent, { subject: `F${i}`, body: "x", requesterEmail: "f@client.test" }));
    await updateTicket(agent, made[0].number, { assigneeId: fresh.users.agent.id });
    const expected = { mine: 1, unassigned: 5, open: 6, pending: 0, solved: 0, all: 6 };
    expect(await viewCounts(agent)).toEqual(expected);
    expect(await foldTicketCounts(db, fresh.orgId)).toBe(8);
    expect(await viewCounts(agent)).toEqual(expected);
    await bulkUpdate(agent, [made[1].id, made[2].id], { status: "pending" });
    expect(await viewCounts(agent)).toEqual({ ...expected, pending: 2 });
    await foldTicketCounts(db);
    expect(await viewCounts(agent)).toEqual({ ...expected, pending: 2 });
    // Many deltas: a read folds them, and reads the same sums before and after.
    await bulkUpdate(
      agent,
      made.slice(1).map((t) => t.id),
      { priority: "high" },
    );
    for (let round = 0; round < 20; round++) {
      await bulkUpdate(
        agent,
        made.slice(3).map((t) => t.id),
        { status: "pending" },
      );
      await bulkUpdate(
        agent,
        made.slice(3).map((t) => t.id),
        { status: "open" },
      );
    }
    const [{ n }] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from ticket_count_deltas where org_id = ${fresh.orgId}`),
    );
    expect(n).toBeGreaterThan(FOLD_AFTER);
    expect(await viewCounts(agent)).toEqual({ ...expected, pending: 2 });
    const [{ left }] = rowsOf<{ left: number }>(
      await db.execute(
        sql`select count(*)::int as left from ticket_count_deltas where org_id = ${fresh.orgId}`,
      ),
    );
    expect(left).toBe(0);
    expect(await viewCounts(agent)).toEqual({ ...expected, pending: 2 });
  });
});

describe("lists", () => {
  test("keyset pages cover every ticket once, in order", async () => {
    const fresh = await createOrg("Pages");
    const agent = fresh.ctx("agent");
    for (let i = 0; i < 7; i++) {
      await createTicket(
        { ...agent, now: new Date(Date.UTC(2026, 0, 1, 0, i)) },
        { subject: `Page ${i}`, body: "x", requesterEmail: "p@client.test" },
      );
    }
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await listTickets(agent, { view: "all", limit: 3, after });
      seen.push(...page.rows.map((r) => r.subject));
      after = page.nextCursor;
    } while (after);
    expect(seen).toEqual(["Page 6", "Page 5", "Page 4", "Page 3", "Page 2", "Page 1", "Page 0"]);
    const paged = await listTicketsPaged(agent, { page: 2, limit: 3, sort: "created_at" });
    expect(paged.total).toBe(7);
    expect(paged.rows.map((r) => r.subject)).toEqual(["Page 3", "Page 4", "Page 5"]);
  });

  test("text search finds subjects and message bodies, and ticket numbers", async () => {
    const fresh = await createOrg("Search");
    const agent = fresh.ctx("agent");
    const t = await createTicket(agent, {
      subject: "Compressor noise",
      body: "Loud rattling from the condenser unit",
      requesterEmail: "s@client.test",
    });
    await createTicket(agent, {
      subject: "Invoice copy",
      body: "Please resend",
      requesterEmail: "s@client.test",
    });
    expect((await listTickets(agent, { q: "compressor" })).rows.map((r) => r.id)).toEqual([t.id]);
    expect((await listTickets(agent, { q: "rattling" })).rows.map((r) => r.id)).toEqual([t.id]);
    expect(
      (await listTickets(agent, { q: `TKT-${String(t.number).padStart(6, "0")}` })).rows.map((r) => r.id),
    ).toEqual([t.id]);
  });

  test("filters by priority, tag, assignee and channel", async () => {
    const fresh = await createOrg("Filters");
    const agent = fresh.ctx("agent");
    const hot = await createTicket(agent, {
      subject: "Hot",
      body: "x",
      requesterEmail: "f@client.test",
      priority: "urgent",
      tags: "vip, aircond",
    });
    await createTicket(agent, {
      subject: "Cold",
      body: "x",
      requesterEmail: "f@client.test",
      priority: "low",
    });
    expect((await listTickets(agent, { priority: ["urgent"] })).rows.map((r) => r.id)).toEqual([hot.id]);
    expect((await listTickets(agent, { tag: "vip" })).rows.map((r) => r.id)).toEqual([hot.id]);
    expect((await listTickets(agent, { assignee: "none", view: "all" })).rows.length).toBe(2);
    expect((await listTickets(agent, { channel: "email" })).rows.length).toBe(0);
  });
});

describe("events and notifications", () => {
  test("every change appends an event in the same transaction", async () => {
    const ticket = await newTicket("Eventful");
    await updateTicket(org.ctx("agent"), ticket.number, {
      priority: "high",
      tags: "billing",
      assigneeId: org.users.agent.id,
    });
    await addMessage(org.ctx("agent"), ticket.number, { kind: "reply", body: "On it", status: "pending" });
    const rows = await org
      .ctx("agent")
      .db.select({ type: events.type })
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.ticketId, ticket.id)))
      .orderBy(events.seq);
    expect(rows.map((r) => r.type)).toEqual([
      "ticket.created",
      "ticket.priority_changed",
      "ticket.status_changed",
      "ticket.assigned",
      "ticket.tags_changed",
      "message.agent_replied",
      "ticket.status_changed",
    ]);
    const mail = await org
      .ctx("agent")
      .db.select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.orgId, org.orgId), eq(outboxMessages.toAddress, "pat@client.test")));
    expect(mail.some((m) => m.textBody.includes("On it"))).toBe(true);
  });

  test("a customer never sees internal notes or the history", async () => {
    const customer = org.ctx("customer");
    const ticket = await createTicket(customer, { subject: "Noisy fan", body: "Very loud." });
    await addMessage(org.ctx("agent"), ticket.number, { kind: "note", body: "internal only" });
    const detail = await getTicket(customer, ticket.number);
    expect(detail.messages.map((m) => m.body)).toEqual(["Very loud."]);
    expect(detail.history).toEqual([]);
  });

  test("assigning to someone outside the organization is refused", async () => {
    const stranger = await createOrg("Stranger");
    const ticket = await newTicket("Assign me");
    await expect(
      updateTicket(org.ctx("agent"), ticket.number, { assigneeId: stranger.users.agent.id }),
    ).rejects.toMatchObject({
      status: 422,
      fields: { assigneeId: expect.any(String) },
    });
    await expect(
      updateTicket(org.ctx("agent"), ticket.number, { assigneeId: org.users.customer.id }),
    ).rejects.toMatchObject({ status: 422 });
  });

  test("a dispatcher may read but not change tickets", async () => {
    const ticket = await newTicket("Read only");
    expect((await getTicket(org.ctx("dispatcher"), ticket.number)).ticket.id).toBe(ticket.id);
    await expect(
      updateTicket(org.ctx("dispatcher"), ticket.number, { priority: "low" }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(getTicket(org.ctx("technician"), ticket.number)).rejects.toMatchObject({ status: 404 });
  });
});

describe("attachments", () => {
  test("oversized files are refused before anything is stored", async () => {
    const big = new File([new Uint8Array(1024 * 1024 + 1)], "big.bin");
    await expect(
      createTicket(org.ctx("customer"), { subject: "With big file", body: "x", files: [big] }),
    ).rejects.toMatchObject({ status: 413, fields: { attachments: expect.stringContaining("big.bin") } });
    const rows = await org
      .ctx("agent")
      .db.select()
      .from(tickets)
      .where(and(eq(tickets.orgId, org.orgId), eq(tickets.subject, "With big file")));
    expect(rows.length).toBe(0);
  });

  test("the same bytes are stored once and names are cleaned", async () => {
    const a = new File(["same bytes"], "../../etc/passwd");
    const b = new File(["same bytes"], "copy.txt");
    const ticket = await createTicket(org.ctx("customer"), {
      subject: "Two files",
      body: "x",
      files: [a, b],
    });
    const detail = await getTicket(org.ctx("agent"), ticket.number);
    const files = detail.messages[0].attachments;
    expect(files.map((f) => f.filename).sort()).toEqual(["copy.txt", "passwd"]);
  });
});

describe("requester", () => {
  test("staff can move a ticket to another contact, created when new", async () => {
    const ticket = await newTicket("Wrong person");
    const updated = await updateTicket(org.ctx("agent"), ticket.number, {
      requesterEmail: "Right.Person@Client.test",
    });
    const detail = await getTicket(org.ctx("agent"), updated.number);
    expect(detail.contact.email).toBe("right.person@client.test");
    expect(detail.history.map((h) => h.type)).toContain("ticket.requester_changed");
    await expect(
      updateTicket(org.ctx("agent"), ticket.number, { requesterEmail: "not-an-email" }),
    ).rejects.toMatchObject({
      fields: { requesterEmail: expect.any(String) },
    });
  });
});

describe("keyset paging by every sort", () => {
  test("each sort walks every ticket exactly once", async () => {
    const fresh = await createOrg("Sorts");
    const agent = fresh.ctx("agent");
    const priorities = ["low", "normal", "high", "urgent"];
    for (let i = 0; i < 9; i++) {
      await createTicket(
        { ...agent, now: new Date(Date.UTC(2026, 1, 1, 0, i % 3)) },
        { subject: `S${i}`, body: "x", requesterEmail: "k@client.test", priority: priorities[i % 4] },
      );
    }
    for (const sort of ["-updated_at", "created_at", "-priority", "priority", "number", "-number"] as const) {
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await listTickets(agent, { view: "all", sort, limit: 2, after });
        seen.push(...page.rows.map((r) => r.subject));
        after = page.nextCursor;
      } while (after);
      expect(new Set(seen).size).toBe(9);
      expect(seen.length).toBe(9);
    }
  });
});

describe("integrations", () => {
  test("a message posted with an API token is signed with the token's name", async () => {
    const ticket = await newTicket("From an integration");
    const api = {
      ...org.ctx("agent"),
      actor: {
        kind: "api" as const,
        orgId: org.orgId,
        role: "agent" as const,
        name: 'API token "Billing sync"',
      },
    };
    await addMessage(api, ticket.number, { kind: "reply", body: "Invoice re-sent." });
    const detail = await getTicket(org.ctx("agent"), ticket.number);
    const last = detail.messages[detail.messages.length - 1];
    expect(last).toMatchObject({
      authorName: 'API token "Billing sync"',
      authorIsStaff: true,
      channel: "api",
    });
  });
});
