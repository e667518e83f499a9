import type { TicketStatus } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import type { Catalog } from "../../domain/fields/values";
import type { TicketDetail } from "../../domain/tickets/queries";
import { Thread } from "../desk/ticketPage";
import { ClassificationFields } from "../fields/form";
import { ClassificationSummary } from "../fields/summary";
import { AttachmentsField, BodyField, CsrfField, ErrorSummary, Field, Notice } from "../form";
import { formatDateTime, formatTicketNumber, statusLabel } from "../format";
import { Page, type Viewer } from "../layout";

interface OwnTicket {
  number: number;
  subject: string;
  status: TicketStatus;
  updatedAt: Date;
}

export function PortalTicketsPage({
  csrf,
  viewer,
  tickets,
  timeZone,
  notice,
  q = "",
}: {
  csrf: string;
  viewer: Viewer;
  tickets: OwnTicket[];
  timeZone: string;
  notice?: string;
  /** A search of the customer's own tickets. */
  q?: string;
}) {
  return (
    <Page title="My tickets" csrf={csrf} viewer={viewer}>
      <h1>My tickets</h1>
      <Notice message={notice} />
      <p>
        <a class="button" href="/portal/tickets/new">
          Submit a new ticket
        </a>
      </p>
      <form method="get" action="/portal/tickets" class="help-search">
        <label for="q" class="visually-hidden">
          Search my tickets
        </label>
        <input id="q" type="search" name="q" value={q} maxlength="200" placeholder="Search my tickets" />
        <button type="submit">Search</button>
      </form>
      {tickets.length === 0 ? (
        <p class="empty">{q ? "No tickets match." : "You have no tickets yet."}</p>
      ) : (
        <table class="tickets">
          <thead>
            <tr>
              <th>Ticket</th>
              <th>Subject</th>
              <th>Status</th>
              <th>Last update</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((t) => (
              <tr>
                <td class="num">
                  <a href={`/portal/tickets/${formatTicketNumber(t.number)}`}>
                    {formatTicketNumber(t.number) as "safe"}
                  </a>
                </td>
                <td>
                  <a href={`/portal/tickets/${formatTicketNumber(t.number)}`} safe>
                    {t.subject}
                  </a>
                </td>
                <td>
                  <span class={`badge status-${t.status}`} safe>
                    {statusLabel(t.status)}
                  </span>
                </td>
                <td safe>{formatDateTime(t.updatedAt, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

export function PortalNewTicketPage({
  csrf,
  viewer,
  values = {},
  fields = {},
  message,
  suggestions,
  catalog = { categories: [], fields: [] },
  fieldValues = {},
}: {
  csrf: string;
  viewer: Viewer;
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
  /** Articles shown once before the ticket is created (deflection). */
  suggestions?: JSX.Element;
  /** Categories and fields offered to customers. */
  catalog?: Catalog;
  /** Custom field values as sent (lists for multi-selects). */
  fieldValues?: Record<string, unknown>;
}) {
  return (
    <Page title="Submit a ticket" csrf={csrf} viewer={viewer}>
      <section class="card wide">
        <h1>Submit a ticket</h1>
        <ErrorSummary message={message} />
        {(suggestions ?? "") as "safe"}
        <form method="post" action="/portal/tickets" enctype="multipart/form-data">
          <CsrfField token={csrf} />
          {suggestions ? <input type="hidden" name="suggested" value="1" /> : ""}
          <Field label="Subject" name="subject" error={fields.subject}>
            <input id="subject" name="subject" required maxlength="250" value={values.subject ?? ""} />
          </Field>
          <BodyField label="How can we help?" rows={8} value={values.body} error={fields.body} />
          <ClassificationFields
            catalog={catalog}
            audience="customer"
            values={{ category: values.category ?? "", fields: fieldValues }}
            errors={fields}
          />
          <AttachmentsField label="Attachments (optional)" error={fields.attachments} />
          <button type="submit">Submit</button>
        </form>
      </section>
    </Page>
  );
}

export function PortalTicketPage({
  csrf,
  viewer,
  detail,
  timeZone,
  notice,
  failed,
  catalog,
}: {
  csrf: string;
  viewer: Viewer;
  detail: TicketDetail;
  timeZone: string;
  notice?: string;
  failed?: { message: string; fields: FieldErrors; values: Record<string, string> };
  /** Categories and fields, to show the ticket's own. */
  catalog?: Catalog;
}) {
  const t = detail.ticket;
  const number = formatTicketNumber(t.number);
  const open = !["solved", "closed"].includes(t.status);
  return (
    <Page title={`${number} ${t.subject}`} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/portal/tickets">← My tickets</a>
      </p>
      <Notice message={notice} />
      <h1>
        <span class="muted" safe>
          {number}
        </span>{" "}
        <span safe>{t.subject}</span>
      </h1>
      <p>
        Status:{" "}
        <span class={`badge status-${t.status}`} safe>
          {statusLabel(t.status)}
        </span>
      </p>
      {catalog ? <ClassificationSummary catalog={catalog} ticket={t} /> : ""}
      <Thread detail={detail} timeZone={timeZone} basePath="/portal" />
      {t.status !== "closed" ? (
        <form
          class="reply card"
          method="post"
          action={`/portal/tickets/${number}/messages`}
          enctype="multipart/form-data"
        >
          <h2>{open ? "Add a reply" : "Reply to reopen"}</h2>
          {failed ? <ErrorSummary message={failed.message} /> : ""}
          <CsrfField token={csrf} />
          <BodyField label="Your reply" rows={5} value={failed?.values.body} error={failed?.fields.body} />
          <AttachmentsField label="Attachments (optional)" error={failed?.fields.attachments} />
          <button type="submit">Send reply</button>
        </form>
      ) : (
        <p class="muted">This ticket is closed. Submit a new ticket if you need more help.</p>
      )}
      {open ? (
        <form method="post" action={`/portal/tickets/${number}/status`}>
          <CsrfField token={csrf} />
          <input type="hidden" name="status" value="solved" />
          <button type="submit" class="secondary">
            My problem is solved
          </button>
        </form>
      ) : t.status === "solved" ? (
        <form method="post" action={`/portal/tickets/${number}/status`}>
          <CsrfField token={csrf} />
          <input type="hidden" name="status" value="open" />
          <button type="submit" class="secondary">
            Reopen this ticket
          </button>
        </form>
      ) : (
        ""
      )}
    </Page>
  );
}
