// Collision detection: colleagues on the same ticket see each other viewing and typing, live over
// the desk's stream; a page not heard from for a minute drops out; only staff of the organization.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture, parse, signedIn } from "../../test/helpers";
import { formatTicketNumber } from "../domain/orgs/counters";
import { createTicket } from "../domain/tickets/commands";
import { reportPresence, viewersOf } from "../domain/tickets/presence";

let org: Fixture;
let away: Fixture;

beforeAll(async () => {
  [org, away] = await Promise.all([createOrg("Presence"), createOrg("PresenceAway")]);
});

const listed = async (response: Response) =>
  [...parse(`<div>${await response.text()}</div>`).querySelectorAll(".viewers li")].map(
    (li) => li.textContent,
  );

describe("who else is on the ticket", () => {
  test("colleagues see each other viewing and typing, announced live", async () => {
    const ticket = await createTicket(org.ctx("customer"), { subject: "Fan noise", body: "Loud" });
    const path = `/desk/tickets/${formatTicketNumber(ticket.number)}/presence`;
    const agent = await signedIn(org, "agent");
    const supervisor = await signedIn(org, "supervisor");

    const page = await agent.page(`/desk/tickets/${formatTicketNumber(ticket.number)}`);
    expect(page.document.querySelector("#viewers")?.getAttribute("hx-trigger")).toBe(
      `presence-${ticket.id} from:#live delay:200ms`,
    );

    const controller = new AbortController();
    const live = await agent.request("/desk/live", { signal: controller.signal });
    const reader = (live.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the retry line
    expect(await listed(await agent.post(path, {}))).toEqual([]);
    expect(await listed(await supervisor.post(path, { typing: "1" }))).toEqual([
      `${org.users.agent.name} is viewing`,
    ]);
    let text = "";
    while (!text.includes(`event: presence-${ticket.id}`))
      text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(await listed(await agent.get(path))).toEqual([`${org.users.supervisor.name} is typing a reply…`]);
  });

  test("a page not heard from for a minute drops out, and typing fades after ten seconds", async () => {
    const ticket = await createTicket(org.ctx("customer"), { subject: "Drip", body: "Leak" });
    const t0 = new Date();
    await reportPresence(org.ctx("supervisor", t0), ticket.id, true);
    const at = (s: number) => org.ctx("agent", new Date(t0.getTime() + s * 1000));
    const { db } = at(0);
    expect(await viewersOf(db, at(5), ticket.id)).toEqual([
      { name: org.users.supervisor.name, typing: true },
    ]);
    expect(await viewersOf(db, at(15), ticket.id)).toEqual([
      { name: org.users.supervisor.name, typing: false },
    ]);
    expect(await viewersOf(db, at(61), ticket.id)).toEqual([]);
  });

  test("customers and other organizations cannot see or report presence", async () => {
    const ticket = await createTicket(org.ctx("customer"), { subject: "Secret", body: "x" });
    const path = `/desk/tickets/${formatTicketNumber(ticket.number)}/presence`;
    const customer = await signedIn(org, "customer");
    expect((await customer.get(path)).status).toBe(403);
    expect((await customer.post(path, {})).status).toBe(403);
    const stranger = await signedIn(away, "agent");
    expect((await stranger.get(path)).status).toBe(404);
    expect((await stranger.post(path, { typing: "1" })).status).toBe(404);
  });
});
