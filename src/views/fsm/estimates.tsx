// Staff's estimates: the list, the new-estimate form, and the estimate's page (edit a draft, its
// lines, send it, and what the customer answered).
import { ESTIMATE_STATUSES, type EstimateStatus } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import { ESTIMATE_STATUS_LABELS, formatEstimateNumber } from "../../domain/fsm/estimateRules";
import type { EstimateDetail, EstimateFilters, EstimateListRow } from "../../domain/fsm/estimates";
import { formatMoney } from "../../domain/fsm/money";
import { formatWorkOrderNumber } from "../../domain/fsm/rules";
import type { WorkOrderChoices } from "../../domain/fsm/workOrders";
import { CsrfField, ErrorSummary, Field, SearchFilters, Select } from "../form";
import { formatDateTime, formatTicketNumber, humanize } from "../format";
import { Page, type Viewer } from "../layout";
import { DocumentHistory, DocumentTitle, Fact } from "./documents";
import { AddLineForm, LinesTable } from "./lines";
import type { Failed } from "./workOrders";

const statusOptions = ESTIMATE_STATUSES.filter((s) => s !== "accepted").map((s) => ({
  value: s,
  label: ESTIMATE_STATUS_LABELS[s],
}));

export function EstimateBadge({ status }: { status: EstimateStatus }) {
  return (
    <span class={`badge estimate-${status}`} safe>
      {ESTIMATE_STATUS_LABELS[status]}
    </span>
  );
}

export function EstimateListPage({
  csrf,
  viewer,
  rows,
  filters,
  timeZone,
}: {
  csrf: string;
  viewer: Viewer;
  rows: EstimateListRow[];
  filters: EstimateFilters;
  timeZone: string;
}) {
  return (
    <Page title="Estimates" csrf={csrf} viewer={viewer}>
      <h1>Estimates</h1>
      <p>
        <a class="button" href="/fsm/estimates/new">
          New estimate
        </a>
      </p>
      <SearchFilters
        action="/fsm/estimates"
        placeholder="Subject or EST number"
        q={filters.q}
        status={filters.status}
        statusOptions={statusOptions}
      />
      {rows.length === 0 ? (
        <p class="empty">No estimates match.</p>
      ) : (
        <table class="estimates">
          <thead>
            <tr>
              <th>Number</th>
              <th>Subject</th>
              <th>Customer</th>
              <th>Status</th>
              <th>Valid until</th>
              <th class="num">Total</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/fsm/estimates/${formatEstimateNumber(r.number)}`} safe>
                    {formatEstimateNumber(r.number)}
                  </a>
                </td>
                <td safe>{r.subject}</td>
                <td safe>{r.contactName ?? ""}</td>
                <td>
                  <EstimateBadge status={r.status} />
                </td>
                <td safe>{r.validUntil}</td>
                <td class="num" safe>
                  {formatMoney(r.totalMinor, r.currency)}
                </td>
                <td safe>{formatDateTime(r.updatedAt, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

/** Subject, customer, location, valid-until and notes: the new form and a draft's edit form. */
function HeaderFields({
  values,
  fields,
  choices,
}: {
  values: Record<string, string>;
  fields: FieldErrors;
  choices: Pick<WorkOrderChoices, "locations">;
}) {
  return (
    <>
      <Field label="Subject" name="subject" error={fields.subject}>
        <input id="subject" name="subject" maxlength="250" value={values.subject ?? ""} />
      </Field>
      <div class="row">
        <Field label="Customer email" name="contactEmail" error={fields.contactId ?? fields.contactEmail}>
          <input id="contactEmail" name="contactEmail" type="email" value={values.contactEmail ?? ""} />
        </Field>
        <Field label="Service location" name="locationId" error={fields.locationId}>
          <Select
            name="locationId"
            value={values.locationId}
            blank="None"
            options={choices.locations.map((l) => ({ value: l.id, label: l.name }))}
          />
        </Field>
        <Field
          label="Valid until"
          name="validUntil"
          error={fields.validUntil}
          hint="The last day the customer may accept it."
        >
          <input id="validUntil" name="validUntil" type="date" value={values.validUntil ?? ""} />
        </Field>
      </div>
      <Field label="Notes for the customer" name="notes" error={fields.notes}>
        <textarea id="notes" name="notes" rows="4" safe>
          {values.notes ?? ""}
        </textarea>
      </Field>
    </>
  );
}

export function NewEstimatePage({
  csrf,
  viewer,
  choices,
  values = {},
  fields = {},
  message,
}: {
  csrf: string;
  viewer: Viewer;
  choices: Pick<WorkOrderChoices, "locations">;
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}) {
  return (
    <Page title="New estimate" csrf={csrf} viewer={viewer}>
      <p>
        <a href="/fsm/estimates">← Estimates</a>
      </p>
      <section class="card wide">
        <h1>New estimate</h1>
        <ErrorSummary message={message} />
        <form method="post" action="/fsm/estimates">
          <CsrfField token={csrf} />
          <HeaderFields values={values} fields={fields} choices={choices} />
          <div class="row">
            <Field
              label="From ticket (optional)"
              name="ticket"
              error={fields.ticket}
              hint="Its customer and subject are used when left empty above."
            >
              <input id="ticket" name="ticket" placeholder="TKT-000123" value={values.ticket ?? ""} />
            </Field>
            <Field
              label="From work order (optional)"
              name="workOrder"
              error={fields.workOrder}
              hint="Its customer, location and lines are copied."
            >
              <input id="workOrder" name="workOrder" placeholder="WO-000045" value={values.workOrder ?? ""} />
            </Field>
          </div>
          <button type="submit">Create draft</button>
        </form>
      </section>
    </Page>
  );
}

function fieldsOf(failed: Failed | undefined, form: string) {
  return failed?.form === form ? { fields: failed.fields, values: failed.values } : undefined;
}

/** One line of the estimate's history. */
function describe(type: string, data: Record<string, unknown>): string {
  switch (type) {
    case "estimate.created":
      return data.fromTicket
        ? `created the estimate from ticket ${formatTicketNumber(Number(data.fromTicket))}`
        : data.fromWorkOrder
          ? `created the estimate from work order ${formatWorkOrderNumber(Number(data.fromWorkOrder))}`
          : "created the estimate";
    case "estimate.updated":
      return `changed ${((data.changed as string[]) ?? []).map((c) => humanize(c.replace(/Id$/, ""))).join(", ")}`;
    case "estimate.line_added":
      return "added a line";
    case "estimate.line_removed":
      return `removed the line “${String(data.description ?? "")}”`;
    case "estimate.sent":
      return `sent it to ${String(data.to)}`;
    case "estimate.resent":
      return `sent it again to ${String(data.to)}`;
    case "estimate.accepted":
      return `accepted it, signed “${String(data.name)}”${data.ip ? ` from ${String(data.ip)}` : ""}`;
    case "estimate.declined":
      return data.reason ? `declined it: “${String(data.reason)}”` : "declined it";
    case "estimate.expired":
      return `it expired (valid until ${String(data.validUntil)})`;
    case "estimate.converted":
      return `it became work order ${formatWorkOrderNumber(Number(data.workOrderNumber))}`;
    default:
      return type;
  }
}

export function EstimatePage({
  csrf,
  viewer,
  detail,
  choices,
  timeZone,
  notice,
  failed,
}: {
  csrf: string;
  viewer: Viewer;
  detail: EstimateDetail;
  choices: WorkOrderChoices;
  timeZone: string;
  notice?: string;
  failed?: Failed;
}) {
  const e = detail.estimate;
  const number = formatEstimateNumber(e.number);
  const base = `/fsm/estimates/${number}`;
  const draft = e.status === "draft";
  const headerForm = fieldsOf(failed, "header") ?? {
    fields: {},
    values: {
      subject: e.subject,
      contactEmail: detail.contact?.email ?? "",
      locationId: e.locationId ?? "",
      validUntil: e.validUntil,
      notes: e.notes,
    },
  };
  const lineForm = fieldsOf(failed, "line") ?? { fields: {}, values: {} };
  const customerText: string = detail.contact
    ? `${detail.contact.name} <${detail.contact.email ?? "no email"}>`
    : "—";
  const locationText: string = detail.location ? `${detail.location.name}, ${detail.location.address}` : "—";
  const sendHint: string =
    detail.status === "draft"
      ? "Sending emails the customer a link to accept or decline it in the portal. The estimate can no longer be edited afterwards."
      : "Email the customer the link again.";
  return (
    <Page title={`${number} ${e.subject}`} csrf={csrf} viewer={viewer}>
      <DocumentTitle
        back={{ href: "/fsm/estimates", label: "Estimates" }}
        notice={notice}
        failedMessage={failed?.message}
        number={number}
        subject={e.subject}
      >
        <EstimateBadge status={detail.status} />
        {detail.workOrder ? (
          <>
            {" "}
            · Became work order{" "}
            <a
              href={`/fsm/work-orders/${formatWorkOrderNumber(detail.workOrder.number)}`}
              class="converted-work-order"
              safe
            >
              {formatWorkOrderNumber(detail.workOrder.number)}
            </a>
          </>
        ) : (
          ""
        )}
      </DocumentTitle>
      <div class="ticket-layout">
        <section>
          <dl class="facts">
            <dt>Customer</dt>
            <dd safe>{customerText}</dd>
            <dt>Location</dt>
            <dd safe>{locationText}</dd>
            <dt>Valid until</dt>
            <dd safe>{e.validUntil}</dd>
            {detail.ticket ? (
              <>
                <dt>Ticket</dt>
                <dd>
                  <a href={`/desk/tickets/${formatTicketNumber(detail.ticket.number)}`} safe>
                    {`${formatTicketNumber(detail.ticket.number)} ${detail.ticket.subject}`}
                  </a>
                </dd>
              </>
            ) : (
              ""
            )}
            {detail.sourceWorkOrder ? (
              <>
                <dt>From work order</dt>
                <dd>
                  <a href={`/fsm/work-orders/${formatWorkOrderNumber(detail.sourceWorkOrder.number)}`} safe>
                    {formatWorkOrderNumber(detail.sourceWorkOrder.number)}
                  </a>
                </dd>
              </>
            ) : (
              ""
            )}
            <Fact term="Sent" value={e.sentAt && formatDateTime(e.sentAt, timeZone)} />
            <Fact
              term="Accepted"
              class="signature"
              value={
                e.acceptedAt &&
                `Signed “${e.acceptedName ?? ""}” on ${formatDateTime(e.acceptedAt, timeZone)}${e.acceptedIp ? ` from ${e.acceptedIp}` : ""}`
              }
            />
            <Fact
              term="Declined"
              class="decline"
              value={
                e.declinedAt &&
                `${formatDateTime(e.declinedAt, timeZone)}${e.declineReason ? `: ${e.declineReason}` : ""}`
              }
            />
          </dl>
          {e.notes ? (
            <p class="body" safe>
              {e.notes}
            </p>
          ) : (
            ""
          )}
          <h2>Lines</h2>
          <LinesTable
            lines={detail.lines}
            totals={detail.totals}
            currency={e.currency}
            csrf={csrf}
            removeAction={draft ? (l) => `${base}/lines/${l.id}/delete` : undefined}
          />
          {draft ? (
            <AddLineForm
              csrf={csrf}
              action={`${base}/lines`}
              choices={choices}
              values={lineForm.values}
              fields={lineForm.fields}
              typedPrices
            />
          ) : (
            ""
          )}
          {draft ? (
            <form method="post" action={base} class="card">
              <h3>Edit the draft</h3>
              <CsrfField token={csrf} />
              <HeaderFields values={headerForm.values} fields={headerForm.fields} choices={choices} />
              <button type="submit">Save</button>
            </form>
          ) : (
            ""
          )}
        </section>
        <aside>
          {detail.status === "draft" || detail.status === "sent" ? (
            <form method="post" action={`${base}/send`} class="card">
              <CsrfField token={csrf} />
              <p class="hint" safe>
                {sendHint}
              </p>
              <button type="submit">{detail.status === "draft" ? "Send to customer" : "Send again"}</button>
            </form>
          ) : (
            ""
          )}
          <DocumentHistory
            history={detail.history}
            timeZone={timeZone}
            describe={(h) => describe(h.type, h.data)}
          />
        </aside>
      </div>
    </Page>
  );
}
