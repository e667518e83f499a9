// Semantic re-ranking of the agent's search results: with a Hugging Face embeddings model chosen at
// /admin/ai, the tickets and articles Postgres found are put in order of meaning (cosine of their
// embeddings to the query's). It runs in the AI worker under a short time limit; when the remote
// model is slow or failing, the results keep Postgres's order rather than a weaker local one.
import type { RankedDocument } from "../ai";
import type { DbOrTx } from "../events/log";
import { MARK_END, MARK_START, type SearchResults } from "../search/search";
import { loadSettings, orgEngine, type RemoteAi, remoteConfigured } from "./engine";

/** A search must stay fast: past this the results are shown as Postgres ranked them. */
const RERANK_BUDGET_MS = 1_500;

async function ranked(
  run: (request: unknown) => Promise<{ value: RankedDocument[]; fallback?: unknown }>,
  query: string,
  documents: { id: string; text: string }[],
): Promise<Map<string, number> | undefined> {
  if (documents.length < 2) return undefined;
  let timer: number | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, RERANK_BUDGET_MS) as unknown as number;
  });
  const answer = await Promise.race([run({ query, documents }).catch(() => undefined), timeout]);
  clearTimeout(timer);
  if (!answer || answer.fallback) return undefined;
  return new Map(answer.value.map((d, i) => [d.id, i]));
}

function reorder<T>(items: T[], key: (item: T) => string, order: Map<string, number> | undefined): T[] {
  if (!order) return items;
  return [...items].sort((a, b) => (order.get(key(a)) ?? items.length) - (order.get(key(b)) ?? items.length));
}

/** The results in order of meaning, and which model ordered them; unchanged without an embeddings model. */
export async function rerankSearch(
  db: DbOrTx,
  orgId: string,
  remote: RemoteAi,
  results: SearchResults,
): Promise<SearchResults & { rerankedBy?: string }> {
  if (!remoteConfigured(remote) || !results.q) return results;
  const settings = await loadSettings(db, orgId);
  if (!settings.models.embeddings) return results;
  const engine = await orgEngine(db, orgId, remote);
  const run = (request: unknown) => engine.run<RankedDocument[]>("rankDocuments", request);
  const strip = (text: string) => text.replaceAll(MARK_START, "").replaceAll(MARK_END, "");
  const [tickets, articles] = await Promise.all([
    ranked(
      run,
      results.q,
      results.tickets.map((t) => ({ id: String(t.number), text: `${t.subject}\n${strip(t.snippet)}` })),
    ),
    ranked(
      run,
      results.q,
      results.articles.map((a) => ({ id: a.slug, text: `${a.title}\n${strip(a.snippet)}` })),
    ),
  ]);
  if (!tickets && !articles) return results;
  return {
    ...results,
    tickets: reorder(results.tickets, (t) => String(t.number), tickets),
    articles: reorder(results.articles, (a) => a.slug, articles),
    rerankedBy: settings.models.embeddings,
  };
}
