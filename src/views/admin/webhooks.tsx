import type { WebhookAttemptStatus } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import {
  ALL_EVENTS,
  WEBHOOK_EVENT_TYPES,
  type WebhookSubscription,
} from "../../domain/webhooks/subscriptions";
import { CsrfField, ErrorSummary, Field, Notice } from "../form";
import { formatDateTime } from "../format";
import { Page, type Viewer } from "../layout";

interface Common {
  csrf: string;
  viewer: Viewer;
  timeZone: string;
}

export interface WebhookFormValues {
  name: string;
  url: string;
  eventTypes: string[];
  otherEventTypes: string;
}

export function formValuesOf(subscription: WebhookSubscription): WebhookFormValues {
  const known = new Set<string>([ALL_EVENTS, ...WEBHOOK_EVENT_TYPES.map((e) => e.type)]);
  return {
    name: subscription.name,
    url: subscription.url,
    eventTypes: subscription.eventTypes.filter((t) => known.has(t)),
    otherEventTypes: subscription.eventTypes.filter((t) => !known.has(t)).join(", "),
  };
}

function StateBadge({ subscription }: { subscription: WebhookSubscription }) {
  if (subscription.active)
    return subscription.failingSince ? (
      <span class="badge webhook-failing">Failing</span>
    ) : (
      <span class="badge webhook-active">Active</span>
    );
  return <span class="badge webhook-disabled">Disabled</span>;
}

export function WebhooksPage({
  csrf,
  viewer,
  timeZone,
  subscriptions,
  allowPrivateTargets,
  serverAllowsPrivate,
  notice,
}: Common & {
  subscriptions: WebhookSubscription[];
  allowPrivateTargets: boolean;
  serverAllowsPrivate: boolean;
  notice?: string;
}) {
  return (
    <Page title="Webhooks" csrf={csrf} viewer={viewer}>
      <h1>Webhooks</h1>
      <p class="muted">
        Events of your organization, posted as signed JSON to the addresses you choose. Each delivery is
        retried with back-off; a webhook that keeps failing is disabled until you re-enable it.
      </p>
      <Notice message={notice} />
      <p>
        <a class="button" href="/admin/webhooks/new">
          New webhook
        </a>
      </p>
      {subscriptions.length === 0 ? (
        <p class="empty">No webhooks yet.</p>
      ) : (
        <table class="webhooks">
          <thead>
            <tr>
              <th>Name</th>
              <th>Address</th>
              <th>Events</th>
              <th>State</th>
              <th>Changed</th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.map((s) => (
              <tr data-id={s.id}>
                <td>
                  <a href={`/admin/webhooks/${s.id}`} safe>
                    {s.name}
                  </a>
                </td>
                <td>
                  <code safe>{s.url}</code>
                </td>
                <td safe>{s.eventTypes.includes(ALL_EVENTS) ? "All events" : s.eventTypes.join(", ")}</td>
                <td>
                  <StateBadge subscription={s} />
                  {s.disabledReason ? (
                    <small class="error-text disabled-reason" safe>
                      {s.disabledReason}
                    </small>
                  ) : (
                    ""
                  )}
                </td>
                <td safe>{formatDateTime(s.updatedAt, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="card narrow">
        <h2>Private addresses</h2>
        {serverAllowsPrivate ? (
          <p class="muted">
            This server lets webhooks reach private and loopback addresses (WEBHOOKS_ALLOW_PRIVATE).
          </p>
        ) : (
          <form method="post" action="/admin/webhooks/settings">
            <CsrfField token={csrf} />
            <div class="field">
              <label>
                <input
                  type="checkbox"
                  name="allowPrivateTargets"
                  value="1"
                  checked={allowPrivateTargets}
                  id="allowPrivateTargets"
                />{" "}
                Allow webhooks to private, loopback and link-local addresses
              </label>
              <small class="hint">
                Off by default: webhooks go to public addresses only, so they cannot reach machines inside
                your network. Turn on only for receivers on a network you trust.
              </small>
            </div>
            <button type="submit">Save</button>
          </form>
        )}
      </section>
    </Page>
  );
}

function WebhookForm({
  action,
  csrf,
  values,
  fields,
  message,
  submit,
}: {
  action: string;
  csrf: string;
  values: WebhookFormValues;
  fields: FieldErrors;
  message?: string;
  submit: string;
}) {
  const chosen = new Set(values.eventTypes);
  return (
    <form method="post" action={action} class="webhook-form">
      <ErrorSummary message={message} />
      <CsrfField token={csrf} />
      <Field label="Name" name="name" error={fields.name} hint="What receives it, e.g. “Billing sync”.">
        <input
          id="name"
          name="name"
          required
          maxlength="100"
          value={values.name}
          aria-invalid={fields.name ? "true" : undefined}
        />
      </Field>
      <Field
        label="Address"
        name="url"
        error={fields.url}
        hint="An https:// address that accepts POST requests with a JSON body."
      >
        <input
          id="url"
          name="url"
          type="url"
          required
          maxlength="2000"
          value={values.url}
          aria-invalid={fields.url ? "true" : undefined}
        />
      </Field>
      <fieldset class={fields.eventTypes ? "field invalid" : "field"} id="eventTypes">
        <legend>Events</legend>
        <label>
          <input type="checkbox" name="eventTypes" value={ALL_EVENTS} checked={chosen.has(ALL_EVENTS)} /> All
          events
        </label>
        {WEBHOOK_EVENT_TYPES.map((e) => (
          <label>
            <input type="checkbox" name="eventTypes" value={e.type} checked={chosen.has(e.type)} /> {e.label}{" "}
            <code>{e.type}</code>
          </label>
        ))}
        {fields.eventTypes ? (
          <small class="field-error" id="eventTypes-error" safe>
            {fields.eventTypes}
          </small>
        ) : (
          ""
        )}
      </fieldset>
      <Field
        label="Other event types"
        name="otherEventTypes"
        error={fields.otherEventTypes}
        hint="Separated by commas, e.g. work_order.scheduled."
      >
        <input
          id="otherEventTypes"
          name="otherEventTypes"
          maxlength="2000"
          value={values.otherEventTypes}
          aria-invalid={fields.otherEventTypes ? "true" : undefined}
        />
      </Field>
      <button type="submit">{submit as "safe"}</button>
    </form>
  );
}

export function NewWebhookPage({
  csrf,
  viewer,
  values = { name: "", url: "", eventTypes: [], otherEventTypes: "" },
  fields = {},
  message,
}: {
  csrf: string;
  viewer: Viewer;
  values?: WebhookFormValues;
  fields?: FieldErrors;
  message?: string;
}) {
  return (
    <Page title="New webhook" csrf={csrf} viewer={viewer}>
      <p>
        <a href="/admin/webhooks">← Webhooks</a>
      </p>
      <h1>New webhook</h1>
      <section class="card narrow">
        <WebhookForm
          action="/admin/webhooks"
          csrf={csrf}
          values={values}
          fields={fields}
          message={message}
          submit="Create webhook"
        />
      </section>
    </Page>
  );
}

interface DeliveryRow {
  id: string;
  deliveryId: string;
  eventSeq: number | null;
  eventType: string;
  attempt: number;
  status: WebhookAttemptStatus;
  responseCode: number | null;
  responseTimeMs: number | null;
  error: string | null;
  createdAt: Date;
}

const ATTEMPT_LABELS: Record<WebhookAttemptStatus, string> = {
  succeeded: "Delivered",
  failed: "Failed",
  refused: "Not sent",
};

export function WebhookPage({
  csrf,
  viewer,
  timeZone,
  subscription,
  deliveries,
  values,
  fields = {},
  message,
  notice,
}: Common & {
  subscription: WebhookSubscription;
  deliveries: DeliveryRow[];
  values?: WebhookFormValues;
  fields?: FieldErrors;
  message?: string;
  notice?: string;
}) {
  const base = `/admin/webhooks/${subscription.id}`;
  return (
    <Page title={`Webhook ${subscription.name}`} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/admin/webhooks">← Webhooks</a>
      </p>
      <h1>
        <span safe>{subscription.name}</span> <StateBadge subscription={subscription} />
      </h1>
      <Notice message={notice} />
      {subscription.active ? (
        ""
      ) : (
        <div class="alert error" role="alert">
          <p>
            Disabled{" "}
            {subscription.disabledAt ? (formatDateTime(subscription.disabledAt, timeZone) as "safe") : ""}
            {subscription.disabledReason ? ": " : "."}
            <span class="disabled-reason" safe>
              {subscription.disabledReason ?? ""}
            </span>
          </p>
          <form method="post" action={`${base}/enable`}>
            <CsrfField token={csrf} />
            <button type="submit">Re-enable</button>
          </form>
        </div>
      )}
      <section class="card">
        <h2>Signing secret</h2>
        <p class="muted">
          Each request carries <code>X-Fieldesk-Timestamp</code> and <code>X-Fieldesk-Signature</code>:{" "}
          <code>sha256=</code> followed by the hex HMAC-SHA256 of the timestamp, a dot and the body, keyed
          with this secret. Check it, and that the timestamp is recent, before trusting a request.
        </p>
        <code class="secret" safe>
          {subscription.secret}
        </code>
      </section>
      <section class="card narrow">
        <h2>Settings</h2>
        <WebhookForm
          action={base}
          csrf={csrf}
          values={values ?? formValuesOf(subscription)}
          fields={fields}
          message={message}
          submit="Save changes"
        />
      </section>
      <section class="card actions">
        <form method="post" action={`${base}/test`}>
          <CsrfField token={csrf} />
          <button type="submit">Send test event</button>
        </form>
        {subscription.active ? (
          <form method="post" action={`${base}/disable`}>
            <CsrfField token={csrf} />
            <button type="submit">Pause deliveries</button>
          </form>
        ) : (
          ""
        )}
        <form method="post" action={`${base}/delete`}>
          <CsrfField token={csrf} />
          <button type="submit" class="danger">
            Delete webhook
          </button>
        </form>
      </section>
      <section>
        <h2>Recent deliveries</h2>
        {deliveries.length === 0 ? (
          <p class="empty">Nothing delivered yet.</p>
        ) : (
          <table class="deliveries">
            <thead>
              <tr>
                <th>When</th>
                <th>Event</th>
                <th>Attempt</th>
                <th>Result</th>
                <th>Code</th>
                <th>Time</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr class={`delivery-${d.status}`} data-delivery={d.deliveryId}>
                  <td safe>{formatDateTime(d.createdAt, timeZone)}</td>
                  <td>
                    <code safe>{d.eventType}</code>
                  </td>
                  <td>{String(d.attempt) as "safe"}</td>
                  <td safe>{ATTEMPT_LABELS[d.status]}</td>
                  <td class="code">{d.responseCode === null ? "–" : (String(d.responseCode) as "safe")}</td>
                  <td>{d.responseTimeMs === null ? "–" : (`${d.responseTimeMs} ms` as "safe")}</td>
                  <td class="error-text" safe>
                    {d.error ?? ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Page>
  );
}
