// Sign-in, sign-out, password reset, customer sign-up, and the start page that sends each
// person to their own area.

import { Elysia } from "elysia";
import { myAvailability } from "../domain/assignment/assign";
import { isResetTokenValid, requestPasswordReset, resetPassword } from "../domain/auth/resets";
import { SESSION_DAYS, signIn, signOut, signOutEverywhere } from "../domain/auth/sessions";
import { signUpCustomer } from "../domain/auth/signup";
import { can } from "../domain/context";
import { isDomainError } from "../domain/errors";
import { notificationPreferences } from "../domain/notifications/notify";
import { organizationForHost } from "../domain/orgs/resolve";
import {
  AccountPage,
  ForgotPasswordPage,
  LoginPage,
  ResetPasswordPage,
  SignupPage,
} from "../views/auth/pages";
import type { Deps } from "./deps";
import {
  cookieOptions,
  field,
  formValues,
  requireUser,
  safeNext,
  seeOther,
  viewerOf,
  webContext,
} from "./web";

const HOME_BY_ROLE = {
  admin: "/desk/tickets",
  supervisor: "/desk/tickets",
  agent: "/desk/tickets",
  dispatcher: "/fsm/work-orders",
  technician: "/tech",
  customer: "/portal/tickets",
} as const;

const clientIp = (request: Request, server: { requestIP(r: Request): { address: string } | null } | null) =>
  server?.requestIP(request)?.address;

export function authRoutes(deps: Deps) {
  const db = deps.database.db;
  return new Elysia()
    .use(webContext(deps))
    .get("/", ({ user, set, request }) => seeOther(set, request, user ? HOME_BY_ROLE[user.role] : "/login"))
    .get("/login", ({ csrf, query, user, set, request }) => {
      if (user) return seeOther(set, request, HOME_BY_ROLE[user.role]);
      const notice = query.reset ? "Your password was changed. Sign in with the new one." : undefined;
      return <LoginPage csrf={csrf} next={query.next} notice={notice} />;
    })
    .post("/login", async ({ body, csrf, set, request, cookie, server, now }) => {
      const email = field(body, "email");
      try {
        const signed = await signIn(
          db,
          {
            email,
            password: field(body, "password"),
            ip: clientIp(request, server),
            userAgent: request.headers.get("user-agent") ?? undefined,
          },
          now,
        );
        cookie.sid.set({ value: signed.token, ...cookieOptions(request), maxAge: SESSION_DAYS * 86400 });
        const next = safeNext(field(body, "next"));
        return seeOther(set, request, next === "/" ? HOME_BY_ROLE[signed.user.role] : next);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        set.status = error.status;
        return (
          <LoginPage
            csrf={csrf}
            values={{ email }}
            fields={
              error.fields ?? (error.status === 401 ? { password: "Check the email and password." } : {})
            }
            message={error.message}
            next={field(body, "next")}
          />
        );
      }
    })
    .post("/logout", async ({ cookie, set, request }) => {
      await signOut(db, typeof cookie.sid.value === "string" ? cookie.sid.value : undefined);
      cookie.sid.remove();
      return seeOther(set, request, "/login");
    })
    .post("/logout/everywhere", async ({ user, cookie, set, request }) => {
      const me = requireUser(user);
      await signOutEverywhere(db, { orgId: me.orgId, userId: me.userId });
      cookie.sid.remove();
      return seeOther(set, request, "/login");
    })
    .get("/account", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUser(user);
      return (
        <AccountPage
          csrf={csrf}
          viewer={viewerOf(me)}
          email={me.email}
          notifications={me.role === "customer" ? undefined : await notificationPreferences(ctxFor(me))}
          availability={can(me, "tickets.work") ? await myAvailability(ctxFor(me)) : undefined}
          notice={
            query.notice === "notifications"
              ? "Saved: this is how you are notified now."
              : query.notice === "availability"
                ? "Availability saved."
                : undefined
          }
        />
      );
    })
    .get("/password/forgot", ({ csrf }) => <ForgotPasswordPage csrf={csrf} />)
    .post("/password/forgot", async ({ body, csrf, set, request, now }) => {
      const email = field(body, "email");
      try {
        await requestPasswordReset(db, { email, baseUrl: new URL(request.url).origin }, now);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        set.status = error.status;
        return (
          <ForgotPasswordPage csrf={csrf} values={{ email }} fields={error.fields} message={error.message} />
        );
      }
      // The same answer whether or not the address has an account.
      return (
        <ForgotPasswordPage
          csrf={csrf}
          notice="If an account uses that address, a link to reset its password is on its way. It works for one hour."
        />
      );
    })
    .get("/password/reset/:token", async ({ params, csrf, now, set }) => {
      const valid = await isResetTokenValid(db, params.token, now);
      if (!valid) set.status = 410;
      return (
        <ResetPasswordPage
          csrf={csrf}
          token={params.token}
          fields={
            valid ? {} : { token: "This reset link has expired or was already used. Ask for a new one." }
          }
        />
      );
    })
    .post("/password/reset/:token", async ({ params, body, csrf, set, request, now }) => {
      try {
        await resetPassword(
          db,
          { token: params.token, password: field(body, "password"), confirm: field(body, "confirm") },
          now,
        );
        return seeOther(set, request, "/login?reset=1");
      } catch (error) {
        if (!isDomainError(error)) throw error;
        set.status = error.status;
        return (
          <ResetPasswordPage csrf={csrf} token={params.token} fields={error.fields} message={error.message} />
        );
      }
    })
    .get("/portal/signup", async ({ csrf, request }) => {
      const org = await organizationForHost(db, request.headers.get("host"));
      return <SignupPage csrf={csrf} orgName={org?.name ?? "Support"} />;
    })
    .post("/portal/signup", async ({ body, csrf, set, request, cookie, server, now }) => {
      const org = await organizationForHost(db, request.headers.get("host"));
      if (!org) throw new Error("no organization to sign up to");
      const input = {
        name: field(body, "name"),
        email: field(body, "email"),
        password: field(body, "password"),
      };
      try {
        await signUpCustomer(db, org.id, input, now);
        const signed = await signIn(db, { ...input, orgId: org.id, ip: clientIp(request, server) }, now);
        cookie.sid.set({ value: signed.token, ...cookieOptions(request), maxAge: SESSION_DAYS * 86400 });
        return seeOther(set, request, "/portal/tickets");
      } catch (error) {
        if (!isDomainError(error)) throw error;
        set.status = error.status;
        return (
          <SignupPage
            csrf={csrf}
            orgName={org.name}
            values={formValues(body)}
            fields={error.fields}
            message={error.message}
          />
        );
      }
    });
}
