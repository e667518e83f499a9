// Service territories at /fsm/zones: read by anyone who reads work orders, changed by managers.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import { type Ctx, can } from "../domain/context";
import { isDomainError } from "../domain/errors";
import { listZones, saveZone } from "../domain/fsm/zones";
import { ZonesPage } from "../views/fsm/zones";
import type { Deps } from "./deps";
import { field, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

export function zoneRoutes(deps: Deps) {
  const page = async (
    ctx: Ctx,
    csrf: string,
    editing: string | null,
    form: { values?: Record<string, string>; fields?: Record<string, string>; message?: string } = {},
    notice?: string,
  ) => {
    const zones = await listZones(ctx);
    const current = zones.find((z) => z.id === editing);
    const values =
      form.values ??
      (current
        ? { code: current.code, name: current.name, lat: String(current.lat), lng: String(current.lng) }
        : {});
    return (
      <ZonesPage
        csrf={csrf}
        viewer={viewerOf(ctx.actor as SessionUser)}
        zones={zones}
        canManage={can(ctx.actor, "fsm.manage")}
        editing={form.values ? editing : (current?.id ?? null)}
        values={values}
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
    try {
      await saveZone(ctx, id, {
        code: field(body, "code"),
        name: field(body, "name"),
        lat: field(body, "lat"),
        lng: field(body, "lng"),
      });
      return seeOther(set, request, "/fsm/zones?notice=saved");
    } catch (error) {
      if (!isDomainError(error) || error.status !== 422) throw error;
      set.status = 422;
      return page(ctx, csrf, id, { values: formValues(body), fields: error.fields, message: error.message });
    }
  };
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/zones", async ({ user, csrf, ctxFor, query }) =>
      page(
        ctxFor(requireUserWith(user, "fsm.read")),
        csrf,
        typeof query.edit === "string" ? query.edit : null,
        {},
        query.notice === "saved" ? "Saved." : undefined,
      ),
    )
    .post("/fsm/zones", ({ user, csrf, ctxFor, body, set, request }) =>
      save(ctxFor(requireUserWith(user, "fsm.manage")), csrf, null, body, set, request),
    )
    .post("/fsm/zones/:id", ({ user, csrf, ctxFor, params, body, set, request }) =>
      save(ctxFor(requireUserWith(user, "fsm.manage")), csrf, params.id, body, set, request),
    );
}
