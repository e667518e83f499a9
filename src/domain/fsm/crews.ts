// Crews: named groups of technicians who go out together. A visit scheduled for a crew books
// every member; the crew itself is only a shortcut, so changing it later changes no booked visit.
import { and, asc, eq, inArray } from "drizzle-orm";
import { crewMembers, crews, users } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { isUuid } from "../tickets/rules";

export interface Crew {
  id: string;
  name: string;
  members: { userId: string; name: string }[];
}

export async function listCrews(ctx: Ctx): Promise<Crew[]> {
  requirePermission(ctx.actor, "fsm.read");
  const [rows, members] = await Promise.all([
    ctx.db
      .select({ id: crews.id, name: crews.name })
      .from(crews)
      .where(eq(crews.orgId, ctx.actor.orgId))
      .orderBy(asc(crews.name)),
    ctx.db
      .select({ crewId: crewMembers.crewId, userId: users.id, name: users.name })
      .from(crewMembers)
      .innerJoin(users, and(eq(users.orgId, crewMembers.orgId), eq(users.id, crewMembers.userId)))
      .where(eq(crewMembers.orgId, ctx.actor.orgId))
      .orderBy(asc(users.name)),
  ]);
  return rows.map((c) => ({
    ...c,
    members: members.filter((m) => m.crewId === c.id).map(({ userId, name }) => ({ userId, name })),
  }));
}

/** The active technicians of a crew of this organization; undefined when there is no such crew. */
export async function crewTechnicians(
  db: DbOrTx,
  orgId: string,
  crewId: string,
): Promise<string[] | undefined> {
  if (!isUuid(crewId)) return undefined;
  const [crew] = await db
    .select({ id: crews.id })
    .from(crews)
    .where(and(eq(crews.orgId, orgId), eq(crews.id, crewId)));
  if (!crew) return undefined;
  const rows = await db
    .select({ userId: crewMembers.userId })
    .from(crewMembers)
    .innerJoin(users, and(eq(users.orgId, crewMembers.orgId), eq(users.id, crewMembers.userId)))
    .where(
      and(
        eq(crewMembers.orgId, orgId),
        eq(crewMembers.crewId, crew.id),
        eq(users.active, true),
        eq(users.role, "technician"),
      ),
    );
  return rows.map((r) => r.userId);
}

export async function saveCrew(
  ctx: Ctx,
  id: string | null,
  input: { name: string; memberIds: string[] },
): Promise<string> {
  requirePermission(ctx.actor, "fsm.manage");
  const fields: FieldErrors = {};
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Name the crew, e.g. Chiller team.";
  else if (name.length > 80) fields.name = "Keep the name under 80 characters.";
  const memberIds = [...new Set(input.memberIds.filter(Boolean))];
  if (memberIds.length < 2) fields.memberIds = "A crew has at least two technicians.";
  else {
    const found = memberIds.every(isUuid)
      ? await ctx.db
          .select({ id: users.id })
          .from(users)
          .where(
            and(
              eq(users.orgId, ctx.actor.orgId),
              inArray(users.id, memberIds),
              eq(users.role, "technician"),
              eq(users.active, true),
            ),
          )
      : [];
    if (found.length !== memberIds.length) fields.memberIds = "Choose technicians from the list.";
  }
  if (!fields.name) {
    const [taken] = await ctx.db
      .select({ id: crews.id })
      .from(crews)
      .where(and(eq(crews.orgId, ctx.actor.orgId), eq(crews.name, name)));
    if (taken && taken.id !== id) fields.name = "Another crew has this name.";
  }
  if (Object.keys(fields).length) throw invalid(fields);
  return ctx.db.transaction(async (tx) => {
    let crewId = id;
    if (crewId) {
      const changed = isUuid(crewId)
        ? await tx
            .update(crews)
            .set({ name })
            .where(and(eq(crews.orgId, ctx.actor.orgId), eq(crews.id, crewId)))
            .returning({ id: crews.id })
        : [];
      if (changed.length === 0) throw notFound("That crew");
      await tx
        .delete(crewMembers)
        .where(and(eq(crewMembers.orgId, ctx.actor.orgId), eq(crewMembers.crewId, crewId)));
    } else {
      [{ id: crewId }] = await tx
        .insert(crews)
        .values({ orgId: ctx.actor.orgId, name })
        .returning({ id: crews.id });
    }
    await tx
      .insert(crewMembers)
      .values(memberIds.map((userId) => ({ orgId: ctx.actor.orgId, crewId: crewId!, userId })));
    await appendEvent(tx, ctx, { type: "crew.saved", data: { crewId, name, members: memberIds.length } });
    return crewId!;
  });
}

export async function deleteCrew(ctx: Ctx, id: string): Promise<void> {
  requirePermission(ctx.actor, "fsm.manage");
  if (!isUuid(id)) throw notFound("That crew");
  await ctx.db.transaction(async (tx) => {
    const removed = await tx
      .delete(crews)
      .where(and(eq(crews.orgId, ctx.actor.orgId), eq(crews.id, id)))
      .returning({ name: crews.name });
    if (removed.length === 0) throw notFound("That crew");
    await appendEvent(tx, ctx, { type: "crew.deleted", data: { crewId: id, name: removed[0].name } });
  });
}
