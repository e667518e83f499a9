// Customers' service locations: the list with a search, one location with its equipment and
// visits, and the form that adds or changes one — coordinates typed, looked up from the address
// (when a geocoder is configured) or picked on the map (when JavaScript runs).
import type { FieldErrors } from "../../domain/errors";
import { ASSET_STATUS_LABELS } from "../../domain/fsm/assets";
import type { GeocodeCandidate } from "../../domain/fsm/geocode";
import type { getLocation, listLocations } from "../../domain/fsm/locations";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { Page, type Viewer } from "../layout";
import { WorkOrderHistory } from "./workOrders";

type LocationList = Awaited<ReturnType<typeof listLocations>>;
type LocationDetail = Awaited<ReturnType<typeof getLocation>>;

const coordinates = (lat: number | null, lng: number | null) =>
  lat === null || lng === null ? "—" : `${lat.toFixed(5)}, ${lng.toFixed(5)}`;

/** OpenStreetMap at the point, for a person to check it; no tiles are loaded on our pages for it. */
const osmLink = (lat: number, lng: number) =>
  `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=17/${lat}/${lng}`;

export function LocationListPage({
  csrf,
  viewer,
  rows,
  q,
  canManage,
}: {
  csrf: string;
  viewer: Viewer;
  rows: LocationList;
  q: string;
  canManage: boolean;
}) {
  return (
    <Page title="Service locations" csrf={csrf} viewer={viewer}>
      <h1>Service locations</h1>
      {canManage ? (
        <p>
          <a href="/fsm/locations/new">Add a location</a>
        </p>
      ) : (
        ""
      )}
      <form method="get" action="/fsm/locations" class="filters">
        <input name="q" type="search" value={q} placeholder="Name or address" aria-label="Search locations" />
        <button type="submit">Search</button>
      </form>
      {rows.length === 0 ? <p class="empty">No service locations match.</p> : ""}
      <table class="locations">
        <thead>
          <tr>
            <th>Name</th>
            <th>Customer</th>
            <th>Address</th>
            <th>Territory</th>
            <th>Coordinates</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => (
            <tr data-location={l.id}>
              <td>
                <a href={`/fsm/locations/${l.id}`} safe>
                  {l.name}
                </a>
              </td>
              <td safe>{l.companyName ?? l.contactName ?? "—"}</td>
              <td safe>{l.address}</td>
              <td safe>{l.zoneName ?? "—"}</td>
              <td safe>{coordinates(l.lat, l.lng)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}

export function LocationPage({
  csrf,
  viewer,
  detail,
  timeZone,
  canManage,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  detail: LocationDetail;
  timeZone: string;
  canManage: boolean;
  notice?: string;
}) {
  const l = detail.location;
  return (
    <Page title={l.name} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/fsm/locations">← Service locations</a>
      </p>
      <h1 safe>{l.name}</h1>
      <Notice message={notice} />
      <dl class="facts">
        <dt>Customer</dt>
        <dd safe>
          {[detail.companyName, detail.contactName, detail.contactEmail].filter(Boolean).join(" · ") || "—"}
        </dd>
        <dt>Address</dt>
        <dd safe>{l.address}</dd>
        <dt>Territory</dt>
        <dd safe>{detail.zoneName ?? "—"}</dd>
        <dt>Coordinates</dt>
        <dd>
          {l.lat === null || l.lng === null ? (
            <span class="muted">Not recorded: the optimizer places it at its territory's centre.</span>
          ) : (
            <a href={osmLink(l.lat, l.lng)} rel="noopener" safe>
              {coordinates(l.lat, l.lng)}
            </a>
          )}
        </dd>
      </dl>
      {canManage ? (
        <p>
          <a href={`/fsm/locations/${l.id}/edit`}>Change</a>
        </p>
      ) : (
        ""
      )}
      <section class="card">
        <h2>Equipment here</h2>
        {detail.assets.length === 0 ? <p class="empty">No assets recorded at this location.</p> : ""}
        <ul>
          {detail.assets.map((a) => (
            <li>
              <a href={`/fsm/assets/${a.id}`} safe>
                {[a.type, [a.make, a.model].filter(Boolean).join(" "), a.serial ? `#${a.serial}` : ""]
                  .filter(Boolean)
                  .join(" · ")}
              </a>{" "}
              <span class="muted" safe>
                {ASSET_STATUS_LABELS[a.status]}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section class="card">
        <h2>Visits</h2>
        <WorkOrderHistory
          rows={detail.history}
          timeZone={timeZone}
          empty="No work orders at this location yet."
          listClass="location-history"
        />
      </section>
    </Page>
  );
}

export interface LocationFormState {
  values: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
  /** What the geocoder found for the address, when the person asked it. */
  candidates?: GeocodeCandidate[];
  notice?: string;
}

export function LocationFormPage({
  csrf,
  viewer,
  locationId,
  zones,
  tilesUrl,
  canGeocode,
  state,
}: {
  csrf: string;
  viewer: Viewer;
  locationId: string | null;
  zones: { id: string; name: string }[];
  tilesUrl: string;
  canGeocode: boolean;
  state: LocationFormState;
}) {
  const { values, fields = {} } = state;
  const action = locationId ? `/fsm/locations/${locationId}` : "/fsm/locations";
  const input = (name: string, label: string, hint?: string, max = "120") => (
    <Field label={label} name={name} error={fields[name]} hint={hint}>
      <input
        id={name}
        name={name}
        maxlength={max}
        value={values[name] ?? ""}
        aria-invalid={fields[name] ? "true" : undefined}
      />
    </Field>
  );
  const title = locationId ? "Change the location" : "Add a location";
  return (
    <Page title={title} csrf={csrf} viewer={viewer}>
      <p>
        <a href={locationId ? `/fsm/locations/${locationId}` : "/fsm/locations"}>← Back</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary message={state.message} fields={Object.keys(fields).length ? fields : undefined} />
      <Notice message={state.notice} />
      <form method="post" action={action} class="narrow location-form">
        <CsrfField token={csrf} />
        {input("name", "Name", "e.g. Head office, Shah Alam plant")}
        <Field label="Address" name="address" error={fields.address}>
          <textarea
            id="address"
            name="address"
            rows="3"
            maxlength="500"
            aria-invalid={fields.address ? "true" : undefined}
            safe
          >
            {values.address ?? ""}
          </textarea>
        </Field>
        {canGeocode ? (
          <p>
            <button type="submit" name="intent" value="geocode" class="secondary">
              Find the coordinates from the address
            </button>
          </p>
        ) : (
          ""
        )}
        {state.candidates && state.candidates.length > 1 ? (
          <details class="geocode-candidates" open>
            <summary>Other places that match the address</summary>
            <ul>
              {state.candidates.slice(1).map((c) => (
                <li safe>{`${c.label} — ${c.lat.toFixed(5)}, ${c.lng.toFixed(5)}`}</li>
              ))}
            </ul>
          </details>
        ) : (
          ""
        )}
        {input("lat", "Latitude", "e.g. 3.07380", "30")}
        {input("lng", "Longitude", "e.g. 101.51830", "30")}
        <div id="location-map" class="location-map" data-tiles={tilesUrl}>
          <p class="hint">With JavaScript, click the map to place the point.</p>
        </div>
        <Field label="Territory" name="zoneId" error={fields.zoneId}>
          <Select
            name="zoneId"
            value={values.zoneId ?? ""}
            blank="(none)"
            options={zones.map((z) => ({ value: z.id, label: z.name }))}
            invalid={Boolean(fields.zoneId)}
          />
        </Field>
        {input("contactEmail", "Customer's email", "The contact this place belongs to (optional)", "254")}
        <button type="submit">Save</button>
      </form>
      <link rel="stylesheet" href="/public/vendor/leaflet.css" />
      <script src="/public/vendor/leaflet.js" />
      <script src="/public/location-map.js" />
    </Page>
  );
}
