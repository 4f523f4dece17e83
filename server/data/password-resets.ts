// Self-service password resets. Asking for one answers the same whatever the address; for an
// account with a password it issues a single-use link that expires within the hour, which the
// caller delivers (to the server's log while there is no mail transport). Using the link sets the
// new password, ends every session of the account, and is recorded in the audit chain of every
// org the person belongs to. No org admin is ever involved, so none ever holds a credential of an
// account that may also belong to other orgs.
import type { Db } from "../db";
import { hashToken, looksLikeToken, newToken, PASSWORD_RESET_PREFIX, PASSWORD_RESET_TTL_MS } from "../domain/invitations/tokens";
import { hashPassword } from "../auth/password";
import { appendAudit } from "./audit";
import { forgetPasswordAttempts } from "./sign-in-attempts";

/** Rare, person-paced transactions: on a busy server they may wait for a connection longer than Prisma's 2 s default. */
const TRANSACTION_WAIT = { maxWait: 15_000, timeout: 15_000 };

/** Links issued per account within the window; more requests are answered but issue nothing. */
export const MAX_RESETS_PER_WINDOW = 3;
const RESET_WINDOW_MS = 15 * 60 * 1000;

export interface IssuedReset {
  email: string;
  token: string;
  expiresAt: Date;
}

/** Issues a reset link for the address's account, if it has a password; null otherwise (the caller answers the same either way). */
export async function requestPasswordReset(db: Db, email: string, now: Date = new Date()): Promise<IssuedReset | null> {
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, passwordHash: true } });
  // Single-sign-on accounts have no password here to reset: their provider manages it.
  if (!user?.passwordHash) return null;
  return db.$transaction(async (tx) => {
    // Counted under a per-account lock so a burst of requests cannot issue more than the limit.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`password-reset:${user.id}`}, 0))`;
    const recent = await tx.passwordReset.count({ where: { userId: user.id, createdAt: { gt: new Date(now.getTime() - RESET_WINDOW_MS) } } });
    if (recent >= MAX_RESETS_PER_WINDOW) return null;
    const { token, hash } = newToken(PASSWORD_RESET_PREFIX);
    const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
    await tx.passwordReset.create({ data: { userId: user.id, tokenHash: hash, createdAt: now, expiresAt } });
    return { email: user.email, token, expiresAt };
  }, TRANSACTION_WAIT);
}

/** Whether a reset link can still be used (for the page that asks for the new password). */
export async function resetLinkIsUsable(db: Db, token: string, now: Date = new Date()): Promise<boolean> {
  if (!looksLikeToken(PASSWORD_RESET_PREFIX, token)) return false;
  const reset = await db.passwordReset.findUnique({ where: { tokenHash: hashToken(token) }, select: { usedAt: true, expiresAt: true } });
  return Boolean(reset && !reset.usedAt && reset.expiresAt > now);
}

export type ResetResult = { ok: true; email: string } | { ok: false; reason: "invalid" };

/** Sets the new password with a usable link: once, and every session of the account ends. */
export async function resetPassword(db: Db, token: string, newPassword: string, now: Date = new Date()): Promise<ResetResult> {
  if (!looksLikeToken(PASSWORD_RESET_PREFIX, token)) return { ok: false, reason: "invalid" };
  const passwordHash = await hashPassword(newPassword);
  return db.$transaction(async (tx) => {
    const reset = await tx.passwordReset.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: { select: { id: true, email: true } } } });
    if (!reset) return { ok: false as const, reason: "invalid" as const };
    // Single use: this link and every other outstanding one of the account are spent together.
    const spent = await tx.passwordReset.updateMany({ where: { id: reset.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (spent.count !== 1) return { ok: false as const, reason: "invalid" as const };
    await tx.passwordReset.updateMany({ where: { userId: reset.userId, usedAt: null }, data: { usedAt: now } });
    await tx.user.update({ where: { id: reset.userId }, data: { passwordHash, sessionsValidFrom: now } });
    // A fresh start for sign-in throttling of the address.
    await forgetPasswordAttempts(tx, reset.user.email);
    const memberships = await tx.membership.findMany({ where: { userId: reset.userId }, select: { orgId: true }, orderBy: { orgId: "asc" } });
    for (const { orgId } of memberships) {
      await appendAudit(
        tx,
        orgId,
        { type: "user", id: reset.userId, label: reset.user.email },
        { action: "account.password_reset", targetType: "user", targetId: reset.userId, reason: "Reset with a single-use link; every session ended" },
      );
    }
    return { ok: true as const, email: reset.user.email };
  }, TRANSACTION_WAIT);
}
