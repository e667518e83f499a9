// Customers' service locations at /fsm/locations: read by anyone who reads work orders, added and
// changed by managers. "Find the coordinates" posts the same form and shows it again, filled in.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import { type Ctx, can } from "../domain/context";
import { isDomainError } from "../domain/errors";
import { geocodeAddress } from "../domain/fsm/geocode";
import { getLocation, listLocations, saveLocation } from "../domain/fsm/locations";
import { listZones } from "../domain/fsm/zones";
import { organizationTimeZone } from "../domain/orgs/resolve";
import {
  LocationFormPage,
  type LocationFormState,
  LocationListPage,
  LocationPage,
} from "../views/fsm/locations";
import type { Deps } from "./deps";
import { field, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const FIELDS = ["name", "address", "lat", "lng", "zoneId", "contactEmail"] as const;

type Setter = { status?: number | string; headers: Record<string, string | number> };

export function locationRoutes(deps: Deps) {
  const form = async (ctx: Ctx, csrf: string, locationId: string | null, state: LocationFormState) => (
    <LocationFormPage
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      locationId={locationId}
      zones={(await listZones(ctx)).map((z) => ({ id: z.id, name: z.name }))}
      tilesUrl={deps.config.mapTilesUrl}
      canGeocode={Boolean(deps.config.geocoderUrl)}
      state={state}
    />
  );
  /** Looks the address up and shows the form again with the best match's coordinates filled in. */
  const geocode = async (ctx: Ctx, csrf: string, id: string | null, body: unknown, set: Setter) => {
    const values = formValues(body);
    try {
      const candidates = await geocodeAddress(ctx, deps.config.geocoderUrl, values.address ?? "");
      const best = candidates[0];
      if (!best) {
        set.status = 422;
        return form(ctx, csrf, id, {
          values,
          fields: { address: "The geocoding service found no place with this address." },
          message: "No place found: check the address, or enter the coordinates.",
        });
      }
      return form(ctx, csrf, id, {
        values: { ...values, lat: best.lat.toFixed(6), lng: best.lng.toFixed(6) },
        candidates,
        notice: `Coordinates of ${best.label}. Check them, then save.`,
      });
    } catch (error) {
      if (!isDomainError(error) || error.status === 403) throw error;
      set.status = error.status;
      return form(ctx, csrf, id, { values, fields: error.fields, message: error.message });
    }
  };
  const save = async (
    ctx: Ctx,
    csrf: string,
    id: string | null,
    body: unknown,
    set: Setter,
    request: Request,
  ) => {
    if (field(body, "intent") === "geocode") return geocode(ctx, csrf, id, body, set);
    try {
      const saved = await saveLocation(ctx, id, Object.fromEntries(FIELDS.map((f) => [f, field(body, f)])));
      return seeOther(set, request, `/fsm/locations/${saved}?notice=saved`);
    } catch (error) {
      if (!isDomainError(error) || error.status !== 422) throw error;
      set.status = 422;
      return form(ctx, csrf, id, { values: formValues(body), fields: error.fields, message: error.message });
    }
  };
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/locations", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUserWith(user, "fsm.read");
      const q = String(query.q ?? "");
      return (
        <LocationListPage
          csrf={csrf}
          viewer={viewerOf(me)}
          rows={await listLocations(ctxFor(me), q)}
          q={q}
          canManage={can(me, "fsm.manage")}
        />
      );
    })
    .get("/fsm/locations/new", async ({ user, csrf, ctxFor }) =>
      form(ctxFor(requireUserWith(user, "fsm.manage")), csrf, null, { values: {} }),
    )
    .post("/fsm/locations", ({ user, csrf, ctxFor, body, set, request }) =>
      save(ctxFor(requireUserWith(user, "fsm.manage")), csrf, null, body, set, request),
    )
    .get("/fsm/locations/:id", async ({ user, csrf, ctxFor, params, query }) => {
      const me = requireUserWith(user, "fsm.read");
      const ctx = ctxFor(me);
      return (
        <LocationPage
          csrf={csrf}
          viewer={viewerOf(me)}
          detail={await getLocation(ctx, params.id)}
          timeZone={await organizationTimeZone(deps.database.db, me.orgId)}
          canManage={can(me, "fsm.manage")}
          notice={query.notice === "saved" ? "Saved." : undefined}
        />
      );
    })
    .get("/fsm/locations/:id/edit", async ({ user, csrf, ctxFor, params }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const { location: l, contactEmail } = await getLocation(ctx, params.id);
      return form(ctx, csrf, l.id, {
        values: {
          name: l.name,
          address: l.address,
          lat: l.lat === null ? "" : String(l.lat),
          lng: l.lng === null ? "" : String(l.lng),
          zoneId: l.zoneId ?? "",
          contactEmail: contactEmail ?? "",
        },
      });
    })
    .post("/fsm/locations/:id", ({ user, csrf, ctxFor, params, body, set, request }) =>
      save(ctxFor(requireUserWith(user, "fsm.manage")), csrf, params.id, body, set, request),
    );
}
