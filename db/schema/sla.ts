// SLA rules admins edit: business calendars with their holidays, policies, and who is told when a
// ticket is escalated past its supervisor. The clocks themselves are derived from the event log.
import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { jsonb } from "./jsonb";
import { organizations } from "./orgs";
import { teams } from "./teams";
import { type TicketStatus, tickets } from "./tickets";

/** One interval of business hours; see WeeklyInterval in src/domain/sla/calendar.ts. */
export interface StoredWeeklyInterval {
  day: number;
  start: string;
  end: string;
}

export interface StoredPolicyConditions {
  priorities?: string[];
  channels?: string[];
  companyTiers?: string[];
  /** Ticket types (question, incident, …): the categories tickets have today. */
  categories?: string[];
  /** Team ids. */
  teams?: string[];
  /** Ticket category or subcategory ids (a category covers its subcategories). */
  ticketCategories?: string[];
}

export type StoredPolicyTargets = Record<
  string,
  Partial<
    Record<"first_response" | "next_response" | "resolution", { minutes: number; businessHours: boolean }>
  >
>;

export const businessCalendars = pgTable(
  "business_calendars",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    timeZone: text("time_zone").notNull(),
    /** Weekly business hours; an interval whose end is at or before its start runs overnight. */
    weekly: jsonb("weekly").$type<StoredWeeklyInterval[]>().notNull(),
    /** The team this calendar is for: its tickets count it under policies that choose no calendar. */
    teamId: uuid("team_id"),
    /** The calendar of policies that do not name one. At most one per organization. */
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("business_calendars_org_name").on(t.orgId, t.name),
    unique("business_calendars_org_id").on(t.orgId, t.id),
    uniqueIndex("business_calendars_org_default").on(t.orgId).where(sql`is_default`),
    foreignKey({
      name: "business_calendars_team_fk",
      columns: [t.orgId, t.teamId],
      foreignColumns: [teams.orgId, teams.id],
    }),
  ],
);

export const calendarHolidays = pgTable(
  "calendar_holidays",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    calendarId: uuid("calendar_id").notNull(),
    /** Local date "YYYY-MM-DD" in the calendar's zone. */
    date: text("date").notNull(),
    name: text("name").notNull(),
    /** Partial day: closed from start to end ("HH:MM", end may be "24:00"); both null = all day. */
    startTime: text("start_time"),
    endTime: text("end_time"),
  },
  (t) => [
    unique("calendar_holidays_org_id").on(t.orgId, t.id),
    index("calendar_holidays_calendar").on(t.orgId, t.calendarId, t.date),
    foreignKey({
      name: "calendar_holidays_calendar_fk",
      columns: [t.orgId, t.calendarId],
      foreignColumns: [businessCalendars.orgId, businessCalendars.id],
    }).onDelete("cascade"),
  ],
);

export const slaPolicies = pgTable(
  "sla_policies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Policies are tried in ascending position; the first whose conditions match applies. */
    position: integer("position").notNull(),
    conditions: jsonb("conditions").$type<StoredPolicyConditions>().notNull(),
    targets: jsonb("targets").$type<StoredPolicyTargets>().notNull(),
    pauseStatuses: text("pause_statuses")
      .array()
      .$type<TicketStatus[]>()
      .notNull()
      .default(sql`'{pending,on_hold}'::text[]`),
    /** Null: the ticket's team calendar, else the default calendar (else around the clock). */
    calendarId: uuid("calendar_id"),
    active: boolean("active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("sla_policies_org_name").on(t.orgId, t.name),
    unique("sla_policies_org_id").on(t.orgId, t.id),
    index("sla_policies_org_position").on(t.orgId, t.position),
    foreignKey({
      name: "sla_policies_calendar_fk",
      columns: [t.orgId, t.calendarId],
      foreignColumns: [businessCalendars.orgId, businessCalendars.id],
    }),
  ],
);

/** Organization-wide SLA settings: who receives level-2 escalations (24 h past a breach). */
export const slaSettings = pgTable(
  "sla_settings",
  {
    orgId: uuid("org_id")
      .primaryKey()
      .references(() => organizations.id, { onDelete: "cascade" }),
    escalationUserId: uuid("escalation_user_id"),
    /** An address outside the product (e.g. a duty manager's mailbox); recorded with the escalation. */
    escalationEmail: text("escalation_email"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      name: "sla_settings_escalation_user_fk",
      columns: [t.orgId, t.escalationUserId],
      foreignColumns: [users.orgId, users.id],
    }),
  ],
);

/**
 * When the SLA sweep should next look at an open ticket: the moment its next escalation step comes
 * due (a share of a target used, the breach, or hours after it). A row exists only while a step is
 * ahead. It lives apart from the ticket row, which carries nine indexes (full-text and GIN among
 * them): moving the look-in time on after each step then leaves the ticket row alone, and the
 * ticket row changes only when its due time or overdue flag does.
 *
 * `plan` holds the coming steps themselves (see src/domain/sla/plan.ts): each step's moment and the
 * words its event will carry, worked out from the event log whenever the due times are (every
 * ticket change, and the recompute after a policy or calendar edit). The sweep records them from
 * here without reading the log or running the engine, and moves `plan_done_until` on past the
 * steps it recorded (the plan itself, ~1 kB, is rewritten only when the due times are recomputed).
 * JSON as text: the recompute compares it verbatim with what it would write, and only the sweep
 * parses it. Null (rows from before the column): the sweep works the steps out from the log.
 */
export const ticketSlaState = pgTable(
  "ticket_sla_state",
  {
    orgId: uuid("org_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    attentionAt: timestamp("attention_at", { withTimezone: true }).notNull(),
    plan: text("plan"),
    /** The plan's steps up to this moment are recorded: the sweep moves this on, not the plan. */
    planDoneUntil: timestamp("plan_done_until", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.ticketId] }),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
    // The sweep walks the tickets that have come due in this order.
    index("ticket_sla_state_attention").on(t.attentionAt, t.ticketId),
  ],
);
