import type { MailboxView } from "../../domain/email/settings";
import type { TemplateKind, TemplateText } from "../../domain/email/templates";
import type { FieldErrors } from "../../domain/errors";
import { CsrfField, ErrorSummary, Field, Notice } from "../form";
import { formatDateTime } from "../format";
import { Page, type Viewer } from "../layout";

interface FormState {
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}

export function MailboxesPage({
  csrf,
  viewer,
  mailboxes,
  timeZone,
  notice,
  form = {},
}: {
  csrf: string;
  viewer: Viewer;
  mailboxes: MailboxView[];
  timeZone: string;
  notice?: string;
  form?: FormState;
}) {
  return (
    <Page title="Mailboxes" csrf={csrf} viewer={viewer}>
      <h1>Mailboxes</h1>
      <Notice message={notice} />
      <p class="muted">
        The addresses customers write to. Mail reaches a mailbox through the built-in SMTP listener or by
        fetching its IMAP folder every minute; replies go out from the default mailbox.
      </p>
      {mailboxes.length === 0 ? <p class="empty">No mailboxes yet.</p> : ""}
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Address</th>
            <th>Sends through</th>
            <th>IMAP</th>
          </tr>
        </thead>
        <tbody>
          {mailboxes.map((m) => (
            <tr>
              <td>
                <a href={`/admin/mailboxes/${m.id}`} safe>
                  {m.name}
                </a>
                {m.isDefault ? <span class="badge">Default</span> : ""}
              </td>
              <td safe>{m.address}</td>
              <td safe>{m.smtpUrl || "the server's SMTP_URL"}</td>
              <td>
                {m.imapUrl ? (
                  <ImapState mailbox={m} timeZone={timeZone} />
                ) : (
                  <span class="muted">not fetched</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="card narrow">
        <h2>New mailbox</h2>
        <MailboxForm csrf={csrf} action="/admin/mailboxes" submit="Add mailbox" form={form} />
      </section>
    </Page>
  );
}

function ImapState({ mailbox, timeZone }: { mailbox: MailboxView; timeZone: string }) {
  if (mailbox.imapError) {
    return (
      <span class="error" safe>
        {`Failed: ${mailbox.imapError}`}
      </span>
    );
  }
  return (
    <span class="muted">
      {mailbox.imapCheckedAt ? (
        <span safe>{`checked ${formatDateTime(mailbox.imapCheckedAt, timeZone)}`}</span>
      ) : (
        "not checked yet"
      )}
    </span>
  );
}

function MailboxForm({
  csrf,
  action,
  submit,
  form,
}: {
  csrf: string;
  action: string;
  submit: string;
  form: FormState;
}) {
  const values = form.values ?? {};
  const fields = form.fields ?? {};
  return (
    <form method="post" action={action}>
      <ErrorSummary message={form.message} />
      <CsrfField token={csrf} />
      <Field label="Name" name="name" error={fields.name}>
        <input id="name" name="name" required maxlength="100" value={values.name ?? ""} />
      </Field>
      <Field label="Address" name="address" error={fields.address} hint="e.g. support@yourcompany.com">
        <input id="address" name="address" type="email" required value={values.address ?? ""} />
      </Field>
      <Field
        label="Outgoing server (optional)"
        name="smtpUrl"
        error={fields.smtpUrl}
        hint="smtp://user:password@smtp.example.com:587 — empty sends through the server-wide SMTP_URL."
      >
        <input id="smtpUrl" name="smtpUrl" autocomplete="off" value={values.smtpUrl ?? ""} />
      </Field>
      <Field
        label="IMAP folder to fetch (optional)"
        name="imapUrl"
        error={fields.imapUrl}
        hint="imaps://user:password@imap.example.com:993 — checked every minute."
      >
        <input id="imapUrl" name="imapUrl" autocomplete="off" value={values.imapUrl ?? ""} />
      </Field>
      <Field label="Folder" name="imapFolder" error={fields.imapFolder}>
        <input id="imapFolder" name="imapFolder" value={values.imapFolder ?? "INBOX"} />
      </Field>
      <div class="field">
        <label>
          <input type="checkbox" name="isDefault" value="1" checked={values.isDefault === "1"} /> Replies and
          new mail go out from this mailbox
        </label>
      </div>
      <button type="submit" safe>
        {submit}
      </button>
    </form>
  );
}

export function MailboxPage({
  csrf,
  viewer,
  mailbox,
  form,
}: {
  csrf: string;
  viewer: Viewer;
  mailbox: MailboxView;
  form: FormState;
}) {
  return (
    <Page title={`Mailbox ${mailbox.name}`} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/admin/mailboxes">← Mailboxes</a>
      </p>
      <h1 safe>{mailbox.name}</h1>
      <section class="card narrow">
        <MailboxForm csrf={csrf} action={`/admin/mailboxes/${mailbox.id}`} submit="Save" form={form} />
      </section>
      <form method="post" action={`/admin/mailboxes/${mailbox.id}/delete`}>
        <CsrfField token={csrf} />
        <button type="submit" class="danger">
          Delete mailbox
        </button>{" "}
        <span class="muted">Mail to this address is refused afterwards; its tickets stay.</span>
      </form>
    </Page>
  );
}

export function mailboxFormValues(m: MailboxView): Record<string, string> {
  return {
    name: m.name,
    address: m.address,
    smtpUrl: m.smtpUrl,
    imapUrl: m.imapUrl,
    imapFolder: m.imapFolder,
    isDefault: m.isDefault ? "1" : "",
  };
}

export function TemplatesPage({
  csrf,
  viewer,
  templates,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  templates: (TemplateKind & { customized: boolean })[];
  notice?: string;
}) {
  return (
    <Page title="Email templates" csrf={csrf} viewer={viewer}>
      <h1>Email templates</h1>
      <Notice message={notice} />
      <ul class="tiles">
        {templates.map((t) => (
          <li>
            <a href={`/admin/email-templates/${t.kind}`} safe>
              {t.label}
            </a>
            <p class="muted">{t.customized ? "Your wording" : "Built-in wording"}</p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function TemplatePage({
  csrf,
  viewer,
  template,
  customized,
  preview,
  notice,
  form,
}: {
  csrf: string;
  viewer: Viewer;
  template: TemplateKind;
  customized: boolean;
  preview: TemplateText;
  notice?: string;
  form: FormState;
}) {
  const values = form.values ?? {};
  const fields = form.fields ?? {};
  const action = `/admin/email-templates/${template.kind}`;
  return (
    <Page title={template.label} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/admin/email-templates">← Email templates</a>
      </p>
      <h1 safe>{template.label}</h1>
      <Notice message={notice} />
      <p class="muted">
        Placeholders:{" "}
        {template.placeholders.map((p) => (
          <code safe>{`{{${p}}}`}</code>
        ))}
      </p>
      <form method="post" action={action}>
        <ErrorSummary message={form.message} />
        <CsrfField token={csrf} />
        <Field label="Subject" name="subject" error={fields.subject}>
          <input id="subject" name="subject" required maxlength="300" value={values.subject ?? ""} />
        </Field>
        <Field label="Text" name="text" error={fields.text}>
          <textarea id="text" name="text" rows="10" required safe>
            {values.text ?? ""}
          </textarea>
        </Field>
        <Field
          label="HTML (optional)"
          name="html"
          error={fields.html}
          hint="Values are escaped when filled in."
        >
          <textarea id="html" name="html" rows="8" safe>
            {values.html ?? ""}
          </textarea>
        </Field>
        <button type="submit" name="action" value="save">
          Save
        </button>{" "}
        <button type="submit" name="action" value="preview" class="secondary">
          Preview
        </button>
      </form>
      {customized ? (
        <form method="post" action={`${action}/reset`}>
          <CsrfField token={csrf} />
          <button type="submit" class="danger">
            Go back to the built-in wording
          </button>
        </form>
      ) : (
        ""
      )}
      <section class="card">
        <h2>Preview</h2>
        <p>
          <strong safe>{preview.subject}</strong>
        </p>
        <pre safe>{preview.text}</pre>
        {preview.html ? <iframe title="HTML preview" sandbox="" srcdoc={preview.html} class="preview" /> : ""}
      </section>
    </Page>
  );
}
