// The AI panel and /admin/ai over HTTP: the panel loads after the ticket page and without
// JavaScript, its buttons work as plain forms (accept a suggestion, ask for a draft, put the draft
// in the reply box), admins' settings are validated field by field, and neither customers nor
// other organizations reach any of it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { aiPredictions, aiSettings, jobs, tickets } from "../../db/schema";
import { createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { stopAiWorker } from "../domain/assist/engine";
import { runAssist } from "../domain/assist/requests";
import { customerActor } from "../domain/context";
import { saveCategory } from "../domain/fields/catalog";
import { formatTicketNumber } from "../domain/orgs/counters";
import { createTicket } from "../domain/tickets/commands";

let org: Fixture;
let away: Fixture;
let number: string;
let ticketId: string;
let category: string;
let predictionId: string;

beforeAll(async () => {
  [org, away] = await Promise.all([createOrg("AssistWeb"), createOrg("AssistWebAway")]);
  category = await saveCategory(org.ctx("admin"), null, { name: "Billing" });
  const { db } = await testDatabase();
  const contact = { id: org.users.customer.contactId!, name: "Carol Customer" };
  const ticket = await createTicket(
    { db, actor: customerActor(org.orgId, contact), now: new Date() },
    {
      subject: "Refund please",
      body: "I was charged twice for my order. Please refund one payment.",
      channel: "email",
    },
  );
  ticketId = ticket.id;
  number = formatTicketNumber(ticket.number);
  // A suggestion as triage stores it (the models themselves are tested in src/domain/assist).
  [{ id: predictionId }] = await db
    .insert(aiPredictions)
    .values({
      orgId: org.orgId,
      ticketId,
      task: "category",
      provider: "local",
      modelVersion: "0123456789abcdef",
      value: category,
      confidence: 0.62,
      detail: { ranking: [], action: "suggest" },
      createdAt: new Date(),
    })
    .returning({ id: aiPredictions.id });
});

afterAll(() => stopAiWorker());

describe("the AI panel", () => {
  test("loads after the ticket page, and as a page of its own", async () => {
    const agent = await signedIn(org, "agent");
    const page = await agent.page(`/desk/tickets/${number}`);
    expect(page.document.querySelector("#ai-panel")?.getAttribute("hx-get")).toBe(
      `/desk/tickets/${number}/assist`,
    );
    const fragment = parse(
      `<div>${await (await agent.get(`/desk/tickets/${number}/assist`, { "hx-request": "true" })).text()}</div>`,
    );
    const row = fragment.querySelector('.ai-triage[data-field="category"]');
    expect(row?.textContent).toContain("Billing");
    expect(row?.textContent).toContain("62%");
    expect(row?.getAttribute("data-state")).toBe("suggested");
    expect(fragment.querySelector("html")).toBeNull();
    const full = await agent.page(`/desk/tickets/${number}/assist`);
    expect(full.status).toBe(200);
    expect(full.document.querySelector("title")?.textContent).toContain(number);
  });

  test("accepting a suggestion sets the field and records the verdict", async () => {
    const agent = await signedIn(org, "agent");
    const response = await agent.post(`/desk/tickets/${number}/assist/verdict`, {
      predictionId,
      verdict: "accept",
    });
    expect(response.status).toBe(303);
    const { db } = await testDatabase();
    const [row] = await db.select().from(tickets).where(eq(tickets.id, ticketId));
    expect(row.categoryId).toBe(category);
    const fragment = parse(
      `<div>${await (await agent.get(`/desk/tickets/${number}/assist`, { "hx-request": "true" })).text()}</div>`,
    );
    expect(fragment.querySelector('.ai-triage[data-field="category"]')?.getAttribute("data-state")).toBe(
      "accepted",
    );
    expect(fragment.querySelector('.ai-triage[data-field="category"] form')).toBeNull();
  });

  test("a reply draft is asked for, filled in by the job, and put in the reply box", async () => {
    const agent = await signedIn(org, "agent");
    expect((await agent.post(`/desk/tickets/${number}/assist/reply`)).status).toBe(303);
    const { db } = await testDatabase();
    const [pending] = await db
      .select()
      .from(aiPredictions)
      .where(and(eq(aiPredictions.ticketId, ticketId), eq(aiPredictions.task, "reply")));
    expect(pending.status).toBe("pending");
    const queued = await db.select().from(jobs).where(eq(jobs.queue, "ai.assist"));
    const payloads = queued.map((j) => (typeof j.payload === "string" ? JSON.parse(j.payload) : j.payload));
    expect(payloads.some((p) => p.predictionId === pending.id)).toBe(true);
    let panel = await agent.page(`/desk/tickets/${number}/assist`);
    expect(panel.document.body.textContent).toContain("Drafting a reply");
    await runAssist(db, org.orgId, pending.id, new Date(), {}, false);
    panel = await agent.page(`/desk/tickets/${number}/assist`);
    const draft = panel.document.querySelector(".ai-draft pre")?.textContent ?? "";
    expect(draft).toContain("Hi Carol,");
    const page = parse(
      await (
        await agent.post(`/desk/tickets/${number}/assist/use-draft`, { predictionId: pending.id })
      ).text(),
    );
    expect(page.querySelector("textarea[name=body]")?.textContent).toBe(draft);
  });

  test("customers and other organizations reach none of it", async () => {
    const customer = await signedIn(org, "customer");
    expect((await customer.get(`/desk/tickets/${number}/assist`)).status).toBe(403);
    expect((await customer.post(`/desk/tickets/${number}/assist/summary`)).status).toBe(403);
    const stranger = await signedIn(away, "agent");
    expect((await stranger.get(`/desk/tickets/${number}/assist`)).status).toBe(404);
    expect(
      (await stranger.post(`/desk/tickets/${number}/assist/verdict`, { predictionId, verdict: "reject" }))
        .status,
    ).toBe(404);
    expect((await stranger.post(`/desk/tickets/${number}/assist/use-draft`, { predictionId })).status).toBe(
      404,
    );
  });
});

describe("/admin/ai", () => {
  test("admins save settings; bad values come back marked with what was typed", async () => {
    const admin = await signedIn(org, "admin");
    const bad = await admin.post("/admin/ai", {
      autoApplyThreshold: "1.5",
      similarDays: "30",
      autoApplyFields: ["category"],
      model_chat: "not a model!",
    });
    expect(bad.status).toBe(422);
    const page = parse(await bad.text());
    expect(page.querySelector("#autoApplyThreshold")?.getAttribute("value")).toBe("1.5");
    expect(page.querySelector(".field.invalid #autoApplyThreshold")).not.toBeNull();
    expect(page.querySelector(".field.invalid #model_chat")?.getAttribute("value")).toBe("not a model!");
    const good = await admin.post("/admin/ai", {
      autoApplyThreshold: "0.9",
      similarDays: "14",
      autoApplyFields: ["category", "team"],
      model_sentiment: "nlptown/bert-base-multilingual-uncased-sentiment",
      model_chat: "https://tgi.example.test",
    });
    expect(good.status).toBe(303);
    const { db } = await testDatabase();
    const [row] = await db.select().from(aiSettings).where(eq(aiSettings.orgId, org.orgId));
    expect(row.autoApplyThreshold).toBeCloseTo(0.9);
    expect(row.autoApplyFields).toEqual(["category", "team"]);
    const models = typeof row.models === "string" ? JSON.parse(row.models) : row.models;
    expect(models).toEqual({
      sentiment: "nlptown/bert-base-multilingual-uncased-sentiment",
      chat: "https://tgi.example.test",
    });
    const shown = await admin.page("/admin/ai");
    expect(shown.document.querySelector("#similarDays")?.getAttribute("value")).toBe("14");
    const usage = [...shown.document.querySelectorAll('.ai-usage tr[data-task="category"] td')].map(
      (td) => td.textContent,
    );
    expect(usage).toEqual(["Category", "1", "0", "1", "0", "0", "0"]);
  });

  test("retrain now queues one job; only admins may", async () => {
    const admin = await signedIn(org, "admin");
    expect((await admin.post("/admin/ai/retrain")).status).toBe(303);
    const { db } = await testDatabase();
    const queued = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.queue, "ai.retrain"), eq(jobs.orgId, org.orgId)));
    expect(queued.length).toBe(1);
    const agent = await signedIn(org, "agent");
    expect((await agent.get("/admin/ai")).status).toBe(403);
    expect((await agent.post("/admin/ai/retrain")).status).toBe(403);
  });
});

describe("/desk/ask", () => {
  test("supervisors ask in a plain form and read the answer; agents may not", async () => {
    const supervisor = await signedIn(org, "supervisor");
    const page = await supervisor.page(`/desk/ask?q=${encodeURIComponent("how many tickets are open")}`);
    expect(page.status).toBe(200);
    expect(page.document.querySelector(".ask-answer")?.getAttribute("data-intent")).toBe("count_tickets");
    expect(page.document.querySelector(".ask-answer .headline")?.textContent).toMatch(/^\d+ tickets?$/);
    expect(page.document.querySelector("#q")?.getAttribute("value")).toBe("how many tickets are open");
    const empty = await supervisor.page("/desk/ask");
    expect(empty.document.querySelector(".ask-answer")).toBeNull();
    const agent = await signedIn(org, "agent");
    expect((await agent.get("/desk/ask?q=how+many+tickets")).status).toBe(403);
  });
});
