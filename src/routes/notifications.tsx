// A person's notifications, and how they want them by email.
import { Elysia } from "elysia";
import { NOTIFICATION_KINDS } from "../../db/schema";
import {
  listNotifications,
  markRead,
  setNotificationPreferences,
  unreadCount,
} from "../domain/notifications/notify";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { NotificationBell } from "../views/bell";
import { NotificationsPage } from "../views/notifications";
import type { Deps } from "./deps";
import { field, requireUserWith, seeOther, viewerOf, webContext } from "./web";

export function notificationRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/notifications", async ({ user, csrf, ctxFor }) => {
      const me = requireUserWith(user, "notifications.receive");
      return (
        <NotificationsPage
          csrf={csrf}
          viewer={viewerOf(me)}
          notifications={await listNotifications(ctxFor(me))}
          timeZone={await organizationTimeZone(deps.database.db, me.orgId)}
        />
      );
    })
    .get("/notifications/bell", async ({ user, ctxFor, set }) => {
      const me = requireUserWith(user, "notifications.receive");
      set.headers["cache-control"] = "no-store";
      return <NotificationBell unread={await unreadCount(ctxFor(me))} />;
    })
    .post("/notifications/read", async ({ user, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "notifications.receive");
      const id = field(body, "id");
      await markRead(ctxFor(me), id || undefined);
      return seeOther(set, request, "/notifications");
    })
    .post("/account/notifications", async ({ user, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "notifications.receive");
      await setNotificationPreferences(ctxFor(me), {
        emailMode: field(body, "emailMode"),
        kinds: Object.fromEntries(NOTIFICATION_KINDS.map(({ kind }) => [kind, field(body, `kind_${kind}`)])),
      });
      return seeOther(set, request, "/account?notice=notifications");
    });
}
