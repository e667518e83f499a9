// Images and attachments of knowledge-base articles. An image is decoded, turned upright, scaled to
// at most 1600 px and re-encoded (which drops its metadata: camera, place) before it is stored;
// anything else is kept as uploaded and offered as a download. Readers get a file only when they
// may read its article.
import { and, asc, eq } from "drizzle-orm";
import sharp from "sharp";
import { type ArticleFileKind, kbArticleFiles, kbArticles } from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import { forbidden, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { PHOTO_MAX_EDGE } from "../fsm/photos";
import { isUuid } from "../tickets/rules";
import { type Reader, readableBy } from "./help";

/** Images are recognised by their bytes, not their name; these are the ones a browser shows. */
const IMAGE_FORMATS = new Set(["jpeg", "png", "webp", "gif"]);
const MAX_INPUT_PIXELS = 60_000_000;
const MAX_FILES_PER_ARTICLE = 50;

export type ArticleFileRow = typeof kbArticleFiles.$inferSelect;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d];
/**
 * What a help center offers as a download, by extension: the content type it is served as and the
 * first bytes a real file of that kind starts with (none for plain text, which has no signature).
 * Office documents are zip (OOXML, OpenDocument) or OLE2 (the older binary formats) containers.
 */
const ATTACHMENT_TYPES: Record<string, { contentType: string; magic?: number[] }> = {
  pdf: { contentType: "application/pdf", magic: PDF },
  zip: { contentType: "application/zip", magic: ZIP },
  docx: {
    contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    magic: ZIP,
  },
  xlsx: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", magic: ZIP },
  pptx: {
    contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    magic: ZIP,
  },
  odt: { contentType: "application/vnd.oasis.opendocument.text", magic: ZIP },
  ods: { contentType: "application/vnd.oasis.opendocument.spreadsheet", magic: ZIP },
  odp: { contentType: "application/vnd.oasis.opendocument.presentation", magic: ZIP },
  doc: { contentType: "application/msword", magic: OLE2 },
  xls: { contentType: "application/vnd.ms-excel", magic: OLE2 },
  ppt: { contentType: "application/vnd.ms-powerpoint", magic: OLE2 },
  txt: { contentType: "text/plain; charset=utf-8" },
  csv: { contentType: "text/csv; charset=utf-8" },
};
const NOT_OFFERED =
  "Upload an image (JPEG, PNG, WebP, GIF), a PDF, an office document, a text or CSV file, or a zip archive.";

function startsWith(bytes: Uint8Array, magic: number[]) {
  return magic.every((b, i) => bytes[i] === b);
}

/**
 * The content type a non-image upload is served as, when it is one a help center offers: its
 * extension names the kind and its first bytes must match that kind (plain text must hold no NUL
 * byte), so a renamed program is refused. Undefined otherwise.
 */
export function attachmentType(filename: string, bytes: Uint8Array): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? "";
  const type = Object.hasOwn(ATTACHMENT_TYPES, extension) ? ATTACHMENT_TYPES[extension] : undefined;
  if (!type) return undefined;
  const matches = type.magic ? startsWith(bytes, type.magic) : !bytes.includes(0);
  return matches ? type.contentType : undefined;
}

async function articleFor(db: DbOrTx, ctx: Ctx, articleId: string) {
  if (!isUuid(articleId)) throw notFound("That article");
  const [article] = await db
    .select({ id: kbArticles.id })
    .from(kbArticles)
    .where(and(eq(kbArticles.orgId, ctx.actor.orgId), eq(kbArticles.id, articleId)));
  if (!article) throw notFound("That article");
  return article;
}

/**
 * Locks the article for a change of its files. A published article's files are part of what
 * customers read, so, like its text, only publishers change them.
 */
async function lockArticleForFiles(tx: DbOrTx, ctx: Ctx, articleId: string) {
  const [article] = await tx
    .select({ id: kbArticles.id, status: kbArticles.status })
    .from(kbArticles)
    .where(and(eq(kbArticles.orgId, ctx.actor.orgId), eq(kbArticles.id, articleId)))
    .for("update");
  if (!article) throw notFound("That article");
  if (article.status === "published" && !can(ctx.actor, "kb.publish"))
    throw forbidden("A published article is edited by a supervisor or an admin.");
  return article;
}

/** A web image re-encoded in its own format (PNG keeps screenshots sharp), else undefined. */
async function asImage(bytes: Uint8Array) {
  let format: string | undefined;
  try {
    format = (await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    return undefined;
  }
  if (!format || !IMAGE_FORMATS.has(format)) return undefined;
  const pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, animated: format === "gif" })
    .rotate()
    .resize({ width: PHOTO_MAX_EDGE, height: PHOTO_MAX_EDGE, fit: "inside", withoutEnlargement: true });
  const encoded =
    format === "png"
      ? pipeline.png({ compressionLevel: 9 })
      : format === "gif"
        ? pipeline.gif()
        : format === "webp"
          ? pipeline.webp({ quality: 82 })
          : pipeline.jpeg({ quality: 82, mozjpeg: true });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, contentType: `image/${format}` };
}

export async function addArticleFile(
  ctx: Ctx,
  articleId: string,
  file: File | undefined,
): Promise<ArticleFileRow> {
  requirePermission(ctx.actor, "kb.write");
  if (!file || file.size === 0) throw invalid({ file: "Choose an image or a file to upload." });
  if (!ctx.files) throw new Error("file store missing from context");
  ctx.files.check([file], "file");
  const article = await articleFor(ctx.db, ctx, articleId);
  const existing = await listArticleFiles(ctx, article.id);
  if (existing.length >= MAX_FILES_PER_ARTICLE)
    throw invalid({ file: `An article holds at most ${MAX_FILES_PER_ARTICLE} files; remove one first.` });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const image = await asImage(bytes);
  const attachment = image ? undefined : attachmentType(file.name, bytes);
  if (!image && !attachment) throw invalid({ file: NOT_OFFERED });
  const kind: ArticleFileKind = image ? "image" : "attachment";
  const stored = await ctx.files.save(
    image
      ? new File([new Uint8Array(image.data)], file.name, { type: image.contentType })
      : new File([bytes], file.name, { type: attachment }),
  );
  return ctx.db.transaction(async (tx) => {
    await lockArticleForFiles(tx, ctx, article.id);
    const [row] = await tx
      .insert(kbArticleFiles)
      .values({
        orgId: ctx.actor.orgId,
        articleId: article.id,
        kind,
        filename: stored.filename,
        contentType: image ? image.contentType : (attachment ?? stored.contentType),
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        width: image?.width ?? null,
        height: image?.height ?? null,
        uploadedBy: ctx.actor.userId ?? null,
        createdAt: ctx.now,
      })
      .returning();
    await appendEvent(tx, ctx, {
      type: "kb.file_added",
      data: { articleId: article.id, fileId: row.id, kind, filename: row.filename },
    });
    return row;
  });
}

export async function listArticleFiles(ctx: Ctx, articleId: string): Promise<ArticleFileRow[]> {
  requirePermission(ctx.actor, "kb.write");
  const article = await articleFor(ctx.db, ctx, articleId);
  return ctx.db
    .select()
    .from(kbArticleFiles)
    .where(and(eq(kbArticleFiles.orgId, ctx.actor.orgId), eq(kbArticleFiles.articleId, article.id)))
    .orderBy(asc(kbArticleFiles.createdAt));
}

export async function deleteArticleFile(ctx: Ctx, articleId: string, fileId: string): Promise<void> {
  requirePermission(ctx.actor, "kb.write");
  const article = await articleFor(ctx.db, ctx, articleId);
  if (!isUuid(fileId)) throw notFound("That file");
  await ctx.db.transaction(async (tx) => {
    await lockArticleForFiles(tx, ctx, article.id);
    const removed = await tx
      .delete(kbArticleFiles)
      .where(
        and(
          eq(kbArticleFiles.orgId, ctx.actor.orgId),
          eq(kbArticleFiles.articleId, article.id),
          eq(kbArticleFiles.id, fileId),
        ),
      )
      .returning({ id: kbArticleFiles.id, filename: kbArticleFiles.filename });
    if (removed.length === 0) throw notFound("That file");
    await appendEvent(tx, ctx, {
      type: "kb.file_removed",
      data: { articleId: article.id, fileId, filename: removed[0].filename },
    });
  });
}

/** A file for staff who write articles. */
export async function staffArticleFile(ctx: Ctx, fileId: string): Promise<ArticleFileRow | undefined> {
  requirePermission(ctx.actor, "kb.write");
  if (!isUuid(fileId)) return undefined;
  const [row] = await ctx.db
    .select()
    .from(kbArticleFiles)
    .where(and(eq(kbArticleFiles.orgId, ctx.actor.orgId), eq(kbArticleFiles.id, fileId)));
  return row;
}

/** A file for a help-center reader: only of an article they may read. */
export async function readerArticleFile(
  db: DbOrTx,
  reader: Reader,
  fileId: string,
): Promise<ArticleFileRow | undefined> {
  if (!isUuid(fileId)) return undefined;
  const [row] = await db
    .select({ file: kbArticleFiles })
    .from(kbArticleFiles)
    .innerJoin(
      kbArticles,
      and(eq(kbArticles.orgId, kbArticleFiles.orgId), eq(kbArticles.id, kbArticleFiles.articleId)),
    )
    .where(and(readableBy(reader), eq(kbArticleFiles.id, fileId)));
  return row?.file;
}

/** The downloads offered under an article in the help center. */
export async function articleAttachments(db: DbOrTx, reader: Reader, articleId: string) {
  return db
    .select({ id: kbArticleFiles.id, filename: kbArticleFiles.filename, sizeBytes: kbArticleFiles.sizeBytes })
    .from(kbArticleFiles)
    .innerJoin(
      kbArticles,
      and(eq(kbArticles.orgId, kbArticleFiles.orgId), eq(kbArticles.id, kbArticleFiles.articleId)),
    )
    .where(
      and(readableBy(reader), eq(kbArticleFiles.articleId, articleId), eq(kbArticleFiles.kind, "attachment")),
    )
    .orderBy(asc(kbArticleFiles.filename));
}
