// The JSON API's merges, links and time entries: the same rules as the desk, the error shape,
// tokens' roles and organization isolation.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture, testApp } from "../../test/helpers";
import { createApiToken } from "../domain/auth/tokens";
import { formatTicketNumber } from "../domain/orgs/counters";
import { createTicket } from "../domain/tickets/commands";
import { addTimeEntry } from "../domain/time/ticketTime";

let org: Fixture;
let other: Fixture;
const tokens: Record<string, string> = {};

async function call(path: string, options: { method?: string; token?: string; json?: unknown } = {}) {
  const app = await testApp();
  const headers = new Headers({ authorization: `Bearer ${options.token ?? tokens.agent}` });
  if (options.json !== undefined) headers.set("content-type", "application/json");
  const response = await app.handle(
    new Request(`http://localhost${path}`, {
      method: options.method ?? "GET",
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
    }),
  );
  const text = await response.text();
  return {
    status: response.status,
    json: text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined,
  };
}

beforeAll(async () => {
  org = await createOrg("Api relations");
  other = await createOrg("Api relations other");
  tokens.agent = (await createApiToken(org.ctx("admin"), { name: "agent", role: "agent" })).secret;
  tokens.dispatcher = (
    await createApiToken(org.ctx("admin"), { name: "dispatcher", role: "dispatcher" })
  ).secret;
  tokens.other = (await createApiToken(other.ctx("admin"), { name: "other", role: "agent" })).secret;
});

async function ticket(subject: string) {
  const t = await createTicket(org.ctx("agent"), { subject, body: "x", requesterEmail: "api@client.test" });
  return { ...t, key: formatTicketNumber(t.number) };
}

describe("relations over the API", () => {
  test("links: add, list on both sides, refuse bad input with fields, remove", async () => {
    const a = await ticket("Api parent");
    const b = await ticket("Api child");
    const added = await call(`/api/v1/tickets/${a.key}/links`, {
      method: "POST",
      json: { ticket: b.key, role: "child" },
    });
    expect(added.status).toBe(201);
    expect(added.json.children).toEqual([
      { linkId: expect.any(String), key: b.key, subject: "Api child", status: "new" },
    ]);
    const fromChild = await call(`/api/v1/tickets/${b.id}/links`);
    expect(fromChild.json.parent.key).toBe(a.key);
    const bad = await call(`/api/v1/tickets/${a.key}/links`, {
      method: "POST",
      json: { ticket: a.key, role: "related" },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.fields)).toEqual(["ticket"]);
    const removed = await call(`/api/v1/tickets/${a.key}/links/${added.json.children[0].linkId}`, {
      method: "DELETE",
    });
    expect(removed.status).toBe(204);
    expect((await call(`/api/v1/tickets/${a.key}/links`)).json.children).toEqual([]);
  });

  test("merge: moves the conversation; refused into itself; another organization cannot", async () => {
    const keep = await ticket("Api keep");
    const dup = await ticket("Api duplicate");
    expect(
      (await call(`/api/v1/tickets/${dup.key}/merges`, { method: "POST", json: { target: dup.key } })).status,
    ).toBe(422);
    expect(
      (
        await call(`/api/v1/tickets/${dup.id}/merges`, {
          method: "POST",
          json: { target: keep.key },
          token: tokens.other,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(`/api/v1/tickets/${dup.key}/merges`, {
          method: "POST",
          json: { target: keep.key },
          token: tokens.dispatcher,
        })
      ).status,
    ).toBe(403);
    const merged = await call(`/api/v1/tickets/${dup.key}/merges`, {
      method: "POST",
      json: { target: keep.key },
    });
    expect(merged.status).toBe(201);
    expect(merged.json).toEqual({ merged: dup.key, into: keep.key, movedMessages: 1 });
    const after = await call(`/api/v1/tickets/${dup.key}`);
    expect(after.json.status).toBe("closed");
  });

  test("time entries with totals; not readable from another organization", async () => {
    const t = await ticket("Api time");
    await addTimeEntry(org.ctx("agent"), t.number, { duration: "30m", note: "Call" });
    await addTimeEntry(org.ctx("agent"), t.number, { duration: "10m", billable: false });
    const listed = await call(`/api/v1/tickets/${t.key}/time-entries`);
    expect(listed.status).toBe(200);
    expect(listed.json.totals).toEqual({ billableMinutes: 30, nonBillableMinutes: 10 });
    expect(listed.json.data[0]).toMatchObject({
      minutes: 30,
      note: "Call",
      user: { name: org.users.agent.name },
    });
    expect((await call(`/api/v1/tickets/${t.id}/time-entries`, { token: tokens.other })).status).toBe(404);
    expect((await call(`/api/v1/tickets/${t.id}/links`, { token: tokens.other })).status).toBe(404);
  });
});
