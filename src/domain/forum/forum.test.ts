// Turning a community topic into a ticket or an article happens once, whole, under the topic's
// lock: a double click makes one ticket, a second "make an article" gives the same draft, and a
// reply moderators hid never becomes article text.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { forumTopics, kbArticleTranslations, tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { acceptAnswer, createTopic, moderate, replyToTopic, topicToArticle, topicToTicket } from "./forum";

let home: Fixture;

beforeAll(async () => {
  home = await createOrg("ForumDomain");
});

async function topicWithReplies() {
  const topicId = await createTopic(home.ctx("customer"), {
    title: "Printer offline after update",
    body: "The office printer shows offline since the update.",
  });
  await replyToTopic(home.ctx("agent"), topicId, "Re-add the printer by its IP address.");
  return topicId;
}

describe("forum topic into ticket or article", () => {
  test("two concurrent clicks make one ticket, linked from the topic", async () => {
    const topicId = await topicWithReplies();
    const results = await Promise.allSettled([
      topicToTicket(home.ctx("agent"), topicId),
      topicToTicket(home.ctx("agent"), topicId),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.status).toBe(409);
    const { db } = await testDatabase();
    const made = await db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(eq(tickets.orgId, home.orgId), eq(tickets.subject, "Printer offline after update")));
    expect(made).toHaveLength(1);
    const [topic] = await db.select().from(forumTopics).where(eq(forumTopics.id, topicId));
    expect(topic.ticketId).toBe(made[0].id);
  });

  test("a second article request gives the existing draft; a hidden accepted reply is left out", async () => {
    const topicId = await topicWithReplies();
    const bad = await replyToTopic(home.ctx("customer"), topicId, "Call 555-SCAM for a miracle driver.");
    await replyToTopic(home.ctx("agent"), topicId, "Also check the printer's own network menu.");
    await acceptAnswer(home.ctx("customer"), topicId, bad);
    await moderate(home.ctx("agent"), topicId, "hide", bad);
    const [first, second] = await Promise.all([
      topicToArticle(home.ctx("agent"), topicId),
      topicToArticle(home.ctx("agent"), topicId),
    ]);
    expect(second).toBe(first);
    expect(await topicToArticle(home.ctx("agent"), topicId)).toBe(first);
    const { db } = await testDatabase();
    const drafts = await db
      .select({ body: kbArticleTranslations.body })
      .from(kbArticleTranslations)
      .where(
        and(
          eq(kbArticleTranslations.orgId, home.orgId),
          eq(kbArticleTranslations.title, "Printer offline after update"),
        ),
      );
    expect(drafts).toHaveLength(1);
    expect(drafts[0].body).not.toContain("miracle");
    expect(drafts[0].body).toContain("Re-add the printer by its IP address.");
  });
});
