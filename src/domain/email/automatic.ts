// Mail that no person wrote: out-of-office replies, list mail and delivery failure reports. It
// never opens a ticket and is never answered, which is what keeps two systems from mailing each
// other for ever.
import type { ParsedMail } from "mailparser";

/** "bounce", the reason an automatic message is automatic, or null for mail a person wrote. */
export function classifyAutomatic(parsed: ParsedMail, from: string): "bounce" | string | null {
  if (isBounce(parsed, from)) return "bounce";
  const header = (name: string) => {
    const value = parsed.headers.get(name);
    if (value === undefined) return undefined;
    return (typeof value === "string" ? value : JSON.stringify(value)).trim().toLowerCase();
  };
  const submitted = header("auto-submitted");
  if (submitted && submitted !== "no") return `Auto-Submitted: ${submitted}`;
  if (header("x-autoreply") !== undefined) return "X-Autoreply";
  if (header("x-autorespond") !== undefined) return "X-Autorespond";
  const precedence = header("precedence");
  if (precedence && ["bulk", "auto_reply", "junk", "list"].includes(precedence))
    return `Precedence: ${precedence}`;
  return null;
}

function isBounce(parsed: ParsedMail, from: string): boolean {
  const type = parsed.headers.get("content-type") as
    | { value?: string; params?: Record<string, string> }
    | undefined;
  if (type?.value === "multipart/report" && type.params?.["report-type"]?.toLowerCase() === "delivery-status")
    return true;
  const local = from.split("@")[0];
  return (local === "mailer-daemon" || local === "postmaster") && parsed.headers.has("x-failed-recipients");
}

/** The addresses a delivery failure report says could not be reached. */
export function failedRecipients(parsed: ParsedMail): string[] {
  const found = new Set<string>();
  const header = parsed.headers.get("x-failed-recipients");
  if (typeof header === "string") for (const a of header.split(",")) found.add(a.trim().toLowerCase());
  // The machine-readable part is an attachment, or folded into the text by the parser.
  const reports = parsed.attachments
    .filter((part) => part.contentType === "message/delivery-status")
    .map((part) => part.content.toString("utf8"));
  for (const text of [...reports, parsed.text ?? ""]) {
    // Per recipient block: the address and whether its Action was "failed".
    for (const block of text.split(/\r?\n\r?\n/)) {
      const recipient = /^Final-Recipient:\s*[^;]+;\s*(\S+)/im.exec(block)?.[1];
      const action = /^Action:\s*(\S+)/im.exec(block)?.[1]?.toLowerCase();
      if (recipient && (action === undefined || action === "failed"))
        found.add(recipient.replace(/[<>]/g, "").toLowerCase());
    }
  }
  return [...found].filter((a) => a.includes("@"));
}
