// The fourth weight of decide: compliance rules (catalogue.ts COMPLIANCE_RULES) applied to one
// request. Pure and synchronous, so the decision path can call it with the facts it already holds.
import { COMPLIANCE_RULES, isRiskClass, type ComplianceRule } from "./catalogue";

export interface ComplianceVerdict {
  effect: "deny" | "require_approval" | "none";
  reasons: { code: string; message: string }[];
}

function ruleMatches(rule: ComplianceRule, riskClass: string | null, dataClasses: readonly string[]): boolean {
  if (!isRiskClass(riskClass) || !rule.riskClasses.includes(riskClass)) return false;
  if (!rule.requestDataClasses) return true;
  const wanted = rule.requestDataClasses.map((value) => value.toLowerCase());
  return dataClasses.some((value) => wanted.includes(value.toLowerCase()));
}

/**
 * What the compliance rules say about one request: deny (reason code `compliance`) beats
 * require_approval (also code `compliance`); "none" when no rule matches. Every matching rule of
 * the winning effect is in the reasons.
 */
export function complianceVerdict(
  agent: { riskClass: string | null; dataCategories: readonly string[]; tags: readonly string[] },
  request: { actionType: string; actionName: string; dataClasses: readonly string[] },
  rules: readonly ComplianceRule[] = COMPLIANCE_RULES,
): ComplianceVerdict {
  const matching = rules.filter((rule) => ruleMatches(rule, agent.riskClass, request.dataClasses));
  const denials = matching.filter((rule) => rule.effect === "deny");
  const winning = denials.length > 0 ? denials : matching.filter((rule) => rule.effect === "require_approval");
  if (winning.length === 0) return { effect: "none", reasons: [] };
  return { effect: denials.length > 0 ? "deny" : "require_approval", reasons: winning.map((rule) => ({ code: "compliance", message: rule.message })) };
}
