// The supervisor's report of a period (/desk/reports?days=30).
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { deskReport, reportPeriod } from "../domain/reports/overview";
import { ReportsPage } from "../views/desk/reports";
import type { Deps } from "./deps";
import { requireUserWith, viewerOf, webContext } from "./web";

export function reportRoutes(deps: Deps) {
  return new Elysia().use(webContext(deps)).get("/desk/reports", async ({ user, csrf, ctxFor, query }) => {
    const ctx = ctxFor(requireUserWith(user, "reports.read"));
    const [report, timeZone] = await Promise.all([
      deskReport(ctx, reportPeriod(query.days)),
      organizationTimeZone(ctx.db, ctx.actor.orgId),
    ]);
    return (
      <ReportsPage
        csrf={csrf}
        viewer={viewerOf(ctx.actor as SessionUser)}
        report={report}
        timeZone={timeZone}
      />
    );
  });
}
