// Assets on the office side: list, page with service history, add and change.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import { type Ctx, can } from "../domain/context";
import { isDomainError } from "../domain/errors";
import { type AssetRow, getAsset, listAssets, locationChoices, saveAsset } from "../domain/fsm/assets";
import { localToInstant } from "../domain/fsm/field";
import { metersOf, recordMeterReading } from "../domain/fsm/meters";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { utcToWall } from "../domain/sla/zone";
import { AssetFormPage, AssetListPage, AssetPage, type ReadingFormState } from "../views/fsm/assets";
import type { Deps } from "./deps";
import { field, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const FIELDS = [
  "type",
  "make",
  "model",
  "serial",
  "locationId",
  "installedOn",
  "warrantyEndsOn",
  "status",
] as const;

function valuesOf(asset: AssetRow): Record<string, string> {
  return Object.fromEntries(FIELDS.map((f) => [f, String(asset[f] ?? "")]));
}

const NOTICES: Record<string, string> = { saved: "Saved.", reading: "Reading saved." };

export function assetRoutes(deps: Deps) {
  /** Today's date in the organization's zone: warranties end on local dates. */
  const today = async (ctx: Ctx) => {
    const zone = await organizationTimeZone(deps.database.db, ctx.actor.orgId);
    return { zone, date: new Date(utcToWall(zone, ctx.now.getTime())).toISOString().slice(0, 10) };
  };
  const assetPage = async (
    ctx: Ctx,
    csrf: string,
    id: string,
    extra: { notice?: string; reading?: ReadingFormState },
  ) => {
    const { zone, date } = await today(ctx);
    const detail = await getAsset(ctx, id);
    return (
      <AssetPage
        csrf={csrf}
        viewer={viewerOf(ctx.actor as SessionUser)}
        detail={detail}
        meters={await metersOf(ctx, detail.asset.id)}
        today={date}
        timeZone={zone}
        canManage={can(ctx.actor, "fsm.manage")}
        {...extra}
      />
    );
  };
  const form = async (
    ctx: Ctx,
    csrf: string,
    assetId: string | null,
    values: Record<string, string>,
    failure?: { fields?: Record<string, string>; message: string },
  ) => (
    <AssetFormPage
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      assetId={assetId}
      values={values}
      locations={await locationChoices(ctx)}
      fields={failure?.fields}
      message={failure?.message}
    />
  );
  const save = async (
    ctx: Ctx,
    csrf: string,
    id: string | null,
    body: unknown,
    set: { status?: number | string; headers: Record<string, string | number> },
    request: Request,
  ) => {
    try {
      const saved = await saveAsset(ctx, id, Object.fromEntries(FIELDS.map((f) => [f, field(body, f)])));
      return seeOther(set, request, `/fsm/assets/${saved}?notice=saved`);
    } catch (error) {
      if (!isDomainError(error) || error.status !== 422) throw error;
      set.status = 422;
      return form(ctx, csrf, id, formValues(body), { fields: error.fields, message: error.message });
    }
  };
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/assets", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUserWith(user, "fsm.read");
      const ctx = ctxFor(me);
      const q = String(query.q ?? "");
      const status = String(query.status ?? "");
      return (
        <AssetListPage
          csrf={csrf}
          viewer={viewerOf(me)}
          rows={await listAssets(ctx, { q, status })}
          q={q}
          status={status}
          today={(await today(ctx)).date}
          canManage={can(me, "fsm.manage")}
        />
      );
    })
    .get("/fsm/assets/new", async ({ user, csrf, ctxFor }) =>
      form(ctxFor(requireUserWith(user, "fsm.manage")), csrf, null, { status: "active" }),
    )
    .post("/fsm/assets", async ({ user, csrf, ctxFor, body, set, request }) =>
      save(ctxFor(requireUserWith(user, "fsm.manage")), csrf, null, body, set, request),
    )
    .get("/fsm/assets/:id", async ({ user, csrf, ctxFor, params, query }) =>
      assetPage(ctxFor(requireUserWith(user, "fsm.read")), csrf, params.id, {
        notice: NOTICES[String(query.notice ?? "")],
      }),
    )
    .post("/fsm/assets/:id/readings", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const { zone } = await today(ctx);
      const typedAt = field(body, "readAt").trim();
      try {
        await recordMeterReading(ctx, params.id, {
          meter: field(body, "meter"),
          value: field(body, "value"),
          readAt: typedAt ? (localToInstant(typedAt, zone) ?? new Date(Number.NaN)) : undefined,
          reset: field(body, "reset") === "1",
          note: field(body, "note"),
        });
        return seeOther(set, request, `/fsm/assets/${params.id}?notice=reading#meters`);
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return assetPage(ctx, csrf, params.id, {
          reading: { values: formValues(body), fields: error.fields ?? {}, message: error.message },
        });
      }
    })
    .get("/fsm/assets/:id/edit", async ({ user, csrf, ctxFor, params }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const { asset } = await getAsset(ctx, params.id);
      return form(ctx, csrf, asset.id, valuesOf(asset));
    })
    .post("/fsm/assets/:id", async ({ user, csrf, ctxFor, params, body, set, request }) =>
      save(ctxFor(requireUserWith(user, "fsm.manage")), csrf, params.id, body, set, request),
    );
}
