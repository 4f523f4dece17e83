// The signed-in person's own account, independent of any org: for now, changing their password.
import { changePassword } from "../../data/account";
import { changePasswordInput } from "../../domain/account/password-change";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const accountRouter = createTRPCRouter({
  changePassword: protectedProcedure.input(changePasswordInput).mutation(({ ctx, input }) => changePassword(ctx.db, ctx.userId, input)),
});
