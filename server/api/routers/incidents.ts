// Incidents. Reading is dashboard:read (team leads: their teams' incidents and org-wide ones).
// Opening one by hand is incidents:open: compliance officers and admins anywhere, team leads on
// their own teams' agents (whoever may pull an agent's kill switch may open an incident about it).
// Classifying, reporting to the authority and closing (a note is required) are compliance:write.
import { z } from "zod";
import { classifyIncident, closeIncident, listIncidents, markIncidentReported, openIncidentByHand } from "../../data/incidents";
import { classifyIncidentSchema, closeIncidentSchema, openIncidentSchema, reportIncidentSchema } from "../../domain/compliance/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const incidentsRouter = createTRPCRouter({
  list: orgProcedure("dashboard:read")
    .input(z.object({ status: z.enum(["open", "closed", "all"]).default("all"), agentId: z.uuid().optional() }))
    .query(({ ctx, input }) => listIncidents(ctx.db, ctx.access.orgId, ctx.access.reach, { status: input.status, ...(input.agentId ? { agentId: input.agentId } : {}) }, new Date())),

  open: orgProcedure("incidents:open")
    .input(openIncidentSchema)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => openIncidentByHand(tx, audit, ctx.access, input))),

  classify: orgProcedure("compliance:write")
    .input(classifyIncidentSchema)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => classifyIncident(tx, audit, ctx.access, input, new Date()))),

  report: orgProcedure("compliance:write")
    .input(reportIncidentSchema)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => markIncidentReported(tx, audit, ctx.access, input, new Date()))),

  close: orgProcedure("compliance:write")
    .input(closeIncidentSchema)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => closeIncident(tx, audit, ctx.access, input, new Date()))),
});
