// Customers create their own portal account; the account is tied to their contact record,
// so tickets they sent by email before show up too.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { users } from "../../../db/schema";
import { systemActor } from "../context";
import { conflict, type FieldErrors, invalid } from "../errors";
import { appendEvent } from "../events/log";
import { findOrCreateContact, isEmail } from "../tickets/people";
import { hashPassword, passwordProblem } from "./passwords";

export async function signUpCustomer(
  db: Db,
  orgId: string,
  input: { name: string; email: string; password: string },
  now: Date,
) {
  const name = input.name?.trim() ?? "";
  const email = input.email?.trim().toLowerCase() ?? "";
  const fields: FieldErrors = {};
  if (!name) fields.name = "Enter your name.";
  else if (name.length > 200) fields.name = "Use at most 200 characters.";
  if (!isEmail(email)) fields.email = "Enter a valid email address.";
  const problem = passwordProblem(input.password ?? "");
  if (problem) fields.password = problem;
  if (Object.keys(fields).length) throw invalid(fields);
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.email, email)));
  if (existing) {
    throw conflict("An account with this email already exists.", {
      email: "An account with this email already exists. Sign in, or reset your password.",
    });
  }
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const contact = await findOrCreateContact(tx, orgId, { email, name }, now);
    const [user] = await tx
      .insert(users)
      .values({ orgId, email, name, role: "customer", passwordHash, contactId: contact.id, createdAt: now })
      .returning({ id: users.id });
    await appendEvent(
      tx,
      { db, actor: { ...systemActor(orgId), userId: user.id }, now },
      {
        type: "user.signed_up",
        data: { userId: user.id, role: "customer" },
      },
    );
    return user;
  });
}
