// The ticket page's relations and time: merge banner, links, followers, split and merge entry
// points, the timer and time entries; and the merge confirmation and time-entry edit pages.

import type { FieldErrors } from "../../domain/errors";
import type { LinkedTicket } from "../../domain/relations/links";
import { LINK_ROLE_LABELS, LINK_ROLES } from "../../domain/relations/links";
import type { MergePreview } from "../../domain/relations/merge";
import type { TicketRelations } from "../../domain/relations/panel";
import type { TicketDetail } from "../../domain/tickets/queries";
import { dateTimeFormat } from "../../domain/time/formats";
import { formatMinutes, type TicketTime, type TimeEntryRow } from "../../domain/time/ticketTime";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { formatDateTime, formatTicketNumber, statusLabel } from "../format";
import { Page, type Viewer } from "../layout";

export interface PanelFailure {
  form: "link" | "follower" | "split" | "merge" | "time";
  message: string;
  fields: FieldErrors;
  values: Record<string, string>;
}

export interface RelationsProps {
  data: TicketRelations;
  time: TicketTime;
  failed?: PanelFailure;
}

/** What the ticket page says after each of these forms succeeded (?notice=…). */
export const RELATION_NOTICES = {
  merged: "Tickets merged.",
  split: "Message moved to a new ticket.",
  linked: "Link saved.",
  unlinked: "Link removed.",
  following: "Follower added.",
  unfollowed: "Follower removed.",
  timer: "Timer updated.",
  time: "Time saved.",
} as const;

const ticketPath = (number: number) => `/desk/tickets/${formatTicketNumber(number)}`;

/** The history's words for the events of merges, splits, links, followers and time; undefined for others. */
export function describeRelationEvent(type: string, d: Record<string, unknown>): string | undefined {
  const key = (n: unknown) => formatTicketNumber(Number(n));
  const minutes = (n: unknown) => formatMinutes(Number(n));
  const linkWords: Record<string, string> = {
    child: "as a child",
    parent: "as its parent",
    related: "as related",
  };
  switch (type) {
    case "ticket.merged":
      return `merged this ticket into ${key(d.intoNumber)} (${String(d.messages)} messages moved)`;
    case "ticket.merge_received":
      return `merged ${key(d.fromNumber)} into this ticket (${String(d.messages)} messages moved)`;
    case "ticket.split":
      return `split a message off into ${key(d.intoNumber)}`;
    case "ticket.linked":
      return `linked ${key(d.otherNumber)} ${linkWords[String(d.role)] ?? ""}`.trim();
    case "ticket.unlinked":
      return `removed the link to ${key(d.otherNumber)}`;
    case "ticket.follower_added":
      return d.email ? `copied ${String(d.email)} on the ticket` : "started following the ticket";
    case "ticket.follower_removed":
      return d.contactId ? "removed a copied contact" : "stopped following the ticket";
    case "time.timer_started":
      return "started a timer";
    case "time.timer_stopped":
      return `stopped a timer at ${minutes(d.minutes)}`;
    case "time.entry_added":
      return `booked ${minutes(d.minutes)}${d.billable ? "" : " (not billable)"}`;
    case "time.entry_changed":
      return `changed a time entry from ${minutes(d.from)} to ${minutes(d.to)}`;
    case "time.entry_deleted":
      return `deleted a time entry of ${minutes(d.minutes)}`;
    default:
      return undefined;
  }
}

/** Parts of a note's text, with each @mention marked. */
export function NoteText({ text }: { text: string }) {
  const parts = text.split(/((?<![\p{L}\p{N}_.])@[\p{L}\p{N}][\p{L}\p{N}._+-]*)/u);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <mark class="mention" safe>
            {part}
          </mark>
        ) : (
          <span safe>{part}</span>
        ),
      )}
    </>
  );
}

/** Colleagues to @mention, listed while a note is typed. */
export function MentionList({ colleagues }: { colleagues: { name: string; handle: string }[] }) {
  return (
    <ul class="candidates mention-list">
      {colleagues.map((c) => (
        <li>
          <code safe>{`@${c.handle}`}</code> <span safe>{c.name}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Under the reply box: how to mention a colleague; with htmx, the colleagues matching the @word
 * being typed are listed (without JavaScript, typing the name works the same).
 */
export function MentionHint() {
  return (
    <div class="mention-hint">
      <small class="hint">In an internal note, write @ and a colleague's name to tell them.</small>
      <div
        id="mention-suggestions"
        hx-get="/desk/mentions"
        hx-trigger="input changed delay:300ms from:#body"
        hx-include="#body"
        hx-swap="innerHTML"
      />
    </div>
  );
}

export function MergedBanner({ data }: { data: TicketRelations }) {
  return (
    <>
      {data.mergedInto ? (
        <div class="alert merged" role="status" id="merged-into">
          This ticket was merged into{" "}
          <a href={ticketPath(data.mergedInto.number)} safe>
            {formatTicketNumber(data.mergedInto.number)}
          </a>{" "}
          <span safe>{`“${data.mergedInto.subject}”`}</span>; its conversation continues there.
        </div>
      ) : (
        ""
      )}
      {data.mergedFrom.length ? (
        <p class="muted merged-from">
          Merged into this ticket:{" "}
          {data.mergedFrom.map((t, i) => (
            <>
              {i ? ", " : ""}
              <a href={ticketPath(t.number)} safe>
                {formatTicketNumber(t.number)}
              </a>
            </>
          ))}
        </p>
      ) : (
        ""
      )}
    </>
  );
}

function failureFor(failed: PanelFailure | undefined, form: PanelFailure["form"]) {
  return failed?.form === form
    ? failed
    : { message: "", fields: {} as FieldErrors, values: {} as Record<string, string> };
}

function LinkedRow(props: { ticket: LinkedTicket; number: number; csrf: string; canWork: boolean }) {
  const t = props.ticket;
  return (
    <li class="linked-ticket" data-number={formatTicketNumber(t.number)}>
      <a href={ticketPath(t.number)} safe>
        {formatTicketNumber(t.number)}
      </a>{" "}
      <span safe>{t.subject}</span>{" "}
      <span class={`badge status-${t.status}`} safe>
        {statusLabel(t.status)}
      </span>
      {props.canWork ? (
        <form method="post" action={`${ticketPath(props.number)}/links/${t.linkId}/delete`} class="inline">
          <CsrfField token={props.csrf} />
          <button
            type="submit"
            class="link"
            aria-label={`Remove the link to ${formatTicketNumber(t.number)}`}
          >
            Remove
          </button>
        </form>
      ) : (
        ""
      )}
    </li>
  );
}

function LinkList(props: {
  title: string;
  list: LinkedTicket[];
  number: number;
  csrf: string;
  canWork: boolean;
  id: string;
}) {
  if (props.list.length === 0) return "";
  return (
    <>
      <h3 safe>{props.title}</h3>
      <ul class="links" id={props.id}>
        {props.list.map((t) => (
          <LinkedRow ticket={t} number={props.number} csrf={props.csrf} canWork={props.canWork} />
        ))}
      </ul>
    </>
  );
}

function LinksCard(props: {
  number: number;
  data: TicketRelations;
  csrf: string;
  canWork: boolean;
  failed?: PanelFailure;
}) {
  const { data } = props;
  const f = failureFor(props.failed, "link");
  const none = !data.parent && data.children.length === 0 && data.related.length === 0;
  return (
    <section class="card relations" id="links">
      <h2>Linked tickets</h2>
      {none ? <p class="muted">No linked tickets.</p> : ""}
      <LinkList title="Parent" id="parent" list={data.parent ? [data.parent] : []} {...props} />
      <LinkList title="Children" id="children" list={data.children} {...props} />
      <LinkList title="Related" id="related" list={data.related} {...props} />
      {props.canWork ? (
        <form method="post" action={`${ticketPath(props.number)}/links`}>
          {f.message ? <ErrorSummary message={f.message} /> : ""}
          <CsrfField token={props.csrf} />
          <Field label="Ticket" name="other" error={f.fields.other} hint="Its number, such as TKT-000123.">
            <input
              id="other"
              name="other"
              value={f.values.other ?? ""}
              aria-invalid={f.fields.other ? "true" : undefined}
            />
          </Field>
          <Field label="It" name="role" error={f.fields.role}>
            <Select
              name="role"
              value={f.values.role ?? "related"}
              options={LINK_ROLES.map((r) => ({ value: r, label: LINK_ROLE_LABELS[r] }))}
            />
          </Field>
          <button type="submit" class="secondary">
            Link
          </button>
        </form>
      ) : (
        ""
      )}
    </section>
  );
}

function FollowersCard(props: {
  number: number;
  data: TicketRelations;
  csrf: string;
  canWork: boolean;
  failed?: PanelFailure;
}) {
  const { followers } = props.data;
  const f = failureFor(props.failed, "follower");
  const base = `${ticketPath(props.number)}/followers`;
  return (
    <section class="card followers" id="followers">
      <h2>Followers</h2>
      {followers.agents.length + followers.contacts.length === 0 ? (
        <p class="muted">Nobody follows this ticket.</p>
      ) : (
        ""
      )}
      <ul class="follower-list">
        {followers.agents.map((a) => (
          <li class="follower agent" data-user={a.userId}>
            <span safe>{a.name}</span> <span class="muted">colleague</span>
          </li>
        ))}
        {followers.contacts.map((c) => (
          <li class="follower contact" data-contact={c.contactId}>
            <span safe>{c.name}</span> {c.email ? <span class="muted" safe>{`<${c.email}>`}</span> : ""}
            {props.canWork ? (
              <form method="post" action={`${base}/delete`} class="inline">
                <CsrfField token={props.csrf} />
                <input type="hidden" name="contactId" value={c.contactId} />
                <button type="submit" class="link">
                  Remove
                </button>
              </form>
            ) : (
              ""
            )}
          </li>
        ))}
      </ul>
      {props.canWork ? (
        <>
          <form method="post" action={props.data.followedByMe ? `${base}/delete` : base} class="inline">
            <CsrfField token={props.csrf} />
            <button type="submit" class="secondary" id="follow-toggle">
              {props.data.followedByMe ? "Unfollow" : "Follow"}
            </button>
          </form>
          <form method="post" action={base}>
            {f.message ? <ErrorSummary message={f.message} /> : ""}
            <CsrfField token={props.csrf} />
            <Field label="Copy a customer on replies" name="email" error={f.fields.email}>
              <input id="email" name="email" type="email" value={f.values.email ?? ""} />
            </Field>
            <button type="submit" class="secondary">
              Add follower
            </button>
          </form>
        </>
      ) : (
        ""
      )}
    </section>
  );
}

function excerpt(text: string, length = 60): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

function SplitAndMergeCard(props: {
  number: number;
  detail: TicketDetail;
  csrf: string;
  failed?: PanelFailure;
}) {
  const split = failureFor(props.failed, "split");
  const merge = failureFor(props.failed, "merge");
  const later = props.detail.messages.slice(1);
  const path = ticketPath(props.number);
  return (
    <section class="card split-merge" id="split-merge">
      <h2>Merge or split</h2>
      {/* Without JavaScript the form opens the confirmation page; with htmx, matches appear while typing. */}
      <form method="get" action={`${path}/merges/new`} id="merge-form">
        {merge.message ? <ErrorSummary message={merge.message} /> : ""}
        <Field
          label="Merge this ticket into"
          name="target"
          error={merge.fields.target}
          hint="A number or words of its subject."
        >
          <input
            id="target"
            name="target"
            autocomplete="off"
            value={merge.values.target ?? ""}
            hx-get={`${path}/merges/candidates`}
            hx-trigger="input changed delay:250ms"
            hx-target="#merge-candidates"
            hx-swap="outerHTML"
          />
        </Field>
        <div id="merge-candidates" />
        <button type="submit" class="secondary">
          Review merge
        </button>
      </form>
      {later.length ? (
        <form method="post" action={`${path}/splits`} id="split-form">
          {split.message ? <ErrorSummary message={split.message} /> : ""}
          <CsrfField token={props.csrf} />
          <Field label="Split off into a new ticket" name="messageId" error={split.fields.messageId}>
            <Select
              name="messageId"
              value={split.values.messageId ?? ""}
              options={later.map((m) => ({
                value: m.id,
                label: `${m.authorName}, ${m.createdAt.toISOString().slice(0, 16).replace("T", " ")}: ${excerpt(m.body)}`,
              }))}
            />
          </Field>
          <Field
            label="New ticket's subject"
            name="subject"
            error={split.fields.subject}
            hint="Empty: the message's first line."
          >
            <input id="subject" name="subject" value={split.values.subject ?? ""} />
          </Field>
          <button type="submit" class="secondary">
            Split into a new ticket
          </button>
        </form>
      ) : (
        ""
      )}
    </section>
  );
}

export function MergeCandidates(props: {
  number: number;
  candidates: { number: number; subject: string; status: Parameters<typeof statusLabel>[0] }[];
}) {
  return (
    <ul id="merge-candidates" class="candidates">
      {props.candidates.map((c) => (
        <li>
          <a href={`${ticketPath(props.number)}/merges/new?target=${formatTicketNumber(c.number)}`} safe>
            {formatTicketNumber(c.number)}
          </a>{" "}
          <span safe>{c.subject}</span>{" "}
          <span class={`badge status-${c.status}`} safe>
            {statusLabel(c.status)}
          </span>
        </li>
      ))}
    </ul>
  );
}

function TimeCard(props: {
  number: number;
  time: TicketTime;
  csrf: string;
  canWork: boolean;
  timeZone: string;
  failed?: PanelFailure;
}) {
  const { time } = props;
  const f = failureFor(props.failed, "time");
  const path = ticketPath(props.number);
  return (
    <section class="card time" id="time">
      <h2>Time</h2>
      <p class="time-totals">
        Billable{" "}
        <strong id="time-billable" safe>
          {formatMinutes(time.billableMinutes)}
        </strong>{" "}
        · Not billable{" "}
        <strong id="time-non-billable" safe>
          {formatMinutes(time.nonBillableMinutes)}
        </strong>
      </p>
      {props.canWork ? (
        <form method="post" action={`${path}/timer`} id="timer">
          <CsrfField token={props.csrf} />
          {time.running ? (
            <>
              <p>
                Your timer runs since{" "}
                <time datetime={time.running.startedAt.toISOString()} safe>
                  {formatDateTime(time.running.startedAt, props.timeZone)}
                </time>
                .
              </p>
              <input type="hidden" name="action" value="stop" />
              <button type="submit">Stop timer</button>
            </>
          ) : (
            <>
              {time.runningElsewhere ? (
                <p class="muted" safe>
                  {`Your timer runs on ${formatTicketNumber(time.runningElsewhere.number)}; starting here stops it.`}
                </p>
              ) : (
                ""
              )}
              <input type="hidden" name="action" value="start" />
              <label>
                <input type="checkbox" name="billable" value="1" checked /> Billable
              </label>{" "}
              <button type="submit" class="secondary">
                Start timer
              </button>
            </>
          )}
        </form>
      ) : (
        ""
      )}
      {time.entries.length ? (
        <table class="time-entries">
          <thead>
            <tr>
              <th>Who</th>
              <th>When</th>
              <th>Time</th>
              <th>Note</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {time.entries.map((e) => (
              <tr class={`time-entry${e.billable ? " billable" : ""}`} data-entry={e.id}>
                <td safe>{e.userName}</td>
                <td>
                  <time datetime={e.startedAt.toISOString()} safe>
                    {formatDateTime(e.startedAt, props.timeZone)}
                  </time>
                </td>
                <td safe>
                  {e.minutes === null
                    ? "running"
                    : `${formatMinutes(e.minutes)}${e.billable ? "" : " (not billable)"}`}
                </td>
                <td safe>{e.note}</td>
                <td>
                  {e.editable && e.minutes !== null ? (
                    <>
                      <a href={`${path}/time-entries/${e.id}`}>Edit</a>{" "}
                      <form method="post" action={`${path}/time-entries/${e.id}/delete`} class="inline">
                        <CsrfField token={props.csrf} />
                        <button type="submit" class="link">
                          Delete
                        </button>
                      </form>
                    </>
                  ) : (
                    ""
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        ""
      )}
      {props.canWork ? (
        <form method="post" action={`${path}/time-entries`} id="time-entry-form">
          {f.message ? <ErrorSummary message={f.message} /> : ""}
          <CsrfField token={props.csrf} />
          <TimeEntryFields values={f.values} fields={f.fields} />
          <button type="submit" class="secondary">
            Add time
          </button>
        </form>
      ) : (
        ""
      )}
    </section>
  );
}

function TimeEntryFields({ values, fields }: { values: Record<string, string>; fields: FieldErrors }) {
  const billable = values.duration === undefined ? true : values.billable === "1";
  return (
    <>
      <Field label="Time spent" name="duration" error={fields.duration} hint="45m, 1h 30m or 1:30.">
        <input
          id="duration"
          name="duration"
          value={values.duration ?? ""}
          aria-invalid={fields.duration ? "true" : undefined}
        />
      </Field>
      <Field label="Started" name="startedAt" error={fields.startedAt} hint="Empty: it just ended.">
        <input id="startedAt" name="startedAt" type="datetime-local" value={values.startedAt ?? ""} />
      </Field>
      <Field label="Work done" name="note" error={fields.note}>
        <input id="note" name="note" value={values.note ?? ""} maxlength="500" />
      </Field>
      <label>
        <input type="checkbox" name="billable" value="1" checked={billable} /> Billable
      </label>
    </>
  );
}

/** The side panels, in the ticket page's aside. */
export function RelationsAside(props: {
  number: number;
  detail: TicketDetail;
  relations: RelationsProps;
  csrf: string;
  canWork: boolean;
  timeZone: string;
}) {
  const { data, time, failed } = props.relations;
  const open = props.detail.ticket.status !== "closed";
  return (
    <>
      <LinksCard
        number={props.number}
        data={data}
        csrf={props.csrf}
        canWork={props.canWork}
        failed={failed}
      />
      <FollowersCard
        number={props.number}
        data={data}
        csrf={props.csrf}
        canWork={props.canWork}
        failed={failed}
      />
      {props.canWork && open ? (
        <SplitAndMergeCard number={props.number} detail={props.detail} csrf={props.csrf} failed={failed} />
      ) : (
        ""
      )}
      <TimeCard
        number={props.number}
        time={time}
        csrf={props.csrf}
        canWork={props.canWork}
        timeZone={props.timeZone}
        failed={failed}
      />
    </>
  );
}

export function MergeConfirmPage(props: {
  csrf: string;
  viewer: Viewer;
  number: number;
  preview?: MergePreview;
  typed: string;
  error?: { message: string; fields: FieldErrors };
  candidates: { number: number; subject: string; status: Parameters<typeof statusLabel>[0] }[];
}) {
  const path = ticketPath(props.number);
  const p = props.preview;
  return (
    <Page title={`Merge ${formatTicketNumber(props.number)}`} csrf={props.csrf} viewer={props.viewer}>
      <p>
        <a href={path} safe>{`← ${formatTicketNumber(props.number)}`}</a>
      </p>
      <h1 safe>{`Merge ${formatTicketNumber(props.number)} into another ticket`}</h1>
      {p ? (
        <form method="post" action={`${path}/merges`} class="card merge-confirm">
          <CsrfField token={props.csrf} />
          <input type="hidden" name="target" value={formatTicketNumber(p.target.number)} />
          <p>
            <strong safe>{`${formatTicketNumber(p.source.number)} “${p.source.subject}”`}</strong> will be
            closed and merged into{" "}
            <strong safe>{`${formatTicketNumber(p.target.number)} “${p.target.subject}”`}</strong>.
          </p>
          <ul id="merge-effects">
            <li
              safe
            >{`${p.messages} message${p.messages === 1 ? "" : "s"} and ${p.attachments} attachment${p.attachments === 1 ? "" : "s"} move to ${formatTicketNumber(p.target.number)}, with its followers and tags.`}</li>
            <li
              safe
            >{`${p.requesterEmail} is told by email that the request continues in ${formatTicketNumber(p.target.number)}${p.sameRequester ? "." : ", and follows it from now on."}`}</li>
            <li>This cannot be undone.</li>
          </ul>
          <button type="submit">Merge</button> <a href={path}>Cancel</a>
        </form>
      ) : (
        <form method="get" action={`${path}/merges/new`} class="card">
          <ErrorSummary message={props.error?.message} />
          <Field
            label="Merge into"
            name="target"
            error={props.error?.fields.target}
            hint="A number or words of its subject."
          >
            <input
              id="target"
              name="target"
              value={props.typed}
              aria-invalid={props.error?.fields.target ? "true" : undefined}
            />
          </Field>
          <button type="submit" class="secondary">
            Review merge
          </button>
        </form>
      )}
      {!p && props.candidates.length ? (
        <>
          <h2>Matching tickets</h2>
          <MergeCandidates number={props.number} candidates={props.candidates} />
        </>
      ) : (
        ""
      )}
    </Page>
  );
}

/** Local "YYYY-MM-DDTHH:MM" of an instant in a zone, for a datetime-local field. */
function localInput(date: Date, timeZone: string): string {
  const parts = dateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

export function TimeEntryPage(props: {
  csrf: string;
  viewer: Viewer;
  number: number;
  entry: TimeEntryRow;
  timeZone: string;
  failed?: { message: string; fields: FieldErrors; values: Record<string, string> };
  notice?: string;
}) {
  const path = ticketPath(props.number);
  const e = props.entry;
  const values = props.failed?.values ?? {
    duration: String(e.minutes ?? ""),
    startedAt: localInput(e.startedAt, props.timeZone),
    note: e.note,
    billable: e.billable ? "1" : "",
  };
  return (
    <Page title="Edit time entry" csrf={props.csrf} viewer={props.viewer}>
      <p>
        <a href={path} safe>{`← ${formatTicketNumber(props.number)}`}</a>
      </p>
      <h1>Edit time entry</h1>
      <Notice message={props.notice} />
      <form method="post" action={`${path}/time-entries/${e.id}`} class="card">
        <ErrorSummary message={props.failed?.message} />
        <CsrfField token={props.csrf} />
        <TimeEntryFields values={values} fields={props.failed?.fields ?? {}} />
        <button type="submit">Save</button>
      </form>
    </Page>
  );
}
