// The public help center (/help): no sign-in and no JavaScript needed. The organization is the one
// this host serves; signed-in people of that organization also read customer-only articles.
import { Elysia } from "elysia";
import type { Db } from "../../db/client";
import { notFound } from "../domain/errors";
import { articleAttachments, readerArticleFile } from "../domain/kb/files";
import {
  countArticleView,
  helpArticle,
  helpCategory,
  helpHome,
  helpLocales,
  type Reader,
  readerFor,
  recordFeedback,
  sitemapEntries,
} from "../domain/kb/help";
import { isLocale, negotiateLocale } from "../domain/kb/locales";
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
import { attachmentResponse } from "./desk";
import { cookieOptions, field, isHttps, seeOther, webContext } from "./web";

/** The visitor's chosen language, kept by the language chooser. */
const LANGUAGE_COOKIE = "help_lang";

/**
 * The organization this host serves, who reads, and in which language: the visitor's choice (the
 * chooser's cookie), else their browser's best match among the languages articles are written in,
 * else the organization's own. `explicit` says the visitor said something (a cookie or a header):
 * only then is an article's address in another language redirected to theirs.
 */
export async function helpContext(
  db: Db,
  request: Request,
  user: Parameters<typeof readerFor>[1],
  csrf: string,
  chosen?: unknown,
) {
  const host = request.headers.get("host");
  const org = await organizationForHost(db, host);
  if (!org) throw notFound("The help center");
  const origin = `${isHttps(request) ? "https" : "http"}://${host ?? "localhost"}`;
  const anyLanguage: Reader = readerFor(org.id, user);
  const locales = await helpLocales(db, anyLanguage, org.locale);
  const accept = request.headers.get("accept-language");
  const picked = isLocale(chosen) && locales.includes(chosen) ? chosen : undefined;
  const locale = picked ?? negotiateLocale(accept, locales) ?? org.locale;
  const reader: Reader = { ...anyLanguage, locale };
  const shell: HelpShell = {
    orgName: org.name,
    origin,
    csrf,
    signedIn: reader.audience === "customers",
    locale,
    locales,
  };
  return { org, reader, shell, explicit: Boolean(picked || accept) };
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
      .get("/help", async ({ request, user, csrf, cookie, set }) => {
        const { reader, shell } = await helpContext(db, request, user, csrf, cookie[LANGUAGE_COOKIE].value);
        set.headers.vary = "Accept-Language, Cookie";
        return <HelpHomePage shell={shell} categories={await helpHome(db, reader)} />;
      })
      // The language chooser: remembered for a year, then back to the page the visitor was on.
      .get("/help/language", ({ request, query, cookie, set }) => {
        const lang = String(query.lang ?? "");
        if (!isLocale(lang)) throw notFound("That language");
        cookie[LANGUAGE_COOKIE].set({
          value: lang,
          ...cookieOptions(request),
          path: "/",
          maxAge: 365 * 86400,
        });
        const next = String(query.next ?? "/help");
        return seeOther(set, request, /^\/help(\/[\w./-]*)?$/.test(next) ? next : "/help");
      })
      .get("/help/categories/:slug", async ({ request, user, csrf, params, cookie, set }) => {
        const { reader, shell } = await helpContext(db, request, user, csrf, cookie[LANGUAGE_COOKIE].value);
        set.headers.vary = "Accept-Language, Cookie";
        return <HelpCategoryPage shell={shell} category={await helpCategory(db, reader, params.slug)} />;
      })
      .get("/help/articles/:slug", async ({ request, user, csrf, params, query, cookie, set }) => {
        const { reader, shell, explicit } = await helpContext(
          db,
          request,
          user,
          csrf,
          cookie[LANGUAGE_COOKIE].value,
        );
        set.headers.vary = "Accept-Language, Cookie";
        const article = await helpArticle(db, reader, params.slug, { countView: false });
        // A visitor who said which language they read goes to the article in it, when it exists.
        const theirs = article.translations.find((t) => t.locale === reader.locale);
        if (explicit && theirs && theirs.locale !== article.locale && !query.notice) {
          set.status = 302;
          set.headers.location = `/help/articles/${encodeURIComponent(theirs.slug)}`;
          return "";
        }
        if (!query.notice) await countArticleView(db, reader, article.id);
        const attachments = await articleAttachments(db, reader, article.id);
        return (
          <HelpArticlePage
            shell={shell}
            article={article}
            attachments={attachments}
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
      // An article's image or attachment, for whoever may read the article.
      .get("/help/files/:fileId", async ({ request, user, csrf, params }) => {
        const { reader } = await helpContext(db, request, user, csrf);
        return attachmentResponse(deps, await readerArticleFile(db, reader, params.fileId));
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
