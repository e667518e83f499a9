// SLA administration: policies at /admin/sla, business calendars at /admin/calendars. The domain
// functions decide who may do what; these routes read the forms and render the pages.
import { Elysia } from "elysia";
import { TICKET_PRIORITIES } from "../../db/schema";
import type { SessionUser } from "../domain/auth/sessions";
import type { Ctx } from "../domain/context";
import { isDomainError } from "../domain/errors";
import { organizationTimeZone } from "../domain/orgs/resolve";
import {
  calendarFormData,
  deleteCalendar,
  deletePolicy,
  getCalendar,
  getPolicy,
  listCalendars,
  type PolicyInput,
  policyFormData,
  saveCalendar,
  savePolicy,
  saveSlaSettings,
  slaOverview,
} from "../domain/sla/admin";
import { SLA_TARGETS } from "../domain/sla/policy";
import { CalendarFormPage, CalendarsPage, PolicyFormPage, SlaPage } from "../views/admin/sla";
import type { Deps } from "./deps";
import { field, fieldList, formValues, requireUser, seeOther, uploads, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  "policy-saved": "Policy saved. Open tickets get their new due times in a moment.",
  "policy-deleted": "Policy deleted. Open tickets get their new due times in a moment.",
  "calendar-saved": "Calendar saved. Open tickets get their new due times in a moment.",
  "calendar-deleted": "Calendar deleted.",
  "settings-saved": "Escalation contact saved.",
};

const POLICY_LISTS = [
  "priorities",
  "channels",
  "companyTiers",
  "categories",
  "teams",
  "ticketCategories",
  "pauseStatuses",
  "calendarTime",
] as const;

function policyInput(body: unknown): PolicyInput {
  const targets: Record<string, string> = {};
  for (const priority of TICKET_PRIORITIES)
    for (const kind of SLA_TARGETS)
      targets[`${priority}_${kind}`] = field(body, `target_${priority}_${kind}`);
  return {
    name: field(body, "name"),
    position: field(body, "position"),
    active: field(body, "active") !== "",
    calendarId: field(body, "calendarId") || null,
    priorities: fieldList(body, "priorities"),
    channels: fieldList(body, "channels"),
    companyTiers: fieldList(body, "companyTiers"),
    categories: fieldList(body, "categories"),
    teams: fieldList(body, "teams"),
    ticketCategories: fieldList(body, "ticketCategories"),
    pauseStatuses: fieldList(body, "pauseStatuses"),
    targets,
    calendarTime: fieldList(body, "calendarTime"),
  };
}

/** What the person sent, checkbox groups included, to put back into the re-rendered form. */
function policyValues(body: unknown): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = formValues(body);
  for (const name of POLICY_LISTS) values[name] = fieldList(body, name);
  return values;
}

function calendarInput(body: unknown, file: File | undefined, text: string | undefined) {
  const hours: Record<number, string> = {};
  for (let day = 1; day <= 7; day++) hours[day] = field(body, `hours_${day}`);
  return {
    name: field(body, "name"),
    timeZone: field(body, "timeZone"),
    teamId: field(body, "teamId") || null,
    isDefault: field(body, "isDefault") !== "",
    hours,
    holidays: field(body, "holidays"),
    ics: file && text !== undefined ? { name: file.name, text, size: file.size } : undefined,
  };
}

export function slaRoutes(deps: Deps) {
  const viewer = (ctx: Ctx) => viewerOf(ctx.actor as SessionUser);
  const slaPage = async (ctx: Ctx, csrf: string, extra: { notice?: string; settingsForm?: object } = {}) => {
    const [overview, choices] = await Promise.all([slaOverview(ctx), policyFormData(ctx)]);
    return (
      <SlaPage
        csrf={csrf}
        viewer={viewer(ctx)}
        policies={overview.policies}
        calendars={overview.calendars}
        teams={choices.teams}
        staff={overview.staff}
        settings={overview.settings}
        {...extra}
      />
    );
  };
  const policyPage = async (ctx: Ctx, csrf: string, id: string | null, state = {}) => {
    const [choices, policy] = await Promise.all([
      policyFormData(ctx),
      id ? getPolicy(ctx, id) : Promise.resolve(undefined),
    ]);
    return (
      <PolicyFormPage
        csrf={csrf}
        viewer={viewer(ctx)}
        policy={policy}
        calendars={choices.calendars}
        teams={choices.teams}
        categories={choices.categories}
        nextPosition={choices.nextPosition}
        state={state}
      />
    );
  };
  const calendarPage = async (ctx: Ctx, csrf: string, id: string | null, state = {}, notice?: string) => {
    const [choices, existing, timeZone] = await Promise.all([
      calendarFormData(ctx),
      id ? getCalendar(ctx, id) : Promise.resolve(undefined),
      organizationTimeZone(deps.database.db, ctx.actor.orgId),
    ]);
    return (
      <CalendarFormPage
        csrf={csrf}
        viewer={viewer(ctx)}
        calendar={existing?.calendar}
        holidays={existing?.holidays}
        teams={choices.teams}
        defaultTimeZone={timeZone}
        state={state}
        notice={notice}
      />
    );
  };
  const savePolicyRoute =
    (existing: boolean) =>
    async ({ user, csrf, ctxFor, body, set, request, params }: RouteArgs) => {
      const ctx = ctxFor(requireUser(user));
      const id = existing ? params.id : null;
      try {
        await savePolicy(ctx, id, policyInput(body));
        return seeOther(set, request, "/admin/sla?notice=policy-saved");
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        return policyPage(ctx, csrf, id, {
          values: policyValues(body),
          fields: error.fields,
          message: error.message,
        });
      }
    };
  const saveCalendarRoute =
    (existing: boolean) =>
    async ({ user, csrf, ctxFor, body, set, request, params }: RouteArgs) => {
      const ctx = ctxFor(requireUser(user));
      const id = existing ? params.id : null;
      const [file] = uploads(body, "ics");
      try {
        const saved = await saveCalendar(ctx, id, calendarInput(body, file, await file?.text()));
        const imported = saved.imported ? `&imported=${saved.imported}&skipped=${saved.skipped.length}` : "";
        return seeOther(set, request, `/admin/calendars/${saved.id}?notice=calendar-saved${imported}`);
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
        set.status = error.status;
        return calendarPage(ctx, csrf, id, {
          values: formValues(body),
          fields: error.fields,
          message: error.message,
        });
      }
    };

  return new Elysia()
    .use(webContext(deps))
    .get("/admin/sla", async ({ user, csrf, ctxFor, query }) =>
      slaPage(ctxFor(requireUser(user)), csrf, { notice: NOTICES[query.notice ?? ""] }),
    )
    .post("/admin/sla/settings", async ({ user, csrf, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUser(user));
      try {
        await saveSlaSettings(ctx, {
          escalationUserId: field(body, "escalationUserId") || null,
          escalationEmail: field(body, "escalationEmail") || null,
        });
        return seeOther(set, request, "/admin/sla?notice=settings-saved");
      } catch (error) {
        if (!isDomainError(error) || error.status === 403) throw error;
        set.status = error.status;
        return slaPage(ctx, csrf, {
          settingsForm: { values: formValues(body), fields: error.fields, message: error.message },
        });
      }
    })
    .get("/admin/sla/policies/new", async ({ user, csrf, ctxFor }) =>
      policyPage(ctxFor(requireUser(user)), csrf, null),
    )
    .post("/admin/sla/policies", savePolicyRoute(false))
    .get("/admin/sla/policies/:id", async ({ user, csrf, ctxFor, params }) =>
      policyPage(ctxFor(requireUser(user)), csrf, params.id),
    )
    .post("/admin/sla/policies/:id", savePolicyRoute(true))
    .post("/admin/sla/policies/:id/delete", async ({ user, ctxFor, params, set, request }) => {
      await deletePolicy(ctxFor(requireUser(user)), params.id);
      return seeOther(set, request, "/admin/sla?notice=policy-deleted");
    })
    .get("/admin/calendars", async ({ user, csrf, ctxFor, query }) => {
      const ctx = ctxFor(requireUser(user));
      const [calendars, choices] = await Promise.all([listCalendars(ctx), calendarFormData(ctx)]);
      return (
        <CalendarsPage
          csrf={csrf}
          viewer={viewer(ctx)}
          calendars={calendars}
          teams={choices.teams}
          notice={NOTICES[query.notice ?? ""]}
        />
      );
    })
    .get("/admin/calendars/new", async ({ user, csrf, ctxFor }) =>
      calendarPage(ctxFor(requireUser(user)), csrf, null),
    )
    .post("/admin/calendars", saveCalendarRoute(false))
    .get("/admin/calendars/:id", async ({ user, csrf, ctxFor, params, query }) => {
      let notice = NOTICES[query.notice ?? ""];
      const imported = Number.parseInt(query.imported ?? "", 10);
      if (notice && imported > 0) {
        const skipped = Number.parseInt(query.skipped ?? "0", 10) || 0;
        notice += ` ${imported} holiday${imported === 1 ? "" : "s"} imported${skipped ? `, ${skipped} event${skipped === 1 ? "" : "s"} skipped` : ""}.`;
      }
      return calendarPage(ctxFor(requireUser(user)), csrf, params.id, {}, notice);
    })
    .post("/admin/calendars/:id", saveCalendarRoute(true))
    .post("/admin/calendars/:id/delete", async ({ user, csrf, ctxFor, params, set, request }) => {
      const ctx = ctxFor(requireUser(user));
      try {
        await deleteCalendar(ctx, params.id);
        return seeOther(set, request, "/admin/calendars?notice=calendar-deleted");
      } catch (error) {
        if (!isDomainError(error) || error.status !== 409) throw error;
        set.status = 409;
        return calendarPage(ctx, csrf, params.id, { message: error.message });
      }
    });
}

interface RouteArgs {
  user: SessionUser | null;
  csrf: string;
  ctxFor: (actor: SessionUser) => Ctx;
  body: unknown;
  set: { status?: number | string; headers: Record<string, string | number> };
  request: Request;
  params: Record<string, string>;
}
