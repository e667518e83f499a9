// Keeping the customer informed about a visit: a confirmation when it is booked or moved, "on the
// way" with an arrival estimate when the technician starts travelling, and a delay notice when that
// estimate (or the window's start) slips by more than a quarter of an hour.
//
// Each message is a job (or the periodic delay check), and each is recorded in customer_notices
// under a key that is unique per organization, inside the transaction that queues the mail or the
// text: a job that runs twice, or two servers running it at once, send it once. A text message
// goes to the contact's mobile number when the organization has an SMS channel; otherwise mail.

import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../../db/client";
import {
  appointments,
  appointmentTechnicians,
  type CustomerNoticeChannel,
  type CustomerNoticeKind,
  contacts,
  customerNotices,
  organizations,
  serviceLocations,
  technicians,
  users,
  workOrders,
} from "../../../db/schema";
import { type Ctx, systemActor } from "../context";
import { queueMail } from "../email/outbox";
import { render, templateFor } from "../email/templates";
import { appendEvent, type DbOrTx } from "../events/log";
import { enqueue } from "../jobs/queue";
import { queueAutomaticText, textChannelFor } from "../messaging/outbound";
import { straightLineMatrix } from "../routing/travel";
import { isUuid } from "../tickets/rules";
import { dateTimeFormat } from "../time/formats";
import { freshPosition } from "./positions";
import { formatWorkOrderNumber, OPEN_APPOINTMENT_STATUSES } from "./rules";

export const NOTICE_QUEUE = "fsm.customer_notice";
export const DELAY_QUEUE = "fsm.delay_check";
/** A later arrival than promised by more than this is announced to the customer. */
export const DELAY_THRESHOLD_MINUTES = 15;
/** A visit dragged around the board several times is confirmed once, where it settles. */
export const CONFIRMATION_SETTLE_MS = 60_000;
/** However late a visit runs, the customer hears about it at most this many times. */
export const MAX_DELAY_NOTICES = 3;
/** Visits further ahead than this are not checked for delays yet. */
const DELAY_LOOKAHEAD_MS = 4 * 3600_000;

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
interface Point {
  lat: number;
  lng: number;
}

/** Whole minutes of driving between two places: routing's straight-line time at its speed and road factor. */
export function driveMinutes(a: Point, b: Point): number {
  const matrix = straightLineMatrix([
    { lat: a.lat, lon: a.lng },
    { lat: b.lat, lon: b.lng },
  ]);
  return Math.ceil(matrix.durations[1] / 60);
}

/** Called in the transaction that books or moves a visit: the customer is told once it settles. */
export async function queueConfirmation(tx: DbOrTx, ctx: Ctx, appointmentId: string, eventSeq: number) {
  await enqueue(tx, ctx.now, {
    queue: NOTICE_QUEUE,
    orgId: ctx.actor.orgId,
    payload: { appointmentId, kind: "confirmation" },
    runAt: new Date(ctx.now.getTime() + CONFIRMATION_SETTLE_MS),
    idempotencyKey: `confirmation:${appointmentId}:${eventSeq}`,
  });
}

/** Called in the transaction where a technician starts travelling to the visit. */
export async function queueOnTheWay(tx: DbOrTx, ctx: Ctx, appointmentId: string) {
  await enqueue(tx, ctx.now, {
    queue: NOTICE_QUEUE,
    orgId: ctx.actor.orgId,
    payload: { appointmentId, kind: "on_the_way", userId: ctx.actor.userId ?? null },
    idempotencyKey: `on_the_way:${appointmentId}`,
  });
}

/** Everything a message about the visit says, read with the visit locked. */
async function visitFacts(tx: Tx, orgId: string, appointmentId: string) {
  const [row] = await tx
    .select({ appointment: appointments, workOrder: workOrders })
    .from(appointments)
    .innerJoin(
      workOrders,
      and(eq(workOrders.orgId, appointments.orgId), eq(workOrders.id, appointments.workOrderId)),
    )
    .where(and(eq(appointments.orgId, orgId), eq(appointments.id, appointmentId)))
    .for("update", { of: appointments });
  if (!row) return null;
  const wo = row.workOrder;
  const [contact] = wo.contactId
    ? await tx
        .select({ name: contacts.name, email: contacts.email, phone: contacts.phoneE164 })
        .from(contacts)
        .where(and(eq(contacts.orgId, orgId), eq(contacts.id, wo.contactId)))
    : [];
  const [location] = wo.locationId
    ? await tx
        .select({ address: serviceLocations.address, lat: serviceLocations.lat, lng: serviceLocations.lng })
        .from(serviceLocations)
        .where(and(eq(serviceLocations.orgId, orgId), eq(serviceLocations.id, wo.locationId)))
    : [];
  const crew = await tx
    .select({
      userId: users.id,
      name: users.name,
      homeLat: technicians.homeLat,
      homeLng: technicians.homeLng,
    })
    .from(appointmentTechnicians)
    .innerJoin(
      users,
      and(eq(users.orgId, appointmentTechnicians.orgId), eq(users.id, appointmentTechnicians.userId)),
    )
    .leftJoin(technicians, and(eq(technicians.orgId, users.orgId), eq(technicians.userId, users.id)))
    .where(
      and(eq(appointmentTechnicians.orgId, orgId), eq(appointmentTechnicians.appointmentId, appointmentId)),
    )
    .orderBy(users.name);
  const [org] = await tx
    .select({ name: organizations.name, timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  const site =
    location?.lat != null && location.lng != null ? { lat: location.lat, lng: location.lng } : null;
  return {
    appointment: row.appointment,
    workOrder: wo,
    contact: contact ?? null,
    address: location?.address ?? "",
    site,
    crew,
    org: org ?? { name: "", timeZone: "UTC" },
  };
}

type Facts = NonNullable<Awaited<ReturnType<typeof visitFacts>>>;

const visitIsOpen = (f: Facts) =>
  OPEN_APPOINTMENT_STATUSES.includes(f.appointment.status) &&
  f.workOrder.status !== "cancelled" &&
  f.workOrder.status !== "closed";

/** "Hafiz", or "Hafiz and Ali" for a crew; "Our technician" when nobody is named. */
export function firstNames(names: string[]): string {
  const first = names.map((n) => n.trim().split(/\s+/)[0]).filter(Boolean);
  if (first.length === 0) return "Our technician";
  return first.length === 1 ? first[0] : `${first.slice(0, -1).join(", ")} and ${first.at(-1)}`;
}

const clockOf = (at: Date, timeZone: string) =>
  dateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(at);

/** "Mon 23 Nov, 10:00–12:00" on the organization's clock. */
export function windowText(startsAt: Date, endsAt: Date, timeZone: string): string {
  const day = dateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone,
  }).format(startsAt);
  return `${day.replace(/,/g, "")}, ${clockOf(startsAt, timeZone)}–${clockOf(endsAt, timeZone)}`;
}

/** Arrival times are told rounded up to five minutes: "about 10:40" should not be early. */
export function roundUpToFive(at: Date): Date {
  const step = 5 * 60_000;
  return new Date(Math.ceil(at.getTime() / step) * step);
}

function placeholderValues(f: Facts, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "contact.name": f.contact?.name ?? "",
    "work_order.number": formatWorkOrderNumber(f.workOrder.number),
    "work_order.subject": f.workOrder.subject,
    "visit.window": windowText(f.appointment.startsAt, f.appointment.endsAt, f.org.timeZone),
    "visit.eta": "",
    "technician.first_name": firstNames(f.crew.map((c) => c.name)),
    "location.address": f.address,
    "org.name": f.org.name,
    ...extra,
  };
}

type Chosen =
  | { channel: "sms"; to: string; smsChannel: { id: string; phoneNumber: string } }
  | { channel: "email"; to: string }
  | { channel: "none"; reason: string };

/**
 * A text to the contact's mobile when they have one and the organization an SMS channel (the one
 * already used on the work order's ticket first, as replies do); otherwise mail; otherwise nothing.
 */
export async function chooseChannel(tx: DbOrTx, f: Facts): Promise<Chosen> {
  if (!f.contact) return { channel: "none", reason: "The work order has no customer contact." };
  if (f.contact.phone) {
    const smsChannel = await textChannelFor(tx, {
      orgId: f.workOrder.orgId,
      ticketId: f.workOrder.ticketId,
      kind: "sms",
    });
    if (smsChannel) return { channel: "sms", to: f.contact.phone, smsChannel };
  }
  if (f.contact.email) return { channel: "email", to: f.contact.email };
  return {
    channel: "none",
    reason: "The customer has no mobile number (with SMS set up) and no email address.",
  };
}

interface NoticeInput {
  kind: CustomerNoticeKind;
  dedupeKey: string;
  etaAt: Date | null;
  values: Record<string, string>;
  /** What the event records besides the kind and channel. */
  detail?: Record<string, unknown>;
}

const TEMPLATE_OF: Record<CustomerNoticeKind, string> = {
  confirmation: "appointment_confirmation",
  on_the_way: "appointment_on_the_way",
  delay: "appointment_delay",
};

/**
 * Records the notice under its key and queues the message, in the caller's transaction. Returns
 * false when a notice with that key exists: it was sent already, so nothing is sent again.
 */
async function sendNotice(tx: Tx, f: Facts, input: NoticeInput, now: Date): Promise<boolean> {
  const orgId = f.workOrder.orgId;
  const chosen = await chooseChannel(tx, f);
  const [notice] = await tx
    .insert(customerNotices)
    .values({
      orgId,
      appointmentId: f.appointment.id,
      workOrderId: f.workOrder.id,
      kind: input.kind,
      dedupeKey: input.dedupeKey,
      channel: chosen.channel as CustomerNoticeChannel,
      recipient: chosen.channel === "none" ? null : chosen.to,
      windowStartsAt: f.appointment.startsAt,
      windowEndsAt: f.appointment.endsAt,
      etaAt: input.etaAt,
      technicianIds: f.crew.map((c) => c.userId).sort(),
      reason: chosen.channel === "none" ? chosen.reason : null,
      createdAt: now,
    })
    .onConflictDoNothing({ target: [customerNotices.orgId, customerNotices.dedupeKey] })
    .returning({ id: customerNotices.id });
  if (!notice) return false;
  const template = TEMPLATE_OF[input.kind];
  if (chosen.channel === "sms") {
    const body = render(await templateFor(tx, orgId, `${template}_sms`), input.values).text;
    const textMessageId = await queueAutomaticText(
      tx,
      { orgId, channel: chosen.smsChannel, to: chosen.to, body },
      now,
    );
    await tx.update(customerNotices).set({ textMessageId }).where(eq(customerNotices.id, notice.id));
  } else if (chosen.channel === "email") {
    const outboxMessageId = await queueMail(
      tx,
      {
        orgId,
        to: chosen.to,
        kind: template,
        values: input.values,
        automatic: true,
        // Replies ("that time does not suit me") join the ticket the work order came from.
        ticket: f.workOrder.ticketId ? { id: f.workOrder.ticketId } : undefined,
      },
      now,
    );
    await tx.update(customerNotices).set({ outboxMessageId }).where(eq(customerNotices.id, notice.id));
  }
  await appendEvent(
    tx,
    { db: tx as unknown as Db, actor: systemActor(orgId), now },
    {
      type: "appointment.customer_notified",
      data: {
        workOrderId: f.workOrder.id,
        appointmentId: f.appointment.id,
        noticeId: notice.id,
        kind: input.kind,
        channel: chosen.channel,
        ...(chosen.channel === "none" ? { reason: chosen.reason } : { to: chosen.to }),
        ...(input.etaAt ? { etaAt: input.etaAt.toISOString() } : {}),
        ...input.detail,
      },
    },
  );
  return true;
}

export type NoticeOutcome = "sent" | "already" | "skipped";

/** The newest confirmation: each names the one it follows in its key, so the last is the one none follows. */
async function lastConfirmation(tx: DbOrTx, orgId: string, appointmentId: string) {
  const sent = await tx
    .select()
    .from(customerNotices)
    .where(
      and(
        eq(customerNotices.orgId, orgId),
        eq(customerNotices.appointmentId, appointmentId),
        eq(customerNotices.kind, "confirmation"),
      ),
    );
  const followed = new Set(sent.map((n) => n.dedupeKey.split(":after:")[1]));
  return sent.find((n) => !followed.has(n.id)) ?? null;
}

/**
 * The confirmation job: tells the customer the visit's window and technician as they are now.
 * Nothing goes out when the last confirmation said the same; a visit moved back and forth is
 * confirmed again each time it truly changes, keyed by the confirmation it follows.
 */
export async function confirmVisit(db: Db, orgId: string, appointmentId: string, now: Date) {
  return db.transaction(async (tx): Promise<NoticeOutcome> => {
    const f = await visitFacts(tx, orgId, appointmentId);
    if (!f || !visitIsOpen(f) || f.appointment.status === "on_site" || f.appointment.status === "travelling")
      return "skipped";
    if (f.appointment.endsAt <= now) return "skipped";
    const last = await lastConfirmation(tx, orgId, appointmentId);
    const crew = f.crew.map((c) => c.userId).sort();
    if (
      last &&
      last.windowStartsAt.getTime() === f.appointment.startsAt.getTime() &&
      last.windowEndsAt.getTime() === f.appointment.endsAt.getTime() &&
      last.technicianIds.join() === crew.join()
    )
      return "already";
    const sent = await sendNotice(
      tx,
      f,
      {
        kind: "confirmation",
        dedupeKey: `confirmation:${appointmentId}:after:${last?.id ?? "none"}`,
        etaAt: null,
        values: placeholderValues(f),
        detail: last ? { rescheduled: true } : {},
      },
      now,
    );
    return sent ? "sent" : "already";
  });
}

/** Where the technician's previous visit of the day is (or was), and how it stands. */
async function previousVisit(
  tx: DbOrTx,
  orgId: string,
  userId: string,
  appointment: { id: string; startsAt: Date },
) {
  const rows = rowsOf<{
    id: string;
    status: string;
    starts_at: string | Date;
    ends_at: string | Date;
    lat: number | null;
    lng: number | null;
  }>(
    await tx.execute(sql`
      select a.id, a.status, a.starts_at, a.ends_at, l.lat, l.lng
      from appointment_technicians at
      join appointments a on a.org_id = at.org_id and a.id = at.appointment_id
      join work_orders w on w.org_id = a.org_id and w.id = a.work_order_id
      left join service_locations l on l.org_id = w.org_id and l.id = w.location_id
      where at.org_id = ${orgId} and at.user_id = ${userId} and a.id <> ${appointment.id}
        and a.status <> 'cannot_complete'
        and a.starts_at < ${appointment.startsAt.toISOString()}::timestamptz
        and a.starts_at > ${new Date(appointment.startsAt.getTime() - 18 * 3600_000).toISOString()}::timestamptz
      order by a.starts_at desc limit 1`),
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    status: r.status,
    startsAt: new Date(r.starts_at),
    endsAt: new Date(r.ends_at),
    place: r.lat !== null && r.lng !== null ? { lat: r.lat, lng: r.lng } : null,
  };
}

/**
 * Where the technician sets out from: their phone's position when it is fresh, else the previous
 * visit's place, else home. Null when none is known.
 */
async function startingPoint(
  tx: DbOrTx,
  orgId: string,
  tech: Facts["crew"][number],
  appointment: { id: string; startsAt: Date },
  now: Date,
): Promise<{ point: Point; from: "position" | "previous_visit" | "home" } | null> {
  const position = await freshPosition(tx, orgId, tech.userId, now);
  if (position) return { point: position, from: "position" };
  // The visit just done (or being finished); one never started says nothing of where they are.
  const previous = await previousVisit(tx, orgId, tech.userId, appointment);
  if (previous?.place && (previous.status === "on_site" || previous.status === "completed"))
    return { point: previous.place, from: "previous_visit" };
  if (tech.homeLat !== null && tech.homeLng !== null)
    return { point: { lat: tech.homeLat, lng: tech.homeLng }, from: "home" };
  return null;
}

/**
 * The "on the way" job: the arrival estimate is now plus the drive from where the technician is
 * (routing's straight-line travel time at the configured speed and road factor). Without a place
 * to start from, the estimate is the window's start (or now, once it has passed).
 */
export async function announceOnTheWay(
  db: Db,
  orgId: string,
  appointmentId: string,
  travellerId: string | null,
  now: Date,
) {
  return db.transaction(async (tx): Promise<NoticeOutcome> => {
    const f = await visitFacts(tx, orgId, appointmentId);
    if (!f) return "skipped";
    if (f.appointment.status !== "travelling" || !visitIsOpen(f)) return "skipped";
    const tech = f.crew.find((c) => c.userId === travellerId) ?? f.crew[0];
    const start = tech && f.site ? await startingPoint(tx, orgId, tech, f.appointment, now) : null;
    const eta =
      start && f.site
        ? new Date(now.getTime() + driveMinutes(start.point, f.site) * 60_000)
        : new Date(Math.max(now.getTime(), f.appointment.startsAt.getTime()));
    const told = roundUpToFive(eta);
    const sent = await sendNotice(
      tx,
      f,
      {
        kind: "on_the_way",
        dedupeKey: `on_the_way:${appointmentId}`,
        etaAt: told,
        values: placeholderValues(f, {
          "visit.eta": clockOf(told, f.org.timeZone),
          "technician.first_name": firstNames(tech ? [tech.name] : []),
        }),
        detail: { estimatedFrom: start?.from ?? "window" },
      },
      now,
    );
    return sent ? "sent" : "already";
  });
}

export interface DelayCandidate {
  appointmentId: string;
  orgId: string;
}

/**
 * When the technician will now arrive, or null when nothing says they are late: while travelling,
 * from a fresh position (or, without one, not before now); before travelling, only when their
 * previous visit of the day overran, from its expected end plus the drive from there.
 */
export async function expectedArrival(tx: DbOrTx, f: Facts, now: Date): Promise<Date | null> {
  const orgId = f.workOrder.orgId;
  if (f.appointment.status === "travelling") {
    for (const tech of f.crew) {
      const position = await freshPosition(tx, orgId, tech.userId, now);
      if (position && f.site) return new Date(now.getTime() + driveMinutes(position, f.site) * 60_000);
    }
    return now;
  }
  if (f.appointment.status !== "scheduled" && f.appointment.status !== "dispatched") return null;
  let latest: Date | null = null;
  for (const tech of f.crew) {
    const previous = await previousVisit(tx, orgId, tech.userId, f.appointment);
    if (!previous || previous.status === "completed") continue;
    const duration = previous.endsAt.getTime() - previous.startsAt.getTime();
    // On site: it ends at its planned end at the earliest. Not there yet: it takes its whole length.
    const finish =
      previous.status === "on_site"
        ? Math.max(previous.endsAt.getTime(), now.getTime())
        : Math.max(previous.startsAt.getTime(), now.getTime()) + duration;
    const drive = previous.place && f.site ? driveMinutes(previous.place, f.site) * 60_000 : 0;
    const arrival = new Date(finish + drive);
    if (!latest || arrival > latest) latest = arrival;
  }
  return latest;
}

/** The arrival the customer was last promised: the latest estimate told, else the window's start. */
async function promisedArrival(tx: DbOrTx, f: Facts) {
  const told = await tx
    .select({ kind: customerNotices.kind, etaAt: customerNotices.etaAt })
    .from(customerNotices)
    .where(
      and(
        eq(customerNotices.orgId, f.workOrder.orgId),
        eq(customerNotices.appointmentId, f.appointment.id),
        inArray(customerNotices.kind, ["on_the_way", "delay"]),
      ),
    );
  // Each delay notice promises a later time than the one before it: the latest is the largest.
  const latest = told.reduce<Date | null>(
    (max, t) => (t.etaAt && (!max || t.etaAt > max) ? t.etaAt : max),
    null,
  );
  const delays = told.filter((t) => t.kind === "delay").length;
  const windowStart = f.appointment.startsAt;
  // A promise is the later of the estimate told and the window's start: early is not a delay.
  const promised = latest && latest > windowStart ? latest : windowStart;
  return { promised, delays };
}

/** Whether an expected arrival is late enough to tell the customer. */
export function isDelayed(promised: Date, expected: Date): boolean {
  return expected.getTime() - promised.getTime() > DELAY_THRESHOLD_MINUTES * 60_000;
}

/**
 * Checks one visit and tells the customer when it now runs more than the threshold late. Keyed by
 * the promise it breaks: once per slip however often the check runs; a further slip beyond the
 * new estimate is a new notice, up to MAX_DELAY_NOTICES.
 */
export async function checkVisitDelay(db: Db, orgId: string, appointmentId: string, now: Date) {
  return db.transaction(async (tx): Promise<NoticeOutcome> => {
    const f = await visitFacts(tx, orgId, appointmentId);
    if (!f || !visitIsOpen(f)) return "skipped";
    const expected = await expectedArrival(tx, f, now);
    if (!expected) return "skipped";
    const { promised, delays } = await promisedArrival(tx, f);
    if (!isDelayed(promised, expected) || delays >= MAX_DELAY_NOTICES) return "skipped";
    const told = roundUpToFive(expected);
    const minutes = Math.round((told.getTime() - promised.getTime()) / 60_000);
    const sent = await sendNotice(
      tx,
      f,
      {
        kind: "delay",
        dedupeKey: `delay:${appointmentId}:${promised.toISOString()}`,
        etaAt: told,
        values: placeholderValues(f, {
          "visit.eta": clockOf(told, f.org.timeZone),
          "visit.previous_eta": clockOf(promised, f.org.timeZone),
          "delay.minutes": String(minutes),
        }),
        detail: { previousEtaAt: promised.toISOString(), minutesLate: minutes },
      },
      now,
    );
    return sent ? "sent" : "already";
  });
}

/**
 * The periodic delay check over every organization: visits on the way, and visits due in the next
 * hours whose technician is still busy elsewhere. Returns how many notices went out.
 */
export async function checkDelays(db: Db, now: Date, signal?: AbortSignal): Promise<number> {
  const candidates = rowsOf<{ org_id: string; id: string }>(
    await db.execute(sql`
      select a.org_id, a.id from appointments a
      join work_orders w on w.org_id = a.org_id and w.id = a.work_order_id
      where w.status not in ('cancelled', 'closed')
        and (a.status = 'travelling'
          or (a.status in ('scheduled', 'dispatched')
            and a.starts_at between ${new Date(now.getTime() - 12 * 3600_000).toISOString()}::timestamptz
              and ${new Date(now.getTime() + DELAY_LOOKAHEAD_MS).toISOString()}::timestamptz
            and exists (select 1 from appointment_technicians me
              join appointment_technicians other on other.org_id = me.org_id and other.user_id = me.user_id
              join appointments p on p.org_id = other.org_id and p.id = other.appointment_id
              where me.org_id = a.org_id and me.appointment_id = a.id and p.id <> a.id
                and p.status in ('scheduled', 'dispatched', 'travelling', 'on_site')
                and p.starts_at < a.starts_at
                and p.starts_at > a.starts_at - interval '18 hours')))
      order by a.starts_at
      limit 5000`),
  );
  let sent = 0;
  for (const c of candidates) {
    if (signal?.aborted) break;
    if ((await checkVisitDelay(db, c.org_id, c.id, now)) === "sent") sent++;
  }
  return sent;
}

/** The "fsm.customer_notice" job. */
export async function runNoticeJob(
  db: Db,
  job: { orgId: string | null; payload: Record<string, unknown> },
  now: Date,
) {
  const appointmentId = String(job.payload.appointmentId ?? "");
  if (!job.orgId || !isUuid(appointmentId)) return "skipped";
  if (job.payload.kind === "confirmation") return confirmVisit(db, job.orgId, appointmentId, now);
  if (job.payload.kind === "on_the_way") {
    const userId = typeof job.payload.userId === "string" ? job.payload.userId : null;
    return announceOnTheWay(db, job.orgId, appointmentId, userId, now);
  }
  return "skipped";
}

/** The notices sent about a work order's visits, newest first, for its page. */
export async function noticesOfWorkOrder(db: DbOrTx, orgId: string, workOrderId: string) {
  return db
    .select()
    .from(customerNotices)
    .where(and(eq(customerNotices.orgId, orgId), eq(customerNotices.workOrderId, workOrderId)))
    .orderBy(desc(customerNotices.createdAt), desc(customerNotices.id));
}

export type CustomerNoticeRow = typeof customerNotices.$inferSelect;
