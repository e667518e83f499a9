// Images and attachments of knowledge-base articles. An image is decoded, turned upright, scaled to
// at most 1600 px and re-encoded (which drops its metadata: camera, place) before it is stored;
// anything else is kept as uploaded and offered as a download. Readers get a file only when they
// may read its article.
import { and, asc, eq } from "drizzle-orm";
import sharp from "sharp";
import { type ArticleFileKind, kbArticleFiles, kbArticles } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { PHOTO_MAX_EDGE } from "../fsm/photos";
import { isUuid } from "../tickets/rules";
import { type Reader, readableBy } from "./help";

/** Images are recognised by their bytes, not their name; these are the ones a browser shows. */
const IMAGE_FORMATS = new Set(["jpeg", "png", "webp", "gif"]);
const MAX_INPUT_PIXELS = 60_000_000;
const MAX_FILES_PER_ARTICLE = 50;

export type ArticleFileRow = typeof kbArticleFiles.$inferSelect;

async function articleFor(db: DbOrTx, ctx: Ctx, articleId: string) {
  if (!isUuid(articleId)) throw notFound("That article");
  const [article] = await db
    .select({ id: kbArticles.id })
    .from(kbArticles)
    .where(and(eq(kbArticles.orgId, ctx.actor.orgId), eq(kbArticles.id, articleId)));
  if (!article) throw notFound("That article");
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
  const kind: ArticleFileKind = image ? "image" : "attachment";
  const stored = await ctx.files.save(
    image
      ? new File([new Uint8Array(image.data)], file.name, { type: image.contentType })
      : new File([bytes], file.name, { type: file.type || "application/octet-stream" }),
  );
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(kbArticleFiles)
      .values({
        orgId: ctx.actor.orgId,
        articleId: article.id,
        kind,
        filename: stored.filename,
        contentType: image ? image.contentType : stored.contentType,
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
