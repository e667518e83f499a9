// What the product needs from a text-messaging provider (SMS, WhatsApp): send a message, check
// that a request claiming to come from the provider really does, and read its inbound messages and
// delivery reports. One adapter per provider API; Twilio's is the one built (./twilio.ts), and
// gateways that speak the same API work through it too.
import type { MessagingKind, TextStatus } from "../../../db/schema";

export interface ProviderAccount {
  kind: MessagingKind;
  phoneNumber: string;
  accountSid: string;
  authToken: string;
  apiBaseUrl: string;
}

export interface OutgoingText {
  to: string;
  body: string;
  /** Where the provider reports delivery (sent, delivered, failed). */
  statusCallbackUrl?: string;
}

/** The provider answered; permanent means trying again cannot help (a wrong number, bad credentials). */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface IncomingText {
  providerMessageId: string;
  /** The sender's number in E.164. */
  from: string;
  to: string;
  body: string;
  /** The sender's display name where the channel has one (WhatsApp profiles). */
  senderName?: string;
  /** Pictures and files sent with the message: the provider's address for each. */
  media: { url: string; contentType: string }[];
}

export interface DeliveryReport {
  providerMessageId: string;
  status: Extract<TextStatus, "sent" | "delivered" | "failed" | "undelivered">;
  error?: string;
}

export interface MessagingProvider {
  send(account: ProviderAccount, text: OutgoingText): Promise<{ providerMessageId: string }>;
  /** Whether a form-encoded request to `url` carries the provider's valid signature. */
  verify(account: ProviderAccount, url: string, params: Record<string, string>, signature: string): boolean;
  parseInbound(account: ProviderAccount, params: Record<string, string>): IncomingText | undefined;
  parseReport(params: Record<string, string>): DeliveryReport | undefined;
}
