// The technician's phone (/tech): today's visits and one visit's page with its forms.
// Every form posts and redirects, so the flow works without JavaScript.
import { Elysia } from "elysia";
import { JOB_SHEET_SECTIONS } from "../../db/schema";
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
import { answerField, answerJobSheet, jobSheetsOf } from "../domain/fsm/jobSheets";
import { meterNames, recordVisitMeterReading } from "../domain/fsm/meters";
import { removePartUsed, usePartOnVisit } from "../domain/fsm/partsUsed";
import { addPhoto, photoFile, photosOf } from "../domain/fsm/photos";
import { myLocationSharing, recordPosition, setLocationSharing } from "../domain/fsm/positions";
import { serviceReportPdf } from "../domain/fsm/report";
import { changeAppointmentStatus, findAppointment } from "../domain/fsm/workOrders";
import { unreadCount } from "../domain/notifications/notify";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { isOneOf } from "../domain/tickets/rules";
import { sheetFormName } from "../views/fsm/jobSheets";
import { AppointmentPage, type TechFailed, TodayPage } from "../views/tech/tech";
import { VanPage } from "../views/tech/van";
import type { Deps } from "./deps";
import {
  field,
  fieldList,
  formValues,
  requireUser,
  requireUserWith,
  seeOther,
  uploads,
  webContext,
} from "./web";

const NOTICES: Record<string, string> = {
  status: "Status saved.",
  time: "Clock updated.",
  part: "Part added.",
  removed: "Part removed and put back in the van.",
  note: "Note saved.",
  signed: "Signature saved.",
  photos: "Photo saved.",
  sharing_on: "Your location is shared while you are on shift.",
  sharing_off: "Your location is no longer shared.",
  checklist: "Checklist saved.",
  reading: "Meter reading saved.",
};

/** The notice each form's success shows, where its key differs from the form's name. */
const NOTICE_OF_FORM: Record<string, string> = { parts: "part", notes: "note", signature: "signed" };

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
  const assetId = detail.workOrder.assetId;
  const [photos, location, jobSheets, van, meters] = await Promise.all([
    photosOf(ctx.db, ctx.actor.orgId, detail.appointment.id),
    myLocationSharing(ctx),
    jobSheetsOf(ctx.db, ctx.actor.orgId, detail.workOrder.id),
    myVan(ctx),
    assetId ? meterNames(ctx.db, ctx.actor.orgId, assetId) : [],
  ]);
  return (
    <AppointmentPage
      csrf={csrf}
      name={ctx.actor.name}
      detail={detail}
      timeZone={timeZone}
      photos={photos}
      sharing={location.sharing}
      jobSheets={jobSheets}
      vanStock={new Map(van.levels.map((l) => [l.partId, l.quantity]))}
      meterNames={meters}
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
      if (form.startsWith("sheet:"))
        return seeOther(
          set,
          request,
          `/tech/appointments/${id}?notice=checklist#sheet-${form.split(":")[1]}`,
        );
      return seeOther(set, request, `/tech/appointments/${id}?notice=${NOTICE_OF_FORM[form] ?? form}`);
    } catch (error) {
      if (!isDomainError(error) || error.status === 403 || error.status === 404) throw error;
      set.status = error.status;
      return appointmentPage(ctx, csrf, id, {
        failed: { form, message: error.message, fields: error.fields ?? {}, values: formValues(body) },
      });
    }
  }

  return (
    new Elysia()
      .use(webContext(deps))
      .get("/tech", async ({ user, csrf, ctxFor, query }) => {
        const ctx = ctxFor(requireUserWith(user, "fsm.field"));
        const [rows, timeZone, location, unread] = await Promise.all([
          myAppointments(ctx),
          organizationTimeZone(ctx.db, ctx.actor.orgId),
          myLocationSharing(ctx),
          unreadCount(ctx),
        ]);
        return (
          <TodayPage
            csrf={csrf}
            name={ctx.actor.name}
            rows={rows}
            timeZone={timeZone}
            now={ctx.now}
            location={location}
            notice={NOTICES[query.notice ?? ""]}
            unread={unread}
          />
        );
      })
      .post("/tech/location/sharing", async ({ user, ctxFor, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "fsm.field"));
        const sharing = field(body, "sharing") === "1";
        await setLocationSharing(ctx, sharing);
        return seeOther(set, request, `/tech?notice=${sharing ? "sharing_on" : "sharing_off"}`);
      })
      // The phone's position, posted by /public/tech-location.js: always the signed-in technician's own.
      .post("/tech/location", async ({ user, ctxFor, body, set }) => {
        const ctx = ctxFor(requireUserWith(user, "fsm.field"));
        const number = (name: string) => (field(body, name) === "" ? Number.NaN : Number(field(body, name)));
        const accuracy = number("accuracy");
        try {
          const outcome = await recordPosition(ctx, {
            lat: number("lat"),
            lng: number("lng"),
            accuracy: Number.isNaN(accuracy) ? undefined : accuracy,
          });
          return { stored: outcome === "stored", outcome };
        } catch (error) {
          if (!isDomainError(error) || (error.status !== 409 && error.status !== 422)) throw error;
          set.status = error.status;
          return { stored: false, message: error.message, fields: error.fields ?? {} };
        }
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
          usePartOnVisit(ctx, params.id, {
            partId: field(body, "partId"),
            quantity: field(body, "quantity"),
          }),
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
      .post("/tech/appointments/:id/readings", async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "fsm.field"));
        return act(ctx, csrf, params.id, "reading", body, set, request, () =>
          recordVisitMeterReading(ctx, params.id, {
            meter: field(body, "meter"),
            value: field(body, "value"),
            reset: field(body, "reset") === "1",
            note: field(body, "note"),
          }),
        );
      })
      .post("/tech/appointments/:id/notes", async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "fsm.field"));
        return act(ctx, csrf, params.id, "notes", body, set, request, () =>
          addAppointmentNote(ctx, params.id, field(body, "body")),
        );
      })
      .post(
        "/tech/appointments/:id/signature",
        async ({ user, csrf, ctxFor, params, body, set, request }) => {
          const ctx = ctxFor(requireUserWith(user, "fsm.field"));
          return act(ctx, csrf, params.id, "signature", body, set, request, () =>
            signAppointment(ctx, params.id, {
              name: field(body, "signedName"),
              drawing: field(body, "signature"),
            }),
          );
        },
      )
      .post("/tech/appointments/:id/photos", async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "fsm.field"));
        const [photo] = uploads(body, "photo");
        return act(ctx, csrf, params.id, "photos", body, set, request, () =>
          addPhoto(ctx, params.id, { file: photo, caption: field(body, "caption") }),
        );
      })
      .post(
        "/tech/appointments/:id/job-sheets/:sheetId",
        async ({ user, csrf, ctxFor, params, body, set, request }) => {
          const ctx = ctxFor(requireUserWith(user, "fsm.field"));
          const section = field(body, "section");
          const form = isOneOf(JOB_SHEET_SECTIONS, section)
            ? sheetFormName(params.sheetId, section)
            : "checklist";
          const itemIds = fieldList(body, "items");
          const photos = Object.fromEntries(
            itemIds.map((id) => [answerField(id), uploads(body, answerField(id))[0]]),
          );
          return act(ctx, csrf, params.id, form, body, set, request, () =>
            answerJobSheet(ctx, params.id, params.sheetId, { itemIds, values: formValues(body), photos }),
          );
        },
      )
      .get("/tech/appointments/:id/photos/:photoId", async ({ user, ctxFor, params, query }) => {
        // The assigned technician, and staff who may read work orders.
        const ctx = ctxFor(requireUser(user));
        const sha = await photoFile(
          ctx,
          params.id,
          params.photoId,
          query.size === "thumb" ? "thumb" : "full",
        );
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
      })
  );
}
