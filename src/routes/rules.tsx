// Admin pages for automation rules.
import { Elysia } from "elysia";
import { CHOICE_ACTIONS, ruleChoices } from "../domain/automation/engine";
import {
  deleteRule,
  dryRun,
  getRule,
  listRules,
  moveRule,
  type RuleInput,
  saveRule,
} from "../domain/automation/rules";
import { isDomainError } from "../domain/errors";
import { ROWS, RuleFormPage, RulesPage, ruleFormValues } from "../views/admin/rules";
import type { Deps } from "./deps";
import { field, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  saved: "Rule saved. It applies to changes from now on.",
  deleted: "Rule deleted.",
};

/** The rule as submitted: rows by index; an action takes its choice or its text by type. */
function ruleInput(body: unknown): RuleInput {
  return {
    name: field(body, "name"),
    trigger: field(body, "trigger"),
    match: field(body, "match"),
    hours: field(body, "hours"),
    active: field(body, "active") === "1",
    stopProcessing: field(body, "stopProcessing") === "1",
    conditions: Array.from({ length: ROWS }, (_, i) => ({
      field: field(body, `c${i}_field`),
      op: field(body, `c${i}_op`),
      value: field(body, `c${i}_value`),
    })),
    actions: Array.from({ length: ROWS }, (_, i) => {
      const type = field(body, `a${i}_type`);
      return {
        type,
        value: CHOICE_ACTIONS.has(type) ? field(body, `a${i}_choice`) : field(body, `a${i}_text`),
        subject: field(body, `a${i}_subject`),
      };
    }),
  };
}

export function ruleRoutes(deps: Deps) {
  const choices = (orgId: string) => ruleChoices(deps.database.db, orgId);
  return new Elysia()
    .use(webContext(deps))
    .get("/admin/rules", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUserWith(user, "org.admin");
      return (
        <RulesPage
          csrf={csrf}
          viewer={viewerOf(me)}
          rules={await listRules(ctxFor(me))}
          notice={NOTICES[String(query.notice)]}
        />
      );
    })
    .get("/admin/rules/new", async ({ user, csrf }) => {
      const me = requireUserWith(user, "org.admin");
      return (
        <RuleFormPage
          csrf={csrf}
          viewer={viewerOf(me)}
          action="/admin/rules"
          choices={await choices(me.orgId)}
          values={{ active: "1", trigger: "ticket.created", match: "all" }}
        />
      );
    })
    .post("/admin/rules", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "org.admin");
      try {
        const id = await saveRule(ctxFor(me), null, ruleInput(body));
        return seeOther(set, request, `/admin/rules/${id}?notice=saved`);
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return (
          <RuleFormPage
            csrf={csrf}
            viewer={viewerOf(me)}
            action="/admin/rules"
            choices={await choices(me.orgId)}
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
          />
        );
      }
    })
    .get("/admin/rules/:id", async ({ user, csrf, ctxFor, params, query }) => {
      const me = requireUserWith(user, "org.admin");
      const rule = await getRule(ctxFor(me), params.id);
      return (
        <RuleFormPage
          csrf={csrf}
          viewer={viewerOf(me)}
          action={`/admin/rules/${rule.id}`}
          ruleId={rule.id}
          choices={await choices(me.orgId)}
          values={ruleFormValues(rule)}
          notice={NOTICES[String(query.notice)]}
        />
      );
    })
    .post("/admin/rules/:id", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "org.admin");
      const rule = await getRule(ctxFor(me), params.id);
      try {
        await saveRule(ctxFor(me), rule.id, ruleInput(body));
        return seeOther(set, request, `/admin/rules/${rule.id}?notice=saved`);
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return (
          <RuleFormPage
            csrf={csrf}
            viewer={viewerOf(me)}
            action={`/admin/rules/${rule.id}`}
            ruleId={rule.id}
            choices={await choices(me.orgId)}
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
          />
        );
      }
    })
    .post("/admin/rules/:id/dry-run", async ({ user, csrf, ctxFor, params, body, set }) => {
      const me = requireUserWith(user, "org.admin");
      const ctx = ctxFor(me);
      const rule = await getRule(ctx, params.id);
      const props = {
        csrf,
        viewer: viewerOf(me),
        action: `/admin/rules/${rule.id}`,
        ruleId: rule.id,
        choices: await choices(me.orgId),
        values: { ...ruleFormValues(rule), ticket: field(body, "ticket") },
      };
      try {
        return <RuleFormPage {...props} dryRun={await dryRun(ctx, rule.id, field(body, "ticket"))} />;
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return <RuleFormPage {...props} fields={error.fields} message={error.message} />;
      }
    })
    .post("/admin/rules/:id/move", async ({ user, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "org.admin");
      await moveRule(ctxFor(me), params.id, field(body, "direction") === "up" ? "up" : "down");
      return seeOther(set, request, "/admin/rules");
    })
    .post("/admin/rules/:id/delete", async ({ user, ctxFor, params, set, request }) => {
      await deleteRule(ctxFor(requireUserWith(user, "org.admin")), params.id);
      return seeOther(set, request, "/admin/rules?notice=deleted");
    });
}
