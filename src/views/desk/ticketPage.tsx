import { type Channel, TICKET_PRIORITIES, TICKET_TYPES, type WorkOrderStatus } from "../../../db/schema";
import { splitQuoted } from "../../domain/email/quoted";
import type { FieldErrors } from "../../domain/errors";
import { describeFieldChanges } from "../../domain/fields/ticketFields";
import type { Catalog } from "../../domain/fields/values";
import type { TicketSlaView } from "../../domain/sla/tickets";
import type { ThreadMessage, TicketDetail } from "../../domain/tickets/queries";
import { nextStatuses } from "../../domain/tickets/rules";
import { AssignNowButton } from "../admin/assignment";
import { ClassificationPanel, type ClassificationPanelProps } from "../fields/ticketPanel";
import { AttachmentsField, BodyField, CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import {
  channelLabel,
  formatBytes,
  formatDateTime,
  formatTicketNumber,
  humanize,
  priorityLabel,
  statusLabel,
} from "../format";
import { TicketWorkOrders } from "../fsm/workOrders";
import { Page, type Viewer } from "../layout";
import { SuggestedArticlesSlot } from "./articleSuggestions";
import { AssistSlot } from "./assist";
import { Presence } from "./presence";
import {
  describeRelationEvent,
  MentionHint,
  MergedBanner,
  NoteText,
  RelationsAside,
  type RelationsProps,
} from "./relations";

export interface TicketPageProps {
  csrf: string;
  viewer: Viewer;
  detail: TicketDetail;
  choices: { agents: { id: string; name: string }[]; teams: { id: string; name: string }[] };
  timeZone: string;
  canWork: boolean;
  /** The ticket's SLA clocks; null when no policy applies. */
  sla?: TicketSlaView | null;
  /** Field service: the ticket's work orders and whether this person may make one. */
  workOrders?: { number: number; status: WorkOrderStatus; subject: string }[];
  canCreateWorkOrder?: boolean;
  notice?: string;
  /** The macros the agent may apply, by name. */
  macros?: { id: string; name: string; shortcut: string | null }[];
  /** Links, followers, merges and time spent. */
  relations?: RelationsProps;
  /** Text for the reply box (an applied macro's). */
  prefill?: Record<string, string>;
  /** Categories and custom fields, and the category form as sent (after Continue or a problem). */
  catalog?: Catalog;
  classification?: ClassificationPanelProps["sent"];
  /** The thread and history, rendered (see deskThread and deskHistory; the desk reuses them). */
  conversation: { thread: string; history: string };
  /** Which form failed ("reply" or "properties"), with what the person typed. */
  failed?: {
    form: "reply" | "properties";
    message: string;
    fields: FieldErrors;
    values: Record<string, string>;
  };
}

export function Thread({
  detail,
  timeZone,
  basePath,
}: {
  detail: TicketDetail;
  timeZone: string;
  basePath: string;
}) {
  return (
    <ol class="thread">
      {detail.messages.map((m) => (
        <li
          class={`message ${m.kind === "note" ? "note" : m.authorIsStaff ? "staff" : "customer"}`}
          id={`m-${m.id}`}
        >
          <header>
            <strong safe>{m.authorName}</strong>
            {m.kind === "note" ? <span class="badge note">Internal note</span> : ""}
            <span class="muted">
              <span safe>{channelLabel(m.channel)}</span> ·{" "}
              <time datetime={m.createdAt.toISOString()} safe>
                {formatDateTime(m.createdAt, timeZone)}
              </time>
            </span>
          </header>
          <MessageBody body={m.body} fromEmail={m.channel === "email"} note={m.kind === "note"} />
          {m.email ? (
            <p class="mail-meta muted">
              <span safe>{m.email.reason}</span>{" "}
              <a href={`/desk/emails/${m.email.original}/original`}>Original message (.eml)</a>
            </p>
          ) : (
            ""
          )}
          {m.delivery ? <DeliveryNote delivery={m.delivery} /> : ""}
          {m.text ? <TextNote text={m.text} /> : ""}
          {m.attachments.length ? (
            <ul class="files">
              {m.attachments.map((f) => (
                <li>
                  <a href={`${basePath}/attachments/${f.id}`} safe>
                    {f.filename}
                  </a>{" "}
                  <span class="muted" safe>
                    {formatBytes(f.sizeBytes)}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            ""
          )}
        </li>
      ))}
    </ol>
  );
}

/** A message body; for mail, the quoted conversation below the new text is folded away. */
function MessageBody({ body, fromEmail, note }: { body: string; fromEmail: boolean; note?: boolean }) {
  const { visible, quoted } = fromEmail ? splitQuoted(body) : { visible: body, quoted: "" };
  return (
    <div class="body">
      {note ? <NoteText text={visible} /> : <span safe>{visible}</span>}
      {quoted ? (
        <details class="quoted">
          <summary>Show quoted text</summary>
          <span safe>{quoted}</span>
        </details>
      ) : (
        ""
      )}
    </div>
  );
}

function DeliveryNote({ delivery }: { delivery: NonNullable<ThreadMessage["delivery"]> }) {
  const text = {
    queued: `Email to ${delivery.to} is being sent.`,
    sent: `Emailed to ${delivery.to}.`,
    kept: `Kept in the outbox for ${delivery.to}: no mail server is configured.`,
    failed: `Email to ${delivery.to} failed: ${delivery.error ?? "unknown error"}`,
  }[delivery.status];
  return (
    <p class={`mail-meta ${delivery.status === "failed" ? "error" : "muted"}`} safe>
      {text}
    </p>
  );
}

function TextNote({ text }: { text: NonNullable<ThreadMessage["text"]> }) {
  const line =
    text.direction === "inbound"
      ? `From ${text.number}. ${text.note ?? ""}`
      : {
          received: "",
          queued: `Being sent to ${text.number}.`,
          sent: `Sent to ${text.number}.`,
          delivered: `Delivered to ${text.number}.`,
          failed: `Text to ${text.number} failed: ${text.note ?? "unknown error"}`,
          undelivered: `Text to ${text.number} was not delivered: ${text.note ?? "unknown error"}`,
        }[text.status];
  const failed = text.status === "failed" || text.status === "undelivered";
  return (
    <p class={`mail-meta text-meta ${failed ? "error" : "muted"}`} safe>
      {line}
    </p>
  );
}

/** "suggested category Billing (72%); set team Support (93%)". */
function describeTriage(d: Record<string, unknown>): string {
  const list =
    (d.predictions as { field: string; name: string; confidence: number; applied: boolean }[]) ?? [];
  const parts = list.map(
    (p) => `${p.applied ? "set" : "suggested"} ${p.field} ${p.name} (${Math.round(p.confidence * 100)}%)`,
  );
  return parts.length ? parts.join("; ") : "had no suggestion";
}

function describeEvent(e: TicketDetail["history"][number]): string {
  const d = e.data as Record<string, unknown>;
  const who = (v: unknown) => (v ? "someone" : "nobody");
  switch (e.type) {
    case "ticket.created":
      return `created the ticket via ${channelLabel(d.channel as Channel)}${d.categoryName ? ` in ${String(d.categoryName)}` : ""}`;
    case "ticket.category_changed":
      return d.toName
        ? `changed the category${d.fromName ? ` from ${String(d.fromName)}` : ""} to ${String(d.toName)}`
        : `removed the category ${String(d.fromName ?? "")}`;
    case "ticket.fields_changed":
      return `changed fields: ${describeFieldChanges(d)}`;
    case "ticket.status_changed":
      return `changed status from ${humanize(String(d.from))} to ${humanize(String(d.to))}`;
    case "ticket.priority_changed":
      return `changed priority from ${humanize(String(d.from))} to ${humanize(String(d.to))}`;
    case "ticket.type_changed":
      return `changed type from ${humanize(String(d.from))} to ${humanize(String(d.to))}`;
    case "ticket.assigned":
      return d.to
        ? `assigned the ticket${d.from ? " (reassigned)" : ""}`
        : `unassigned the ticket (was ${who(d.from)})`;
    case "ticket.auto_assigned":
      return `assigned the ticket to ${String(d.name ?? "an agent")} by ${String(d.reason)}`;
    case "ticket.auto_assign_skipped":
      return `assigned nobody automatically: ${String(d.reason)}`;
    case "ticket.team_changed":
      return d.to ? "moved the ticket to another team" : "removed the team";
    case "ticket.tags_changed": {
      const added = (d.added as string[]) ?? [];
      const removed = (d.removed as string[]) ?? [];
      return [
        added.length ? `added tags ${added.join(", ")}` : "",
        removed.length ? `removed tags ${removed.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ");
    }
    case "ticket.requester_changed":
      return `changed the requester to ${String(d.email ?? "another contact")}`;
    case "message.agent_replied":
      return "replied to the customer";
    case "message.customer_replied":
      return "replied";
    case "message.note_added":
      return "added an internal note";
    case "message.automation_replied":
      return "replied with a macro";
    case "automation.webhook":
      return `called the webhook ${String(d.webhook ?? "")}`;
    case "ticket.rated":
      return `rated the help ${String(d.score)}/5${d.comment ? `: “${String(d.comment)}”` : ""}`;
    case "ticket.work_order_created":
      return `created work order WO-${String(d.number).padStart(6, "0")}`;
    case "work_order.status_changed":
      return `moved work order WO-${String(d.number).padStart(6, "0")} from ${humanize(String(d.from))} to ${humanize(String(d.to))}`;
    case "work_order.scheduled":
      return `scheduled a visit for work order WO-${String(d.number).padStart(6, "0")}`;
    case "appointment.status_changed":
      return `marked a visit ${humanize(String(d.to))}`;
    case "email.sent":
      return `emailed the reply to ${String(d.to)}`;
    case "email.failed":
      return `could not email ${String(d.to)}: ${String(d.error)}`;
    case "text.sent":
      return `texted the reply to ${String(d.to)}`;
    case "text.failed":
      return `could not text ${String(d.to)}: ${String(d.error)}`;
    case "ticket.sla_escalated":
      return `SLA escalation: ${String(d.reason ?? d.step)}`;
    case "ticket.ai_triaged":
      return describeTriage(d);
    case "ticket.sentiment_changed":
      return `read the customer's sentiment as ${humanize(String(d.to))}${d.from ? ` (was ${humanize(String(d.from))})` : ""}`;
    default:
      return describeRelationEvent(e.type, d) ?? e.type;
  }
}

export function History({ detail, timeZone }: { detail: TicketDetail; timeZone: string }) {
  return (
    <details class="history" open>
      <summary>History</summary>
      <ol>
        {detail.history.map((e) => (
          <li>
            <time datetime={e.createdAt.toISOString()} safe>
              {formatDateTime(e.createdAt, timeZone)}
            </time>{" "}
            <strong safe>
              {e.actorName ?? (e.actorKind === "customer" ? "Customer" : humanize(e.actorKind))}
            </strong>{" "}
            <span safe>{describeEvent(e)}</span>
          </li>
        ))}
      </ol>
    </details>
  );
}

const SLA_STATUS_LABELS = { running: "Running", paused: "Paused", met: "Met", breached: "Breached" };

/** Each SLA target's due time in the organization's zone, its state, and why. */
export function SlaPanel({ sla, timeZone }: { sla: TicketSlaView | null; timeZone: string }) {
  if (!sla) {
    return (
      <section class="sla card" id="sla">
        <h2>SLA</h2>
        <p class="muted">No SLA policy applies to this ticket.</p>
      </section>
    );
  }
  return (
    <section class="sla card" id="sla">
      <h2>
        SLA <span class="muted" safe>{`· ${sla.policyName}`}</span>
      </h2>
      <ul class="sla-clocks">
        {sla.clocks.map((c) => (
          <li class="sla-clock" data-target={c.target} data-status={c.status}>
            <strong safe>{c.label}</strong>{" "}
            <span class={`badge sla-${c.status}`} safe>
              {SLA_STATUS_LABELS[c.status]}
            </span>
            <br />
            {c.completedAt ? (
              <span>
                done{" "}
                <time datetime={c.completedAt.toISOString()} safe>
                  {formatDateTime(c.completedAt, timeZone)}
                </time>
              </span>
            ) : c.dueAt ? (
              <span>
                {c.status === "breached" ? "was due " : "due "}
                <time datetime={c.dueAt.toISOString()} safe>
                  {formatDateTime(c.dueAt, timeZone)}
                </time>
              </span>
            ) : (
              <span>due time waits while the clock is paused</span>
            )}
            <p class="sla-why muted" safe>
              {c.explanation}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Properties({ detail, choices, csrf, canWork, failed }: TicketPageProps) {
  const t = detail.ticket;
  const number = formatTicketNumber(t.number);
  const fields = failed?.form === "properties" ? failed.fields : {};
  const values = failed?.form === "properties" ? failed.values : {};
  const value = (name: string, current: string | null) => values[name] ?? current ?? "";
  return (
    <form class="properties card" method="post" action={`/desk/tickets/${number}/properties`}>
      <h2>Properties</h2>
      {failed?.form === "properties" ? <ErrorSummary message={failed.message} /> : ""}
      <CsrfField token={csrf} />
      <Field label="Status" name="status" error={fields.status}>
        <Select
          name="status"
          value={value("status", t.status)}
          options={nextStatuses(t.status).map((s) => ({ value: s, label: statusLabel(s) }))}
          invalid={Boolean(fields.status)}
        />
      </Field>
      <Field label="Priority" name="priority" error={fields.priority}>
        <Select
          name="priority"
          value={value("priority", t.priority)}
          options={TICKET_PRIORITIES.map((p) => ({ value: p, label: priorityLabel(p) }))}
        />
      </Field>
      <Field label="Type" name="type" error={fields.type}>
        <Select
          name="type"
          value={value("type", t.type)}
          options={TICKET_TYPES.map((p) => ({ value: p, label: humanize(p) }))}
        />
      </Field>
      <Field label="Assignee" name="assigneeId" error={fields.assigneeId}>
        <Select
          name="assigneeId"
          value={value("assigneeId", t.assigneeId)}
          blank="Unassigned"
          options={choices.agents.map((a) => ({ value: a.id, label: a.name }))}
        />
      </Field>
      <Field label="Team" name="teamId" error={fields.teamId}>
        <Select
          name="teamId"
          value={value("teamId", t.teamId)}
          blank="No team"
          options={choices.teams.map((a) => ({ value: a.id, label: a.name }))}
        />
      </Field>
      <Field label="Tags" name="tags" error={fields.tags} hint="Separate with commas.">
        <input id="tags" name="tags" value={values.tags ?? t.tags.join(", ")} />
      </Field>
      <Field label="Requester email" name="requesterEmail" error={fields.requesterEmail}>
        <input
          id="requesterEmail"
          name="requesterEmail"
          type="email"
          value={values.requesterEmail ?? detail.contact?.email ?? ""}
        />
      </Field>
      {canWork && t.status !== "closed" ? <button type="submit">Save</button> : ""}
    </form>
  );
}

function MacroPicker({ detail, csrf, macros }: TicketPageProps) {
  if (!macros?.length) return "";
  return (
    <form
      class="macro-picker"
      method="post"
      action={`/desk/tickets/${formatTicketNumber(detail.ticket.number)}/macro`}
    >
      <CsrfField token={csrf} />
      <label for="macroId">Macro</label>{" "}
      <Select
        name="macroId"
        value=""
        options={macros.map((m) => ({
          value: m.id,
          label: m.shortcut ? `${m.name} (/${m.shortcut})` : m.name,
        }))}
      />{" "}
      <button type="submit" class="secondary">
        Apply
      </button>
    </form>
  );
}

function ReplyForm(props: TicketPageProps) {
  const { detail, csrf, failed, prefill } = props;
  const t = detail.ticket;
  const number = formatTicketNumber(t.number);
  const fields = failed?.form === "reply" ? failed.fields : {};
  const values = failed?.form === "reply" ? failed.values : (prefill ?? {});
  const kind = values.kind ?? "reply";
  // When the thread was last seen: a message added after it stops the send until read.
  const seen = detail.messages.reduce(
    (latest, m) => (m.createdAt > latest ? m.createdAt : latest),
    t.createdAt,
  );
  const stale = Boolean(fields.stale);
  return (
    <form
      class="reply card"
      method="post"
      action={`/desk/tickets/${number}/messages`}
      enctype="multipart/form-data"
    >
      <h2>Respond</h2>
      {failed?.form === "reply" ? <ErrorSummary message={failed.message} /> : ""}
      <CsrfField token={csrf} />
      <input type="hidden" name="seen" value={seen.toISOString()} />
      {stale ? <input type="hidden" name="sendAnyway" value="1" /> : ""}
      <fieldset class="kind">
        <legend class="sr">Kind</legend>
        <label>
          <input type="radio" name="kind" value="reply" checked={kind === "reply"} /> Public reply
        </label>
        <label>
          <input type="radio" name="kind" value="note" checked={kind === "note"} /> Internal note
        </label>
      </fieldset>
      <BodyField label="Message" rows={6} value={values.body} error={fields.body} />
      <MentionHint />
      {t.channel === "sms" || t.channel === "whatsapp" ? (
        <p class="hint text-reply" safe>
          {`A public reply goes to ${detail.contact?.phone ?? "the customer"} by ${t.channel === "sms" ? "SMS" : "WhatsApp"}, at most 1,600 characters; attachments are not sent.`}
        </p>
      ) : (
        ""
      )}
      <AttachmentsField error={fields.attachments} />
      {/* "reply-status": the properties form above already has a field with the id "status". */}
      <Field label="Then set status to" name="reply-status" error={fields.status}>
        <Select
          name="status"
          id="reply-status"
          value={values.status ?? (t.status === "new" ? "open" : t.status)}
          options={nextStatuses(t.status)
            .filter((s) => s !== "new" && s !== "closed")
            .map((s) => ({ value: s, label: statusLabel(s) }))}
        />
      </Field>
      <button type="submit">{stale ? "Send anyway" : "Send"}</button>
    </form>
  );
}

/** The ticket's thread as agents see it. */
export function deskThread(detail: TicketDetail, timeZone: string): string {
  return (<Thread detail={detail} timeZone={timeZone} basePath="/desk" />) as string;
}

/** The ticket's history. */
export function deskHistory(detail: TicketDetail, timeZone: string): string {
  return (<History detail={detail} timeZone={timeZone} />) as string;
}

export function TicketLiveRegion(props: TicketPageProps) {
  const t = props.detail.ticket;
  const number = formatTicketNumber(t.number);
  return (
    <div
      id="ticket-region"
      class="ticket-layout"
      hx-get={`/desk/tickets/${number}?fragment=1`}
      hx-trigger={`ticket-${t.id} from:#live delay:300ms`}
      hx-swap="outerHTML"
    >
      <section class="conversation">
        <header class="ticket-head">
          <h1>
            <span class="muted" safe>
              {number}
            </span>{" "}
            <span safe>{t.subject}</span>
          </h1>
          <p>
            <span class={`badge status-${t.status}`} safe>
              {statusLabel(t.status)}
            </span>{" "}
            <span class={`prio prio-${t.priority}`} safe>
              {priorityLabel(t.priority)}
            </span>{" "}
            · Requester <strong safe>{props.detail.contact?.name ?? ""}</strong>{" "}
            <span class="muted" safe>
              {props.detail.contact?.email
                ? `<${props.detail.contact.email}>`
                : (props.detail.contact?.phone ?? "")}
            </span>
            {props.detail.assigneeName ? (
              <>
                {" "}
                · Assignee <strong safe>{props.detail.assigneeName}</strong>
              </>
            ) : (
              ""
            )}
          </p>
        </header>
        {props.relations ? <MergedBanner data={props.relations.data} /> : ""}
        {props.conversation.thread as "safe"}
        {props.conversation.history as "safe"}
      </section>
      <aside>
        <SlaPanel sla={props.sla ?? null} timeZone={props.timeZone} />
        <Properties {...props} />
        {props.canWork && props.detail.ticket.teamId && props.detail.ticket.status !== "closed" ? (
          <AssignNowButton csrf={props.csrf} number={formatTicketNumber(props.detail.ticket.number)} />
        ) : (
          ""
        )}
        {props.catalog ? (
          <ClassificationPanel
            csrf={props.csrf}
            catalog={props.catalog}
            ticket={t}
            canWork={props.canWork}
            sent={props.classification}
          />
        ) : (
          ""
        )}
        <TicketWorkOrders
          csrf={props.csrf}
          ticketNumber={t.number}
          workOrders={props.workOrders ?? []}
          canCreate={Boolean(props.canCreateWorkOrder) && t.status !== "closed"}
        />
        {props.relations ? (
          <RelationsAside
            number={t.number}
            detail={props.detail}
            relations={props.relations}
            csrf={props.csrf}
            canWork={props.canWork}
            timeZone={props.timeZone}
          />
        ) : (
          ""
        )}
      </aside>
    </div>
  );
}

export function TicketPage(props: TicketPageProps) {
  const t = props.detail.ticket;
  return (
    <Page
      title={`${formatTicketNumber(t.number)} ${t.subject}`}
      csrf={props.csrf}
      viewer={props.viewer}
      scripts
    >
      <div id="live" hx-sse:connect="/desk/live" />
      <p>
        <a href="/desk/tickets">← Tickets</a>
      </p>
      <Notice message={props.notice} />
      <Presence number={formatTicketNumber(t.number)} ticketId={t.id} csrf={props.csrf} />
      <TicketLiveRegion {...props} />
      {props.canWork && t.status !== "closed" ? (
        <>
          <MacroPicker {...props} />
          <ReplyForm {...props} />
          <AssistSlot number={formatTicketNumber(t.number)} />
          <SuggestedArticlesSlot number={formatTicketNumber(t.number)} />
        </>
      ) : (
        ""
      )}
    </Page>
  );
}
