// An article's images and attachments on the desk: upload, the HTML to paste into the article for
// an image, and removal. Attachments are listed under the article in the help center by themselves.
import type { FieldErrors } from "../../domain/errors";
import type { ArticleFileRow } from "../../domain/kb/files";
import { CsrfField, ErrorSummary, Field, Notice } from "../form";
import { Page, type Viewer } from "../layout";

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** What to paste into the article's HTML to show the image. */
export function imageSnippet(file: ArticleFileRow): string {
  const alt = file.filename.replace(/\.[^.]+$/, "").replace(/[-_]+/g, " ");
  return `<img src="/help/files/${file.id}" alt="${alt.replace(/"/g, "")}" width="${file.width}" height="${file.height}">`;
}

export function ArticleFilesPage({
  csrf,
  viewer,
  articleId,
  files,
  notice,
  failed,
}: {
  csrf: string;
  viewer: Viewer;
  articleId: string;
  files: ArticleFileRow[];
  notice?: string;
  failed?: { message: string; fields: FieldErrors };
}) {
  return (
    <Page title="Images and attachments" csrf={csrf} viewer={viewer}>
      <p>
        <a href={`/desk/kb/${articleId}`}>← Article</a>
      </p>
      <h1>Images and attachments</h1>
      <Notice message={notice} />
      <section class="card narrow">
        {failed ? <ErrorSummary message={failed.message} /> : ""}
        <form method="post" action={`/desk/kb/${articleId}/files`} enctype="multipart/form-data">
          <CsrfField token={csrf} />
          <Field
            label="Image or file"
            name="file"
            error={failed?.fields.file}
            hint="Images (JPEG, PNG, WebP, GIF) are scaled to 1600 px and their metadata removed; other files are offered as downloads under the article."
          >
            <input id="file" name="file" type="file" required />
          </Field>
          <button type="submit">Upload</button>
        </form>
      </section>
      {files.length === 0 ? <p class="empty">No images or attachments yet.</p> : ""}
      <ul class="article-files">
        {files.map((f) => (
          <li data-file={f.id} data-kind={f.kind}>
            {f.kind === "image" ? (
              <img src={`/desk/kb/files/${f.id}`} alt="" width="120" loading="lazy" />
            ) : (
              ""
            )}{" "}
            <a href={`/desk/kb/files/${f.id}`} safe>
              {f.filename}
            </a>{" "}
            <span class="muted" safe>
              {`${f.kind === "image" ? `${f.width}×${f.height}, ` : "attachment, "}${fileSize(f.sizeBytes)}`}
            </span>
            {f.kind === "image" ? (
              <input
                type="text"
                readonly
                value={imageSnippet(f)}
                aria-label="HTML to paste into the article"
              />
            ) : (
              ""
            )}
            <form method="post" action={`/desk/kb/${articleId}/files/${f.id}/delete`} class="inline">
              <CsrfField token={csrf} />
              <button type="submit" class="secondary">
                Remove
              </button>
            </form>
          </li>
        ))}
      </ul>
    </Page>
  );
}
