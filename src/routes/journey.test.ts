// The foundation's journey through the HTML routes: a customer writes in, an agent answers, the
// customer reads the answer — plus the ways people get it wrong on the way.
import { describe, expect, test } from "bun:test";
import { type Client, createOrg, type Fixture, signedIn } from "../../test/helpers";

let org: Fixture;
let other: Fixture;

async function submitTicket(
  customer: Client,
  subject: string,
  body = "The aircond in the server room stopped cooling.",
) {
  const response = await customer.post("/portal/tickets", { subject, body });
  expect(response.status).toBe(303);
  const location = response.headers.get("location")!;
  expect(location).toMatch(/^\/portal\/tickets\/TKT-\d{6}\?notice=created$/);
  return location.split("?")[0].split("/").pop()!;
}

describe("a customer writes in, an agent answers, the customer sees the answer", () => {
  test("the whole journey", async () => {
    org = await createOrg("Journey");
    other = await createOrg("Other");
    const customer = await signedIn(org, "customer");
    const number = await submitTicket(customer, "Aircond not cooling");

    const agent = await signedIn(org, "agent");
    const list = await agent.page("/desk/tickets?view=unassigned");
    expect(list.status).toBe(200);
    const row = list.document.querySelector(`tr[data-ticket="${number}"]`);
    expect(row?.textContent).toContain("Aircond not cooling");
    expect(list.document.querySelector('.count[data-view="unassigned"]')?.textContent).toBe("1");

    const reply = await agent.post(`/desk/tickets/${number}/messages`, {
      kind: "reply",
      body: "A technician will visit tomorrow at 10:00.",
      status: "pending",
    });
    expect(reply.status).toBe(303);
    const note = await agent.post(`/desk/tickets/${number}/messages`, {
      kind: "note",
      body: "Secret: compressor likely.",
    });
    expect(note.status).toBe(303);

    const page = await customer.page(`/portal/tickets/${number}`);
    expect(page.status).toBe(200);
    const thread = page.document.querySelector(".thread")!.textContent!;
    expect(thread).toContain("A technician will visit tomorrow at 10:00.");
    expect(thread).not.toContain("Secret: compressor likely.");
    expect(page.document.querySelector(".badge")?.textContent).toBe("Pending");

    // The customer's reply puts the ticket back with the agents.
    const answer = await customer.post(`/portal/tickets/${number}/messages`, {
      body: "Thanks, 10:00 works.",
    });
    expect(answer.status).toBe(303);
    const staffView = await agent.page(`/desk/tickets/${number}`);
    expect(staffView.document.querySelector(".ticket-head .badge")?.textContent).toBe("Open");
    expect(staffView.document.querySelector(".message.note")?.textContent).toContain(
      "Secret: compressor likely.",
    );
    const history = staffView.document.querySelector(".history")!.textContent!;
    expect(history).toContain("changed status from New to Pending");
    expect(history).toContain("added an internal note");

    // Solve and reopen from the portal.
    expect((await customer.post(`/portal/tickets/${number}/status`, { status: "solved" })).status).toBe(303);
    expect(
      (await customer.page(`/portal/tickets/${number}`)).document.querySelector(".badge")?.textContent,
    ).toBe("Solved");
    expect((await customer.post(`/portal/tickets/${number}/status`, { status: "open" })).status).toBe(303);
    expect(
      (await customer.page(`/portal/tickets/${number}`)).document.querySelector(".badge")?.textContent,
    ).toBe("Open");

    // The agent's reply reached the outbox addressed to the customer.
    const admin = await signedIn(org, "admin");
    const outbox = await admin.page("/admin/outbox");
    expect(outbox.document.querySelector(".mail")?.textContent).toContain(
      org.users.customer.email.replace("customer@", ""),
    );
  });
});

describe("bad input is refused with the field marked and nothing stored", () => {
  test("empty and oversized subjects re-render the form with what was typed", async () => {
    const customer = await signedIn(org, "customer");
    const before = (await customer.page("/portal/tickets")).document.querySelectorAll("tbody tr").length;
    const empty = await customer.post("/portal/tickets", { subject: "  ", body: "Keep this text" });
    expect(empty.status).toBe(422);
    const doc = (await import("../../test/helpers")).parse(await empty.text());
    expect(doc.querySelector(".field.invalid #subject")).not.toBeNull();
    expect(doc.querySelector("#subject-error")?.textContent).toBe("Enter a subject.");
    expect(doc.querySelector("textarea#body")?.textContent).toBe("Keep this text");

    const huge = await customer.post("/portal/tickets", { subject: "x".repeat(1024 * 1024), body: "b" });
    expect(huge.status).toBe(422);
    const after = (await customer.page("/portal/tickets")).document.querySelectorAll("tbody tr").length;
    expect(after).toBe(before);
  });

  test("a forged CSRF token is refused and nothing is stored", async () => {
    const customer = await signedIn(org, "customer");
    const before = (await customer.page("/portal/tickets")).document.querySelectorAll("tbody tr").length;
    const forged = await customer.post(
      "/portal/tickets",
      { subject: "Forged", body: "x" },
      { csrf: "A".repeat(43) },
    );
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain("The form has expired");
    expect((await customer.page("/portal/tickets")).document.querySelectorAll("tbody tr").length).toBe(
      before,
    );
  });

  test("an illegal status change is refused next to the field", async () => {
    const customer = await signedIn(org, "customer");
    const number = await submitTicket(customer, "Lift stuck on level 3");
    const agent = await signedIn(org, "agent");
    const closed = await agent.post(`/desk/tickets/${number}/properties`, {
      status: "closed",
      priority: "normal",
      type: "question",
    });
    expect(closed.status).toBe(422);
    const doc = (await import("../../test/helpers")).parse(await closed.text());
    expect(doc.querySelector("form.properties .field-error")?.textContent).toContain("cannot become closed");
  });

  test("unknown and malformed ticket numbers are 404", async () => {
    const agent = await signedIn(org, "agent");
    expect((await agent.get("/desk/tickets/TKT-999999")).status).toBe(404);
    expect((await agent.get("/desk/tickets/not-a-ticket")).status).toBe(404);
    expect((await agent.get("/desk/tickets/TKT-00000x1")).status).toBe(404);
  });

  test("another organization's ticket is not found, and cannot be changed", async () => {
    const customer = await signedIn(org, "customer");
    const number = await submitTicket(customer, "Router down at branch");
    const stranger = await signedIn(other, "agent");
    // The other organization may have a ticket with the same number; make sure it is theirs, not ours.
    const page = await stranger.get(`/desk/tickets/${number}`);
    if (page.status === 200) expect(await page.text()).not.toContain("Router down at branch");
    else expect(page.status).toBe(404);
    const strangerCustomer = await signedIn(other, "customer");
    const reply = await strangerCustomer.post(`/portal/tickets/${number}/messages`, { body: "hijack" });
    expect([404]).toContain(reply.status);
    const agent = await signedIn(org, "agent");
    expect(await (await agent.get(`/desk/tickets/${number}`)).text()).not.toContain("hijack");
  });
});
