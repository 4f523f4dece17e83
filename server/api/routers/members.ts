import { invitationInput, invitationRef, memberRef, memberUpdateInput } from "../../domain/invitations/schemas";
import { inviteMember, listPendingInvitations, revokeInvitation } from "../../data/invitations";
import { listMembers, removeMember, updateMember } from "../../data/members";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const membersRouter = createTRPCRouter({
  list: orgProcedure("org:admin").query(({ ctx }) => listMembers(ctx.db, ctx.access.orgId)),

  /** Invites an address to this org: a single-use link for the admin to send (see inviteMember). */
  invite: orgProcedure("org:admin")
    .input(invitationInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => inviteMember(tx, audit, ctx.access, input))),

  invitations: orgProcedure("org:admin").query(({ ctx }) => listPendingInvitations(ctx.db, ctx.access.orgId)),

  revokeInvitation: orgProcedure("org:admin")
    .input(invitationRef)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => revokeInvitation(tx, audit, ctx.access.orgId, input.invitationId))),

  update: orgProcedure("org:admin")
    .input(memberUpdateInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => updateMember(tx, audit, ctx.access, input))),

  remove: orgProcedure("org:admin")
    .input(memberRef)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => removeMember(tx, audit, ctx.access, input.membershipId))),
});
