// The supervisor's report of a period: a tile per area with its figures, and the tables behind them.

import { formatMoney } from "../../domain/fsm/money";
import { type DeskReport, REPORT_PERIODS } from "../../domain/reports/overview";
import { formatDuration } from "../../domain/sla/text";
import { dateTimeFormat } from "../../domain/time/formats";
import { humanize } from "../format";
import { Page, type Viewer } from "../layout";

const percent = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)}%`);

/** 95 → "1 h 35 m", in the words of the SLA explanations; a dash when there is nothing to measure. */
const minutesText = (minutes: number | null) =>
  minutes === null ? "—" : formatDuration(Math.round(minutes) * 60_000);

export function ReportsPage({
  csrf,
  viewer,
  report,
  timeZone,
}: {
  csrf: string;
  viewer: Viewer;
  report: DeskReport;
  timeZone: string;
}) {
  const day = dateTimeFormat("en-GB", { dateStyle: "medium", timeZone });
  const { tickets, firstReply, sla, satisfaction, selfService, field } = report;
  return (
    <Page title="Reports" csrf={csrf} viewer={viewer}>
      <h1>Reports</h1>
      <form method="get" action="/desk/reports" class="filters">
        <label for="days">Period</label>
        <select id="days" name="days">
          {REPORT_PERIODS.map((d) => (
            <option value={String(d)} selected={d === report.days} safe>
              {`Last ${d} days`}
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
        <span class="muted" safe>{`${day.format(report.from)} – ${day.format(report.to)}`}</span>
      </form>
      <ul class="tiles report">
        <li>
          <h2>Tickets</h2>
          <Figure label="created" value={String(tickets.created)} />
          <Figure label="solved" value={String(tickets.solved)} />
        </li>
        <li>
          <h2>First reply</h2>
          <Figure label="median" value={minutesText(firstReply.medianMinutes)} />
          <Figure label="90% within" value={minutesText(firstReply.p90Minutes)} />
          <p
            class="muted"
            safe
          >{`${firstReply.answered} answered, ${firstReply.unanswered} still waiting (calendar time).`}</p>
        </li>
        <li>
          <h2>SLA</h2>
          <Figure label="met every target" value={percent(sla.metShare)} />
          <p
            class="muted"
            safe
          >{`${sla.breached} of ${sla.withPolicy} tickets under a policy missed a target.`}</p>
        </li>
        <li>
          <h2>Satisfaction</h2>
          <Figure label="satisfied (4–5)" value={percent(satisfaction.satisfiedShare)} />
          <Figure
            label="average"
            value={satisfaction.average === null ? "—" : satisfaction.average.toFixed(2)}
          />
          <p class="muted" safe>{`${satisfaction.rated} ratings; ${satisfaction.requested} surveys sent.`}</p>
        </li>
        <li>
          <h2>Self-service</h2>
          <Figure label="answered by an article" value={String(selfService.deflections)} />
          <p class="muted">Customers who found the answer instead of sending a ticket.</p>
        </li>
        <li>
          <h2>Field visits</h2>
          <Figure label="completed" value={percent(field.completedShare)} />
          <p
            class="muted"
            safe
          >{`${field.visitsCompleted} of ${field.visitsEnded} visits that ended; ${field.workOrdersCreated} work orders created.`}</p>
        </li>
      </ul>
      {report.billing ? (
        <section class="card">
          <h2>Billing</h2>
          <Table
            empty="No invoice was sent or paid in this period, and none is waiting for payment."
            head={["Currency", "Invoices sent", "Invoiced", "Collected", "Outstanding now", "Of it overdue"]}
            rows={report.billing.map((b) => [
              b.currency,
              String(b.invoiced),
              formatMoney(b.invoicedMinor, b.currency),
              formatMoney(b.collectedMinor, b.currency),
              formatMoney(b.outstandingMinor, b.currency),
              formatMoney(b.overdueMinor, b.currency),
            ])}
          />
        </section>
      ) : (
        ""
      )}
      <section class="card">
        <h2>Tickets by channel</h2>
        <Table
          empty="No tickets in this period."
          head={["Channel", "Tickets"]}
          rows={tickets.byChannel.map((r) => [humanize(r.channel), String(r.count)])}
        />
      </section>
      <section class="card">
        <h2>Ratings by agent</h2>
        <Table
          empty="No ratings in this period."
          head={["Agent", "Ratings", "Average"]}
          rows={satisfaction.byAgent.map((r) => [r.name, String(r.rated), r.average.toFixed(2)])}
        />
      </section>
      <section class="card">
        <h2>Articles that answered customers</h2>
        <Table
          empty="No customer was answered by an article in this period."
          head={["Article", "Times"]}
          rows={selfService.topArticles.map((r) => [r.title, String(r.count)])}
        />
      </section>
    </Page>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <p class="figure">
      <strong safe>{value}</strong> <span safe>{label}</span>
    </p>
  );
}

function Table({ head, rows, empty }: { head: string[]; rows: string[][]; empty: string }) {
  if (rows.length === 0)
    return (
      <p class="empty" safe>
        {empty}
      </p>
    );
  return (
    <table>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th class={i ? "num" : undefined} safe>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((cells) => (
          <tr>
            {cells.map((c, i) => (
              <td class={i ? "num" : undefined} safe>
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
