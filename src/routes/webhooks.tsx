// Webhook subscriptions at /admin/webhooks: list, create, edit, pause, re-enable, delete, test,
// the recent deliveries of each, and the organization's private-address setting.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import { isDomainError } from "../domain/errors";
import { organizationTimeZone } from "../domain/orgs/resolve";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  recentDeliveries,
  sendTestEvent,
  setWebhookActive,
  updateWebhook,
  updateWebhookSettings,
  type WebhookInput,
  webhookSettingsFor,
} from "../domain/webhooks/subscriptions";
import { NewWebhookPage, WebhookPage, WebhooksPage } from "../views/admin/webhooks";
import type { Deps } from "./deps";
import { field, fieldList, requireUser, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  created: "Webhook created. Give the signing secret below to the receiver.",
  saved: "Changes saved.",
  tested: "A test event is on its way; its result appears under recent deliveries.",
  enabled: "Webhook re-enabled; new events are delivered again.",
  disabled: "Deliveries paused.",
  deleted: "Webhook deleted.",
  settings: "Setting saved.",
};

function inputOf(body: unknown): WebhookInput {
  return {
    name: field(body, "name"),
    url: field(body, "url"),
    eventTypes: fieldList(body, "eventTypes"),
    otherEventTypes: field(body, "otherEventTypes"),
  };
}

export function webhookRoutes(deps: Deps) {
  const policy = { allowPrivate: deps.config.webhooksAllowPrivate };
  const timeZoneOf = (me: SessionUser) => organizationTimeZone(deps.database.db, me.orgId);
  const notice = (query: Record<string, string | undefined>) =>
    query.notice ? NOTICES[query.notice] : undefined;

  return new Elysia()
    .use(webContext(deps))
    .get("/admin/webhooks", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      const subscriptions = await listWebhooks(ctx);
      return (
        <WebhooksPage
          csrf={csrf}
          viewer={viewerOf(me)}
          timeZone={await timeZoneOf(me)}
          subscriptions={subscriptions}
          allowPrivateTargets={(await webhookSettingsFor(ctx)).allowPrivateTargets}
          serverAllowsPrivate={deps.config.webhooksAllowPrivate}
          notice={notice(query)}
        />
      );
    })
    .get("/admin/webhooks/new", ({ user, csrf }) => {
      const me = requireUserWith(user, "org.admin");
      return <NewWebhookPage csrf={csrf} viewer={viewerOf(me)} />;
    })
    .post("/admin/webhooks", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUser(user);
      const input = inputOf(body);
      try {
        const created = await createWebhook(ctxFor(me), input, policy);
        return seeOther(set, request, `/admin/webhooks/${created.id}?notice=created`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403) throw error;
        set.status = error.status;
        return (
          <NewWebhookPage
            csrf={csrf}
            viewer={viewerOf(me)}
            values={{ ...input, otherEventTypes: input.otherEventTypes ?? "" }}
            fields={error.fields}
            message={error.message}
          />
        );
      }
    })
    .post("/admin/webhooks/settings", async ({ user, ctxFor, body, set, request }) => {
      await updateWebhookSettings(ctxFor(requireUser(user)), {
        allowPrivateTargets: field(body, "allowPrivateTargets") === "1",
      });
      return seeOther(set, request, "/admin/webhooks?notice=settings");
    })
    .get("/admin/webhooks/:id", async ({ user, csrf, ctxFor, params, query, set }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      const subscription = await getWebhook(ctx, params.id);
      // The page shows the signing secret.
      set.headers["cache-control"] = "no-store";
      return (
        <WebhookPage
          csrf={csrf}
          viewer={viewerOf(me)}
          timeZone={await timeZoneOf(me)}
          subscription={subscription}
          deliveries={await recentDeliveries(ctx, subscription.id)}
          notice={notice(query)}
        />
      );
    })
    .post("/admin/webhooks/:id", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      const input = inputOf(body);
      try {
        const saved = await updateWebhook(ctx, params.id, input, policy);
        return seeOther(set, request, `/admin/webhooks/${saved.id}?notice=saved`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        const subscription = await getWebhook(ctx, params.id);
        return (
          <WebhookPage
            csrf={csrf}
            viewer={viewerOf(me)}
            timeZone={await timeZoneOf(me)}
            subscription={subscription}
            deliveries={await recentDeliveries(ctx, subscription.id)}
            values={{ ...input, otherEventTypes: input.otherEventTypes ?? "" }}
            fields={error.fields}
            message={error.message}
          />
        );
      }
    })
    .post("/admin/webhooks/:id/test", async ({ user, ctxFor, params, set, request }) => {
      await sendTestEvent(ctxFor(requireUser(user)), params.id);
      return seeOther(set, request, `/admin/webhooks/${params.id}?notice=tested`);
    })
    .post("/admin/webhooks/:id/enable", async ({ user, ctxFor, params, set, request }) => {
      await setWebhookActive(ctxFor(requireUser(user)), params.id, true);
      return seeOther(set, request, `/admin/webhooks/${params.id}?notice=enabled`);
    })
    .post("/admin/webhooks/:id/disable", async ({ user, ctxFor, params, set, request }) => {
      await setWebhookActive(ctxFor(requireUser(user)), params.id, false);
      return seeOther(set, request, `/admin/webhooks/${params.id}?notice=disabled`);
    })
    .post("/admin/webhooks/:id/delete", async ({ user, ctxFor, params, set, request }) => {
      await deleteWebhook(ctxFor(requireUser(user)), params.id);
      return seeOther(set, request, "/admin/webhooks?notice=deleted");
    });
}
