// Customers' equipment on the office side: the list, one asset with its warranty, service history
// and maintenance plans, and the form that adds or changes one.
import { ASSET_STATUSES } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import { ASSET_STATUS_LABELS, type getAsset, type listAssets } from "../../domain/fsm/assets";
import { formatMeterValue, type metersOf } from "../../domain/fsm/meters";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { formatDateTime } from "../format";
import { Page, type Viewer } from "../layout";
import { WorkOrderHistory } from "./workOrders";

type AssetList = Awaited<ReturnType<typeof listAssets>>;
type AssetDetail = Awaited<ReturnType<typeof getAsset>>;
type AssetMeters = Awaited<ReturnType<typeof metersOf>>;

/** The reading form's state after a refused reading: what was typed, and what is wrong. */
export interface ReadingFormState {
  values: Record<string, string>;
  fields: FieldErrors;
  message: string;
}

const describe = (a: { type: string; make: string | null; model: string | null }) =>
  [a.type, [a.make, a.model].filter(Boolean).join(" ")].filter(Boolean).join(" · ");

function Warranty({ endsOn, today }: { endsOn: string | null; today: string }) {
  if (!endsOn) return <span class="muted">No warranty recorded</span>;
  return endsOn >= today ? (
    <span class="badge warranty-on" safe>{`Under warranty until ${endsOn}`}</span>
  ) : (
    <span class="badge warranty-off" safe>{`Warranty ended ${endsOn}`}</span>
  );
}

export function AssetListPage({
  csrf,
  viewer,
  rows,
  q,
  status,
  today,
  canManage,
}: {
  csrf: string;
  viewer: Viewer;
  rows: AssetList;
  q: string;
  status: string;
  today: string;
  canManage: boolean;
}) {
  return (
    <Page title="Assets" csrf={csrf} viewer={viewer}>
      <h1>Assets</h1>
      {canManage ? (
        <p>
          <a href="/fsm/assets/new">Add an asset</a>
        </p>
      ) : (
        ""
      )}
      <form method="get" action="/fsm/assets" class="filters">
        <input
          name="q"
          type="search"
          value={q}
          placeholder="Type, make, model or serial"
          aria-label="Search assets"
        />
        <Select
          name="status"
          value={status}
          blank="Any status"
          options={ASSET_STATUSES.map((s) => ({ value: s, label: ASSET_STATUS_LABELS[s] }))}
        />
        <button type="submit">Filter</button>
      </form>
      {rows.length === 0 ? <p class="empty">No assets match.</p> : ""}
      <table class="assets">
        <thead>
          <tr>
            <th>Asset</th>
            <th>Serial</th>
            <th>Where</th>
            <th>Status</th>
            <th>Warranty</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr data-asset={a.id}>
              <td>
                <a href={`/fsm/assets/${a.id}`} safe>
                  {describe(a)}
                </a>
              </td>
              <td safe>{a.serial ?? "—"}</td>
              <td safe>{[a.customer, a.locationName].filter(Boolean).join(" · ") || "—"}</td>
              <td safe>{ASSET_STATUS_LABELS[a.status]}</td>
              <td>
                <Warranty endsOn={a.warrantyEndsOn} today={today} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}

export function AssetPage({
  csrf,
  viewer,
  detail,
  today,
  timeZone,
  canManage,
  notice,
  meters,
  reading,
}: {
  csrf: string;
  viewer: Viewer;
  detail: AssetDetail;
  today: string;
  timeZone: string;
  canManage: boolean;
  notice?: string;
  meters: AssetMeters;
  reading?: ReadingFormState;
}) {
  const a = detail.asset;
  return (
    <Page title={describe(a)} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/fsm/assets">← Assets</a>
      </p>
      <h1 safe>{describe(a)}</h1>
      <Notice message={notice} />
      <dl class="facts">
        <dt>Serial</dt>
        <dd safe>{a.serial ?? "—"}</dd>
        <dt>Where</dt>
        <dd safe>
          {[detail.customer, detail.locationName, detail.address].filter(Boolean).join(" · ") || "—"}
        </dd>
        <dt>Installed</dt>
        <dd safe>{a.installedOn ?? "—"}</dd>
        <dt>Warranty</dt>
        <dd>
          <Warranty endsOn={a.warrantyEndsOn} today={today} />
        </dd>
        <dt>Status</dt>
        <dd safe>{ASSET_STATUS_LABELS[a.status]}</dd>
      </dl>
      {canManage ? (
        <p>
          <a href={`/fsm/assets/${a.id}/edit`}>Change</a>
        </p>
      ) : (
        ""
      )}
      <section class="card">
        <h2>Service history</h2>
        <WorkOrderHistory
          rows={detail.history}
          timeZone={timeZone}
          empty="No work orders on this asset yet."
          listClass="asset-history"
        />
      </section>
      <Meters
        csrf={csrf}
        assetId={a.id}
        meters={meters}
        timeZone={timeZone}
        canManage={canManage}
        reading={reading}
      />
      <section class="card">
        <h2>Maintenance plans</h2>
        {detail.plans.length === 0 ? <p class="empty">No plan keeps this asset serviced.</p> : ""}
        <ul>
          {detail.plans.map((p) => (
            <li>
              <a href={`/fsm/maintenance/${p.id}`} safe>
                {p.title}
              </a>
              {p.active ? "" : <span class="muted"> (paused)</span>}
            </li>
          ))}
        </ul>
        {canManage ? (
          <p>
            <a href={`/fsm/maintenance/new?assetId=${a.id}`}>Plan its maintenance</a>
          </p>
        ) : (
          ""
        )}
      </section>
    </Page>
  );
}

export function AssetFormPage({
  csrf,
  viewer,
  assetId,
  values,
  locations,
  fields = {},
  message,
}: {
  csrf: string;
  viewer: Viewer;
  assetId: string | null;
  values: Record<string, string>;
  locations: { id: string; name: string; customer: string | null }[];
  fields?: FieldErrors;
  message?: string;
}) {
  const action = assetId ? `/fsm/assets/${assetId}` : "/fsm/assets";
  const input = (name: string, label: string, hint?: string) => (
    <Field label={label} name={name} error={fields[name]} hint={hint}>
      <input
        id={name}
        name={name}
        maxlength="80"
        value={values[name] ?? ""}
        aria-invalid={fields[name] ? "true" : undefined}
      />
    </Field>
  );
  return (
    <Page title={assetId ? "Change asset" : "Add an asset"} csrf={csrf} viewer={viewer}>
      <p>
        <a href={assetId ? `/fsm/assets/${assetId}` : "/fsm/assets"}>← Back</a>
      </p>
      <h1>{assetId ? "Change asset" : "Add an asset"}</h1>
      <ErrorSummary message={message} fields={Object.keys(fields).length ? fields : undefined} />
      <form method="post" action={action} class="narrow">
        <CsrfField token={csrf} />
        {input("type", "What it is", "e.g. Split air conditioner")}
        {input("make", "Make")}
        {input("model", "Model")}
        {input("serial", "Serial number")}
        <Field label="Service location" name="locationId" error={fields.locationId}>
          <Select
            name="locationId"
            value={values.locationId ?? ""}
            blank="(none)"
            options={locations.map((l) => ({
              value: l.id,
              label: [l.customer, l.name].filter(Boolean).join(" · "),
            }))}
            invalid={Boolean(fields.locationId)}
          />
        </Field>
        {input("installedOn", "Installed on", "YYYY-MM-DD")}
        {input("warrantyEndsOn", "Warranty ends on", "YYYY-MM-DD")}
        <Field label="Status" name="status" error={fields.status}>
          <Select
            name="status"
            value={values.status ?? "active"}
            options={ASSET_STATUSES.map((s) => ({ value: s, label: ASSET_STATUS_LABELS[s] }))}
          />
        </Field>
        <button type="submit">Save</button>
      </form>
    </Page>
  );
}

function Meters({
  csrf,
  assetId,
  meters,
  timeZone,
  canManage,
  reading,
}: {
  csrf: string;
  assetId: string;
  meters: AssetMeters;
  timeZone: string;
  canManage: boolean;
  reading?: ReadingFormState;
}) {
  const values = reading?.values ?? {};
  const fields = reading?.fields ?? {};
  return (
    <section class="card" id="meters">
      <h2>Meters</h2>
      {meters.meters.length === 0 ? <p class="empty">No meter readings yet.</p> : ""}
      {meters.meters.length ? (
        <table class="meters">
          <thead>
            <tr>
              <th>Meter</th>
              <th>Latest</th>
              <th>Read</th>
              <th>Use per day</th>
            </tr>
          </thead>
          <tbody>
            {meters.meters.map((m) => (
              <tr data-meter={m.meter}>
                <td safe>{m.meter}</td>
                <td safe>{formatMeterValue(m.latest.value)}</td>
                <td safe>{formatDateTime(m.latest.readAt, timeZone)}</td>
                <td safe>{m.perDay === null ? "—" : formatMeterValue(m.perDay)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        ""
      )}
      {meters.recent.length ? (
        <details>
          <summary>Recent readings</summary>
          <ol class="meter-readings">
            {meters.recent.map((r) => (
              <li safe>
                {`${formatDateTime(r.readAt, timeZone)} · ${r.meter} ${formatMeterValue(r.value)}${
                  r.reset ? " (meter replaced or reset)" : ""
                }${r.appointmentId ? " · on a visit" : ""}${r.recordedBy ? ` · ${r.recordedBy}` : ""}${
                  r.note ? ` · ${r.note}` : ""
                }`}
              </li>
            ))}
          </ol>
        </details>
      ) : (
        ""
      )}
      {canManage ? (
        <form method="post" action={`/fsm/assets/${assetId}/readings`} class="narrow" id="reading-form">
          <h3>Record a reading</h3>
          <ErrorSummary message={reading?.message} />
          <CsrfField token={csrf} />
          <Field label="Meter" name="meter" error={fields.meter} hint="e.g. Running hours">
            <input
              id="meter"
              name="meter"
              maxlength="60"
              list="meter-names"
              value={values.meter ?? ""}
              aria-invalid={fields.meter ? "true" : undefined}
            />
          </Field>
          <datalist id="meter-names">
            {meters.meters.map((m) => (
              <option value={m.meter} />
            ))}
          </datalist>
          <Field label="Reading" name="value" error={fields.value}>
            <input
              id="value"
              name="value"
              inputmode="decimal"
              value={values.value ?? ""}
              aria-invalid={fields.value ? "true" : undefined}
            />
          </Field>
          <Field label="Read at" name="readAt" error={fields.readAt} hint="Leave empty for now">
            <input
              id="readAt"
              name="readAt"
              type="datetime-local"
              value={values.readAt ?? ""}
              aria-invalid={fields.readAt ? "true" : undefined}
            />
          </Field>
          <label class="check">
            <input type="checkbox" name="reset" value="1" checked={values.reset === "1"} /> Meter replaced or
            reset
          </label>
          <Field label="Note" name="note" error={fields.note}>
            <input id="note" name="note" maxlength="500" value={values.note ?? ""} />
          </Field>
          <button type="submit">Save reading</button>
        </form>
      ) : (
        ""
      )}
    </section>
  );
}
