import { TICKET_PRIORITIES, TICKET_TYPES } from "../../../db/schema";
import type { FieldErrors } from "../../domain/errors";
import type { Catalog } from "../../domain/fields/values";
import { ClassificationFields, fieldValuesFromValues } from "../fields/form";
import { AttachmentsField, BodyField, CsrfField, ErrorSummary, Field, Select } from "../form";
import { humanize, priorityLabel } from "../format";
import { Page, type Viewer } from "../layout";

export function NewTicketPage({
  csrf,
  viewer,
  choices,
  values = {},
  fields = {},
  message,
  catalog,
  fieldValues,
}: {
  csrf: string;
  viewer: Viewer;
  choices: { agents: { id: string; name: string }[]; teams: { id: string; name: string }[] };
  catalog: Catalog;
  /** Custom field values as sent (lists for multi-selects); defaults to those in `values`. */
  fieldValues?: Record<string, unknown>;
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}) {
  return (
    <Page title="New ticket" csrf={csrf} viewer={viewer} scripts>
      <section class="card wide">
        <h1>New ticket</h1>
        <ErrorSummary message={message} />
        <form method="post" action="/desk/tickets" enctype="multipart/form-data">
          <CsrfField token={csrf} />
          <div class="row">
            <Field
              label="Requester email"
              name="requesterEmail"
              error={fields.requesterEmail ?? fields.contactId}
            >
              <input
                id="requesterEmail"
                name="requesterEmail"
                type="email"
                required
                value={values.requesterEmail ?? ""}
              />
            </Field>
            <Field label="Requester name" name="requesterName" error={fields.requesterName}>
              <input id="requesterName" name="requesterName" value={values.requesterName ?? ""} />
            </Field>
          </div>
          <Field label="Subject" name="subject" error={fields.subject}>
            <input id="subject" name="subject" required maxlength="250" value={values.subject ?? ""} />
          </Field>
          <BodyField label="Description" rows={8} value={values.body} error={fields.body} />
          <ClassificationFields
            catalog={catalog}
            audience="staff"
            values={{ category: values.category ?? "", fields: fieldValues ?? fieldValuesFromValues(values) }}
            errors={fields}
            refreshUrl="/desk/fields/form"
          />
          <div class="row">
            <Field label="Priority" name="priority" error={fields.priority}>
              <Select
                name="priority"
                value={values.priority ?? "normal"}
                options={TICKET_PRIORITIES.map((p) => ({ value: p, label: priorityLabel(p) }))}
              />
            </Field>
            <Field label="Type" name="type" error={fields.type}>
              <Select
                name="type"
                value={values.type ?? "question"}
                options={TICKET_TYPES.map((p) => ({ value: p, label: humanize(p) }))}
              />
            </Field>
            <Field label="Assignee" name="assigneeId" error={fields.assigneeId}>
              <Select
                name="assigneeId"
                value={values.assigneeId}
                blank="Unassigned"
                options={choices.agents.map((a) => ({ value: a.id, label: a.name }))}
              />
            </Field>
            <Field label="Team" name="teamId" error={fields.teamId}>
              <Select
                name="teamId"
                value={values.teamId}
                blank="No team"
                options={choices.teams.map((a) => ({ value: a.id, label: a.name }))}
              />
            </Field>
          </div>
          <Field label="Tags" name="tags" error={fields.tags} hint="Separate with commas.">
            <input id="tags" name="tags" value={values.tags ?? ""} />
          </Field>
          <AttachmentsField error={fields.attachments} />
          <button type="submit">Create ticket</button>
        </form>
      </section>
    </Page>
  );
}
