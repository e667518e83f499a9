// Everything that changes a ticket. Each command checks the actor, validates, writes in one
// transaction and appends the matching events (DESIGN.md rules 1 and 3).

import { randomUUID } from "node:crypto";
import { and, eq, gt, inArray, isNull, ne, or } from "drizzle-orm";
import {
  attachments,
  type Channel,
  contacts,
  type TicketPriority,
  type TicketStatus,
  type TicketType,
  tags as tagsTable,
  ticketMessages,
  tickets,
} from "../../../db/schema";
import { assignByTeamStrategy } from "../assignment/assign";
import { queueAnalysis } from "../assist/queue";
import { recordManualVerdicts } from "../assist/verdicts";
import { activeRules, changesFrom, runRules } from "../automation/engine";
import { type Ctx, requirePermission } from "../context";
import { followerAddresses, orgForMail, queueMail } from "../email/outbox";
import { conflict, type FieldErrors, forbidden, invalid } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { type ClassificationInput, customFieldsValue, planClassification } from "../fields/ticketFields";
import type { StoredFile } from "../files/store";
import { isTextChannel, queueText } from "../messaging/outbound";
import { notifyUsers } from "../notifications/notify";
import { readConfigStamp } from "../orgs/config";
import { formatTicketNumber, nextNumber, takeNumber } from "../orgs/counters";
import { afterMessage, afterStatusChange } from "../relations/followers";
import { openChildrenProblem } from "../relations/links";
import { requestRating } from "../satisfaction/survey";
import {
  loadOrgSla,
  type OrgSla,
  recordNewTicketLook,
  refreshTicketSla,
  slaOfNewTicket,
} from "../sla/tickets";
import { findVisibleTicket, type TicketRef, type TicketRow } from "./access";
import { checkAssignee, checkTeam, contactById, findOrCreateContact, isEmail } from "./people";
import {
  bodyProblem,
  canTransition,
  isPriority,
  isStatus,
  isType,
  isUuid,
  normalizeTags,
  STATUS_LABELS,
  subjectProblem,
} from "./rules";

export interface CreateTicketInput {
  subject: string;
  body: string;
  priority?: string;
  type?: string;
  channel?: Channel;
  /** Staff and API: who the ticket is for — an existing contact, or an address (created if new). */
  contactId?: string;
  requesterEmail?: string;
  requesterName?: string;
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: string[] | string;
  files?: File[];
  /** A category or subcategory id, and custom field values by key (see src/domain/fields). */
  category?: string | null;
  fields?: Record<string, unknown>;
  /** The whole form was sent: custom fields left out are empty (HTML forms). */
  wholeForm?: boolean;
}

function fail(fields: FieldErrors) {
  if (Object.keys(fields).length) throw invalid(fields);
}

async function storeFiles(ctx: Ctx, files: File[] | undefined): Promise<StoredFile[]> {
  if (!files?.length) return [];
  if (!ctx.files) throw new Error("file store missing from context");
  ctx.files.check(files);
  return Promise.all(files.map((f) => ctx.files!.save(f)));
}

async function rememberTags(tx: DbOrTx, orgId: string, names: string[], now: Date) {
  if (names.length === 0) return;
  await tx
    .insert(tagsTable)
    .values(names.map((name) => ({ orgId, name, createdAt: now })))
    .onConflictDoNothing();
}

export async function insertMessage(
  tx: DbOrTx,
  ctx: Ctx,
  ticket: { id: string },
  message: { kind: "reply" | "note"; body: string; channel: Channel },
  stored: StoredFile[],
) {
  const isCustomer = ctx.actor.role === "customer";
  const [row] = await tx
    .insert(ticketMessages)
    .values({
      orgId: ctx.actor.orgId,
      ticketId: ticket.id,
      kind: message.kind,
      authorUserId: isCustomer ? null : (ctx.actor.userId ?? null),
      authorContactId: isCustomer ? (ctx.actor.contactId ?? null) : null,
      authorLabel: ctx.actor.userId || isCustomer ? null : ctx.actor.name,
      channel: message.channel,
      body: message.body,
      createdAt: ctx.now,
    })
    .returning({ id: ticketMessages.id });
  if (stored.length) {
    await tx.insert(attachments).values(
      stored.map((f) => ({
        orgId: ctx.actor.orgId,
        ticketId: ticket.id,
        messageId: row.id,
        ...f,
        createdAt: ctx.now,
      })),
    );
  }
  return row.id;
}

export async function createTicket(ctx: Ctx, input: CreateTicketInput) {
  const isCustomer = ctx.actor.role === "customer";
  if (isCustomer) {
    if (!ctx.actor.contactId) throw forbidden("Your account has no contact record.");
  } else {
    requirePermission(ctx.actor, "tickets.work");
  }
  const fields: FieldErrors = {};
  const subjectIssue = subjectProblem(input.subject ?? "");
  if (subjectIssue) fields.subject = subjectIssue;
  const bodyIssue = bodyProblem(input.body ?? "", "description");
  if (bodyIssue) fields.body = bodyIssue;
  const priority = (input.priority || "normal") as TicketPriority;
  if (!isPriority(priority)) fields.priority = "Choose a priority.";
  const type = (input.type || "question") as TicketType;
  if (!isType(type)) fields.type = "Choose a type.";
  const tagList = isCustomer ? [] : normalizeTags(input.tags, fields);
  const assigneeId = isCustomer ? null : input.assigneeId || null;
  const teamId = isCustomer ? null : input.teamId || null;
  await checkAssignee(ctx.db, ctx.actor.orgId, assigneeId, fields);
  await checkTeam(ctx.db, ctx.actor.orgId, teamId, fields);

  let contact: { id: string; companyId: string | null } | undefined;
  if (isCustomer) {
    contact = await contactById(ctx.db, ctx.actor.orgId, ctx.actor.contactId!);
  } else if (input.contactId) {
    contact = await contactById(ctx.db, ctx.actor.orgId, input.contactId);
    if (!contact) fields.contactId = "That contact does not exist in this organization.";
  } else if (!input.requesterEmail?.trim() || !isEmail(input.requesterEmail.trim())) {
    fields.requesterEmail = "Enter the customer's email address.";
  }
  const classified = await planClassification(ctx.db, ctx, null, input, fields);
  fail(fields);
  const stored = await storeFiles(ctx, input.files);
  // Customers write from the portal, or by email when the mail channel acts for them.
  const channel: Channel = isCustomer
    ? ctx.actor.kind === "system"
      ? (input.channel ?? "portal")
      : "portal"
    : (input.channel ?? (ctx.actor.kind === "api" ? "api" : "phone"));

  return ctx.db.transaction(async (tx) => {
    contact ??= await findOrCreateContact(
      tx,
      ctx.actor.orgId,
      { email: input.requesterEmail!, name: input.requesterName },
      ctx.now,
    );
    const stamp = await readConfigStamp(tx, ctx.actor.orgId);
    const [rules, sla] = await Promise.all([
      activeRules(tx, ctx.actor.orgId, "ticket.created", stamp),
      loadOrgSla(tx, ctx.actor.orgId, stamp),
    ]);
    const ticketId = randomUUID();
    // The message goes in first: its foreign key to the ticket is checked at commit.
    const messageId = await insertMessage(
      tx,
      ctx,
      { id: ticketId },
      { kind: "reply", body: input.body, channel },
      stored,
    );
    await rememberTags(tx, ctx.actor.orgId, tagList, ctx.now);
    const status: TicketStatus = assigneeId ? "open" : "new";
    const row = {
      id: ticketId,
      orgId: ctx.actor.orgId,
      subject: input.subject.trim(),
      status,
      priority,
      type,
      channel,
      contactId: contact.id,
      companyId: contact.companyId,
      assigneeId,
      teamId,
      tags: tagList,
      ...(classified
        ? { ...classified.next, customFields: customFieldsValue(classified.next.customFields) }
        : {}),
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    // What the "ticket.created" event records besides the number.
    const details = {
      subject: row.subject,
      status,
      priority,
      channel,
      messageId,
      ...(classified?.next.categoryId
        ? {
            category: classified.next.subcategoryId ?? classified.next.categoryId,
            categoryName: classified.changes.find((c) => c.type === "ticket.category_changed")?.data.toName,
            fields: classified.next.customFields,
          }
        : {}),
    };
    const analysis = { ticketId, messageId: isCustomer ? messageId : undefined, triage: true };
    // Only what shows the number to someone needs it before the ticket row is written: a
    // notification to the assignee, the rules, an assignment by the team's strategy.
    const numberFirst = (!!assigneeId && assigneeId !== ctx.actor.userId) || rules.length > 0 || !!teamId;
    if (!numberFirst) {
      // Nothing but this command changes the ticket before it commits, so its SLA state is known
      // before the row is and goes in with it. The row goes in last and takes the organization's
      // next number, whose counter row stays locked until the commit.
      const slaAtInsert = await slaOfNewTicket(tx, sla, row, details, ctx.now);
      await queueAnalysis(tx, ctx.now, ctx.actor.orgId, analysis);
      // Its event and look-in time are sent with the INSERT, not after its answer, so the counter
      // stays locked for one round trip and the commit. Statements run in the order they are sent
      // (the INSERT is started first), so the event reads the number the row took.
      const inserting = tx
        .insert(tickets)
        .values({
          ...row,
          number: takeNumber(ctx.actor.orgId, "ticket"),
          slaPolicyId: slaAtInsert.slaPolicyId,
          slaNextDueAt: slaAtInsert.slaNextDueAt,
          slaBreached: slaAtInsert.slaBreached,
        })
        .returning()
        .then(([inserted]) => inserted);
      const [ticket] = await Promise.all([
        inserting,
        appendEvent(tx, ctx, { type: "ticket.created", ticketId, data: details, withTicketNumber: true }),
        recordNewTicketLook(tx, ctx.actor.orgId, ticketId, slaAtInsert),
      ]);
      return { ...ticket, firstMessageId: messageId };
    }
    const number = await nextNumber(tx, ctx.actor.orgId, "ticket");
    const [ticket] = await tx
      .insert(tickets)
      .values({ ...row, number })
      .returning();
    await appendEvent(tx, ctx, { type: "ticket.created", ticketId, data: { number, ...details } });
    if (assigneeId && assigneeId !== ctx.actor.userId) await notifyAssigned(tx, ctx, ticket, assigneeId);
    if (rules.length) await runRules(tx, ctx, ticketId, "ticket.created", {}, stamp);
    // A ticket in a team that assigns automatically, and not assigned by the form or a rule.
    await assignByTeamStrategy(tx, ctx, ticketId);
    // After the rules: they may have changed the priority or team the due times depend on.
    await refreshTicketSla(tx, ctx.actor.orgId, ticketId, ctx.now, sla, { justCreated: true });
    await queueAnalysis(tx, ctx.now, ctx.actor.orgId, analysis);
    return { ...ticket, firstMessageId: messageId };
  });
}

export interface AddMessageInput {
  kind: "reply" | "note";
  body: string;
  /** Staff: the status to leave the ticket in ("submit as pending"). */
  status?: string;
  files?: File[];
  channel?: Channel;
  /**
   * Staff forms: when the writer last saw the thread. A message someone else added since then
   * stops the send (the writer reads it first) unless `sendAnyway` says they have.
   */
  seenAt?: Date;
  sendAnyway?: boolean;
}

/** Messages of others added to the ticket after `seenAt`: the writer has not read them yet. */
async function unseenMessages(tx: DbOrTx, ctx: Ctx, ticketId: string, seenAt: Date) {
  return tx
    .select({ id: ticketMessages.id })
    .from(ticketMessages)
    .where(
      and(
        eq(ticketMessages.orgId, ctx.actor.orgId),
        eq(ticketMessages.ticketId, ticketId),
        gt(ticketMessages.createdAt, seenAt),
        ctx.actor.userId
          ? or(isNull(ticketMessages.authorUserId), ne(ticketMessages.authorUserId, ctx.actor.userId))
          : undefined,
      ),
    )
    .limit(5);
}

export async function addMessage(ctx: Ctx, ref: TicketRef, input: AddMessageInput) {
  const isCustomer = ctx.actor.role === "customer";
  if (!isCustomer) requirePermission(ctx.actor, "tickets.work");
  if (isCustomer && input.kind !== "reply") throw forbidden("Customers can only reply.");
  const fields: FieldErrors = {};
  if (input.kind !== "reply" && input.kind !== "note") fields.kind = "Choose reply or internal note.";
  const bodyIssue = bodyProblem(input.body ?? "", input.kind === "note" ? "note" : "reply");
  if (bodyIssue) fields.body = bodyIssue;
  if (input.status && !isStatus(input.status)) fields.status = "Choose a status.";
  fail(fields);
  const current = await findVisibleTicket(ctx.db, ctx.actor, ref);
  checkMessageTransition(current, targetStatusAfterMessage(current, isCustomer, input));
  const stored = await storeFiles(ctx, input.files);
  const channel: Channel =
    input.channel ?? (isCustomer ? "portal" : ctx.actor.kind === "api" ? "api" : "web");

  return ctx.db.transaction(async (tx) => {
    // Checked again on the locked row: someone may have closed or moved the ticket meanwhile.
    const ticket = await findVisibleTicket(tx, ctx.actor, current.id, { forUpdate: true });
    if (input.seenAt && !input.sendAnyway) {
      const unseen = await unseenMessages(tx, ctx, ticket.id, input.seenAt);
      if (unseen.length) {
        throw conflict(
          unseen.length === 1
            ? "A new message arrived while you were writing. Read it above; send again to post yours anyway."
            : `${unseen.length} new messages arrived while you were writing. Read them above; send again to post yours anyway.`,
          { stale: "Read the new message before sending." },
        );
      }
    }
    const target = targetStatusAfterMessage(ticket, isCustomer, input);
    checkMessageTransition(ticket, target);
    if (target === "solved" && ticket.status !== "solved") {
      const openChildren = await openChildrenProblem(tx, ctx.actor.orgId, ticket.id);
      if (openChildren) throw invalid({ status: openChildren });
    }
    const messageId = await insertMessage(
      tx,
      ctx,
      ticket,
      { kind: input.kind, body: input.body, channel },
      stored,
    );
    await tx
      .update(tickets)
      .set({ updatedAt: ctx.now, status: target, solvedAt: target === "solved" ? ctx.now : ticket.solvedAt })
      .where(and(eq(tickets.orgId, ctx.actor.orgId), eq(tickets.id, ticket.id)));
    await appendEvent(tx, ctx, {
      type: isCustomer
        ? "message.customer_replied"
        : input.kind === "note"
          ? "message.note_added"
          : "message.agent_replied",
      ticketId: ticket.id,
      data: { messageId, kind: input.kind, attachments: stored.length },
    });
    if (target !== ticket.status) {
      await appendEvent(tx, ctx, {
        type: "ticket.status_changed",
        ticketId: ticket.id,
        data: { from: ticket.status, to: target },
      });
      if (target === "solved") await requestRating(tx, ticket, ctx.now);
    }
    if (!isCustomer && input.kind === "reply") await notifyRequester(tx, ctx, ticket, messageId, input.body);
    // One read of the organization's config stamp serves the rules and the SLA below.
    const stamp = await readConfigStamp(tx, ctx.actor.orgId);
    if (input.kind === "reply")
      await runRules(tx, ctx, ticket.id, isCustomer ? "customer.replied" : "agent.replied", {}, stamp);
    if (isCustomer && input.kind === "reply")
      await queueAnalysis(tx, ctx.now, ctx.actor.orgId, { ticketId: ticket.id, messageId, triage: false });
    if (isCustomer && ticket.assigneeId) {
      const number = formatTicketNumber(ticket.number);
      await notifyUsers(
        tx,
        {
          orgId: ctx.actor.orgId,
          userIds: [ticket.assigneeId],
          kind: "message.customer_replied",
          ticketId: ticket.id,
          title: `${ctx.actor.name} replied on ${number}`,
          body: `${ticket.subject}\n\n${input.body.slice(0, 500)}`,
          url: `/desk/tickets/${number}`,
        },
        ctx.now,
      );
    }
    await afterMessage(tx, ctx, ticket, {
      id: messageId,
      kind: input.kind,
      body: input.body,
      assigneeTold: isCustomer && !!ticket.assigneeId,
    });
    await refreshTicketSla(
      tx,
      ctx.actor.orgId,
      ticket.id,
      ctx.now,
      await loadOrgSla(tx, ctx.actor.orgId, stamp),
    );
    return { messageId, status: target };
  });
}

function checkMessageTransition(ticket: TicketRow, target: TicketStatus) {
  if (ticket.status === "closed") {
    throw conflict("This ticket is closed and can no longer change. Open a new ticket instead.");
  }
  if (!canTransition(ticket.status, target)) {
    throw invalid({
      status: `A ${STATUS_LABELS[ticket.status].toLowerCase()} ticket cannot become ${STATUS_LABELS[target].toLowerCase()}.`,
    });
  }
}

function targetStatusAfterMessage(
  ticket: TicketRow,
  isCustomer: boolean,
  input: AddMessageInput,
): TicketStatus {
  // A customer's reply means the ball is back with the agents: a solved or pending ticket reopens.
  if (isCustomer) return ticket.status === "new" ? "new" : "open";
  if (input.status) return input.status as TicketStatus;
  return ticket.status === "new" ? "open" : ticket.status;
}

async function notifyRequester(tx: DbOrTx, ctx: Ctx, ticket: TicketRow, messageId: string, body: string) {
  // A conversation by SMS or WhatsApp is answered where it started.
  if (isTextChannel(ticket.channel)) {
    await queueText(tx, { ...ticket, channel: ticket.channel }, { id: messageId, body }, ctx.now);
    return;
  }
  const [contact] = await tx
    .select({ email: contacts.email, name: contacts.name })
    .from(contacts)
    .where(and(eq(contacts.orgId, ctx.actor.orgId), eq(contacts.id, ticket.contactId)));
  if (!contact?.email) return;
  const number = formatTicketNumber(ticket.number);
  const org = await orgForMail(tx, ctx.actor.orgId);
  await queueMail(
    tx,
    {
      orgId: ctx.actor.orgId,
      to: contact.email,
      cc: await followerAddresses(tx, ctx.actor.orgId, ticket.id),
      kind: "ticket_reply",
      ticket: { id: ticket.id, messageId },
      values: {
        "ticket.number": number,
        "ticket.subject": ticket.subject,
        "contact.name": contact.name,
        "agent.name": ctx.actor.name,
        "message.body": body,
        "org.name": org.name,
        "portal.url": `${org.baseUrl}/portal/tickets/${number}`,
      },
    },
    ctx.now,
  );
}

async function notifyAssigned(
  tx: DbOrTx,
  ctx: Ctx,
  ticket: { id: string; number: number; subject: string },
  userId: string,
) {
  const number = formatTicketNumber(ticket.number);
  await notifyUsers(
    tx,
    {
      orgId: ctx.actor.orgId,
      userIds: [userId],
      kind: "ticket.assigned",
      ticketId: ticket.id,
      title: `${number} was assigned to you`,
      body: `${ctx.actor.name} assigned you “${ticket.subject}”.`,
      url: `/desk/tickets/${number}`,
    },
    ctx.now,
  );
}

export interface TicketPatch extends ClassificationInput {
  status?: string;
  priority?: string;
  type?: string;
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: string[] | string;
  addTags?: string[] | string;
  removeTags?: string[] | string;
  /** Staff: move the ticket to the contact with this address (created if new). */
  requesterEmail?: string;
}

/** Validates a patch against one ticket; returns the changed columns and their events. */
async function planPatch(tx: DbOrTx, ctx: Ctx, ticket: TicketRow, patch: TicketPatch) {
  const fields: FieldErrors = {};
  const set: Partial<typeof tickets.$inferInsert> = {};
  const changes: { type: string; data: Record<string, unknown> }[] = [];
  const isCustomer = ctx.actor.role === "customer";
  if (isCustomer) {
    const only = Object.entries(patch)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k);
    if (only.some((k) => k !== "status"))
      throw forbidden("Customers can only solve or reopen their tickets.");
    if (patch.status && !["solved", "open"].includes(patch.status))
      throw forbidden("Customers can only solve or reopen their tickets.");
    if (patch.status === "open" && ticket.status !== "solved")
      throw invalid({ status: "Only a solved ticket can be reopened." });
  }
  if (patch.status !== undefined && patch.status !== ticket.status) {
    if (!isStatus(patch.status)) fields.status = "Choose a status.";
    else if (!canTransition(ticket.status, patch.status)) {
      fields.status = `A ${STATUS_LABELS[ticket.status].toLowerCase()} ticket cannot become ${STATUS_LABELS[patch.status].toLowerCase()}.`;
    } else {
      // A parent waits for its children: solving it would tell its customers a matter is settled that is not.
      const openChildren =
        patch.status === "solved" ? await openChildrenProblem(tx, ctx.actor.orgId, ticket.id) : undefined;
      if (openChildren) fields.status = openChildren;
      else {
        set.status = patch.status;
        if (patch.status === "solved") set.solvedAt = ctx.now;
        changes.push({ type: "ticket.status_changed", data: { from: ticket.status, to: patch.status } });
      }
    }
  }
  if (patch.priority !== undefined && patch.priority !== ticket.priority) {
    if (!isPriority(patch.priority)) fields.priority = "Choose a priority.";
    else {
      set.priority = patch.priority;
      changes.push({ type: "ticket.priority_changed", data: { from: ticket.priority, to: patch.priority } });
    }
  }
  if (patch.type !== undefined && patch.type !== ticket.type) {
    if (!isType(patch.type)) fields.type = "Choose a type.";
    else {
      set.type = patch.type;
      changes.push({ type: "ticket.type_changed", data: { from: ticket.type, to: patch.type } });
    }
  }
  if (patch.assigneeId !== undefined && (patch.assigneeId || null) !== ticket.assigneeId) {
    const assigneeId = patch.assigneeId || null;
    await checkAssignee(tx, ctx.actor.orgId, assigneeId, fields);
    set.assigneeId = assigneeId;
    // Assigning a new ticket means someone is on it.
    if (assigneeId && ticket.status === "new" && set.status === undefined) {
      set.status = "open";
      changes.push({ type: "ticket.status_changed", data: { from: "new", to: "open" } });
    }
    changes.push({ type: "ticket.assigned", data: { from: ticket.assigneeId, to: assigneeId } });
  }
  if (patch.teamId !== undefined && (patch.teamId || null) !== ticket.teamId) {
    const teamId = patch.teamId || null;
    await checkTeam(tx, ctx.actor.orgId, teamId, fields);
    set.teamId = teamId;
    changes.push({ type: "ticket.team_changed", data: { from: ticket.teamId, to: teamId } });
  }
  if (patch.requesterEmail !== undefined)
    await planRequester(tx, ctx, ticket, patch.requesterEmail, { fields, set, changes });
  const classified = await planClassification(tx, ctx, ticket, patch, fields);
  if (classified?.changes.length) {
    Object.assign(set, classified.next);
    changes.push(...classified.changes);
  }
  let nextTags = ticket.tags;
  if (patch.tags !== undefined) nextTags = normalizeTags(patch.tags, fields);
  if (patch.addTags !== undefined)
    nextTags = [...new Set([...nextTags, ...normalizeTags(patch.addTags, fields)])];
  if (patch.removeTags !== undefined) {
    const drop = new Set(normalizeTags(patch.removeTags, fields));
    nextTags = nextTags.filter((t) => !drop.has(t));
  }
  const added = nextTags.filter((t) => !ticket.tags.includes(t));
  const removed = ticket.tags.filter((t) => !nextTags.includes(t));
  if (added.length || removed.length) {
    set.tags = nextTags;
    changes.push({ type: "ticket.tags_changed", data: { added, removed } });
  }
  return { fields, set, changes, added };
}

async function planRequester(
  tx: DbOrTx,
  ctx: Ctx,
  ticket: TicketRow,
  email: string,
  plan: {
    fields: FieldErrors;
    set: Partial<typeof tickets.$inferInsert>;
    changes: { type: string; data: Record<string, unknown> }[];
  },
) {
  const address = email.trim().toLowerCase();
  if (!isEmail(address)) {
    plan.fields.requesterEmail = "Enter the customer's email address.";
    return;
  }
  const contact = await findOrCreateContact(tx, ctx.actor.orgId, { email: address }, ctx.now);
  if (contact.id === ticket.contactId) return;
  plan.set.contactId = contact.id;
  plan.set.companyId = contact.companyId;
  plan.changes.push({
    type: "ticket.requester_changed",
    data: { from: ticket.contactId, to: contact.id, email: address },
  });
}

async function applyPlan(
  tx: DbOrTx,
  ctx: Ctx,
  ticket: TicketRow,
  plan: Awaited<ReturnType<typeof planPatch>>,
  rules?: OrgSla,
) {
  if (plan.changes.length === 0) return;
  const { customFields, ...columns } = plan.set;
  await tx
    .update(tickets)
    .set({
      ...columns,
      ...(customFields ? { customFields: customFieldsValue(customFields) } : {}),
      updatedAt: ctx.now,
    })
    .where(and(eq(tickets.orgId, ctx.actor.orgId), eq(tickets.id, ticket.id)));
  await rememberTags(tx, ctx.actor.orgId, plan.added, ctx.now);
  for (const change of plan.changes) await appendEvent(tx, ctx, { ...change, ticketId: ticket.id });
  if (plan.set.status === "solved") await requestRating(tx, { ...ticket, ...plan.set }, ctx.now);
  if (plan.set.status && plan.set.status !== ticket.status)
    await afterStatusChange(tx, ctx, ticket, { from: ticket.status, to: plan.set.status });
  await refreshTicketSla(tx, ctx.actor.orgId, ticket.id, ctx.now, rules);
}

export async function updateTicket(ctx: Ctx, ref: TicketRef, patch: TicketPatch) {
  if (ctx.actor.role !== "customer") requirePermission(ctx.actor, "tickets.work");
  return ctx.db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, ctx.actor, ref, { forUpdate: true });
    if (ticket.status === "closed") throw conflict("This ticket is closed and can no longer change.");
    const plan = await planPatch(tx, ctx, ticket, patch);
    if (Object.keys(plan.fields).length) throw invalid(plan.fields);
    await applyPlan(tx, ctx, ticket, plan);
    await recordManualVerdicts(tx, ctx, ticket.id, plan.changes);
    const assignee = plan.set.assigneeId;
    if (assignee && assignee !== ctx.actor.userId) await notifyAssigned(tx, ctx, ticket, assignee);
    if (plan.changes.length) await runRules(tx, ctx, ticket.id, "ticket.updated", changesFrom(plan.changes));
    return {
      ...ticket,
      ...plan.set,
      updatedAt: plan.changes.length ? ctx.now : ticket.updatedAt,
    } as TicketRow;
  });
}

/** An automation rule's field changes, as the system: checked like anyone's, with their events. */
export async function applyAutomationPatch(tx: DbOrTx, ctx: Ctx, ticketId: string, patch: TicketPatch) {
  const ticket = await findVisibleTicket(tx, ctx.actor, ticketId, { forUpdate: true });
  if (ticket.status === "closed") return;
  const plan = await planPatch(tx, ctx, ticket, patch);
  if (Object.keys(plan.fields).length) throw invalid(plan.fields);
  await applyPlan(tx, ctx, ticket, plan);
  const assignee = plan.set.assigneeId;
  if (assignee) await notifyAssigned(tx, ctx, ticket, assignee);
}

/** An internal note written by an automation rule. */
export async function addAutomationNote(tx: DbOrTx, ctx: Ctx, ticketId: string, body: string) {
  const messageId = await insertMessage(
    tx,
    ctx,
    { id: ticketId },
    { kind: "note", body, channel: "api" },
    [],
  );
  await appendEvent(tx, ctx, {
    type: "message.note_added",
    ticketId,
    data: { messageId, kind: "note", attachments: 0 },
  });
}

/**
 * A public reply written by an automation rule (a macro's text), sent to the requester as an
 * agent's would be. Its own event type: an automatic answer does not meet a response target.
 */
export async function addAutomationReply(tx: DbOrTx, ctx: Ctx, ticketId: string, body: string) {
  const ticket = await findVisibleTicket(tx, ctx.actor, ticketId);
  if (ticket.status === "closed") return;
  const messageId = await insertMessage(
    tx,
    ctx,
    { id: ticketId },
    { kind: "reply", body, channel: "api" },
    [],
  );
  await tx
    .update(tickets)
    .set({ updatedAt: ctx.now })
    .where(and(eq(tickets.orgId, ctx.actor.orgId), eq(tickets.id, ticketId)));
  await appendEvent(tx, ctx, {
    type: "message.automation_replied",
    ticketId,
    data: { messageId, kind: "reply", attachments: 0 },
  });
  await notifyRequester(tx, ctx, ticket, messageId, body);
}

export const BULK_MAX = 500;

/**
 * One change applied to many tickets in one transaction. Tickets the change cannot apply to
 * (closed, or an illegal status step) are skipped and reported; invalid input fails the whole call.
 */
export async function bulkUpdate(ctx: Ctx, ticketIds: string[], patch: TicketPatch) {
  requirePermission(ctx.actor, "tickets.bulk");
  const ids = [...new Set(ticketIds)];
  if (ids.length === 0) throw invalid({ ids: "Select at least one ticket." });
  if (ids.length > BULK_MAX) throw invalid({ ids: `Select at most ${BULK_MAX} tickets at once.` });
  if (!Object.values(patch).some((v) => v !== undefined)) throw invalid({ action: "Choose what to change." });
  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.orgId, ctx.actor.orgId), inArray(tickets.id, ids.filter(isUuid))))
      .orderBy(tickets.id)
      .for("update");
    if (rows.length !== ids.length) throw invalid({ ids: "Some selected tickets do not exist." });
    const skipped: { number: number; reason: string }[] = [];
    const assigned: number[] = [];
    const rules = await loadOrgSla(tx, ctx.actor.orgId);
    let updated = 0;
    for (const ticket of rows) {
      if (ticket.status === "closed") {
        skipped.push({ number: ticket.number, reason: "closed" });
        continue;
      }
      const plan = await planPatch(tx, ctx, ticket, patch);
      if (plan.fields.status && Object.keys(plan.fields).length === 1) {
        skipped.push({ number: ticket.number, reason: plan.fields.status });
        continue;
      }
      if (Object.keys(plan.fields).length) throw invalid(plan.fields);
      await applyPlan(tx, ctx, ticket, plan, rules);
      if (plan.changes.length) updated++;
      if (plan.set.assigneeId && plan.set.assigneeId !== ctx.actor.userId) assigned.push(ticket.number);
      if (plan.changes.length)
        await runRules(tx, ctx, ticket.id, "ticket.updated", changesFrom(plan.changes));
    }
    // One notification for the lot, not one per ticket.
    if (assigned.length && patch.assigneeId) {
      await notifyUsers(
        tx,
        {
          orgId: ctx.actor.orgId,
          userIds: [patch.assigneeId],
          kind: "ticket.assigned",
          title: `${assigned.length} ticket${assigned.length === 1 ? " was" : "s were"} assigned to you`,
          body: `${ctx.actor.name} assigned you ${assigned.slice(0, 20).map(formatTicketNumber).join(", ")}${assigned.length > 20 ? " and more" : ""}.`,
          url: "/desk/tickets?view=mine",
        },
        ctx.now,
      );
    }
    return { updated, skipped };
  });
}

/** Re-exported so callers that only need the numbering do not reach into orgs/. */
export { formatTicketNumber };
