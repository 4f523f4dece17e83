// Compliance: the coverage matrix, one agent's compliance, the classification (risk class with its
// reason, declared data) and re-evaluation on demand. Everyone reads as the dashboards
// (team leads: their teams' agents); compliance officers and admins change (compliance:write).
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { findAgent } from "../../data/agents";
import { agentCompliance, classifyAgent, coverageMatrix } from "../../data/compliance";
import { evaluateControlsWith } from "../../data/compliance-evaluate";
import { classificationSchema } from "../../domain/compliance/schemas";
import { assertTeamInReach, createTRPCRouter, orgProcedure } from "../trpc";

export const complianceRouter = createTRPCRouter({
  /** Agents × controls, gaps first, from the stored evaluations. */
  matrix: orgProcedure("dashboard:read").query(({ ctx }) => coverageMatrix(ctx.db, ctx.access)),

  /** One agent: class, data declared and observed, its controls with evidence, calendar and incidents. */
  agent: orgProcedure("dashboard:read")
    .input(z.object({ agentId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const agent = await findAgent(ctx.db, ctx.access.orgId, input.agentId);
      if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
      assertTeamInReach(ctx.access, agent.teamId);
      return agentCompliance(ctx.db, ctx.access, input.agentId, new Date());
    }),

  /** Sets the risk class (a reason is required), Annex area, declared data and questionnaire; re-evaluates the agent. */
  classify: orgProcedure("compliance:write")
    .input(classificationSchema)
    .mutation(async ({ ctx, input }) => {
      const { orgId: _orgId, ...classification } = input;
      const result = await ctx.audited((tx, audit) =>
        classifyAgent(tx, { orgId: ctx.access.orgId, classification, assessedBy: ctx.access.membership.userEmail, audit }, new Date()).then((done) => {
          if (!done) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
          return done;
        }),
      );
      return result;
    }),

  /** Evaluates the controls now: one agent's, or every agent's. */
  evaluate: orgProcedure("compliance:write")
    .input(z.object({ agentId: z.uuid().optional() }))
    .mutation(async ({ ctx, input }) => {
      if (input.agentId && !(await findAgent(ctx.db, ctx.access.orgId, input.agentId))) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
      return ctx.audited(async (tx, audit) => {
        const summary = await evaluateControlsWith(tx, ctx.access.orgId, new Date(), input.agentId ? { agentIds: [input.agentId] } : {});
        await audit({
          action: "compliance.evaluated",
          targetType: input.agentId ? "agent" : "org",
          targetId: input.agentId ?? ctx.access.orgId,
          after: { agents: summary.agents, evaluations: summary.evaluations, counts: summary.counts },
        });
        return summary;
      });
    }),
});
