// Live updates: committed events reach subscribers; rolled-back ones never do; on Postgres an
// event written through one connection pool reaches the bus of another (another app server).
import { describe, expect, test } from "bun:test";
import { openPostgres } from "../../../db/client";
import { createOrg, testDatabase } from "../../../test/helpers";
import { liveStream } from "../../routes/live";
import { systemActor } from "../context";
import { createTicket } from "../tickets/commands";
import { EventBus } from "./bus";
import { appendEvents, type LiveEvent } from "./log";

function collect(bus: EventBus, orgId: string) {
  const seen: LiveEvent[] = [];
  bus.subscribe((e) => {
    if (e.orgId === orgId) seen.push(e);
  });
  return seen;
}

async function waitFor(check: () => boolean, ms = 5000) {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await Bun.sleep(20);
}

describe("event bus", () => {
  test("delivers committed events, not rolled-back ones", async () => {
    const database = await testDatabase();
    const bus = new EventBus();
    await bus.start(database);
    const org = await createOrg("Bus");
    const seen = collect(bus, org.orgId);
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Live",
      body: "x",
      requesterEmail: "l@client.test",
    });
    await expect(
      createTicket(org.ctx("agent"), { subject: "", body: "x", requesterEmail: "l@client.test" }),
    ).rejects.toThrow();
    await waitFor(() => seen.length > 0);
    await Bun.sleep(50);
    expect(seen.map((e) => [e.type, e.ticketId])).toEqual([["ticket.created", ticket.id]]);
    await bus.close();
  });

  test("events appended together are announced together, and the desk's stream refreshes each ticket", async () => {
    const database = await testDatabase();
    const bus = new EventBus();
    await bus.start(database);
    const org = await createOrg("BusTogether");
    const ticket = (subject: string) =>
      createTicket(org.ctx("agent"), { subject, body: "x", requesterEmail: "t@client.test" });
    const seen = collect(bus, org.orgId);
    const [a, b] = [await ticket("A"), await ticket("B")];
    // The tickets' own announcements are in before the stream opens.
    await waitFor(() => seen.filter((e) => e.type === "ticket.created").length === 2);
    const abort = new AbortController();
    const reader = (liveStream(bus, org.orgId, abort.signal).body as ReadableStream<Uint8Array>).getReader();
    const ctx = { db: database.db, actor: systemActor(org.orgId), now: new Date() };
    const escalated = (ticketId: string) => ({ type: "ticket.sla_escalated", ticketId, data: {} });
    const seqs = await appendEvents(database.db, ctx, [escalated(a.id), escalated(b.id), escalated(a.id)]);
    expect(seqs).toHaveLength(3);
    expect(seqs[0] < seqs[1] && seqs[1] < seqs[2]).toBe(true);
    await waitFor(() => seen.some((e) => e.type === "ticket.sla_escalated"));
    const announced = seen.filter((e) => e.type === "ticket.sla_escalated");
    expect(announced).toHaveLength(1);
    expect(announced[0].seq).toBe(seqs[2]);
    expect(announced[0].ticketId).toBeNull();
    expect([...(announced[0].ticketIds ?? [])].sort()).toEqual([a.id, b.id].sort());
    let text = "";
    const decoder = new TextDecoder();
    while (!text.includes(`event: ticket-${a.id}`) || !text.includes(`event: ticket-${b.id}`)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text.match(/event: tickets-changed/g)).toHaveLength(1);
    expect(text).toContain(`event: ticket-${a.id}\ndata: ticket.sla_escalated`);
    expect(text).toContain(`event: ticket-${b.id}\ndata: ticket.sla_escalated`);
    abort.abort();
    await bus.close();
  });

  test.skipIf(!process.env.DATABASE_URL)(
    "reaches another server's connection through LISTEN/NOTIFY",
    async () => {
      const other = await openPostgres(process.env.DATABASE_URL!, { max: 2 });
      const bus = new EventBus();
      await bus.start(other);
      const org = await createOrg("Cross");
      const seen = collect(bus, org.orgId);
      const ticket = await createTicket(org.ctx("agent"), {
        subject: "Across",
        body: "x",
        requesterEmail: "x@client.test",
      });
      await waitFor(() => seen.length > 0);
      expect(seen[0]).toMatchObject({ type: "ticket.created", ticketId: ticket.id });
      await bus.close();
      await other.close();
    },
  );
});
