// Reads the text a PDF made by PDFKit shows, for tests that check what a report says.
import { inflateSync } from "node:zlib";

/** The text lines of a PDF: PDFKit compresses its content streams with zlib. */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString("latin1");
  let text = "";
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)(\r?)\nendstream/g)) {
    // A compressed stream may itself end in a carriage return byte, which looks like the "\r\n"
    // before endstream: try it without, then with that byte.
    const inflated = inflateOrNull(match[1]) ?? inflateOrNull(match[1] + match[2]);
    if (inflated) text += inflated; // else an image stream, not text
  }
  // Each line is a TJ array of hex strings with kerning numbers between them: join the strings.
  return [...text.matchAll(/\[([^\]]*)\] TJ/g)]
    .map((line) =>
      [...line[1].matchAll(/<([0-9a-f]*)>/gi)]
        .map((hex) => Buffer.from(hex[1], "hex").toString("latin1"))
        .join(""),
    )
    .join("\n");
}

function inflateOrNull(data: string): string | null {
  try {
    return inflateSync(Buffer.from(data, "latin1")).toString("latin1");
  } catch {
    return null;
  }
}
