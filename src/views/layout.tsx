import type { Role } from "../../db/schema";
import { type Permission, roleCan } from "../domain/context";
import { NotificationBell } from "./bell";

export interface Viewer {
  name: string;
  role: Role;
  orgName: string;
}

export interface PageProps {
  title: string;
  csrf: string;
  viewer?: Viewer;
  /** Staff pages load htmx for live updates; customer pages stay script-free. */
  scripts?: boolean;
  children?: JSX.Element | (JSX.Element | JSX.Element[])[];
}

function StaffNav({ viewer }: { viewer: Viewer }) {
  const isAdmin = viewer.role === "admin";
  // Only the links the person may follow: the routes check the same permissions.
  const may = (permission: Permission) => roleCan(viewer.role, permission);
  return (
    <nav class="top" aria-label="Main">
      <a class="brand" href="/">
        Fieldesk
      </a>
      {may("tickets.read_all") ? <a href="/desk/tickets">Tickets</a> : ""}
      {may("tickets.work") ? (
        <>
          <a href="/desk/tickets/new">New ticket</a>
          <a href="/desk/chats">Chats</a>
          <a href="/desk/macros">Macros</a>
        </>
      ) : (
        ""
      )}
      <NotificationBell />
      {viewer.role === "technician" ? (
        <a href="/tech">My jobs</a>
      ) : (
        <a href="/fsm/work-orders">Work orders</a>
      )}
      {viewer.role === "supervisor" || isAdmin ? <a href="/fsm/timesheets">Timesheets</a> : ""}
      {may("reports.read") ? <a href="/desk/reports">Reports</a> : ""}
      {viewer.role === "supervisor" || isAdmin ? <a href="/desk/ask">Ask the data</a> : ""}
      {["admin", "supervisor", "dispatcher"].includes(viewer.role) ? (
        <>
          <a href="/fsm/dispatch">Dispatch</a>
          <a href="/fsm/estimates">Estimates</a>
          <a href="/fsm/maintenance">Maintenance</a>
          <a href="/fsm/job-sheets">Job sheets</a>
          <a href="/fsm/inventory">Inventory</a>
          <a href="/fsm/assets">Assets</a>
          <a href="/fsm/locations">Locations</a>
          <a href="/fsm/crews">Crews</a>
          <a href="/fsm/catalog">Catalog</a>
          <a href="/fsm/zones">Territories</a>
          <a href="/fsm/technicians">Technicians</a>
        </>
      ) : (
        ""
      )}
      {may("invoices.read") ? <a href="/fsm/invoices">Invoices</a> : ""}
      {may("kb.write") ? <a href="/desk/kb">Knowledge base</a> : ""}
      {may("tickets.read_all") ? <a href="/desk/search">Search</a> : ""}
      {isAdmin ? <a href="/admin">Admin</a> : ""}
      <span class="spacer" />
      <span class="who" safe>
        {viewer.name}
      </span>
      <a href="/account">Account</a>
    </nav>
  );
}

function CustomerNav({ viewer }: { viewer?: Viewer }) {
  return (
    <nav class="top" aria-label="Main">
      <a class="brand" href="/portal" safe>
        {viewer?.orgName ?? "Support"}
      </a>
      {viewer ? (
        <>
          <a href="/portal/tickets">My tickets</a>
          <a href="/portal/tickets/new">New ticket</a>
          <a href="/portal/estimates">Estimates</a>
          <a href="/portal/invoices">Invoices</a>
          <a href="/portal/chat">Chat</a>
          <a href="/help">Help center</a>
          <a href="/community">Community</a>
          <span class="spacer" />
          <span class="who" safe>
            {viewer.name}
          </span>
          <a href="/account">Account</a>
        </>
      ) : (
        <>
          <span class="spacer" />
          <a href="/login">Sign in</a>
        </>
      )}
    </nav>
  );
}

export function Page({ title, csrf, viewer, scripts, children }: PageProps) {
  const staff = viewer && viewer.role !== "customer";
  return (
    <>
      {"<!doctype html>"}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="csrf-token" content={csrf} />
          <title safe>{title}</title>
          <link rel="stylesheet" href="/public/app.css" />
        </head>
        <body hx-headers={scripts ? JSON.stringify({ "X-CSRF-Token": csrf }) : undefined}>
          {staff ? <StaffNav viewer={viewer} /> : <CustomerNav viewer={viewer} />}
          <main>{children as "safe"}</main>
          {/* At the end of the body, not `defer`red: htmx 4 initializes in a setTimeout when it runs
              after parsing, which can come before a deferred extension has registered, and then the
              live updates (hx-sse:connect) never connect. Here both run while the page still parses. */}
          {scripts ? (
            <>
              <script src="/public/vendor/htmx.min.js" />
              <script src="/public/vendor/hx-sse.min.js" />
            </>
          ) : (
            ""
          )}
        </body>
      </html>
    </>
  );
}

/**
 * Data for a page's script, as JSON in a script element the browser never runs. Script text is not
 * HTML-decoded, so the JSON goes in as it is; only `<` is written as \u003c so that no text
 * (a "</script>" in a subject) can end the element early.
 */
export function JsonData({ id, value }: { id: string; value: unknown }) {
  const safeJson = JSON.stringify(value).replace(/</g, "\\u003c");
  return (
    <script type="application/json" id={id}>
      {safeJson}
    </script>
  );
}
