// What the pages of an estimate and an invoice share: the title block and the history card.
import type { documentHistory } from "../../domain/events/documentHistory";
import { ErrorSummary, Notice } from "../form";
import { formatDateTime, humanize } from "../format";

type HistoryRow = Awaited<ReturnType<typeof documentHistory>>[number];

/** The way back to the list, what just happened or went wrong, and "NUMBER subject". */
export function DocumentTitle({
  back,
  notice,
  failedMessage,
  number,
  subject,
  children,
}: {
  back: { href: string; label: string };
  notice?: string;
  failedMessage?: string;
  number: string;
  subject: string;
  /** The line under the title: status and links. */
  children?: unknown;
}) {
  return (
    <>
      <p>
        <a href={back.href} safe>{`← ${back.label}`}</a>
      </p>
      <Notice message={notice} />
      {failedMessage ? <ErrorSummary message={failedMessage} /> : ""}
      <header>
        <h1>
          <span class="muted" safe>
            {number}
          </span>{" "}
          <span safe>{subject}</span>
        </h1>
        <p>{children as "safe"}</p>
      </header>
    </>
  );
}

/** Who did what and when, oldest first; nothing when the document has no history yet. */
export function DocumentHistory({
  history,
  timeZone,
  describe,
}: {
  history: HistoryRow[];
  timeZone: string;
  describe: (row: HistoryRow) => string;
}) {
  if (!history.length) return "";
  return (
    <section class="card history">
      <h3>History</h3>
      <ol>
        {history.map((h) => (
          <li>
            <time datetime={h.createdAt.toISOString()} safe>
              {formatDateTime(h.createdAt, timeZone)}
            </time>{" "}
            <strong safe>{h.actorName ?? humanize(h.actorKind)}</strong> <span safe>{describe(h)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A term and its value in a `dl.facts` list; nothing when there is no value yet. */
export function Fact({
  term,
  value,
  class: className,
}: {
  term: string;
  value?: string | null;
  class?: string;
}) {
  if (value === null || value === undefined) return "";
  return (
    <>
      <dt safe>{term}</dt>
      <dd class={className} safe>
        {value}
      </dd>
    </>
  );
}
