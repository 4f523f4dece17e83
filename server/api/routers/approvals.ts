// The approval queue. Reading and deciding both need approvals:decide (DESIGN.md "decide
// approvals: all, all, own teams, –"): the queue is the deciders' work list, and its history (who
// let which agent do what, with the arguments) is audit material that viewers do not read either.
// Team leads see and decide only their teams' agents' requests.
import { TRPCError } from "@trpc/server";
import { decideApproval, listApprovals, pendingApprovalCount } from "../../data/approvals";
import { approvalListInput, decideApprovalInput } from "../../domain/approvals/schemas";
import { assertTeamInReach, createTRPCRouter, orgProcedure } from "../trpc";

export const approvalsRouter = createTRPCRouter({
  list: orgProcedure("approvals:decide")
    .input(approvalListInput)
    .query(({ ctx, input }) => {
      if (input.teamId) assertTeamInReach(ctx.access, input.teamId);
      const { orgId: _orgId, ...filter } = input;
      return listApprovals(ctx.db, ctx.access.orgId, ctx.access.reach, filter);
    }),

  pendingCount: orgProcedure("approvals:decide").query(({ ctx }) => pendingApprovalCount(ctx.db, ctx.access.orgId, ctx.access.reach)),

  decide: orgProcedure("approvals:decide")
    .input(decideApprovalInput)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.audited((tx, audit) =>
        decideApproval(
          tx,
          {
            orgId: ctx.access.orgId,
            reach: ctx.access.reach,
            approvalId: input.approvalId,
            decision: input.decision === "approve" ? "approved" : "denied",
            note: input.note ? input.note : null,
            decider: ctx.access.membership.userEmail,
          },
          audit,
        ).then((outcome) => {
          // A refusal changes nothing: throwing rolls the transaction back (and skips the audit check).
          if (!outcome.ok) throw new TRPCError({ code: outcome.code, message: outcome.message });
          return outcome;
        }),
      );
      return { id: result.id, status: result.status, decidedAt: result.decidedAt };
    }),
});
