// What an agent must do now. Kill switches, budgets and rollouts add their part here as they
// land; every endpoint that answers an agent (events, heartbeat, decide, the SSE stream) asks this.
import "server-only";
import { budgetDirective } from "../data/budgets";
import { directiveRevision, killSwitchDirective } from "../data/killswitches";
import type { Directives } from "./schemas";
import type { AgentRef } from "./auth";

export async function directivesFor(orgId: string, agent: AgentRef & { tags?: readonly string[] }): Promise<Directives> {
  const [revision, killSwitch, budget] = await Promise.all([directiveRevision(orgId), killSwitchDirective(orgId, agent), budgetDirective(orgId, agent)]);
  if (agent.status === "archived") return { halt: true, reason: "retired", budget: budget.budget, revision };
  if (killSwitch) return { ...killSwitch, budget: budget.budget, revision };
  if (budget.halt) return { halt: true, reason: "budget_exhausted", budget: budget.budget, revision };
  return { halt: false, budget: budget.budget, revision };
}
