// Live chat: customers in the portal, agents in the desk's chat inbox.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import {
  acceptChat,
  endChat,
  getChat,
  listChats,
  openChatOf,
  postChatMessage,
  startChat,
  touchPresence,
} from "../domain/chat/chat";
import type { Ctx } from "../domain/context";
import { isDomainError } from "../domain/errors";
import { formatTicketNumber } from "../domain/orgs/counters";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { ChatInboxPage, ChatPage, ChatTranscript, StartChatPage } from "../views/chat";
import { PortalNewTicketPage } from "../views/portal/pages";
import type { Deps } from "./deps";
import { chatStream } from "./live";
import { field, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  accepted: "You are in the chat.",
};

export function chatRoutes(deps: Deps) {
  const timeZone = (orgId: string) => organizationTimeZone(deps.database.db, orgId);

  /** The chat page, or the form error re-rendered on it with the typed message kept. */
  async function chatPage(
    ctx: Ctx,
    me: SessionUser,
    csrf: string,
    path: string,
    chatId: string,
    extra: {
      notice?: string;
      failed?: { message: string; fields: Record<string, string>; values: Record<string, string> };
    } = {},
  ) {
    return (
      <ChatPage
        csrf={csrf}
        viewer={viewerOf(me)}
        detail={await getChat(ctx, chatId)}
        timeZone={await timeZone(me.orgId)}
        path={path}
        notice={extra.notice}
        message={extra.failed?.message}
        fields={extra.failed?.fields}
        values={extra.failed?.values}
      />
    );
  }

  /** Posts a message and goes back to the chat; a refused message re-renders the page with it kept. */
  async function postMessage(
    ctx: Ctx,
    me: SessionUser,
    csrf: string,
    path: string,
    chatId: string,
    body: unknown,
    set: Parameters<typeof seeOther>[0],
    request: Request,
  ) {
    try {
      await postChatMessage(ctx, chatId, { body: field(body, "body") });
      return seeOther(set, request, path);
    } catch (error) {
      if (!isDomainError(error) || ![409, 422].includes(error.status)) throw error;
      set.status = error.status;
      return chatPage(ctx, me, csrf, path, chatId, {
        failed: { message: error.message, fields: error.fields ?? {}, values: formValues(body) },
      });
    }
  }

  return (
    new Elysia()
      .use(webContext(deps))
      // The customer's side.
      .get("/portal/chat", async ({ user, csrf, ctxFor, set, request }) => {
        const me = requireUserWith(user, "tickets.read_own");
        const open = await openChatOf(ctxFor(me));
        if (open) return seeOther(set, request, `/portal/chat/${open}`);
        return <StartChatPage csrf={csrf} viewer={viewerOf(me)} />;
      })
      .post("/portal/chat", async ({ user, csrf, ctxFor, body, set, request }) => {
        const me = requireUserWith(user, "tickets.read_own");
        try {
          const chatId = await startChat(ctxFor(me), { body: field(body, "body") });
          return seeOther(set, request, `/portal/chat/${chatId}`);
        } catch (error) {
          if (!isDomainError(error) || ![409, 422].includes(error.status)) throw error;
          set.status = error.status;
          // Nobody online: the chat form turns into a ticket form, keeping what was typed.
          if (error.status === 409) {
            return (
              <PortalNewTicketPage
                csrf={csrf}
                viewer={viewerOf(me)}
                values={{ body: field(body, "body") }}
                message={error.message}
              />
            );
          }
          return (
            <StartChatPage
              csrf={csrf}
              viewer={viewerOf(me)}
              values={formValues(body)}
              fields={error.fields}
              message={error.message}
            />
          );
        }
      })
      .get("/portal/chat/:id", async ({ user, csrf, ctxFor, params }) => {
        const me = requireUserWith(user, "tickets.read_own");
        return chatPage(ctxFor(me), me, csrf, `/portal/chat/${params.id}`, params.id);
      })
      .get("/portal/chat/:id/transcript", async ({ user, ctxFor, params }) => {
        const me = requireUserWith(user, "tickets.read_own");
        const detail = await getChat(ctxFor(me), params.id);
        return (
          <ChatTranscript
            detail={detail}
            timeZone={await timeZone(me.orgId)}
            path={`/portal/chat/${params.id}`}
          />
        );
      })
      .get("/portal/chat/:id/live", async ({ user, ctxFor, params, request }) => {
        const me = requireUserWith(user, "tickets.read_own");
        const { chat } = await getChat(ctxFor(me), params.id);
        return chatStream(deps.bus, me.orgId, chat.id, request.signal);
      })
      .post("/portal/chat/:id/messages", ({ user, csrf, ctxFor, params, body, set, request }) => {
        const me = requireUserWith(user, "tickets.read_own");
        return postMessage(ctxFor(me), me, csrf, `/portal/chat/${params.id}`, params.id, body, set, request);
      })
      .post("/portal/chat/:id/end", async ({ user, ctxFor, params, set, request }) => {
        const me = requireUserWith(user, "tickets.read_own");
        const number = formatTicketNumber(await endChat(ctxFor(me), params.id));
        return seeOther(set, request, `/portal/tickets/${number}`);
      })
      // The agents' side.
      .get("/desk/chats", async ({ user, csrf, ctxFor, query }) => {
        const me = requireUserWith(user, "tickets.work");
        const ctx = ctxFor(me);
        await touchPresence(ctx);
        const inbox = await listChats(ctx);
        return (
          <ChatInboxPage
            csrf={csrf}
            viewer={viewerOf(me)}
            {...inbox}
            timeZone={await timeZone(me.orgId)}
            notice={NOTICES[String(query.notice)]}
          />
        );
      })
      .get("/desk/chats/live", async ({ user, ctxFor, request }) => {
        const me = requireUserWith(user, "tickets.work");
        const keepOnline = () => void touchPresence({ ...ctxFor(me), now: deps.clock() }).catch(() => {});
        keepOnline();
        return chatStream(deps.bus, me.orgId, null, request.signal, keepOnline);
      })
      .get("/desk/chats/:id", async ({ user, csrf, ctxFor, params, query }) => {
        const me = requireUserWith(user, "tickets.work");
        return chatPage(ctxFor(me), me, csrf, `/desk/chats/${params.id}`, params.id, {
          notice: NOTICES[String(query.notice)],
        });
      })
      .get("/desk/chats/:id/transcript", async ({ user, ctxFor, params }) => {
        const me = requireUserWith(user, "tickets.work");
        const detail = await getChat(ctxFor(me), params.id);
        return (
          <ChatTranscript
            detail={detail}
            timeZone={await timeZone(me.orgId)}
            path={`/desk/chats/${params.id}`}
          />
        );
      })
      .get("/desk/chats/:id/live", async ({ user, ctxFor, params, request }) => {
        const me = requireUserWith(user, "tickets.work");
        const { chat } = await getChat(ctxFor(me), params.id);
        return chatStream(deps.bus, me.orgId, chat.id, request.signal);
      })
      .post("/desk/chats/:id/messages", ({ user, csrf, ctxFor, params, body, set, request }) => {
        const me = requireUserWith(user, "tickets.work");
        return postMessage(ctxFor(me), me, csrf, `/desk/chats/${params.id}`, params.id, body, set, request);
      })
      .post("/desk/chats/:id/end", async ({ user, ctxFor, params, set, request }) => {
        const me = requireUserWith(user, "tickets.work");
        const number = formatTicketNumber(await endChat(ctxFor(me), params.id));
        return seeOther(set, request, `/desk/tickets/${number}`);
      })
      .post("/desk/chats/:id/accept", async ({ user, ctxFor, params, set, request }) => {
        const me = requireUserWith(user, "tickets.work");
        await acceptChat(ctxFor(me), params.id);
        return seeOther(set, request, `/desk/chats/${params.id}?notice=accepted`);
      })
  );
}
