// Technicians' field profiles on the office side: the list, and one technician's form.

import { formatSkillList } from "../../domain/assignment/profiles";
import type { FieldErrors } from "../../domain/errors";
import { clockText, formatCertifications, type TechnicianProfile } from "../../domain/fsm/technicians";
import { WEEKDAYS } from "../../domain/sla/admin";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { Page, type Viewer } from "../layout";

const days = (list: number[]) => list.map((d) => WEEKDAYS[d - 1].slice(0, 3)).join(" ");

export function TechniciansPage({
  csrf,
  viewer,
  people,
  canManage,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  people: TechnicianProfile[];
  canManage: boolean;
  notice?: string;
}) {
  return (
    <Page title="Technicians" csrf={csrf} viewer={viewer}>
      <h1>Technicians</h1>
      <Notice message={notice} />
      <table class="technicians">
        <thead>
          <tr>
            <th>Technician</th>
            <th>Territory</th>
            <th>Shift</th>
            <th>Most jobs</th>
            <th>Skills</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr data-technician={p.userId}>
              <td safe>{p.name}</td>
              <td safe>{p.zoneName ?? "—"}</td>
              <td
                safe
              >{`${clockText(p.workStartMinute)}-${clockText(p.workEndMinute)} ${days(p.workDays)}`}</td>
              <td class="num" safe>
                {String(p.maxJobsPerDay)}
              </td>
              <td safe>{formatSkillList(p.skills) || "—"}</td>
              <td>{canManage ? <a href={`/fsm/technicians/${p.userId}`}>Change</a> : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}

export function technicianValues(p: TechnicianProfile): Record<string, string> {
  return {
    zoneId: p.zoneId ?? "",
    homeLat: p.homeLat === null ? "" : String(p.homeLat),
    homeLng: p.homeLng === null ? "" : String(p.homeLng),
    hours: `${clockText(p.workStartMinute)}-${clockText(p.workEndMinute)}`,
    maxJobsPerDay: String(p.maxJobsPerDay),
    skills: formatSkillList(p.skills),
    certifications: formatCertifications(p.certifications),
  };
}

export function TechnicianFormPage({
  csrf,
  viewer,
  person,
  zones,
  values,
  workDays,
  fields = {},
  message,
}: {
  csrf: string;
  viewer: Viewer;
  person: TechnicianProfile;
  zones: { id: string; name: string }[];
  values: Record<string, string>;
  workDays: number[];
  fields?: FieldErrors;
  message?: string;
}) {
  const input = (name: string, label: string, hint?: string) => (
    <Field label={label} name={name} error={fields[name]} hint={hint}>
      <input
        id={name}
        name={name}
        maxlength="200"
        value={values[name] ?? ""}
        aria-invalid={fields[name] ? "true" : undefined}
      />
    </Field>
  );
  return (
    <Page title={person.name} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/fsm/technicians">← Technicians</a>
      </p>
      <h1 safe>{person.name}</h1>
      <ErrorSummary message={message} />
      <form method="post" action={`/fsm/technicians/${person.userId}`} class="narrow">
        <CsrfField token={csrf} />
        <Field label="Territory" name="zoneId" error={fields.zoneId}>
          <Select
            name="zoneId"
            value={values.zoneId ?? ""}
            blank="(none)"
            options={zones.map((z) => ({ value: z.id, label: z.name }))}
            invalid={Boolean(fields.zoneId)}
          />
        </Field>
        {input(
          "homeLat",
          "Home base latitude",
          "Where the day starts and ends; empty: the territory's centre.",
        )}
        {input("homeLng", "Home base longitude")}
        {input("hours", "Shift", "e.g. 08:00-17:00, in the organization's time zone")}
        <fieldset class={fields.workDays ? "invalid" : undefined}>
          <legend>Working days</legend>
          {fields.workDays ? (
            <small class="field-error" safe>
              {fields.workDays}
            </small>
          ) : (
            ""
          )}
          {WEEKDAYS.map((day, i) => (
            <label class="check">
              <input
                type="checkbox"
                name="workDays"
                value={String(i + 1)}
                checked={workDays.includes(i + 1)}
              />{" "}
              <span safe>{day}</span>
            </label>
          ))}
        </fieldset>
        {input("maxJobsPerDay", "Most jobs a day")}
        {input("skills", "Skills", 'e.g. "Aircon 4, Electrical 2" (level 1–5); a new name adds the skill.')}
        <Field
          label="Certifications"
          name="certifications"
          error={fields.certifications}
          hint='One per line, e.g. "CFC handling until 2027-03-31"; an expired one no longer counts.'
        >
          <textarea id="certifications" name="certifications" rows="4" safe>
            {values.certifications ?? ""}
          </textarea>
        </Field>
        <button type="submit">Save</button>
      </form>
    </Page>
  );
}
