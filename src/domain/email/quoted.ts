// Replies by email repeat the whole conversation below the new text. The thread shows the new
// text and folds the rest away; the message keeps every word, and the original stays downloadable.

const QUOTE_HEADERS = [
  /^On .{1,200}wrote:\s*$/i, // Gmail, Apple Mail, Thunderbird
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i, // Outlook
  /^_{20,}\s*$/, // Outlook on the web
  /^From:\s.+$/i, // a forwarded or quoted header block
];

export function splitQuoted(body: string): { visible: string; quoted: string } {
  const lines = body.split("\n");
  let cut = lines.findIndex((line, i) => {
    const text = line.trim();
    if (text.startsWith("From:")) return /^(Sent|Date):/i.test(lines[i + 1]?.trim() ?? "");
    // "On Mon, 2 Mar 2026 at 10:00, Pat <pat@x>\nwrote:" is split over two lines by some clients.
    if (/^On .{1,200}$/i.test(text) && /^wrote:\s*$/i.test(lines[i + 1]?.trim() ?? "")) return true;
    return QUOTE_HEADERS.some((pattern) => pattern.test(text));
  });
  if (cut === -1) {
    // A trailing block of "> " lines.
    let start = lines.length;
    while (start > 0 && (lines[start - 1].startsWith(">") || !lines[start - 1].trim())) start--;
    cut = lines.slice(start).some((l) => l.startsWith(">")) ? start : -1;
  }
  if (cut <= 0) return { visible: body, quoted: "" };
  const visible = lines.slice(0, cut).join("\n").trimEnd();
  if (!visible.trim()) return { visible: body, quoted: "" };
  return { visible, quoted: lines.slice(cut).join("\n").trim() };
}
