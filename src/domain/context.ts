// The context every domain function receives (DESIGN.md rule 1): who acts, on which database, at what time.

import type { Db } from "../../db/client";
import type { Role } from "../../db/schema";
import { forbidden } from "./errors";
import type { FileStore } from "./files/store";

export interface Actor {
  kind: "user" | "api" | "system";
  orgId: string;
  role: Role;
  /** The signed-in user; absent for API tokens and the system. */
  userId?: string;
  /** For customers: the contact their tickets belong to. */
  contactId?: string;
  name: string;
}

export interface Ctx {
  db: Db;
  actor: Actor;
  now: Date;
  /** Where uploads go; needed only by functions that accept files. */
  files?: FileStore;
  /** Set while an automation rule acts: its changes do not fire rules again. */
  automation?: boolean;
}

export const STAFF_ROLES: readonly Role[] = ["admin", "supervisor", "agent"];

/** What each role may do; domain functions ask this, views only mirror it. */
const PERMISSIONS = {
  "tickets.read_all": ["admin", "supervisor", "agent", "dispatcher"],
  "tickets.work": ["admin", "supervisor", "agent"],
  "tickets.bulk": ["admin", "supervisor", "agent"],
  "tickets.read_own": ["customer"],
  "org.admin": ["admin"],
  "macros.shared": ["admin", "supervisor"],
  /** Change or delete anyone's time entries on tickets (everyone may change their own). */
  "time.manage_all": ["admin", "supervisor"],
  // Field service: dispatchers run it; agents read work orders and make them from tickets;
  // technicians act on the appointments they are assigned to (checked per appointment).
  "fsm.manage": ["admin", "supervisor", "dispatcher"],
  "fsm.read": ["admin", "supervisor", "dispatcher", "agent"],
  "fsm.from_ticket": ["admin", "supervisor", "dispatcher", "agent"],
  "fsm.field": ["technician"],
  /** Write, send and follow up estimates (quotes). */
  "estimates.manage": ["admin", "supervisor", "dispatcher"],
  /** Read, accept or decline the estimates made out to oneself or one's company (in the portal). */
  "estimates.respond": ["customer"],
  /** Write invoices, send them, record payments, void them. */
  "invoices.manage": ["admin", "supervisor", "dispatcher"],
  /** See the organization's invoices (agents answer customers' questions about them). */
  "invoices.read": ["admin", "supervisor", "dispatcher", "agent"],
  /** Read the invoices made out to oneself or one's company, once sent (in the portal). */
  "invoices.view_own": ["customer"],
  /** Preventive maintenance plans and the work orders they make. */
  "maintenance.manage": ["admin", "supervisor", "dispatcher"],
  /**
   * Stock locations, receipts, transfers and counts; recording a part used on a visit from any
   * location, even past what the records say is there (an override, with a reason).
   */
  "inventory.manage": ["admin", "supervisor", "dispatcher"],
  /** Approve or send back technicians' timesheets. */
  "timesheets.approve": ["admin", "supervisor"],
  /** Write and edit knowledge-base drafts; read internal articles. */
  "kb.write": ["admin", "supervisor", "agent"],
  /** Publish and archive articles, manage categories and sections, read article feedback. */
  "kb.publish": ["admin", "supervisor"],
  /** "Ask the data": questions about the organization's figures, answered by fixed queries. */
  "reports.ask": ["admin", "supervisor"],
  /** The desk's report of a period: volumes, first replies, SLA, satisfaction, self-service, visits. */
  "reports.read": ["admin", "supervisor"],
  /** Receive notifications in the product and by email: everyone but customers. */
  "notifications.receive": ["admin", "supervisor", "agent", "dispatcher", "technician"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(actor: Actor, permission: Permission): boolean {
  return roleCan(actor.role, permission);
}

/** The same answer for a role alone, for views deciding which links to show. */
export function roleCan(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw forbidden();
}

/** A customer acting through a channel (mail, web form, chat) rather than a signed-in session. */
export function customerActor(orgId: string, contact: { id: string; name: string }): Actor {
  return { kind: "system", orgId, role: "customer", contactId: contact.id, name: contact.name };
}

export function systemActor(orgId: string): Actor {
  return { kind: "system", orgId, role: "admin", name: "System" };
}
