// Organization administration: API tokens and the mail outbox (more rules arrive with later work).
import { Elysia } from "elysia";
import { createApiToken, listApiTokens, revokeApiToken } from "../domain/auth/tokens";
import { listOutbox } from "../domain/email/outbox";
import { isDomainError } from "../domain/errors";
import { isJobStatus, jobCounts, listJobs, retryJob } from "../domain/jobs/admin";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { getSearchSettings, saveSearchSettings } from "../domain/search/config";
import { AdminHome, JobsPage, OutboxPage, TokensPage } from "../views/admin/pages";
import { SearchSettingsPage } from "../views/admin/search";
import type { Deps } from "./deps";
import { field, formValues, requireUser, requireUserWith, seeOther, viewerOf, webContext } from "./web";

export function adminRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/admin", ({ user, csrf }) => {
      const me = requireUserWith(user, "org.admin");
      return <AdminHome csrf={csrf} viewer={viewerOf(me)} />;
    })
    .get("/admin/search", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUser(user);
      const settings = await getSearchSettings(ctxFor(me));
      const notice =
        query.notice === "saved"
          ? "Search language saved; re-indexing has started."
          : query.notice === "unchanged"
            ? "That is already the search language."
            : undefined;
      return <SearchSettingsPage csrf={csrf} viewer={viewerOf(me)} settings={settings} notice={notice} />;
    })
    .post("/admin/search", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      try {
        const saved = await saveSearchSettings(ctx, { config: field(body, "config") });
        return seeOther(set, request, `/admin/search?notice=${saved.changed ? "saved" : "unchanged"}`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403) throw error;
        set.status = error.status;
        return (
          <SearchSettingsPage
            csrf={csrf}
            viewer={viewerOf(me)}
            settings={await getSearchSettings(ctx)}
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
          />
        );
      }
    })
    .get("/admin/tokens", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUser(user);
      const tokens = await listApiTokens(ctxFor(me));
      return (
        <TokensPage
          csrf={csrf}
          viewer={viewerOf(me)}
          tokens={tokens}
          timeZone={await organizationTimeZone(deps.database.db, me.orgId)}
          notice={query.notice === "revoked" ? "Token revoked; it stops working at once." : undefined}
        />
      );
    })
    .post("/admin/tokens", async ({ user, csrf, ctxFor, body, set }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      const timeZone = await organizationTimeZone(deps.database.db, me.orgId);
      try {
        const created = await createApiToken(ctx, { name: field(body, "name"), role: field(body, "role") });
        // Shown once, in this response; never stored or logged in the clear.
        set.status = 201;
        set.headers["cache-control"] = "no-store";
        return (
          <TokensPage
            csrf={csrf}
            viewer={viewerOf(me)}
            tokens={await listApiTokens(ctx)}
            timeZone={timeZone}
            created={created}
          />
        );
      } catch (error) {
        if (!isDomainError(error) || error.status === 403) throw error;
        set.status = error.status;
        return (
          <TokensPage
            csrf={csrf}
            viewer={viewerOf(me)}
            tokens={await listApiTokens(ctx)}
            timeZone={timeZone}
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
          />
        );
      }
    })
    .post("/admin/tokens/:id/revoke", async ({ user, ctxFor, params, set, request }) => {
      await revokeApiToken(ctxFor(requireUser(user)), params.id);
      return seeOther(set, request, "/admin/tokens?notice=revoked");
    })
    .get("/admin/outbox", async ({ user, csrf, ctxFor }) => {
      const me = requireUser(user);
      const messages = await listOutbox(ctxFor(me));
      return (
        <OutboxPage
          csrf={csrf}
          viewer={viewerOf(me)}
          messages={messages}
          timeZone={await organizationTimeZone(deps.database.db, me.orgId)}
        />
      );
    })
    .get("/admin/jobs", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      const status = isJobStatus(query.status) ? query.status : "dead";
      const before = typeof query.before === "string" ? new Date(query.before) : undefined;
      const page = 50;
      const jobs = await listJobs(ctx, {
        status,
        before: before && !Number.isNaN(before.getTime()) ? before : undefined,
        limit: page,
      });
      const last = jobs.at(-1);
      return (
        <JobsPage
          csrf={csrf}
          viewer={viewerOf(me)}
          status={status}
          counts={await jobCounts(ctx)}
          jobs={jobs}
          timeZone={await organizationTimeZone(deps.database.db, me.orgId)}
          older={
            jobs.length === page && last
              ? `/admin/jobs?status=${status}&before=${encodeURIComponent(last.updatedAt.toISOString())}`
              : undefined
          }
          notice={query.notice === "retried" ? "The job is back in its queue and runs shortly." : undefined}
        />
      );
    })
    .post("/admin/jobs/:id/retry", async ({ user, ctxFor, params, set, request }) => {
      await retryJob(ctxFor(requireUser(user)), params.id);
      return seeOther(set, request, "/admin/jobs?status=queued&notice=retried");
    });
}
