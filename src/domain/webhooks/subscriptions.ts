// Admins' webhook subscriptions: create, edit, pause, re-enable, delete, send a test event, and
// the organization's setting for private targets. Every change appends an event.
import { and, desc, eq } from "drizzle-orm";
import { webhookDeliveries, webhookSettings, webhookSubscriptions } from "../../../db/schema";
import { newSecret } from "../auth/secrets";
import { type Ctx, requirePermission } from "../context";
import { type FieldErrors, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { enqueue } from "../jobs/queue";
import { isUuid } from "../tickets/rules";
import { DELIVER_QUEUE } from "./fanout";
import { checkTarget, type Resolver, TargetRefused, urlProblem } from "./targets";

/** The event types offered as checkboxes; others (from newer features) can be typed in. */
export const WEBHOOK_EVENT_TYPES = [
  { type: "ticket.created", label: "A ticket is created" },
  { type: "ticket.status_changed", label: "A ticket's status changes" },
  { type: "ticket.assigned", label: "A ticket is assigned" },
  { type: "ticket.priority_changed", label: "A ticket's priority changes" },
  { type: "message.customer_replied", label: "A customer replies" },
  { type: "message.agent_replied", label: "An agent replies" },
  { type: "message.note_added", label: "An internal note is added" },
  { type: "email.sent", label: "An email is sent" },
  { type: "email.failed", label: "An email fails" },
  { type: "webhook.disabled", label: "A webhook is disabled after failures" },
] as const;

export const ALL_EVENTS = "*";
const EVENT_TYPE_SHAPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

export type WebhookSubscription = typeof webhookSubscriptions.$inferSelect;

export interface WebhookInput {
  name: string;
  url: string;
  /** Checked boxes: known types and/or "*". */
  eventTypes: string[];
  /** Further types, separated by commas, spaces or lines. */
  otherEventTypes?: string;
}

export interface TargetPolicy {
  /** WEBHOOKS_ALLOW_PRIVATE: private targets allowed for every organization. */
  allowPrivate: boolean;
  /** Name resolution; tests replace it. */
  resolve?: Resolver;
}

/** Whether the organization lets its webhooks reach private and loopback addresses. */
export async function allowsPrivateTargets(db: DbOrTx, orgId: string): Promise<boolean> {
  const [row] = await db
    .select({ allow: webhookSettings.allowPrivateTargets })
    .from(webhookSettings)
    .where(eq(webhookSettings.orgId, orgId));
  return row?.allow ?? false;
}

async function validate(ctx: Ctx, input: WebhookInput, policy: TargetPolicy) {
  const fields: FieldErrors = {};
  const name = input.name.trim();
  if (!name) fields.name = "Give the webhook a name, e.g. the system that receives it.";
  else if (name.length > 100) fields.name = "Use at most 100 characters.";
  const url = input.url.trim();
  const types = new Set(input.eventTypes.map((t) => t.trim()).filter(Boolean));
  for (const extra of (input.otherEventTypes ?? "").split(/[\s,]+/).filter(Boolean)) types.add(extra);
  const wrong = [...types].filter((t) => t !== ALL_EVENTS && !EVENT_TYPE_SHAPE.test(t));
  if (types.size === 0) fields.eventTypes = "Choose at least one event type, or all events.";
  else if (wrong.length)
    fields.otherEventTypes = `Not an event type: ${wrong.slice(0, 3).join(", ")}. Types look like ticket.created.`;
  else if (types.size > 50) fields.otherEventTypes = "Choose at most 50 event types.";
  const problem = urlProblem(url);
  if (problem) fields.url = problem;
  else if (!fields.name) {
    // Resolving takes a moment; only worth it when the rest of the form is right.
    try {
      await checkTarget(url, {
        allowPrivate: policy.allowPrivate || (await allowsPrivateTargets(ctx.db, ctx.actor.orgId)),
        resolve: policy.resolve,
      });
    } catch (error) {
      if (!(error instanceof TargetRefused)) throw error;
      fields.url = error.message;
    }
  }
  if (Object.keys(fields).length) throw invalid(fields);
  const eventTypes = types.has(ALL_EVENTS) ? [ALL_EVENTS] : [...types].sort();
  return { name, url, eventTypes };
}

export async function listWebhooks(ctx: Ctx): Promise<WebhookSubscription[]> {
  requirePermission(ctx.actor, "org.admin");
  return ctx.db
    .select()
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.orgId, ctx.actor.orgId))
    .orderBy(webhookSubscriptions.name, webhookSubscriptions.createdAt);
}

export async function getWebhook(ctx: Ctx, id: string): Promise<WebhookSubscription> {
  requirePermission(ctx.actor, "org.admin");
  if (!isUuid(id)) throw notFound("That webhook");
  const [row] = await ctx.db
    .select()
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.orgId, ctx.actor.orgId), eq(webhookSubscriptions.id, id)));
  if (!row) throw notFound("That webhook");
  return row;
}

/** The latest attempts to deliver to one subscription, newest first. */
export async function recentDeliveries(ctx: Ctx, id: string, limit = 50) {
  const subscription = await getWebhook(ctx, id);
  return ctx.db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.orgId, ctx.actor.orgId),
        eq(webhookDeliveries.subscriptionId, subscription.id),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(limit);
}

export async function createWebhook(
  ctx: Ctx,
  input: WebhookInput,
  policy: TargetPolicy,
): Promise<WebhookSubscription> {
  requirePermission(ctx.actor, "org.admin");
  const valid = await validate(ctx, input, policy);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookSubscriptions)
      .values({
        orgId: ctx.actor.orgId,
        ...valid,
        secret: `whsec_${newSecret()}`,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await appendEvent(tx, ctx, {
      type: "webhook.created",
      data: { subscriptionId: row.id, name: row.name, url: row.url, eventTypes: row.eventTypes },
    });
    return row;
  });
}

export async function updateWebhook(
  ctx: Ctx,
  id: string,
  input: WebhookInput,
  policy: TargetPolicy,
): Promise<WebhookSubscription> {
  const before = await getWebhook(ctx, id);
  const valid = await validate(ctx, input, policy);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookSubscriptions)
      .set({ ...valid, updatedAt: ctx.now })
      .where(and(eq(webhookSubscriptions.orgId, ctx.actor.orgId), eq(webhookSubscriptions.id, before.id)))
      .returning();
    if (!row) throw notFound("That webhook");
    await appendEvent(tx, ctx, {
      type: "webhook.updated",
      data: {
        subscriptionId: row.id,
        name: row.name,
        from: { url: before.url, eventTypes: before.eventTypes },
        to: { url: row.url, eventTypes: row.eventTypes },
      },
    });
    return row;
  });
}

/** Pauses or resumes deliveries; resuming after an automatic disable starts the failure count afresh. */
export async function setWebhookActive(ctx: Ctx, id: string, active: boolean): Promise<void> {
  const before = await getWebhook(ctx, id);
  if (before.active === active) return;
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(webhookSubscriptions)
      .set(
        active
          ? { active, consecutiveFailures: 0, failingSince: null, disabledAt: null, disabledReason: null }
          : { active, disabledAt: ctx.now, disabledReason: `Paused by ${ctx.actor.name}` },
      )
      .where(and(eq(webhookSubscriptions.orgId, ctx.actor.orgId), eq(webhookSubscriptions.id, before.id)));
    await appendEvent(tx, ctx, {
      type: active ? "webhook.enabled" : "webhook.paused",
      data: { subscriptionId: before.id, name: before.name },
    });
  });
}

export async function deleteWebhook(ctx: Ctx, id: string): Promise<void> {
  const before = await getWebhook(ctx, id);
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.orgId, ctx.actor.orgId), eq(webhookSubscriptions.id, before.id)));
    await appendEvent(tx, ctx, {
      type: "webhook.deleted",
      data: { subscriptionId: before.id, name: before.name, url: before.url },
    });
  });
}

/** Queues a "webhook.test" delivery to one subscription, active or not, so admins can try a receiver. */
export async function sendTestEvent(ctx: Ctx, id: string): Promise<void> {
  const subscription = await getWebhook(ctx, id);
  await enqueue(ctx.db, ctx.now, {
    queue: DELIVER_QUEUE,
    orgId: ctx.actor.orgId,
    payload: { subscriptionId: subscription.id, test: true, requestedBy: ctx.actor.name },
    maxAttempts: 1,
  });
}

export async function webhookSettingsFor(ctx: Ctx): Promise<{ allowPrivateTargets: boolean }> {
  requirePermission(ctx.actor, "org.admin");
  return { allowPrivateTargets: await allowsPrivateTargets(ctx.db, ctx.actor.orgId) };
}

export async function updateWebhookSettings(
  ctx: Ctx,
  input: { allowPrivateTargets: boolean },
): Promise<void> {
  requirePermission(ctx.actor, "org.admin");
  await ctx.db.transaction(async (tx) => {
    const before = await allowsPrivateTargets(tx, ctx.actor.orgId);
    if (before === input.allowPrivateTargets) return;
    await tx
      .insert(webhookSettings)
      .values({ orgId: ctx.actor.orgId, allowPrivateTargets: input.allowPrivateTargets, updatedAt: ctx.now })
      .onConflictDoUpdate({
        target: webhookSettings.orgId,
        set: { allowPrivateTargets: input.allowPrivateTargets, updatedAt: ctx.now },
      });
    await appendEvent(tx, ctx, {
      type: "webhook.settings_changed",
      data: { allowPrivateTargets: input.allowPrivateTargets },
    });
  });
}
