import { index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./orgs";

export const companies = pgTable(
  "companies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    domain: text("domain"),
    tier: text("tier", { enum: ["standard", "silver", "gold", "platinum"] })
      .notNull()
      .default("standard"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("companies_org_id").on(t.orgId, t.id), index("companies_org_name").on(t.orgId, t.name)],
);

export const contacts = pgTable(
  "contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    /** Stored lower-cased; unique per organization. Empty for someone known only by phone (SMS). */
    email: text("email"),
    /** As entered; text messages match on its E.164 form in phone_e164. */
    phone: text("phone"),
    phoneE164: text("phone_e164"),
    /** Set when mail to the address bounced; cleared when the contact writes in again. */
    emailFailingAt: timestamp("email_failing_at", { withTimezone: true }),
    emailFailure: text("email_failure"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("contacts_org_email").on(t.orgId, t.email),
    unique("contacts_org_id").on(t.orgId, t.id),
    index("contacts_org_phone").on(t.orgId, t.phoneE164),
  ],
);
