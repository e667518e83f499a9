// The photos of a visit and, while it is open, the form that adds one from the phone's camera.
import type { PhotoRow } from "../../domain/fsm/photos";
import { CsrfField, Field } from "../form";

/** Opens the back camera on phones; the typings of the JSX runtime lack the attribute. */
const CAMERA: Record<string, string> = { capture: "environment" };

export function VisitPhotos({
  csrf,
  appointmentId,
  photos,
  open,
  failed,
}: {
  csrf: string;
  appointmentId: string;
  photos: PhotoRow[];
  open: boolean;
  failed?: { fields: Record<string, string>; values: Record<string, string> };
}) {
  const base = `/tech/appointments/${appointmentId}`;
  const fields = failed?.fields ?? {};
  return (
    <section class="card" id="photos">
      <h2>Photos</h2>
      {photos.length === 0 ? <p class="muted">No photos yet.</p> : ""}
      <ul class="photos">
        {photos.map((p) => (
          <li>
            <a href={`${base}/photos/${p.id}`}>
              <img
                src={`${base}/photos/${p.id}?size=thumb`}
                alt={p.caption ?? "Photo of the visit"}
                loading="lazy"
              />
            </a>
            {p.caption ? <small safe>{p.caption}</small> : ""}
          </li>
        ))}
      </ul>
      {open ? (
        <form method="post" action={`${base}/photos`} enctype="multipart/form-data">
          <CsrfField token={csrf} />
          <Field label="Add a photo" name="photo" error={fields.photo}>
            <input id="photo" name="photo" type="file" accept="image/*" required {...CAMERA} />
          </Field>
          <Field label="Caption" name="caption" error={fields.caption}>
            <input id="caption" name="caption" maxlength="500" value={failed?.values.caption ?? ""} />
          </Field>
          <button type="submit">Upload photo</button>
        </form>
      ) : (
        <p>
          <a href={`${base}/report.pdf`}>Service report (PDF)</a>
        </p>
      )}
    </section>
  );
}
