// The signed-in person's own account, independent of any org: changing their password. Guessing the
// current password here counts against the same budget as guessing it at sign-in
// (server/data/sign-in-attempts.ts), so a borrowed session cannot be used to brute-force it.
import { hashPassword, verifyPassword } from "../auth/password";
import type { Db } from "../db";
import type { ChangePasswordInput } from "../domain/account/password-change";
import { refuse } from "../domain/refusal";
import { appendAudit } from "./audit";
import { claimPasswordAttempt, clearPasswordAttempts, sleep } from "./sign-in-attempts";

export async function changePassword(db: Db, userId: string, input: ChangePasswordInput): Promise<{ changed: true }> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, passwordHash: true } });
  if (!user) refuse("UNAUTHORIZED", "Sign in first.");
  if (!user.passwordHash) refuse("BAD_REQUEST", "Your account signs in through single sign-on and has no password to change.");
  const currentHash = user.passwordHash;

  const slot = await claimPasswordAttempt(db, user.email);
  if (slot.kind === "locked") refuse("TOO_MANY_REQUESTS", "Too many wrong passwords. Wait a few minutes and try again.");
  if (slot.delayMs > 0) await sleep(slot.delayMs);
  if (!(await verifyPassword(input.currentPassword, currentHash))) refuse("BAD_REQUEST", "Your current password is not correct.");
  const newHash = await hashPassword(input.newPassword);

  await db.$transaction(async (tx) => {
    // Only if nobody changed it since we checked: otherwise the check above proved nothing.
    const changed = await tx.user.updateMany({ where: { id: user.id, passwordHash: currentHash }, data: { passwordHash: newHash } });
    if (changed.count !== 1) refuse("CONFLICT", "Your password was changed meanwhile. Try again.");
    await clearPasswordAttempts(tx, user.email, slot.at);
    // Every org the person belongs to records it in its own chain; ordered so concurrent
    // changes take the per-org locks in the same order.
    const memberships = await tx.membership.findMany({ where: { userId: user.id }, select: { orgId: true }, orderBy: { orgId: "asc" } });
    for (const { orgId } of memberships) {
      await appendAudit(tx, orgId, { type: "user", id: user.id, label: user.email }, { action: "account.password_changed", targetType: "user", targetId: user.id });
    }
  });
  return { changed: true };
}
