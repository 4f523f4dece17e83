// How Cedar's answer becomes Agentry's: allow, deny, require approval, or no match (the org's
// default then decides). The rules, in order:
//   1. any matching forbid → deny. A forbid that could not be evaluated also denies (fail closed).
//   2. any matching permit annotated @approval("true") → require_approval, even when a plain
//      permit matches too: the most restrictive answer wins.
//   3. any matching plain permit → allow.
//   4. nothing matched → no_match.
export interface StatementMeta {
  policyId: string;
  policyName: string;
  effect: "permit" | "forbid";
  approval: boolean;
  /** The `@reason` annotation, told to the agent. */
  reason: string | null;
}

export interface PolicyReason {
  code: string;
  message: string;
  policyId?: string;
}

export type PolicyEffect = "allow" | "deny" | "require_approval" | "no_match";

export interface PolicyOutcome {
  effect: PolicyEffect;
  policyIds: string[];
  reasons: PolicyReason[];
}

export interface CedarAnswer {
  decision: "allow" | "deny";
  /** Ids of the statements that determined the decision. */
  reason: readonly string[];
  errors: readonly { policyId: string; message: string }[];
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

// Plain loops, not map/filter with callbacks: this runs on every decision, and Node 20's V8
// crashed ("unreachable code" in Deoptimizer::DoComputeBuiltinContinuation) when it lazily
// deoptimised these callbacks inlined into the policy engine under load (bench/decide).
function statementsOf(ids: readonly string[], meta: (statementId: string) => StatementMeta | undefined, effect: StatementMeta["effect"]): StatementMeta[] {
  const found: StatementMeta[] = [];
  for (const id of ids) {
    const statement = meta(id);
    if (statement !== undefined && statement.effect === effect) found.push(statement);
  }
  return found;
}

function reasonsOf(statements: readonly StatementMeta[], code: string, fallback: (statement: StatementMeta) => string): PolicyReason[] {
  const reasons: PolicyReason[] = [];
  for (const statement of statements) reasons.push({ code, message: statement.reason ?? fallback(statement), policyId: statement.policyId });
  return reasons;
}

function policyIdsOf(statements: readonly StatementMeta[]): string[] {
  const ids: string[] = [];
  for (const statement of statements) ids.push(statement.policyId);
  return unique(ids);
}

export function combineAnswer(unordered: CedarAnswer, meta: (statementId: string) => StatementMeta | undefined): PolicyOutcome {
  // Cedar reports the statements that decided in no particular order: sorted, the same request
  // always gets the same reasons in the same order.
  const answer: CedarAnswer = {
    decision: unordered.decision,
    reason: [...unordered.reason].sort(),
    errors: [...unordered.errors].sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0)),
  };
  const erroredForbids: { statement: StatementMeta; message: string }[] = [];
  for (const error of answer.errors) {
    const statement = meta(error.policyId);
    if (statement?.effect === "forbid") erroredForbids.push({ statement, message: error.message });
  }
  const forbids = answer.decision === "deny" ? statementsOf(answer.reason, meta, "forbid") : [];

  if (forbids.length > 0 || erroredForbids.length > 0) {
    const reasons = reasonsOf(forbids, "policy_denied", (statement) => `Denied by policy "${statement.policyName}".`);
    const denying = [...forbids];
    for (const { statement, message } of erroredForbids) {
      reasons.push({ code: "policy_error", message: `Policy "${statement.policyName}" could not be evaluated (${message}); denied to be safe.`, policyId: statement.policyId });
      denying.push(statement);
    }
    return { effect: "deny", policyIds: policyIdsOf(denying), reasons };
  }

  const permits = answer.decision === "allow" ? statementsOf(answer.reason, meta, "permit") : [];
  const approvals: StatementMeta[] = [];
  for (const statement of permits) if (statement.approval) approvals.push(statement);
  if (approvals.length > 0) {
    return {
      effect: "require_approval",
      policyIds: policyIdsOf(approvals),
      reasons: reasonsOf(approvals, "approval_required", (statement) => `Policy "${statement.policyName}" requires a person's approval.`),
    };
  }
  if (permits.length > 0) {
    return { effect: "allow", policyIds: policyIdsOf(permits), reasons: reasonsOf(permits, "policy_allowed", (statement) => `Allowed by policy "${statement.policyName}".`) };
  }
  return { effect: "no_match", policyIds: [], reasons: [{ code: "no_policy", message: "No policy matched this request." }] };
}
