// Staff's estimates (/fsm/estimates): list, create, the estimate's page, its lines, sending.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import type { Ctx } from "../domain/context";
import { estimateNumbers, formatEstimateNumber } from "../domain/fsm/estimateRules";
import {
  addEstimateLine,
  createEstimate,
  getEstimate,
  listEstimates,
  parseEstimateFilters,
  removeEstimateLine,
  sendEstimate,
  updateEstimate,
} from "../domain/fsm/estimates";
import { parseWorkOrderNumber } from "../domain/fsm/rules";
import { contactByEmail, workOrderChoices } from "../domain/fsm/workOrders";
import { parseTicketNumber } from "../domain/orgs/counters";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { EstimateListPage, EstimatePage, NewEstimatePage } from "../views/fsm/estimates";
import type { Failed } from "../views/fsm/workOrders";
import type { Deps } from "./deps";
import { failedFrom, field, lineInputFrom, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  created: "Draft created. Add its lines, then send it.",
  saved: "Draft saved.",
  line: "Line added.",
  removed: "Line removed.",
  sent: "Estimate sent to the customer.",
};

export const estimateNumberParam = estimateNumbers.param;

/** The customer typed as an email: a contact's id, "unknown" (marked as such), or none. */
async function contactFrom(ctx: Ctx, body: unknown): Promise<string | null> {
  const email = field(body, "contactEmail").trim();
  return email ? ((await contactByEmail(ctx, email)) ?? "unknown") : null;
}

function markUnknownCustomer(failed: Failed) {
  if (failed.fields.contactId && failed.values.contactEmail?.trim())
    failed.fields.contactId = "No customer has that email address.";
}

async function estimatePage(
  ctx: Ctx,
  csrf: string,
  number: number,
  extra: { notice?: string; failed?: Failed } = {},
) {
  const [detail, choices, timeZone] = await Promise.all([
    getEstimate(ctx, number),
    workOrderChoices(ctx),
    organizationTimeZone(ctx.db, ctx.actor.orgId),
  ]);
  return (
    <EstimatePage
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      detail={detail}
      choices={choices}
      timeZone={timeZone}
      {...extra}
    />
  );
}

export function estimateRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/estimates", async ({ user, csrf, ctxFor, query }) => {
      const ctx = ctxFor(requireUserWith(user, "estimates.manage"));
      const filters = parseEstimateFilters(query);
      const [rows, timeZone] = await Promise.all([
        listEstimates(ctx, filters),
        organizationTimeZone(ctx.db, ctx.actor.orgId),
      ]);
      return (
        <EstimateListPage
          csrf={csrf}
          viewer={viewerOf(ctx.actor as SessionUser)}
          rows={rows}
          filters={filters}
          timeZone={timeZone}
        />
      );
    })
    .get("/fsm/estimates/new", async ({ user, csrf, ctxFor, query }) => {
      const ctx = ctxFor(requireUserWith(user, "estimates.manage"));
      const values = {
        ticket: typeof query.ticket === "string" ? query.ticket : "",
        workOrder: typeof query.workOrder === "string" ? query.workOrder : "",
      };
      return (
        <NewEstimatePage
          csrf={csrf}
          viewer={viewerOf(ctx.actor as SessionUser)}
          choices={await workOrderChoices(ctx)}
          values={values}
        />
      );
    })
    .post("/fsm/estimates", async ({ user, csrf, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "estimates.manage"));
      try {
        const ticket = field(body, "ticket").trim();
        const workOrder = field(body, "workOrder").trim();
        const estimate = await createEstimate(ctx, {
          subject: field(body, "subject"),
          notes: field(body, "notes"),
          contactId: await contactFrom(ctx, body),
          locationId: field(body, "locationId") || null,
          validUntil: field(body, "validUntil"),
          // An unreadable number is passed as typed and comes back as a field error.
          ticket: ticket ? (parseTicketNumber(ticket) ?? ticket) : null,
          workOrder: workOrder ? (parseWorkOrderNumber(workOrder) ?? workOrder) : null,
        });
        return seeOther(
          set,
          request,
          `/fsm/estimates/${formatEstimateNumber(estimate.number)}?notice=created`,
        );
      } catch (error) {
        const failed = failedFrom(error, "create", body);
        markUnknownCustomer(failed);
        set.status = (error as { status: number }).status;
        return (
          <NewEstimatePage
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
    .get("/fsm/estimates/:number", async ({ user, csrf, ctxFor, params, query }) => {
      const ctx = ctxFor(requireUserWith(user, "estimates.manage"));
      return estimatePage(ctx, csrf, estimateNumberParam(params.number), {
        notice: NOTICES[query.notice ?? ""],
      });
    })
    .post("/fsm/estimates/:number", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "estimates.manage"));
      const number = estimateNumberParam(params.number);
      try {
        await updateEstimate(ctx, number, {
          subject: field(body, "subject"),
          notes: field(body, "notes"),
          contactId: await contactFrom(ctx, body),
          locationId: field(body, "locationId") || null,
          validUntil: field(body, "validUntil"),
        });
        return seeOther(set, request, `/fsm/estimates/${formatEstimateNumber(number)}?notice=saved`);
      } catch (error) {
        const failed = failedFrom(error, "header", body);
        markUnknownCustomer(failed);
        set.status = (error as { status: number }).status;
        return estimatePage(ctx, csrf, number, { failed });
      }
    })
    .post("/fsm/estimates/:number/lines", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "estimates.manage"));
      const number = estimateNumberParam(params.number);
      try {
        await addEstimateLine(ctx, number, lineInputFrom(body));
        return seeOther(set, request, `/fsm/estimates/${formatEstimateNumber(number)}?notice=line`);
      } catch (error) {
        const failed = failedFrom(error, "line", body);
        set.status = (error as { status: number }).status;
        return estimatePage(ctx, csrf, number, { failed });
      }
    })
    .post(
      "/fsm/estimates/:number/lines/:lineId/delete",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "estimates.manage"));
        const number = estimateNumberParam(params.number);
        try {
          await removeEstimateLine(ctx, number, params.lineId);
          return seeOther(set, request, `/fsm/estimates/${formatEstimateNumber(number)}?notice=removed`);
        } catch (error) {
          const failed = failedFrom(error, "remove", body);
          set.status = (error as { status: number }).status;
          return estimatePage(ctx, csrf, number, { failed });
        }
      },
    )
    .post("/fsm/estimates/:number/send", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "estimates.manage"));
      const number = estimateNumberParam(params.number);
      try {
        await sendEstimate(ctx, number, { origin: new URL(request.url).origin });
        return seeOther(set, request, `/fsm/estimates/${formatEstimateNumber(number)}?notice=sent`);
      } catch (error) {
        // A refused send (no lines, no address, date passed) says why above the page.
        const failed = failedFrom(error, "send", body);
        set.status = (error as { status: number }).status;
        return estimatePage(ctx, csrf, number, { failed });
      }
    });
}
