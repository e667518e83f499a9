// The customer portal: works entirely without JavaScript — plain forms, POST-redirect-GET.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import type { Ctx } from "../domain/context";
import { isDomainError } from "../domain/errors";
import { readCatalog } from "../domain/fields/catalog";
import { formatEstimateNumber } from "../domain/fsm/estimateRules";
import { acceptEstimate, declineEstimate, getEstimate, listOwnEstimates } from "../domain/fsm/estimates";
import { deflectionSuggestions, recordDeflection } from "../domain/kb/deflection";
import { formatTicketNumber } from "../domain/orgs/counters";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { continuationFor } from "../domain/relations/merge";
import { searchOwnTickets } from "../domain/search/search";
import { addMessage, createTicket, updateTicket } from "../domain/tickets/commands";
import { getAttachment, getTicket, listOwnTickets } from "../domain/tickets/queries";
import { fieldValuesFromBody } from "../views/fields/form";
import { DeflectionSuggestions } from "../views/kb/help";
import { PortalEstimatePage, PortalEstimatesPage, type PortalFailed } from "../views/portal/estimates";
import { PortalNewTicketPage, PortalTicketPage, PortalTicketsPage } from "../views/portal/pages";
import type { Deps } from "./deps";
import { attachmentResponse, ticketNumberParam } from "./desk";
import { estimateNumberParam } from "./estimates";
import { field, formValues, requireUserWith, seeOther, uploads, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  created: "Thank you — your ticket was submitted. We will answer here and by email.",
  sent: "Your reply was sent.",
  solved: "Glad it is solved. You can reopen the ticket if the problem comes back.",
  reopened: "The ticket is open again; we will look at it.",
  deflected: "Glad the article answered your question — no ticket was needed.",
};

const ESTIMATE_NOTICES: Record<string, string> = {
  accepted: "Thank you — the estimate is accepted. We will be in touch to schedule the work.",
  declined: "The estimate is declined. Thank you for letting us know.",
};

async function portalEstimatePage(
  ctx: Ctx,
  csrf: string,
  number: number,
  extra: { notice?: string; failed?: PortalFailed } = {},
) {
  const [detail, timeZone] = await Promise.all([
    getEstimate(ctx, number),
    organizationTimeZone(ctx.db, ctx.actor.orgId),
  ]);
  return (
    <PortalEstimatePage
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      detail={detail}
      timeZone={timeZone}
      {...extra}
    />
  );
}

export function portalRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/portal", ({ set, request }) => seeOther(set, request, "/portal/tickets"))
    .get("/portal/tickets", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUserWith(user, "tickets.read_own");
      const q = typeof query.q === "string" ? query.q.trim().slice(0, 200) : "";
      const tickets = q ? await searchOwnTickets(ctxFor(me), { q }) : await listOwnTickets(ctxFor(me));
      return (
        <PortalTicketsPage
          csrf={csrf}
          viewer={viewerOf(me)}
          tickets={tickets}
          timeZone={await organizationTimeZone(deps.database.db, me.orgId)}
          notice={NOTICES[query.notice ?? ""]}
          q={q}
        />
      );
    })
    .get("/portal/tickets/new", async ({ user, csrf, ctxFor }) => {
      const me = requireUserWith(user, "tickets.read_own");
      return (
        <PortalNewTicketPage csrf={csrf} viewer={viewerOf(me)} catalog={await readCatalog(ctxFor(me))} />
      );
    })
    .post("/portal/tickets", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "tickets.read_own");
      const catalog = await readCatalog(ctxFor(me));
      const fieldValues = fieldValuesFromBody(body);
      // "Continue": the same form again, with the chosen category's fields and everything typed.
      if (field(body, "continue")) {
        return (
          <PortalNewTicketPage
            csrf={csrf}
            viewer={viewerOf(me)}
            values={formValues(body)}
            catalog={catalog}
            fieldValues={fieldValues}
          />
        );
      }
      // The first submit offers matching articles; submitting again creates the ticket.
      const files = uploads(body);
      if (field(body, "suggested") !== "1" && files.length === 0 && field(body, "subject").trim()) {
        const hits = await deflectionSuggestions(
          ctxFor(me),
          `${field(body, "subject")} ${field(body, "body")}`,
        );
        if (hits.length > 0) {
          return (
            <PortalNewTicketPage
              csrf={csrf}
              viewer={viewerOf(me)}
              values={formValues(body)}
              catalog={catalog}
              fieldValues={fieldValues}
              suggestions={<DeflectionSuggestions csrf={csrf} subject={field(body, "subject")} hits={hits} />}
            />
          );
        }
      }
      try {
        const ticket = await createTicket(ctxFor(me), {
          subject: field(body, "subject"),
          body: field(body, "body"),
          files,
          category: field(body, "category") || null,
          fields: fieldValues,
          wholeForm: true,
        });
        return seeOther(set, request, `/portal/tickets/${formatTicketNumber(ticket.number)}?notice=created`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403) throw error;
        set.status = error.status;
        return (
          <PortalNewTicketPage
            csrf={csrf}
            viewer={viewerOf(me)}
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
            catalog={catalog}
            fieldValues={fieldValues}
          />
        );
      }
    })
    .post("/portal/deflections", async ({ user, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "tickets.read_own");
      await recordDeflection(ctxFor(me), {
        articleId: field(body, "articleId"),
        query: field(body, "subject"),
      });
      return seeOther(set, request, "/portal/tickets?notice=deflected");
    })
    .get("/portal/tickets/:number", async ({ user, csrf, ctxFor, params, query, set, request }) => {
      const me = requireUserWith(user, "tickets.read_own");
      const detail = await getTicket(ctxFor(me), ticketNumberParam(params.number));
      // A merged request continues in another ticket: the customer is taken there.
      const continuation = await continuationFor(ctxFor(me), detail.ticket);
      if (continuation)
        return seeOther(set, request, `/portal/tickets/${formatTicketNumber(continuation.number)}`);
      return (
        <PortalTicketPage
          csrf={csrf}
          viewer={viewerOf(me)}
          detail={detail}
          timeZone={await organizationTimeZone(deps.database.db, me.orgId)}
          notice={NOTICES[query.notice ?? ""]}
          catalog={await readCatalog(ctxFor(me))}
        />
      );
    })
    .post("/portal/tickets/:number/messages", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "tickets.read_own");
      const number = ticketNumberParam(params.number);
      try {
        await addMessage(ctxFor(me), number, {
          kind: "reply",
          body: field(body, "body"),
          files: uploads(body),
        });
        return seeOther(set, request, `/portal/tickets/${formatTicketNumber(number)}?notice=sent`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        const detail = await getTicket(ctxFor(me), number);
        return (
          <PortalTicketPage
            csrf={csrf}
            viewer={viewerOf(me)}
            detail={detail}
            timeZone={await organizationTimeZone(deps.database.db, me.orgId)}
            catalog={await readCatalog(ctxFor(me))}
            failed={{ message: error.message, fields: error.fields ?? {}, values: formValues(body) }}
          />
        );
      }
    })
    .post("/portal/tickets/:number/status", async ({ user, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "tickets.read_own");
      const number = ticketNumberParam(params.number);
      const status = field(body, "status");
      await updateTicket(ctxFor(me), number, { status });
      return seeOther(
        set,
        request,
        `/portal/tickets/${formatTicketNumber(number)}?notice=${status === "solved" ? "solved" : "reopened"}`,
      );
    })
    .get("/portal/estimates", async ({ user, csrf, ctxFor }) => {
      const me = requireUserWith(user, "estimates.respond");
      return (
        <PortalEstimatesPage
          csrf={csrf}
          viewer={viewerOf(me)}
          estimates={await listOwnEstimates(ctxFor(me))}
        />
      );
    })
    .get("/portal/estimates/:number", async ({ user, csrf, ctxFor, params, query }) => {
      const me = requireUserWith(user, "estimates.respond");
      return portalEstimatePage(ctxFor(me), csrf, estimateNumberParam(params.number), {
        notice: ESTIMATE_NOTICES[query.notice ?? ""],
      });
    })
    .post(
      "/portal/estimates/:number/accept",
      async ({ user, csrf, ctxFor, params, body, set, request, server }) => {
        const me = requireUserWith(user, "estimates.respond");
        const number = estimateNumberParam(params.number);
        try {
          await acceptEstimate(ctxFor(me), number, {
            name: field(body, "signatureName"),
            agreed: field(body, "agree") !== "",
            ip: server?.requestIP(request)?.address ?? null,
          });
          return seeOther(set, request, `/portal/estimates/${formatEstimateNumber(number)}?notice=accepted`);
        } catch (error) {
          if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
          set.status = error.status;
          return portalEstimatePage(ctxFor(me), csrf, number, {
            failed: {
              form: "accept",
              message: error.message,
              fields: error.fields ?? {},
              values: formValues(body),
            },
          });
        }
      },
    )
    .post("/portal/estimates/:number/decline", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "estimates.respond");
      const number = estimateNumberParam(params.number);
      try {
        await declineEstimate(ctxFor(me), number, { reason: field(body, "reason") });
        return seeOther(set, request, `/portal/estimates/${formatEstimateNumber(number)}?notice=declined`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        return portalEstimatePage(ctxFor(me), csrf, number, {
          failed: {
            form: "decline",
            message: error.message,
            fields: error.fields ?? {},
            values: formValues(body),
          },
        });
      }
    })
    .get("/portal/attachments/:id", async ({ user, ctxFor, params }) => {
      const me = requireUserWith(user, "tickets.read_own");
      return attachmentResponse(deps, await getAttachment(ctxFor(me), params.id));
    });
}
