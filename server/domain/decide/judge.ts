// What the org's facts say about a decision request, before any live counter is read: whether the
// agent is stopped (a kill switch, archived, or a retired version), which version the instance
// must run, what its policies and compliance rules say, which model routing picks, which
// budgets apply, which tool call loop detection will count, which approval is named. Pure and
// deterministic (Cedar is evaluated through the facts' compiled policy set).
import { applicableBudgets } from "../budget/arithmetic";
import { complianceVerdict } from "../compliance/decide-rules";
import { periodBounds } from "../budget/period";
import { microsToUsdString, usdToMicros } from "../cost/money";
import { killedModels, switchFor } from "../killswitch/match";
import { callHash, loopSettings } from "../loops/detect";
import { toCedarRequest, type AgentFacts } from "../policy/request";
import { redactJson } from "../redaction/redact";
import { pgSafeJson } from "../telemetry/pg-json";
import { resolveReportedVersion } from "../rollout/assign";
import { versionVerdict } from "../rollout/verdict";
import { checkModel, routeTask, type RoutableModel, type RouteResult } from "../routing/route";
import type { AgentProfile, BudgetHold, DecisionRequest, Judgement, ModelChoice, OrgFacts, Reason, RoutingJudgement } from "./types";

export type JudgeResult = { ok: true; judgement: Judgement; redactedArguments: Record<string, unknown> | null } | { ok: false; path: string; message: string };

/** The compliance rules: the fourth weight (server/domain/compliance/decide-rules.ts; replaceable in tests). */
export type ComplianceRules = (agent: AgentProfile, request: { actionType: string; actionName: string; dataClasses: readonly string[] }) => Judgement["compliance"];

function agentFacts(agent: AgentProfile): AgentFacts {
  return {
    name: agent.name,
    teamName: agent.teamName,
    tags: agent.tags,
    riskClass: agent.riskClass,
    tools: agent.tools,
    models: agent.models,
    dataCategories: agent.dataCategories,
  };
}

const NOBODY: AgentFacts = { name: "", teamName: null, tags: [], riskClass: null, tools: [], models: [], dataCategories: [] };

function stopReason(facts: OrgFacts, agent: AgentProfile): Reason | null {
  if (agent.status === "archived") return { code: "retired", message: "This agent is archived; it may not act." };
  const stopping = switchFor(facts.switches, { agentId: agent.id, teamId: agent.teamId, tags: agent.tags });
  if (!stopping) return null;
  return { code: stopping.reasonCode === "loop_detected" ? "loop_detected" : "kill_switch", message: `Stopped by a kill switch (${stopping.scope}): ${stopping.reason}` };
}

function choice(model: RoutableModel, fallbacks: readonly RoutableModel[]): ModelChoice {
  return { name: model.name, provider: model.provider, fallbacks: fallbacks.map((fallback) => ({ name: fallback.name, provider: fallback.provider })) };
}

function route(facts: OrgFacts, request: DecisionRequest): RoutingJudgement | { unknownTaskType: string } {
  const rule = request.taskType ? (facts.routingRules.get(request.taskType) ?? null) : null;
  if (request.taskType && !rule) return { unknownTaskType: request.taskType };
  const killed = killedModels(facts.switches);
  let result: RouteResult;
  if (request.action.name === "auto") {
    if (!rule) return { ok: false, reasons: [{ code: "task_type_required", message: 'Asking for model "auto" needs a taskType that has a routing rule.' }] };
    result = routeTask(facts.models, rule, killed);
  } else {
    result = checkModel(facts.models, request.action.name, rule, killed);
  }
  return result.ok ? { ok: true, model: choice(result.model, result.fallbacks), reasons: result.reasons } : { ok: false, reasons: result.reasons };
}

function budgetHolds(facts: OrgFacts, agent: AgentProfile, now: Date): BudgetHold[] {
  return applicableBudgets(facts.budgets, agent)
    .map((budget) => ({
      budgetId: budget.id,
      periodStart: periodBounds(budget.period, now).start.toISOString(),
      scope: budget.scope,
      period: budget.period,
      mode: budget.mode,
      limitMicros: budget.limitMicros,
    }))
    .sort((a, b) => (a.budgetId < b.budgetId ? -1 : a.budgetId > b.budgetId ? 1 : a.periodStart < b.periodStart ? -1 : 1));
}

/**
 * Judges `request` by `agent` against the org's facts at `now`. Fails only for a request that
 * names what does not exist (an unknown task type): that is the caller's 400, not a decision.
 */
export function judge(facts: OrgFacts, agent: AgentProfile, request: DecisionRequest, now: Date, compliance: ComplianceRules = complianceVerdict): JudgeResult {
  // What PostgreSQL's jsonb will hold (no lone surrogates, no NUL), redacted like everything stored.
  const redactedArguments = request.action.arguments ? (redactJson(pgSafeJson(request.action.arguments), facts.redaction).value as Record<string, unknown>) : null;
  let routing: RoutingJudgement | null = null;
  if (request.action.type === "model") {
    const routed = route(facts, request);
    if ("unknownTaskType" in routed) return { ok: false, path: "taskType", message: `Unknown taskType "${routed.unknownTaskType}": no routing rule has that name.` };
    routing = routed;
  }
  const estimatedMicros = request.estimatedCostUsd === undefined ? null : usdToMicros(request.estimatedCostUsd);
  // Lifecycle: the instance's version (by its instance id, or task id), and whether the one it runs is retired.
  const versionFacts = facts.versions.get(agent.id);
  const lifecycle = versionVerdict(versionFacts, request.instanceId ?? request.taskId ?? null, request.version);
  const stop = stopReason(facts, agent) ?? (lifecycle.refuse ? { code: lifecycle.refuse.code, message: lifecycle.refuse.message } : null);
  const dataClasses = request.dataClasses ?? [];
  // A `data` action names the data class it touches: rules about that class apply to it too.
  const touched = request.action.type === "data" && !dataClasses.includes(request.action.name) ? [...dataClasses, request.action.name] : dataClasses;

  let policy: Judgement["policy"] = null;
  if (!stop) {
    const target = request.action.type === "delegate" ? (facts.agentsByName.get(request.action.name) ?? { ...NOBODY, name: request.action.name }) : null;
    const cedarRequest = toCedarRequest(
      {
        agent: { ...agentFacts(agent), id: agent.id, teamId: agent.teamId, tags: [...agent.tags], tools: [...agent.tools], models: [...agent.models], dataCategories: [...agent.dataCategories] },
        action: { type: request.action.type, name: request.action.name, arguments: request.action.arguments ?? {} },
        dataClasses,
        estimatedCostUsd: estimatedMicros === null ? null : microsToUsdString(estimatedMicros),
        now,
      },
      agentFacts(agent),
      target === null ? null : "id" in target ? agentFacts(target) : target,
    );
    policy = facts.policies.evaluate(cedarRequest, agent.teamName);
  }

  return {
    ok: true,
    redactedArguments,
    judgement: {
      agentId: agent.id,
      stop,
      policy,
      defaultDecision: facts.defaultDecision,
      compliance: stop ? { effect: "none", reasons: [] } : compliance(agent, { actionType: request.action.type, actionName: request.action.name, dataClasses: touched }),
      routing,
      budgets: budgetHolds(facts, agent, now),
      estimatedMicros,
      toolCall: request.action.type === "tool" ? { hash: callHash(request.action.name, request.action.arguments ?? {}), tool: request.action.name, settings: loopSettings(agent) } : null,
      approval: request.approvalId ? { id: request.approvalId, action: { type: request.action.type, name: request.action.name, arguments: redactedArguments } } : null,
      version: lifecycle.version ? { id: lifecycle.version.id, label: lifecycle.version.label } : null,
      versionWarning: lifecycle.warning ?? null,
      recordedVersionId: resolveReportedVersion(versionFacts, request.version)?.id ?? lifecycle.version?.id ?? null,
    },
  };
}
