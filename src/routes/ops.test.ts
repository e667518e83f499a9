import { describe, expect, test } from "bun:test";
import { Client, createOrg, signedIn, testApp } from "../../test/helpers";

describe("operator routes and static files", () => {
  test("/health and /ready answer, /metrics is Prometheus text", async () => {
    const app = await testApp();
    expect(await (await app.handle(new Request("http://localhost/health"))).json()).toEqual({ status: "ok" });
    const ready = await app.handle(new Request("http://localhost/ready"));
    expect(ready.status).toBe(200);
    expect((await ready.json()).status).toBe("ready");
    const metrics = await (await app.handle(new Request("http://localhost/metrics"))).text();
    expect(metrics).toMatch(/^http_requests_total \d+$/m);
  });

  test("static files are served gzipped when accepted, and nothing outside public/", async () => {
    const app = await testApp();
    const css = await app.handle(
      new Request("http://localhost/public/app.css", { headers: { "accept-encoding": "gzip" } }),
    );
    expect(css.status).toBe(200);
    expect(css.headers.get("content-encoding")).toBe("gzip");
    expect(Bun.gunzipSync(new Uint8Array(await css.arrayBuffer())).length).toBeGreaterThan(1000);
    const outside = await app.handle(new Request("http://localhost/public/..%2F..%2Fpackage.json"));
    expect(outside.status).toBe(404);
  });

  test("pages are gzipped for browsers that accept it", async () => {
    const agent = await signedIn(await createOrg("Gzip"), "agent");
    const plain = await agent.get("/desk/tickets");
    const zipped = await agent.get("/desk/tickets", { "accept-encoding": "gzip, br" });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    const html = new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(await zipped.arrayBuffer())));
    expect(html).toContain("<title>");
    expect(html.length).toBe((await plain.text()).length);
  });

  test("unknown pages are a friendly 404", async () => {
    const response = await new Client().get("/no/such/page");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("There is no page at this address.");
  });
});
