// Splitting: one message of a ticket that raises a different matter becomes a ticket of its own.
// The message is moved, not copied: it is one request, and a copy would be answered twice and
// counted twice in reports. The new ticket is linked to the original as related, and both
// histories record the split.
import { and, asc, eq } from "drizzle-orm";
import {
  attachments,
  inboundEmails,
  outboxMessages,
  ticketLinks,
  ticketMessages,
  tickets,
} from "../../../db/schema";
import { runRules } from "../automation/engine";
import { type Ctx, requirePermission } from "../context";
import { conflict, invalid, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { nextNumber } from "../orgs/counters";
import { refreshTicketSla } from "../sla/tickets";
import { findVisibleTicket, type TicketRef } from "../tickets/access";
import { isUuid, subjectProblem } from "../tickets/rules";

export async function splitMessage(ctx: Ctx, ref: TicketRef, input: { messageId: string; subject?: string }) {
  requirePermission(ctx.actor, "tickets.work");
  if (!isUuid(input.messageId)) throw invalid({ messageId: "Choose the message to split off." });
  const orgId = ctx.actor.orgId;
  return ctx.db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, ctx.actor, ref, { forUpdate: true });
    if (ticket.status === "closed") throw conflict("This ticket is closed and can no longer change.");
    const thread = await tx
      .select({ id: ticketMessages.id, body: ticketMessages.body, channel: ticketMessages.channel })
      .from(ticketMessages)
      .where(and(eq(ticketMessages.orgId, orgId), eq(ticketMessages.ticketId, ticket.id)))
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
    const index = thread.findIndex((m) => m.id === input.messageId);
    if (index === -1) throw notFound("That message");
    if (index === 0) {
      throw invalid({ messageId: "The first message is the ticket's own request; split off a later one." });
    }
    const message = thread[index];
    const subject = (input.subject ?? "").trim() || subjectFrom(message.body, ticket.subject);
    const subjectIssue = subjectProblem(subject);
    if (subjectIssue) throw invalid({ subject: subjectIssue });

    const number = await nextNumber(tx, orgId, "ticket");
    const [created] = await tx
      .insert(tickets)
      .values({
        orgId,
        number,
        subject,
        status: "new",
        priority: ticket.priority,
        type: ticket.type,
        channel: message.channel,
        contactId: ticket.contactId,
        companyId: ticket.companyId,
        teamId: ticket.teamId,
        tags: ticket.tags,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await tx
      .update(ticketMessages)
      .set({ ticketId: created.id })
      .where(and(eq(ticketMessages.orgId, orgId), eq(ticketMessages.id, message.id)));
    await tx
      .update(attachments)
      .set({ ticketId: created.id })
      .where(and(eq(attachments.orgId, orgId), eq(attachments.messageId, message.id)));
    // A reply to the mail that carried this message (in or out) belongs to the new ticket now.
    await tx
      .update(inboundEmails)
      .set({ ticketId: created.id })
      .where(and(eq(inboundEmails.orgId, orgId), eq(inboundEmails.ticketMessageId, message.id)));
    await tx
      .update(outboxMessages)
      .set({ ticketId: created.id })
      .where(and(eq(outboxMessages.orgId, orgId), eq(outboxMessages.ticketMessageId, message.id)));
    const [a, b] = [ticket.id, created.id].sort();
    await tx.insert(ticketLinks).values({
      orgId,
      kind: "related",
      fromTicketId: a,
      toTicketId: b,
      createdByUserId: ctx.actor.userId ?? null,
      createdAt: ctx.now,
    });
    await tx
      .update(tickets)
      .set({ updatedAt: ctx.now })
      .where(and(eq(tickets.orgId, orgId), eq(tickets.id, ticket.id)));
    await appendEvent(tx, ctx, {
      type: "ticket.created",
      ticketId: created.id,
      data: {
        number,
        subject,
        status: created.status,
        priority: created.priority,
        channel: created.channel,
        messageId: message.id,
        splitFromId: ticket.id,
        splitFromNumber: ticket.number,
      },
    });
    await appendEvent(tx, ctx, {
      type: "ticket.split",
      ticketId: ticket.id,
      data: { messageId: message.id, intoId: created.id, intoNumber: number },
    });
    await runRules(tx, ctx, created.id, "ticket.created");
    await refreshTicketSla(tx, orgId, created.id, ctx.now);
    await refreshTicketSla(tx, orgId, ticket.id, ctx.now);
    return created;
  });
}

/** The message's first line as the new subject, else the original's subject marked as a split. */
function subjectFrom(body: string, original: string): string {
  const line = body
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith(">"));
  const text = line ?? `Split from: ${original}`;
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
