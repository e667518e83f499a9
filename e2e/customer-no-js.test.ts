// Journey: a customer with JavaScript switched off submits a ticket with an attachment, an agent
// answers it in the desk (with a public reply and an internal note), and the customer reads the
// reply — never the note. The portal pages carry no scripts and stay within the weight budget.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Response } from "playwright-core";
import { signIn } from "./browser";
import { type Journey, startJourney } from "./harness";

const BUDGET_BYTES = 20 * 1024;

let journey: Journey | undefined;

beforeAll(async () => {
  journey = await startJourney({ label: "NoJs" });
}, 60_000);

afterAll(async () => {
  await journey?.close();
});

describe("a customer without JavaScript and an agent", () => {
  test("submit, answer, read the answer", async () => {
    const { base, world } = journey!;
    const subject = `Aircond leaking ${world.tag}`;
    const attachment = `Model FTKF35, installed 2021 (${world.tag})\n`;

    // The customer submits a ticket with an attachment through plain forms.
    const customerContext = await journey!.person({ javaScriptEnabled: false });
    const customer = await customerContext.newPage();
    await signIn(customer, base, world.customer.email);
    expect(new URL(customer.url()).pathname).toBe("/portal/tickets");
    expect(await customer.locator("script").count()).toBe(0);

    await customer.goto(`${base}/portal/tickets/new`);
    expect(await customer.locator("script").count()).toBe(0);
    await customer.getByLabel("Subject").fill(subject);
    await customer.getByLabel("How can we help?").fill("Water drips from the indoor unit onto the desk.");
    await customer.getByLabel("Attachments (optional)").setInputFiles({
      name: "unit.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(attachment),
    });
    await Promise.all([
      customer.waitForURL(/\/portal\/tickets\/TKT-\d+\?notice=created$/),
      customer.getByRole("button", { name: "Submit" }).click(),
    ]);
    const number = new URL(customer.url()).pathname.split("/").pop()!;
    const ticketUrl = `${base}/portal/tickets/${number}`;
    expect(await customer.getByRole("status").textContent()).toContain("your ticket was submitted");
    expect(await customer.locator("h1").textContent()).toContain(subject);
    const file = customer.locator(".thread .files a", { hasText: "unit.txt" });
    expect(await file.count()).toBe(1);
    // The attachment comes back as it was sent (as a download: text is never served inline).
    const download = await customerContext.request.get(
      new URL((await file.getAttribute("href"))!, base).href,
    );
    expect(download.status()).toBe(200);
    expect(await download.text()).toBe(attachment);

    await customer.goto(`${base}/portal/tickets`);
    const row = customer.locator("table.tickets tbody tr", { hasText: subject });
    expect(await row.count()).toBe(1);
    expect(await row.locator("td.num").textContent()).toBe(number);
    expect(await customer.locator("script").count()).toBe(0);

    // The agent (JavaScript on) finds it in the desk and answers, then adds an internal note.
    const agentContext = await journey!.person();
    const agent = await agentContext.newPage();
    await signIn(agent, base, world.agent.email);
    expect(new URL(agent.url()).pathname).toBe("/desk/tickets");
    const deskRow = agent.locator(`tr[data-ticket="${number}"]`);
    expect(await deskRow.textContent()).toContain(subject);
    await Promise.all([
      agent.waitForURL(`${base}/desk/tickets/${number}`),
      deskRow.getByRole("link", { name: subject }).click(),
    ]);
    expect(await agent.locator(".thread").textContent()).toContain("Water drips from the indoor unit");

    const reply = `A technician will come tomorrow at 10:00 (${world.tag}).`;
    const note = `Internal: probably a blocked drain pipe (${world.tag}).`;
    await agent.getByLabel("Public reply").check();
    await agent.getByLabel("Message").fill(reply);
    await Promise.all([
      agent.waitForURL(/\?notice=sent$/),
      agent.getByRole("button", { name: "Send" }).click(),
    ]);
    expect(await agent.locator(".alert.ok").textContent()).toBe("Your reply was sent.");
    await agent.getByLabel("Internal note").check();
    await agent.getByLabel("Message").fill(note);
    await Promise.all([
      agent.waitForURL(/\?notice=noted$/),
      agent.getByRole("button", { name: "Send" }).click(),
    ]);
    expect(await agent.locator(".thread .message.note").textContent()).toContain(note);

    // The customer reloads and reads the reply; the note stays inside.
    await customer.goto(ticketUrl);
    const thread = (await customer.locator(".thread").textContent()) ?? "";
    expect(thread).toContain(reply);
    expect(thread).not.toContain(note);
    expect(await customer.locator(".thread .message.note").count()).toBe(0);
    expect(await customer.locator(".thread .message.staff").count()).toBe(1);

    // Page weight with the browser cache off: no scripts, HTML + CSS at most 20 KB on the wire.
    const fresh = await customerContext.newPage();
    const cdp = await customerContext.newCDPSession(fresh);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    const responses: Response[] = [];
    fresh.on("response", (r) => responses.push(r));
    const document = await fresh.goto(ticketUrl, { waitUntil: "load" });
    expect(document?.status()).toBe(200);
    expect(await fresh.locator("script").count()).toBe(0);
    expect(await document!.text()).not.toContain("<script");
    const loaded = responses.filter((r) => !r.url().endsWith("/favicon.ico"));
    expect(loaded.map((r) => r.request().resourceType()).sort()).toEqual(["document", "stylesheet"]);
    let bytes = 0;
    for (const r of loaded) {
      const sizes = await r.request().sizes();
      expect(sizes.responseBodySize).toBeGreaterThan(0); // really sent, not taken from a cache
      bytes += sizes.responseHeadersSize + sizes.responseBodySize;
    }
    expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES);
  }, 60_000);
});
