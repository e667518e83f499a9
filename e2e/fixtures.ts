// Fixtures for the browser journeys: one organization of their own, with agents, a customer and
// (optionally) tickets, written straight into the database the server will use. Everything is named
// with a unique suffix, because with DATABASE_URL the database is shared with the other tests.
import { join } from "node:path";
import { type Database, openPglite, openPostgres } from "../db/client";
import { contacts, organizations, users } from "../db/schema";
import { hashPassword } from "../src/domain/auth/passwords";
import type { Actor } from "../src/domain/context";
import { FileStore } from "../src/domain/files/store";
import { formatTicketNumber } from "../src/domain/orgs/counters";
import { createTicket } from "../src/domain/tickets/commands";
import { createFieldWorld, type FieldWorld } from "./field-fixtures";

export const PASSWORD = "e2e correct horse battery";

export interface Person {
  id: string;
  email: string;
  name: string;
}

export interface World {
  orgId: string;
  orgName: string;
  /** Unique suffix of this run; put it in subjects and bodies to find them again. */
  tag: string;
  agent: Person;
  agentB: Person;
  customer: Person;
  /** The organization's admin (SLA rules and other settings). */
  admin: Person;
  /** Ticket numbers ("TKT-000001") of the tickets asked for, in order. */
  tickets: string[];
  /** Dispatcher, technician and work orders, when `workOrders` was asked for. */
  field?: FieldWorld;
}

export interface WorldOptions {
  label: string;
  /** Subjects of tickets the customer has already submitted. */
  tickets?: string[];
  /** Subjects of work orders waiting for a visit (adds a dispatcher and a technician). */
  workOrders?: string[];
  /** Dispatch the first work order's visit to the technician, starting now. */
  visitNow?: boolean;
}

/** Opens the database the server will use: DATABASE_URL if set, else the PGlite under dataDir/pg. */
async function open(dataDir: string, databaseUrl: string | undefined): Promise<Database> {
  return databaseUrl ? openPostgres(databaseUrl, { max: 2 }) : openPglite({ dataDir: join(dataDir, "pg") });
}

/**
 * Writes the organization, its people and tickets. Call it before the server starts: PGlite keeps
 * its data directory to one process, so the database is closed again on return.
 */
export async function createWorld(
  dataDir: string,
  databaseUrl: string | undefined,
  options: WorldOptions,
): Promise<World> {
  const database = await open(dataDir, databaseUrl);
  try {
    await database.migrate();
    const { db } = database;
    const tag = `${options.label.toLowerCase().replace(/\W+/g, "")}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const hash = await hashPassword(PASSWORD);
    const [org] = await db
      .insert(organizations)
      .values({ name: `E2E ${options.label} ${tag}`, slug: `e2e-${tag}`, timeZone: "Asia/Kuala_Lumpur" })
      .returning();
    const [contact] = await db
      .insert(contacts)
      .values({ orgId: org.id, name: "Carol Customer", email: `carol@${tag}.test` })
      .returning();
    const rows = await db
      .insert(users)
      .values(
        [
          { orgId: org.id, email: `alice@${tag}.test`, name: "Alice Agent", role: "agent" as const },
          { orgId: org.id, email: `bob@${tag}.test`, name: "Bob Agent", role: "agent" as const },
          { orgId: org.id, email: `dana@${tag}.test`, name: "Dana Admin", role: "admin" as const },
          {
            orgId: org.id,
            email: `carol@${tag}.test`,
            name: "Carol Customer",
            role: "customer" as const,
            contactId: contact.id,
          },
        ].map((u) => ({ ...u, passwordHash: hash })),
      )
      .returning();
    const person = (u: (typeof rows)[number]): Person => ({ id: u.id, email: u.email, name: u.name });
    const [alice, bob, dana, carol] = rows;

    const tickets: string[] = [];
    if (options.tickets?.length) {
      const actor: Actor = {
        kind: "user",
        orgId: org.id,
        role: "customer",
        userId: carol.id,
        contactId: contact.id,
        name: carol.name,
      };
      const files = new FileStore(join(dataDir, "files"), 1024 * 1024);
      for (const subject of options.tickets) {
        const ticket = await createTicket(
          { db, actor, now: new Date(), files },
          { subject, body: `Opened for the browser test ${tag}.` },
        );
        tickets.push(formatTicketNumber(ticket.number));
      }
    }
    return {
      orgId: org.id,
      orgName: org.name,
      tag,
      agent: person(alice),
      agentB: person(bob),
      customer: person(carol),
      admin: person(dana),
      tickets,
      field: options.workOrders
        ? await createFieldWorld(db, org.id, tag, hash, options.workOrders, { visitNow: options.visitNow })
        : undefined,
    };
  } finally {
    await database.close();
  }
}
