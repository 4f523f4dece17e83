// The signed-in person's own account, independent of any org: for now, changing their password.
import { TRPCError } from "@trpc/server";
import { hashPassword, verifyPassword } from "../../auth/password";
import { appendAudit } from "../../data/audit";
import { changePasswordInput } from "../../domain/account/password-change";
import { claimPasswordAttempt, clearPasswordAttempts, sleep } from "../../data/sign-in-attempts";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const accountRouter = createTRPCRouter({
  changePassword: protectedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    const user = await ctx.db.user.findUnique({ where: { id: ctx.userId }, select: { id: true, email: true, passwordHash: true } });
    if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
    if (!user.passwordHash) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "Your account signs in through single sign-on and has no password to change." });
    }

    // Guessing the current password here counts against the same budget as guessing it at sign-in,
    // so a borrowed session cannot be used to brute-force it.
    const slot = await claimPasswordAttempt(ctx.db, user.email);
    if (slot.kind === "locked") {
      throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: "Too many wrong passwords. Wait a few minutes and try again." });
    }
    if (slot.delayMs > 0) await sleep(slot.delayMs);

    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "Your current password is not correct." });
    }
    const newHash = await hashPassword(input.newPassword);

    await ctx.db.$transaction(async (tx) => {
      // Only if nobody changed it since we checked: otherwise the check above proved nothing.
      const changed = await tx.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash: newHash } });
      if (changed.count !== 1) throw new TRPCError({ code: "CONFLICT", message: "Your password was changed meanwhile. Try again." });
      await clearPasswordAttempts(tx, user.email, slot.at);
      // Every org the person belongs to records it in its own chain; ordered so concurrent
      // changes take the per-org locks in the same order.
      const memberships = await tx.membership.findMany({ where: { userId: user.id }, select: { orgId: true }, orderBy: { orgId: "asc" } });
      for (const { orgId } of memberships) {
        await appendAudit(
          tx,
          orgId,
          { type: "user", id: user.id, label: user.email },
          { action: "account.password_changed", targetType: "user", targetId: user.id },
        );
      }
    });
    return { changed: true };
  }),
});
