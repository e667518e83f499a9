// The community forum at /community, on the help center's host: anyone reads; people of the
// organization ask, answer, vote and accept; staff moderate and turn topics into tickets or articles.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import type { Ctx } from "../domain/context";
import { forbidden, isDomainError } from "../domain/errors";
import {
  acceptAnswer,
  createTopic,
  type ForumViewer,
  getTopic,
  listTopics,
  moderate,
  replyToTopic,
  toggleVote,
  topicToArticle,
  topicToTicket,
} from "../domain/forum/forum";
import { helpHome } from "../domain/kb/help";
import { formatTicketNumber } from "../domain/orgs/counters";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { CommunityPage, NewTopicPage, TopicPage } from "../views/forum";
import type { Deps } from "./deps";
import { helpContext } from "./help";
import { field, formValues, seeOther, webContext } from "./web";

const NOTICES: Record<string, string> = {
  posted: "Your question is posted.",
  replied: "Your answer is posted.",
  voted: "Thank you for voting.",
  accepted: "Marked.",
  moderated: "Done.",
};

export function communityRoutes(deps: Deps) {
  const db = deps.database.db;
  /** The forum as this person sees it: a member of the organization, or anyone. */
  const place = async (request: Request, user: SessionUser | null, csrf: string) => {
    const { org, shell } = await helpContext(db, request, user, csrf);
    const member = user && user.orgId === org.id ? user : null;
    const viewer: ForumViewer = { orgId: org.id, actor: member ?? undefined };
    return { org, shell, member, viewer };
  };
  /** Acting needs a member of this organization; anyone else is sent to sign in. */
  const memberCtx = (member: SessionUser | null, ctxFor: (u: SessionUser) => Ctx): Ctx => {
    if (!member) throw forbidden("Sign in to take part in the community.");
    return ctxFor(member);
  };
  const topicPage = async (
    request: Request,
    user: SessionUser | null,
    csrf: string,
    id: string,
    extra: { notice?: string; reply?: { value: string; error?: string } } = {},
  ) => {
    const { shell, member, viewer, org } = await place(request, user, csrf);
    return (
      <TopicPage
        shell={shell}
        view={await getTopic(db, viewer, id)}
        timeZone={await organizationTimeZone(db, org.id)}
        signedIn={Boolean(member)}
        {...extra}
      />
    );
  };

  return new Elysia()
    .use(webContext(deps))
    .get("/community", async ({ request, user, csrf, query }) => {
      const { shell, member, viewer } = await place(request, user, csrf);
      const topics = await listTopics(db, viewer);
      return (
        <CommunityPage
          shell={shell}
          topics={topics}
          signedIn={Boolean(member)}
          notice={NOTICES[String(query.notice ?? "")]}
        />
      );
    })
    .get("/community/new", async ({ request, user, csrf, set }) => {
      const { shell, member, org } = await place(request, user, csrf);
      if (!member) return seeOther(set, request, "/login?next=%2Fcommunity%2Fnew");
      const categories = await helpHome(db, { orgId: org.id, audience: "customers" });
      return <NewTopicPage shell={shell} categories={categories.map((c) => ({ id: c.id, name: c.name }))} />;
    })
    .post("/community/topics", async ({ request, user, csrf, ctxFor, body, set }) => {
      const { shell, member, org } = await place(request, user, csrf);
      const ctx = memberCtx(member, ctxFor);
      try {
        const id = await createTopic(ctx, {
          title: field(body, "title"),
          body: field(body, "body"),
          categoryId: field(body, "categoryId") || undefined,
        });
        return seeOther(set, request, `/community/topics/${id}?notice=posted`);
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        const categories = await helpHome(db, { orgId: org.id, audience: "customers" });
        return (
          <NewTopicPage
            shell={shell}
            categories={categories.map((c) => ({ id: c.id, name: c.name }))}
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
          />
        );
      }
    })
    .get("/community/topics/:id", ({ request, user, csrf, params, query }) =>
      topicPage(request, user, csrf, params.id, { notice: NOTICES[String(query.notice ?? "")] }),
    )
    .post("/community/topics/:id/replies", async ({ request, user, csrf, ctxFor, params, body, set }) => {
      const { member } = await place(request, user, csrf);
      const ctx = memberCtx(member, ctxFor);
      try {
        await replyToTopic(ctx, params.id, field(body, "body"));
        return seeOther(set, request, `/community/topics/${params.id}?notice=replied`);
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return topicPage(request, user, csrf, params.id, {
          reply: { value: field(body, "body"), error: error.fields?.body ?? error.message },
        });
      }
    })
    .post("/community/topics/:id/vote", async ({ request, user, csrf, ctxFor, params, body, set }) => {
      const { member } = await place(request, user, csrf);
      await toggleVote(memberCtx(member, ctxFor), params.id, field(body, "postId") || undefined);
      return seeOther(set, request, `/community/topics/${params.id}?notice=voted`);
    })
    .post("/community/topics/:id/accept", async ({ request, user, csrf, ctxFor, params, body, set }) => {
      const { member } = await place(request, user, csrf);
      await acceptAnswer(memberCtx(member, ctxFor), params.id, field(body, "postId"));
      return seeOther(set, request, `/community/topics/${params.id}?notice=accepted`);
    })
    .post("/community/topics/:id/moderate", async ({ request, user, csrf, ctxFor, params, body, set }) => {
      const { member } = await place(request, user, csrf);
      await moderate(
        memberCtx(member, ctxFor),
        params.id,
        field(body, "action"),
        field(body, "postId") || undefined,
      );
      return seeOther(set, request, `/community/topics/${params.id}?notice=moderated`);
    })
    .post("/community/topics/:id/ticket", async ({ request, user, csrf, ctxFor, params, set }) => {
      const { member } = await place(request, user, csrf);
      const number = await topicToTicket(memberCtx(member, ctxFor), params.id);
      return seeOther(set, request, `/desk/tickets/${formatTicketNumber(number)}?notice=created`);
    })
    .post("/community/topics/:id/article", async ({ request, user, csrf, ctxFor, params, set }) => {
      const { member } = await place(request, user, csrf);
      const articleId = await topicToArticle(memberCtx(member, ctxFor), params.id);
      return seeOther(set, request, `/desk/kb/${articleId}?notice=created`);
    });
}
