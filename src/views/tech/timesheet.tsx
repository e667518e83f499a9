// The technician's timesheet for a day, and the supervisor's view of the same sheet.

import { TIMESHEET_ENTRY_KINDS } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import type { SheetLine, Timesheet } from "../../domain/fsm/timesheets";
import { dateTimeFormat } from "../../domain/time/formats";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { humanize } from "../format";
import { TechPage } from "./tech";

const clock = (at: Date, timeZone: string) =>
  dateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
export const duration = (minutes: number) =>
  `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;

const STATUS_TEXT: Record<Timesheet["status"], string> = {
  open: "Not submitted",
  submitted: "Submitted, waiting for approval",
  approved: "Approved",
  rejected: "Sent back for correction",
};

/** The lines and totals of a sheet; shared by the technician's and the supervisor's pages. */
export function SheetTable({
  sheet,
  timeZone,
  removeForm,
}: {
  sheet: Timesheet;
  timeZone: string;
  removeForm?: (line: SheetLine) => JSX.Element;
}) {
  return (
    <>
      {sheet.lines.length === 0 ? <p class="empty">No time recorded on this day.</p> : ""}
      <table class="timesheet">
        <tbody>
          {sheet.lines.map((line) => (
            <tr class={`sheet-${line.kind}`}>
              <td
                safe
              >{`${clock(line.startedAt, timeZone)}–${line.endedAt ? clock(line.endedAt, timeZone) : "running"}`}</td>
              <td safe>{humanize(line.kind)}</td>
              <td safe>{line.label}</td>
              <td safe>{duration(line.minutes)}</td>
              <td>{line.manualId && removeForm ? removeForm(line) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="totals" safe>
        {[
          ...TIMESHEET_ENTRY_KINDS.filter((k) => sheet.totals[k]).map(
            (k) => `${humanize(k)} ${duration(sheet.totals[k])}`,
          ),
          `Total ${duration(sheet.totals.total ?? 0)}`,
        ].join(" · ")}
      </p>
    </>
  );
}

export function TimesheetPage({
  csrf,
  name,
  sheet,
  timeZone,
  notice,
  failed,
}: {
  csrf: string;
  name: string;
  sheet: Timesheet;
  timeZone: string;
  notice?: string;
  failed?: { message: string; fields: FieldErrors; values: Record<string, string> };
}) {
  const fields = failed?.fields ?? {};
  const values = failed?.values ?? {};
  const previous = new Date(Date.parse(`${sheet.day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const next = new Date(Date.parse(`${sheet.day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return (
    <TechPage title={`Timesheet ${sheet.day}`} csrf={csrf} name={name}>
      <p>
        <a href={`/tech/timesheet?day=${previous}`} safe>{`← ${previous}`}</a> ·{" "}
        <a href={`/tech/timesheet?day=${next}`} safe>{`${next} →`}</a>
      </p>
      <h1 safe>{`Timesheet ${sheet.day}`}</h1>
      <Notice message={notice} />
      {failed ? <ErrorSummary message={failed.message} /> : ""}
      <p>
        <span class={`badge timesheet-${sheet.status}`} safe>
          {STATUS_TEXT[sheet.status]}
        </span>
        {sheet.decisionNote ? <span class="muted" safe>{` ${sheet.decisionNote}`}</span> : ""}
      </p>
      <SheetTable
        sheet={sheet}
        timeZone={timeZone}
        removeForm={
          sheet.editable
            ? (line) => (
                <form method="post" action={`/tech/timesheet/entries/${line.manualId}/delete`}>
                  <CsrfField token={csrf} />
                  <button type="submit" class="secondary">
                    Remove
                  </button>
                </form>
              )
            : undefined
        }
      />
      {sheet.editable ? (
        <>
          <section class="card">
            <h2>Add time</h2>
            <form method="post" action="/tech/timesheet/entries">
              <CsrfField token={csrf} />
              <input type="hidden" name="day" value={sheet.day} />
              <Field label="For" name="kind" error={fields.kind}>
                <Select
                  name="kind"
                  value={values.kind ?? "work"}
                  options={TIMESHEET_ENTRY_KINDS.map((k) => ({ value: k, label: humanize(k) }))}
                  invalid={Boolean(fields.kind)}
                />
              </Field>
              <Field label="From" name="from" error={fields.from}>
                <input id="from" name="from" type="time" required value={values.from ?? ""} />
              </Field>
              <Field label="To" name="to" error={fields.to}>
                <input id="to" name="to" type="time" required value={values.to ?? ""} />
              </Field>
              <Field label="Note" name="note" error={fields.note}>
                <input id="note" name="note" maxlength="500" value={values.note ?? ""} />
              </Field>
              <button type="submit">Add</button>
            </form>
          </section>
          <form method="post" action="/tech/timesheet/submit">
            <CsrfField token={csrf} />
            <input type="hidden" name="day" value={sheet.day} />
            <button type="submit">Submit the day for approval</button>
          </form>
        </>
      ) : (
        ""
      )}
    </TechPage>
  );
}
