// Customer notices about a visit: the confirmation (and again when the visit moves), "on the way"
// with an arrival estimate, and the delay notice — each by text or mail, each exactly once.
import { beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import {
  contacts,
  customerNotices,
  events,
  jobs,
  messagingChannels,
  outboxMessages,
  serviceLocations,
  technicians,
  textMessages,
} from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { assignVisit } from "../dispatch/assign";
import {
  announceOnTheWay,
  checkDelays,
  checkVisitDelay,
  confirmVisit,
  DELAY_THRESHOLD_MINUTES,
  driveMinutes,
  firstNames,
  isDelayed,
  roundUpToFive,
  runNoticeJob,
  windowText,
} from "./notices";
import { recordPosition, setLocationSharing } from "./positions";
import { changeAppointmentStatus, createWorkOrder, scheduleAppointment } from "./workOrders";

// Monday 23 November 2026, 08:00 in Kuala Lumpur.
const NOW = new Date("2026-11-23T00:00:00Z");
let day = "2026-11-23";
/** A time on the test's own day, so visits of other tests never come before or after. */
const at = (hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);
let dayCounter = 0;
beforeEach(() => {
  day = new Date(Date.UTC(2026, 10, 23 + 7 * dayCounter++)).toISOString().slice(0, 10);
});
const TZ = "Asia/Kuala_Lumpur";
const KLCC = { lat: 3.158, lng: 101.712 };
const HOME = { lat: 3.107, lng: 101.607 };
const BANGSAR = { lat: 3.13, lng: 101.67 };

let org: Fixture;
let other: Fixture;
let klcc: string;
let bangsar: string;

beforeAll(async () => {
  [org, other] = await Promise.all([createOrg("Notices"), createOrg("NoticesOther")]);
  const db = org.ctx("admin").db;
  await db.insert(technicians).values({
    orgId: org.orgId,
    userId: org.users.technician.id,
    homeLat: HOME.lat,
    homeLng: HOME.lng,
    workDays: [1, 2, 3, 4, 5, 6, 7],
  });
  const contactId = org.users.customer.contactId;
  const [a, b] = await db
    .insert(serviceLocations)
    .values([
      { orgId: org.orgId, name: "KLCC", address: "Jalan Ampang, Kuala Lumpur", ...KLCC, contactId },
      { orgId: org.orgId, name: "Bangsar", address: "Jalan Telawi, Bangsar", ...BANGSAR, contactId },
    ])
    .returning();
  klcc = a.id;
  bangsar = b.id;
});

async function booked(
  from: string,
  to: string,
  options: { contactId?: string | null; locationId?: string; now?: Date } = {},
) {
  const dispatcher = org.ctx("dispatcher", options.now ?? NOW);
  const wo = await createWorkOrder(dispatcher, {
    subject: "Aircon leaking",
    contactId: options.contactId === undefined ? org.users.customer.contactId : options.contactId,
    locationId: options.locationId ?? klcc,
  });
  const appointment = await scheduleAppointment(dispatcher, wo.id, {
    override: true,
    startsAt: at(from),
    endsAt: at(to),
    technicianIds: [org.users.technician.id],
  });
  return { wo, appointment };
}

async function noticesOf(appointmentId: string) {
  const { db } = await testDatabase();
  return db
    .select()
    .from(customerNotices)
    .where(and(eq(customerNotices.orgId, org.orgId), eq(customerNotices.appointmentId, appointmentId)))
    .orderBy(customerNotices.createdAt);
}

async function mailsOf(noticeIds: (string | null)[]) {
  const { db } = await testDatabase();
  const rows = await db.select().from(outboxMessages).where(eq(outboxMessages.orgId, org.orgId));
  return rows.filter((r) => noticeIds.includes(r.id));
}

describe("wording helpers", () => {
  test("first names, the window and rounding of estimates", () => {
    expect(firstNames(["Hafiz Rahman"])).toBe("Hafiz");
    expect(firstNames(["Hafiz Rahman", "Ali Tan", "Mei Lin"])).toBe("Hafiz, Ali and Mei");
    expect(firstNames([])).toBe("Our technician");
    expect(windowText(at("10:00"), at("12:00"), "Asia/Kuala_Lumpur")).toBe("Mon 23 Nov, 10:00–12:00");
    expect(roundUpToFive(at("10:36")).getTime()).toBe(at("10:40").getTime());
    expect(roundUpToFive(at("10:40")).getTime()).toBe(at("10:40").getTime());
    // About 13 km as the crow flies, longer by road at 40 km/h.
    expect(driveMinutes(HOME, KLCC)).toBeGreaterThan(20);
    expect(driveMinutes(HOME, KLCC)).toBeLessThan(35);
  });

  test("a delay is more than the threshold, not the threshold itself", () => {
    const promised = at("10:00");
    const later = (minutes: number) => new Date(promised.getTime() + minutes * 60_000);
    expect(isDelayed(promised, later(DELAY_THRESHOLD_MINUTES))).toBe(false);
    expect(isDelayed(promised, later(DELAY_THRESHOLD_MINUTES + 1))).toBe(true);
    expect(isDelayed(promised, later(-30))).toBe(false);
  });
});

describe("confirmation", () => {
  test("booking a visit queues a confirmation that mails the window, technician and address once", async () => {
    const { db } = await testDatabase();
    const { wo, appointment } = await booked("10:00", "12:00");
    const [job] = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.orgId, org.orgId), eq(jobs.queue, "fsm.customer_notice")))
      .then((rows) =>
        rows.filter((j) => (j.payload as { appointmentId?: string }).appointmentId === appointment.id),
      );
    // It waits a minute, so a visit dragged around the board is confirmed where it settles.
    expect(job.runAt.getTime()).toBe(NOW.getTime() + 60_000);

    expect(await runNoticeJob(db, { orgId: org.orgId, payload: job.payload }, NOW)).toBe("sent");
    expect(await runNoticeJob(db, { orgId: org.orgId, payload: job.payload }, NOW)).toBe("already");

    const notices = await noticesOf(appointment.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      kind: "confirmation",
      channel: "email",
      recipient: org.users.customer.email.replace("customer@", "customer@"),
    });
    const [mail] = await mailsOf([notices[0].outboxMessageId]);
    expect(mail.kind).toBe("appointment_confirmation");
    const window = windowText(at("10:00"), at("12:00"), TZ);
    expect(window).toMatch(/^Mon \d+ (Nov|Dec), 10:00–12:00$/);
    expect(mail.subject).toBe(`[WO-${String(wo.number).padStart(6, "0")}] Your visit: ${window}`);
    expect(mail.textBody).toContain(`${window} at Jalan Ampang, Kuala Lumpur`);
    expect(mail.textBody).toContain("Technician will come to you.");
    const recorded = await db
      .select()
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.type, "appointment.customer_notified")));
    expect(recorded.map((e) => e.data)).toContainEqual(
      expect.objectContaining({ appointmentId: appointment.id, kind: "confirmation", channel: "email" }),
    );
  });

  test("moving the visit confirms the new time; moving it back confirms again; a repeat sends nothing", async () => {
    const { db } = await testDatabase();
    const { wo, appointment } = await booked("13:00", "14:00");
    expect(await confirmVisit(db, org.orgId, appointment.id, NOW)).toBe("sent");
    const move = (startsAt: Date) =>
      assignVisit(org.ctx("dispatcher", NOW), {
        workOrderNumber: wo.number,
        technicianUserId: org.users.technician.id,
        startsAt,
        minutes: 60,
        appointmentId: appointment.id,
        override: true,
      });
    expect((await move(at("15:00"))).ok).toBe(true);
    expect(await confirmVisit(db, org.orgId, appointment.id, NOW)).toBe("sent");
    expect(await confirmVisit(db, org.orgId, appointment.id, NOW)).toBe("already");
    expect((await move(at("13:00"))).ok).toBe(true);
    expect(await confirmVisit(db, org.orgId, appointment.id, NOW)).toBe("sent");
    const notices = await noticesOf(appointment.id);
    expect(notices.map((n) => n.windowStartsAt.getTime())).toEqual([
      at("13:00").getTime(),
      at("15:00").getTime(),
      at("13:00").getTime(),
    ]);
    const mails = await mailsOf(notices.map((n) => n.outboxMessageId));
    expect(mails.map((m) => m.subject).sort()).toEqual(
      [
        windowText(at("13:00"), at("14:00"), TZ),
        windowText(at("13:00"), at("14:00"), TZ),
        windowText(at("15:00"), at("16:00"), TZ),
      ].map((w) => `[WO-${String(wo.number).padStart(6, "0")}] Your visit: ${w}`),
    );
  });

  test("two runs at once still send one confirmation", async () => {
    const { db } = await testDatabase();
    const { appointment } = await booked("16:00", "17:00");
    const outcomes = await Promise.all([
      confirmVisit(db, org.orgId, appointment.id, NOW),
      confirmVisit(db, org.orgId, appointment.id, NOW),
    ]);
    expect(outcomes.sort()).toEqual(["already", "sent"]);
    expect(await noticesOf(appointment.id)).toHaveLength(1);
  });

  test("a text goes to a mobile number when the organization has SMS; else mail; else nothing, with why", async () => {
    const { db } = await testDatabase();
    const [mobile] = await db
      .insert(contacts)
      .values({
        orgId: org.orgId,
        name: "Siti Mobile",
        email: "siti@mobile.test",
        phone: "012-345 6789",
        phoneE164: "+60123456789",
      })
      .returning();
    const [nobody] = await db.insert(contacts).values({ orgId: org.orgId, name: "No Way" }).returning();

    // No SMS channel yet: mail, although the customer has a mobile.
    const first = await booked("09:00", "10:00", { contactId: mobile.id });
    expect(await confirmVisit(db, org.orgId, first.appointment.id, NOW)).toBe("sent");
    expect((await noticesOf(first.appointment.id))[0]).toMatchObject({
      channel: "email",
      recipient: "siti@mobile.test",
    });

    await db.insert(messagingChannels).values({
      orgId: org.orgId,
      name: "Support SMS",
      kind: "sms",
      provider: "twilio",
      phoneNumber: "+60312345678",
      accountSid: "AC123456",
      authToken: "secret",
      apiBaseUrl: "http://127.0.0.1:9",
      createdAt: NOW,
      updatedAt: NOW,
    });
    const second = await booked("11:00", "12:00", { contactId: mobile.id, locationId: bangsar });
    expect(await confirmVisit(db, org.orgId, second.appointment.id, NOW)).toBe("sent");
    const [sms] = await noticesOf(second.appointment.id);
    expect(sms).toMatchObject({ channel: "sms", recipient: "+60123456789", outboxMessageId: null });
    const [text] = await db
      .select()
      .from(textMessages)
      .where(eq(textMessages.id, sms.textMessageId as string));
    expect(text).toMatchObject({ toNumber: "+60123456789", fromNumber: "+60312345678", status: "queued" });
    expect(text.body).toContain(
      `is booked for ${windowText(at("11:00"), at("12:00"), TZ)} at Jalan Telawi, Bangsar. Technician: Technician.`,
    );
    const sends = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.queue, "messaging.send"), eq(jobs.idempotencyKey, text.id)));
    expect(sends).toHaveLength(1);

    // The customer without a number or an address: recorded as not sent, with the reason.
    const third = await booked("14:00", "15:00", { contactId: nobody.id });
    expect(await confirmVisit(db, org.orgId, third.appointment.id, NOW)).toBe("sent");
    const [none] = await noticesOf(third.appointment.id);
    expect(none).toMatchObject({
      channel: "none",
      recipient: null,
      outboxMessageId: null,
      textMessageId: null,
    });
    expect(none.reason).toContain("no mobile number");
    await db.delete(messagingChannels).where(eq(messagingChannels.orgId, org.orgId));
  });

  test("a visit already under way or cancelled is not confirmed", async () => {
    const { db } = await testDatabase();
    const { appointment } = await booked("08:30", "09:30");
    await changeAppointmentStatus(org.ctx("technician", NOW), appointment.id, { status: "travelling" });
    expect(await confirmVisit(db, org.orgId, appointment.id, NOW)).toBe("skipped");
    // Another organization's job for this visit finds nothing.
    expect(await confirmVisit(db, other.orgId, appointment.id, NOW)).toBe("skipped");
  });
});

describe("on the way", () => {
  test("starting travel tells the customer an arrival estimate from home, once", async () => {
    const { db } = await testDatabase();
    const { appointment } = await booked("09:00", "10:00");
    const tech = org.ctx("technician", at("08:30"));
    await changeAppointmentStatus(tech, appointment.id, { status: "travelling" });
    const [job] = await db
      .select()
      .from(jobs)
      .where(
        and(eq(jobs.queue, "fsm.customer_notice"), eq(jobs.idempotencyKey, `on_the_way:${appointment.id}`)),
      );
    expect(job.payload).toEqual({
      appointmentId: appointment.id,
      kind: "on_the_way",
      userId: org.users.technician.id,
    });
    expect(await runNoticeJob(db, job, at("08:30"))).toBe("sent");
    expect(await runNoticeJob(db, job, at("08:31"))).toBe("already");

    const [notice] = (await noticesOf(appointment.id)).filter((n) => n.kind === "on_the_way");
    const expected = roundUpToFive(new Date(at("08:30").getTime() + driveMinutes(HOME, KLCC) * 60_000));
    expect(notice.etaAt?.getTime()).toBe(expected.getTime());
    const [mail] = await mailsOf([notice.outboxMessageId]);
    expect(mail.subject).toContain("Technician is on the way");
    const clock = new Intl.DateTimeFormat("en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "Asia/Kuala_Lumpur",
    }).format(expected);
    expect(mail.textBody).toContain(`expects to arrive at about ${clock}.`);
  });

  test("a fresh position from the phone is used instead of home", async () => {
    const { db } = await testDatabase();
    const { appointment } = await booked("11:00", "12:00", { locationId: bangsar });
    const when = at("10:40");
    const tech = org.ctx("technician", when);
    await setLocationSharing(tech, true);
    // Next to the customer: a couple of minutes away, not the half hour from home.
    expect(await recordPosition(tech, { lat: 3.132, lng: 101.672, accuracy: 12 })).toBe("stored");
    await changeAppointmentStatus(tech, appointment.id, { status: "travelling" });
    expect(await announceOnTheWay(db, org.orgId, appointment.id, org.users.technician.id, when)).toBe("sent");
    const [notice] = (await noticesOf(appointment.id)).filter((n) => n.kind === "on_the_way");
    expect(notice.etaAt?.getTime()).toBe(at("10:45").getTime());
    await setLocationSharing(tech, false);
  });
});

describe("delays", () => {
  test("a travelling visit past its estimate by more than 15 minutes is announced once per slip", async () => {
    const { db } = await testDatabase();
    const { appointment } = await booked("10:00", "11:00");
    const tech = org.ctx("technician", at("09:30"));
    await changeAppointmentStatus(tech, appointment.id, { status: "travelling" });
    expect(await announceOnTheWay(db, org.orgId, appointment.id, org.users.technician.id, at("09:30"))).toBe(
      "sent",
    );
    const [onTheWay] = await noticesOf(appointment.id).then((n) => n.filter((x) => x.kind === "on_the_way"));
    // The estimate is earlier than the window: the promise is the window's start, 10:00.
    expect(onTheWay.etaAt!.getTime()).toBeLessThanOrEqual(at("10:00").getTime());

    expect(await checkVisitDelay(db, org.orgId, appointment.id, at("10:15"))).toBe("skipped");
    expect(await checkVisitDelay(db, org.orgId, appointment.id, at("10:16"))).toBe("sent");
    // The check runs again (or on two servers): nothing more.
    expect(await checkVisitDelay(db, org.orgId, appointment.id, at("10:16"))).toBe("skipped");
    await checkDelays(db, at("10:17"));
    let delays = (await noticesOf(appointment.id)).filter((n) => n.kind === "delay");
    expect(delays).toHaveLength(1);
    expect(delays[0].etaAt?.getTime()).toBe(at("10:20").getTime());
    const [mail] = await mailsOf([delays[0].outboxMessageId]);
    expect(mail.textBody).toContain("running about 20 minutes late");
    expect(mail.textBody).toContain("now about 10:20 (instead of 10:00)");

    // The new promise is 10:20: a second slip is measured from it.
    await checkDelays(db, at("10:35"));
    expect((await noticesOf(appointment.id)).filter((n) => n.kind === "delay")).toHaveLength(1);
    await checkDelays(db, at("10:36"));
    delays = (await noticesOf(appointment.id)).filter((n) => n.kind === "delay");
    expect(delays.map((d) => d.etaAt?.getTime())).toEqual([at("10:20").getTime(), at("10:40").getTime()]);

    // Arrived: no more checks.
    await changeAppointmentStatus(org.ctx("technician", at("10:38")), appointment.id, { status: "on_site" });
    expect(await checkVisitDelay(db, org.orgId, appointment.id, at("11:30"))).toBe("skipped");
  });

  test("a previous visit that overruns makes the next one late before the technician sets out", async () => {
    const { db } = await testDatabase();
    const first = await booked("18:00", "19:00", { locationId: bangsar });
    const second = await booked("19:30", "20:30", { locationId: klcc });
    const tech = org.ctx("technician", at("18:00"));
    await changeAppointmentStatus(tech, first.appointment.id, { status: "travelling" });
    await changeAppointmentStatus(tech, first.appointment.id, { status: "on_site" });
    const drive = driveMinutes(BANGSAR, KLCC);
    // At 19:00 the first visit could still end on time: arrival 19:00 + the drive, before 19:45.
    expect(await checkVisitDelay(db, org.orgId, second.appointment.id, at("19:00"))).toBe("skipped");
    // Still on site at 19:40: arrival 19:40 + the drive, past 19:45.
    await checkDelays(db, at("19:40"));
    const [delay] = (await noticesOf(second.appointment.id)).filter((n) => n.kind === "delay");
    expect(delay.etaAt?.getTime()).toBe(
      roundUpToFive(new Date(at("19:40").getTime() + drive * 60_000)).getTime(),
    );
    await checkDelays(db, at("19:41"));
    expect((await noticesOf(second.appointment.id)).filter((n) => n.kind === "delay")).toHaveLength(1);
  });
});
