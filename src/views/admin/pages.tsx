import { type JobStatus, type OutboxStatus, ROLES } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import type { JobRow } from "../../domain/jobs/admin";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { formatDateTime, humanize } from "../format";
import { Page, type Viewer } from "../layout";

export function AdminHome({ csrf, viewer }: { csrf: string; viewer: Viewer }) {
  return (
    <Page title="Admin" csrf={csrf} viewer={viewer}>
      <h1>Admin</h1>
      <ul class="tiles">
        <li>
          <a href="/admin/sla">SLA policies</a>
          <p class="muted">
            Response and resolution targets, what pauses them, and who is told when they slip.
          </p>
        </li>
        <li>
          <a href="/admin/calendars">Business calendars</a>
          <p class="muted">Business hours and holidays the SLA clocks count, typed or imported from .ics.</p>
        </li>
        <li>
          <a href="/admin/tokens">API tokens</a>
          <p class="muted">Create and revoke the bearer tokens integrations use.</p>
        </li>
        <li>
          <a href="/admin/assignment">Assignment</a>
          <p class="muted">
            How each team's new tickets find an agent: by hand, round robin or least loaded.
          </p>
        </li>
        <li>
          <a href="/admin/rules">Automation rules</a>
          <p class="muted">
            Set fields, assign, tag, note or email when tickets arrive, change or get replies.
          </p>
        </li>
        <li>
          <a href="/admin/ai">AI</a>
          <p class="muted">
            When triage fills fields by itself, the Hugging Face models, retraining and how the models do.
          </p>
        </li>
        <li>
          <a href="/admin/fields">Categories and fields</a>
          <p class="muted">Ticket categories, subcategories and the fields each asks for.</p>
        </li>
        <li>
          <a href="/admin/search">Search language</a>
          <p class="muted">The language search stems words in: tickets, messages and articles.</p>
        </li>
        <li>
          <a href="/admin/mailboxes">Mailboxes</a>
          <p class="muted">The addresses customers write to, and how mail comes in and goes out.</p>
        </li>
        <li>
          <a href="/admin/messaging">SMS and WhatsApp</a>
          <p class="muted">Numbers customers can text; replies go back as text messages.</p>
        </li>
        <li>
          <a href="/admin/email-templates">Email templates</a>
          <p class="muted">The wording of every mail the product sends.</p>
        </li>
        <li>
          <a href="/admin/outbox">Outbox</a>
          <p class="muted">Every email the product sends, with its delivery status.</p>
        </li>
        <li>
          <a href="/admin/webhooks">Webhooks</a>
          <p class="muted">Post events to other systems, signed, with retries and a delivery log.</p>
        </li>
        <li>
          <a href="/admin/jobs">Jobs</a>
          <p class="muted">Background work: mail deliveries, webhooks, retries and failures.</p>
        </li>
        <li>
          <a href="/api/docs">API documentation</a>
          <p class="muted">Endpoints, parameters and the OpenAPI document.</p>
        </li>
      </ul>
    </Page>
  );
}

interface TokenRow {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export function TokensPage({
  csrf,
  viewer,
  tokens,
  timeZone,
  created,
  values = {},
  fields = {},
  message,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  tokens: TokenRow[];
  timeZone: string;
  created?: { name: string; secret: string };
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
  notice?: string;
}) {
  return (
    <Page title="API tokens" csrf={csrf} viewer={viewer}>
      <h1>API tokens</h1>
      <Notice message={notice} />
      {created ? (
        <div class="alert ok" role="status">
          <p>
            Token <strong safe>{created.name}</strong> created. Copy it now: it is not shown again.
          </p>
          <code class="secret" safe>
            {created.secret}
          </code>
        </div>
      ) : (
        ""
      )}
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Starts with</th>
            <th>Created</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr class={t.revokedAt ? "revoked" : ""}>
              <td safe>{t.name}</td>
              <td safe>{humanize(t.role)}</td>
              <td>
                <code safe>{t.prefix}</code>…
              </td>
              <td safe>{formatDateTime(t.createdAt, timeZone)}</td>
              <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt, timeZone) : "never"}</td>
              <td>
                {t.revokedAt ? (
                  `revoked ${formatDateTime(t.revokedAt, timeZone)}`
                ) : (
                  <form method="post" action={`/admin/tokens/${t.id}/revoke`}>
                    <CsrfField token={csrf} />
                    <button type="submit" class="danger">
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="card narrow">
        <h2>New token</h2>
        <ErrorSummary message={message} />
        <form method="post" action="/admin/tokens">
          <CsrfField token={csrf} />
          <Field label="Name" name="name" error={fields.name} hint="What will use it, e.g. “Billing sync”.">
            <input id="name" name="name" required maxlength="100" value={values.name ?? ""} />
          </Field>
          <Field label="Acts as" name="role" error={fields.role}>
            <Select
              name="role"
              value={values.role ?? "agent"}
              options={ROLES.filter((r) => r !== "customer").map((r) => ({ value: r, label: humanize(r) }))}
            />
          </Field>
          <button type="submit">Create token</button>
        </form>
      </section>
    </Page>
  );
}

export function OutboxPage({
  csrf,
  viewer,
  messages,
  timeZone,
}: {
  csrf: string;
  viewer: Viewer;
  messages: {
    id: string;
    toAddress: string;
    subject: string;
    textBody: string;
    kind: string;
    status: OutboxStatus;
    lastError: string | null;
    fromAddress: string | null;
    replyTo: string | null;
    createdAt: Date;
  }[];
  timeZone: string;
}) {
  return (
    <Page title="Outbox" csrf={csrf} viewer={viewer}>
      <h1>Outbox</h1>
      <p class="muted">
        Every email the product sends. With no mail server configured (SMTP_URL, or a mailbox's own server),
        mail is kept here instead of being sent.
      </p>
      {messages.length === 0 ? <p class="empty">No mail yet.</p> : ""}
      {messages.map((m) => (
        <article class="card mail">
          <header>
            <strong safe>{m.subject}</strong>
            <span class="muted">
              to <span safe>{m.toAddress}</span> · <span safe>{humanize(m.kind)}</span> ·{" "}
              {formatDateTime(m.createdAt, timeZone) as "safe"}
            </span>{" "}
            <span class={`badge mail-${m.status}`} safe>
              {OUTBOX_STATUS_LABELS[m.status]}
            </span>
          </header>
          {m.fromAddress ? (
            <p class="muted">
              from <span safe>{m.fromAddress}</span>
              {m.replyTo ? (
                <>
                  {" "}
                  · reply to <span safe>{m.replyTo}</span>
                </>
              ) : (
                ""
              )}
            </p>
          ) : (
            ""
          )}
          {m.lastError ? (
            <p class="error" safe>
              {m.lastError}
            </p>
          ) : (
            ""
          )}
          <pre safe>{m.textBody}</pre>
        </article>
      ))}
    </Page>
  );
}

const OUTBOX_STATUS_LABELS: Record<OutboxStatus, string> = {
  queued: "Sending",
  sent: "Sent",
  kept: "Kept here",
  failed: "Failed",
};

const JOB_STATUS_LABELS: Record<JobStatus, string> = {
  queued: "Waiting",
  running: "Running",
  dead: "Failed",
  done: "Done",
};

export function JobsPage({
  csrf,
  viewer,
  status,
  counts,
  jobs,
  timeZone,
  older,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  status: JobStatus;
  counts: Record<JobStatus, number>;
  jobs: JobRow[];
  timeZone: string;
  older?: string;
  notice?: string;
}) {
  return (
    <Page title="Jobs" csrf={csrf} viewer={viewer}>
      <h1>Jobs</h1>
      <p class="muted">
        Mail, webhooks and other background work. Failed jobs ran out of attempts; retry them once the cause
        is fixed.
      </p>
      <Notice message={notice} />
      <nav class="views" aria-label="Job status">
        {(["dead", "queued", "running", "done"] as const).map((s) => (
          <a
            href={`/admin/jobs?status=${s}`}
            class={s === status ? "active" : ""}
            aria-current={s === status ? "page" : undefined}
          >
            <span safe>{JOB_STATUS_LABELS[s]}</span>
            <span class="count">{counts[s].toLocaleString("en") as "safe"}</span>
          </a>
        ))}
      </nav>
      {jobs.length === 0 ? (
        <p class="empty">No {JOB_STATUS_LABELS[status].toLowerCase() as "safe"} jobs.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Job</th>
              <th>Attempts</th>
              <th>{status === "queued" ? "Runs" : "Last change"}</th>
              <th>Last error</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr>
                <td>
                  <code safe>{j.queue}</code>
                </td>
                <td>
                  {String(j.attempts) as "safe"} of {String(j.maxAttempts) as "safe"}
                </td>
                <td safe>{formatDateTime(status === "queued" ? j.runAt : j.updatedAt, timeZone)}</td>
                <td class="error-text" safe>
                  {j.lastError ?? ""}
                </td>
                <td>
                  {j.status === "dead" || j.status === "queued" ? (
                    <form method="post" action={`/admin/jobs/${j.id}/retry`}>
                      <CsrfField token={csrf} />
                      <button type="submit">{j.status === "dead" ? "Retry" : "Run now"}</button>
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
      {older ? (
        <p class="pager">
          <a href={older} rel="next">
            Older →
          </a>
        </p>
      ) : (
        ""
      )}
    </Page>
  );
}
