// The customer's invoices in the portal: the list, one invoice with its payments and balance, and
// its PDF. Read-only and without JavaScript.
import { formatMoney } from "../../domain/fsm/money";
import type { InvoiceDetail, OwnInvoiceRow } from "../../domain/invoicing/invoices";
import { formatInvoiceNumber } from "../../domain/invoicing/rules";
import { Balance, InvoiceBadge, Payments } from "../fsm/invoices";
import { LinesTable } from "../fsm/lines";
import { Page, type Viewer } from "../layout";

export function PortalInvoicesPage({
  csrf,
  viewer,
  invoices,
}: {
  csrf: string;
  viewer: Viewer;
  invoices: OwnInvoiceRow[];
}) {
  return (
    <Page title="My invoices" csrf={csrf} viewer={viewer}>
      <h1>My invoices</h1>
      {invoices.length === 0 ? (
        <p class="empty">You have no invoices.</p>
      ) : (
        <table class="invoices">
          <thead>
            <tr>
              <th>Invoice</th>
              <th>Subject</th>
              <th>Status</th>
              <th>Due</th>
              <th class="num">Total</th>
              <th class="num">Balance due</th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((i) => (
              <tr>
                <td>
                  <a href={`/portal/invoices/${formatInvoiceNumber(i.number)}`} safe>
                    {formatInvoiceNumber(i.number)}
                  </a>
                </td>
                <td safe>{i.subject}</td>
                <td>
                  <InvoiceBadge status={i.status} />
                </td>
                <td safe>{i.dueDate}</td>
                <td class="num" safe>
                  {formatMoney(i.totalMinor, i.currency)}
                </td>
                <td class="num" safe>
                  {i.status === "void" ? "—" : formatMoney(i.balanceMinor, i.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

export function PortalInvoicePage({
  csrf,
  viewer,
  detail,
}: {
  csrf: string;
  viewer: Viewer;
  detail: InvoiceDetail;
}) {
  const inv = detail.invoice;
  const number = formatInvoiceNumber(inv.number);
  const money = (minor: number) => formatMoney(minor, inv.currency);
  const dates: string = `Issued ${inv.issueDate} · due ${inv.dueDate}`;
  return (
    <Page title={`${number} ${inv.subject}`} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/portal/invoices">← My invoices</a>
      </p>
      <h1>
        <span class="muted" safe>
          {number}
        </span>{" "}
        <span safe>{inv.subject}</span>
      </h1>
      <p>
        <InvoiceBadge status={detail.status} /> <span safe>{dates}</span> ·{" "}
        <a href={`/portal/invoices/${number}.pdf`}>Download PDF</a>
      </p>
      {detail.location ? <p safe>{`At ${detail.location.name}, ${detail.location.address}`}</p> : ""}
      <LinesTable lines={detail.lines} totals={detail.totals} currency={inv.currency} />
      <Balance detail={detail} money={money} />
      {detail.status === "overdue" ? (
        <p class="overdue" safe>
          {`This invoice was due on ${inv.dueDate}. Please pay the balance of ${money(detail.balanceMinor)}.`}
        </p>
      ) : (
        ""
      )}
      {inv.status === "void" ? (
        <p class="void-reason" safe>
          {`This invoice is void: ${inv.voidReason ?? ""}. Nothing is owed on it.`}
        </p>
      ) : (
        ""
      )}
      {inv.notes ? (
        <p class="body" safe>
          {inv.notes}
        </p>
      ) : (
        ""
      )}
      <Payments detail={detail} money={money} />
    </Page>
  );
}
