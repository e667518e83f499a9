// Preventive maintenance plans (/fsm/maintenance): list, new and edit forms, the plan's page.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import type { Ctx } from "../domain/context";
import { instantToLocal } from "../domain/fsm/field";
import {
  addPlanLine,
  createPlan,
  getPlan,
  listPlans,
  type PlanInput,
  removePlanLine,
  setPlanActive,
  updatePlan,
} from "../domain/fsm/maintenance";
import { workOrderChoices } from "../domain/fsm/workOrders";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { PlanFormPage, PlanListPage, PlanPage, planFormValues } from "../views/fsm/maintenance";
import type { Failed } from "../views/fsm/workOrders";
import type { Deps } from "./deps";
import {
  failedFrom,
  field,
  fieldList,
  lineInputFrom,
  requireUserWith,
  seeOther,
  viewerOf,
  webContext,
} from "./web";

const NOTICES: Record<string, string> = {
  created: "Plan created. Add the services and parts each visit needs.",
  saved: "Plan saved.",
  line: "Line added.",
  removed: "Line removed.",
  paused: "Plan paused: no more work orders are made until it is resumed.",
  resumed: "Plan resumed.",
};

function planInput(body: unknown): PlanInput {
  return {
    title: field(body, "title"),
    description: field(body, "description"),
    assetId: field(body, "assetId"),
    locationId: field(body, "locationId"),
    priority: field(body, "priority"),
    durationMinutes: field(body, "durationMinutes"),
    skillIds: fieldList(body, "skillIds"),
    recurrenceKind: field(body, "recurrenceKind"),
    intervalCount: field(body, "intervalCount"),
    intervalUnit: field(body, "intervalUnit"),
    dates: field(body, "dates"),
    rrule: field(body, "rrule"),
    startsOn: field(body, "startsOn"),
    endsOn: field(body, "endsOn"),
    leadDays: field(body, "leadDays"),
  };
}

async function planPage(
  ctx: Ctx,
  csrf: string,
  id: string,
  extra: { notice?: string; failed?: Failed } = {},
) {
  const [detail, choices] = await Promise.all([getPlan(ctx, id), workOrderChoices(ctx)]);
  return (
    <PlanPage
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      detail={detail}
      choices={choices}
      {...extra}
    />
  );
}

export function maintenanceRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/maintenance", async ({ user, csrf, ctxFor }) => {
      const ctx = ctxFor(requireUserWith(user, "maintenance.manage"));
      return (
        <PlanListPage csrf={csrf} viewer={viewerOf(ctx.actor as SessionUser)} rows={await listPlans(ctx)} />
      );
    })
    .get("/fsm/maintenance/new", async ({ user, csrf, ctxFor, now, query }) => {
      const ctx = ctxFor(requireUserWith(user, "maintenance.manage"));
      return (
        <PlanFormPage
          csrf={csrf}
          viewer={viewerOf(ctx.actor as SessionUser)}
          choices={await workOrderChoices(ctx)}
          action="/fsm/maintenance"
          heading="New maintenance plan"
          values={{
            startsOn: instantToLocal(now, await organizationTimeZone(ctx.db, ctx.actor.orgId)).slice(0, 10),
            // From an asset's page: the plan starts out for that asset.
            assetId: typeof query.assetId === "string" ? query.assetId.slice(0, 36) : "",
          }}
        />
      );
    })
    .post("/fsm/maintenance", async ({ user, csrf, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "maintenance.manage"));
      try {
        const plan = await createPlan(ctx, planInput(body));
        return seeOther(set, request, `/fsm/maintenance/${plan.id}?notice=created`);
      } catch (error) {
        const failed = failedFrom(error, "plan", body);
        set.status = (error as { status: number }).status;
        return (
          <PlanFormPage
            csrf={csrf}
            viewer={viewerOf(ctx.actor as SessionUser)}
            choices={await workOrderChoices(ctx)}
            action="/fsm/maintenance"
            heading="New maintenance plan"
            values={failed.values}
            skillIds={fieldList(body, "skillIds")}
            fields={failed.fields}
            message={failed.message}
          />
        );
      }
    })
    .get("/fsm/maintenance/:id", async ({ user, csrf, ctxFor, params, query }) => {
      const ctx = ctxFor(requireUserWith(user, "maintenance.manage"));
      return planPage(ctx, csrf, params.id, { notice: NOTICES[query.notice ?? ""] });
    })
    .get("/fsm/maintenance/:id/edit", async ({ user, csrf, ctxFor, params }) => {
      const ctx = ctxFor(requireUserWith(user, "maintenance.manage"));
      const [detail, choices] = await Promise.all([getPlan(ctx, params.id), workOrderChoices(ctx)]);
      return (
        <PlanFormPage
          csrf={csrf}
          viewer={viewerOf(ctx.actor as SessionUser)}
          choices={choices}
          action={`/fsm/maintenance/${detail.plan.id}`}
          heading={`Edit ${detail.plan.title}`}
          values={planFormValues(detail.plan)}
          skillIds={detail.skills.map((s) => s.id)}
        />
      );
    })
    .post("/fsm/maintenance/:id", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "maintenance.manage"));
      try {
        const plan = await updatePlan(ctx, params.id, planInput(body));
        return seeOther(set, request, `/fsm/maintenance/${plan.id}?notice=saved`);
      } catch (error) {
        const failed = failedFrom(error, "plan", body);
        const { plan } = await getPlan(ctx, params.id);
        set.status = (error as { status: number }).status;
        return (
          <PlanFormPage
            csrf={csrf}
            viewer={viewerOf(ctx.actor as SessionUser)}
            choices={await workOrderChoices(ctx)}
            action={`/fsm/maintenance/${plan.id}`}
            heading={`Edit ${plan.title}`}
            values={failed.values}
            skillIds={fieldList(body, "skillIds")}
            fields={failed.fields}
            message={failed.message}
          />
        );
      }
    })
    .post("/fsm/maintenance/:id/active", async ({ user, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "maintenance.manage"));
      const active = field(body, "active") === "1";
      const plan = await setPlanActive(ctx, params.id, active);
      return seeOther(set, request, `/fsm/maintenance/${plan.id}?notice=${active ? "resumed" : "paused"}`);
    })
    .post("/fsm/maintenance/:id/lines", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "maintenance.manage"));
      try {
        await addPlanLine(ctx, params.id, lineInputFrom(body));
        return seeOther(set, request, `/fsm/maintenance/${params.id}?notice=line`);
      } catch (error) {
        const failed = failedFrom(error, "line", body);
        set.status = (error as { status: number }).status;
        return planPage(ctx, csrf, params.id, { failed });
      }
    })
    .post("/fsm/maintenance/:id/lines/:lineId/delete", async ({ user, ctxFor, params, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "maintenance.manage"));
      await removePlanLine(ctx, params.id, params.lineId);
      return seeOther(set, request, `/fsm/maintenance/${params.id}?notice=removed`);
    });
}
