// Resolving the people a ticket points at, always inside the actor's organization.
import { and, eq, inArray } from "drizzle-orm";
import { contacts, teams, users } from "../../../db/schema";
import { STAFF_ROLES } from "../context";
import type { FieldErrors } from "../errors";
import type { DbOrTx } from "../events/log";
import { isUuid } from "./rules";

const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;
export const isEmail = (v: string) => v.length <= 254 && EMAIL.test(v);

/** Checks that an assignee id names an active staff member of the organization. */
export async function checkAssignee(
  db: DbOrTx,
  orgId: string,
  assigneeId: string | null,
  fields: FieldErrors,
) {
  if (assigneeId === null) return;
  if (!isUuid(assigneeId)) {
    fields.assigneeId = "Choose an agent from the list.";
    return;
  }
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.orgId, orgId),
        eq(users.id, assigneeId),
        eq(users.active, true),
        inArray(users.role, [...STAFF_ROLES]),
      ),
    );
  if (!row) fields.assigneeId = "That agent does not exist in this organization.";
}

export async function checkTeam(db: DbOrTx, orgId: string, teamId: string | null, fields: FieldErrors) {
  if (teamId === null) return;
  const [row] = isUuid(teamId)
    ? await db
        .select({ id: teams.id })
        .from(teams)
        .where(and(eq(teams.orgId, orgId), eq(teams.id, teamId)))
    : [];
  if (!row) fields.teamId = "That team does not exist in this organization.";
}

/** The contact with this address, created when the organization has not heard from it before. */
export async function findOrCreateContact(
  db: DbOrTx,
  orgId: string,
  input: { email: string; name?: string },
  now: Date,
): Promise<{ id: string; companyId: string | null }> {
  const email = input.email.trim().toLowerCase();
  const name = input.name?.trim() || email.split("@")[0];
  const byEmail = () =>
    db
      .select({ id: contacts.id, companyId: contacts.companyId })
      .from(contacts)
      .where(and(eq(contacts.orgId, orgId), eq(contacts.email, email)));
  // Most requesters have written before: one read. A new one is inserted; when another writer
  // inserted the same address meanwhile, the read after the insert sees theirs.
  const [known] = await byEmail();
  if (known) return known;
  const [inserted] = await db
    .insert(contacts)
    .values({ orgId, email, name: name.slice(0, 200), createdAt: now })
    .onConflictDoNothing({ target: [contacts.orgId, contacts.email] })
    .returning({ id: contacts.id, companyId: contacts.companyId });
  if (inserted) return inserted;
  const [row] = await byEmail();
  return row;
}

/**
 * The contact writing in from this address (email, web form), created if the organization has not
 * heard from it before. Writing in proves the address works, so a bounce mark is cleared.
 */
export async function contactWritingIn(
  db: DbOrTx,
  orgId: string,
  input: { email: string; name?: string },
  now: Date,
): Promise<{ id: string; name: string }> {
  const email = input.email.trim().toLowerCase();
  const name = input.name?.trim() || email.split("@")[0];
  const [row] = await db
    .insert(contacts)
    .values({ orgId, email, name: name.slice(0, 200), createdAt: now })
    .onConflictDoUpdate({
      target: [contacts.orgId, contacts.email],
      set: { emailFailingAt: null, emailFailure: null },
    })
    .returning({ id: contacts.id, name: contacts.name });
  return row;
}

export async function contactById(db: DbOrTx, orgId: string, contactId: string) {
  if (!isUuid(contactId)) return undefined;
  const [row] = await db
    .select({ id: contacts.id, companyId: contacts.companyId, email: contacts.email, name: contacts.name })
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)));
  return row;
}
