// Macros: personal and shared, applied to a ticket (field changes saved, reply text filled in).
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { tickets } from "../../db/schema";
import { type Client, createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { saveMacro } from "../domain/macros/macros";
import { formatTicketNumber } from "../domain/orgs/counters";
import { createTicket } from "../domain/tickets/commands";

let org: Fixture;
let agent: Client;

beforeAll(async () => {
  org = await createOrg("Macros");
  agent = await signedIn(org, "agent");
});

describe("macros", () => {
  test("applying a macro saves its changes and fills the reply box with the ticket's words", async () => {
    const macroId = await saveMacro(org.ctx("supervisor"), null, {
      name: "Waiting for photos",
      shortcut: "photos",
      body: "Hi {{contact.first_name}}, could you send photos for {{ticket.number}}? — {{agent.first_name}}",
      shared: true,
      actions: [
        { type: "set_status", value: "pending" },
        { type: "add_tags", value: "needs-photos" },
      ],
    });
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Cracked tile",
      body: "x",
      requesterEmail: "maria.lopez@client.test",
      requesterName: "Maria Lopez",
    });
    const number = formatTicketNumber(ticket.number);
    const page = await agent.page(`/desk/tickets/${number}`);
    expect(
      page.document.querySelector(`select[name="macroId"] option[value="${macroId}"]`)?.textContent,
    ).toBe("Waiting for photos (/photos)");
    const applied = await agent.post(`/desk/tickets/${number}/macro`, { macroId });
    expect(applied.status).toBe(200);
    const document = parse(await applied.text());
    expect(document.querySelector("#body")?.textContent).toBe(
      `Hi Maria, could you send photos for ${number}? — Agent`,
    );
    const { db } = await testDatabase();
    const [row] = await db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row.status).toBe("pending");
    expect(row.tags).toEqual(["needs-photos"]);
  });

  test("personal macros stay personal; shared ones are the supervisors' to change", async () => {
    const mine = await saveMacro(org.ctx("agent"), null, { name: "My sign-off", body: "Cheers" });
    const other = await signedIn(org, "supervisor");
    expect((await other.get(`/desk/macros/${mine}`)).status).toBe(404);
    await expect(
      saveMacro(org.ctx("agent"), null, { name: "Everyone's", body: "x", shared: true }),
    ).rejects.toMatchObject({
      status: 403,
    });
    const bad = await agent.post("/desk/macros", {
      name: "",
      body: "",
      a0_type: "set_priority",
      a0_value: "sky",
    });
    expect(bad.status).toBe(422);
    const document = parse(await bad.text());
    expect(document.querySelector("#name-error")).toBeTruthy();
    expect(document.querySelector(".row.invalid .field-error")?.textContent).toContain("urgent");
    const stranger = await createOrg("Macros stranger");
    const strangerAgent = await signedIn(stranger, "agent");
    expect((await strangerAgent.get(`/desk/macros/${mine}`)).status).toBe(404);
  });
});
