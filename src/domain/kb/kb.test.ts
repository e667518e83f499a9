import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture } from "../../../test/helpers";
import { searchEverything, searchHelp } from "../search/search";
import { createTicket } from "../tickets/commands";
import {
  createArticle,
  createCategory,
  createSection,
  diffVersions,
  listArticles,
  listVersions,
  restoreVersion,
  setArticleStatus,
  slugify,
  updateArticle,
} from "./articles";
import { helpArticle, helpHome, readerFor, recordFeedback } from "./help";
import { sanitizeArticleHtml } from "./sanitize";

let home: Fixture;
let away: Fixture;
let sectionId: string;

beforeAll(async () => {
  home = await createOrg("KbHome");
  away = await createOrg("KbAway");
  const category = await createCategory(home.ctx("admin"), { name: "Accounts" });
  sectionId = (await createSection(home.ctx("admin"), { categoryId: category.id, name: "Signing in" })).id;
});

async function published(title: string, body: string, visibility = "public") {
  const article = await createArticle(home.ctx("agent"), { title, body, visibility, sectionId });
  await setArticleStatus(home.ctx("supervisor"), article.id, "published");
  return article;
}

describe("sanitizer", () => {
  test("strips scripts, event handlers and javascript: URLs, keeps formatting", () => {
    const clean = sanitizeArticleHtml(
      `<h2>Hi</h2><script>alert(1)</script><p onclick="x()">Text <strong>bold</strong></p>` +
        `<img src="x" onerror="alert(1)"><a href="javascript:alert(1)">bad</a><a href="https://ok.test">ok</a>` +
        `<iframe src="https://evil.test"></iframe><p style="color:red">s</p>`,
    );
    expect(clean).not.toContain("script");
    expect(clean).not.toContain("onerror");
    expect(clean).not.toContain("onclick");
    expect(clean).not.toContain("javascript:");
    expect(clean).not.toContain("iframe");
    expect(clean).not.toContain("style");
    expect(clean).toContain("<strong>bold</strong>");
    expect(clean).toContain('<a href="https://ok.test">ok</a>');
    expect(clean).toContain("<h2>Hi</h2>");
  });

  test("slugs are readable", () => {
    expect(slugify("Reset your Wi-Fi password (fast!)")).toBe("reset-your-wi-fi-password-fast");
    expect(slugify("Café déjà vu")).toBe("cafe-deja-vu");
  });
});

describe("articles", () => {
  test("a body is sanitized when saved and slugs are unique per organization", async () => {
    const a = await createArticle(home.ctx("agent"), {
      title: "Unique slug",
      body: `<p>Hello<script>alert(1)</script></p>`,
    });
    const b = await createArticle(home.ctx("agent"), { title: "Unique slug", body: "<p>Again</p>" });
    expect(a.body).toBe("<p>Hello</p>");
    expect(a.slug).toBe("unique-slug");
    expect(b.slug).toBe("unique-slug-2");
    const other = await createArticle(away.ctx("agent"), { title: "Unique slug", body: "<p>x</p>" });
    expect(other.slug).toBe("unique-slug");
    await expect(
      updateArticle(home.ctx("agent"), b.id, { title: "Unique slug", slug: "unique-slug", body: "<p>x</p>" }),
    ).rejects.toMatchObject({ status: 422, fields: { slug: expect.any(String) } });
  });

  test("bad input is refused with the fields marked", async () => {
    await expect(
      createArticle(home.ctx("agent"), { title: "", body: "<script>x</script>", visibility: "everyone" }),
    ).rejects.toMatchObject({
      status: 422,
      fields: { title: expect.any(String), body: expect.any(String), visibility: expect.any(String) },
    });
  });

  test("agents draft and submit; only supervisors and admins publish and archive", async () => {
    const a = await createArticle(home.ctx("agent"), { title: "Workflow", body: "<p>w</p>", submit: true });
    expect(a.status).toBe("in_review");
    await expect(setArticleStatus(home.ctx("agent"), a.id, "published")).rejects.toMatchObject({
      status: 403,
    });
    await expect(
      createArticle(home.ctx("dispatcher"), { title: "x", body: "<p>x</p>" }),
    ).rejects.toMatchObject({
      status: 403,
    });
    await expect(createArticle(home.ctx("customer"), { title: "x", body: "<p>x</p>" })).rejects.toMatchObject(
      {
        status: 403,
      },
    );
    expect((await setArticleStatus(home.ctx("supervisor"), a.id, "published")).status).toBe("published");
    await expect(
      updateArticle(home.ctx("agent"), a.id, { title: "Changed", body: "<p>w</p>" }),
    ).rejects.toMatchObject({ status: 403 });
    expect((await setArticleStatus(home.ctx("admin"), a.id, "archived")).status).toBe("archived");
    // Another organization's article is not found.
    await expect(setArticleStatus(away.ctx("admin"), a.id, "published")).rejects.toMatchObject({
      status: 404,
    });
  });

  test("every save is a version; diff between versions; restore makes a new version", async () => {
    const a = await createArticle(home.ctx("agent"), {
      title: "Printer setup",
      body: "<p>Plug the printer in and press power.</p>",
    });
    await updateArticle(home.ctx("agent"), a.id, {
      title: "Printer setup",
      body: "<p>Plug the <b>new</b> printer in and hold power.</p>",
      note: "clearer",
    });
    const versions = await listVersions(home.ctx("agent"), a.id);
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0].authorName).toBe(home.users.agent.name);
    expect(versions[0].note).toBe("clearer");
    const diff = await diffVersions(home.ctx("agent"), a.id, 1, 2);
    expect(diff.body.filter((p) => p.kind === "added").map((p) => p.text.trim())).toContain("hold");
    expect(diff.body.filter((p) => p.kind === "removed").map((p) => p.text.trim())).toContain("press");
    const restored = await restoreVersion(home.ctx("agent"), a.id, 1);
    expect(restored.version).toBe(3);
    expect(restored.body).toBe("<p>Plug the printer in and press power.</p>");
    expect((await listVersions(home.ctx("agent"), a.id))[0].note).toBe("Restored version 1");
    await expect(diffVersions(away.ctx("agent"), a.id, 1, 2)).rejects.toMatchObject({ status: 404 });
    await expect(restoreVersion(home.ctx("agent"), a.id, 99)).rejects.toMatchObject({ status: 404 });
  });
});

describe("help center and search respect visibility", () => {
  let publicArticle: string;
  beforeAll(async () => {
    publicArticle = (
      await published("Reset your password", "<p>Open the sign-in page and choose Forgot password.</p>")
    ).id;
    await published(
      "Customer password rules",
      "<p>Passwords of customers need twelve characters.</p>",
      "customers",
    );
    await published(
      "Internal password override",
      "<p>Agents reset a password from the admin console.</p>",
      "internal",
    );
    await createArticle(home.ctx("agent"), { title: "Draft password notes", body: "<p>password draft</p>" });
  });

  test("visitors read public articles only, signed-in customers customer ones too, nobody internal ones", async () => {
    const { db } = home.ctx("agent");
    const visitor = readerFor(home.orgId, null);
    const customer = readerFor(home.orgId, home.ctx("customer").actor);
    const outsider = readerFor(home.orgId, away.ctx("customer").actor);
    const titles = async (reader: typeof visitor) =>
      (await searchHelp(db, reader, "password")).map((h) => h.title);
    expect(await titles(visitor)).toEqual(["Reset your password"]);
    expect((await titles(customer)).sort()).toEqual(["Customer password rules", "Reset your password"]);
    expect(await titles(outsider)).toEqual(["Reset your password"]);
    const home1 = await helpHome(db, visitor);
    const listed = home1.flatMap((c) => c.sections.flatMap((s) => s.articles.map((a) => a.title)));
    expect(listed).toEqual(["Reset your password"]);
    await expect(helpArticle(db, visitor, "internal-password-override")).rejects.toMatchObject({
      status: 404,
    });
    await expect(helpArticle(db, visitor, "customer-password-rules")).rejects.toMatchObject({ status: 404 });
    await expect(helpArticle(db, customer, "draft-password-notes")).rejects.toMatchObject({ status: 404 });
    expect((await helpArticle(db, customer, "customer-password-rules")).title).toBe(
      "Customer password rules",
    );
    // Another organization's readers never see these.
    expect(await searchHelp(db, readerFor(away.orgId, null), "password")).toEqual([]);
  });

  test("snippets are highlighted, prefixes and typos match", async () => {
    const { db } = home.ctx("agent");
    const visitor = readerFor(home.orgId, null);
    const [hit] = await searchHelp(db, visitor, "forgot");
    expect(hit.snippet).toContain("\u0002Forgot\u0003");
    expect((await searchHelp(db, visitor, "passw")).map((h) => h.title)).toEqual(["Reset your password"]);
    const typo = await searchHelp(db, visitor, "pasword");
    expect(typo.map((h) => h.title)).toEqual(["Reset your password"]);
    expect(typo[0].typo).toBe(true);
    expect(await searchHelp(db, visitor, '"sign-in page" -forgot')).toEqual([]);
  });

  test("agents search tickets, notes, contacts and articles; customers cannot use it", async () => {
    await createTicket(home.ctx("customer"), {
      subject: "Laptop screen flickers",
      body: "It flickers at night.",
    });
    const results = await searchEverything(home.ctx("agent"), { q: "flickers" });
    expect(results.tickets.map((t) => t.subject)).toEqual(["Laptop screen flickers"]);
    expect(results.ticketFacets.status.new).toBe(1);
    expect(results.tickets[0].snippet).toContain("\u0002flickers\u0003");
    const articles = await searchEverything(home.ctx("agent"), { q: "password" });
    expect(articles.articles.map((a) => a.title)).toContain("Internal password override");
    expect(articles.articles.map((a) => a.title)).toContain("Draft password notes");
    expect((await searchEverything(home.ctx("agent"), { q: "Carol" })).contacts.length).toBe(1);
    const away1 = await searchEverything(away.ctx("agent"), { q: "flickers" });
    expect(away1.tickets).toEqual([]);
    expect((await searchEverything(away.ctx("agent"), { q: "password" })).articles).toEqual([]);
    await expect(searchEverything(home.ctx("customer"), { q: "flickers" })).rejects.toMatchObject({
      status: 403,
    });
  });

  test("feedback counts and the least helpful list", async () => {
    const { db } = home.ctx("agent");
    const visitor = readerFor(home.orgId, null);
    await recordFeedback(db, visitor, new Date(), {
      articleId: publicArticle,
      helpful: false,
      comment: "no",
    });
    await recordFeedback(db, visitor, new Date(), { articleId: publicArticle, helpful: false });
    const worst = await listArticles(home.ctx("supervisor"), { order: "least_helpful" });
    expect(worst[0].id).toBe(publicArticle);
    expect(worst[0].helpfulNo).toBe(2);
    await expect(listArticles(home.ctx("agent"), { order: "least_helpful" })).rejects.toMatchObject({
      status: 403,
    });
    await expect(
      recordFeedback(db, readerFor(away.orgId, null), new Date(), {
        articleId: publicArticle,
        helpful: true,
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
