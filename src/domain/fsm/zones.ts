// Service territories: a code, a name and a centre (the dispatch map's and the optimizer's fallback
// start for technicians without a home base). Changed here; technicians and locations point at them.
import { and, asc, eq, ne } from "drizzle-orm";
import { zones } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { isUuid } from "../tickets/rules";

export type ZoneRow = typeof zones.$inferSelect;

export async function listZones(ctx: Ctx): Promise<ZoneRow[]> {
  requirePermission(ctx.actor, "fsm.read");
  return ctx.db.select().from(zones).where(eq(zones.orgId, ctx.actor.orgId)).orderBy(asc(zones.name));
}

function coordinate(text: string | undefined, limit: number, field: string, fields: FieldErrors): number {
  const value = Number((text ?? "").trim());
  if (!(text ?? "").trim() || !Number.isFinite(value) || Math.abs(value) > limit)
    fields[field] = `Give a number from -${limit} to ${limit}.`;
  return value;
}

/**
 * An optional point (a home base, a customer's site): both numbers or neither; a bad one is marked
 * on its field. Field names are those of the form, e.g. ["lat", "lng"].
 */
export function optionalPoint(
  input: { lat?: string; lng?: string },
  names: [lat: string, lng: string],
  fields: FieldErrors,
): { lat: number | null; lng: number | null } {
  const read = (text: string | undefined, limit: number, field: string) => {
    const t = (text ?? "").trim();
    if (!t) return null;
    const value = Number(t);
    if (!Number.isFinite(value) || Math.abs(value) > limit)
      fields[field] = `Give a number from -${limit} to ${limit}, or leave it empty.`;
    return value;
  };
  const lat = read(input.lat, 90, names[0]);
  const lng = read(input.lng, 180, names[1]);
  if ((lat === null) !== (lng === null) && !fields[names[0]] && !fields[names[1]])
    fields[names[1]] = "Give both the latitude and the longitude, or neither.";
  return { lat, lng };
}

/** The chosen territory's id when it is one of the organization's; otherwise the field is marked. */
export async function checkedZoneId(ctx: Ctx, text: string | undefined, fields: FieldErrors) {
  const zoneId = text?.trim() || null;
  if (!zoneId) return null;
  const [zone] = isUuid(zoneId)
    ? await ctx.db
        .select({ id: zones.id })
        .from(zones)
        .where(and(eq(zones.orgId, ctx.actor.orgId), eq(zones.id, zoneId)))
    : [];
  if (!zone) fields.zoneId = "Choose one of the territories.";
  return zoneId;
}

export async function saveZone(
  ctx: Ctx,
  id: string | null,
  input: { code?: string; name?: string; lat?: string; lng?: string },
): Promise<string> {
  requirePermission(ctx.actor, "fsm.manage");
  const fields: FieldErrors = {};
  const code = (input.code ?? "").trim().toUpperCase();
  if (!/^[A-Z0-9-]{1,12}$/.test(code)) fields.code = "Use up to 12 letters, digits or dashes, e.g. SGR.";
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Name the territory.";
  else if (name.length > 80) fields.name = "Keep the name under 80 characters.";
  const lat = coordinate(input.lat, 90, "lat", fields);
  const lng = coordinate(input.lng, 180, "lng", fields);
  if (!fields.code) {
    const [taken] = await ctx.db
      .select({ id: zones.id })
      .from(zones)
      .where(
        and(
          eq(zones.orgId, ctx.actor.orgId),
          eq(zones.code, code),
          id && isUuid(id) ? ne(zones.id, id) : undefined,
        ),
      );
    if (taken) fields.code = "Another territory has this code.";
  }
  if (Object.keys(fields).length) throw invalid(fields);
  const values = { code, name, lat, lng };
  return ctx.db.transaction(async (tx) => {
    let zoneId = id;
    if (zoneId) {
      const changed = isUuid(zoneId)
        ? await tx
            .update(zones)
            .set(values)
            .where(and(eq(zones.orgId, ctx.actor.orgId), eq(zones.id, zoneId)))
            .returning({ id: zones.id })
        : [];
      if (changed.length === 0) throw notFound("That territory");
    } else
      [{ id: zoneId }] = await tx
        .insert(zones)
        .values({ orgId: ctx.actor.orgId, ...values })
        .returning({ id: zones.id });
    await appendEvent(tx, ctx, { type: "zone.saved", data: { zoneId, ...values } });
    return zoneId!;
  });
}
