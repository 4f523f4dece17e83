import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { hashPassword } from "../../auth/password";
import { normaliseEmail } from "../../auth/credentials";
import { checkRoleChange, ROLES, type RoleChangeRefusal } from "../../domain/access/permissions";
import { temporaryPassword } from "../../domain/members/temporary-password";
import { countOwners, createMembership, findMember, listMembers, setMembershipTeams, unknownTeamIds } from "../../data/members";
import { createTRPCRouter, orgProcedure } from "../trpc";

const REFUSALS: Record<RoleChangeRefusal, string> = {
  not_allowed_to_assign: "Your role may not hand out that role.",
  not_allowed_to_change_owner: "Only an owner may change or remove another owner.",
  last_owner: "The organisation needs at least one owner: make someone else owner first.",
};

const teamIdsInput = z.array(z.string().uuid()).max(100);

export const membersRouter = createTRPCRouter({
  list: orgProcedure("org:admin").query(({ ctx }) => listMembers(ctx.db, ctx.access.orgId)),

  invite: orgProcedure("org:admin")
    .input(
      z.object({
        email: z.string().trim().email("Enter a valid email address").max(320),
        name: z.string().trim().min(1, "Enter a name").max(200),
        role: z.enum(ROLES),
        teamIds: teamIdsInput.default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const refusal = checkRoleChange({ actorRole: ctx.access.membership.role, fromRole: "viewer", toRole: input.role, ownerCount: 2 });
      if (refusal) throw new TRPCError({ code: "FORBIDDEN", message: REFUSALS[refusal] });
      const unknown = await unknownTeamIds(ctx.db, ctx.access.orgId, input.teamIds);
      if (unknown.length > 0) throw new TRPCError({ code: "BAD_REQUEST", message: "One of the teams does not exist in this organisation." });
      const email = normaliseEmail(input.email);

      return ctx.audited(async (tx, audit) => {
        const existing = await tx.user.findUnique({ where: { email }, select: { id: true } });
        if (existing) {
          const already = await tx.membership.findUnique({ where: { orgId_userId: { orgId: ctx.access.orgId, userId: existing.id } } });
          if (already) throw new TRPCError({ code: "CONFLICT", message: `${email} is already a member.` });
        }
        // A new person gets a temporary password, shown once to the admin and stored only hashed.
        let user = existing;
        let password: string | null = null;
        if (!user) {
          password = temporaryPassword();
          user = await tx.user.create({ data: { email, name: input.name, passwordHash: await hashPassword(password) }, select: { id: true } });
        }
        const membership = await createMembership(tx, ctx.access.orgId, user.id, input.role, input.teamIds);
        await audit({
          action: "member.invited",
          targetType: "membership",
          targetId: membership.id,
          after: { email, role: input.role, teamIds: [...input.teamIds].sort() },
        });
        return { membershipId: membership.id, email, temporaryPassword: password };
      });
    }),

  update: orgProcedure("org:admin")
    .input(z.object({ membershipId: z.string().uuid(), role: z.enum(ROLES), teamIds: teamIdsInput }))
    .mutation(async ({ ctx, input }) => {
      return ctx.audited(async (tx, audit) => {
        const member = await findMember(tx, ctx.access.orgId, input.membershipId);
        if (!member) throw new TRPCError({ code: "NOT_FOUND", message: "No such member." });
        const refusal = checkRoleChange({
          actorRole: ctx.access.membership.role,
          fromRole: member.role,
          toRole: input.role,
          ownerCount: await countOwners(tx, ctx.access.orgId),
        });
        if (refusal) throw new TRPCError({ code: "FORBIDDEN", message: REFUSALS[refusal] });
        const unknown = await unknownTeamIds(tx, ctx.access.orgId, input.teamIds);
        if (unknown.length > 0) throw new TRPCError({ code: "BAD_REQUEST", message: "One of the teams does not exist in this organisation." });
        await tx.membership.update({ where: { id: member.membershipId }, data: { role: input.role } });
        await setMembershipTeams(tx, ctx.access.orgId, member.membershipId, input.teamIds);
        const after = { email: member.email, role: input.role, teamIds: [...new Set(input.teamIds)].sort() };
        await audit({
          action: "member.updated",
          targetType: "membership",
          targetId: member.membershipId,
          before: { email: member.email, role: member.role, teamIds: member.teamIds },
          after,
        });
        return after;
      });
    }),

  remove: orgProcedure("org:admin")
    .input(z.object({ membershipId: z.string().uuid() }))
    .mutation(async ({ ctx, input }) => {
      return ctx.audited(async (tx, audit) => {
        const member = await findMember(tx, ctx.access.orgId, input.membershipId);
        if (!member) throw new TRPCError({ code: "NOT_FOUND", message: "No such member." });
        const refusal = checkRoleChange({
          actorRole: ctx.access.membership.role,
          fromRole: member.role,
          toRole: null,
          ownerCount: await countOwners(tx, ctx.access.orgId),
        });
        if (refusal) throw new TRPCError({ code: "FORBIDDEN", message: REFUSALS[refusal] });
        await tx.membership.delete({ where: { id: member.membershipId } });
        await audit({
          action: "member.removed",
          targetType: "membership",
          targetId: member.membershipId,
          before: { email: member.email, role: member.role, teamIds: member.teamIds },
        });
        return { removed: true };
      });
    }),
});
