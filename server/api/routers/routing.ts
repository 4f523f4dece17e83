import { z } from "zod";
import { deleteRoutingRule, routingOverview, routingSavings, upsertRoutingRule } from "../../data/routing";
import { createTRPCRouter, orgProcedure } from "../trpc";

const ruleInput = z.object({
  taskType: z
    .string()
    .trim()
    .min(1, "Name the task type")
    .max(100)
    .regex(/^[a-z0-9][a-z0-9_.-]*$/, "Lower-case letters, digits, dots, dashes and underscores"),
  minQuality: z.number().int().min(1, "Quality tiers run from 1 to 5").max(5, "Quality tiers run from 1 to 5"),
  allowedProviders: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
  fallbackChain: z.array(z.string().trim().min(1).max(200)).max(10).default([]),
});

export const routingRouter = createTRPCRouter({
  /** Every rule and the model it routes to right now (kill switches and model status included). */
  overview: orgProcedure("dashboard:read").query(({ ctx }) => routingOverview(ctx.access.orgId)),

  /** What routed calls cost against the most expensive model their agents asked for, over the last `days`. */
  savings: orgProcedure("dashboard:read")
    .input(z.object({ days: z.number().int().min(1).max(90).default(30) }))
    .query(({ ctx, input }) => routingSavings(ctx.db, ctx.access, input.days)),

  upsertRule: orgProcedure("org:admin")
    .input(ruleInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => upsertRoutingRule(tx, audit, ctx.access.orgId, input))),

  deleteRule: orgProcedure("org:admin")
    .input(z.object({ taskType: z.string().trim().min(1).max(100) }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => deleteRoutingRule(tx, audit, ctx.access.orgId, input.taskType))),
});
