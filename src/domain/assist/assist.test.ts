// The AI in the desk, against a real database and the real AI worker: models retrain from an
// organization's own history, triage stores every prediction and applies only confident ones to
// fields nobody chose, agents' verdicts become feedback and training examples, sentiment reaches
// the ticket and its rules, on-demand drafts and summaries are filled in by the job, similar tickets
// are found, a failing Hugging Face endpoint falls back to the local models and says so, and one
// organization never reaches another's predictions.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import {
  aiFeedback,
  aiPredictions,
  aiSettings,
  contacts,
  events,
  ticketMessages,
  tickets,
} from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { saveRule } from "../automation/rules";
import { customerActor } from "../context";
import { saveCategory } from "../fields/catalog";
import { addMessage, createTicket } from "../tickets/commands";
import { stopAiWorker } from "./engine";
import { judgePrediction } from "./feedback";
import { retrainOrg } from "./jobs";
import { findSimilarOnArrival, latestPredictions, requestAssist, runAssist } from "./requests";
import { analyzeMessage } from "./sentiment";
import { examplesFor } from "./training";
import { triageTicket } from "./triage";

const T0 = new Date("2026-11-02T02:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const LOCAL = {};

const BILLING = [
  "refund the double charge on my card",
  "invoice shows the wrong amount this month",
  "payment failed but money was taken",
  "please send a copy of the receipt for my payment",
  "charged twice for the subscription renewal",
  "credit card declined when paying the invoice",
  "billing address on the invoice is wrong",
  "need a refund for the cancelled order payment",
];
const NETWORK = [
  "wifi keeps dropping in the office",
  "vpn will not connect from home",
  "internet is very slow on the second floor",
  "router lights are red and no connection",
  "cannot reach the file server over the network",
  "network cable port is dead at my desk",
  "wireless signal lost every afternoon",
  "vpn disconnects every ten minutes",
];

let org: Fixture;
let other: Fixture;
let billing: string;
let network: string;
let networkTeam: string;

async function customerTicket(fixture: Fixture, subject: string, body: string, now: Date) {
  const contact = { id: fixture.users.customer.contactId!, name: "Carol Customer" };
  const { db } = await testDatabase();
  return createTicket(
    { db, actor: customerActor(fixture.orgId, contact), now },
    { subject, body, channel: "email" },
  );
}

async function predictionsOf(ticketId: string) {
  const { db } = await testDatabase();
  return db.select().from(aiPredictions).where(eq(aiPredictions.ticketId, ticketId));
}

async function ticketRow(id: string) {
  const { db } = await testDatabase();
  const [row] = await db.select().from(tickets).where(eq(tickets.id, id));
  return row;
}

/** The threshold, and with `suggestOnly` no field filled automatically whatever the confidence. */
async function setThreshold(fixture: Fixture, threshold: number, suggestOnly = false) {
  const { db } = await testDatabase();
  const autoApplyFields = suggestOnly ? [] : ["category", "priority", "team"];
  await db
    .insert(aiSettings)
    .values({ orgId: fixture.orgId, autoApplyThreshold: threshold, autoApplyFields, updatedAt: T0 })
    .onConflictDoUpdate({
      target: aiSettings.orgId,
      set: { autoApplyThreshold: threshold, autoApplyFields },
    });
}

beforeAll(async () => {
  [org, other] = await Promise.all([createOrg("Assist"), createOrg("AssistOther")]);
  const admin = org.ctx("admin", T0);
  billing = await saveCategory(admin, null, { name: "Billing" });
  network = await saveCategory(admin, null, { name: "Network" });
  const { db } = await testDatabase();
  const { teams } = await import("../../../db/schema");
  [{ id: networkTeam }] = await db
    .insert(teams)
    .values({ orgId: org.orgId, name: "Network team" })
    .returning({ id: teams.id });
  // History: agents filed each kind of problem under its category, priority and team.
  const agent = org.ctx("agent", T0);
  for (let round = 0; round < 3; round++) {
    for (const [i, text] of BILLING.entries())
      await createTicket(agent, {
        subject: text,
        body: `Hello, ${text}. Account ${round}${i}.`,
        requesterEmail: `b${round}${i}@example.test`,
        category: billing,
        priority: "high",
        teamId: org.teamId,
      });
    for (const [i, text] of NETWORK.entries())
      await createTicket(agent, {
        subject: text,
        body: `Hi team, ${text}. Desk ${round}${i}.`,
        requesterEmail: `n${round}${i}@example.test`,
        category: network,
        priority: "urgent",
        teamId: networkTeam,
      });
  }
  const outcomes = await retrainOrg(db, org.orgId, at(1));
  expect(outcomes.filter((o) => o.status === "trained").map((o) => o.kind)).toEqual([
    "category",
    "priority",
    "team",
  ]);
});

afterAll(() => stopAiWorker());

describe("triage", () => {
  test("a confident prediction is applied to the empty fields of a customer's ticket and recorded", async () => {
    await setThreshold(org, 0.5);
    const { db } = await testDatabase();
    const ticket = await customerTicket(
      org,
      "Charged twice",
      "I was charged twice for my card payment, refund please",
      at(5),
    );
    const result = await triageTicket(db, org.orgId, ticket.id, at(6), LOCAL);
    const byField = Object.fromEntries(result!.predictions.map((p) => [p.field, p]));
    expect(byField.category.value).toBe(billing);
    expect(byField.category.name).toBe("Billing");
    expect(byField.team.value).toBe(org.teamId);
    const row = await ticketRow(ticket.id);
    for (const p of result!.predictions) expect(p.applied).toBe(p.confidence >= 0.5);
    if (byField.category.applied) expect(row.categoryId).toBe(billing);
    expect(row.priority).toBe(byField.priority.applied ? "high" : "normal");

    const stored = await predictionsOf(ticket.id);
    const category = stored.find((p) => p.task === "category")!;
    expect(category.provider).toBe("local");
    expect(category.modelVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(category.confidence).toBeGreaterThan(0);
    const [triaged] = await db
      .select()
      .from(events)
      .where(and(eq(events.ticketId, ticket.id), eq(events.type, "ticket.ai_triaged")));
    expect(triaged.actorKind).toBe("system");
    // Running the job again changes nothing.
    expect(await triageTicket(db, org.orgId, ticket.id, at(7), LOCAL)).toBeUndefined();
    expect((await predictionsOf(ticket.id)).length).toBe(stored.length);
  });

  test("suggestions are applied only by an agent: accepting applies one, correcting records the right value", async () => {
    await setThreshold(org, 0.85, true);
    const { db } = await testDatabase();
    const ticket = await customerTicket(
      org,
      "VPN trouble",
      "the vpn will not connect and wifi drops",
      at(10),
    );
    await triageTicket(db, org.orgId, ticket.id, at(11), LOCAL);
    let row = await ticketRow(ticket.id);
    expect(row.categoryId).toBeNull();
    expect(row.teamId).toBeNull();
    const stored = await predictionsOf(ticket.id);
    expect(stored.every((p) => !p.applied)).toBe(true);
    const category = stored.find((p) => p.task === "category")!;
    const team = stored.find((p) => p.task === "team")!;
    expect(category.value).toBe(network);

    await judgePrediction(org.ctx("agent", at(12)), ticket.id, category.id, "accept");
    await judgePrediction(org.ctx("agent", at(13)), ticket.id, team.id, "correct", org.teamId);
    row = await ticketRow(ticket.id);
    expect(row.categoryId).toBe(network);
    expect(row.teamId).toBe(org.teamId);
    const verdicts = await db.select().from(aiFeedback).where(eq(aiFeedback.ticketId, ticket.id));
    expect(verdicts.map((v) => [v.task, v.verdict, v.correctValue]).sort()).toEqual([
      ["category", "accepted", network],
      ["team", "corrected", org.teamId],
    ]);
    // The correction is a training example of double weight.
    const examples = await examplesFor(db, org.orgId, "team");
    expect(
      examples.some((e) => e.weight === 2 && e.label === org.teamId && e.text.includes("VPN trouble")),
    ).toBe(true);
  });

  test("a field an agent changes by hand after triage counts as a correction", async () => {
    await setThreshold(org, 0.85, true);
    const { db } = await testDatabase();
    const ticket = await customerTicket(org, "Invoice wrong", "my invoice shows the wrong amount", at(20));
    await triageTicket(db, org.orgId, ticket.id, at(21), LOCAL);
    const { updateTicket } = await import("../tickets/commands");
    await updateTicket(org.ctx("agent", at(22)), ticket.id, { category: network });
    const [verdict] = await db.select().from(aiFeedback).where(eq(aiFeedback.ticketId, ticket.id));
    expect(verdict.verdict).toBe("corrected");
    expect(verdict.correctValue).toBe(network);
  });

  test("priority set by staff is never overruled", async () => {
    await setThreshold(org, 0.01);
    const { db } = await testDatabase();
    const ticket = await createTicket(org.ctx("agent", at(30)), {
      subject: "wifi keeps dropping in the office",
      body: "wifi keeps dropping",
      requesterEmail: "staff-made@example.test",
      priority: "low",
    });
    await triageTicket(db, org.orgId, ticket.id, at(31), LOCAL);
    const row = await ticketRow(ticket.id);
    expect(row.priority).toBe("low");
    expect(row.categoryId).toBe(network);
  });

  test("another organization cannot judge or read these predictions", async () => {
    const { db } = await testDatabase();
    const ticket = await customerTicket(org, "Refund", "refund the double charge on my card", at(40));
    await triageTicket(db, org.orgId, ticket.id, at(41), LOCAL);
    const [prediction] = await predictionsOf(ticket.id);
    await expect(
      judgePrediction(other.ctx("agent", at(42)), ticket.id, prediction.id, "accept"),
    ).rejects.toThrow();
    await expect(requestAssist(other.ctx("agent", at(42)), ticket.id, "summary")).rejects.toThrow();
    expect((await latestPredictions(db, other.orgId, ticket.id)).size).toBe(0);
  });
});

describe("sentiment", () => {
  test("each customer message is scored; the ticket keeps the latest level and its rules see the change", async () => {
    const { db } = await testDatabase();
    await saveRule(org.ctx("admin", T0), null, {
      name: "Angry customers",
      trigger: "ticket.updated",
      conditions: [{ field: "sentiment", op: "changed_to", value: "very_negative" }],
      actions: [{ type: "add_tags", value: "angry" }],
    });
    const ticket = await customerTicket(
      org,
      "Printer",
      "Thanks, the printer works great now, excellent help!",
      at(50),
    );
    const first = await analyzeMessage(db, org.orgId, ticket.firstMessageId, at(51), LOCAL);
    expect(["positive", "very_positive"]).toContain(first!);
    const contact = { id: org.users.customer.contactId!, name: "Carol Customer" };
    const reply = await addMessage({ db, actor: customerActor(org.orgId, contact), now: at(60) }, ticket.id, {
      kind: "reply",
      body: "This is terrible and awful. I am furious, the worst service ever, useless!",
    });
    const messageId = reply.messageId;
    const level = await analyzeMessage(db, org.orgId, messageId, at(61), LOCAL);
    expect(level).toBe("very_negative");
    const row = await ticketRow(ticket.id);
    expect(row.sentiment).toBe("very_negative");
    expect(row.tags).toContain("angry");
    const changes = await db
      .select()
      .from(events)
      .where(and(eq(events.ticketId, ticket.id), eq(events.type, "ticket.sentiment_changed")));
    expect(changes.length).toBe(2);
  });
});

describe("on-demand help", () => {
  test("a reply draft and a summary start pending and the job fills them in", async () => {
    const { db } = await testDatabase();
    const ticket = await customerTicket(
      org,
      "VPN disconnects",
      "Hello. The vpn disconnects every ten minutes since Monday. I work from home and lose my session each time.",
      at(70),
    );
    const draftId = await requestAssist(org.ctx("agent", at(71)), ticket.id, "reply");
    // Asking again while the first is pending returns the same request.
    expect(await requestAssist(org.ctx("agent", at(71)), ticket.id, "reply")).toBe(draftId);
    const summaryId = await requestAssist(org.ctx("agent", at(71)), ticket.id, "summary");
    let latest = await latestPredictions(db, org.orgId, ticket.id);
    expect(latest.get("reply")!.status).toBe("pending");
    await runAssist(db, org.orgId, draftId, at(72), LOCAL, false);
    await runAssist(db, org.orgId, summaryId, at(72), LOCAL, false);
    latest = await latestPredictions(db, org.orgId, ticket.id);
    const draft = latest.get("reply")!;
    expect(draft.status).toBe("done");
    expect(draft.value).toContain("Hi Carol,");
    expect(draft.value).toContain("Agent Assist");
    const summary = latest.get("summary")!;
    expect(summary.status).toBe("done");
    expect(summary.value).toContain("vpn disconnects every ten minutes");
  });

  test("the same customer's near-identical open ticket is offered as a duplicate", async () => {
    const { db } = await testDatabase();
    const text = "The air conditioner in meeting room 4 is leaking water onto the carpet again today";
    const first = await customerTicket(org, "Aircon leaking", text, at(80));
    const second = await customerTicket(org, "Aircon leaking", text, at(81));
    await findSimilarOnArrival(db, org.orgId, second.id, at(82), LOCAL);
    const similar = (await latestPredictions(db, org.orgId, second.id)).get("similar")!;
    const items = similar.detail.items as { id: string; likelyDuplicate: boolean; sameContact: boolean }[];
    expect(items[0].id).toBe(first.id);
    expect(items[0].likelyDuplicate).toBe(true);
    expect(items[0].sameContact).toBe(true);
    expect(similar.value).toBe("duplicate");
  });
});

describe("similar tickets on arrival: the candidates", () => {
  test("the contact's own open tickets of any age, and others' of the last N days only", async () => {
    const fixture = await createOrg("SimilarCandidates");
    const { db } = await testDatabase();
    const [other] = await db
      .insert(contacts)
      .values({ orgId: fixture.orgId, name: "Olive Other", email: "olive@example.test" })
      .returning();
    const byOther = (subject: string, body: string, now: Date) =>
      createTicket(
        { db, actor: customerActor(fixture.orgId, other), now },
        { subject, body, channel: "email" },
      );
    const text = "The lift in block B stops between the third and fourth floor with people inside";
    const day = 24 * 60;
    const ownOld = await customerTicket(fixture, "Lift stuck", text, at(0));
    const othersOld = await byOther("Lift stuck", text, at(1));
    const othersRecent = await byOther("Lift stuck again", text, at(40 * day - 60));
    const arrived = await customerTicket(fixture, "Lift stuck", text, at(40 * day));
    await findSimilarOnArrival(db, fixture.orgId, arrived.id, at(40 * day + 1), LOCAL);
    const similar = (await latestPredictions(db, fixture.orgId, arrived.id)).get("similar")!;
    const ids = (similar.detail.items as { id: string }[]).map((i) => i.id);
    expect(ids).toContain(ownOld.id);
    expect(ids).toContain(othersRecent.id);
    expect(ids).not.toContain(othersOld.id);
  });

  test("a candidate whose first message changed is compared by its new text", async () => {
    const fixture = await createOrg("SimilarEdited");
    const { db } = await testDatabase();
    const outage = "The internet connection in the Penang branch office has been down since this morning";
    const candidate = await customerTicket(fixture, "Printer", "The printer on level two jams", at(0));
    const first = await customerTicket(fixture, "Internet down", outage, at(1));
    await findSimilarOnArrival(db, fixture.orgId, first.id, at(2), LOCAL);
    const before = (await latestPredictions(db, fixture.orgId, first.id)).get("similar")!;
    expect((before.detail.items as { id: string }[]).map((i) => i.id)).not.toContain(candidate.id);

    // The first message now tells of the outage (as a redaction or an edit would change it); the
    // change moves the ticket's updated_at, so the remembered text is not used again.
    await db
      .update(ticketMessages)
      .set({ body: outage })
      .where(eq(ticketMessages.id, candidate.firstMessageId));
    await db
      .update(tickets)
      .set({ updatedAt: at(3) })
      .where(eq(tickets.id, candidate.id));
    const second = await customerTicket(fixture, "Internet down", outage, at(4));
    await findSimilarOnArrival(db, fixture.orgId, second.id, at(5), LOCAL);
    const after = (await latestPredictions(db, fixture.orgId, second.id)).get("similar")!;
    expect((after.detail.items as { id: string }[]).map((i) => i.id)).toContain(candidate.id);
  });
});

describe("Hugging Face through the worker", () => {
  let server: ReturnType<typeof Bun.serve>;
  let failing = true;
  beforeAll(() => {
    server = Bun.serve({
      port: 0,
      fetch: () =>
        failing
          ? Response.json({ error: "model crashed" }, { status: 500 })
          : Response.json([
              [
                { label: "1 star", score: 0.9 },
                { label: "5 stars", score: 0.1 },
              ],
            ]),
    });
  });
  afterAll(() => server.stop(true));

  test("a failing endpoint falls back to the local model and the prediction says why; a working one answers", async () => {
    const { db } = await testDatabase();
    await db
      .insert(aiSettings)
      .values({ orgId: other.orgId, models: { sentiment: "fake/sentiment" }, updatedAt: T0 })
      .onConflictDoUpdate({ target: aiSettings.orgId, set: { models: { sentiment: "fake/sentiment" } } });
    const remote = { hfEndpointUrl: `http://127.0.0.1:${server.port}`, timeoutMs: 2_000 };
    const ticket = await customerTicket(other, "Slow", "Great, thank you so much, wonderful!", at(90));
    await analyzeMessage(db, other.orgId, ticket.firstMessageId, at(91), remote);
    const [fellBack] = (await predictionsOf(ticket.id)).filter((p) => p.task === "sentiment");
    expect(fellBack.provider).toBe("local");
    expect(fellBack.fallbackReason).toBeTruthy();

    failing = false;
    const next = await customerTicket(other, "Bad", "It broke again", at(92));
    await analyzeMessage(db, other.orgId, next.firstMessageId, at(93), { ...remote, timeoutMs: 2_001 });
    const [answered] = (await predictionsOf(next.id)).filter((p) => p.task === "sentiment");
    expect(answered.provider).toBe("huggingface");
    expect(answered.modelVersion).toBe("fake/sentiment");
    expect(answered.value).toBe("very_negative");
  });
});
