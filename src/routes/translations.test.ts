// Translations: staff write an article in another language (with its own address and versions,
// bad input kept), and the help center serves each visitor their language — the chooser's choice,
// else the browser's — with hreflang alternates, each language in the sitemap, and the default
// language for anyone who says nothing (search engines).
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { kbArticleVersions, organizations } from "../../db/schema";
import { Client, createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { createArticle, createCategory, createSection, setArticleStatus } from "../domain/kb/articles";

let home: Fixture;
let away: Fixture;
let host: string;
let articleId: string;

/** A help-center visitor on the organization's host, with the headers given. */
function visitor(headers: Record<string, string> = {}) {
  const client = new Client();
  const request = client.request.bind(client);
  client.request = (path, init = {}) => {
    const merged = new Headers(init.headers);
    merged.set("host", host);
    for (const [k, v] of Object.entries(headers)) merged.set(k, v);
    return request(path, { ...init, headers: merged });
  };
  return client;
}

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("Translate"), createOrg("TranslateAway")]);
  host = `help-${home.orgId.slice(0, 8)}.translate.test`;
  const { db } = await testDatabase();
  await db.update(organizations).set({ host }).where(eq(organizations.id, home.orgId));
  const category = await createCategory(home.ctx("admin"), { name: "Getting started", description: "" });
  const section = await createSection(home.ctx("admin"), { categoryId: category.id, name: "Network" });
  const article = await createArticle(home.ctx("agent"), {
    title: "Reset your router",
    slug: "reset-your-router",
    body: "<p>Hold the reset button for ten seconds.</p>",
    sectionId: section.id,
  });
  articleId = article.id;
  await setArticleStatus(home.ctx("admin"), article.id, "published");
});

describe("translating an article", () => {
  test("a supervisor adds a Malay translation; bad input comes back marked and kept", async () => {
    const supervisor = await signedIn(home, "supervisor");
    const form = await supervisor.page(`/desk/kb/${articleId}/translations/ms`);
    expect(form.document.querySelector("#title")?.getAttribute("value")).toBe("Reset your router");
    const bad = await supervisor.post(`/desk/kb/${articleId}/translations/ms`, {
      title: " ",
      body: "<p>Tekan butang set semula selama sepuluh saat.</p>",
    });
    expect(bad.status).toBe(422);
    const page = parse(await bad.text());
    expect(page.querySelector(".field.invalid #title")).not.toBeNull();
    expect(page.querySelector("#body")?.textContent).toContain("Tekan butang");
    const saved = await supervisor.post(`/desk/kb/${articleId}/translations/ms`, {
      title: "Tetapkan semula penghala anda",
      slug: "tetapkan-semula-penghala",
      body: "<p>Tekan butang set semula selama sepuluh saat.</p>",
    });
    expect(saved.status).toBe(303);
    await supervisor.post(`/desk/kb/${articleId}/translations/ms`, {
      title: "Tetapkan semula penghala anda",
      slug: "tetapkan-semula-penghala",
      body: "<p>Tekan dan tahan butang set semula selama sepuluh saat.</p>",
    });
    const list = await supervisor.page(`/desk/kb/${articleId}/translations`);
    expect(list.document.querySelector('tr[data-locale="ms"]')?.textContent).toContain("Tetapkan semula");
    const { db } = await testDatabase();
    const versions = await db
      .select()
      .from(kbArticleVersions)
      .where(eq(kbArticleVersions.articleId, articleId));
    expect(
      versions
        .filter((v) => v.locale === "ms")
        .map((v) => v.version)
        .sort(),
    ).toEqual([1, 2]);
    expect(versions.filter((v) => v.locale === "en")).toHaveLength(1);
  });

  test("agents may not change a published article's translation; other organizations find nothing", async () => {
    const agent = await signedIn(home, "agent");
    const refused = await agent.post(`/desk/kb/${articleId}/translations/fr`, {
      title: "Réinitialiser",
      body: "<p>x</p>",
    });
    expect(refused.status).toBe(403);
    const stranger = await signedIn(away, "admin");
    expect((await stranger.get(`/desk/kb/${articleId}/translations`)).status).toBe(404);
    expect((await stranger.post(`/desk/kb/${articleId}/translations/ms/delete`)).status).toBe(404);
    const customer = await signedIn(home, "customer");
    expect((await customer.get(`/desk/kb/${articleId}/translations`)).status).toBe(403);
  });
});

describe("the help center in the visitor's language", () => {
  test("someone who says nothing reads the default language, with pointers to the others", async () => {
    const page = await visitor().page("/help/articles/reset-your-router");
    expect(page.status).toBe(200);
    expect(page.document.querySelector("html")?.getAttribute("lang")).toBe("en");
    const alternates = [...page.document.querySelectorAll('link[rel="alternate"]')].map((l) => [
      l.getAttribute("hreflang"),
      l.getAttribute("href"),
    ]);
    expect(alternates).toEqual([
      ["en", `http://${host}/help/articles/reset-your-router`],
      ["ms", `http://${host}/help/articles/tetapkan-semula-penghala`],
    ]);
    const malay = await visitor().page("/help/articles/tetapkan-semula-penghala");
    expect(malay.document.querySelector("html")?.getAttribute("lang")).toBe("ms");
    expect(malay.document.querySelector("h1")?.textContent).toBe("Tetapkan semula penghala anda");
  });

  test("a Malay browser is sent to the Malay text, and the front page lists it in Malay", async () => {
    const malay = visitor({ "accept-language": "ms-MY,ms;q=0.9,en;q=0.5" });
    const sent = await malay.get("/help/articles/reset-your-router");
    expect(sent.status).toBe(302);
    expect(sent.headers.get("location")).toBe("/help/articles/tetapkan-semula-penghala");
    expect(sent.headers.get("vary")).toContain("Accept-Language");
    const front = await malay.page("/help");
    expect(front.document.querySelector("html")?.getAttribute("lang")).toBe("ms");
    expect(front.document.body.textContent).toContain("Tetapkan semula penghala anda");
    const english = visitor({ "accept-language": "de, en;q=0.5" });
    expect((await english.get("/help/articles/reset-your-router")).status).toBe(200);
  });

  test("the chooser's choice wins over the browser's and is remembered", async () => {
    const client = visitor({ "accept-language": "en" });
    const chosen = await client.get(
      `/help/language?lang=ms&next=${encodeURIComponent("/help/articles/reset-your-router")}`,
    );
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get("location")).toBe("/help/articles/reset-your-router");
    const sent = await client.get("/help/articles/reset-your-router");
    expect(sent.headers.get("location")).toBe("/help/articles/tetapkan-semula-penghala");
    expect((await client.get("/help/language?lang=xx")).status).toBe(404);
    const offsite = await client.get(
      `/help/language?lang=en&next=${encodeURIComponent("https://evil.test/")}`,
    );
    expect(offsite.headers.get("location")).toBe("/help");
  });

  test("the sitemap lists every language's address", async () => {
    const xml = await (await visitor().get("/help/sitemap.xml")).text();
    expect(xml).toContain("/help/articles/reset-your-router");
    expect(xml).toContain("/help/articles/tetapkan-semula-penghala");
  });
});
