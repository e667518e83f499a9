// Staff pages of the knowledge base (/desk/kb) and the agent's search (/desk/search).

import { Elysia } from "elysia";
import { rerankSearch } from "../domain/assist/rerank";
import { can } from "../domain/context";
import { orgForMail } from "../domain/email/outbox";
import { isDomainError, notFound } from "../domain/errors";
import {
  createArticle,
  createCategory,
  createSection,
  diffVersions,
  getArticle,
  listArticles,
  listStructure,
  listVersions,
  restoreVersion,
  setArticleStatus,
  updateArticle,
} from "../domain/kb/articles";
import { ticketArticleSuggestions } from "../domain/kb/deflection";
import { addArticleFile, deleteArticleFile, listArticleFiles, staffArticleFile } from "../domain/kb/files";
import { isLocale } from "../domain/kb/locales";
import { cancelSchedule, scheduleArticle } from "../domain/kb/schedule";
import {
  deleteTranslation,
  getTranslation,
  listTranslations,
  saveTranslation,
} from "../domain/kb/translations";
import { formatTicketNumber } from "../domain/orgs/counters";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { searchEverything } from "../domain/search/search";
import { SuggestedArticles, SuggestedArticlesPage } from "../views/desk/articleSuggestions";
import {
  ArticleFormPage,
  DiffPage,
  KbListPage,
  LeastHelpfulPage,
  SearchPage,
  SearchResultsRegion,
  StructurePage,
  VersionsPage,
} from "../views/kb/desk";
import { ArticleFilesPage } from "../views/kb/files";
import { TranslationFormPage, TranslationsPage } from "../views/kb/translations";
import type { Deps } from "./deps";
import { attachmentResponse, ticketNumberParam } from "./desk";
import { field, formValues, requireUserWith, seeOther, uploads, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  created: "Article saved as version 1.",
  saved: "Article saved.",
  status: "Status changed.",
  scheduled: "Scheduled: the article is published at that time.",
  unscheduled: "Schedule cancelled.",
  restored: "The old text is back, saved as a new version.",
  category: "Category added.",
  section: "Section added.",
  translated: "Translation saved.",
  "translation-removed": "Translation removed.",
};

function articleInput(body: unknown) {
  return {
    title: field(body, "title"),
    slug: field(body, "slug"),
    body: field(body, "body"),
    tags: field(body, "tags"),
    visibility: field(body, "visibility"),
    sectionId: field(body, "sectionId") || null,
    note: field(body, "note"),
    submit: field(body, "submit") === "review",
  };
}

const versionParam = (value: string | undefined) => (/^\d{1,6}$/.test(value ?? "") ? Number(value) : 0);

export function kbRoutes(deps: Deps) {
  const timeZone = (orgId: string) => organizationTimeZone(deps.database.db, orgId);
  return new Elysia()
    .use(webContext(deps))
    .get("/desk/kb", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUserWith(user, "kb.write");
      const articles = await listArticles(ctxFor(me), { status: query.status });
      return (
        <KbListPage
          csrf={csrf}
          viewer={viewerOf(me)}
          articles={articles}
          status={query.status}
          canPublish={can(me, "kb.publish")}
          timeZone={await timeZone(me.orgId)}
        />
      );
    })
    .get("/desk/kb/new", async ({ user, csrf, ctxFor }) => {
      const me = requireUserWith(user, "kb.write");
      return (
        <ArticleFormPage
          csrf={csrf}
          viewer={viewerOf(me)}
          structure={await listStructure(ctxFor(me))}
          canPublish={can(me, "kb.publish")}
        />
      );
    })
    .post("/desk/kb", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "kb.write");
      try {
        const article = await createArticle(ctxFor(me), articleInput(body));
        return seeOther(set, request, `/desk/kb/${article.id}?notice=created`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403) throw error;
        set.status = error.status;
        return (
          <ArticleFormPage
            csrf={csrf}
            viewer={viewerOf(me)}
            structure={await listStructure(ctxFor(me))}
            canPublish={can(me, "kb.publish")}
            form={{ values: formValues(body), fields: error.fields, message: error.message }}
          />
        );
      }
    })
    .get("/desk/kb/structure", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUserWith(user, "kb.publish");
      return (
        <StructurePage
          csrf={csrf}
          viewer={viewerOf(me)}
          structure={await listStructure(ctxFor(me))}
          notice={NOTICES[query.notice ?? ""]}
        />
      );
    })
    .post("/desk/kb/categories", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "kb.publish");
      try {
        await createCategory(ctxFor(me), {
          name: field(body, "name"),
          description: field(body, "description"),
        });
        return seeOther(set, request, "/desk/kb/structure?notice=category");
      } catch (error) {
        if (!isDomainError(error) || error.status === 403) throw error;
        set.status = error.status;
        return (
          <StructurePage
            csrf={csrf}
            viewer={viewerOf(me)}
            structure={await listStructure(ctxFor(me))}
            form={{ values: formValues(body), fields: error.fields, message: error.message }}
          />
        );
      }
    })
    .post("/desk/kb/sections", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "kb.publish");
      try {
        await createSection(ctxFor(me), {
          categoryId: field(body, "categoryId"),
          name: field(body, "sectionName"),
        });
        return seeOther(set, request, "/desk/kb/structure?notice=section");
      } catch (error) {
        if (!isDomainError(error) || error.status === 403) throw error;
        set.status = error.status;
        const fields = { ...error.fields };
        if (fields.name) fields.sectionName = fields.name;
        return (
          <StructurePage
            csrf={csrf}
            viewer={viewerOf(me)}
            structure={await listStructure(ctxFor(me))}
            form={{ values: formValues(body), fields, message: error.message }}
          />
        );
      }
    })
    .get("/desk/kb/feedback", async ({ user, csrf, ctxFor }) => {
      const me = requireUserWith(user, "kb.publish");
      return (
        <LeastHelpfulPage
          csrf={csrf}
          viewer={viewerOf(me)}
          articles={await listArticles(ctxFor(me), { order: "least_helpful" })}
          timeZone={await timeZone(me.orgId)}
        />
      );
    })
    .get("/desk/kb/:id", async ({ user, csrf, ctxFor, params, query }) => {
      const me = requireUserWith(user, "kb.write");
      const ctx = ctxFor(me);
      return (
        <ArticleFormPage
          csrf={csrf}
          viewer={viewerOf(me)}
          structure={await listStructure(ctx)}
          article={await getArticle(ctx, params.id)}
          canPublish={can(me, "kb.publish")}
          timeZone={await timeZone(me.orgId)}
          notice={NOTICES[query.notice ?? ""]}
        />
      );
    })
    .post("/desk/kb/:id/schedule", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "kb.publish");
      const ctx = ctxFor(me);
      try {
        await scheduleArticle(ctx, params.id, field(body, "publishAt"));
        return seeOther(set, request, `/desk/kb/${params.id}?notice=scheduled`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        return (
          <ArticleFormPage
            csrf={csrf}
            viewer={viewerOf(me)}
            structure={await listStructure(ctx)}
            article={await getArticle(ctx, params.id)}
            canPublish
            timeZone={await timeZone(me.orgId)}
            schedule={{ value: field(body, "publishAt"), error: error.fields?.publishAt ?? error.message }}
          />
        );
      }
    })
    .get("/desk/kb/:id/translations", async ({ user, csrf, ctxFor, params, query }) => {
      const me = requireUserWith(user, "kb.write");
      const ctx = ctxFor(me);
      const article = await getArticle(ctx, params.id);
      return (
        <TranslationsPage
          csrf={csrf}
          viewer={viewerOf(me)}
          articleId={article.id}
          defaultLocale={article.locale}
          translations={await listTranslations(ctx, article.id)}
          canDelete={can(me, "kb.publish")}
          timeZone={await timeZone(me.orgId)}
          notice={NOTICES[query.notice ?? ""]}
        />
      );
    })
    .get("/desk/kb/:id/translations/new", ({ user, params, query, set, request }) => {
      requireUserWith(user, "kb.write");
      const locale = String(query.locale ?? "");
      if (!isLocale(locale)) throw notFound("That language");
      return seeOther(set, request, `/desk/kb/${params.id}/translations/${locale}`);
    })
    .get("/desk/kb/:id/translations/:locale", async ({ user, csrf, ctxFor, params }) => {
      const me = requireUserWith(user, "kb.write");
      const ctx = ctxFor(me);
      const { translation } = await getTranslation(ctx, params.id, params.locale);
      // A new translation starts from the article's own text, for the translator to replace.
      const start = translation ?? (await getArticle(ctx, params.id));
      return (
        <TranslationFormPage
          csrf={csrf}
          viewer={viewerOf(me)}
          articleId={params.id}
          locale={params.locale}
          values={{ title: start.title, slug: translation?.slug ?? "", body: start.body }}
          isNew={!translation}
        />
      );
    })
    .post("/desk/kb/:id/translations/:locale", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "kb.write");
      const ctx = ctxFor(me);
      try {
        await saveTranslation(ctx, params.id, params.locale, {
          title: field(body, "title"),
          slug: field(body, "slug"),
          body: field(body, "body"),
          note: field(body, "note"),
        });
        return seeOther(set, request, `/desk/kb/${params.id}/translations?notice=translated`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        const { translation } = await getTranslation(ctx, params.id, params.locale);
        return (
          <TranslationFormPage
            csrf={csrf}
            viewer={viewerOf(me)}
            articleId={params.id}
            locale={params.locale}
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
            isNew={!translation}
          />
        );
      }
    })
    .post("/desk/kb/:id/translations/:locale/delete", async ({ user, ctxFor, params, set, request }) => {
      await deleteTranslation(ctxFor(requireUserWith(user, "kb.publish")), params.id, params.locale);
      return seeOther(set, request, `/desk/kb/${params.id}/translations?notice=translation-removed`);
    })
    .get("/desk/kb/:id/files", async ({ user, csrf, ctxFor, params, query }) => {
      const me = requireUserWith(user, "kb.write");
      const files = await listArticleFiles(ctxFor(me), params.id);
      const notice =
        query.notice === "uploaded" ? "Uploaded." : query.notice === "removed" ? "Removed." : undefined;
      return (
        <ArticleFilesPage
          csrf={csrf}
          viewer={viewerOf(me)}
          articleId={params.id}
          files={files}
          notice={notice}
        />
      );
    })
    .post("/desk/kb/:id/files", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "kb.write");
      const ctx = ctxFor(me);
      try {
        await addArticleFile(ctx, params.id, uploads(body, "file")[0]);
        return seeOther(set, request, `/desk/kb/${params.id}/files?notice=uploaded`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        return (
          <ArticleFilesPage
            csrf={csrf}
            viewer={viewerOf(me)}
            articleId={params.id}
            files={await listArticleFiles(ctx, params.id)}
            failed={{ message: error.message, fields: error.fields ?? {} }}
          />
        );
      }
    })
    .post("/desk/kb/:id/files/:fileId/delete", async ({ user, ctxFor, params, set, request }) => {
      await deleteArticleFile(ctxFor(requireUserWith(user, "kb.write")), params.id, params.fileId);
      return seeOther(set, request, `/desk/kb/${params.id}/files?notice=removed`);
    })
    .get("/desk/kb/files/:fileId", async ({ user, ctxFor, params }) => {
      const file = await staffArticleFile(ctxFor(requireUserWith(user, "kb.write")), params.fileId);
      return attachmentResponse(deps, file);
    })
    .get("/desk/tickets/:number/articles", async ({ user, csrf, ctxFor, params, request, set }) => {
      const me = requireUserWith(user, "tickets.read_all");
      const ctx = ctxFor(me);
      const number = ticketNumberParam(params.number);
      const [hits, org] = await Promise.all([
        ticketArticleSuggestions(ctx, number),
        orgForMail(deps.database.db, me.orgId),
      ]);
      set.headers.vary = "hx-request";
      if (request.headers.get("hx-request")) return <SuggestedArticles hits={hits} helpBase={org.baseUrl} />;
      return (
        <SuggestedArticlesPage
          csrf={csrf}
          viewer={viewerOf(me)}
          number={formatTicketNumber(number)}
          hits={hits}
          helpBase={org.baseUrl}
        />
      );
    })
    .post("/desk/kb/:id/schedule/cancel", async ({ user, ctxFor, params, set, request }) => {
      await cancelSchedule(ctxFor(requireUserWith(user, "kb.publish")), params.id);
      return seeOther(set, request, `/desk/kb/${params.id}?notice=unscheduled`);
    })
    .post("/desk/kb/:id", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "kb.write");
      const ctx = ctxFor(me);
      try {
        await updateArticle(ctx, params.id, articleInput(body));
        return seeOther(set, request, `/desk/kb/${params.id}?notice=saved`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        return (
          <ArticleFormPage
            csrf={csrf}
            viewer={viewerOf(me)}
            structure={await listStructure(ctx)}
            article={await getArticle(ctx, params.id)}
            canPublish={can(me, "kb.publish")}
            form={{ values: formValues(body), fields: error.fields, message: error.message }}
          />
        );
      }
    })
    .post("/desk/kb/:id/status", async ({ user, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "kb.write");
      await setArticleStatus(ctxFor(me), params.id, field(body, "status"));
      return seeOther(set, request, `/desk/kb/${params.id}?notice=status`);
    })
    .get("/desk/kb/:id/versions", async ({ user, csrf, ctxFor, params, query }) => {
      const me = requireUserWith(user, "kb.write");
      const ctx = ctxFor(me);
      return (
        <VersionsPage
          csrf={csrf}
          viewer={viewerOf(me)}
          article={await getArticle(ctx, params.id)}
          versions={await listVersions(ctx, params.id)}
          canPublish={can(me, "kb.publish")}
          timeZone={await timeZone(me.orgId)}
          notice={NOTICES[query.notice ?? ""]}
        />
      );
    })
    .get("/desk/kb/:id/diff", async ({ user, csrf, ctxFor, params, query }) => {
      const me = requireUserWith(user, "kb.write");
      const diff = await diffVersions(
        ctxFor(me),
        params.id,
        versionParam(query.from),
        versionParam(query.to),
      );
      return (
        <DiffPage
          csrf={csrf}
          viewer={viewerOf(me)}
          articleId={params.id}
          diff={diff}
          timeZone={await timeZone(me.orgId)}
        />
      );
    })
    .post("/desk/kb/:id/versions/:version/restore", async ({ user, ctxFor, params, set, request }) => {
      const me = requireUserWith(user, "kb.write");
      await restoreVersion(ctxFor(me), params.id, versionParam(params.version));
      return seeOther(set, request, `/desk/kb/${params.id}/versions?notice=restored`);
    })
    .get("/desk/search", async ({ user, csrf, ctxFor, query, request, set }) => {
      const me = requireUserWith(user, "tickets.read_all");
      const status = typeof query.status === "string" ? query.status : undefined;
      const priority = typeof query.priority === "string" ? query.priority : undefined;
      const found = await searchEverything(ctxFor(me), {
        q: typeof query.q === "string" ? query.q : "",
        status: ["new", "open", "pending", "on_hold", "solved", "closed"].includes(status ?? "")
          ? status
          : undefined,
        priority: ["low", "normal", "high", "urgent"].includes(priority ?? "") ? priority : undefined,
      });
      const remote = { hfToken: deps.config.hfToken, hfEndpointUrl: deps.config.hfEndpointUrl };
      const results = await rerankSearch(deps.database.db, me.orgId, remote, found);
      set.headers.vary = "hx-request";
      if (request.headers.get("hx-request"))
        return <SearchResultsRegion results={results} status={status} priority={priority} />;
      return (
        <SearchPage csrf={csrf} viewer={viewerOf(me)} results={results} status={status} priority={priority} />
      );
    });
}
