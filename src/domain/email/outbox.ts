// Until an SMTP channel exists, every mail the product sends is written to the local outbox,
// which admins read at /admin/outbox.
import { and, desc, eq, lt } from "drizzle-orm";
import { outboxMessages } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import type { DbOrTx } from "../events/log";

export interface OutgoingMail {
  orgId: string;
  to: string;
  subject: string;
  text: string;
  kind: string;
}

export async function queueMail(tx: DbOrTx, mail: OutgoingMail, now: Date): Promise<void> {
  await tx.insert(outboxMessages).values({
    orgId: mail.orgId,
    toAddress: mail.to,
    subject: mail.subject,
    textBody: mail.text,
    kind: mail.kind,
    createdAt: now,
  });
}

export async function listOutbox(ctx: Ctx, options: { before?: Date; limit?: number } = {}) {
  requirePermission(ctx.actor, "org.admin");
  return ctx.db
    .select()
    .from(outboxMessages)
    .where(
      and(
        eq(outboxMessages.orgId, ctx.actor.orgId),
        options.before ? lt(outboxMessages.createdAt, options.before) : undefined,
      ),
    )
    .orderBy(desc(outboxMessages.createdAt))
    .limit(options.limit ?? 50);
}
