// The category and custom fields of tickets on the desk: the htmx block of the ticket forms, and
// the ticket page's own category form (Continue without JavaScript, or save).
import { Elysia } from "elysia";
import { isDomainError } from "../domain/errors";
import { readCatalog } from "../domain/fields/catalog";
import { formatTicketNumber } from "../domain/orgs/counters";
import { updateTicket } from "../domain/tickets/commands";
import { TicketPage } from "../views/desk/ticketPage";
import { ClassificationFields, fieldValuesFromBody } from "../views/fields/form";
import type { Deps } from "./deps";
import { ticketNumberParam, ticketPageProps } from "./desk";
import { field, requireUserWith, seeOther, webContext } from "./web";

export function ticketFieldRoutes(deps: Deps) {
  return (
    new Elysia()
      .use(webContext(deps))
      // htmx: the category block of a ticket form again, for the category and values sent.
      .post("/desk/fields/form", async ({ user, ctxFor, body }) => {
        const me = requireUserWith(user, "tickets.work");
        return (
          <ClassificationFields
            catalog={await readCatalog(ctxFor(me))}
            audience="staff"
            values={{ category: field(body, "category"), fields: fieldValuesFromBody(body) }}
            refreshUrl="/desk/fields/form"
            enhanced
          />
        );
      })
      .post("/desk/tickets/:number/fields", async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "tickets.read_all"));
        const number = ticketNumberParam(params.number);
        const values = { category: field(body, "category"), fields: fieldValuesFromBody(body) };
        if (field(body, "continue")) {
          const props = await ticketPageProps(ctx, deps, csrf, number);
          props.classification = { values, errors: {} };
          return <TicketPage {...props} />;
        }
        try {
          await updateTicket(ctx, number, {
            category: values.category || null,
            fields: values.fields,
            wholeForm: true,
          });
          return seeOther(set, request, `/desk/tickets/${formatTicketNumber(number)}?notice=saved`);
        } catch (error) {
          if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
          set.status = error.status;
          const props = await ticketPageProps(ctx, deps, csrf, number);
          props.classification = { values, errors: error.fields ?? {}, message: error.message };
          return <TicketPage {...props} />;
        }
      })
  );
}
