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
    const agent = await signedIn(home, "supervisor");
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
    const agent = await signedIn(home, "supervisor");
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
    const agent = await signedIn(home, "supervisor");
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

  test("an agent changes no files of a published article, but does of a draft", async () => {
    const agent = await signedIn(home, "agent");
    const supervisor = await signedIn(home, "supervisor");
    const pdf = () => new File(["%PDF-1.4 manual"], "manual.pdf", { type: "application/pdf" });
    expect((await agent.post(`/desk/kb/${publicId}/files`, { file: pdf() })).status).toBe(403);
    expect((await supervisor.post(`/desk/kb/${publicId}/files`, { file: pdf() })).status).toBe(303);
    const files = await supervisor.page(`/desk/kb/${publicId}/files`);
    const fileId = files.document.querySelector("li[data-file]")!.getAttribute("data-file");
    expect((await agent.post(`/desk/kb/${publicId}/files/${fileId}/delete`)).status).toBe(403);
    expect((await visitor().get(`/help/files/${fileId}`)).status).toBe(200);
    const draft = await createArticle(home.ctx("agent"), { title: "Draft with files", body: "<p>x</p>" });
    expect((await agent.post(`/desk/kb/${draft.id}/files`, { file: pdf() })).status).toBe(303);
    const draftFiles = await agent.page(`/desk/kb/${draft.id}/files`);
    const draftFile = draftFiles.document.querySelector("li[data-file]")!.getAttribute("data-file");
    expect((await agent.post(`/desk/kb/${draft.id}/files/${draftFile}/delete`)).status).toBe(303);
  });

  test("only documents, images and archives are offered, judged by their bytes", async () => {
    const supervisor = await signedIn(home, "supervisor");
    const refused = [
      new File([new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03])], "setup.exe"),
      new File([new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03])], "renamed.pdf", { type: "application/pdf" }),
      new File(["<html><script>alert(1)</script></html>"], "page.html", { type: "text/html" }),
      new File(["<svg xmlns='http://www.w3.org/2000/svg'/>"], "logo.svg", { type: "image/svg+xml" }),
      new File([new Uint8Array([0x41, 0x00, 0x42])], "binary.txt", { type: "text/plain" }),
    ];
    for (const file of refused) {
      const response = await supervisor.post(`/desk/kb/${publicId}/files`, { file });
      expect([file.name, response.status]).toEqual([file.name, 422]);
      expect(parse(await response.text()).querySelector(".field.invalid #file")).not.toBeNull();
    }
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]);
    const accepted = [
      new File(["name,phone\nAda,1\n"], "contacts.csv"),
      new File([zip], "drivers.zip"),
      new File([zip], "checklist.docx"),
      new File([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0])], "old-sheet.xls"),
    ];
    for (const file of accepted) {
      const response = await supervisor.post(`/desk/kb/${publicId}/files`, { file });
      expect([file.name, response.status]).toEqual([file.name, 303]);
    }
    const page = await supervisor.page(`/desk/kb/${publicId}/files`);
    const names = [...page.document.querySelectorAll("li[data-file]")].map((li) => li.textContent ?? "");
    expect(names.some((n) => n.includes("setup.exe") || n.includes("page.html"))).toBe(false);
    const csv = [...page.document.querySelectorAll("li[data-file]")].find((li) =>
      li.textContent?.includes("contacts.csv"),
    )!;
    const served = await visitor().get(`/help/files/${csv.getAttribute("data-file")}`);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe("name,phone\nAda,1\n");
  });
});
