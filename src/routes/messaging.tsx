// Text messaging: the provider's inbound and status webhooks at /hooks/messaging/:channelId (no
// session, no CSRF token: the provider's signature is the check), and the admins' channel pages at
// /admin/messaging.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import { orgForMail } from "../domain/email/outbox";
import { isDomainError } from "../domain/errors";
import {
  type ChannelInput,
  createChannel,
  deleteChannel,
  getChannel,
  listChannels,
  updateChannel,
} from "../domain/messaging/channels";
import { receiveText, type SignedRequest } from "../domain/messaging/inbound";
import { receiveReport } from "../domain/messaging/outbound";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { ChannelPage, ChannelsPage, channelValuesOf, EMPTY_CHANNEL } from "../views/admin/messaging";
import type { Deps } from "./deps";
import { field, requireUser, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  created: "Channel added. Set the addresses below at the provider.",
  saved: "Changes saved.",
  deleted: "Channel deleted.",
};

/** An empty TwiML answer: received, nothing to say back automatically. */
const EMPTY_ANSWER = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

function signedRequest(request: Request, body: unknown): SignedRequest {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (typeof value === "string") params[key] = value;
  }
  return { url: request.url, params, signature: request.headers.get("x-twilio-signature") ?? "" };
}

function inputOf(body: unknown): ChannelInput {
  return {
    name: field(body, "name"),
    kind: field(body, "kind"),
    provider: field(body, "provider"),
    phoneNumber: field(body, "phoneNumber"),
    accountSid: field(body, "accountSid"),
    authToken: field(body, "authToken"),
    apiBaseUrl: field(body, "apiBaseUrl"),
    enabled: field(body, "enabled") === "1",
  };
}

export function messagingHookRoutes(deps: Deps) {
  const db = deps.database.db;
  return new Elysia()
    .post("/hooks/messaging/:channelId", async ({ params, body, request, set }) => {
      await receiveText(db, params.channelId, signedRequest(request, body), new Date());
      set.headers["content-type"] = "text/xml; charset=utf-8";
      return EMPTY_ANSWER;
    })
    .post("/hooks/messaging/:channelId/status", async ({ params, body, request, set }) => {
      await receiveReport(db, params.channelId, signedRequest(request, body), new Date());
      set.status = 204;
      return "";
    });
}

export function messagingAdminRoutes(deps: Deps) {
  const policy = { allowPrivate: deps.config.webhooksAllowPrivate };
  const timeZoneOf = (me: SessionUser) => organizationTimeZone(deps.database.db, me.orgId);
  const hookBase = async (me: SessionUser, request: Request) =>
    (await orgForMail(deps.database.db, me.orgId)).baseUrl || new URL(request.url).origin;

  return new Elysia()
    .use(webContext(deps))
    .get("/admin/messaging", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUser(user);
      return (
        <ChannelsPage
          csrf={csrf}
          viewer={viewerOf(me)}
          timeZone={await timeZoneOf(me)}
          channels={await listChannels(ctxFor(me))}
          form={{ values: EMPTY_CHANNEL }}
          notice={query.notice ? NOTICES[query.notice] : undefined}
        />
      );
    })
    .post("/admin/messaging", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      const input = inputOf(body);
      try {
        const created = await createChannel(ctx, input, policy);
        return seeOther(set, request, `/admin/messaging/${created.id}?notice=created`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403) throw error;
        set.status = error.status;
        return (
          <ChannelsPage
            csrf={csrf}
            viewer={viewerOf(me)}
            timeZone={await timeZoneOf(me)}
            channels={await listChannels(ctx)}
            form={{ values: { ...input }, fields: error.fields, message: error.message }}
          />
        );
      }
    })
    .get("/admin/messaging/:id", async ({ user, csrf, ctxFor, params, query, request }) => {
      const me = requireUser(user);
      const channel = await getChannel(ctxFor(me), params.id);
      return (
        <ChannelPage
          csrf={csrf}
          viewer={viewerOf(me)}
          channel={channel}
          form={{ values: channelValuesOf(channel) }}
          hookBase={await hookBase(me, request)}
          notice={query.notice ? NOTICES[query.notice] : undefined}
        />
      );
    })
    .post("/admin/messaging/:id", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      const input = inputOf(body);
      try {
        const saved = await updateChannel(ctx, params.id, input, policy);
        return seeOther(set, request, `/admin/messaging/${saved.id}?notice=saved`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        return (
          <ChannelPage
            csrf={csrf}
            viewer={viewerOf(me)}
            channel={await getChannel(ctx, params.id)}
            form={{ values: { ...input }, fields: error.fields, message: error.message }}
            hookBase={await hookBase(me, request)}
          />
        );
      }
    })
    .post("/admin/messaging/:id/delete", async ({ user, ctxFor, params, set, request }) => {
      await deleteChannel(ctxFor(requireUser(user)), params.id);
      return seeOther(set, request, "/admin/messaging?notice=deleted");
    });
}
