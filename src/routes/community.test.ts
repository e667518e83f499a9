// The community forum over HTTP: anyone reads; a customer asks (bad input kept), staff answer,
// votes toggle, only the asker or staff accept an answer, moderation hides and locks, and staff turn
// a topic into the asker's ticket or a draft article. Other organizations' people only read.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { forumTopics, kbArticles, kbArticleTranslations, organizations, tickets } from "../../db/schema";
import { Client, createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";

let home: Fixture;
let away: Fixture;
let host: string;
let topicUrl: string;

/** A client on the organization's host (the forum lives beside its help center). */
function onHost<T extends Client>(client: T): T {
  const request = client.request.bind(client);
  client.request = (path, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set("host", host);
    return request(path, { ...init, headers });
  };
  return client;
}

const as = async (fixture: Fixture, role: Parameters<typeof signedIn>[1]) =>
  onHost(await signedIn(fixture, role));

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("Forum"), createOrg("ForumAway")]);
  host = `help-${home.orgId.slice(0, 8)}.forum.test`;
  const { db } = await testDatabase();
  await db.update(organizations).set({ host }).where(eq(organizations.id, home.orgId));
});

describe("community forum", () => {
  test("a customer asks; a blank title comes back marked with the text kept", async () => {
    const customer = await as(home, "customer");
    const bad = await customer.post("/community/topics", {
      title: " ",
      body: "My wifi drops every evening.",
    });
    expect(bad.status).toBe(422);
    const page = parse(await bad.text());
    expect(page.querySelector(".field.invalid #title")).not.toBeNull();
    expect(page.querySelector("#body")?.textContent).toBe("My wifi drops every evening.");
    const posted = await customer.post("/community/topics", {
      title: "Wifi drops every evening",
      body: "My wifi drops every evening.\n\nThe router is the <b>blue</b> one.",
    });
    expect(posted.status).toBe(303);
    topicUrl = posted.headers.get("location")!.replace(/\?.*$/, "");
    const anyone = await onHost(new Client()).page(topicUrl);
    expect(anyone.document.querySelector("h1")?.textContent).toBe("Wifi drops every evening");
    expect(anyone.document.querySelector(".topic")?.innerHTML).toContain("&lt;b&gt;blue&lt;/b&gt;");
    const list = await onHost(new Client()).page("/community");
    expect(list.document.querySelector(".topics li a")?.textContent).toBe("Wifi drops every evening");
  });

  test("staff answer, people vote, and only the asker or staff accept", async () => {
    const agent = await as(home, "agent");
    expect(
      (await agent.post(`${topicUrl}/replies`, { body: "Move the router away from the microwave." })).status,
    ).toBe(303);
    const page = await agent.page(topicUrl);
    const postId = page.document.querySelector(".posts li")!.getAttribute("data-post")!;
    const customer = await as(home, "customer");
    await customer.post(`${topicUrl}/vote`, { postId });
    await agent.post(`${topicUrl}/vote`, { postId });
    await agent.post(`${topicUrl}/vote`, { postId }); // taken back
    let shown = await customer.page(topicUrl);
    expect(shown.document.querySelector(`li[data-post="${postId}"]`)?.textContent).toContain("1 vote");
    const dispatcher = await as(home, "dispatcher");
    expect((await dispatcher.post(`${topicUrl}/accept`, { postId })).status).toBe(403);
    expect((await customer.post(`${topicUrl}/accept`, { postId })).status).toBe(303);
    shown = await onHost(new Client()).page(topicUrl);
    expect(shown.document.querySelector("li.accepted")?.getAttribute("data-post")).toBe(postId);
    const stranger = await as(away, "customer");
    expect((await stranger.post(`${topicUrl}/replies`, { body: "spam" })).status).toBe(403);
    expect((await onHost(new Client()).post(`${topicUrl}/vote`, {})).status).toBe(403);
  });

  test("staff hide a reply and lock the topic; customers cannot moderate", async () => {
    const customer = await as(home, "customer");
    await customer.post(`${topicUrl}/replies`, { body: "Buy my miracle wifi booster!" });
    const agent = await as(home, "agent");
    const page = await agent.page(topicUrl);
    const spam = [...page.document.querySelectorAll(".posts li")].find((li) =>
      li.textContent?.includes("miracle"),
    )!;
    expect(
      (
        await customer.post(`${topicUrl}/moderate`, {
          action: "hide",
          postId: spam.getAttribute("data-post")!,
        })
      ).status,
    ).toBe(403);
    await agent.post(`${topicUrl}/moderate`, { action: "hide", postId: spam.getAttribute("data-post")! });
    expect((await onHost(new Client()).page(topicUrl)).document.body.textContent).not.toContain("miracle");
    expect((await agent.page(topicUrl)).document.body.textContent).toContain("miracle");
    await agent.post(`${topicUrl}/moderate`, { action: "lock" });
    expect((await customer.post(`${topicUrl}/replies`, { body: "Still dropping" })).status).toBe(409);
  });

  test("staff turn the topic into the asker's ticket, and into a draft article with the accepted answer", async () => {
    const agent = await as(home, "agent");
    const made = await agent.post(`${topicUrl}/ticket`);
    expect(made.status).toBe(303);
    const { db } = await testDatabase();
    const topicId = topicUrl.split("/").pop()!;
    const [topic] = await db.select().from(forumTopics).where(eq(forumTopics.id, topicId));
    const [ticket] = await db.select().from(tickets).where(eq(tickets.id, topic.ticketId!));
    expect(ticket.contactId).toBe(home.users.customer.contactId!);
    expect(ticket.subject).toBe("Wifi drops every evening");
    expect((await agent.post(`${topicUrl}/ticket`)).status).toBe(409);
    const article = await agent.post(`${topicUrl}/article`);
    expect(article.status).toBe(303);
    const [row] = await db
      .select({ status: kbArticles.status, body: kbArticleTranslations.body })
      .from(kbArticles)
      .innerJoin(
        kbArticleTranslations,
        and(
          eq(kbArticleTranslations.articleId, kbArticles.id),
          eq(kbArticleTranslations.locale, kbArticles.defaultLocale),
        ),
      )
      .where(
        eq(
          kbArticles.id,
          (await db.select().from(forumTopics).where(eq(forumTopics.id, topicId)))[0].articleId!,
        ),
      );
    expect(row.status).toBe("draft");
    expect(row.body).toContain("Move the router away from the microwave.");
    expect(row.body).not.toContain("miracle");
  });

  test("a hidden topic is gone for everyone but staff", async () => {
    const agent = await as(home, "agent");
    await agent.post(`${topicUrl}/moderate`, { action: "hide" });
    expect((await onHost(new Client()).get(topicUrl)).status).toBe(404);
    expect((await (await as(home, "customer")).get(topicUrl)).status).toBe(404);
    expect((await agent.get(topicUrl)).status).toBe(200);
    const list = await onHost(new Client()).page("/community");
    expect(list.document.querySelector(".topics li")).toBeNull();
  });
});
