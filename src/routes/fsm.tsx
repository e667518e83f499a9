// The dispatcher's work orders (/fsm/work-orders): list, create, the work order page and its forms.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import { type Ctx, can } from "../domain/context";
import { estimateOfWorkOrder } from "../domain/fsm/estimates";
import { instantToLocal, localToInstant } from "../domain/fsm/field";
import { inventoryChoices, stockTakenFor } from "../domain/fsm/inventory";
import { activeTemplates, jobSheetsOf } from "../domain/fsm/jobSheets";
import { planOfWorkOrder } from "../domain/fsm/maintenance";
import { formatWorkOrderNumber, workOrderNumbers } from "../domain/fsm/rules";
import {
  addLineItem,
  changeAppointmentStatus,
  changeWorkOrderStatus,
  contactByEmail,
  createWorkOrder,
  createWorkOrderFromTicket,
  findAppointment,
  getWorkOrder,
  listWorkOrders,
  parseWorkOrderFilters,
  qualifiedTechnicians,
  scheduleAppointment,
  workOrderChoices,
} from "../domain/fsm/workOrders";
import { invoiceOfWorkOrder } from "../domain/invoicing/invoices";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { type Failed, NewWorkOrderPage, WorkOrderListPage, WorkOrderPage } from "../views/fsm/workOrders";
import type { Deps } from "./deps";
import { ticketNumberParam } from "./desk";
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
  created: "Work order created.",
  scheduled: "Visit scheduled.",
  dispatched: "Visit dispatched.",
  line: "Line added.",
  "part-used": "Part recorded and taken from stock.",
  "part-removed": "Part removed and put back where it came from.",
  saved: "Status saved.",
  sheet: "Job sheet attached.",
  detached: "Job sheet detached.",
};

export const workOrderNumberParam = workOrderNumbers.param;

export async function workOrderPage(
  ctx: Ctx,
  csrf: string,
  number: number,
  extra: { notice?: string; failed?: Failed } = {},
) {
  const [detail, choices, timeZone] = await Promise.all([
    getWorkOrder(ctx, number),
    workOrderChoices(ctx),
    organizationTimeZone(ctx.db, ctx.actor.orgId),
  ]);
  const [estimate, plan, jobSheets, templates, invoicing] = await Promise.all([
    estimateOfWorkOrder(ctx, detail.workOrder.id),
    planOfWorkOrder(ctx, detail.workOrder.id),
    jobSheetsOf(ctx.db, ctx.actor.orgId, detail.workOrder.id),
    activeTemplates(ctx),
    invoiceOfWorkOrder(ctx, detail.workOrder),
  ]);
  const stock = can(ctx.actor, "inventory.manage")
    ? { taken: await stockTakenFor(ctx, detail.workOrder.id), choices: await inventoryChoices(ctx) }
    : undefined;
  const qualified = detail.skills.length
    ? await qualifiedTechnicians(ctx, detail.workOrder.id, instantToLocal(ctx.now, timeZone).slice(0, 10))
    : undefined;
  return (
    <WorkOrderPage
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      detail={detail}
      choices={choices}
      timeZone={timeZone}
      canManage={can(ctx.actor, "fsm.manage")}
      localNow={instantToLocal(ctx.now, timeZone)}
      qualified={qualified}
      estimate={estimate}
      plan={plan}
      canEstimate={can(ctx.actor, "estimates.manage")}
      invoicing={invoicing}
      jobSheets={jobSheets}
      templates={templates}
      stock={stock}
      {...extra}
    />
  );
}

export function fsmRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm", ({ set, request }) => seeOther(set, request, "/fsm/work-orders"))
    .get("/fsm/work-orders", async ({ user, csrf, ctxFor, query }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.read"));
      const filters = parseWorkOrderFilters(query);
      const [rows, choices, timeZone] = await Promise.all([
        listWorkOrders(ctx, filters),
        workOrderChoices(ctx),
        organizationTimeZone(ctx.db, ctx.actor.orgId),
      ]);
      return (
        <WorkOrderListPage
          csrf={csrf}
          viewer={viewerOf(ctx.actor as SessionUser)}
          rows={rows}
          filters={filters}
          technicians={choices.technicians}
          timeZone={timeZone}
          canManage={can(ctx.actor, "fsm.manage")}
        />
      );
    })
    .get("/fsm/work-orders/new", async ({ user, csrf, ctxFor }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      return (
        <NewWorkOrderPage
          csrf={csrf}
          viewer={viewerOf(ctx.actor as SessionUser)}
          choices={await workOrderChoices(ctx)}
        />
      );
    })
    .post("/fsm/work-orders", async ({ user, csrf, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const email = field(body, "contactEmail").trim();
      try {
        const contactId = email ? ((await contactByEmail(ctx, email)) ?? "unknown") : null;
        const wo = await createWorkOrder(ctx, {
          subject: field(body, "subject"),
          description: field(body, "description"),
          priority: field(body, "priority"),
          contactId,
          locationId: field(body, "locationId") || null,
          assetId: field(body, "assetId") || null,
          skillIds: fieldList(body, "skillIds").filter(Boolean),
        });
        return seeOther(set, request, `/fsm/work-orders/${formatWorkOrderNumber(wo.number)}?notice=created`);
      } catch (error) {
        const failed = failedFrom(error, "create", body);
        if (failed.fields.contactId && email) failed.fields.contactId = "No customer has that email address.";
        set.status = (error as { status: number }).status;
        return (
          <NewWorkOrderPage
            csrf={csrf}
            viewer={viewerOf(ctx.actor as SessionUser)}
            choices={await workOrderChoices(ctx)}
            values={failed.values}
            fields={failed.fields}
            message={failed.message}
          />
        );
      }
    })
    .post("/fsm/work-orders/from-ticket", async ({ user, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.from_ticket"));
      const wo = await createWorkOrderFromTicket(ctx, ticketNumberParam(field(body, "ticket")));
      return seeOther(set, request, `/fsm/work-orders/${formatWorkOrderNumber(wo.number)}?notice=created`);
    })
    .get("/fsm/work-orders/:number", async ({ user, csrf, ctxFor, params, query }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.read"));
      return workOrderPage(ctx, csrf, workOrderNumberParam(params.number), {
        notice: NOTICES[query.notice ?? ""],
      });
    })
    .post("/fsm/work-orders/:number/status", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const number = workOrderNumberParam(params.number);
      try {
        await changeWorkOrderStatus(ctx, number, field(body, "status"));
        return seeOther(set, request, `/fsm/work-orders/${formatWorkOrderNumber(number)}?notice=saved`);
      } catch (error) {
        const failed = failedFrom(error, "status", body);
        set.status = (error as { status: number }).status;
        return workOrderPage(ctx, csrf, number, { failed });
      }
    })
    .post(
      "/fsm/work-orders/:number/appointments",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
        const number = workOrderNumberParam(params.number);
        try {
          const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
          const startsAt = localToInstant(field(body, "startsAt"), timeZone);
          const minutes = Number(field(body, "minutes") || "120");
          const endsAt =
            startsAt && Number.isInteger(minutes) && minutes > 0 && minutes <= 24 * 60
              ? new Date(startsAt.getTime() + minutes * 60_000)
              : startsAt
                ? new Date(Number.NaN)
                : undefined;
          await scheduleAppointment(ctx, number, {
            startsAt,
            endsAt,
            technicianIds: fieldList(body, "technicianIds").filter(Boolean),
            crewId: field(body, "crewId") || undefined,
            override: field(body, "override") === "1",
          });
          return seeOther(set, request, `/fsm/work-orders/${formatWorkOrderNumber(number)}?notice=scheduled`);
        } catch (error) {
          const failed = failedFrom(error, "appointment", body);
          set.status = (error as { status: number }).status;
          return workOrderPage(ctx, csrf, number, { failed });
        }
      },
    )
    .post("/fsm/work-orders/:number/lines", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const number = workOrderNumberParam(params.number);
      try {
        await addLineItem(ctx, number, lineInputFrom(body));
        return seeOther(set, request, `/fsm/work-orders/${formatWorkOrderNumber(number)}?notice=line`);
      } catch (error) {
        const failed = failedFrom(error, "line", body);
        set.status = (error as { status: number }).status;
        return workOrderPage(ctx, csrf, number, { failed });
      }
    })
    .post("/fsm/appointments/:id/status", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const appointment = await findAppointment(ctx.db, ctx, params.id);
      const wo = await getWorkOrder(ctx, appointment.workOrderId);
      const number = wo.workOrder.number;
      try {
        await changeAppointmentStatus(ctx, appointment.id, {
          status: field(body, "status"),
          reason: field(body, "reason"),
        });
        return seeOther(set, request, `/fsm/work-orders/${formatWorkOrderNumber(number)}?notice=dispatched`);
      } catch (error) {
        const failed = failedFrom(error, "status", body);
        set.status = (error as { status: number }).status;
        return workOrderPage(ctx, csrf, number, { failed });
      }
    });
}
