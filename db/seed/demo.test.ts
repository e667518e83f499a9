// The demo data is what people see first; check it is complete and consistent.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, count, eq, inArray, max, sql, sum } from "drizzle-orm";
import { verifyPassword } from "../../src/domain/auth/passwords";
import { loadCatalog } from "../../src/domain/fields/catalog";
import { categoryPath, fieldsOf, resolveValues } from "../../src/domain/fields/values";
import { myAppointments } from "../../src/domain/fsm/field";
import { myVan } from "../../src/domain/fsm/inventory";
import { Client, parse, testDatabase } from "../../test/helpers";
import {
  appointments,
  assets,
  counters,
  estimateLines,
  estimates,
  events,
  invoiceLines,
  invoicePayments,
  invoices,
  jobSheetTemplates,
  kbArticles,
  kbArticleVersions,
  lineItems,
  maintenancePlanLines,
  maintenancePlans,
  organizations,
  serviceLocations,
  stockLevels,
  stockLocations,
  stockMovements,
  teams,
  technicians,
  ticketCategories,
  ticketCounts,
  ticketFields,
  ticketMessages,
  tickets,
  users,
  workOrders,
  zones,
} from "../schema";
import { businessCalendars, calendarHolidays, slaPolicies, slaSettings } from "../schema/sla";
import { MALAYSIA_HOLIDAYS_2026, seedDemo } from "./demo";

let orgId: string;
beforeAll(async () => {
  const { db } = await testDatabase();
  ({ orgId } = await seedDemo(db, {
    password: "demo12345",
    scale: 0.1,
    now: new Date("2026-11-01T00:00:00Z"),
  }));
});

describe("demo job sheets", () => {
  test("every line of the demo templates was read, and each is linked to its services", async () => {
    const { db } = await testDatabase();
    const rows = await db
      .select({
        name: jobSheetTemplates.name,
        items: sql<number>`(select count(*)::int from job_sheet_template_items i where i.template_id = job_sheet_templates.id)`,
        services: sql<number>`(select count(*)::int from job_sheet_template_services l where l.template_id = job_sheet_templates.id)`,
      })
      .from(jobSheetTemplates)
      .where(eq(jobSheetTemplates.orgId, orgId))
      .orderBy(jobSheetTemplates.name);
    expect(rows).toEqual([
      { name: "Aircon service checklist", items: 9, services: 2 },
      { name: "Generator inspection sheet", items: 7, services: 1 },
    ]);
  });
});

describe("demo knowledge base", () => {
  test("has published articles of every visibility, each with two versions", async () => {
    const { db } = await testDatabase();
    const rows = await db.select().from(kbArticles).where(eq(kbArticles.orgId, orgId));
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(new Set(rows.map((r) => r.visibility))).toEqual(new Set(["public", "customers", "internal"]));
    expect(rows.every((r) => r.status === "published")).toBe(true);
    const [versions] = await db
      .select({ n: count() })
      .from(kbArticleVersions)
      .where(eq(kbArticleVersions.orgId, orgId));
    expect(versions.n).toBe(rows.length * 2);
  });
});

describe("demo pages", () => {
  // Each demo account follows the links its pages offer (two of each kind of address): every one
  // must open. Catches links to pages a role may not see and pages that fail on real-looking data.
  const sameKind = (path: string) =>
    path
      .split(/[?#]/)[0]
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ":id")
      .replace(/\d{6}/g, ":n");
  const SKIP = /logout|\.pdf|\.png|\.eml|\/files\/|\/download|\/export|\/live|\/progress|\/bell/;
  for (const who of ["admin", "agent", "dispatcher", "tech", "customer"]) {
    test(`every link the ${who} is offered opens`, async () => {
      const client = await new Client().signIn(`${who}@demo.test`, "demo12345");
      const queue = ["/"];
      const seen = new Set<string>();
      const kinds = new Map<string, number>();
      const failures: string[] = [];
      while (queue.length && seen.size < 120) {
        const path = queue.shift()!;
        if (seen.has(path)) continue;
        seen.add(path);
        const response = await client.get(path);
        const location = response.headers.get("location");
        if (response.status === 302 || response.status === 303) {
          if (location?.startsWith("/")) queue.unshift(location);
          continue;
        }
        if (response.status !== 200) failures.push(`${response.status} ${path}`);
        if (!response.headers.get("content-type")?.includes("text/html")) {
          await response.arrayBuffer();
          continue;
        }
        for (const a of parse(await response.text()).querySelectorAll("a[href]")) {
          const href = (a.getAttribute("href") ?? "").split("#")[0];
          if (!href.startsWith("/") || href.startsWith("//") || SKIP.test(href) || seen.has(href)) continue;
          const kind = sameKind(href);
          if ((kinds.get(kind) ?? 0) >= 2) continue;
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          queue.push(href);
        }
      }
      expect(failures).toEqual([]);
      expect(seen.size).toBeGreaterThan(who === "customer" || who === "tech" ? 5 : 30);
    }, 60_000);
  }
});

describe("demo data", () => {
  test("has a default office calendar with the 2026 Malaysian holidays, Gold and Standard policies, and due times", async () => {
    const { db } = await testDatabase();
    const [calendar] = await db.select().from(businessCalendars).where(eq(businessCalendars.orgId, orgId));
    expect(calendar).toMatchObject({ timeZone: "Asia/Kuala_Lumpur", isDefault: true });
    expect(calendar.weekly).toEqual([1, 2, 3, 4, 5].map((day) => ({ day, start: "09:00", end: "18:00" })));
    const holidays = await db.select().from(calendarHolidays).where(eq(calendarHolidays.orgId, orgId));
    expect(holidays.map((h) => h.date).sort()).toEqual(MALAYSIA_HOLIDAYS_2026.map((h) => h.date));
    const policies = await db.select().from(slaPolicies).where(eq(slaPolicies.orgId, orgId));
    expect(policies.map((p) => p.name).sort()).toEqual(["Gold", "Standard"]);
    const [settings] = await db.select().from(slaSettings).where(eq(slaSettings.orgId, orgId));
    expect(settings.escalationUserId).toBeTruthy();
    // Every open ticket is covered by Standard at least, so every one has an SLA; a running one a due time.
    const open = await db
      .select()
      .from(tickets)
      .where(and(eq(tickets.orgId, orgId), inArray(tickets.status, ["new", "open"])));
    expect(open.length).toBeGreaterThan(0);
    for (const t of open) {
      expect(t.slaPolicyId).toBeTruthy();
      expect(t.slaNextDueAt).not.toBeNull();
    }
  });

  test("has the documented accounts, with the demo password", async () => {
    const { db } = await testDatabase();
    const emails = ["admin", "supervisor", "agent", "dispatcher", "tech", "customer"].map(
      (n) => `${n}@demo.test`,
    );
    const rows = await db
      .select()
      .from(users)
      .where(and(eq(users.orgId, orgId), inArray(users.email, emails)));
    expect(Object.fromEntries(rows.map((u) => [u.email, u.role]))).toEqual({
      "admin@demo.test": "admin",
      "supervisor@demo.test": "supervisor",
      "agent@demo.test": "agent",
      "dispatcher@demo.test": "dispatcher",
      "tech@demo.test": "technician",
      "customer@demo.test": "customer",
    });
    expect(await verifyPassword(rows[0].passwordHash, "demo12345")).toBe(true);
    expect(rows.find((u) => u.role === "customer")?.contactId).toBeTruthy();
  });

  test("has 150 technicians in 16 state teams", async () => {
    const { db } = await testDatabase();
    const [{ n }] = await db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.role, "technician")));
    expect(n).toBe(150);
    const field = await db
      .select()
      .from(teams)
      .where(and(eq(teams.orgId, orgId), sql`${teams.name} like 'Field — %'`));
    expect(field.length).toBe(16);
  });

  test("tickets are numbered 1..N with the counter at N, each with a thread, counts consistent", async () => {
    const { db } = await testDatabase();
    const [{ n, top }] = await db
      .select({ n: count(), top: max(tickets.number) })
      .from(tickets)
      .where(eq(tickets.orgId, orgId));
    expect(n).toBe(100);
    expect(top).toBe(100);
    const [counter] = await db
      .select()
      .from(counters)
      .where(and(eq(counters.orgId, orgId), eq(counters.name, "ticket")));
    expect(counter.value).toBe(100);
    const [{ threads }] = await db
      .select({ threads: sql<number>`count(distinct ${ticketMessages.ticketId})::int` })
      .from(ticketMessages)
      .where(eq(ticketMessages.orgId, orgId));
    expect(threads).toBe(100);
    const [{ total }] = await db
      .select({ total: sum(ticketCounts.count) })
      .from(ticketCounts)
      .where(eq(ticketCounts.orgId, orgId));
    expect(Number(total)).toBe(100);
  });

  test("the demo customer has answered tickets, and the demo agent has open work", async () => {
    const { db } = await testDatabase();
    const [customer] = await db
      .select()
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.email, "customer@demo.test")));
    const own = await db
      .select()
      .from(tickets)
      .where(and(eq(tickets.orgId, orgId), eq(tickets.contactId, customer.contactId!)));
    expect(own.length).toBeGreaterThanOrEqual(5);
    const answered = await db
      .select({ n: count() })
      .from(ticketMessages)
      .where(
        and(
          eq(ticketMessages.orgId, orgId),
          inArray(
            ticketMessages.ticketId,
            own.map((t) => t.id),
          ),
          sql`${ticketMessages.authorUserId} is not null`,
          eq(ticketMessages.kind, "reply"),
        ),
      );
    expect(answered[0].n).toBeGreaterThan(0);
    const [agent] = await db
      .select()
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.email, "agent@demo.test")));
    const open = await db
      .select({ n: count() })
      .from(tickets)
      .where(
        and(
          eq(tickets.orgId, orgId),
          eq(tickets.assigneeId, agent.id),
          inArray(tickets.status, ["open", "pending", "on_hold"]),
        ),
      );
    expect(open[0].n).toBeGreaterThan(0);
    const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId));
    expect(org).toMatchObject({
      slug: "demo",
      timeZone: "Asia/Kuala_Lumpur",
      supportEmail: "support@demo.test",
    });
  });

  test("each ticket's history agrees with its thread and its status", async () => {
    const { db } = await testDatabase();
    const rows = await db
      .select({
        status: tickets.status,
        messages: sql<number>`(select count(*)::int from ${ticketMessages} m
          where m.org_id = tickets.org_id and m.ticket_id = tickets.id)`,
        history: sql<{ type: string; data: { to?: string } }[]>`(select json_agg(json_build_object(
            'type', e.type, 'data', e.data) order by e.seq) from ${events} e
          where e.org_id = tickets.org_id and e.ticket_id = tickets.id)`,
      })
      .from(tickets)
      .where(eq(tickets.orgId, orgId));
    expect(rows.length).toBe(100);
    for (const ticket of rows) {
      const types = ticket.history.map((e) => e.type);
      expect(types[0]).toBe("ticket.created");
      expect(types.filter((t) => t === "ticket.created").length).toBe(1);
      // The first message is the one the ticket was created with; each later one has its event.
      expect(types.filter((t) => t.startsWith("message.")).length).toBe(ticket.messages - 1);
      const changes = ticket.history.filter((e) => e.type === "ticket.status_changed");
      expect(changes.at(-1)?.data.to ?? "new").toBe(ticket.status);
    }
  });

  test("has field service: territories, technicians, sites, and tech@demo.test's day", async () => {
    const { db } = await testDatabase();
    const [{ n: zoneCount }] = await db.select({ n: count() }).from(zones).where(eq(zones.orgId, orgId));
    expect(zoneCount).toBe(16);
    const [{ n: techCount }] = await db
      .select({ n: count() })
      .from(technicians)
      .where(eq(technicians.orgId, orgId));
    expect(techCount).toBe(150);
    const numbers = await db
      .select({ number: workOrders.number })
      .from(workOrders)
      .where(eq(workOrders.orgId, orgId));
    expect(numbers.map((w) => w.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const [counter] = await db
      .select()
      .from(counters)
      .where(and(eq(counters.orgId, orgId), eq(counters.name, "work_order")));
    expect(counter.value).toBe(20);
    const [tech] = await db
      .select()
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.email, "tech@demo.test")));
    const day = await myAppointments({
      db,
      now: new Date("2026-11-01T00:00:00Z"),
      actor: { kind: "user", orgId, role: "technician", userId: tech.id, name: tech.name },
    });
    expect(day.length).toBe(5);
    expect(day.every((a) => a.address)).toBe(true);
  });

  test("has categories with fields, and tickets whose values pass the fields' own checks", async () => {
    const { db } = await testDatabase();
    const catalog = await loadCatalog(db, orgId);
    const paths = catalog.categories.map((c) => categoryPath(catalog, c.id));
    expect(paths).toEqual(
      expect.arrayContaining([
        "Air conditioning › Not cooling",
        "Air conditioning › Leaking",
        "Billing › Refund",
        "Installation",
      ]),
    );
    const rows = await db
      .select({
        categoryId: tickets.categoryId,
        subcategoryId: tickets.subcategoryId,
        customFields: tickets.customFields,
      })
      .from(tickets)
      .where(eq(tickets.orgId, orgId));
    const classified = rows.filter((r) => r.categoryId);
    expect(classified.length).toBeGreaterThan(rows.length * 0.8);
    expect(classified.some((r) => r.subcategoryId)).toBe(true);
    for (const row of classified) {
      const checked = resolveValues({
        defs: fieldsOf(catalog, row.categoryId, row.subcategoryId),
        audience: "staff",
        input: row.customFields,
        existing: {},
        partial: false,
        enforceRequired: true,
      });
      expect(checked.errors).toEqual({});
      expect(checked.values).toEqual(row.customFields as never);
    }
  });

  test("every technician has a stocked van, filled from the central store; levels equal their movements", async () => {
    const { db } = await testDatabase();
    const locations = await db.select().from(stockLocations).where(eq(stockLocations.orgId, orgId));
    const technicianCount = await db
      .select({ n: count() })
      .from(technicians)
      .where(eq(technicians.orgId, orgId));
    expect(locations.filter((l) => l.kind === "van").length).toBe(technicianCount[0].n);
    expect(locations.filter((l) => l.kind === "warehouse").map((l) => l.name)).toEqual([
      "Shah Alam central store",
    ]);
    const result = await db.execute(sql`
      select l.quantity, coalesce((select sum(m.quantity) from stock_movements m
        where m.org_id = l.org_id and m.location_id = l.location_id and m.part_id = l.part_id), 0)::int as ledger
      from stock_levels l where l.org_id = ${orgId}`);
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
      quantity: number;
      ledger: number;
    }[];
    expect(rows.length).toBeGreaterThan(locations.length);
    for (const row of rows) expect(Number(row.quantity)).toBe(Number(row.ledger));
    expect(rows.every((r) => Number(r.quantity) >= 0)).toBe(true);
    const [tech] = await db
      .select()
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.email, "tech@demo.test")));
    const van = await myVan({
      db,
      now: new Date("2026-11-01T00:00:00Z"),
      actor: { kind: "user", orgId, role: "technician", userId: tech.id, name: tech.name },
    });
    expect(van.levels.map((l) => l.sku).sort()).toEqual(["BRK-20", "CAP-35", "FLT-20", "R32-1K"]);
    expect(van.levels.find((l) => l.sku === "BRK-20")?.below).toBe(true);
    const below = await db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.orgId, orgId), sql`${stockLevels.belowReorderSince} is not null`));
    expect(below.length).toBeGreaterThan(0);
  });

  test("has invoices for completed work orders: sent, paid, overdue and part-paid", async () => {
    const { db } = await testDatabase();
    const rows = await db.select().from(invoices).where(eq(invoices.orgId, orgId));
    const today = new Date().toISOString().slice(0, 10);
    const shown = rows.map((r) => (r.status === "sent" && r.dueDate < today ? "overdue" : r.status)).sort();
    expect(shown).toEqual(["overdue", "paid", "sent", "sent"]);
    const done = await db
      .select({ id: workOrders.id, status: workOrders.status })
      .from(workOrders)
      .where(eq(workOrders.orgId, orgId));
    for (const r of rows)
      expect(["completed", "closed"]).toContain(done.find((w) => w.id === r.workOrderId)?.status as string);
    const payments = await db.select().from(invoicePayments).where(eq(invoicePayments.orgId, orgId));
    expect(payments).toHaveLength(2);
    const [{ value }] = await db
      .select({ value: counters.value })
      .from(counters)
      .where(and(eq(counters.orgId, orgId), eq(counters.name, "invoice")));
    expect(value).toBe(4);
  });

  // Last, because it removes the data the tests above read.
  test("the demo customer has estimates to answer and maintenance plans on their equipment", async () => {
    const { db } = await testDatabase();
    const rows = await db.select().from(estimates).where(eq(estimates.orgId, orgId));
    expect(rows.map((r) => r.status).sort()).toEqual(["declined", "draft", "sent"]);
    const [{ value }] = await db
      .select({ value: counters.value })
      .from(counters)
      .where(and(eq(counters.orgId, orgId), eq(counters.name, "estimate")));
    expect(value).toBe(3);
    const plans = await db.select().from(maintenancePlans).where(eq(maintenancePlans.orgId, orgId));
    expect(plans.map((p) => p.recurrenceKind).sort()).toEqual(["interval", "rrule"]);
  });

  test("deleting the organization removes everything it owns", async () => {
    const { db } = await testDatabase();
    await db.delete(organizations).where(eq(organizations.id, orgId));
    for (const table of [
      users,
      teams,
      tickets,
      ticketMessages,
      events,
      ticketCounts,
      counters,
      zones,
      technicians,
      serviceLocations,
      assets,
      workOrders,
      appointments,
      lineItems,
      estimates,
      estimateLines,
      invoices,
      invoiceLines,
      invoicePayments,
      maintenancePlans,
      maintenancePlanLines,
      ticketCategories,
      ticketFields,
      stockLocations,
      stockLevels,
      stockMovements,
    ]) {
      const [{ n }] = await db.select({ n: count() }).from(table).where(eq(table.orgId, orgId));
      expect(n).toBe(0);
    }
  });
});
