// What a customer may see of the documents made out to them: those addressed to their own contact,
// and those addressed to their company. Estimates and invoices ask it the same way.
import { and, eq } from "drizzle-orm";
import { contacts } from "../../../db/schema";
import type { Ctx } from "../context";
import type { DbOrTx } from "../events/log";

/** The signed-in customer's company, if their contact has one. */
export async function customerCompanyId(db: DbOrTx, ctx: Ctx): Promise<string | null> {
  if (!ctx.actor.contactId) return null;
  const [row] = await db
    .select({ companyId: contacts.companyId })
    .from(contacts)
    .where(and(eq(contacts.orgId, ctx.actor.orgId), eq(contacts.id, ctx.actor.contactId)));
  return row?.companyId ?? null;
}

export async function isCustomersOwn(
  db: DbOrTx,
  ctx: Ctx,
  row: { contactId: string | null; companyId: string | null },
): Promise<boolean> {
  if (!ctx.actor.contactId) return false;
  if (row.contactId === ctx.actor.contactId) return true;
  return row.companyId !== null && row.companyId === (await customerCompanyId(db, ctx));
}
