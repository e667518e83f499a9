// Crews at /fsm/crews: the list and one form, for people who manage field service.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import type { Ctx } from "../domain/context";
import { isDomainError } from "../domain/errors";
import { deleteCrew, listCrews, saveCrew } from "../domain/fsm/crews";
import { workOrderChoices } from "../domain/fsm/workOrders";
import { CrewsPage } from "../views/fsm/crews";
import type { Deps } from "./deps";
import { field, fieldList, requireUserWith, seeOther, viewerOf, webContext } from "./web";

export function crewRoutes(deps: Deps) {
  const page = async (
    ctx: Ctx,
    csrf: string,
    editing: string | null,
    form: {
      values?: { name?: string; memberIds?: string[] };
      fields?: Record<string, string>;
      message?: string;
    } = {},
    notice?: string,
  ) => {
    const [crews, choices] = await Promise.all([listCrews(ctx), workOrderChoices(ctx)]);
    const current = crews.find((c) => c.id === editing);
    return (
      <CrewsPage
        csrf={csrf}
        viewer={viewerOf(ctx.actor as SessionUser)}
        crews={crews}
        technicians={choices.technicians}
        editing={current?.id ?? null}
        values={
          form.values ??
          (current ? { name: current.name, memberIds: current.members.map((m) => m.userId) } : {})
        }
        fields={form.fields}
        message={form.message}
        notice={notice}
      />
    );
  };
  const save = async (
    ctx: Ctx,
    csrf: string,
    id: string | null,
    body: unknown,
    set: { status?: number | string; headers: Record<string, string | number> },
    request: Request,
  ) => {
    const input = { name: field(body, "name"), memberIds: fieldList(body, "memberIds") };
    try {
      await saveCrew(ctx, id, input);
      return seeOther(set, request, "/fsm/crews?notice=saved");
    } catch (error) {
      if (!isDomainError(error) || error.status !== 422) throw error;
      set.status = 422;
      return page(ctx, csrf, id, { values: input, fields: error.fields, message: error.message });
    }
  };
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/crews", async ({ user, csrf, ctxFor, query }) =>
      page(
        ctxFor(requireUserWith(user, "fsm.manage")),
        csrf,
        typeof query.edit === "string" ? query.edit : null,
        {},
        query.notice === "saved" ? "Saved." : query.notice === "removed" ? "Crew removed." : undefined,
      ),
    )
    .post("/fsm/crews", async ({ user, csrf, ctxFor, body, set, request }) =>
      save(ctxFor(requireUserWith(user, "fsm.manage")), csrf, null, body, set, request),
    )
    .post("/fsm/crews/:id", async ({ user, csrf, ctxFor, params, body, set, request }) =>
      save(ctxFor(requireUserWith(user, "fsm.manage")), csrf, params.id, body, set, request),
    )
    .post("/fsm/crews/:id/delete", async ({ user, ctxFor, params, set, request }) => {
      await deleteCrew(ctxFor(requireUserWith(user, "fsm.manage")), params.id);
      return seeOther(set, request, "/fsm/crews?notice=removed");
    });
}
