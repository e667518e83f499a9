// The service catalog at /fsm/catalog: read by anyone who reads work orders, changed by managers.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import { type Ctx, can } from "../domain/context";
import { isDomainError } from "../domain/errors";
import { catalog, savePart, saveService } from "../domain/fsm/catalog";
import { type CatalogForm, CatalogPage, partValues, serviceValues } from "../views/fsm/catalog";
import type { Deps } from "./deps";
import { field, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

type Setter = { status?: number | string; headers: Record<string, string | number> };

export function catalogRoutes(deps: Deps) {
  const page = async (ctx: Ctx, csrf: string, form?: CatalogForm, notice?: string) => {
    const data = await catalog(ctx);
    return (
      <CatalogPage
        csrf={csrf}
        viewer={viewerOf(ctx.actor as SessionUser)}
        {...data}
        canManage={can(ctx.actor, "fsm.manage")}
        form={form}
        notice={notice}
      />
    );
  };
  /** Saves one row; a refusal shows the page again with that form's fields marked and kept. */
  const save = async (
    ctx: Ctx,
    csrf: string,
    kind: CatalogForm["kind"],
    id: string | null,
    body: unknown,
    set: Setter,
    request: Request,
  ) => {
    try {
      if (kind === "service")
        await saveService(ctx, id, {
          name: field(body, "name"),
          minutes: field(body, "minutes"),
          price: field(body, "price"),
          tax: field(body, "tax"),
        });
      else
        await savePart(ctx, id, {
          sku: field(body, "sku"),
          name: field(body, "name"),
          cost: field(body, "cost"),
          price: field(body, "price"),
          tax: field(body, "tax"),
        });
      return seeOther(set, request, "/fsm/catalog?notice=saved");
    } catch (error) {
      if (!isDomainError(error) || error.status !== 422) throw error;
      set.status = 422;
      return page(ctx, csrf, {
        kind,
        id,
        values: formValues(body),
        fields: error.fields,
        message: error.message,
      });
    }
  };
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/catalog", async ({ user, csrf, ctxFor, query }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.read"));
      const { services, parts } = await catalog(ctx);
      const service = services.find((s) => s.id === query.service);
      const part = parts.find((p) => p.id === query.part);
      const form: CatalogForm | undefined = service
        ? { kind: "service", id: service.id, values: serviceValues(service) }
        : part
          ? { kind: "part", id: part.id, values: partValues(part) }
          : undefined;
      return page(ctx, csrf, form, query.notice === "saved" ? "Saved." : undefined);
    })
    .post("/fsm/catalog/services", ({ user, csrf, ctxFor, body, set, request }) =>
      save(ctxFor(requireUserWith(user, "fsm.manage")), csrf, "service", null, body, set, request),
    )
    .post("/fsm/catalog/services/:id", ({ user, csrf, ctxFor, params, body, set, request }) =>
      save(ctxFor(requireUserWith(user, "fsm.manage")), csrf, "service", params.id, body, set, request),
    )
    .post("/fsm/catalog/parts", ({ user, csrf, ctxFor, body, set, request }) =>
      save(ctxFor(requireUserWith(user, "fsm.manage")), csrf, "part", null, body, set, request),
    )
    .post("/fsm/catalog/parts/:id", ({ user, csrf, ctxFor, params, body, set, request }) =>
      save(ctxFor(requireUserWith(user, "fsm.manage")), csrf, "part", params.id, body, set, request),
    );
}
