import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { kbDeflections, organizations, tickets } from "../../db/schema";
import { Client, createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { createArticle, createCategory, createSection, setArticleStatus } from "../domain/kb/articles";
import { addMessage, createTicket } from "../domain/tickets/commands";

let home: Fixture;
let host: string;
let sectionId: string;

/** A visitor of the home organization's help center (its own host name). */
function visitor() {
  const client = new Client();
  const request = client.request.bind(client);
  client.request = (path, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set("host", host);
    return request(path, { ...init, headers });
  };
  return client;
}

async function onHost(client: Client) {
  const request = client.request.bind(client);
  client.request = (path, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set("host", host);
    return request(path, { ...init, headers });
  };
  return client;
}

beforeAll(async () => {
  home = await createOrg("HelpHome");
  host = `help-${home.orgId.slice(0, 8)}.example.test`;
  const { db } = await testDatabase();
  await db.update(organizations).set({ host }).where(eq(organizations.id, home.orgId));
  const category = await createCategory(home.ctx("admin"), {
    name: "Getting started",
    description: "First steps",
  });
  sectionId = (await createSection(home.ctx("admin"), { categoryId: category.id, name: "Basics" })).id;
  for (const [title, visibility] of [
    ["Set up your router", "public"],
    ["Customer router warranty", "customers"],
    ["Router master password", "internal"],
  ] as const) {
    const a = await createArticle(home.ctx("agent"), {
      title,
      body: `<p>The router <strong>${title}</strong> guide. <script>alert(1)</script></p>`,
      visibility,
      sectionId,
    });
    await setArticleStatus(home.ctx("admin"), a.id, "published");
  }
  await createArticle(home.ctx("agent"), { title: "Router draft", body: "<p>router draft</p>", sectionId });
});

describe("help center", () => {
  test("visitors browse public articles with proper titles, descriptions and canonical links", async () => {
    const client = visitor();
    const front = await client.page("/help");
    expect(front.status).toBe(200);
    expect(front.document.querySelector("script")).toBeNull();
    const text = front.document.body.textContent;
    expect(text).toContain("Set up your router");
    expect(text).not.toContain("Customer router warranty");
    expect(text).not.toContain("Router master password");
    expect(text).not.toContain("Router draft");
    const article = await client.page("/help/articles/set-up-your-router");
    expect(article.status).toBe(200);
    expect(article.document.querySelector("title")!.textContent).toContain("Set up your router");
    expect(article.document.querySelector('meta[name="description"]')!.getAttribute("content")).toContain(
      "The router",
    );
    expect(article.document.querySelector('link[rel="canonical"]')!.getAttribute("href")).toBe(
      `http://${host}/help/articles/set-up-your-router`,
    );
    expect(article.document.querySelector(".article-body strong")!.textContent).toBe("Set up your router");
    expect(article.document.querySelector("script")).toBeNull();
    const category = await client.page("/help/categories/getting-started");
    expect(category.status).toBe(200);
    expect(category.document.body.textContent).toContain("Set up your router");
    for (const slug of ["customer-router-warranty", "router-master-password", "router-draft"]) {
      expect((await client.get(`/help/articles/${slug}`)).status).toBe(404);
    }
  });

  test("signed-in customers also read customer-only articles; internal ones stay hidden", async () => {
    const customer = await onHost(await signedIn(home, "customer"));
    expect((await customer.get("/help/articles/customer-router-warranty")).status).toBe(200);
    expect((await customer.get("/help/articles/router-master-password")).status).toBe(404);
    const search = await customer.page("/help/search?q=router");
    const titles = [...search.document.querySelectorAll(".hits a")].map((a) => a.textContent);
    expect(titles.sort()).toEqual(["Customer router warranty", "Set up your router"]);
  });

  test("agents are offered the help-center link only for articles the help center shows", async () => {
    const agent = await signedIn(home, "agent");
    const list = await agent.page("/desk/kb");
    const linkOf = async (title: string) => {
      const row = [...list.document.querySelectorAll("a")].find((a) => a.textContent === title);
      const page = await agent.page(row!.getAttribute("href")!);
      return [...page.document.querySelectorAll("a")].find((a) => a.textContent === "View in help center");
    };
    expect((await linkOf("Set up your router"))?.getAttribute("href")).toBe(
      "/help/articles/set-up-your-router",
    );
    expect(await linkOf("Router master password")).toBeUndefined();
  });

  test("search highlights matches and escapes everything else", async () => {
    const client = visitor();
    const page = await client.page("/help/search?q=guide");
    expect(page.document.querySelector(".hits mark")!.textContent).toBe("guide");
    expect(page.document.querySelector(".hits script")).toBeNull();
    const xss = await client.page(`/help/search?q=${encodeURIComponent("<script>alert(1)</script>")}`);
    expect(xss.document.querySelector("script")).toBeNull();
    expect(xss.document.querySelector("h1")!.textContent).toContain("<script>alert(1)</script>");
    const typo = await client.page("/help/search?q=routr");
    expect([...typo.document.querySelectorAll(".hits a")].map((a) => a.textContent)).toEqual([
      "Set up your router",
    ]);
    expect(typo.document.querySelector("main .muted")!.textContent).toContain("come close");
  });

  test("did this help? is recorded and counted; views are counted", async () => {
    const client = visitor();
    await client.get("/help/articles/set-up-your-router");
    const posted = await client.post("/help/articles/set-up-your-router/feedback", {
      helpful: "no",
      comment: "Missing the reset button",
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toBe("/help/articles/set-up-your-router?notice=thanks");
    const supervisor = await signedIn(home, "supervisor");
    const worst = await supervisor.page("/desk/kb/feedback");
    const row = worst.document.querySelector("tbody tr")!;
    expect(row.textContent).toContain("Set up your router");
    expect(row.textContent).toContain("0 yes / 1 no");
    const refused = await client.post("/help/articles/router-master-password/feedback", { helpful: "yes" });
    expect(refused.status).toBe(404);
  });

  test("the sitemap lists public articles only", async () => {
    const response = await visitor().get("/help/sitemap.xml");
    expect(response.headers.get("content-type")).toContain("application/xml");
    const xml = await response.text();
    expect(xml).toContain(`<loc>http://${host}/help/articles/set-up-your-router</loc>`);
    expect(xml).not.toContain("warranty");
    expect(xml).not.toContain("master-password");
    expect(await (await visitor().get("/sitemap.xml")).text()).toBe(xml);
  });
});

describe("staff knowledge base pages", () => {
  test("an agent drafts, a bad save is re-rendered with fields marked, versions and diff are shown", async () => {
    const agent = await signedIn(home, "agent");
    const bad = await agent.post("/desk/kb", { title: "", body: "<p>Kept text</p>", visibility: "public" });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(parse(badHtml).querySelector(".field.invalid #title")).not.toBeNull();
    // What was typed comes back (escaped inside the textarea).
    expect(badHtml).toContain("&lt;p&gt;Kept text&lt;/p&gt;</textarea>");
    const created = await agent.post("/desk/kb", {
      title: "Modem lights",
      body: "<p>Green means <em>online</em>.</p>",
      visibility: "public",
      sectionId,
    });
    expect(created.status).toBe(303);
    const path = created.headers.get("location")!.split("?")[0];
    expect(
      (
        await agent.post(path, {
          title: "Modem lights",
          body: "<p>Green means <em>connected</em> <img src=x onerror=alert(1)>.</p>",
          visibility: "public",
          sectionId,
        })
      ).status,
    ).toBe(303);
    const versions = await agent.page(`${path}/versions`);
    expect(versions.document.querySelectorAll("tbody tr").length).toBe(2);
    const diff = await agent.page(`${path}/diff?from=1&to=2`);
    expect(diff.document.querySelector(".diff ins")!.textContent).toContain("connected");
    expect(diff.document.querySelector(".diff del")!.textContent).toContain("online");
    expect(await (await agent.get(`${path}/diff?from=1&to=2`)).text()).not.toContain("onerror");
    const restored = await agent.post(`${path}/versions/1/restore`);
    expect(restored.status).toBe(303);
    const edit = await (await agent.get(path)).text();
    expect(edit).toContain("&lt;p&gt;Green means &lt;em&gt;online&lt;/em&gt;.&lt;/p&gt;</textarea>");
    // An agent may not publish.
    expect((await agent.post(`${path}/status`, { status: "published" })).status).toBe(403);
    const supervisor = await signedIn(home, "supervisor");
    expect((await supervisor.post(`${path}/status`, { status: "published" })).status).toBe(303);
    expect((await visitor().get("/help/articles/modem-lights")).status).toBe(200);
  });

  test("agent search finds tickets and articles, highlighted and escaped", async () => {
    await createTicket(home.ctx("customer"), {
      subject: "Router <b>blinks</b> red",
      body: "The router blinks red since <script>x</script> yesterday.",
    });
    const agent = await signedIn(home, "agent");
    const page = await agent.page("/desk/search?q=blinks");
    const hits = page.document.querySelectorAll(".hits li");
    expect(hits.length).toBeGreaterThan(0);
    expect(page.document.querySelector(".hits mark")!.textContent).toBe("blinks");
    expect(page.document.querySelector(".hits script")).toBeNull();
    expect(page.document.querySelector(".hits b")).toBeNull();
    // Type-ahead: an htmx request gets only the results, and a prefix matches.
    const fragment = await (await agent.get("/desk/search?q=blin", { "hx-request": "true" })).text();
    expect(fragment).toStartWith('<div id="search-results">');
    expect(fragment).toContain("blinks");
    const articles = await agent.page("/desk/search?q=router");
    expect(articles.document.body.textContent).toContain("Router master password");
    const other = await signedIn(await createOrg("SearchAway"), "agent");
    const away = await other.page("/desk/search?q=router");
    expect(away.document.body.textContent).not.toContain("Router master password");
    expect(away.document.body.textContent).not.toContain("blinks");
  });
});

describe("deflection on the portal's new-ticket form", () => {
  test("a first submit offers matching articles; this solved it is recorded; a second submit creates the ticket", async () => {
    const customer = await signedIn(home, "customer");
    const { db } = await testDatabase();
    const before = await db.select().from(tickets).where(eq(tickets.orgId, home.orgId));
    const first = await customer.post("/portal/tickets", {
      subject: "My router will not start",
      body: "Lights are off.",
    });
    expect(first.status).toBe(200);
    const page = parse(await first.text());
    const offered = [...page.querySelectorAll(".hits a")].map((a) => a.textContent);
    expect(offered).toContain("Set up your router");
    expect(offered).toContain("Customer router warranty");
    expect(offered).not.toContain("Router master password");
    expect(page.querySelector('input[name="suggested"]')!.getAttribute("value")).toBe("1");
    expect(page.querySelector("input#subject")!.getAttribute("value")).toBe("My router will not start");
    expect(page.querySelector("script")).toBeNull();
    const articleId = page
      .querySelector('form[action="/portal/deflections"] input[name="articleId"]')!
      .getAttribute("value")!;
    const solved = await customer.post("/portal/deflections", {
      articleId,
      subject: "My router will not start",
    });
    expect(solved.status).toBe(303);
    expect(solved.headers.get("location")).toBe("/portal/tickets?notice=deflected");
    const recorded = await db.select().from(kbDeflections).where(eq(kbDeflections.orgId, home.orgId));
    expect(recorded.map((d) => d.query)).toEqual(["My router will not start"]);
    expect((await db.select().from(tickets).where(eq(tickets.orgId, home.orgId))).length).toBe(before.length);
    const second = await customer.post("/portal/tickets", {
      subject: "My router will not start",
      body: "Lights are off.",
      suggested: "1",
    });
    expect(second.status).toBe(303);
    expect((await db.select().from(tickets).where(eq(tickets.orgId, home.orgId))).length).toBe(
      before.length + 1,
    );
  });

  test("nothing matching: the ticket is created at once; other organizations' articles are never offered", async () => {
    const other = await createOrg("DeflectAway");
    const customer = await signedIn(other, "customer");
    const response = await customer.post("/portal/tickets", { subject: "router guide", body: "router" });
    expect(response.status).toBe(303);
    const refused = await customer.post("/portal/deflections", { articleId: sectionId, subject: "x" });
    expect(refused.status).toBe(404);
  });
});

describe("portal search of the customer's own tickets", () => {
  test("subjects and replies match; internal notes and other customers' tickets never do", async () => {
    const org = await createOrg("PortalSearch");
    const mine = await createTicket(org.ctx("customer"), {
      subject: "Compressor noise",
      body: "It rattles.",
    });
    await addMessage(org.ctx("agent"), mine.number, { kind: "note", body: "Secret zebra warranty fraud" });
    await addMessage(org.ctx("agent"), mine.number, {
      kind: "reply",
      body: "We send a technician tomorrow.",
    });
    await createTicket(org.ctx("agent"), {
      subject: "Compressor noise at another customer",
      body: "rattles",
      requesterEmail: "someone-else@example.test",
    });
    const customer = await signedIn(org, "customer");
    const rows = async (q: string) =>
      [
        ...(await customer.page(`/portal/tickets?q=${encodeURIComponent(q)}`)).document.querySelectorAll(
          "tbody tr",
        ),
      ].map((r) => r.textContent);
    expect(await rows("compressor")).toHaveLength(1);
    expect((await rows("technician"))[0]).toContain("Compressor noise");
    expect(await rows("zebra")).toEqual([]);
    const page = await customer.page("/portal/tickets?q=zebra");
    expect(page.document.querySelector(".empty")!.textContent).toBe("No tickets match.");
    expect(page.document.querySelector("script")).toBeNull();
  });
});
