// Demo knowledge base: a few categories, sections and articles of each visibility, written through
// the same domain functions the desk uses (so they have versions and events like any other).
import { systemActor } from "../../src/domain/context";
import {
  createArticle,
  createCategory,
  createSection,
  setArticleStatus,
  updateArticle,
} from "../../src/domain/kb/articles";
import type { Db } from "../client";

const ARTICLES: {
  category: string;
  section: string;
  title: string;
  visibility: "public" | "customers" | "internal";
  body: string;
}[] = [
  {
    category: "Getting started",
    section: "Your account",
    title: "Reset your portal password",
    visibility: "public",
    body: "<p>On the sign-in page choose <strong>Forgot password</strong>, enter the address you write to us from, and follow the link we email you. The link works for one hour.</p>",
  },
  {
    category: "Getting started",
    section: "Your account",
    title: "Submit and follow a support ticket",
    visibility: "public",
    body: "<p>Sign in to the portal and choose <strong>New ticket</strong>. Describe the problem and attach photos if they help. You get an email for every answer, and you can reply by email or in the portal.</p>",
  },
  {
    category: "Air conditioning",
    section: "Troubleshooting",
    title: "Air conditioner is not cooling",
    visibility: "public",
    body: "<h2>Check first</h2><ul><li>The remote is set to <em>Cool</em>, not <em>Fan</em> or <em>Dry</em>.</li><li>The filter is clean: wash it under running water every two weeks.</li><li>The outdoor unit is not blocked.</li></ul><p>Still warm after 30 minutes? Open a ticket and we will schedule a technician.</p>",
  },
  {
    category: "Air conditioning",
    section: "Troubleshooting",
    title: "Water dripping from the indoor unit",
    visibility: "public",
    body: "<p>Dripping usually means a blocked drain pipe or a dirty filter. Switch the unit off, clean the filter, and check that the drain hose outside is not kinked. If it keeps dripping, a technician clears the drain line.</p>",
  },
  {
    category: "Air conditioning",
    section: "Servicing and warranty",
    title: "What the yearly service contract covers",
    visibility: "customers",
    body: "<p>Contract customers get two chemical washes a year, priority visits within one business day, and parts at 15% off. Labour for repairs is included; gas top-ups are charged.</p>",
  },
  {
    category: "Billing",
    section: "Invoices and payments",
    title: "Pay an invoice online",
    visibility: "public",
    body: "<p>Every invoice email has a payment link. We accept FPX online banking, DuitNow QR and cards. Receipts are emailed within a minute.</p>",
  },
  {
    category: "Internal",
    section: "Procedures",
    title: "Escalating a refrigerant leak",
    visibility: "internal",
    body: "<p>A suspected refrigerant leak is always <strong>urgent</strong>: assign the ticket to the zone supervisor, create a work order with the leak-test skill, and tell the customer to keep the unit off.</p>",
  },
];

export async function seedKnowledgeBase(db: Db, orgId: string, now: Date): Promise<number> {
  const ctx = { db, actor: systemActor(orgId), now };
  const categories = new Map<string, string>();
  const sections = new Map<string, string>();
  for (const a of ARTICLES) {
    if (!categories.has(a.category))
      categories.set(a.category, (await createCategory(ctx, { name: a.category })).id);
    const key = `${a.category}/${a.section}`;
    if (!sections.has(key))
      sections.set(
        key,
        (await createSection(ctx, { categoryId: categories.get(a.category)!, name: a.section })).id,
      );
  }
  for (const a of ARTICLES) {
    const input = {
      title: a.title,
      body: a.body,
      visibility: a.visibility,
      sectionId: sections.get(`${a.category}/${a.section}`)!,
    };
    const article = await createArticle(ctx, input);
    // A second version, so the versions page and its diff have something to show.
    await updateArticle(ctx, article.id, {
      ...input,
      body: `${a.body}<p>Reviewed by the support team.</p>`,
      note: "Reviewed",
    });
    await setArticleStatus(ctx, article.id, "published");
  }
  return ARTICLES.length;
}
