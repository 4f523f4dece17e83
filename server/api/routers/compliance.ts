// Compliance: the coverage matrix, one agent's compliance, the classification (risk class with its
// reason, declared data) and re-evaluation on demand. Everyone reads as the dashboards
// (team leads: their teams' agents); compliance officers and admins change (compliance:write).
import { z } from "zod";
import { agentCompliance, classifyAgent, coverageMatrix, evaluateControlsNow } from "../../data/compliance";
import { classificationSchema } from "../../domain/compliance/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const complianceRouter = createTRPCRouter({
  /** Agents × controls, gaps first, from the stored evaluations. */
  matrix: orgProcedure("dashboard:read").query(({ ctx }) => coverageMatrix(ctx.db, ctx.access)),

  /** One agent: class, data declared and observed, its controls with evidence, calendar and incidents. */
  agent: orgProcedure("dashboard:read")
    .input(z.object({ agentId: z.uuid() }))
    .query(({ ctx, input }) => agentCompliance(ctx.db, ctx.access, input.agentId, new Date())),

  /** Sets the risk class (a reason is required), Annex area, declared data and questionnaire; re-evaluates the agent. */
  classify: orgProcedure("compliance:write")
    .input(classificationSchema)
    .mutation(({ ctx, input: { orgId: _orgId, ...classification } }) => ctx.audited((tx, audit) => classifyAgent(tx, audit, ctx.access, classification, new Date()))),

  /** Evaluates the controls now: one agent's, or every agent's. */
  evaluate: orgProcedure("compliance:write")
    .input(z.object({ agentId: z.uuid().optional() }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => evaluateControlsNow(tx, audit, ctx.access.orgId, input.agentId, new Date()))),
});
