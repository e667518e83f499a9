// Priced lines with their totals, and the form that adds one: shared by estimates (staff and
// portal) and maintenance plans. Work orders keep their own table (it books visits' parts too).
import type { LineItemKind } from "../../../db/schema";
import { LINE_ITEM_KINDS } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import { LINE_KIND_LABELS } from "../../domain/fsm/lines";
import { formatMoney, formatPercent, lineAmounts, type Totals } from "../../domain/fsm/money";
import type { WorkOrderChoices } from "../../domain/fsm/workOrders";
import { CsrfField, Field, Select } from "../form";

export interface ShownLine {
  id: string;
  kind: LineItemKind;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  taxBasisPoints: number;
}

export function LinesTable({
  lines,
  totals,
  currency,
  removeAction,
  editHref,
  csrf,
}: {
  lines: ShownLine[];
  totals: Totals;
  currency: string;
  /** With it, each line has a Remove button posting to this function's path. */
  removeAction?: (line: ShownLine) => string;
  /** With it, each line has a Change link to this function's address. */
  editHref?: (line: ShownLine) => string;
  csrf?: string;
}) {
  const span = removeAction ? "6" : "5";
  return (
    <table class="lines">
      <thead>
        <tr>
          <th>Item</th>
          <th class="num">Qty</th>
          <th class="num">Unit price</th>
          <th class="num">Tax</th>
          <th class="num">Amount</th>
          {removeAction ? <th /> : ""}
        </tr>
      </thead>
      <tbody>
        {lines.length === 0 ? (
          <tr>
            <td colspan={span} class="empty">
              No lines yet.
            </td>
          </tr>
        ) : (
          ""
        )}
        {lines.map((l) => (
          <tr>
            <td>
              <span class="kind" safe>
                {LINE_KIND_LABELS[l.kind]}
              </span>{" "}
              <span safe>{l.description}</span>
            </td>
            <td class="num" safe>
              {String(l.quantity)}
            </td>
            <td class="num" safe>
              {formatMoney(l.unitPriceMinor, currency)}
            </td>
            <td class="num" safe>
              {formatPercent(l.taxBasisPoints)}
            </td>
            <td class="num" safe>
              {formatMoney(lineAmounts(l).netMinor, currency)}
            </td>
            {removeAction ? (
              <td>
                {editHref ? (
                  <a href={editHref(l)} class="change-line">
                    Change
                  </a>
                ) : (
                  ""
                )}
                <form method="post" action={removeAction(l)}>
                  <CsrfField token={csrf ?? ""} />
                  <button type="submit" class="secondary">
                    Remove
                  </button>
                </form>
              </td>
            ) : (
              ""
            )}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th colspan="4">Subtotal</th>
          <td class="num" id="subtotal" safe>
            {formatMoney(totals.subtotalMinor, currency)}
          </td>
        </tr>
        {totals.taxByRate
          .filter((r) => r.taxBasisPoints > 0)
          .map((r) => (
            <tr>
              <th colspan="4" safe>{`Tax ${formatPercent(r.taxBasisPoints)}`}</th>
              <td class="num" safe>
                {formatMoney(r.taxMinor, currency)}
              </td>
            </tr>
          ))}
        <tr>
          <th colspan="4">Tax</th>
          <td class="num" id="tax" safe>
            {formatMoney(totals.taxMinor, currency)}
          </td>
        </tr>
        <tr>
          <th colspan="4">Total</th>
          <td class="num" id="total" safe>
            {formatMoney(totals.totalMinor, currency)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

/** Adds a line: a catalog service or part (its price unless one is typed), or a free line. */
export function AddLineForm({
  csrf,
  action,
  choices,
  values = {},
  fields = {},
  typedPrices,
}: {
  csrf: string;
  action: string;
  choices: Pick<WorkOrderChoices, "services" | "parts">;
  values?: Record<string, string>;
  fields?: FieldErrors;
  /** Whether a typed price may override a catalog item's (estimates) or only prices free lines. */
  typedPrices: boolean;
}) {
  const priceHint = typedPrices
    ? "Leave empty to use the catalog's price and tax."
    : "For labour and free lines; catalog items use their price.";
  return (
    <form method="post" action={action} class="card add-line">
      <h3>Add a line</h3>
      <CsrfField token={csrf} />
      <div class="row">
        <Field label="Kind" name="kind" error={fields.kind}>
          <Select
            name="kind"
            value={values.kind ?? "service"}
            options={LINE_ITEM_KINDS.map((k) => ({ value: k, label: LINE_KIND_LABELS[k] }))}
          />
        </Field>
        <Field label="Service" name="serviceId" error={fields.serviceId}>
          <Select
            name="serviceId"
            value={values.serviceId}
            blank="—"
            options={choices.services.map((s) => ({
              value: s.id,
              label: `${s.name} (${formatMoney(s.priceMinor, s.currency)})`,
            }))}
          />
        </Field>
        <Field label="Part" name="partId" error={fields.partId}>
          <Select
            name="partId"
            value={values.partId}
            blank="—"
            options={choices.parts.map((p) => ({
              value: p.id,
              label: `${p.sku} ${p.name} (${formatMoney(p.priceMinor, p.currency)})`,
            }))}
          />
        </Field>
      </div>
      <div class="row">
        <Field label="Description" name="description" error={fields.description}>
          <input id="description" name="description" maxlength="500" value={values.description ?? ""} />
        </Field>
        <Field label="Quantity" name="quantity" error={fields.quantity}>
          <input id="quantity" name="quantity" inputmode="numeric" value={values.quantity ?? "1"} />
        </Field>
        <Field label="Unit price" name="unitPrice" error={fields.unitPrice} hint={priceHint}>
          <input id="unitPrice" name="unitPrice" inputmode="decimal" value={values.unitPrice ?? ""} />
        </Field>
        <Field label="Tax %" name="taxPercent" error={fields.taxPercent}>
          <input id="taxPercent" name="taxPercent" inputmode="decimal" value={values.taxPercent ?? ""} />
        </Field>
      </div>
      <button type="submit">Add line</button>
    </form>
  );
}
