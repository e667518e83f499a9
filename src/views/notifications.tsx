import type { notifications } from "../../db/schema";
import { CsrfField } from "./form";
import { formatDateTime } from "./format";
import { Page, type Viewer } from "./layout";

export function NotificationsPage({
  csrf,
  viewer,
  notifications: rows,
  timeZone,
}: {
  csrf: string;
  viewer: Viewer;
  notifications: (typeof notifications.$inferSelect)[];
  timeZone: string;
}) {
  const unread = rows.filter((n) => !n.readAt).length;
  return (
    <Page title="Notifications" csrf={csrf} viewer={viewer}>
      <h1>Notifications</h1>
      <p class="muted">
        {unread} unread. <a href="/account">Choose how you are notified by email.</a>
      </p>
      {unread ? (
        <form method="post" action="/notifications/read">
          <CsrfField token={csrf} />
          <button type="submit" class="secondary">
            Mark all read
          </button>
        </form>
      ) : (
        ""
      )}
      {rows.length === 0 ? <p class="empty">Nothing yet.</p> : ""}
      <ol class="notifications">
        {rows.map((n) => (
          <li class={n.readAt ? "read" : "unread"}>
            <a href={n.url} safe>
              {n.title}
            </a>{" "}
            <time class="muted" datetime={n.createdAt.toISOString()} safe>
              {formatDateTime(n.createdAt, timeZone)}
            </time>
            <div class="body" safe>
              {n.body}
            </div>
            {n.readAt ? (
              ""
            ) : (
              <form method="post" action="/notifications/read">
                <CsrfField token={csrf} />
                <input type="hidden" name="id" value={n.id} />
                <button type="submit" class="link">
                  Mark read
                </button>
              </form>
            )}
          </li>
        ))}
      </ol>
    </Page>
  );
}
