// Routing in the console: every rule with the model it routes to now (kill switches and model
// status included), what routed calls saved against the most expensive model their agents asked
// for, and the rules' changes (admins), audited in the caller's transaction. Decisions read the
// rules from the org's facts, which this process drops on commit (the others on the NOTIFY).
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import type { DbOrTx, Tx } from "../db";
import { afterCommit } from "../db/after-commit";
import { reachTeamIds } from "../domain/access/permissions";
import { killedModels } from "../domain/killswitch/match";
import { refuse } from "../domain/refusal";
import { routeTask } from "../domain/routing/route";
import { routingSavings as savingsOf, type RoutedCall } from "../domain/routing/savings";
import type { AuditWriter } from "./audit";
import { forgetFacts, orgFacts } from "./facts";

export interface RoutingRuleEntry {
  taskType: string;
  minQuality: number;
  allowedProviders: readonly string[];
  fallbackChain: readonly string[];
}

const DAY_MS = 86_400_000;

/** Every rule and the model it routes to right now. */
export async function routingOverview(orgId: AuthorizedOrgId) {
  const facts = await orgFacts(orgId);
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
}

/** What routed calls of the last `days` cost against the most expensive model their agents asked for (team leads: their teams' agents). */
export async function routingSavings(db: DbOrTx, access: Pick<AuthorizedOrg, "orgId" | "reach">, days: number, now: Date = new Date()) {
  const since = new Date(now.getTime() - days * DAY_MS);
  const teamIds = reachTeamIds(access.reach);
  const rows = await db.$queryRaw<{ agent_id: string; task_type: string | null; model: string; input_tokens: number | null; output_tokens: number | null; cost_micros: bigint }[]>`
    SELECT e.agent_id, d.task_type, e.model, e.input_tokens, e.output_tokens, e.cost_micros
      FROM events e
      JOIN decisions d ON d.org_id = e.org_id AND d.id::text = e.decision_id
      JOIN agents a ON a.id = e.agent_id
     WHERE e.org_id = ${access.orgId}::uuid AND e.ts >= ${since} AND e.type = 'llm_call'
       AND d.action_type = 'model' AND d.model IS NOT NULL AND e.model IS NOT NULL AND e.cost_micros IS NOT NULL
       AND (${teamIds}::uuid[] IS NULL OR a.team_id = ANY(${teamIds}::uuid[]))`;
  const agents = await db.agent.findMany({ where: { orgId: access.orgId, id: { in: [...new Set(rows.map((row) => row.agent_id))] } }, select: { id: true, models: true } });
  const facts = await orgFacts(access.orgId);
  const calls: RoutedCall[] = rows.map((row) => ({
    agentId: row.agent_id,
    taskType: row.task_type,
    model: row.model,
    inputTokens: row.input_tokens ?? 0,
    outputTokens: row.output_tokens ?? 0,
    costMicros: BigInt(row.cost_micros),
  }));
  const summary = savingsOf(calls, facts.models, new Map(agents.map((agent) => [agent.id, agent.models])));
  const amounts = (figures: { actualMicros: bigint; baselineMicros: bigint; savedMicros: bigint }) => ({
    actualMicros: figures.actualMicros.toString(),
    baselineMicros: figures.baselineMicros.toString(),
    savedMicros: figures.savedMicros.toString(),
  });
  return {
    days,
    calls: summary.calls,
    ...amounts(summary),
    byTaskType: summary.byTaskType.map((group) => ({ taskType: group.taskType, calls: group.calls, ...amounts(group) })),
  };
}

/** The rule's fallbacks must be registered models, and its providers must have one. */
async function assertKnownModels(tx: Tx, orgId: AuthorizedOrgId, rule: RoutingRuleEntry): Promise<void> {
  const models = await tx.model.findMany({ where: { orgId }, select: { name: true, provider: true } });
  const names = new Set(models.map((model) => model.name));
  const unknownModels = rule.fallbackChain.filter((name) => !names.has(name));
  if (unknownModels.length > 0) refuse("BAD_REQUEST", `Not in the model registry: ${unknownModels.join(", ")}`);
  const providers = new Set(models.map((model) => model.provider));
  const unknownProviders = rule.allowedProviders.filter((provider) => !providers.has(provider));
  if (unknownProviders.length > 0) refuse("BAD_REQUEST", `No model in the registry comes from: ${unknownProviders.join(", ")}`);
}

function ruleSnapshot(rule: { minQuality: number; allowedProviders: string[]; fallbackChain: string[] }) {
  return { minQuality: rule.minQuality, allowedProviders: rule.allowedProviders, fallbackChain: rule.fallbackChain };
}

/** Creates or replaces the rule of a task type. */
export async function upsertRoutingRule(tx: Tx, audit: AuditWriter, orgId: AuthorizedOrgId, rule: RoutingRuleEntry) {
  await assertKnownModels(tx, orgId, rule);
  const key = { orgId_taskType: { orgId, taskType: rule.taskType } };
  const fields = { minQuality: rule.minQuality, allowedProviders: [...new Set(rule.allowedProviders)], fallbackChain: [...new Set(rule.fallbackChain)] };
  const before = await tx.routingRule.findUnique({ where: key });
  const stored = await tx.routingRule.upsert({ where: key, create: { orgId, taskType: rule.taskType, ...fields }, update: fields });
  await audit({
    action: before ? "routing.rule_updated" : "routing.rule_created",
    targetType: "routing_rule",
    targetId: stored.taskType,
    before: before ? ruleSnapshot(before) : null,
    after: fields,
  });
  afterCommit(tx, () => forgetFacts(orgId));
  return { taskType: stored.taskType };
}

export async function deleteRoutingRule(tx: Tx, audit: AuditWriter, orgId: AuthorizedOrgId, taskType: string) {
  const before = await tx.routingRule.findUnique({ where: { orgId_taskType: { orgId, taskType } } });
  if (!before) refuse("NOT_FOUND", "No such routing rule.");
  await tx.routingRule.delete({ where: { id: before.id } });
  await audit({ action: "routing.rule_deleted", targetType: "routing_rule", targetId: before.taskType, before: ruleSnapshot(before) });
  afterCommit(tx, () => forgetFacts(orgId));
  return { taskType: before.taskType };
}
