// Technicians' field profiles, kept by the office: territory, home base, working hours and days,
// most jobs a day, skills with levels (1–5) and certifications with their expiry. The optimizer and
// the dispatch board read them; an expired certification no longer counts.
import { and, asc, eq } from "drizzle-orm";
import { certifications, skills, technicianSkills, technicians, users, zones } from "../../../db/schema";
import {
  canonicalNames,
  formatSkillList,
  parseSkillList,
  type SkillLevel,
  skillIds,
} from "../assignment/profiles";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { isUuid } from "../tickets/rules";
import { validDate } from "./rules";
import { checkedZoneId, optionalPoint } from "./zones";

export interface TechnicianProfile {
  userId: string;
  name: string;
  zoneId: string | null;
  zoneName: string | null;
  homeLat: number | null;
  homeLng: number | null;
  workStartMinute: number;
  workEndMinute: number;
  workDays: number[];
  maxJobsPerDay: number;
  skills: SkillLevel[];
  certifications: { name: string; expiresOn: string | null }[];
}

/** The profile of a technician the office has not described yet. */
export const TECHNICIAN_DEFAULTS = {
  workStartMinute: 480,
  workEndMinute: 1020,
  workDays: [1, 2, 3, 4, 5],
  maxJobsPerDay: 6,
};
const DEFAULTS = TECHNICIAN_DEFAULTS;

export async function technicianProfiles(ctx: Ctx): Promise<TechnicianProfile[]> {
  requirePermission(ctx.actor, "fsm.read");
  const orgId = ctx.actor.orgId;
  const [people, skillRows, certRows] = await Promise.all([
    ctx.db
      .select({ userId: users.id, name: users.name, profile: technicians, zoneName: zones.name })
      .from(users)
      .leftJoin(technicians, and(eq(technicians.orgId, users.orgId), eq(technicians.userId, users.id)))
      .leftJoin(zones, and(eq(zones.orgId, users.orgId), eq(zones.id, technicians.zoneId)))
      .where(and(eq(users.orgId, orgId), eq(users.role, "technician"), eq(users.active, true)))
      .orderBy(asc(users.name)),
    ctx.db
      .select({
        technicianId: technicianSkills.technicianId,
        name: skills.name,
        level: technicianSkills.level,
      })
      .from(technicianSkills)
      .innerJoin(
        skills,
        and(eq(skills.orgId, technicianSkills.orgId), eq(skills.id, technicianSkills.skillId)),
      )
      .where(eq(technicianSkills.orgId, orgId))
      .orderBy(asc(skills.name)),
    ctx.db
      .select({
        technicianId: certifications.technicianId,
        name: certifications.name,
        expiresOn: certifications.expiresOn,
      })
      .from(certifications)
      .where(eq(certifications.orgId, orgId))
      .orderBy(asc(certifications.name)),
  ]);
  return people.map(({ userId, name, profile, zoneName }) => ({
    userId,
    name,
    zoneId: profile?.zoneId ?? null,
    zoneName,
    homeLat: profile?.homeLat ?? null,
    homeLng: profile?.homeLng ?? null,
    workStartMinute: profile?.workStartMinute ?? DEFAULTS.workStartMinute,
    workEndMinute: profile?.workEndMinute ?? DEFAULTS.workEndMinute,
    // One driver hands int[] back as an Int32Array: a plain array maps to names properly.
    workDays: profile ? Array.from(profile.workDays) : DEFAULTS.workDays,
    maxJobsPerDay: profile?.maxJobsPerDay ?? DEFAULTS.maxJobsPerDay,
    skills: skillRows
      .filter((s) => s.technicianId === profile?.id)
      .map(({ name: n, level }) => ({ name: n, level })),
    certifications: certRows
      .filter((c) => c.technicianId === profile?.id)
      .map(({ name: n, expiresOn }) => ({ name: n, expiresOn })),
  }));
}

export async function technicianProfile(ctx: Ctx, userId: string): Promise<TechnicianProfile> {
  if (!isUuid(userId)) throw notFound("That technician");
  const found = (await technicianProfiles(ctx)).find((p) => p.userId === userId);
  if (!found) throw notFound("That technician");
  return found;
}

export const clockText = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

/** "CFC handling until 2027-03-31" per line; a line without "until" never expires. */
export function formatCertifications(list: TechnicianProfile["certifications"]): string {
  return list.map((c) => (c.expiresOn ? `${c.name} until ${c.expiresOn}` : c.name)).join("\n");
}

function parseCertifications(text: string, fields: FieldErrors) {
  const list: { name: string; expiresOn: string | null }[] = [];
  for (const line of text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const match = /^(.{1,80}?)(?:\s+until\s+(\d{4}-\d{2}-\d{2}))?$/i.exec(line);
    if (!match || (match[2] && !validDate(match[2]))) {
      fields.certifications = `Write one per line, e.g. "CFC handling until 2027-03-31" ("${line.slice(0, 40)}" is not).`;
      break;
    }
    list.push({ name: match[1].trim(), expiresOn: match[2] ?? null });
  }
  return list;
}

export interface TechnicianInput {
  zoneId?: string;
  homeLat?: string;
  homeLng?: string;
  hours?: string;
  workDays?: string[];
  maxJobsPerDay?: string;
  skills?: string;
  certifications?: string;
}

export async function saveTechnicianProfile(ctx: Ctx, userId: string, input: TechnicianInput): Promise<void> {
  requirePermission(ctx.actor, "fsm.manage");
  const person = await technicianProfile(ctx, userId);
  const orgId = ctx.actor.orgId;
  const fields: FieldErrors = {};
  const zoneId = await checkedZoneId(ctx, input.zoneId, fields);
  const { lat: homeLat, lng: homeLng } = optionalPoint(
    { lat: input.homeLat, lng: input.homeLng },
    ["homeLat", "homeLng"],
    fields,
  );
  const hours = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(input.hours ?? "");
  const start = hours ? Number(hours[1]) * 60 + Number(hours[2]) : Number.NaN;
  const end = hours ? Number(hours[3]) * 60 + Number(hours[4]) : Number.NaN;
  if (!hours || start >= end || end > 1440 || Number(hours[2]) > 59 || Number(hours[4]) > 59)
    fields.hours = "Write the shift as 08:00-17:00 (it ends after it starts, the same day).";
  const dayTexts = (input.workDays ?? []).map((d) => d.trim());
  const workDays = [...new Set(dayTexts.filter((d) => /^[1-7]$/.test(d)).map(Number))].sort();
  if (workDays.length < new Set(dayTexts).size) fields.workDays = "Tick days from Monday to Sunday.";
  else if (workDays.length === 0) fields.workDays = "Tick at least one working day.";
  const maxText = (input.maxJobsPerDay ?? "").trim();
  const maxJobsPerDay = Number(maxText);
  if (!/^\d{1,2}$/.test(maxText) || maxJobsPerDay < 1)
    fields.maxJobsPerDay = "Give a whole number of jobs from 1 to 99.";
  const skillList = parseSkillList(input.skills ?? "");
  if (typeof skillList === "string") fields.skills = skillList;
  const certs = parseCertifications(input.certifications ?? "", fields);
  if (Object.keys(fields).length) throw invalid(fields);
  const profile = {
    zoneId,
    homeLat,
    homeLng,
    workStartMinute: start,
    workEndMinute: end,
    workDays,
    maxJobsPerDay,
  };
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(technicians)
      .values({ orgId, userId: person.userId, ...profile })
      .onConflictDoUpdate({ target: [technicians.orgId, technicians.userId], set: profile })
      .returning({ id: technicians.id });
    // "hvac" typed beside the org's "HVAC" is that skill, so skill matching finds the technician.
    const named = await canonicalNames(tx, orgId, skillList as SkillLevel[]);
    const ids = await skillIds(
      tx,
      orgId,
      named.map((s) => s.name),
    );
    await tx
      .delete(technicianSkills)
      .where(and(eq(technicianSkills.orgId, orgId), eq(technicianSkills.technicianId, row.id)));
    if (named.length)
      await tx.insert(technicianSkills).values(
        named.map((s) => ({
          orgId,
          technicianId: row.id,
          skillId: ids.get(s.name.toLowerCase())!,
          level: s.level,
        })),
      );
    await tx
      .delete(certifications)
      .where(and(eq(certifications.orgId, orgId), eq(certifications.technicianId, row.id)));
    if (certs.length)
      await tx.insert(certifications).values(certs.map((c) => ({ orgId, technicianId: row.id, ...c })));
    await appendEvent(tx, ctx, {
      type: "technician.profile_changed",
      data: {
        userId: person.userId,
        name: person.name,
        skills: formatSkillList(named),
        certifications: certs.length,
      },
    });
  });
}
