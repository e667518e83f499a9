// The agent desk: ticket lists with views and filters, bulk edits, the ticket page, live updates.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import { type Ctx, can } from "../domain/context";
import { inboundOriginal } from "../domain/email/inbound";
import { isDomainError } from "../domain/errors";
import { readCatalog } from "../domain/fields/catalog";
import type { Catalog } from "../domain/fields/values";
import { servesInline } from "../domain/files/store";
import { workOrdersForTicket } from "../domain/fsm/workOrders";
import { applyMacro, listMacros } from "../domain/macros/macros";
import { formatTicketNumber, ticketNumbers } from "../domain/orgs/counters";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { ticketRelations } from "../domain/relations/panel";
import { ticketSla } from "../domain/sla/tickets";
import { addMessage, bulkUpdate, createTicket, updateTicket } from "../domain/tickets/commands";
import {
  assignmentChoices,
  getAttachment,
  getTicket,
  latestEventSeq,
  listTickets,
  parseFilters,
  type TicketDetail,
  type TicketFilters,
  ticketVersion,
  type View,
  viewCounts,
} from "../domain/tickets/queries";
import { ticketTime } from "../domain/time/ticketTime";
import { NewTicketPage } from "../views/desk/newTicket";
import { RELATION_NOTICES } from "../views/desk/relations";
import {
  BulkBar,
  FilterBar,
  type Pickers,
  TicketListPage,
  type TicketListProps,
  TicketListRegion,
  TicketTable,
} from "../views/desk/ticketList";
import {
  deskHistory,
  deskThread,
  TicketLiveRegion,
  TicketPage,
  type TicketPageProps,
} from "../views/desk/ticketPage";
import { fieldValuesFromBody } from "../views/fields/form";
import type { Deps } from "./deps";
import { liveStream } from "./live";
import { flattened, renderedFrom, Snapshots } from "./snapshots";
import {
  field,
  fieldList,
  formValues,
  requireUserWith,
  seeOther,
  uploads,
  viewerOf,
  webContext,
} from "./web";

const NOTICES: Record<string, string> = {
  created: "Ticket created.",
  sent: "Your reply was sent.",
  noted: "Internal note added.",
  assigned: "Assigned by the team's strategy; the history says why.",
  "not-assigned": "Nobody was assigned; the history says why.",
  saved: "Changes saved.",
  ...RELATION_NOTICES,
};

/** "TKT-000123" → 123, or a 404 for anything else. */
export const ticketNumberParam = ticketNumbers.param;

export function deskRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/desk", ({ set, request }) => seeOther(set, request, "/desk/tickets"))
    .get("/desk/tickets", async ({ user, csrf, ctxFor, query, request, now }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.read_all"));
      const filters = parseFilters(query);
      if (!filters.view && !hasFilters(filters)) filters.view = "open";
      const { table, nextCursor, counts, pickers } = await listPageData(ctx, filters, now);
      const url = new URL(request.url);
      for (const key of ["fragment", "notice", "bulk", "updated", "skipped"]) url.searchParams.delete(key);
      const props: TicketListProps = {
        csrf,
        viewer: viewerOf(ctx.actor as SessionUser),
        counts,
        filters,
        table,
        nextCursor,
        pickers,
        selfUrl: url.pathname + url.search,
        now,
        notice: NOTICES[query.notice ?? ""],
        error: bulkMessage(query),
      };
      return query.fragment ? <TicketListRegion {...props} /> : <TicketListPage {...props} />;
    })
    .get("/desk/tickets/new", async ({ user, csrf, ctxFor }) => {
      const me = requireUserWith(user, "tickets.work");
      const ctx = ctxFor(me);
      const [choices, catalog] = await Promise.all([assignmentChoices(ctx), readCatalog(ctx)]);
      return <NewTicketPage csrf={csrf} viewer={viewerOf(me)} choices={choices} catalog={catalog} />;
    })
    .post("/desk/tickets", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "tickets.work");
      const ctx = ctxFor(me);
      // "Continue" (no JavaScript): the same form again, with the chosen category's fields.
      if (field(body, "continue")) {
        const [choices, catalog] = await Promise.all([assignmentChoices(ctx), readCatalog(ctx)]);
        return (
          <NewTicketPage
            csrf={csrf}
            viewer={viewerOf(me)}
            choices={choices}
            catalog={catalog}
            values={formValues(body)}
            fieldValues={fieldValuesFromBody(body)}
          />
        );
      }
      try {
        const ticket = await createTicket(ctx, {
          subject: field(body, "subject"),
          body: field(body, "body"),
          priority: field(body, "priority"),
          type: field(body, "type"),
          requesterEmail: field(body, "requesterEmail"),
          requesterName: field(body, "requesterName"),
          assigneeId: field(body, "assigneeId") || null,
          teamId: field(body, "teamId") || null,
          tags: field(body, "tags"),
          files: uploads(body),
          category: field(body, "category") || null,
          fields: fieldValuesFromBody(body),
          wholeForm: true,
        });
        return seeOther(set, request, `/desk/tickets/${formatTicketNumber(ticket.number)}?notice=created`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403) throw error;
        set.status = error.status;
        return (
          <NewTicketPage
            csrf={csrf}
            viewer={viewerOf(me)}
            choices={await assignmentChoices(ctx)}
            catalog={await readCatalog(ctx)}
            values={formValues(body)}
            fieldValues={fieldValuesFromBody(body)}
            fields={error.fields}
            message={error.message}
          />
        );
      }
    })
    .post("/desk/tickets/bulk", async ({ user, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.read_all"));
      const back = field(body, "back").startsWith("/desk/tickets") ? field(body, "back") : "/desk/tickets";
      const assignee = field(body, "assigneeId");
      try {
        const result = await bulkUpdate(ctx, fieldList(body, "ids"), {
          assigneeId: assignee === "none" ? null : assignee || undefined,
          status: field(body, "status") || undefined,
          priority: field(body, "priority") || undefined,
          addTags: field(body, "addTags") || undefined,
          // "none" clears the category; empty leaves it.
          category: field(body, "category") === "none" ? null : field(body, "category") || undefined,
        });
        const outcome: Record<string, string> = result.skipped.length
          ? {
              bulk: "partial",
              updated: String(result.updated),
              skipped: result.skipped.map((t) => formatTicketNumber(t.number)).join(","),
            }
          : { notice: "saved" };
        return seeOther(set, request, withQuery(back, outcome));
      } catch (error) {
        if (!isDomainError(error) || error.status === 403) throw error;
        const problem = Object.keys(error.fields ?? {}).find((k) => k in BULK_PROBLEMS) ?? "action";
        return seeOther(set, request, withQuery(back, { bulk: problem }));
      }
    })
    .get("/desk/tickets/:number", async ({ user, csrf, ctxFor, params, query }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.read_all"));
      const props = await ticketPageProps(ctx, deps, csrf, ticketNumberParam(params.number));
      props.notice = NOTICES[query.notice ?? ""];
      return query.fragment ? <TicketLiveRegion {...props} /> : <TicketPage {...props} />;
    })
    .post("/desk/tickets/:number/messages", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.read_all"));
      const number = ticketNumberParam(params.number);
      const kind = field(body, "kind") === "note" ? "note" : "reply";
      try {
        const seen = new Date(field(body, "seen"));
        await addMessage(ctx, number, {
          kind,
          body: field(body, "body"),
          status: field(body, "status") || undefined,
          files: uploads(body),
          seenAt: Number.isNaN(seen.getTime()) ? undefined : seen,
          sendAnyway: field(body, "sendAnyway") === "1",
        });
        return seeOther(
          set,
          request,
          `/desk/tickets/${formatTicketNumber(number)}?notice=${kind === "note" ? "noted" : "sent"}`,
        );
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        const props = await ticketPageProps(ctx, deps, csrf, number);
        props.failed = {
          form: "reply",
          message: error.message,
          fields: error.fields ?? {},
          values: formValues(body),
        };
        return <TicketPage {...props} />;
      }
    })
    .post("/desk/tickets/:number/properties", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.read_all"));
      const number = ticketNumberParam(params.number);
      try {
        await updateTicket(ctx, number, {
          status: field(body, "status") || undefined,
          priority: field(body, "priority") || undefined,
          type: field(body, "type") || undefined,
          assigneeId: field(body, "assigneeId") || null,
          teamId: field(body, "teamId") || null,
          tags: field(body, "tags"),
          requesterEmail: field(body, "requesterEmail") || undefined,
        });
        return seeOther(set, request, `/desk/tickets/${formatTicketNumber(number)}?notice=saved`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        const props = await ticketPageProps(ctx, deps, csrf, number);
        props.failed = {
          form: "properties",
          message: error.message,
          fields: error.fields ?? {},
          values: formValues(body),
        };
        return <TicketPage {...props} />;
      }
    })
    .post("/desk/tickets/:number/macro", async ({ user, csrf, ctxFor, params, body, set }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      try {
        const { body: text } = await applyMacro(ctx, number, field(body, "macroId"));
        const props = await ticketPageProps(ctx, deps, csrf, number);
        props.prefill = { body: text, kind: "reply" };
        props.notice = "Macro applied: its changes are saved; check the reply and send it.";
        return <TicketPage {...props} />;
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        const props = await ticketPageProps(ctx, deps, csrf, number);
        props.notice = `The macro could not be applied: ${Object.values(error.fields ?? {}).join(" ") || error.message}`;
        return <TicketPage {...props} />;
      }
    })
    .get("/desk/attachments/:id", async ({ user, ctxFor, params }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.read_all"));
      return attachmentResponse(deps, await getAttachment(ctx, params.id));
    })
    .get("/desk/emails/:id/original", async ({ user, ctxFor, params }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.read_all"));
      return attachmentResponse(deps, await inboundOriginal(ctx, params.id));
    })
    .get("/desk/live", ({ user, request }) => {
      const me = requireUserWith(user, "tickets.read_all");
      return liveStream(deps.bus, me.orgId, request.signal, me.userId);
    });
}

interface ListSnapshot {
  table: string;
  nextCursor?: string;
}
const listSnapshots = new Snapshots<ListSnapshot>(30_000, 2_000);
const countSnapshots = new Snapshots<Record<View, number>>(30_000, 2_000);
type Choices = Awaited<ReturnType<typeof assignmentChoices>>;
const choiceSnapshots = new Snapshots<Choices>(30_000, 500);
const catalogSnapshots = new Snapshots<Catalog>(30_000, 500);

/**
 * The list page's data. The plain views (no filters) are the desk's busiest page: their rendered
 * table and the view counts are reused while the organization's latest event stays the same.
 * Agents, teams and tags change without ticket events, so those are reused for 30 s at most.
 */
async function listPageData(ctx: Ctx, filters: TicketFilters, now: Date) {
  const at = now.getTime();
  const org = ctx.actor.orgId;
  const user = ctx.actor.userId ?? "";
  const version = await latestEventSeq(ctx);
  const choices =
    choiceSnapshots.get(org, 0, at) ?? choiceSnapshots.set(org, 0, at, await assignmentChoices(ctx));

  // Category and field changes append events of the organization, so the version covers them.
  const catalog =
    catalogSnapshots.get(org, version, at) ?? catalogSnapshots.set(org, version, at, await readCatalog(ctx));
  const counts =
    countSnapshots.get(`${org}|${user}`, version, at) ??
    countSnapshots.set(`${org}|${user}`, version, at, await viewCounts(ctx));
  const listKey = hasFilters(filters)
    ? undefined
    : [org, filters.view, filters.sort ?? "", filters.after ?? "", filters.view === "mine" ? user : ""].join(
        "|",
      );
  let list = listKey ? listSnapshots.get(listKey, version, at) : undefined;
  if (!list) {
    const { rows, nextCursor } = await listTickets(ctx, filters);
    const table = (<TicketTable rows={rows} now={now} catalog={catalog} />) as string;
    list = { table: listKey ? flattened(table) : table, nextCursor };
    if (listKey) listSnapshots.set(listKey, version, at, list);
  }
  return { ...list, counts, pickers: listPickers(filters, choices, catalog, listKey ? version : undefined) };
}

/**
 * The filter and bulk-edit bars. A plain view's (`version` given: no filters but the view and sort)
 * are rendered once per snapshot of the agents, teams and tags, organization version (which covers
 * the catalog), view and sort: they are a quarter of the page, and were most of its rendering.
 */
function listPickers(filters: TicketFilters, choices: Choices, catalog: Catalog, version?: number): Pickers {
  const filterBar = () => (<FilterBar filters={filters} choices={choices} catalog={catalog} />) as string;
  const bulkBar = () => (<BulkBar choices={choices} catalog={catalog} />) as string;
  if (version === undefined) return { filterBar: filterBar(), bulkBar: bulkBar() };
  return {
    filterBar: renderedFrom(
      choices,
      `filters|${version}|${filters.view ?? ""}|${filters.sort ?? ""}`,
      filterBar,
    ),
    bulkBar: renderedFrom(choices, `bulk|${version}`, bulkBar),
  };
}

function hasFilters(f: ReturnType<typeof parseFilters>): boolean {
  return Boolean(
    f.status?.length ||
      f.priority?.length ||
      f.assignee ||
      f.teamId ||
      f.tag ||
      f.channel ||
      f.categoryId ||
      f.field ||
      f.q,
  );
}

/** The list address to return to, with the outcome of a bulk edit and without the old one. */
function withQuery(path: string, outcome: Record<string, string>): string {
  const url = new URL(path, "http://localhost");
  for (const key of ["bulk", "updated", "skipped", "notice", "after", "fragment"])
    url.searchParams.delete(key);
  for (const [key, value] of Object.entries(outcome)) url.searchParams.set(key, value);
  return url.pathname + url.search;
}

/** Bulk-edit problems are passed back as codes, so the page never shows text taken from its address. */
const BULK_PROBLEMS: Record<string, string> = {
  ids: "Select at least one ticket that still exists (at most 500 at a time).",
  action: "Choose what to change.",
  tags: "Tags use letters, digits, “-”, “_”, “.” or “:”.",
  assigneeId: "That agent cannot take tickets.",
  status: "Choose a valid status.",
  priority: "Choose a valid priority.",
  category: "Choose one of the categories offered.",
};

function bulkMessage(query: Record<string, string | undefined>): string | undefined {
  if (query.bulk === "partial") {
    const updated = Number.parseInt(query.updated ?? "0", 10) || 0;
    const skipped = (query.skipped ?? "").split(",").filter((n) => /^TKT-\d{6,9}$/.test(n));
    return `Updated ${updated}. Skipped ${skipped.length} that cannot take this change (closed, or an impossible status step): ${skipped.join(", ")}.`;
  }
  return query.bulk ? BULK_PROBLEMS[query.bulk] : undefined;
}

const ticketSnapshots = new Snapshots<TicketDetail>(30_000, 2_000);
const panelSnapshots = new Snapshots<SidePanels>(30_000, 2_000);

type SidePanels = Awaited<ReturnType<typeof sidePanels>>;

/** The ticket page's side panels, as the viewer sees them (their timer, whether they follow it). */
async function sidePanels(ctx: Ctx, ticket: TicketDetail["ticket"]) {
  const [workOrders, time, relations] = await Promise.all([
    workOrdersForTicket(ctx, ticket.id),
    ticketTime(ctx, ticket.id),
    ticketRelations(ctx, ticket),
  ]);
  return { workOrders, time, relations };
}

/**
 * The ticket page's data. The thread and history are reused while the ticket's latest event stays
 * the same (every change to a ticket appends one); the side panels — work orders, time, links,
 * followers and merges, which other tickets' changes move too — and the organization's catalog (the
 * list page's copy) while the organization's latest event stays the same (every one of those changes
 * appends an event of the organization).
 * Who may see the ticket is checked every time; macros and SLA clocks are read every time (macros
 * change without events, clocks with time).
 */
export async function ticketPageProps(
  ctx: Ctx,
  deps: Deps,
  csrf: string,
  number: number,
): Promise<TicketPageProps> {
  const at = ctx.now.getTime();
  // Both versions are read before anything they version, so a reused piece is never older than its version.
  const { ticketId, version, orgVersion } = await ticketVersion(ctx, number);
  const key = `${ctx.actor.orgId}|${ticketId}`;
  const canWork = can(ctx.actor, "tickets.work");
  const [detail, choices, timeZone, macros] = await Promise.all([
    ticketSnapshots.get(key, version, at) ??
      getTicket(ctx, ticketId).then((fresh) => ticketSnapshots.set(key, version, at, fresh)),
    choiceSnapshots.get(ctx.actor.orgId, 0, at) ??
      assignmentChoices(ctx).then((fresh) => choiceSnapshots.set(ctx.actor.orgId, 0, at, fresh)),
    organizationTimeZone(deps.database.db, ctx.actor.orgId),
    canWork ? listMacros(ctx) : [],
  ]);
  const org = ctx.actor.orgId;
  const panelKey = `${key}|${ctx.actor.userId ?? ""}|${ctx.actor.role}`;
  const [sla, panels, catalog] = await Promise.all([
    // Clocks move with time, not only with events: computed on every request from the cached log.
    ticketSla(ctx, detail.ticket, detail.history),
    panelSnapshots.get(panelKey, orgVersion, at) ??
      sidePanels(ctx, detail.ticket).then((fresh) => panelSnapshots.set(panelKey, orgVersion, at, fresh)),
    catalogSnapshots.get(org, orgVersion, at) ??
      readCatalog(ctx).then((fresh) => catalogSnapshots.set(org, orgVersion, at, fresh)),
  ]);
  const { workOrders, time } = panels;
  const relations = { data: panels.relations, time };
  // The thread and history show only the reused detail (in the zone), so they are rendered once with it.
  const conversation = {
    thread: renderedFrom(detail, `thread|${timeZone}`, () => deskThread(detail, timeZone)),
    history: renderedFrom(detail, `history|${timeZone}`, () => deskHistory(detail, timeZone)),
  };
  return {
    csrf,
    viewer: viewerOf(ctx.actor as SessionUser),
    detail,
    choices,
    timeZone,
    sla,
    canWork,
    macros,
    workOrders,
    canCreateWorkOrder: can(ctx.actor, "fsm.from_ticket"),
    relations,
    catalog,
    conversation,
  };
}

/** Sends a stored file: only safe types inline, everything else as a download, never sniffed. */
export function attachmentResponse(
  deps: Deps,
  file: { sha256: string; filename: string; contentType: string } | undefined,
): Response {
  if (!file) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain" } });
  const inline = servesInline(file.contentType);
  return new Response(deps.files.file(file.sha256), {
    headers: {
      "content-type": inline ? file.contentType : "application/octet-stream",
      "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "private, max-age=3600",
    },
  });
}
