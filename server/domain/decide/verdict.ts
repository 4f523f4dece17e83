// The verdict: from a judgement (what the facts say) and the live counters (read under lock by the
// commit) to the answer and everything the commit writes for it. Pure: no I/O, and neither input
// is changed; `advance` gives the counters as they stand once an outcome has taken effect, for the
// next decision of the same batch.
//
// The weights, in order (and the order of the reasons): kill switches and retirement, loop
// detection, policies, compliance rules, budgets, routing. A deny from any weight wins over
// approval and allow; a stopped agent is denied before anything else is weighed.
import { checkReservation, remainingMicros, type BudgetState } from "../budget/arithmetic";
import { consumeRefusal } from "../approvals/rules";
import { isLooping } from "../loops/detect";
import { usdText } from "../budget/validation";
import { budgetKey, callKey, type Counters, type Judgement, type Outcome, type Reason } from "./types";

const SCOPE_TEXT = { org: "the organisation's", team: "the team's", agent: "this agent's" } as const;

/** An allow with nothing to note (no approval used, no deprecation): recorded but not audited. */
const PLAIN_ALLOW_CODES = new Set(["allowed", "policy_allowed", "routed"]);

function outcome(partial: Partial<Outcome> & Pick<Outcome, "decision" | "reasons">): Outcome {
  const base: Outcome = {
    decision: partial.decision,
    reasons: partial.reasons,
    policyIds: [],
    model: null,
    holds: [],
    recordToolCall: false,
    engageLoopSwitch: null,
    consumeApproval: null,
    openApproval: null,
    audited: true,
  };
  const result = { ...base, ...partial };
  result.audited = !(result.decision === "allow" && result.consumeApproval === null && result.reasons.every((reason) => PLAIN_ALLOW_CODES.has(reason.code)));
  return result;
}

export function decideVerdict(judgement: Judgement, counters: Counters, now: Date): Outcome {
  // 1. Kill switches and retirement: nothing else matters while the agent is stopped.
  if (judgement.stop) return outcome({ decision: "deny", reasons: [judgement.stop] });

  // 2. Loop detection: the same tool call over and over suspends the agent.
  const toolCall = judgement.toolCall;
  const recordToolCall = toolCall !== null;
  if (toolCall) {
    const haltedBy = counters.loopSwitches.get(judgement.agentId);
    const count = (counters.priorCalls.get(callKey(judgement.agentId, toolCall.hash)) ?? 0) + 1;
    if (haltedBy || isLooping(count, toolCall.settings)) {
      return outcome({
        decision: "deny",
        reasons: [
          {
            code: "loop_detected",
            message: haltedBy
              ? "The agent is suspended for repeating a call; a person must resume it."
              : `The same call to ${toolCall.tool} was made ${count} times in the loop window; the agent is suspended until a person resumes it.`,
          },
        ],
        recordToolCall,
        engageLoopSwitch: haltedBy ? null : { count, tool: toolCall.tool, windowSec: toolCall.settings.windowSec },
      });
    }
  }

  // 3 and 4. Policies, then compliance rules.
  const policy = judgement.policy;
  const policyIds = policy?.policyIds ?? [];
  const reasons: Reason[] = [];
  const denials: Reason[] = [];
  let needsApproval = false;
  if (!policy || policy.effect === "no_match") {
    if (judgement.defaultDecision === "deny") denials.push({ code: "no_policy", message: "No policy permits this action, and the organisation denies by default." });
  } else if (policy.effect === "deny") {
    denials.push(...policy.reasons);
  } else {
    if (policy.effect === "require_approval") needsApproval = true;
    reasons.push(...policy.reasons);
  }
  if (judgement.compliance.effect === "deny") denials.push(...judgement.compliance.reasons);
  else if (judgement.compliance.effect === "require_approval") {
    needsApproval = true;
    reasons.push(...judgement.compliance.reasons);
  }
  if (denials.length > 0) return outcome({ decision: "deny", reasons: denials, policyIds, recordToolCall });

  let consumeApproval: string | null = null;
  if (needsApproval) {
    if (!judgement.approval) {
      return outcome({ decision: "require_approval", reasons, policyIds, recordToolCall, openApproval: { reason: reasons.map((reason) => reason.message).join(" ") } });
    }
    // A person approved this very action earlier: it goes through, once.
    const refusal = consumeRefusal(counters.approvals.get(judgement.approval.id) ?? null, judgement.agentId, judgement.approval.action, now);
    if (refusal) return outcome({ decision: "deny", reasons: [refusal], policyIds, recordToolCall });
    consumeApproval = judgement.approval.id;
    reasons.splice(0, reasons.length, { code: "approved", message: "A person approved this action." });
  }

  // 6 before 5: a model that may not be used holds no budget; its reasons still come last.
  const routing = judgement.routing;
  if (routing && !routing.ok) return outcome({ decision: "deny", reasons: [...reasons, ...routing.reasons], policyIds, recordToolCall });

  // 5. Budgets: hold the estimate against every budget that applies, or refuse.
  const holds: Outcome["holds"] = [];
  const amount = judgement.estimatedMicros;
  if (amount !== null && amount > 0n && judgement.budgets.length > 0) {
    const states: (BudgetState & { periodStart: string })[] = judgement.budgets.map((budget) => {
      const counter = counters.budgets.get(budgetKey(budget)) ?? { spentMicros: 0n, reservedMicros: 0n };
      return { budgetId: budget.budgetId, periodStart: budget.periodStart, scope: budget.scope, period: budget.period, mode: budget.mode, limitMicros: budget.limitMicros, ...counter };
    });
    const check = checkReservation(states, amount);
    if (!check.ok) {
      const refused = check.refusedBy;
      return outcome({
        decision: "deny",
        reasons: [
          ...reasons,
          {
            code: "budget_exhausted",
            message: `Budget exhausted: ${SCOPE_TEXT[refused.scope]} ${refused.period} hard budget of ${usdText(refused.limitMicros)} has ${usdText(remainingMicros(refused))} left, and this action is estimated at ${usdText(amount)}.`,
          },
        ],
        policyIds,
        recordToolCall,
      });
    }
    for (const budget of judgement.budgets) holds.push({ budgetId: budget.budgetId, periodStart: budget.periodStart, amountMicros: amount });
  }

  if (routing?.ok) reasons.push(...routing.reasons);
  if (reasons.length === 0) reasons.push({ code: "allowed", message: "Allowed." });
  return outcome({ decision: "allow", reasons, policyIds, model: routing?.ok ? routing.model : null, holds, recordToolCall, consumeApproval });
}

/** The counters once `result` (the verdict on `judgement`) has taken effect: a new object, the inputs untouched. */
export function advance(counters: Counters, judgement: Judgement, result: Outcome, now: Date): Counters {
  let { budgets, priorCalls, loopSwitches, approvals } = counters;
  if (result.holds.length > 0) {
    budgets = new Map(budgets);
    for (const hold of result.holds) {
      const key = budgetKey(hold);
      const current = budgets.get(key) ?? { spentMicros: 0n, reservedMicros: 0n };
      budgets.set(key, { spentMicros: current.spentMicros, reservedMicros: current.reservedMicros + hold.amountMicros });
    }
  }
  if (result.recordToolCall && judgement.toolCall) {
    const key = callKey(judgement.agentId, judgement.toolCall.hash);
    priorCalls = new Map(priorCalls).set(key, (priorCalls.get(key) ?? 0) + 1);
  }
  if (result.engageLoopSwitch) loopSwitches = new Map(loopSwitches).set(judgement.agentId, "(engaged in this batch)");
  if (result.consumeApproval) {
    const approval = approvals.get(result.consumeApproval);
    if (approval) approvals = new Map(approvals).set(result.consumeApproval, { ...approval, usedAt: now });
  }
  return budgets === counters.budgets && priorCalls === counters.priorCalls && loopSwitches === counters.loopSwitches && approvals === counters.approvals
    ? counters
    : { budgets, priorCalls, loopSwitches, approvals };
}
