// The dispatch board (/fsm/dispatch): the day's grid, the queue and the assign form; dispatchers,
// supervisors and admins only.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import type { Ctx } from "../domain/context";
import { assignVisit } from "../domain/dispatch/assign";
import { dispatchBoard, parseBoardFilters } from "../domain/dispatch/board";
import {
  applyOptimizerRun,
  discardOptimizerRun,
  getOptimizerRun,
  recentOptimizerRuns,
  startOptimizerRun,
} from "../domain/dispatch/optimizerRuns";
import { isDomainError } from "../domain/errors";
import { instantToLocal, localToInstant } from "../domain/fsm/field";
import { lastPositions, technicianTrailOn } from "../domain/fsm/positions";
import { parseWorkOrderNumber } from "../domain/fsm/rules";
import { organizationTimeZone } from "../domain/orgs/resolve";
import {
  type AssignFormState,
  BoardGrid,
  DispatchBoardPage,
  positionData,
  Queue,
} from "../views/fsm/dispatch";
import { type OptimizeFormState, OptimizerRunPage } from "../views/fsm/optimizer";
import type { Deps } from "./deps";
import { dispatchStream, optimizerRunStream } from "./live";
import { field, fieldList, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  assigned: "Visit assigned.",
  overridden: "Visit assigned despite conflicts.",
  optimized: "The optimized plan was applied.",
  discarded: "The optimization was discarded.",
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
  extra: {
    notice?: string;
    assign?: AssignFormState;
    optimize?: OptimizeFormState & { picked?: string[] };
  } = {},
) {
  const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
  const filters = parseBoardFilters(query, instantToLocal(ctx.now, timeZone).slice(0, 10));
  const [board, recentRuns] = await Promise.all([
    dispatchBoard(ctx, filters),
    recentOptimizerRuns(ctx, filters.day),
  ]);
  return (
    <DispatchBoardPage
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      board={board}
      tilesUrl={tilesUrl}
      recentRuns={recentRuns}
      {...extra}
    />
  );
}

async function runPage(
  ctx: Ctx,
  csrf: string,
  runId: string,
  extra: { notice?: string; changes?: string[]; message?: string } = {},
) {
  const run = await getOptimizerRun(ctx, runId);
  return <OptimizerRunPage csrf={csrf} viewer={viewerOf(ctx.actor as SessionUser)} run={run} {...extra} />;
}

const RUN_NOTICES: Record<string, string> = {
  started: "The optimizer is searching; the proposal appears here when it is done.",
};

export function dispatchRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/dispatch", async ({ user, csrf, ctxFor, query }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      // Live updates ask for one region of the board again.
      if (query.fragment === "grid" || query.fragment === "queue") {
        const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
        const filters = parseBoardFilters(query, instantToLocal(ctx.now, timeZone).slice(0, 10));
        const board = await dispatchBoard(ctx, filters);
        return query.fragment === "grid" ? <BoardGrid board={board} /> : <Queue board={board} />;
      }
      return boardPage(deps.config.mapTilesUrl, ctx, csrf, query, { notice: NOTICES[query.notice ?? ""] });
    })
    .get("/fsm/dispatch/live", ({ user, ctxFor, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      return dispatchStream(deps.bus, ctx.actor.orgId, request.signal);
    })
    .get("/fsm/dispatch/positions", async ({ user, ctxFor }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      return Response.json(positionData(await lastPositions(ctx), ctx.now));
    })
    .get("/fsm/technicians/:userId/trail", async ({ user, ctxFor, params, query }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
      const day = query.day ?? instantToLocal(ctx.now, timeZone).slice(0, 10);
      return Response.json(await technicianTrailOn(ctx, params.userId, day));
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
    })
    .post("/fsm/dispatch/runs", async ({ user, csrf, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const back = boardAddress(field(body, "back") || `/fsm/dispatch?day=${field(body, "day")}`);
      const backQuery = Object.fromEntries(new URL(back, "http://board").searchParams);
      const picked = fieldList(body, "technicianId");
      const values = formValues(body);
      const selected = field(body, "scope") !== "all";
      const rerender = (state: Omit<OptimizeFormState, "values">) =>
        boardPage(deps.config.mapTilesUrl, ctx, csrf, backQuery, { optimize: { ...state, values, picked } });
      if (selected && picked.length === 0) {
        set.status = 422;
        const message = "Tick the technicians to optimize, or choose all technicians.";
        return rerender({ message, fields: { technicianIds: message } });
      }
      try {
        const run = await startOptimizerRun(ctx, {
          day: field(body, "day"),
          userIds: selected ? picked : [],
          zoneId: selected ? undefined : field(body, "zone") || undefined,
          teamId: selected ? undefined : field(body, "team") || undefined,
          timeLimit: field(body, "timeLimit"),
          flex: field(body, "flex"),
        });
        return seeOther(set, request, `/fsm/dispatch/runs/${run.id}?notice=started`);
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return rerender({ message: error.message, fields: error.fields });
      }
    })
    .get("/fsm/dispatch/runs/:id", async ({ user, csrf, ctxFor, params, query }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      return runPage(ctx, csrf, params.id, { notice: RUN_NOTICES[query.notice ?? ""] });
    })
    .get("/fsm/dispatch/runs/:id/progress", async ({ user, ctxFor, params, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const run = await getOptimizerRun(ctx, params.id);
      return optimizerRunStream(deps.bus, ctx.actor.orgId, run, request.signal);
    })
    .post("/fsm/dispatch/runs/:id/apply", async ({ user, csrf, ctxFor, params, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      try {
        const result = await applyOptimizerRun(ctx, params.id);
        if (!result.ok) {
          set.status = 409;
          return runPage(ctx, csrf, params.id, { changes: result.changes });
        }
        const run = await getOptimizerRun(ctx, params.id);
        return seeOther(set, request, `/fsm/dispatch?day=${run.day}&notice=optimized`);
      } catch (error) {
        if (!isDomainError(error) || error.status !== 409) throw error;
        set.status = 409;
        return runPage(ctx, csrf, params.id, { message: error.message });
      }
    })
    .post("/fsm/dispatch/runs/:id/discard", async ({ user, csrf, ctxFor, params, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      try {
        await discardOptimizerRun(ctx, params.id);
      } catch (error) {
        if (!isDomainError(error) || error.status !== 409) throw error;
        set.status = 409;
        return runPage(ctx, csrf, params.id, { message: error.message });
      }
      const run = await getOptimizerRun(ctx, params.id);
      return seeOther(set, request, `/fsm/dispatch?day=${run.day}&notice=discarded`);
    });
}
