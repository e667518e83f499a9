// The Twilio Programmable Messaging API (SMS and WhatsApp), and every gateway that copies it:
// messages are sent with a form POST to /2010-04-01/Accounts/{sid}/Messages.json under HTTP Basic
// authentication; inbound messages and delivery reports arrive as form POSTs signed with
// X-Twilio-Signature = base64(HMAC-SHA1(auth token, URL + each parameter's name and value, sorted)).
import { createHmac, timingSafeEqual } from "node:crypto";
import { toE164 } from "./phone";
import {
  type DeliveryReport,
  type IncomingText,
  type MessagingProvider,
  type OutgoingText,
  type ProviderAccount,
  ProviderError,
} from "./provider";

const SEND_TIMEOUT_MS = 15_000;

/** WhatsApp numbers carry a "whatsapp:" prefix in Twilio's API; SMS numbers are bare. */
function address(account: ProviderAccount, number: string): string {
  return account.kind === "whatsapp" ? `whatsapp:${number}` : number;
}

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, key) => text + key + params[key], url);
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const json = JSON.parse(text) as { code?: number; message?: string };
    if (json.message) return `${json.message}${json.code ? ` (code ${json.code})` : ""}`;
  } catch {
    // not JSON: the status line says enough
  }
  return `${response.status} ${response.statusText}`.trim();
}

const REPORTED: Record<string, DeliveryReport["status"]> = {
  sent: "sent",
  delivered: "delivered",
  read: "delivered",
  failed: "failed",
  undelivered: "undelivered",
};

export const twilio: MessagingProvider = {
  async send(account: ProviderAccount, text: OutgoingText) {
    const url = `${account.apiBaseUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/Messages.json`;
    const form = new URLSearchParams({
      To: address(account, text.to),
      From: address(account, account.phoneNumber),
      Body: text.body,
    });
    if (text.statusCallbackUrl) form.set("StatusCallback", text.statusCallbackUrl);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: form,
        redirect: "error",
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ProviderError(`The provider could not be reached: ${(error as Error).message}`, false);
    }
    if (!response.ok) {
      // 4xx is the request itself (a wrong number, bad credentials), except rate limiting.
      const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
      throw new ProviderError(await errorText(response), permanent);
    }
    const json = (await response.json().catch(() => ({}))) as { sid?: string };
    if (!json.sid) throw new ProviderError("The provider's answer had no message id.", false);
    return { providerMessageId: json.sid };
  },

  verify(account, url, params, signature) {
    return sameText(twilioSignature(account.authToken, url, params), signature);
  },

  parseInbound(_account, params): IncomingText | undefined {
    const providerMessageId = params.MessageSid || params.SmsMessageSid;
    const from = toE164(params.From);
    const to = toE164(params.To);
    if (!providerMessageId || !from || !to) return undefined;
    const count = Math.min(Number.parseInt(params.NumMedia ?? "0", 10) || 0, 10);
    const media = Array.from({ length: count }, (_, i) => ({
      url: params[`MediaUrl${i}`] ?? "",
      contentType: params[`MediaContentType${i}`] ?? "application/octet-stream",
    })).filter((m) => m.url);
    return {
      providerMessageId,
      from,
      to,
      body: params.Body ?? "",
      senderName: params.ProfileName?.trim() || undefined,
      media,
    };
  },

  parseReport(params): DeliveryReport | undefined {
    const status = REPORTED[params.MessageStatus ?? params.SmsStatus ?? ""];
    if (!params.MessageSid || !status) return undefined;
    const error =
      params.ErrorMessage || (params.ErrorCode ? `Provider error ${params.ErrorCode}` : undefined);
    return { providerMessageId: params.MessageSid, status, error };
  },
};

export const PROVIDERS: Record<string, MessagingProvider> = { twilio };
