import type { FieldErrors } from "../../domain/errors";
import type { SearchSettings } from "../../domain/search/config";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { Page, type Viewer } from "../layout";

/** What each configuration is for, where its name alone does not say it. */
const NOTES: Record<string, string> = {
  simple: "Simple — no stemming, no stop words: words match as typed, in any language",
  indonesian: "Indonesian — also the closest to Malay, which Postgres has no configuration of",
};

export function searchConfigLabel(name: string): string {
  return NOTES[name] ?? name.charAt(0).toUpperCase() + name.slice(1);
}

export function SearchSettingsPage({
  csrf,
  viewer,
  settings,
  values = {},
  fields = {},
  message,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  settings: SearchSettings;
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
  notice?: string;
}) {
  return (
    <Page title="Search language" csrf={csrf} viewer={viewer}>
      <h1>Search language</h1>
      <Notice message={notice} />
      {settings.reindexing ? (
        <div class="alert" role="status">
          Re-indexing tickets, messages and articles in the new language; until it ends some words may not be
          found.
        </div>
      ) : (
        ""
      )}
      <section class="card narrow">
        <p class="muted">
          The language whose word forms search treats as one (“reset”, “resets”, “resetting”) and whose common
          words it skips, in the agents' search, the ticket list, the portal and the help center. Changing it
          re-indexes every ticket, message and article in the background; on a large organization that takes
          minutes.
        </p>
        <ErrorSummary message={message} fields={Object.keys(fields).length ? fields : undefined} />
        <form method="post" action="/admin/search">
          <CsrfField token={csrf} />
          <Field label="Language" name="config" error={fields.config}>
            <Select
              name="config"
              value={values.config ?? settings.config}
              options={settings.choices.map((c) => ({ value: c, label: searchConfigLabel(c) }))}
              invalid={Boolean(fields.config)}
            />
          </Field>
          <button type="submit">Save</button>
        </form>
      </section>
    </Page>
  );
}
