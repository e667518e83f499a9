// A ticket's category and filled-in fields as a short list, for the customer's ticket page: fields
// meant for agents only are left out.
import { type Catalog, categoryPath, fieldsOf, formatValue } from "../../domain/fields/values";

export function ClassificationSummary({
  catalog,
  ticket,
}: {
  catalog: Catalog;
  ticket: { categoryId: string | null; subcategoryId: string | null; customFields: Record<string, unknown> };
}) {
  const path = categoryPath(catalog, ticket.subcategoryId ?? ticket.categoryId);
  if (!path) return "";
  const shown = fieldsOf(catalog, ticket.categoryId, ticket.subcategoryId).filter(
    (f) => !f.agentsOnly && ticket.customFields[f.key] !== undefined,
  );
  return (
    <dl class="classification-summary">
      <dt>Category</dt>
      <dd safe>{path}</dd>
      {shown.map((f) => (
        <>
          <dt safe>{f.label}</dt>
          <dd safe>{formatValue(ticket.customFields[f.key])}</dd>
        </>
      ))}
    </dl>
  );
}
