// The office's inventory (/fsm/inventory): levels and what is low, a location's page, and the
// forms for receipts, transfers, count corrections, reorder levels and new locations; plus the
// parts used on a work order's visits, recorded from its page. Every form posts and redirects.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import type { Ctx } from "../domain/context";
import { invalid, isDomainError } from "../domain/errors";
import {
  adjustStock,
  belowReorderList,
  createLocation,
  inventoryChoices,
  locationDetail,
  parseStockFilters,
  receiveStock,
  setReorderLevel,
  stockLevelList,
  transferStock,
} from "../domain/fsm/inventory";
import { removePartUsed, usePartOnVisit } from "../domain/fsm/partsUsed";
import { formatWorkOrderNumber } from "../domain/fsm/rules";
import { findAppointment, findWorkOrder } from "../domain/fsm/workOrders";
import { organizationTimeZone } from "../domain/orgs/resolve";
import {
  AdjustmentFormPage,
  InventoryPage,
  LocationFormPage,
  LocationPage,
  ReceiptFormPage,
  type StockForm,
  TransferFormPage,
} from "../views/fsm/inventory";
import type { Viewer } from "../views/layout";
import type { Deps } from "./deps";
import { workOrderNumberParam, workOrderPage } from "./fsm";
import { field, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  received: "Parts received.",
  transferred: "Parts transferred.",
  adjusted: "Level corrected to the count.",
  reorder: "Reorder level saved.",
  created: "Location added.",
};

/** A refused form: its message, marked fields and what was typed. Anything else is rethrown. */
function refused(error: unknown, body: unknown): StockForm & { status: number } {
  if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
  return {
    status: error.status,
    message: error.message,
    fields: error.fields ?? {},
    values: formValues(body),
  };
}

type FormView = (props: {
  csrf: string;
  viewer: Viewer;
  choices: Awaited<ReturnType<typeof inventoryChoices>>;
  form: StockForm;
}) => JSX.Element;

async function formPage(ctx: Ctx, csrf: string, View: FormView, form: StockForm) {
  return (
    <View
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      choices={await inventoryChoices(ctx)}
      form={form}
    />
  );
}

async function locationPage(
  ctx: Ctx,
  csrf: string,
  id: string,
  extra: { notice?: string; form?: StockForm } = {},
) {
  const [detail, choices, timeZone] = await Promise.all([
    locationDetail(ctx, id),
    inventoryChoices(ctx),
    organizationTimeZone(ctx.db, ctx.actor.orgId),
  ]);
  return (
    <LocationPage
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      detail={detail}
      choices={choices}
      timeZone={timeZone}
      {...extra}
    />
  );
}

/** The query's values that prefill a new form (a location page's "Receive parts here"). */
function prefill(query: Record<string, string | undefined>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of ["locationId", "fromId", "partId"]) if (query[key]) values[key] = String(query[key]);
  return values;
}

/**
 * Typed as a plain plugin: the app's type is already deep, and nothing reads these routes' types
 * (no typed client calls them).
 */
export function inventoryRoutes(deps: Deps): Elysia {
  /** A form's POST: run it, redirect on success, show the form again with the fields marked if refused. */
  function formRoute(
    path: string,
    View: FormView,
    run: (ctx: Ctx, body: unknown) => Promise<string>,
  ): Elysia {
    return new Elysia()
      .use(webContext(deps))
      .get(`${path}/new`, async ({ user, csrf, ctxFor, query }) => {
        const ctx = ctxFor(requireUserWith(user, "inventory.manage"));
        return formPage(ctx, csrf, View, { values: prefill(query) });
      })
      .post(path, async ({ user, csrf, ctxFor, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "inventory.manage"));
        try {
          return seeOther(set, request, await run(ctx, body));
        } catch (error) {
          const form = refused(error, body);
          set.status = form.status;
          return formPage(ctx, csrf, View, form);
        }
      }) as unknown as Elysia;
  }

  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/inventory", async ({ user, csrf, ctxFor, query }) => {
      const ctx = ctxFor(requireUserWith(user, "inventory.manage"));
      const filters = parseStockFilters(query);
      const [rows, below, choices] = await Promise.all([
        stockLevelList(ctx, filters),
        belowReorderList(ctx),
        inventoryChoices(ctx),
      ]);
      return (
        <InventoryPage
          csrf={csrf}
          viewer={viewerOf(ctx.actor as SessionUser)}
          rows={rows}
          below={below}
          filters={filters}
          choices={choices}
        />
      );
    })
    .use(
      formRoute("/fsm/inventory/locations", LocationFormPage, async (ctx, body) => {
        const location = await createLocation(ctx, {
          kind: field(body, "kind"),
          name: field(body, "name"),
          technicianUserId: field(body, "technicianUserId"),
        });
        return `/fsm/inventory/locations/${location.id}?notice=created`;
      }),
    )
    .use(
      formRoute("/fsm/inventory/receipts", ReceiptFormPage, async (ctx, body) => {
        const movement = await receiveStock(ctx, {
          locationId: field(body, "locationId"),
          partId: field(body, "partId"),
          quantity: field(body, "quantity"),
          supplier: field(body, "supplier"),
          reference: field(body, "reference"),
          unitCost: field(body, "unitCost"),
        });
        return `/fsm/inventory/locations/${movement.locationId}?notice=received`;
      }),
    )
    .use(
      formRoute("/fsm/inventory/transfers", TransferFormPage, async (ctx, body) => {
        await transferStock(ctx, {
          fromId: field(body, "fromId"),
          toId: field(body, "toId"),
          partId: field(body, "partId"),
          quantity: field(body, "quantity"),
        });
        return `/fsm/inventory/locations/${field(body, "fromId")}?notice=transferred`;
      }),
    )
    .use(
      formRoute("/fsm/inventory/adjustments", AdjustmentFormPage, async (ctx, body) => {
        const movement = await adjustStock(ctx, {
          locationId: field(body, "locationId"),
          partId: field(body, "partId"),
          counted: field(body, "counted"),
          reason: field(body, "reason"),
        });
        return `/fsm/inventory/locations/${movement.locationId}?notice=adjusted`;
      }),
    )
    .get("/fsm/inventory/locations/:id", async ({ user, csrf, ctxFor, params, query }) => {
      const ctx = ctxFor(requireUserWith(user, "inventory.manage"));
      return locationPage(ctx, csrf, params.id, { notice: NOTICES[query.notice ?? ""] });
    })
    .post(
      "/fsm/inventory/locations/:id/reorder",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "inventory.manage"));
        try {
          await setReorderLevel(ctx, params.id, {
            partId: field(body, "partId"),
            reorderLevel: field(body, "reorderLevel"),
          });
          return seeOther(set, request, `/fsm/inventory/locations/${params.id}?notice=reorder`);
        } catch (error) {
          const form = refused(error, body);
          set.status = form.status;
          return locationPage(ctx, csrf, params.id, { form });
        }
      },
    )
    .post(
      "/fsm/work-orders/:number/parts-used",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "inventory.manage"));
        const number = workOrderNumberParam(params.number);
        const wo = await findWorkOrder(ctx.db, ctx, number);
        const back = `/fsm/work-orders/${formatWorkOrderNumber(number)}`;
        try {
          const appointment = await findAppointment(ctx.db, ctx, field(body, "appointmentId")).catch(
            () => null,
          );
          if (appointment?.workOrderId !== wo.id)
            throw invalid({ appointmentId: "Choose a visit of this work order." });
          await usePartOnVisit(ctx, appointment.id, {
            partId: field(body, "partId"),
            quantity: field(body, "quantity"),
            locationId: field(body, "locationId"),
            overrideReason: field(body, "overrideReason"),
          });
          return seeOther(set, request, `${back}?notice=part-used#visit-parts`);
        } catch (error) {
          const form = refused(error, body);
          set.status = form.status;
          return workOrderPage(ctx, csrf, number, {
            failed: {
              form: "parts-used",
              message: form.message!,
              fields: form.fields!,
              values: form.values!,
            },
          });
        }
      },
    )
    .post(
      "/fsm/work-orders/:number/parts-used/:lineId/remove",
      async ({ user, csrf, ctxFor, params, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "inventory.manage"));
        const number = workOrderNumberParam(params.number);
        const wo = await findWorkOrder(ctx.db, ctx, number);
        const back = `/fsm/work-orders/${formatWorkOrderNumber(number)}`;
        try {
          await removePartUsed(ctx, params.lineId, { workOrderId: wo.id });
          return seeOther(set, request, `${back}?notice=part-removed`);
        } catch (error) {
          const form = refused(error, {});
          set.status = form.status;
          return workOrderPage(ctx, csrf, number, {
            failed: { form: "parts-used", message: form.message!, fields: {}, values: {} },
          });
        }
      },
    ) as unknown as Elysia;
}
