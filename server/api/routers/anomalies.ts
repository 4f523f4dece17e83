// Observability: anomalies (cost and error-rate spikes, tool-mix drift) and per-agent metrics from
// the hourly rollups. dashboard:read; team leads see their teams' agents.
import { z } from "zod";
import { agentMetrics } from "../../data/agent-metrics";
import { listAnomalies } from "../../data/anomalies";
import { METRIC_WINDOWS } from "../../domain/compliance/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

const DAY_MS = 86_400_000;

export const anomaliesRouter = createTRPCRouter({
  list: orgProcedure("dashboard:read")
    .input(z.object({ days: z.number().int().min(1).max(90).default(7), agentId: z.uuid().optional() }))
    .query(({ ctx, input }) => listAnomalies(ctx.db, ctx.access, { since: new Date(Date.now() - input.days * DAY_MS), ...(input.agentId ? { agentId: input.agentId } : {}) })),

  /** Calls, tokens, cost, error rate, latency p50/p95 and cost per task of one agent over a window. */
  metrics: orgProcedure("dashboard:read")
    .input(z.object({ agentId: z.uuid(), window: z.enum(METRIC_WINDOWS).default("7d") }))
    .query(({ ctx, input }) => agentMetrics(ctx.db, ctx.access, input.agentId, input.window, new Date())),
});
