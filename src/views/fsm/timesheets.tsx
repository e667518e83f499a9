// Supervisors' timesheet pages: the days waiting for approval, and one day to approve or send back.
import type { FieldErrors } from "../../domain/errors";
import type { Timesheet } from "../../domain/fsm/timesheets";
import { CsrfField, ErrorSummary, Field, Notice } from "../form";
import { Page, type Viewer } from "../layout";
import { duration, SheetTable } from "../tech/timesheet";

export interface SheetSummary {
  userId: string;
  userName: string;
  day: string;
  status: string;
  totals: Record<string, number>;
}

export function TimesheetsPage({
  csrf,
  viewer,
  status,
  sheets,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  status: string;
  sheets: SheetSummary[];
  notice?: string;
}) {
  return (
    <Page title="Timesheets" csrf={csrf} viewer={viewer}>
      <h1>Timesheets</h1>
      <Notice message={notice} />
      <p class="filters">
        {["submitted", "approved", "rejected"].map((s) => (
          <a href={`/fsm/timesheets?status=${s}`} aria-current={s === status ? "page" : undefined} safe>
            {s === "rejected" ? "Sent back" : s[0].toUpperCase() + s.slice(1)}
          </a>
        ))}
      </p>
      {sheets.length === 0 ? <p class="empty">No timesheets here.</p> : ""}
      <table class="timesheets">
        <tbody>
          {sheets.map((s) => (
            <tr>
              <td>
                <a href={`/fsm/timesheets/${s.userId}/${s.day}`} safe>
                  {`${s.userName} · ${s.day}`}
                </a>
              </td>
              <td safe>{duration(s.totals.total ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}

export function TimesheetReviewPage({
  csrf,
  viewer,
  sheet,
  timeZone,
  failed,
}: {
  csrf: string;
  viewer: Viewer;
  sheet: Timesheet;
  timeZone: string;
  failed?: { message: string; fields: FieldErrors; values: Record<string, string> };
}) {
  return (
    <Page title={`Timesheet of ${sheet.userName}`} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/fsm/timesheets">← Timesheets</a>
      </p>
      <h1 safe>{`${sheet.userName} · ${sheet.day}`}</h1>
      {failed ? <ErrorSummary message={failed.message} /> : ""}
      <p class="muted">{sheet.status}</p>
      <SheetTable sheet={sheet} timeZone={timeZone} />
      {sheet.status === "submitted" ? (
        <form method="post" action={`/fsm/timesheets/${sheet.userId}/${sheet.day}/decision`} class="card">
          <CsrfField token={csrf} />
          <Field label="Note (needed when sending back)" name="note" error={failed?.fields.note}>
            <input id="note" name="note" maxlength="500" value={failed?.values.note ?? ""} />
          </Field>
          <button type="submit" name="decision" value="approve">
            Approve
          </button>{" "}
          <button type="submit" name="decision" value="reject" class="secondary">
            Send back
          </button>
        </form>
      ) : (
        ""
      )}
    </Page>
  );
}
