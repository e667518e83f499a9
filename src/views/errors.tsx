import { Page } from "./layout";

/** A plain error page; it carries no user data, so it needs no session. */
export function errorPage(
  set: { status?: number | string; headers: Record<string, string | number> },
  status: number,
  title: string,
  message: string,
) {
  set.status = status;
  set.headers["content-type"] = "text/html; charset=utf-8";
  return (
    <Page title={title} csrf="">
      <section class="narrow card">
        <h1 safe>{title}</h1>
        <p safe>{message}</p>
        <p class="muted" safe>
          Error {String(status)}
        </p>
        <p>
          <a href="/">Go to the start page</a>
        </p>
      </section>
    </Page>
  );
}
