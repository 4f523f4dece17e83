// The approval queue. Reading and deciding both need approvals:decide (docs/concepts.md, roles: "decide
// approvals: all, all, own teams, –"): the queue is the deciders' work list, and its history (who
// let which agent do what, with the arguments) is audit material that viewers do not read either.
// Team leads see and decide only their teams' agents' requests.
import { decideApproval, listApprovals, pendingApprovalCount } from "../../data/approvals";
import { approvalListInput, decideApprovalInput } from "../../domain/approvals/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const approvalsRouter = createTRPCRouter({
  list: orgProcedure("approvals:decide")
    .input(approvalListInput)
    .query(({ ctx, input: { orgId: _orgId, ...filter } }) => listApprovals(ctx.db, ctx.access, filter)),

  pendingCount: orgProcedure("approvals:decide").query(({ ctx }) => pendingApprovalCount(ctx.db, ctx.access.orgId, ctx.access.reach)),

  decide: orgProcedure("approvals:decide")
    .input(decideApprovalInput)
    .mutation(({ ctx, input }) =>
      ctx.audited((tx, audit) => decideApproval(tx, audit, ctx.access, { approvalId: input.approvalId, decision: input.decision === "approve" ? "approved" : "denied", note: input.note || null })),
    ),
});
