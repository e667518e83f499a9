// The messaging pages and the provider's webhooks through the app: admins add a channel (errors
// marked, the token never shown back), only admins of the organization reach it, and a signed
// inbound text becomes a ticket whose page says where it came from.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { type Role, tickets, webhookSettings } from "../../db/schema";
import { createOrg, type Fixture, parse, signedIn, testApp, testDatabase } from "../../test/helpers";
import { type FakeProvider, providerRequest, startFakeProvider } from "../../test/twilio";
import { formatTicketNumber } from "../domain/orgs/counters";

let provider: FakeProvider;
let home: Fixture;
let away: Fixture;
let channelId: string;

const form = () => ({
  name: "Support SMS",
  kind: "sms",
  provider: "twilio",
  phoneNumber: "+60312345678",
  accountSid: provider.accountSid,
  authToken: provider.authToken,
  apiBaseUrl: provider.url,
  enabled: "1",
});

beforeAll(async () => {
  provider = startFakeProvider();
  [home, away] = await Promise.all([createOrg("Home"), createOrg("Away")]);
  const { db } = await testDatabase();
  // The fake provider listens on loopback.
  await db
    .insert(webhookSettings)
    .values({ orgId: home.orgId, allowPrivateTargets: true, updatedAt: new Date() });
  const admin = await signedIn(home, "admin");
  const created = await admin.post("/admin/messaging", form());
  expect(created.status).toBe(303);
  channelId = String(created.headers.get("location")).match(/\/admin\/messaging\/([0-9a-f-]+)/)![1];
});
afterAll(() => provider.stop());

describe("/admin/messaging", () => {
  test("the channel page shows the addresses to give the provider, never the token", async () => {
    const admin = await signedIn(home, "admin");
    const { status, document } = await admin.page(`/admin/messaging/${channelId}`);
    expect(status).toBe(200);
    const codes = [...document.querySelectorAll("code")].map((c) => c.textContent);
    expect(codes).toContain(`http://localhost/hooks/messaging/${channelId}`);
    expect(codes).toContain(`http://localhost/hooks/messaging/${channelId}/status`);
    expect(document.body.innerHTML).not.toContain(provider.authToken);
    expect(document.querySelector<HTMLInputElement>("#authToken")?.getAttribute("value")).toBeNull();
  });

  test("bad input is marked next to its field, keeps what was typed and saves nothing", async () => {
    const admin = await signedIn(home, "admin");
    const response = await admin.post("/admin/messaging", {
      ...form(),
      name: "Broken",
      phoneNumber: "012-345",
      apiBaseUrl: "ftp://example.test",
    });
    expect(response.status).toBe(422);
    const document = parse(await response.text());
    expect(document.querySelector("#phoneNumber-error")?.textContent).toContain("country code");
    expect(document.querySelector("#apiBaseUrl-error")?.textContent).toContain("https://");
    expect(document.querySelector<HTMLInputElement>("#name")?.getAttribute("value")).toBe("Broken");
    expect(document.body.innerHTML).not.toContain(provider.authToken);
    const list = await admin.page("/admin/messaging");
    expect([...list.document.querySelectorAll("table.channels tbody tr")]).toHaveLength(1);
  });

  test("the same number twice is refused on the number", async () => {
    const admin = await signedIn(home, "admin");
    const response = await admin.post("/admin/messaging", { ...form(), name: "Again" });
    expect(response.status).toBe(409);
    expect(parse(await response.text()).querySelector("#phoneNumber-error")?.textContent).toContain(
      "already",
    );
  });

  test("saving with the token left empty keeps the token", async () => {
    const admin = await signedIn(home, "admin");
    const saved = await admin.post(`/admin/messaging/${channelId}`, {
      ...form(),
      name: "Renamed",
      authToken: "",
    });
    expect(saved.status).toBe(303);
    const application = await testApp();
    const url = `http://localhost/hooks/messaging/${channelId}`;
    const params = { MessageSid: "SMkeep1", From: "+60111111111", To: "+60312345678", Body: "Still works" };
    expect((await application.handle(providerRequest(url, params, provider.authToken))).status).toBe(200);
  });

  const ROLES: Role[] = ["supervisor", "agent", "dispatcher", "technician", "customer"];
  for (const role of ROLES) {
    test(`${role}s are refused`, async () => {
      const client = await signedIn(home, role);
      expect((await client.get("/admin/messaging")).status).toBe(403);
      expect((await client.get(`/admin/messaging/${channelId}`)).status).toBe(403);
      expect((await client.post("/admin/messaging", form())).status).toBe(403);
      expect((await client.post(`/admin/messaging/${channelId}/delete`, {})).status).toBe(403);
    });
  }

  test("another organization's admin cannot see, change or delete the channel", async () => {
    const client = await signedIn(away, "admin");
    expect((await client.get(`/admin/messaging/${channelId}`)).status).toBe(404);
    expect((await client.post(`/admin/messaging/${channelId}`, form())).status).toBe(404);
    expect((await client.post(`/admin/messaging/${channelId}/delete`, {})).status).toBe(404);
    const list = await client.page("/admin/messaging");
    expect(list.document.querySelector("table.channels")).toBeNull();
  });
});

describe("/hooks/messaging", () => {
  test("a signed text becomes a ticket; the agent sees where it came from", async () => {
    const application = await testApp();
    const url = `http://localhost/hooks/messaging/${channelId}`;
    const params = {
      MessageSid: "SMroute1",
      From: "+60199998888",
      To: "+60312345678",
      Body: "Fridge broken",
    };
    const response = await application.handle(providerRequest(url, params, provider.authToken));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/xml");
    expect(await response.text()).toContain("<Response>");
    const { db } = await testDatabase();
    const [ticket] = await db.select().from(tickets).where(eq(tickets.subject, "Fridge broken"));
    const agent = await signedIn(home, "agent");
    const page = await agent.page(`/desk/tickets/${formatTicketNumber(ticket.number)}`);
    expect(page.document.querySelector(".text-meta")?.textContent).toContain("From +60199998888");
    expect(page.document.querySelector(".text-reply")?.textContent).toContain("to +60199998888 by SMS");
  });

  test("an unsigned or wrongly signed request is refused", async () => {
    const application = await testApp();
    const url = `http://localhost/hooks/messaging/${channelId}`;
    const params = { MessageSid: "SMroute2", From: "+60199998888", To: "+60312345678", Body: "Forged" };
    const forged = providerRequest(url, params, "wrong-token");
    expect((await application.handle(forged)).status).toBe(403);
    const status = providerRequest(`${url}/status`, { MessageSid: "SMx", MessageStatus: "failed" }, "wrong");
    expect((await application.handle(status)).status).toBe(403);
    const { db } = await testDatabase();
    expect(await db.select().from(tickets).where(eq(tickets.subject, "Forged"))).toHaveLength(0);
  });
});
