import { asc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { organizations } from "../../../db/schema";

export type Organization = typeof organizations.$inferSelect;

/**
 * The organization whose public pages (portal sign-up, help center) this host serves: the one
 * registered for the host name, else the first organization (a single-company install).
 */
export async function organizationForHost(db: Db, host: string | null): Promise<Organization | undefined> {
  const name = host?.split(":")[0].toLowerCase();
  if (name) {
    const [byHost] = await db.select().from(organizations).where(eq(organizations.host, name)).limit(1);
    if (byHost) return byHost;
  }
  const [first] = await db.select().from(organizations).orderBy(asc(organizations.createdAt)).limit(1);
  return first;
}

const timeZones = new Map<string, string>();

/** The organization's time zone, cached per process: it changes rarely and every page shows times. */
export async function organizationTimeZone(db: Db, orgId: string): Promise<string> {
  const cached = timeZones.get(orgId);
  if (cached) return cached;
  const [org] = await db
    .select({ timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  const zone = org?.timeZone ?? "UTC";
  timeZones.set(orgId, zone);
  return zone;
}
