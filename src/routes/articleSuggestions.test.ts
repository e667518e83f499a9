// Suggested articles on the agent's ticket page: customer-readable articles matching the ticket,
// as an htmx fragment or a page of its own without JavaScript; staff of the organization only.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOrg, type Fixture, parse, signedIn } from "../../test/helpers";
import { createArticle, createCategory, createSection, setArticleStatus } from "../domain/kb/articles";
import { formatTicketNumber } from "../domain/orgs/counters";
import { createTicket } from "../domain/tickets/commands";

let org: Fixture;
let away: Fixture;
let number: string;

beforeAll(async () => {
  [org, away] = await Promise.all([createOrg("Suggest"), createOrg("SuggestAway")]);
  const category = await createCategory(org.ctx("admin"), { name: "Aircon", description: "" });
  const sectionId = (await createSection(org.ctx("admin"), { categoryId: category.id, name: "Care" })).id;
  for (const [title, visibility] of [
    ["Compressor noise explained", "public"],
    ["Compressor noise: warranty claims", "customers"],
    ["Compressor noise: supplier escalation", "internal"],
  ] as const) {
    const article = await createArticle(org.ctx("agent"), {
      title,
      body: `<p>${title}: what a rattling compressor means.</p>`,
      visibility,
      sectionId,
    });
    await setArticleStatus(org.ctx("admin"), article.id, "published");
  }
  const ticket = await createTicket(org.ctx("customer"), {
    subject: "Compressor noise",
    body: "It rattles at night",
  });
  number = formatTicketNumber(ticket.number);
});

describe("suggested articles on the ticket page", () => {
  test("articles the customer can open are offered, with their address to insert", async () => {
    const agent = await signedIn(org, "agent");
    const page = await agent.page(`/desk/tickets/${number}`);
    expect(page.document.querySelector(".suggested-articles")?.getAttribute("hx-get")).toBe(
      `/desk/tickets/${number}/articles`,
    );
    const fragment = await agent.get(`/desk/tickets/${number}/articles`, { "hx-request": "true" });
    const list = parse(`<div>${await fragment.text()}</div>`);
    const titles = [...list.querySelectorAll(".hits li > a")].map((a) => a.textContent).sort();
    expect(titles).toEqual(["Compressor noise explained", "Compressor noise: warranty claims"]);
    expect(list.querySelector(".insert-link input")?.getAttribute("value")).toMatch(/\/help\/articles\//);
    expect(list.querySelector("[data-insert-link]")?.getAttribute("data-insert-link")).toContain(
      "Compressor noise",
    );
    expect(list.querySelector("html")).toBeNull();
    const full = await agent.page(`/desk/tickets/${number}/articles`);
    expect(full.document.querySelector("title")?.textContent).toContain(number);
    expect(full.document.querySelectorAll(".hits li")).toHaveLength(2);
  });

  test("customers and other organizations get none", async () => {
    const customer = await signedIn(org, "customer");
    expect((await customer.get(`/desk/tickets/${number}/articles`)).status).toBe(403);
    const stranger = await signedIn(away, "agent");
    expect((await stranger.get(`/desk/tickets/${number}/articles`)).status).toBe(404);
  });
});
