// Job sheet templates (/fsm/job-sheets: list, new, edit, archive) and attaching them to a work
// order from its page. Bad input re-renders the form with the fields marked and the text kept.
import { Elysia } from "elysia";
import { JOB_SHEET_SECTIONS } from "../../db/schema";
import type { SessionUser } from "../domain/auth/sessions";
import type { Ctx } from "../domain/context";
import {
  attachJobSheet,
  createTemplate,
  detachJobSheet,
  getTemplate,
  listTemplates,
  serviceChoices,
  setTemplateActive,
  type TemplateInput,
  templateFormValues,
  updateTemplate,
} from "../domain/fsm/jobSheets";
import { formatWorkOrderNumber } from "../domain/fsm/rules";
import { TemplateFormPage, TemplateListPage } from "../views/fsm/jobSheets";
import type { Failed } from "../views/fsm/workOrders";
import type { Deps } from "./deps";
import { workOrderNumberParam, workOrderPage } from "./fsm";
import { failedFrom, field, fieldList, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  created: "Job sheet created.",
  saved: "Job sheet saved. Work orders that already have it keep the items they were given.",
  archived: "Job sheet archived: it is no longer attached to new work orders.",
  restored: "Job sheet restored.",
};

function templateInput(body: unknown): TemplateInput {
  return {
    name: field(body, "name"),
    description: field(body, "description"),
    serviceIds: fieldList(body, "serviceIds"),
    sections: Object.fromEntries(JOB_SHEET_SECTIONS.map((s) => [s, field(body, s)])),
  };
}

async function formPage(
  ctx: Ctx,
  csrf: string,
  props: {
    heading: string;
    action: string;
    values?: Record<string, string>;
    serviceIds?: string[];
    failed?: Failed;
    notice?: string;
    template?: { id: string; active: boolean; version: number };
  },
) {
  return (
    <TemplateFormPage
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      services={await serviceChoices(ctx)}
      heading={props.heading}
      action={props.action}
      values={props.failed?.values ?? props.values}
      serviceIds={props.serviceIds}
      fields={props.failed?.fields}
      message={props.failed?.message}
      notice={props.notice}
      template={props.template}
    />
  );
}

/**
 * Mounted inside the maintenance plugin rather than chained onto the app: past about thirty chained
 * plugins TypeScript stops inferring the app's type.
 */
export function jobSheetRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/job-sheets", async ({ user, csrf, ctxFor, query }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      return (
        <TemplateListPage
          csrf={csrf}
          viewer={viewerOf(ctx.actor as SessionUser)}
          rows={await listTemplates(ctx)}
          notice={NOTICES[query.notice ?? ""]}
        />
      );
    })
    .get("/fsm/job-sheets/new", async ({ user, csrf, ctxFor }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      return formPage(ctx, csrf, { heading: "New job sheet", action: "/fsm/job-sheets" });
    })
    .post("/fsm/job-sheets", async ({ user, csrf, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      try {
        const template = await createTemplate(ctx, templateInput(body));
        return seeOther(set, request, `/fsm/job-sheets/${template.id}?notice=created`);
      } catch (error) {
        const failed = failedFrom(error, "template", body);
        set.status = (error as { status: number }).status;
        return formPage(ctx, csrf, {
          heading: "New job sheet",
          action: "/fsm/job-sheets",
          serviceIds: fieldList(body, "serviceIds"),
          failed,
        });
      }
    })
    .get("/fsm/job-sheets/:id", async ({ user, csrf, ctxFor, params, query }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const detail = await getTemplate(ctx, params.id);
      return formPage(ctx, csrf, {
        heading: detail.template.name,
        action: `/fsm/job-sheets/${detail.template.id}`,
        values: templateFormValues(detail),
        serviceIds: detail.serviceIds,
        notice: NOTICES[query.notice ?? ""],
        template: detail.template,
      });
    })
    .post("/fsm/job-sheets/:id", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      try {
        const template = await updateTemplate(ctx, params.id, templateInput(body));
        return seeOther(set, request, `/fsm/job-sheets/${template.id}?notice=saved`);
      } catch (error) {
        const failed = failedFrom(error, "template", body);
        const { template } = await getTemplate(ctx, params.id);
        set.status = (error as { status: number }).status;
        return formPage(ctx, csrf, {
          heading: template.name,
          action: `/fsm/job-sheets/${template.id}`,
          serviceIds: fieldList(body, "serviceIds"),
          failed,
          template,
        });
      }
    })
    .post("/fsm/job-sheets/:id/active", async ({ user, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const active = field(body, "active") === "1";
      const template = await setTemplateActive(ctx, params.id, active);
      return seeOther(
        set,
        request,
        `/fsm/job-sheets/${template.id}?notice=${active ? "restored" : "archived"}`,
      );
    })
    .post(
      "/fsm/work-orders/:number/job-sheets",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
        const number = workOrderNumberParam(params.number);
        try {
          await attachJobSheet(ctx, number, field(body, "templateId"));
          return seeOther(
            set,
            request,
            `/fsm/work-orders/${formatWorkOrderNumber(number)}?notice=sheet#job-sheets`,
          );
        } catch (error) {
          const failed = failedFrom(error, "jobSheet", body);
          set.status = (error as { status: number }).status;
          return workOrderPage(ctx, csrf, number, { failed });
        }
      },
    )
    .post(
      "/fsm/work-orders/:number/job-sheets/:sheetId/detach",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
        const number = workOrderNumberParam(params.number);
        try {
          await detachJobSheet(ctx, number, params.sheetId);
          return seeOther(
            set,
            request,
            `/fsm/work-orders/${formatWorkOrderNumber(number)}?notice=detached#job-sheets`,
          );
        } catch (error) {
          const failed = failedFrom(error, "jobSheet", body);
          set.status = (error as { status: number }).status;
          return workOrderPage(ctx, csrf, number, { failed });
        }
      },
    );
}
