// Outgoing webhooks against a real receiver on 127.0.0.1: signed payloads a receiver can verify,
// retries through the job queue, automatic disabling, event type filtering, organizations kept
// apart, and the SSRF guard at save time and at delivery time.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { events, jobs, webhookDeliveries, webhookSubscriptions } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { isDomainError } from "../errors";
import { appendEvent } from "../events/log";
import type { ClaimedJob } from "../jobs/queue";
import { JobRunner } from "../jobs/runner";
import { addMessage, createTicket } from "../tickets/commands";
import { DISABLE_AFTER_FAILED_DELIVERIES, deliverWebhook, webhookQueue } from "./delivery";
import { DELIVER_QUEUE } from "./fanout";
import {
  createWebhook,
  getWebhook,
  sendTestEvent,
  setWebhookActive,
  updateWebhookSettings,
} from "./subscriptions";
import { checkTarget, privateRange, type Resolver, TargetRefused } from "./targets";

interface Received {
  path: string;
  headers: Headers;
  body: string;
}

/** A receiver whose answers tests script per path; it records everything it is sent. */
let receiver: ReturnType<typeof Bun.serve>;
const received: Received[] = [];
const answers = new Map<string, number[]>();
let base: string;

beforeAll(() => {
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      received.push({ path, headers: request.headers, body: await request.text() });
      if (path.startsWith("/slow")) await Bun.sleep(1_000);
      if (path.startsWith("/redirect"))
        return new Response("", { status: 302, headers: { location: "/elsewhere" } });
      const scripted = answers.get(path);
      const status = scripted && scripted.length > 1 ? (scripted.shift() as number) : (scripted?.[0] ?? 200);
      return new Response(status >= 400 ? "receiver says no" : "ok", { status });
    },
  });
  base = `http://127.0.0.1:${receiver.port}`;
});

afterAll(() => receiver.stop(true));

const receivedAt = (path: string) => received.filter((r) => r.path === path);

async function orgAllowingLoopback(label: string): Promise<Fixture> {
  const org = await createOrg(label);
  await updateWebhookSettings(org.ctx("admin"), { allowPrivateTargets: true });
  return org;
}

const strict = { allowPrivate: false };

function clockAt(start: Date) {
  const clock = { now: start, advance: (ms: number) => (clock.now = new Date(clock.now.getTime() + ms)) };
  return clock;
}

async function runner(clock: { now: Date }, resolve?: Resolver) {
  return new JobRunner({
    database: await testDatabase(),
    queues: [webhookQueue({ allowPrivate: false, resolve })],
    clock: () => clock.now,
    log: () => {},
  });
}

async function deliveriesOf(subscriptionId: string) {
  const { db } = await testDatabase();
  return db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.subscriptionId, subscriptionId))
    .orderBy(webhookDeliveries.createdAt, webhookDeliveries.attempt);
}

async function jobsFor(orgId: string) {
  const { db } = await testDatabase();
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.orgId, orgId), eq(jobs.queue, DELIVER_QUEUE)));
}

function fakeJob(
  orgId: string,
  subscriptionId: string,
  seq: number,
  attempts = 1,
  maxAttempts = 10,
): ClaimedJob {
  return {
    id: crypto.randomUUID(),
    orgId,
    queue: DELIVER_QUEUE,
    payload: { subscriptionId, seq },
    attempts,
    maxAttempts,
  };
}

describe("delivery", () => {
  test("a ticket's creation reaches the receiver signed; the receiver can verify the signature", async () => {
    const org = await orgAllowingLoopback("Signed");
    const hook = await createWebhook(
      org.ctx("admin"),
      { name: "Receiver", url: `${base}/signed`, eventTypes: ["ticket.created"] },
      strict,
    );
    expect(hook.secret).toStartWith("whsec_");
    const ticket = await createTicket(org.ctx("customer"), { subject: "Webhook me", body: "Hello" });
    const clock = clockAt(new Date());
    await (await runner(clock)).drain();

    const [request] = receivedAt("/signed");
    expect(request).toBeDefined();
    const timestamp = request.headers.get("x-fieldesk-timestamp") as string;
    const expected = `sha256=${createHmac("sha256", hook.secret).update(`${timestamp}.${request.body}`).digest("hex")}`;
    expect(request.headers.get("x-fieldesk-signature")).toBe(expected);
    // A different secret does not verify.
    const forged = `sha256=${createHmac("sha256", "whsec_other").update(`${timestamp}.${request.body}`).digest("hex")}`;
    expect(request.headers.get("x-fieldesk-signature")).not.toBe(forged);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(request.headers.get("x-fieldesk-event")).toBe("ticket.created");
    expect(request.headers.get("content-type")).toBe("application/json");
    const payload = JSON.parse(request.body);
    expect(payload).toMatchObject({ type: "ticket.created", organizationId: org.orgId, ticketId: ticket.id });
    const { db } = await testDatabase();
    const [event] = await db
      .select()
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.type, "ticket.created")));
    expect(payload.id).toBe(String(event.seq));
    expect(payload.occurredAt).toBe(event.createdAt.toISOString());

    const log = await deliveriesOf(hook.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: "succeeded", responseCode: 200, attempt: 1, eventSeq: event.seq });
    expect(request.headers.get("x-fieldesk-delivery")).toBe(log[0].deliveryId);
  });

  test("a 500 is retried after the queue's back-off, then succeeds; every attempt is logged", async () => {
    const org = await orgAllowingLoopback("Retry");
    answers.set("/flaky", [500, 500, 200]);
    const hook = await createWebhook(
      org.ctx("admin"),
      { name: "Flaky", url: `${base}/flaky`, eventTypes: ["*"] },
      strict,
    );
    // "*" includes the webhook's own creation: drop that delivery, keep the ticket's.
    await (await testDatabase()).db.delete(jobs).where(eq(jobs.orgId, org.orgId));
    await createTicket(org.ctx("customer"), { subject: "Flaky", body: "b" });
    const clock = clockAt(new Date());
    const run = await runner(clock);
    await run.drain();
    expect(receivedAt("/flaky")).toHaveLength(1);
    // Not due again until the back-off has passed.
    await run.drain();
    expect(receivedAt("/flaky")).toHaveLength(1);
    clock.advance(10 * 60_000);
    await run.drain();
    clock.advance(10 * 60_000);
    await run.drain();
    const attempts = receivedAt("/flaky");
    expect(attempts).toHaveLength(3);
    // The same delivery id every time, so receivers can drop repeats.
    expect(new Set(attempts.map((a) => a.headers.get("x-fieldesk-delivery"))).size).toBe(1);
    const log = await deliveriesOf(hook.id);
    expect(log.map((d) => [d.attempt, d.status, d.responseCode])).toEqual([
      [1, "failed", 500],
      [2, "failed", 500],
      [3, "succeeded", 200],
    ]);
    expect(log[0].error).toContain("receiver says no");
    const [job] = await jobsFor(org.orgId);
    expect(job.status).toBe("done");
    const after = await getWebhook(org.ctx("admin"), hook.id);
    expect(after.failingSince).toBeNull();
    expect(after.active).toBe(true);
  });

  test("redirects are not followed and count as failures", async () => {
    const org = await orgAllowingLoopback("Redirect");
    const hook = await createWebhook(
      org.ctx("admin"),
      { name: "Moved", url: `${base}/redirect`, eventTypes: ["ticket.created"] },
      strict,
    );
    await createTicket(org.ctx("customer"), { subject: "Moved", body: "b" });
    const [queued] = await jobsFor(org.orgId);
    const job = fakeJob(org.orgId, hook.id, Number(queued.payload.seq));
    await expect(
      deliverWebhook((await testDatabase()).db, job, { now: new Date(), allowPrivate: false }),
    ).rejects.toThrow("redirects are not followed");
    expect(receivedAt("/elsewhere")).toHaveLength(0);
    const [log] = await deliveriesOf(hook.id);
    expect(log).toMatchObject({ status: "failed", responseCode: 302 });
    await (await testDatabase()).db.delete(jobs).where(eq(jobs.orgId, org.orgId));
  });

  test("a receiver that does not answer in time fails the attempt", async () => {
    const org = await orgAllowingLoopback("Slow");
    const hook = await createWebhook(
      org.ctx("admin"),
      { name: "Slow", url: `${base}/slow`, eventTypes: ["never.happens"] },
      strict,
    );
    const job = { ...fakeJob(org.orgId, hook.id, 0), payload: { subscriptionId: hook.id, test: true } };
    const outcome = await deliverWebhook((await testDatabase()).db, job, {
      now: new Date(),
      allowPrivate: false,
      timeoutMs: 100,
    });
    expect(outcome).toBe("skipped"); // a test event is tried once and never retried
    const [log] = await deliveriesOf(hook.id);
    expect(log).toMatchObject({ status: "failed", eventType: "webhook.test", responseCode: null });
    expect(log.error).toContain("No answer within");
  });

  test("after repeated failed deliveries the subscription is disabled, with the reason and an event", async () => {
    const org = await orgAllowingLoopback("Disable");
    answers.set("/down", [503]);
    const hook = await createWebhook(
      org.ctx("admin"),
      { name: "Down", url: `${base}/down`, eventTypes: ["never.happens"] },
      strict,
    );
    const { db } = await testDatabase();
    const now = new Date();
    await createTicket(org.ctx("customer"), { subject: "Down", body: "b" }); // an event to deliver
    const [event] = await db
      .select()
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.type, "ticket.created")));
    // Failed attempts that are not a delivery's last do not count towards the limit.
    for (let i = 0; i < DISABLE_AFTER_FAILED_DELIVERIES + 3; i++)
      await expect(
        deliverWebhook(db, fakeJob(org.orgId, hook.id, event.seq, 1, 10), { now, allowPrivate: false }),
      ).rejects.toThrow("Answered 503");
    expect((await getWebhook(org.ctx("admin"), hook.id)).consecutiveFailures).toBe(0);
    // Deliveries failing on their last attempt do.
    for (let i = 1; i < DISABLE_AFTER_FAILED_DELIVERIES; i++) {
      await expect(
        deliverWebhook(db, fakeJob(org.orgId, hook.id, event.seq, 10, 10), { now, allowPrivate: false }),
      ).rejects.toThrow("Answered 503");
    }
    expect((await getWebhook(org.ctx("admin"), hook.id)).active).toBe(true);
    const outcome = await deliverWebhook(db, fakeJob(org.orgId, hook.id, event.seq, 10, 10), {
      now,
      allowPrivate: false,
    });
    expect(outcome).toBe("disabled");
    const disabled = await getWebhook(org.ctx("admin"), hook.id);
    expect(disabled.active).toBe(false);
    expect(disabled.disabledReason).toContain(
      `${DISABLE_AFTER_FAILED_DELIVERIES} deliveries in a row failed`,
    );
    expect(disabled.disabledReason).toContain("503");
    const [recorded] = await db
      .select()
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.type, "webhook.disabled")));
    expect(recorded.data).toMatchObject({ subscriptionId: hook.id });
    // Further deliveries of a disabled subscription are dropped without a request.
    const before = receivedAt("/down").length;
    expect(
      await deliverWebhook(db, fakeJob(org.orgId, hook.id, event.seq), { now, allowPrivate: false }),
    ).toBe("skipped");
    expect(receivedAt("/down")).toHaveLength(before);
    // Re-enabling starts the count afresh.
    await setWebhookActive(org.ctx("admin"), hook.id, true);
    const enabled = await getWebhook(org.ctx("admin"), hook.id);
    expect(enabled).toMatchObject({ active: true, consecutiveFailures: 0, disabledReason: null });
  });

  test("a day of failed attempts disables the subscription too", async () => {
    const org = await orgAllowingLoopback("Day");
    answers.set("/dead", [500]);
    const hook = await createWebhook(
      org.ctx("admin"),
      { name: "Dead", url: `${base}/dead`, eventTypes: ["ticket.created"] },
      strict,
    );
    await createTicket(org.ctx("customer"), { subject: "Dead", body: "b" });
    const [queued] = await jobsFor(org.orgId);
    const { db } = await testDatabase();
    const seq = Number(queued.payload.seq);
    const start = new Date();
    await expect(
      deliverWebhook(db, fakeJob(org.orgId, hook.id, seq), { now: start, allowPrivate: false }),
    ).rejects.toThrow();
    expect((await getWebhook(org.ctx("admin"), hook.id)).failingSince?.getTime()).toBe(start.getTime());
    const later = new Date(start.getTime() + 25 * 3_600_000);
    expect(
      await deliverWebhook(db, fakeJob(org.orgId, hook.id, seq, 2), { now: later, allowPrivate: false }),
    ).toBe("disabled");
    expect((await getWebhook(org.ctx("admin"), hook.id)).disabledReason).toContain("for 25 hours");
    await db.delete(jobs).where(eq(jobs.orgId, org.orgId));
  });

  test("a test event is signed and sent once, even to a paused subscription", async () => {
    const org = await orgAllowingLoopback("Tested");
    const hook = await createWebhook(
      org.ctx("admin"),
      { name: "Tested", url: `${base}/tested`, eventTypes: ["never.happens"] },
      strict,
    );
    await setWebhookActive(org.ctx("admin"), hook.id, false);
    await sendTestEvent(org.ctx("admin"), hook.id);
    await (await runner(clockAt(new Date()))).drain();
    const [request] = receivedAt("/tested");
    expect(request.headers.get("x-fieldesk-event")).toBe("webhook.test");
    expect(JSON.parse(request.body)).toMatchObject({
      type: "webhook.test",
      organizationId: org.orgId,
      ticketId: null,
    });
    const [log] = await deliveriesOf(hook.id);
    expect(log).toMatchObject({ status: "succeeded", eventType: "webhook.test", eventSeq: null });
  });
});

describe("fan-out", () => {
  test("only subscriptions whose event types match get a delivery; paused ones get none", async () => {
    const org = await orgAllowingLoopback("Filter");
    const admin = org.ctx("admin");
    const created = await createWebhook(
      admin,
      { name: "Created", url: `${base}/f1`, eventTypes: ["ticket.created"] },
      strict,
    );
    const all = await createWebhook(admin, { name: "All", url: `${base}/f2`, eventTypes: ["*"] }, strict);
    const replies = await createWebhook(
      admin,
      { name: "Replies", url: `${base}/f3`, eventTypes: [], otherEventTypes: "message.customer_replied" },
      strict,
    );
    const paused = await createWebhook(
      admin,
      { name: "Paused", url: `${base}/f4`, eventTypes: ["*"] },
      strict,
    );
    await setWebhookActive(admin, paused.id, false);
    const { db } = await testDatabase();
    await db.delete(jobs).where(eq(jobs.orgId, org.orgId)); // deliveries of the set-up's own events

    const ticket = await createTicket(org.ctx("customer"), { subject: "Filter", body: "b" });
    const bySubscription = async () => {
      const counts = new Map<string, number>();
      for (const job of await jobsFor(org.orgId)) {
        const id = String(job.payload.subscriptionId);
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return counts;
    };
    let counts = await bySubscription();
    expect(counts.get(created.id)).toBe(1);
    expect(counts.get(all.id)).toBe(1);
    expect(counts.get(replies.id)).toBeUndefined();
    expect(counts.get(paused.id)).toBeUndefined();

    await addMessage(org.ctx("customer"), ticket.id, { kind: "reply", body: "More" });
    counts = await bySubscription();
    expect(counts.get(created.id)).toBe(1);
    expect(counts.get(replies.id)).toBe(1);
    expect(counts.get(all.id)).toBeGreaterThanOrEqual(2);
    await db.delete(jobs).where(eq(jobs.orgId, org.orgId));
  });

  test("a rolled-back change queues no delivery", async () => {
    const org = await orgAllowingLoopback("Rollback");
    await createWebhook(org.ctx("admin"), { name: "All", url: `${base}/rb`, eventTypes: ["*"] }, strict);
    const { db } = await testDatabase();
    await db.delete(jobs).where(eq(jobs.orgId, org.orgId));
    await db
      .transaction(async (tx) => {
        await appendEvent(tx, org.ctx("agent"), { type: "ticket.created" });
        expect(await tx.select().from(jobs).where(eq(jobs.orgId, org.orgId))).toHaveLength(1);
        throw new Error("rollback");
      })
      .catch(() => {});
    expect(await jobsFor(org.orgId)).toHaveLength(0);
  });

  test("one organization's events never reach another's subscriptions, nor can it see them", async () => {
    const home = await orgAllowingLoopback("HomeHooks");
    const away = await orgAllowingLoopback("AwayHooks");
    const awayHook = await createWebhook(
      away.ctx("admin"),
      { name: "Away", url: `${base}/away`, eventTypes: ["*"] },
      strict,
    );
    const { db } = await testDatabase();
    await db.delete(jobs).where(eq(jobs.orgId, away.orgId));
    await createTicket(home.ctx("customer"), { subject: "Home only", body: "b" });
    const queued = await db.select().from(jobs).where(eq(jobs.queue, DELIVER_QUEUE));
    expect(queued.filter((j) => j.payload.subscriptionId === awayHook.id)).toHaveLength(0);
    const refused = await getWebhook(home.ctx("admin"), awayHook.id).catch((e) => e);
    expect(isDomainError(refused) && refused.status).toBe(404);
    // A delivery job naming another organization's subscription finds nothing to send.
    expect(
      await deliverWebhook(db, fakeJob(home.orgId, awayHook.id, 0), { now: new Date(), allowPrivate: false }),
    ).toBe("skipped");
    await db.delete(jobs).where(eq(jobs.orgId, home.orgId));
  });
});

describe("SSRF guard", () => {
  const fakeDns =
    (table: Record<string, string[]>): Resolver =>
    async (host) => {
      const addresses = table[host];
      if (!addresses) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
      return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    };

  test.each([
    "http://127.0.0.1/hook",
    "http://127.1.2.3:8080/hook",
    "http://10.1.2.3/hook",
    "http://172.20.0.1/hook",
    "http://192.168.1.10/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "http://[::1]/hook",
    "http://[::]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:8.8.8.8]/hook",
    "http://[fc00::1]/hook",
    "http://[fd12:3456::1]/hook",
    "http://[fe80::1]/hook",
    "http://[ff02::1]/hook",
    "http://2130706433/hook", // 127.0.0.1 written as a number
    "http://0x7f.0.0.1/hook",
    "http://localhost/hook",
  ])("refuses %s", async (url) => {
    await expect(checkTarget(url, { allowPrivate: false })).rejects.toBeInstanceOf(TargetRefused);
  });

  test("refuses names that resolve to a private address, even one of several", async () => {
    const resolve = fakeDns({
      "intranet.test": ["192.168.0.5"],
      "mixed.test": ["93.184.216.34", "10.0.0.1"],
    });
    await expect(checkTarget("https://intranet.test/x", { allowPrivate: false, resolve })).rejects.toThrow(
      "intranet.test resolves to 192.168.0.5, a private (192.168.0.0/16) address",
    );
    await expect(checkTarget("https://mixed.test/x", { allowPrivate: false, resolve })).rejects.toThrow(
      "10.0.0.1",
    );
    await expect(checkTarget("https://nowhere.test/x", { allowPrivate: false, resolve })).rejects.toThrow(
      "could not be resolved (ENOTFOUND)",
    );
  });

  test("refuses other schemes and credentials; accepts public addresses", async () => {
    for (const url of [
      "ftp://example.com/x",
      "file:///etc/passwd",
      "https://user:pass@example.com/x",
      "not a url",
    ])
      await expect(checkTarget(url, { allowPrivate: false })).rejects.toBeInstanceOf(TargetRefused);
    const target = await checkTarget("https://93.184.216.34/hook", { allowPrivate: false });
    expect(target.address).toBe("93.184.216.34");
    const named = await checkTarget("https://hooks.example.test/x", {
      allowPrivate: false,
      resolve: fakeDns({ "hooks.example.test": ["2606:4700::1111"] }),
    });
    expect(named).toMatchObject({ address: "2606:4700::1111", family: 6 });
    expect(privateRange("8.8.8.8")).toBeUndefined();
    expect(privateRange("2001:4860:4860::8888")).toBeUndefined();
    expect(privateRange("2002:0a00:0001::1")).toContain("6to4");
  });

  test("loopback is allowed only when the organization's setting (or the server's) says so", async () => {
    const org = await createOrg("Strict");
    const refused = await createWebhook(
      org.ctx("admin"),
      { name: "Local", url: `${base}/local`, eventTypes: ["*"] },
      strict,
    ).catch((e) => e);
    expect(isDomainError(refused) && refused.fields?.url).toContain("loopback");
    // The server-wide switch (WEBHOOKS_ALLOW_PRIVATE) lets it through.
    const allowed = await createWebhook(
      org.ctx("admin"),
      { name: "Local", url: `${base}/local`, eventTypes: ["never.happens"] },
      { allowPrivate: true },
    );
    expect(allowed.url).toBe(`${base}/local`);
  });

  test("the address is checked again at delivery: a name that now resolves inward is not contacted", async () => {
    const org = await createOrg("Rebind");
    let answer = "93.184.216.34";
    const resolve: Resolver = async () => [{ address: answer, family: 4 }];
    const hook = await createWebhook(
      org.ctx("admin"),
      {
        name: "Rebinding",
        url: `http://rebind.test:${receiver.port}/rebind`,
        eventTypes: ["ticket.created"],
      },
      { allowPrivate: false, resolve },
    );
    await createTicket(org.ctx("customer"), { subject: "Rebind", body: "b" });
    answer = "127.0.0.1";
    const clock = clockAt(new Date());
    await (await runner(clock, resolve)).drain();
    expect(receivedAt("/rebind")).toHaveLength(0);
    const [log] = await deliveriesOf(hook.id);
    expect(log).toMatchObject({ status: "refused", responseCode: null });
    expect(log.error).toContain("rebind.test resolves to 127.0.0.1, a loopback address");
    const { db } = await testDatabase();
    await db.delete(jobs).where(eq(jobs.orgId, org.orgId));
  });

  test("the request goes to the checked address, with the name in the Host header", async () => {
    const org = await orgAllowingLoopback("Pinned");
    const resolve: Resolver = async () => [{ address: "127.0.0.1", family: 4 }];
    const hook = await createWebhook(
      org.ctx("admin"),
      {
        name: "Pinned",
        url: `http://hooks.pinned.test:${receiver.port}/pinned`,
        eventTypes: ["never.happens"],
      },
      { allowPrivate: false, resolve },
    );
    const job = { ...fakeJob(org.orgId, hook.id, 0), payload: { subscriptionId: hook.id, test: true } };
    const { db } = await testDatabase();
    expect(await deliverWebhook(db, job, { now: new Date(), allowPrivate: false, resolve })).toBe(
      "succeeded",
    );
    const [request] = receivedAt("/pinned");
    expect(request.headers.get("host")).toBe(`hooks.pinned.test:${receiver.port}`);
    expect(
      (await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, hook.id)))[0].active,
    ).toBe(true);
  });
});
