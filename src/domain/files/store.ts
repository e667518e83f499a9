// Content-addressed file storage: bytes under <dir>/<sha[0..2]>/<sha>, metadata in Postgres.
// The same file uploaded twice is stored once; writes go to a temp name first, so a crash never
// leaves a half-written file under a final name.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { type FieldErrors, invalid, tooLarge } from "../errors";

export interface StoredFile {
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

export const MAX_FILES_PER_MESSAGE = 10;

export class FileStore {
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("not a sha256");
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Checks the uploads before anything is written; throws a field error naming the file. */
  check(files: File[], field = "attachments"): void {
    const fields: FieldErrors = {};
    if (files.length > MAX_FILES_PER_MESSAGE)
      fields[field] = `Attach at most ${MAX_FILES_PER_MESSAGE} files.`;
    const big = files.find((f) => f.size > this.maxBytes);
    if (big) {
      throw tooLarge(`"${big.name}" is larger than the ${Math.round(this.maxBytes / 1048576)} MB limit.`, {
        [field]: `"${cleanFilename(big.name)}" is larger than the ${Math.round(this.maxBytes / 1048576)} MB limit.`,
      });
    }
    if (files.some((f) => f.size === 0)) fields[field] = "One of the files is empty.";
    if (Object.keys(fields).length) throw invalid(fields);
  }

  async save(file: File): Promise<StoredFile> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const path = this.pathOf(sha256);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
      const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
      await Bun.write(temp, bytes);
      await rename(temp, path);
    }
    return {
      filename: cleanFilename(file.name),
      contentType: cleanContentType(file.type),
      sizeBytes: bytes.length,
      sha256,
    };
  }

  file(sha256: string) {
    return Bun.file(this.pathOf(sha256));
  }
}

export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, "_")
    .trim()
    .slice(0, 200);
  return cleaned && cleaned !== "." && cleaned !== ".." ? cleaned : "file";
}

function cleanContentType(type: string): string {
  return /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type.toLowerCase() : "application/octet-stream";
}

/** Types a browser may show inline; everything else (HTML, SVG, scripts, executables) is a download. */
const INLINE_TYPES = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "text/plain",
]);
export const servesInline = (contentType: string) => INLINE_TYPES.has(contentType);
