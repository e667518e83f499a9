// Assignment: the admins' strategies at /admin/assignment, the agents' availability on their
// account page, and the ticket page's "Assign automatically" button.
import { Elysia } from "elysia";
import {
  assignNow,
  listTeamAssignment,
  saveTeamAssignment,
  setMyAvailability,
} from "../domain/assignment/assign";
import {
  agentProfile,
  agentProfiles,
  categorySkillList,
  saveAgentProfile,
  saveCategorySkills,
  zoneChoices,
} from "../domain/assignment/profiles";
import type { Ctx } from "../domain/context";
import { isDomainError } from "../domain/errors";
import { formatTicketNumber } from "../domain/orgs/counters";
import { AgentProfilePage, type AssignmentExtras, AssignmentPage } from "../views/admin/assignment";
import type { Deps } from "./deps";
import { ticketNumberParam } from "./desk";
import { field, formValues, requireUser, requireUserWith, seeOther, viewerOf, webContext } from "./web";

async function extrasOf(
  ctx: Ctx,
  failedCategory?: AssignmentExtras["failedCategory"],
): Promise<AssignmentExtras> {
  const [agents, categories] = await Promise.all([agentProfiles(ctx), categorySkillList(ctx)]);
  return { agents, categories, failedCategory };
}

export function assignmentRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/admin/assignment", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      return (
        <AssignmentPage
          csrf={csrf}
          viewer={viewerOf(me)}
          teams={await listTeamAssignment(ctx)}
          notice={query.notice === "saved" ? "Saved." : undefined}
          extras={await extrasOf(ctx)}
        />
      );
    })
    .get("/admin/assignment/agents/:userId", async ({ user, csrf, ctxFor, params }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      const agent = await agentProfile(ctx, params.userId);
      return (
        <AgentProfilePage csrf={csrf} viewer={viewerOf(me)} agent={agent} zones={await zoneChoices(ctx)} />
      );
    })
    .post("/admin/assignment/agents/:userId", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      try {
        await saveAgentProfile(ctx, params.userId, {
          skills: field(body, "skills"),
          zoneId: field(body, "zoneId"),
          hours: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, field(body, `hours_${d}`)])),
        });
        return seeOther(set, request, "/admin/assignment?notice=saved#agents");
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return (
          <AgentProfilePage
            csrf={csrf}
            viewer={viewerOf(me)}
            agent={await agentProfile(ctx, params.userId)}
            zones={await zoneChoices(ctx)}
            failed={{ message: error.message, fields: error.fields ?? {}, values: formValues(body) }}
          />
        );
      }
    })
    .post(
      "/admin/assignment/categories/:categoryId",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const me = requireUser(user);
        const ctx = ctxFor(me);
        try {
          await saveCategorySkills(ctx, params.categoryId, field(body, "skills"));
          return seeOther(set, request, "/admin/assignment?notice=saved#category-skills");
        } catch (error) {
          if (!isDomainError(error) || error.status !== 422) throw error;
          set.status = 422;
          return (
            <AssignmentPage
              csrf={csrf}
              viewer={viewerOf(me)}
              teams={await listTeamAssignment(ctx)}
              extras={
                await extrasOf(ctx, {
                  categoryId: params.categoryId,
                  error: error.fields?.skills ?? error.message,
                  value: field(body, "skills"),
                })
              }
            />
          );
        }
      },
    )
    .post("/admin/assignment/:teamId", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUser(user);
      const ctx = ctxFor(me);
      try {
        await saveTeamAssignment(ctx, params.teamId, {
          strategy: field(body, "strategy"),
          maxOpenPerAgent: field(body, "maxOpenPerAgent"),
          weights: {
            zone: field(body, "weight_zone"),
            availability: field(body, "weight_availability"),
            workload: field(body, "weight_workload"),
            rating: field(body, "weight_rating"),
          },
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
            extras={await extrasOf(ctx)}
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
