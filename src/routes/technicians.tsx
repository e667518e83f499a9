// Technicians' field profiles at /fsm/technicians: read by work order readers, changed by managers.
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import { can } from "../domain/context";
import { isDomainError } from "../domain/errors";
import { saveTechnicianProfile, technicianProfile, technicianProfiles } from "../domain/fsm/technicians";
import { listZones } from "../domain/fsm/zones";
import { TechnicianFormPage, TechniciansPage, technicianValues } from "../views/fsm/technicians";
import type { Deps } from "./deps";
import { field, fieldList, formValues, requireUserWith, seeOther, viewerOf, webContext } from "./web";

export function technicianRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/technicians", async ({ user, csrf, ctxFor, query }) => {
      const me = requireUserWith(user, "fsm.read");
      return (
        <TechniciansPage
          csrf={csrf}
          viewer={viewerOf(me)}
          people={await technicianProfiles(ctxFor(me))}
          canManage={can(me, "fsm.manage")}
          notice={query.notice === "saved" ? "Saved." : undefined}
        />
      );
    })
    .get("/fsm/technicians/:userId", async ({ user, csrf, ctxFor, params }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const person = await technicianProfile(ctx, params.userId);
      return (
        <TechnicianFormPage
          csrf={csrf}
          viewer={viewerOf(ctx.actor as SessionUser)}
          person={person}
          zones={await listZones(ctx)}
          values={technicianValues(person)}
          workDays={person.workDays}
        />
      );
    })
    .post("/fsm/technicians/:userId", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.manage"));
      const workDays = fieldList(body, "workDays");
      try {
        await saveTechnicianProfile(ctx, params.userId, {
          zoneId: field(body, "zoneId"),
          homeLat: field(body, "homeLat"),
          homeLng: field(body, "homeLng"),
          hours: field(body, "hours"),
          workDays,
          maxJobsPerDay: field(body, "maxJobsPerDay"),
          skills: field(body, "skills"),
          certifications: field(body, "certifications"),
        });
        return seeOther(set, request, "/fsm/technicians?notice=saved");
      } catch (error) {
        if (!isDomainError(error) || error.status !== 422) throw error;
        set.status = 422;
        return (
          <TechnicianFormPage
            csrf={csrf}
            viewer={viewerOf(ctx.actor as SessionUser)}
            person={await technicianProfile(ctx, params.userId)}
            zones={await listZones(ctx)}
            values={formValues(body)}
            workDays={workDays.map(Number)}
            fields={error.fields}
            message={error.message}
          />
        );
      }
    });
}
