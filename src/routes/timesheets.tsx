// Timesheets: the technician's day at /tech/timesheet (add time, remove it, submit), and the
// supervisors' list and review at /fsm/timesheets (approve or send back). Plain forms throughout.
import { Elysia } from "elysia";
import type { Ctx } from "../domain/context";
import { isDomainError } from "../domain/errors";
import {
  addTimesheetEntry,
  decideTimesheet,
  getTimesheet,
  listTimesheets,
  removeTimesheetEntry,
  submitTimesheet,
} from "../domain/fsm/timesheets";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { TimesheetReviewPage, TimesheetsPage } from "../views/fsm/timesheets";
import { TimesheetPage } from "../views/tech/timesheet";
import type { Deps } from "./deps";
import { field, formValues, requireUser, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  added: "Time added.",
  removed: "Entry removed.",
  submitted: "Submitted for approval.",
  approved: "Timesheet approved.",
  rejected: "Timesheet sent back.",
};

type Failed = { message: string; fields: Record<string, string>; values: Record<string, string> };

function failedOf(error: unknown, body: unknown): Failed {
  if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
  return { message: error.message, fields: error.fields ?? {}, values: formValues(body) };
}

export function timesheetRoutes(deps: Deps) {
  const today = async (ctx: Ctx) => {
    const zone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(ctx.now);
  };
  async function techPage(
    ctx: Ctx,
    csrf: string,
    day: string,
    extra: { notice?: string; failed?: Failed } = {},
  ) {
    const [sheet, timeZone] = await Promise.all([
      getTimesheet(ctx, { day }),
      organizationTimeZone(ctx.db, ctx.actor.orgId),
    ]);
    return <TimesheetPage csrf={csrf} name={ctx.actor.name} sheet={sheet} timeZone={timeZone} {...extra} />;
  }

  return new Elysia()
    .use(webContext(deps))
    .get("/tech/timesheet", async ({ user, csrf, ctxFor, query }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.field"));
      const day = typeof query.day === "string" && query.day ? query.day : await today(ctx);
      return techPage(ctx, csrf, day, { notice: NOTICES[query.notice ?? ""] });
    })
    .post("/tech/timesheet/entries", async ({ user, csrf, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.field"));
      const day = field(body, "day");
      try {
        await addTimesheetEntry(ctx, {
          day,
          kind: field(body, "kind"),
          from: field(body, "from"),
          to: field(body, "to"),
          note: field(body, "note"),
        });
        return seeOther(set, request, `/tech/timesheet?day=${encodeURIComponent(day)}&notice=added`);
      } catch (error) {
        const failed = failedOf(error, body);
        set.status = (error as { status: number }).status;
        return techPage(ctx, csrf, day, { failed });
      }
    })
    .post("/tech/timesheet/entries/:id/delete", async ({ user, ctxFor, params, set, request }) => {
      const day = await removeTimesheetEntry(ctxFor(requireUserWith(user, "fsm.field")), params.id);
      return seeOther(set, request, `/tech/timesheet?day=${day}&notice=removed`);
    })
    .post("/tech/timesheet/submit", async ({ user, csrf, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.field"));
      const day = field(body, "day");
      try {
        await submitTimesheet(ctx, day);
        return seeOther(set, request, `/tech/timesheet?day=${encodeURIComponent(day)}&notice=submitted`);
      } catch (error) {
        const failed = failedOf(error, body);
        set.status = (error as { status: number }).status;
        return techPage(ctx, csrf, day, { failed });
      }
    })
    .get("/fsm/timesheets", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUser(user);
      const status = typeof query.status === "string" ? query.status : "submitted";
      const sheets = await listTimesheets(ctxFor(me), status);
      return (
        <TimesheetsPage
          csrf={csrf}
          viewer={viewerOf(me)}
          status={status}
          sheets={sheets}
          notice={NOTICES[query.notice ?? ""]}
        />
      );
    })
    .get("/fsm/timesheets/:userId/:day", async ({ user, csrf, ctxFor, params }) => {
      const me = requireUserWith(user, "timesheets.approve");
      const ctx = ctxFor(me);
      const sheet = await getTimesheet(ctx, { day: params.day, userId: params.userId });
      const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
      return <TimesheetReviewPage csrf={csrf} viewer={viewerOf(me)} sheet={sheet} timeZone={timeZone} />;
    })
    .post(
      "/fsm/timesheets/:userId/:day/decision",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const me = requireUserWith(user, "timesheets.approve");
        const ctx = ctxFor(me);
        const decision = field(body, "decision");
        try {
          await decideTimesheet(ctx, {
            userId: params.userId,
            day: params.day,
            decision,
            note: field(body, "note"),
          });
          return seeOther(
            set,
            request,
            `/fsm/timesheets?notice=${decision === "approve" ? "approved" : "rejected"}`,
          );
        } catch (error) {
          const failed = failedOf(error, body);
          set.status = (error as { status: number }).status;
          const sheet = await getTimesheet(ctx, { day: params.day, userId: params.userId });
          const timeZone = await organizationTimeZone(ctx.db, ctx.actor.orgId);
          return (
            <TimesheetReviewPage
              csrf={csrf}
              viewer={viewerOf(me)}
              sheet={sheet}
              timeZone={timeZone}
              failed={failed}
            />
          );
        }
      },
    );
}
