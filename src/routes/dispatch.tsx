// The dispatch board (/fsm/dispatch): the day's grid, the queue and the assign form; dispatchers,
// supervisors and admins only.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import type { Ctx } from "../domain/context";
import { assignVisit } from "../domain/dispatch/assign";
import { dispatchBoard, parseBoardFilters } from "../domain/dispatch/board";
import { isDomainError } from "../domain/errors";
import { instantToLocal, localToInstant } from "../domain/fsm/field";
import { parseWorkOrderNumber } from "../domain/fsm/rules";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { type AssignFormState, DispatchBoardPage } from "../views/fsm/dispatch";
import type { Deps } from "./deps";
import { field, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  assigned: "Visit assigned.",
  overridden: "Visit assigned despite conflicts.",
};

/** Only board addresses are followed back to, so the form cannot redirect anywhere else. */
function boardAddress(back: string): string {
  return /^\/fsm\/dispatch(\?[\w%=&.-]*)?$/.test(back) ? back : "/fsm/dispatch";
}

async function boardPage(
  tilesUrl: string,
  ctx: Ctx,
  csrf: string,
  query: Record<string, string | undefined>,
  extra: { notice?: string; assign?: AssignFormState } = {},
) {
  const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
  const filters = parseBoardFilters(query, instantToLocal(ctx.now, timeZone).slice(0, 10));
  const board = await dispatchBoard(ctx, filters);
  return (
    <DispatchBoardPage
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      board={board}
      tilesUrl={tilesUrl}
      {...extra}
    />
  );
}

export function dispatchRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/dispatch", async ({ user, csrf, ctxFor, query }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      return boardPage(deps.config.mapTilesUrl, ctx, csrf, query, { notice: NOTICES[query.notice ?? ""] });
    })
    .post("/fsm/dispatch/assign", async ({ user, csrf, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const back = boardAddress(field(body, "back"));
      const backQuery = Object.fromEntries(new URL(back, "http://board").searchParams);
      const values = formValues(body);
      const number = parseWorkOrderNumber(field(body, "workOrder"));
      const override = field(body, "override") === "1";
      try {
        if (number === undefined) {
          set.status = 422;
          return boardPage(deps.config.mapTilesUrl, ctx, csrf, backQuery, {
            assign: { values, fields: { workOrder: "Enter a work order number such as WO-000123." } },
          });
        }
        const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
        const result = await assignVisit(ctx, {
          workOrderNumber: number,
          technicianUserId: field(body, "technicianId"),
          startsAt: localToInstant(field(body, "startsAt"), timeZone),
          minutes: Number(field(body, "minutes") || "120"),
          appointmentId: field(body, "appointmentId") || undefined,
          override,
        });
        if (!result.ok) {
          set.status = 409;
          return boardPage(deps.config.mapTilesUrl, ctx, csrf, backQuery, {
            assign: { values, conflicts: result.conflicts },
          });
        }
        const sep = back.includes("?") ? "&" : "?";
        return seeOther(set, request, `${back}${sep}notice=${override ? "overridden" : "assigned"}`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403) throw error;
        set.status = error.status;
        const fields = error.status === 404 ? { workOrder: error.message } : (error.fields ?? {});
        return boardPage(deps.config.mapTilesUrl, ctx, csrf, backQuery, {
          assign: { values, fields, message: error.message },
        });
      }
    });
}
