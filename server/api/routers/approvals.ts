// The approval queue. Reading and deciding both need approvals:decide (docs/concepts.md, roles: "decide
// approvals: all, all, own teams, –"): the queue is the deciders' work list, and its history (who
// let which agent do what, with the arguments) is audit material that viewers do not read either.
// Team leads see and decide only their teams' agents' requests.
import { z } from "zod";
import { decideApproval, listApprovals, pendingApprovalCount } from "../../data/approvals";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const approvalsRouter = createTRPCRouter({
  list: orgProcedure("approvals:decide")
    .input(
      z.object({
        view: z.enum(["pending", "history"]),
        status: z.enum(["approved", "denied", "expired"]).optional(),
        agentId: z.string().uuid().optional(),
        teamId: z.string().uuid().optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.string().uuid().optional(),
      }),
    )
    .query(({ ctx, input: { orgId: _orgId, ...filter } }) => listApprovals(ctx.db, ctx.access, filter)),

  pendingCount: orgProcedure("approvals:decide").query(({ ctx }) => pendingApprovalCount(ctx.db, ctx.access.orgId, ctx.access.reach)),

  decide: orgProcedure("approvals:decide")
    .input(
      z.object({
        approvalId: z.string().uuid(),
        decision: z.enum(["approve", "deny"]),
        note: z.string().trim().max(1000).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.audited((tx, audit) =>
        decideApproval(tx, audit, ctx.access, { approvalId: input.approvalId, decision: input.decision === "approve" ? "approved" : "denied", note: input.note || null }),
      ),
    ),
});
