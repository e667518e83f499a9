// Search snippets: everything escaped, then the highlight markers Postgres inserted become <mark>.
import { escapeHtml } from "@kitajs/html";
import { MARK_END, MARK_START } from "../../domain/search/search";

export function highlightHtml(snippet: string): string {
  return escapeHtml(snippet).replaceAll(MARK_START, "<mark>").replaceAll(MARK_END, "</mark>");
}
