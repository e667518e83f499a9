// Live updates: committed events reach subscribers; rolled-back ones never do; on Postgres an
// event written through one connection pool reaches the bus of another (another app server).
import { describe, expect, test } from "bun:test";
import { openPostgres } from "../../../db/client";
import { createOrg, testDatabase } from "../../../test/helpers";
import { createTicket } from "../tickets/commands";
import { EventBus } from "./bus";
import type { LiveEvent } from "./log";

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
