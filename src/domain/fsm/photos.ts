// Photos a technician takes on a visit, from the phone's camera through a file input. Every upload
// is decoded and re-encoded with sharp: turned upright by its EXIF orientation, scaled to at most
// 1600 px, written as JPEG without EXIF (a phone's photo carries the GPS position of the customer's
// home), plus a 320 px thumbnail. At most two are processed at once, so a batch of 12-megapixel
// uploads keeps the server's memory bounded.
import { and, asc, eq, inArray } from "drizzle-orm";
import sharp from "sharp";
import { appointmentPhotos } from "../../../db/schema";
import { type Ctx, can } from "../context";
import { conflict, type FieldErrors, forbidden, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { isUuid } from "../tickets/rules";
import { findAppointment } from "./workOrders";

export const PHOTO_MAX_EDGE = 1600;
export const THUMB_EDGE = 320;
/** Larger images are refused before decoding (a 12 MP photo has 12 million). */
const MAX_INPUT_PIXELS = 60_000_000;
const CAPTION_MAX = 500;

// libvips keeps decoded images in a cache by default; uploads are seen once.
sharp.cache(false);

let active = 0;
const waiting: (() => void)[] = [];
const MAX_AT_ONCE = 2;

async function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  if (active >= MAX_AT_ONCE) await new Promise<void>((resume) => waiting.push(resume));
  active++;
  try {
    return await work();
  } finally {
    active--;
    waiting.shift()?.();
  }
}

export interface ProcessedPhoto {
  full: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

/** Decodes, turns upright, scales and re-encodes; throws a field error on `photo` for a non-image. */
export function processPhoto(bytes: Uint8Array): Promise<ProcessedPhoto> {
  return oneAtATime(async () => {
    try {
      const { data: full, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
        .rotate()
        .resize({ width: PHOTO_MAX_EDGE, height: PHOTO_MAX_EDGE, fit: "inside", withoutEnlargement: true })
        .jpeg({ quality: 80, mozjpeg: true })
        .toBuffer({ resolveWithObject: true });
      const thumb = await sharp(full)
        .resize({ width: THUMB_EDGE, height: THUMB_EDGE, fit: "inside", withoutEnlargement: true })
        .jpeg({ quality: 70 })
        .toBuffer();
      return { full, thumb, width: info.width, height: info.height };
    } catch {
      throw invalid({ photo: "This file is not a photo that can be read (JPEG, PNG, WebP, HEIC or GIF)." });
    }
  });
}

function mayAddPhotos(ctx: Ctx) {
  if (!can(ctx.actor, "fsm.field") && !can(ctx.actor, "fsm.manage")) throw forbidden();
}

/** A photo processed and kept in the file store, waiting for its row. */
export interface PreparedPhoto {
  sha256: string;
  thumbSha256: string;
  width: number;
  height: number;
  sizeBytes: number;
  caption: string | null;
}

/**
 * Checks an upload and processes it into the file store, before any transaction opens (decoding
 * takes a while). `field` names the form field its errors go to.
 */
export async function preparePhoto(
  ctx: Ctx,
  input: { file?: File; caption?: string },
  field = "photo",
): Promise<PreparedPhoto> {
  const fields: FieldErrors = {};
  const file = input.file;
  if (!file || file.size === 0) fields[field] = "Choose a photo, or take one with the camera.";
  const caption = (input.caption ?? "").trim();
  if (caption.length > CAPTION_MAX) fields.caption = `Keep the caption under ${CAPTION_MAX} characters.`;
  if (Object.keys(fields).length || !file) throw invalid(fields);
  if (!ctx.files) throw new Error("file store missing from context");
  const files = ctx.files;
  try {
    files.check([file], field);
    const photo = await processPhoto(new Uint8Array(await file.arrayBuffer()));
    const [full, thumb] = await Promise.all([
      files.save(new File([new Uint8Array(photo.full)], "photo.jpg", { type: "image/jpeg" })),
      files.save(new File([new Uint8Array(photo.thumb)], "thumb.jpg", { type: "image/jpeg" })),
    ]);
    return {
      sha256: full.sha256,
      thumbSha256: thumb.sha256,
      width: photo.width,
      height: photo.height,
      sizeBytes: full.sizeBytes,
      caption: caption || null,
    };
  } catch (error) {
    // processPhoto marks `photo`; the caller's form may call the field something else.
    const marked = (error as { fields?: FieldErrors }).fields;
    if (field !== "photo" && marked?.photo) throw invalid({ [field]: marked.photo });
    throw error;
  }
}

/** The visit's photo row and its event, inside the caller's transaction. */
export async function insertPhoto(
  tx: DbOrTx,
  ctx: Ctx,
  appointment: { id: string; workOrderId: string },
  photo: PreparedPhoto,
) {
  const [row] = await tx
    .insert(appointmentPhotos)
    .values({
      orgId: ctx.actor.orgId,
      appointmentId: appointment.id,
      ...photo,
      userId: ctx.actor.userId ?? null,
      createdAt: ctx.now,
    })
    .returning();
  await appendEvent(tx, ctx, {
    type: "appointment.photo_added",
    data: { appointmentId: appointment.id, workOrderId: appointment.workOrderId, photoId: row.id },
  });
  return row;
}

export function isVisitFinished(appointment: { status: string }) {
  return appointment.status === "completed" || appointment.status === "cannot_complete";
}

export async function addPhoto(ctx: Ctx, appointmentId: string, input: { file?: File; caption?: string }) {
  mayAddPhotos(ctx);
  const appointment = await findAppointment(ctx.db, ctx, appointmentId);
  if (isVisitFinished(appointment)) throw conflict("This visit is finished; photos can no longer be added.");
  const photo = await preparePhoto(ctx, input);
  return ctx.db.transaction((tx) => insertPhoto(tx, ctx, appointment, photo));
}

export type PhotoRow = typeof appointmentPhotos.$inferSelect;

export function photosOf(db: DbOrTx, orgId: string, appointmentId: string): Promise<PhotoRow[]> {
  return db
    .select()
    .from(appointmentPhotos)
    .where(and(eq(appointmentPhotos.orgId, orgId), eq(appointmentPhotos.appointmentId, appointmentId)))
    .orderBy(asc(appointmentPhotos.createdAt));
}

/** Photos of the organization by id (any of its visits). */
export function photosByIds(db: DbOrTx, orgId: string, ids: string[]): Promise<PhotoRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(appointmentPhotos)
    .where(and(eq(appointmentPhotos.orgId, orgId), inArray(appointmentPhotos.id, ids)));
}

/** The stored bytes' name of one photo (or its thumbnail) of a visit the actor may see. */
export async function photoFile(ctx: Ctx, appointmentId: string, photoId: string, size: "full" | "thumb") {
  const appointment = await findAppointment(ctx.db, ctx, appointmentId);
  if (!isUuid(photoId)) throw notFound("That photo");
  const [photo] = await ctx.db
    .select()
    .from(appointmentPhotos)
    .where(
      and(
        eq(appointmentPhotos.orgId, ctx.actor.orgId),
        eq(appointmentPhotos.appointmentId, appointment.id),
        eq(appointmentPhotos.id, photoId),
      ),
    );
  if (!photo) throw notFound("That photo");
  return size === "thumb" ? photo.thumbSha256 : photo.sha256;
}
