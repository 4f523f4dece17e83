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

export function combineAnswer(answer: CedarAnswer, meta: (statementId: string) => StatementMeta | undefined): PolicyOutcome {
  const known = (ids: readonly string[]) => ids.map((id) => meta(id)).filter((statement): statement is StatementMeta => statement !== undefined);
  const erroredForbids = answer.errors
    .map((error) => ({ statement: meta(error.policyId), message: error.message }))
    .filter((error): error is { statement: StatementMeta; message: string } => error.statement?.effect === "forbid");
  const forbids = answer.decision === "deny" ? known(answer.reason).filter((statement) => statement.effect === "forbid") : [];

  if (forbids.length > 0 || erroredForbids.length > 0) {
    const reasons: PolicyReason[] = [
      ...forbids.map((statement) => ({ code: "policy_denied", message: statement.reason ?? `Denied by policy "${statement.policyName}".`, policyId: statement.policyId })),
      ...erroredForbids.map(({ statement, message }) => ({
        code: "policy_error",
        message: `Policy "${statement.policyName}" could not be evaluated (${message}); denied to be safe.`,
        policyId: statement.policyId,
      })),
    ];
    return { effect: "deny", policyIds: unique([...forbids, ...erroredForbids.map((error) => error.statement)].map((statement) => statement.policyId)), reasons };
  }

  const permits = answer.decision === "allow" ? known(answer.reason).filter((statement) => statement.effect === "permit") : [];
  const approvals = permits.filter((statement) => statement.approval);
  if (approvals.length > 0) {
    return {
      effect: "require_approval",
      policyIds: unique(approvals.map((statement) => statement.policyId)),
      reasons: approvals.map((statement) => ({
        code: "approval_required",
        message: statement.reason ?? `Policy "${statement.policyName}" requires a person's approval.`,
        policyId: statement.policyId,
      })),
    };
  }
  if (permits.length > 0) {
    return {
      effect: "allow",
      policyIds: unique(permits.map((statement) => statement.policyId)),
      reasons: permits.map((statement) => ({ code: "policy_allowed", message: statement.reason ?? `Allowed by policy "${statement.policyName}".`, policyId: statement.policyId })),
    };
  }
  return { effect: "no_match", policyIds: [], reasons: [{ code: "no_policy", message: "No policy matched this request." }] };
}
