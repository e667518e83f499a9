// The technician's phone (/tech): today's visits and one visit's page with its forms.
// Every form posts and redirects, so the flow works without JavaScript.
import { Elysia } from "elysia";
import type { Ctx } from "../domain/context";
import { isDomainError, notFound } from "../domain/errors";
import {
  addAppointmentNote,
  myAppointment,
  myAppointments,
  signAppointment,
  signatureFile,
  toggleTimer,
} from "../domain/fsm/field";
import { myVan } from "../domain/fsm/inventory";
import { removePartUsed, usePartOnVisit } from "../domain/fsm/partsUsed";
import { addPhoto, photoFile, photosOf } from "../domain/fsm/photos";
import { serviceReportPdf } from "../domain/fsm/report";
import { changeAppointmentStatus, findAppointment } from "../domain/fsm/workOrders";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { AppointmentPage, type TechFailed, TodayPage } from "../views/tech/tech";
import { VanPage } from "../views/tech/van";
import type { Deps } from "./deps";
import { field, formValues, requireUser, requireUserWith, seeOther, uploads, webContext } from "./web";

const NOTICES: Record<string, string> = {
  status: "Status saved.",
  time: "Clock updated.",
  part: "Part added.",
  removed: "Part removed and put back in the van.",
  note: "Note saved.",
  signed: "Signature saved.",
  photos: "Photo saved.",
};

async function appointmentPage(
  ctx: Ctx,
  csrf: string,
  id: string,
  extra: { notice?: string; failed?: TechFailed },
) {
  const [detail, timeZone] = await Promise.all([
    myAppointment(ctx, id),
    organizationTimeZone(ctx.db, ctx.actor.orgId),
  ]);
  const [photos, van] = await Promise.all([
    photosOf(ctx.db, ctx.actor.orgId, detail.appointment.id),
    myVan(ctx),
  ]);
  return (
    <AppointmentPage
      csrf={csrf}
      name={ctx.actor.name}
      detail={detail}
      timeZone={timeZone}
      photos={photos}
      vanStock={new Map(van.levels.map((l) => [l.partId, l.quantity]))}
      {...extra}
    />
  );
}

export function techRoutes(deps: Deps) {
  /** Runs a form's action; bad input re-renders the visit page with the field marked. */
  async function act(
    ctx: Ctx,
    csrf: string,
    id: string,
    form: string,
    body: unknown,
    set: { status?: number | string; headers: Record<string, string | number> },
    request: Request,
    run: () => Promise<unknown>,
  ) {
    try {
      await run();
      return seeOther(
        set,
        request,
        `/tech/appointments/${id}?notice=${form === "parts" ? "part" : form === "notes" ? "note" : form}`,
      );
    } catch (error) {
      if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
      set.status = error.status;
      return appointmentPage(ctx, csrf, id, {
        failed: { form, message: error.message, fields: error.fields ?? {}, values: formValues(body) },
      });
    }
  }

  return new Elysia()
    .use(webContext(deps))
    .get("/tech", async ({ user, csrf, ctxFor }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.field"));
      const [rows, timeZone] = await Promise.all([
        myAppointments(ctx),
        organizationTimeZone(ctx.db, ctx.actor.orgId),
      ]);
      return <TodayPage csrf={csrf} name={ctx.actor.name} rows={rows} timeZone={timeZone} now={ctx.now} />;
    })
    .get("/tech/van", async ({ user, csrf, ctxFor }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.field"));
      const { van, levels } = await myVan(ctx);
      return <VanPage csrf={csrf} name={ctx.actor.name} van={van} levels={levels} />;
    })
    .get("/tech/appointments/:id", async ({ user, csrf, ctxFor, params, query }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.field"));
      return appointmentPage(ctx, csrf, params.id, { notice: NOTICES[query.notice ?? ""] });
    })
    .post("/tech/appointments/:id/status", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.field"));
      return act(ctx, csrf, params.id, "status", body, set, request, () =>
        changeAppointmentStatus(ctx, params.id, {
          status: field(body, "status"),
          reason: field(body, "reason"),
        }),
      );
    })
    .post("/tech/appointments/:id/time", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.field"));
      return act(ctx, csrf, params.id, "time", body, set, request, () =>
        toggleTimer(ctx, params.id, field(body, "action") === "stop" ? "stop" : "start"),
      );
    })
    .post("/tech/appointments/:id/parts", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.field"));
      return act(ctx, csrf, params.id, "parts", body, set, request, () =>
        usePartOnVisit(ctx, params.id, { partId: field(body, "partId"), quantity: field(body, "quantity") }),
      );
    })
    .post(
      "/tech/appointments/:id/parts/:lineId/remove",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "fsm.field"));
        const appointment = await findAppointment(ctx.db, ctx, params.id);
        return act(ctx, csrf, appointment.id, "removed", body, set, request, () =>
          removePartUsed(ctx, params.lineId, { appointmentId: appointment.id }),
        );
      },
    )
    .post("/tech/appointments/:id/notes", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.field"));
      return act(ctx, csrf, params.id, "notes", body, set, request, () =>
        addAppointmentNote(ctx, params.id, field(body, "body")),
      );
    })
    .post("/tech/appointments/:id/signature", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.field"));
      return act(ctx, csrf, params.id, "signature", body, set, request, () =>
        signAppointment(ctx, params.id, {
          name: field(body, "signedName"),
          drawing: field(body, "signature"),
        }),
      );
    })
    .post("/tech/appointments/:id/photos", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "fsm.field"));
      const [photo] = uploads(body, "photo");
      return act(ctx, csrf, params.id, "photos", body, set, request, () =>
        addPhoto(ctx, params.id, { file: photo, caption: field(body, "caption") }),
      );
    })
    .get("/tech/appointments/:id/photos/:photoId", async ({ user, ctxFor, params, query }) => {
      // The assigned technician, and staff who may read work orders.
      const ctx = ctxFor(requireUser(user));
      const sha = await photoFile(ctx, params.id, params.photoId, query.size === "thumb" ? "thumb" : "full");
      return new Response(deps.files.file(sha), {
        headers: {
          "content-type": "image/jpeg",
          "cache-control": "private, max-age=86400",
          "x-content-type-options": "nosniff",
        },
      });
    })
    .get("/tech/appointments/:id/report.pdf", async ({ user, ctxFor, params }) => {
      const ctx = ctxFor(requireUser(user));
      const pdf = await serviceReportPdf(ctx, params.id);
      return new Response(new Uint8Array(pdf), {
        headers: {
          "content-type": "application/pdf",
          "content-disposition": `inline; filename="service-report.pdf"`,
          "cache-control": "private, no-store",
        },
      });
    })
    .get("/tech/appointments/:id/signature.png", async ({ user, ctxFor, params }) => {
      // The assigned technician, and staff who may read work orders.
      const ctx = ctxFor(requireUser(user));
      const sha = await signatureFile(ctx, params.id);
      if (!sha) throw notFound("That signature");
      return new Response(deps.files.file(sha), {
        headers: {
          "content-type": "image/png",
          "cache-control": "private, max-age=86400",
          "x-content-type-options": "nosniff",
        },
      });
    });
}
