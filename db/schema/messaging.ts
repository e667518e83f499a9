import { boolean, foreignKey, index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./orgs";
import { ticketMessages, tickets } from "./tickets";

export const MESSAGING_KINDS = ["sms", "whatsapp"] as const;
export type MessagingKind = (typeof MESSAGING_KINDS)[number];

export const MESSAGING_PROVIDERS = ["twilio"] as const;
export type MessagingProviderName = (typeof MESSAGING_PROVIDERS)[number];

/**
 * A phone number of the organization's at a text-messaging provider (SMS or WhatsApp). The
 * provider calls our inbound address with each message; replies on its tickets go out through it.
 */
export const messagingChannels = pgTable(
  "messaging_channels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind", { enum: MESSAGING_KINDS }).notNull(),
    provider: text("provider", { enum: MESSAGING_PROVIDERS }).notNull(),
    /** Our number in E.164 (+60312345678). */
    phoneNumber: text("phone_number").notNull(),
    accountSid: text("account_sid").notNull(),
    /** Signs the provider's requests to us and authenticates ours to it; never shown back. */
    authToken: text("auth_token").notNull(),
    /** The provider's API (a self-hosted gateway speaking the same API, or a test server). */
    apiBaseUrl: text("api_base_url").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("messaging_channels_org_id").on(t.orgId, t.id),
    unique("messaging_channels_org_number").on(t.orgId, t.kind, t.phoneNumber),
  ],
);

export const TEXT_DIRECTIONS = ["inbound", "outbound"] as const;
export const TEXT_STATUSES = ["received", "queued", "sent", "delivered", "failed", "undelivered"] as const;
export type TextStatus = (typeof TEXT_STATUSES)[number];

/** Every text message received or sent, with its provider id and delivery state. */
export const textMessages = pgTable(
  "text_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    /** Kept as a plain id: deleting a channel keeps the record of what went through it. */
    channelId: uuid("channel_id").notNull(),
    direction: text("direction", { enum: TEXT_DIRECTIONS }).notNull(),
    /** The provider's id (Twilio's MessageSid); empty until an outbound message is accepted. */
    providerMessageId: text("provider_message_id"),
    fromNumber: text("from_number").notNull(),
    toNumber: text("to_number").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: TEXT_STATUSES }).notNull(),
    /** Inbound: why it joined its ticket ("threaded because …"). */
    reason: text("reason"),
    /** Outbound: the provider's refusal or the delivery failure it reported. */
    error: text("error"),
    ticketId: uuid("ticket_id"),
    ticketMessageId: uuid("ticket_message_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    // The provider retries a webhook it thinks failed: the same message is received once.
    unique("text_messages_provider_id").on(t.orgId, t.channelId, t.providerMessageId),
    index("text_messages_org_ticket").on(t.orgId, t.ticketId, t.createdAt),
    foreignKey({ columns: [t.orgId, t.ticketId], foreignColumns: [tickets.orgId, tickets.id] }).onDelete(
      "cascade",
    ),
    foreignKey({
      columns: [t.orgId, t.ticketMessageId],
      foreignColumns: [ticketMessages.orgId, ticketMessages.id],
    }).onDelete("cascade"),
  ],
);
