// The dispatcher's work orders: the list with filters, the create form, the work order page.
import {
  type CustomerNoticeChannel,
  type CustomerNoticeKind,
  LINE_ITEM_KINDS,
  WORK_ORDER_PRIORITIES,
  WORK_ORDER_STATUSES,
  type WorkOrderStatus,
} from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import { formatEstimateNumber } from "../../domain/fsm/estimateRules";
import type { InventoryChoices, StockTaken } from "../../domain/fsm/inventory";
import type { JobSheetView } from "../../domain/fsm/jobSheets";
import { formatMoney, formatPercent, lineAmounts } from "../../domain/fsm/money";
import {
  APPOINTMENT_STATUS_LABELS,
  formatWorkOrderNumber,
  nextWorkOrderStatuses,
  WORK_ORDER_STATUS_LABELS,
} from "../../domain/fsm/rules";
import type {
  WorkOrderChoices,
  WorkOrderDetail,
  WorkOrderFilters,
  WorkOrderListRow,
} from "../../domain/fsm/workOrders";
import { formatInvoiceNumber } from "../../domain/invoicing/rules";
import { CsrfField, ErrorSummary, Field, Notice, SearchFilters, Select } from "../form";
import { contactLabel, formatDateTime, formatTicketNumber, humanize, priorityLabel } from "../format";
import { Page, type Viewer } from "../layout";
import { VisitPartsSection } from "./inventory";
import { WorkOrderJobSheets } from "./jobSheets";

function nextVisitText(at: Date | null, timeZone: string): string {
  return at ? formatDateTime(at, timeZone) : "";
}

export interface Failed {
  form: string;
  message: string;
  fields: FieldErrors;
  values: Record<string, string>;
}

const statusOptions = WORK_ORDER_STATUSES.map((s) => ({ value: s, label: WORK_ORDER_STATUS_LABELS[s] }));
const priorityOptions = WORK_ORDER_PRIORITIES.map((p) => ({ value: p, label: priorityLabel(p) }));

export function WorkOrderListPage({
  csrf,
  viewer,
  rows,
  filters,
  technicians,
  timeZone,
  canManage,
}: {
  csrf: string;
  viewer: Viewer;
  rows: WorkOrderListRow[];
  filters: WorkOrderFilters;
  technicians: { id: string; name: string }[];
  timeZone: string;
  canManage: boolean;
}) {
  return (
    <Page title="Work orders" csrf={csrf} viewer={viewer}>
      <h1>Work orders</h1>
      {canManage ? (
        <p>
          <a class="button" href="/fsm/work-orders/new">
            New work order
          </a>
        </p>
      ) : (
        ""
      )}
      <SearchFilters
        action="/fsm/work-orders"
        placeholder="Subject or WO number"
        q={filters.q}
        status={filters.status}
        statusOptions={statusOptions}
      >
        <label class="sr" for="priority">
          Priority
        </label>
        <Select name="priority" value={filters.priority} blank="Any priority" options={priorityOptions} />
        <label class="sr" for="technicianId">
          Technician
        </label>
        <Select
          name="technicianId"
          value={filters.technicianId}
          blank="Any technician"
          options={technicians.map((t) => ({ value: t.id, label: t.name }))}
        />
      </SearchFilters>
      {rows.length === 0 ? (
        <p class="empty">No work orders match.</p>
      ) : (
        <table class="work-orders">
          <thead>
            <tr>
              <th>Number</th>
              <th>Subject</th>
              <th>Customer</th>
              <th>Status</th>
              <th>Priority</th>
              <th>Next visit</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/fsm/work-orders/${formatWorkOrderNumber(r.number)}`} safe>
                    {formatWorkOrderNumber(r.number)}
                  </a>
                </td>
                <td safe>{r.subject}</td>
                <td safe>{r.contactName ?? ""}</td>
                <td>
                  <span class={`badge wo-${r.status}`} safe>
                    {WORK_ORDER_STATUS_LABELS[r.status]}
                  </span>
                </td>
                <td>
                  <span class={`prio prio-${r.priority}`} safe>
                    {priorityLabel(r.priority)}
                  </span>
                </td>
                <td safe>{nextVisitText(r.nextVisit, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

export function NewWorkOrderPage({
  csrf,
  viewer,
  choices,
  values = {},
  fields = {},
  message,
}: {
  csrf: string;
  viewer: Viewer;
  choices: WorkOrderChoices;
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}) {
  return (
    <Page title="New work order" csrf={csrf} viewer={viewer}>
      <section class="card wide">
        <h1>New work order</h1>
        <ErrorSummary message={message} />
        <form method="post" action="/fsm/work-orders">
          <CsrfField token={csrf} />
          <Field label="Subject" name="subject" error={fields.subject}>
            <input id="subject" name="subject" required maxlength="250" value={values.subject ?? ""} />
          </Field>
          <Field label="Description" name="description" error={fields.description}>
            <textarea id="description" name="description" rows="5" safe>
              {values.description ?? ""}
            </textarea>
          </Field>
          <div class="row">
            <Field label="Priority" name="priority" error={fields.priority}>
              <Select name="priority" value={values.priority ?? "normal"} options={priorityOptions} />
            </Field>
            <Field label="Customer email" name="contactEmail" error={fields.contactId ?? fields.contactEmail}>
              <input id="contactEmail" name="contactEmail" type="email" value={values.contactEmail ?? ""} />
            </Field>
          </div>
          <div class="row">
            <Field label="Service location" name="locationId" error={fields.locationId}>
              <Select
                name="locationId"
                value={values.locationId}
                blank="None"
                options={choices.locations.map((l) => ({ value: l.id, label: l.name }))}
              />
            </Field>
            <Field label="Asset" name="assetId" error={fields.assetId}>
              <Select
                name="assetId"
                value={values.assetId}
                blank="None"
                options={choices.assets.map((a) => ({
                  value: a.id,
                  label: [a.type, a.make, a.model, a.serial].filter(Boolean).join(" · "),
                }))}
              />
            </Field>
          </div>
          <Field label="Required skill" name="skillIds" error={fields.skillIds}>
            <Select
              name="skillIds"
              value={values.skillIds}
              blank="None"
              options={choices.skills.map((s) => ({ value: s.id, label: s.name }))}
            />
          </Field>
          <button type="submit">Create work order</button>
        </form>
      </section>
    </Page>
  );
}

function fieldsOf(
  failed: Failed | undefined,
  form: string,
): { fields: FieldErrors; values: Record<string, string> } {
  return failed?.form === form
    ? { fields: failed.fields, values: failed.values }
    : { fields: {}, values: {} };
}

const NOTICE_LABELS: Record<CustomerNoticeKind, string> = {
  confirmation: "Visit confirmed",
  on_the_way: "On the way",
  delay: "Running late",
};
const CHANNEL_LABELS: Record<CustomerNoticeChannel, string> = {
  sms: "Text",
  email: "Email",
  none: "Not sent",
};

/** What the customer was told about the visits, each message once. */
function CustomerNotices({ notices, timeZone }: { notices: WorkOrderDetail["notices"]; timeZone: string }) {
  return (
    <>
      <h2>Customer notices</h2>
      {notices.length === 0 ? (
        <p class="empty">The customer has not been sent anything about the visits yet.</p>
      ) : (
        <table class="customer-notices">
          <thead>
            <tr>
              <th>When</th>
              <th>Message</th>
              <th>Sent by</th>
              <th>Arrival told</th>
            </tr>
          </thead>
          <tbody>
            {notices.map((n) => (
              <tr class={`notice notice-${n.kind}`} data-appointment={n.appointmentId}>
                <td safe>{formatDateTime(n.createdAt, timeZone)}</td>
                <td>
                  <span safe>{NOTICE_LABELS[n.kind]}</span>{" "}
                  <small class="muted" safe>
                    {`for ${formatDateTime(n.windowStartsAt, timeZone)}`}
                  </small>
                </td>
                <td>
                  <span safe>{CHANNEL_LABELS[n.channel]}</span>{" "}
                  <small class="muted" safe>
                    {n.channel === "none" ? (n.reason ?? "") : (n.recipient ?? "")}
                  </small>
                </td>
                <td>{n.etaAt ? formatDateTime(n.etaAt, timeZone) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function WorkOrderPage({
  csrf,
  viewer,
  detail,
  choices,
  timeZone,
  canManage,
  notice,
  failed,
  localNow,
  qualified,
  estimate,
  plan,
  canEstimate = false,
  invoicing,
  jobSheets = [],
  templates = [],
  stock,
}: {
  csrf: string;
  viewer: Viewer;
  detail: WorkOrderDetail;
  choices: WorkOrderChoices;
  timeZone: string;
  canManage: boolean;
  notice?: string;
  failed?: Failed;
  /** "2026-11-23T10:00" in the organization's zone: the default of a new visit. */
  localNow: string;
  /** With required skills: who holds them, and their certifications valid today. */
  qualified?: { id: string; name: string; certifications: string[] }[];
  /** The accepted estimate this work order was made from. */
  estimate?: { number: number } | null;
  /** The maintenance plan that made this work order, and the day it was due. */
  plan?: { id: string; title: string; occursOn: string } | null;
  /** Whether the viewer may write an estimate from this work order. */
  canEstimate?: boolean;
  /** The work order's invoice, or whether one may be made (the work is done). */
  invoicing?: { invoice: { number: number } | null; canCreate: boolean };
  jobSheets?: JobSheetView[];
  templates?: { id: string; name: string }[];
  /** For the office's inventory: where visits' parts came from, and the form's choices. */
  stock?: { taken: StockTaken[]; choices: InventoryChoices };
}) {
  const wo = detail.workOrder;
  const number = formatWorkOrderNumber(wo.number);
  const base = `/fsm/work-orders/${number}`;
  const finished = wo.status === "closed" || wo.status === "cancelled";
  const visitForm = fieldsOf(failed, "appointment");
  const lineForm = fieldsOf(failed, "line");
  const statusForm = fieldsOf(failed, "status");
  const facts = {
    customer: detail.contact ? contactLabel(detail.contact) : "—",
    location: detail.location ? `${detail.location.name}, ${detail.location.address}` : "—",
    asset: detail.asset
      ? [detail.asset.type, detail.asset.make, detail.asset.model, detail.asset.serial]
          .filter(Boolean)
          .join(" · ")
      : "—",
    skills: detail.skills.length
      ? detail.skills.map((s) => `${s.name} (level ${s.minLevel}+)`).join(", ")
      : "—",
  };
  return (
    <Page title={`${number} ${wo.subject}`} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/fsm/work-orders">← Work orders</a>
      </p>
      <Notice message={notice} />
      {failed ? <ErrorSummary message={failed.message} /> : ""}
      <header>
        <h1>
          <span class="muted" safe>
            {number}
          </span>{" "}
          <span safe>{wo.subject}</span>
        </h1>
        <p>
          <span class={`badge wo-${wo.status}`} safe>
            {WORK_ORDER_STATUS_LABELS[wo.status]}
          </span>{" "}
          <span class={`prio prio-${wo.priority}`} safe>
            {priorityLabel(wo.priority)}
          </span>
          {detail.ticket ? (
            <>
              {" "}
              · From ticket{" "}
              <a href={`/desk/tickets/${formatTicketNumber(detail.ticket.number)}`} safe>
                {formatTicketNumber(detail.ticket.number)}
              </a>
            </>
          ) : (
            ""
          )}
          {estimate ? (
            <>
              {" "}
              · From estimate{" "}
              <a href={`/fsm/estimates/${formatEstimateNumber(estimate.number)}`} class="from-estimate" safe>
                {formatEstimateNumber(estimate.number)}
              </a>
            </>
          ) : (
            ""
          )}
          {plan ? (
            <>
              {" "}
              · Maintenance plan{" "}
              <a href={`/fsm/maintenance/${plan.id}`} class="from-plan" safe>
                {plan.title}
              </a>
            </>
          ) : (
            ""
          )}
          {canEstimate ? (
            <>
              {" "}
              · <a href={`/fsm/estimates/new?workOrder=${number}`}>Write an estimate</a>
            </>
          ) : (
            ""
          )}
          {invoicing?.invoice ? (
            <>
              {" "}
              · Invoice{" "}
              <a
                href={`/fsm/invoices/${formatInvoiceNumber(invoicing.invoice.number)}`}
                class="invoice-link"
                safe
              >
                {formatInvoiceNumber(invoicing.invoice.number)}
              </a>
            </>
          ) : (
            ""
          )}
        </p>
        {invoicing?.canCreate ? (
          <form method="post" action="/fsm/invoices" class="inline create-invoice">
            <CsrfField token={csrf} />
            <input type="hidden" name="workOrder" value={number} />
            <button type="submit">Create invoice</button>
          </form>
        ) : (
          ""
        )}
      </header>
      <div class="ticket-layout">
        <section>
          {wo.description ? (
            <p class="body" safe>
              {wo.description}
            </p>
          ) : (
            ""
          )}
          <dl class="facts">
            <dt>Customer</dt>
            <dd safe>{facts.customer}</dd>
            <dt>Location</dt>
            <dd safe>{facts.location}</dd>
            <dt>Asset</dt>
            <dd safe>{facts.asset}</dd>
            <dt>Required skills</dt>
            <dd safe>{facts.skills}</dd>
          </dl>

          <h2>Visits</h2>
          {detail.appointments.length === 0 ? (
            <p class="empty">No visits yet.</p>
          ) : (
            <table class="appointments">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Technicians</th>
                  <th>Status</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {detail.appointments.map((a) => (
                  <tr id={`a-${a.id}`}>
                    <td
                      safe
                    >{`${formatDateTime(a.startsAt, timeZone)} – ${formatDateTime(a.endsAt, timeZone)}`}</td>
                    <td safe>{a.technicians.map((t) => t.name).join(", ")}</td>
                    <td>
                      <span class={`badge visit-${a.status}`} safe>
                        {APPOINTMENT_STATUS_LABELS[a.status]}
                      </span>
                      {a.cannotCompleteReason ? (
                        <small class="muted" safe>
                          {` ${a.cannotCompleteReason}`}
                        </small>
                      ) : (
                        ""
                      )}
                      {a.signedName ? (
                        <small class="muted" safe>
                          {` Signed by ${a.signedName}`}
                        </small>
                      ) : (
                        ""
                      )}{" "}
                      <a href={`/tech/appointments/${a.id}/report.pdf`} class="report-link">
                        Service report
                      </a>
                    </td>
                    <td>
                      {canManage && a.status === "scheduled" && !finished ? (
                        <form method="post" action={`/fsm/appointments/${a.id}/status`}>
                          <CsrfField token={csrf} />
                          <input type="hidden" name="status" value="dispatched" />
                          <button type="submit" class="secondary">
                            Dispatch
                          </button>
                        </form>
                      ) : (
                        ""
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {canManage && !finished && wo.status !== "completed" ? (
            <form method="post" action={`${base}/appointments`} class="card">
              <h3>Schedule a visit</h3>
              <CsrfField token={csrf} />
              <div class="row">
                <Field label="Starts" name="startsAt" error={visitForm.fields.startsAt}>
                  <input
                    id="startsAt"
                    name="startsAt"
                    type="datetime-local"
                    required
                    value={visitForm.values.startsAt ?? localNow}
                  />
                </Field>
                <Field label="Duration (minutes)" name="minutes" error={visitForm.fields.endsAt}>
                  <input
                    id="minutes"
                    name="minutes"
                    type="number"
                    min="15"
                    step="15"
                    value={visitForm.values.minutes ?? "120"}
                  />
                </Field>
                <Field label="Technician" name="technicianIds" error={visitForm.fields.technicianIds}>
                  <Select
                    name="technicianIds"
                    value={visitForm.values.technicianIds}
                    blank="Choose…"
                    options={choices.technicians.map((t) => ({ value: t.id, label: t.name }))}
                  />
                </Field>
                {choices.crews.length ? (
                  <Field label="Or a crew" name="crewId" error={visitForm.fields.crewId}>
                    <Select
                      name="crewId"
                      value={visitForm.values.crewId}
                      blank="No crew"
                      options={choices.crews.map((c) => ({ value: c.id, label: c.name }))}
                    />
                  </Field>
                ) : (
                  ""
                )}
              </div>
              <small class="hint" safe>{`Times are in ${timeZone}.`}</small>
              {visitForm.fields.startsAt || visitForm.fields.technicianIds ? (
                <label class="check">
                  <input type="checkbox" name="override" value="1" /> Schedule anyway (the conflicts are
                  recorded)
                </label>
              ) : (
                ""
              )}
              <button type="submit">Schedule</button>
            </form>
          ) : (
            ""
          )}

          <CustomerNotices notices={detail.notices} timeZone={timeZone} />
          <WorkOrderJobSheets
            csrf={csrf}
            base={base}
            sheets={jobSheets}
            templates={templates}
            canManage={canManage}
            changeable={!finished && wo.status !== "completed"}
            timeZone={timeZone}
            failed={fieldsOf(failed, "jobSheet")}
          />

          <h2>Line items</h2>
          <table class="lines">
            <thead>
              <tr>
                <th>Item</th>
                <th class="num">Qty</th>
                <th class="num">Unit price</th>
                <th class="num">Tax</th>
                <th class="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {detail.lines.map((l) => (
                <tr>
                  <td>
                    <span class="kind" safe>
                      {humanize(l.kind)}
                    </span>{" "}
                    <span safe>{l.description}</span>
                  </td>
                  <td class="num" safe>
                    {String(l.quantity)}
                  </td>
                  <td class="num" safe>
                    {formatMoney(l.unitPriceMinor, wo.currency)}
                  </td>
                  <td class="num" safe>
                    {formatPercent(l.taxBasisPoints)}
                  </td>
                  <td class="num" safe>
                    {formatMoney(lineAmounts(l).netMinor, wo.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th colspan="4">Subtotal</th>
                <td class="num" id="subtotal" safe>
                  {formatMoney(detail.totals.subtotalMinor, wo.currency)}
                </td>
              </tr>
              {detail.totals.taxByRate
                .filter((r) => r.taxBasisPoints > 0)
                .map((r) => (
                  <tr>
                    <th colspan="4" safe>{`Tax ${formatPercent(r.taxBasisPoints)}`}</th>
                    <td class="num" safe>
                      {formatMoney(r.taxMinor, wo.currency)}
                    </td>
                  </tr>
                ))}
              <tr>
                <th colspan="4">Total</th>
                <td class="num" id="total" safe>
                  {formatMoney(detail.totals.totalMinor, wo.currency)}
                </td>
              </tr>
            </tfoot>
          </table>
          {canManage && !finished ? (
            <form method="post" action={`${base}/lines`} class="card">
              <h3>Add a line</h3>
              <CsrfField token={csrf} />
              <div class="row">
                <Field label="Kind" name="kind" error={lineForm.fields.kind}>
                  <Select
                    name="kind"
                    value={lineForm.values.kind ?? "service"}
                    options={LINE_ITEM_KINDS.map((k) => ({ value: k, label: humanize(k) }))}
                  />
                </Field>
                <Field label="Service" name="serviceId" error={lineForm.fields.serviceId}>
                  <Select
                    name="serviceId"
                    value={lineForm.values.serviceId}
                    blank="—"
                    options={choices.services.map((s) => ({
                      value: s.id,
                      label: `${s.name} (${formatMoney(s.priceMinor, s.currency)})`,
                    }))}
                  />
                </Field>
                <Field label="Part" name="partId" error={lineForm.fields.partId}>
                  <Select
                    name="partId"
                    value={lineForm.values.partId}
                    blank="—"
                    options={choices.parts.map((p) => ({
                      value: p.id,
                      label: `${p.sku} ${p.name} (${formatMoney(p.priceMinor, p.currency)})`,
                    }))}
                  />
                </Field>
              </div>
              <div class="row">
                <Field label="Quantity (labour: minutes)" name="quantity" error={lineForm.fields.quantity}>
                  <input
                    id="quantity"
                    name="quantity"
                    inputmode="numeric"
                    value={lineForm.values.quantity ?? "1"}
                  />
                </Field>
                <Field label="Labour: unit price" name="unitPrice" error={lineForm.fields.unitPrice}>
                  <input
                    id="unitPrice"
                    name="unitPrice"
                    inputmode="decimal"
                    value={lineForm.values.unitPrice ?? ""}
                  />
                </Field>
                <Field label="Labour: tax %" name="taxPercent" error={lineForm.fields.taxPercent}>
                  <input
                    id="taxPercent"
                    name="taxPercent"
                    inputmode="decimal"
                    value={lineForm.values.taxPercent ?? ""}
                  />
                </Field>
                <Field label="Description" name="description" error={lineForm.fields.description}>
                  <input id="description" name="description" value={lineForm.values.description ?? ""} />
                </Field>
              </div>
              <button type="submit">Add line</button>
            </form>
          ) : (
            ""
          )}
          {stock ? (
            <VisitPartsSection
              csrf={csrf}
              base={base}
              visits={detail.appointments}
              lines={detail.lines}
              taken={stock.taken}
              choices={stock.choices}
              timeZone={timeZone}
              open={!finished}
              form={failed?.form === "parts-used" ? failed : undefined}
            />
          ) : (
            ""
          )}
        </section>
        <aside>
          {qualified ? (
            <section class="card qualified">
              <h3>Qualified technicians</h3>
              {qualified.length === 0 ? (
                <p class="empty">Nobody holds every required skill.</p>
              ) : (
                <ul>
                  {qualified.slice(0, 20).map((t) => (
                    <li safe>
                      {t.certifications.length ? `${t.name} (${t.certifications.join(", ")})` : t.name}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ) : (
            ""
          )}
          {canManage && nextWorkOrderStatuses(wo.status).length ? (
            <form method="post" action={`${base}/status`} class="card">
              <CsrfField token={csrf} />
              <Field label="Change status" name="status" error={statusForm.fields.status}>
                <Select
                  name="status"
                  value={statusForm.values.status}
                  options={nextWorkOrderStatuses(wo.status).map((s) => ({
                    value: s,
                    label: WORK_ORDER_STATUS_LABELS[s],
                  }))}
                />
              </Field>
              <button type="submit">Save</button>
            </form>
          ) : (
            ""
          )}
        </aside>
      </div>
    </Page>
  );
}

/** The box on the desk's ticket page: its work orders, and the one-click button. */
export function TicketWorkOrders({
  csrf,
  ticketNumber,
  workOrders,
  canCreate,
}: {
  csrf: string;
  ticketNumber: number;
  workOrders: { number: number; status: (typeof WORK_ORDER_STATUSES)[number]; subject: string }[];
  canCreate: boolean;
}) {
  if (!canCreate && workOrders.length === 0) return "";
  return (
    <section class="card ticket-work-orders">
      <h2>Work orders</h2>
      {workOrders.length ? (
        <ul>
          {workOrders.map((w) => (
            <li>
              <a href={`/fsm/work-orders/${formatWorkOrderNumber(w.number)}`} safe>
                {formatWorkOrderNumber(w.number)}
              </a>{" "}
              <span class={`badge wo-${w.status}`} safe>
                {WORK_ORDER_STATUS_LABELS[w.status]}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        ""
      )}
      {canCreate ? (
        <form method="post" action="/fsm/work-orders/from-ticket">
          <CsrfField token={csrf} />
          <input type="hidden" name="ticket" value={formatTicketNumber(ticketNumber)} />
          <button type="submit">Create work order</button>
        </form>
      ) : (
        ""
      )}
    </section>
  );
}

/** Work orders of an asset or a place, newest first, each linked with its status and when it opened. */
export function WorkOrderHistory({
  rows,
  timeZone,
  empty,
  listClass,
}: {
  rows: { number: number; subject: string; status: WorkOrderStatus; createdAt: Date }[];
  timeZone: string;
  empty: string;
  listClass: string;
}) {
  return (
    <>
      {rows.length === 0 ? (
        <p class="empty" safe>
          {empty}
        </p>
      ) : (
        ""
      )}
      <ol class={listClass}>
        {rows.map((w) => (
          <li>
            <a href={`/fsm/work-orders/${formatWorkOrderNumber(w.number)}`} safe>
              {`${formatWorkOrderNumber(w.number)} ${w.subject}`}
            </a>{" "}
            <span class="muted" safe>
              {`${WORK_ORDER_STATUS_LABELS[w.status]} · opened ${formatDateTime(w.createdAt, timeZone)}`}
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}
