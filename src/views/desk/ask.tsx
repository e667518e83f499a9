// "Ask the data": one question box, the answer as a sentence and a small table, and what the
// question was understood as, so a supervisor can tell when it was read wrongly.
import { type Answer, EXAMPLE_QUESTIONS, INTENT_LABELS, MAX_QUESTION } from "../../domain/assist/ask";
import { Page, type Viewer } from "../layout";

export function AskPage({ csrf, viewer, answer }: { csrf: string; viewer: Viewer; answer?: Answer }) {
  return (
    <Page title="Ask the data" csrf={csrf} viewer={viewer}>
      <h1>Ask the data</h1>
      <form method="get" action="/desk/ask" class="ask">
        <label for="q">Your question</label>
        <input
          id="q"
          name="q"
          type="search"
          maxlength={MAX_QUESTION}
          value={answer?.question ?? ""}
          placeholder={EXAMPLE_QUESTIONS[0]}
          required
        />{" "}
        <button type="submit">Ask</button>
      </form>
      {answer ? <AnswerView answer={answer} /> : ""}
      <section class="card">
        <h2>Questions it answers</h2>
        <ul>
          {EXAMPLE_QUESTIONS.map((q) => (
            <li>
              <a href={`/desk/ask?q=${encodeURIComponent(q)}`} safe>
                {q}
              </a>
            </li>
          ))}
        </ul>
        <p class="muted">
          Name a priority, a status, a team, a zone, a period (today, this week, last month, the last 7 days)
          or a grouping (by team, by agent, by zone).
        </p>
      </section>
    </Page>
  );
}

function AnswerView({ answer }: { answer: Answer }) {
  return (
    <section class="card ask-answer" data-intent={answer.match.intent ?? ""}>
      <p class="headline">
        <strong safe>{answer.headline}</strong>
      </p>
      {answer.understood ? (
        <p class="muted" safe>
          {`Understood as: ${answer.understood}.`}
        </p>
      ) : (
        <p class="muted">
          Closest questions it knows:{" "}
          {answer.match.alternatives.map((a, i) => (
            <>
              {i ? ", " : ""}
              <span safe>{INTENT_LABELS[a.intent] ?? a.intent}</span>
            </>
          ))}
          .
        </p>
      )}
      {answer.rows.length ? (
        <table class="ask-rows">
          <thead>
            <tr>
              {answer.columns.map((c) => (
                <th safe>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {answer.rows.map((row) => (
              <tr>
                {row.map((cell) => (
                  <td safe>{String(cell)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        ""
      )}
    </section>
  );
}
