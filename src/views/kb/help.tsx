// The public help center: server-rendered, no JavaScript, small pages with proper titles,
// descriptions and canonical addresses.
import type { HelpArticle, HelpCategory, SitemapEntry } from "../../domain/kb/help";
import { localeName } from "../../domain/kb/locales";
import type { ArticleHit } from "../../domain/search/search";
import { CsrfField, Notice } from "../form";
import { fileSize } from "./files";
import { highlightHtml } from "./highlight";

export interface HelpShell {
  orgName: string;
  /** The absolute origin of this help center, e.g. https://support.acme.test */
  origin: string;
  csrf: string;
  signedIn: boolean;
  /** The visitor's language, and every language the help center's articles are written in. */
  locale: string;
  locales: string[];
}

/** Links to the same page in other languages: an article's translations, or the chooser's redirect. */
type Alternates = { locale: string; href: string }[];

export function HelpPage({
  shell,
  title,
  description,
  path,
  noindex,
  lang,
  alternates,
  children,
}: {
  shell: HelpShell;
  title: string;
  description: string;
  path: string;
  noindex?: boolean;
  /** The language of this page's text, when it is not the visitor's (an article not translated). */
  lang?: string;
  /** Search engines' pointers to this page in other languages (hreflang). */
  alternates?: Alternates;
  children?: JSX.Element | (JSX.Element | JSX.Element[])[];
}) {
  return (
    <>
      {"<!doctype html>"}
      <html lang={lang ?? shell.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{title}</title>
          <meta name="description" content={description} />
          <link rel="canonical" href={`${shell.origin}${path}`} />
          {noindex ? <meta name="robots" content="noindex" /> : ""}
          {(alternates ?? []).map((a) => (
            <link rel="alternate" hreflang={a.locale} href={`${shell.origin}${a.href}`} />
          ))}
          <link rel="stylesheet" href="/public/app.css" />
        </head>
        <body>
          <nav class="top" aria-label="Main">
            <a class="brand" href="/help" safe>
              {`${shell.orgName} Help Center`}
            </a>
            <a href="/community">Community</a>
            <span class="spacer" />
            <LanguageChooser shell={shell} path={path} />
            {shell.signedIn ? <a href="/">My account</a> : <a href="/login?next=%2Fhelp">Sign in</a>}
          </nav>
          <main>
            <SearchBox q="" />
            {children as "safe"}
          </main>
        </body>
      </html>
    </>
  );
}

/** Works without JavaScript: each language is a link that remembers the choice and comes back. */
function LanguageChooser({ shell, path }: { shell: HelpShell; path: string }) {
  if (shell.locales.length < 2) return "";
  return (
    <nav class="languages" aria-label="Language">
      {shell.locales.map((code) =>
        code === shell.locale ? (
          <strong lang={code} safe>
            {localeName(code)}
          </strong>
        ) : (
          <a
            lang={code}
            hreflang={code}
            href={`/help/language?lang=${encodeURIComponent(code)}&next=${encodeURIComponent(path)}`}
            safe
          >
            {localeName(code)}
          </a>
        ),
      )}
    </nav>
  );
}

function SearchBox({ q }: { q: string }) {
  return (
    <form class="help-search" method="get" action="/help/search">
      <label for="help-q" class="visually-hidden">
        Search the help center
      </label>
      <input id="help-q" type="search" name="q" value={q} placeholder="Search for answers" maxlength="200" />
      <button type="submit">Search</button>
    </form>
  );
}

function ArticleList({ articles }: { articles: { title: string; slug: string }[] }) {
  return (
    <ul>
      {articles.map((a) => (
        <li>
          <a href={`/help/articles/${encodeURIComponent(a.slug)}`} safe>
            {a.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function HelpHomePage({ shell, categories }: { shell: HelpShell; categories: HelpCategory[] }) {
  return (
    <HelpPage
      shell={shell}
      title={`${shell.orgName} Help Center`}
      description={`Answers and guides from ${shell.orgName}: search or browse by topic.`}
      path="/help"
    >
      <h1>How can we help?</h1>
      {categories.length === 0 ? <p class="empty">No articles yet.</p> : ""}
      {categories.map((c) => (
        <section class="card">
          <h2>
            <a href={`/help/categories/${encodeURIComponent(c.slug)}`} safe>
              {c.name}
            </a>
          </h2>
          {c.description ? <p safe>{c.description}</p> : ""}
          {c.sections.map((s) => (
            <>
              <h3 safe>{s.name}</h3>
              <ArticleList articles={s.articles.slice(0, 6)} />
            </>
          ))}
        </section>
      ))}
    </HelpPage>
  );
}

export function HelpCategoryPage({ shell, category }: { shell: HelpShell; category: HelpCategory }) {
  return (
    <HelpPage
      shell={shell}
      title={`${category.name} – ${shell.orgName} Help Center`}
      description={category.description || `Articles about ${category.name}.`}
      path={`/help/categories/${encodeURIComponent(category.slug)}`}
    >
      <p>
        <a href="/help">Help Center</a>
      </p>
      <h1 safe>{category.name}</h1>
      {category.description ? <p safe>{category.description}</p> : ""}
      {category.sections.length === 0 ? <p class="empty">No articles here yet.</p> : ""}
      {category.sections.map((s) => (
        <section id={`section-${s.slug}`}>
          <h2 safe>{s.name}</h2>
          <ArticleList articles={s.articles} />
        </section>
      ))}
    </HelpPage>
  );
}

export function HelpArticlePage({
  shell,
  article,
  attachments = [],
  notice,
}: {
  shell: HelpShell;
  article: HelpArticle;
  attachments?: { id: string; filename: string; sizeBytes: number }[];
  notice?: string;
}) {
  const path = `/help/articles/${encodeURIComponent(article.slug)}`;
  const alternates = article.translations.map((t) => ({
    locale: t.locale,
    href: `/help/articles/${encodeURIComponent(t.slug)}`,
  }));
  return (
    <HelpPage
      shell={shell}
      title={`${article.title} – ${shell.orgName} Help Center`}
      description={article.description}
      path={path}
      lang={article.locale}
      alternates={alternates.length > 1 ? alternates : undefined}
    >
      <p>
        <a href="/help">Help Center</a>
        {article.category ? (
          <>
            {" › "}
            <a href={`/help/categories/${encodeURIComponent(article.category.slug)}`} safe>
              {article.category.name}
            </a>
          </>
        ) : (
          ""
        )}
      </p>
      <article>
        <h1 safe>{article.title}</h1>
        {/* Sanitized with an allow-list when it was saved (domain/kb/sanitize.ts). */}
        <div class="article-body">{article.body as "safe"}</div>
        {attachments.length ? (
          <section class="attachments">
            <h2>Attachments</h2>
            <ul>
              {attachments.map((a) => (
                <li>
                  <a href={`/help/files/${a.id}`} download="" safe>
                    {a.filename}
                  </a>{" "}
                  <span class="muted" safe>
                    {fileSize(a.sizeBytes)}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : (
          ""
        )}
      </article>
      <Notice message={notice} />
      {notice ? (
        ""
      ) : (
        <section class="card narrow">
          <form method="post" action={`${path}/feedback`}>
            <CsrfField token={shell.csrf} />
            <fieldset>
              <legend>Did this help?</legend>
              <label for="comment">Anything we should add? (optional)</label>
              <textarea id="comment" name="comment" rows="2" maxlength="2000" />
              <button type="submit" name="helpful" value="yes">
                Yes
              </button>{" "}
              <button type="submit" name="helpful" value="no">
                No
              </button>
            </fieldset>
          </form>
        </section>
      )}
      {article.related.length ? (
        <section>
          <h2>Related articles</h2>
          <ArticleList articles={article.related} />
        </section>
      ) : (
        ""
      )}
    </HelpPage>
  );
}

export function HelpSearchPage({ shell, q, hits }: { shell: HelpShell; q: string; hits: ArticleHit[] }) {
  return (
    <HelpPage
      shell={shell}
      title={`Search: ${q} – ${shell.orgName} Help Center`}
      description={`Help center results for ${q}.`}
      path="/help/search"
      noindex
    >
      {q ? <h1 safe>{`Results for “${q}”`}</h1> : <h1>Search</h1>}
      {hits.length && hits[0].typo ? <p class="muted">No exact matches; these come close.</p> : ""}
      {q && hits.length === 0 ? <p class="empty">No articles match. Try other words.</p> : ""}
      <ol class="hits">
        {hits.map((h) => (
          <li>
            <a href={`/help/articles/${encodeURIComponent(h.slug)}`} safe>
              {h.title}
            </a>
            <br />
            <small>{highlightHtml(h.snippet) as "safe"}</small>
          </li>
        ))}
      </ol>
    </HelpPage>
  );
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function sitemapXml(origin: string, entries: SitemapEntry[]): string {
  const urls = entries
    .map(
      (e) =>
        `<url><loc>${xmlEscape(origin + e.path)}</loc>${e.updatedAt ? `<lastmod>${e.updatedAt.toISOString()}</lastmod>` : ""}</url>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`;
}

/** On the portal's new-ticket form: "do these answer your question?" before the ticket is created. */
export function DeflectionSuggestions({
  csrf,
  subject,
  hits,
}: {
  csrf: string;
  subject: string;
  hits: ArticleHit[];
}) {
  if (hits.length === 0) return "";
  return (
    <section class="card" aria-labelledby="deflection-title">
      <h2 id="deflection-title">Do these answer your question?</h2>
      <ol class="hits">
        {hits.map((h) => (
          <li>
            <a href={`/help/articles/${encodeURIComponent(h.slug)}`} target="_blank" safe rel="noopener">
              {h.title}
            </a>
            <br />
            <small>{highlightHtml(h.snippet) as "safe"}</small>
            <form method="post" action="/portal/deflections">
              <CsrfField token={csrf} />
              <input type="hidden" name="articleId" value={h.id} />
              <input type="hidden" name="subject" value={subject} />
              <button type="submit">This solved it</button>
            </form>
          </li>
        ))}
      </ol>
      <p class="muted">If not, submit the form below again and we will answer.</p>
    </section>
  );
}
