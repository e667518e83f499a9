// Macros: canned responses agents apply to a ticket. The reply text has placeholders filled from
// the ticket; the field changes (status, priority, assignee, tags…) apply at once, as a change by
// the agent. Personal macros are the agent's own; shared ones are managed by supervisors and admins.
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import { contacts, macros, type RuleAction } from "../../../db/schema";
import { patchOf } from "../automation/engine";
import { type Ctx, can, requirePermission } from "../context";
import { fill } from "../email/templates";
import { type FieldErrors, forbidden, invalid, notFound } from "../errors";
import { formatTicketNumber } from "../orgs/counters";
import { prepared } from "../prepared";
import { findVisibleTicket, type TicketRef } from "../tickets/access";
import { updateTicket } from "../tickets/commands";
import { actionValues, isUuid } from "../tickets/rules";

export const MACRO_ACTIONS: Record<string, string> = {
  set_status: "Set status",
  set_priority: "Set priority",
  set_type: "Set type",
  assign_user: "Assign to person",
  assign_team: "Move to team",
  add_tags: "Add tags",
};

export const MACRO_PLACEHOLDERS = [
  "contact.name",
  "contact.first_name",
  "ticket.number",
  "ticket.subject",
  "agent.name",
  "agent.first_name",
];

export type MacroRow = typeof macros.$inferSelect;

/** The shared macros and the agent's own, by name. */
export async function listMacros(ctx: Ctx): Promise<MacroRow[]> {
  requirePermission(ctx.actor, "tickets.work");
  return prepared(ctx.db, "listMacros", () =>
    ctx.db
      .select()
      .from(macros)
      .where(
        and(
          eq(macros.orgId, sql.placeholder("orgId")),
          or(isNull(macros.ownerUserId), eq(macros.ownerUserId, sql.placeholder("userId"))),
        ),
      )
      .orderBy(asc(macros.name))
      .prepare("list_macros"),
  ).execute({ orgId: ctx.actor.orgId, userId: ctx.actor.userId ?? NO_USER });
}

/** A user id no row has: an actor without a user sees only the shared macros. */
const NO_USER = "00000000-0000-0000-0000-000000000000";

async function usableMacro(ctx: Ctx, id: string): Promise<MacroRow> {
  requirePermission(ctx.actor, "tickets.work");
  if (!isUuid(id)) throw notFound("That macro");
  const [macro] = await ctx.db
    .select()
    .from(macros)
    .where(and(eq(macros.orgId, ctx.actor.orgId), eq(macros.id, id)));
  if (!macro || (macro.ownerUserId && macro.ownerUserId !== ctx.actor.userId)) throw notFound("That macro");
  return macro;
}

export async function getMacro(ctx: Ctx, id: string): Promise<MacroRow> {
  return usableMacro(ctx, id);
}

/** Shared macros belong to everyone: only supervisors and admins change them. */
function checkMayEdit(ctx: Ctx, shared: boolean) {
  if (shared && !can(ctx.actor, "macros.shared"))
    throw forbidden("Only supervisors and admins change shared macros.");
}

export interface MacroInput {
  name?: string;
  shortcut?: string;
  body?: string;
  shared?: boolean;
  actions?: Partial<RuleAction>[];
}

export async function saveMacro(ctx: Ctx, id: string | null, input: MacroInput): Promise<string> {
  requirePermission(ctx.actor, "tickets.work");
  const existing = id ? await usableMacro(ctx, id) : undefined;
  if (existing) checkMayEdit(ctx, existing.ownerUserId === null);
  const shared = !!input.shared;
  checkMayEdit(ctx, shared);
  const fields: FieldErrors = {};
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Name the macro, e.g. “Refund approved”.";
  else if (name.length > 100) fields.name = "Keep the name under 100 characters.";
  const shortcut = (input.shortcut ?? "").trim().toLowerCase();
  if (shortcut && !/^[a-z0-9-]{1,30}$/.test(shortcut))
    fields.shortcut = "Use up to 30 letters, digits or dashes.";
  const body = (input.body ?? "").replace(/\r\n/g, "\n").trim();
  if (body.length > 20_000) fields.body = "Keep the text under 20,000 characters.";
  const actions: RuleAction[] = [];
  (input.actions ?? []).forEach((a, i) => {
    if (!a.type) return;
    const value = (a.value ?? "").trim();
    const allowed = actionValues(a.type);
    if (!(a.type in MACRO_ACTIONS)) fields[`actions.${i}`] = "Choose an action.";
    else if (allowed && !allowed.includes(value))
      fields[`actions.${i}`] = `Choose one of: ${allowed.join(", ")}.`;
    else if (!value && a.type === "add_tags") fields[`actions.${i}`] = "Give the tags.";
    actions.push({ type: a.type, value });
  });
  if (!body && actions.length === 0) fields.body = "Write the reply text, or give the macro an action.";
  if (Object.keys(fields).length) throw invalid(fields);
  const values = {
    name,
    shortcut: shortcut || null,
    body,
    actions,
    ownerUserId: shared ? null : (ctx.actor.userId ?? null),
    updatedAt: ctx.now,
  };
  if (existing) {
    await ctx.db
      .update(macros)
      .set(values)
      .where(and(eq(macros.orgId, ctx.actor.orgId), eq(macros.id, existing.id)));
    return existing.id;
  }
  const [row] = await ctx.db
    .insert(macros)
    .values({ orgId: ctx.actor.orgId, ...values, createdAt: ctx.now })
    .returning({ id: macros.id });
  return row.id;
}

export async function deleteMacro(ctx: Ctx, id: string): Promise<void> {
  const macro = await usableMacro(ctx, id);
  checkMayEdit(ctx, macro.ownerUserId === null);
  await ctx.db.delete(macros).where(and(eq(macros.orgId, ctx.actor.orgId), eq(macros.id, macro.id)));
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? "";

/** Applies a macro to a ticket: its field changes now, and its text filled in for the reply box. */
export async function applyMacro(ctx: Ctx, ref: TicketRef, macroId: string): Promise<{ body: string }> {
  const macro = await usableMacro(ctx, macroId);
  const ticket = await findVisibleTicket(ctx.db, ctx.actor, ref);
  const patch = patchOf(macro.actions);
  if (Object.keys(patch).length) await updateTicket(ctx, ticket.id, patch);
  const [contact] = await ctx.db
    .select({ name: contacts.name })
    .from(contacts)
    .where(and(eq(contacts.orgId, ctx.actor.orgId), eq(contacts.id, ticket.contactId)));
  const values: Record<string, string> = {
    "contact.name": contact?.name ?? "",
    "contact.first_name": firstName(contact?.name ?? ""),
    "ticket.number": formatTicketNumber(ticket.number),
    "ticket.subject": ticket.subject,
    "agent.name": ctx.actor.name,
    "agent.first_name": firstName(ctx.actor.name),
  };
  return { body: fill(macro.body, values) };
}
