// The ticket page's "Category and fields" card: the category and custom fields, edited in their
// own form (so a required field left empty never blocks a status change), and the values of
// archived fields shown as they were kept.
import type { FieldErrors } from "../../domain/errors";
import { type Catalog, categoryPath, fieldsOf, formatValue } from "../../domain/fields/values";
import { formatTicketNumber } from "../../domain/orgs/counters";
import { CsrfField, ErrorSummary } from "../form";
import { ClassificationFields, type ClassificationValues, storedValues } from "./form";

export interface ClassificationPanelProps {
  csrf: string;
  catalog: Catalog;
  ticket: {
    number: number;
    status: string;
    categoryId: string | null;
    subcategoryId: string | null;
    customFields: Record<string, unknown>;
  };
  canWork: boolean;
  /** What was sent, when the form is shown again (after Continue or a problem). */
  sent?: { values: ClassificationValues; errors: FieldErrors; message?: string };
}

export function ClassificationPanel({ csrf, catalog, ticket, canWork, sent }: ClassificationPanelProps) {
  const number = formatTicketNumber(ticket.number);
  const kept = fieldsOf(catalog, ticket.categoryId, ticket.subcategoryId).filter(
    (f) => f.archived && ticket.customFields[f.key] !== undefined,
  );
  const path = categoryPath(catalog, ticket.subcategoryId ?? ticket.categoryId);
  if (!canWork || ticket.status === "closed") {
    const shown = fieldsOf(catalog, ticket.categoryId, ticket.subcategoryId).filter(
      (f) => ticket.customFields[f.key] !== undefined,
    );
    return (
      <section class="classification card" id="ticket-classification">
        <h2>Category</h2>
        <p safe>{path || "No category"}</p>
        <dl>
          {shown.map((f) => (
            <>
              <dt safe>{f.label}</dt>
              <dd safe>{formatValue(ticket.customFields[f.key])}</dd>
            </>
          ))}
        </dl>
      </section>
    );
  }
  return (
    <form
      class="classification card"
      id="ticket-classification"
      method="post"
      action={`/desk/tickets/${number}/fields`}
    >
      <h2>Category and fields</h2>
      {sent?.message ? <ErrorSummary message={sent.message} /> : ""}
      <CsrfField token={csrf} />
      <ClassificationFields
        catalog={catalog}
        audience="staff"
        values={sent?.values ?? storedValues(ticket)}
        errors={sent?.errors}
        refreshUrl="/desk/fields/form"
      />
      {kept.length ? (
        <dl class="archived-values">
          {kept.map((f) => (
            <>
              <dt safe>{`${f.label} (archived)`}</dt>
              <dd safe>{formatValue(ticket.customFields[f.key])}</dd>
            </>
          ))}
        </dl>
      ) : (
        ""
      )}
      <button type="submit">Save category and fields</button>
    </form>
  );
}
