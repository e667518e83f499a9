import { CHANNELS, type Channel, TICKET_PRIORITIES, TICKET_STATUSES } from "../../../db/schema";
import { type Catalog, categoryPath, categoryTree } from "../../domain/fields/values";
import type { TicketFilters, TicketListRow, View } from "../../domain/tickets/queries";
import { SORTS, VIEW_LABELS, VIEWS } from "../../domain/tickets/queries";
import { CsrfField, ErrorSummary, Notice } from "../form";
import { channelLabel, formatTicketNumber, priorityLabel, statusLabel, timeAgo } from "../format";
import { Page, type Viewer } from "../layout";

export interface TicketListProps {
  csrf: string;
  viewer: Viewer;
  counts: Record<View, number>;
  filters: TicketFilters;
  /** The rendered table of tickets (see TicketTable), which the desk may reuse between requests. */
  table: string;
  nextCursor?: string;
  /** The rendered filter and bulk-edit bars (see Pickers), which the desk may reuse too. */
  pickers: Pickers;
  /** The list's own address with its filters, for live refresh and paging. */
  selfUrl: string;
  now: Date;
  notice?: string;
  error?: string;
}

const SORT_LABELS: Record<string, string> = {
  "-updated_at": "Recently updated",
  updated_at: "Least recently updated",
  "-created_at": "Newest",
  created_at: "Oldest",
  "-priority": "Highest priority",
  priority: "Lowest priority",
  "-number": "Number, high to low",
  number: "Number, low to high",
  sla_due_at: "SLA due soonest",
  "-sla_due_at": "SLA due latest",
  "-breach_risk": "Most likely to breach",
};

/** Bands for the risk badge's colour: the same cut-offs the ticket page uses. */
export function riskBand(risk: number): "high" | "medium" | "low" {
  return risk >= 0.6 ? "high" : risk >= 0.3 ? "medium" : "low";
}

/** "overdue 3 h", "in 45 min", "in 2 d": the next SLA due time of an open ticket. */
export function slaDueText(due: Date, now: Date): string {
  const minutes = Math.round((due.getTime() - now.getTime()) / 60_000);
  const size = (m: number) =>
    m < 60 ? `${m} min` : m < 48 * 60 ? `${Math.round(m / 60)} h` : `${Math.round(m / 1440)} d`;
  return minutes < 0 ? `overdue ${size(-minutes)}` : `in ${size(minutes)}`;
}

const OPEN = new Set(["new", "open", "pending", "on_hold"]);

function withParam(url: string, key: string, value: string | undefined): string {
  const u = new URL(url, "http://localhost");
  if (value === undefined) u.searchParams.delete(key);
  else u.searchParams.set(key, value);
  return u.pathname + u.search;
}

function ViewNav({ counts, active }: { counts: Record<View, number>; active?: View }) {
  return (
    <nav class="views" aria-label="Views">
      {VIEWS.map((view) => (
        <a
          href={`/desk/tickets?view=${view}`}
          class={view === active ? "active" : ""}
          aria-current={view === active ? "page" : undefined}
        >
          <span safe>{VIEW_LABELS[view]}</span>
          <span class="count" data-view={view}>
            {counts[view].toLocaleString("en") as "safe"}
          </span>
        </a>
      ))}
    </nav>
  );
}

/** Categories with their subcategories indented, for the category filter. */
function categoryOptions(catalog: Catalog | undefined) {
  return categoryTree(catalog ?? { categories: [], fields: [] }).flatMap(({ category, children }) => [
    { value: category.id, label: category.name },
    ...children.map((c) => ({ value: c.id, label: `${category.name} › ${c.name}` })),
  ]);
}

interface Choices {
  agents: { id: string; name: string }[];
  teams: { id: string; name: string }[];
  tags: string[];
}

interface PickerProps {
  filters: TicketFilters;
  choices: Choices;
  /** Categories and custom fields, for the filters. */
  catalog?: Catalog;
}

/** The filter bar and the bulk-edit bar, rendered: the agents, teams, tags and categories to pick from. */
export interface Pickers {
  filterBar: string;
  bulkBar: string;
}

export function FilterBar({ filters, choices, catalog }: PickerProps) {
  const options = (values: readonly string[], label: (v: string) => string) =>
    values.map((v) => ({ value: v, label: label(v) }));
  const sel = (
    name: string,
    value: string | undefined,
    opts: { value: string; label: string }[],
    blank: string,
  ) => (
    <select name={name} aria-label={blank}>
      <option value="" safe>
        {blank}
      </option>
      {opts.map((o) => (
        <option value={o.value} selected={o.value === value} safe>
          {o.label}
        </option>
      ))}
    </select>
  );
  return (
    <form class="filters" method="get" action="/desk/tickets">
      {filters.view ? <input type="hidden" name="view" value={filters.view} /> : ""}
      <input
        type="search"
        name="q"
        value={filters.q ?? ""}
        placeholder="Search subject, messages, TKT-number"
        aria-label="Search"
      />
      {sel(
        "status",
        filters.status?.[0],
        options(TICKET_STATUSES, (s) => statusLabel(s as never)),
        "Any status",
      )}
      {sel(
        "priority",
        filters.priority?.[0],
        options(TICKET_PRIORITIES, priorityLabel as never),
        "Any priority",
      )}
      {sel(
        "assignee",
        filters.assignee,
        [
          { value: "me", label: "Me" },
          { value: "none", label: "Unassigned" },
          ...choices.agents.map((a) => ({ value: a.id, label: a.name })),
        ],
        "Any assignee",
      )}
      {sel(
        "team",
        filters.teamId,
        choices.teams.map((t) => ({ value: t.id, label: t.name })),
        "Any team",
      )}
      {sel(
        "tag",
        filters.tag,
        choices.tags.map((t) => ({ value: t, label: t })),
        "Any tag",
      )}
      {sel(
        "channel",
        filters.channel,
        options(CHANNELS, (c) => channelLabel(c as Channel)),
        "Any channel",
      )}
      {sel("category", filters.categoryId, categoryOptions(catalog), "Any category")}
      {catalog?.fields.length
        ? sel(
            "field",
            filters.field?.key,
            catalog.fields.map((f) => ({ value: f.key, label: f.label })),
            "Any field",
          )
        : ""}
      {catalog?.fields.length ? (
        <input
          name="fieldValue"
          value={filters.field?.value ?? ""}
          placeholder="Field value"
          aria-label="Field value"
        />
      ) : (
        ""
      )}
      {sel(
        "sort",
        filters.sort,
        SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] })),
        "Sort: recently updated",
      )}
      <button type="submit">Filter</button>
    </form>
  );
}

export function BulkBar({ choices, catalog }: Omit<PickerProps, "filters">) {
  return (
    <fieldset class="bulk">
      <legend>With selected</legend>
      <select name="assigneeId" aria-label="Assign to">
        <option value="">Assignee: keep</option>
        <option value="none">Unassign</option>
        {choices.agents.map((a) => (
          <option value={a.id} safe>
            {a.name}
          </option>
        ))}
      </select>
      <select name="status" aria-label="Set status">
        <option value="">Status: keep</option>
        {TICKET_STATUSES.filter((s) => s !== "new").map((s) => (
          <option value={s} safe>
            {statusLabel(s)}
          </option>
        ))}
      </select>
      <select name="priority" aria-label="Set priority">
        <option value="">Priority: keep</option>
        {TICKET_PRIORITIES.map((p) => (
          <option value={p} safe>
            {priorityLabel(p)}
          </option>
        ))}
      </select>
      {catalog?.categories.length ? (
        <select name="category" aria-label="Set category">
          <option value="">Category: keep</option>
          <option value="none">No category</option>
          {categoryTree(catalog)
            .filter(({ category }) => !category.archived)
            .map(({ category, children }) => (
              <>
                <option value={category.id} safe>
                  {category.name}
                </option>
                {children
                  .filter((sub) => !sub.archived)
                  .map((sub) => (
                    <option value={sub.id} safe>
                      {`${category.name} › ${sub.name}`}
                    </option>
                  ))}
              </>
            ))}
        </select>
      ) : (
        ""
      )}
      <input name="addTags" placeholder="Add tags" aria-label="Add tags" />
      <button type="submit">Apply</button>
    </fieldset>
  );
}

export function TicketTable({ rows, now, catalog }: { rows: TicketListRow[]; now: Date; catalog?: Catalog }) {
  if (rows.length === 0) return <p class="empty">No tickets match.</p>;
  const categoryName = (t: TicketListRow): string =>
    catalog ? categoryPath(catalog, t.subcategoryId ?? t.categoryId) : "";
  return (
    <table class="tickets">
      <thead>
        <tr>
          <th>
            <span class="sr">Select</span>
          </th>
          <th>Ticket</th>
          <th>Subject</th>
          <th>Requester</th>
          <th>Status</th>
          <th>Priority</th>
          <th>Assignee</th>
          <th>Category</th>
          <th>SLA due</th>
          <th>
            <abbr title="Probability of missing the next SLA target, from the breach-risk model">Risk</abbr>
          </th>
          <th>Updated</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => {
          const key = formatTicketNumber(t.number);
          return (
            <tr data-ticket={key}>
              <td>
                <input type="checkbox" name="ids" value={t.id} aria-label={`Select ${key}`} />
              </td>
              <td class="num">
                <a href={`/desk/tickets/${key}`} safe>
                  {key}
                </a>
              </td>
              <td>
                <a href={`/desk/tickets/${key}`} safe>
                  {t.subject}
                </a>
                {t.tags.map((tag) => (
                  <span class="tag" safe>
                    {tag}
                  </span>
                ))}
              </td>
              <td safe>{t.contactName}</td>
              <td>
                <span class={`badge status-${t.status}`} safe>
                  {statusLabel(t.status)}
                </span>
              </td>
              <td>
                <span class={`prio prio-${t.priority}`} safe>
                  {priorityLabel(t.priority)}
                </span>
              </td>
              <td safe>{t.assigneeName ?? "—"}</td>
              <td class="category" safe>
                {categoryName(t)}
              </td>
              <td class="sla-due">
                {OPEN.has(t.status) && t.slaNextDueAt ? (
                  <time
                    datetime={t.slaNextDueAt.toISOString()}
                    class={
                      t.slaBreached || t.slaNextDueAt <= now ? "badge sla-breached" : "badge sla-running"
                    }
                    safe
                  >
                    {slaDueText(t.slaNextDueAt, now)}
                  </time>
                ) : (
                  "—"
                )}
              </td>
              <td class="breach-risk">
                {OPEN.has(t.status) && t.breachRisk !== null ? (
                  <span class={`badge risk-${riskBand(t.breachRisk)}`} safe>
                    {`${Math.round(t.breachRisk * 100)}%`}
                  </span>
                ) : (
                  "—"
                )}
              </td>
              <td>
                <time datetime={t.updatedAt.toISOString()} safe>
                  {timeAgo(t.updatedAt, now)}
                </time>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The part of the page that live updates replace. */
export function TicketListRegion(props: TicketListProps) {
  return (
    <div
      id="ticket-region"
      hx-get={withParam(props.selfUrl, "fragment", "1")}
      // Not while tickets are ticked for a bulk edit. htmx ends the filter at the first "]", so the
      // selector must not contain one (the ticket checkboxes are the table's only inputs).
      hx-trigger="tickets-changed[!document.querySelector('#ticket-region table input:checked')] from:#live delay:300ms"
      hx-swap="outerHTML"
    >
      <ViewNav counts={props.counts} active={props.filters.view} />
      <form method="post" action="/desk/tickets/bulk" class="list">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="back" value={props.selfUrl} />
        {props.pickers.bulkBar as "safe"}
        {props.table as "safe"}
      </form>
      {props.nextCursor ? (
        <p class="pager">
          <a href={withParam(props.selfUrl, "after", props.nextCursor)} rel="next">
            Next page →
          </a>
        </p>
      ) : (
        ""
      )}
    </div>
  );
}

export function TicketListPage(props: TicketListProps) {
  const title = props.filters.view ? VIEW_LABELS[props.filters.view] : "Tickets";
  return (
    <Page title={`${title} — Tickets`} csrf={props.csrf} viewer={props.viewer} scripts>
      <div id="live" hx-sse:connect="/desk/live" />
      <h1 safe>{title}</h1>
      <Notice message={props.notice} />
      <ErrorSummary message={props.error} />
      {props.pickers.filterBar as "safe"}
      <TicketListRegion {...props} />
    </Page>
  );
}
