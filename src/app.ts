// Builds the Elysia app from the route plugins. The server listens with it; tests call app.handle().
import { html } from "@elysiajs/html";
import { Elysia } from "elysia";
import { isDomainError } from "./domain/errors";
import { adminRoutes } from "./routes/admin";
import { apiRoutes } from "./routes/api";
import { assetRoutes } from "./routes/assets";
import { assignmentRoutes } from "./routes/assignment";
import { assistRoutes } from "./routes/assist";
import { authRoutes } from "./routes/auth";
import { catalogRoutes } from "./routes/catalog";
import { chatRoutes } from "./routes/chat";
import { communityRoutes } from "./routes/community";
import { crewRoutes } from "./routes/crews";
import type { Deps } from "./routes/deps";
import { deskRoutes } from "./routes/desk";
import { dispatchRoutes } from "./routes/dispatch";
import { emailAdminRoutes } from "./routes/email";
import { estimateRoutes } from "./routes/estimates";
import { fieldRoutes } from "./routes/fields";
import { formRoutes } from "./routes/forms";
import { fsmRoutes } from "./routes/fsm";
import { helpRoutes } from "./routes/help";
import { htmlResponse } from "./routes/htmlResponse";
import { inventoryRoutes } from "./routes/inventory";
import { invoiceRoutes } from "./routes/invoices";
import { jobSheetRoutes } from "./routes/jobSheets";
import { kbRoutes } from "./routes/kb";
import { locationRoutes } from "./routes/locations";
import { macroRoutes } from "./routes/macros";
import { maintenanceRoutes } from "./routes/maintenance";
import { messagingAdminRoutes, messagingHookRoutes } from "./routes/messaging";
import { notificationRoutes } from "./routes/notifications";
import { metrics, opsRoutes } from "./routes/ops";
import { portalRoutes } from "./routes/portal";
import { presenceRoutes } from "./routes/presence";
import { rateRoutes } from "./routes/rate";
import { relationRoutes } from "./routes/relations";
import { reportRoutes } from "./routes/reports";
import { ruleRoutes } from "./routes/rules";
import { slaRoutes } from "./routes/sla";
import { techRoutes } from "./routes/tech";
import { technicianRoutes } from "./routes/technicians";
import { ticketFieldRoutes } from "./routes/ticketFields";
import { timesheetRoutes } from "./routes/timesheets";
import { CsrfError, SignInRequired } from "./routes/web";
import { webhookRoutes } from "./routes/webhooks";
import { zoneRoutes } from "./routes/zones";
import { errorPage } from "./views/errors";

const CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function buildApp(deps: Deps) {
  return new Elysia()
    .use(html({ autoDetect: false }))
    .mapResponse({ as: "global" }, ({ responseValue, request, set }) =>
      htmlResponse(responseValue, request, set),
    )
    .onRequest(({ set }) => {
      metrics.requests++;
      set.headers["x-content-type-options"] = "nosniff";
      set.headers["referrer-policy"] = "same-origin";
      set.headers["x-frame-options"] = "DENY";
      // No inline scripts anywhere; htmx evaluates its trigger filters, hence 'unsafe-eval'.
      set.headers["content-security-policy"] = CSP;
    })
    .onError(({ error, code, request, set }) => {
      const path = new URL(request.url).pathname;
      if (path.startsWith("/api/")) return; // the API answers its own errors as JSON
      if (error instanceof SignInRequired) {
        const next =
          request.method === "GET" ? `?next=${encodeURIComponent(path + new URL(request.url).search)}` : "";
        set.status = 303;
        set.headers.location = `/login${next}`;
        return "";
      }
      if (error instanceof CsrfError) {
        return errorPage(
          set,
          403,
          "The form has expired",
          "This form was open too long or came from another site. Go back, reload the page and try again.",
        );
      }
      if (isDomainError(error))
        return errorPage(set, error.status, error.status === 404 ? "Not found" : error.code, error.message);
      if (code === "NOT_FOUND") {
        return errorPage(set, 404, "Not found", "There is no page at this address.");
      }
      if (code === "PARSE") return errorPage(set, 400, "Bad request", "The request could not be read.");
      metrics.errors++;
      console.error(`${request.method} ${path} failed:`, error);
      return errorPage(set, 500, "Something went wrong", "The error was logged. Try again in a moment.");
    })
    .use(opsRoutes(deps))
    .use(authRoutes(deps))
    .use(deskRoutes(deps))
    .use(presenceRoutes(deps))
    .use(assignmentRoutes(deps))
    .use(relationRoutes(deps))
    .use(assistRoutes(deps))
    .use(portalRoutes(deps))
    .use(adminRoutes(deps))
    .use(emailAdminRoutes(deps))
    .use(formRoutes(deps))
    .use(chatRoutes(deps))
    .use(notificationRoutes(deps))
    .use(ruleRoutes(deps))
    .use(macroRoutes(deps))
    .use(fieldRoutes(deps))
    .use(ticketFieldRoutes(deps))
    .use(rateRoutes(deps))
    .use(slaRoutes(deps))
    .use(webhookRoutes(deps))
    .use(messagingHookRoutes(deps))
    .use(messagingAdminRoutes(deps))
    .use(fsmRoutes(deps))
    .use(estimateRoutes(deps))
    .use(
      maintenanceRoutes(deps)
        .use(jobSheetRoutes(deps))
        .use(inventoryRoutes(deps))
        .use(assetRoutes(deps))
        .use(crewRoutes(deps))
        .use(catalogRoutes(deps))
        .use(zoneRoutes(deps))
        .use(locationRoutes(deps))
        .use(technicianRoutes(deps))
        .use(reportRoutes(deps))
        .use(invoiceRoutes(deps)),
    )
    .use(dispatchRoutes(deps))
    .use(techRoutes(deps))
    .use(timesheetRoutes(deps))
    .use(kbRoutes(deps))
    .use(helpRoutes(deps).use(communityRoutes(deps)))
    .use(apiRoutes(deps));
}

export type App = ReturnType<typeof buildApp>;
