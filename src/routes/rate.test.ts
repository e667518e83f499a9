// Satisfaction survey: asked once when a ticket is first solved; answered without signing in.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { outboxMessages, satisfactionRatings } from "../../db/schema";
import { Client, createOrg, type Fixture, parse, testDatabase } from "../../test/helpers";
import { addMessage, createTicket, updateTicket } from "../domain/tickets/commands";
import { getTicket } from "../domain/tickets/queries";

let org: Fixture;

beforeAll(async () => {
  org = await createOrg("Rating");
});

async function surveys(ticketId: string) {
  const { db } = await testDatabase();
  return db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.ticketId, ticketId), eq(outboxMessages.kind, "satisfaction_survey")));
}

describe("satisfaction survey", () => {
  test("solving asks once; the customer rates without signing in and may change the answer", async () => {
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Leaking tap",
      body: "x",
      requesterEmail: "tap@client.test",
      assigneeId: org.users.agent.id,
    });
    await addMessage(org.ctx("agent"), ticket.number, { kind: "reply", body: "Fixed.", status: "solved" });
    const [mail] = await surveys(ticket.id);
    const link = /\/rate\/([A-Za-z0-9_-]+)/.exec(mail.textBody)?.[1] as string;
    expect(link).toBeTruthy();

    await updateTicket(org.ctx("agent"), ticket.number, { status: "open" });
    await updateTicket(org.ctx("agent"), ticket.number, { status: "solved" });
    expect(await surveys(ticket.id)).toHaveLength(1);

    const visitor = new Client();
    const page = await visitor.page(`/rate/${link}?score=5`);
    expect(page.status).toBe(200);
    expect(page.document.querySelector('input[name="score"][value="5"]')?.hasAttribute("checked")).toBe(true);

    const bad = await visitor.post(`/rate/${link}`, { score: "9", comment: "kept" });
    expect(bad.status).toBe(422);
    expect(parse(await bad.text()).querySelector("#comment")?.textContent).toBe("kept");

    const ok = await visitor.post(`/rate/${link}`, { score: "4", comment: "Quick, thanks" });
    expect(ok.status).toBe(303);
    const changed = await visitor.post(`/rate/${link}`, { score: "5", comment: "" });
    expect(changed.status).toBe(303);
    const { db } = await testDatabase();
    const [rating] = await db
      .select()
      .from(satisfactionRatings)
      .where(eq(satisfactionRatings.ticketId, ticket.id));
    expect(rating).toMatchObject({ score: 5, comment: null, agentUserId: org.users.agent.id });
    const detail = await getTicket(org.ctx("agent"), ticket.number);
    expect(detail.history.filter((h) => h.type === "ticket.rated")).toHaveLength(2);
  });

  test("a made-up or malformed link is not found", async () => {
    const visitor = new Client();
    expect((await visitor.get("/rate/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")).status).toBe(404);
    expect((await visitor.get("/rate/%3Cscript%3E")).status).toBe(404);
  });
});
