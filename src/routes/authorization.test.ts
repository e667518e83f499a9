// Every HTML route × every role, with two organizations: who is let in, who is refused, and
// that nobody reaches the other organization's tickets.
import { beforeAll, describe, expect, test } from "bun:test";
import {
  counters,
  inboundEmails,
  jobs,
  mailboxes,
  type Role,
  webhookSettings,
  webhookSubscriptions,
} from "../../db/schema";
import { Client, createOrg, type Fixture, signedIn, testFiles } from "../../test/helpers";
import { saveRule } from "../domain/automation/rules";
import { startChat, touchPresence } from "../domain/chat/chat";
import { saveCategory, saveField } from "../domain/fields/catalog";
import { formatWorkOrderNumber } from "../domain/fsm/rules";
import { createWorkOrder, scheduleAppointment } from "../domain/fsm/workOrders";
import { createArticle, setArticleStatus, updateArticle } from "../domain/kb/articles";
import { formatTicketNumber } from "../domain/orgs/counters";
import { saveCalendar, savePolicy } from "../domain/sla/admin";
import { createTicket } from "../domain/tickets/commands";

const ROLES: Role[] = ["admin", "supervisor", "agent", "dispatcher", "technician", "customer"];
const READ = ["admin", "supervisor", "agent", "dispatcher"] as const;
const WORK = ["admin", "supervisor", "agent"] as const;
/** Everyone but customers: notifications reach technicians too. */
const STAFF_AND_FIELD = ["admin", "supervisor", "agent", "dispatcher", "technician"] as const;

let home: Fixture;
let away: Fixture;
let ticket: string;
let awayTicket: string;
let homeJob: string;
let homeEmail: string;
let homeMailbox: string;
let homeChat: string;
let homeRule: string;
/** SLA rules of the home organization: one to read and edit, one each to delete. */
let homePolicy: string;
let doomedPolicy: string;
let homeCalendar: string;
let doomedCalendar: string;
let awayPolicy: string;
let awayCalendar: string;

const CALENDAR_FORM = { name: "Matrix hours", timeZone: "UTC", hours_1: "09:00-17:00", holidays: "" };
let homeHook: string;
let homeHookToDelete: string;
let homeWorkOrder: string;
let homeAppointment: string;
const FSM_READ = ["admin", "supervisor", "agent", "dispatcher"] as const;
const FSM_MANAGE = ["admin", "supervisor", "dispatcher"] as const;
let homeArticle: string;
let publicArticle: string;
const KB_PUBLISH = ["admin", "supervisor"] as const;
/** Categories and fields of the home organization: one each to edit, one each to delete. */
let homeCategory: string;
let doomedCategory: string;
let homeField: string;
let doomedField: string;

interface RouteCase {
  name: string;
  method: "GET" | "POST";
  path: () => string;
  form?: () => Record<string, string>;
  allowed: readonly Role[];
}

const ROUTES: RouteCase[] = [
  { name: "ticket list", method: "GET", path: () => "/desk/tickets", allowed: READ },
  { name: "list fragment", method: "GET", path: () => "/desk/tickets?view=open&fragment=1", allowed: READ },
  { name: "new ticket form", method: "GET", path: () => "/desk/tickets/new", allowed: WORK },
  {
    name: "create ticket",
    method: "POST",
    path: () => "/desk/tickets",
    form: () => ({ subject: "Matrix", body: "b", requesterEmail: "m@example.test" }),
    allowed: WORK,
  },
  { name: "ticket page", method: "GET", path: () => `/desk/tickets/${ticket}`, allowed: READ },
  {
    name: "internal note",
    method: "POST",
    path: () => `/desk/tickets/${ticket}/messages`,
    form: () => ({ kind: "note", body: "matrix note" }),
    allowed: WORK,
  },
  {
    name: "ticket properties",
    method: "POST",
    path: () => `/desk/tickets/${ticket}/properties`,
    form: () => ({ priority: "high", type: "incident", status: "open" }),
    allowed: WORK,
  },
  {
    name: "bulk edit",
    method: "POST",
    path: () => "/desk/tickets/bulk",
    form: () => ({ ids: "", priority: "low" }),
    allowed: WORK,
  },
  {
    name: "merge review",
    method: "GET",
    path: () => `/desk/tickets/${ticket}/merges/new?target=nonsense`,
    allowed: WORK,
  },
  {
    name: "merge",
    method: "POST",
    path: () => `/desk/tickets/${ticket}/merges`,
    form: () => ({ target: "nonsense" }),
    allowed: WORK,
  },
  {
    name: "link tickets",
    method: "POST",
    path: () => `/desk/tickets/${ticket}/links`,
    form: () => ({ other: "nonsense", role: "related" }),
    allowed: WORK,
  },
  {
    name: "add follower",
    method: "POST",
    path: () => `/desk/tickets/${ticket}/followers`,
    form: () => ({ email: "not an address" }),
    allowed: WORK,
  },
  {
    name: "book time",
    method: "POST",
    path: () => `/desk/tickets/${ticket}/time-entries`,
    form: () => ({ duration: "soon" }),
    allowed: WORK,
  },
  { name: "portal list", method: "GET", path: () => "/portal/tickets", allowed: ["customer"] },
  { name: "portal new form", method: "GET", path: () => "/portal/tickets/new", allowed: ["customer"] },
  { name: "portal ticket", method: "GET", path: () => `/portal/tickets/${ticket}`, allowed: ["customer"] },
  {
    name: "portal reply",
    method: "POST",
    path: () => `/portal/tickets/${ticket}/messages`,
    form: () => ({ body: "matrix reply" }),
    allowed: ["customer"],
  },
  { name: "admin home", method: "GET", path: () => "/admin", allowed: ["admin"] },
  { name: "api tokens", method: "GET", path: () => "/admin/tokens", allowed: ["admin"] },
  {
    name: "create api token",
    method: "POST",
    path: () => "/admin/tokens",
    form: () => ({ name: "matrix", role: "agent" }),
    allowed: ["admin"],
  },
  { name: "search language", method: "GET", path: () => "/admin/search", allowed: ["admin"] },
  {
    name: "save search language",
    method: "POST",
    path: () => "/admin/search",
    form: () => ({ config: "english" }),
    allowed: ["admin"],
  },
  { name: "outbox", method: "GET", path: () => "/admin/outbox", allowed: ["admin"] },
  { name: "jobs", method: "GET", path: () => "/admin/jobs", allowed: ["admin"] },
  { name: "retry job", method: "POST", path: () => `/admin/jobs/${homeJob}/retry`, allowed: ["admin"] },
  { name: "webhooks", method: "GET", path: () => "/admin/webhooks", allowed: ["admin"] },
  { name: "new webhook form", method: "GET", path: () => "/admin/webhooks/new", allowed: ["admin"] },
  {
    name: "create webhook",
    method: "POST",
    path: () => "/admin/webhooks",
    form: () => ({ name: "matrix", url: "http://127.0.0.1:9/new", eventTypes: "webhook.test_only" }),
    allowed: ["admin"],
  },
  { name: "webhook page", method: "GET", path: () => `/admin/webhooks/${homeHook}`, allowed: ["admin"] },
  {
    name: "edit webhook",
    method: "POST",
    path: () => `/admin/webhooks/${homeHook}`,
    form: () => ({ name: "matrix hook", url: "http://127.0.0.1:9/edited", eventTypes: "webhook.test_only" }),
    allowed: ["admin"],
  },
  {
    name: "pause webhook",
    method: "POST",
    path: () => `/admin/webhooks/${homeHook}/disable`,
    allowed: ["admin"],
  },
  {
    name: "re-enable webhook",
    method: "POST",
    path: () => `/admin/webhooks/${homeHook}/enable`,
    allowed: ["admin"],
  },
  {
    name: "test webhook",
    method: "POST",
    path: () => `/admin/webhooks/${homeHook}/test`,
    allowed: ["admin"],
  },
  {
    name: "delete webhook",
    method: "POST",
    path: () => `/admin/webhooks/${homeHookToDelete}/delete`,
    allowed: ["admin"],
  },
  {
    name: "webhook settings",
    method: "POST",
    path: () => "/admin/webhooks/settings",
    form: () => ({ allowPrivateTargets: "1" }),
    allowed: ["admin"],
  },
  { name: "original email", method: "GET", path: () => `/desk/emails/${homeEmail}/original`, allowed: READ },
  { name: "mailboxes", method: "GET", path: () => "/admin/mailboxes", allowed: ["admin"] },
  {
    name: "add mailbox",
    method: "POST",
    path: () => "/admin/mailboxes",
    form: () => ({ name: "Matrix", address: "not-an-address" }),
    allowed: ["admin"],
  },
  { name: "mailbox", method: "GET", path: () => `/admin/mailboxes/${homeMailbox}`, allowed: ["admin"] },
  {
    name: "save mailbox",
    method: "POST",
    path: () => `/admin/mailboxes/${homeMailbox}`,
    form: () => ({ name: "", address: "" }),
    allowed: ["admin"],
  },
  { name: "email templates", method: "GET", path: () => "/admin/email-templates", allowed: ["admin"] },
  {
    name: "email template",
    method: "GET",
    path: () => "/admin/email-templates/ticket_reply",
    allowed: ["admin"],
  },
  {
    name: "preview email template",
    method: "POST",
    path: () => "/admin/email-templates/ticket_reply",
    form: () => ({ action: "preview", subject: "s", text: "t" }),
    allowed: ["admin"],
  },
  { name: "chat start page", method: "GET", path: () => "/portal/chat", allowed: ["customer"] },
  { name: "chat inbox", method: "GET", path: () => "/desk/chats", allowed: WORK },
  { name: "agent chat page", method: "GET", path: () => `/desk/chats/${homeChat}`, allowed: WORK },
  {
    name: "customer chat page",
    method: "GET",
    path: () => `/portal/chat/${homeChat}`,
    allowed: ["customer"],
  },
  {
    name: "agent chat message",
    method: "POST",
    path: () => `/desk/chats/${homeChat}/messages`,
    form: () => ({ body: "" }),
    allowed: WORK,
  },
  {
    name: "customer chat message",
    method: "POST",
    path: () => `/portal/chat/${homeChat}/messages`,
    form: () => ({ body: "" }),
    allowed: ["customer"],
  },
  { name: "notifications", method: "GET", path: () => "/notifications", allowed: STAFF_AND_FIELD },
  {
    name: "notification email mode",
    method: "POST",
    path: () => "/account/notifications",
    form: () => ({ emailMode: "instant" }),
    allowed: STAFF_AND_FIELD,
  },
  { name: "categories and fields", method: "GET", path: () => "/admin/fields", allowed: ["admin"] },
  {
    name: "add category",
    method: "POST",
    path: () => "/admin/fields/categories",
    form: () => ({ name: "Matrix category" }),
    allowed: ["admin"],
  },
  {
    name: "category page",
    method: "GET",
    path: () => `/admin/fields/categories/${homeCategory}`,
    allowed: ["admin"],
  },
  {
    name: "edit category",
    method: "POST",
    path: () => `/admin/fields/categories/${homeCategory}`,
    form: () => ({ name: "Home category" }),
    allowed: ["admin"],
  },
  {
    name: "move category",
    method: "POST",
    path: () => `/admin/fields/categories/${homeCategory}/move`,
    form: () => ({ direction: "up" }),
    allowed: ["admin"],
  },
  {
    name: "delete category",
    method: "POST",
    path: () => `/admin/fields/categories/${doomedCategory}/delete`,
    allowed: ["admin"],
  },
  {
    name: "new field form",
    method: "GET",
    path: () => `/admin/fields/new?category=${homeCategory}`,
    allowed: ["admin"],
  },
  {
    name: "add field",
    method: "POST",
    path: () => "/admin/fields",
    form: () => ({ categoryId: homeCategory, label: "Matrix field", type: "text" }),
    allowed: ["admin"],
  },
  { name: "field page", method: "GET", path: () => `/admin/fields/${homeField}`, allowed: ["admin"] },
  {
    name: "edit field",
    method: "POST",
    path: () => `/admin/fields/${homeField}`,
    form: () => ({ label: "Home field" }),
    allowed: ["admin"],
  },
  {
    name: "move field",
    method: "POST",
    path: () => `/admin/fields/${homeField}/move`,
    form: () => ({ direction: "down" }),
    allowed: ["admin"],
  },
  {
    name: "delete field",
    method: "POST",
    path: () => `/admin/fields/${doomedField}/delete`,
    allowed: ["admin"],
  },
  {
    name: "category fields block",
    method: "POST",
    path: () => "/desk/fields/form",
    form: () => ({ category: homeCategory }),
    allowed: WORK,
  },
  {
    name: "ticket category and fields",
    method: "POST",
    path: () => `/desk/tickets/${ticket}/fields`,
    form: () => ({ category: homeCategory }),
    allowed: WORK,
  },
  { name: "rules", method: "GET", path: () => "/admin/rules", allowed: ["admin"] },
  { name: "new rule form", method: "GET", path: () => "/admin/rules/new", allowed: ["admin"] },
  {
    name: "create rule",
    method: "POST",
    path: () => "/admin/rules",
    form: () => ({ name: "", trigger: "ticket.created" }),
    allowed: ["admin"],
  },
  { name: "rule", method: "GET", path: () => `/admin/rules/${homeRule}`, allowed: ["admin"] },
  {
    name: "rule dry run",
    method: "POST",
    path: () => `/admin/rules/${homeRule}/dry-run`,
    form: () => ({ ticket: ticket }),
    allowed: ["admin"],
  },
  { name: "sla policies", method: "GET", path: () => "/admin/sla", allowed: ["admin"] },
  {
    name: "sla escalation contact",
    method: "POST",
    path: () => "/admin/sla/settings",
    form: () => ({ escalationEmail: "duty@example.test" }),
    allowed: ["admin"],
  },
  { name: "new sla policy form", method: "GET", path: () => "/admin/sla/policies/new", allowed: ["admin"] },
  {
    name: "create sla policy",
    method: "POST",
    path: () => "/admin/sla/policies",
    form: () => ({ name: "Matrix created", target_normal_resolution: "8h" }),
    allowed: ["admin"],
  },
  {
    name: "sla policy form",
    method: "GET",
    path: () => `/admin/sla/policies/${homePolicy}`,
    allowed: ["admin"],
  },
  {
    name: "edit sla policy",
    method: "POST",
    path: () => `/admin/sla/policies/${homePolicy}`,
    form: () => ({ name: "Matrix policy", target_normal_resolution: "9h" }),
    allowed: ["admin"],
  },
  {
    name: "delete sla policy",
    method: "POST",
    path: () => `/admin/sla/policies/${doomedPolicy}/delete`,
    allowed: ["admin"],
  },
  { name: "calendars", method: "GET", path: () => "/admin/calendars", allowed: ["admin"] },
  { name: "new calendar form", method: "GET", path: () => "/admin/calendars/new", allowed: ["admin"] },
  {
    name: "create calendar",
    method: "POST",
    path: () => "/admin/calendars",
    form: () => ({ ...CALENDAR_FORM, name: "Matrix created" }),
    allowed: ["admin"],
  },
  {
    name: "calendar form",
    method: "GET",
    path: () => `/admin/calendars/${homeCalendar}`,
    allowed: ["admin"],
  },
  {
    name: "edit calendar",
    method: "POST",
    path: () => `/admin/calendars/${homeCalendar}`,
    form: () => CALENDAR_FORM,
    allowed: ["admin"],
  },
  {
    name: "delete calendar",
    method: "POST",
    path: () => `/admin/calendars/${doomedCalendar}/delete`,
    allowed: ["admin"],
  },
  { name: "macros", method: "GET", path: () => "/desk/macros", allowed: WORK },
  { name: "new macro form", method: "GET", path: () => "/desk/macros/new", allowed: WORK },
  {
    name: "create macro",
    method: "POST",
    path: () => "/desk/macros",
    form: () => ({ name: "" }),
    allowed: WORK,
  },
  { name: "account", method: "GET", path: () => "/account", allowed: ROLES },
  { name: "work orders", method: "GET", path: () => "/fsm/work-orders?status=new&q=x", allowed: FSM_READ },
  { name: "new work order form", method: "GET", path: () => "/fsm/work-orders/new", allowed: FSM_MANAGE },
  {
    name: "create work order",
    method: "POST",
    path: () => "/fsm/work-orders",
    form: () => ({ subject: "" }),
    allowed: FSM_MANAGE,
  },
  {
    name: "work order from ticket",
    method: "POST",
    path: () => "/fsm/work-orders/from-ticket",
    form: () => ({ ticket: ticket }),
    allowed: FSM_READ,
  },
  {
    name: "work order page",
    method: "GET",
    path: () => `/fsm/work-orders/${homeWorkOrder}`,
    allowed: FSM_READ,
  },
  {
    name: "work order status",
    method: "POST",
    path: () => `/fsm/work-orders/${homeWorkOrder}/status`,
    form: () => ({ status: "bogus" }),
    allowed: FSM_MANAGE,
  },
  {
    name: "schedule visit",
    method: "POST",
    path: () => `/fsm/work-orders/${homeWorkOrder}/appointments`,
    form: () => ({ startsAt: "" }),
    allowed: FSM_MANAGE,
  },
  {
    name: "add line",
    method: "POST",
    path: () => `/fsm/work-orders/${homeWorkOrder}/lines`,
    form: () => ({ kind: "labour", quantity: "x" }),
    allowed: FSM_MANAGE,
  },
  {
    name: "dispatch visit",
    method: "POST",
    path: () => `/fsm/appointments/${homeAppointment}/status`,
    form: () => ({ status: "bogus" }),
    allowed: FSM_MANAGE,
  },
  { name: "service locations", method: "GET", path: () => "/fsm/locations?q=x", allowed: FSM_READ },
  { name: "new location form", method: "GET", path: () => "/fsm/locations/new", allowed: FSM_MANAGE },
  {
    name: "create location",
    method: "POST",
    path: () => "/fsm/locations",
    form: () => ({ name: "", address: "" }),
    allowed: FSM_MANAGE,
  },
  { name: "job sheets", method: "GET", path: () => "/fsm/job-sheets", allowed: FSM_MANAGE },
  { name: "new job sheet form", method: "GET", path: () => "/fsm/job-sheets/new", allowed: FSM_MANAGE },
  {
    name: "create job sheet",
    method: "POST",
    path: () => "/fsm/job-sheets",
    form: () => ({ name: "", steps: "" }),
    allowed: FSM_MANAGE,
  },
  {
    name: "attach job sheet",
    method: "POST",
    path: () => `/fsm/work-orders/${homeWorkOrder}/job-sheets`,
    form: () => ({ templateId: "" }),
    allowed: FSM_MANAGE,
  },
  { name: "dispatch board", method: "GET", path: () => "/fsm/dispatch?day=2026-11-23", allowed: FSM_MANAGE },
  {
    name: "assign from the dispatch board",
    method: "POST",
    path: () => "/fsm/dispatch/assign",
    form: () => ({ workOrder: "" }),
    allowed: FSM_MANAGE,
  },
  { name: "technician's day", method: "GET", path: () => "/tech", allowed: ["technician"] },
  {
    name: "technician's visit",
    method: "GET",
    path: () => `/tech/appointments/${homeAppointment}`,
    allowed: ["technician"],
  },
  {
    name: "visit status",
    method: "POST",
    path: () => `/tech/appointments/${homeAppointment}/status`,
    form: () => ({ status: "cannot_complete", reason: "" }),
    allowed: ["technician"],
  },
  {
    name: "visit clock",
    method: "POST",
    path: () => `/tech/appointments/${homeAppointment}/time`,
    form: () => ({ action: "start" }),
    allowed: ["technician"],
  },
  {
    name: "visit part",
    method: "POST",
    path: () => `/tech/appointments/${homeAppointment}/parts`,
    form: () => ({ partId: "", quantity: "1" }),
    allowed: ["technician"],
  },
  {
    name: "visit note",
    method: "POST",
    path: () => `/tech/appointments/${homeAppointment}/notes`,
    form: () => ({ body: "" }),
    allowed: ["technician"],
  },
  {
    name: "visit signature",
    method: "POST",
    path: () => `/tech/appointments/${homeAppointment}/signature`,
    form: () => ({ signedName: "" }),
    allowed: ["technician"],
  },
  { name: "kb articles", method: "GET", path: () => "/desk/kb", allowed: WORK },
  { name: "desk report", method: "GET", path: () => "/desk/reports?days=7", allowed: KB_PUBLISH },
  { name: "kb new article form", method: "GET", path: () => "/desk/kb/new", allowed: WORK },
  {
    name: "kb create article",
    method: "POST",
    path: () => "/desk/kb",
    form: () => ({ title: "", body: "" }),
    allowed: WORK,
  },
  { name: "kb article", method: "GET", path: () => `/desk/kb/${homeArticle}`, allowed: WORK },
  {
    name: "kb save article",
    method: "POST",
    path: () => `/desk/kb/${homeArticle}`,
    form: () => ({ title: "", body: "" }),
    allowed: WORK,
  },
  {
    name: "kb send for review",
    method: "POST",
    path: () => `/desk/kb/${homeArticle}/status`,
    form: () => ({ status: "in_review" }),
    allowed: WORK,
  },
  {
    name: "kb publish",
    method: "POST",
    path: () => `/desk/kb/${homeArticle}/status`,
    form: () => ({ status: "archived" }),
    allowed: KB_PUBLISH,
  },
  { name: "kb versions", method: "GET", path: () => `/desk/kb/${homeArticle}/versions`, allowed: WORK },
  { name: "kb diff", method: "GET", path: () => `/desk/kb/${homeArticle}/diff?from=1&to=2`, allowed: WORK },
  {
    name: "kb restore",
    method: "POST",
    path: () => `/desk/kb/${homeArticle}/versions/1/restore`,
    allowed: WORK,
  },
  { name: "kb categories", method: "GET", path: () => "/desk/kb/structure", allowed: KB_PUBLISH },
  {
    name: "kb add category",
    method: "POST",
    path: () => "/desk/kb/categories",
    form: () => ({ name: "" }),
    allowed: KB_PUBLISH,
  },
  {
    name: "kb add section",
    method: "POST",
    path: () => "/desk/kb/sections",
    form: () => ({ categoryId: "", sectionName: "" }),
    allowed: KB_PUBLISH,
  },
  { name: "kb least helpful", method: "GET", path: () => "/desk/kb/feedback", allowed: KB_PUBLISH },
  { name: "search", method: "GET", path: () => "/desk/search?q=home", allowed: READ },
  {
    name: "deflection",
    method: "POST",
    path: () => "/portal/deflections",
    form: () => ({ articleId: publicArticle, subject: "matrix" }),
    allowed: ["customer"],
  },
];

const clients = new Map<string, Client>();

beforeAll(async () => {
  home = await createOrg("Home");
  away = await createOrg("Away");
  const created = await createTicket(home.ctx("customer"), {
    subject: "Home ticket",
    body: "Only home may see this.",
  });
  ticket = formatTicketNumber(created.number);
  // Numbers are per organization; start the away organization at 1000 so the two never share one
  // and a "not found" cannot come from the number alone.
  await away.ctx("agent").db.insert(counters).values({ orgId: away.orgId, name: "ticket", value: 999 });
  const awayCreated = await createTicket(away.ctx("customer"), {
    subject: "Away secret",
    body: "Only away may see this.",
  });
  awayTicket = formatTicketNumber(awayCreated.number);
  const [job] = await home
    .ctx("admin")
    .db.insert(jobs)
    .values({
      orgId: home.orgId,
      queue: "email.send",
      payload: {},
      status: "dead",
      runAt: new Date(),
      createdAt: new Date(),
      updatedAt: new Date(),
    })
    .returning();
  homeJob = job.id;
  const original = await testFiles().save(
    new File(["Subject: Home mail\r\n\r\nOnly home may see this."], "m.eml"),
  );
  const [email] = await home
    .ctx("admin")
    .db.insert(inboundEmails)
    .values({
      orgId: home.orgId,
      messageId: `${home.orgId}@matrix.test`,
      fromAddress: "someone@client.test",
      subject: "Home mail",
      outcome: "new_ticket",
      reason: "matrix",
      rawSha256: original.sha256,
      receivedAt: new Date(),
    })
    .returning();
  homeEmail = email.id;
  const [mailbox] = await home
    .ctx("admin")
    .db.insert(mailboxes)
    .values({ orgId: home.orgId, name: "Home", address: `home@${home.orgId}.test`, createdAt: new Date() })
    .returning();
  homeMailbox = mailbox.id;
  await touchPresence(home.ctx("agent"));
  homeChat = await startChat(home.ctx("customer"), { body: "Matrix chat" });
  homeCategory = await saveCategory(home.ctx("admin"), null, { name: "Home category" });
  doomedCategory = await saveCategory(home.ctx("admin"), null, { name: "Doomed category" });
  homeField = await saveField(home.ctx("admin"), null, {
    categoryId: homeCategory,
    label: "Home field",
    type: "text",
  });
  doomedField = await saveField(home.ctx("admin"), null, {
    categoryId: homeCategory,
    label: "Doomed field",
    type: "text",
  });
  homeRule = await saveRule(home.ctx("admin"), null, {
    name: "Matrix rule",
    trigger: "ticket.created",
    actions: [{ type: "add_tags", value: "matrix" }],
    active: false,
  });
  const calendar = (fixture: Fixture, name: string) =>
    saveCalendar(fixture.ctx("admin"), null, {
      name,
      timeZone: "UTC",
      hours: { 1: "09:00-17:00" },
      holidays: "",
    });
  homeCalendar = (await calendar(home, "Matrix hours")).id;
  doomedCalendar = (await calendar(home, "Matrix doomed")).id;
  awayCalendar = (await calendar(away, "Away hours")).id;
  const policy = (fixture: Fixture, name: string, calendarId: string | null = null) =>
    savePolicy(fixture.ctx("admin"), null, { name, calendarId, targets: { normal_resolution: "8h" } });
  homePolicy = await policy(home, "Matrix policy", homeCalendar);
  doomedPolicy = await policy(home, "Matrix doomed");
  awayPolicy = await policy(away, "Away secret policy", awayCalendar);
  // Loopback port 9 refuses connections: nothing leaves the machine if a delivery ever runs.
  await home
    .ctx("admin")
    .db.insert(webhookSettings)
    .values({ orgId: home.orgId, allowPrivateTargets: true, updatedAt: new Date() });
  const hooks = await home
    .ctx("admin")
    .db.insert(webhookSubscriptions)
    .values(
      ["Matrix hook", "Matrix hook to delete"].map((name) => ({
        orgId: home.orgId,
        name,
        url: "http://127.0.0.1:9/hook",
        eventTypes: ["webhook.test_only"],
        secret: "whsec_matrix",
        createdAt: new Date(),
        updatedAt: new Date(),
      })),
    )
    .returning();
  homeHook = hooks[0].id;
  homeHookToDelete = hooks[1].id;
  // Away work orders start at 1000 too, so a number alone never finds the other organization's.
  await away.ctx("agent").db.insert(counters).values({ orgId: away.orgId, name: "work_order", value: 999 });
  const wo = await createWorkOrder(home.ctx("dispatcher"), { subject: "Home work order" });
  homeWorkOrder = formatWorkOrderNumber(wo.number);
  const visit = await scheduleAppointment(home.ctx("dispatcher"), wo.id, {
    override: true,
    startsAt: new Date(Date.now() + 3600_000),
    endsAt: new Date(Date.now() + 7200_000),
    technicianIds: [home.users.technician.id],
  });
  homeAppointment = visit.id;
  const article = await createArticle(home.ctx("agent"), {
    title: "Home internal article",
    body: "<p>Only home staff may read this.</p>",
    visibility: "internal",
  });
  await updateArticle(home.ctx("agent"), article.id, {
    title: "Home internal article",
    body: "<p>Only home staff may read this, version two.</p>",
    visibility: "internal",
  });
  homeArticle = article.id;
  const open = await createArticle(home.ctx("agent"), {
    title: "Home public article",
    body: "<p>Public.</p>",
  });
  await setArticleStatus(home.ctx("admin"), open.id, "published");
  publicArticle = open.id;
  for (const role of ROLES) {
    clients.set(`home:${role}`, await signedIn(home, role));
    clients.set(`away:${role}`, await signedIn(away, role));
  }
});

async function call(client: Client, route: RouteCase) {
  return route.method === "GET" ? client.get(route.path()) : client.post(route.path(), route.form?.() ?? {});
}

describe("every route refuses visitors who are not signed in", () => {
  for (const route of ROUTES) {
    test(`${route.method} ${route.name}`, async () => {
      const visitor = new Client();
      const response = await call(visitor, route);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toStartWith("/login");
    });
  }
});

describe("every route × every role", () => {
  for (const route of ROUTES) {
    for (const role of ROLES) {
      const allowed = route.allowed.includes(role);
      test(`${route.method} ${route.name} as ${role}: ${allowed ? "allowed" : "refused"}`, async () => {
        const response = await call(clients.get(`home:${role}`)!, route);
        if (allowed) {
          // Allowed means served or acted on: a page, a redirect after a post, or a form error (the bulk case).
          expect([200, 201, 303, 422]).toContain(response.status);
          if (response.status === 303) expect(response.headers.get("location")).not.toStartWith("/login");
        } else {
          expect([403, 404]).toContain(response.status);
        }
      });
    }
  }
});

describe("another organization's tickets are invisible to every role", () => {
  for (const role of ROLES) {
    test(`${role} of the away organization`, async () => {
      const client = clients.get(`away:${role}`)!;
      for (const path of [`/desk/tickets/${ticket}`, `/portal/tickets/${ticket}`]) {
        const response = await client.get(path);
        const text = await response.text();
        expect(text).not.toContain("Only home may see this.");
      }
      const post = await client.post(`/desk/tickets/${ticket}/messages`, { kind: "note", body: "cross-org" });
      expect([403, 404]).toContain(post.status);
      const reply = await client.post(`/portal/tickets/${ticket}/messages`, { body: "cross-org" });
      expect([403, 404]).toContain(reply.status);
      const original = await client.get(`/desk/emails/${homeEmail}/original`);
      expect([403, 404]).toContain(original.status);
      for (const path of [
        `/desk/chats/${homeChat}`,
        `/portal/chat/${homeChat}`,
        `/desk/chats/${homeChat}/transcript`,
      ]) {
        expect([403, 404]).toContain((await client.get(path)).status);
      }
      const chatPost = await client.post(`/desk/chats/${homeChat}/messages`, { body: "cross-org" });
      expect([403, 404]).toContain(chatPost.status);
      expect([403, 404]).toContain((await client.get(`/admin/rules/${homeRule}`)).status);
      for (const path of [`/admin/fields/categories/${homeCategory}`, `/admin/fields/${homeField}`]) {
        const response = await client.get(path);
        expect([403, 404]).toContain(response.status);
        expect(await response.text()).not.toContain("Home field");
      }
      for (const [path, form] of [
        [`/admin/fields/categories/${homeCategory}`, { name: "Taken" }],
        [`/admin/fields/categories/${homeCategory}/delete`, {}],
        [`/admin/fields/${homeField}`, { label: "Taken" }],
        [`/admin/fields/${homeField}/delete`, {}],
        ["/admin/fields", { categoryId: homeCategory, label: "Taken", type: "text" }],
        [`/desk/tickets/${ticket}/fields`, { category: "" }],
      ] as const) {
        expect([403, 404, 422]).toContain((await client.post(path, form)).status);
      }
      if (role === "admin") {
        const page = await client.page("/admin/fields");
        expect(page.document.querySelector("main")?.textContent).not.toContain("Home category");
      }
      const mailbox = await client.get(`/admin/mailboxes/${homeMailbox}`);
      expect([403, 404]).toContain(mailbox.status);
      const removed = await client.post(`/admin/mailboxes/${homeMailbox}/delete`, {});
      expect([403, 404]).toContain(removed.status);
      const hook = await client.get(`/admin/webhooks/${homeHook}`);
      expect([403, 404]).toContain(hook.status);
      expect(await hook.text()).not.toContain("whsec_matrix");
      const edit = await client.post(`/admin/webhooks/${homeHook}`, {
        name: "cross-org",
        url: "http://127.0.0.1:9/x",
        eventTypes: "*",
      });
      expect([403, 404]).toContain(edit.status);
      for (const path of [
        `/fsm/work-orders/${homeWorkOrder}`,
        `/tech/appointments/${homeAppointment}`,
        `/tech/appointments/${homeAppointment}/signature.png`,
      ]) {
        const response = await client.get(path);
        expect([403, 404]).toContain(response.status);
        expect(await response.text()).not.toContain("Home work order");
      }
      const listed = await client.get("/fsm/work-orders?q=Home");
      expect(await listed.text()).not.toContain("Home work order");
      for (const [path, form] of [
        [`/fsm/work-orders/${homeWorkOrder}/status`, { status: "cancelled" }],
        [`/fsm/work-orders/${homeWorkOrder}/lines`, { kind: "labour", quantity: "1", unitPrice: "1" }],
        [`/fsm/appointments/${homeAppointment}/status`, { status: "dispatched" }],
        [`/tech/appointments/${homeAppointment}/status`, { status: "travelling" }],
        [`/tech/appointments/${homeAppointment}/notes`, { body: "cross-org" }],
        ["/fsm/work-orders/from-ticket", { ticket }],
      ] as const) {
        expect([403, 404]).toContain((await client.post(path, form)).status);
      }
      for (const path of [
        `/desk/kb/${homeArticle}`,
        `/desk/kb/${homeArticle}/versions`,
        `/desk/kb/${homeArticle}/diff?from=1&to=2`,
      ]) {
        const response = await client.get(path);
        expect([403, 404]).toContain(response.status);
        expect(await response.text()).not.toContain("Only home staff");
      }
      for (const path of [
        `/desk/kb/${homeArticle}`,
        `/desk/kb/${homeArticle}/status`,
        `/desk/kb/${homeArticle}/versions/1/restore`,
      ]) {
        const response = await client.post(path, {
          title: "cross-org",
          body: "<p>x</p>",
          status: "archived",
        });
        expect([403, 404]).toContain(response.status);
      }
      for (const path of ["/desk/search?q=home", "/help/search?q=home", "/help"]) {
        expect(await (await client.get(path)).text()).not.toContain("Home internal article");
      }
    });
  }

  test("the home organization's staff cannot read the away ticket number", async () => {
    const agent = clients.get("home:agent")!;
    const response = await agent.get(`/desk/tickets/${awayTicket}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("Only away may see this.");
  });

  test("another organization's SLA policies and calendars cannot be read, changed or deleted", async () => {
    for (const role of ROLES) {
      const client = clients.get(`home:${role}`)!;
      for (const path of [`/admin/sla/policies/${awayPolicy}`, `/admin/calendars/${awayCalendar}`]) {
        const response = await client.get(path);
        expect([403, 404]).toContain(response.status);
        expect(await response.text()).not.toContain("Away");
      }
      const posts = [
        client.post(`/admin/sla/policies/${awayPolicy}`, { name: "Taken", target_normal_resolution: "1h" }),
        client.post(`/admin/sla/policies/${awayPolicy}/delete`, {}),
        client.post(`/admin/calendars/${awayCalendar}`, { ...CALENDAR_FORM, name: "Taken" }),
        client.post(`/admin/calendars/${awayCalendar}/delete`, {}),
      ];
      for (const response of await Promise.all(posts)) expect([403, 404]).toContain(response.status);
    }
    const admin = clients.get("away:admin")!;
    const policy = await admin.page(`/admin/sla/policies/${awayPolicy}`);
    expect(policy.document.querySelector("#name")!.getAttribute("value")).toBe("Away secret policy");
    const calendar = await admin.page(`/admin/calendars/${awayCalendar}`);
    expect(calendar.document.querySelector("#name")!.getAttribute("value")).toBe("Away hours");
    const list = await admin.page("/admin/sla");
    expect(list.document.querySelector("main")!.textContent).not.toContain("Matrix");
  });

  test("nothing written across organizations", async () => {
    const agent = clients.get("home:agent")!;
    const page = await agent.page(`/desk/tickets/${ticket}`);
    expect(page.document.querySelector(".thread")!.textContent).not.toContain("cross-org");
  });
});
