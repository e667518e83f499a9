// Every HTML route × every role, with two organizations: who is let in, who is refused, and
// that nobody reaches the other organization's tickets.
import { beforeAll, describe, expect, test } from "bun:test";
import { counters, inboundEmails, jobs, mailboxes, type Role } from "../../db/schema";
import { Client, createOrg, type Fixture, signedIn, testFiles } from "../../test/helpers";
import { startChat, touchPresence } from "../domain/chat/chat";
import { createArticle, setArticleStatus, updateArticle } from "../domain/kb/articles";
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
let homeMailbox: string;
let homeChat: string;
let homeArticle: string;
let publicArticle: string;
const KB_PUBLISH = ["admin", "supervisor"] as const;

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
  { name: "original email", method: "GET", path: () => `/desk/emails/${homeEmail}/original`, allowed: READ },
  { name: "mailboxes", method: "GET", path: () => "/admin/mailboxes", allowed: ["admin"] },
  {
    name: "add mailbox",
    method: "POST",
    path: () => "/admin/mailboxes",
    form: () => ({ name: "Matrix", address: "not-an-address" }),
    allowed: ["admin"],
  },
  { name: "mailbox", method: "GET", path: () => `/admin/mailboxes/${homeMailbox}`, allowed: ["admin"] },
  {
    name: "save mailbox",
    method: "POST",
    path: () => `/admin/mailboxes/${homeMailbox}`,
    form: () => ({ name: "", address: "" }),
    allowed: ["admin"],
  },
  { name: "email templates", method: "GET", path: () => "/admin/email-templates", allowed: ["admin"] },
  {
    name: "email template",
    method: "GET",
    path: () => "/admin/email-templates/ticket_reply",
    allowed: ["admin"],
  },
  {
    name: "preview email template",
    method: "POST",
    path: () => "/admin/email-templates/ticket_reply",
    form: () => ({ action: "preview", subject: "s", text: "t" }),
    allowed: ["admin"],
  },
  { name: "chat start page", method: "GET", path: () => "/portal/chat", allowed: ["customer"] },
  { name: "chat inbox", method: "GET", path: () => "/desk/chats", allowed: WORK },
  { name: "agent chat page", method: "GET", path: () => `/desk/chats/${homeChat}`, allowed: WORK },
  {
    name: "customer chat page",
    method: "GET",
    path: () => `/portal/chat/${homeChat}`,
    allowed: ["customer"],
  },
  {
    name: "agent chat message",
    method: "POST",
    path: () => `/desk/chats/${homeChat}/messages`,
    form: () => ({ body: "" }),
    allowed: WORK,
  },
  {
    name: "customer chat message",
    method: "POST",
    path: () => `/portal/chat/${homeChat}/messages`,
    form: () => ({ body: "" }),
    allowed: ["customer"],
  },
  { name: "account", method: "GET", path: () => "/account", allowed: ROLES },
  { name: "kb articles", method: "GET", path: () => "/desk/kb", allowed: WORK },
  { name: "kb new article form", method: "GET", path: () => "/desk/kb/new", allowed: WORK },
  {
    name: "kb create article",
    method: "POST",
    path: () => "/desk/kb",
    form: () => ({ title: "", body: "" }),
    allowed: WORK,
  },
  { name: "kb article", method: "GET", path: () => `/desk/kb/${homeArticle}`, allowed: WORK },
  {
    name: "kb save article",
    method: "POST",
    path: () => `/desk/kb/${homeArticle}`,
    form: () => ({ title: "", body: "" }),
    allowed: WORK,
  },
  {
    name: "kb send for review",
    method: "POST",
    path: () => `/desk/kb/${homeArticle}/status`,
    form: () => ({ status: "in_review" }),
    allowed: WORK,
  },
  {
    name: "kb publish",
    method: "POST",
    path: () => `/desk/kb/${homeArticle}/status`,
    form: () => ({ status: "archived" }),
    allowed: KB_PUBLISH,
  },
  { name: "kb versions", method: "GET", path: () => `/desk/kb/${homeArticle}/versions`, allowed: WORK },
  { name: "kb diff", method: "GET", path: () => `/desk/kb/${homeArticle}/diff?from=1&to=2`, allowed: WORK },
  {
    name: "kb restore",
    method: "POST",
    path: () => `/desk/kb/${homeArticle}/versions/1/restore`,
    allowed: WORK,
  },
  { name: "kb categories", method: "GET", path: () => "/desk/kb/structure", allowed: KB_PUBLISH },
  {
    name: "kb add category",
    method: "POST",
    path: () => "/desk/kb/categories",
    form: () => ({ name: "" }),
    allowed: KB_PUBLISH,
  },
  {
    name: "kb add section",
    method: "POST",
    path: () => "/desk/kb/sections",
    form: () => ({ categoryId: "", sectionName: "" }),
    allowed: KB_PUBLISH,
  },
  { name: "kb least helpful", method: "GET", path: () => "/desk/kb/feedback", allowed: KB_PUBLISH },
  { name: "search", method: "GET", path: () => "/desk/search?q=home", allowed: READ },
  {
    name: "deflection",
    method: "POST",
    path: () => "/portal/deflections",
    form: () => ({ articleId: publicArticle, subject: "matrix" }),
    allowed: ["customer"],
  },
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
  const [mailbox] = await home
    .ctx("admin")
    .db.insert(mailboxes)
    .values({ orgId: home.orgId, name: "Home", address: `home@${home.orgId}.test`, createdAt: new Date() })
    .returning();
  homeMailbox = mailbox.id;
  await touchPresence(home.ctx("agent"));
  homeChat = await startChat(home.ctx("customer"), { body: "Matrix chat" });
  const article = await createArticle(home.ctx("agent"), {
    title: "Home internal article",
    body: "<p>Only home staff may read this.</p>",
    visibility: "internal",
  });
  await updateArticle(home.ctx("agent"), article.id, {
    title: "Home internal article",
    body: "<p>Only home staff may read this, version two.</p>",
    visibility: "internal",
  });
  homeArticle = article.id;
  const open = await createArticle(home.ctx("agent"), {
    title: "Home public article",
    body: "<p>Public.</p>",
  });
  await setArticleStatus(home.ctx("admin"), open.id, "published");
  publicArticle = open.id;
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
      for (const path of [
        `/desk/chats/${homeChat}`,
        `/portal/chat/${homeChat}`,
        `/desk/chats/${homeChat}/transcript`,
      ]) {
        expect([403, 404]).toContain((await client.get(path)).status);
      }
      const chatPost = await client.post(`/desk/chats/${homeChat}/messages`, { body: "cross-org" });
      expect([403, 404]).toContain(chatPost.status);
      const mailbox = await client.get(`/admin/mailboxes/${homeMailbox}`);
      expect([403, 404]).toContain(mailbox.status);
      const removed = await client.post(`/admin/mailboxes/${homeMailbox}/delete`, {});
      expect([403, 404]).toContain(removed.status);
      for (const path of [
        `/desk/kb/${homeArticle}`,
        `/desk/kb/${homeArticle}/versions`,
        `/desk/kb/${homeArticle}/diff?from=1&to=2`,
      ]) {
        const response = await client.get(path);
        expect([403, 404]).toContain(response.status);
        expect(await response.text()).not.toContain("Only home staff");
      }
      for (const path of [
        `/desk/kb/${homeArticle}`,
        `/desk/kb/${homeArticle}/status`,
        `/desk/kb/${homeArticle}/versions/1/restore`,
      ]) {
        const response = await client.post(path, {
          title: "cross-org",
          body: "<p>x</p>",
          status: "archived",
        });
        expect([403, 404]).toContain(response.status);
      }
      for (const path of ["/desk/search?q=home", "/help/search?q=home", "/help"]) {
        expect(await (await client.get(path)).text()).not.toContain("Home internal article");
      }
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
