// An agent's directives outside a decision (events, heartbeat, the SSE stream, MCP): from the org's
// facts and the agent's budget counters (at most a second old). Decide answers them from the
// counters its commit read under lock instead.
import "server-only";
import { budgetStatesForDirectives } from "../data/budget-counters";
import { directivesOf, type Directives } from "../domain/decide/directives";
import type { AgentProfile, OrgFacts } from "../domain/decide/types";
import { versionVerdict } from "../domain/rollout/verdict";

/**
 * The directives of one instance of the agent: `instance.unit` is its instance id (or task id), and
 * `instance.reported` the version it says it runs; without them the directives name no version.
 */
export async function directivesFor(facts: OrgFacts, agent: AgentProfile, instance: { unit?: string | null; reported?: string | null } = {}): Promise<Directives> {
  const lifecycle = versionVerdict(facts.versions.get(agent.id), instance.unit ?? null, instance.reported);
  return directivesOf(facts, agent, await budgetStatesForDirectives(facts, agent), new Date(), {
    version: lifecycle.version,
    warning: lifecycle.warning ?? null,
    retiredWithNowhereToGo: lifecycle.refuse !== undefined && lifecycle.version === null,
  });
}
