// The work-order API: a dispatcher token creates, lists, schedules and moves work orders along;
// bad input gets the error shape with its fields; roles and organizations are kept apart.
import { beforeAll, describe, expect, test } from "bun:test";
import { type ApiCallOptions, apiCall, expectApiError } from "../../test/api";
import { createOrg, type Fixture } from "../../test/helpers";
import { createApiToken } from "../domain/auth/tokens";

let org: Fixture;
let other: Fixture;
const tokens: Record<string, string> = {};
const call = (path: string, options: ApiCallOptions = {}) =>
  apiCall(path, { ...options, token: options.token === undefined ? tokens.dispatcher : options.token });

beforeAll(async () => {
  org = await createOrg("ApiFsm");
  other = await createOrg("ApiFsmOther");
  for (const role of ["dispatcher", "agent", "technician"])
    tokens[role] = (await createApiToken(org.ctx("admin"), { name: `${role} token`, role })).secret;
  tokens.other = (await createApiToken(other.ctx("admin"), { name: "other", role: "dispatcher" })).secret;
});

describe("work orders through the API", () => {
  test("create, read by key, list with filters and pages", async () => {
    const contactId = org.users.customer.contactId;
    const made = await call("/api/v1/work-orders", {
      method: "POST",
      json: { subject: "Chiller not cooling", priority: "urgent", contactId },
    });
    expect(made.status).toBe(201);
    expect(made.json.key).toMatch(/^WO-\d{6}$/);
    expect(made.json.status).toBe("new");
    expect(made.json.contactId).toBe(contactId);
    expect(made.headers.get("location")).toBe(`/api/v1/work-orders/${made.json.key}`);
    for (let i = 0; i < 3; i++)
      await call("/api/v1/work-orders", { method: "POST", json: { subject: `Filter change ${i}` } });

    const byKey = await call(`/api/v1/work-orders/${made.json.key}`);
    expect(byKey.status).toBe(200);
    expect(byKey.json.id).toBe(made.json.id);
    expect(byKey.json.appointments).toEqual([]);
    expect((await call(`/api/v1/work-orders/${made.json.id}`)).json.key).toBe(made.json.key);

    const urgent = await call("/api/v1/work-orders?priority=urgent");
    expect(urgent.json.data.map((w: { key: string }) => w.key)).toEqual([made.json.key]);
    const paged = await call("/api/v1/work-orders?q=filter&limit=2&page=2");
    expect(paged.json.meta).toEqual({ page: 2, limit: 2, total: 3, totalPages: 2 });
    expect(paged.json.data).toHaveLength(1);
    expect(paged.json.links.next).toBeNull();
    expect(paged.json.links.prev).toContain("page=1");
  });

  test("schedule a visit, move it along, and the work order follows", async () => {
    const wo = (await call("/api/v1/work-orders", { method: "POST", json: { subject: "Pump service" } }))
      .json;
    const startsAt = new Date(Date.now() + 86_400_000).toISOString();
    const endsAt = new Date(Date.now() + 86_400_000 + 7_200_000).toISOString();
    const visit = await call(`/api/v1/work-orders/${wo.key}/appointments`, {
      method: "POST",
      json: { override: true, startsAt, endsAt, technicianIds: [org.users.technician.id] },
    });
    expect(visit.status).toBe(201);
    expect(visit.json.status).toBe("scheduled");
    // The same time again: the technician is booked, so it takes an explicit override.
    const again = { startsAt, endsAt, technicianIds: [org.users.technician.id] };
    const clash = await call(`/api/v1/work-orders/${wo.key}/appointments`, { method: "POST", json: again });
    expectApiError(clash, 422, `/api/v1/work-orders/${wo.key}/appointments`, ["startsAt"]);
    expect(clash.json.fields.startsAt).toMatch(/Overlaps WO-/);
    expect(visit.json.technicians).toEqual([
      { id: org.users.technician.id, name: org.users.technician.name },
    ]);
    expect((await call(`/api/v1/work-orders/${wo.key}`)).json.status).toBe("scheduled");

    const dispatched = await call(`/api/v1/appointments/${visit.json.id}`, {
      method: "PATCH",
      json: { status: "dispatched" },
    });
    expect(dispatched.status).toBe(200);
    expect(dispatched.json.status).toBe("dispatched");
    expect((await call(`/api/v1/work-orders/${wo.key}`)).json.status).toBe("dispatched");
    const skipped = await call(`/api/v1/appointments/${visit.json.id}`, {
      method: "PATCH",
      json: { status: "completed" },
    });
    expectApiError(skipped, 409, `/api/v1/appointments/${visit.json.id}`);
    const noReason = await call(`/api/v1/appointments/${visit.json.id}`, {
      method: "PATCH",
      json: { status: "cannot_complete" },
    });
    expectApiError(noReason, 422, `/api/v1/appointments/${visit.json.id}`, ["reason"]);

    const cancelled = await call(`/api/v1/work-orders/${wo.key}`, {
      method: "PATCH",
      json: { status: "cancelled" },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.status).toBe("cancelled");
    const reopened = await call(`/api/v1/work-orders/${wo.key}`, {
      method: "PATCH",
      json: { status: "new" },
    });
    expectApiError(reopened, 409, `/api/v1/work-orders/${wo.key}`, ["status"]);
  });

  test("bad input names its fields and stores nothing", async () => {
    const before = (await call("/api/v1/work-orders")).json.meta.total;
    const empty = await call("/api/v1/work-orders", {
      method: "POST",
      json: { subject: "", priority: "soon" },
    });
    expectApiError(empty, 422, "/api/v1/work-orders", ["priority", "subject"]);
    const stranger = await call("/api/v1/work-orders", {
      method: "POST",
      json: { subject: "Someone else's", contactId: other.users.customer.contactId },
    });
    expectApiError(stranger, 422, "/api/v1/work-orders", ["contactId"]);
    const wo = (await call("/api/v1/work-orders", { method: "POST", json: { subject: "Timing" } })).json;
    const backwards = await call(`/api/v1/work-orders/${wo.key}/appointments`, {
      method: "POST",
      json: {
        startsAt: "2027-01-04T10:00:00Z",
        endsAt: "2027-01-04T09:00:00Z",
        technicianIds: [],
      },
    });
    expectApiError(backwards, 422, `/api/v1/work-orders/${wo.key}/appointments`, ["endsAt", "technicianIds"]);
    expect((await call("/api/v1/work-orders")).json.meta.total).toBe(before + 1);
    expectApiError(await call("/api/v1/work-orders/WO-999999"), 404, "/api/v1/work-orders/WO-999999");
    expectApiError(await call("/api/v1/work-orders?page=0"), 422, "/api/v1/work-orders", ["page"]);
    for (const page of ["99999999999999999999", "100001"])
      expectApiError(await call(`/api/v1/work-orders?page=${page}`), 422, "/api/v1/work-orders", ["page"]);
    const deepest = await call("/api/v1/work-orders?page=100000&limit=100");
    expect([deepest.status, deepest.json.data]).toEqual([200, []]);
    expectApiError(await call("/api/v1/work-orders?limit=500"), 422, "/api/v1/work-orders", ["limit"]);
    expectApiError(await call("/api/v1/work-orders/nonsense"), 422, "/api/v1/work-orders/nonsense", ["id"]);
  });

  test("roles and organizations: agents read, technicians do not, others see nothing", async () => {
    const wo = (await call("/api/v1/work-orders", { method: "POST", json: { subject: "Visible to agents" } }))
      .json;
    expect((await call(`/api/v1/work-orders/${wo.key}`, { token: tokens.agent })).status).toBe(200);
    expectApiError(
      await call("/api/v1/work-orders", { method: "POST", token: tokens.agent, json: { subject: "No" } }),
      403,
      "/api/v1/work-orders",
    );
    expectApiError(
      await call("/api/v1/work-orders", { token: tokens.technician }),
      403,
      "/api/v1/work-orders",
    );
    expectApiError(
      await call(`/api/v1/work-orders/${wo.id}`, { token: tokens.other }),
      404,
      `/api/v1/work-orders/${wo.id}`,
    );
    const theirs = await call("/api/v1/work-orders", { token: tokens.other });
    expect(theirs.json.data.find((w: { id: string }) => w.id === wo.id)).toBeUndefined();
    expectApiError(await call("/api/v1/work-orders", { token: null }), 401, "/api/v1/work-orders");
  });
});
