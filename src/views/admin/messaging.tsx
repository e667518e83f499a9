import { MESSAGING_KINDS } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import { type ChannelSummary, DEFAULT_API_BASE_URL } from "../../domain/messaging/channels";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { channelLabel, formatDateTime } from "../format";
import { Page, type Viewer } from "../layout";

export interface ChannelFormValues {
  name: string;
  kind: string;
  provider: string;
  phoneNumber: string;
  accountSid: string;
  apiBaseUrl: string;
  enabled: boolean;
}

export const EMPTY_CHANNEL: ChannelFormValues = {
  name: "",
  kind: "sms",
  provider: "twilio",
  phoneNumber: "",
  accountSid: "",
  apiBaseUrl: DEFAULT_API_BASE_URL,
  enabled: true,
};

export const channelValuesOf = (c: ChannelSummary): ChannelFormValues => ({
  name: c.name,
  kind: c.kind,
  provider: c.provider,
  phoneNumber: c.phoneNumber,
  accountSid: c.accountSid,
  apiBaseUrl: c.apiBaseUrl,
  enabled: c.enabled,
});

interface FormState {
  values: ChannelFormValues;
  fields?: FieldErrors;
  message?: string;
}

function ChannelForm({
  csrf,
  action,
  submit,
  form,
  editing,
}: {
  csrf: string;
  action: string;
  submit: string;
  form: FormState;
  editing: boolean;
}) {
  const { values } = form;
  const fields = form.fields ?? {};
  const text = (name: keyof ChannelFormValues, extra: Record<string, string> = {}) => (
    <input
      id={name}
      name={name}
      value={String(values[name])}
      aria-invalid={fields[name] ? "true" : undefined}
      {...extra}
    />
  );
  return (
    <form method="post" action={action} class="channel-form">
      <ErrorSummary message={form.message} />
      <CsrfField token={csrf} />
      <Field label="Name" name="name" error={fields.name} hint="What agents see, e.g. “Support SMS”.">
        {text("name", { required: "", maxlength: "100" })}
      </Field>
      <Field label="Kind" name="kind" error={fields.kind}>
        <Select
          name="kind"
          value={values.kind}
          options={MESSAGING_KINDS.map((k) => ({ value: k, label: channelLabel(k) }))}
          invalid={Boolean(fields.kind)}
        />
      </Field>
      <Field
        label="Provider"
        name="provider"
        error={fields.provider}
        hint="Twilio, or a gateway that speaks Twilio's messaging API."
      >
        <Select
          name="provider"
          value={values.provider}
          options={[{ value: "twilio", label: "Twilio API" }]}
          invalid={Boolean(fields.provider)}
        />
      </Field>
      <Field
        label="Phone number"
        name="phoneNumber"
        error={fields.phoneNumber}
        hint="Your number at the provider, with its country code, e.g. +60312345678."
      >
        {text("phoneNumber", { required: "", maxlength: "32", inputmode: "tel" })}
      </Field>
      <Field label="Account SID" name="accountSid" error={fields.accountSid}>
        {text("accountSid", { required: "", maxlength: "64", autocomplete: "off" })}
      </Field>
      <Field
        label="Auth token"
        name="authToken"
        error={fields.authToken}
        hint={
          editing ? "Leave empty to keep the saved token." : "From the provider's console; never shown again."
        }
      >
        <input
          id="authToken"
          name="authToken"
          type="password"
          autocomplete="new-password"
          maxlength="200"
          required={!editing}
          aria-invalid={fields.authToken ? "true" : undefined}
        />
      </Field>
      <Field
        label="API address"
        name="apiBaseUrl"
        error={fields.apiBaseUrl}
        hint={`Where messages are sent; ${DEFAULT_API_BASE_URL} for Twilio itself.`}
      >
        {text("apiBaseUrl", { type: "url", required: "", maxlength: "2000" })}
      </Field>
      <div class="field">
        <label>
          <input type="checkbox" name="enabled" value="1" checked={values.enabled} id="enabled" /> Enabled:
          receive messages and send replies
        </label>
      </div>
      <button type="submit">{submit as "safe"}</button>
    </form>
  );
}

export function ChannelsPage({
  csrf,
  viewer,
  timeZone,
  channels,
  form,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  timeZone: string;
  channels: ChannelSummary[];
  form: FormState;
  notice?: string;
}) {
  return (
    <Page title="Messaging" csrf={csrf} viewer={viewer}>
      <h1>SMS and WhatsApp</h1>
      <p class="muted">
        Customers text your numbers; each conversation becomes a ticket, and agents' replies on it go back as
        text messages.
      </p>
      <Notice message={notice} />
      {channels.length === 0 ? (
        <p class="empty">No channels yet.</p>
      ) : (
        <table class="channels">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Number</th>
              <th>State</th>
              <th>Changed</th>
            </tr>
          </thead>
          <tbody>
            {channels.map((c) => (
              <tr data-id={c.id}>
                <td>
                  <a href={`/admin/messaging/${c.id}`} safe>
                    {c.name}
                  </a>
                </td>
                <td safe>{channelLabel(c.kind)}</td>
                <td safe>{c.phoneNumber}</td>
                <td>{c.enabled ? "Enabled" : "Disabled"}</td>
                <td safe>{formatDateTime(c.updatedAt, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="card narrow">
        <h2>Add a channel</h2>
        <ChannelForm csrf={csrf} action="/admin/messaging" submit="Add channel" form={form} editing={false} />
      </section>
    </Page>
  );
}

export function ChannelPage({
  csrf,
  viewer,
  channel,
  form,
  hookBase,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  channel: ChannelSummary;
  form: FormState;
  /** The public address the provider calls, e.g. https://help.example.com. */
  hookBase: string;
  notice?: string;
}) {
  return (
    <Page title={channel.name} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/admin/messaging">← Messaging</a>
      </p>
      <h1 safe>{channel.name}</h1>
      <Notice message={notice} />
      <section class="card narrow">
        <h2>At the provider</h2>
        <p>Set these addresses on the number in the provider's console (HTTP POST):</p>
        <dl>
          <dt>A message comes in</dt>
          <dd>
            <code safe>{`${hookBase}/hooks/messaging/${channel.id}`}</code>
          </dd>
          <dt>Status callback</dt>
          <dd>
            <code safe>{`${hookBase}/hooks/messaging/${channel.id}/status`}</code>
          </dd>
        </dl>
        <p class="muted">
          Requests are accepted only with the provider's signature made with this channel's token.
        </p>
      </section>
      <section class="card narrow">
        <h2>Settings</h2>
        <ChannelForm
          csrf={csrf}
          action={`/admin/messaging/${channel.id}`}
          submit="Save"
          form={form}
          editing
        />
      </section>
      <form method="post" action={`/admin/messaging/${channel.id}/delete`}>
        <CsrfField token={csrf} />
        <button type="submit" class="danger">
          Delete channel
        </button>
      </form>
    </Page>
  );
}
