// An agent's directives outside a decision (events, heartbeat, the SSE stream, MCP): from the org's
// facts and the agent's budget counters (at most a second old). Decide answers them from the
// counters its commit read under lock instead.
import "server-only";
import { budgetStatesForDirectives } from "../data/budget-counters";
import { directivesOf, type Directives } from "../domain/decide/directives";
import type { AgentProfile, OrgFacts } from "../domain/decide/types";

export async function directivesFor(facts: OrgFacts, agent: AgentProfile): Promise<Directives> {
  return directivesOf(facts, agent, await budgetStatesForDirectives(facts, agent), new Date());
}
