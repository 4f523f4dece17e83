// Policies for the console's simulation and replay: the org's enforced set (from its facts in
// memory, server/data/facts.ts, the same the decision path reads), a draft applied on top of it, and
// a request evaluated against either with the registry's view of the agents involved.
import "server-only";
import { enforcedPolicies, forgetFacts, orgFacts } from "../data/facts";
import { applyDraft, type DraftChange } from "../domain/policy/draft";
import type { PolicyOutcome } from "../domain/policy/outcome";
import { toCedarRequest, type AgentFacts, type PolicyRequest } from "../domain/policy/request";
import { compilePolicySet, type CompiledPolicySet } from "./cedar";

export { defaultDecisionOf } from "../data/facts";
export type { PolicyOutcome, PolicyReason } from "../domain/policy/outcome";
export type { PolicyRequest } from "../domain/policy/request";
export type DefaultDecision = "allow" | "deny";

/** Drops this process's copy of the org's facts (other processes hear the change's NOTIFY). */
export function invalidatePolicies(orgId: string): void {
  forgetFacts(orgId);
}

/** The compiled enforced set (for simulation against what is enforced now). */
export async function enforcedPolicySet(orgId: string): Promise<CompiledPolicySet> {
  return (await enforcedPolicies(orgId)).set;
}

/** The enforced set with a draft change applied, compiled (not kept: drafts change at every keystroke). */
export async function draftPolicySet(orgId: string, draft: DraftChange): Promise<CompiledPolicySet> {
  return compilePolicySet(applyDraft((await enforcedPolicies(orgId)).sources, draft)).set;
}

const NOBODY = (name: string): AgentFacts => ({ name, teamName: null, tags: [], riskClass: null, tools: [], models: [], dataCategories: [] });

/** What policies read about the requesting agent; its registered lists come from the registry when not given. */
export async function principalFacts(orgId: string, agent: PolicyRequest["agent"]): Promise<AgentFacts> {
  const registered = (await orgFacts(orgId)).agents.get(agent.id);
  return {
    name: agent.name,
    teamName: agent.teamName,
    tags: agent.tags,
    riskClass: agent.riskClass,
    tools: agent.tools ?? registered?.tools ?? [],
    models: agent.models ?? registered?.models ?? [],
    dataCategories: agent.dataCategories ?? registered?.dataCategories ?? [],
  };
}

/** The agent a `delegate` action names, so policies can read its attributes too. */
export async function delegateFacts(orgId: string, name: string): Promise<AgentFacts> {
  return (await orgFacts(orgId)).agentsByName.get(name) ?? NOBODY(name);
}

/** Evaluates `request` against `set` (the enforced set, or a draft for simulate and impact). */
export async function evaluateAgainst(set: CompiledPolicySet, orgId: string, request: PolicyRequest): Promise<PolicyOutcome> {
  const principal = await principalFacts(orgId, request.agent);
  const target = request.action.type === "delegate" ? await delegateFacts(orgId, request.action.name) : null;
  return set.evaluate(toCedarRequest(request, principal, target), principal.teamName);
}

/** The org's answer when no policy matches: deny unless the org chose allow. */
export async function orgDefaultDecision(orgId: string): Promise<DefaultDecision> {
  return (await orgFacts(orgId)).defaultDecision;
}

/**
 * What the org's enforced policies say about `request`: allow, deny, require_approval, or
 * no_match (then the org's default decides). See server/domain/policy/outcome.ts.
 */
export async function evaluatePolicies(orgId: string, request: PolicyRequest): Promise<PolicyOutcome> {
  return evaluateAgainst(await enforcedPolicySet(orgId), orgId, request);
}
