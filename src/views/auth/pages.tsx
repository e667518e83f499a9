import { type AgentStatus, NOTIFICATION_KINDS } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import type { NotificationPreferences } from "../../domain/notifications/notify";
import { AvailabilityForm } from "../admin/assignment";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { Page, type Viewer } from "../layout";

interface FormState {
  csrf: string;
  values?: Record<string, string | undefined>;
  fields?: FieldErrors;
  message?: string;
  notice?: string;
}

export function LoginPage({
  csrf,
  values = {},
  fields = {},
  message,
  notice,
  next,
}: FormState & { next?: string }) {
  return (
    <Page title="Sign in" csrf={csrf}>
      <section class="narrow card">
        <h1>Sign in</h1>
        <Notice message={notice} />
        <ErrorSummary message={message} fields={message ? fields : undefined} />
        <form method="post" action="/login">
          <CsrfField token={csrf} />
          <input type="hidden" name="next" value={next ?? ""} />
          <Field label="Email" name="email" error={fields.email}>
            <input
              id="email"
              name="email"
              type="email"
              autocomplete="username"
              required
              value={values.email ?? ""}
            />
          </Field>
          <Field label="Password" name="password" error={fields.password}>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
          </Field>
          <button type="submit">Sign in</button>
        </form>
        <p>
          <a href="/password/forgot">Forgot your password?</a> ·{" "}
          <a href="/portal/signup">Create a customer account</a>
        </p>
      </section>
    </Page>
  );
}

export function ForgotPasswordPage({ csrf, values = {}, fields = {}, message, notice }: FormState) {
  return (
    <Page title="Reset your password" csrf={csrf}>
      <section class="narrow card">
        <h1>Reset your password</h1>
        <Notice message={notice} />
        <ErrorSummary message={message} />
        <form method="post" action="/password/forgot">
          <CsrfField token={csrf} />
          <Field
            label="Email"
            name="email"
            error={fields.email}
            hint="We will email you a link to choose a new password."
          >
            <input id="email" name="email" type="email" required value={values.email ?? ""} />
          </Field>
          <button type="submit">Send the link</button>
        </form>
        <p>
          <a href="/login">Back to sign in</a>
        </p>
      </section>
    </Page>
  );
}

export function ResetPasswordPage({ csrf, token, fields = {}, message }: FormState & { token: string }) {
  return (
    <Page title="Choose a new password" csrf={csrf}>
      <section class="narrow card">
        <h1>Choose a new password</h1>
        <ErrorSummary message={fields.token ?? message} />
        <form method="post" action={`/password/reset/${encodeURIComponent(token)}`}>
          <CsrfField token={csrf} />
          <Field label="New password" name="password" error={fields.password} hint="At least 8 characters.">
            <input id="password" name="password" type="password" autocomplete="new-password" required />
          </Field>
          <Field label="Repeat it" name="confirm" error={fields.confirm}>
            <input id="confirm" name="confirm" type="password" autocomplete="new-password" required />
          </Field>
          <button type="submit">Save the password</button>
        </form>
      </section>
    </Page>
  );
}

export function SignupPage({
  csrf,
  values = {},
  fields = {},
  message,
  orgName,
}: FormState & { orgName: string }) {
  return (
    <Page title={`Create an account — ${orgName}`} csrf={csrf}>
      <section class="narrow card">
        <h1 safe>Create your {orgName} support account</h1>
        <ErrorSummary message={message} />
        <form method="post" action="/portal/signup">
          <CsrfField token={csrf} />
          <Field label="Your name" name="name" error={fields.name}>
            <input id="name" name="name" required value={values.name ?? ""} autocomplete="name" />
          </Field>
          <Field label="Email" name="email" error={fields.email}>
            <input
              id="email"
              name="email"
              type="email"
              required
              value={values.email ?? ""}
              autocomplete="email"
            />
          </Field>
          <Field label="Password" name="password" error={fields.password} hint="At least 8 characters.">
            <input id="password" name="password" type="password" required autocomplete="new-password" />
          </Field>
          <button type="submit">Create account</button>
        </form>
        <p>
          Already have an account? <a href="/login">Sign in</a>
        </p>
      </section>
    </Page>
  );
}

const MODE_OPTIONS = [
  { value: "instant", label: "As they happen" },
  { value: "digest", label: "In one email a day" },
  { value: "off", label: "Never (see them under Notifications)" },
];

export function AccountPage({
  csrf,
  viewer,
  email,
  notifications,
  availability,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  email: string;
  /** Agents: whether new tickets may be assigned to them automatically. */
  availability?: AgentStatus;
  /** Staff only: how notifications reach them by email, in general and per kind. */
  notifications?: NotificationPreferences;
  notice?: string;
}) {
  return (
    <Page title="Your account" csrf={csrf} viewer={viewer}>
      <section class="narrow card">
        <h1>Your account</h1>
        <Notice message={notice} />
        <p>
          Signed in as <strong safe>{viewer.name}</strong> (<span safe>{email}</span>),{" "}
          <span>{viewer.role}</span> at <span safe>{viewer.orgName}</span>.
        </p>
        {notifications ? (
          <form method="post" action="/account/notifications" class="notification-preferences">
            <CsrfField token={csrf} />
            <Field label="Email me about assignments, replies and SLA warnings" name="emailMode">
              <Select name="emailMode" value={notifications.emailMode} options={MODE_OPTIONS} />
            </Field>
            <fieldset>
              <legend>Or, for each kind (the bell under Notifications always shows them)</legend>
              {NOTIFICATION_KINDS.map(({ kind, label }) => (
                <Field label={label} name={`kind_${kind}`}>
                  <Select
                    name={`kind_${kind}`}
                    value={notifications.kinds[kind] ?? ""}
                    options={MODE_OPTIONS}
                    blank="Same as above"
                  />
                </Field>
              ))}
            </fieldset>
            <button type="submit" class="secondary">
              Save
            </button>
          </form>
        ) : (
          ""
        )}
        {availability ? <AvailabilityForm csrf={csrf} status={availability} /> : ""}
        <form method="post" action="/logout">
          <CsrfField token={csrf} />
          <button type="submit">Sign out</button>
        </form>
        <form method="post" action="/logout/everywhere">
          <CsrfField token={csrf} />
          <button type="submit" class="secondary">
            Sign out on every device
          </button>
        </form>
      </section>
    </Page>
  );
}
