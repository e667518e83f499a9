// An article's translations on the desk: which languages it is written in, and a form per language
// (the article's own language is edited on the article).
import type { FieldErrors } from "../../domain/errors";
import { LOCALES, localeName } from "../../domain/kb/locales";
import type { TranslationSummary } from "../../domain/kb/translations";
import { CsrfField, ErrorSummary, Field, Notice } from "../form";
import { formatDateTime } from "../format";
import { Page, type Viewer } from "../layout";

export function TranslationsPage({
  csrf,
  viewer,
  articleId,
  defaultLocale,
  translations,
  canDelete,
  timeZone,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  articleId: string;
  defaultLocale: string;
  translations: TranslationSummary[];
  canDelete: boolean;
  timeZone: string;
  notice?: string;
}) {
  const missing = Object.keys(LOCALES).filter((code) => !translations.some((t) => t.locale === code));
  return (
    <Page title="Translations" csrf={csrf} viewer={viewer}>
      <p>
        <a href={`/desk/kb/${articleId}`}>← Article</a>
      </p>
      <h1>Translations</h1>
      <Notice message={notice} />
      <table class="translations">
        <thead>
          <tr>
            <th>Language</th>
            <th>Title</th>
            <th>Address</th>
            <th>Version</th>
            <th>Changed</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {translations.map((t) => (
            <tr data-locale={t.locale}>
              <td
                safe
              >{`${localeName(t.locale)}${t.locale === defaultLocale ? " (the article's own)" : ""}`}</td>
              <td lang={t.locale} safe>
                {t.title}
              </td>
              <td>
                <code safe>{t.slug}</code>
              </td>
              <td class="num" safe>
                {String(t.version)}
              </td>
              <td safe>{formatDateTime(t.updatedAt, timeZone)}</td>
              <td>
                {t.locale === defaultLocale ? (
                  <a href={`/desk/kb/${articleId}`}>Edit</a>
                ) : (
                  <>
                    <a href={`/desk/kb/${articleId}/translations/${t.locale}`}>Edit</a>
                    {canDelete ? (
                      <form
                        method="post"
                        action={`/desk/kb/${articleId}/translations/${t.locale}/delete`}
                        class="inline"
                      >
                        <CsrfField token={csrf} />{" "}
                        <button type="submit" class="secondary">
                          Remove
                        </button>
                      </form>
                    ) : (
                      ""
                    )}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {missing.length ? (
        <form method="get" action={`/desk/kb/${articleId}/translations/new`} class="card narrow">
          <Field label="Translate into" name="locale">
            <select id="locale" name="locale">
              {missing.map((code) => (
                <option value={code} safe>
                  {localeName(code)}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit">Write the translation</button>
        </form>
      ) : (
        ""
      )}
    </Page>
  );
}

export function TranslationFormPage({
  csrf,
  viewer,
  articleId,
  locale,
  values,
  fields = {},
  message,
  isNew,
}: {
  csrf: string;
  viewer: Viewer;
  articleId: string;
  locale: string;
  values: { title?: string; slug?: string; body?: string; note?: string };
  fields?: FieldErrors;
  message?: string;
  isNew: boolean;
}) {
  return (
    <Page title={`${localeName(locale)} translation`} csrf={csrf} viewer={viewer}>
      <p>
        <a href={`/desk/kb/${articleId}/translations`}>← Translations</a>
      </p>
      <h1 safe>{`${localeName(locale)} translation`}</h1>
      {isNew ? (
        <p class="muted">The article's text is filled in to start from: replace it with the translation.</p>
      ) : (
        ""
      )}
      <ErrorSummary message={message} fields={Object.keys(fields).length ? fields : undefined} />
      <form method="post" action={`/desk/kb/${articleId}/translations/${locale}`} lang={locale}>
        <CsrfField token={csrf} />
        <Field label="Title" name="title" error={fields.title}>
          <input id="title" name="title" maxlength="200" required value={values.title ?? ""} />
        </Field>
        <Field label="Address" name="slug" error={fields.slug} hint="Empty: made from the title.">
          <input id="slug" name="slug" maxlength="80" value={values.slug ?? ""} />
        </Field>
        <Field label="Text" name="body" error={fields.body}>
          <textarea id="body" name="body" rows="16" required safe>
            {values.body ?? ""}
          </textarea>
        </Field>
        <Field label="Note for the history" name="note">
          <input id="note" name="note" maxlength="200" value={values.note ?? ""} />
        </Field>
        <button type="submit">Save translation</button>
      </form>
    </Page>
  );
}
