// The office's inventory: levels per location with what is low, a location's page with its
// ledger, and the forms for receipts, transfers, count corrections and new locations. Plain
// forms that post and redirect; a refused one comes back with the field marked and typed values kept.
import { STOCK_LOCATION_KINDS } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import {
  type InventoryChoices,
  LOCATION_KIND_LABELS,
  type LocationDetail,
  type MovementRow,
  STOCK_LIST_LIMIT,
  type StockFilters,
  type StockLevelRow,
  type StockTaken,
} from "../../domain/fsm/inventory";
import { formatMoney } from "../../domain/fsm/money";
import { formatWorkOrderNumber } from "../../domain/fsm/rules";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { formatDateTime } from "../format";
import { Page, type Viewer } from "../layout";

export interface StockForm {
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}

const locationOptions = (choices: InventoryChoices) =>
  choices.locations.map((l) => ({ value: l.id, label: `${l.name} (${LOCATION_KIND_LABELS[l.kind]})` }));
const partOptions = (choices: InventoryChoices) =>
  choices.parts.map((p) => ({ value: p.id, label: `${p.sku} ${p.name}` }));

function InventoryActions() {
  return (
    <p class="actions">
      <a class="button" href="/fsm/inventory/receipts/new">
        Receive parts
      </a>{" "}
      <a class="button secondary" href="/fsm/inventory/transfers/new">
        Transfer
      </a>{" "}
      <a class="button secondary" href="/fsm/inventory/adjustments/new">
        Count correction
      </a>{" "}
      <a class="button secondary" href="/fsm/inventory/locations/new">
        New location
      </a>
    </p>
  );
}

/** The quantity, marked when it is at or below the reorder level or below zero. */
function OnHand({ quantity }: { quantity: number }) {
  return (
    <span class={quantity < 0 ? "stock-negative" : ""} safe>
      {String(quantity)}
    </span>
  );
}

function LevelTable({ rows, showLocation }: { rows: StockLevelRow[]; showLocation: boolean }) {
  return (
    <table class="stock-levels">
      <thead>
        <tr>
          {showLocation ? <th>Location</th> : ""}
          <th>Part</th>
          <th class="num">On hand</th>
          <th class="num">Reorder level</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr class={r.below ? "below-reorder" : ""} data-location={r.locationId} data-part={r.partId}>
            {showLocation ? (
              <td>
                <a href={`/fsm/inventory/locations/${r.locationId}`} safe>
                  {r.locationName}
                </a>
              </td>
            ) : (
              ""
            )}
            <td>
              <strong safe>{r.sku}</strong> <span safe>{r.partName}</span>
            </td>
            <td class="num quantity">
              <OnHand quantity={r.quantity} />
            </td>
            <td class="num" safe>
              {r.reorderLevel === null ? "—" : String(r.reorderLevel)}
            </td>
            <td>{r.below ? <span class="badge stock-low">Below reorder level</span> : ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function InventoryPage({
  csrf,
  viewer,
  rows,
  below,
  filters,
  choices,
}: {
  csrf: string;
  viewer: Viewer;
  rows: StockLevelRow[];
  below: StockLevelRow[];
  filters: StockFilters;
  choices: InventoryChoices;
}) {
  return (
    <Page title="Inventory" csrf={csrf} viewer={viewer}>
      <h1>Inventory</h1>
      <InventoryActions />
      <section class="card" id="below-reorder">
        <h2>Below reorder level</h2>
        {below.length === 0 ? (
          <p class="empty">Nothing is at or below its reorder level.</p>
        ) : (
          <LevelTable rows={below} showLocation />
        )}
      </section>
      <h2>Stock levels</h2>
      <form class="filters" method="get" action="/fsm/inventory">
        <label class="sr" for="locationId">
          Location
        </label>
        <Select
          name="locationId"
          value={filters.locationId}
          blank="Every location"
          options={locationOptions(choices)}
        />
        <label class="sr" for="partId">
          Part
        </label>
        <Select name="partId" value={filters.partId} blank="Every part" options={partOptions(choices)} />
        <label>
          <input type="checkbox" name="below" value="1" checked={filters.belowOnly} /> Below reorder level
          only
        </label>
        <button type="submit">Filter</button>
      </form>
      {rows.length === 0 ? <p class="empty">No stock matches.</p> : <LevelTable rows={rows} showLocation />}
      {rows.length >= STOCK_LIST_LIMIT ? (
        <p class="muted">{`Showing the first ${STOCK_LIST_LIMIT}; choose a location or a part to see the rest.`}</p>
      ) : (
        ""
      )}
      <h2>Locations</h2>
      {choices.locations.length === 0 ? (
        <p class="empty">No stock locations yet. Add a warehouse, or a van for each technician.</p>
      ) : (
        <ul class="stock-locations">
          {choices.locations.map((l) => (
            <li>
              <a href={`/fsm/inventory/locations/${l.id}`} safe>
                {l.name}
              </a>{" "}
              <span class="muted" safe>
                {LOCATION_KIND_LABELS[l.kind]}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

const MOVEMENT_LABELS: Record<MovementRow["kind"], string> = {
  receipt: "Receipt",
  transfer_out: "Transfer out",
  transfer_in: "Transfer in",
  used: "Used on a visit",
  returned: "Returned from a visit",
  adjustment: "Count correction",
};

function MovementDetail({ m }: { m: MovementRow }) {
  const bits: string[] = [];
  if (m.kind === "transfer_out" && m.otherLocation) bits.push(`to ${m.otherLocation}`);
  if (m.kind === "transfer_in" && m.otherLocation) bits.push(`from ${m.otherLocation}`);
  if (m.supplier) bits.push(m.supplier);
  if (m.reference) bits.push(m.reference);
  if (m.unitCostMinor !== null && m.currency) bits.push(`${formatMoney(m.unitCostMinor, m.currency)} each`);
  return (
    <>
      {m.workOrderNumber !== null ? (
        <a href={`/fsm/work-orders/${formatWorkOrderNumber(m.workOrderNumber)}`} safe>
          {formatWorkOrderNumber(m.workOrderNumber)}
        </a>
      ) : (
        ""
      )}{" "}
      <span safe>{bits.join(" · ")}</span>
      {m.override ? <span class="badge stock-override">Override</span> : ""}
      {m.reason ? (
        <small class="muted reason" safe>
          {` ${m.reason}`}
        </small>
      ) : (
        ""
      )}
    </>
  );
}

export function LocationPage({
  csrf,
  viewer,
  detail,
  choices,
  timeZone,
  notice,
  form = {},
}: {
  csrf: string;
  viewer: Viewer;
  detail: LocationDetail;
  choices: InventoryChoices;
  timeZone: string;
  notice?: string;
  /** The reorder-level form, when it was refused. */
  form?: StockForm;
}) {
  const { location, technician, levels, movements } = detail;
  const fields = form.fields ?? {};
  const values = form.values ?? {};
  const base = `/fsm/inventory/locations/${location.id}`;
  return (
    <Page title={location.name} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/fsm/inventory">← Inventory</a>
      </p>
      <Notice message={notice} />
      <ErrorSummary message={form.message} />
      <h1 safe>{location.name}</h1>
      <p class="muted" safe>
        {technician ? `Van of ${technician}` : LOCATION_KIND_LABELS[location.kind]}
      </p>
      <p class="actions">
        <a class="button" href={`/fsm/inventory/receipts/new?locationId=${location.id}`}>
          Receive parts here
        </a>{" "}
        <a class="button secondary" href={`/fsm/inventory/transfers/new?fromId=${location.id}`}>
          Transfer from here
        </a>{" "}
        <a class="button secondary" href={`/fsm/inventory/adjustments/new?locationId=${location.id}`}>
          Count correction
        </a>
      </p>
      <div class="ticket-layout">
        <section>
          <h2>Stock</h2>
          {levels.length === 0 ? (
            <p class="empty">Nothing here yet.</p>
          ) : (
            <LevelTable rows={levels} showLocation={false} />
          )}
          <h2>Recent movements</h2>
          {movements.length === 0 ? (
            <p class="empty">No movements yet.</p>
          ) : (
            <table class="stock-movements">
              <thead>
                <tr>
                  <th>When</th>
                  <th>What</th>
                  <th>Part</th>
                  <th class="num">Change</th>
                  <th class="num">Balance</th>
                  <th>Details</th>
                  <th>By</th>
                </tr>
              </thead>
              <tbody>
                {movements.map((m) => (
                  <tr class={`movement-${m.kind}`}>
                    <td safe>{formatDateTime(m.createdAt, timeZone)}</td>
                    <td safe>{MOVEMENT_LABELS[m.kind]}</td>
                    <td safe>{m.sku}</td>
                    <td class="num" safe>
                      {m.quantity > 0 ? `+${m.quantity}` : String(m.quantity)}
                    </td>
                    <td class="num">
                      <OnHand quantity={m.balanceAfter} />
                    </td>
                    <td>
                      <MovementDetail m={m} />
                    </td>
                    <td safe>{m.actor ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <aside>
          <form method="post" action={`${base}/reorder`} class="card">
            <h3>Reorder level</h3>
            <CsrfField token={csrf} />
            <Field label="Part" name="partId" error={fields.partId}>
              <Select name="partId" value={values.partId} blank="Choose…" options={partOptions(choices)} />
            </Field>
            <Field
              label="Reorder at or below"
              name="reorderLevel"
              error={fields.reorderLevel}
              hint="Leave blank to stop watching this part here."
            >
              <input
                id="reorderLevel"
                name="reorderLevel"
                inputmode="numeric"
                size="6"
                value={values.reorderLevel ?? ""}
              />
            </Field>
            <button type="submit">Save</button>
          </form>
        </aside>
      </div>
    </Page>
  );
}

function FormPage({
  csrf,
  viewer,
  title,
  action,
  form,
  children,
}: {
  csrf: string;
  viewer: Viewer;
  title: string;
  action: string;
  form: StockForm;
  children: JSX.Element | JSX.Element[];
}) {
  return (
    <Page title={title} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/fsm/inventory">← Inventory</a>
      </p>
      <section class="card wide">
        <h1 safe>{title}</h1>
        <ErrorSummary message={form.message} />
        <form method="post" action={action}>
          <CsrfField token={csrf} />
          {children as "safe"}
        </form>
      </section>
    </Page>
  );
}

function QuantityField({ label, name, form }: { label: string; name: string; form: StockForm }) {
  return (
    <Field label={label} name={name} error={form.fields?.[name]}>
      <input id={name} name={name} inputmode="numeric" size="6" value={form.values?.[name] ?? ""} />
    </Field>
  );
}

export function ReceiptFormPage(props: {
  csrf: string;
  viewer: Viewer;
  choices: InventoryChoices;
  form: StockForm;
}) {
  const { form, choices } = props;
  const v = form.values ?? {};
  const f = form.fields ?? {};
  return (
    <FormPage {...props} title="Receive parts" action="/fsm/inventory/receipts">
      <div class="row">
        <Field label="Into" name="locationId" error={f.locationId}>
          <Select name="locationId" value={v.locationId} blank="Choose…" options={locationOptions(choices)} />
        </Field>
        <Field label="Part" name="partId" error={f.partId}>
          <Select name="partId" value={v.partId} blank="Choose…" options={partOptions(choices)} />
        </Field>
        <QuantityField label="Quantity" name="quantity" form={form} />
      </div>
      <div class="row">
        <Field label="Supplier" name="supplier" error={f.supplier}>
          <input id="supplier" name="supplier" maxlength="200" value={v.supplier ?? ""} />
        </Field>
        <Field label="Reference (PO, delivery note)" name="reference" error={f.reference}>
          <input id="reference" name="reference" maxlength="200" value={v.reference ?? ""} />
        </Field>
        <Field
          label="Unit cost"
          name="unitCost"
          error={f.unitCost}
          hint="Leave blank for the part's catalog cost."
        >
          <input id="unitCost" name="unitCost" inputmode="decimal" size="8" value={v.unitCost ?? ""} />
        </Field>
      </div>
      <button type="submit">Receive</button>
    </FormPage>
  );
}

export function TransferFormPage(props: {
  csrf: string;
  viewer: Viewer;
  choices: InventoryChoices;
  form: StockForm;
}) {
  const { form, choices } = props;
  const v = form.values ?? {};
  const f = form.fields ?? {};
  return (
    <FormPage {...props} title="Transfer parts" action="/fsm/inventory/transfers">
      <div class="row">
        <Field label="From" name="fromId" error={f.fromId}>
          <Select name="fromId" value={v.fromId} blank="Choose…" options={locationOptions(choices)} />
        </Field>
        <Field label="To" name="toId" error={f.toId}>
          <Select name="toId" value={v.toId} blank="Choose…" options={locationOptions(choices)} />
        </Field>
      </div>
      <div class="row">
        <Field label="Part" name="partId" error={f.partId}>
          <Select name="partId" value={v.partId} blank="Choose…" options={partOptions(choices)} />
        </Field>
        <QuantityField label="Quantity" name="quantity" form={form} />
      </div>
      <button type="submit">Transfer</button>
    </FormPage>
  );
}

export function AdjustmentFormPage(props: {
  csrf: string;
  viewer: Viewer;
  choices: InventoryChoices;
  form: StockForm;
}) {
  const { form, choices } = props;
  const v = form.values ?? {};
  const f = form.fields ?? {};
  return (
    <FormPage {...props} title="Count correction" action="/fsm/inventory/adjustments">
      <div class="row">
        <Field label="Location" name="locationId" error={f.locationId}>
          <Select name="locationId" value={v.locationId} blank="Choose…" options={locationOptions(choices)} />
        </Field>
        <Field label="Part" name="partId" error={f.partId}>
          <Select name="partId" value={v.partId} blank="Choose…" options={partOptions(choices)} />
        </Field>
        <QuantityField label="Counted on the shelf" name="counted" form={form} />
      </div>
      <Field label="Reason" name="reason" error={f.reason}>
        <input id="reason" name="reason" maxlength="500" value={v.reason ?? ""} />
      </Field>
      <button type="submit">Correct the level</button>
    </FormPage>
  );
}

export function LocationFormPage(props: {
  csrf: string;
  viewer: Viewer;
  choices: InventoryChoices;
  form: StockForm;
}) {
  const { form, choices } = props;
  const v = form.values ?? {};
  const f = form.fields ?? {};
  return (
    <FormPage {...props} title="New stock location" action="/fsm/inventory/locations">
      <div class="row">
        <Field label="Kind" name="kind" error={f.kind}>
          <Select
            name="kind"
            value={v.kind ?? "warehouse"}
            options={STOCK_LOCATION_KINDS.map((k) => ({ value: k, label: LOCATION_KIND_LABELS[k] }))}
          />
        </Field>
        <Field label="Name" name="name" error={f.name}>
          <input id="name" name="name" maxlength="100" required value={v.name ?? ""} />
        </Field>
        <Field
          label="Van: technician"
          name="technicianUserId"
          error={f.technicianUserId}
          hint="Technicians who have no van yet."
        >
          <Select
            name="technicianUserId"
            value={v.technicianUserId}
            blank="—"
            options={choices.technicians.map((t) => ({ value: t.id, label: t.name }))}
          />
        </Field>
      </div>
      <button type="submit">Add location</button>
    </FormPage>
  );
}

interface VisitChoice {
  id: string;
  startsAt: Date;
  technicians: { name: string }[];
}

/**
 * On the work order page, for the office: the parts used on its visits, where each came from,
 * and the form to record one (from the technician's van unless another location is chosen; past
 * what the location holds only with an override reason).
 */
export function VisitPartsSection({
  csrf,
  base,
  visits,
  lines,
  taken,
  choices,
  timeZone,
  open,
  form = {},
}: {
  csrf: string;
  base: string;
  visits: VisitChoice[];
  lines: { id: string; appointmentId: string | null; kind: string; quantity: number; description: string }[];
  taken: StockTaken[];
  choices: InventoryChoices;
  timeZone: string;
  open: boolean;
  form?: StockForm;
}) {
  const partLines = lines.filter((l) => l.kind === "part" && l.appointmentId);
  const v = form.values ?? {};
  const f = form.fields ?? {};
  const visitLabel = (id: string | null) => {
    const visit = visits.find((a) => a.id === id);
    return visit
      ? `${formatDateTime(visit.startsAt, timeZone)} · ${visit.technicians.map((t) => t.name).join(", ")}`
      : "";
  };
  return (
    <section class="card visit-parts" id="visit-parts">
      <h2>Parts used on visits</h2>
      {partLines.length === 0 ? (
        <p class="empty">No parts recorded on a visit yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Part</th>
              <th>Visit</th>
              <th>Taken from</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {partLines.map((l) => {
              const from = taken.filter((t) => t.lineItemId === l.id && t.quantity < 0);
              const source = from.map((t) => t.locationName).join(", ") || "Not from stock";
              return (
                <tr id={`part-line-${l.id}`}>
                  <td safe>{`${l.quantity} × ${l.description}`}</td>
                  <td safe>{visitLabel(l.appointmentId)}</td>
                  <td>
                    <span safe>{source}</span>
                    {from.some((t) => t.override) ? (
                      <>
                        {" "}
                        <span class="badge stock-override">Override</span>{" "}
                        <small class="muted" safe>
                          {from.map((t) => t.reason ?? "").join(" ")}
                        </small>
                      </>
                    ) : (
                      ""
                    )}
                  </td>
                  <td>
                    {open ? (
                      <form method="post" action={`${base}/parts-used/${l.id}/remove`}>
                        <CsrfField token={csrf} />
                        <button type="submit" class="secondary">
                          Remove
                        </button>
                      </form>
                    ) : (
                      ""
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {open && visits.length ? (
        <form method="post" action={`${base}/parts-used`}>
          <h3>Record a part used</h3>
          <CsrfField token={csrf} />
          <div class="row">
            <Field label="Visit" name="usedAppointmentId" error={f.appointmentId}>
              <Select
                name="appointmentId"
                id="usedAppointmentId"
                value={v.appointmentId}
                options={visits.map((a) => ({ value: a.id, label: visitLabel(a.id) }))}
              />
            </Field>
            <Field label="Part" name="usedPartId" error={f.partId}>
              <Select
                name="partId"
                id="usedPartId"
                value={v.partId}
                blank="Choose…"
                options={partOptions(choices)}
              />
            </Field>
            <Field label="Quantity" name="usedQuantity" error={f.quantity}>
              <input
                id="usedQuantity"
                name="quantity"
                inputmode="numeric"
                size="4"
                value={v.quantity ?? "1"}
              />
            </Field>
            <Field label="Taken from" name="usedLocationId" error={f.locationId}>
              <Select
                name="locationId"
                id="usedLocationId"
                value={v.locationId}
                blank="The technician's van"
                options={locationOptions(choices)}
              />
            </Field>
          </div>
          <Field
            label="Override reason"
            name="overrideReason"
            error={f.overrideReason}
            hint="Only needed when the records show too few there; it is kept with your name."
          >
            <input id="overrideReason" name="overrideReason" maxlength="500" value={v.overrideReason ?? ""} />
          </Field>
          <button type="submit">Record part used</button>
        </form>
      ) : (
        ""
      )}
    </section>
  );
}
