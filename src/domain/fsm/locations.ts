// Customers' service locations: where visits happen, with coordinates for the map and the
// optimizer, and the territory that serves them. The customer is a contact (by email) or a company.
import { and, asc, desc, eq, ilike, or } from "drizzle-orm";
import { assets, companies, contacts, serviceLocations, workOrders, zones } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { isUuid } from "../tickets/rules";
import { contactByEmail } from "./workOrders";
import { checkedZoneId, optionalPoint } from "./zones";

export async function listLocations(ctx: Ctx, q = "") {
  requirePermission(ctx.actor, "fsm.read");
  const text = q.trim().slice(0, 100);
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return ctx.db
    .select({
      id: serviceLocations.id,
      name: serviceLocations.name,
      address: serviceLocations.address,
      lat: serviceLocations.lat,
      lng: serviceLocations.lng,
      zoneName: zones.name,
      contactName: contacts.name,
      companyName: companies.name,
    })
    .from(serviceLocations)
    .leftJoin(zones, and(eq(zones.orgId, serviceLocations.orgId), eq(zones.id, serviceLocations.zoneId)))
    .leftJoin(
      contacts,
      and(eq(contacts.orgId, serviceLocations.orgId), eq(contacts.id, serviceLocations.contactId)),
    )
    .leftJoin(
      companies,
      and(eq(companies.orgId, serviceLocations.orgId), eq(companies.id, serviceLocations.companyId)),
    )
    .where(
      and(
        eq(serviceLocations.orgId, ctx.actor.orgId),
        text ? or(ilike(serviceLocations.name, like), ilike(serviceLocations.address, like)) : undefined,
      ),
    )
    .orderBy(asc(serviceLocations.name))
    .limit(300);
}

/** One location with its customer, territory, the equipment there and the visits made there. */
export async function getLocation(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, "fsm.read");
  if (!isUuid(id)) throw notFound("That location");
  const orgId = ctx.actor.orgId;
  const [row] = await ctx.db
    .select({
      location: serviceLocations,
      contactEmail: contacts.email,
      contactName: contacts.name,
      companyName: companies.name,
      zoneName: zones.name,
    })
    .from(serviceLocations)
    .leftJoin(
      contacts,
      and(eq(contacts.orgId, serviceLocations.orgId), eq(contacts.id, serviceLocations.contactId)),
    )
    .leftJoin(
      companies,
      and(eq(companies.orgId, serviceLocations.orgId), eq(companies.id, serviceLocations.companyId)),
    )
    .leftJoin(zones, and(eq(zones.orgId, serviceLocations.orgId), eq(zones.id, serviceLocations.zoneId)))
    .where(and(eq(serviceLocations.orgId, orgId), eq(serviceLocations.id, id)));
  if (!row) throw notFound("That location");
  const [equipment, history] = await Promise.all([
    ctx.db
      .select({
        id: assets.id,
        type: assets.type,
        make: assets.make,
        model: assets.model,
        serial: assets.serial,
        status: assets.status,
      })
      .from(assets)
      .where(and(eq(assets.orgId, orgId), eq(assets.locationId, id)))
      .orderBy(asc(assets.type), asc(assets.serial))
      .limit(200),
    ctx.db
      .select({
        number: workOrders.number,
        subject: workOrders.subject,
        status: workOrders.status,
        createdAt: workOrders.createdAt,
      })
      .from(workOrders)
      .where(and(eq(workOrders.orgId, orgId), eq(workOrders.locationId, id)))
      .orderBy(desc(workOrders.createdAt))
      .limit(100),
  ]);
  return { ...row, assets: equipment, history };
}

export interface LocationInput {
  name?: string;
  address?: string;
  lat?: string;
  lng?: string;
  zoneId?: string;
  contactEmail?: string;
}

export async function saveLocation(ctx: Ctx, id: string | null, input: LocationInput): Promise<string> {
  requirePermission(ctx.actor, "fsm.manage");
  const orgId = ctx.actor.orgId;
  const fields: FieldErrors = {};
  const name = (input.name ?? "").trim();
  if (!name) fields.name = "Name the place, e.g. Head office.";
  else if (name.length > 120) fields.name = "Keep the name under 120 characters.";
  const address = (input.address ?? "").trim();
  if (!address) fields.address = "Give the address the technician drives to.";
  else if (address.length > 500) fields.address = "Keep the address under 500 characters.";
  const { lat, lng } = optionalPoint(input, ["lat", "lng"], fields);
  const zoneId = await checkedZoneId(ctx, input.zoneId, fields);
  let contactId: string | null = null;
  // The form names only a contact: a location keeps its company unless the contact given belongs
  // to one (undefined leaves the column as it is), so correcting coordinates does not detach it.
  let companyId: string | undefined;
  const email = (input.contactEmail ?? "").trim();
  if (email) {
    contactId = (await contactByEmail(ctx, email)) ?? null;
    if (!contactId) fields.contactEmail = "No customer of this organization has that address.";
    else {
      const [contact] = await ctx.db
        .select({ companyId: contacts.companyId })
        .from(contacts)
        .where(and(eq(contacts.orgId, orgId), eq(contacts.id, contactId)));
      companyId = contact?.companyId ?? undefined;
    }
  }
  if (Object.keys(fields).length) throw invalid(fields);
  const values = { name, address, lat, lng, zoneId, contactId, companyId };
  return ctx.db.transaction(async (tx) => {
    let locationId = id;
    if (locationId) {
      const changed = isUuid(locationId)
        ? await tx
            .update(serviceLocations)
            .set(values)
            .where(and(eq(serviceLocations.orgId, orgId), eq(serviceLocations.id, locationId)))
            .returning({ id: serviceLocations.id })
        : [];
      if (changed.length === 0) throw notFound("That location");
    } else
      [{ id: locationId }] = await tx
        .insert(serviceLocations)
        .values({ orgId, ...values })
        .returning({ id: serviceLocations.id });
    await appendEvent(tx, ctx, { type: "location.saved", data: { locationId, name, zoneId } });
    return locationId!;
  });
}
