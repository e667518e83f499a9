// Admin pages beyond the authorization matrix: the jobs list and retrying a failed job, and the
// organization's search language.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { jobs, organizations } from "../../db/schema";
import { type Client, createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";

let home: Fixture;
let away: Fixture;
let admin: Client;

async function deadJob(orgId: string, error: string) {
  const { db } = await testDatabase();
  const at = new Date();
  const [job] = await db
    .insert(jobs)
    .values({
      orgId,
      queue: "email.send",
      payload: {},
      status: "dead",
      attempts: 8,
      lastError: error,
      runAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return job.id;
}

beforeAll(async () => {
  home = await createOrg("Home");
  away = await createOrg("Away");
  admin = await signedIn(home, "admin");
});

describe("/admin/jobs", () => {
  test("lists the organization's failed jobs with their errors, never another organization's", async () => {
    await deadJob(home.orgId, "Error: <mailbox> refused");
    await deadJob(away.orgId, "Error: away secret");
    const page = await admin.page("/admin/jobs");
    const text = page.document.querySelector("main")!.textContent;
    // Text, not markup: unescaped, the parser would have made <mailbox> an element.
    expect(text).toContain("Error: <mailbox> refused");
    expect(text).not.toContain("away secret");
    expect(page.document.querySelector('a[aria-current="page"]')!.textContent).toContain("Failed");
  });

  test("retrying a failed job puts it back in its queue with fresh attempts and records who did it", async () => {
    const id = await deadJob(home.orgId, "Error: timeout");
    const response = await admin.post(`/admin/jobs/${id}/retry`, {});
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/admin/jobs?status=queued&notice=retried");
    const { db } = await testDatabase();
    const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
    expect(row.status).toBe("queued");
    expect(row.attempts).toBe(0);
    expect(row.lastError).toBeNull();
    const page = await admin.page("/admin/jobs?status=queued&notice=retried");
    expect(page.document.querySelector("[role=status]")!.textContent).toContain("back in its queue");
  });

  test("another organization's job, a running one and a malformed id are refused", async () => {
    const awayId = await deadJob(away.orgId, "Error: x");
    expect((await admin.post(`/admin/jobs/${awayId}/retry`, {})).status).toBe(404);
    expect((await admin.post("/admin/jobs/not-a-uuid/retry", {})).status).toBe(404);
    const { db } = await testDatabase();
    const running = await deadJob(home.orgId, "Error: y");
    await db.update(jobs).set({ status: "running" }).where(eq(jobs.id, running));
    expect((await admin.post(`/admin/jobs/${running}/retry`, {})).status).toBe(409);
    const [row] = await db.select().from(jobs).where(eq(jobs.id, awayId));
    expect(row.status).toBe("dead");
  });
});

describe("/admin/search", () => {
  test("lists the configurations Postgres has, marks a wrong one and keeps the other organization's", async () => {
    const page = await admin.page("/admin/search");
    const options = [...page.document.querySelectorAll("select[name=config] option")];
    expect(options.map((o) => o.getAttribute("value"))).toEqual(
      expect.arrayContaining(["english", "simple", "indonesian"]),
    );
    expect(page.document.querySelector("option[selected]")!.getAttribute("value")).toBe("english");
    expect(page.document.querySelector("main")!.textContent).toContain("closest to Malay");

    const wrong = await admin.post("/admin/search", { config: "<klingon>" });
    expect(wrong.status).toBe(422);
    const form = parse(await wrong.text());
    expect(form.querySelector(".field.invalid select[name=config]")).not.toBeNull();

    const saved = await admin.post("/admin/search", { config: "indonesian" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/admin/search?notice=saved");
    const after = await admin.page("/admin/search?notice=saved");
    expect(after.document.querySelector("option[selected]")!.getAttribute("value")).toBe("indonesian");
    expect(after.document.querySelector("main")!.textContent).toContain("Re-indexing");
    const { db } = await testDatabase();
    const [awayOrg] = await db.select().from(organizations).where(eq(organizations.id, away.orgId));
    expect(awayOrg.searchConfig).toBe("english");
  });
});
