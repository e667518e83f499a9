// Notifications for the organization's people: kept in the product and mailed the way each
// person chose — at once, in one digest a day, or not at all. Written in the transaction of the
// change they announce, so a rolled-back change notifies nobody.
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  EMAIL_MODES,
  type EmailMode,
  NOTIFICATION_KINDS,
  notificationSettings,
  notifications,
  users,
} from "../../../db/schema";
import type { Ctx } from "../context";
import { orgForMail, queueMail } from "../email/outbox";
import { invalid, notFound } from "../errors";
import { type DbOrTx, EVENTS_CHANNEL, type LiveEvent } from "../events/log";
import { isUuid } from "../tickets/rules";

export interface Notice {
  orgId: string;
  userIds: (string | null | undefined)[];
  kind: string;
  ticketId?: string | null;
  title: string;
  body: string;
  url: string;
}

/** The person's choice for this kind of notification, else their general one. */
function modeFor(person: { mode: EmailMode | null; kindModes: unknown }, kind: string): EmailMode {
  // One database driver hands jsonb back as its JSON text.
  const kinds = (
    typeof person.kindModes === "string" ? JSON.parse(person.kindModes) : person.kindModes
  ) as Record<string, EmailMode> | null;
  return kinds?.[kind] ?? person.mode ?? "instant";
}

/** Notifies active people of the organization; those who chose "instant" get an email now. */
export async function notifyUsers(tx: DbOrTx, notice: Notice, now: Date): Promise<number> {
  const ids = [...new Set(notice.userIds.filter((id): id is string => !!id))];
  if (ids.length === 0) return 0;
  const people = await tx
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      mode: notificationSettings.emailMode,
      kindModes: notificationSettings.kindModes,
    })
    .from(users)
    .leftJoin(notificationSettings, eq(notificationSettings.userId, users.id))
    .where(and(eq(users.orgId, notice.orgId), inArray(users.id, ids), eq(users.active, true)));
  if (people.length === 0) return 0;
  const org = await orgForMail(tx, notice.orgId);
  for (const person of people) {
    const instant = modeFor(person, notice.kind) === "instant";
    await tx.insert(notifications).values({
      orgId: notice.orgId,
      userId: person.id,
      kind: notice.kind,
      ticketId: notice.ticketId ?? null,
      title: notice.title,
      body: notice.body,
      url: notice.url,
      createdAt: now,
      emailedAt: instant ? now : null,
    });
    if (instant) await mailNotice(tx, notice, { email: person.email, name: person.name }, org, now);
  }
  // Rings the bells of the people notified, on every app server, once the change commits.
  const ring: LiveEvent = {
    orgId: notice.orgId,
    seq: 0,
    type: "notification.created",
    ticketId: null,
    actorUserId: null,
    userIds: people.map((p) => p.id),
  };
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(ring)})`);
  return people.length;
}

/** Bells rung in one notification at most: a payload must stay under 8,000 bytes. */
const RUNG_TOGETHER = 100;

/**
 * Notifies many notices of one organization at once (the SLA sweep's escalations): the people
 * looked up once, every notification row written in one statement, and the bells rung in a
 * notification or two instead of one per notice. Those who chose "instant" are mailed each notice,
 * one mail at a time. Returns how many notifications were written.
 */
export async function notifyAll(tx: DbOrTx, orgId: string, notices: Notice[], now: Date): Promise<number> {
  const ids = [...new Set(notices.flatMap((n) => n.userIds).filter((id): id is string => !!id))];
  if (ids.length === 0) return 0;
  const people = await tx
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      mode: notificationSettings.emailMode,
      kindModes: notificationSettings.kindModes,
    })
    .from(users)
    .leftJoin(notificationSettings, eq(notificationSettings.userId, users.id))
    .where(and(eq(users.orgId, orgId), inArray(users.id, ids), eq(users.active, true)));
  if (people.length === 0) return 0;
  const byId = new Map(people.map((p) => [p.id, p]));
  const rows: Record<string, unknown>[] = [];
  const mails: { notice: Notice; person: (typeof people)[number] }[] = [];
  for (const notice of notices) {
    for (const id of new Set(notice.userIds)) {
      const person = id ? byId.get(id) : undefined;
      if (!person) continue;
      const instant = modeFor(person, notice.kind) === "instant";
      rows.push({
        user_id: person.id,
        kind: notice.kind,
        ticket_id: notice.ticketId ?? null,
        title: notice.title,
        body: notice.body,
        url: notice.url,
        emailed: instant,
      });
      if (instant) mails.push({ notice, person });
    }
  }
  if (rows.length === 0) return 0;
  await tx.execute(sql`
    insert into ${notifications} (org_id, user_id, kind, ticket_id, title, body, url, created_at, emailed_at)
    select ${orgId}, x.user_id, x.kind, x.ticket_id, x.title, x.body, x.url, ${now.toISOString()}::timestamptz,
           case when x.emailed then ${now.toISOString()}::timestamptz end
    from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb)
      as x(user_id uuid, kind text, ticket_id uuid, title text, body text, url text, emailed boolean)`);
  if (mails.length) {
    const org = await orgForMail(tx, orgId);
    for (const { notice, person } of mails)
      await mailNotice(tx, notice, { email: person.email, name: person.name }, org, now);
  }
  const told = [...new Set(rows.map((r) => r.user_id as string))];
  for (let i = 0; i < told.length; i += RUNG_TOGETHER) {
    const ring: LiveEvent = {
      orgId,
      seq: 0,
      type: "notification.created",
      ticketId: null,
      actorUserId: null,
      userIds: told.slice(i, i + RUNG_TOGETHER),
    };
    await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(ring)})`);
  }
  return rows.length;
}

/** How many of the signed-in person's notifications are unread. */
export async function unreadCount(ctx: Ctx): Promise<number> {
  if (!ctx.actor.userId) return 0;
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(
      and(
        eq(notifications.orgId, ctx.actor.orgId),
        eq(notifications.userId, ctx.actor.userId),
        isNull(notifications.readAt),
      ),
    );
  return Number(row?.n ?? 0);
}

/** Emails one notification, also to someone outside the organization's people (an escalation contact). */
export async function mailNotice(
  tx: DbOrTx,
  notice: Omit<Notice, "userIds">,
  to: { email: string; name: string },
  org: { name: string; baseUrl: string },
  now: Date,
): Promise<void> {
  await queueMail(
    tx,
    {
      orgId: notice.orgId,
      to: to.email,
      kind: "notification",
      values: {
        "user.name": to.name,
        "notification.title": notice.title,
        "notification.body": notice.body,
        "notification.url": `${org.baseUrl}${notice.url}`,
        "org.name": org.name,
      },
    },
    now,
  );
}

/** Digests run daily: what is older than this was either in one already or never meant for one. */
const DIGEST_WINDOW_MS = 3 * 86_400_000;

/** One email per person with everything they chose to get daily and has not been mailed yet. */
export async function sendDigests(db: Db, now: Date): Promise<number> {
  const unmailed = await db
    .select({
      id: notifications.id,
      orgId: notifications.orgId,
      userId: notifications.userId,
      kind: notifications.kind,
      title: notifications.title,
      url: notifications.url,
      name: users.name,
      email: users.email,
      mode: notificationSettings.emailMode,
      kindModes: notificationSettings.kindModes,
    })
    .from(notifications)
    .innerJoin(notificationSettings, eq(notificationSettings.userId, notifications.userId))
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(
      and(
        isNull(notifications.emailedAt),
        lt(notifications.createdAt, now),
        gte(notifications.createdAt, new Date(now.getTime() - DIGEST_WINDOW_MS)),
      ),
    )
    .orderBy(asc(notifications.createdAt))
    .limit(50_000);
  const pending = unmailed.filter((n) => modeFor(n, n.kind) === "digest");
  const byUser = Map.groupBy(pending, (n) => n.userId);
  for (const items of byUser.values()) {
    const first = items[0];
    await db.transaction(async (tx) => {
      const org = await orgForMail(tx, first.orgId);
      await queueMail(
        tx,
        {
          orgId: first.orgId,
          to: first.email,
          kind: "notification_digest",
          values: {
            "user.name": first.name,
            "digest.count": String(items.length),
            "digest.items": items.map((n) => `• ${n.title}\n  ${org.baseUrl}${n.url}`).join("\n"),
            "org.name": org.name,
          },
        },
        now,
      );
      await tx
        .update(notifications)
        .set({ emailedAt: now })
        .where(
          inArray(
            notifications.id,
            items.map((n) => n.id),
          ),
        );
    });
  }
  return byUser.size;
}

export interface NotificationPreferences {
  /** How notifications reach the person by email, unless a kind says otherwise. */
  emailMode: EmailMode;
  /** Kinds set apart from the general choice. */
  kinds: Record<string, EmailMode>;
}

export async function notificationPreferences(ctx: Ctx): Promise<NotificationPreferences> {
  if (!ctx.actor.userId) return { emailMode: "off", kinds: {} };
  const [row] = await ctx.db
    .select({ mode: notificationSettings.emailMode, kindModes: notificationSettings.kindModes })
    .from(notificationSettings)
    .where(eq(notificationSettings.userId, ctx.actor.userId));
  const kinds = typeof row?.kindModes === "string" ? JSON.parse(row.kindModes) : (row?.kindModes ?? {});
  return { emailMode: row?.mode ?? "instant", kinds };
}

const isMode = (value: unknown): value is EmailMode => EMAIL_MODES.includes(value as EmailMode);

/**
 * Saves the general choice and, per kind, "same as general" (absent or "") or its own choice.
 * Unknown kinds are ignored; a value that is not a choice marks its field.
 */
export async function setNotificationPreferences(
  ctx: Ctx,
  input: { emailMode: string; kinds?: Record<string, string> },
): Promise<void> {
  if (!ctx.actor.userId) throw notFound("Your account");
  const fields: Record<string, string> = {};
  if (!isMode(input.emailMode)) fields.emailMode = "Choose how you want to be notified.";
  const kinds: Record<string, EmailMode> = {};
  for (const { kind } of NOTIFICATION_KINDS) {
    const value = input.kinds?.[kind] ?? "";
    if (value === "") continue;
    if (isMode(value)) kinds[kind] = value;
    else fields[`kind_${kind}`] = "Choose how you want to be notified.";
  }
  if (Object.keys(fields).length) throw invalid(fields);
  const emailMode = input.emailMode as EmailMode;
  await ctx.db
    .insert(notificationSettings)
    .values({
      userId: ctx.actor.userId,
      orgId: ctx.actor.orgId,
      emailMode,
      kindModes: kinds,
      updatedAt: ctx.now,
    })
    .onConflictDoUpdate({
      target: notificationSettings.userId,
      set: { emailMode, kindModes: kinds, updatedAt: ctx.now },
    });
}

/** The signed-in person's notifications, newest first. */
export async function listNotifications(ctx: Ctx, limit = 50) {
  if (!ctx.actor.userId) return [];
  return ctx.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.orgId, ctx.actor.orgId), eq(notifications.userId, ctx.actor.userId)))
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
}

/** Marks one notification (or, without an id, all of them) read. */
export async function markRead(ctx: Ctx, id?: string): Promise<void> {
  if (!ctx.actor.userId) return;
  if (id !== undefined && !isUuid(id)) throw notFound("That notification");
  await ctx.db
    .update(notifications)
    .set({ readAt: ctx.now })
    .where(
      and(
        eq(notifications.orgId, ctx.actor.orgId),
        eq(notifications.userId, ctx.actor.userId),
        isNull(notifications.readAt),
        id ? eq(notifications.id, id) : undefined,
      ),
    );
}
