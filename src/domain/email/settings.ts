// What admins shape about mail: the organization's mailboxes (addresses, outgoing server, IMAP
// folder) and the wording of each kind of mail. Secrets in server addresses are never shown back:
// forms see "****" in place of a password, and saving "****" keeps the stored one.
import { and, asc, eq, ne } from "drizzle-orm";
import { emailTemplates, mailboxes } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { isEmail } from "../tickets/people";
import { isUuid } from "../tickets/rules";
import { parseImapUrl } from "./imap";
import { render, TEMPLATE_KINDS, type TemplateText, templateKind } from "./templates";

const HIDDEN = "****";

/** The address with its password replaced by ****, for showing and editing. */
export function maskSecret(url: string | null): string {
  if (!url) return "";
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = HIDDEN;
    return parsed.toString();
  } catch {
    return HIDDEN;
  }
}

/** A submitted address that still says **** keeps the password stored before. */
function keepSecret(submitted: string, stored: string | null): string {
  if (!submitted.includes(`:${HIDDEN}@`) || !stored) return submitted;
  try {
    const before = new URL(stored);
    const after = new URL(submitted);
    after.password = before.password;
    return after.toString();
  } catch {
    return submitted;
  }
}

export type MailboxView = Awaited<ReturnType<typeof listMailboxes>>[number];

export async function listMailboxes(ctx: Ctx) {
  requirePermission(ctx.actor, "org.admin");
  const rows = await ctx.db
    .select()
    .from(mailboxes)
    .where(eq(mailboxes.orgId, ctx.actor.orgId))
    .orderBy(asc(mailboxes.createdAt));
  return rows.map((m) => ({
    id: m.id,
    name: m.name,
    address: m.address,
    isDefault: m.isDefault,
    smtpUrl: maskSecret(m.smtpUrl),
    imapUrl: maskSecret(m.imapUrl),
    imapFolder: m.imapFolder,
    imapCheckedAt: m.imapCheckedAt,
    imapError: m.imapError,
  }));
}

export interface MailboxInput {
  name?: string;
  address?: string;
  smtpUrl?: string;
  imapUrl?: string;
  imapFolder?: string;
  isDefault?: boolean;
}

function checkSmtpUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:")
      return "The server address starts with smtp:// or smtps://";
    if (!parsed.hostname) return "The server address needs a host name.";
  } catch {
    return "Write the server as smtp://user:password@smtp.example.com:587";
  }
  return undefined;
}

/** Creates a mailbox (no id) or changes one; returns its id. */
export async function saveMailbox(ctx: Ctx, id: string | null, input: MailboxInput): Promise<string> {
  requirePermission(ctx.actor, "org.admin");
  const existing = id ? await mailboxOf(ctx, id) : undefined;
  const fields: FieldErrors = {};
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Name the mailbox, e.g. Support.";
  else if (name.length > 100) fields.name = "Keep the name under 100 characters.";
  const address = (input.address ?? "").trim().toLowerCase();
  if (!isEmail(address)) fields.address = "Enter the mailbox's email address.";
  else if (address.includes("+")) fields.address = "Leave out the +: reply addresses add their own.";
  const smtpUrl = keepSecret((input.smtpUrl ?? "").trim(), existing?.smtpUrl ?? null);
  const smtpProblem = smtpUrl ? checkSmtpUrl(smtpUrl) : undefined;
  if (smtpProblem) fields.smtpUrl = smtpProblem;
  const imapUrl = keepSecret((input.imapUrl ?? "").trim(), existing?.imapUrl ?? null);
  if (imapUrl) {
    try {
      parseImapUrl(imapUrl);
    } catch (error) {
      fields.imapUrl = (error as Error).message;
    }
  }
  const imapFolder = (input.imapFolder ?? "").trim() || "INBOX";
  if (imapFolder.length > 200) fields.imapFolder = "Keep the folder name under 200 characters.";
  if (!fields.address) {
    const [taken] = await ctx.db
      .select({ id: mailboxes.id })
      .from(mailboxes)
      .where(and(eq(mailboxes.address, address), id ? ne(mailboxes.id, id) : undefined));
    if (taken) fields.address = "Another mailbox already receives mail for this address.";
  }
  if (Object.keys(fields).length) throw invalid(fields);

  return ctx.db.transaction(async (tx) => {
    const others = await tx
      .select({ id: mailboxes.id })
      .from(mailboxes)
      .where(eq(mailboxes.orgId, ctx.actor.orgId));
    // The first mailbox is the default; choosing another default takes it from the old one.
    const isDefault = !!input.isDefault || others.filter((o) => o.id !== id).length === 0;
    if (isDefault) {
      await tx.update(mailboxes).set({ isDefault: false }).where(eq(mailboxes.orgId, ctx.actor.orgId));
    }
    const values = {
      name,
      address,
      smtpUrl: smtpUrl || null,
      imapUrl: imapUrl || null,
      imapFolder,
      isDefault: isDefault || (existing?.isDefault ?? false),
    };
    let mailboxId = id;
    if (existing) {
      const moved = existing.imapUrl !== values.imapUrl || existing.imapFolder !== imapFolder;
      await tx
        .update(mailboxes)
        // Another server or folder has its own numbering: polling starts over there.
        .set(moved ? { ...values, imapLastUid: 0, imapUidValidity: null, imapError: null } : values)
        .where(and(eq(mailboxes.orgId, ctx.actor.orgId), eq(mailboxes.id, existing.id)));
    } else {
      const [row] = await tx
        .insert(mailboxes)
        .values({ orgId: ctx.actor.orgId, ...values, createdAt: ctx.now })
        .returning({ id: mailboxes.id });
      mailboxId = row.id;
    }
    await appendEvent(tx, ctx, {
      type: existing ? "mailbox.updated" : "mailbox.created",
      data: { mailboxId, address, smtp: !!smtpUrl, imap: !!imapUrl },
    });
    return mailboxId as string;
  });
}

async function mailboxOf(ctx: Ctx, id: string) {
  if (!isUuid(id)) throw notFound("That mailbox");
  const [row] = await ctx.db
    .select()
    .from(mailboxes)
    .where(and(eq(mailboxes.orgId, ctx.actor.orgId), eq(mailboxes.id, id)));
  if (!row) throw notFound("That mailbox");
  return row;
}

export async function getMailbox(ctx: Ctx, id: string): Promise<MailboxView> {
  requirePermission(ctx.actor, "org.admin");
  const m = await mailboxOf(ctx, id);
  return (await listMailboxes(ctx)).find((row) => row.id === m.id) as MailboxView;
}

export async function deleteMailbox(ctx: Ctx, id: string): Promise<void> {
  requirePermission(ctx.actor, "org.admin");
  const mailbox = await mailboxOf(ctx, id);
  await ctx.db.transaction(async (tx) => {
    await tx.delete(mailboxes).where(and(eq(mailboxes.orgId, ctx.actor.orgId), eq(mailboxes.id, mailbox.id)));
    if (mailbox.isDefault) {
      const [next] = await tx
        .select({ id: mailboxes.id })
        .from(mailboxes)
        .where(eq(mailboxes.orgId, ctx.actor.orgId))
        .orderBy(asc(mailboxes.createdAt))
        .limit(1);
      if (next) await tx.update(mailboxes).set({ isDefault: true }).where(eq(mailboxes.id, next.id));
    }
    await appendEvent(tx, ctx, {
      type: "mailbox.deleted",
      data: { mailboxId: mailbox.id, address: mailbox.address },
    });
  });
}

/** Example values for previews: what a real mail of the kind would say. */
export const SAMPLE_VALUES: Record<string, string> = {
  "ticket.number": "TKT-000123",
  "ticket.subject": "Air conditioner leaking",
  "contact.name": "Chong Mei Ling",
  "agent.name": "Nurul Huda",
  "message.body": "A technician will visit tomorrow between 9 and 11.",
  "portal.url": "https://support.example.com/portal/tickets/TKT-000123",
  "org.name": "Demo Services",
  "user.name": "Aminah",
  "reset.url": "https://support.example.com/password/reset/…",
  "reset.minutes": "60",
  "estimate.number": "EST-000012",
  "estimate.subject": "Replace compressor of the cold room",
  "estimate.total": "MYR 4,240.00",
  "estimate.valid_until": "2026-12-31",
  "work_order.number": "WO-000045",
  "work_order.subject": "Air conditioner leaking",
  "visit.window": "Mon 23 Nov, 10:00–12:00",
  "visit.eta": "10:40",
  "visit.previous_eta": "10:15",
  "delay.minutes": "25",
  "technician.first_name": "Hafiz",
  "location.address": "12 Jalan Ampang, Kuala Lumpur",
};

export async function listTemplates(ctx: Ctx) {
  requirePermission(ctx.actor, "org.admin");
  const custom = await ctx.db.select().from(emailTemplates).where(eq(emailTemplates.orgId, ctx.actor.orgId));
  return TEMPLATE_KINDS.map((k) => {
    const row = custom.find((c) => c.kind === k.kind);
    const text: TemplateText = row
      ? { subject: row.subject, text: row.textBody, html: row.htmlBody }
      : k.defaults;
    return { ...k, current: text, customized: !!row, updatedAt: row?.updatedAt ?? null };
  });
}

export function previewTemplate(kind: string, text: TemplateText): TemplateText {
  const known = templateKind(kind);
  const values = Object.fromEntries(
    Object.entries(SAMPLE_VALUES).filter(([k]) => known?.placeholders.includes(k)),
  );
  return render(text, values);
}

/** Placeholders written in the text that this kind of mail does not fill. */
function unknownPlaceholders(kind: string, text: string): string[] {
  const allowed = new Set(templateKind(kind)?.placeholders ?? []);
  const used = [...text.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1]);
  return [...new Set(used.filter((name) => !allowed.has(name)))];
}

export async function saveTemplate(
  ctx: Ctx,
  kind: string,
  input: { subject?: string; text?: string; html?: string },
) {
  requirePermission(ctx.actor, "org.admin");
  const known = templateKind(kind);
  if (!known) throw notFound("That kind of mail");
  const subject = (input.subject ?? "").trim();
  const text = (input.text ?? "").replace(/\r\n/g, "\n").trim();
  const html = (input.html ?? "").trim();
  const fields: FieldErrors = {};
  if (!subject) fields.subject = "Write a subject.";
  else if (subject.length > 300) fields.subject = "Keep the subject under 300 characters.";
  if (!text) fields.text = "Write the text of the mail; every mail has a plain-text part.";
  else if (text.length > 20_000) fields.text = "Keep the text under 20,000 characters.";
  if (html.length > 50_000) fields.html = "Keep the HTML under 50,000 characters.";
  for (const [name, value] of [
    ["subject", subject],
    ["text", text],
    ["html", html],
  ] as const) {
    const unknown = unknownPlaceholders(kind, value);
    if (unknown.length && !fields[name]) {
      fields[name] =
        `${unknown.map((u) => `{{${u}}}`).join(", ")} is not filled in this mail. Use: ${known.placeholders.map((p) => `{{${p}}}`).join(", ")}.`;
    }
  }
  if (Object.keys(fields).length) throw invalid(fields);
  await ctx.db.transaction(async (tx) => {
    const values = { subject, textBody: text, htmlBody: html || null, updatedAt: ctx.now };
    await tx
      .insert(emailTemplates)
      .values({ orgId: ctx.actor.orgId, kind, ...values })
      .onConflictDoUpdate({ target: [emailTemplates.orgId, emailTemplates.kind], set: values });
    await appendEvent(tx, ctx, { type: "email_template.updated", data: { kind } });
  });
}

export async function resetTemplate(ctx: Ctx, kind: string) {
  requirePermission(ctx.actor, "org.admin");
  if (!templateKind(kind)) throw notFound("That kind of mail");
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(emailTemplates)
      .where(and(eq(emailTemplates.orgId, ctx.actor.orgId), eq(emailTemplates.kind, kind)));
    await appendEvent(tx, ctx, { type: "email_template.reset", data: { kind } });
  });
}
