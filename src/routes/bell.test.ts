// The notification bell: its unread count, rung live over the desk's stream for the person notified
// and nobody else, and only for staff of the organization.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { notifyUsers } from "../domain/notifications/notify";

let home: Fixture;
let away: Fixture;

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("BellHome"), createOrg("BellAway")]);
});

const notice = (f: Fixture, userId: string, title: string) => ({
  orgId: f.orgId,
  userIds: [userId],
  kind: "ticket.assigned",
  title,
  body: "",
  url: "/desk/tickets",
});

async function bellOf(client: Awaited<ReturnType<typeof signedIn>>) {
  const response = await client.get("/notifications/bell", { "hx-request": "true" });
  return {
    status: response.status,
    bell: parse(`<div>${await response.text()}</div>`).querySelector("#bell"),
  };
}

describe("notification bell", () => {
  test("a notification rings the bell of the person notified, live, and the count follows reading", async () => {
    const agent = await signedIn(home, "agent");
    const supervisor = await signedIn(home, "supervisor");
    const controllers = [new AbortController(), new AbortController()];
    const agentLive = await agent.request("/desk/live", { signal: controllers[0].signal });
    const supervisorLive = await supervisor.request("/desk/live", { signal: controllers[1].signal });
    const agentReader = (agentLive.body as ReadableStream<Uint8Array>).getReader();
    const supervisorReader = (supervisorLive.body as ReadableStream<Uint8Array>).getReader();
    await agentReader.read(); // the retry line
    await supervisorReader.read();

    const { db } = await testDatabase();
    await db.transaction((tx) =>
      notifyUsers(tx, notice(home, home.users.agent.id, "TKT-000001 is yours"), new Date()),
    );
    const rung = new TextDecoder().decode((await agentReader.read()).value);
    expect(rung).toContain("event: notifications");
    // The supervisor's stream stays quiet: nothing arrives within a moment.
    const quiet = await Promise.race([
      supervisorReader.read().then(() => "message"),
      new Promise((resolve) => setTimeout(() => resolve("quiet"), 300)),
    ]);
    expect(quiet).toBe("quiet");
    for (const c of controllers) c.abort();

    const { status, bell } = await bellOf(agent);
    expect(status).toBe(200);
    expect(bell?.querySelector(".count")?.textContent).toBe("1");
    expect(bell?.getAttribute("hx-trigger")).toBe("notifications from:#live");
    expect((await bellOf(supervisor)).bell?.querySelector(".count")).toBeNull();
    expect((await agent.post("/notifications/read", {})).status).toBe(303);
    expect((await bellOf(agent)).bell?.querySelector(".count")).toBeNull();
  });

  test("pages load the bell after rendering; customers have none and another organization counts its own", async () => {
    const agent = await signedIn(home, "agent");
    const page = await agent.page("/desk/tickets");
    const bell = page.document.querySelector("nav #bell");
    expect(bell?.getAttribute("hx-trigger")).toBe("load, notifications from:#live");
    expect(bell?.getAttribute("href")).toBe("/notifications");
    const customer = await signedIn(home, "customer");
    expect((await customer.get("/notifications/bell")).status).toBe(403);
    const { db } = await testDatabase();
    await db.transaction((tx) => notifyUsers(tx, notice(home, home.users.agent.id, "Another"), new Date()));
    expect((await bellOf(await signedIn(away, "agent"))).bell?.querySelector(".count")).toBeNull();
  });
});
