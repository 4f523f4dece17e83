// POST /api/v1/decide: an agent asks before it acts and gets one answer. Weighed in order: kill
// switches (and retirement), loop detection, policies, compliance rules, budgets, routing. Every
// reason that counted is in the answer; every decision is recorded, and every one that is not a
// plain allow also goes into the audit chain, in the same transaction as the record.
import "server-only";
import { randomUUID } from "node:crypto";
import { appendAuditRaw } from "../data/audit";
import { checkApproval, consumeApproval, openApproval } from "../data/approvals";
import { reserveBudgets } from "../data/budgets";
import { activeSwitches } from "../data/killswitches";
import { recordToolCall } from "../data/loops";
import { routeModel } from "../data/routing";
import { getPool, inTransaction } from "../db/pool";
import { microsToUsdString, usdToMicros } from "../domain/cost/money";
import { killedModels, switchFor } from "../domain/killswitch/match";
import { redactJson } from "../domain/redaction/redact";
import { evaluatePolicies, orgDefaultDecision } from "../policy/engine";
import type { AgentPrincipal, AgentProfile } from "./auth";
import { directivesFor } from "./directives";
import { ApiError } from "./http";
import type { DecideRequest, DecideResponse } from "./schemas";

type Reason = DecideResponse["reasons"][number];
type Verdict = DecideResponse["decision"];

export async function decide(principal: AgentPrincipal, agent: AgentProfile, request: DecideRequest, now = new Date()): Promise<DecideResponse> {
  const started = performance.now();
  const orgId = principal.orgId;
  const decisionId = randomUUID();
  const reasons: Reason[] = [];
  let verdict: Verdict = "allow";
  let policyIds: string[] = [];
  let model: DecideResponse["model"];
  let usingApproval: string | null = null;
  const deny = (reason: Reason) => {
    verdict = "deny";
    reasons.push(reason);
  };
  const estimatedMicros = request.estimatedCostUsd === undefined ? null : usdToMicros(request.estimatedCostUsd);

  // 1. Kill switches and retirement: nothing else matters while the agent is stopped.
  const switches = await activeSwitches(orgId);
  const stopping = switchFor(switches, { agentId: agent.id, teamId: agent.teamId, tags: agent.tags });
  if (agent.status === "archived") deny({ code: "retired", message: "This agent is archived; it may not act." });
  if (stopping) deny({ code: stopping.reasonCode === "loop_detected" ? "loop_detected" : "kill_switch", message: `Stopped by a kill switch (${stopping.scope}): ${stopping.reason}` });

  // 2. Loop detection: the same tool call over and over suspends the agent.
  if (verdict === "allow" && request.action.type === "tool") {
    const loop = await recordToolCall({ orgId, agent, tool: request.action.name, arguments: request.action.arguments ?? {}, now });
    if (loop.looping) deny({ code: "loop_detected", message: `The same call to ${request.action.name} was made ${loop.count} times in the loop window; the agent is suspended until a person resumes it.` });
  }

  // 3. Policies: what the org's Cedar policies say, or the org's default when none matches.
  if (verdict === "allow") {
    const outcome = await evaluatePolicies(orgId, {
      agent: {
        id: agent.id,
        name: agent.name,
        teamId: agent.teamId,
        teamName: agent.teamName,
        tags: agent.tags,
        riskClass: agent.riskClass,
        tools: agent.tools,
        models: agent.models,
        dataCategories: agent.dataCategories,
      },
      action: { type: request.action.type, name: request.action.name, arguments: request.action.arguments ?? {} },
      dataClasses: request.dataClasses ?? [],
      estimatedCostUsd: estimatedMicros === null ? null : microsToUsdString(estimatedMicros),
      now,
    });
    policyIds = outcome.policyIds;
    if (outcome.effect === "no_match") {
      if ((await orgDefaultDecision(orgId)) === "deny") deny({ code: "no_policy", message: "No policy permits this action, and the organisation denies by default." });
    } else if (outcome.effect === "deny") {
      verdict = "deny";
      reasons.push(...outcome.reasons);
    } else if (outcome.effect === "require_approval" && request.approvalId) {
      // A person approved this very action earlier: it goes through, once.
      const approved = await checkApproval({ orgId, agentId: agent.id, approvalId: request.approvalId, action: requestedAction(principal, request), now });
      if (approved.ok) {
        usingApproval = request.approvalId;
        reasons.push({ code: "approved", message: "A person approved this action." });
      } else {
        deny({ code: approved.code, message: approved.message });
      }
    } else if (outcome.effect === "require_approval") {
      verdict = "require_approval";
      reasons.push(...outcome.reasons);
    } else {
      reasons.push(...outcome.reasons);
    }
  }

  // 4. Compliance rules arrive with the compliance work; nothing to weigh yet.

  // 6 before 5: a model that may not be used must not hold budget. Reasons keep the documented order.
  let routingReasons: Reason[] = [];
  if (verdict !== "deny" && request.action.type === "model") {
    const routed = await routeModel(orgId, { taskType: request.taskType ?? null, requestedModel: request.action.name, killedModels: killedModels(switches) });
    if ("unknownTaskType" in routed) {
      throw new ApiError("invalid_request", `Unknown taskType "${routed.unknownTaskType}": no routing rule has that name.`, [{ path: "taskType", message: "no routing rule has this task type" }]);
    }
    routingReasons = routed.reasons;
    if (routed.ok) {
      model = {
        name: routed.model.name,
        provider: routed.model.provider,
        fallbacks: routed.fallbacks.map((fallback) => ({ name: fallback.name, provider: fallback.provider })),
      };
    } else {
      verdict = "deny";
    }
  }

  // 5. Budgets: hold the estimate against every budget that applies, or refuse.
  if (verdict === "allow" && estimatedMicros !== null && estimatedMicros > 0n) {
    const reservation = await reserveBudgets({ orgId, agent: { id: agent.id, teamId: agent.teamId }, decisionId, amountMicros: estimatedMicros, now });
    if (!reservation.ok) {
      verdict = "deny";
      model = undefined;
      reasons.push({ code: "budget_exhausted", message: reservation.message });
    }
  }
  reasons.push(...routingReasons);
  if (verdict === "allow" && reasons.length === 0) reasons.push({ code: "allowed", message: "Allowed." });

  const redactedArguments = requestedAction(principal, request).arguments;
  const recorded = await record({
    principal,
    agent,
    request,
    decisionId,
    verdict,
    reasons,
    policyIds,
    model: model?.name ?? null,
    estimatedMicros,
    redactedArguments,
    usingApproval: verdict === "allow" ? usingApproval : null,
    durationMicros: Math.round((performance.now() - started) * 1000),
  });
  const approvalId = recorded.approvalId;
  if (recorded.approvalRefused) {
    verdict = "deny";
    model = undefined;
    reasons.splice(0, reasons.length, recorded.approvalRefused);
  }

  return {
    decision: verdict,
    decisionId,
    reasons,
    ...(approvalId ? { approvalId } : {}),
    ...(model ? { model } : {}),
    directives: await directivesFor(orgId, agent),
  };
}

/** The action as stored and compared with approvals: its arguments redacted like everything else. */
function requestedAction(principal: AgentPrincipal, request: DecideRequest) {
  return {
    type: request.action.type,
    name: request.action.name,
    arguments: request.action.arguments ? redactJson(request.action.arguments, principal.redaction).value : null,
  };
}

/** Stores the decision; a require_approval opens the approval, and anything but a plain allow is audited. */
async function record(input: {
  principal: AgentPrincipal;
  agent: AgentProfile;
  request: DecideRequest;
  decisionId: string;
  verdict: Verdict;
  reasons: Reason[];
  policyIds: string[];
  model: string | null;
  estimatedMicros: bigint | null;
  redactedArguments: unknown;
  usingApproval: string | null;
  durationMicros: number;
}): Promise<{ approvalId: string | null; approvalRefused: Reason | null }> {
  const { principal, agent, request } = input;
  if (!input.usingApproval && input.verdict === "allow" && isPlainAllow(input.reasons)) {
    // Nothing else to write with it: one statement, no transaction round trips.
    await insertDecision(getPool(), input, null);
    return { approvalId: null, approvalRefused: null };
  }
  return inTransaction(getPool(), async (client) => {
    let approvalId: string | null = null;
    let approvalRefused: Reason | null = null;
    if (input.usingApproval) {
      // Checked again under the approval's row lock: two decisions cannot spend one approval.
      const consumed = await consumeApproval(client, {
        orgId: principal.orgId,
        agentId: agent.id,
        approvalId: input.usingApproval,
        decisionId: input.decisionId,
        action: { type: request.action.type, name: request.action.name, arguments: input.redactedArguments },
      });
      if (!consumed.ok) {
        approvalRefused = { code: consumed.code, message: consumed.message };
        input.verdict = "deny";
        input.reasons = [approvalRefused];
      } else {
        approvalId = input.usingApproval;
      }
    }
    const plainAllow = input.verdict === "allow" && isPlainAllow(input.reasons);
    if (input.verdict === "require_approval") {
      const approval = await openApproval(client, {
        orgId: principal.orgId,
        agentId: agent.id,
        teamId: agent.teamId,
        decisionId: input.decisionId,
        actionType: request.action.type,
        actionName: request.action.name,
        arguments: input.redactedArguments,
        policyIds: input.policyIds,
        reason: input.reasons.map((reason) => reason.message).join(" "),
      });
      approvalId = approval.id;
    }
    await insertDecision(client, input, approvalId);
    if (!plainAllow) {
      await appendAuditRaw(
        client,
        principal.orgId,
        { type: "agent", id: agent.id, label: agent.name },
        {
          action: `decision.${input.verdict}`,
          targetType: request.action.type,
          targetId: request.action.name,
          teamId: agent.teamId,
          after: {
            decisionId: input.decisionId,
            arguments: input.redactedArguments,
            dataClasses: request.dataClasses ?? [],
            reasons: input.reasons,
            policyIds: input.policyIds,
            approvalId,
            model: input.model,
          },
        },
      );
    }
    return { approvalId: input.verdict === "require_approval" ? approvalId : null, approvalRefused };
  });
}

/** An allow with nothing to note (no approval used, no deprecation warning): not audited. */
function isPlainAllow(reasons: readonly Reason[]): boolean {
  return reasons.every((reason) => reason.code === "allowed" || reason.code === "policy_allowed" || reason.code === "routed");
}

async function insertDecision(
  client: { query: (text: string, values: unknown[]) => Promise<unknown> },
  input: {
    principal: AgentPrincipal;
    agent: AgentProfile;
    request: DecideRequest;
    decisionId: string;
    verdict: Verdict;
    reasons: Reason[];
    policyIds: string[];
    model: string | null;
    estimatedMicros: bigint | null;
    redactedArguments: unknown;
    durationMicros: number;
  },
  approvalId: string | null,
): Promise<void> {
  const { principal, agent, request } = input;
  await client.query(
    `INSERT INTO decisions (id, org_id, agent_id, action_type, action_name, arguments, task_type, task_id, instance_id, data_classes,
                            estimated_cost_micros, decision, reasons, policy_ids, approval_id, model, duration_micros)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    [
      input.decisionId,
      principal.orgId,
      agent.id,
      request.action.type,
      request.action.name,
      input.redactedArguments === null ? null : JSON.stringify(input.redactedArguments),
      request.taskType ?? null,
      request.taskId ?? null,
      request.instanceId ?? null,
      request.dataClasses ?? [],
      input.estimatedMicros === null ? null : input.estimatedMicros.toString(),
      input.verdict,
      JSON.stringify(input.reasons),
      input.policyIds,
      approvalId,
      input.model,
      input.durationMicros,
    ],
  );
}
