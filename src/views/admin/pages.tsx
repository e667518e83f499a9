import { ROLES } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { formatDateTime, humanize } from "../format";
import { Page, type Viewer } from "../layout";

export function AdminHome({ csrf, viewer }: { csrf: string; viewer: Viewer }) {
  return (
    <Page title="Admin" csrf={csrf} viewer={viewer}>
      <h1>Admin</h1>
      <ul class="tiles">
        <li>
          <a href="/admin/tokens">API tokens</a>
          <p class="muted">Create and revoke the bearer tokens integrations use.</p>
        </li>
        <li>
          <a href="/admin/outbox">Outbox</a>
          <p class="muted">Every email the product has sent, while no mail server is configured.</p>
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
    createdAt: Date;
  }[];
  timeZone: string;
}) {
  return (
    <Page title="Outbox" csrf={csrf} viewer={viewer}>
      <h1>Outbox</h1>
      <p class="muted">No mail server is configured, so outgoing mail is kept here.</p>
      {messages.length === 0 ? <p class="empty">No mail yet.</p> : ""}
      {messages.map((m) => (
        <article class="card mail">
          <header>
            <strong safe>{m.subject}</strong>
            <span class="muted">
              to <span safe>{m.toAddress}</span> · <span safe>{humanize(m.kind)}</span> ·{" "}
              {formatDateTime(m.createdAt, timeZone) as "safe"}
            </span>
          </header>
          <pre safe>{m.textBody}</pre>
        </article>
      ))}
    </Page>
  );
}
