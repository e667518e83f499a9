// API bearer tokens: created and revoked by admins, scoped to one organization and one role.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { apiTokens, ROLES, type Role } from "../../../db/schema";
import { type Actor, type Ctx, requirePermission } from "../context";
import { invalid, notFound } from "../errors";
import { appendEvent } from "../events/log";
import { prepared } from "../prepared";
import { isUuid } from "../tickets/rules";
import { newSecret, sha256 } from "./secrets";

const TOKEN_PREFIX = "fd_";
/** last_used_at is written at most this often. */
const TOUCH_EVERY_MS = 60_000;

export async function createApiToken(ctx: Ctx, input: { name: string; role: string }) {
  requirePermission(ctx.actor, "org.admin");
  const name = input.name.trim();
  const fields: Record<string, string> = {};
  if (!name) fields.name = "Give the token a name, e.g. the system that will use it.";
  else if (name.length > 100) fields.name = "Use at most 100 characters.";
  if (!ROLES.includes(input.role as Role) || input.role === "customer") fields.role = "Choose a staff role.";
  if (Object.keys(fields).length) throw invalid(fields);
  const secret = `${TOKEN_PREFIX}${newSecret()}`;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        orgId: ctx.actor.orgId,
        name,
        role: input.role as Role,
        tokenHash: sha256(secret),
        prefix: secret.slice(0, 10),
        createdBy: ctx.actor.userId ?? null,
        createdAt: ctx.now,
      })
      .returning({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role, prefix: apiTokens.prefix });
    await appendEvent(tx, ctx, {
      type: "api_token.created",
      data: { tokenId: row.id, name, role: row.role },
    });
    return { ...row, secret };
  });
}

export async function listApiTokens(ctx: Ctx) {
  requirePermission(ctx.actor, "org.admin");
  return ctx.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.orgId, ctx.actor.orgId))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(ctx: Ctx, tokenId: string): Promise<void> {
  requirePermission(ctx.actor, "org.admin");
  if (!isUuid(tokenId)) throw notFound("That active token");
  await ctx.db.transaction(async (tx) => {
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: ctx.now })
      .where(
        and(eq(apiTokens.orgId, ctx.actor.orgId), eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)),
      )
      .returning({ id: apiTokens.id, name: apiTokens.name });
    if (revoked.length === 0) throw notFound("That active token");
    await appendEvent(tx, ctx, { type: "api_token.revoked", data: { tokenId, name: revoked[0].name } });
  });
}

export async function actorForToken(db: Db, secret: string | undefined, now: Date): Promise<Actor | null> {
  if (!secret?.startsWith(TOKEN_PREFIX)) return null;
  // Prepared: every API request starts here.
  const [row] = await prepared(db, "apiToken", () =>
    db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, sql.placeholder("hash")), isNull(apiTokens.revokedAt)))
      .limit(1)
      .prepare("api_token"),
  ).execute({ hash: sha256(secret) });
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
  return { kind: "api", orgId: row.orgId, role: row.role, name: `API token "${row.name}"` };
}
