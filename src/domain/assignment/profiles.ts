// What assignment knows about each agent and category, kept by admins: an agent's skills with
// levels, zone and working hours; the skills each category needs. Skills are the organization's one
// list (shared with technicians); typing a new name adds it.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import {
  agentSkills,
  agentStatus,
  categorySkills,
  skills,
  ticketCategories,
  users,
  type WorkingInterval,
  zones,
} from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { formatDayHours, parseDayHours } from "../sla/admin";
import { isUuid } from "../tickets/rules";

export interface SkillLevel {
  name: string;
  level: number;
}

/** "Networking 4, Billing 2" → skills with levels; a message when a piece cannot be read. */
export function parseSkillList(text: string): SkillLevel[] | string {
  const found = new Map<string, SkillLevel>();
  for (const piece of text
    .split(/[,;\n]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(.{1,60}?)\s*[:=]?\s*([1-5])$/.exec(piece);
    if (!match?.[1].trim())
      return `Write each skill as its name and a level from 1 to 5, e.g. "Networking 4" ("${piece.slice(0, 40)}" is not).`;
    const name = match[1].trim();
    found.set(name.toLowerCase(), { name, level: Number(match[2]) });
  }
  return [...found.values()];
}

export function formatSkillList(list: SkillLevel[]): string {
  return list.map((s) => `${s.name} ${s.level}`).join(", ");
}

/** Skill ids for the names, adding the ones the organization does not have yet. */
export async function skillIds(tx: DbOrTx, orgId: string, names: string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  await tx
    .insert(skills)
    .values(names.map((name) => ({ orgId, name })))
    .onConflictDoNothing();
  const rows = await tx
    .select({ id: skills.id, name: skills.name })
    .from(skills)
    .where(and(eq(skills.orgId, orgId), inArray(skills.name, names)));
  return new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
}

/** Existing skill names win over the case typed ("networking" is the org's "Networking"). */
export async function canonicalNames(tx: DbOrTx, orgId: string, list: SkillLevel[]): Promise<SkillLevel[]> {
  const rows = await tx.select({ name: skills.name }).from(skills).where(eq(skills.orgId, orgId));
  const byLower = new Map(rows.map((r) => [r.name.toLowerCase(), r.name]));
  return list.map((s) => ({ ...s, name: byLower.get(s.name.toLowerCase()) ?? s.name }));
}

export interface AgentProfile {
  userId: string;
  name: string;
  skills: SkillLevel[];
  zoneId: string | null;
  zoneName: string | null;
  hours: WorkingInterval[] | null;
}

/** The organization's desk agents with what assignment knows about them. */
export async function agentProfiles(ctx: Ctx): Promise<AgentProfile[]> {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  const [people, skillRows] = await Promise.all([
    ctx.db
      .select({
        userId: users.id,
        name: users.name,
        zoneId: agentStatus.zoneId,
        zoneName: zones.name,
        hours: agentStatus.workingHours,
      })
      .from(users)
      .leftJoin(agentStatus, and(eq(agentStatus.orgId, users.orgId), eq(agentStatus.userId, users.id)))
      .leftJoin(zones, and(eq(zones.orgId, users.orgId), eq(zones.id, agentStatus.zoneId)))
      .where(
        and(
          eq(users.orgId, orgId),
          eq(users.active, true),
          inArray(users.role, ["admin", "supervisor", "agent"]),
        ),
      )
      .orderBy(asc(users.name)),
    ctx.db
      .select({ userId: agentSkills.userId, name: skills.name, level: agentSkills.level })
      .from(agentSkills)
      .innerJoin(skills, and(eq(skills.orgId, agentSkills.orgId), eq(skills.id, agentSkills.skillId)))
      .where(eq(agentSkills.orgId, orgId))
      .orderBy(asc(skills.name)),
  ]);
  return people.map((p) => ({
    ...p,
    skills: skillRows.filter((s) => s.userId === p.userId).map(({ name, level }) => ({ name, level })),
    hours: p.hours ?? null,
  }));
}

export async function agentProfile(ctx: Ctx, userId: string): Promise<AgentProfile> {
  if (!isUuid(userId)) throw notFound("That agent");
  const profile = (await agentProfiles(ctx)).find((p) => p.userId === userId);
  if (!profile) throw notFound("That agent");
  return profile;
}

/** The zones an agent may be given. */
export async function zoneChoices(ctx: Ctx): Promise<{ id: string; name: string }[]> {
  requirePermission(ctx.actor, "org.admin");
  return ctx.db
    .select({ id: zones.id, name: zones.name })
    .from(zones)
    .where(eq(zones.orgId, ctx.actor.orgId))
    .orderBy(asc(zones.name));
}

export interface AgentProfileInput {
  skills: string;
  zoneId: string;
  /** Working hours per ISO weekday (1 = Monday), as typed. */
  hours: Record<number, string>;
}

export async function saveAgentProfile(ctx: Ctx, userId: string, input: AgentProfileInput): Promise<void> {
  const profile = await agentProfile(ctx, userId);
  const orgId = ctx.actor.orgId;
  const fields: FieldErrors = {};
  const parsed = parseSkillList(input.skills ?? "");
  if (typeof parsed === "string") fields.skills = parsed;
  const zoneId = input.zoneId?.trim() || null;
  if (zoneId) {
    const [zone] = isUuid(zoneId)
      ? await ctx.db
          .select({ id: zones.id })
          .from(zones)
          .where(and(eq(zones.orgId, orgId), eq(zones.id, zoneId)))
      : [];
    if (!zone) fields.zoneId = "Choose one of the organization's zones.";
  }
  const hours: WorkingInterval[] = [];
  for (let day = 1; day <= 7; day++) {
    const read = parseDayHours(day, input.hours[day] ?? "");
    if (typeof read === "string") fields[`hours_${day}`] = read;
    else hours.push(...read);
  }
  if (Object.keys(fields).length) throw invalid(fields);
  const list = parsed as SkillLevel[];
  await ctx.db.transaction(async (tx) => {
    const named = await canonicalNames(tx, orgId, list);
    const ids = await skillIds(
      tx,
      orgId,
      named.map((s) => s.name),
    );
    await tx
      .delete(agentSkills)
      .where(and(eq(agentSkills.orgId, orgId), eq(agentSkills.userId, profile.userId)));
    if (named.length)
      await tx.insert(agentSkills).values(
        named.map((s) => ({
          orgId,
          userId: profile.userId,
          skillId: ids.get(s.name.toLowerCase())!,
          level: s.level,
        })),
      );
    const workingHours = hours.length ? hours : null;
    await tx
      .insert(agentStatus)
      .values({
        orgId,
        userId: profile.userId,
        status: "available",
        workingHours,
        zoneId,
        updatedAt: ctx.now,
      })
      .onConflictDoUpdate({
        target: [agentStatus.orgId, agentStatus.userId],
        set: { workingHours, zoneId, updatedAt: ctx.now },
      });
    await appendEvent(tx, ctx, {
      type: "agent.profile_changed",
      data: {
        userId: profile.userId,
        name: profile.name,
        skills: formatSkillList(named),
        zoneId,
        hours: workingHours,
      },
    });
  });
}

export function hoursText(hours: WorkingInterval[] | null, day: number): string {
  return hours ? formatDayHours(hours, day) : "";
}

export interface CategorySkills {
  categoryId: string;
  path: string;
  skills: SkillLevel[];
}

/** Every category and subcategory with the skills it needs. */
export async function categorySkillList(ctx: Ctx): Promise<CategorySkills[]> {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  const [categories, needs] = await Promise.all([
    ctx.db.execute(sql`
      select c.id as "categoryId", coalesce(p.name || ' › ' || c.name, c.name) as path
      from ticket_categories c left join ticket_categories p on p.org_id = c.org_id and p.id = c.parent_id
      where c.org_id = ${orgId} and not c.archived
      order by coalesce(p.position, c.position), coalesce(p.name, c.name), p.id nulls first, c.position, c.name`),
    ctx.db
      .select({ categoryId: categorySkills.categoryId, name: skills.name, level: categorySkills.minLevel })
      .from(categorySkills)
      .innerJoin(skills, and(eq(skills.orgId, categorySkills.orgId), eq(skills.id, categorySkills.skillId)))
      .where(eq(categorySkills.orgId, orgId))
      .orderBy(asc(skills.name)),
  ]);
  return rowsOf<{ categoryId: string; path: string }>(categories).map((c) => ({
    ...c,
    skills: needs.filter((n) => n.categoryId === c.categoryId).map(({ name, level }) => ({ name, level })),
  }));
}

/** The skills (and lowest levels) a category's tickets need; empty text clears them. */
export async function saveCategorySkills(ctx: Ctx, categoryId: string, text: string): Promise<void> {
  requirePermission(ctx.actor, "org.admin");
  const orgId = ctx.actor.orgId;
  if (!isUuid(categoryId)) throw notFound("That category");
  const [category] = await ctx.db
    .select({ id: ticketCategories.id, name: ticketCategories.name })
    .from(ticketCategories)
    .where(and(eq(ticketCategories.orgId, orgId), eq(ticketCategories.id, categoryId)));
  if (!category) throw notFound("That category");
  const parsed = parseSkillList(text ?? "");
  if (typeof parsed === "string") throw invalid({ skills: parsed });
  await ctx.db.transaction(async (tx) => {
    const named = await canonicalNames(tx, orgId, parsed);
    const ids = await skillIds(
      tx,
      orgId,
      named.map((s) => s.name),
    );
    await tx
      .delete(categorySkills)
      .where(and(eq(categorySkills.orgId, orgId), eq(categorySkills.categoryId, category.id)));
    if (named.length)
      await tx.insert(categorySkills).values(
        named.map((s) => ({
          orgId,
          categoryId: category.id,
          skillId: ids.get(s.name.toLowerCase())!,
          minLevel: s.level,
        })),
      );
    await appendEvent(tx, ctx, {
      type: "category.skills_changed",
      data: { categoryId: category.id, name: category.name, skills: formatSkillList(named) },
    });
  });
}
