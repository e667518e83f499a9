// The integrators' API for field service: work orders with their visits and lines, scheduling a
// visit and moving visits and work orders along their life cycles. The same domain functions as
// the dispatcher's pages, so the token's role is checked exactly as a person's would be.
import { Elysia, t } from "elysia";
import { APPOINTMENT_STATUSES, WORK_ORDER_PRIORITIES, WORK_ORDER_STATUSES } from "../../db/schema";
import { formatWorkOrderNumber, parseWorkOrderNumber } from "../domain/fsm/rules";
import {
  changeAppointmentStatus,
  changeWorkOrderStatus,
  countWorkOrders,
  createWorkOrder,
  getWorkOrder,
  listWorkOrders,
  scheduleAppointment,
  type WorkOrderDetail,
  type WorkOrderFilters,
  type WorkOrderRef,
} from "../domain/fsm/workOrders";
import {
  ERRORS,
  integer,
  oneOf,
  pageLink,
  pageOffset,
  pageParam,
  tokenContext,
  UUID_PATTERN,
  V1,
} from "./apiKit";
import type { Deps } from "./deps";

const tags = ["Work orders"];
const Id = t.String({ format: "uuid" });
const Time = t.String({ format: "date-time" });
const NullableId = t.Union([Id, t.Null()]);

const Appointment = t.Object(
  {
    id: Id,
    status: oneOf(APPOINTMENT_STATUSES),
    startsAt: Time,
    endsAt: Time,
    technicians: t.Array(t.Object({ id: Id, name: t.String() })),
    cannotCompleteReason: t.Union([t.String(), t.Null()]),
    signedBy: t.Union([t.String(), t.Null()], { description: "The customer's typed name, once signed." }),
  },
  { description: "A visit: its technicians, time window and status." },
);

const Line = t.Object({
  id: Id,
  kind: t.String({ description: "service, part or labour." }),
  description: t.String(),
  quantity: t.Number(),
  unitPriceMinor: integer({ description: "Price per unit in minor units (sen, cents)." }),
  taxBasisPoints: integer({ description: "Tax rate in basis points (600 = 6%)." }),
});

const WorkOrder = t.Object(
  {
    id: Id,
    key: t.String({ description: 'The number people see, e.g. "WO-000045".' }),
    number: integer(),
    subject: t.String(),
    description: t.String(),
    status: oneOf(WORK_ORDER_STATUSES),
    priority: oneOf(WORK_ORDER_PRIORITIES),
    ticketId: NullableId,
    contactId: NullableId,
    locationId: NullableId,
    assetId: NullableId,
    currency: t.String(),
    createdAt: Time,
    updatedAt: Time,
  },
  { description: "A work order." },
);

const WorkOrderWithVisits = t.Object(
  {
    ...WorkOrder.properties,
    appointments: t.Array(Appointment),
    lines: t.Array(Line),
    totals: t.Object({
      subtotalMinor: integer(),
      taxMinor: integer(),
      totalMinor: integer(),
    }),
  },
  { description: "A work order with its visits (in time order) and its lines." },
);

const ListItem = t.Object({
  id: Id,
  key: t.String(),
  number: integer(),
  subject: t.String(),
  status: oneOf(WORK_ORDER_STATUSES),
  priority: oneOf(WORK_ORDER_PRIORITIES),
  contactId: NullableId,
  updatedAt: Time,
  nextVisitAt: t.Union([Time, t.Null()], { description: "The next open visit's start, or null." }),
});

const WorkOrderList = t.Object(
  {
    data: t.Array(ListItem),
    meta: t.Object({ page: integer(), limit: integer(), total: integer(), totalPages: integer() }),
    links: t.Object({
      first: t.String(),
      prev: t.Union([t.String(), t.Null()]),
      next: t.Union([t.String(), t.Null()]),
      last: t.String(),
    }),
  },
  { description: "One page of work orders, most recently changed first." },
);

const WorkOrderParams = t.Object({
  id: t.String({
    pattern: `^(?:${UUID_PATTERN}|(?:[Ww][Oo]-)?[0-9]{1,9})$`,
    description: 'The work order\'s id (a uuid) or its key ("WO-000045").',
  }),
});

export const WorkOrderListQuery = t.Object({
  status: t.Optional(oneOf(WORK_ORDER_STATUSES, { description: "Only work orders in this status." })),
  priority: t.Optional(oneOf(WORK_ORDER_PRIORITIES, { description: "Only work orders of this priority." })),
  technicianId: t.Optional(
    t.String({ format: "uuid", description: "Only work orders with a visit of this technician." }),
  ),
  q: t.Optional(t.String({ maxLength: 200, description: "Words of the subject, or a work order key." })),
  page: pageParam(),
  limit: t.Optional(
    t.Integer({ minimum: 1, maximum: 100, default: 20, description: "Work orders per page." }),
  ),
});

const CreateBody = t.Object({
  subject: t.String({ minLength: 1, maxLength: 200 }),
  description: t.Optional(t.String({ maxLength: 10_000 })),
  priority: t.Optional(oneOf(WORK_ORDER_PRIORITIES)),
  contactId: t.Optional(NullableId),
  locationId: t.Optional(NullableId),
  assetId: t.Optional(NullableId),
  skillIds: t.Optional(t.Array(Id, { maxItems: 20, description: "Skills the technician must hold." })),
});

const StatusBody = t.Object({ status: oneOf(WORK_ORDER_STATUSES) });

const ScheduleBody = t.Object({
  startsAt: Time,
  endsAt: Time,
  technicianIds: t.Optional(t.Array(Id, { maxItems: 20 })),
  crewId: t.Optional(Id),
  override: t.Optional(
    t.Boolean({
      description:
        "Schedule despite conflicts with the technicians' shifts, other visits, travel, skills or jobs per day (422 naming them otherwise); they are recorded.",
    }),
  ),
});

const AppointmentStatusBody = t.Object({
  status: oneOf(APPOINTMENT_STATUSES),
  reason: t.Optional(t.String({ maxLength: 1000, description: "Why it cannot be completed." })),
});

function workOrderRef(id: string): WorkOrderRef {
  return parseWorkOrderNumber(id) ?? id;
}

type WorkOrderRow = WorkOrderDetail["workOrder"];

function workOrderJson(wo: WorkOrderRow) {
  return {
    id: wo.id,
    key: formatWorkOrderNumber(wo.number),
    number: wo.number,
    subject: wo.subject,
    description: wo.description,
    status: wo.status,
    priority: wo.priority,
    ticketId: wo.ticketId,
    contactId: wo.contactId,
    locationId: wo.locationId,
    assetId: wo.assetId,
    currency: wo.currency,
    createdAt: wo.createdAt.toISOString(),
    updatedAt: wo.updatedAt.toISOString(),
  };
}

function detailJson(detail: WorkOrderDetail) {
  return {
    ...workOrderJson(detail.workOrder),
    appointments: detail.appointments.map((a) => ({
      id: a.id,
      status: a.status,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      technicians: a.technicians,
      cannotCompleteReason: a.cannotCompleteReason,
      signedBy: a.signedName,
    })),
    lines: detail.lines.map((l) => ({
      id: l.id,
      kind: l.kind,
      description: l.description,
      quantity: Number(l.quantity),
      unitPriceMinor: Number(l.unitPriceMinor),
      taxBasisPoints: l.taxBasisPoints,
    })),
    totals: {
      subtotalMinor: detail.totals.subtotalMinor,
      taxMinor: detail.totals.taxMinor,
      totalMinor: detail.totals.totalMinor,
    },
  };
}

export function fsmV1Routes(deps: Deps) {
  return new Elysia({ prefix: V1 })
    .use(tokenContext(deps))
    .get(
      "/work-orders",
      async ({ ctx, query, request }) => {
        const filters: WorkOrderFilters = {
          status: query.status,
          priority: query.priority,
          technicianId: query.technicianId,
          q: query.q?.trim() || undefined,
        };
        const page = query.page ?? 1;
        const limit = query.limit ?? 20;
        const [rows, total] = await Promise.all([
          listWorkOrders(ctx, filters, limit, pageOffset(page, limit)),
          countWorkOrders(ctx, filters),
        ]);
        const totalPages = Math.ceil(total / limit);
        const lastPage = Math.max(totalPages, 1);
        return {
          data: rows.map((r) => ({
            id: r.id,
            key: formatWorkOrderNumber(r.number),
            number: r.number,
            subject: r.subject,
            status: r.status,
            priority: r.priority,
            contactId: r.contactId,
            updatedAt: r.updatedAt.toISOString(),
            nextVisitAt: r.nextVisit?.toISOString() ?? null,
          })),
          meta: { page, limit, total, totalPages },
          links: {
            first: pageLink(request, 1),
            prev: page > 1 ? pageLink(request, Math.min(page - 1, lastPage)) : null,
            next: page < totalPages ? pageLink(request, page + 1) : null,
            last: pageLink(request, lastPage),
          },
        };
      },
      {
        query: WorkOrderListQuery,
        response: { 200: WorkOrderList, 401: ERRORS[401], 403: ERRORS[403], 422: ERRORS[422] },
        detail: { operationId: "listWorkOrders", summary: "List work orders", tags },
      },
    )
    .post(
      "/work-orders",
      async ({ ctx, body, set }) => {
        const wo = await createWorkOrder(ctx, body);
        set.status = 201;
        set.headers.location = `${V1}/work-orders/${formatWorkOrderNumber(wo.number)}`;
        return detailJson(await getWorkOrder(ctx, wo.id));
      },
      {
        parse: "json",
        body: CreateBody,
        response: { 201: WorkOrderWithVisits, ...ERRORS },
        detail: {
          operationId: "createWorkOrder",
          summary: "Create a work order",
          description:
            "For a customer (contactId), at a service location, on an asset; the asset's location is used when none is given.",
          tags,
        },
      },
    )
    .get(
      "/work-orders/:id",
      async ({ ctx, params }) => detailJson(await getWorkOrder(ctx, workOrderRef(params.id))),
      {
        params: WorkOrderParams,
        response: {
          200: WorkOrderWithVisits,
          401: ERRORS[401],
          403: ERRORS[403],
          404: ERRORS[404],
          422: ERRORS[422],
        },
        detail: { operationId: "getWorkOrder", summary: "Get a work order", tags },
      },
    )
    .patch(
      "/work-orders/:id",
      async ({ ctx, params, body }) => {
        await changeWorkOrderStatus(ctx, workOrderRef(params.id), body.status);
        return detailJson(await getWorkOrder(ctx, workOrderRef(params.id)));
      },
      {
        parse: "json",
        params: WorkOrderParams,
        body: StatusBody,
        response: { 200: WorkOrderWithVisits, ...ERRORS },
        detail: {
          operationId: "changeWorkOrderStatus",
          summary: "Move a work order along its life cycle",
          description:
            "new → scheduled → dispatched → in progress → completed or cannot complete → closed; cancelled from any open status. Other changes answer 409.",
          tags,
        },
      },
    )
    .post(
      "/work-orders/:id/appointments",
      async ({ ctx, params, body, set }) => {
        const visit = await scheduleAppointment(ctx, workOrderRef(params.id), {
          startsAt: new Date(body.startsAt),
          endsAt: new Date(body.endsAt),
          technicianIds: body.technicianIds ?? [],
          crewId: body.crewId,
          override: body.override,
        });
        set.status = 201;
        const detail = detailJson(await getWorkOrder(ctx, workOrderRef(params.id)));
        return detail.appointments.find((a) => a.id === visit.id)!;
      },
      {
        parse: "json",
        params: WorkOrderParams,
        body: ScheduleBody,
        response: { 201: Appointment, ...ERRORS },
        detail: {
          operationId: "scheduleVisit",
          summary: "Schedule a visit",
          description:
            "Books a visit for the technicians (and a crew's members); they are notified, and the customer gets the confirmation.",
          tags,
        },
      },
    )
    .patch(
      "/appointments/:id",
      async ({ ctx, params, body }) => {
        const row = await changeAppointmentStatus(ctx, params.id, body);
        const detail = detailJson(await getWorkOrder(ctx, row.workOrderId));
        return detail.appointments.find((a) => a.id === row.id)!;
      },
      {
        parse: "json",
        params: t.Object({ id: Id }),
        body: AppointmentStatusBody,
        response: { 200: Appointment, ...ERRORS },
        detail: {
          operationId: "changeVisitStatus",
          summary: "Move a visit along",
          description:
            "scheduled → dispatched → travelling → on site → completed, or cannot complete (with a reason). The work order follows.",
          tags,
        },
      },
    );
}
