// The public web form: no account and no CSRF token, framable by any site, guarded by a honeypot
// and rate limits; bad input comes back with the fields marked and nothing lost.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { contacts, jobs, kbDeflections, organizations, tickets } from "../../db/schema";
import { createOrg, type Fixture, parse, testApp, testDatabase } from "../../test/helpers";
import { createArticle, createCategory, createSection, setArticleStatus } from "../domain/kb/articles";

let org: Fixture;
let slug: string;

beforeAll(async () => {
  org = await createOrg("Webform");
  const { db } = await testDatabase();
  const [row] = await db.select().from(organizations).where(eq(organizations.id, org.orgId));
  slug = row.slug;
});

async function post(path: string, fields: Record<string, string>) {
  const app = await testApp();
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  // Another site's page posts here: no cookies, no token.
  return app.handle(new Request(`http://localhost${path}`, { method: "POST", body: form }));
}

async function ticketsOf(email: string, orgId = org.orgId) {
  const { db } = await testDatabase();
  return db
    .select({ id: tickets.id, subject: tickets.subject, channel: tickets.channel })
    .from(tickets)
    .innerJoin(contacts, eq(contacts.id, tickets.contactId))
    .where(and(eq(tickets.orgId, orgId), eq(contacts.email, email)));
}

describe("/forms/:slug", () => {
  test("the form is a page any site may frame", async () => {
    const app = await testApp();
    const response = await app.handle(new Request(`http://localhost/forms/${slug}?embed=1`));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-frame-options")).toBeNull();
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors *");
    const document = parse(await response.text());
    expect(document.querySelector("form")?.getAttribute("action")).toBe(`/forms/${slug}?embed=1`);
    const other = await app.handle(new Request("http://localhost/login"));
    expect(other.headers.get("x-frame-options")).toBe("DENY");
  });

  test("a visitor's message becomes a web ticket for their contact, acknowledged by email", async () => {
    const response = await post(`/forms/${slug}`, {
      name: "Wan Ahmad",
      email: "Wan@Visitor.test",
      subject: "Quote for 3 aircon units",
      body: "Please send a quote.",
      website: "",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(
      new RegExp(`^/forms/${slug}/thanks\\?ticket=TKT-\\d{6}$`),
    );
    const [ticket] = await ticketsOf("wan@visitor.test");
    expect(ticket).toMatchObject({ subject: "Quote for 3 aircon units", channel: "web" });
    const { db } = await testDatabase();
    const acks = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.queue, "email.acknowledge"), eq(jobs.idempotencyKey, ticket.id)));
    expect(acks).toHaveLength(1);
    const app = await testApp();
    const thanks = await app.handle(new Request(`http://localhost${response.headers.get("location")}`));
    expect(await thanks.text()).toContain("Your request is <strong>TKT-");
  });

  test("bad input comes back marked, with what was typed", async () => {
    const response = await post(`/forms/${slug}`, {
      name: "Lee",
      email: "not-an-address",
      subject: "",
      body: "Kept text",
    });
    expect(response.status).toBe(422);
    const document = parse(await response.text());
    expect(document.querySelector("#email-error")?.textContent).toContain("email address");
    expect(document.querySelector("#subject-error")).toBeTruthy();
    expect(document.querySelector("#name")?.getAttribute("value")).toBe("Lee");
    expect(document.querySelector("#body")?.textContent).toBe("Kept text");
  });

  test("a filled honeypot looks like success and stores nothing", async () => {
    const response = await post(`/forms/${slug}`, {
      email: "bot@spam.test",
      subject: "Cheap pills",
      body: "Buy now",
      website: "http://spam.test",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/forms/${slug}/thanks`);
    expect(await ticketsOf("bot@spam.test")).toHaveLength(0);
  });

  test("one sender gets five messages an hour; the sixth is refused with its text kept", async () => {
    for (let i = 0; i < 5; i++) {
      const ok = await post(`/forms/${slug}`, { email: "busy@visitor.test", subject: `Try ${i}`, body: "x" });
      expect(ok.status).toBe(303);
    }
    const refused = await post(`/forms/${slug}`, {
      email: "busy@visitor.test",
      subject: "Try 6",
      body: "keep me",
    });
    expect(refused.status).toBe(429);
    expect(parse(await refused.text()).querySelector("#body")?.textContent).toBe("keep me");
    expect(await ticketsOf("busy@visitor.test")).toHaveLength(5);
  });

  test("an unknown form is not found; the thanks page echoes only a well-formed number", async () => {
    const app = await testApp();
    expect((await app.handle(new Request("http://localhost/forms/no-such-org"))).status).toBe(404);
    const thanks = await app.handle(
      new Request(
        `http://localhost/forms/${slug}/thanks?ticket=${encodeURIComponent("<script>alert(1)</script>")}`,
      ),
    );
    const text = await thanks.text();
    expect(text).not.toContain("<script>alert");
    expect(text).not.toContain("Your request is");
  });

  test("the widget script is served", async () => {
    const app = await testApp();
    const response = await app.handle(new Request("http://localhost/public/widget.js"));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("/forms/");
  });
});

describe("article suggestions on the web form", () => {
  let kbOrg: Fixture;
  let kbSlug: string;
  const articles: Record<string, string> = {};

  beforeAll(async () => {
    kbOrg = await createOrg("WidgetKb");
    const { db } = await testDatabase();
    const [row] = await db.select().from(organizations).where(eq(organizations.id, kbOrg.orgId));
    kbSlug = row.slug;
    await db
      .update(organizations)
      .set({ host: `help.${kbSlug}.test` })
      .where(eq(organizations.id, kbOrg.orgId));
    const category = await createCategory(kbOrg.ctx("admin"), { name: "Aircon", description: "" });
    const sectionId = (await createSection(kbOrg.ctx("admin"), { categoryId: category.id, name: "Care" })).id;
    for (const [title, visibility] of [
      ["Aircon filter cleaning", "public"],
      ["Aircon filter warranty terms", "customers"],
      ["Aircon filter supplier prices", "internal"],
    ] as const) {
      const article = await createArticle(kbOrg.ctx("agent"), {
        title,
        body: `<p>How the aircon filter works: ${title}.</p>`,
        visibility,
        sectionId,
      });
      await setArticleStatus(kbOrg.ctx("admin"), article.id, "published");
      articles[visibility] = article.id;
    }
  });

  test("typing a subject shows only public articles, linked to the organization's help center", async () => {
    const app = await testApp();
    const response = await app.handle(
      new Request(`http://localhost/forms/${kbSlug}/suggestions?subject=aircon+filter`, {
        headers: { "hx-request": "true" },
      }),
    );
    expect(response.status).toBe(200);
    const document = parse(await response.text());
    const links = [...document.querySelectorAll(".suggestions a")];
    expect(links.map((a) => a.textContent)).toEqual(["Aircon filter cleaning"]);
    expect(links[0].getAttribute("href")).toStartWith(`https://help.${kbSlug}.test/help/articles/`);
    const nothing = await app.handle(
      new Request(`http://localhost/forms/${kbSlug}/suggestions?subject=invoice`),
    );
    expect(await nothing.text()).toBe("");
  });

  test("without JavaScript a first submit offers the articles, and the second sends the message", async () => {
    const message = {
      name: "Lim",
      email: "lim@visitor.test",
      subject: "Aircon filter dirty",
      body: "How do I clean it?",
      website: "",
    };
    const first = await post(`/forms/${kbSlug}`, message);
    expect(first.status).toBe(200);
    const document = parse(await first.text());
    expect(document.querySelector(".suggestions a")?.textContent).toBe("Aircon filter cleaning");
    expect(document.querySelector<HTMLInputElement>("input[name=suggested]")?.getAttribute("value")).toBe(
      "1",
    );
    expect(document.querySelector<HTMLInputElement>("#subject")?.getAttribute("value")).toBe(
      "Aircon filter dirty",
    );
    const button = document.querySelector(".suggestions button");
    expect(button?.getAttribute("formaction")).toBe(`/forms/${kbSlug}/deflections`);
    expect(button?.closest("form")?.getAttribute("action")).toBe(`/forms/${kbSlug}`);
    expect(await ticketsOf("lim@visitor.test", kbOrg.orgId)).toHaveLength(0);

    const second = await post(`/forms/${kbSlug}`, { ...message, suggested: "1" });
    expect(second.status).toBe(303);
    expect(await ticketsOf("lim@visitor.test", kbOrg.orgId)).toHaveLength(1);
  });

  test("'this answered my question' is counted and sends nothing; other articles are refused", async () => {
    const { db } = await testDatabase();
    const count = async () =>
      (await db.select().from(kbDeflections).where(eq(kbDeflections.orgId, kbOrg.orgId))).length;
    const before = await count();
    const response = await post(`/forms/${kbSlug}/deflections`, {
      articleId: articles.public,
      subject: "Aircon filter dirty",
      email: "tan@visitor.test",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/forms/${kbSlug}/thanks?deflected=1`);
    expect(await count()).toBe(before + 1);
    expect(await ticketsOf("tan@visitor.test", kbOrg.orgId)).toHaveLength(0);
    for (const hidden of [articles.customers, articles.internal]) {
      expect((await post(`/forms/${kbSlug}/deflections`, { articleId: hidden, subject: "x" })).status).toBe(
        404,
      );
    }
    // Another organization's form cannot count this organization's article.
    expect(
      (await post(`/forms/${slug}/deflections`, { articleId: articles.public, subject: "x" })).status,
    ).toBe(404);
    expect(await count()).toBe(before + 1);
  });
});
