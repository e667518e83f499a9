// Admin pages for mail: mailboxes and the wording of each kind of mail.
import { Elysia } from "elysia";
import {
  deleteMailbox,
  getMailbox,
  listMailboxes,
  listTemplates,
  type MailboxInput,
  previewTemplate,
  resetTemplate,
  saveMailbox,
  saveTemplate,
} from "../domain/email/settings";
import { isDomainError, notFound } from "../domain/errors";
import { organizationTimeZone } from "../domain/orgs/resolve";
import {
  MailboxesPage,
  MailboxPage,
  mailboxFormValues,
  TemplatePage,
  TemplatesPage,
} from "../views/admin/email";
import type { Deps } from "./deps";
import { field, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  created: "Mailbox added.",
  saved: "Mailbox saved.",
  deleted: "Mailbox deleted.",
  template: "Template saved; the next mail of this kind uses it.",
  reset: "Back to the built-in wording.",
};

function mailboxInput(body: unknown): MailboxInput {
  return {
    name: field(body, "name"),
    address: field(body, "address"),
    smtpUrl: field(body, "smtpUrl"),
    imapUrl: field(body, "imapUrl"),
    imapFolder: field(body, "imapFolder"),
    isDefault: field(body, "isDefault") === "1",
  };
}

/** The form fields to show again after a failed save: everything typed, URLs included (masked or new). */
function typed(body: unknown): Record<string, string> {
  const values = formValues(body);
  for (const name of ["smtpUrl", "imapUrl"]) values[name] = field(body, name);
  return values;
}

export function emailAdminRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/admin/mailboxes", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUserWith(user, "org.admin");
      return (
        <MailboxesPage
          csrf={csrf}
          viewer={viewerOf(me)}
          mailboxes={await listMailboxes(ctxFor(me))}
          timeZone={await organizationTimeZone(deps.database.db, me.orgId)}
          notice={NOTICES[String(query.notice)]}
        />
      );
    })
    .post("/admin/mailboxes", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "org.admin");
      const ctx = ctxFor(me);
      try {
        await saveMailbox(ctx, null, mailboxInput(body));
        return seeOther(set, request, "/admin/mailboxes?notice=created");
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return (
          <MailboxesPage
            csrf={csrf}
            viewer={viewerOf(me)}
            mailboxes={await listMailboxes(ctx)}
            timeZone={await organizationTimeZone(deps.database.db, me.orgId)}
            form={{ values: typed(body), fields: error.fields, message: error.message }}
          />
        );
      }
    })
    .get("/admin/mailboxes/:id", async ({ user, csrf, ctxFor, params }) => {
      const me = requireUserWith(user, "org.admin");
      const mailbox = await getMailbox(ctxFor(me), params.id);
      return (
        <MailboxPage
          csrf={csrf}
          viewer={viewerOf(me)}
          mailbox={mailbox}
          form={{ values: mailboxFormValues(mailbox) }}
        />
      );
    })
    .post("/admin/mailboxes/:id", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "org.admin");
      const ctx = ctxFor(me);
      const mailbox = await getMailbox(ctx, params.id);
      try {
        await saveMailbox(ctx, mailbox.id, mailboxInput(body));
        return seeOther(set, request, "/admin/mailboxes?notice=saved");
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return (
          <MailboxPage
            csrf={csrf}
            viewer={viewerOf(me)}
            mailbox={mailbox}
            form={{ values: typed(body), fields: error.fields, message: error.message }}
          />
        );
      }
    })
    .post("/admin/mailboxes/:id/delete", async ({ user, ctxFor, params, set, request }) => {
      await deleteMailbox(ctxFor(requireUserWith(user, "org.admin")), params.id);
      return seeOther(set, request, "/admin/mailboxes?notice=deleted");
    })
    .get("/admin/email-templates", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUserWith(user, "org.admin");
      return (
        <TemplatesPage
          csrf={csrf}
          viewer={viewerOf(me)}
          templates={await listTemplates(ctxFor(me))}
          notice={NOTICES[String(query.notice)]}
        />
      );
    })
    .get("/admin/email-templates/:kind", async ({ user, csrf, ctxFor, params, query }) => {
      const me = requireUserWith(user, "org.admin");
      const template = (await listTemplates(ctxFor(me))).find((t) => t.kind === params.kind);
      if (!template) throw notFound("That kind of mail");
      const { current } = template;
      return (
        <TemplatePage
          csrf={csrf}
          viewer={viewerOf(me)}
          template={template}
          customized={template.customized}
          preview={previewTemplate(template.kind, current)}
          notice={NOTICES[String(query.notice)]}
          form={{ values: { subject: current.subject, text: current.text, html: current.html ?? "" } }}
        />
      );
    })
    .post("/admin/email-templates/:kind", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "org.admin");
      const ctx = ctxFor(me);
      const template = (await listTemplates(ctx)).find((t) => t.kind === params.kind);
      if (!template) throw notFound("That kind of mail");
      const input = { subject: field(body, "subject"), text: field(body, "text"), html: field(body, "html") };
      const page = (form: { fields?: Record<string, string>; message?: string } = {}) => (
        <TemplatePage
          csrf={csrf}
          viewer={viewerOf(me)}
          template={template}
          customized={template.customized}
          preview={previewTemplate(template.kind, {
            subject: input.subject,
            text: input.text,
            html: input.html || null,
          })}
          form={{ values: input, ...form }}
        />
      );
      // "Preview" shows the typed wording filled with example values, without saving it.
      if (field(body, "action") === "preview") return page();
      try {
        await saveTemplate(ctx, template.kind, input);
        return seeOther(set, request, `/admin/email-templates/${template.kind}?notice=template`);
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return page({ fields: error.fields, message: error.message });
      }
    })
    .post("/admin/email-templates/:kind/reset", async ({ user, ctxFor, params, set, request }) => {
      await resetTemplate(ctxFor(requireUserWith(user, "org.admin")), params.kind);
      return seeOther(set, request, `/admin/email-templates/${params.kind}?notice=reset`);
    });
}
