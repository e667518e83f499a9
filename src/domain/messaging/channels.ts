// Admins' text-messaging channels: an SMS or WhatsApp number at a provider, with the credentials
// that sign the provider's requests and authenticate ours. The auth token is never shown again once
// saved; leaving the field empty when editing keeps it. Every change appends an event.
import { and, eq } from "drizzle-orm";
import { MESSAGING_KINDS, MESSAGING_PROVIDERS, messagingChannels } from "../../../db/schema";
import { type Ctx, requirePermission } from "../context";
import { conflict, type FieldErrors, invalid, isUniqueViolation, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { isUuid } from "../tickets/rules";
import { allowsPrivateTargets } from "../webhooks/subscriptions";
import { checkTarget, type Resolver, TargetRefused, urlProblem } from "../webhooks/targets";
import { toE164 } from "./phone";

export const DEFAULT_API_BASE_URL = "https://api.twilio.com";

export type MessagingChannel = typeof messagingChannels.$inferSelect;
/** A channel as pages show it: everything but the auth token. */
export type ChannelSummary = Omit<MessagingChannel, "authToken">;

export interface ChannelInput {
  name: string;
  kind: string;
  provider: string;
  phoneNumber: string;
  accountSid: string;
  /** Empty when editing: keep the stored token. */
  authToken: string;
  apiBaseUrl: string;
  enabled: boolean;
}

export interface ProviderPolicy {
  /** WEBHOOKS_ALLOW_PRIVATE: the server may call private addresses (the provider API included). */
  allowPrivate: boolean;
  resolve?: Resolver;
}

const summary = ({ authToken: _hidden, ...rest }: MessagingChannel): ChannelSummary => rest;

async function validate(ctx: Ctx, input: ChannelInput, policy: ProviderPolicy, creating: boolean) {
  const fields: FieldErrors = {};
  const name = input.name.trim();
  if (!name) fields.name = "Give the channel a name, e.g. “Support SMS”.";
  else if (name.length > 100) fields.name = "Use at most 100 characters.";
  const kind = MESSAGING_KINDS.find((k) => k === input.kind);
  if (!kind) fields.kind = "Choose SMS or WhatsApp.";
  const provider = MESSAGING_PROVIDERS.find((p) => p === input.provider);
  if (!provider) fields.provider = "Choose a provider.";
  const phoneNumber = toE164(input.phoneNumber);
  if (!phoneNumber) fields.phoneNumber = "Enter the number with its country code, e.g. +60312345678.";
  const accountSid = input.accountSid.trim();
  if (!/^[A-Za-z0-9_-]{4,64}$/.test(accountSid))
    fields.accountSid = "Enter the account SID from the provider's console (letters and digits).";
  const authToken = input.authToken.trim();
  if (creating && !authToken) fields.authToken = "Enter the auth token from the provider's console.";
  else if (authToken.length > 200) fields.authToken = "Use at most 200 characters.";
  const apiBaseUrl = (input.apiBaseUrl.trim() || DEFAULT_API_BASE_URL).replace(/\/+$/, "");
  const problem = urlProblem(apiBaseUrl);
  if (problem) fields.apiBaseUrl = problem;
  else {
    // The server calls this address with the account's credentials: the same guard as webhooks.
    try {
      await checkTarget(apiBaseUrl, {
        allowPrivate: policy.allowPrivate || (await allowsPrivateTargets(ctx.db, ctx.actor.orgId)),
        resolve: policy.resolve,
      });
    } catch (error) {
      if (!(error instanceof TargetRefused)) throw error;
      fields.apiBaseUrl = error.message;
    }
  }
  if (Object.keys(fields).length || !kind || !provider || !phoneNumber) throw invalid(fields);
  return {
    name,
    kind,
    provider,
    phoneNumber,
    accountSid,
    apiBaseUrl,
    enabled: input.enabled,
    ...(authToken ? { authToken } : {}),
  };
}

export async function listChannels(ctx: Ctx): Promise<ChannelSummary[]> {
  requirePermission(ctx.actor, "org.admin");
  const rows = await ctx.db
    .select()
    .from(messagingChannels)
    .where(eq(messagingChannels.orgId, ctx.actor.orgId))
    .orderBy(messagingChannels.name, messagingChannels.createdAt);
  return rows.map(summary);
}

export async function getChannel(ctx: Ctx, id: string): Promise<ChannelSummary> {
  requirePermission(ctx.actor, "org.admin");
  if (!isUuid(id)) throw notFound("That channel");
  const [row] = await ctx.db
    .select()
    .from(messagingChannels)
    .where(and(eq(messagingChannels.orgId, ctx.actor.orgId), eq(messagingChannels.id, id)));
  if (!row) throw notFound("That channel");
  return summary(row);
}

export async function createChannel(
  ctx: Ctx,
  input: ChannelInput,
  policy: ProviderPolicy,
): Promise<ChannelSummary> {
  requirePermission(ctx.actor, "org.admin");
  const valid = await validate(ctx, input, policy, true);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(messagingChannels)
        .values({
          orgId: ctx.actor.orgId,
          ...valid,
          authToken: valid.authToken ?? "",
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning();
      await appendEvent(tx, ctx, {
        type: "messaging_channel.created",
        data: { channelId: row.id, name: row.name, kind: row.kind, phoneNumber: row.phoneNumber },
      });
      return summary(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw takenNumber();
    throw error;
  }
}

const takenNumber = () =>
  conflict("That number already has a channel.", {
    phoneNumber: "Another channel of this kind already uses this number.",
  });

export async function updateChannel(
  ctx: Ctx,
  id: string,
  input: ChannelInput,
  policy: ProviderPolicy,
): Promise<ChannelSummary> {
  const before = await getChannel(ctx, id);
  const valid = await validate(ctx, input, policy, false);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .update(messagingChannels)
        .set({ ...valid, updatedAt: ctx.now })
        .where(and(eq(messagingChannels.orgId, ctx.actor.orgId), eq(messagingChannels.id, before.id)))
        .returning();
      if (!row) throw notFound("That channel");
      await appendEvent(tx, ctx, {
        type: "messaging_channel.updated",
        data: {
          channelId: row.id,
          name: row.name,
          enabled: row.enabled,
          tokenChanged: Boolean(valid.authToken),
        },
      });
      return summary(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw takenNumber();
    throw error;
  }
}

export async function deleteChannel(ctx: Ctx, id: string): Promise<void> {
  const before = await getChannel(ctx, id);
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(messagingChannels)
      .where(and(eq(messagingChannels.orgId, ctx.actor.orgId), eq(messagingChannels.id, before.id)));
    await appendEvent(tx, ctx, {
      type: "messaging_channel.deleted",
      data: { channelId: before.id, name: before.name },
    });
  });
}
