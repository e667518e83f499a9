// Macros: agents' canned responses, and applying one to a ticket.
import { Elysia } from "elysia";
import { can } from "../domain/context";
import { isDomainError } from "../domain/errors";
import { deleteMacro, getMacro, listMacros, type MacroInput, saveMacro } from "../domain/macros/macros";
import { MACRO_ROWS, MacroFormPage, MacrosPage, macroFormValues } from "../views/desk/macros";
import type { Deps } from "./deps";
import { field, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

function macroInput(body: unknown): MacroInput {
  return {
    name: field(body, "name"),
    shortcut: field(body, "shortcut"),
    body: field(body, "body"),
    shared: field(body, "shared") === "1",
    actions: Array.from({ length: MACRO_ROWS }, (_, i) => ({
      type: field(body, `a${i}_type`),
      value: field(body, `a${i}_value`),
    })),
  };
}

export function macroRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/desk/macros", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUserWith(user, "tickets.work");
      return (
        <MacrosPage
          csrf={csrf}
          viewer={viewerOf(me)}
          macros={await listMacros(ctxFor(me))}
          notice={
            query.notice === "saved"
              ? "Macro saved."
              : query.notice === "deleted"
                ? "Macro deleted."
                : undefined
          }
        />
      );
    })
    .get("/desk/macros/new", ({ user, csrf }) => {
      const me = requireUserWith(user, "tickets.work");
      return (
        <MacroFormPage
          csrf={csrf}
          viewer={viewerOf(me)}
          action="/desk/macros"
          values={{}}
          mayShare={can(me, "macros.shared")}
        />
      );
    })
    .post("/desk/macros", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "tickets.work");
      try {
        await saveMacro(ctxFor(me), null, macroInput(body));
        return seeOther(set, request, "/desk/macros?notice=saved");
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return (
          <MacroFormPage
            csrf={csrf}
            viewer={viewerOf(me)}
            action="/desk/macros"
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
            mayShare={can(me, "macros.shared")}
          />
        );
      }
    })
    .get("/desk/macros/:id", async ({ user, csrf, ctxFor, params }) => {
      const me = requireUserWith(user, "tickets.work");
      const macro = await getMacro(ctxFor(me), params.id);
      return (
        <MacroFormPage
          csrf={csrf}
          viewer={viewerOf(me)}
          action={`/desk/macros/${macro.id}`}
          macroId={macro.id}
          values={macroFormValues(macro)}
          mayShare={can(me, "macros.shared")}
        />
      );
    })
    .post("/desk/macros/:id", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "tickets.work");
      const macro = await getMacro(ctxFor(me), params.id);
      try {
        await saveMacro(ctxFor(me), macro.id, macroInput(body));
        return seeOther(set, request, "/desk/macros?notice=saved");
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return (
          <MacroFormPage
            csrf={csrf}
            viewer={viewerOf(me)}
            action={`/desk/macros/${macro.id}`}
            macroId={macro.id}
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
            mayShare={can(me, "macros.shared")}
          />
        );
      }
    })
    .post("/desk/macros/:id/delete", async ({ user, ctxFor, params, set, request }) => {
      await deleteMacro(ctxFor(requireUserWith(user, "tickets.work")), params.id);
      return seeOther(set, request, "/desk/macros?notice=deleted");
    });
}
