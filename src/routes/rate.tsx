// The satisfaction survey behind the link in the "How did we do?" email. The link's token is the
// credential: no sign-in. An email link may carry ?score=N to pre-select the rating.
import { Elysia } from "elysia";
import { isDomainError } from "../domain/errors";
import { rate, surveyForToken } from "../domain/satisfaction/survey";
import { RatePage } from "../views/rate";
import type { Deps } from "./deps";
import { field, formValues, webContext } from "./web";

export function rateRoutes(deps: Deps) {
  const db = deps.database.db;
  return new Elysia()
    .use(webContext(deps))
    .get("/rate/:token", async ({ csrf, params, query, set }) => {
      set.headers["referrer-policy"] = "no-referrer";
      const survey = await surveyForToken(db, params.token);
      const score = typeof query.score === "string" && /^[1-5]$/.test(query.score) ? query.score : undefined;
      return (
        <RatePage
          csrf={csrf}
          token={params.token}
          survey={survey}
          values={score ? { score } : {}}
          thanks={query.thanks === "1"}
        />
      );
    })
    .post("/rate/:token", async ({ csrf, params, body, set, now }) => {
      set.headers["referrer-policy"] = "no-referrer";
      try {
        await rate(db, params.token, { score: field(body, "score"), comment: field(body, "comment") }, now);
        set.status = 303;
        set.headers.location = `/rate/${params.token}?thanks=1`;
        return "";
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return (
          <RatePage
            csrf={csrf}
            token={params.token}
            survey={await surveyForToken(db, params.token)}
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
          />
        );
      }
    });
}
