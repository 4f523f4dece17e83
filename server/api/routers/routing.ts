import { TRPCError } from "@trpc/server";
import { forgetFacts, orgFacts } from "../../data/facts";
import { killedModels } from "../../domain/killswitch/match";
import { routeTask } from "../../domain/routing/route";
import { routingSavings, type RoutedCall } from "../../domain/routing/savings";
import { deleteRoutingRuleInput, routingRuleInput, routingSavingsInput } from "../../domain/routing/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const routingRouter = createTRPCRouter({
  /** Every rule and the model it routes to right now (kill switches and model status included). */
  overview: orgProcedure("dashboard:read").query(async ({ ctx }) => {
    const facts = await orgFacts(ctx.access.orgId);
    const killed = killedModels(facts.switches);
    return [...facts.routingRules.values()]
      .sort((a, b) => a.taskType.localeCompare(b.taskType))
      .map((rule) => {
        const route = routeTask(facts.models, rule, killed);
        return {
          ...rule,
          routesTo: route.ok ? { name: route.model.name, provider: route.model.provider, qualityTier: route.model.qualityTier } : null,
          fallbacks: route.ok ? route.fallbacks.map((model) => ({ name: model.name, provider: model.provider })) : [],
          problem: route.ok ? null : (route.reasons[0]?.message ?? "No model available"),
        };
      });
  }),

  /** What routed calls cost against the most expensive model their agents asked for, over the last `days`. */
  savings: orgProcedure("dashboard:read")
    .input(routingSavingsInput)
    .query(async ({ ctx, input }) => {
      const since = new Date(Date.now() - input.days * 86_400_000);
      const teamIds = ctx.access.reach.kind === "teams" ? [...ctx.access.reach.teamIds] : null;
      const rows = await ctx.db.$queryRaw<{ agent_id: string; task_type: string | null; model: string; input_tokens: number | null; output_tokens: number | null; cost_micros: bigint }[]>`
        SELECT e.agent_id, d.task_type, e.model, e.input_tokens, e.output_tokens, e.cost_micros
          FROM events e
          JOIN decisions d ON d.org_id = e.org_id AND d.id::text = e.decision_id
          JOIN agents a ON a.id = e.agent_id
         WHERE e.org_id = ${ctx.access.orgId}::uuid AND e.ts >= ${since} AND e.type = 'llm_call'
           AND d.action_type = 'model' AND d.model IS NOT NULL AND e.model IS NOT NULL AND e.cost_micros IS NOT NULL
           AND (${teamIds}::uuid[] IS NULL OR a.team_id = ANY(${teamIds}::uuid[]))`;
      const agents = await ctx.db.agent.findMany({ where: { orgId: ctx.access.orgId, id: { in: [...new Set(rows.map((row) => row.agent_id))] } }, select: { id: true, models: true } });
      const facts = await orgFacts(ctx.access.orgId);
      const calls: RoutedCall[] = rows.map((row) => ({
        agentId: row.agent_id,
        taskType: row.task_type,
        model: row.model,
        inputTokens: row.input_tokens ?? 0,
        outputTokens: row.output_tokens ?? 0,
        costMicros: BigInt(row.cost_micros),
      }));
      const summary = routingSavings(calls, facts.models, new Map(agents.map((agent) => [agent.id, agent.models])));
      const micros = (value: bigint) => value.toString();
      return {
        days: input.days,
        calls: summary.calls,
        actualMicros: micros(summary.actualMicros),
        baselineMicros: micros(summary.baselineMicros),
        savedMicros: micros(summary.savedMicros),
        byTaskType: summary.byTaskType.map((group) => ({
          taskType: group.taskType,
          calls: group.calls,
          actualMicros: micros(group.actualMicros),
          baselineMicros: micros(group.baselineMicros),
          savedMicros: micros(group.savedMicros),
        })),
      };
    }),

  upsertRule: orgProcedure("org:admin")
    .input(routingRuleInput)
    .mutation(async ({ ctx, input }) => {
      const models = await ctx.db.model.findMany({ where: { orgId: ctx.access.orgId }, select: { name: true, provider: true } });
      const unknownModels = input.fallbackChain.filter((name) => !models.some((model) => model.name === name));
      if (unknownModels.length > 0) throw new TRPCError({ code: "BAD_REQUEST", message: `Not in the model registry: ${unknownModels.join(", ")}` });
      const providers = new Set(models.map((model) => model.provider));
      const unknownProviders = input.allowedProviders.filter((provider) => !providers.has(provider));
      if (unknownProviders.length > 0) throw new TRPCError({ code: "BAD_REQUEST", message: `No model in the registry comes from: ${unknownProviders.join(", ")}` });
      const result = await ctx.audited(async (tx, audit) => {
        const before = await tx.routingRule.findUnique({ where: { orgId_taskType: { orgId: ctx.access.orgId, taskType: input.taskType } } });
        const data = { minQuality: input.minQuality, allowedProviders: [...new Set(input.allowedProviders)], fallbackChain: [...new Set(input.fallbackChain)] };
        const rule = await tx.routingRule.upsert({
          where: { orgId_taskType: { orgId: ctx.access.orgId, taskType: input.taskType } },
          create: { orgId: ctx.access.orgId, taskType: input.taskType, ...data },
          update: data,
        });
        await audit({
          action: before ? "routing.rule_updated" : "routing.rule_created",
          targetType: "routing_rule",
          targetId: rule.taskType,
          before: before ? { minQuality: before.minQuality, allowedProviders: before.allowedProviders, fallbackChain: before.fallbackChain } : null,
          after: data,
        });
        return { taskType: rule.taskType };
      });
      forgetFacts(ctx.access.orgId);
      return result;
    }),

  deleteRule: orgProcedure("org:admin")
    .input(deleteRoutingRuleInput)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.audited(async (tx, audit) => {
        const before = await tx.routingRule.findUnique({ where: { orgId_taskType: { orgId: ctx.access.orgId, taskType: input.taskType } } });
        if (!before) throw new TRPCError({ code: "NOT_FOUND", message: "No such routing rule." });
        await tx.routingRule.delete({ where: { id: before.id } });
        await audit({
          action: "routing.rule_deleted",
          targetType: "routing_rule",
          targetId: before.taskType,
          before: { minQuality: before.minQuality, allowedProviders: before.allowedProviders, fallbackChain: before.fallbackChain },
        });
        return { taskType: before.taskType };
      });
      forgetFacts(ctx.access.orgId);
      return result;
    }),
});

