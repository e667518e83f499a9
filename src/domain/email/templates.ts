// The wording of every mail the product sends: built-in defaults that an organization's admins
// may replace, with {{placeholders}} filled from the event that sends it.
import Html from "@kitajs/html";
import { and, eq } from "drizzle-orm";
import { emailTemplates } from "../../../db/schema";
import type { DbOrTx } from "../events/log";

export interface TemplateText {
  subject: string;
  text: string;
  /** Optional; a plain-text mail is sent as text only. */
  html: string | null;
}

export interface TemplateKind {
  kind: string;
  label: string;
  /** The placeholders this kind fills, for the editing form. */
  placeholders: string[];
  defaults: TemplateText;
}

/** What every message about a visit can say. */
const VISIT_PLACEHOLDERS = [
  "contact.name",
  "work_order.number",
  "work_order.subject",
  "visit.window",
  "visit.eta",
  "technician.first_name",
  "location.address",
  "org.name",
];

export const TEMPLATE_KINDS: TemplateKind[] = [
  {
    kind: "ticket_reply",
    label: "Agent reply to the customer",
    placeholders: [
      "ticket.number",
      "ticket.subject",
      "contact.name",
      "agent.name",
      "message.body",
      "portal.url",
      "org.name",
    ],
    defaults: {
      subject: "[{{ticket.number}}] {{ticket.subject}}",
      text: "{{message.body}}\n\n—\n{{agent.name}}, {{org.name}}\nReply to this email or see the ticket in the portal: {{portal.url}}",
      html: null,
    },
  },
  {
    kind: "ticket_merged",
    label: "A customer's ticket was merged into another",
    placeholders: [
      "ticket.number",
      "ticket.subject",
      "merged.number",
      "merged.subject",
      "contact.name",
      "agent.name",
      "portal.url",
      "org.name",
    ],
    defaults: {
      subject: "[{{ticket.number}}] {{ticket.subject}}",
      text: "Hello {{contact.name}},\n\nYour request {{merged.number}} “{{merged.subject}}” has been merged into {{ticket.number}} “{{ticket.subject}}”, which covers the same matter. We will continue there; to add anything, reply to this email.\n\n—\n{{agent.name}}, {{org.name}}\nSee the ticket in the portal: {{portal.url}}",
      html: null,
    },
  },
  {
    kind: "ticket_received",
    label: "Acknowledgement of a new ticket sent by email",
    placeholders: ["ticket.number", "ticket.subject", "contact.name", "portal.url", "org.name"],
    defaults: {
      subject: "[{{ticket.number}}] We received your request: {{ticket.subject}}",
      text: "Hello {{contact.name}},\n\nThank you for writing to {{org.name}}. Your request is ticket {{ticket.number}}; we will answer as soon as we can. To add anything, reply to this email.\n\nFollow it in the portal: {{portal.url}}",
      html: null,
    },
  },
  {
    kind: "notification",
    label: "Notification to a colleague (assignments, replies, SLA warnings)",
    placeholders: ["user.name", "notification.title", "notification.body", "notification.url", "org.name"],
    defaults: {
      subject: "{{notification.title}}",
      text: "Hello {{user.name}},\n\n{{notification.body}}\n\nOpen it: {{notification.url}}\n\n—\n{{org.name}} · Choose how you are notified on your account page.",
      html: null,
    },
  },
  {
    kind: "notification_digest",
    label: "Daily digest of notifications",
    placeholders: ["user.name", "digest.count", "digest.items", "org.name"],
    defaults: {
      subject: "{{digest.count}} notifications from {{org.name}}",
      text: "Hello {{user.name}},\n\nSince your last digest:\n\n{{digest.items}}\n\n—\nChoose how you are notified on your account page.",
      html: null,
    },
  },
  {
    kind: "automation",
    label: "Email sent by an automation rule",
    placeholders: ["rule.subject", "rule.text"],
    defaults: { subject: "{{rule.subject}}", text: "{{rule.text}}", html: null },
  },
  {
    kind: "satisfaction_survey",
    label: "Satisfaction survey after a ticket is solved",
    placeholders: ["ticket.number", "ticket.subject", "contact.name", "rating.url", "org.name"],
    defaults: {
      subject: "[{{ticket.number}}] How did we do?",
      text: "Hello {{contact.name}},\n\nYour request “{{ticket.subject}}” is solved. How satisfied are you with our help? It takes ten seconds:\n\n{{rating.url}}\n\nThank you,\n{{org.name}}",
      html: null,
    },
  },
  {
    kind: "service_report",
    label: "Service report after a visit, with the PDF attached",
    placeholders: [
      "contact.name",
      "work_order.number",
      "work_order.subject",
      "visit.date",
      "technician.names",
      "org.name",
    ],
    defaults: {
      subject: "[{{work_order.number}}] Service report: {{work_order.subject}}",
      text: "Hello {{contact.name}},\n\nThank you for having us on {{visit.date}}. {{technician.names}} completed the visit for “{{work_order.subject}}”. The service report, with the work done, parts, time and your signature, is attached.\n\nKind regards,\n{{org.name}}",
      html: null,
    },
  },
  {
    kind: "estimate_sent",
    label: "An estimate sent to the customer, with a link to accept or decline it",
    placeholders: [
      "contact.name",
      "estimate.number",
      "estimate.subject",
      "estimate.total",
      "estimate.valid_until",
      "portal.url",
      "org.name",
    ],
    defaults: {
      subject: "[{{estimate.number}}] Estimate: {{estimate.subject}}",
      text: "Hello {{contact.name}},\n\nHere is our estimate {{estimate.number}} for “{{estimate.subject}}”, {{estimate.total}} in total. It is valid until {{estimate.valid_until}}.\n\nSee the details and accept or decline it in the portal:\n{{portal.url}}\n\nKind regards,\n{{org.name}}",
      html: null,
    },
  },
  {
    kind: "invoice_sent",
    label: "An invoice sent to the customer, with a link to read it in the portal",
    placeholders: [
      "contact.name",
      "invoice.number",
      "invoice.subject",
      "invoice.balance",
      "invoice.due_date",
      "portal.url",
      "org.name",
    ],
    defaults: {
      subject: "[{{invoice.number}}] Invoice: {{invoice.subject}}",
      text: "Hello {{contact.name}},\n\nHere is our invoice {{invoice.number}} for “{{invoice.subject}}”. {{invoice.balance}} is due by {{invoice.due_date}}.\n\nSee the invoice and download it as a PDF in the portal:\n{{portal.url}}\n\nKind regards,\n{{org.name}}",
      html: null,
    },
  },
  {
    kind: "appointment_confirmation",
    label: "Visit confirmation by email, when a visit is scheduled or moved",
    placeholders: VISIT_PLACEHOLDERS,
    defaults: {
      subject: "[{{work_order.number}}] Your visit: {{visit.window}}",
      text: "Hello {{contact.name}},\n\nYour visit for “{{work_order.subject}}” is booked for {{visit.window}} at {{location.address}}. {{technician.first_name}} will come to you.\n\nIf this time does not suit you, reply to this email.\n\nKind regards,\n{{org.name}}",
      html: null,
    },
  },
  {
    kind: "appointment_confirmation_sms",
    label: "Visit confirmation by text message (only the text is sent)",
    placeholders: VISIT_PLACEHOLDERS,
    defaults: {
      subject: "Visit confirmation",
      text: "{{org.name}}: your visit {{work_order.number}} is booked for {{visit.window}} at {{location.address}}. Technician: {{technician.first_name}}.",
      html: null,
    },
  },
  {
    kind: "appointment_on_the_way",
    label: "The technician is on the way, with the expected arrival, by email",
    placeholders: VISIT_PLACEHOLDERS,
    defaults: {
      subject: "[{{work_order.number}}] {{technician.first_name}} is on the way",
      text: "Hello {{contact.name}},\n\n{{technician.first_name}} is on the way to {{location.address}} and expects to arrive at about {{visit.eta}}.\n\nKind regards,\n{{org.name}}",
      html: null,
    },
  },
  {
    kind: "appointment_on_the_way_sms",
    label: "The technician is on the way, by text message (only the text is sent)",
    placeholders: VISIT_PLACEHOLDERS,
    defaults: {
      subject: "On the way",
      text: "{{org.name}}: {{technician.first_name}} is on the way and expects to arrive at about {{visit.eta}}.",
      html: null,
    },
  },
  {
    kind: "appointment_delay",
    label: "The technician is running late, with the new expected arrival, by email",
    placeholders: [...VISIT_PLACEHOLDERS, "delay.minutes", "visit.previous_eta"],
    defaults: {
      subject: "[{{work_order.number}}] Your technician is running late",
      text: "Hello {{contact.name}},\n\nWe are sorry: {{technician.first_name}} is running about {{delay.minutes}} minutes late. The expected arrival at {{location.address}} is now about {{visit.eta}} (instead of {{visit.previous_eta}}).\n\nKind regards,\n{{org.name}}",
      html: null,
    },
  },
  {
    kind: "appointment_delay_sms",
    label: "The technician is running late, by text message (only the text is sent)",
    placeholders: [...VISIT_PLACEHOLDERS, "delay.minutes", "visit.previous_eta"],
    defaults: {
      subject: "Running late",
      text: "{{org.name}}: sorry, {{technician.first_name}} is running about {{delay.minutes}} min late. New expected arrival: about {{visit.eta}}.",
      html: null,
    },
  },
  {
    kind: "password_reset",
    label: "Password reset link",
    placeholders: ["user.name", "reset.url", "reset.minutes"],
    defaults: {
      subject: "Reset your password",
      text: "Hello {{user.name}},\n\nSomeone asked to reset the password of this account. To choose a new password, open this link within {{reset.minutes}} minutes:\n\n{{reset.url}}\n\nIf it was not you, ignore this message; your password stays as it is.",
      html: null,
    },
  },
];

export function templateKind(kind: string): TemplateKind | undefined {
  return TEMPLATE_KINDS.find((k) => k.kind === kind);
}

/** Fills {{name}} placeholders; unknown names are left as written so a typo shows in the preview. */
export function fill(template: string, values: Record<string, string>, asHtml = false): string {
  return template.replace(/\{\{\s*([a-z_.]+)\s*\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return asHtml ? Html.escapeHtml(value) : value;
  });
}

/** The organization's wording for a kind of mail, or the built-in one. */
export async function templateFor(db: DbOrTx, orgId: string, kind: string): Promise<TemplateText> {
  const [row] = await db
    .select()
    .from(emailTemplates)
    .where(and(eq(emailTemplates.orgId, orgId), eq(emailTemplates.kind, kind)));
  if (row) return { subject: row.subject, text: row.textBody, html: row.htmlBody };
  const builtIn = templateKind(kind);
  if (!builtIn) throw new Error(`No mail template of kind ${kind}`);
  return builtIn.defaults;
}

/** A template filled in: subject and text as written, HTML with every value escaped. */
export function render(template: TemplateText, values: Record<string, string>): TemplateText {
  return {
    subject: fill(template.subject, values).replace(/[\r\n]+/g, " "),
    text: fill(template.text, values),
    html: template.html ? fill(template.html, values, true) : null,
  };
}
