// The public web form: a page of its own (no navigation), also shown inside the widget's frame.
import type { FieldErrors } from "../domain/errors";
import { AttachmentsField, BodyField, ErrorSummary, Field } from "./form";

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
        </body>
      </html>
    </>
  );
}

export function WebFormPage({
  org,
  embed,
  values = {},
  fields = {},
  message,
}: {
  org: { name: string; slug: string };
  embed: boolean;
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
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
          <input id="subject" name="subject" required maxlength="200" value={values.subject ?? ""} />
        </Field>
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

export function WebFormThanksPage({ org, ticket }: { org: { name: string; slug: string }; ticket?: string }) {
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
