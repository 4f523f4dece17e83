import { deleteRoutingRule, routingOverview, routingSavings, upsertRoutingRule } from "../../data/routing";
import { deleteRoutingRuleInput, routingRuleInput, routingSavingsInput } from "../../domain/routing/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const routingRouter = createTRPCRouter({
  /** Every rule and the model it routes to right now (kill switches and model status included). */
  overview: orgProcedure("dashboard:read").query(({ ctx }) => routingOverview(ctx.access.orgId)),

  /** What routed calls cost against the most expensive model their agents asked for, over the last `days`. */
  savings: orgProcedure("dashboard:read")
    .input(routingSavingsInput)
    .query(({ ctx, input }) => routingSavings(ctx.db, ctx.access, input.days)),

  upsertRule: orgProcedure("org:admin")
    .input(routingRuleInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => upsertRoutingRule(tx, audit, ctx.access.orgId, input))),

  deleteRule: orgProcedure("org:admin")
    .input(deleteRoutingRuleInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => deleteRoutingRule(tx, audit, ctx.access.orgId, input.taskType))),
});
