// The JSON REST API for integrators (/api/v1/...), its OpenAPI document and its docs page.
// Routes only parse, validate and shape JSON: every rule and permission lives in the domain
// functions the desk uses too (DESIGN.md rule 1), so the API cannot skip a check a page makes.
import { STATUS_CODES } from "node:http";
import { openapi, toOpenAPISchema } from "@elysiajs/openapi";
import { Elysia, t } from "elysia";
import { CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from "../../db/schema";
import { type Ctx, requirePermission } from "../domain/context";
import { DomainError, type FieldErrors, isDomainError, notFound } from "../domain/errors";
import { readCatalog } from "../domain/fields/catalog";
import { audienceOf } from "../domain/fields/ticketFields";
import { type Catalog, categoryById } from "../domain/fields/values";
import { formatTicketNumber, parseTicketNumber } from "../domain/orgs/counters";
import { addLink, LINK_ROLES, type LinkedTicket, linksOf, removeLink } from "../domain/relations/links";
import { mergeTickets } from "../domain/relations/merge";
import { findVisibleTicket, type TicketRef } from "../domain/tickets/access";
import { addMessage, createTicket, updateTicket } from "../domain/tickets/commands";
import {
  getTicket,
  getTicketSummary,
  listTicketsPaged,
  parseFilters,
  SORTS,
  type TicketDetail,
  type TicketSummary,
} from "../domain/tickets/queries";
import { BODY_MAX, SUBJECT_MAX, TAG_MAX, TAGS_PER_TICKET_MAX } from "../domain/tickets/rules";
import { ticketTime } from "../domain/time/ticketTime";
import { ApiDocsPage, type OpenApiDocument } from "../views/apiDocs";
import { fsmV1Routes, WorkOrderListQuery } from "./apiFsm";
import {
  ERRORS,
  integer,
  listOf,
  oneOf,
  pageLink,
  pageParam,
  tokenContext,
  UUID_PATTERN,
  V1,
} from "./apiKit";
import type { Deps } from "./deps";
import { metrics } from "./ops";

const SPEC_PATH = "/api/openapi.json";

// ---- Models: the single source of validation, types and the OpenAPI document -------------------

const Person = t.Object({ id: t.String({ format: "uuid" }), name: t.String() });
const CategoryRef = t.Object({ id: t.String({ format: "uuid" }), name: t.String() });
const FIELD_KEY_PATTERN = "^[a-z][a-z0-9_]{0,39}$";
const FieldValue = t.Union([t.String(), t.Number(), t.Boolean(), t.Array(t.String())]);

const Ticket = t.Object(
  {
    id: t.String({ format: "uuid", description: "The ticket's permanent id." }),
    key: t.String({ description: 'The number people see, e.g. "TKT-000123".' }),
    number: integer({ description: "The ticket number, counted per organization." }),
    subject: t.String(),
    status: oneOf(TICKET_STATUSES),
    priority: oneOf(TICKET_PRIORITIES),
    type: oneOf(TICKET_TYPES),
    channel: oneOf(CHANNELS, { description: "Where the ticket came from." }),
    tags: t.Array(t.String()),
    contact: t.Object(
      { id: t.String({ format: "uuid" }), name: t.String(), email: t.Nullable(t.String()) },
      { description: "The customer the ticket is for." },
    ),
    assignee: t.Union([Person, t.Null()], { description: "The agent working on it, or null." }),
    team: t.Union([Person, t.Null()], { description: "The team it belongs to, or null." }),
    category: t.Union([CategoryRef, t.Null()], { description: "The ticket's category, or null." }),
    subcategory: t.Union([CategoryRef, t.Null()], {
      description: "The subcategory within the category, or null.",
    }),
    customFields: t.Record(t.String({ pattern: FIELD_KEY_PATTERN }), FieldValue, {
      description:
        "Custom field values by field key (admins define the fields per category at /admin/fields): text, select and date (YYYY-MM-DD) as strings, numbers, multi-select as a list of its choices, a ticked checkbox as true. Empty fields are left out.",
    }),
    sla: t.Object(
      {
        policyId: t.Union([t.String({ format: "uuid" }), t.Null()], {
          description: "The SLA policy that applies, or null when none does.",
        }),
        nextDueAt: t.Union([t.String({ format: "date-time" }), t.Null()], {
          description:
            "The earliest due time of its running SLA targets (in the past when overdue), or null.",
        }),
        breached: t.Boolean({
          description: "A target still awaited has passed its due time: the ticket is overdue.",
        }),
      },
      { description: "The ticket's SLA, derived from its history; sort by it with sort=sla_due_at." },
    ),
    createdAt: t.String({ format: "date-time" }),
    updatedAt: t.String({ format: "date-time" }),
  },
  { description: "A ticket." },
);
type TicketJson = typeof Ticket.static;
const TICKET_FIELDS = Object.keys(Ticket.properties) as (keyof TicketJson)[];

const Message = t.Object(
  {
    id: t.String({ format: "uuid" }),
    kind: oneOf(["reply", "note"], {
      description: "A reply goes to the customer; a note stays inside the team.",
    }),
    body: t.String(),
    channel: oneOf(CHANNELS),
    author: t.Object({ name: t.String(), staff: t.Boolean({ description: "Written by a staff member." }) }),
    attachments: t.Array(
      t.Object({
        id: t.String({ format: "uuid" }),
        filename: t.String(),
        contentType: t.String(),
        sizeBytes: integer(),
      }),
    ),
    createdAt: t.String({ format: "date-time" }),
  },
  { description: "A message of a ticket's thread." },
);
type MessageJson = typeof Message.static;

const TicketIdParams = t.Object({
  id: t.String({
    pattern: `^(?:${UUID_PATTERN}|(?:[Tt][Kk][Tt]-)?[0-9]{1,9})$`,
    description: 'The ticket\'s id (a uuid) or its key ("TKT-000123").',
  }),
});

const ListQuery = t.Object({
  status: t.Optional(
    t.String({
      pattern: listOf(TICKET_STATUSES),
      description: `Only these statuses, comma-separated (${TICKET_STATUSES.join(", ")}).`,
    }),
  ),
  priority: t.Optional(
    t.String({
      pattern: listOf(TICKET_PRIORITIES),
      description: `Only these priorities, comma-separated (${TICKET_PRIORITIES.join(", ")}).`,
    }),
  ),
  assignee: t.Optional(
    t.String({
      pattern: `^(?:none|${UUID_PATTERN})$`,
      description: 'Only tickets of this agent (a user id), or "none" for unassigned ones.',
    }),
  ),
  team: t.Optional(t.String({ format: "uuid", description: "Only tickets of this team (a team id)." })),
  tag: t.Optional(t.String({ minLength: 1, maxLength: TAG_MAX, description: "Only tickets with this tag." })),
  channel: t.Optional(oneOf(CHANNELS, { description: "Only tickets that came in this way." })),
  category: t.Optional(
    t.String({
      format: "uuid",
      description: "Only tickets in this category or subcategory (a category includes its subcategories).",
    }),
  ),
  field: t.Optional(
    t.String({
      pattern: FIELD_KEY_PATTERN,
      description: "With fieldValue: only tickets whose custom field (by key) has this value.",
    }),
  ),
  fieldValue: t.Optional(
    t.String({
      minLength: 1,
      maxLength: 200,
      description:
        'The value for `field`: a choice (also of a multi-select), a number, or "true" for a checkbox.',
    }),
  ),
  q: t.Optional(
    t.String({
      maxLength: 200,
      description: "Text search over subjects and messages; a ticket key finds that ticket.",
    }),
  ),
  sort: t.Optional(
    oneOf(SORTS, { description: 'Order; a leading "-" sorts descending. Default: -created_at.' }),
  ),
  page: pageParam(),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 20, description: "Tickets per page." })),
  fields: t.Optional(
    t.String({
      pattern: listOf(TICKET_FIELDS),
      description: `Only these fields in each ticket, comma-separated (${TICKET_FIELDS.join(", ")}).`,
    }),
  ),
});

const TagList = t.Array(t.String({ maxLength: TAG_MAX }), {
  maxItems: TAGS_PER_TICKET_MAX,
  description: `Tags: letters, digits, "-", "_", "." or ":".`,
});
const NullableId = (description: string) =>
  t.Union([t.String({ format: "uuid" }), t.Null()], { description });
const CustomFieldsInput = t.Record(
  t.String({ pattern: FIELD_KEY_PATTERN }),
  t.Union([t.String(), t.Number(), t.Boolean(), t.Array(t.String()), t.Null()]),
  {
    description:
      "Custom field values by key, checked like the forms check them: choices among the field's options, dates as YYYY-MM-DD, numbers within the field's range, required fields filled; null clears one. Fields hidden by their condition are ignored.",
  },
);
const CategoryIdInput = NullableId(
  "A category or subcategory id (its category follows); null removes it. Its required fields must be given in customFields.",
);

const CreateTicketBody = t.Object({
  subject: t.String({ minLength: 1, maxLength: SUBJECT_MAX, description: "A short summary." }),
  body: t.String({
    minLength: 1,
    maxLength: BODY_MAX,
    description: "The first message: the request itself.",
  }),
  priority: t.Optional(oneOf(TICKET_PRIORITIES, { description: "Default: normal." })),
  type: t.Optional(oneOf(TICKET_TYPES, { description: "Default: question." })),
  requester: t.Optional(
    t.Object(
      {
        email: t.String({ format: "email", maxLength: 254, description: "The customer's address." }),
        name: t.Optional(
          t.String({ maxLength: 200, description: "The customer's name, for a new contact." }),
        ),
      },
      {
        description: "Who the ticket is for; a contact is created if the address is new. Or send contactId.",
      },
    ),
  ),
  contactId: t.Optional(
    t.String({
      format: "uuid",
      description: "An existing contact the ticket is for (instead of requester).",
    }),
  ),
  assigneeId: t.Optional(NullableId("The agent to assign; the ticket then starts open.")),
  teamId: t.Optional(NullableId("The team to give it to.")),
  tags: t.Optional(TagList),
  categoryId: t.Optional(CategoryIdInput),
  customFields: t.Optional(CustomFieldsInput),
});

const UpdateTicketBody = t.Object({
  status: t.Optional(
    oneOf(TICKET_STATUSES, {
      description: 'The new status. "new" is only a starting point; "closed" is final.',
    }),
  ),
  priority: t.Optional(oneOf(TICKET_PRIORITIES)),
  type: t.Optional(oneOf(TICKET_TYPES)),
  assigneeId: t.Optional(NullableId("The agent to assign; null unassigns.")),
  teamId: t.Optional(NullableId("The team; null removes it.")),
  tags: t.Optional(TagList),
  categoryId: t.Optional(CategoryIdInput),
  customFields: t.Optional(CustomFieldsInput),
});

const MessageBody = t.Object({
  kind: oneOf(["reply", "note"], {
    description: "reply: sent to the customer by email; note: internal.",
  }),
  body: t.String({ minLength: 1, maxLength: BODY_MAX, description: "The text." }),
  status: t.Optional(
    oneOf(TICKET_STATUSES, {
      description: "The status to leave the ticket in; by default a new ticket becomes open.",
    }),
  ),
});

const TicketList = t.Object(
  {
    data: t.Array(t.Partial(Ticket), { description: "The page's tickets, with the fields asked for." }),
    meta: t.Object({ page: integer(), limit: integer(), total: integer(), totalPages: integer() }),
    links: t.Object(
      {
        first: t.String(),
        prev: t.Union([t.String(), t.Null()]),
        next: t.Union([t.String(), t.Null()]),
        last: t.String(),
      },
      { description: "The same query on other pages; prev and next are null at the ends." },
    ),
  },
  { description: "One page of tickets." },
);

// ---- Serialization ------------------------------------------------------------------------------

type TicketListRow = Awaited<ReturnType<typeof listTicketsPaged>>["rows"][number];

const person = (id: string | null, name: string | null) => (id ? { id, name: name ?? "" } : null);

/** What the API shows of categories and fields: agents-only fields only to staff tokens. */
interface FieldView {
  catalog: Catalog;
  staff: boolean;
}

function categoryRef(view: FieldView, id: string | null) {
  const category = categoryById(view.catalog, id);
  return category ? { id: category.id, name: category.name } : null;
}

function customFieldsJson(view: FieldView, values: Record<string, unknown>) {
  if (view.staff) return values as TicketJson["customFields"];
  const hidden = new Set(view.catalog.fields.filter((f) => f.agentsOnly).map((f) => f.key));
  return Object.fromEntries(
    Object.entries(values).filter(([k]) => !hidden.has(k)),
  ) as TicketJson["customFields"];
}

async function fieldView(ctx: Ctx): Promise<FieldView> {
  return { catalog: await readCatalog(ctx), staff: audienceOf(ctx) === "staff" };
}

function listRowJson(row: TicketListRow, view: FieldView): TicketJson {
  return {
    id: row.id,
    key: formatTicketNumber(row.number),
    number: row.number,
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    type: row.type,
    channel: row.channel,
    tags: row.tags,
    contact: { id: row.contactId, name: row.contactName, email: row.contactEmail },
    assignee: person(row.assigneeId, row.assigneeName),
    team: person(row.teamId, row.teamName),
    category: categoryRef(view, row.categoryId),
    subcategory: categoryRef(view, row.subcategoryId),
    customFields: customFieldsJson(view, row.customFields),
    sla: {
      policyId: row.slaPolicyId,
      nextDueAt: row.slaNextDueAt?.toISOString() ?? null,
      breached: row.slaBreached,
    },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function detailJson(detail: TicketSummary, view: FieldView): TicketJson {
  const { ticket, contact } = detail;
  return listRowJson(
    {
      ...ticket,
      contactName: contact.name,
      contactEmail: contact.email,
      assigneeName: detail.assigneeName,
      teamName: detail.teamName,
    },
    view,
  );
}

function messageJson(m: TicketDetail["messages"][number]): MessageJson {
  return {
    id: m.id,
    kind: m.kind,
    body: m.body,
    channel: m.channel,
    author: { name: m.authorName, staff: m.authorIsStaff },
    attachments: m.attachments.map(({ id, filename, contentType, sizeBytes }) => ({
      id,
      filename,
      contentType,
      sizeBytes: Number(sizeBytes),
    })),
    createdAt: m.createdAt.toISOString(),
  };
}

/** "TKT-000123" or "123" → 123; a uuid stays as it is (the params schema allows nothing else). */
function ticketRef(id: string): TicketRef {
  return parseTicketNumber(id) ?? id;
}

/** The domain names some inputs after the desk's form fields; the API answers with its own names. */
function renameFields(error: unknown, names: Record<string, string> = {}): never {
  if (isDomainError(error) && error.fields) {
    const all: Record<string, string> = { category: "categoryId", ...names };
    const fields: FieldErrors = {};
    for (const [key, problem] of Object.entries(error.fields))
      fields[all[key] ?? key.replace(/^fields\./, "customFields.")] = problem;
    throw new DomainError(error.status, error.code, error.message, fields);
  }
  throw error;
}

// ---- Errors ------------------------------------------------------------------------------------

interface ValueErrorLike {
  path: string;
  message: string;
  value: unknown;
  schema: Record<string, unknown> & { anyOf?: Record<string, unknown>[] };
}

/** Problems with specific inputs that a generic message would not explain. */
const FIELD_HINTS: Record<string, string> = {
  id: 'Use the ticket\'s id (a uuid) or its key, e.g. "TKT-000123".',
  status: `Use statuses from: ${TICKET_STATUSES.join(", ")}.`,
  priority: `Use priorities from: ${TICKET_PRIORITIES.join(", ")}.`,
  assignee: 'Use an agent\'s id, or "none".',
  fields: `Use field names from: ${TICKET_FIELDS.join(", ")}.`,
};

/** One sentence a person can act on, from a JSON-schema problem. */
function describeProblem(field: string, e: ValueErrorLike): string {
  const { schema, value } = e;
  if (value === undefined) return "This field is required.";
  const enumValues = (schema.enum ??
    (schema.anyOf?.every((s) => "const" in s) ? schema.anyOf.map((s) => s.const) : undefined)) as
    | unknown[]
    | undefined;
  if (enumValues) return `Choose one of: ${enumValues.join(", ")}.`;
  if (schema.anyOf?.some((s) => s.type === "null") && schema.anyOf.some((s) => s.format === "uuid"))
    return "Use an id (a uuid), or null.";
  if (typeof value === "string") {
    const minLength = schema.minLength as number | undefined;
    const maxLength = schema.maxLength as number | undefined;
    if (minLength && value.length < minLength) return "This field must not be empty.";
    if (maxLength !== undefined && value.length > maxLength)
      return `Use at most ${maxLength} characters (this has ${value.length}).`;
    if (schema.pattern && FIELD_HINTS[field]) return FIELD_HINTS[field];
    if (schema.format === "uuid") return "Use an id (a uuid).";
    if (schema.format === "email") return "Enter an email address.";
  }
  if (Array.isArray(value) && typeof schema.maxItems === "number" && value.length > schema.maxItems)
    return `Use at most ${schema.maxItems} items.`;
  if (schema.type === "integer" || schema.anyOf?.some((s) => s.type === "integer")) {
    const min = schema.minimum as number | undefined;
    const max = schema.maximum as number | undefined;
    if (min !== undefined && max !== undefined) return `Use a whole number from ${min} to ${max}.`;
    if (min !== undefined) return `Use a whole number of at least ${min}.`;
    return "Use a whole number.";
  }
  if (FIELD_HINTS[field]) return FIELD_HINTS[field];
  if (typeof schema.type === "string") return `Use ${schema.type === "object" ? "an" : "a"} ${schema.type}.`;
  return e.message;
}

/**
 * Elysia's validation problems as `fields`. Query numbers are converted before they are checked;
 * a problem found after conversion comes with no path (and `on` = "property"), so the input is
 * found by its description among the query schemas that have numbers.
 */
const NUMBER_QUERIES: { properties: Record<string, { description?: string }> }[] = [
  ListQuery,
  WorkOrderListQuery,
];

function validationFields(errors: ValueErrorLike[], on: string): FieldErrors {
  const fields: FieldErrors = {};
  const owner = (e: ValueErrorLike) =>
    e.schema.description === undefined
      ? undefined
      : NUMBER_QUERIES.flatMap((q) => Object.entries(q.properties)).find(
          ([, s]) => s.description === e.schema.description,
        )?.[0];
  for (const e of errors) {
    const path = e.path
      .split("/")
      .filter((p) => p && !/^\d+$/.test(p))
      .join(".");
    const field = path || owner(e) || on;
    fields[field] ??= describeProblem(field, e);
  }
  return fields;
}

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: FieldErrors;
  path: string;
  timestamp: string;
}

// ---- Routes -------------------------------------------------------------------------------------

const OPENAPI_CONFIG = {
  provider: null,
  specPath: SPEC_PATH,
  // Only the integrators' API: not the pages, not this document, not the catch-all.
  exclude: { paths: [/^(?!\/api\/v1\/)/] },
  documentation: {
    info: {
      title: "Fieldesk API",
      version: "1.0.0",
      description:
        "Tickets and work orders of one organization, for integrations. Every request sends an API token created by an admin at /admin/tokens; the token's role decides what it may do.",
    },
    tags: [
      { name: "Tickets", description: "Tickets and their messages." },
      { name: "Relations", description: "Merges, links between tickets, and time booked on them." },
      { name: "Work orders", description: "Field service: work orders, their visits and lines." },
    ],
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http" as const,
          scheme: "bearer",
          description: "An API token from /admin/tokens, sent as `Authorization: Bearer fd_...`.",
        },
      },
    },
    security: [{ bearerAuth: [] }],
  },
};

function v1Routes(deps: Deps) {
  return new Elysia({ prefix: V1 })
    .use(tokenContext(deps))
    .get(
      "/tickets",
      async ({ ctx, query, request }) => {
        const { page = 1, limit = 20, fields, ...filters } = query;
        const result = await listTicketsPaged(ctx, {
          ...parseFilters({ ...filters, limit: String(limit) }),
          page,
        });
        const only = fields ? [...new Set(fields.split(","))] : undefined;
        const view = await fieldView(ctx);
        const data = result.rows.map((row) => {
          const json = listRowJson(row, view);
          return only ? Object.fromEntries(only.map((k) => [k, json[k as keyof TicketJson]])) : json;
        });
        const totalPages = Math.ceil(result.total / result.limit);
        const lastPage = Math.max(totalPages, 1);
        return {
          data,
          meta: { page: result.page, limit: result.limit, total: result.total, totalPages },
          links: {
            first: pageLink(request, 1),
            prev: result.page > 1 ? pageLink(request, Math.min(result.page - 1, lastPage)) : null,
            next: result.page < totalPages ? pageLink(request, result.page + 1) : null,
            last: pageLink(request, lastPage),
          },
        };
      },
      {
        query: ListQuery,
        response: { 200: TicketList, 401: ERRORS[401], 403: ERRORS[403], 422: ERRORS[422] },
        detail: {
          operationId: "listTickets",
          summary: "List tickets",
          description: "Tickets of the token's organization, filtered, sorted and paged (newest first).",
          tags: ["Tickets"],
        },
      },
    )
    .post(
      "/tickets",
      async ({ ctx, body, set }) => {
        const ticket = await createTicket(ctx, {
          subject: body.subject,
          body: body.body,
          priority: body.priority,
          type: body.type,
          contactId: body.contactId,
          requesterEmail: body.requester?.email,
          requesterName: body.requester?.name,
          assigneeId: body.assigneeId ?? null,
          teamId: body.teamId ?? null,
          tags: body.tags ?? [],
          category: body.categoryId,
          fields: body.customFields,
        }).catch((error) =>
          renameFields(error, { requesterEmail: "requester.email", requesterName: "requester.name" }),
        );
        const json = detailJson(await getTicketSummary(ctx, ticket.id), await fieldView(ctx));
        set.status = 201;
        set.headers.location = `${V1}/tickets/${json.key}`;
        return json;
      },
      {
        parse: "json",
        body: CreateTicketBody,
        response: {
          201: t.Object(Ticket.properties, { description: "The new ticket; Location names it." }),
          400: ERRORS[400],
          401: ERRORS[401],
          403: ERRORS[403],
          422: ERRORS[422],
        },
        detail: {
          operationId: "createTicket",
          summary: "Create a ticket",
          description: "Opens a ticket for a customer, with the request as its first message.",
          tags: ["Tickets"],
        },
      },
    )
    .get(
      "/tickets/:id",
      async ({ ctx, params }) =>
        detailJson(await getTicketSummary(ctx, ticketRef(params.id)), await fieldView(ctx)),
      {
        params: TicketIdParams,
        response: { 200: Ticket, 401: ERRORS[401], 404: ERRORS[404], 422: ERRORS[422] },
        detail: {
          operationId: "getTicket",
          summary: "Get a ticket",
          description: "One ticket, by id or key.",
          tags: ["Tickets"],
        },
      },
    )
    .patch(
      "/tickets/:id",
      async ({ ctx, params, body }) => {
        const { categoryId, customFields, ...rest } = body;
        const ticket = await updateTicket(ctx, ticketRef(params.id), {
          ...rest,
          category: categoryId,
          fields: customFields,
        }).catch((error) => renameFields(error));
        return detailJson(await getTicketSummary(ctx, ticket.id), await fieldView(ctx));
      },
      {
        parse: "json",
        params: TicketIdParams,
        body: UpdateTicketBody,
        response: {
          200: t.Object(Ticket.properties, { description: "The ticket after the change." }),
          ...ERRORS,
        },
        detail: {
          operationId: "updateTicket",
          summary: "Change a ticket",
          description:
            "Changes only the fields sent. Status changes follow the ticket's life cycle: new → open, pending, on hold or solved; solved → open or closed; closed is final.",
          tags: ["Tickets"],
        },
      },
    )
    .get(
      "/tickets/:id/messages",
      async ({ ctx, params }) => {
        const detail = await getTicket(ctx, ticketRef(params.id));
        return { data: detail.messages.map(messageJson) };
      },
      {
        params: TicketIdParams,
        response: {
          200: t.Object({ data: t.Array(Message) }, { description: "The thread, oldest first." }),
          401: ERRORS[401],
          404: ERRORS[404],
          422: ERRORS[422],
        },
        detail: {
          operationId: "listMessages",
          summary: "List a ticket's messages",
          description: "Replies and internal notes, oldest first.",
          tags: ["Tickets"],
        },
      },
    )
    .post(
      "/tickets/:id/messages",
      async ({ ctx, params, body, set }) => {
        const added = await addMessage(ctx, ticketRef(params.id), body);
        const detail = await getTicket(ctx, ticketRef(params.id));
        const message = detail.messages.find((m) => m.id === added.messageId);
        if (!message) throw notFound("That message");
        set.status = 201;
        return messageJson(message);
      },
      {
        parse: "json",
        params: TicketIdParams,
        body: MessageBody,
        response: {
          201: t.Object(Message.properties, { description: "The new message." }),
          ...ERRORS,
        },
        detail: {
          operationId: "addMessage",
          summary: "Reply or add a note",
          description: "A reply is emailed to the customer; a note is seen by staff only.",
          tags: ["Tickets"],
        },
      },
    );
}

// ---- Relations and time: merges, links, time entries ----------------------------------------------

const LinkedTicketJson = t.Object({
  linkId: t.String({ format: "uuid", description: "The link's id, to remove it." }),
  key: t.String({ description: 'The other ticket, e.g. "TKT-000123".' }),
  subject: t.String(),
  status: oneOf(TICKET_STATUSES),
});
const Links = t.Object(
  {
    parent: t.Union([LinkedTicketJson, t.Null()], { description: "The ticket's parent, or null." }),
    children: t.Array(LinkedTicketJson),
    related: t.Array(LinkedTicketJson),
  },
  { description: "The ticket's links; a parent cannot be solved while a child is open." },
);
const LinkBody = t.Object({
  ticket: t.String({ description: 'The other ticket\'s key ("TKT-000123") or number.', maxLength: 20 }),
  role: oneOf(LINK_ROLES, {
    description: "What the other ticket is to this one: its child, its parent, or related.",
  }),
});
const MergeBody = t.Object({
  target: t.String({
    description: 'The ticket to merge into, by key ("TKT-000123") or number.',
    maxLength: 20,
  }),
});
const MergeResult = t.Object(
  {
    merged: t.String({ description: "The merged ticket's key; it is now closed and points to the other." }),
    into: t.String({ description: "The ticket that carries on." }),
    movedMessages: integer(),
  },
  { description: "The merge: messages, files, followers and tags moved; the customer was told." },
);
const TimeEntryJson = t.Object({
  id: t.String({ format: "uuid" }),
  user: Person,
  startedAt: t.String({ format: "date-time" }),
  endedAt: t.Union([t.String({ format: "date-time" }), t.Null()], {
    description: "Null while the timer runs.",
  }),
  minutes: t.Union([integer(), t.Null()], { description: "Null while the timer runs." }),
  billable: t.Boolean(),
  note: t.String(),
});
const TimeEntries = t.Object(
  {
    data: t.Array(TimeEntryJson),
    totals: t.Object({ billableMinutes: integer(), nonBillableMinutes: integer() }),
  },
  { description: "Time booked on the ticket, oldest first, with its totals." },
);

const linkedJson = (l: LinkedTicket) => ({
  linkId: l.linkId,
  key: formatTicketNumber(l.number),
  subject: l.subject,
  status: l.status,
});

async function linksJson(ctx: Ctx, ref: TicketRef) {
  requirePermission(ctx.actor, "tickets.read_all");
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  const links = await linksOf(ctx.db, ctx.actor.orgId, ticket.id);
  return {
    parent: links.parent ? linkedJson(links.parent) : null,
    children: links.children.map(linkedJson),
    related: links.related.map(linkedJson),
  };
}

function relationV1Routes(deps: Deps) {
  const tags = ["Relations"];
  return new Elysia({ prefix: V1 })
    .use(tokenContext(deps))
    .post(
      "/tickets/:id/merges",
      async ({ ctx, params, body, set }) => {
        const result = await mergeTickets(ctx, ticketRef(params.id), body);
        set.status = 201;
        return {
          merged: formatTicketNumber(result.source.number),
          into: formatTicketNumber(result.target.number),
          movedMessages: result.moved,
        };
      },
      {
        parse: "json",
        params: TicketIdParams,
        body: MergeBody,
        response: { 201: MergeResult, ...ERRORS },
        detail: {
          operationId: "mergeTicket",
          summary: "Merge a ticket into another",
          description:
            "Moves the ticket's messages, files, followers and tags to the target, closes it pointing there, and emails its customer where the request continues. Refused into itself, into a merged or closed ticket.",
          tags,
        },
      },
    )
    .get("/tickets/:id/links", async ({ ctx, params }) => linksJson(ctx, ticketRef(params.id)), {
      params: TicketIdParams,
      response: { 200: Links, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404], 422: ERRORS[422] },
      detail: { operationId: "listLinks", summary: "A ticket's links", tags },
    })
    .post(
      "/tickets/:id/links",
      async ({ ctx, params, body, set }) => {
        await addLink(ctx, ticketRef(params.id), { other: body.ticket, role: body.role }).catch((error) =>
          renameFields(error, { other: "ticket" }),
        );
        set.status = 201;
        return linksJson(ctx, ticketRef(params.id));
      },
      {
        parse: "json",
        params: TicketIdParams,
        body: LinkBody,
        response: {
          201: t.Object(Links.properties, { description: "The ticket's links after the change." }),
          ...ERRORS,
        },
        detail: { operationId: "addLink", summary: "Link another ticket", tags },
      },
    )
    .delete(
      "/tickets/:id/links/:linkId",
      async ({ ctx, params, set }) => {
        await removeLink(ctx, ticketRef(params.id), params.linkId);
        set.status = 204;
        return "";
      },
      {
        params: t.Object({ id: TicketIdParams.properties.id, linkId: t.String({ format: "uuid" }) }),
        response: { 204: t.Literal("", { description: "Removed." }), ...ERRORS },
        detail: { operationId: "removeLink", summary: "Remove a link", tags },
      },
    )
    .get(
      "/tickets/:id/time-entries",
      async ({ ctx, params }) => {
        requirePermission(ctx.actor, "tickets.read_all");
        const ticket = await findVisibleTicket(ctx.db, ctx.actor, ticketRef(params.id));
        const time = await ticketTime(ctx, ticket.id);
        return {
          data: time.entries.map((e) => ({
            id: e.id,
            user: { id: e.userId, name: e.userName },
            startedAt: e.startedAt.toISOString(),
            endedAt: e.endedAt?.toISOString() ?? null,
            minutes: e.minutes,
            billable: e.billable,
            note: e.note,
          })),
          totals: { billableMinutes: time.billableMinutes, nonBillableMinutes: time.nonBillableMinutes },
        };
      },
      {
        params: TicketIdParams,
        response: {
          200: TimeEntries,
          401: ERRORS[401],
          403: ERRORS[403],
          404: ERRORS[404],
          422: ERRORS[422],
        },
        detail: {
          operationId: "listTimeEntries",
          summary: "Time booked on a ticket",
          description:
            "Entries and running timers of the ticket's agents, with billable and non-billable totals.",
          tags,
        },
      },
    );
}

export function apiRoutes(deps: Deps) {
  const api = new Elysia();
  // The document the plugin serves at /api/openapi.json, built by its own generator with the same
  // settings, for the docs page. Routes are read at request time, when the whole app is mounted.
  const spec = (): OpenApiDocument => {
    const { paths, components } = toOpenAPISchema(api, OPENAPI_CONFIG.exclude);
    return {
      ...OPENAPI_CONFIG.documentation,
      openapi: "3.1.2",
      paths,
      components: { ...OPENAPI_CONFIG.documentation.components, ...components },
    } as OpenApiDocument;
  };
  return api
    .onError({ as: "scoped" }, ({ code, error, request, set }) => {
      const path = new URL(request.url).pathname;
      if (!path.startsWith("/api/")) return;
      let status = 500;
      let message = "Something went wrong on our side. The error was logged; try again in a moment.";
      let fields: FieldErrors | undefined;
      let name: string | undefined;
      // Elysia's own errors first: structurally they look like DomainErrors (status, code, message).
      if (code === "VALIDATION" && error.type !== "response") {
        status = 422;
        message = "Please correct the marked fields.";
        fields = validationFields(error.all as ValueErrorLike[], error.type);
      } else if (code === "PARSE") {
        status = 400;
        message = "The request body could not be read; send JSON with Content-Type: application/json.";
      } else if (isDomainError(error)) {
        status = error.status;
        name = error.code;
        message = error.message;
        fields = error.fields;
      } else if (code === "NOT_FOUND") {
        status = 404;
        message = `There is no ${request.method} ${path}.`;
      } else {
        metrics.errors++;
        console.error(`${request.method} ${path} failed:`, error);
      }
      const body: ErrorBody = {
        statusCode: status,
        error: name ?? STATUS_CODES[status] ?? "Error",
        message,
        ...(fields ? { fields } : {}),
        path,
        timestamp: deps.clock().toISOString(),
      };
      set.status = status;
      if (status === 401) set.headers["www-authenticate"] = 'Bearer realm="api"';
      set.headers["content-type"] = "application/json; charset=utf-8";
      return body;
    })
    .use(openapi(OPENAPI_CONFIG))
    .get("/api/docs", () => ApiDocsPage({ document: spec(), tokensUrl: "/admin/tokens" }), {
      detail: { hide: true },
    })
    .use(v1Routes(deps))
    .use(relationV1Routes(deps))
    .use(fsmV1Routes(deps))
    .all(
      "/api/*",
      ({ request }) => {
        throw new DomainError(
          404,
          "Not Found",
          `There is no ${request.method} ${new URL(request.url).pathname}.`,
        );
      },
      { detail: { hide: true } },
    );
}
