// The demo organization: a Malaysian field-service company with its people, customers and
// 90 days of tickets (1,000 × scale). Built with a seeded random generator, so every run makes
// the same data; written in chunks inside one transaction; ANALYZEd afterwards (PGlite has no
// autovacuum to gather planner statistics).

import { count, getTableColumns, sql, type Table } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { queueRetrain } from "../../src/domain/assist/jobs";
import { hashPassword } from "../../src/domain/auth/passwords";
import { refreshOrgSla } from "../../src/domain/sla/tickets";
import { foldTicketCounts } from "../../src/domain/tickets/counts";
import type { Db } from "../client";
import {
  businessCalendars,
  type Channel,
  calendarHolidays,
  companies,
  contacts,
  counters,
  events,
  mailboxes,
  organizations,
  type StoredPolicyTargets,
  slaPolicies,
  slaSettings,
  type TicketPriority,
  type TicketStatus,
  tags,
  teamMembers,
  teams,
  ticketMessages,
  tickets,
  users,
} from "../schema";
import { classify, seedCategories } from "./fields";
import { seedFieldService } from "./fsm";
import { seedKnowledgeBase } from "./kb";
import {
  COMPANY_WORDS,
  CUSTOMER_FOLLOW_UPS,
  FIRST_NAMES,
  LAST_NAMES,
  NOTES,
  PLACES,
  TAGS,
  TOPICS,
} from "./text";
import { ZONES } from "./zones";

export interface SeedOptions {
  password: string;
  /** Thousands of tickets; fractions allowed (0.1 → 100 tickets). */
  scale?: number;
  now?: Date;
  log?: (message: string) => void;
}

const CHUNK = 500;
/** Rows per jsonb_to_recordset insert. */
const BULK = 5000;
const DAY = 86_400_000;

/** mulberry32: small, fast, good enough for demo data, and the same sequence on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}

type Rng = ReturnType<typeof random>;

export async function isEmpty(db: Db): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(organizations);
  return n === 0;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.|\.$/g, "");

function fill(template: string, rng: Rng): string {
  return template
    .replaceAll("{place}", rng.pick(PLACES))
    .replaceAll("{temp}", String(rng.int(28, 34)))
    .replaceAll("{hours}", String(rng.int(2, 6)))
    .replaceAll("{n}", String(rng.int(2, 9)))
    .replaceAll("{m}", String(rng.int(10, 15)))
    .replaceAll("{inv}", `INV-${String(rng.int(1, 900)).padStart(6, "0")}`);
}

function personName(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Inserts rows sent as ONE jsonb parameter and unpacked by jsonb_to_recordset. A multi-row
 * VALUES with thousands of parameters cost more to build in Drizzle and to bind than Postgres
 * spent writing the rows (100,000 tickets on Postgres: 212 s before, 90–120 s after). Rows carry
 * client-side ids because nothing is returned; keys are the table's property names, and the
 * column names and types come from the schema.
 */
async function insertRows<T extends Table>(tx: Tx, table: T, rows: T["$inferInsert"][]) {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  for (let i = 0; i < rows.length; i += BULK) {
    const chunk = rows.slice(i, i + BULK);
    const keys = [...new Set(chunk.flatMap((row) => Object.keys(row)))];
    const names = keys.map((k) => `"${columns[k].name}"`).join(", ");
    const fields = keys.map((k) => `x."${k}"`).join(", ");
    const shape = keys.map((k) => `"${k}" ${columns[k].getSQLType()}`).join(", ");
    await tx.execute(
      sql`insert into ${table} (${sql.raw(names)}) select ${sql.raw(fields)}
          from jsonb_to_recordset(${JSON.stringify(chunk)}::text::jsonb) as x(${sql.raw(shape)})`,
    );
  }
}

/** Squeezes a thread that would end in the future into the time before `end`, keeping its order. */
function fitBefore(messages: { createdAt?: Date }[], start: number, end: number) {
  const last = messages[messages.length - 1].createdAt!.getTime();
  if (last <= end) return;
  const factor = (end - start) / (last - start);
  messages.forEach((m, i) => {
    m.createdAt = new Date(start + Math.floor((m.createdAt!.getTime() - start) * factor) + i);
  });
}

/** Status by age: old tickets are mostly done, recent ones still being worked. */
function statusFor(ageDays: number, rng: Rng): TicketStatus {
  const r = rng.next();
  if (ageDays > 14) return r < 0.7 ? "closed" : r < 0.95 ? "solved" : r < 0.98 ? "pending" : "on_hold";
  if (ageDays > 3)
    return r < 0.4 ? "solved" : r < 0.6 ? "pending" : r < 0.8 ? "open" : r < 0.9 ? "on_hold" : "new";
  return r < 0.3 ? "new" : r < 0.65 ? "open" : r < 0.85 ? "pending" : r < 0.95 ? "on_hold" : "solved";
}

export async function seedDemo(db: Db, options: SeedOptions): Promise<{ orgId: string }> {
  const now = options.now ?? new Date();
  const log = options.log ?? (() => {});
  const ticketCount = Math.max(20, Math.round(1000 * (options.scale ?? 1)));
  const rng = random(20261122);
  const started = performance.now();
  const passwordHash = await hashPassword(options.password);

  let messageCount = 0;
  let eventCount = 0;
  let workOrderCount = 0;
  const orgId = await db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({
        name: "Demo Services Sdn Bhd",
        slug: "demo",
        timeZone: "Asia/Kuala_Lumpur",
        currency: "MYR",
        locale: "en",
        supportEmail: "support@demo.test",
        createdAt: new Date(now.getTime() - 120 * DAY),
      })
      .returning({ id: organizations.id });
    const orgId = org.id;
    await tx.insert(mailboxes).values([
      { orgId, name: "Support", address: "support@demo.test", isDefault: true, createdAt: now },
      { orgId, name: "Billing", address: "billing@demo.test", createdAt: now },
    ]);

    // Customers: companies and their contacts.
    const companyRows = Array.from({ length: 60 }, (_, i) => {
      const name = `${COMPANY_WORDS[0][i % 12]} ${COMPANY_WORDS[1][Math.floor(i / 5) % 12]} Sdn Bhd`;
      return {
        orgId,
        name,
        domain: `${slug(name.replace(" Sdn Bhd", "")).replaceAll(".", "")}.com.my`,
        tier: rng.pick(["standard", "standard", "silver", "gold", "platinum"] as const),
      };
    });
    const companyIds = await tx
      .insert(companies)
      .values(companyRows)
      .returning({ id: companies.id, domain: companies.domain });
    const contactRows = Array.from({ length: 400 }, (_, i) => {
      const company = companyIds[i % companyIds.length];
      const name = personName(rng);
      return { orgId, companyId: company.id, name, email: `${slug(name)}.${i}@${company.domain}` };
    });
    contactRows.push({
      orgId,
      companyId: companyIds[0].id,
      name: "Chong Mei Ling",
      email: "customer@demo.test",
    });
    const contactIds: { id: string; companyId: string | null; email: string | null }[] = [];
    await insertChunks(contactRows, async (chunk) =>
      contactIds.push(
        ...(await tx
          .insert(contacts)
          .values(chunk)
          .returning({ id: contacts.id, companyId: contacts.companyId, email: contacts.email })),
      ),
    );
    const customerContact = contactIds.find((c) => c.email === "customer@demo.test")!;

    // Staff and technicians.
    const account = (
      email: string,
      name: string,
      role: (typeof users.$inferInsert)["role"],
      contactId?: string,
    ) => ({
      orgId,
      email,
      name,
      role,
      passwordHash,
      contactId: contactId ?? null,
    });
    const staff = [
      account("admin@demo.test", "Aminah binti Yusof", "admin"),
      account("supervisor@demo.test", "Lim Wei Ming", "supervisor"),
      account("agent@demo.test", "Nurul Huda binti Ismail", "agent"),
      account("dispatcher@demo.test", "Rajesh a/l Subramaniam", "dispatcher"),
      account("customer@demo.test", "Chong Mei Ling", "customer", customerContact.id),
      ...Array.from({ length: 8 }, (_, i) => account(`agent${i + 2}@demo.test`, personName(rng), "agent")),
    ];
    const technicians = Array.from({ length: 150 }, (_, i) =>
      account(
        i === 0 ? "tech@demo.test" : `tech${i + 1}@demo.test`,
        i === 0 ? "Ahmad Faizal bin Hassan" : personName(rng),
        "technician",
      ),
    );
    const userIds: { id: string; email: string; role: string }[] = [];
    await insertChunks([...staff, ...technicians], async (chunk) =>
      userIds.push(
        ...(await tx
          .insert(users)
          .values(chunk)
          .returning({ id: users.id, email: users.email, role: users.role })),
      ),
    );
    const agents = userIds.filter((u) => u.role === "agent" || u.role === "supervisor");
    const mainAgent = userIds.find((u) => u.email === "agent@demo.test")!;
    const customerUser = userIds.find((u) => u.email === "customer@demo.test")!;
    const techs = userIds.filter((u) => u.role === "technician");

    // Teams: three desk teams, and one field team per state (tech@demo.test works in Selangor).
    const deskTeams = await tx
      .insert(teams)
      .values([
        { orgId, name: "Support L1", description: "First response for every channel" },
        { orgId, name: "Technical", description: "Equipment faults that may need a visit" },
        { orgId, name: "Billing", description: "Invoices, payments and contracts" },
      ])
      .returning({ id: teams.id, name: teams.name });
    const fieldTeams = await tx
      .insert(teams)
      .values(
        ZONES.map((z) => ({
          orgId,
          name: `Field — ${z.name}`,
          description: `Technicians based in ${z.capital}`,
        })),
      )
      .returning({ id: teams.id, name: teams.name });
    const members = [
      ...agents.map((a, i) => ({ orgId, teamId: deskTeams[i % 3].id, userId: a.id, isLead: i < 3 })),
      ...techs.map((t, i) => {
        const zone =
          i === 0 ? fieldTeams.findIndex((f) => f.name.endsWith("Selangor")) : i % fieldTeams.length;
        return { orgId, teamId: fieldTeams[zone].id, userId: t.id, isLead: i < fieldTeams.length };
      }),
    ];
    await insertChunks(members, (chunk) => tx.insert(teamMembers).values(chunk));
    await tx.insert(tags).values(TAGS.map((name) => ({ orgId, name })));
    const supervisor = userIds.find((u) => u.email === "supervisor@demo.test")!;
    await seedSla(tx, orgId, supervisor.id, now);
    const categories = await seedCategories(tx, orgId, now);
    // Categories and field values draw from their own stream, so the rest of the data stays the same.
    const fieldRng = random(20261123);

    // Tickets, oldest first, so numbers follow time.
    // At least a quarter of an hour old, so every thread has room before `now`.
    const ages = Array.from({ length: ticketCount }, () => 15 * 60_000 + rng.next() * 90 * DAY).sort(
      (a, b) => b - a,
    );
    const customerEvery = Math.max(2, Math.floor(ticketCount / 6));
    for (let start = 0; start < ticketCount; start += CHUNK) {
      const ticketRows: (typeof tickets.$inferInsert)[] = [];
      const plans: {
        messages: Omit<typeof ticketMessages.$inferInsert, "ticketId">[];
        assignee: string | null;
        status: TicketStatus;
        created: Date;
        last: Date;
        categoryPath: string | null;
      }[] = [];
      for (let i = start; i < Math.min(ticketCount, start + CHUNK); i++) {
        const created = new Date(now.getTime() - ages[i]);
        const topic = rng.pick(TOPICS);
        const forCustomer = i % customerEvery === customerEvery - 1;
        const contact = forCustomer ? customerContact : rng.pick(contactIds);
        const drawn = statusFor(ages[i] / DAY, rng);
        // The demo customer's tickets always have an answer to read.
        const status: TicketStatus = forCustomer && drawn === "new" ? "pending" : drawn;
        const assignee = status === "new" ? null : rng.chance(0.25) ? mainAgent.id : rng.pick(agents).id;
        const channel: Channel = forCustomer
          ? "portal"
          : rng.pick(["email", "email", "email", "web", "portal", "phone", "api", "chat"] as const);
        const priority: TicketPriority = rng.pick([
          "low",
          "normal",
          "normal",
          "normal",
          "high",
          "high",
          "urgent",
        ] as const);
        const messages: (typeof plans)[number]["messages"] = [
          {
            id: crypto.randomUUID(),
            orgId,
            kind: "reply",
            authorContactId: contact.id,
            channel,
            body: fill(rng.pick(topic.bodies), rng),
            createdAt: created,
          },
        ];
        let at = created.getTime();
        const step = () => {
          at += rng.int(10, 20 * 60) * 60_000 * rng.next() + 5 * 60_000;
          return new Date(at);
        };
        if (status !== "new") {
          if (rng.chance(0.3))
            messages.push({
              id: crypto.randomUUID(),
              orgId,
              kind: "note",
              authorUserId: assignee,
              channel: "web",
              body: rng.pick(NOTES),
              createdAt: step(),
            });
          messages.push({
            id: crypto.randomUUID(),
            orgId,
            kind: "reply",
            authorUserId: assignee,
            channel: "web",
            body: fill(topic.replies[0], rng),
            createdAt: step(),
          });
          if (status !== "pending" && rng.chance(0.6)) {
            messages.push({
              id: crypto.randomUUID(),
              orgId,
              kind: "reply",
              authorContactId: contact.id,
              channel,
              body: rng.pick(CUSTOMER_FOLLOW_UPS),
              createdAt: step(),
            });
          }
          if (status === "solved" || status === "closed" || status === "pending") {
            messages.push({
              id: crypto.randomUUID(),
              orgId,
              kind: "reply",
              authorUserId: assignee,
              channel: "web",
              body: fill(rng.pick(topic.replies.slice(1)), rng),
              createdAt: step(),
            });
          }
        }
        fitBefore(messages, created.getTime(), now.getTime() - 60_000);
        const last = messages[messages.length - 1].createdAt as Date;
        const tagList = [topic.tag, ...(rng.chance(0.15) ? [rng.pick(TAGS)] : [])].filter(
          (t, k, all) => all.indexOf(t) === k,
        );
        const subject = fill(rng.pick(topic.subjects), rng);
        const { path: categoryPath, ...classification } = classify(
          categories,
          topic.tag,
          subject,
          created,
          fieldRng,
        );
        ticketRows.push({
          id: crypto.randomUUID(),
          orgId,
          number: i + 1,
          subject,
          ...classification,
          status,
          priority,
          type: topic.type,
          channel,
          contactId: contact.id,
          companyId: contact.companyId,
          assigneeId: assignee,
          teamId:
            topic.tag === "billing"
              ? deskTeams[2].id
              : topic.tag === "warranty"
                ? deskTeams[0].id
                : deskTeams[1].id,
          tags: tagList,
          createdAt: created,
          updatedAt: last,
          solvedAt: status === "solved" || status === "closed" ? last : null,
        });
        plans.push({ messages, assignee, status, created, last, categoryPath });
      }
      await insertRows(tx, tickets, ticketRows);
      const messageRows: (typeof ticketMessages.$inferInsert)[] = [];
      const eventRows: (typeof events.$inferInsert)[] = [];
      ticketRows.forEach((row, k) => {
        const plan = plans[k];
        const ticketId = row.id as string;
        const [first, ...rest] = plan.messages;
        // The demo customer writes through the portal as a signed-in user; other contacts by mail.
        const customerActor = row.contactId === customerContact.id ? customerUser.id : null;
        const event = (
          type: string,
          createdAt: Date,
          data: Record<string, unknown>,
          actorUserId: string | null,
          actorKind = "user",
        ) => eventRows.push({ orgId, type, ticketId, actorUserId, actorKind, data, createdAt });
        const status = (from: TicketStatus, to: TicketStatus, at: Date) =>
          event("ticket.status_changed", at, { from, to }, plan.assignee);
        for (const m of plan.messages) messageRows.push({ ...m, ticketId });
        event(
          "ticket.created",
          plan.created,
          {
            number: row.number,
            subject: row.subject,
            status: "new",
            priority: row.priority,
            channel: row.channel,
            messageId: first.id,
            ...(plan.categoryPath
              ? {
                  category: row.subcategoryId ?? row.categoryId,
                  categoryName: plan.categoryPath,
                  fields: row.customFields,
                }
              : {}),
          },
          customerActor,
          "customer",
        );
        if (plan.assignee) {
          // Picked up before the first staff message; assigning opens a new ticket, as in the desk.
          const at = new Date(
            plan.created.getTime() +
              Math.floor(((rest[0].createdAt as Date).getTime() - plan.created.getTime()) / 2),
          );
          event("ticket.assigned", at, { from: null, to: plan.assignee }, plan.assignee);
          status("new", "open", at);
        }
        for (const m of rest) {
          const byStaff = m.authorUserId != null;
          event(
            m.kind === "note"
              ? "message.note_added"
              : byStaff
                ? "message.agent_replied"
                : "message.customer_replied",
            m.createdAt as Date,
            { messageId: m.id, kind: m.kind, attachments: 0 },
            byStaff ? (m.authorUserId as string) : customerActor,
            byStaff ? "user" : "customer",
          );
        }
        if (plan.status === "closed") {
          status("open", "solved", plan.last);
          status("solved", "closed", plan.last);
        } else if (plan.status !== "new" && plan.status !== "open") {
          status("open", plan.status, plan.last);
        }
      });
      await insertRows(tx, ticketMessages, messageRows);
      await insertRows(tx, events, eventRows);
      messageCount += messageRows.length;
      eventCount += eventRows.length;
      if ((start / CHUNK) % 20 === 19) log(`${start + CHUNK} tickets…`);
    }
    await tx.insert(counters).values({ orgId, name: "ticket", value: ticketCount });
    ({ workOrders: workOrderCount } = await seedFieldService(tx, {
      orgId,
      now,
      timeZone: "Asia/Kuala_Lumpur",
      currency: "MYR",
      rng,
      technicianIds: techs,
      contacts: contactIds,
      customerContactId: customerContact.id,
    }));
    return orgId;
  });
  // Due times of the open tickets, as every ticket command would have left them.
  await refreshOrgSla(db, orgId, now);
  const articleCount = await seedKnowledgeBase(db, orgId, now);
  // The AI models learn from this history as soon as the server's job runner starts.
  await queueRetrain(db, orgId, now);
  // The count trigger wrote a delta per ticket: fold them into ticket_counts and reclaim the rows.
  await foldTicketCounts(db, orgId);
  await db.execute(sql`vacuum ticket_counts, ticket_count_deltas`);
  await db.execute(sql`analyze`);
  log(
    `${[
      `${ticketCount.toLocaleString("en")} tickets`,
      `${messageCount.toLocaleString("en")} messages`,
      `${eventCount.toLocaleString("en")} events`,
      "60 companies, 401 contacts",
      `${articleCount} knowledge-base articles`,
      `${ZONES.length} field teams, 150 technicians`,
      `${workOrderCount} work orders`,
    ].join(", ")} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { orgId };
}

/**
 * Malaysian national public holidays of 2026. Dates of the lunar and Islamic holidays follow the
 * announced calendar and may move by a day when the government gazettes them; admins correct them
 * at /admin/calendars or import the official .ics file.
 */
export const MALAYSIA_HOLIDAYS_2026: { date: string; name: string }[] = [
  { date: "2026-01-01", name: "New Year's Day" },
  { date: "2026-02-01", name: "Thaipusam; Federal Territory Day" },
  { date: "2026-02-17", name: "Chinese New Year" },
  { date: "2026-02-18", name: "Chinese New Year (second day)" },
  { date: "2026-03-07", name: "Nuzul Al-Quran" },
  { date: "2026-03-21", name: "Hari Raya Aidilfitri" },
  { date: "2026-03-22", name: "Hari Raya Aidilfitri (second day)" },
  { date: "2026-05-01", name: "Labour Day" },
  { date: "2026-05-27", name: "Hari Raya Haji" },
  { date: "2026-05-31", name: "Wesak Day" },
  { date: "2026-06-01", name: "Birthday of the Yang di-Pertuan Agong" },
  { date: "2026-06-17", name: "Awal Muharram" },
  { date: "2026-08-25", name: "Maulidur Rasul" },
  { date: "2026-08-31", name: "National Day (Merdeka)" },
  { date: "2026-09-16", name: "Malaysia Day" },
  { date: "2026-11-08", name: "Deepavali" },
  { date: "2026-12-25", name: "Christmas Day" },
];

const hours = (minutes: number, businessHours = true) => ({ minutes, businessHours });

function targets(
  rows: Record<string, [first: number, next: number, resolution: number]>,
  aroundTheClock: string[] = [],
): StoredPolicyTargets {
  return Object.fromEntries(
    Object.entries(rows).map(([priority, [first, next, resolution]]) => {
      const business = !aroundTheClock.includes(priority);
      return [
        priority,
        {
          first_response: hours(first, business),
          next_response: hours(next, business),
          resolution: hours(resolution, business),
        },
      ];
    }),
  );
}

/** The office calendar (Mon–Fri 09:00–18:00 in Kuala Lumpur), Gold and Standard policies. */
async function seedSla(tx: Tx, orgId: string, escalationUserId: string, now: Date) {
  const [calendar] = await tx
    .insert(businessCalendars)
    .values({
      orgId,
      name: "Kuala Lumpur office",
      timeZone: "Asia/Kuala_Lumpur",
      weekly: [1, 2, 3, 4, 5].map((day) => ({ day, start: "09:00", end: "18:00" })),
      isDefault: true,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: businessCalendars.id });
  await tx
    .insert(calendarHolidays)
    .values(MALAYSIA_HOLIDAYS_2026.map((h) => ({ orgId, calendarId: calendar.id, ...h })));
  const H = 60;
  await tx.insert(slaPolicies).values([
    {
      orgId,
      name: "Gold",
      position: 10,
      conditions: { companyTiers: ["gold", "platinum"] },
      targets: targets(
        {
          low: [8 * H, 8 * H, 40 * H],
          normal: [4 * H, 4 * H, 24 * H],
          high: [2 * H, 2 * H, 16 * H],
          urgent: [30, H, 8 * H],
        },
        ["urgent"],
      ),
      calendarId: calendar.id,
      createdAt: now,
      updatedAt: now,
    },
    {
      orgId,
      name: "Standard",
      position: 20,
      conditions: {},
      targets: targets({
        low: [16 * H, 16 * H, 80 * H],
        normal: [8 * H, 8 * H, 40 * H],
        high: [4 * H, 4 * H, 24 * H],
        urgent: [2 * H, 2 * H, 16 * H],
      }),
      calendarId: null,
      createdAt: now,
      updatedAt: now,
    },
  ]);
  await tx.insert(slaSettings).values({ orgId, escalationUserId, updatedAt: now });
}
