// Incidents. Reading is dashboard:read (team leads: their teams' incidents and org-wide ones).
// Opening one by hand is incidents:open: compliance officers and admins anywhere, team leads on
// their own teams' agents (whoever may pull an agent's kill switch may open an incident about it).
// Classifying, reporting to the authority and closing (a note is required) are compliance:write.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { findAgent } from "../../data/agents";
import { findAnomaly } from "../../data/anomalies";
import { classifyIncident, closeIncident, findIncident, IncidentStateError, incidentInReach, listIncidents, markIncidentReported, openIncident } from "../../data/incidents";
import { classifyIncidentSchema, closeIncidentSchema, openIncidentSchema, reportIncidentSchema } from "../../domain/compliance/schemas";
import type { AuthorizedOrg } from "../../auth/access";
import { assertTeamInReach, createTRPCRouter, orgProcedure } from "../trpc";
import type { Tx } from "../../db";

function asBadRequest(error: unknown): never {
  if (error instanceof IncidentStateError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
  throw error;
}

/** The incident, if the caller may see it; NOT_FOUND otherwise. */
async function incidentFor(tx: Tx, access: AuthorizedOrg, id: string) {
  const incident = await findIncident(tx, access.orgId, id, new Date());
  if (!incident || !incidentInReach(access.reach, incident.teamId)) throw new TRPCError({ code: "NOT_FOUND", message: "No such incident." });
  return incident;
}

export const incidentsRouter = createTRPCRouter({
  list: orgProcedure("dashboard:read")
    .input(z.object({ status: z.enum(["open", "closed", "all"]).default("all"), agentId: z.uuid().optional() }))
    .query(({ ctx, input }) => listIncidents(ctx.db, ctx.access.orgId, ctx.access.reach, { status: input.status, ...(input.agentId ? { agentId: input.agentId } : {}) }, new Date())),

  open: orgProcedure("incidents:open")
    .input(openIncidentSchema)
    .mutation(async ({ ctx, input }) => {
      const orgId = ctx.access.orgId;
      const anomaly = input.anomalyId ? await findAnomaly(ctx.db, orgId, input.anomalyId) : null;
      if (input.anomalyId && !anomaly) throw new TRPCError({ code: "NOT_FOUND", message: "No such anomaly." });
      if (anomaly && (await ctx.db.incident.count({ where: { orgId, source: "anomaly", sourceRef: anomaly.id } })) > 0) {
        throw new TRPCError({ code: "CONFLICT", message: "An incident is already open for this anomaly." });
      }
      const agentId = anomaly?.agentId ?? input.agentId;
      let teamId: string | null = null;
      if (agentId) {
        const agent = await findAgent(ctx.db, orgId, agentId);
        if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
        teamId = agent.teamId;
      }
      // A team lead opens incidents about their own teams' agents only.
      if (ctx.access.reach.kind === "teams" && !agentId) throw new TRPCError({ code: "FORBIDDEN", message: "Name one of your teams' agents." });
      assertTeamInReach(ctx.access, ctx.access.reach.kind === "teams" ? teamId : null);
      const id = await ctx.audited((tx, audit) =>
        openIncident(tx, {
          orgId,
          agentId: agentId ?? null,
          teamId,
          title: input.title,
          description: input.description,
          source: anomaly ? "anomaly" : "person",
          sourceRef: anomaly?.id ?? null,
          severity: input.severity,
          serious: input.serious,
          seriousKind: input.seriousKind,
          ...(input.awareAt ? { awareAt: input.awareAt } : {}),
          openedBy: ctx.access.membership.userEmail,
          audit,
        }),
      );
      return { id };
    }),

  classify: orgProcedure("compliance:write")
    .input(classifyIncidentSchema)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        await incidentFor(tx, ctx.access, input.incidentId);
        return classifyIncident(tx, { orgId: ctx.access.orgId, id: input.incidentId, severity: input.severity, serious: input.serious, seriousKind: input.seriousKind, reason: input.reason, audit }, new Date()).catch(asBadRequest);
      }),
    ),

  report: orgProcedure("compliance:write")
    .input(reportIncidentSchema)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        await incidentFor(tx, ctx.access, input.incidentId);
        return markIncidentReported(tx, { orgId: ctx.access.orgId, id: input.incidentId, reportedAt: input.reportedAt, reference: input.reference, reportedBy: ctx.access.membership.userEmail, audit }, new Date()).catch(asBadRequest);
      }),
    ),

  close: orgProcedure("compliance:write")
    .input(closeIncidentSchema)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        await incidentFor(tx, ctx.access, input.incidentId);
        return closeIncident(tx, { orgId: ctx.access.orgId, id: input.incidentId, note: input.note, closedBy: ctx.access.membership.userEmail, audit }, new Date()).catch(asBadRequest);
      }),
    ),
});
