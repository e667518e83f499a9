import type { FieldErrors } from "../domain/errors";

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** The message above a form that failed, linking nothing but saying what to do. */
export function ErrorSummary({ message, fields }: { message?: string; fields?: FieldErrors }) {
  if (!message && !fields) return "";
  return (
    <div class="alert error" role="alert">
      <p safe>{message ?? "Please correct the marked fields."}</p>
    </div>
  );
}

export function Notice({ message }: { message?: string }) {
  if (!message) return "";
  return (
    <div class="alert ok" role="status" safe>
      {message}
    </div>
  );
}

/** A labelled field with its error next to it; the control itself is the child. */
export function Field({
  label,
  name,
  error,
  hint,
  children,
}: {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  children: JSX.Element;
}) {
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={name} safe>
        {label}
      </label>
      {children}
      {hint ? (
        <small class="hint" safe>
          {hint}
        </small>
      ) : (
        ""
      )}
      {error ? (
        <small class="field-error" id={`${name}-error`} safe>
          {error}
        </small>
      ) : (
        ""
      )}
    </div>
  );
}

export function Select({
  name,
  id = name,
  value,
  options,
  blank,
  invalid,
}: {
  name: string;
  /** Defaults to the name; set it when two forms on one page share a field name. */
  id?: string;
  value: string | null | undefined;
  options: { value: string; label: string }[];
  blank?: string;
  invalid?: boolean;
}) {
  return (
    <select id={id} name={name} aria-invalid={invalid ? "true" : undefined}>
      {blank !== undefined ? (
        <option value="" safe>
          {blank}
        </option>
      ) : (
        ""
      )}
      {options.map((o) => (
        <option value={o.value} selected={o.value === (value ?? "")} safe>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** The text of a ticket or message; what was typed comes back when the form is shown again. */
export function BodyField({
  label,
  rows,
  value,
  error,
}: {
  label: string;
  rows: number;
  value?: string;
  error?: string;
}) {
  return (
    <Field label={label} name="body" error={error}>
      <textarea id="body" name="body" rows={String(rows)} required safe>
        {value ?? ""}
      </textarea>
    </Field>
  );
}

/** The file picker of a ticket or message form (the form must be multipart). */
export function AttachmentsField({ label = "Attachments", error }: { label?: string; error?: string }) {
  return (
    <Field label={label} name="files" error={error}>
      <input id="files" type="file" name="files" multiple />
    </Field>
  );
}

/**
 * A list's filter form that works without JavaScript: a search box, a status choice, any other
 * choices the list has (as children), and the button.
 */
export function SearchFilters({
  action,
  placeholder,
  q,
  status,
  statusOptions,
  children,
}: {
  action: string;
  placeholder: string;
  q: string | undefined;
  status: string | undefined;
  statusOptions: { value: string; label: string }[];
  children?: unknown;
}) {
  return (
    <form class="filters" method="get" action={action}>
      <label class="sr" for="q">
        Search
      </label>
      <input id="q" type="search" name="q" placeholder={placeholder} value={q ?? ""} />
      <label class="sr" for="status">
        Status
      </label>
      <Select name="status" value={status} blank="Any status" options={statusOptions} />
      {children as "safe"}
      <button type="submit">Filter</button>
    </form>
  );
}
