// Assignment: the admins' strategies at /admin/assignment, the agents' availability on their
// account page, and the ticket page's "Assign automatically" button.
import { Elysia } from "elysia";
import {
  assignNow,
  listTeamAssignment,
  saveTeamAssignment,
  setMyAvailability,
} from "../domain/assignment/assign";
import { isDomainError } from "../domain/errors";
import { formatTicketNumber } from "../domain/orgs/counters";
import { AssignmentPage } from "../views/admin/assignment";
import type { Deps } from "./deps";
import { ticketNumberParam } from "./desk";
import { field, formValues, requireUser, requireUserWith, seeOther, viewerOf, webContext } from "./web";

export function assignmentRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/admin/assignment", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUser(user);
      return (
        <AssignmentPage
          csrf={csrf}
          viewer={viewerOf(me)}
          teams={await listTeamAssignment(ctxFor(me))}
          notice={query.notice === "saved" ? "Saved." : undefined}
        />
      );
    })
    .post("/admin/assignment/:teamId", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      try {
        await saveTeamAssignment(ctx, params.teamId, {
          strategy: field(body, "strategy"),
          maxOpenPerAgent: field(body, "maxOpenPerAgent"),
        });
        return seeOther(set, request, "/admin/assignment?notice=saved");
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return (
          <AssignmentPage
            csrf={csrf}
            viewer={viewerOf(me)}
            teams={await listTeamAssignment(ctx)}
            failed={{
              teamId: params.teamId,
              message: error.message,
              fields: error.fields ?? {},
              values: formValues(body),
            }}
          />
        );
      }
    })
    .post("/account/availability", async ({ user, ctxFor, body, set, request }) => {
      await setMyAvailability(ctxFor(requireUserWith(user, "tickets.work")), field(body, "availability"));
      return seeOther(set, request, "/account?notice=availability");
    })
    .post("/desk/tickets/:number/auto-assign", async ({ user, ctxFor, params, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      const choice = await assignNow(ctx, number);
      const notice = choice?.userId ? "assigned" : "not-assigned";
      return seeOther(set, request, `/desk/tickets/${formatTicketNumber(number)}?notice=${notice}`);
    });
}
