// The public help center (/help): no sign-in and no JavaScript needed. The organization is the one
// this host serves; signed-in people of that organization also read customer-only articles.
import { Elysia } from "elysia";
import type { Db } from "../../db/client";
import { notFound } from "../domain/errors";
import {
  helpArticle,
  helpCategory,
  helpHome,
  type Reader,
  readerFor,
  recordFeedback,
  sitemapEntries,
} from "../domain/kb/help";
import { organizationForHost } from "../domain/orgs/resolve";
import { searchHelp } from "../domain/search/search";
import {
  HelpArticlePage,
  HelpCategoryPage,
  HelpHomePage,
  HelpSearchPage,
  type HelpShell,
  sitemapXml,
} from "../views/kb/help";
import type { Deps } from "./deps";
import { field, isHttps, seeOther, webContext } from "./web";

async function helpContext(db: Db, request: Request, user: Parameters<typeof readerFor>[1], csrf: string) {
  const host = request.headers.get("host");
  const org = await organizationForHost(db, host);
  if (!org) throw notFound("The help center");
  const origin = `${isHttps(request) ? "https" : "http"}://${host ?? "localhost"}`;
  const reader: Reader = readerFor(org.id, user);
  const shell: HelpShell = { orgName: org.name, origin, csrf, signedIn: reader.audience === "customers" };
  return { org, reader, shell };
}

export function helpRoutes(deps: Deps) {
  const db = deps.database.db;
  const sitemap = async ({
    request,
    user,
    csrf,
    set,
  }: {
    request: Request;
    user: Parameters<typeof readerFor>[1];
    csrf: string;
    set: { headers: Record<string, string | number> };
  }) => {
    const { org, shell } = await helpContext(db, request, user, csrf);
    set.headers["content-type"] = "application/xml; charset=utf-8";
    return sitemapXml(shell.origin, await sitemapEntries(db, org.id));
  };
  return (
    new Elysia()
      .use(webContext(deps))
      .get("/help", async ({ request, user, csrf }) => {
        const { reader, shell } = await helpContext(db, request, user, csrf);
        return <HelpHomePage shell={shell} categories={await helpHome(db, reader)} />;
      })
      .get("/help/categories/:slug", async ({ request, user, csrf, params }) => {
        const { reader, shell } = await helpContext(db, request, user, csrf);
        return <HelpCategoryPage shell={shell} category={await helpCategory(db, reader, params.slug)} />;
      })
      .get("/help/articles/:slug", async ({ request, user, csrf, params, query }) => {
        const { reader, shell } = await helpContext(db, request, user, csrf);
        const article = await helpArticle(db, reader, params.slug, { countView: !query.notice });
        return (
          <HelpArticlePage
            shell={shell}
            article={article}
            notice={query.notice === "thanks" ? "Thank you for your feedback." : undefined}
          />
        );
      })
      .post("/help/articles/:slug/feedback", async ({ request, user, csrf, params, body, set, now }) => {
        const { reader } = await helpContext(db, request, user, csrf);
        const article = await helpArticle(db, reader, params.slug);
        await recordFeedback(db, reader, now, {
          articleId: article.id,
          helpful: field(body, "helpful") === "yes",
          comment: field(body, "comment").slice(0, 2000),
        });
        return seeOther(set, request, `/help/articles/${encodeURIComponent(article.slug)}?notice=thanks`);
      })
      .get("/help/search", async ({ request, user, csrf, query }) => {
        const { reader, shell } = await helpContext(db, request, user, csrf);
        const q = typeof query.q === "string" ? query.q.trim().slice(0, 200) : "";
        return <HelpSearchPage shell={shell} q={q} hits={await searchHelp(db, reader, q)} />;
      })
      // Both addresses serve it: /sitemap.xml is where search engines look first.
      .get("/help/sitemap.xml", sitemap)
      .get("/sitemap.xml", sitemap)
  );
}
