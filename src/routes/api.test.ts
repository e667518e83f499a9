// The JSON API through app.handle(): tokens, the error shape, listing, creating, changing,
// messages, tenant isolation, and the OpenAPI document with its docs page.
import { beforeAll, describe, expect, spyOn, test } from "bun:test";
import { type ApiCallOptions, apiCall, expectApiError } from "../../test/api";
import { createOrg, type Fixture, parse } from "../../test/helpers";
import { createApiToken, revokeApiToken } from "../domain/auth/tokens";
import { createTicket, updateTicket } from "../domain/tickets/commands";
import * as queries from "../domain/tickets/queries";

let org: Fixture;
let other: Fixture;
const tokens: Record<string, string> = {};

/** The agent's token unless another (or none, with null) is given. */
const call = (path: string, options: ApiCallOptions = {}) =>
  apiCall(path, { ...options, token: options.token === undefined ? tokens.agent : options.token });
const expectError = expectApiError;

beforeAll(async () => {
  org = await createOrg("Api");
  other = await createOrg("Other");
  for (const role of ["agent", "dispatcher", "technician"]) {
    tokens[role] = (await createApiToken(org.ctx("admin"), { name: `${role} token`, role })).secret;
  }
  tokens.other = (await createApiToken(other.ctx("admin"), { name: "other", role: "agent" })).secret;
  const agent = org.ctx("agent");
  // 12 tickets a minute apart: even ones about billing, odd ones about a chiller.
  for (let i = 1; i <= 12; i++) {
    await createTicket(
      { ...agent, now: new Date(Date.UTC(2026, 0, 1, 9, i)) },
      {
        subject: i % 2 ? `Chiller fault ${i}` : `Billing question ${i}`,
        body: i % 2 ? "The chiller trips every hour" : "The invoice amount looks wrong",
        requesterEmail: `client${i % 3}@client.test`,
        priority: i % 4 === 0 ? "high" : i % 4 === 1 ? "urgent" : "normal",
        tags: i % 2 ? ["chiller"] : ["billing"],
      },
    );
  }
  await updateTicket(agent, 2, { status: "pending" });
  await updateTicket(agent, 3, { assigneeId: org.users.agent.id });
});

describe("authentication", () => {
  test("no token, a wrong one, another scheme or a revoked one: 401 with the error shape", async () => {
    const path = "/api/v1/tickets";
    const missing = await call(path, { token: null });
    expectError(missing, 401, path);
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    expectError(await call(path, { token: "fd_not-a-real-token-at-all-000000000000" }), 401, path);
    expectError(
      await call(path, { token: null, headers: { authorization: `Basic ${tokens.agent}` } }),
      401,
      path,
    );

    const made = await createApiToken(org.ctx("admin"), { name: "soon revoked", role: "agent" });
    expect((await call(path, { token: made.secret })).status).toBe(200);
    await revokeApiToken(org.ctx("admin"), made.id);
    expectError(await call(path, { token: made.secret }), 401, path);
  });

  test("401 comes before validation: a stranger learns nothing about the input", async () => {
    const res = await call("/api/v1/tickets", { method: "POST", token: null, json: { subject: "" } });
    expectError(res, 401, "/api/v1/tickets");
  });

  test("the role decides: a technician may not list tickets, a dispatcher may read but not create", async () => {
    expectError(await call("/api/v1/tickets", { token: tokens.technician }), 403, "/api/v1/tickets");
    expect((await call("/api/v1/tickets", { token: tokens.dispatcher })).status).toBe(200);
    const created = await call("/api/v1/tickets", {
      method: "POST",
      token: tokens.dispatcher,
      json: { subject: "Nope", body: "Not allowed", requester: { email: "x@client.test" } },
    });
    expectError(created, 403, "/api/v1/tickets");
  });
});

describe("listing tickets", () => {
  test("defaults: newest first, 20 a page, meta and links", async () => {
    const res = await call("/api/v1/tickets");
    expect(res.status).toBe(200);
    expect(res.json.data.map((t: { key: string }) => t.key)).toEqual(
      Array.from({ length: 12 }, (_, i) => `TKT-${String(12 - i).padStart(6, "0")}`),
    );
    expect(res.json.meta).toEqual({ page: 1, limit: 20, total: 12, totalPages: 1 });
    expect(res.json.links.prev).toBeNull();
    expect(res.json.links.next).toBeNull();
    const first = res.json.data.find((t: { number: number }) => t.number === 3);
    expect(first).toMatchObject({
      subject: "Chiller fault 3",
      status: "open",
      priority: "normal",
      type: "question",
      channel: "phone",
      tags: ["chiller"],
      contact: { email: "client0@client.test" },
      assignee: { id: org.users.agent.id, name: org.users.agent.name },
      team: null,
    });
    expect(first.createdAt).toBe("2026-01-01T09:03:00.000Z");
  });

  test("page and limit, with links that keep the query", async () => {
    const res = await call("/api/v1/tickets?tag=billing&sort=number&limit=2&page=2");
    expect(res.status).toBe(200);
    expect(res.json.data.map((t: { number: number }) => t.number)).toEqual([6, 8]);
    expect(res.json.meta).toEqual({ page: 2, limit: 2, total: 6, totalPages: 3 });
    const { first, prev, next, last } = res.json.links;
    for (const link of [first, prev, next, last]) {
      const url = new URL(link);
      expect(url.pathname).toBe("/api/v1/tickets");
      expect(url.searchParams.get("tag")).toBe("billing");
      expect(url.searchParams.get("sort")).toBe("number");
      expect(url.searchParams.get("limit")).toBe("2");
    }
    expect([first, prev, next, last].map((l) => new URL(l).searchParams.get("page"))).toEqual([
      "1",
      "1",
      "3",
      "3",
    ]);
    const lastPage = await call(new URL(last).pathname + new URL(last).search);
    expect(lastPage.json.data.map((t: { number: number }) => t.number)).toEqual([10, 12]);
    expect(lastPage.json.links.next).toBeNull();
  });

  test("filters: status and priority lists, tag, assignee, text search", async () => {
    const numbers = async (query: string) => {
      const res = await call(`/api/v1/tickets?sort=number&${query}`);
      expect(res.status).toBe(200);
      return res.json.data.map((t: { number: number }) => t.number);
    };
    expect(await numbers("status=pending")).toEqual([2]);
    expect(await numbers("status=open,pending")).toEqual([2, 3]);
    expect(await numbers("priority=high,urgent")).toEqual([1, 4, 5, 8, 9, 12]);
    expect(await numbers("priority=urgent&tag=billing")).toEqual([]);
    expect(await numbers(`assignee=${org.users.agent.id}`)).toEqual([3]);
    expect(await numbers("assignee=none&status=new&tag=chiller")).toEqual([1, 5, 7, 9, 11]);
    expect(await numbers("q=invoice")).toEqual([2, 4, 6, 8, 10, 12]);
    expect(await numbers("q=TKT-000007")).toEqual([7]);
    expect(await numbers("channel=email")).toEqual([]);
  });

  test("sort by priority, descending", async () => {
    const res = await call("/api/v1/tickets?sort=-priority&limit=3");
    expect(res.json.data.map((t: { priority: string }) => t.priority)).toEqual([
      "urgent",
      "urgent",
      "urgent",
    ]);
  });

  test("sparse fieldsets: only the fields asked for", async () => {
    const res = await call("/api/v1/tickets?fields=id,key,subject&limit=2");
    expect(res.status).toBe(200);
    for (const item of res.json.data) expect(Object.keys(item).sort()).toEqual(["id", "key", "subject"]);
  });

  test("bad query values are 422 naming each one", async () => {
    const path = "/api/v1/tickets";
    expectError(await call(`${path}?fields=id,password`), 422, path, ["fields"]);
    expectError(await call(`${path}?status=open,bogus`), 422, path, ["status"]);
    expectError(await call(`${path}?sort=name`), 422, path, ["sort"]);
    expectError(await call(`${path}?page=0`), 422, path, ["page"]);
    expectError(await call(`${path}?page=99999999999999999999`), 422, path, ["page"]);
    expectError(await call(`${path}?page=100001`), 422, path, ["page"]);
    const deepest = await call(`${path}?page=100000&limit=100`);
    expect([deepest.status, deepest.json.data]).toEqual([200, []]);
    expectError(await call(`${path}?limit=101`), 422, path, ["limit"]);
    expectError(await call(`${path}?limit=abc`), 422, path, ["limit"]);
    expectError(await call(`${path}?team=not-a-uuid`), 422, path, ["team"]);
    const unknownField = await call(`${path}?fields=nope`);
    expect(unknownField.json.message).toBe("Please correct the marked fields.");
    expect(unknownField.json.fields.fields).toContain("subject");
  });
});

describe("creating and reading one ticket", () => {
  test("POST → 201 with Location; GET by key and by id", async () => {
    const res = await call("/api/v1/tickets", {
      method: "POST",
      json: {
        subject: "Aircon leaking",
        body: "Water drips from the indoor unit.",
        priority: "high",
        type: "incident",
        requester: { email: "new.person@client.test", name: "New Person" },
        teamId: org.teamId,
        tags: ["Aircon", "site visit"],
      },
    });
    expect(res.status).toBe(201);
    const ticket = res.json;
    expect(ticket.key).toMatch(/^TKT-\d{6}$/);
    expect(ticket.key).toBe(`TKT-${String(ticket.number).padStart(6, "0")}`);
    expect(res.headers.get("location")).toBe(`/api/v1/tickets/${ticket.key}`);
    expect(ticket).toMatchObject({
      subject: "Aircon leaking",
      status: "new",
      priority: "high",
      type: "incident",
      channel: "api",
      tags: ["aircon", "site-visit"],
      contact: { name: "New Person", email: "new.person@client.test" },
      assignee: null,
      team: { id: org.teamId, name: "Support" },
    });
    const byKey = await call(res.headers.get("location")!);
    expect(byKey.status).toBe(200);
    expect(byKey.json).toEqual(ticket);
    const byId = await call(`/api/v1/tickets/${ticket.id}`);
    expect(byId.json).toEqual(ticket);
    const messages = await call(`/api/v1/tickets/${ticket.key}/messages`);
    expect(messages.json.data.map((m: { body: string }) => m.body)).toEqual([
      "Water drips from the indoor unit.",
    ]);
  });

  test("an existing contact by id", async () => {
    const listed = await call("/api/v1/tickets?limit=1&sort=number");
    const contactId = listed.json.data[0].contact.id;
    const res = await call("/api/v1/tickets", {
      method: "POST",
      json: { subject: "Follow-up", body: "Same site again", contactId },
    });
    expect(res.status).toBe(201);
    expect(res.json.contact.id).toBe(contactId);
  });

  test("invalid input: 422 with fields, and nothing is created", async () => {
    const path = "/api/v1/tickets";
    const before = (await call(`${path}?limit=1`)).json.meta.total;
    const post = (json: unknown) => call(path, { method: "POST", json });
    const valid = { subject: "Fine", body: "Fine", requester: { email: "a@client.test" } };
    expectError(await post({ ...valid, subject: "" }), 422, path, ["subject"]);
    const huge = await post({ ...valid, subject: "x".repeat(1024 * 1024) });
    expectError(huge, 422, path, ["subject"]);
    expect(huge.text.length).toBeLessThan(2000);
    expectError(await post({ ...valid, priority: "critical" }), 422, path, ["priority"]);
    expectError(await post({ ...valid, subject: "", priority: "critical" }), 422, path, [
      "subject",
      "priority",
    ]);
    expectError(await post({ body: "no subject", requester: { email: "a@client.test" } }), 422, path, [
      "subject",
    ]);
    expectError(await post({ ...valid, requester: { email: "not an address" } }), 422, path, [
      "requester.email",
    ]);
    expectError(await post({ subject: "Who?", body: "Nobody named" }), 422, path, ["requester.email"]);
    expectError(await post({ ...valid, tags: ["ok", "bad tag!"] }), 422, path, ["tags"]);
    expectError(await post({ ...valid, assigneeId: "someone" }), 422, path, ["assigneeId"]);
    expectError(await post({ ...valid, assigneeId: other.users.agent.id }), 422, path, ["assigneeId"]);
    expectError(await post({ ...valid, contactId: crypto.randomUUID() }), 422, path, ["contactId"]);
    expect((await call(`${path}?limit=1`)).json.meta.total).toBe(before);
  });

  test("malformed JSON is 400", async () => {
    const res = await call("/api/v1/tickets", {
      method: "POST",
      body: '{"subject": "half',
      headers: { "content-type": "application/json" },
    });
    expectError(res, 400, "/api/v1/tickets");
  });

  test("unknown ticket: 404; a malformed id: 422 naming it", async () => {
    const unknown = `/api/v1/tickets/${crypto.randomUUID()}`;
    expectError(await call(unknown), 404, unknown);
    expectError(await call("/api/v1/tickets/TKT-999999"), 404, "/api/v1/tickets/TKT-999999");
    expectError(await call("/api/v1/tickets/not-an-id"), 422, "/api/v1/tickets/not-an-id", ["id"]);
    const patch = await call("/api/v1/tickets/not-an-id", { method: "PATCH", json: { priority: "low" } });
    expectError(patch, 422, "/api/v1/tickets/not-an-id", ["id"]);
  });

  test("an unexpected failure is a logged 500 that reveals nothing", async () => {
    const failing = spyOn(queries, "getTicketSummary").mockRejectedValue(
      new Error("connection reset: secret-host:5432"),
    );
    const logged = spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await call("/api/v1/tickets/TKT-000001");
      expectError(res, 500, "/api/v1/tickets/TKT-000001");
      expect(res.text).not.toContain("secret-host");
      expect(logged).toHaveBeenCalled();
      expect(String(logged.mock.calls[0])).toContain("secret-host");
    } finally {
      failing.mockRestore();
      logged.mockRestore();
    }
    expect((await call("/api/v1/tickets/TKT-000001")).status).toBe(200);
  });

  test("an unknown address under /api is a JSON 404", async () => {
    expectError(await call("/api/v1/nothing-here"), 404, "/api/v1/nothing-here");
    expectError(await call("/api/v2/tickets", { token: null }), 404, "/api/v2/tickets");
    expectError(
      await call("/api/v1/tickets/TKT-000001", { method: "DELETE" }),
      404,
      "/api/v1/tickets/TKT-000001",
    );
  });
});

describe("changing a ticket", () => {
  async function newTicket(subject: string) {
    const res = await call("/api/v1/tickets", {
      method: "POST",
      json: { subject, body: "Details", requester: { email: "change@client.test" } },
    });
    expect(res.status).toBe(201);
    return res.json as { id: string; key: string; status: string };
  }

  test("PATCH changes only what is sent; null unassigns", async () => {
    const ticket = await newTicket("Patch me");
    const path = `/api/v1/tickets/${ticket.key}`;
    const assigned = await call(path, {
      method: "PATCH",
      json: { assigneeId: org.users.agent.id, priority: "urgent", tags: ["vip"] },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.json).toMatchObject({
      status: "open",
      priority: "urgent",
      tags: ["vip"],
      assignee: { id: org.users.agent.id },
    });
    const unassigned = await call(path, { method: "PATCH", json: { assigneeId: null } });
    // Nothing absent from the body changes (no schema defaults creep in).
    expect(unassigned.json).toMatchObject({
      assignee: null,
      priority: "urgent",
      status: "open",
      type: "question",
    });
    expect(unassigned.json.tags).toEqual(["vip"]);
  });

  test("an illegal status step is 422 on status; a closed ticket is final (409)", async () => {
    const ticket = await newTicket("Status steps");
    const path = `/api/v1/tickets/${ticket.id}`;
    const patch = (json: unknown) => call(path, { method: "PATCH", json });
    expectError(await patch({ status: "closed" }), 422, path, ["status"]);
    expect((await call(path)).json.status).toBe("new");
    expectError(await patch({ status: "archived" }), 422, path, ["status"]);
    expect((await patch({ status: "solved" })).json.status).toBe("solved");
    expect((await patch({ status: "closed" })).json.status).toBe("closed");
    expectError(await patch({ status: "open" }), 409, path);
    expect((await call(path)).json.status).toBe("closed");
  });

  test("another organization's ticket is not found, and stays unchanged", async () => {
    const ticket = await newTicket("Mine, not theirs");
    for (const ref of [ticket.id, ticket.key]) {
      const path = `/api/v1/tickets/${ref}`;
      expectError(await call(path, { token: tokens.other }), 404, path);
      expectError(
        await call(path, {
          method: "PATCH",
          token: tokens.other,
          json: { priority: "low", status: "solved" },
        }),
        404,
        path,
      );
      expectError(await call(`${path}/messages`, { token: tokens.other }), 404, `${path}/messages`);
      expectError(
        await call(`${path}/messages`, {
          method: "POST",
          token: tokens.other,
          json: { kind: "reply", body: "hello from elsewhere" },
        }),
        404,
        `${path}/messages`,
      );
    }
    const after = await call(`/api/v1/tickets/${ticket.id}`);
    expect(after.json).toMatchObject({ status: "new", priority: "normal" });
    const thread = await call(`/api/v1/tickets/${ticket.id}/messages`);
    expect(thread.json.data.length).toBe(1);
    // And the other organization's own list does not include it.
    const theirs = await call("/api/v1/tickets?q=theirs", { token: tokens.other });
    expect(theirs.json.meta.total).toBe(0);
  });
});

describe("messages", () => {
  test("a reply and a note are added (201) and listed in order", async () => {
    const created = await call("/api/v1/tickets", {
      method: "POST",
      json: { subject: "Thread", body: "First", requester: { email: "thread@client.test" } },
    });
    const path = `/api/v1/tickets/${created.json.key}/messages`;
    const reply = await call(path, { method: "POST", json: { kind: "reply", body: "We are on it." } });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({
      kind: "reply",
      body: "We are on it.",
      channel: "api",
      attachments: [],
    });
    const note = await call(path, {
      method: "POST",
      json: { kind: "note", body: "Customer is a VIP", status: "pending" },
    });
    expect(note.status).toBe(201);
    expect(note.json.kind).toBe("note");
    expect((await call(`/api/v1/tickets/${created.json.key}`)).json.status).toBe("pending");
    const thread = await call(path);
    expect(thread.json.data.map((m: { kind: string; body: string }) => [m.kind, m.body])).toEqual([
      ["reply", "First"],
      ["reply", "We are on it."],
      ["note", "Customer is a VIP"],
    ]);
  });

  test("invalid messages: 422 with fields", async () => {
    const path = "/api/v1/tickets/TKT-000001/messages";
    expectError(await call(path, { method: "POST", json: { kind: "shout", body: "" } }), 422, path, [
      "kind",
      "body",
    ]);
    expectError(
      await call(path, { method: "POST", json: { kind: "reply", body: "x", status: "closed" } }),
      422,
      path,
      ["status"],
    );
  });
});

describe("documentation", () => {
  test("/api/openapi.json documents the v1 routes, their schemas and bearer auth", async () => {
    const res = await call("/api/openapi.json", { token: null });
    expect(res.status).toBe(200);
    const doc = res.json;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/v1/appointments/{id}",
      "/api/v1/tickets",
      "/api/v1/tickets/{id}",
      "/api/v1/tickets/{id}/links",
      "/api/v1/tickets/{id}/links/{linkId}",
      "/api/v1/tickets/{id}/merges",
      "/api/v1/tickets/{id}/messages",
      "/api/v1/tickets/{id}/time-entries",
      "/api/v1/work-orders",
      "/api/v1/work-orders/{id}",
      "/api/v1/work-orders/{id}/appointments",
    ]);
    expect(Object.keys(doc.paths["/api/v1/tickets"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/v1/tickets/{id}"]).sort()).toEqual(["get", "patch"]);
    const list = doc.paths["/api/v1/tickets"].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toContain("fields");
    expect(list.parameters.find((p: { name: string }) => p.name === "sort").schema.enum).toContain(
      "-created_at",
    );
    const create = doc.paths["/api/v1/tickets"].post;
    expect(Object.keys(create.requestBody.content)).toEqual(["application/json"]);
    expect(create.requestBody.content["application/json"].schema.required).toEqual(["subject", "body"]);
    expect(Object.keys(create.responses)).toContain("201");
    const ticket = doc.paths["/api/v1/tickets/{id}"].get.responses["200"].content["application/json"].schema;
    expect(ticket.properties.number).toMatchObject({ type: "integer" });
    expect(ticket.properties.createdAt).toMatchObject({ type: "string", format: "date-time" });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  test("/api/docs is a plain HTML page listing each endpoint, its inputs and how to authenticate", async () => {
    const res = await call("/api/docs", { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const document = parse(res.text);
    expect(document.querySelectorAll("script").length).toBe(0);
    const endpoints = [...document.querySelectorAll("[data-endpoint]")].map((e) =>
      e.getAttribute("data-endpoint"),
    );
    expect(endpoints).toEqual([
      "get /api/v1/tickets",
      "post /api/v1/tickets",
      "get /api/v1/tickets/{id}",
      "patch /api/v1/tickets/{id}",
      "get /api/v1/tickets/{id}/messages",
      "post /api/v1/tickets/{id}/messages",
      "post /api/v1/tickets/{id}/merges",
      "get /api/v1/tickets/{id}/links",
      "post /api/v1/tickets/{id}/links",
      "delete /api/v1/tickets/{id}/links/{linkId}",
      "get /api/v1/tickets/{id}/time-entries",
      "get /api/v1/work-orders",
      "post /api/v1/work-orders",
      "get /api/v1/work-orders/{id}",
      "patch /api/v1/work-orders/{id}",
      "post /api/v1/work-orders/{id}/appointments",
      "patch /api/v1/appointments/{id}",
    ]);
    const list = document.querySelector('[data-endpoint="get /api/v1/tickets"]')!;
    const params = [...list.querySelectorAll("[data-parameter]")].map((p) =>
      p.getAttribute("data-parameter"),
    );
    expect(params).toEqual(
      expect.arrayContaining(["status", "priority", "q", "sort", "page", "limit", "fields"]),
    );
    const create = document.querySelector('[data-endpoint="post /api/v1/tickets"]')!;
    expect(create.textContent).toContain("requester.email");
    expect([...create.querySelectorAll("[data-status]")].map((d) => d.getAttribute("data-status"))).toContain(
      "201",
    );
    const auth = document.querySelector("#authentication")!;
    expect(auth.querySelector('a[href="/admin/tokens"]')).not.toBeNull();
    expect(auth.textContent).toContain("Authorization: Bearer");
  });
});
