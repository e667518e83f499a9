// The technician's phone: small pages for a 360-px screen that work as plain forms without JS.

import type { FieldErrors } from "../../domain/errors";
import type { MyAppointment, MyAppointmentDetail } from "../../domain/fsm/field";
import type { JobSheetView } from "../../domain/fsm/jobSheets";
import type { PhotoRow } from "../../domain/fsm/photos";
import {
  APPOINTMENT_ACTIONS,
  APPOINTMENT_STATUS_LABELS,
  formatWorkOrderNumber,
  nextAppointmentStatuses,
} from "../../domain/fsm/rules";
import { dateTimeFormat } from "../../domain/time/formats";
import { CsrfField, ErrorSummary, Field, Notice } from "../form";
import { formatDateTime, priorityLabel, timeAgo } from "../format";
import { TechChecklist } from "../fsm/jobSheets";
import { VisitPhotos } from "./photos";

export interface TechFailed {
  form: string;
  message: string;
  fields: FieldErrors;
  values: Record<string, string>;
}

export function TechPage({
  title,
  csrf,
  name,
  script,
  sharing,
  children,
}: {
  title: string;
  csrf: string;
  name: string;
  script?: boolean;
  /** The technician shares their location: the page's script reports it (never without this). */
  sharing?: boolean;
  children?: JSX.Element | (JSX.Element | JSX.Element[])[];
}) {
  return (
    <>
      {"<!doctype html>"}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="csrf-token" content={csrf} />
          <title safe>{title}</title>
          <link rel="stylesheet" href="/public/app.css" />
        </head>
        <body class="tech">
          <nav class="top" aria-label="Main">
            <a class="brand" href="/tech">
              My jobs
            </a>
            <a href="/tech/timesheet">Timesheet</a>
            <a href="/tech/van">Van</a>
            <a href="/notifications">Notifications</a>
            <span class="spacer" />
            <span class="who" safe>
              {name}
            </span>
            <a href="/account">Account</a>
          </nav>
          <main>{children as "safe"}</main>
          {script ? <script src="/public/signature.js" /> : ""}
          {sharing ? <script src="/public/tech-location.js" /> : ""}
        </body>
      </html>
    </>
  );
}

const time = (d: Date, timeZone: string) =>
  dateTimeFormat("en-GB", { timeStyle: "short", timeZone }).format(d);

/** Links that open the phone's navigation app (geo:) or OpenStreetMap in the browser. */
function MapLinks({ lat, lng, address }: { lat: number | null; lng: number | null; address: string }) {
  if (lat === null || lng === null) {
    return (
      <a
        class="button secondary"
        href={`https://www.openstreetmap.org/search?query=${encodeURIComponent(address)}`}
      >
        Map
      </a>
    );
  }
  return (
    <>
      <a class="button" href={`geo:${lat},${lng}?q=${lat},${lng}`}>
        Navigate
      </a>{" "}
      <a
        class="button secondary"
        href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=17/${lat}/${lng}`}
      >
        Map
      </a>
    </>
  );
}

/**
 * The technician's consent: a plain form, so it works without JavaScript. Only once it is saved
 * does the page load the script that asks the phone for its position.
 */
function LocationSharing({
  csrf,
  sharing,
  recordedAt,
  now,
}: {
  csrf: string;
  sharing: boolean;
  recordedAt: Date | null;
  now: Date;
}) {
  return (
    <form method="post" action="/tech/location/sharing" class="card location-sharing">
      <CsrfField token={csrf} />
      <input type="hidden" name="sharing" value={sharing ? "0" : "1"} />
      <p>
        {sharing ? (
          <>
            <strong>Sharing your location</strong> while on shift, so dispatch sees where you are and
            customers get a good arrival time.{" "}
            <span class="muted" id="location-status">
              {recordedAt ? `Last sent ${timeAgo(recordedAt, now)}.` : "Nothing sent yet."}
            </span>
          </>
        ) : (
          <>Your location is not shared. Share it while on shift so dispatch sees where you are.</>
        )}
      </p>
      <button type="submit" class={sharing ? "secondary" : ""}>
        {sharing ? "Stop sharing my location" : "Share my location"}
      </button>
    </form>
  );
}

export interface LocationState {
  sharing: boolean;
  recordedAt: Date | null;
}

export function TodayPage({
  csrf,
  name,
  rows,
  timeZone,
  now,
  location = { sharing: false, recordedAt: null },
  notice,
  unread = 0,
}: {
  csrf: string;
  name: string;
  rows: MyAppointment[];
  timeZone: string;
  now: Date;
  location?: LocationState;
  notice?: string;
  /** Unread notifications: visits given, moved or taken off since the technician last looked. */
  unread?: number;
}) {
  return (
    <TechPage title="Today's jobs" csrf={csrf} name={name} sharing={location.sharing}>
      <Notice message={notice} />
      {unread ? (
        <p class="alert ok" id="unread">
          <a href="/notifications" safe>
            {`${unread} unread ${unread === 1 ? "notification" : "notifications"}`}
          </a>
        </p>
      ) : (
        ""
      )}
      <h1 safe>{`Today, ${dateTimeFormat("en-GB", { dateStyle: "medium", timeZone }).format(now)}`}</h1>
      {rows.length === 0 ? (
        <p class="empty">No visits today.</p>
      ) : (
        <ol class="jobs">
          {rows.map((r) => (
            <li class={`job visit-${r.status}`}>
              <a href={`/tech/appointments/${r.id}`}>
                <strong safe>{`${time(r.startsAt, timeZone)}–${time(r.endsAt, timeZone)}`}</strong>{" "}
                <span safe>{r.subject}</span>
              </a>
              <div class="muted">
                <span safe>{formatWorkOrderNumber(r.number)}</span> ·{" "}
                <span safe>{APPOINTMENT_STATUS_LABELS[r.status]}</span> ·{" "}
                <span safe>{priorityLabel(r.priority)}</span>
              </div>
              <div safe>{r.customer ?? ""}</div>
              <div class="muted" safe>
                {r.address ?? ""}
              </div>
            </li>
          ))}
        </ol>
      )}
      <LocationSharing csrf={csrf} sharing={location.sharing} recordedAt={location.recordedAt} now={now} />
    </TechPage>
  );
}

export function AppointmentPage({
  csrf,
  name,
  detail,
  timeZone,
  notice,
  failed,
  photos = [],
  sharing = false,
  jobSheets = [],
  vanStock,
  meterNames = [],
}: {
  /** The meters the visit's asset already has, offered in the reading form. */
  meterNames?: string[];
  csrf: string;
  name: string;
  detail: MyAppointmentDetail;
  /** What the technician's van holds, by part id, to show beside each part. */
  vanStock?: Map<string, number>;
  timeZone: string;
  notice?: string;
  failed?: TechFailed;
  photos?: PhotoRow[];
  sharing?: boolean;
  jobSheets?: JobSheetView[];
}) {
  const a = detail.appointment;
  const missing = jobSheets.reduce((n, s) => n + s.missing.length, 0);
  const wo = detail.workOrder;
  const base = `/tech/appointments/${a.id}`;
  const open = a.status !== "completed" && a.status !== "cannot_complete";
  const form = (f: string) =>
    failed?.form === f ? { fields: failed.fields, values: failed.values } : { fields: {}, values: {} };
  const status = form("status");
  const part = form("parts");
  const note = form("notes");
  const sign = form("signature");
  const reading = form("reading");
  return (
    <TechPage
      title={`${formatWorkOrderNumber(wo.number)} ${wo.subject}`}
      csrf={csrf}
      name={name}
      script
      sharing={sharing}
    >
      <p>
        <a href="/tech">← Today</a>
      </p>
      <Notice message={notice} />
      {failed ? <ErrorSummary message={failed.message} /> : ""}
      <h1 safe>{wo.subject}</h1>
      <p>
        <span safe>{formatWorkOrderNumber(wo.number)}</span> ·{" "}
        <span class={`badge visit-${a.status}`} id="visit-status" safe>
          {APPOINTMENT_STATUS_LABELS[a.status]}
        </span>{" "}
        · <span safe>{`${formatDateTime(a.startsAt, timeZone)} – ${time(a.endsAt, timeZone)}`}</span>
      </p>
      {wo.description ? (
        <p class="body" safe>
          {wo.description}
        </p>
      ) : (
        ""
      )}

      <section class="card">
        <h2>Customer</h2>
        <p safe>{detail.contact?.name ?? "—"}</p>
        {detail.contact?.phone ? (
          <p>
            <a href={`tel:${detail.contact.phone.replace(/[^\d+]/g, "")}`} safe>
              {detail.contact.phone}
            </a>
          </p>
        ) : (
          ""
        )}
        {detail.location ? (
          <>
            <p safe>{`${detail.location.name}, ${detail.location.address}`}</p>
            <p>
              <MapLinks
                lat={detail.location.lat}
                lng={detail.location.lng}
                address={detail.location.address}
              />
            </p>
          </>
        ) : (
          ""
        )}
        {detail.asset ? (
          <p class="asset" safe>
            {`Asset: ${[detail.asset.type, detail.asset.make, detail.asset.model].filter(Boolean).join(" ")}${
              detail.asset.serial ? ` (serial ${detail.asset.serial})` : ""
            }${detail.asset.warrantyEndsOn ? `, warranty until ${detail.asset.warrantyEndsOn}` : ""}`}
          </p>
        ) : (
          ""
        )}
      </section>

      {detail.asset && open ? (
        <section class="card" id="meter-reading">
          <h2>Meter reading</h2>
          <form method="post" action={`${base}/readings`}>
            <CsrfField token={csrf} />
            <Field label="Meter" name="reading-meter" error={reading.fields.meter} hint="e.g. Running hours">
              <input
                id="reading-meter"
                name="meter"
                maxlength="60"
                list="meter-names"
                value={reading.values.meter ?? meterNames[0] ?? ""}
              />
            </Field>
            <datalist id="meter-names">
              {meterNames.map((m) => (
                <option value={m} />
              ))}
            </datalist>
            <Field label="Reading" name="reading-value" error={reading.fields.value}>
              <input id="reading-value" name="value" inputmode="decimal" value={reading.values.value ?? ""} />
            </Field>
            <label class="check">
              <input type="checkbox" name="reset" value="1" checked={reading.values.reset === "1"} /> Meter
              replaced or reset
            </label>
            <button type="submit">Save reading</button>
          </form>
        </section>
      ) : (
        ""
      )}

      {open ? (
        <section class="card status-actions">
          <h2>Status</h2>
          {missing ? (
            <p class="hint" id="checklist-open">
              <a
                href="#checklist"
                safe
              >{`${missing} required checklist ${missing === 1 ? "item" : "items"} still open`}</a>
              {" — the visit can be completed once they are answered."}
            </p>
          ) : (
            ""
          )}
          {nextAppointmentStatuses(a.status)
            .filter((s) => APPOINTMENT_ACTIONS[s] && s !== "cannot_complete")
            .map((s) => (
              <form method="post" action={`${base}/status`}>
                <CsrfField token={csrf} />
                <input type="hidden" name="status" value={s} />
                <button type="submit" safe>
                  {APPOINTMENT_ACTIONS[s] ?? s}
                </button>
              </form>
            ))}
          {nextAppointmentStatuses(a.status).includes("cannot_complete") ? (
            <form method="post" action={`${base}/status`}>
              <CsrfField token={csrf} />
              <input type="hidden" name="status" value="cannot_complete" />
              <Field label="Reason it cannot be completed" name="reason" error={status.fields.reason}>
                <input id="reason" name="reason" maxlength="1000" value={status.values.reason ?? ""} />
              </Field>
              <button type="submit" class="danger">
                Cannot complete
              </button>
            </form>
          ) : (
            ""
          )}
        </section>
      ) : a.cannotCompleteReason ? (
        <p class="alert error" safe>{`Cannot complete: ${a.cannotCompleteReason}`}</p>
      ) : (
        ""
      )}

      <TechChecklist
        csrf={csrf}
        appointmentId={a.id}
        sheets={jobSheets}
        open={open}
        timeZone={timeZone}
        failed={failed}
      />

      <section class="card">
        <h2>Time</h2>
        <p safe>{`${detail.minutesBooked} min booked${detail.timerRunning ? " · clock running" : ""}`}</p>
        {open || detail.timerRunning ? (
          <form method="post" action={`${base}/time`}>
            <CsrfField token={csrf} />
            <input type="hidden" name="action" value={detail.timerRunning ? "stop" : "start"} />
            <button type="submit">{detail.timerRunning ? "Stop clock" : "Start clock"}</button>
          </form>
        ) : (
          ""
        )}
      </section>

      <section class="card">
        <h2>Parts used</h2>
        {detail.partsUsed.length ? (
          <ul class="parts-used">
            {detail.partsUsed.map((p) => (
              <li>
                <span safe>{`${p.quantity} × ${p.description}`}</span>
                {open ? (
                  <form method="post" action={`${base}/parts/${p.id}/remove`} class="inline">
                    <CsrfField token={csrf} />
                    <button type="submit" class="secondary">
                      Remove
                    </button>
                  </form>
                ) : (
                  ""
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p class="empty">None yet.</p>
        )}
        {open ? (
          <form method="post" action={`${base}/parts`}>
            <CsrfField token={csrf} />
            <Field label="Part" name="partId" error={part.fields.partId}>
              <select id="partId" name="partId">
                <option value="">Choose…</option>
                {detail.partList.map((p) => (
                  <option value={p.id} selected={p.id === part.values.partId} safe>
                    {vanStock?.has(p.id)
                      ? `${p.sku} ${p.name} (${vanStock.get(p.id)} in van)`
                      : `${p.sku} ${p.name}`}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Quantity" name="quantity" error={part.fields.quantity}>
              <input
                id="quantity"
                name="quantity"
                inputmode="numeric"
                value={part.values.quantity ?? "1"}
                size="4"
              />
            </Field>
            <button type="submit">Add part</button>
          </form>
        ) : (
          ""
        )}
      </section>

      <section class="card">
        <h2>Notes</h2>
        {detail.notes.map((n) => (
          <div class="note">
            <small class="muted" safe>{`${n.author ?? ""} · ${formatDateTime(n.createdAt, timeZone)}`}</small>
            <p safe>{n.body}</p>
          </div>
        ))}
        <form method="post" action={`${base}/notes`}>
          <CsrfField token={csrf} />
          <Field label="Add a note" name="body" error={note.fields.body}>
            <textarea id="body" name="body" rows="3" safe>
              {note.values.body ?? ""}
            </textarea>
          </Field>
          <button type="submit">Save note</button>
        </form>
      </section>

      <VisitPhotos csrf={csrf} appointmentId={a.id} photos={photos} open={open} failed={form("photos")} />

      <section class="card">
        <h2>Customer signature</h2>
        {a.signedAt ? (
          <p id="signed">
            <span safe>{`Signed by ${a.signedName ?? ""} at ${formatDateTime(a.signedAt, timeZone)}`}</span>
            {a.signatureSha256 ? (
              <>
                <br />
                <img src={`${base}/signature.png`} alt="Signature" width="300" />
              </>
            ) : (
              ""
            )}
          </p>
        ) : (
          <form method="post" action={`${base}/signature`} class="signature-form">
            <CsrfField token={csrf} />
            <Field label="Customer's name" name="signedName" error={sign.fields.signedName}>
              <input
                id="signedName"
                name="signedName"
                required
                maxlength="200"
                value={sign.values.signedName ?? ""}
              />
            </Field>
            <div class={sign.fields.signature ? "field invalid" : "field"}>
              {/* The drawing pad appears only with JavaScript (public/signature.js fills the hidden field). */}
              <canvas class="signature-pad" width="320" height="160" hidden />
              <input type="hidden" name="signature" value="" />
              {sign.fields.signature ? (
                <small class="field-error" id="signature-error" safe>
                  {sign.fields.signature}
                </small>
              ) : (
                ""
              )}
            </div>
            <button type="submit">Save signature</button>
          </form>
        )}
      </section>
    </TechPage>
  );
}
