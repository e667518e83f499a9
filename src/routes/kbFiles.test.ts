// Images and attachments of articles: an uploaded image is scaled and its metadata dropped, an
// attachment is listed under the published article, and readers get files only of articles they
// may read; staff of other organizations and customers reach none of the desk's side.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { organizations } from "../../db/schema";
import { Client, createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { createArticle, setArticleStatus } from "../domain/kb/articles";

let home: Fixture;
let away: Fixture;
let host: string;
let publicId: string;
let internalId: string;

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

async function bigPng(): Promise<File> {
  const png = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: "#c00" } })
    .withMetadata({ exif: { IFD0: { Copyright: "Camera owner" } } })
    .png()
    .toBuffer();
  return new File([new Uint8Array(png)], "router-lights.png", { type: "image/png" });
}

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("KbFiles"), createOrg("KbFilesAway")]);
  host = `help-${home.orgId.slice(0, 8)}.files.test`;
  const { db } = await testDatabase();
  await db.update(organizations).set({ host }).where(eq(organizations.id, home.orgId));
  for (const [title, visibility] of [
    ["Router lights explained", "public"],
    ["Router supplier contacts", "internal"],
  ] as const) {
    const article = await createArticle(home.ctx("agent"), { title, body: `<p>${title}.</p>`, visibility });
    await setArticleStatus(home.ctx("admin"), article.id, "published");
    if (visibility === "public") publicId = article.id;
    else internalId = article.id;
  }
});

describe("article images and attachments", () => {
  test("an image is scaled to 1600 px without its metadata, with the HTML to paste", async () => {
    const agent = await signedIn(home, "agent");
    const uploaded = await agent.post(`/desk/kb/${publicId}/files`, { file: await bigPng() });
    expect(uploaded.status).toBe(303);
    const page = await agent.page(`/desk/kb/${publicId}/files`);
    const item = page.document.querySelector('li[data-kind="image"]')!;
    expect(item.textContent).toContain("1600×800");
    const snippet = item.querySelector("input")?.getAttribute("value") ?? "";
    expect(snippet).toMatch(
      /^<img src="\/help\/files\/[0-9a-f-]{36}" alt="router lights" width="1600" height="800">$/,
    );
    const src = /src="([^"]+)"/.exec(snippet)![1];
    const served = await visitor().get(src);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    const meta = await sharp(new Uint8Array(await served.arrayBuffer())).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([1600, 800, undefined]);
  });

  test("an attachment is listed under the published article and downloaded by its readers only", async () => {
    const agent = await signedIn(home, "agent");
    const pdf = new File(["%PDF-1.4 guide"], "setup-guide.pdf", { type: "application/pdf" });
    expect((await agent.post(`/desk/kb/${publicId}/files`, { file: pdf })).status).toBe(303);
    expect((await agent.post(`/desk/kb/${internalId}/files`, { file: pdf })).status).toBe(303);
    const article = await visitor().page("/help/articles/router-lights-explained");
    const link = article.document.querySelector(".attachments a");
    expect(link?.textContent).toBe("setup-guide.pdf");
    const download = await visitor().get(link!.getAttribute("href")!);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain("setup-guide.pdf");
    const internalFiles = await agent.page(`/desk/kb/${internalId}/files`);
    const internalFile = internalFiles.document.querySelector("li[data-file]")!.getAttribute("data-file");
    expect((await visitor().get(`/help/files/${internalFile}`)).status).toBe(404);
    expect((await agent.get(`/desk/kb/files/${internalFile}`)).status).toBe(200);
  });

  test("an empty upload is refused on its field; customers and other organizations reach nothing", async () => {
    const agent = await signedIn(home, "agent");
    const empty = await agent.post(`/desk/kb/${publicId}/files`, {
      file: new File([], "nothing.txt", { type: "text/plain" }),
    });
    expect(empty.status).toBe(422);
    expect(parse(await empty.text()).querySelector(".field.invalid #file")).not.toBeNull();
    const customer = await signedIn(home, "customer");
    expect((await customer.get(`/desk/kb/${publicId}/files`)).status).toBe(403);
    const stranger = await signedIn(away, "admin");
    expect((await stranger.get(`/desk/kb/${publicId}/files`)).status).toBe(404);
    const files = await agent.page(`/desk/kb/${publicId}/files`);
    const fileId = files.document.querySelector("li[data-file]")!.getAttribute("data-file");
    expect((await stranger.get(`/desk/kb/files/${fileId}`)).status).toBe(404);
    expect((await stranger.post(`/desk/kb/${publicId}/files/${fileId}/delete`)).status).toBe(404);
    expect((await agent.post(`/desk/kb/${publicId}/files/${fileId}/delete`)).status).toBe(303);
    expect((await visitor().get(`/help/files/${fileId}`)).status).toBe(404);
  });
});
