// Admin pages for ticket categories and custom fields (/admin/fields).
import { Elysia } from "elysia";
import { isDomainError } from "../domain/errors";
import {
  adminCatalog,
  type CategoryInput,
  deleteCategory,
  deleteField,
  type FieldInput,
  getCategory,
  getField,
  moveCategory,
  moveField,
  possibleControllers,
  saveCategory,
  saveField,
} from "../domain/fields/catalog";
import {
  CategoryFormPage,
  categoryFormValues,
  FieldFormPage,
  FieldsAdminPage,
  fieldFormValues,
} from "../views/admin/fields";
import type { Deps } from "./deps";
import { field, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  "category-saved": "Category saved.",
  "category-deleted": "Category deleted.",
  "field-saved": "Field saved.",
  "field-deleted": "Field deleted.",
};

function categoryInput(body: unknown): CategoryInput {
  return {
    name: field(body, "name"),
    parentId: field(body, "parentId") || null,
    agentsOnly: field(body, "agentsOnly") === "1",
    archived: field(body, "archived") === "1",
  };
}

function fieldInput(body: unknown): FieldInput {
  const names = [
    "categoryId",
    "label",
    "key",
    "type",
    "options",
    "hint",
    "minValue",
    "maxValue",
    "visibleWhenKey",
    "visibleWhenValue",
  ] as const;
  const input: FieldInput = Object.fromEntries(names.map((n) => [n, field(body, n)]));
  input.required = field(body, "required") === "1";
  input.agentsOnly = field(body, "agentsOnly") === "1";
  input.archived = field(body, "archived") === "1";
  return input;
}

/** Runs a save; a 422 comes back as the form again with what was typed. */
async function orForm<T>(
  set: { status?: number | string },
  save: () => Promise<T>,
  form: (error: { fields?: Record<string, string>; message: string }) => Promise<JSX.Element> | JSX.Element,
) {
  try {
    return { saved: await save() };
  } catch (error) {
    if (!isDomainError(error) || error.status !== 422) throw error;
    set.status = 422;
    return { page: await form(error) };
  }
}

export function fieldRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/admin/fields", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUserWith(user, "org.admin");
      return (
        <FieldsAdminPage
          csrf={csrf}
          viewer={viewerOf(me)}
          catalog={await adminCatalog(ctxFor(me))}
          notice={NOTICES[String(query.notice)]}
        />
      );
    })
    .post("/admin/fields/categories", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "org.admin");
      const ctx = ctxFor(me);
      const result = await orForm(
        set,
        () => saveCategory(ctx, null, categoryInput(body)),
        async (error) => (
          <FieldsAdminPage
            csrf={csrf}
            viewer={viewerOf(me)}
            catalog={await adminCatalog(ctx)}
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
          />
        ),
      );
      return "page" in result ? result.page : seeOther(set, request, "/admin/fields?notice=category-saved");
    })
    .get("/admin/fields/categories/:id", async ({ user, csrf, ctxFor, params }) => {
      const me = requireUserWith(user, "org.admin");
      const ctx = ctxFor(me);
      const category = await getCategory(ctx, params.id);
      return (
        <CategoryFormPage
          csrf={csrf}
          viewer={viewerOf(me)}
          catalog={await adminCatalog(ctx)}
          category={category}
          values={categoryFormValues(category)}
        />
      );
    })
    .post("/admin/fields/categories/:id", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "org.admin");
      const ctx = ctxFor(me);
      const category = await getCategory(ctx, params.id);
      const result = await orForm(
        set,
        () => saveCategory(ctx, category.id, categoryInput(body)),
        async (error) => (
          <CategoryFormPage
            csrf={csrf}
            viewer={viewerOf(me)}
            catalog={await adminCatalog(ctx)}
            category={category}
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
          />
        ),
      );
      return "page" in result ? result.page : seeOther(set, request, "/admin/fields?notice=category-saved");
    })
    .post("/admin/fields/categories/:id/move", async ({ user, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "org.admin");
      await moveCategory(ctxFor(me), params.id, field(body, "direction") === "up" ? "up" : "down");
      return seeOther(set, request, "/admin/fields");
    })
    .post("/admin/fields/categories/:id/delete", async ({ user, ctxFor, params, set, request }) => {
      await deleteCategory(ctxFor(requireUserWith(user, "org.admin")), params.id);
      return seeOther(set, request, "/admin/fields?notice=category-deleted");
    })
    .get("/admin/fields/new", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUserWith(user, "org.admin");
      const ctx = ctxFor(me);
      const category = await getCategory(ctx, String(query.category ?? ""));
      const catalog = await adminCatalog(ctx);
      return (
        <FieldFormPage
          csrf={csrf}
          viewer={viewerOf(me)}
          catalog={catalog}
          controllers={possibleControllers(catalog, category.id)}
          values={{ categoryId: category.id, type: "text" }}
        />
      );
    })
    .post("/admin/fields", async ({ user, csrf, ctxFor, body, set, request }) => {
      const me = requireUserWith(user, "org.admin");
      const ctx = ctxFor(me);
      const result = await orForm(
        set,
        () => saveField(ctx, null, fieldInput(body)),
        async (error) => {
          const catalog = await adminCatalog(ctx);
          return (
            <FieldFormPage
              csrf={csrf}
              viewer={viewerOf(me)}
              catalog={catalog}
              controllers={possibleControllers(catalog, field(body, "categoryId"))}
              values={formValues(body)}
              fields={error.fields}
              message={error.message}
            />
          );
        },
      );
      return "page" in result ? result.page : seeOther(set, request, "/admin/fields?notice=field-saved");
    })
    .get("/admin/fields/:id", async ({ user, csrf, ctxFor, params }) => {
      const me = requireUserWith(user, "org.admin");
      const ctx = ctxFor(me);
      const def = await getField(ctx, params.id);
      const catalog = await adminCatalog(ctx);
      return (
        <FieldFormPage
          csrf={csrf}
          viewer={viewerOf(me)}
          catalog={catalog}
          field={def}
          controllers={possibleControllers(catalog, def.categoryId, def.key)}
          values={fieldFormValues(def)}
        />
      );
    })
    .post("/admin/fields/:id", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "org.admin");
      const ctx = ctxFor(me);
      const def = await getField(ctx, params.id);
      const result = await orForm(
        set,
        () => saveField(ctx, def.id, fieldInput(body)),
        async (error) => {
          const catalog = await adminCatalog(ctx);
          return (
            <FieldFormPage
              csrf={csrf}
              viewer={viewerOf(me)}
              catalog={catalog}
              field={def}
              controllers={possibleControllers(catalog, def.categoryId, def.key)}
              values={{ ...formValues(body), key: def.key, categoryId: def.categoryId }}
              fields={error.fields}
              message={error.message}
            />
          );
        },
      );
      return "page" in result ? result.page : seeOther(set, request, "/admin/fields?notice=field-saved");
    })
    .post("/admin/fields/:id/move", async ({ user, ctxFor, params, body, set, request }) => {
      const me = requireUserWith(user, "org.admin");
      await moveField(ctxFor(me), params.id, field(body, "direction") === "up" ? "up" : "down");
      return seeOther(set, request, "/admin/fields");
    })
    .post("/admin/fields/:id/delete", async ({ user, ctxFor, params, set, request }) => {
      await deleteField(ctxFor(requireUserWith(user, "org.admin")), params.id);
      return seeOther(set, request, "/admin/fields?notice=field-deleted");
    });
}
