// Sign-in, throttling, sign-out everywhere, password reset, customer sign-up, API tokens and
// attachment downloads, through the HTML routes.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { outboxMessages, sessions } from "../../db/schema";
import { Client, createOrg, type Fixture, PASSWORD, signedIn, testDatabase } from "../../test/helpers";
import { lockSeconds } from "../domain/auth/throttle";
import { actorForToken } from "../domain/auth/tokens";

let org: Fixture;
beforeAll(async () => {
  org = await createOrg("Auth");
});

describe("sign-in", () => {
  test("a wrong password re-renders the form with the email kept", async () => {
    const client = new Client();
    const response = await client.post("/login", {
      email: org.users.agent.email,
      password: "wrong password",
    });
    expect(response.status).toBe(401);
    const { parse } = await import("../../test/helpers");
    const doc = parse(await response.text());
    expect(doc.querySelector("#email")?.getAttribute("value")).toBe(org.users.agent.email);
    expect(doc.querySelector(".alert.error")?.textContent).toContain("do not match");
  });

  test("repeated failures lock the account with a growing wait", async () => {
    expect([0, 4, 5, 6, 7, 30].map(lockSeconds)).toEqual([0, 0, 2, 4, 8, 900]);
    const target = await createOrg("Locked");
    const client = new Client();
    for (let i = 0; i < 5; i++)
      await client.post("/login", { email: target.users.agent.email, password: "nope nope" });
    const locked = await client.post("/login", { email: target.users.agent.email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain("Too many failed sign-ins");
  });

  test("the session cookie is HttpOnly and SameSite=Lax; next only goes to local paths", async () => {
    const client = new Client();
    await client.get("/login");
    const response = await client.post("/login", {
      email: org.users.agent.email,
      password: PASSWORD,
      next: "//evil.test/x",
    });
    expect(response.headers.get("location")).toBe("/desk/tickets");
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("sid="))!;
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
  });

  test("sign out everywhere ends every session of the account", async () => {
    const first = await signedIn(org, "supervisor");
    const second = await signedIn(org, "supervisor");
    expect((await second.get("/desk/tickets")).status).toBe(200);
    expect((await first.post("/logout/everywhere")).status).toBe(303);
    expect((await second.get("/desk/tickets")).status).toBe(303);
    const { db } = await testDatabase();
    const left = await db.select().from(sessions).where(eq(sessions.userId, org.users.supervisor.id));
    expect(left.length).toBe(0);
  });
});

describe("password reset", () => {
  test("an emailed one-time link sets a new password once", async () => {
    const target = await createOrg("Reset");
    const client = new Client();
    const asked = await client.post("/password/forgot", { email: target.users.agent.email });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain("If an account uses that address");
    const { db } = await testDatabase();
    const [mail] = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.orgId, target.orgId), eq(outboxMessages.kind, "password_reset")));
    const link = /\/password\/reset\/[\w-]+/.exec(mail.textBody)![0];
    expect((await client.get(link)).status).toBe(200);
    const mismatch = await client.post(link, { password: "new secret 1", confirm: "other" });
    expect(mismatch.status).toBe(422);
    expect((await client.post(link, { password: "new secret 1", confirm: "new secret 1" })).status).toBe(303);
    expect((await client.post(link, { password: "again again", confirm: "again again" })).status).toBe(422);
    expect(
      (await new Client().post("/login", { email: target.users.agent.email, password: "new secret 1" }))
        .status,
    ).toBe(303);
  });

  test("an unknown address gets the same answer and no mail", async () => {
    const response = await new Client().post("/password/forgot", { email: "nobody@nowhere.test" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("If an account uses that address");
  });
});

describe("customer sign-up", () => {
  test("creates a customer who lands in the portal; a taken address is marked", async () => {
    const client = new Client();
    const email = `new${Date.now()}@client.test`;
    const response = await client.post("/portal/signup", {
      name: "Nur Aisyah",
      email,
      password: "long enough",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/portal/tickets");
    expect((await client.get("/portal/tickets")).status).toBe(200);
    const again = await new Client().post("/portal/signup", {
      name: "Someone",
      email,
      password: "long enough",
    });
    expect(again.status).toBe(409);
    const short = await new Client().post("/portal/signup", { name: "", email: "bad", password: "short" });
    expect(short.status).toBe(422);
    const { parse } = await import("../../test/helpers");
    const doc = parse(await short.text());
    expect(doc.querySelectorAll(".field.invalid").length).toBe(3);
  });
});

describe("API tokens", () => {
  test("are shown once, stored hashed, and stop working when revoked", async () => {
    const admin = await signedIn(org, "admin");
    const created = await admin.post("/admin/tokens", { name: "Billing sync", role: "agent" });
    expect(created.status).toBe(201);
    const { parse } = await import("../../test/helpers");
    const secret = parse(await created.text())
      .querySelector(".secret")!
      .textContent!.trim();
    const { db } = await testDatabase();
    const actor = await actorForToken(db, secret, new Date());
    expect(actor).toMatchObject({ orgId: org.orgId, role: "agent", kind: "api" });
    const list = await admin.page("/admin/tokens");
    expect(list.document.body.textContent).not.toContain(secret);
    const form = [...list.document.querySelectorAll("form")].find((f) =>
      f.getAttribute("action")?.endsWith("/revoke"),
    )!;
    expect((await admin.post(form.getAttribute("action")!)).status).toBe(303);
    expect(await actorForToken(db, secret, new Date())).toBeNull();
    const bad = await admin.post("/admin/tokens", { name: "", role: "customer" });
    expect(bad.status).toBe(422);
  });
});

describe("attachments", () => {
  test("HTML uploads are served only as downloads, never sniffed; customers see only their own", async () => {
    const customer = await signedIn(org, "customer");
    const evil = new File(["<script>alert(1)</script>"], "page.html", { type: "text/html" });
    const response = await customer.post("/portal/tickets", {
      subject: "With HTML",
      body: "see file",
      files: [evil],
    });
    expect(response.status).toBe(303);
    const ticketPath = response.headers.get("location")!.split("?")[0];
    const page = await customer.page(ticketPath);
    const href = page.document.querySelector(".files a")!.getAttribute("href")!;
    const download = await customer.get(href);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toStartWith("attachment;");
    expect(download.headers.get("content-type")).toBe("application/octet-stream");
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    const stranger = await signedIn(await createOrg("Peek"), "customer");
    expect((await stranger.get(href)).status).toBe(404);
  });

  test("an oversized upload is refused in the form and nothing is stored", async () => {
    const customer = await signedIn(org, "customer");
    const big = new File([new Uint8Array(1024 * 1024 + 10)], "video.mp4", { type: "video/mp4" });
    const response = await customer.post("/portal/tickets", { subject: "Too big", body: "x", files: [big] });
    expect(response.status).toBe(413);
    const { parse } = await import("../../test/helpers");
    const doc = parse(await response.text());
    expect(doc.querySelector("#files-error")?.textContent).toContain("larger than");
    expect(doc.querySelector("#subject")?.getAttribute("value")).toBe("Too big");
  });
});
