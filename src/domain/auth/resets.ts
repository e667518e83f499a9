// Password reset by a one-time emailed link. The answer never reveals whether an address exists.
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { passwordResets, sessions, users } from "../../../db/schema";
import { queueMail } from "../email/outbox";
import { invalid } from "../errors";
import { hashPassword, passwordProblem } from "./passwords";
import { newSecret, sha256 } from "./secrets";

const RESET_MINUTES = 60;

/** Queues a reset mail for every active account with this address; returns how many were sent. */
export async function requestPasswordReset(
  db: Db,
  input: { email: string; baseUrl: string },
  now: Date,
): Promise<number> {
  const email = input.email.trim().toLowerCase();
  if (!email.includes("@")) throw invalid({ email: "Enter the email address you sign in with." });
  const accounts = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email), eq(users.active, true)));
  for (const user of accounts) {
    const token = newSecret();
    await db.transaction(async (tx) => {
      await tx.insert(passwordResets).values({
        orgId: user.orgId,
        userId: user.id,
        tokenHash: sha256(token),
        expiresAt: new Date(now.getTime() + RESET_MINUTES * 60_000),
      });
      await queueMail(
        tx,
        {
          orgId: user.orgId,
          to: user.email,
          kind: "password_reset",
          values: {
            "user.name": user.name,
            "reset.url": `${input.baseUrl}/password/reset/${token}`,
            "reset.minutes": String(RESET_MINUTES),
          },
        },
        now,
      );
    });
  }
  return accounts.length;
}

async function findValidReset(db: Db, token: string, now: Date) {
  const [row] = await db
    .select()
    .from(passwordResets)
    .where(
      and(
        eq(passwordResets.tokenHash, sha256(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    )
    .limit(1);
  return row;
}

export async function isResetTokenValid(db: Db, token: string, now: Date): Promise<boolean> {
  return Boolean(await findValidReset(db, token, now));
}

/** Sets the new password, spends the token and signs the account out everywhere. */
export async function resetPassword(
  db: Db,
  input: { token: string; password: string; confirm: string },
  now: Date,
): Promise<void> {
  const problem = passwordProblem(input.password);
  if (problem) throw invalid({ password: problem });
  if (input.password !== input.confirm) throw invalid({ confirm: "The two passwords differ." });
  const reset = await findValidReset(db, input.token, now);
  if (!reset) throw invalid({ token: "This reset link has expired or was already used. Ask for a new one." });
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const spent = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.id, reset.id), isNull(passwordResets.usedAt)))
      .returning({ id: passwordResets.id });
    if (spent.length === 0) throw invalid({ token: "This reset link was already used." });
    await tx
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.orgId, reset.orgId), eq(users.id, reset.userId)));
    await tx.delete(sessions).where(and(eq(sessions.orgId, reset.orgId), eq(sessions.userId, reset.userId)));
  });
}
