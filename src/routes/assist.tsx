// The AI on the desk: the ticket page's panel (read after the page loads) and its buttons — accept,
// dismiss or correct a triage suggestion; ask for a summary, a reply draft, similar tickets; put a
// draft in the reply box — each a plain form post that htmx swaps in place; "Ask the data" for
// supervisors; and the admins' /admin/ai.
import { Elysia } from "elysia";
import { HF_MODEL_SLOTS } from "../domain/ai";
import { aiOverview, requestRetrain, saveAiSettings } from "../domain/assist/admin";
import { askTheData } from "../domain/assist/ask";
import { remoteConfigured } from "../domain/assist/engine";
import { judgePrediction, type Verdict } from "../domain/assist/feedback";
import { assistPanel } from "../domain/assist/panel";
import { draftText, ON_DEMAND_TASKS, type OnDemandTask, requestAssist } from "../domain/assist/requests";
import type { SessionUser } from "../domain/auth/sessions";
import type { Ctx } from "../domain/context";
import { isDomainError, notFound } from "../domain/errors";
import { formatTicketNumber } from "../domain/orgs/counters";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { AiAdminPage, type AiFormState } from "../views/admin/ai";
import { AskPage } from "../views/desk/ask";
import { AssistPage, AssistPanel } from "../views/desk/assist";
import { TicketPage } from "../views/desk/ticketPage";
import type { Deps } from "./deps";
import { ticketNumberParam, ticketPageProps } from "./desk";
import {
  field,
  fieldList,
  formValues,
  requireUser,
  requireUserWith,
  seeOther,
  viewerOf,
  webContext,
} from "./web";

const ADMIN_NOTICES: Record<string, string> = {
  saved: "Saved.",
  retrain: "Retraining is queued; the models below change when it finishes.",
};

const VERDICTS: Verdict[] = ["accept", "reject", "correct"];

export function assistRoutes(deps: Deps) {
  const remote = { hfToken: deps.config.hfToken, hfEndpointUrl: deps.config.hfEndpointUrl };
  const adminPage = async (ctx: Ctx, csrf: string, notice?: string, failed?: AiFormState) => (
    <AiAdminPage
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      overview={await aiOverview(ctx)}
      remoteConfigured={remoteConfigured(remote)}
      timeZone={await organizationTimeZone(deps.database.db, ctx.actor.orgId)}
      notice={notice}
      failed={failed}
    />
  );
  return new Elysia()
    .use(webContext(deps))
    .get("/desk/ask", async ({ user, csrf, ctxFor, query }) => {
      const ctx = ctxFor(requireUserWith(user, "reports.ask"));
      const question = String(query.q ?? "").trim();
      const answer = question ? await askTheData(ctx, question) : undefined;
      return <AskPage csrf={csrf} viewer={viewerOf(ctx.actor as SessionUser)} answer={answer} />;
    })
    .get("/admin/ai", async ({ user, csrf, ctxFor, query }) =>
      adminPage(ctxFor(requireUser(user)), csrf, ADMIN_NOTICES[String(query.notice ?? "")]),
    )
    .post("/admin/ai", async ({ user, csrf, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUser(user));
      try {
        await saveAiSettings(ctx, {
          autoApplyThreshold: field(body, "autoApplyThreshold"),
          autoApplyFields: fieldList(body, "autoApplyFields"),
          similarDays: field(body, "similarDays"),
          models: Object.fromEntries(HF_MODEL_SLOTS.map((slot) => [slot, field(body, `model_${slot}`)])),
        });
        return seeOther(set, request, "/admin/ai?notice=saved");
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return adminPage(ctx, csrf, undefined, {
          message: error.message,
          fields: error.fields ?? {},
          values: formValues(body),
          fieldList: fieldList(body, "autoApplyFields"),
        });
      }
    })
    .post("/admin/ai/retrain", async ({ user, ctxFor, set, request }) => {
      await requestRetrain(ctxFor(requireUser(user)));
      return seeOther(set, request, "/admin/ai?notice=retrain");
    })
    .get("/desk/tickets/:number/assist", async ({ user, csrf, ctxFor, params, request, set }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.read_all"));
      const data = await assistPanel(ctx, ticketNumberParam(params.number));
      set.headers.vary = "hx-request";
      if (request.headers.get("hx-request")) return <AssistPanel data={data} csrf={csrf} />;
      return <AssistPage data={data} csrf={csrf} viewer={viewerOf(ctx.actor as SessionUser)} />;
    })
    .post(
      "/desk/tickets/:number/assist/verdict",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "tickets.work"));
        const number = ticketNumberParam(params.number);
        const verdict = field(body, "verdict") as Verdict;
        if (!VERDICTS.includes(verdict)) throw notFound("That action");
        try {
          await judgePrediction(
            ctx,
            number,
            field(body, "predictionId"),
            verdict,
            field(body, "correctValue"),
          );
        } catch (error) {
          if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
          set.status = error.status;
          const props = await ticketPageProps(ctx, deps, csrf, number);
          props.notice = `The suggestion could not be used: ${Object.values(error.fields ?? {}).join(" ") || error.message}`;
          return <TicketPage {...props} />;
        }
        return seeOther(set, request, `/desk/tickets/${formatTicketNumber(number)}?notice=saved`);
      },
    )
    .post("/desk/tickets/:number/assist/use-draft", async ({ user, csrf, ctxFor, params, body }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      const text = await draftText(ctx, number, field(body, "predictionId"));
      const props = await ticketPageProps(ctx, deps, csrf, number);
      props.prefill = { body: text, kind: "reply" };
      props.notice = "The draft is in the reply box: read it, change what needs changing, then send.";
      return <TicketPage {...props} />;
    })
    .post("/desk/tickets/:number/assist/:task", async ({ user, csrf, ctxFor, params, request, set }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.work"));
      const number = ticketNumberParam(params.number);
      const task = params.task as OnDemandTask;
      if (!ON_DEMAND_TASKS.includes(task)) throw notFound("That page");
      await requestAssist(ctx, number, task);
      if (request.headers.get("hx-request")) {
        set.headers.vary = "hx-request";
        return <AssistPanel data={await assistPanel(ctx, number)} csrf={csrf} />;
      }
      return seeOther(set, request, `/desk/tickets/${formatTicketNumber(number)}/assist`);
    });
}
