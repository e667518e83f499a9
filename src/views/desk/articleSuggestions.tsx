// Knowledge-base articles that may answer the ticket, for the agent to link in a reply. The page
// loads them after rendering (htmx); "Insert link" puts the article's address into the reply box
// (public/insert-link.js), and without JavaScript the address is there to copy.
import type { ArticleHit } from "../../domain/search/search";
import { highlightHtml } from "../kb/highlight";
import { Page, type Viewer } from "../layout";

export function SuggestedArticlesSlot({ number }: { number: string }) {
  return (
    <section
      class="card suggested-articles"
      hx-get={`/desk/tickets/${number}/articles`}
      hx-trigger="load"
      hx-swap="innerHTML"
    >
      <h2>Suggested articles</h2>
      <p>
        <a href={`/desk/tickets/${number}/articles`}>Show articles that may answer this ticket</a>
      </p>
    </section>
  );
}

export function SuggestedArticles({ hits, helpBase }: { hits: ArticleHit[]; helpBase: string }) {
  return (
    <>
      <h2>Suggested articles</h2>
      {hits.length === 0 ? <p class="muted">No article matches this ticket.</p> : ""}
      <ol class="hits">
        {hits.map((h) => {
          const url = `${helpBase}/help/articles/${encodeURIComponent(h.slug)}`;
          return (
            <li>
              <a href={url} target="_blank" rel="noopener" safe>
                {h.title}
              </a>
              <br />
              <small>{highlightHtml(h.snippet) as "safe"}</small>
              <div class="insert-link">
                <input type="text" readonly value={url} aria-label="Article address" />
                <button type="button" class="secondary" data-insert-link={`${h.title}: ${url}`} hidden>
                  Insert link
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <script src="/public/insert-link.js" />
    </>
  );
}

export function SuggestedArticlesPage({
  csrf,
  viewer,
  number,
  hits,
  helpBase,
}: {
  csrf: string;
  viewer: Viewer;
  number: string;
  hits: ArticleHit[];
  helpBase: string;
}) {
  return (
    <Page title={`Articles for ${number}`} csrf={csrf} viewer={viewer}>
      <p>
        <a href={`/desk/tickets/${number}`} safe>{`← ${number}`}</a>
      </p>
      <SuggestedArticles hits={hits} helpBase={helpBase} />
    </Page>
  );
}
