// A reply written while the customer (or a colleague) added a message is stopped once, with the
// new message on the page and the text kept; sending again posts it. Works without JavaScript.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture, parse, signedIn } from "../../test/helpers";
import { formatTicketNumber } from "../domain/orgs/counters";
import { addMessage, createTicket } from "../domain/tickets/commands";

let org: Fixture;

beforeAll(async () => {
  org = await createOrg("Collision");
});

describe("reply collision", () => {
  test("a message that arrived since the page was opened stops the reply until it is read", async () => {
    const ticket = await createTicket(org.ctx("customer"), { subject: "Heater", body: "It clicks" });
    const number = formatTicketNumber(ticket.number);
    const agent = await signedIn(org, "agent");
    const opened = await agent.page(`/desk/tickets/${number}`);
    const seen = String(opened.document.querySelector("form.reply input[name=seen]")?.getAttribute("value"));
    expect(Number.isNaN(Date.parse(seen))).toBe(false);

    // The agent's own note since then does not count; the customer's new message does.
    await addMessage(org.ctx("agent", new Date(Date.now() + 1000)), ticket.id, {
      kind: "note",
      body: "Checking",
    });
    const own = await agent.post(`/desk/tickets/${number}/messages`, {
      kind: "note",
      body: "Second note",
      seen,
    });
    expect(own.status).toBe(303);
    await addMessage(org.ctx("customer", new Date(Date.now() + 2000)), ticket.id, {
      kind: "reply",
      body: "Also it smells of burning",
    });
    const stopped = await agent.post(`/desk/tickets/${number}/messages`, {
      kind: "reply",
      body: "Please switch it off",
      seen,
    });
    expect(stopped.status).toBe(409);
    const page = parse(await stopped.text());
    expect(page.querySelector(".alert.error")?.textContent).toContain(
      "A new message arrived while you were writing",
    );
    expect(page.querySelector("form.reply textarea")?.textContent).toBe("Please switch it off");
    expect(page.querySelector("form.reply input[name=sendAnyway]")?.getAttribute("value")).toBe("1");
    expect(page.querySelector("form.reply button[type=submit]")?.textContent).toBe("Send anyway");
    expect(page.body.textContent).toContain("Also it smells of burning");

    const sent = await agent.post(`/desk/tickets/${number}/messages`, {
      kind: "reply",
      body: "Please switch it off",
      seen: String(page.querySelector("form.reply input[name=seen]")?.getAttribute("value")),
      sendAnyway: "1",
    });
    expect(sent.status).toBe(303);
    const after = await agent.page(`/desk/tickets/${number}`);
    expect(after.document.body.textContent).toContain("Please switch it off");
  });
});
