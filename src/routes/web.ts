// The shared context of every HTML route: the signed-in user, the CSRF token, and helpers for
// answering forms so they work with and without htmx.
import { Elysia } from "elysia";
import { newSecret, safeEqual } from "../domain/auth/secrets";
import { type SessionUser, userForSession } from "../domain/auth/sessions";
import { type Ctx, type Permission, requirePermission } from "../domain/context";
import { isDomainError } from "../domain/errors";
import type { Failed } from "../views/fsm/workOrders";
import type { Viewer } from "../views/layout";
import type { Deps } from "./deps";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const TOKEN_SHAPE = /^[\w-]{32,64}$/;

export function isHttps(request: Request): boolean {
  return request.url.startsWith("https:") || request.headers.get("x-forwarded-proto") === "https";
}

export function cookieOptions(request: Request) {
  return { httpOnly: true, sameSite: "lax" as const, path: "/", secure: isHttps(request) };
}

/** 303 for a plain form post; an HX-Location for htmx, which then loads the page itself. */
export function seeOther(
  set: { status?: number | string; headers: Record<string, string | number> },
  request: Request,
  url: string,
) {
  if (request.headers.get("hx-request")) {
    set.status = 200;
    set.headers["hx-location"] = url;
    return "";
  }
  set.status = 303;
  set.headers.location = url;
  return "";
}

/** A local path to return to after sign-in; anything else (other hosts, "//evil") becomes "/". */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : "/";
}

type Body = unknown;
const asRecord = (body: Body) => (body && typeof body === "object" ? (body as Record<string, unknown>) : {});

/** One text field of a form body (the first, if the field came several times). */
export function field(body: Body, name: string): string {
  const value = asRecord(body)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : "";
}

export function fieldList(body: Body, name: string): string[] {
  const value = asRecord(body)[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is string => typeof v === "string",
  );
}

/**
 * Uploaded files of a multipart form; an untouched file input sends a nameless empty part, dropped
 * here. (Bun parses that part's `filename=""` as a File whose name is undefined, not "".)
 */
export function uploads(body: Body, name = "files"): File[] {
  const value = asRecord(body)[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((f): f is File => f instanceof Blob && !(!(f as File).name && f.size === 0)) as File[];
}

/** The form's text fields, to put back into a re-rendered form. */
export function formValues(body: Body): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(asRecord(body))) {
    if (typeof value === "string" && key !== "_csrf" && !key.toLowerCase().includes("password"))
      values[key] = value;
  }
  return values;
}

/**
 * A form's failure to show again: the domain's 422 (or 409) with its field errors and what was typed.
 * Anything else — not found, forbidden, a fault — is not the form's to show, and is thrown on.
 */
export function failedFrom(error: unknown, form: string, body: Body): Failed {
  if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
  return { form, message: error.message, fields: error.fields ?? {}, values: formValues(body) };
}

/** A priced line's form (work orders, estimates, invoices, maintenance plans) as the domain takes it. */
export function lineInputFrom(body: Body) {
  return {
    kind: field(body, "kind"),
    serviceId: field(body, "serviceId"),
    partId: field(body, "partId"),
    description: field(body, "description"),
    quantity: field(body, "quantity"),
    unitPrice: field(body, "unitPrice"),
    taxPercent: field(body, "taxPercent"),
  };
}

export function viewerOf(user: SessionUser): Viewer {
  return { name: user.name, role: user.role, orgName: user.orgName };
}

export class CsrfError extends Error {}
export class SignInRequired extends Error {}

export function webContext(deps: Deps) {
  return new Elysia()
    .derive({ as: "scoped" }, async ({ cookie, request }) => {
      const now = deps.clock();
      let csrf = String(cookie.csrf.value ?? "");
      if (!TOKEN_SHAPE.test(csrf)) {
        csrf = newSecret();
        cookie.csrf.set({ value: csrf, ...cookieOptions(request), maxAge: 60 * 60 * 24 * 365 });
      }
      const sid = cookie.sid.value;
      const user = await userForSession(deps.database.db, typeof sid === "string" ? sid : undefined, now);
      const ctxFor = (actor: SessionUser): Ctx => ({ db: deps.database.db, actor, now, files: deps.files });
      return { now, csrf, user, ctxFor };
    })
    .onBeforeHandle({ as: "scoped" }, ({ request, body, cookie }) => {
      if (!UNSAFE_METHODS.has(request.method)) return;
      const expected = String(cookie.csrf.value ?? "");
      const sent = request.headers.get("x-csrf-token") ?? field(body, "_csrf");
      if (!TOKEN_SHAPE.test(expected) || !safeEqual(expected, sent)) throw new CsrfError();
    });
}

/** The signed-in user if they hold the permission; sends visitors to sign in, refuses others. */
export function requireUserWith(user: SessionUser | null, permission: Permission): SessionUser {
  const me = requireUser(user);
  requirePermission(me, permission);
  return me;
}

/** Resolves the signed-in user or sends the visitor to sign in (a GET comes back afterwards). */
export function requireUser(user: SessionUser | null): SessionUser {
  if (!user) throw new SignInRequired();
  return user;
}
