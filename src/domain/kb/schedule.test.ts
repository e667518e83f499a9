// Scheduled publishing: a supervisor sets the time, the job publishes once when it comes (twice
// run, once done), the help center shows it only then, and bad times are refused.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { events, kbArticles } from "../../../db/schema";
import { createOrg, type Fixture, parse, signedIn, testDatabase } from "../../../test/helpers";
import { createArticle, createCategory, createSection, getArticle } from "./articles";
import { cancelSchedule, publishDueArticles, scheduleArticle } from "./schedule";

// Kuala Lumpur is UTC+8: "2026-12-01T09:00" there is 01:00Z.
const NOW = new Date("2026-11-30T00:00:00Z");
let org: Fixture;
let sectionId: string;

beforeAll(async () => {
  org = await createOrg("KbSchedule");
  const category = await createCategory(org.ctx("admin"), { name: "Guides", description: "" });
  sectionId = (await createSection(org.ctx("admin"), { categoryId: category.id, name: "Basics" })).id;
});

const draft = (title: string) =>
  createArticle(org.ctx("agent", NOW), {
    title,
    body: `<p>${title} body</p>`,
    visibility: "public",
    sectionId,
  });

describe("scheduled publishing", () => {
  test("the job publishes a scheduled article once when its time comes", async () => {
    const { db } = await testDatabase();
    const article = await draft("Year-end service hours");
    const at = await scheduleArticle(org.ctx("supervisor", NOW), article.id, "2026-12-01T09:00");
    expect(at.toISOString()).toBe("2026-12-01T01:00:00.000Z");
    expect(await publishDueArticles(db, new Date("2026-12-01T00:59:00Z"))).toBe(0);
    const when = new Date("2026-12-01T01:00:30Z");
    const [first, second] = await Promise.all([publishDueArticles(db, when), publishDueArticles(db, when)]);
    expect(first + second).toBe(1);
    const published = await getArticle(org.ctx("agent"), article.id);
    expect(published).toMatchObject({ status: "published", publishAt: null });
    expect(published.publishedAt?.toISOString()).toBe("2026-12-01T01:00:00.000Z");
    const changes = await db
      .select()
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.type, "kb.article_status_changed")));
    expect(changes.filter((e) => (e.data as { articleId: string }).articleId === article.id)).toHaveLength(1);
  });

  test("only publishers schedule, in the future, drafts and reviewed articles; a schedule can be cancelled", async () => {
    const { db } = await testDatabase();
    const article = await draft("Warranty claims");
    await expect(
      scheduleArticle(org.ctx("agent", NOW), article.id, "2026-12-02T09:00"),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      scheduleArticle(org.ctx("supervisor", NOW), article.id, "2026-11-01T09:00"),
    ).rejects.toMatchObject({
      fields: { publishAt: "Choose a time in the future." },
    });
    await expect(scheduleArticle(org.ctx("supervisor", NOW), article.id, "soon")).rejects.toMatchObject({
      status: 422,
    });
    const other = await createOrg("KbScheduleOther");
    await expect(
      scheduleArticle(other.ctx("admin", NOW), article.id, "2026-12-02T09:00"),
    ).rejects.toMatchObject({
      status: 404,
    });
    await scheduleArticle(org.ctx("supervisor", NOW), article.id, "2026-12-02T09:00");
    await cancelSchedule(org.ctx("supervisor", NOW), article.id);
    await publishDueArticles(db, new Date("2026-12-03T00:00:00Z"));
    const [row] = await db.select().from(kbArticles).where(eq(kbArticles.id, article.id));
    expect(row).toMatchObject({ status: "draft", publishAt: null });
  });

  test("the article page schedules through a plain form and marks a bad time", async () => {
    const article = await draft("Filter cleaning");
    const supervisor = await signedIn(org, "supervisor");
    const bad = await supervisor.post(`/desk/kb/${article.id}/schedule`, { publishAt: "2020-01-01T09:00" });
    expect(bad.status).toBe(422);
    const page = parse(await bad.text());
    expect(page.querySelector("#publishAt-error")?.textContent).toBe("Choose a time in the future.");
    expect(page.querySelector("#publishAt")?.getAttribute("value")).toBe("2020-01-01T09:00");
    const future = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 16);
    expect((await supervisor.post(`/desk/kb/${article.id}/schedule`, { publishAt: future })).status).toBe(
      303,
    );
    const shown = await supervisor.page(`/desk/kb/${article.id}`);
    expect(shown.document.querySelector("form.schedule span")?.textContent).toContain("Scheduled to publish");
    const agent = await signedIn(org, "agent");
    expect((await agent.post(`/desk/kb/${article.id}/schedule`, { publishAt: future })).status).toBe(403);
  });
});
