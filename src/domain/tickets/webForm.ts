// The public web form: anyone may write in from the organization's website, without an account.
// A hidden "website" field catches the bots that fill every field; submissions are limited per
// address and per sender; the customer gets the usual acknowledgement with a reply address, so
// the conversation continues by email.
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { organizations } from "../../../db/schema";
import { hitRateLimit } from "../auth/rateLimit";
import { type Ctx, customerActor } from "../context";
import { ACK_QUEUE } from "../email/inbound";
import { type FieldErrors, invalid, notFound, tooMany } from "../errors";
import type { FileStore } from "../files/store";
import { enqueue } from "../jobs/queue";
import { createTicket } from "./commands";
import { contactWritingIn, isEmail } from "./people";
import { bodyProblem, subjectProblem } from "./rules";

export interface WebFormInput {
  name?: string;
  email?: string;
  subject?: string;
  body?: string;
  /** The honeypot: people never see it, so anything in it was typed by a program. */
  website?: string;
  files?: File[];
}

export const WEB_FORM_LIMITS = {
  perAddress: { limit: 10, windowMs: 10 * 60_000 },
  perSender: { limit: 5, windowMs: 60 * 60_000 },
};

export async function webFormOrganization(db: Db, slug: string) {
  const [org] = await db
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug })
    .from(organizations)
    .where(eq(organizations.slug, slug));
  if (!org) throw notFound("That form");
  return org;
}

export type WebFormResult = { ticketNumber: number } | { ignored: true };

export async function submitWebForm(
  deps: { db: Db; files: FileStore },
  slug: string,
  input: WebFormInput,
  request: { ip?: string },
  now: Date,
): Promise<WebFormResult> {
  const org = await webFormOrganization(deps.db, slug);
  // A bot is told it succeeded, so it learns nothing; nothing is stored.
  if (input.website?.trim()) return { ignored: true };
  const fields: FieldErrors = {};
  const name = (input.name ?? "").trim().slice(0, 200);
  const email = (input.email ?? "").trim().toLowerCase();
  if (!isEmail(email)) fields.email = "Enter your email address, so we can answer you.";
  const subjectIssue = subjectProblem(input.subject ?? "");
  if (subjectIssue) fields.subject = subjectIssue;
  const bodyIssue = bodyProblem(input.body ?? "", "message");
  if (bodyIssue) fields.body = bodyIssue;
  if (input.files?.length) deps.files.check(input.files, "files");
  if (Object.keys(fields).length) throw invalid(fields);
  const limits = [
    ...(request.ip
      ? [hitRateLimit(deps.db, `form:${org.slug}:ip:${request.ip}`, WEB_FORM_LIMITS.perAddress, now)]
      : []),
    hitRateLimit(deps.db, `form:${org.slug}:email:${email}`, WEB_FORM_LIMITS.perSender, now),
  ];
  if ((await Promise.all(limits)).includes(false)) {
    throw tooMany(
      "We have received several messages from you in a short time. Please wait a while before sending another.",
    );
  }

  return deps.db.transaction(async (tx) => {
    const contact = await contactWritingIn(tx, org.id, { email, name }, now);
    const actor = customerActor(org.id, contact);
    // The transaction stands in for the database: the ticket and its acknowledgement commit together.
    const ctx: Ctx = { db: tx as unknown as Db, actor, now, files: deps.files };
    const ticket = await createTicket(ctx, {
      subject: input.subject as string,
      body: input.body as string,
      channel: "web",
      files: input.files,
    });
    await enqueue(tx, now, {
      queue: ACK_QUEUE,
      orgId: org.id,
      payload: { ticketId: ticket.id, to: email, name: contact.name },
      idempotencyKey: ticket.id,
    });
    return { ticketNumber: ticket.number };
  });
}
