// Staff pages of the knowledge base and the agent's search page.
import { ARTICLE_STATUSES, ARTICLE_VISIBILITIES, type ArticleStatus } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import {
  type ArticleDetail,
  type ArticleListItem,
  nextArticleStatuses,
  STATUS_LABELS,
  type Structure,
  type VersionDiff,
  type VersionItem,
  VISIBILITY_LABELS,
} from "../../domain/kb/articles";
import { FACET_CAP, type SearchResults } from "../../domain/search/search";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { contactLabel, formatDateTime } from "../format";
import { Page, type Viewer } from "../layout";
import { highlightHtml } from "./highlight";

const ACTION_LABELS: Record<ArticleStatus, string> = {
  draft: "Back to draft",
  in_review: "Send for review",
  published: "Publish",
  archived: "Archive",
};

function KbNav({ canPublish }: { canPublish: boolean }) {
  return (
    <p class="tabs">
      <a href="/desk/kb">Articles</a> · <a href="/desk/kb/new">New article</a>
      {canPublish ? (
        <>
          {" "}
          · <a href="/desk/kb/structure">Categories</a> · <a href="/desk/kb/feedback">Least helpful</a>
        </>
      ) : (
        ""
      )}
    </p>
  );
}

export function KbListPage({
  csrf,
  viewer,
  articles,
  status,
  canPublish,
  timeZone,
}: {
  csrf: string;
  viewer: Viewer;
  articles: ArticleListItem[];
  status?: string;
  canPublish: boolean;
  timeZone: string;
}) {
  return (
    <Page title="Knowledge base" csrf={csrf} viewer={viewer}>
      <h1>Knowledge base</h1>
      <KbNav canPublish={canPublish} />
      <p class="facets">
        <a href="/desk/kb" aria-current={status ? undefined : "page"}>
          All
        </a>
        {ARTICLE_STATUSES.map((s) => (
          <a href={`/desk/kb?status=${s}`} aria-current={status === s ? "page" : undefined} safe>
            {STATUS_LABELS[s]}
          </a>
        ))}
      </p>
      <ArticleTable articles={articles} timeZone={timeZone} />
    </Page>
  );
}

function ArticleTable({ articles, timeZone }: { articles: ArticleListItem[]; timeZone: string }) {
  if (articles.length === 0) return <p class="empty">No articles.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Title</th>
          <th>Status</th>
          <th>Readers</th>
          <th>Version</th>
          <th>Views</th>
          <th>Helpful</th>
          <th>Updated</th>
        </tr>
      </thead>
      <tbody>
        {articles.map((a) => (
          <tr>
            <td>
              <a href={`/desk/kb/${a.id}`} safe>
                {a.title}
              </a>
            </td>
            <td safe>{STATUS_LABELS[a.status]}</td>
            <td safe>{VISIBILITY_LABELS[a.visibility]}</td>
            <td>{a.version}</td>
            <td>{a.views}</td>
            <td safe>{`${a.helpfulYes} yes / ${a.helpfulNo} no`}</td>
            <td safe>{formatDateTime(a.updatedAt, timeZone)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LeastHelpfulPage({
  csrf,
  viewer,
  articles,
  timeZone,
}: {
  csrf: string;
  viewer: Viewer;
  articles: ArticleListItem[];
  timeZone: string;
}) {
  return (
    <Page title="Least helpful articles" csrf={csrf} viewer={viewer}>
      <h1>Least helpful articles</h1>
      <KbNav canPublish />
      <p class="muted">Ordered by the share of readers who answered “No” to “Did this help?”.</p>
      <ArticleTable articles={articles} timeZone={timeZone} />
    </Page>
  );
}

export interface ArticleFormState {
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}

function valuesOf(article?: ArticleDetail): Record<string, string> {
  if (!article) return { visibility: "public" };
  return {
    title: article.title,
    slug: article.slug,
    body: article.body,
    tags: article.tags.join(", "),
    visibility: article.visibility,
    sectionId: article.sectionId ?? "",
  };
}

export function ArticleFormPage({
  csrf,
  viewer,
  structure,
  article,
  canPublish,
  form = {},
  notice,
  timeZone = "UTC",
  schedule,
}: {
  csrf: string;
  viewer: Viewer;
  structure: Structure;
  article?: ArticleDetail;
  canPublish: boolean;
  form?: ArticleFormState;
  notice?: string;
  timeZone?: string;
  /** The scheduling form as submitted, when it failed. */
  schedule?: { value: string; error: string };
}) {
  const values = form.values ?? valuesOf(article);
  const fields = form.fields ?? {};
  const sections = structure.categories.flatMap((c) =>
    c.sections.map((s) => ({ value: s.id, label: `${c.name} › ${s.name}` })),
  );
  const readOnly = article?.status === "published" && !canPublish;
  return (
    <Page title={article ? `Edit: ${article.title}` : "New article"} csrf={csrf} viewer={viewer}>
      {article ? <h1 safe>{article.title}</h1> : <h1>New article</h1>}
      <KbNav canPublish={canPublish} />
      <Notice message={notice} />
      {article ? (
        <section class="card">
          <p>
            <strong safe>{STATUS_LABELS[article.status]}</strong>
            {" · version "}
            {article.version}
            {" · "}
            {article.views}
            {" views · "}
            {article.helpfulYes}
            {" found it helpful, "}
            {article.helpfulNo}
            {" did not · "}
            <a href={`/desk/kb/${article.id}/versions`}>Versions</a>
            {" · "}
            <a href={`/desk/kb/${article.id}/translations`}>Translations</a>
            {" · "}
            <a href={`/desk/kb/${article.id}/files`}>Images and attachments</a>
            {/* Internal articles never reach the help center, so there is nothing to view there. */}
            {article.status === "published" && article.visibility !== "internal" ? (
              <>
                {" · "}
                <a href={`/help/articles/${encodeURIComponent(article.slug)}`}>View in help center</a>
              </>
            ) : (
              ""
            )}
          </p>
          {nextArticleStatuses(article.status)
            .filter(
              (s) => canPublish || (s !== "published" && s !== "archived" && article.status !== "published"),
            )
            .map((s) => (
              <form method="post" action={`/desk/kb/${article.id}/status`} class="inline">
                <CsrfField token={csrf} />
                <input type="hidden" name="status" value={s} />
                <button type="submit" safe>
                  {ACTION_LABELS[s]}
                </button>
              </form>
            ))}
          {canPublish && (article.status === "draft" || article.status === "in_review") ? (
            <SchedulePanel csrf={csrf} article={article} timeZone={timeZone} failed={schedule} />
          ) : (
            ""
          )}
        </section>
      ) : (
        ""
      )}
      {readOnly ? (
        <p class="muted">A published article is edited by a supervisor or an admin.</p>
      ) : (
        <form method="post" action={article ? `/desk/kb/${article.id}` : "/desk/kb"}>
          <ErrorSummary message={form.message} />
          <CsrfField token={csrf} />
          <Field label="Title" name="title" error={fields.title}>
            <input id="title" name="title" required maxlength="200" value={values.title ?? ""} />
          </Field>
          <Field
            label="Address"
            name="slug"
            error={fields.slug}
            hint="The end of the article's address in the help center; empty makes one from the title."
          >
            <input id="slug" name="slug" maxlength="80" value={values.slug ?? ""} />
          </Field>
          <Field
            label="Text"
            name="body"
            error={fields.body}
            hint="HTML: headings, paragraphs, lists, links, images, tables. Scripts and styles are removed."
          >
            <textarea id="body" name="body" rows="16" required safe>
              {values.body ?? ""}
            </textarea>
          </Field>
          <Field label="Section" name="sectionId" error={fields.sectionId}>
            <Select
              name="sectionId"
              value={values.sectionId}
              options={sections}
              blank="(none)"
              invalid={!!fields.sectionId}
            />
          </Field>
          <Field label="Who may read it" name="visibility" error={fields.visibility}>
            <Select
              name="visibility"
              value={values.visibility}
              options={ARTICLE_VISIBILITIES.map((v) => ({ value: v, label: VISIBILITY_LABELS[v] }))}
              invalid={!!fields.visibility}
            />
          </Field>
          <Field label="Tags" name="tags" error={fields.tags} hint="Separated by commas.">
            <input id="tags" name="tags" value={values.tags ?? ""} />
          </Field>
          <Field label="What changed (optional)" name="note" error={fields.note}>
            <input id="note" name="note" maxlength="200" value={values.note ?? ""} />
          </Field>
          <button type="submit">Save</button>{" "}
          {!article || article.status === "draft" ? (
            <button type="submit" name="submit" value="review">
              Save and send for review
            </button>
          ) : (
            ""
          )}
        </form>
      )}
    </Page>
  );
}

export function VersionsPage({
  csrf,
  viewer,
  article,
  versions,
  canPublish,
  timeZone,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  article: ArticleDetail;
  versions: VersionItem[];
  canPublish: boolean;
  timeZone: string;
  notice?: string;
}) {
  const mayRestore = article.status !== "published" || canPublish;
  return (
    <Page title={`Versions: ${article.title}`} csrf={csrf} viewer={viewer}>
      <h1 safe>{`Versions of “${article.title}”`}</h1>
      <p>
        <a href={`/desk/kb/${article.id}`}>Back to the article</a>
      </p>
      <Notice message={notice} />
      <table>
        <thead>
          <tr>
            <th>Version</th>
            <th>Title</th>
            <th>By</th>
            <th>When</th>
            <th>Note</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((v, i) => (
            <tr>
              <td>{v.version}</td>
              <td safe>{v.title}</td>
              <td safe>{v.authorName}</td>
              <td safe>{formatDateTime(v.createdAt, timeZone)}</td>
              <td safe>{v.note}</td>
              <td>
                {i < versions.length - 1 ? (
                  <a href={`/desk/kb/${article.id}/diff?from=${versions[i + 1].version}&to=${v.version}`}>
                    Changes
                  </a>
                ) : (
                  ""
                )}
                {v.version !== article.version && mayRestore ? (
                  <form
                    method="post"
                    action={`/desk/kb/${article.id}/versions/${v.version}/restore`}
                    class="inline"
                  >
                    <CsrfField token={csrf} />
                    <button type="submit">Restore</button>
                  </form>
                ) : (
                  ""
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}

function DiffText({ parts }: { parts: VersionDiff["body"] }) {
  return (
    <div class="diff">
      {parts.map((p) =>
        p.kind === "added" ? (
          <ins safe>{p.text}</ins>
        ) : p.kind === "removed" ? (
          <del safe>{p.text}</del>
        ) : (
          <span safe>{p.text}</span>
        ),
      )}
    </div>
  );
}

export function DiffPage({
  csrf,
  viewer,
  articleId,
  diff,
  timeZone,
}: {
  csrf: string;
  viewer: Viewer;
  articleId: string;
  diff: VersionDiff;
  timeZone: string;
}) {
  return (
    <Page title={`Changes ${diff.from.version} → ${diff.to.version}`} csrf={csrf} viewer={viewer}>
      <h1 safe>{`Changes from version ${diff.from.version} to ${diff.to.version}`}</h1>
      <p>
        <a href={`/desk/kb/${articleId}/versions`}>All versions</a>
      </p>
      <p class="muted" safe>
        {`Version ${diff.to.version} by ${diff.to.authorName}, ${formatDateTime(diff.to.createdAt, timeZone)}`}
      </p>
      <h2>Title</h2>
      <DiffText parts={diff.title} />
      <h2>Text</h2>
      <DiffText parts={diff.body} />
    </Page>
  );
}

export function StructurePage({
  csrf,
  viewer,
  structure,
  form = {},
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  structure: Structure;
  form?: ArticleFormState;
  notice?: string;
}) {
  const values = form.values ?? {};
  const fields = form.fields ?? {};
  return (
    <Page title="Categories and sections" csrf={csrf} viewer={viewer}>
      <h1>Categories and sections</h1>
      <KbNav canPublish />
      <Notice message={notice} />
      <ErrorSummary message={form.message} />
      {structure.categories.length === 0 ? <p class="empty">No categories yet.</p> : ""}
      <ul>
        {structure.categories.map((c) => (
          <li>
            <strong safe>{c.name}</strong>
            <ul>
              {c.sections.map((s) => (
                <li safe>{s.name}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <section class="card narrow">
        <h2>New category</h2>
        <form method="post" action="/desk/kb/categories">
          <CsrfField token={csrf} />
          <Field label="Name" name="name" error={fields.name}>
            <input id="name" name="name" required maxlength="100" value={values.name ?? ""} />
          </Field>
          <Field label="Description" name="description">
            <input id="description" name="description" maxlength="500" value={values.description ?? ""} />
          </Field>
          <button type="submit">Add category</button>
        </form>
      </section>
      {structure.categories.length ? (
        <section class="card narrow">
          <h2>New section</h2>
          <form method="post" action="/desk/kb/sections">
            <CsrfField token={csrf} />
            <Field label="Category" name="categoryId" error={fields.categoryId}>
              <Select
                name="categoryId"
                value={values.categoryId}
                options={structure.categories.map((c) => ({ value: c.id, label: c.name }))}
              />
            </Field>
            <Field label="Name" name="sectionName" error={fields.sectionName}>
              <input
                id="sectionName"
                name="sectionName"
                required
                maxlength="100"
                value={values.sectionName ?? ""}
              />
            </Field>
            <button type="submit">Add section</button>
          </form>
        </section>
      ) : (
        ""
      )}
    </Page>
  );
}

const TICKET_STATUS_NAMES = ["new", "open", "pending", "on_hold", "solved", "closed"];
const PRIORITY_NAMES = ["low", "normal", "high", "urgent"];

export function SearchPage(props: {
  csrf: string;
  viewer: Viewer;
  results: SearchResults;
  status?: string;
  priority?: string;
}) {
  const q = props.results.q;
  return (
    <Page title={q ? `Search: ${q}` : "Search"} csrf={props.csrf} viewer={props.viewer} scripts>
      <h1>Search</h1>
      {/* Plain GET without JavaScript; with htmx the results follow the typing (type-ahead). */}
      <form
        method="get"
        action="/desk/search"
        class="help-search"
        hx-get="/desk/search"
        hx-trigger="input delay:250ms"
        hx-target="#search-results"
        hx-swap="outerHTML"
      >
        <label for="q" class="visually-hidden">
          Search
        </label>
        <input
          id="q"
          type="search"
          name="q"
          value={q}
          maxlength="200"
          autocomplete="off"
          placeholder='Tickets, notes, people, articles — "exact phrase", OR, -word'
        />
        <button type="submit">Search</button>
      </form>
      <SearchResultsRegion results={props.results} status={props.status} priority={props.priority} />
    </Page>
  );
}

/** The part of the search page that changes as the agent types; answered alone to htmx. */
export function SearchResultsRegion({
  results,
  status,
  priority,
}: {
  /** `rerankedBy`: the embeddings model that put tickets and articles in order of meaning. */
  results: SearchResults & { rerankedBy?: string };
  status?: string;
  priority?: string;
}) {
  const q = results.q;
  const base = `/desk/search?q=${encodeURIComponent(q)}`;
  const nothing =
    q &&
    !results.tickets.length &&
    !results.contacts.length &&
    !results.companies.length &&
    !results.articles.length;
  return (
    <div id="search-results">
      {nothing ? <p class="empty">Nothing matches.</p> : ""}
      {results.rerankedBy ? (
        <p class="muted reranked" safe>
          {`Ordered by meaning with ${results.rerankedBy}.`}
        </p>
      ) : (
        ""
      )}
      {q ? (
        <section>
          <h2>Tickets</h2>
          <p class="facets">
            {TICKET_STATUS_NAMES.filter((s) => results.ticketFacets.status[s]).map((s) => (
              <a href={`${base}&status=${s}`} aria-current={status === s ? "page" : undefined} safe>
                {`${s.replace("_", " ")} (${results.ticketFacets.status[s]})`}
              </a>
            ))}
            {PRIORITY_NAMES.filter((p) => results.ticketFacets.priority[p]).map((p) => (
              <a href={`${base}&priority=${p}`} aria-current={priority === p ? "page" : undefined} safe>
                {`${p} (${results.ticketFacets.priority[p]})`}
              </a>
            ))}
            {status || priority ? <a href={base}>All</a> : ""}
          </p>
          {results.ticketFacets.capped ? (
            <p class="muted facets-capped" safe>
              {`More than ${FACET_CAP.toLocaleString("en")} tickets match; the counts are of the first ${FACET_CAP.toLocaleString("en")}. Add words to narrow the search.`}
            </p>
          ) : (
            ""
          )}
          {results.tickets.length === 0 ? <p class="empty">No tickets.</p> : ""}
          <ol class="hits">
            {results.tickets.map((t) => {
              const number = `TKT-${String(t.number).padStart(6, "0")}`;
              return (
                <li>
                  <a href={`/desk/tickets/${number}`} safe>
                    {`${number} ${t.subject}`}
                  </a>{" "}
                  <span class="badge">{t.status}</span>
                  {t.snippet ? (
                    <>
                      <br />
                      <small>{highlightHtml(t.snippet) as "safe"}</small>
                    </>
                  ) : (
                    ""
                  )}
                </li>
              );
            })}
          </ol>
          <h2>Articles</h2>
          {results.articles.length === 0 ? <p class="empty">No articles.</p> : ""}
          <ol class="hits">
            {results.articles.map((a) => (
              <li>
                <a href={`/desk/kb/${a.id}`} safe>
                  {a.title}
                </a>{" "}
                <span class="badge" safe>
                  {STATUS_LABELS[a.status]}
                </span>
                <br />
                <small>{highlightHtml(a.snippet) as "safe"}</small>
              </li>
            ))}
          </ol>
          <h2>Contacts</h2>
          {results.contacts.length === 0 ? <p class="empty">No contacts.</p> : ""}
          <ul>
            {results.contacts.map((c) => (
              <li safe>{contactLabel(c)}</li>
            ))}
          </ul>
          <h2>Companies</h2>
          {results.companies.length === 0 ? <p class="empty">No companies.</p> : ""}
          <ul>
            {results.companies.map((c) => (
              <li safe>{c.domain ? `${c.name} (${c.domain})` : c.name}</li>
            ))}
          </ul>
        </section>
      ) : (
        ""
      )}
    </div>
  );
}

/** "Publish at": schedule a draft or reviewed article, or cancel its schedule. */
function SchedulePanel({
  csrf,
  article,
  timeZone,
  failed,
}: {
  csrf: string;
  article: ArticleDetail;
  timeZone: string;
  failed?: { value: string; error: string };
}) {
  if (article.publishAt && !failed) {
    return (
      <form method="post" action={`/desk/kb/${article.id}/schedule/cancel`} class="schedule">
        <CsrfField token={csrf} />
        <span safe>{`Scheduled to publish ${formatDateTime(article.publishAt, timeZone)}.`}</span>{" "}
        <button type="submit" class="secondary">
          Cancel schedule
        </button>
      </form>
    );
  }
  return (
    <form method="post" action={`/desk/kb/${article.id}/schedule`} class="schedule">
      <CsrfField token={csrf} />
      <Field
        label="Publish at"
        name="publishAt"
        error={failed?.error}
        hint={`On the organization's clock (${timeZone}).`}
      >
        <input id="publishAt" name="publishAt" type="datetime-local" required value={failed?.value ?? ""} />
      </Field>
      <button type="submit" class="secondary">
        Schedule
      </button>
    </form>
  );
}
