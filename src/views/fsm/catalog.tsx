// The service catalog page: services and parts in two tables, each with a form that adds one or,
// opened from a row, changes it.
import type { FieldErrors } from "../../domain/errors";
import { moneyText, type PartRow, type ServiceRow } from "../../domain/fsm/catalog";
import { formatMoney, formatPercent } from "../../domain/fsm/money";
import { CsrfField, ErrorSummary, Field, Notice } from "../form";
import { Page, type Viewer } from "../layout";

export interface CatalogForm {
  kind: "service" | "part";
  id: string | null;
  values: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}

function input(
  form: CatalogForm | undefined,
  kind: CatalogForm["kind"],
  name: string,
  label: string,
  hint?: string,
) {
  const mine = form?.kind === kind ? form : undefined;
  const id = `${kind}-${name}`;
  return (
    <Field label={label} name={id} error={mine?.fields?.[name]} hint={hint}>
      <input
        id={id}
        name={name}
        maxlength="120"
        value={mine?.values[name] ?? ""}
        aria-invalid={mine?.fields?.[name] ? "true" : undefined}
      />
    </Field>
  );
}

export function CatalogPage({
  csrf,
  viewer,
  services,
  parts,
  currency,
  canManage,
  form,
  notice,
}: {
  csrf: string;
  viewer: Viewer;
  services: ServiceRow[];
  parts: PartRow[];
  currency: string;
  canManage: boolean;
  form?: CatalogForm;
  notice?: string;
}) {
  const serviceForm = form?.kind === "service" ? form : undefined;
  const partForm = form?.kind === "part" ? form : undefined;
  return (
    <Page title="Service catalog" csrf={csrf} viewer={viewer}>
      <h1>Service catalog</h1>
      <Notice message={notice} />
      <section class="card">
        <h2>Services</h2>
        <table class="catalog-services">
          <thead>
            <tr>
              <th>Service</th>
              <th>Takes</th>
              <th>Price</th>
              <th>Tax</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {services.map((s) => (
              <tr data-service={s.id}>
                <td safe>{s.name}</td>
                <td safe>{`${s.durationMinutes} min`}</td>
                <td safe>{formatMoney(s.priceMinor, s.currency)}</td>
                <td safe>{formatPercent(s.taxBasisPoints)}</td>
                <td>{canManage ? <a href={`/fsm/catalog?service=${s.id}#service-form`}>Change</a> : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {canManage ? (
          <form
            method="post"
            action={serviceForm?.id ? `/fsm/catalog/services/${serviceForm.id}` : "/fsm/catalog/services"}
            id="service-form"
            class="narrow"
          >
            <h3>{serviceForm?.id ? "Change the service" : "Add a service"}</h3>
            <ErrorSummary message={serviceForm?.message} />
            <CsrfField token={csrf} />
            {input(form, "service", "name", "Name")}
            {input(form, "service", "minutes", "Minutes it takes")}
            {input(form, "service", "price", `Price (${currency})`)}
            {input(form, "service", "tax", "Tax %")}
            <button type="submit">Save</button>
          </form>
        ) : (
          ""
        )}
      </section>
      <section class="card">
        <h2>Parts</h2>
        <table class="catalog-parts">
          <thead>
            <tr>
              <th>SKU</th>
              <th>Part</th>
              <th>Cost</th>
              <th>Price</th>
              <th>Tax</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {parts.map((p) => (
              <tr data-part={p.id}>
                <td>
                  <code safe>{p.sku}</code>
                </td>
                <td safe>{p.name}</td>
                <td safe>{formatMoney(p.costMinor, p.currency)}</td>
                <td safe>{formatMoney(p.priceMinor, p.currency)}</td>
                <td safe>{formatPercent(p.taxBasisPoints)}</td>
                <td>{canManage ? <a href={`/fsm/catalog?part=${p.id}#part-form`}>Change</a> : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {canManage ? (
          <form
            method="post"
            action={partForm?.id ? `/fsm/catalog/parts/${partForm.id}` : "/fsm/catalog/parts"}
            id="part-form"
            class="narrow"
          >
            <h3>{partForm?.id ? "Change the part" : "Add a part"}</h3>
            <ErrorSummary message={partForm?.message} />
            <CsrfField token={csrf} />
            {input(form, "part", "sku", "SKU")}
            {input(form, "part", "name", "Name")}
            {input(form, "part", "cost", `Cost (${currency})`)}
            {input(form, "part", "price", `Price (${currency})`)}
            {input(form, "part", "tax", "Tax %")}
            <button type="submit">Save</button>
          </form>
        ) : (
          ""
        )}
      </section>
    </Page>
  );
}

/** A catalog row as the form shows it. */
export function serviceValues(s: ServiceRow): Record<string, string> {
  return {
    name: s.name,
    minutes: String(s.durationMinutes),
    price: moneyText(s.priceMinor, s.currency),
    tax: String(s.taxBasisPoints / 100),
  };
}

export function partValues(p: PartRow): Record<string, string> {
  return {
    sku: p.sku,
    name: p.name,
    cost: moneyText(p.costMinor, p.currency),
    price: moneyText(p.priceMinor, p.currency),
    tax: String(p.taxBasisPoints / 100),
  };
}
