// The public web form: a page of its own (no navigation), also shown inside the widget's frame.
import type { FieldErrors } from "../domain/errors";
import type { ArticleHit } from "../domain/search/search";
import { AttachmentsField, BodyField, ErrorSummary, Field } from "./form";
import { highlightHtml } from "./kb/highlight";

function FormDocument({ title, children }: { title: string; children: JSX.Element | JSX.Element[] }) {
  return (
    <>
      {"<!doctype html>"}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{title}</title>
          <link rel="stylesheet" href="/public/app.css" />
        </head>
        <body class="public-form">
          <main>{children as "safe"}</main>
          {/* Only makes suggestions appear while typing; every part works without it. */}
          <script src="/public/vendor/htmx.min.js" />
        </body>
      </html>
    </>
  );
}

/**
 * Help-center articles that may answer the visitor's question, each with "this answered it". Shown
 * while the subject is typed (htmx) and, without JavaScript, after a first submit. It sits inside
 * the message form, so its buttons submit that form to the deflection address.
 */
export function FormSuggestions({
  org,
  helpBase,
  hits,
}: {
  org: { slug: string };
  /** The organization's help center address, e.g. https://help.example.com; empty for this server. */
  helpBase: string;
  hits: ArticleHit[];
}) {
  if (hits.length === 0) return "";
  return (
    <section class="suggestions" aria-labelledby="suggestions-title">
      <h2 id="suggestions-title">Do these answer your question?</h2>
      <ol class="hits">
        {hits.map((h) => (
          <li>
            <a
              href={`${helpBase}/help/articles/${encodeURIComponent(h.slug)}`}
              target="_blank"
              rel="noopener"
              safe
            >
              {h.title}
            </a>
            <br />
            <small>{highlightHtml(h.snippet) as "safe"}</small>
            {/* Inside the message form: this button sends it to the deflection address instead. */}
            <button
              type="submit"
              class="secondary"
              formaction={`/forms/${org.slug}/deflections`}
              formnovalidate
              name="articleId"
              value={h.id}
            >
              This answered my question
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function WebFormPage({
  org,
  embed,
  values = {},
  fields = {},
  message,
  suggestions = "",
}: {
  org: { name: string; slug: string };
  embed: boolean;
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
  /** Matching articles after a first submit; the next submit sends the message. */
  suggestions?: JSX.Element;
}) {
  return (
    <FormDocument title={`Contact ${org.name}`}>
      <h1 safe>{`Contact ${org.name}`}</h1>
      <p class="muted">Tell us what you need; we answer by email.</p>
      <ErrorSummary message={message} fields={Object.keys(fields).length ? fields : undefined} />
      <form
        method="post"
        action={`/forms/${org.slug}${embed ? "?embed=1" : ""}`}
        enctype="multipart/form-data"
      >
        <Field label="Your name" name="name" error={fields.name}>
          <input id="name" name="name" maxlength="200" autocomplete="name" value={values.name ?? ""} />
        </Field>
        <Field label="Your email" name="email" error={fields.email}>
          <input
            id="email"
            name="email"
            type="email"
            required
            autocomplete="email"
            value={values.email ?? ""}
          />
        </Field>
        <Field label="Subject" name="subject" error={fields.subject}>
          <input
            id="subject"
            name="subject"
            required
            maxlength="200"
            value={values.subject ?? ""}
            hx-get={`/forms/${org.slug}/suggestions`}
            hx-trigger="input delay:400ms"
            hx-target="#suggestions"
            hx-swap="innerHTML"
          />
        </Field>
        <div id="suggestions" aria-live="polite">
          {suggestions as "safe"}
        </div>
        {suggestions ? <input type="hidden" name="suggested" value="1" /> : ""}
        <BodyField label="Message" rows={8} value={values.body} error={fields.body} />
        <AttachmentsField error={fields.files} />
        {/* People never see this field; programs that fill every field do. */}
        <div class="trap" aria-hidden="true">
          <label for="website">Leave this empty</label>
          <input id="website" name="website" tabindex="-1" autocomplete="off" value="" />
        </div>
        <button type="submit">Send</button>
      </form>
    </FormDocument>
  );
}

export function WebFormThanksPage({
  org,
  ticket,
  deflected,
}: {
  org: { name: string; slug: string };
  ticket?: string;
  deflected?: boolean;
}) {
  if (deflected) {
    return (
      <FormDocument title="Glad that helped">
        <h1>Glad that helped</h1>
        <p>No message was sent. If you still need us, write to us any time.</p>
        <p>
          <a href={`/forms/${org.slug}`}>Back to the form</a>
        </p>
      </FormDocument>
    );
  }
  return (
    <FormDocument title="Thank you">
      <h1>Thank you</h1>
      <p>
        {ticket ? (
          <>
            Your request is <strong safe>{ticket}</strong>.{" "}
          </>
        ) : (
          ""
        )}
        We have sent you an email; reply to it to add anything.
      </p>
      <p>
        <a href={`/forms/${org.slug}`}>Send another message</a>
      </p>
    </FormDocument>
  );
}
