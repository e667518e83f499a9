// The API's reference page, rendered on the server from the OpenAPI document (which is generated
// from the route schemas): no JavaScript, nothing from a CDN, and it cannot drift from the API.

/** The parts of a JSON schema (as OpenAPI 3.1 carries it) this page reads. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  default?: unknown;
}

export interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

export interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { description?: string; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string; description?: string }> };
}

const METHODS = ["get", "post", "put", "patch", "delete"];

/** "string (uuid)", "one of low, normal", "array of string", "integer or null". */
export function typeText(schema: JsonSchema | undefined): string {
  if (!schema) return "any";
  if (schema.enum) return `one of: ${schema.enum.map(String).join(", ")}`;
  if (schema.anyOf) {
    // Query numbers are also accepted as their text; the number is what matters to a reader.
    const parts = schema.anyOf.filter((s) => !(s.type === "string" && s.format === "integer"));
    return [...new Set(parts.map(typeText))].join(" or ");
  }
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type ?? "any"]).map((type) =>
    type === "array" ? `array of ${typeText(schema.items)}` : type,
  );
  const format = schema.format ? ` (${schema.format})` : "";
  return types.map((type, i) => (i === 0 ? type + format : type)).join(" or ");
}

/** Limits worth telling: lengths, ranges, defaults. */
function limitsText(schema: JsonSchema | undefined): string {
  if (!schema) return "";
  const inner = schema.anyOf?.find((s) => s.type !== "string" || s.format !== "integer") ?? schema;
  const s = { ...inner, ...schema };
  const notes: string[] = [];
  if (s.minLength !== undefined && s.maxLength !== undefined)
    notes.push(`${s.minLength}–${s.maxLength} characters`);
  else if (s.maxLength !== undefined) notes.push(`at most ${s.maxLength} characters`);
  if (s.minimum !== undefined && s.maximum !== undefined) notes.push(`${s.minimum}–${s.maximum}`);
  else if (s.minimum !== undefined) notes.push(`at least ${s.minimum}`);
  if (s.maxItems !== undefined) notes.push(`at most ${s.maxItems} items`);
  if (s.default !== undefined && s.default !== 0) notes.push(`default ${String(s.default)}`);
  return notes.join("; ");
}

interface FieldRow {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/** An object's fields, nested objects spelled out as "requester.email". */
function fieldRows(schema: JsonSchema | undefined, prefix = "", depth = 0): FieldRow[] {
  if (!schema?.properties) return [];
  const rows: FieldRow[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const full = prefix + name;
    rows.push({ name: full, schema: property, required: schema.required?.includes(name) ?? false });
    const object = property.properties ? property : property.anyOf?.find((s) => s.properties);
    if (object && depth < 2) rows.push(...fieldRows(object, `${full}.`, depth + 1));
    else if (property.items?.properties && depth < 2)
      rows.push(...fieldRows(property.items, `${full}[].`, depth + 1));
  }
  return rows;
}

function FieldTable({ rows, caption }: { rows: FieldRow[]; caption: string }) {
  return (
    <table>
      <caption class="sr" safe>
        {caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Type</th>
          <th scope="col">Required</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr>
            <td>
              <code safe>{row.name}</code>
            </td>
            <td safe>{typeText(row.schema)}</td>
            <td>{row.required ? "yes" : "no"}</td>
            <td>
              <span safe>{row.schema.description ?? ""}</span>{" "}
              <span class="muted" safe>
                {limitsText(row.schema)}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ParameterTable({ parameters }: { parameters: OpenApiParameter[] }) {
  return (
    <table>
      <caption class="sr">Parameters</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">In</th>
          <th scope="col">Type</th>
          <th scope="col">Required</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {parameters.map((p) => (
          <tr data-parameter={p.name}>
            <td>
              <code safe>{p.name}</code>
            </td>
            <td safe>{p.in}</td>
            <td safe>{typeText(p.schema)}</td>
            <td>{p.required ? "yes" : "no"}</td>
            <td>
              <span safe>{p.description ?? p.schema?.description ?? ""}</span>{" "}
              <span class="muted" safe>
                {limitsText(p.schema)}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Operation({ method, path, op }: { method: string; path: string; op: OpenApiOperation }) {
  const body = op.requestBody?.content?.["application/json"]?.schema;
  const responses = Object.entries(op.responses ?? {});
  return (
    <section
      class="card endpoint"
      id={op.operationId ?? `${method}-${path}`}
      data-endpoint={`${method} ${path}`}
    >
      <h2>
        <code>
          <span class="method" safe>
            {method.toUpperCase()}
          </span>{" "}
          <span safe>{path}</span>
        </code>
      </h2>
      <p>
        <strong safe>{op.summary ?? ""}</strong> <span safe>{op.description ?? ""}</span>
      </p>
      {op.parameters?.length ? (
        <>
          <h3>Parameters</h3>
          <ParameterTable parameters={op.parameters} />
        </>
      ) : (
        ""
      )}
      {body ? (
        <>
          <h3>Request body (JSON)</h3>
          <FieldTable rows={fieldRows(body)} caption="Request body fields" />
        </>
      ) : (
        ""
      )}
      <h3>Responses</h3>
      <dl class="responses">
        {responses.map(([status, response]) => {
          const schema = response.content?.["application/json"]?.schema;
          const success = status.startsWith("2");
          return (
            <>
              <dt data-status={status}>
                <code safe>{status}</code>
              </dt>
              <dd>
                <span safe>{response.description ?? ""}</span>
                {success && schema?.properties ? (
                  <details>
                    <summary>Fields</summary>
                    <FieldTable rows={fieldRows(schema)} caption={`Fields of the ${status} response`} />
                  </details>
                ) : (
                  ""
                )}
              </dd>
            </>
          );
        })}
      </dl>
    </section>
  );
}

export function ApiDocsPage({ document, tokensUrl }: { document: OpenApiDocument; tokensUrl: string }) {
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] })),
  );
  return (
    <>
      {"<!doctype html>"}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{document.info.title}</title>
          <link rel="stylesheet" href="/public/app.css" />
          <style>{`
            .endpoint h2 code { font-size: 1.1rem; }
            .method { font-weight: 700; }
            .responses dt { float: left; clear: left; width: 3.5rem; }
            .responses dd { margin: 0 0 .4rem 3.5rem; }
            pre { background: #f4f4f5; padding: .75rem; overflow-x: auto; }
          `}</style>
        </head>
        <body>
          <nav class="top" aria-label="Main">
            <a class="brand" href="/">
              Fieldesk
            </a>
            <a href="/api/openapi.json">OpenAPI document</a>
          </nav>
          <main class="wide">
            <h1 safe>{document.info.title}</h1>
            <p class="muted">
              Version <span safe>{document.info.version}</span> · OpenAPI <span safe>{document.openapi}</span>{" "}
              · machine-readable at <a href="/api/openapi.json">/api/openapi.json</a>
            </p>
            <p safe>{document.info.description ?? ""}</p>

            <section class="card" id="authentication">
              <h2>Authentication</h2>
              <p>
                An admin creates a token at{" "}
                <a href={tokensUrl} safe>
                  {tokensUrl}
                </a>{" "}
                and chooses its role; the secret is shown once. Send it with every request:
              </p>
              <pre>
                <code>Authorization: Bearer fd_…</code>
              </pre>
              <p>
                A token acts for its organization only, with its role's permissions: agents, supervisors and
                admins may read and change tickets, dispatchers may read them. A missing, wrong or revoked
                token gets <code>401</code>; an action the role may not take gets <code>403</code>.
              </p>
            </section>

            <section class="card" id="errors">
              <h2>Errors</h2>
              <p>Every error has the same JSON shape:</p>
              <pre>
                <code>{`{
  "statusCode": 422,
  "error": "Unprocessable Entity",
  "message": "Please correct the marked fields.",
  "fields": { "subject": "This field must not be empty." },
  "path": "/api/v1/tickets",
  "timestamp": "2026-01-01T09:00:00.000Z"
}`}</code>
              </pre>
              <p>
                <code>fields</code> is present for invalid input and names each problem. Tickets of other
                organizations answer <code>404</code>, as if they did not exist.
              </p>
            </section>

            <nav aria-label="Endpoints">
              <h2>Endpoints</h2>
              <ul>
                {operations.map(({ method, path, op }) => (
                  <li>
                    <a href={`#${op.operationId ?? `${method}-${path}`}`}>
                      <code safe>{`${method.toUpperCase()} ${path}`}</code>
                    </a>{" "}
                    <span safe>{op.summary ?? ""}</span>
                  </li>
                ))}
              </ul>
            </nav>

            {operations.map(({ method, path, op }) => (
              <Operation method={method} path={path} op={op} />
            ))}
          </main>
        </body>
      </html>
    </>
  );
}
