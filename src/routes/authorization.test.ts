// Every HTML route × every role, with two organizations: who is let in, who is refused, and
// that nobody reaches the other organization's tickets.
import { beforeAll, describe, expect, test } from "bun:test";
import {
  counters,
  inboundEmails,
  jobs,
  type Role,
  webhookSettings,
  webhookSubscriptions,
} from "../../db/schema";
import { Client, createOrg, type Fixture, signedIn, testFiles } from "../../test/helpers";
import { formatTicketNumber } from "../domain/orgs/counters";
import { createTicket } from "../domain/tickets/commands";

const ROLES: Role[] = ["admin", "supervisor", "agent", "dispatcher", "technician", "customer"];
const READ = ["admin", "supervisor", "agent", "dispatcher"] as const;
const WORK = ["admin", "supervisor", "agent"] as const;

let home: Fixture;
let away: Fixture;
let ticket: string;
let awayTicket: string;
let homeJob: string;
let homeEmail: string;
let homeHook: string;
let homeHookToDelete: string;

interface RouteCase {
  name: string;
  method: "GET" | "POST";
  path: () => string;
  form?: () => Record<string, string>;
  allowed: readonly Role[];
}

const ROUTES: RouteCase[] = [
  { name: "ticket list", method: "GET", path: () => "/desk/tickets", allowed: READ },
  { name: "list fragment", method: "GET", path: () => "/desk/tickets?view=open&fragment=1", allowed: READ },
  { name: "new ticket form", method: "GET", path: () => "/desk/tickets/new", allowed: WORK },
  {
    name: "create ticket",
    method: "POST",
    path: () => "/desk/tickets",
    form: () => ({ subject: "Matrix", body: "b", requesterEmail: "m@example.test" }),
    allowed: WORK,
  },
  { name: "ticket page", method: "GET", path: () => `/desk/tickets/${ticket}`, allowed: READ },
  {
    name: "internal note",
    method: "POST",
    path: () => `/desk/tickets/${ticket}/messages`,
    form: () => ({ kind: "note", body: "matrix note" }),
    allowed: WORK,
  },
  {
    name: "ticket properties",
    method: "POST",
    path: () => `/desk/tickets/${ticket}/properties`,
    form: () => ({ priority: "high", type: "incident", status: "open" }),
    allowed: WORK,
  },
  {
    name: "bulk edit",
    method: "POST",
    path: () => "/desk/tickets/bulk",
    form: () => ({ ids: "", priority: "low" }),
    allowed: WORK,
  },
  { name: "portal list", method: "GET", path: () => "/portal/tickets", allowed: ["customer"] },
  { name: "portal new form", method: "GET", path: () => "/portal/tickets/new", allowed: ["customer"] },
  { name: "portal ticket", method: "GET", path: () => `/portal/tickets/${ticket}`, allowed: ["customer"] },
  {
    name: "portal reply",
    method: "POST",
    path: () => `/portal/tickets/${ticket}/messages`,
    form: () => ({ body: "matrix reply" }),
    allowed: ["customer"],
  },
  { name: "admin home", method: "GET", path: () => "/admin", allowed: ["admin"] },
  { name: "api tokens", method: "GET", path: () => "/admin/tokens", allowed: ["admin"] },
  {
    name: "create api token",
    method: "POST",
    path: () => "/admin/tokens",
    form: () => ({ name: "matrix", role: "agent" }),
    allowed: ["admin"],
  },
  { name: "outbox", method: "GET", path: () => "/admin/outbox", allowed: ["admin"] },
  { name: "jobs", method: "GET", path: () => "/admin/jobs", allowed: ["admin"] },
  { name: "retry job", method: "POST", path: () => `/admin/jobs/${homeJob}/retry`, allowed: ["admin"] },
  { name: "webhooks", method: "GET", path: () => "/admin/webhooks", allowed: ["admin"] },
  { name: "new webhook form", method: "GET", path: () => "/admin/webhooks/new", allowed: ["admin"] },
  {
    name: "create webhook",
    method: "POST",
    path: () => "/admin/webhooks",
    form: () => ({ name: "matrix", url: "http://127.0.0.1:9/new", eventTypes: "webhook.test_only" }),
    allowed: ["admin"],
  },
  { name: "webhook page", method: "GET", path: () => `/admin/webhooks/${homeHook}`, allowed: ["admin"] },
  {
    name: "edit webhook",
    method: "POST",
    path: () => `/admin/webhooks/${homeHook}`,
    form: () => ({ name: "matrix hook", url: "http://127.0.0.1:9/edited", eventTypes: "webhook.test_only" }),
    allowed: ["admin"],
  },
  {
    name: "pause webhook",
    method: "POST",
    path: () => `/admin/webhooks/${homeHook}/disable`,
    allowed: ["admin"],
  },
  {
    name: "re-enable webhook",
    method: "POST",
    path: () => `/admin/webhooks/${homeHook}/enable`,
    allowed: ["admin"],
  },
  {
    name: "test webhook",
    method: "POST",
    path: () => `/admin/webhooks/${homeHook}/test`,
    allowed: ["admin"],
  },
  {
    name: "delete webhook",
    method: "POST",
    path: () => `/admin/webhooks/${homeHookToDelete}/delete`,
    allowed: ["admin"],
  },
  {
    name: "webhook settings",
    method: "POST",
    path: () => "/admin/webhooks/settings",
    form: () => ({ allowPrivateTargets: "1" }),
    allowed: ["admin"],
  },
  { name: "original email", method: "GET", path: () => `/desk/emails/${homeEmail}/original`, allowed: READ },
  { name: "account", method: "GET", path: () => "/account", allowed: ROLES },
];

const clients = new Map<string, Client>();

beforeAll(async () => {
  home = await createOrg("Home");
  away = await createOrg("Away");
  const created = await createTicket(home.ctx("customer"), {
    subject: "Home ticket",
    body: "Only home may see this.",
  });
  ticket = formatTicketNumber(created.number);
  // Numbers are per organization; start the away organization at 1000 so the two never share one
  // and a "not found" cannot come from the number alone.
  await away.ctx("agent").db.insert(counters).values({ orgId: away.orgId, name: "ticket", value: 999 });
  const awayCreated = await createTicket(away.ctx("customer"), {
    subject: "Away secret",
    body: "Only away may see this.",
  });
  awayTicket = formatTicketNumber(awayCreated.number);
  const [job] = await home
    .ctx("admin")
    .db.insert(jobs)
    .values({
      orgId: home.orgId,
      queue: "email.send",
      payload: {},
      status: "dead",
      runAt: new Date(),
      createdAt: new Date(),
      updatedAt: new Date(),
    })
    .returning();
  homeJob = job.id;
  const original = await testFiles().save(
    new File(["Subject: Home mail\r\n\r\nOnly home may see this."], "m.eml"),
  );
  const [email] = await home
    .ctx("admin")
    .db.insert(inboundEmails)
    .values({
      orgId: home.orgId,
      messageId: `${home.orgId}@matrix.test`,
      fromAddress: "someone@client.test",
      subject: "Home mail",
      outcome: "new_ticket",
      reason: "matrix",
      rawSha256: original.sha256,
      receivedAt: new Date(),
    })
    .returning();
  homeEmail = email.id;
  // Loopback port 9 refuses connections: nothing leaves the machine if a delivery ever runs.
  await home
    .ctx("admin")
    .db.insert(webhookSettings)
    .values({ orgId: home.orgId, allowPrivateTargets: true, updatedAt: new Date() });
  const hooks = await home
    .ctx("admin")
    .db.insert(webhookSubscriptions)
    .values(
      ["Matrix hook", "Matrix hook to delete"].map((name) => ({
        orgId: home.orgId,
        name,
        url: "http://127.0.0.1:9/hook",
        eventTypes: ["webhook.test_only"],
        secret: "whsec_matrix",
        createdAt: new Date(),
        updatedAt: new Date(),
      })),
    )
    .returning();
  homeHook = hooks[0].id;
  homeHookToDelete = hooks[1].id;
  for (const role of ROLES) {
    clients.set(`home:${role}`, await signedIn(home, role));
    clients.set(`away:${role}`, await signedIn(away, role));
  }
});

async function call(client: Client, route: RouteCase) {
  return route.method === "GET" ? client.get(route.path()) : client.post(route.path(), route.form?.() ?? {});
}

describe("every route refuses visitors who are not signed in", () => {
  for (const route of ROUTES) {
    test(`${route.method} ${route.name}`, async () => {
      const visitor = new Client();
      const response = await call(visitor, route);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toStartWith("/login");
    });
  }
});

describe("every route × every role", () => {
  for (const route of ROUTES) {
    for (const role of ROLES) {
      const allowed = route.allowed.includes(role);
      test(`${route.method} ${route.name} as ${role}: ${allowed ? "allowed" : "refused"}`, async () => {
        const response = await call(clients.get(`home:${role}`)!, route);
        if (allowed) {
          // Allowed means served or acted on: a page, a redirect after a post, or a form error (the bulk case).
          expect([200, 201, 303, 422]).toContain(response.status);
          if (response.status === 303) expect(response.headers.get("location")).not.toStartWith("/login");
        } else {
          expect([403, 404]).toContain(response.status);
        }
      });
    }
  }
});

describe("another organization's tickets are invisible to every role", () => {
  for (const role of ROLES) {
    test(`${role} of the away organization`, async () => {
      const client = clients.get(`away:${role}`)!;
      for (const path of [`/desk/tickets/${ticket}`, `/portal/tickets/${ticket}`]) {
        const response = await client.get(path);
        const text = await response.text();
        expect(text).not.toContain("Only home may see this.");
      }
      const post = await client.post(`/desk/tickets/${ticket}/messages`, { kind: "note", body: "cross-org" });
      expect([403, 404]).toContain(post.status);
      const reply = await client.post(`/portal/tickets/${ticket}/messages`, { body: "cross-org" });
      expect([403, 404]).toContain(reply.status);
      const original = await client.get(`/desk/emails/${homeEmail}/original`);
      expect([403, 404]).toContain(original.status);
      const hook = await client.get(`/admin/webhooks/${homeHook}`);
      expect([403, 404]).toContain(hook.status);
      expect(await hook.text()).not.toContain("whsec_matrix");
      const edit = await client.post(`/admin/webhooks/${homeHook}`, {
        name: "cross-org",
        url: "http://127.0.0.1:9/x",
        eventTypes: "*",
      });
      expect([403, 404]).toContain(edit.status);
    });
  }

  test("the home organization's staff cannot read the away ticket number", async () => {
    const agent = clients.get("home:agent")!;
    const response = await agent.get(`/desk/tickets/${awayTicket}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("Only away may see this.");
  });

  test("nothing written across organizations", async () => {
    const agent = clients.get("home:agent")!;
    const page = await agent.page(`/desk/tickets/${ticket}`);
    expect(page.document.querySelector(".thread")!.textContent).not.toContain("cross-org");
  });
});
