// The satisfaction survey a customer opens from their email: no account, no JavaScript.
import type { FieldErrors } from "../domain/errors";
import { CsrfField, ErrorSummary, Field } from "./form";
import { Page } from "./layout";

const LABELS = ["", "1 · Poor", "2 · Fair", "3 · Good", "4 · Very good", "5 · Excellent"];

export function RatePage({
  csrf,
  token,
  survey,
  values = {},
  fields = {},
  message,
  thanks,
}: {
  csrf: string;
  token: string;
  survey: { ticketNumber: string; subject: string; orgName: string; score: number | null; comment: string };
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
  thanks?: boolean;
}) {
  const chosen = values.score ?? (survey.score ? String(survey.score) : "");
  return (
    <Page title="How did we do?" csrf={csrf}>
      <section class="card narrow">
        <h1>How did we do?</h1>
        <p>
          <span safe>{survey.orgName}</span> solved <strong safe>{survey.ticketNumber}</strong>:{" "}
          <span safe>{survey.subject}</span>
        </p>
        {thanks ? (
          <div class="alert ok" role="status">
            Thank you — your answer is saved. You can change it here at any time.
          </div>
        ) : (
          ""
        )}
        <ErrorSummary message={message} />
        <form method="post" action={`/rate/${token}`}>
          <CsrfField token={csrf} />
          <fieldset class={fields.score ? "invalid" : ""}>
            <legend>Your rating</legend>
            {[5, 4, 3, 2, 1].map((n) => (
              <label class="choice">
                <input type="radio" name="score" value={String(n)} checked={chosen === String(n)} required />{" "}
                <span safe>{LABELS[n]}</span>
              </label>
            ))}
            {fields.score ? (
              <small class="field-error" id="score-error" safe>
                {fields.score}
              </small>
            ) : (
              ""
            )}
          </fieldset>
          <Field label="Anything to add? (optional)" name="comment" error={fields.comment}>
            <textarea id="comment" name="comment" rows="4" maxlength="2000" safe>
              {values.comment ?? survey.comment}
            </textarea>
          </Field>
          <button type="submit">Send</button>
        </form>
      </section>
    </Page>
  );
}
