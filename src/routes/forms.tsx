// The public web form any website may link to, post to, or open in the widget's frame. It has
// no session and no CSRF token (other sites post to it); the honeypot and rate limits guard it.
import { Elysia } from "elysia";
import { orgForMail } from "../domain/email/outbox";
import { isDomainError } from "../domain/errors";
import { recordWebFormDeflection, webFormSuggestions } from "../domain/kb/deflection";
import { formatTicketNumber, parseTicketNumber } from "../domain/orgs/counters";
import { submitWebForm, webFormOrganization } from "../domain/tickets/webForm";
import { FormSuggestions, WebFormPage, WebFormThanksPage } from "../views/forms";
import type { Deps } from "./deps";
import { field, formValues, seeOther, uploads } from "./web";

/** These pages may be framed by any site (the widget); the rest of the product may not. */
const FRAMEABLE_CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors *",
].join("; ");

export function formRoutes(deps: Deps) {
  const db = deps.database.db;
  const helpBase = async (orgId: string) => (await orgForMail(db, orgId)).baseUrl;
  const suggestionsFor = async (org: { id: string; slug: string }, text: string) => {
    const hits = await webFormSuggestions(db, org.slug, text);
    return hits.length ? <FormSuggestions org={org} helpBase={await helpBase(org.id)} hits={hits} /> : "";
  };

  return new Elysia()
    .onAfterHandle(({ request, set }) => {
      if (!new URL(request.url).pathname.startsWith("/forms/")) return;
      delete set.headers["x-frame-options"];
      set.headers["content-security-policy"] = FRAMEABLE_CSP;
    })
    .get("/forms/:slug", async ({ params, query }) => {
      const org = await webFormOrganization(deps.database.db, params.slug);
      return <WebFormPage org={org} embed={query.embed === "1"} />;
    })
    .get("/forms/:slug/suggestions", async ({ params, query }) => {
      const org = await webFormOrganization(db, params.slug);
      const subject = typeof query.subject === "string" ? query.subject : "";
      return suggestionsFor(org, subject);
    })
    .post("/forms/:slug/deflections", async ({ params, body, set, request, server }) => {
      const org = await webFormOrganization(db, params.slug);
      await recordWebFormDeflection(
        db,
        org.slug,
        { articleId: field(body, "articleId"), query: field(body, "subject") },
        { ip: server?.requestIP(request)?.address },
        deps.clock(),
      );
      return seeOther(set, request, `/forms/${org.slug}/thanks?deflected=1`);
    })
    .post("/forms/:slug", async ({ params, query, body, set, request, server }) => {
      const org = await webFormOrganization(deps.database.db, params.slug);
      const embed = query.embed === "1";
      // The first submit offers matching articles; submitting again sends the message.
      const subject = field(body, "subject").trim();
      if (
        field(body, "suggested") !== "1" &&
        !field(body, "website") &&
        uploads(body).length === 0 &&
        subject
      ) {
        const suggestions = await suggestionsFor(org, `${subject} ${field(body, "body")}`);
        if (suggestions) {
          return <WebFormPage org={org} embed={embed} values={formValues(body)} suggestions={suggestions} />;
        }
      }
      try {
        const result = await submitWebForm(
          { db: deps.database.db, files: deps.files },
          org.slug,
          {
            name: field(body, "name"),
            email: field(body, "email"),
            subject: field(body, "subject"),
            body: field(body, "body"),
            website: field(body, "website"),
            files: uploads(body),
          },
          { ip: server?.requestIP(request)?.address },
          deps.clock(),
        );
        const ticket = "ticketNumber" in result ? `?ticket=${formatTicketNumber(result.ticketNumber)}` : "";
        return seeOther(set, request, `/forms/${org.slug}/thanks${ticket}`);
      } catch (error) {
        if (!isDomainError(error) || ![413, 422, 429].includes(error.status)) throw error;
        set.status = error.status;
        return (
          <WebFormPage
            org={org}
            embed={embed}
            values={formValues(body)}
            fields={error.fields ?? {}}
            message={error.message}
          />
        );
      }
    })
    .get("/forms/:slug/thanks", async ({ params, query }) => {
      const org = await webFormOrganization(deps.database.db, params.slug);
      // Only a well-formed number is echoed back.
      const number = typeof query.ticket === "string" ? parseTicketNumber(query.ticket) : undefined;
      return (
        <WebFormThanksPage
          org={org}
          ticket={number ? formatTicketNumber(number) : undefined}
          deflected={query.deflected === "1"}
        />
      );
    });
}
