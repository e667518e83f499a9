// Staff's invoices: the list, the new-invoice form, and the invoice's page (edit a draft and its
// lines, send it, record payments, void it).
import { PAYMENT_METHODS } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import { formatMoney } from "../../domain/fsm/money";
import { formatWorkOrderNumber } from "../../domain/fsm/rules";
import type { WorkOrderChoices } from "../../domain/fsm/workOrders";
import type { InvoiceDetail, InvoiceFilters, InvoiceListRow } from "../../domain/invoicing/invoices";
import {
  formatInvoiceNumber,
  INVOICE_STATUS_LABELS,
  PAYMENT_METHOD_LABELS,
  SHOWN_INVOICE_STATUSES,
  type ShownInvoiceStatus,
} from "../../domain/invoicing/rules";
import { CsrfField, ErrorSummary, Field, SearchFilters, Select } from "../form";
import { formatDateTime, humanize } from "../format";
import { Page, type Viewer } from "../layout";
import { DocumentHistory, DocumentTitle, Fact } from "./documents";
import { AddLineForm, LinesTable } from "./lines";
import type { Failed } from "./workOrders";

const statusOptions = SHOWN_INVOICE_STATUSES.map((s) => ({ value: s, label: INVOICE_STATUS_LABELS[s] }));
const methodOptions = PAYMENT_METHODS.map((m) => ({ value: m, label: PAYMENT_METHOD_LABELS[m] }));

export function InvoiceBadge({ status }: { status: ShownInvoiceStatus }) {
  return (
    <span class={`badge invoice-${status}`} safe>
      {INVOICE_STATUS_LABELS[status]}
    </span>
  );
}

/** 123456, "MYR" → "1234.56": an amount as it is typed into a form. */
const plainAmount = (minor: number, currency: string) =>
  formatMoney(minor, currency)
    .slice(currency.length + 1)
    .replaceAll(",", "");

/** Sums per currency of what the list shows, for the line under it. */
function listTotals(rows: InvoiceListRow[]) {
  const byCurrency = new Map<string, { total: number; balance: number }>();
  for (const r of rows) {
    if (r.status === "void" || r.status === "draft") continue;
    const sum = byCurrency.get(r.currency) ?? { total: 0, balance: 0 };
    sum.total += r.totalMinor;
    sum.balance += r.balanceMinor;
    byCurrency.set(r.currency, sum);
  }
  return [...byCurrency].map(([currency, sum]) => ({ currency, ...sum }));
}

export function InvoiceListPage({
  csrf,
  viewer,
  rows,
  filters,
  canManage,
}: {
  csrf: string;
  viewer: Viewer;
  rows: InvoiceListRow[];
  filters: InvoiceFilters;
  canManage: boolean;
}) {
  const sums = listTotals(rows);
  return (
    <Page title="Invoices" csrf={csrf} viewer={viewer}>
      <h1>Invoices</h1>
      {canManage ? (
        <p>
          <a class="button" href="/fsm/invoices/new">
            New invoice
          </a>
        </p>
      ) : (
        ""
      )}
      <SearchFilters
        action="/fsm/invoices"
        placeholder="INV number, customer or subject"
        q={filters.q}
        status={filters.status}
        statusOptions={statusOptions}
      />
      {rows.length === 0 ? (
        <p class="empty">No invoices match.</p>
      ) : (
        <table class="invoices">
          <thead>
            <tr>
              <th>Number</th>
              <th>Subject</th>
              <th>Customer</th>
              <th>Status</th>
              <th>Issued</th>
              <th>Due</th>
              <th class="num">Total</th>
              <th class="num">Balance due</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/fsm/invoices/${formatInvoiceNumber(r.number)}`} safe>
                    {formatInvoiceNumber(r.number)}
                  </a>
                </td>
                <td safe>{r.subject}</td>
                <td safe>{r.contactName ?? ""}</td>
                <td>
                  <InvoiceBadge status={r.status} />
                </td>
                <td safe>{r.status === "draft" ? "—" : r.issueDate}</td>
                <td safe>{r.status === "draft" ? "—" : r.dueDate}</td>
                <td class="num" safe>
                  {formatMoney(r.totalMinor, r.currency)}
                </td>
                <td class="num" safe>
                  {r.status === "void" || r.status === "draft"
                    ? "—"
                    : formatMoney(r.balanceMinor, r.currency)}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            {sums.map((s) => (
              <tr class="list-total">
                <th colspan="6" safe>{`Invoiced (${s.currency}, sent and paid)`}</th>
                <td class="num" safe>
                  {formatMoney(s.total, s.currency)}
                </td>
                <td class="num" safe>
                  {formatMoney(s.balance, s.currency)}
                </td>
              </tr>
            ))}
          </tfoot>
        </table>
      )}
    </Page>
  );
}

/** Subject, payment terms and notes: part of the new form and the draft's edit form. */
function HeaderFields({ values, fields }: { values: Record<string, string>; fields: FieldErrors }) {
  return (
    <>
      <div class="row">
        <Field label="Subject" name="subject" error={fields.subject}>
          <input id="subject" name="subject" maxlength="250" value={values.subject ?? ""} />
        </Field>
        <Field
          label="Payment terms (days)"
          name="paymentTermsDays"
          error={fields.paymentTermsDays}
          hint="Due this many days after it is sent; 0 is due on receipt."
        >
          <input
            id="paymentTermsDays"
            name="paymentTermsDays"
            inputmode="numeric"
            value={values.paymentTermsDays ?? "30"}
          />
        </Field>
      </div>
      <Field label="Notes for the customer" name="notes" error={fields.notes} hint="Payment details, terms.">
        <textarea id="notes" name="notes" rows="3" safe>
          {values.notes ?? ""}
        </textarea>
      </Field>
    </>
  );
}

export function NewInvoicePage({
  csrf,
  viewer,
  values = {},
  fields = {},
  message,
}: {
  csrf: string;
  viewer: Viewer;
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}) {
  return (
    <Page title="New invoice" csrf={csrf} viewer={viewer}>
      <p>
        <a href="/fsm/invoices">← Invoices</a>
      </p>
      <section class="card wide">
        <h1>New invoice</h1>
        <ErrorSummary message={message} />
        <form method="post" action="/fsm/invoices">
          <CsrfField token={csrf} />
          <div class="row">
            <Field
              label="For work order"
              name="workOrder"
              error={fields.workOrder}
              hint="A completed work order: its customer, location and lines are copied. Leave empty to invoice a customer directly."
            >
              <input id="workOrder" name="workOrder" placeholder="WO-000045" value={values.workOrder ?? ""} />
            </Field>
            <Field
              label="Customer email"
              name="contactEmail"
              error={fields.contactId ?? fields.contactEmail}
              hint="From a work order, its customer when left empty."
            >
              <input id="contactEmail" name="contactEmail" type="email" value={values.contactEmail ?? ""} />
            </Field>
          </div>
          <HeaderFields values={values} fields={fields} />
          <button type="submit">Create draft</button>
        </form>
      </section>
    </Page>
  );
}

function fieldsOf(failed: Failed | undefined, form: string) {
  return failed?.form === form ? { fields: failed.fields, values: failed.values } : undefined;
}

/** One line of the invoice's history. */
function describe(type: string, data: Record<string, unknown>, currency: string): string {
  switch (type) {
    case "invoice.created":
      return data.fromWorkOrder
        ? `created the invoice from work order ${formatWorkOrderNumber(Number(data.fromWorkOrder))}`
        : "created the invoice";
    case "invoice.updated":
      return `changed ${((data.changed as string[]) ?? []).map((c) => humanize(c)).join(", ")}`;
    case "invoice.line_added":
      return `added the line “${String(data.description ?? "")}”`;
    case "invoice.line_changed":
      return `changed the line “${String(data.description ?? "")}”`;
    case "invoice.line_removed":
      return `removed the line “${String(data.description ?? "")}”`;
    case "invoice.sent":
      return `sent it${data.to ? ` to ${String(data.to)}` : ""}, due ${String(data.dueDate)}`;
    case "invoice.resent":
      return `sent a reminder to ${String(data.to)}`;
    case "invoice.payment_recorded":
      return `recorded a payment of ${formatMoney(Number(data.amountMinor), currency)}`;
    case "invoice.paid":
      return "it was paid in full";
    case "invoice.voided":
      return `voided it: “${String(data.reason ?? "")}”`;
    default:
      return type;
  }
}

export interface InvoicePageProps {
  csrf: string;
  viewer: Viewer;
  detail: InvoiceDetail;
  choices: Pick<WorkOrderChoices, "services" | "parts">;
  timeZone: string;
  canManage: boolean;
  /** The draft's line being changed (?line=…). */
  editLineId?: string;
  notice?: string;
  failed?: Failed;
}

export function InvoicePage(props: InvoicePageProps) {
  const { csrf, viewer, detail, timeZone, notice, failed } = props;
  const inv = detail.invoice;
  const number = formatInvoiceNumber(inv.number);
  const base = `/fsm/invoices/${number}`;
  const draft = props.canManage && inv.status === "draft";
  const customerText: string = detail.contact
    ? `${detail.contact.name} <${detail.contact.email ?? "no email"}>`
    : "—";
  const locationText: string = detail.location ? `${detail.location.name}, ${detail.location.address}` : "—";
  const money = (minor: number) => formatMoney(minor, inv.currency);
  return (
    <Page title={`${number} ${inv.subject}`} csrf={csrf} viewer={viewer}>
      <DocumentTitle
        back={{ href: "/fsm/invoices", label: "Invoices" }}
        notice={notice}
        failedMessage={failed?.message}
        number={number}
        subject={inv.subject}
      >
        <InvoiceBadge status={detail.status} />
        {detail.workOrder ? (
          <>
            {" "}
            · For work order{" "}
            <a
              href={`/fsm/work-orders/${formatWorkOrderNumber(detail.workOrder.number)}`}
              class="invoiced-work-order"
              safe
            >
              {formatWorkOrderNumber(detail.workOrder.number)}
            </a>
          </>
        ) : (
          ""
        )}{" "}
        · <a href={`${base}.pdf`}>PDF</a>
      </DocumentTitle>
      <div class="ticket-layout">
        <section>
          <dl class="facts">
            <dt>Customer</dt>
            <dd safe>{customerText}</dd>
            <dt>Location</dt>
            <dd safe>{locationText}</dd>
            <dt>Payment terms</dt>
            <dd safe>{`${inv.paymentTermsDays} days`}</dd>
            {inv.status === "draft" ? (
              ""
            ) : (
              <>
                <dt>Issued</dt>
                <dd safe>{inv.issueDate}</dd>
                <dt>Due</dt>
                <dd class="due-date" safe>
                  {inv.dueDate}
                </dd>
              </>
            )}
            <Fact term="Sent" value={inv.sentAt && formatDateTime(inv.sentAt, timeZone)} />
            <Fact term="Paid" value={inv.paidAt && formatDateTime(inv.paidAt, timeZone)} />
            <Fact
              term="Void"
              class="void-reason"
              value={inv.voidedAt && `${formatDateTime(inv.voidedAt, timeZone)}: ${inv.voidReason ?? ""}`}
            />
          </dl>
          <h2>Lines</h2>
          <LinesTable
            lines={detail.lines}
            totals={detail.totals}
            currency={inv.currency}
            csrf={csrf}
            removeAction={draft ? (l) => `${base}/lines/${l.id}/delete` : undefined}
            editHref={draft ? (l) => `${base}?line=${l.id}#change-line` : undefined}
          />
          <Balance detail={detail} money={money} />
          {inv.notes ? (
            <p class="body" safe>
              {inv.notes}
            </p>
          ) : (
            ""
          )}
          {draft ? <DraftForms {...props} base={base} /> : ""}
        </section>
        <aside>
          {props.canManage ? <Actions {...props} base={base} /> : ""}
          <Payments detail={detail} money={money} />
          <DocumentHistory
            history={detail.history}
            timeZone={timeZone}
            describe={(h) => describe(h.type, h.data, inv.currency)}
          />
        </aside>
      </div>
    </Page>
  );
}

/** Paid so far and the balance due, under the lines' totals. */
export function Balance({ detail, money }: { detail: InvoiceDetail; money: (minor: number) => string }) {
  if (detail.invoice.status === "draft" || detail.invoice.status === "void") return "";
  return (
    <dl class="facts balance">
      <dt>Paid</dt>
      <dd id="paid" safe>
        {money(detail.paidMinor)}
      </dd>
      <dt>Balance due</dt>
      <dd id="balance" safe>
        {money(detail.balanceMinor)}
      </dd>
    </dl>
  );
}

export function Payments({ detail, money }: { detail: InvoiceDetail; money: (minor: number) => string }) {
  if (detail.payments.length === 0) return "";
  return (
    <section class="card payments">
      <h3>Payments</h3>
      <table>
        <tbody>
          {detail.payments.map((p) => (
            <tr>
              <td safe>{p.receivedOn}</td>
              <td safe>{`${PAYMENT_METHOD_LABELS[p.method]}${p.reference ? ` ${p.reference}` : ""}`}</td>
              <td class="num" safe>
                {money(p.amountMinor)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function DraftForms(props: InvoicePageProps & { base: string }) {
  const { csrf, detail, failed, base } = props;
  const inv = detail.invoice;
  const editing = props.editLineId ? detail.lines.find((l) => l.id === props.editLineId) : undefined;
  const headerForm = fieldsOf(failed, "header") ?? {
    fields: {},
    values: { subject: inv.subject, paymentTermsDays: String(inv.paymentTermsDays), notes: inv.notes },
  };
  const lineForm = fieldsOf(failed, "line") ?? { fields: {}, values: {} };
  return (
    <>
      {editing ? (
        <ChangeLineForm
          csrf={csrf}
          action={`${base}/lines/${editing.id}`}
          cancel={base}
          {...(fieldsOf(failed, "change-line") ?? {
            fields: {},
            values: {
              description: editing.description,
              quantity: String(editing.quantity),
              unitPrice: plainAmount(editing.unitPriceMinor, inv.currency),
              taxPercent: String(editing.taxBasisPoints / 100),
            },
          })}
        />
      ) : (
        <AddLineForm
          csrf={csrf}
          action={`${base}/lines`}
          choices={props.choices}
          values={lineForm.values}
          fields={lineForm.fields}
          typedPrices
        />
      )}
      <form method="post" action={base} class="card">
        <h3>Edit the draft</h3>
        <CsrfField token={csrf} />
        <HeaderFields values={headerForm.values} fields={headerForm.fields} />
        <button type="submit">Save</button>
      </form>
    </>
  );
}

function ChangeLineForm({
  csrf,
  action,
  cancel,
  values,
  fields,
}: {
  csrf: string;
  action: string;
  cancel: string;
  values: Record<string, string>;
  fields: FieldErrors;
}) {
  return (
    <form method="post" action={action} class="card change-line" id="change-line">
      <h3>Change the line</h3>
      <CsrfField token={csrf} />
      <div class="row">
        <Field label="Description" name="description" error={fields.description}>
          <input id="description" name="description" maxlength="500" value={values.description ?? ""} />
        </Field>
        <Field label="Quantity" name="quantity" error={fields.quantity}>
          <input id="quantity" name="quantity" inputmode="numeric" value={values.quantity ?? ""} />
        </Field>
        <Field label="Unit price" name="unitPrice" error={fields.unitPrice}>
          <input id="unitPrice" name="unitPrice" inputmode="decimal" value={values.unitPrice ?? ""} />
        </Field>
        <Field label="Tax %" name="taxPercent" error={fields.taxPercent}>
          <input id="taxPercent" name="taxPercent" inputmode="decimal" value={values.taxPercent ?? ""} />
        </Field>
      </div>
      <button type="submit">Save line</button> <a href={cancel}>Cancel</a>
    </form>
  );
}

/** Send, record a payment, void: what the invoice's status allows. */
function Actions(props: InvoicePageProps & { base: string }) {
  const { csrf, detail, failed, base } = props;
  const status = detail.invoice.status;
  const payment = fieldsOf(failed, "payment") ?? { fields: {}, values: { receivedOn: detail.today } };
  const voiding = fieldsOf(failed, "void") ?? { fields: {}, values: {} };
  const sendHint: string =
    status === "draft"
      ? `Sending emails the customer a link to the invoice in the portal; it is issued today and due in ${detail.invoice.paymentTermsDays} days. It can no longer be edited afterwards.`
      : "Email the customer a reminder with the link again.";
  return (
    <>
      {status === "draft" || status === "sent" ? (
        <form method="post" action={`${base}/send`} class="card send">
          <CsrfField token={csrf} />
          {status === "sent" ? <input type="hidden" name="reminder" value="1" /> : ""}
          <p class="hint" safe>
            {sendHint}
          </p>
          <button type="submit">{status === "draft" ? "Send to customer" : "Send a reminder"}</button>
        </form>
      ) : (
        ""
      )}
      {status === "sent" ? (
        <form method="post" action={`${base}/payments`} class="card record-payment">
          <h3>Record a payment</h3>
          <CsrfField token={csrf} />
          <Field label="Amount" name="amount" error={payment.fields.amount}>
            <input
              id="amount"
              name="amount"
              inputmode="decimal"
              placeholder={plainAmount(detail.balanceMinor, detail.invoice.currency)}
              value={payment.values.amount ?? ""}
            />
          </Field>
          <Field label="Received on" name="receivedOn" error={payment.fields.receivedOn}>
            <input id="receivedOn" name="receivedOn" type="date" value={payment.values.receivedOn ?? ""} />
          </Field>
          <Field label="Method" name="method" error={payment.fields.method}>
            <Select name="method" value={payment.values.method} blank="Choose…" options={methodOptions} />
          </Field>
          <Field
            label="Reference"
            name="reference"
            error={payment.fields.reference}
            hint="Bank or card reference."
          >
            <input id="reference" name="reference" maxlength="200" value={payment.values.reference ?? ""} />
          </Field>
          <button type="submit">Record payment</button>
        </form>
      ) : (
        ""
      )}
      {(status === "draft" || status === "sent") && detail.payments.length === 0 ? (
        <form method="post" action={`${base}/void`} class="card void">
          <h3>Void</h3>
          <CsrfField token={csrf} />
          <Field label="Reason" name="reason" error={voiding.fields.reason}>
            <input id="reason" name="reason" maxlength="2000" value={voiding.values.reason ?? ""} />
          </Field>
          <button type="submit" class="secondary">
            Void invoice
          </button>
        </form>
      ) : (
        ""
      )}
    </>
  );
}
