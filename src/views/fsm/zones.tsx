// Service territories: the list and one form (add, or change the row it was opened from).
import type { FieldErrors } from "../../domain/errors";
import type { ZoneRow } from "../../domain/fsm/zones";
import { CsrfField, ErrorSummary, Field, Notice } from "../form";
import { Page, type Viewer } from "../layout";

export function ZonesPage({
  csrf,
  viewer,
  zones,
  canManage,
  editing,
  values,
  fields = {},
  message,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  zones: ZoneRow[];
  canManage: boolean;
  editing: string | null;
  values: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
  notice?: string;
}) {
  const input = (name: string, label: string, hint?: string) => (
    <Field label={label} name={name} error={fields[name]} hint={hint}>
      <input
        id={name}
        name={name}
        maxlength="80"
        value={values[name] ?? ""}
        aria-invalid={fields[name] ? "true" : undefined}
      />
    </Field>
  );
  return (
    <Page title="Territories" csrf={csrf} viewer={viewer}>
      <h1>Territories</h1>
      <Notice message={notice} />
      <table class="zones">
        <thead>
          <tr>
            <th>Code</th>
            <th>Name</th>
            <th>Centre</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {zones.map((z) => (
            <tr data-zone={z.id}>
              <td>
                <code safe>{z.code}</code>
              </td>
              <td safe>{z.name}</td>
              <td safe>{`${z.lat.toFixed(4)}, ${z.lng.toFixed(4)}`}</td>
              <td>{canManage ? <a href={`/fsm/zones?edit=${z.id}#zone-form`}>Change</a> : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canManage ? (
        <form
          method="post"
          action={editing ? `/fsm/zones/${editing}` : "/fsm/zones"}
          id="zone-form"
          class="card narrow"
        >
          <h2>{editing ? "Change the territory" : "Add a territory"}</h2>
          <ErrorSummary message={message} />
          <CsrfField token={csrf} />
          {input("code", "Code", "e.g. SGR")}
          {input("name", "Name", "e.g. Selangor")}
          {input("lat", "Centre latitude", "e.g. 3.0738")}
          {input("lng", "Centre longitude", "e.g. 101.5183")}
          <button type="submit">Save</button>
        </form>
      ) : (
        ""
      )}
    </Page>
  );
}
