// Reading tickets: the desk's lists and counts, one ticket with its thread and history, the
// customer's own tickets, and the API's paged list.
import { aliasedTable, and, asc, desc, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  attachments,
  CHANNELS,
  type Channel,
  contacts,
  events,
  inboundEmails,
  type OutboxStatus,
  outboxMessages,
  type TextStatus,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketStatus,
  tags,
  teams,
  textMessages,
  ticketMessages,
  ticketSearch,
  tickets,
  users,
} from "../../../db/schema";
import { type Ctx, can, requirePermission, STAFF_ROLES } from "../context";
import { invalid, notFound } from "../errors";
import { prepared } from "../prepared";
import { DEFAULT_SEARCH_CONFIG, regconfig, searchConfigOf, type TextSearchConfig } from "../search/config";
import { findVisibleTicket, type TicketRef } from "./access";
import { ticketCountRows } from "./counts";
import { isOneOf, isUuid, OPEN_STATUSES } from "./rules";

export const VIEWS = ["mine", "unassigned", "open", "pending", "solved", "all"] as const;
export type View = (typeof VIEWS)[number];
export const VIEW_LABELS: Record<View, string> = {
  mine: "My open",
  unassigned: "Unassigned",
  open: "All open",
  pending: "Pending",
  solved: "Solved",
  all: "All tickets",
};

export const SORTS = [
  "-updated_at",
  "updated_at",
  "-created_at",
  "created_at",
  "-priority",
  "priority",
  "-number",
  "number",
  "sla_due_at",
  "-sla_due_at",
  "-breach_risk",
] as const;
export type Sort = (typeof SORTS)[number];

export interface TicketFilters {
  view?: View;
  status?: TicketStatus[];
  priority?: TicketPriority[];
  /** "me", "none" or a user id. */
  assignee?: string;
  teamId?: string;
  tag?: string;
  channel?: Channel;
  /** A category or a subcategory id: tickets in it (a category includes its subcategories). */
  categoryId?: string;
  /** A custom field's value (see src/domain/fields): an option of a multi-select, "true" for a checkbox. */
  field?: { key: string; value: string };
  q?: string;
  sort?: Sort;
  /** Keyset cursor from the previous page's `nextCursor`. */
  after?: string;
  limit?: number;
}

// Written as a literal (not parameters) so the planner can match the partial index on open tickets.
const OPEN_SQL = sql.raw(`(${OPEN_STATUSES.map((s) => `'${s}'`).join(",")})`);
const PRIORITY_RANK = sql`array_position(array['low','normal','high','urgent']::text[], ${tickets.priority})`;

/** Tickets without a running SLA clock sort after every due time (the tickets_org_sla_due index). */
export const NO_DUE_DATE = new Date("9999-12-31T00:00:00Z");
const SLA_DUE = sql`coalesce(${tickets.slaNextDueAt}, '9999-12-31 00:00:00+00'::timestamptz)`;

/** Tickets the breach-risk model has not scored (no running target) sort after every score. */
const BREACH_RISK = sql`coalesce(${tickets.breachRisk}, -1::real)`;

function sortColumn(sort: Sort): SQL {
  const key = sort.replace(/^-/, "");
  if (key === "sla_due_at") return SLA_DUE;
  if (key === "breach_risk") return BREACH_RISK;
  if (key === "created_at") return sql`${tickets.createdAt}`;
  if (key === "priority") return PRIORITY_RANK;
  if (key === "number") return sql`${tickets.number}`;
  return sql`${tickets.updatedAt}`;
}

function encodeCursor(value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([value instanceof Date ? value.toISOString() : value, id])).toString(
    "base64url",
  );
}

function decodeCursor(cursor: string, sort: Sort): [unknown, string] {
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, "base64url").toString());
    if (!isUuid(id)) throw new Error();
    const key = sort.replace(/^-/, "");
    if (key.endsWith("_at")) {
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) throw new Error();
      return [date, id];
    }
    if (typeof value !== "number") throw new Error();
    return [value, id];
  } catch {
    throw invalid({ after: "That page link is no longer valid; start from the first page." });
  }
}

/** Conditions shared by the desk list and the API list. */
/** The organization and view conditions; values may be placeholders of a prepared query. */
function viewConditions(view: View | undefined, orgId: unknown, userId: unknown): SQL[] {
  const conditions: SQL[] = [eq(tickets.orgId, orgId as string)];
  const open = sql`${tickets.status} in ${OPEN_SQL}`;
  switch (view) {
    case "mine":
      // No user (an API token) matches nobody: "= NULL" is never true.
      conditions.push(open, eq(tickets.assigneeId, userId as string));
      break;
    case "unassigned":
      conditions.push(open, isNull(tickets.assigneeId));
      break;
    case "open":
      conditions.push(open);
      break;
    case "pending":
      conditions.push(eq(tickets.status, "pending"));
      break;
    case "solved":
      conditions.push(eq(tickets.status, "solved"));
      break;
  }
  return conditions;
}

/** The organization's search configuration, read only when the filters search text. */
function searchConfigFor(ctx: Ctx, filters: TicketFilters): Promise<TextSearchConfig> {
  return filters.q?.trim() ? searchConfigOf(ctx.db, ctx.actor.orgId) : Promise.resolve(DEFAULT_SEARCH_CONFIG);
}

/** The list's conditions; `searchConfig` is the organization's (see searchConfigFor) when there is a `q`. */
export function filterConditions(
  ctx: Ctx,
  filters: TicketFilters,
  searchConfig: TextSearchConfig = DEFAULT_SEARCH_CONFIG,
): SQL[] {
  const orgId = ctx.actor.orgId;
  const conditions = viewConditions(filters.view, orgId, ctx.actor.userId ?? null);
  if (filters.status?.length) conditions.push(inArray(tickets.status, filters.status));
  if (filters.priority?.length) conditions.push(inArray(tickets.priority, filters.priority));
  if (filters.assignee === "me")
    conditions.push(ctx.actor.userId ? eq(tickets.assigneeId, ctx.actor.userId) : sql`false`);
  else if (filters.assignee === "none") conditions.push(isNull(tickets.assigneeId));
  else if (filters.assignee) conditions.push(eq(tickets.assigneeId, filters.assignee));
  if (filters.teamId) conditions.push(eq(tickets.teamId, filters.teamId));
  if (filters.tag) conditions.push(sql`${tickets.tags} @> array[${filters.tag}]::text[]`);
  if (filters.channel) conditions.push(eq(tickets.channel, filters.channel));
  if (filters.categoryId)
    conditions.push(
      or(eq(tickets.categoryId, filters.categoryId), eq(tickets.subcategoryId, filters.categoryId))!,
    );
  if (filters.field) conditions.push(fieldValueCondition(filters.field.key, filters.field.value));
  const q = filters.q?.trim();
  if (q) {
    const query = sql`websearch_to_tsquery(${regconfig(searchConfig)}, ${q})`;
    const number = /^(?:TKT-)?0*(\d{1,9})$/i.exec(q);
    // The ticket's search document holds its subject, messages and notes.
    conditions.push(
      or(
        number ? eq(tickets.number, Number(number[1])) : undefined,
        sql`exists (select 1 from ${ticketSearch} s where s.org_id = ${orgId} and s.ticket_id = ${tickets.id} and s.document @@ ${query})`,
      )!,
    );
  }
  return conditions;
}

/**
 * Tickets whose custom field has the value, as containments the GIN index on custom_fields serves:
 * the text itself, a list holding it (multi-select), and the number or true it may stand for.
 * Sent as text and cast: a driver may otherwise encode the JSON string as a JSON string value.
 */
function fieldValueCondition(key: string, value: string): SQL {
  const candidates: unknown[] = [value, [value]];
  if (/^-?\d+(\.\d+)?$/.test(value)) candidates.push(Number(value));
  if (value === "true") candidates.push(true);
  return or(
    ...candidates.map((v) => sql`${tickets.customFields} @> ${JSON.stringify({ [key]: v })}::text::jsonb`),
  )!;
}

/** Turns loose query-string values into filters, dropping what is not recognised. */
export function parseFilters(query: Record<string, string | string[] | undefined>): TicketFilters {
  const list = (v: string | string[] | undefined) =>
    (Array.isArray(v) ? v : (v ?? "").split(",")).map((s) => s.trim()).filter(Boolean);
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
  const assignee = one(query.assignee);
  const teamId = one(query.team);
  const channel = one(query.channel);
  const view = one(query.view);
  const sort = one(query.sort);
  const limit = Number(one(query.limit));
  const category = one(query.category);
  const fieldKey = one(query.field);
  const fieldValue = one(query.fieldValue);
  return {
    view: isOneOf(VIEWS, view) ? view : undefined,
    status: list(query.status).filter((s): s is TicketStatus => isOneOf(TICKET_STATUSES, s)),
    priority: list(query.priority).filter((s): s is TicketPriority => isOneOf(TICKET_PRIORITIES, s)),
    assignee: assignee === "me" || assignee === "none" || isUuid(assignee) ? assignee : undefined,
    teamId: isUuid(teamId) ? teamId : undefined,
    tag: one(query.tag)?.toLowerCase(),
    channel: isOneOf(CHANNELS, channel) ? channel : undefined,
    categoryId: isUuid(category) ? category : undefined,
    field:
      fieldKey && /^[a-z][a-z0-9_]{0,39}$/.test(fieldKey) && fieldValue
        ? { key: fieldKey, value: fieldValue.slice(0, 200) }
        : undefined,
    q: one(query.q)?.slice(0, 200),
    sort: isOneOf(SORTS, sort) ? sort : undefined,
    after: one(query.after),
    limit: Number.isFinite(limit) ? limit : undefined,
  };
}

const assignee = aliasedTable(users, "assignee");
const author = aliasedTable(users, "author");

function listSelection() {
  return {
    id: tickets.id,
    number: tickets.number,
    subject: tickets.subject,
    status: tickets.status,
    priority: tickets.priority,
    type: tickets.type,
    channel: tickets.channel,
    tags: tickets.tags,
    createdAt: tickets.createdAt,
    updatedAt: tickets.updatedAt,
    contactId: tickets.contactId,
    contactName: contacts.name,
    contactEmail: contacts.email,
    assigneeId: tickets.assigneeId,
    assigneeName: assignee.name,
    teamId: tickets.teamId,
    teamName: teams.name,
    slaPolicyId: tickets.slaPolicyId,
    slaNextDueAt: tickets.slaNextDueAt,
    slaBreached: tickets.slaBreached,
    categoryId: tickets.categoryId,
    subcategoryId: tickets.subcategoryId,
    customFields: tickets.customFields,
  };
}

/** Only what the desk's table shows: every extra column costs parsing on every row of every page. */
const deskListSelection = {
  id: tickets.id,
  number: tickets.number,
  subject: tickets.subject,
  status: tickets.status,
  priority: tickets.priority,
  tags: tickets.tags,
  createdAt: tickets.createdAt,
  updatedAt: tickets.updatedAt,
  contactName: contacts.name,
  assigneeName: assignee.name,
  slaNextDueAt: tickets.slaNextDueAt,
  slaBreached: tickets.slaBreached,
  breachRisk: tickets.breachRisk,
  sentiment: tickets.sentiment,
  categoryId: tickets.categoryId,
  subcategoryId: tickets.subcategoryId,
};

export type TicketListRow = Awaited<ReturnType<typeof listTickets>>["rows"][number];

/** The desk's list: keyset-paginated, so page 200 costs what page 1 costs. */
function selectList(db: Ctx["db"], conditions: SQL[], sort: Sort, limit: unknown) {
  const column = sortColumn(sort);
  const order = sort.startsWith("-") ? [desc(column), desc(tickets.id)] : [asc(column), asc(tickets.id)];
  return db
    .select(deskListSelection)
    .from(tickets)
    .innerJoin(contacts, and(eq(contacts.orgId, tickets.orgId), eq(contacts.id, tickets.contactId)))
    .leftJoin(assignee, and(eq(assignee.orgId, tickets.orgId), eq(assignee.id, tickets.assigneeId)))
    .where(and(...conditions))
    .orderBy(...order)
    .limit(limit as number);
}

/** Keyset condition (a, b) < (x, y) in one expression; values may be placeholders. */
function afterCondition(sort: Sort, value: unknown, id: unknown): SQL {
  const column = sortColumn(sort);
  const bound = sort.endsWith("_at")
    ? sql`${value}::timestamptz`
    : sort.endsWith("breach_risk")
      ? sql`${value}::real`
      : sql`${value}::int`;
  return sort.startsWith("-")
    ? sql`(${column}, ${tickets.id}) < (${bound}, ${id}::uuid)`
    : sql`(${column}, ${tickets.id}) > (${bound}, ${id}::uuid)`;
}

const hasFilters = (f: TicketFilters) =>
  Boolean(
    f.status?.length ||
      f.priority?.length ||
      f.assignee ||
      f.teamId ||
      f.tag ||
      f.channel ||
      f.categoryId ||
      f.field ||
      f.q?.trim(),
  );

/** The desk's list: keyset-paginated, so page 200 costs what page 1 costs. */
export async function listTickets(ctx: Ctx, filters: TicketFilters) {
  requirePermission(ctx.actor, "tickets.read_all");
  const sort = filters.sort ?? "-updated_at";
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 100);
  const cursor = filters.after ? decodeCursor(filters.after, sort) : undefined;
  const values = {
    orgId: ctx.actor.orgId,
    userId: ctx.actor.userId ?? null,
    afterValue: cursor?.[0] instanceof Date ? cursor[0].toISOString() : (cursor?.[0] ?? null),
    afterId: cursor?.[1] ?? null,
    limit: limit + 1,
  };
  let rows: Awaited<ReturnType<ReturnType<typeof selectList>["execute"]>>;
  if (hasFilters(filters)) {
    const conditions = filterConditions(ctx, filters, await searchConfigFor(ctx, filters));
    if (cursor) conditions.push(afterCondition(sort, values.afterValue, values.afterId));
    rows = await selectList(ctx.db, conditions, sort, values.limit);
  } else {
    // The plain views are the desk's busiest pages: one prepared query per view, sort and page kind.
    const name = `list_${filters.view ?? "all"}_${sort}_${cursor ? "next" : "first"}`;
    const query = prepared(ctx.db, name, () => {
      const ph = sql.placeholder;
      const conditions = viewConditions(filters.view, ph("orgId"), ph("userId"));
      if (cursor) conditions.push(afterCondition(sort, ph("afterValue"), ph("afterId")));
      return selectList(ctx.db, conditions, sort, ph("limit")).prepare(name.replace(/\W/g, "_"));
    });
    rows = await query.execute(values);
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const sortKey = sort.replace(/^-/, "");
  const lastValue =
    last &&
    (sortKey === "updated_at"
      ? last.updatedAt
      : sortKey === "created_at"
        ? last.createdAt
        : sortKey === "number"
          ? last.number
          : sortKey === "sla_due_at"
            ? (last.slaNextDueAt ?? NO_DUE_DATE)
            : sortKey === "breach_risk"
              ? (last.breachRisk ?? -1)
              : TICKET_PRIORITIES.indexOf(last.priority) + 1);
  return {
    rows: page,
    nextCursor: rows.length > limit && last ? encodeCursor(lastValue, last.id) : undefined,
  };
}

/**
 * The organization's latest event: it moves with every change to any ticket, so it versions
 * anything derived from the tickets (the desk caches its list by it).
 */
export async function latestEventSeq(ctx: Ctx): Promise<number> {
  requirePermission(ctx.actor, "tickets.read_all");
  const [row] = await prepared(ctx.db, "latestEventSeq", () =>
    ctx.db
      .select({ seq: events.seq })
      .from(events)
      .where(eq(events.orgId, sql.placeholder("orgId")))
      .orderBy(desc(events.seq))
      .limit(1)
      .prepare("latest_event_seq"),
  ).execute({ orgId: ctx.actor.orgId });
  return row ? Number(row.seq) : 0;
}

/**
 * The latest event of one ticket the actor may see, and of its organization, in one statement: they
 * version what the ticket page shows of the ticket itself and of everything around it.
 */
export async function ticketVersion(
  ctx: Ctx,
  ref: TicketRef,
): Promise<{ ticketId: string; version: number; orgVersion: number }> {
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  const latest = (ticketId?: SQL) =>
    sql`(select seq from ${events} where ${events.orgId} = ${sql.placeholder("orgId")}${ticketId ? sql` and ${events.ticketId} = ${ticketId}` : sql``} order by seq desc limit 1)`;
  const [row] = await prepared(ctx.db, "ticketVersion", () =>
    ctx.db
      .select({
        seq: sql<number | null>`${latest(sql`${sql.placeholder("ticketId")}`)}`,
        orgSeq: sql<number | null>`${latest()}`,
      })
      .from(sql`(select 1) as one`)
      .prepare("ticket_version"),
  ).execute({ orgId: ctx.actor.orgId, ticketId: ticket.id });
  return { ticketId: ticket.id, version: Number(row?.seq ?? 0), orgVersion: Number(row?.orgSeq ?? 0) };
}

/** Counts for the desk's views, from ticket_counts and its deltas (kept by a trigger), never from tickets. */
export async function viewCounts(ctx: Ctx): Promise<Record<View, number>> {
  requirePermission(ctx.actor, "tickets.read_all");
  const rows = await ticketCountRows(ctx.db, ctx.actor.orgId);
  const counts: Record<View, number> = { mine: 0, unassigned: 0, open: 0, pending: 0, solved: 0, all: 0 };
  const nil = "00000000-0000-0000-0000-000000000000";
  for (const row of rows) {
    const n = Number(row.count);
    counts.all += n;
    if (row.status === "pending") counts.pending += n;
    if (row.status === "solved") counts.solved += n;
    if (!OPEN_STATUSES.includes(row.status)) continue;
    counts.open += n;
    if (row.assigneeKey === nil) counts.unassigned += n;
    if (row.assigneeKey === ctx.actor.userId) counts.mine += n;
  }
  return counts;
}

/** The API's list: page numbers and a total, as integrators expect. */
export async function listTicketsPaged(ctx: Ctx, filters: TicketFilters & { page?: number }) {
  requirePermission(ctx.actor, "tickets.read_all");
  const limit = Math.min(Math.max(filters.limit ?? 20, 1), 100);
  const page = Math.max(filters.page ?? 1, 1);
  const sort = filters.sort ?? "-created_at";
  const column = sortColumn(sort);
  const where = and(...filterConditions(ctx, filters, await searchConfigFor(ctx, filters)));
  const [rows, [{ total }]] = await Promise.all([
    ctx.db
      .select(listSelection())
      .from(tickets)
      .innerJoin(contacts, and(eq(contacts.orgId, tickets.orgId), eq(contacts.id, tickets.contactId)))
      .leftJoin(assignee, and(eq(assignee.orgId, tickets.orgId), eq(assignee.id, tickets.assigneeId)))
      .leftJoin(teams, and(eq(teams.orgId, tickets.orgId), eq(teams.id, tickets.teamId)))
      .where(where)
      .orderBy(...(sort.startsWith("-") ? [desc(column), desc(tickets.id)] : [asc(column), asc(tickets.id)]))
      .limit(limit)
      .offset((page - 1) * limit),
    ctx.db.select({ total: sql<number>`count(*)::int` }).from(tickets).where(where),
  ]);
  return { rows, page, limit, total: Number(total) };
}

/** A customer's own tickets, newest activity first. */
export async function listOwnTickets(ctx: Ctx, options: { status?: "open" | "solved" } = {}) {
  requirePermission(ctx.actor, "tickets.read_own");
  if (!ctx.actor.contactId) return [];
  return ctx.db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      createdAt: tickets.createdAt,
      updatedAt: tickets.updatedAt,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.orgId, ctx.actor.orgId),
        eq(tickets.contactId, ctx.actor.contactId),
        options.status === "open" ? sql`${tickets.status} in ${OPEN_SQL}` : undefined,
        options.status === "solved" ? inArray(tickets.status, ["solved", "closed"]) : undefined,
      ),
    )
    .orderBy(desc(tickets.updatedAt))
    .limit(200);
}

export interface ThreadMessage {
  id: string;
  kind: "reply" | "note";
  body: string;
  channel: Channel;
  createdAt: Date;
  authorName: string;
  authorIsStaff: boolean;
  attachments: { id: string; filename: string; contentType: string; sizeBytes: number }[];
  /** Staff only: for a message that came by email, why it joined this ticket and its original. */
  email?: { reason: string; original: string };
  /** Staff only: what became of the mail that carried this reply to the customer. */
  delivery?: { status: OutboxStatus; to: string; error: string | null };
  /** Staff only: the SMS or WhatsApp message that carried it, either way. */
  text?: { direction: "inbound" | "outbound"; status: TextStatus; number: string; note: string | null };
}

/** One ticket with its thread (notes left out for customers), its people and its history. */
export async function getTicket(ctx: Ctx, ref: TicketRef) {
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  const staffView = can(ctx.actor, "tickets.read_all");
  const orgId = ctx.actor.orgId;
  const db = ctx.db;
  const ph = sql.placeholder;
  const ids = { orgId, ticketId: ticket.id, contactId: ticket.contactId };
  // Prepared once per database: the ticket page is the desk's second-busiest page.
  const [contact, people, messageRows, fileRows, history] = await Promise.all([
    ticketContact(db, ids),
    ticketPeople(db, ids),
    prepared(db, staffView ? "ticketThreadStaff" : "ticketThreadPublic", () =>
      db
        .select({
          id: ticketMessages.id,
          kind: ticketMessages.kind,
          body: ticketMessages.body,
          channel: ticketMessages.channel,
          createdAt: ticketMessages.createdAt,
          userName: author.name,
          contactName: contacts.name,
          authorLabel: ticketMessages.authorLabel,
        })
        .from(ticketMessages)
        .leftJoin(
          author,
          and(eq(author.orgId, ticketMessages.orgId), eq(author.id, ticketMessages.authorUserId)),
        )
        .leftJoin(
          contacts,
          and(eq(contacts.orgId, ticketMessages.orgId), eq(contacts.id, ticketMessages.authorContactId)),
        )
        .where(
          and(
            eq(ticketMessages.orgId, ph("orgId")),
            eq(ticketMessages.ticketId, ph("ticketId")),
            staffView ? undefined : eq(ticketMessages.kind, "reply"),
          ),
        )
        .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
        .prepare(staffView ? "ticket_thread_staff" : "ticket_thread_public"),
    ).execute(ids),
    prepared(db, "ticketFiles", () =>
      db
        .select({
          id: attachments.id,
          messageId: attachments.messageId,
          filename: attachments.filename,
          contentType: attachments.contentType,
          sizeBytes: attachments.sizeBytes,
        })
        .from(attachments)
        .where(and(eq(attachments.orgId, ph("orgId")), eq(attachments.ticketId, ph("ticketId"))))
        .prepare("ticket_files"),
    ).execute(ids),
    staffView
      ? prepared(db, "ticketHistory", () =>
          db
            .select({
              seq: events.seq,
              type: events.type,
              data: events.data,
              createdAt: events.createdAt,
              actorKind: events.actorKind,
              actorName: author.name,
            })
            .from(events)
            .leftJoin(author, and(eq(author.orgId, events.orgId), eq(author.id, events.actorUserId)))
            .where(and(eq(events.orgId, ph("orgId")), eq(events.ticketId, ph("ticketId"))))
            .orderBy(asc(events.seq))
            .prepare("ticket_history"),
        ).execute(ids)
      : Promise.resolve([]),
  ]);
  const mail = staffView ? await ticketMail(db, orgId, ticket.id) : { received: [], sent: [], texts: [] };
  const messages: ThreadMessage[] = messageRows.map((m) => ({
    id: m.id,
    kind: m.kind,
    body: m.body,
    channel: m.channel,
    createdAt: m.createdAt,
    authorName: m.userName ?? m.contactName ?? m.authorLabel ?? "Unknown",
    authorIsStaff: !m.contactName,
    attachments: fileRows.filter((f) => f.messageId === m.id),
    ...mailOf(mail, m.id),
  }));
  return { ticket, contact, ...people, messages, history };
}

export type TicketDetail = Awaited<ReturnType<typeof getTicket>>;

type TicketIds = { orgId: string; ticketId: string; contactId: string };

/** The ticket's requester. */
async function ticketContact(db: Db, ids: TicketIds) {
  const [contact] = await prepared(db, "ticketContact", () =>
    db
      .select()
      .from(contacts)
      .where(and(eq(contacts.orgId, sql.placeholder("orgId")), eq(contacts.id, sql.placeholder("contactId"))))
      .prepare("ticket_contact"),
  ).execute(ids);
  return contact;
}

/** The names of the ticket's assignee and team. */
async function ticketPeople(db: Db, ids: TicketIds) {
  const [people] = await prepared(db, "ticketPeople", () =>
    db
      .select({ assigneeName: assignee.name, teamName: teams.name })
      .from(tickets)
      .leftJoin(assignee, and(eq(assignee.orgId, tickets.orgId), eq(assignee.id, tickets.assigneeId)))
      .leftJoin(teams, and(eq(teams.orgId, tickets.orgId), eq(teams.id, tickets.teamId)))
      .where(and(eq(tickets.orgId, sql.placeholder("orgId")), eq(tickets.id, sql.placeholder("ticketId"))))
      .prepare("ticket_people"),
  ).execute(ids);
  return { assigneeName: people?.assigneeName ?? null, teamName: people?.teamName ?? null };
}

/**
 * One ticket as the API answers with it: its row, its requester, and its assignee's and team's
 * names — not its thread, history and mail, which `getTicket` reads besides.
 */
export async function getTicketSummary(ctx: Ctx, ref: TicketRef): Promise<TicketSummary> {
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  const ids = { orgId: ctx.actor.orgId, ticketId: ticket.id, contactId: ticket.contactId };
  const [contact, people] = await Promise.all([ticketContact(ctx.db, ids), ticketPeople(ctx.db, ids)]);
  if (!contact) throw notFound("That ticket");
  return { ticket, contact, ...people };
}

export interface TicketSummary {
  ticket: TicketDetail["ticket"];
  contact: Pick<TicketDetail["contact"], "name" | "email">;
  assigneeName: string | null;
  teamName: string | null;
}

/** The ticket's received and sent mail, for the thread's email details. */
async function ticketMail(db: Db, orgId: string, ticketId: string) {
  const [received, sent, texts] = await Promise.all([
    db
      .select({
        id: inboundEmails.id,
        messageId: inboundEmails.ticketMessageId,
        reason: inboundEmails.reason,
      })
      .from(inboundEmails)
      .where(and(eq(inboundEmails.orgId, orgId), eq(inboundEmails.ticketId, ticketId))),
    db
      .select({
        messageId: outboxMessages.ticketMessageId,
        status: outboxMessages.status,
        to: outboxMessages.toAddress,
        error: outboxMessages.lastError,
      })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.orgId, orgId), eq(outboxMessages.ticketId, ticketId))),
    db
      .select({
        messageId: textMessages.ticketMessageId,
        direction: textMessages.direction,
        status: textMessages.status,
        from: textMessages.fromNumber,
        to: textMessages.toNumber,
        reason: textMessages.reason,
        error: textMessages.error,
      })
      .from(textMessages)
      .where(and(eq(textMessages.orgId, orgId), eq(textMessages.ticketId, ticketId))),
  ]);
  return { received, sent, texts };
}

function mailOf(mail: Awaited<ReturnType<typeof ticketMail>>, messageId: string): Partial<ThreadMessage> {
  const received = mail.received.find((r) => r.messageId === messageId);
  const sent = mail.sent.find((r) => r.messageId === messageId);
  const text = mail.texts.find((r) => r.messageId === messageId);
  return {
    ...(text
      ? {
          text: {
            direction: text.direction,
            status: text.status,
            number: text.direction === "inbound" ? text.from : text.to,
            note: text.direction === "inbound" ? text.reason : text.error,
          },
        }
      : {}),
    ...(received ? { email: { reason: received.reason, original: received.id } } : {}),
    ...(sent ? { delivery: { status: sent.status, to: sent.to, error: sent.error } } : {}),
  };
}

/** The people and teams a ticket can be given to, for the desk's pickers. */
export async function assignmentChoices(ctx: Ctx) {
  requirePermission(ctx.actor, "tickets.read_all");
  const db = ctx.db;
  const orgId = sql.placeholder("orgId");
  const [agents, teamRows, tagRows] = await Promise.all([
    prepared(db, "choiceAgents", () =>
      db
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(and(eq(users.orgId, orgId), eq(users.active, true), inArray(users.role, [...STAFF_ROLES])))
        .orderBy(users.name)
        .prepare("choice_agents"),
    ).execute({ orgId: ctx.actor.orgId }),
    prepared(db, "choiceTeams", () =>
      db
        .select({ id: teams.id, name: teams.name })
        .from(teams)
        .where(eq(teams.orgId, orgId))
        .orderBy(teams.name)
        .prepare("choice_teams"),
    ).execute({ orgId: ctx.actor.orgId }),
    prepared(db, "choiceTags", () =>
      db
        .select({ name: tags.name })
        .from(tags)
        .where(eq(tags.orgId, orgId))
        .orderBy(tags.name)
        .limit(500)
        .prepare("choice_tags"),
    ).execute({ orgId: ctx.actor.orgId }),
  ]);
  return { agents, teams: teamRows, tags: tagRows.map((t) => t.name) };
}

/** An attachment the actor may download: staff of the organization, or the customer on a public reply. */
export async function getAttachment(ctx: Ctx, attachmentId: string) {
  if (!isUuid(attachmentId)) return undefined;
  const [row] = await ctx.db
    .select({ file: attachments, kind: ticketMessages.kind })
    .from(attachments)
    .innerJoin(
      ticketMessages,
      and(eq(ticketMessages.orgId, attachments.orgId), eq(ticketMessages.id, attachments.messageId)),
    )
    .where(and(eq(attachments.orgId, ctx.actor.orgId), eq(attachments.id, attachmentId)));
  if (!row) return undefined;
  try {
    await findVisibleTicket(ctx.db, ctx.actor, row.file.ticketId);
  } catch {
    return undefined;
  }
  if (!can(ctx.actor, "tickets.read_all") && row.kind !== "reply") return undefined;
  return row.file;
}
