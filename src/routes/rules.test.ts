// Automation rule pages: the form without JavaScript, errors marked per row, the dry run.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, createOrg, type Fixture, parse, signedIn } from "../../test/helpers";
import { formatTicketNumber } from "../domain/orgs/counters";
import { createTicket } from "../domain/tickets/commands";

let org: Fixture;
let admin: Client;

beforeAll(async () => {
  org = await createOrg("Rulepages");
  admin = await signedIn(org, "admin");
});

describe("/admin/rules", () => {
  test("a rule is made in the form, a bad row is marked with everything kept, and the dry run reports", async () => {
    const bad = await admin.post("/admin/rules", {
      name: "Escalate refunds",
      trigger: "customer.replied",
      match: "all",
      c0_field: "body",
      c0_op: "contains",
      c0_value: "refund",
      a0_type: "set_priority",
      a0_choice: "",
      active: "1",
    });
    expect(bad.status).toBe(422);
    const document = parse(await bad.text());
    expect(document.querySelector(".row.invalid .field-error")?.textContent).toContain("urgent");
    expect(document.querySelector('input[name="c0_value"]')?.getAttribute("value")).toBe("refund");

    const good = await admin.post("/admin/rules", {
      name: "Escalate refunds",
      trigger: "ticket.created",
      match: "all",
      c0_field: "subject",
      c0_op: "contains",
      c0_value: "refund",
      a0_type: "set_priority",
      a0_choice: "high",
      active: "1",
    });
    expect(good.status).toBe(303);
    const path = (good.headers.get("location") as string).split("?")[0];
    const ticket = await createTicket(org.ctx("agent"), {
      subject: "Refund please",
      body: "x",
      requesterEmail: "r@client.test",
    });
    const run = await admin.post(`${path}/dry-run`, { ticket: formatTicketNumber(ticket.number) });
    expect(run.status).toBe(200);
    const result = parse(await run.text()).querySelector(".dry-run")?.textContent ?? "";
    expect(result).toContain("The rule would run");
    expect(result).toContain("Set priority: high");
    const list = await admin.page("/admin/rules");
    expect(list.document.querySelector("ol.rules")?.textContent).toContain("Escalate refunds");
  });
});
