// The customer's estimates in the portal: read one, accept it with a typed signature, or decline
// it. Plain forms only: the portal works without JavaScript.
import type { EstimateStatus } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import { ESTIMATE_STATUS_LABELS, formatEstimateNumber } from "../../domain/fsm/estimateRules";
import type { EstimateDetail } from "../../domain/fsm/estimates";
import { formatMoney } from "../../domain/fsm/money";
import { formatWorkOrderNumber } from "../../domain/fsm/rules";
import { CsrfField, ErrorSummary, Field, Notice } from "../form";
import { formatDateTime } from "../format";
import { LinesTable } from "../fsm/lines";
import { Page, type Viewer } from "../layout";

interface OwnEstimate {
  number: number;
  subject: string;
  status: EstimateStatus;
  currency: string;
  validUntil: string;
  totalMinor: number;
}

function Badge({ status }: { status: EstimateStatus }) {
  return (
    <span class={`badge estimate-${status}`} safe>
      {ESTIMATE_STATUS_LABELS[status]}
    </span>
  );
}

export function PortalEstimatesPage({
  csrf,
  viewer,
  estimates,
}: {
  csrf: string;
  viewer: Viewer;
  estimates: OwnEstimate[];
}) {
  return (
    <Page title="My estimates" csrf={csrf} viewer={viewer}>
      <h1>My estimates</h1>
      {estimates.length === 0 ? (
        <p class="empty">You have no estimates.</p>
      ) : (
        <table class="estimates">
          <thead>
            <tr>
              <th>Estimate</th>
              <th>Subject</th>
              <th>Status</th>
              <th>Valid until</th>
              <th class="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {estimates.map((e) => (
              <tr>
                <td>
                  <a href={`/portal/estimates/${formatEstimateNumber(e.number)}`} safe>
                    {formatEstimateNumber(e.number)}
                  </a>
                </td>
                <td safe>{e.subject}</td>
                <td>
                  <Badge status={e.status} />
                </td>
                <td safe>{e.validUntil}</td>
                <td class="num" safe>
                  {formatMoney(e.totalMinor, e.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

export interface PortalFailed {
  form: "accept" | "decline";
  message: string;
  fields: FieldErrors;
  values: Record<string, string>;
}

export function PortalEstimatePage({
  csrf,
  viewer,
  detail,
  timeZone,
  notice,
  failed,
}: {
  csrf: string;
  viewer: Viewer;
  detail: EstimateDetail;
  timeZone: string;
  notice?: string;
  failed?: PortalFailed;
}) {
  const e = detail.estimate;
  const number = formatEstimateNumber(e.number);
  const base = `/portal/estimates/${number}`;
  const open = detail.status === "sent";
  const accept = failed?.form === "accept" ? failed : undefined;
  const decline = failed?.form === "decline" ? failed : undefined;
  const validText: string = open ? `Valid until ${e.validUntil}` : "";
  return (
    <Page title={`${number} ${e.subject}`} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/portal/estimates">← My estimates</a>
      </p>
      <Notice message={notice} />
      {failed ? <ErrorSummary message={failed.message} /> : ""}
      <h1>
        <span class="muted" safe>
          {number}
        </span>{" "}
        <span safe>{e.subject}</span>
      </h1>
      <p>
        <Badge status={detail.status} /> <span safe>{validText}</span>
      </p>
      {detail.location ? <p safe>{`At ${detail.location.name}, ${detail.location.address}`}</p> : ""}
      {e.notes ? (
        <p class="body" safe>
          {e.notes}
        </p>
      ) : (
        ""
      )}
      <LinesTable lines={detail.lines} totals={detail.totals} currency={e.currency} />
      {e.acceptedAt ? (
        <p class="signature" safe>
          {`Accepted by ${e.acceptedName ?? ""} on ${formatDateTime(e.acceptedAt, timeZone)}.${detail.workOrder ? ` Our work order is ${formatWorkOrderNumber(detail.workOrder.number)}; we will contact you to schedule the visit.` : ""}`}
        </p>
      ) : (
        ""
      )}
      {e.declinedAt ? (
        <p class="decline" safe>
          {`You declined this estimate on ${formatDateTime(e.declinedAt, timeZone)}.${e.declineReason ? ` Reason: ${e.declineReason}` : ""}`}
        </p>
      ) : (
        ""
      )}
      {detail.status === "expired" ? (
        <p class="expired" safe>
          {`This estimate expired after ${e.validUntil} and can no longer be accepted. Contact us for a new one.`}
        </p>
      ) : (
        ""
      )}
      {open ? (
        <div class="row">
          <form method="post" action={`${base}/accept`} class="card accept">
            <h2>Accept</h2>
            <CsrfField token={csrf} />
            <Field
              label="Your full name"
              name="signatureName"
              error={accept?.fields.signatureName}
              hint="Typing your name signs the acceptance."
            >
              <input
                id="signatureName"
                name="signatureName"
                maxlength="200"
                autocomplete="name"
                value={accept?.values.signatureName ?? ""}
              />
            </Field>
            <Field label="I accept this estimate and its terms" name="agree" error={accept?.fields.agree}>
              <input
                id="agree"
                name="agree"
                type="checkbox"
                value="1"
                checked={accept?.values.agree === "1"}
              />
            </Field>
            <button type="submit">Accept estimate</button>
          </form>
          <form method="post" action={`${base}/decline`} class="card decline">
            <h2>Decline</h2>
            <CsrfField token={csrf} />
            <Field label="Reason (optional)" name="reason" error={decline?.fields.reason}>
              <textarea id="reason" name="reason" rows="3" maxlength="2000" safe>
                {decline?.values.reason ?? ""}
              </textarea>
            </Field>
            <button type="submit" class="secondary">
              Decline estimate
            </button>
          </form>
        </div>
      ) : (
        ""
      )}
    </Page>
  );
}
