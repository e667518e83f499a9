// Crews on the office side: who goes out together, edited as a name and ticked technicians.
import type { FieldErrors } from "../../domain/errors";
import type { Crew } from "../../domain/fsm/crews";
import { CsrfField, ErrorSummary, Field, Notice } from "../form";
import { Page, type Viewer } from "../layout";

export function CrewsPage({
  csrf,
  viewer,
  crews,
  technicians,
  editing,
  values,
  fields = {},
  message,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  crews: Crew[];
  technicians: { id: string; name: string }[];
  /** The crew whose form is open; null for a new one. */
  editing: string | null;
  values: { name?: string; memberIds?: string[] };
  fields?: FieldErrors;
  message?: string;
  notice?: string;
}) {
  const chosen = new Set(values.memberIds ?? []);
  return (
    <Page title="Crews" csrf={csrf} viewer={viewer}>
      <h1>Crews</h1>
      <Notice message={notice} />
      <p class="muted">Scheduling a visit for a crew books every one of its technicians.</p>
      {crews.length === 0 ? <p class="empty">No crews yet.</p> : ""}
      <ul class="crews">
        {crews.map((c) => (
          <li data-crew={c.id}>
            <strong safe>{c.name}</strong>: <span safe>{c.members.map((m) => m.name).join(", ")}</span>{" "}
            <a href={`/fsm/crews?edit=${c.id}`}>Change</a>{" "}
            <form method="post" action={`/fsm/crews/${c.id}/delete`} class="inline">
              <CsrfField token={csrf} />
              <button type="submit" class="secondary">
                Remove
              </button>
            </form>
          </li>
        ))}
      </ul>
      <section class="card narrow">
        <h2>{editing ? "Change the crew" : "New crew"}</h2>
        <ErrorSummary message={message} fields={Object.keys(fields).length ? fields : undefined} />
        <form method="post" action={editing ? `/fsm/crews/${editing}` : "/fsm/crews"}>
          <CsrfField token={csrf} />
          <Field label="Name" name="name" error={fields.name}>
            <input id="name" name="name" maxlength="80" required value={values.name ?? ""} />
          </Field>
          <fieldset class={fields.memberIds ? "invalid" : undefined}>
            <legend>Technicians</legend>
            {fields.memberIds ? (
              <small class="field-error" safe>
                {fields.memberIds}
              </small>
            ) : (
              ""
            )}
            {technicians.map((t) => (
              <label class="check">
                <input type="checkbox" name="memberIds" value={t.id} checked={chosen.has(t.id)} />{" "}
                <span safe>{t.name}</span>
              </label>
            ))}
          </fieldset>
          <button type="submit">Save</button>
        </form>
      </section>
    </Page>
  );
}
