// Errors the domain raises; routes turn them into a status code and a message people can act on.

export type FieldErrors = Record<string, string>;

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError(404, "Not Found", `${what} was not found.`);
export const forbidden = (message = "You are not allowed to do that.") =>
  new DomainError(403, "Forbidden", message);
export const unauthorized = (message = "Please sign in.") => new DomainError(401, "Unauthorized", message);
export const conflict = (message: string, fields?: FieldErrors) =>
  new DomainError(409, "Conflict", message, fields);
export const invalid = (fields: FieldErrors, message = "Please correct the marked fields.") =>
  new DomainError(422, "Unprocessable Entity", message, fields);
export const tooMany = (message: string) => new DomainError(429, "Too Many Requests", message);
export const tooLarge = (message: string, fields?: FieldErrors) =>
  new DomainError(413, "Payload Too Large", message, fields);

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** A unique key refused the row: PGlite says so in `code`, Bun's Postgres client in `errno`, under Drizzle's wrapper. */
export function isUniqueViolation(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; errno?: unknown; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  )
    if (e.code === "23505" || e.errno === "23505") return true;
  return false;
}
