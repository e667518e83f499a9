// What every part of the integrators' API shares: the version prefix, schema helpers, the error
// answers, paging links and the bearer token that becomes the actor.
import { Elysia, t } from "elysia";
import { actorForToken } from "../domain/auth/tokens";
import type { Ctx } from "../domain/context";
import { unauthorized } from "../domain/errors";
import type { Deps } from "./deps";
import { isHttps } from "./web";

export const V1 = "/api/v1";
export const UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/**
 * One of some strings. Elysia's t.UnionEnum gives itself a default (its first value), which it
 * would fill into every absent optional input — a PATCH without `priority` would set "low".
 */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  options: Parameters<typeof t.UnionEnum>[1] = {},
) {
  const schema = t.UnionEnum(values, options);
  delete (schema as { default?: unknown }).default;
  return schema;
}
/**
 * A whole number in an answer: TypeBox's own Integer. Elysia's t.Integer also accepts numeric
 * strings (right for query strings) and documents itself as "string or integer"; answers carry
 * real numbers. TypeBox marks its kinds with this registered symbol.
 */
export const integer = (options: Parameters<typeof t.Number>[0] = {}) =>
  ({ ...options, [Symbol.for("TypeBox.Kind")]: "Integer", type: "integer" }) as unknown as ReturnType<
    typeof t.Number
  >;
/** A comma-separated list of some of `values`, as a JSON-schema pattern. */
export const listOf = (values: readonly string[]) => `^(?:${values.join("|")})(?:,(?:${values.join("|")}))*$`;

const ERROR_PROPERTIES = {
  statusCode: integer({ description: "The HTTP status, repeated." }),
  error: t.String({ description: 'The status in words, e.g. "Unprocessable Entity".' }),
  message: t.String({ description: "What went wrong, for people." }),
  fields: t.Optional(
    t.Record(t.String(), t.String(), { description: "For invalid input: a problem for each field named." }),
  ),
  path: t.String({ description: "The request's path." }),
  timestamp: t.String({ format: "date-time" }),
};
const errorResponse = (description: string) => t.Object(ERROR_PROPERTIES, { description });
export const ERRORS = {
  400: errorResponse("The body is not valid JSON."),
  401: errorResponse("No valid API token was sent."),
  403: errorResponse("The token's role may not do this."),
  404: errorResponse("No such record in the token's organization."),
  409: errorResponse("The record's state does not allow this, e.g. a closed ticket or a finished visit."),
  422: errorResponse("Invalid input; `fields` names each problem."),
};

/**
 * The highest page a list answers. Past it the offset (page × limit) would leave the integers
 * Postgres takes, and no one pages a hundred thousand pages deep; a higher page is a 422 on `page`.
 */
export const MAX_PAGE = 100_000;

/** The `page` query parameter of a list, from 1 up to MAX_PAGE. */
export const pageParam = () =>
  t.Optional(t.Integer({ minimum: 1, maximum: MAX_PAGE, description: "The page to return, from 1." }));

/** Rows skipped before a page: a safe integer, as page and limit are bounded by their schemas. */
export function pageOffset(page: number, limit: number): number {
  const offset = (page - 1) * limit;
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new Error(`page ${page} × limit ${limit} is no offset`);
  return offset;
}

export function pageLink(request: Request, page: number): string {
  const url = new URL(request.url);
  if (isHttps(request)) url.protocol = "https:";
  url.searchParams.set("page", String(page));
  return url.toString();
}

/**
 * The integrators' routes. The bearer token becomes the actor in `derive`, which runs before
 * validation: a request without a valid token gets its 401 and learns nothing about its input.
 */
export function tokenContext(deps: Deps) {
  return new Elysia().derive({ as: "scoped" }, async ({ headers }) => {
    const now = deps.clock();
    const token = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "")?.[1];
    const actor = await actorForToken(deps.database.db, token, now);
    if (!actor) throw unauthorized("Send a valid API token: Authorization: Bearer <token>.");
    const ctx: Ctx = { db: deps.database.db, actor, now, files: deps.files };
    return { ctx };
  });
}
