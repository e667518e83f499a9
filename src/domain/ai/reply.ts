// Reply drafts without a language model: find the knowledge-base articles, macros and solved tickets
// closest to the customer's question, and turn the best one into a draft with the placeholders
// ({{contact.first_name}}, {{ticket.number}}, {{agent.name}}) filled. The agent always edits and sends.
import { summarizeThread } from "./summary";
import { cosine, fitTfIdf, vectorize } from "./tfidf";

export interface KnowledgeSource {
  id: string;
  kind: "article" | "macro" | "solved_ticket";
  title: string;
  /** Article text, macro template, or the reply that solved the ticket. */
  body: string;
}

export interface RetrievedSource {
  source: KnowledgeSource;
  score: number;
}

/** Values for {{group.field}} placeholders, e.g. { contact: { first_name: "Aina" } }. */
export type PlaceholderValues = Record<string, Record<string, string | undefined>>;

/** Titles count twice: they say what an article is about in the fewest words. */
function sourceText(source: KnowledgeSource): string {
  return `${source.title} ${source.title} ${source.body}`;
}

export function retrieveSources(query: string, sources: KnowledgeSource[], limit = 3): RetrievedSource[] {
  if (sources.length === 0) return [];
  const space = fitTfIdf([query, ...sources.map(sourceText)], { minDocumentFrequency: 1 });
  const queryVector = vectorize(space, query);
  return sources
    .map((source) => ({ source, score: cosine(queryVector, vectorize(space, sourceText(source))) }))
    .filter((match) => match.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)\.([a-z_]+)\s*\}\}/gi;

/** Fills known placeholders; unknown or empty ones stay visible and are listed, never silently blanked. */
export function fillPlaceholders(
  template: string,
  values: PlaceholderValues,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = template.replace(PLACEHOLDER, (whole, group: string, field: string) => {
    const value = values[group]?.[field];
    if (value === undefined || value === "") {
      missing.push(`${group}.${field}`);
      return whole;
    }
    return value;
  });
  return { text, missing: [...new Set(missing)] };
}

export interface ReplyDraft {
  text: string;
  sources: RetrievedSource[];
  missing: string[];
  /** The best source's similarity: how well the draft is likely to fit. */
  confidence: number;
}

const GREETING = "Hi {{contact.first_name}},";
const SIGN_OFF = "Best regards,\n{{agent.name}}";
const ARTICLE_SENTENCES = 4;

/** The best macro as written, or the gist of the best article or solved ticket wrapped in a greeting. */
export function draftReplyOffline(
  query: string,
  sources: KnowledgeSource[],
  values: PlaceholderValues,
): ReplyDraft {
  const found = retrieveSources(query, sources);
  const best = found[0];
  const template = best ? templateFor(best.source) : fallbackTemplate();
  const { text, missing } = fillPlaceholders(template, values);
  return { text, sources: found, missing, confidence: best?.score ?? 0 };
}

function templateFor(source: KnowledgeSource): string {
  if (source.kind === "macro") return source.body;
  const gist = summarizeThread([{ author: "", text: source.body }], ARTICLE_SENTENCES)
    .sentences.map((s) => s.text)
    .join(" ");
  const pointer = source.kind === "article" ? `\n\nMore detail: "${source.title}" in our help centre.` : "";
  return `${GREETING}\n\nThank you for your message about ticket {{ticket.number}}. ${gist || source.body}${pointer}\n\n${SIGN_OFF}`;
}

function fallbackTemplate(): string {
  return `${GREETING}\n\nThank you for your message about ticket {{ticket.number}}. We are looking into it and will update you shortly.\n\n${SIGN_OFF}`;
}
