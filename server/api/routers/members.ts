import { TRPCError } from "@trpc/server";
import { checkRoleChange, type RoleChangeRefusal } from "../../domain/access/permissions";
import { invitationInput, invitationRef, memberRef, memberUpdateInput } from "../../domain/invitations/schemas";
import { issueInvitation, listPendingInvitations, revokeInvitation } from "../../data/invitations";
import { countOwners, findMember, isMemberByEmail, listMembers, setMembershipTeams, unknownTeamIds } from "../../data/members";
import { createTRPCRouter, orgProcedure } from "../trpc";

const REFUSALS: Record<RoleChangeRefusal, string> = {
  not_allowed_to_assign: "Your role may not hand out that role.",
  not_allowed_to_change_owner: "Only an owner may change or remove another owner.",
  last_owner: "The organisation needs at least one owner: make someone else owner first.",
};

export const membersRouter = createTRPCRouter({
  list: orgProcedure("org:admin").query(({ ctx }) => listMembers(ctx.db, ctx.access.orgId)),

  /**
   * Invites an address to this org: a single-use link for the admin to send. The answer is the
   * same whether or not the address has an account anywhere, and holds no credential: the link
   * only lets its holder join this org, as a new account or after signing in to the address's own.
   */
  invite: orgProcedure("org:admin")
    .input(invitationInput)
    .mutation(async ({ ctx, input }) => {
      const refusal = checkRoleChange({ actorRole: ctx.access.membership.role, fromRole: "viewer", toRole: input.role, ownerCount: 2 });
      if (refusal) throw new TRPCError({ code: "FORBIDDEN", message: REFUSALS[refusal] });
      const unknown = await unknownTeamIds(ctx.db, ctx.access.orgId, input.teamIds);
      if (unknown.length > 0) throw new TRPCError({ code: "BAD_REQUEST", message: "One of the teams does not exist in this organisation." });
      const inviter = { id: ctx.access.membership.userId, label: ctx.access.membership.userEmail };

      return ctx.audited(async (tx, audit) => {
        // Membership here is visible in the members list anyway; nothing is said about other orgs.
        if (await isMemberByEmail(tx, ctx.access.orgId, input.email)) throw new TRPCError({ code: "CONFLICT", message: `${input.email} is already a member.` });
        const issued = await issueInvitation(tx, ctx.access.orgId, inviter, input);
        await audit({
          action: "member.invited",
          targetType: "invitation",
          targetId: issued.invitationId,
          after: { email: issued.email, role: issued.role, teamIds: issued.teamIds, expiresAt: issued.expiresAt.toISOString(), replaces: issued.replaced },
        });
        const { replaced: _replaced, ...answer } = issued;
        return answer;
      });
    }),

  invitations: orgProcedure("org:admin").query(({ ctx }) => listPendingInvitations(ctx.db, ctx.access.orgId)),

  revokeInvitation: orgProcedure("org:admin")
    .input(invitationRef)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const revoked = await revokeInvitation(tx, ctx.access.orgId, input.invitationId);
        if (!revoked) throw new TRPCError({ code: "NOT_FOUND", message: "No such pending invitation: it may have been accepted, revoked or expired." });
        await audit({ action: "invitation.revoked", targetType: "invitation", targetId: revoked.invitationId, before: { email: revoked.email, role: revoked.role, teamIds: revoked.teamIds } });
        return { revoked: true };
      }),
    ),

  update: orgProcedure("org:admin")
    .input(memberUpdateInput)
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
    .input(memberRef)
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
