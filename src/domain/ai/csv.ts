// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. Used to import ticket
// history (and by the evaluation bench) — a naive split(",") would cut quoted text apart.

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Rows as objects keyed by the header line; rows of the wrong width are rejected, not guessed at. */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""));
  if (!header) return [];
  return rows
    .filter((row) => !(row.length === 1 && row[0] === ""))
    .map((row, n) => {
      if (row.length !== header.length)
        throw new Error(`CSV row ${n + 2} has ${row.length} fields, the header has ${header.length}`);
      return Object.fromEntries(header.map((name, i) => [name, row[i]]));
    });
}
