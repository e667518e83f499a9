// The JSON API with categories and custom fields: created, changed, returned, filtered, checked
// like the forms check them, and never across organizations.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture, testApp } from "../../test/helpers";
import { createApiToken } from "../domain/auth/tokens";
import { airconCatalog } from "../domain/fields/fixtures";

let org: Fixture;
let other: Fixture;
let catalog: Awaited<ReturnType<typeof airconCatalog>>;
let token: string;
let otherToken: string;
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
type Json = any;

async function call(
  path: string,
  method = "GET",
  json?: unknown,
  bearer = token,
): Promise<{ status: number; json: Json }> {
  const app = await testApp();
  const headers = new Headers({ authorization: `Bearer ${bearer}` });
  if (json !== undefined) headers.set("content-type", "application/json");
  const response = await app.handle(
    new Request(`http://localhost${path}`, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
    }),
  );
  return { status: response.status, json: await response.json() };
}

beforeAll(async () => {
  org = await createOrg("Api fields");
  other = await createOrg("Api fields other");
  catalog = await airconCatalog(org.ctx("admin"));
  token = (await createApiToken(org.ctx("admin"), { name: "crm", role: "agent" })).secret;
  otherToken = (await createApiToken(other.ctx("admin"), { name: "crm", role: "agent" })).secret;
});

describe("custom fields in the API", () => {
  test("a ticket is created with a subcategory and typed values, and comes back with them", async () => {
    const k = catalog.keys;
    const created = await call("/api/v1/tickets", "POST", {
      subject: "Outdoor unit leaking",
      body: "Oil stain under the compressor",
      requester: { email: "tan@client.test" },
      categoryId: catalog.leaking,
      customFields: {
        [k.model]: "Daikin RKF25",
        [k.location]: "Outdoor unit",
        [k.btu]: 9000,
        [k.warranty]: true,
        [k.warrantyNo]: "W-9",
        [k.refrigerant]: ["R32"],
      },
    });
    expect(created.status).toBe(201);
    expect(created.json.category).toEqual({ id: catalog.aircon, name: "Air conditioning" });
    expect(created.json.subcategory).toEqual({ id: catalog.leaking, name: "Leaking" });
    expect(created.json.customFields).toEqual({
      [k.model]: "Daikin RKF25",
      [k.location]: "Outdoor unit",
      [k.btu]: 9000,
      [k.warranty]: true,
      [k.warrantyNo]: "W-9",
      [k.refrigerant]: ["R32"],
    });
    const key = created.json.key;

    // Unticking the warranty hides the warranty number: its value goes.
    const changed = await call(`/api/v1/tickets/${key}`, "PATCH", {
      customFields: { [k.warranty]: false, [k.btu]: 12000 },
    });
    expect(changed.status).toBe(200);
    expect(changed.json.customFields[k.warrantyNo]).toBeUndefined();
    expect(changed.json.customFields[k.btu]).toBe(12000);
    expect(changed.json.customFields[k.model]).toBe("Daikin RKF25");

    const listed = await call(
      `/api/v1/tickets?category=${catalog.aircon}&field=${k.location}&fieldValue=Outdoor%20unit`,
    );
    expect(listed.status).toBe(200);
    expect(listed.json.data.map((t: { key: string }) => t.key)).toEqual([key]);
    const none = await call(`/api/v1/tickets?category=${catalog.billing}`);
    expect(none.json.data).toEqual([]);

    // Another organization neither sees the ticket nor can use this organization's categories.
    expect((await call(`/api/v1/tickets/${created.json.id}`, "GET", undefined, otherToken)).status).toBe(404);
    const foreign = await call(
      "/api/v1/tickets",
      "POST",
      {
        subject: "x",
        body: "y",
        requester: { email: "a@b.test" },
        categoryId: catalog.billing,
      },
      otherToken,
    );
    expect(foreign.status).toBe(422);
    expect(Object.keys(foreign.json.fields)).toEqual(["categoryId"]);
  });

  test("values are checked like the forms check them, named customFields.<key>", async () => {
    const k = catalog.keys;
    const bad = await call("/api/v1/tickets", "POST", {
      subject: "Leak",
      body: "x",
      requester: { email: "tan@client.test" },
      categoryId: catalog.leaking,
      customFields: {
        [k.location]: "Roof",
        [k.btu]: 1,
        [k.installed]: "31/12/2024",
        [k.refrigerant]: ["Freon"],
        unknown_key: "x",
      },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.fields).sort()).toEqual(
      [
        `customFields.${k.model}`,
        `customFields.${k.location}`,
        `customFields.${k.btu}`,
        `customFields.${k.installed}`,
        `customFields.${k.refrigerant}`,
        "customFields.unknown_key",
      ].sort(),
    );
    expect(bad.json.fields[`customFields.${k.model}`]).toContain("Fill in");

    const created = await call("/api/v1/tickets", "POST", {
      subject: "Billing",
      body: "x",
      requester: { email: "tan@client.test" },
    });
    // Moving to a category with required fields asks for them.
    const moved = await call(`/api/v1/tickets/${created.json.key}`, "PATCH", { categoryId: catalog.leaking });
    expect(moved.status).toBe(422);
    expect(Object.keys(moved.json.fields).sort()).toEqual(
      [`customFields.${k.location}`, `customFields.${k.model}`].sort(),
    );
    const wrongType = await call(`/api/v1/tickets/${created.json.key}`, "PATCH", {
      customFields: { "Bad Key": 1 },
    });
    expect(wrongType.status).toBe(422);
  });

  test("the OpenAPI document describes category and customFields", async () => {
    const app = await testApp();
    const spec = await (await app.handle(new Request("http://localhost/api/openapi.json"))).json();
    const body = spec.paths["/api/v1/tickets"].post.requestBody.content["application/json"].schema;
    const properties = body.properties ?? spec.components?.schemas?.[body.$ref?.split("/").pop()]?.properties;
    expect(Object.keys(properties)).toContain("customFields");
    expect(Object.keys(properties)).toContain("categoryId");
  });
});
