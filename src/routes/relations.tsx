// Ticket relations and time on the desk: merges (a sub-resource of the ticket), splits, links,
// followers, @mention suggestions, the timer and time entries. Every form works as a plain post
// with a redirect; a refused one shows the ticket page again with the error beside the field.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import type { Ctx } from "../domain/context";
import { type DomainError, isDomainError } from "../domain/errors";
import { formatTicketNumber } from "../domain/orgs/counters";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { follow, unfollow } from "../domain/relations/followers";
import { addLink, removeLink } from "../domain/relations/links";
import { suggestColleagues } from "../domain/relations/mentions";
import { mergeCandidates, mergeTickets, previewMerge } from "../domain/relations/merge";
import { splitMessage } from "../domain/relations/split";
import {
  addTimeEntry,
  deleteTimeEntry,
  startTimer,
  stopTimer,
  timeEntryOf,
  updateTimeEntry,
} from "../domain/time/ticketTime";
import {
  MentionList,
  MergeCandidates,
  MergeConfirmPage,
  type PanelFailure,
  type RELATION_NOTICES,
  TimeEntryPage,
} from "../views/desk/relations";
import { TicketPage } from "../views/desk/ticketPage";
import type { Deps } from "./deps";
import { ticketNumberParam, ticketPageProps } from "./desk";
import { field, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const ticketUrl = (number: number, notice?: keyof typeof RELATION_NOTICES) =>
  `/desk/tickets/${formatTicketNumber(number)}${notice ? `?notice=${notice}` : ""}`;

/** A refused panel form: the ticket page again, its error next to the field and what was typed kept. */
async function panelFailure(
  ctx: Ctx,
  deps: Deps,
  csrf: string,
  number: number,
  form: PanelFailure["form"],
  error: DomainError,
  body: unknown,
  set: { status?: number | string },
) {
  set.status = error.status;
  const props = await ticketPageProps(ctx, deps, csrf, number);
  if (props.relations)
    props.relations.failed = {
      form,
      message: error.message,
      fields: error.fields ?? {},
      values: formValues(body),
    };
  return <TicketPage {...props} />;
}

/** Domain errors a form can show; permission and not-found errors become their own pages. */
function shownInForm(error: unknown): error is DomainError {
  return isDomainError(error) && error.status !== 403 && error.status !== 404;
}

export function relationRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/desk/tickets/:number/merges/new", async ({ user, csrf, ctxFor, params, query, set }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      const typed = String(query.target ?? "").slice(0, 200);
      const viewer = viewerOf(ctx.actor as SessionUser);
      try {
        const preview = await previewMerge(ctx, number, typed);
        return (
          <MergeConfirmPage
            csrf={csrf}
            viewer={viewer}
            number={number}
            preview={preview}
            typed={typed}
            candidates={[]}
          />
        );
      } catch (error) {
        if (!shownInForm(error)) throw error;
        set.status = error.status;
        const candidates = await mergeCandidates(ctx, number, typed);
        return (
          <MergeConfirmPage
            csrf={csrf}
            viewer={viewer}
            number={number}
            typed={typed}
            error={{ message: error.message, fields: error.fields ?? {} }}
            candidates={candidates}
          />
        );
      }
    })
    .get("/desk/tickets/:number/merges/candidates", async ({ user, ctxFor, params, query }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      const candidates = await mergeCandidates(ctx, number, String(query.target ?? query.q ?? ""));
      return <MergeCandidates number={number} candidates={candidates} />;
    })
    .post("/desk/tickets/:number/merges", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      try {
        const { target } = await mergeTickets(ctx, number, { target: field(body, "target") });
        return seeOther(set, request, ticketUrl(target.number, "merged"));
      } catch (error) {
        if (!shownInForm(error)) throw error;
        return panelFailure(ctx, deps, csrf, number, "merge", error, body, set);
      }
    })
    .post("/desk/tickets/:number/splits", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      try {
        const created = await splitMessage(ctx, number, {
          messageId: field(body, "messageId"),
          subject: field(body, "subject"),
        });
        return seeOther(set, request, ticketUrl(created.number, "split"));
      } catch (error) {
        if (!shownInForm(error)) throw error;
        return panelFailure(ctx, deps, csrf, number, "split", error, body, set);
      }
    })
    .post("/desk/tickets/:number/links", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      try {
        await addLink(ctx, number, { other: field(body, "other"), role: field(body, "role") });
        return seeOther(set, request, ticketUrl(number, "linked"));
      } catch (error) {
        if (!shownInForm(error)) throw error;
        return panelFailure(ctx, deps, csrf, number, "link", error, body, set);
      }
    })
    .post("/desk/tickets/:number/links/:linkId/delete", async ({ user, ctxFor, params, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      await removeLink(ctx, number, params.linkId);
      return seeOther(set, request, ticketUrl(number, "unlinked"));
    })
    .post("/desk/tickets/:number/followers", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      const email = field(body, "email");
      try {
        await follow(ctx, number, "email" in (body as object) ? { email } : {});
        return seeOther(set, request, ticketUrl(number, "following"));
      } catch (error) {
        if (!shownInForm(error)) throw error;
        return panelFailure(ctx, deps, csrf, number, "follower", error, body, set);
      }
    })
    .post("/desk/tickets/:number/followers/delete", async ({ user, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      await unfollow(ctx, number, {
        contactId: field(body, "contactId") || undefined,
        userId: field(body, "userId") || undefined,
      });
      return seeOther(set, request, ticketUrl(number, "unfollowed"));
    })
    .get("/desk/mentions", async ({ user, ctxFor, query }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      // From the reply box: the @word at the end of what is being typed, if any.
      const typing = /(?:^|\s)@([\p{L}\p{N}._+-]*)$/u.exec(String(query.body ?? ""));
      const q = query.q ?? typing?.[1];
      if (q === undefined) return <MentionList colleagues={[]} />;
      return <MentionList colleagues={await suggestColleagues(ctx, String(q))} />;
    })
    .post("/desk/tickets/:number/timer", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      try {
        if (field(body, "action") === "stop") await stopTimer(ctx, number);
        else await startTimer(ctx, number, { billable: field(body, "billable") === "1" });
        return seeOther(set, request, ticketUrl(number, "timer"));
      } catch (error) {
        if (!shownInForm(error)) throw error;
        return panelFailure(ctx, deps, csrf, number, "time", error, body, set);
      }
    })
    .post(
      "/desk/tickets/:number/time-entries",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "tickets.work"));
        const number = ticketNumberParam(params.number);
        try {
          await addTimeEntry(ctx, number, timeInput(body));
          return seeOther(set, request, ticketUrl(number, "time"));
        } catch (error) {
          if (!shownInForm(error)) throw error;
          return panelFailure(ctx, deps, csrf, number, "time", error, body, set);
        }
      },
    )
    .get("/desk/tickets/:number/time-entries/:entryId", async ({ user, csrf, ctxFor, params }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      const { entry } = await timeEntryOf(ctx, number, params.entryId);
      const timeZone = await organizationTimeZone(deps.database.db, ctx.actor.orgId);
      return (
        <TimeEntryPage
          csrf={csrf}
          viewer={viewerOf(ctx.actor as SessionUser)}
          number={number}
          entry={entry}
          timeZone={timeZone}
        />
      );
    })
    .post(
      "/desk/tickets/:number/time-entries/:entryId",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "tickets.work"));
        const number = ticketNumberParam(params.number);
        try {
          await updateTimeEntry(ctx, number, params.entryId, timeInput(body));
          return seeOther(set, request, ticketUrl(number, "time"));
        } catch (error) {
          if (!shownInForm(error)) throw error;
          const { entry } = await timeEntryOf(ctx, number, params.entryId);
          const timeZone = await organizationTimeZone(deps.database.db, ctx.actor.orgId);
          set.status = error.status;
          return (
            <TimeEntryPage
              csrf={csrf}
              viewer={viewerOf(ctx.actor as SessionUser)}
              number={number}
              entry={entry}
              timeZone={timeZone}
              failed={{ message: error.message, fields: error.fields ?? {}, values: formValues(body) }}
            />
          );
        }
      },
    )
    .post(
      "/desk/tickets/:number/time-entries/:entryId/delete",
      async ({ user, ctxFor, params, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "tickets.work"));
        const number = ticketNumberParam(params.number);
        await deleteTimeEntry(ctx, number, params.entryId);
        return seeOther(set, request, ticketUrl(number, "time"));
      },
    );
}

function timeInput(body: unknown) {
  return {
    duration: field(body, "duration"),
    startedAt: field(body, "startedAt"),
    note: field(body, "note"),
    billable: field(body, "billable") === "1",
  };
}
