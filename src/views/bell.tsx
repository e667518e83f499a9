// The bell in the staff navigation.
/**
 * The navigation's link to the notifications with the unread count. The page loads it after
 * rendering, and the desk's live stream asks for it again when a notification arrives.
 */
export function NotificationBell({ unread }: { unread?: number }) {
  return (
    <a
      href="/notifications"
      id="bell"
      hx-get="/notifications/bell"
      hx-trigger={unread === undefined ? "load, notifications from:#live" : "notifications from:#live"}
      hx-swap="outerHTML"
      aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
    >
      Notifications
      {unread ? (
        <span class="count" safe>
          {String(unread)}
        </span>
      ) : (
        ""
      )}
    </a>
  );
}
