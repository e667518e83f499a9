// Live chat pages: the customer's chat in the portal and the agents' chat inbox. Both work as
// plain forms; with htmx the transcript refreshes when the chat changes (server-sent events).
import type { ChatDetail } from "../domain/chat/chat";
import type { FieldErrors } from "../domain/errors";
import { BodyField, CsrfField, ErrorSummary, Notice } from "./form";
import { formatDateTime } from "./format";
import { Page, type Viewer } from "./layout";

export function ChatTranscript({
  detail,
  timeZone,
  path,
}: {
  detail: ChatDetail;
  timeZone: string;
  path: string;
}) {
  const customer = detail.contact?.name ?? "Customer";
  return (
    <div
      id="transcript"
      hx-get={`${path}/transcript`}
      hx-trigger="chat-changed from:#live delay:150ms"
      hx-swap="outerHTML"
    >
      <ol class="thread chat">
        {detail.messages.map((m) => (
          <li class={`message ${m.author === "customer" ? "customer" : "staff"}`}>
            <header>
              <strong safe>{m.author === "customer" ? customer : (m.agentName ?? "Agent")}</strong>{" "}
              <time class="muted" datetime={m.createdAt.toISOString()} safe>
                {formatDateTime(m.createdAt, timeZone)}
              </time>
            </header>
            <div class="body" safe>
              {m.body}
            </div>
          </li>
        ))}
      </ol>
      <p class="muted" role="status">
        {detail.chat.status === "waiting"
          ? "Waiting for an agent to join…"
          : detail.chat.status === "active"
            ? "Connected."
            : "This chat has ended."}
      </p>
    </div>
  );
}

function ChatControls({
  csrf,
  path,
  detail,
  fields,
  values,
}: {
  csrf: string;
  path: string;
  detail: ChatDetail;
  fields: FieldErrors;
  values: Record<string, string>;
}) {
  if (detail.chat.status === "ended") return "";
  return (
    <>
      <form method="post" action={`${path}/messages`}>
        <CsrfField token={csrf} />
        <BodyField label="Message" rows={3} value={values.body} error={fields.body} />
        <button type="submit">Send</button>
      </form>
      <form method="post" action={`${path}/end`}>
        <CsrfField token={csrf} />
        <button type="submit" class="secondary">
          End chat
        </button>
      </form>
    </>
  );
}

export function ChatPage({
  csrf,
  viewer,
  detail,
  timeZone,
  path,
  notice,
  fields = {},
  values = {},
  message,
}: {
  csrf: string;
  viewer: Viewer;
  detail: ChatDetail;
  timeZone: string;
  /** /portal/chat/<id> or /desk/chats/<id> */
  path: string;
  notice?: string;
  fields?: FieldErrors;
  values?: Record<string, string>;
  message?: string;
}) {
  const staff = viewer.role !== "customer";
  return (
    <Page title="Chat" csrf={csrf} viewer={viewer} scripts>
      {staff ? (
        <p>
          <a href="/desk/chats">← Chats</a>
        </p>
      ) : (
        ""
      )}
      {staff ? <h1 safe>{`Chat with ${detail.contact?.name ?? "a customer"}`}</h1> : <h1>Chat with us</h1>}
      <Notice message={notice} />
      <ErrorSummary message={message} />
      <div id="live" hx-sse:connect={`${path}/live`} />
      <ChatTranscript detail={detail} timeZone={timeZone} path={path} />
      {staff && detail.chat.status === "waiting" ? (
        <form method="post" action={`${path}/accept`}>
          <CsrfField token={csrf} />
          <button type="submit">Accept chat</button>
        </form>
      ) : (
        ""
      )}
      <ChatControls csrf={csrf} path={path} detail={detail} fields={fields} values={values} />
    </Page>
  );
}

export function StartChatPage({
  csrf,
  viewer,
  values = {},
  fields = {},
  message,
}: {
  csrf: string;
  viewer: Viewer;
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}) {
  return (
    <Page title="Chat with us" csrf={csrf} viewer={viewer}>
      <section class="card wide">
        <h1>Chat with us</h1>
        <p class="muted">An agent is online and answers in a few minutes.</p>
        <ErrorSummary message={message} />
        <form method="post" action="/portal/chat">
          <CsrfField token={csrf} />
          <BodyField label="How can we help?" rows={4} value={values.body} error={fields.body} />
          <button type="submit">Start chat</button>
        </form>
      </section>
    </Page>
  );
}

interface InboxRow {
  id: string;
  createdAt: Date;
  contactName: string;
  agentName: string | null;
}

export function ChatInboxPage({
  csrf,
  viewer,
  waiting,
  active,
  online,
  timeZone,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  waiting: InboxRow[];
  active: InboxRow[];
  online: number;
  timeZone: string;
  notice?: string;
}) {
  const row = (c: InboxRow) => (
    <li>
      <a href={`/desk/chats/${c.id}`} safe>
        {c.contactName}
      </a>{" "}
      <span class="muted" safe>
        {`since ${formatDateTime(c.createdAt, timeZone)}${c.agentName ? ` · with ${c.agentName}` : ""}`}
      </span>
    </li>
  );
  return (
    <Page title="Chats" csrf={csrf} viewer={viewer} scripts>
      <h1>Chats</h1>
      <Notice message={notice} />
      <p class="muted">
        While this page is open you are online for chat ({online} agent{online === 1 ? "" : "s"} online).
      </p>
      <div id="live" hx-sse:connect="/desk/chats/live" />
      <div
        id="inbox"
        hx-get="/desk/chats?fragment=1"
        hx-trigger="chat-changed from:#live delay:300ms"
        hx-select="#inbox"
        hx-swap="outerHTML"
      >
        <h2>Waiting</h2>
        {waiting.length ? <ul>{waiting.map(row)}</ul> : <p class="empty">Nobody is waiting.</p>}
        <h2>In progress</h2>
        {active.length ? <ul>{active.map(row)}</ul> : <p class="empty">No chats in progress.</p>}
      </div>
    </Page>
  );
}
